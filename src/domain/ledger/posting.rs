//! The one interface every pane posts money through: an outbox event `ledger.posting` whose
//! payload is a `Posting` (JSON), written in the same transaction as the change it comes from.
//! The ledger's consumer (`consumer.rs`) turns it into entries, once per source key.
//!
//! Work orders post their cost lines as `cost.posted` (older than this interface); the
//! consumer reads those as realizations against the order's estimate.

use jiff::civil::Date;
use opsdeck_storage::Tx;
use opsdeck_storage::records::ledger::{Phase, SourceLink};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The outbox event name of a posting.
pub const POSTING: &str = "ledger.posting";

/// Money a pane posts to the ledger. The same `source` posted again with the same content is
/// a replay (nothing happens); with other content it is a conflict, reported and not posted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Posting {
    /// The idempotency key: "wo:131:estimate", "fuel:log:882", "gas:CRI:2026-11-04" ...
    pub source: String,
    /// Commit, Realize, Release, Void, Savings or Adjust (Consume is the ledger's own).
    pub phase: Phase,
    /// The commitment (its source key) a realization, release or void acts on.
    pub against: Option<String>,
    /// A cost center code, when the pane knows it.
    pub cost_center: Option<String>,
    /// What the posting is about, most precise first ("area:Hospital Central/Casa de
    /// máquinas", "site:Hospital Central"): the first a cost center covers decides.
    pub scope: Vec<String>,
    /// A category code ("parts", "fuel" ...); unknown codes post to "other".
    pub category: String,
    /// R$; ignored for a release or void (what is left of the commitment is released).
    pub amount: Decimal,
    /// The day it happened, in the tenant's zone: it decides the month.
    pub date: Date,
    /// When it happened, if the pane knows the instant and not the tenant's zone: the
    /// consumer takes its day in the zone (and ignores `date`).
    pub at: Option<jiff::Timestamp>,
    pub description: String,
    pub reason: String,
    pub evidence: String,
    /// An adjustment: the entry key it corrects.
    pub corrects: Option<String>,
    pub link: SourceLink,
}

impl Posting {
    pub fn new(source: impl Into<String>, phase: Phase, category: &str, amount: Decimal) -> Self {
        Posting {
            source: source.into(),
            phase,
            against: None,
            cost_center: None,
            scope: Vec::new(),
            category: category.to_owned(),
            amount,
            date: Date::MIN,
            at: None,
            description: String::new(),
            reason: String::new(),
            evidence: String::new(),
            corrects: None,
            link: SourceLink::Manual,
        }
    }

    /// What decides "the same posting": every field, as JSON.
    pub fn digest(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }
}

/// Emits `p` in `tx` (the caller's own transaction, with the change it comes from).
pub fn emit(tx: &mut Tx, kind: &str, key: &str, p: &Posting) -> opsdeck_storage::Result<()> {
    let payload = serde_json::to_vec(p)
        .map_err(|e| opsdeck_storage::Error::Invalid(format!("posting {}: {e}", p.source)))?;
    tx.emit(POSTING, kind, key, payload);
    Ok(())
}

/// The source key of a work order's estimate (its commitment).
pub fn estimate_key(order: u64) -> String {
    format!("wo:{order}:estimate")
}

/// The scope of an asset: its area, then its site.
pub fn asset_scope(site: &str, area: &str) -> Vec<String> {
    let mut scope = Vec::new();
    if !area.is_empty() {
        scope.push(format!("area:{site}/{area}"));
    }
    if !site.is_empty() {
        scope.push(format!("site:{site}"));
    }
    scope
}
