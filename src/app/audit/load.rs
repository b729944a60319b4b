//! The worker's side of the Audit pane: the newest entries of the trail, and its verification.

use opsdeck_storage::audit::{AuditEntry, Verdict};
use opsdeck_views::state::audit::{AuditRow, VerifyState};

use super::protocol::{AuditCmd, AuditReply};
use crate::app::io::Io;
use crate::domain::access::{Permission, require};
use opsdeck_views::state::matches_filter;

/// How many audit entries the pane loads (newest first).
pub const AUDIT_PAGE: usize = 2000;

pub fn serve(io: &Io, cmd: AuditCmd) -> anyhow::Result<AuditReply> {
    match cmd {
        AuditCmd::Load { filter, around } => load(io, &filter, around),
        AuditCmd::Verify => Ok(AuditReply::Verified(verify(io))),
    }
}

fn row(io: &Io, e: AuditEntry) -> AuditRow {
    AuditRow {
        seq: e.seq,
        at: io.when_secs(e.at),
        hash: e.hash_hex(),
        prev: hex::encode(e.prev),
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        detail: e.detail,
    }
}

fn load(io: &Io, filter: &str, around: Option<u64>) -> anyhow::Result<AuditReply> {
    require(&io.tenant, &io.user, Permission::ViewAudit)?;
    let total = io.tenant.meta("audit_seq")?.unwrap_or(0);
    let half = AUDIT_PAGE as u64 / 2;
    let entries = match around {
        // An entry older than the newest page: the page around it.
        Some(seq) if seq + (AUDIT_PAGE as u64) <= total => io
            .tenant
            .audit_between(seq.saturating_sub(half).max(1), seq + half)?,
        _ if !filter.is_empty() => io.tenant.audit_matching(AUDIT_PAGE, |e| {
            matches_filter(filter, &[&e.actor, &e.action, &e.entity, &e.detail])
        })?,
        _ => io.tenant.audit_recent(AUDIT_PAGE)?,
    };
    Ok(AuditReply::Loaded {
        rows: entries.into_iter().map(|e| row(io, e)).collect(),
        total,
    })
}

fn verify(io: &Io) -> VerifyState {
    let now = io.when_secs(crate::clock::now());
    let run = || -> anyhow::Result<VerifyState> {
        let report = crate::domain::audit::verify(&io.tenant, &io.user)?;
        Ok(match report.verdict {
            Verdict::Intact => VerifyState::Intact {
                entries: report.entries,
                at: now.clone(),
            },
            Verdict::Broken { seq, reason } => VerifyState::Broken {
                seq,
                reason,
                at: now.clone(),
            },
        })
    };
    run().unwrap_or_else(|e| VerifyState::Failed(e.to_string()))
}
