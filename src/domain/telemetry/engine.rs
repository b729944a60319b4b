//! The alert engine: runs the rule evaluator over readings as they are committed and turns
//! raise/clear transitions into alert records, inside the same write transaction as the
//! readings. An alert therefore exists exactly when its readings do, and a crash between the two
//! is impossible. The ingest pipeline owns one engine per tenant (one thread, one writer).

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::readings::Reading;
use opsdeck_storage::records::alert::{Alert, AlertStatus};
use opsdeck_storage::records::rule::{Rule, RuleKind};
use opsdeck_storage::{Record, Result, Tenant, Tx, codec};
use serde::{Deserialize, Serialize};

use super::rules::{self, RuleState, Transition};

/// The consumer-state namespace of the engine.
const NS: &str = "alert_engine";
/// A condition that returns within this time of clearing reopens its alert instead of raising
/// a new one, so a flapping sensor does not spam.
pub const FLAP_WINDOW: SignedDuration = SignedDuration::from_secs(600);

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    /// The rule as it was when this state was last written: a state whose rule has since been
    /// deleted, disabled or redefined (also while no process ran the engine) is closed.
    rule: Option<Rule>,
    eval: RuleState,
    /// The alert this rule and device raised and that is not resolved by the engine yet.
    alert: Option<String>,
    /// The last alert the engine resolved, and when: reopened if the condition returns soon.
    last_resolved: Option<(String, Timestamp)>,
}

fn state_key(rule: &str, device: &str) -> String {
    format!("{rule}\u{1f}{device}")
}

/// What the payload of `alert.raised` (and the other alert events) carries, as JSON: enough for
/// the work-order pane to open a predictive order without reading the alert.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertEvent {
    pub alert: String,
    pub id: u64,
    pub rule: String,
    pub device: String,
    pub severity: String,
    pub message: String,
    pub value: Option<f64>,
    pub at: Timestamp,
}

impl AlertEvent {
    fn of(a: &Alert, key: &str, at: Timestamp, message: &str) -> Vec<u8> {
        serde_json::to_vec(&AlertEvent {
            alert: key.to_owned(),
            id: a.id,
            rule: a.rule.clone(),
            device: a.device.clone(),
            severity: a.severity.to_string(),
            message: message.to_owned(),
            value: a.last_value,
            at,
        })
        .unwrap_or_default()
    }
}

#[derive(Default)]
pub struct Engine {
    rules: Vec<Rule>,
    /// device -> indexes into `rules` that apply to it
    by_device: HashMap<String, Vec<usize>>,
    states: HashMap<String, Stored>,
    /// newest reading time per device, to seed staleness for rules added later
    last_seen: HashMap<String, Timestamp>,
    loaded: bool,
    /// States were (re)loaded: check them against the rules at the next reload.
    check_states: bool,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// Forget the cached state (after a failed commit); it is read again before the next use.
    pub fn invalidate(&mut self) {
        self.loaded = false;
    }

    fn ensure_loaded(&mut self, tenant: &Tenant) -> Result<()> {
        if self.loaded {
            return Ok(());
        }
        self.rules = tenant
            .list::<Rule>()?
            .into_iter()
            .map(|v| v.value)
            .collect();
        self.by_device.clear();
        self.states.clear();
        for (key, bytes) in tenant.states(NS)? {
            match codec::decode::<Stored>(&bytes) {
                Ok(s) => {
                    self.states.insert(key, s);
                }
                Err(e) => tracing::warn!("alert engine state {key:?} unreadable, reset: {e}"),
            }
        }
        self.last_seen.clear();
        for l in tenant.latest_readings()? {
            let e = self.last_seen.entry(l.device).or_insert(l.ts);
            if l.ts > *e {
                *e = l.ts;
            }
        }
        self.loaded = true;
        self.check_states = true;
        Ok(())
    }

