//! Sensor readings: raw points per (device, metric) keyed for range scans, 1-minute and 1-hour
//! rollups kept as points arrive (so a 30-day chart reads 720 rows, never the raw points), the
//! latest value per series, and the message ids seen by ingest (anti-replay survives restarts).
//!
//! Readings are not versioned records: a series is append-only and a redelivered point (same
//! device, metric and time) is recognised and stored once.

use std::collections::HashMap;

use jiff::Timestamp;
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::{Result, Tenant, Tx, tables};

/// (device, metric, unix ms) -> value
const RAW: TableDefinition<(&str, &str, i64), f64> = TableDefinition::new("readings_raw");
/// A rollup bucket as stored: (min, max, sum, count).
type Agg = (f64, f64, f64, u64);
/// (device, metric, time ms)
type SeriesKey<'a> = (&'a str, &'a str, i64);
/// (device, metric, bucket start ms) -> rollup
const MINUTE: TableDefinition<SeriesKey, Agg> = TableDefinition::new("readings_1m");
const HOUR: TableDefinition<SeriesKey, Agg> = TableDefinition::new("readings_1h");
/// (device, metric) -> (unix ms, value) of the newest point
const LATEST: TableDefinition<(&str, &str), (i64, f64)> = TableDefinition::new("readings_latest");
/// message id -> unix ms it was accepted; and the same ordered by time, for pruning
const SEEN: TableDefinition<&str, i64> = TableDefinition::new("ingest_seen");
const SEEN_BY_TIME: TableDefinition<(i64, &str), ()> = TableDefinition::new("ingest_seen_by_time");
/// (namespace, key) -> bytes: state a consumer keeps beside the data it derives from
/// (e.g. the alert engine's per rule and device state), written in the same transaction.
const STATE: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("consumer_state");

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub device: String,
    pub metric: String,
    pub ts: Timestamp,
    pub value: f64,
}

/// What one append stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Appended {
    pub stored: usize,
    /// Points already present (same device, metric and time): a redelivery, kept once.
    pub duplicates: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Minute,
    Hour,
}

/// One rollup bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub start: Timestamp,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub count: u64,
}

