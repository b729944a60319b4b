//! One pipeline for HTTP and MQTT: validated readings are queued per tenant, a writer thread
//! commits everything queued so far in one redb transaction (group commit: readings, device
//! registrations, anti-replay ids, alert changes and one outbox event), and only then answers
//! each message. A full queue refuses at once (HTTP 429) instead of growing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError, bounded};
use jiff::SignedDuration;
use opsdeck_storage::readings::{Appended, Reading};
use opsdeck_storage::records::device::{Device, MetricInfo, guess_unit};
use opsdeck_storage::{Record, Tenant, Tx};

use super::metrics::Metrics;
use crate::domain::telemetry::engine::Engine;

/// The actor ingest writes are attributed to in the audit trail.
pub const ACTOR: &str = "ingest";
/// At most this many readings go into one commit.
const MAX_COMMIT_READINGS: usize = 50_000;
const MAX_COMMIT_JOBS: usize = 8_192;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Messages waiting per tenant before new ones are refused.
    pub queue: usize,
    /// Raw points older than this are deleted (rollups stay); None keeps them.
    pub raw_retention: Option<SignedDuration>,
    /// 1-minute rollups older than this are deleted; hourly rollups are kept.
    pub minute_retention: Option<SignedDuration>,
    /// Message ids are remembered this long (at least the timestamp window, both ways).
    pub seen_window: SignedDuration,
    /// How often staleness and rule edits are checked.
    pub tick: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            queue: 4096,
            raw_retention: Some(SignedDuration::from_hours(24 * 30)),
            minute_retention: Some(SignedDuration::from_hours(24 * 90)),
            seen_window: SignedDuration::from_secs(600),
            tick: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Stored(Appended),
    /// The message id was already accepted: nothing of this message was stored.
    Replay,
    Failed(String),
}

pub type Done = Box<dyn FnOnce(Outcome) + Send>;

pub struct Job {
    pub readings: Vec<Reading>,
    pub message_id: Option<String>,
    /// Called once the commit is durable (or failed), in queue order.
    pub done: Done,
}

/// A job and when it entered the queue, for the ack latency metric.
struct Queued {
    job: Job,
    at: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    UnknownTenant,
    Busy,
    Stopped,
}

struct Lane {
    queue: Sender<Queued>,
    tenant: Arc<Tenant>,
}

pub struct Pipeline {
    lanes: HashMap<String, Lane>,
    /// Readings older than this are refused at the door (see `payload::Limits::max_age`).
    max_age: Option<SignedDuration>,
    pub metrics: Arc<Metrics>,
    stop: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Pipeline {
    pub fn start(
        tenants: Vec<Arc<Tenant>>,
        settings: Settings,
        metrics: Arc<Metrics>,
    ) -> Arc<Pipeline> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut lanes = HashMap::new();
        let mut threads = Vec::new();
        for tenant in tenants {
            let (tx, rx) = bounded(settings.queue);
            let writer = Writer {
                tenant: tenant.clone(),
                settings: settings.clone(),
                metrics: metrics.clone(),
                stop: stop.clone(),
                engine: Engine::new(),
                known: None,
                last_event: Instant::now(),
                pending_event: PendingEvent::default(),
            };
            threads.push(
                std::thread::Builder::new()
                    .name(format!("ingest-{}", tenant.name()))
                    .spawn(move || writer.run(rx))
                    .expect("spawning the ingest writer"),
            );
            lanes.insert(tenant.name().to_owned(), Lane { queue: tx, tenant });
        }
        Arc::new(Pipeline {
            max_age: settings.raw_retention,
            lanes,
            metrics,
            stop,
            threads: Mutex::new(threads),
        })
    }

    /// What a message's readings must satisfy, with `max_ahead` from the caller's clock window.
    pub fn limits(&self, max_ahead: SignedDuration) -> super::payload::Limits {
        super::payload::Limits {
            max_ahead,
            max_age: self.max_age,
        }
    }

    pub fn tenant(&self, name: &str) -> Option<&Arc<Tenant>> {
        self.lanes.get(name).map(|l| &l.tenant)
    }