    fn rules_for(&mut self, device: &str) -> Vec<usize> {
        if let Some(v) = self.by_device.get(device) {
            return v.clone(); // a handful of indexes, once per device and batch
        }
        let v: Vec<usize> = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.applies_to(device))
            .map(|(i, _)| i)
            .collect();
        self.by_device.insert(device.to_owned(), v.clone());
        v
    }

    /// Picks up rule edits from any process. States whose rule was removed, disabled or
    /// redefined since they were written resolve their open alerts ("rule changed") and start
    /// over. Returns whether anything changed.
    pub fn reload_rules(&mut self, tenant: &Tenant, tx: &mut Tx) -> Result<bool> {
        self.ensure_loaded(tenant)?;
        let fresh: Vec<Rule> = tx_rules(tenant)?;
        if fresh == self.rules && !self.check_states {
            return Ok(false);
        }
        let by_name: BTreeMap<&str, &Rule> = fresh.iter().map(|r| (r.name.as_str(), r)).collect();
        let mut changed = fresh != self.rules;
        let keys: Vec<String> = self.states.keys().cloned().collect();
        for key in keys {
            let Some((rule_name, device)) = key.split_once('\u{1f}') else {
                continue;
            };
            let written_under = self.states.get(&key).and_then(|s| s.rule.as_ref());
            let reason = match (by_name.get(rule_name), written_under) {
                (None, _) => Some("rule deleted"),
                (Some(r), _) if !r.enabled => Some("rule disabled"),
                (Some(r), Some(w)) if r.kind != w.kind || !r.applies_to(device) => {
                    Some("rule changed")
                }
                (Some(r), None) if !r.applies_to(device) => Some("rule changed"),
                _ => None,
            };
            if let Some(reason) = reason {
                let mut st = self.states.remove(&key).unwrap_or_default();
                close_open(tx, &mut st, tx.now(), reason)?;
                tx.remove_state(NS, &key)?;
                changed = true;
            }
        }
        self.rules = fresh;
        self.by_device.clear();
        self.check_states = false;
        Ok(changed)
    }

    /// Evaluates newly stored readings (any order; taken in time order per device).
    pub fn on_readings(
        &mut self,
        tenant: &Tenant,
        tx: &mut Tx,
        readings: &[&Reading],
    ) -> Result<()> {
        self.ensure_loaded(tenant)?;
        if readings.is_empty() {
            return Ok(());
        }
        let mut order: Vec<&Reading> = readings.to_vec();
        order.sort_by(|a, b| (a.device.as_str(), a.ts).cmp(&(b.device.as_str(), b.ts)));
        // Staleness is about the device talking to us, so it goes by arrival time, not by the
        // device's clock (a device with a slow clock is not silent).
        let arrival = tx.now();
        // One device at a time: its rules and states are looked up once, not per reading.
        for group in order.chunk_by(|a, b| a.device == b.device) {
            let device = group[0].device.as_str();
            match self.last_seen.get_mut(device) {
                Some(t) => *t = arrival,
                None => {
                    self.last_seen.insert(device.to_owned(), arrival);
                }
            }
            for i in self.rules_for(device) {
                let rule = &self.rules[i];
                if !rule.enabled {
                    continue;
                }
                let metric = rule.metric();
                let mut samples = group
                    .iter()
                    .filter(|r| metric.is_none_or(|m| m == r.metric))
                    .peekable();
                let Some(newest) = samples.clone().last() else {
                    continue;
                };
                let key = state_key(&rule.name, device);
                let st = self.states.entry(key.clone()).or_default();
                if matches!(rule.kind, RuleKind::Stale { .. }) {
                    if let Some(t) = rules::on_sample(rule, &mut st.eval, arrival, newest.value) {
                        apply(tx, rule, device, st, &t)?;
                    }
                } else {
                    for r in samples.by_ref() {
                        if let Some(t) = rules::on_sample(rule, &mut st.eval, r.ts, r.value) {
                            apply(tx, rule, device, st, &t)?;
                        }
                    }
                }
                if st.rule.as_ref() != Some(rule) {
                    st.rule = Some(rule.clone());
                }
                tx.set_state(NS, &key, &encode(st)?)?;
            }
        }
        Ok(())
    }

    /// Time passing: staleness. (Duration rules raise on a reading once their condition has
    /// held long enough by the device's own clock; comparing the server clock with a device's
    /// would raise early for a device whose clock is behind.)
    pub fn on_tick(&mut self, tenant: &Tenant, tx: &mut Tx, now: Timestamp) -> Result<usize> {
        self.ensure_loaded(tenant)?;
        let devices: Vec<(String, Timestamp)> = self
            .last_seen
            .iter()
            .map(|(d, t)| (d.clone(), *t))
            .collect();
        let mut changed = 0;
        for (device, last) in devices {
            for i in self.rules_for(&device) {
                let rule = &self.rules[i];
                if !rule.enabled || !matches!(rule.kind, RuleKind::Stale { .. }) {
                    continue;
                }
                let key = state_key(&rule.name, &device);
                let st = self.states.entry(key.clone()).or_insert_with(|| {
                    let mut st = Stored::default();
                    st.eval.last_seen = Some(last);
                    st
                });
                if let Some(t) = rules::on_tick(rule, &mut st.eval, now) {
                    st.rule = Some(rule.clone());
                    apply(tx, rule, &device, st, &t)?;
                    tx.set_state(NS, &key, &encode(st)?)?;
                    changed += 1;
                }
            }
        }
        Ok(changed)
    }
}

