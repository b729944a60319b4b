//! Readings retention: old raw points, old minute rollups (hourly ones are kept) and expired
//! message ids, deleted in small steps so that ingest keeps committing between them. A site
//! scheduler job runs it (see `site::jobs`).

use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::Tenant;

use super::pipeline::{ACTOR, Settings};

/// Rows deleted per step and kind: a short transaction between ingest commits.
const CHUNK: usize = 5_000;

/// What is kept: None keeps forever.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub raw: Option<SignedDuration>,
    pub minute: Option<SignedDuration>,
    /// Message ids are remembered this long (twice the timestamp tolerance and a minute).
    pub seen: SignedDuration,
}

impl From<&Settings> for Retention {
    fn from(s: &Settings) -> Retention {
        Retention {
            raw: s.raw_retention,
            minute: s.minute_retention,
            seen: s.seen_window,
        }
    }
}

/// One step: at most a chunk of each kind, in one transaction. Returns how much was deleted.
pub fn step(tenant: &Tenant, keep: &Retention, now: Timestamp) -> opsdeck_storage::Result<usize> {
    let raw = keep.raw.and_then(|k| now.checked_sub(k).ok());
    let minute = keep.minute.and_then(|k| now.checked_sub(k).ok());
    let seen = now.checked_sub(keep.seen).ok();
    tenant.write_if(ACTOR, |tx| {
        let mut n = 0;
        if let Some(before) = raw {
            n += tx.prune_raw(before, CHUNK)?;
        }
        if let Some(before) = minute {
            n += tx.prune_minute_rollups(before, CHUNK)?;
        }
        if let Some(before) = seen {
            n += tx.prune_seen(before, CHUNK)?;
        }
        Ok((n > 0, n))
    })
}

/// Steps until nothing is left or `budget` is spent, pausing between steps so that ingest's
/// commits get the database. Returns (rows deleted, whether more is left).
pub fn run(
    tenant: &Tenant,
    keep: &Retention,
    budget: Duration,
) -> opsdeck_storage::Result<(usize, bool)> {
    let started = Instant::now();
    let mut total = 0;
    loop {
        let n = step(tenant, keep, crate::clock::now())?;
        total += n;
        if n == 0 {
            return Ok((total, false));
        }
        if started.elapsed() >= budget {
            return Ok((total, true));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