    /// Queues a job; refuses at once when the tenant is unknown or its queue is full.
    pub fn submit(&self, tenant: &str, job: Job) -> Result<(), Refused> {
        if self.stop.load(Ordering::SeqCst) {
            return Err(Refused::Stopped);
        }
        let lane = self.lanes.get(tenant).ok_or(Refused::UnknownTenant)?;
        match lane.queue.try_send(Queued {
            job,
            at: Instant::now(),
        }) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(Refused::Busy),
            Err(TrySendError::Disconnected(_)) => Err(Refused::Stopped),
        }
    }

    /// Queues and waits for the durable commit.
    pub fn submit_wait(
        &self,
        tenant: &str,
        readings: Vec<Reading>,
        message_id: Option<String>,
    ) -> Result<Outcome, Refused> {
        let (tx, rx) = crossbeam_channel::bounded(1);
        self.submit(
            tenant,
            Job {
                readings,
                message_id,
                done: Box::new(move |o| {
                    let _ = tx.send(o);
                }),
            },
        )?;
        rx.recv().map_err(|_| Refused::Stopped)
    }

    /// Stops taking jobs, commits what is queued, and joins the writers.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|p| p.into_inner()));
        for t in threads {
            let _ = t.join();
        }
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Writer {
    tenant: Arc<Tenant>,
    settings: Settings,
    metrics: Arc<Metrics>,
    stop: Arc<AtomicBool>,
    engine: Engine,
    /// device -> metrics already registered
    known: Option<HashMap<String, HashSet<String>>>,
    last_event: Instant,
    pending_event: PendingEvent,
}

/// What the next "readings.stored" event will report.
#[derive(Default)]
struct PendingEvent {
    readings: u64,
    devices: BTreeSet<String>,
}

const EVENT_EVERY: Duration = Duration::from_secs(1);

