//! Users of a tenant: an OS user name and its role. The only writer of `User` records.

use anyhow::{Result, bail};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::gas::GasOperator;
use opsdeck_storage::records::user::{Role, User};

use super::access::{Permission, require};

/// Makes `name` an admin of a tenant that has no admin yet (init, tenant add, demo).
pub fn bootstrap_admin(tenant: &Tenant, name: &str) -> Result<()> {
    if tenant
        .list::<User>()?
        .iter()
        .any(|u| u.value.role == Role::Admin)
    {
        return Ok(());
    }
    tenant.write(name, |tx| {
        tx.insert(
            name,
            User {
                name: name.into(),
                role: Role::Admin,
                full_name: String::new(),
            },
        )
    })?;
    Ok(())
}

fn valid_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        bail!("'{name}' is not an OS user name (letters, digits, '.', '_', '-')");
    }
    Ok(())
}

/// Adds or changes a user's role.
pub fn add(tenant: &Tenant, actor: &str, name: &str, role: Role, full_name: &str) -> Result<()> {
    require(tenant, actor, Permission::ManageUsers)?;
    valid_name(name)?;
    let value = User {
        name: name.into(),
        role,
        full_name: full_name.into(),
    };
    tenant.write(actor, |tx| match tx.get::<User>(name)? {
        Some(cur) => tx.update(name, cur.version, value).map(|_| ()),
        None => tx.insert(name, value).map(|_| ()),
    })?;
    Ok(())
}

pub fn remove(tenant: &Tenant, actor: &str, name: &str) -> Result<()> {
    require(tenant, actor, Permission::ManageUsers)?;
    let Some(cur) = tenant.get::<User>(name)? else {
        bail!("'{name}' has no role in tenant '{}'", tenant.name());
    };
    if cur.value.role == Role::Admin
        && tenant
            .list::<User>()?
            .iter()
            .filter(|u| u.value.role == Role::Admin)
            .count()
            == 1
    {
        bail!(
            "'{name}' is the last admin of tenant '{}'; add another admin first",
            tenant.name()
        );
    }
    tenant.write(actor, |tx| {
        tx.delete::<User>(name, cur.version)?;
        // Their gas units go with the role, so no reminder is addressed to someone gone.
        if let Some(op) = tx.get::<GasOperator>(name)? {
            tx.delete::<GasOperator>(name, op.version)?;
        }
        Ok(())
    })?;
    Ok(())
}

pub fn list(tenant: &Tenant) -> Result<Vec<User>> {
    Ok(tenant
        .list::<User>()?
        .into_iter()
        .map(|v| v.value)
        .collect())
}