impl Bucket {
    pub fn avg(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Latest {
    pub device: String,
    pub metric: String,
    pub ts: Timestamp,
    pub value: f64,
}

fn ms(ts: Timestamp) -> i64 {
    ts.as_millisecond()
}

fn from_ms(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn merge(a: Agg, b: Agg) -> Agg {
    (a.0.min(b.0), a.1.max(b.1), a.2 + b.2, a.3 + b.3)
}

impl Tx<'_> {
    /// Stores readings with their rollups and latest values. Points already stored are counted
    /// as duplicates and change nothing (the first value stays).
    pub fn append_readings(&mut self, readings: &[Reading]) -> Result<Appended> {
        Ok(self.append_batches(&[readings])?.remove(0))
    }

    /// `append_readings` for several messages in one go (tables opened once, rollups merged
    /// across messages): what group commit needs. One result per message.
    pub fn append_batches(&mut self, batches: &[&[Reading]]) -> Result<Vec<Appended>> {
        self.append_batches_noting(batches, &mut Vec::new())
    }

    /// `append_batches`, also listing the (message, reading) positions that were duplicates,
    /// so the caller evaluates only what was stored.
    pub fn append_batches_noting(
        &mut self,
        batches: &[&[Reading]],
        duplicates: &mut Vec<(usize, usize)>,
    ) -> Result<Vec<Appended>> {
        let mut out = vec![Appended::default(); batches.len()];
        let mut minute: HashMap<SeriesKey, Agg> = HashMap::new();
        let mut latest: HashMap<(&str, &str), (i64, f64)> = HashMap::new();
        {
            let mut raw = self.txn.open_table(RAW)?;
            for (b, (batch, counts)) in batches.iter().zip(out.iter_mut()).enumerate() {
                for (i, r) in batch.iter().enumerate() {
                    let t = ms(r.ts);
                    let key = (r.device.as_str(), r.metric.as_str(), t);
                    let old = raw.insert(key, r.value)?.map(|g| g.value());
                    if let Some(old) = old {
                        if old.to_bits() != r.value.to_bits() {
                            raw.insert(key, old)?;
                        }
                        counts.duplicates += 1;
                        duplicates.push((b, i));
                        continue;
                    }
                    counts.stored += 1;
                    let bucket = t.div_euclid(MINUTE_MS) * MINUTE_MS;
                    let one = (r.value, r.value, r.value, 1);
                    minute
                        .entry((key.0, key.1, bucket))
                        .and_modify(|a| *a = merge(*a, one))
                        .or_insert(one);
                    latest
                        .entry((key.0, key.1))
                        .and_modify(|l| {
                            if t >= l.0 {
                                *l = (t, r.value)
                            }
                        })
                        .or_insert((t, r.value));
                }
            }
        }
        if minute.is_empty() {
            return Ok(out);
        }
        let mut hour: HashMap<SeriesKey, Agg> = HashMap::new();
        {
            let mut table = self.txn.open_table(MINUTE)?;
            for (k, v) in &minute {
                let merged = match table.get(*k)?.map(|g| g.value()) {
                    Some(old) => merge(old, *v),
                    None => *v,
                };
                table.insert(*k, merged)?;
                let hk = (k.0, k.1, k.2.div_euclid(HOUR_MS) * HOUR_MS);
                hour.entry(hk)
                    .and_modify(|a| *a = merge(*a, *v))
                    .or_insert(*v);
            }
        }
        {
            let mut table = self.txn.open_table(HOUR)?;
            for (k, v) in &hour {
                let merged = match table.get(*k)?.map(|g| g.value()) {
                    Some(old) => merge(old, *v),
                    None => *v,
                };
                table.insert(*k, merged)?;
            }
        }
        {
            let mut table = self.txn.open_table(LATEST)?;
            for (k, v) in &latest {
                let newer = match table.get(*k)?.map(|g| g.value()) {
                    Some(old) => v.0 >= old.0,
                    None => true,
                };
                if newer {
                    table.insert(*k, *v)?;
                }
            }
        }
        Ok(out)
    }

    /// For each message id, whether it is new (and now recorded as seen at `at`); false marks
    /// a replay, also of an id earlier in the same list. Tables are opened once.
    pub fn mark_seen_many(&mut self, ids: &[Option<&str>], at: Timestamp) -> Result<Vec<bool>> {
        let mut seen = self.txn.open_table(SEEN)?;
        let mut by_time = self.txn.open_table(SEEN_BY_TIME)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(id) = id else {
                out.push(true);
                continue;
            };
            if seen.get(*id)?.is_some() {
                out.push(false);
                continue;
            }
            seen.insert(*id, ms(at))?;
            by_time.insert((ms(at), *id), ())?;
            out.push(true);
        }
        Ok(out)
    }

    /// Records an ingest message id as seen at `at`. False when it was already seen: a replay,
    /// and the caller must store nothing of that message.
    pub fn mark_seen(&mut self, message_id: &str, at: Timestamp) -> Result<bool> {
        let mut seen = self.txn.open_table(SEEN)?;
        if seen.get(message_id)?.is_some() {
            return Ok(false);
        }
        seen.insert(message_id, ms(at))?;
        self.txn
            .open_table(SEEN_BY_TIME)?
            .insert((ms(at), message_id), ())?;
        Ok(true)
    }

    /// Forgets message ids seen before `before` (they are outside the timestamp window, so a
    /// replay of one is refused as stale anyway). Returns how many were dropped.
    pub fn prune_seen(&mut self, before: Timestamp, limit: usize) -> Result<usize> {
        let mut by_time = self.txn.open_table(SEEN_BY_TIME)?;
        let mut seen = self.txn.open_table(SEEN)?;
        let mut old: Vec<(i64, String)> = Vec::new();
        for row in by_time.range((i64::MIN, "")..(ms(before), ""))? {
            let (k, _) = row?;
            let (t, id) = k.value();
            old.push((t, id.to_owned()));
            if old.len() >= limit {
                break;
            }
        }
        for (t, id) in &old {
            by_time.remove((*t, id.as_str()))?;
            seen.remove(id.as_str())?;
        }
        Ok(old.len())
    }

    /// Deletes raw points older than `before` in every series, at most `limit` in this
    /// transaction (rollups stay). Returns how many were deleted.
    pub fn prune_raw(&mut self, before: Timestamp, limit: usize) -> Result<usize> {
        self.prune_series(RAW, before, limit)
    }

    /// Deletes 1-minute rollups older than `before`, at most `limit`.
    pub fn prune_minute_rollups(&mut self, before: Timestamp, limit: usize) -> Result<usize> {
        self.prune_series(MINUTE, before, limit)
    }

    fn prune_series<V: redb::Value + 'static>(
        &mut self,
        def: TableDefinition<(&'static str, &'static str, i64), V>,
        before: Timestamp,
        limit: usize,
    ) -> Result<usize> {
        let series: Vec<(String, String)> = {
            let latest = self.txn.open_table(LATEST)?;
            let mut out = Vec::new();
            for row in latest.iter()? {
                let (k, _) = row?;
                let (d, m) = k.value();
                out.push((d.to_owned(), m.to_owned()));
            }
            out
        };
        let mut table = self.txn.open_table(def)?;
        let mut removed = 0;
        for (d, m) in &series {
            let mut keys = Vec::new();
            for row in table
                .range((d.as_str(), m.as_str(), i64::MIN)..(d.as_str(), m.as_str(), ms(before)))?
            {
                let (k, _) = row?;
                keys.push(k.value().2);
                if removed + keys.len() >= limit {
                    break;
                }
            }
            for t in &keys {
                table.remove((d.as_str(), m.as_str(), *t))?;
            }
            removed += keys.len();
            if removed >= limit {
                break;
            }
        }
        Ok(removed)
    }

