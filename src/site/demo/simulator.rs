//! The `--demo` simulator: a background thread that posts live readings of every demo device to
//! the HTTP ingest endpoint every [`PERIOD`], signed with the tenant's ingest key like a real
//! device, continuing the history's value model (`super::telemetry`) so the charts join up.
//!
//! Two devices behave on purpose:
//! - the vaccine cold room [`DRIFT_DEVICE`] drifts: from [`DRIFT_DELAY`] after the start its
//!   temperature climbs above 8 °C within about 2 minutes, stays at 9-10 °C for 5 minutes and
//!   comes back below 7 °C, again every [`DRIFT_CYCLE`], so an alert is raised and resolved;
//! - [`EXTRA_DEVICE`], a fan coil missing from devices.csv, so the pane shows a device that
//!   registered itself with its first reading (unconfirmed).
//!
//! Failures (endpoint not up yet, 429 while shedding load) are logged and the round is tried
//! again next period; nothing here panics the console.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::common::Rng;
use super::telemetry::{self, DemoDevice, DemoMetric, Kind, Moment};
use crate::ingest::client::IngestClient;

/// How often every device sends.
pub const PERIOD: Duration = Duration::from_secs(5);
/// The device whose temperature drifts into an alert, and its metric.
pub const DRIFT_DEVICE: &str = "CR-03";
pub const DRIFT_METRIC: &str = "temp_c";
/// When the first drift starts, after the simulator starts.
pub const DRIFT_DELAY: Duration = Duration::from_secs(60);
/// A drift starts again this long after the previous one started.
pub const DRIFT_CYCLE: Duration = Duration::from_secs(20 * 60);
/// A device not in devices.csv: it registers itself (unconfirmed) with its first reading.
pub const EXTRA_DEVICE: &str = "FC-23";

/// The drift's phases, in seconds from the start of a cycle: climbing, holding, recovering.
const CLIMB_SECS: f64 = 150.0;
const HOLD_UNTIL_SECS: f64 = 450.0;
const RECOVER_SECS: f64 = 180.0;
/// The temperature the drift holds, and the swing around it.
const DRIFT_HOT: f64 = 9.5;
const DRIFT_SWING: f64 = 0.35;

/// How long `stop` waits for the thread; a round blocked on the network is left to finish on
/// its own (it sends nothing more).
const STOP_WAIT: Duration = Duration::from_millis(150);
const SLEEP_STEP: Duration = Duration::from_millis(20);

pub struct Simulator {
    stop: Arc<AtomicBool>,
    /// Disconnected when the thread has ended.
    done: Option<Receiver<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Starts posting to `addr`, one signed message per device of each tenant in `keys`
    /// ((tenant, ingest secret)); the first round is sent at once.
    pub fn start(addr: SocketAddr, keys: Vec<(String, String)>) -> Simulator {
        let stop = Arc::new(AtomicBool::new(false));
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let flag = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("demo-simulator".into())
            .spawn(move || {
                let _done = done_tx;
                run(addr, keys, &flag);
            });
        match spawned {
            Ok(thread) => Simulator {
                stop,
                done: Some(done_rx),
                thread: Some(thread),
            },
            Err(e) => {
                tracing::warn!("demo simulator not started: {e}");
                Simulator {
                    stop,
                    done: None,
                    thread: None,
                }
            }
        }
    }

