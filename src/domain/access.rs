//! Who may do what. One check, used by every service; a refused action is an error that says
//! why, and is written to the audit trail.

use std::fmt;

use opsdeck_storage::refusal::Why;
use opsdeck_storage::why;

use opsdeck_storage::Tenant;
use opsdeck_storage::records::user::{Role, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read records and search.
    Read,
    ViewAudit,
    VerifyAudit,
    ManageUsers,
    ManageTenants,
    Maintain,
    /// Acknowledge and resolve alerts.
    HandleAlerts,
    /// Create, edit, enable and delete alert rules; name and link devices.
    ManageTelemetry,
}

impl Permission {
    pub fn name(self) -> &'static str {
        match self {
            Permission::Read => "read",
            Permission::ViewAudit => "audit.view",
            Permission::VerifyAudit => "audit.verify",
            Permission::ManageUsers => "user.manage",
            Permission::ManageTenants => "tenant.manage",
            Permission::Maintain => "site.maintain",
            Permission::HandleAlerts => "alert.handle",
            Permission::ManageTelemetry => "telemetry.manage",
        }
    }

    pub fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            Permission::Read => true,
            Permission::ViewAudit | Permission::VerifyAudit => {
                matches!(role, Supervisor | Finance | Auditor | Admin)
            }
            Permission::ManageUsers | Permission::ManageTenants | Permission::Maintain => {
                role == Admin
            }
            Permission::HandleAlerts => matches!(role, Operator | Supervisor | Admin),
            Permission::ManageTelemetry => matches!(role, Supervisor | Admin),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub user: String,
    pub tenant: String,
    pub role: Option<Role>,
    pub permission: Permission,
}

impl Denied {
    /// The refusal as a typed value, for the views to say in the user's language.
    pub fn why(&self) -> Why {
        match self.role {
            Some(r) => why!(
                MayNotAskAdmin,
                self.user,
                r,
                self.permission.name(),
                self.tenant
            ),
            None => why!(NoRoleIn, self.user, self.tenant, Role::Operator),
        }
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.why().fmt(f)
    }
}

impl std::error::Error for Denied {}

pub fn role_of(tenant: &Tenant, user: &str) -> anyhow::Result<Option<Role>> {
    Ok(tenant.get::<User>(user)?.map(|u| u.value.role))
}

/// Checks `user` may do `permission` in `tenant`. A refusal is audited (best effort: the audit
/// write failing does not turn a refusal into a success).
pub fn require(tenant: &Tenant, user: &str, permission: Permission) -> anyhow::Result<Role> {
    let role = role_of(tenant, user)?;
    if let Some(r) = role.filter(|r| permission.allowed(*r)) {
        return Ok(r);
    }
    let denied = Denied {
        user: user.into(),
        tenant: tenant.name().into(),
        role,
        permission,
    };
    let detail = denied.to_string();
    if let Err(e) = tenant.write(user, |tx| {
        tx.audit(&format!("denied:{}", permission.name()), "access", &detail);
        Ok(())
    }) {
        tracing::warn!("could not audit a refused action: {e}");
    }
    Err(denied.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::users;

    #[test]
    fn refusals_are_clear_and_audited() {
        let dir = tempfile::tempdir().unwrap();
        let t = Tenant::open("plant", &dir.path().join("t.redb"), &[7; 32]).unwrap();
        users::bootstrap_admin(&t, "root").unwrap();
        users::add(&t, "root", "bia", Role::Operator, "Bia").unwrap();
        assert_eq!(
            require(&t, "root", Permission::ManageUsers).unwrap(),
            Role::Admin
        );
        assert_eq!(
            require(&t, "bia", Permission::Read).unwrap(),
            Role::Operator
        );

        let e = require(&t, "bia", Permission::VerifyAudit).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bia (operator) may not audit.verify in tenant 'plant'; ask an admin"
        );
        let e = users::add(&t, "bia", "eve", Role::Admin, "").unwrap_err();
        assert!(e.to_string().contains("may not user.manage"), "{e}");
        assert!(users::list(&t).unwrap().iter().all(|u| u.name != "eve"));
        let e = require(&t, "nobody", Permission::Read).unwrap_err();
        assert!(e.to_string().contains("has no role in tenant 'plant'"));

        let denials: Vec<_> = t
            .audit_recent(100)
            .unwrap()
            .into_iter()
            .filter(|a| a.action.starts_with("denied:"))
            .collect();
        assert_eq!(denials.len(), 3);
        assert_eq!(denials[1].actor, "bia");
        assert_eq!(denials[1].action, "denied:user.manage");
    }
}
