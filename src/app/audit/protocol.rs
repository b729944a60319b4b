//! What the Audit pane asks the worker for and what comes back.

use opsdeck_views::state::audit::{AuditRow, VerifyState};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum AuditCmd {
    /// The newest entries of the trail.
    Load,
    /// Verify the chain and its seal.
    Verify,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum AuditReply {
    Loaded { rows: Vec<AuditRow>, total: u64 },
    Verified(VerifyState),
}
