//! The Audit pane's view model: the newest entries of the trail and the last verification.

use super::{ListView, matches_filter};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AuditRow {
    pub seq: u64,
    /// Formatted in the tenant zone.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
    pub hash: String,
    pub prev: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum VerifyState {
    Running,
    Intact {
        entries: u64,
        at: String,
    },
    Broken {
        seq: u64,
        reason: String,
        at: String,
    },
    Failed(String),
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AuditPane {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub list: ListView,
    pub verify: Option<VerifyState>,
}

impl AuditPane {
    pub fn visible(&self) -> Vec<&AuditRow> {
        self.rows
            .iter()
            .filter(|r| {
                matches_filter(
                    &self.list.filter,
                    &[&r.actor, &r.action, &r.entity, &r.detail],
                )
            })
            .collect()
    }
}