    /// A consumer's state for `key`, read inside this transaction.
    pub fn state(&self, namespace: &str, key: &str) -> Result<Option<Vec<u8>>> {
        let table = self.txn.open_table(STATE)?;
        Ok(table.get((namespace, key))?.map(|g| g.value().to_vec()))
    }

    pub fn set_state(&mut self, namespace: &str, key: &str, bytes: &[u8]) -> Result<()> {
        self.txn
            .open_table(STATE)?
            .insert((namespace, key), bytes)?;
        Ok(())
    }

    pub fn remove_state(&mut self, namespace: &str, key: &str) -> Result<()> {
        self.txn.open_table(STATE)?.remove((namespace, key))?;
        Ok(())
    }
}

impl Tenant {
    /// The newest point of every series, in (device, metric) order.
    pub fn latest_readings(&self) -> Result<Vec<Latest>> {
        let txn = self.db().begin_read()?;
        let Some(table) = tables::open_read(&txn, LATEST)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in table.iter()? {
            let (k, v) = row?;
            let (device, metric) = k.value();
            let (t, value) = v.value();
            out.push(Latest {
                device: device.to_owned(),
                metric: metric.to_owned(),
                ts: from_ms(t),
                value,
            });
        }
        Ok(out)
    }

    /// Raw points of one series with `from <= ts < to`, oldest first.
    pub fn readings(
        &self,
        device: &str,
        metric: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, f64)>> {
        let txn = self.db().begin_read()?;
        let Some(table) = tables::open_read(&txn, RAW)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in table.range((device, metric, ms(from))..(device, metric, ms(to)))? {
            let (k, v) = row?;
            out.push((from_ms(k.value().2), v.value()));
        }
        Ok(out)
    }

