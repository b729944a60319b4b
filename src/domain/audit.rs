//! Verifying the audit trail, for the console and the CLI alike.

use anyhow::Result;
use opsdeck_storage::Tenant;
use opsdeck_storage::audit::{Verdict, VerifyReport};

use super::access::{Permission, require};

/// Verifies the tenant's chain and seal as `user`, and puts the verification itself on the
/// record (after it ran, so it never verifies its own entry).
pub fn verify(tenant: &Tenant, user: &str) -> Result<VerifyReport> {
    require(tenant, user, Permission::VerifyAudit)?;
    let report = tenant.audit_verify()?;
    let detail = match &report.verdict {
        Verdict::Intact => format!("intact, {} entries", report.entries),
        Verdict::Broken { seq, reason } => format!("BROKEN at entry {seq}: {reason}"),
    };
    tenant.write(user, |tx| {
        tx.audit("audit.verify", "audit", &detail);
        Ok(())
    })?;
    Ok(report)
}
