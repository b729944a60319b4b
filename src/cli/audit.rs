//! `opsdeck audit verify|list`.

use anyhow::{Result, bail};
use clap::Subcommand;
use opsdeck_storage::audit::Verdict;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Verify the chain and its seal; exits non-zero naming the first broken entry
    Verify,
    /// Print the newest entries
    List {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

pub fn run(cli: &Cli, c: &AuditCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let tz = tc.zone();
    match c {
        AuditCmd::Verify => {
            let report = crate::domain::audit::verify(&tenant, &me)?;
            match report.verdict {
                Verdict::Intact => {
                    println!(
                        "audit chain of tenant '{}' intact: {} entries, seal valid",
                        tc.name(),
                        report.entries
                    );
                    Ok(())
                }
                Verdict::Broken { seq, reason } => {
                    bail!(
                        "audit chain of tenant '{}' BROKEN at entry {seq}: {reason} ({} entries verified before it)",
                        tc.name(),
                        report.entries
                    )
                }
            }
        }
        AuditCmd::List { limit } => {
            require(&tenant, &me, Permission::ViewAudit)?;
            for e in tenant.audit_recent(*limit)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    e.seq,
                    e.at.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M:%S %Z"),
                    e.actor,
                    e.action,
                    e.entity,
                    e.detail
                );
            }
            Ok(())
        }
    }
}