    /// Rollup buckets of one series starting in `[from, to)`, oldest first.
    pub fn rollups(
        &self,
        device: &str,
        metric: &str,
        resolution: Resolution,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Bucket>> {
        Ok(self
            .rollups_of_many(&[(device, metric)], resolution, from, to)?
            .pop()
            .unwrap_or_default())
    }

    /// The buckets of many series over one span, in one read transaction: a list of devices
    /// costs one snapshot, not one per series. In the order of `series`.
    pub fn rollups_of_many(
        &self,
        series: &[(&str, &str)],
        resolution: Resolution,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Vec<Bucket>>> {
        let txn = self.db().begin_read()?;
        let def = match resolution {
            Resolution::Minute => MINUTE,
            Resolution::Hour => HOUR,
        };
        let Some(table) = tables::open_read(&txn, def)? else {
            return Ok(vec![Vec::new(); series.len()]);
        };
        let mut all = Vec::with_capacity(series.len());
        for (device, metric) in series {
            let mut out = Vec::new();
            for row in table.range((*device, *metric, ms(from))..(*device, *metric, ms(to)))? {
                let (k, v) = row?;
                let (min, max, sum, count) = v.value();
                out.push(Bucket {
                    start: from_ms(k.value().2),
                    min,
                    max,
                    sum,
                    count,
                });
            }
            all.push(out);
        }
        Ok(all)
    }

    /// How many raw points are stored, over all series.
    pub fn raw_reading_count(&self) -> Result<u64> {
        let txn = self.db().begin_read()?;
        match tables::open_read(&txn, RAW)? {
            Some(t) => Ok(t.len()?),
            None => Ok(0),
        }
    }

    /// Whether an ingest message id has been accepted (and not yet pruned).
    pub fn was_seen(&self, message_id: &str) -> Result<bool> {
        let txn = self.db().begin_read()?;
        match tables::open_read(&txn, SEEN)? {
            Some(t) => Ok(t.get(message_id)?.is_some()),
            None => Ok(false),
        }
    }

    /// The stored states of a namespace whose keys are in `from..to` (key order).
    pub fn states_range(
        &self,
        namespace: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, Vec<u8>)>> {
        let txn = self.db().begin_read()?;
        let Some(table) = tables::open_read(&txn, STATE)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in table.range((namespace, from)..(namespace, to))? {
            let (k, v) = row?;
            out.push((k.value().1.to_owned(), v.value().to_vec()));
        }
        Ok(out)
    }

    /// Every stored state of a consumer namespace, as (key, bytes).
    pub fn states(&self, namespace: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let txn = self.db().begin_read()?;
        let Some(table) = tables::open_read(&txn, STATE)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for row in table.range((namespace, "")..)? {
            let (k, v) = row?;
            let (ns, key) = k.value();
            if ns != namespace {
                break;
            }
            out.push((key.to_owned(), v.value().to_vec()));
        }
        Ok(out)
    }
}

/// The storage alone, for `opsdeck bench ingest`: plain batched inserts of the same readings
/// into a fresh redb file (one table, `per_commit` readings per durable commit), with no
/// rollups, records or outbox. Returns the time taken.
pub fn raw_insert_baseline(
    path: &std::path::Path,
    readings: &[Reading],
    per_commit: usize,
) -> Result<std::time::Duration> {
    let db = redb::Database::create(path).map_err(|e| crate::Error::Database {
        path: path.to_owned(),
        source: e.into(),
    })?;
    let started = std::time::Instant::now();
    for chunk in readings.chunks(per_commit.max(1)) {
        let txn = db.begin_write()?;
        {
            let mut t = txn.open_table(RAW)?;
            for r in chunk {
                t.insert((r.device.as_str(), r.metric.as_str(), ms(r.ts)), r.value)?;
            }
        }
        txn.commit()?;
    }
    Ok(started.elapsed())
}
