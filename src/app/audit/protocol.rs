//! What the Audit pane asks the worker for and what comes back.

use opsdeck_views::state::audit::{AuditRow, VerifyState};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum AuditCmd {
    /// The newest entries of the trail: those the filter matches when it is not empty (the
    /// whole trail is searched), or the page around entry `around` (a link to an old one).
    Load { filter: String, around: Option<u64> },
    /// Verify the chain and its seal.
    Verify,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum AuditReply {
    Loaded { rows: Vec<AuditRow>, total: u64 },
    Verified(VerifyState),
}