impl Writer {
    fn run(mut self, rx: Receiver<Queued>) {
        let mut next_tick = Instant::now();
        loop {
            let wait = next_tick
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(100));
            match rx.recv_timeout(wait) {
                Ok(first) => {
                    let mut batch = vec![first];
                    let mut n = batch[0].job.readings.len();
                    while n < MAX_COMMIT_READINGS && batch.len() < MAX_COMMIT_JOBS {
                        match rx.try_recv() {
                            Ok(q) => {
                                n += q.job.readings.len();
                                batch.push(q);
                            }
                            Err(_) => break,
                        }
                    }
                    self.commit(batch);
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.stop.load(Ordering::SeqCst) {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if Instant::now() >= next_tick {
                self.tick();
                next_tick = Instant::now() + self.settings.tick;
            }
        }
        // Whatever was queued after the last round is answered, not left waiting.
        while let Ok(q) = rx.try_recv() {
            (q.job.done)(Outcome::Failed("ingest is stopping".into()));
        }
    }

    fn known(&mut self) -> &mut HashMap<String, HashSet<String>> {
        if self.known.is_none() {
            let mut map: HashMap<String, HashSet<String>> = HashMap::new();
            match self.tenant.list::<Device>() {
                Ok(devices) => {
                    for d in devices {
                        map.insert(d.key, d.value.metrics.into_keys().collect());
                    }
                }
                Err(e) => tracing::error!("ingest: listing devices: {e}"),
            }
            self.known = Some(map);
        }
        self.known.get_or_insert_with(HashMap::new)
    }

    /// Commits a group; if that fails, each message on its own, so one message that cannot be
    /// stored fails alone instead of taking the others with it.
    fn commit(&mut self, queued: Vec<Queued>) {
        if let Err((queued, e)) = self.commit_group(queued) {
            if queued.len() == 1 {
                tracing::error!(tenant = self.tenant.name(), "ingest commit failed: {e}");
                for q in queued {
                    (q.job.done)(Outcome::Failed(e.clone()));
                }
                return;
            }
            tracing::warn!(
                tenant = self.tenant.name(),
                "group commit of {} messages failed ({e}); committing them one by one",
                queued.len()
            );
            for q in queued {
                self.commit(vec![q]);
            }
        }
    }

    fn commit_group(&mut self, queued: Vec<Queued>) -> Result<(), (Vec<Queued>, String)> {
        let started = Instant::now();
        let new_pairs: BTreeMap<String, BTreeSet<String>> = {
            let known = self.known();
            let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for q in &queued {
                for r in &q.job.readings {
                    let seen = known.get(&r.device).is_some_and(|m| m.contains(&r.metric));
                    if !seen {
                        out.entry(r.device.clone())
                            .or_default()
                            .insert(r.metric.clone());
                    }
                }
            }
            out
        };
        // A "readings.stored" event at most once a second, with the counts since the last one:
        // the outbox records that data arrived without growing by a row per commit.
        let emit_now = self.last_event.elapsed() >= EVENT_EVERY;
        let tenant = self.tenant.clone();
        let engine = &mut self.engine;
        let pending = &mut self.pending_event;
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(queued.len());
        let result = tenant.write(ACTOR, |tx| {
            outcomes.clear();
            let now = tx.now();
            let ids: Vec<Option<&str>> =
                queued.iter().map(|q| q.job.message_id.as_deref()).collect();
            let fresh = tx.mark_seen_many(&ids, now)?;
            let jobs: Vec<&[Reading]> = queued
                .iter()
                .zip(&fresh)
                .filter(|(_, new)| **new)
                .map(|(q, _)| q.job.readings.as_slice())
                .collect();
            let mut dups = Vec::new();
            let appended = tx.append_batches_noting(&jobs, &mut dups)?;
            let dups: HashSet<(usize, usize)> = dups.into_iter().collect();
            // Only what was stored is evaluated: a resend of a point keeps its first value.
            let stored: Vec<&Reading> = jobs
                .iter()
                .enumerate()
                .flat_map(|(b, rs)| rs.iter().enumerate().map(move |(i, r)| (b, i, r)))
                .filter(|(b, i, _)| !dups.contains(&(*b, *i)))
                .map(|(_, _, r)| r)
                .collect();
            let mut appended = appended.into_iter();
            for new in &fresh {
                outcomes.push(if *new {
                    Outcome::Stored(appended.next().unwrap_or_default())
                } else {
                    Outcome::Replay
                });
            }
            register(tx, &new_pairs)?;
            engine.on_readings(&tenant, tx, &stored)?;
            pending.readings += stored.len() as u64;
            pending
                .devices
                .extend(stored.iter().map(|r| r.device.clone()));
            if emit_now && pending.readings > 0 {
                let payload = serde_json::json!({
                    "readings": pending.readings,
                    "devices": pending.devices,
                });
                tx.emit(
                    "readings.stored",
                    "readings",
                    "",
                    serde_json::to_vec(&payload).unwrap_or_default(),
                );
            }
            Ok(())
        });
        self.metrics.commit(started.elapsed());
        match result {
            Ok(()) => {
                if emit_now && self.pending_event.readings > 0 {
                    self.pending_event = PendingEvent::default();
                    self.last_event = Instant::now();
                }
                let known = self.known();
                for (d, ms) in new_pairs {
                    known.entry(d).or_default().extend(ms);
                }
                for (q, outcome) in queued.into_iter().zip(outcomes) {
                    if let Outcome::Stored(a) = &outcome {
                        self.metrics.accepted(a.stored, a.duplicates);
                    }
                    self.metrics.acked(q.at.elapsed());
                    (q.job.done)(outcome);
                }
                Ok(())
            }
            Err(e) => {
                // Nothing was written: forget what the closure counted and cached.
                self.pending_event = PendingEvent::default();
                self.engine.invalidate();
                self.known = None;
                Err((queued, e.to_string()))
            }
        }
    }

    /// Rule edits and time-based rules, in one short transaction when something changed.
    fn tick(&mut self) {
        let tenant = self.tenant.clone();
        let engine = &mut self.engine;
        let result = tenant.write_if(ACTOR, |tx| {
            let reloaded = engine.reload_rules(&tenant, tx)?;
            let changed = engine.on_tick(&tenant, tx, crate::clock::now())?;
            Ok((reloaded || changed > 0, ()))
        });
        if let Err(e) = result {
            tracing::error!(tenant = self.tenant.name(), "alert engine tick: {e}");
            self.engine.invalidate();
        }
    }
}

/// Devices and metrics seen for the first time: registered unconfirmed, units guessed.
fn register(tx: &mut Tx, new: &BTreeMap<String, BTreeSet<String>>) -> opsdeck_storage::Result<()> {
    for (device, metrics) in new {
        match tx.get::<Device>(device)? {
            Some(current) => {
                let mut d = current.value;
                let before = d.metrics.len();
                for m in metrics {
                    d.metrics.entry(m.clone()).or_insert_with(|| MetricInfo {
                        unit: guess_unit(m).to_owned(),
                        label: String::new(),
                    });
                }
                if d.metrics.len() != before {
                    tx.update(device, current.version, d)?;
                }
            }
            None => {
                let mut d = Device::first_seen(device, tx.now());
                for m in metrics {
                    d.metrics.insert(
                        m.clone(),
                        MetricInfo {
                            unit: guess_unit(m).to_owned(),
                            label: String::new(),
                        },
                    );
                }
                tx.insert(device, d)?;
                tx.emit("device.registered", Device::KIND, device, Vec::new());
            }
        }
    }
    Ok(())
}
