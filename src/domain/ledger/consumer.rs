//! The ledger's outbox consumer: `ledger.posting` events from any pane and the work orders'
//! `cost.posted`, posted once per source key. Each batch's entries and the cursor commit in one
//! transaction, so a crash never posts twice or skips; replaying the outbox from the start
//! changes nothing (every key is a replay).

use anyhow::Result;
use jiff::tz::TimeZone;
use opsdeck_storage::records::asset::Asset;
use opsdeck_storage::{Event, Tenant, Tx};

use super::post::{self, Late, Outcome};
use jiff::civil::Date;
use opsdeck_storage::records::ledger::{Phase, SourceLink};

use super::posting::{self, POSTING, Posting, estimate_key};
use crate::domain::cmms::work_orders::{COST_POSTED, CostPosted};

/// The consumer's cursor name.
pub const CONSUMER: &str = "ledger";
/// Events read and posted per transaction.
pub const BATCH: usize = 500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    pub events: usize,
    pub entries: usize,
    pub replays: usize,
    pub conflicts: usize,
    pub invalid: usize,
}

impl Report {
    fn add(&mut self, o: &Report) {
        self.events += o.events;
        self.entries += o.entries;
        self.replays += o.replays;
        self.conflicts += o.conflicts;
        self.invalid += o.invalid;
    }
}

/// The posting an event carries, if it is one for the ledger.
fn posting_of(tx: &Tx, e: &Event, tz: &TimeZone) -> Option<std::result::Result<Posting, String>> {
    match e.name.as_str() {
        POSTING => Some(
            serde_json::from_slice::<Posting>(&e.payload)
                .map_err(|err| err.to_string())
                .map(|mut p| {
                    if let Some(at) = p.at {
                        p.date = at.to_zoned(tz.clone()).date();
                    }
                    p
                }),
        ),
        COST_POSTED => Some(
            serde_json::from_slice::<CostPosted>(&e.payload)
                .map_err(|err| err.to_string())
                .map(|c| {
                    let scope = c
                        .asset
                        .as_deref()
                        .and_then(|tag| tx.get::<Asset>(tag).ok().flatten())
                        .map(|a| posting::asset_scope(&a.value.site, &a.value.area))
                        .unwrap_or_default();
                    let date = c.at.to_zoned(tz.clone()).date();
                    from_cost_posted(&c, scope, date)
                }),
        ),
        _ => None,
    }
}

/// An event's origin: its digest is of its name and payload as emitted.
fn origin(e: &Event) -> post::Origin {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(e.name.as_bytes());
    h.update(b"\n");
    h.update(&e.payload);
    post::Origin {
        seq: e.seq,
        by: e.actor.clone(),
        digest: hex::encode(h.finalize()),
    }
}

/// Posts one batch after the cursor; returns what it did (events = 0 when caught up).
pub fn run_batch(tenant: &Tenant, tz: &TimeZone, batch: usize) -> Result<Report> {
    let mut report = Report::default();
    let mut skipped_to = None;
    tenant.write_if(super::ACTOR, |tx| {
        let after = tx.cursor(CONSUMER)?;
        let events = tenant.events_after(after, batch)?;
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok((false, ()));
        };
        report.events = events.len();
        if !events
            .iter()
            .any(|e| e.name == POSTING || e.name == COST_POSTED)
        {
            // Nothing for the ledger (its own entries' events, mostly): move the cursor
            // without a commit that would make every console reload.
            skipped_to = Some(last);
            return Ok((false, ()));
        }
        super::centers::ensure_builtin(tx)?;
        for e in &events {
            let Some(p) = posting_of(tx, e, tz) else {
                continue;
            };
            match p {
                Err(why) => {
                    report.invalid += 1;
                    post::reject(
                        tx,
                        e.seq,
                        &format!("{} {}", e.name, e.key),
                        None,
                        &format!("unreadable: {why}"),
                    )?;
                }
                Ok(p) => match post::post_from(tx, &p, &origin(e), Late::Adjust)? {
                    Outcome::Posted(v) => report.entries += v.len(),
                    Outcome::Replay => report.replays += 1,
                    Outcome::Conflict => report.conflicts += 1,
                    Outcome::Invalid(why) => {
                        report.invalid += 1;
                        let month = (p.date >= post::FIRST_DAY && p.date <= post::LAST_DAY)
                            .then(|| opsdeck_storage::records::ledger::Month::of(p.date));
                        post::reject(tx, e.seq, &p.source, month, &why.to_string())?;
                    }
                },
            }
        }
        tx.set_cursor(CONSUMER, last)?;
        Ok((true, ()))
    })?;
    if let Some(last) = skipped_to {
        tenant.advance(CONSUMER, last)?;
    }
    Ok(report)
}

/// Posts everything after the cursor.
pub fn run(tenant: &Tenant, tz: &TimeZone) -> Result<Report> {
    let mut total = Report::default();
    loop {
        let r = run_batch(tenant, tz, BATCH)?;
        if r.events == 0 {
            return Ok(total);
        }
        total.add(&r);
    }
}

/// Whether the consumer has events to post.
pub fn behind(tenant: &Tenant) -> Result<bool> {
    Ok(tenant.cursor(CONSUMER)? < tenant.outbox_head()?)
}

/// A work order's cost line (`cost.posted`) as a realization against its estimate. `scope` is
/// the order's asset's; `date` the close day in the tenant's zone.
pub fn from_cost_posted(c: &CostPosted, scope: Vec<String>, date: Date) -> Posting {
    let mut p = Posting::new(
        c.idempotency_key.clone(),
        Phase::Realize,
        &c.category,
        c.amount,
    );
    p.against = Some(estimate_key(c.work_order));
    p.scope = scope;
    p.date = date;
    p.description = format!("OS {} · {}", c.work_order, c.description);
    p.link = SourceLink::WorkOrder(c.work_order);
    p
}

/// How many postings wait in the outbox for the consumer (its own entries' events are not
/// postings).
pub fn waiting(tenant: &Tenant) -> Result<u64> {
    let mut after = tenant.cursor(CONSUMER)?;
    let mut n = 0;
    loop {
        let events = tenant.events_after(after, BATCH)?;
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok(n);
        };
        n += events
            .iter()
            .filter(|e| e.name == POSTING || e.name == COST_POSTED)
            .count() as u64;
        after = last;
    }
}
