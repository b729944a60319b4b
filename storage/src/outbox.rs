//! The transactional outbox's events: written in the same transaction as the change they
//! describe (`tx.rs`), read by consumers that keep a durable cursor (`consumers.rs`).

use serde::{Deserialize, Serialize};

use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SearchOp {
    None,
    Upsert(SearchDoc),
    Delete { kind: String, key: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the outbox, from 1; assigned at commit.
    pub seq: u64,
    /// e.g. "user.create", "audit.append", "alert.raised"
    pub name: String,
    pub kind: String,
    pub key: String,
    pub actor: String,
    pub at: jiff::Timestamp,
    pub search: SearchOp,
    /// Domain payload (codec-encoded), empty when the event says all.
    pub payload: Vec<u8>,
}

impl Event {
    pub(crate) fn new(
        name: &str,
        kind: &str,
        key: &str,
        actor: &str,
        at: jiff::Timestamp,
        search: SearchOp,
    ) -> Event {
        Event {
            seq: 0,
            name: name.into(),
            kind: kind.into(),
            key: key.into(),
            actor: actor.into(),
            at,
            search,
            payload: Vec::new(),
        }
    }
}
