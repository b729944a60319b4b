//! Alerts raised by rules on a device: raised -> acknowledged -> resolved (automatically when
//! the condition clears, or by hand with a note). One open alert per rule and device.

use serde::{Deserialize, Serialize};

use super::Record;
use super::rule::Severity;
use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

named_enum!(AlertStatus, "alert status", {
    Open => "open",
    Acknowledged => "acknowledged",
    Resolved => "resolved",
});

/// Keyed by `Alert::key(id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: u64,
    pub rule: String,
    pub device: String,
    pub severity: Severity,
    pub status: AlertStatus,
    pub raised_at: jiff::Timestamp,
    /// The reading that raised it, when there was one (a stale alert has none).
    pub value: Option<f64>,
    pub message: String,
    /// The newest value seen while open.
    pub last_value: Option<f64>,
    pub acked_by: Option<String>,
    pub acked_at: Option<jiff::Timestamp>,
    pub resolved_at: Option<jiff::Timestamp>,
    /// None: resolved automatically when the condition cleared.
    pub resolved_by: Option<String>,
    pub resolve_note: String,
    /// Times the condition came back soon after clearing and this alert reopened instead of a
    /// new one being raised (flapping).
    pub reopened: u32,
}

impl Alert {
    /// Zero-padded so keys sort by id.
    pub fn key(id: u64) -> String {
        format!("{id:010}")
    }

    pub fn is_open(&self) -> bool {
        self.status != AlertStatus::Resolved
    }
}

impl Record for Alert {
    const KIND: &'static str = "alert";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!(
                "alert {} · {} · {} ({})",
                self.id, self.device, self.rule, self.severity
            ),
            body: format!("{} {}", self.message, self.resolve_note),
        })
    }
}