fn tx_rules(tenant: &Tenant) -> Result<Vec<Rule>> {
    Ok(tenant
        .list::<Rule>()?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

fn encode(st: &Stored) -> Result<Vec<u8>> {
    codec::encode(st).map_err(|e| opsdeck_storage::Error::codec("alert engine state", e))
}

/// Raise: a new alert, or the same one again when it cleared moments ago (flapping).
/// Clear: resolve the engine's open alert automatically.
fn apply(tx: &mut Tx, rule: &Rule, device: &str, st: &mut Stored, t: &Transition) -> Result<()> {
    match t {
        Transition::Raise { at, value, message } => {
            if let Some(key) = &st.alert
                && let Some(current) = tx.get::<Alert>(key)?
                && current.value.is_open()
            {
                return Ok(()); // already open (e.g. rule redefined while firing)
            }
            if let Some((key, when)) = st.last_resolved.clone()
                && at.duration_since(when) <= FLAP_WINDOW
                && let Some(current) = tx.get::<Alert>(&key)?
                && current.value.resolved_by.is_none()
            {
                let mut a = current.value;
                a.status = AlertStatus::Open;
                a.reopened += 1;
                a.resolved_at = None;
                a.resolve_note.clear();
                a.last_value = *value;
                a.message = message.clone();
                let payload = AlertEvent::of(&a, &key, *at, message);
                tx.update(&key, current.version, a)?;
                tx.emit("alert.reopened", Alert::KIND, &key, payload);
                st.alert = Some(key);
                return Ok(());
            }
            let id = tx.next_id(Alert::KIND)?;
            let key = Alert::key(id);
            let a = Alert {
                id,
                rule: rule.name.clone(),
                device: device.to_owned(),
                severity: rule.severity,
                status: AlertStatus::Open,
                raised_at: *at,
                value: *value,
                message: message.clone(),
                last_value: *value,
                acked_by: None,
                acked_at: None,
                resolved_at: None,
                resolved_by: None,
                resolve_note: String::new(),
                reopened: 0,
            };
            let payload = AlertEvent::of(&a, &key, *at, message);
            tx.insert(&key, a)?;
            // The hook for the work-order pane: a predictive order can be opened from this.
            tx.emit("alert.raised", Alert::KIND, &key, payload);
            st.alert = Some(key);
        }
        Transition::Clear { at, message, .. } => {
            close_open(tx, st, *at, message)?;
        }
    }
    Ok(())
}

fn close_open(tx: &mut Tx, st: &mut Stored, at: Timestamp, note: &str) -> Result<()> {
    let Some(key) = st.alert.take() else {
        return Ok(());
    };
    let Some(current) = tx.get::<Alert>(&key)? else {
        return Ok(());
    };
    if !current.value.is_open() {
        return Ok(()); // resolved by hand meanwhile
    }
    let mut a = current.value;
    a.status = AlertStatus::Resolved;
    a.resolved_at = Some(at);
    a.resolved_by = None;
    a.resolve_note = note.to_owned();
    let payload = AlertEvent::of(&a, &key, at, note);
    tx.update(&key, current.version, a)?;
    tx.emit("alert.resolved", Alert::KIND, &key, payload);
    st.last_resolved = Some((key, at));
    Ok(())
}