    /// Stops the simulator (also on drop); returns within about 150 ms.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let Some(thread) = self.thread.take() else {
            return;
        };
        let ended = match self.done.take() {
            Some(rx) => !matches!(rx.recv_timeout(STOP_WAIT), Err(RecvTimeoutError::Timeout)),
            None => true,
        };
        if ended {
            let _ = thread.join();
        } else {
            tracing::debug!("demo simulator still waiting on the endpoint; left to finish");
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The devices the simulator sends: the demo's, plus [`EXTRA_DEVICE`] in the hospital.
pub fn simulated_devices() -> Vec<DemoDevice> {
    let mut all = telemetry::devices();
    all.push(DemoDevice {
        tenant: "hospital".into(),
        id: EXTRA_DEVICE.into(),
        name: String::new(),
        asset: String::new(),
        kind: Kind::FanCoil,
        metrics: vec![DemoMetric {
            metric: "room_temp_c".into(),
            unit: "°C".into(),
            base: 22.8,
            amplitude: 1.0,
            noise: 0.15,
        }],
    });
    all
}

/// The vaccine room's temperature `elapsed` after the simulator started, given the value it
/// would have without the drift: unchanged before [`DRIFT_DELAY`], then each [`DRIFT_CYCLE`] a
/// smooth climb to about 9.5 °C (above 8 °C within 2 minutes), 5 minutes there, a smooth
/// return, and normal again for the rest of the cycle.
pub fn drift(elapsed: Duration, normal: f64) -> f64 {
    let Some(since) = elapsed.checked_sub(DRIFT_DELAY) else {
        return normal;
    };
    let p = since.as_secs_f64() % DRIFT_CYCLE.as_secs_f64();
    let smooth = |x: f64| {
        let x = x.clamp(0.0, 1.0);
        x * x * (3.0 - 2.0 * x)
    };
    let weight = if p < CLIMB_SECS {
        smooth(p / CLIMB_SECS)
    } else if p < HOLD_UNTIL_SECS {
        1.0
    } else {
        1.0 - smooth((p - HOLD_UNTIL_SECS) / RECOVER_SECS)
    };
    let hot = DRIFT_HOT + DRIFT_SWING * (std::f64::consts::TAU * p / 97.0).sin();
    normal + weight * (hot - normal)
}

/// The reading message of one device at `m` (`elapsed` since the start, for the drift).
pub fn message(device: &DemoDevice, m: &Moment, elapsed: Duration, rng: &mut Rng) -> Vec<u8> {
    let mut metrics = Map::new();
    for metric in &device.metrics {
        let mut v = metric.sample(device, m, rng);
        if device.id == DRIFT_DEVICE && metric.metric == DRIFT_METRIC {
            v = metric.finish(drift(elapsed, v));
        }
        metrics.insert(metric.metric.clone(), json!(v));
    }
    let body = json!({
        "device": device.id,
        "ts": m.ts.to_string(),
        "metrics": Value::Object(metrics),
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

struct Lane {
    tenant: String,
    client: IngestClient,
    devices: Vec<DemoDevice>,
}

fn run(addr: SocketAddr, keys: Vec<(String, String)>, stop: &AtomicBool) {
    let started = Instant::now();
    let all = simulated_devices();
    let mut lanes: Vec<Lane> = Vec::new();
    for (tenant, secret) in keys {
        let devices: Vec<DemoDevice> = all.iter().filter(|d| d.tenant == tenant).cloned().collect();
        if devices.is_empty() {
            continue;
        }
        lanes.push(Lane {
            client: IngestClient::new(addr, &tenant, &secret),
            tenant,
            devices,
        });
    }
    if lanes.is_empty() {
        tracing::debug!("demo simulator: no demo tenant among the ingest keys");
        return;
    }
    tracing::info!(
        %addr,
        devices = lanes.iter().map(|l| l.devices.len()).sum::<usize>(),
        "demo simulator started"
    );
    let tz = telemetry::time_zone();
    let mut rng = Rng::new(crate::clock::now().as_nanosecond() as u64);
    let mut warned: HashSet<(String, u16)> = HashSet::new();
    let mut next = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let now = crate::clock::now();
        let now = Timestamp::from_second(now.as_second()).unwrap_or(now);
        let m = Moment::at(now, &tz);
        let elapsed = started.elapsed();
        for lane in &mut lanes {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            send_round(lane, &m, elapsed, &mut rng, stop, &mut warned);
        }
        next += PERIOD;
        let now = Instant::now();
        if next < now {
            // a round took longer than the period: start the next one a period from now
            next = now + PERIOD;
        }
        while !stop.load(Ordering::SeqCst) {
            let left = next.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(SLEEP_STEP));
        }
    }
    tracing::debug!("demo simulator stopped");
}

/// One message per device of a lane. A connection failure ends the round for the lane (the
/// endpoint is not up); refusals are logged once per status, shedding (429, 503) only at debug.
fn send_round(
    lane: &mut Lane,
    m: &Moment,
    elapsed: Duration,
    rng: &mut Rng,
    stop: &AtomicBool,
    warned: &mut HashSet<(String, u16)>,
) {
    let mut sent = 0;
    let mut refused: Option<(u16, String)> = None;
    for device in &lane.devices {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let body = message(device, m, elapsed, rng);
        match lane.client.post(&body) {
            Ok(r) if r.status == 200 || r.status == 202 => sent += 1,
            Ok(r) => {
                refused.get_or_insert((r.status, r.body));
            }
            Err(e) => {
                tracing::debug!(
                    tenant = lane.tenant,
                    "demo simulator: ingest not reachable ({e}); retrying in {}s",
                    PERIOD.as_secs()
                );
                return;
            }
        }
    }
    if let Some((status, body)) = refused {
        let first_time = warned.insert((lane.tenant.clone(), status));
        if matches!(status, 429 | 503) || !first_time {
            tracing::debug!(
                tenant = lane.tenant,
                status,
                sent,
                "demo simulator: readings refused ({body}); retrying next round"
            );
        } else {
            tracing::warn!(
                tenant = lane.tenant,
                status,
                sent,
                "demo simulator: readings refused ({body}); retrying next round"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::telemetry::rules::{RuleState, on_sample, parse_rules_toml};
    use crate::ingest::http::{HttpServer, HttpSettings};
    use crate::ingest::metrics::Metrics;
    use crate::ingest::pipeline::{Pipeline, Settings};
    use jiff::SignedDuration;
    use opsdeck_storage::Tenant;
    use opsdeck_storage::records::device::Device;
    use opsdeck_storage::records::rule::Rule;

    fn rules(tenant: &str) -> Vec<Rule> {
        let (_, file, src) = telemetry::RULES
            .iter()
            .find(|(t, _, _)| *t == tenant)
            .unwrap();
        parse_rules_toml(file, src).unwrap()
    }

    #[test]
    fn the_drift_crosses_8_degrees_and_comes_back() {
        let normal = 4.6;
        let at = |s: u64| drift(Duration::from_secs(s), normal);
        assert_eq!(at(0), normal);
        assert_eq!(at(59), normal);
        // above 8 within about 2 minutes of the start of the drift
        let first_hot = (60..400).step_by(5).find(|s| at(*s) > 8.0).unwrap();
        assert!(first_hot <= 60 + 120, "{first_hot}");
        // 9 to 10 for about 5 minutes
        let hot: Vec<u64> = (60..1260).step_by(5).filter(|s| at(*s) > 9.0).collect();
        assert!(hot.len() * 5 >= 270, "{} s above 9", hot.len() * 5);
        assert!((60..1260).all(|s| at(s) < 10.0));
        // back below 7 within 10 minutes of the start, normal until the next cycle
        assert!(at(60 + 600) < 7.0);
        assert_eq!(at(60 + 900), normal);
        assert!(at(60 + 1200 + 300) > 9.0, "the next cycle drifts again");

        // Through the real rule: raised once per cycle, cleared each time.
        let rule = rules("hospital")
            .into_iter()
            .find(|r| {
                r.applies_to(DRIFT_DEVICE)
                    && r.metric() == Some(DRIFT_METRIC)
                    && r.name.contains('8')
            })
            .unwrap();
        let mut st = RuleState::default();
        let t0: Timestamp = "2026-03-04T12:00:00Z".parse().unwrap();
        let mut transitions = Vec::new();
        for s in (0..2 * 1200 + 60).step_by(5) {
            let ts = t0.checked_add(SignedDuration::from_secs(s as i64)).unwrap();
            if let Some(t) = on_sample(&rule, &mut st, ts, at(s)) {
                transitions.push((s, t.is_raise()));
            }
        }
        let kinds: Vec<bool> = transitions.iter().map(|t| t.1).collect();
        assert_eq!(kinds, [true, false, true, false], "{transitions:?}");
        assert!(
            transitions[0].0 < 60 + 240,
            "raised {} s after the start",
            transitions[0].0
        );
    }

    /// The first simulated 20 minutes at 5 s: the vaccine room raises and clears its alert, no other
    /// device breaks any rule.
    #[test]
    fn only_the_vaccine_room_raises_an_alert() {
        let tz = telemetry::time_zone();
        let mut rng = Rng::new(7);
        let t0: Timestamp = "2026-03-04T17:00:00Z".parse().unwrap();
        let devices = simulated_devices();
        let hospital = rules("hospital");
        let ceramica = rules("ceramica");
        let mut states: std::collections::HashMap<(String, String), RuleState> = Default::default();
        let mut raised: Vec<(String, String)> = Vec::new();
        let mut cleared = 0;
        for s in (0..1200u64).step_by(5) {
            let ts = t0.checked_add(SignedDuration::from_secs(s as i64)).unwrap();
            let m = Moment::at(ts, &tz);
            for d in &devices {
                let body: Value =
                    serde_json::from_slice(&message(d, &m, Duration::from_secs(s), &mut rng))
                        .unwrap();
                assert_eq!(body["ts"], ts.to_string());
                let rules = if d.tenant == "hospital" {
                    &hospital
                } else {
                    &ceramica
                };
                for (metric, v) in body["metrics"].as_object().unwrap() {
                    let v = v.as_f64().unwrap();
                    for r in rules.iter().filter(|r| r.applies_to(&d.id)) {
                        if r.metric().is_some_and(|x| x != metric) {
                            continue;
                        }
                        let st = states.entry((r.name.clone(), d.id.clone())).or_default();
                        match on_sample(r, st, ts, v) {
                            Some(t) if t.is_raise() => raised.push((r.name.clone(), d.id.clone())),
                            Some(_) => cleared += 1,
                            None => {}
                        }
                    }
                }
            }
        }
        assert_eq!(raised.len(), 1, "{raised:?}");
        assert_eq!(raised[0].1, DRIFT_DEVICE);
        assert_eq!(cleared, 1);
    }

    #[test]
    fn posts_signed_readings_and_stops_promptly() {
        let dir = tempfile::tempdir().unwrap();
        let tenant =
            Arc::new(Tenant::open("hospital", &dir.path().join("h.redb"), &[3; 32]).unwrap());
        let pipeline = Pipeline::start(
            vec![tenant.clone()],
            Settings::default(),
            Arc::new(Metrics::default()),
        );
        let secret = "ab".repeat(32);
        let mut server = HttpServer::start(
            HttpSettings {
                bind: "127.0.0.1:0".into(),
                ..HttpSettings::default()
            },
            pipeline.clone(),
            [("hospital".to_string(), secret.clone())].into(),
        )
        .unwrap();
        let sim = Simulator::start(
            server.addr(),
            vec![
                ("hospital".into(), secret),
                ("ceramica".into(), "cd".repeat(32)),
            ],
        );
        let expected = simulated_devices()
            .iter()
            .filter(|d| d.tenant == "hospital")
            .count();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = 0;
        while Instant::now() < deadline {
            let mut devices: Vec<String> = tenant
                .latest_readings()
                .unwrap()
                .into_iter()
                .map(|l| l.device)
                .collect();
            devices.dedup();
            seen = devices.len();
            if seen == expected {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(seen, expected, "devices with a reading");
        let extra = tenant.get::<Device>(EXTRA_DEVICE).unwrap().unwrap().value;
        assert!(!extra.confirmed);
        assert_eq!(extra.unit("room_temp_c"), "°C");
        let stopping = Instant::now();
        sim.stop();
        let took = stopping.elapsed();
        assert!(took < Duration::from_millis(200), "stop took {took:?}");
        server.stop();
        pipeline.stop();
    }

    #[test]
    fn an_endpoint_that_is_not_up_is_retried_without_panicking() {
        // a port nobody listens on (bound, then released)
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let sim = Simulator::start(addr, vec![("hospital".into(), "00".repeat(32))]);
        std::thread::sleep(Duration::from_millis(300));
        let stopping = Instant::now();
        drop(sim);
        assert!(stopping.elapsed() < Duration::from_millis(200));
    }
}
