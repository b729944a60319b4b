//! Ingest counters for `GET /metrics` (Prometheus text format) and the console's ingest line.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the commit latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MqttState {
    Disabled,
    Connecting,
    Connected,
    Disconnected,
}

impl MqttState {
    fn code(self) -> u64 {
        match self {
            MqttState::Disabled => 0,
            MqttState::Connecting => 1,
            MqttState::Connected => 2,
            MqttState::Disconnected => 3,
        }
    }

    fn from_code(c: u64) -> MqttState {
        match c {
            1 => MqttState::Connecting,
            2 => MqttState::Connected,
            3 => MqttState::Disconnected,
            _ => MqttState::Disabled,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MqttState::Disabled => "disabled",
            MqttState::Connecting => "connecting",
            MqttState::Connected => "connected",
            MqttState::Disconnected => "disconnected",
        }
    }
}

#[derive(Debug, Default)]
pub struct Metrics {
    accepted: AtomicU64,
    duplicates: AtomicU64,
    commits: AtomicU64,
    commit_seconds_sum_us: AtomicU64,
    buckets: [AtomicU64; BUCKETS.len()],
    mqtt_state: AtomicU64,
    mqtt_messages: AtomicU64,
    /// reason -> count ("bad_signature", "stale_timestamp", "mqtt_bad_payload", ...)
    rejected: Mutex<BTreeMap<&'static str, u64>>,
    /// Time from a message entering the pipeline to its durable ack, on a fine log scale.
    ack: AckLatency,
}

/// A latency histogram with ~4% wide buckets from 1 us to ~70 s, for quantiles in benchmarks.
#[derive(Debug)]
struct AckLatency {
    buckets: Vec<AtomicU64>,
}

const ACK_BUCKETS: usize = 16 * 27;

impl Default for AckLatency {
    fn default() -> Self {
        AckLatency {
            buckets: (0..ACK_BUCKETS).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl AckLatency {
    fn index(d: Duration) -> usize {
        let us = d.as_micros().max(1) as f64;
        ((us.log2() * 16.0) as usize).min(ACK_BUCKETS - 1)
    }

    fn upper(i: usize) -> Duration {
        Duration::from_micros(2f64.powf((i + 1) as f64 / 16.0) as u64)
    }
}

impl Metrics {
    pub fn accepted(&self, stored: usize, duplicates: usize) {
        self.accepted.fetch_add(stored as u64, Ordering::Relaxed);
        self.duplicates
            .fetch_add(duplicates as u64, Ordering::Relaxed);
    }

    pub fn rejected(&self, reason: &'static str) {
        let mut r = self.rejected.lock().unwrap_or_else(|p| p.into_inner());
        *r.entry(reason).or_default() += 1;
    }

    pub fn commit(&self, took: Duration) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.commit_seconds_sum_us
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// A message's time from entering the pipeline to its durable ack.
    pub fn acked(&self, took: Duration) {
        self.ack.buckets[AckLatency::index(took)].fetch_add(1, Ordering::Relaxed);
    }

    /// The `q` quantile (0..1) of ack latency so far (the upper bound of its bucket), and
    /// forget what was recorded (so each benchmark phase stands alone).
    pub fn take_ack_quantiles(&self, qs: &[f64]) -> Vec<Duration> {
        let counts: Vec<u64> = self
            .ack
            .buckets
            .iter()
            .map(|b| b.swap(0, Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        qs.iter()
            .map(|q| {
                let want = ((total as f64) * q).ceil().max(1.0) as u64;
                let mut seen = 0;
                for (i, c) in counts.iter().enumerate() {
                    seen += c;
                    if seen >= want {
                        return AckLatency::upper(i);
                    }
                }
                Duration::ZERO
            })
            .collect()
    }

    pub fn set_mqtt(&self, state: MqttState) {
        self.mqtt_state.store(state.code(), Ordering::Relaxed);
    }

    pub fn mqtt(&self) -> MqttState {
        MqttState::from_code(self.mqtt_state.load(Ordering::Relaxed))
    }

    pub fn mqtt_message(&self) {
        self.mqtt_messages.fetch_add(1, Ordering::Relaxed);
    }

    pub fn accepted_total(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    pub fn rejected_total(&self) -> u64 {
        let r = self.rejected.lock().unwrap_or_else(|p| p.into_inner());
        r.values().sum()
    }

    pub fn rejected_by(&self, reason: &str) -> u64 {
        let r = self.rejected.lock().unwrap_or_else(|p| p.into_inner());
        r.get(reason).copied().unwrap_or(0)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str("# HELP opsdeck_readings_accepted_total Readings durably stored.\n");
        s.push_str("# TYPE opsdeck_readings_accepted_total counter\n");
        s.push_str(&format!(
            "opsdeck_readings_accepted_total {}\n",
            self.accepted.load(Ordering::Relaxed)
        ));
        s.push_str("# HELP opsdeck_readings_duplicate_total Redelivered readings already stored (kept once).\n");
        s.push_str("# TYPE opsdeck_readings_duplicate_total counter\n");
        s.push_str(&format!(
            "opsdeck_readings_duplicate_total {}\n",
            self.duplicates.load(Ordering::Relaxed)
        ));
        s.push_str("# HELP opsdeck_ingest_rejected_total Messages refused, by reason.\n");
        s.push_str("# TYPE opsdeck_ingest_rejected_total counter\n");
        {
            let r = self.rejected.lock().unwrap_or_else(|p| p.into_inner());
            for (reason, n) in r.iter() {
                s.push_str(&format!(
                    "opsdeck_ingest_rejected_total{{reason=\"{reason}\"}} {n}\n"
                ));
            }
        }
        s.push_str("# HELP opsdeck_commit_seconds Time to durably commit one group of readings.\n");
        s.push_str("# TYPE opsdeck_commit_seconds histogram\n");
        for (i, le) in BUCKETS.iter().enumerate() {
            s.push_str(&format!(
                "opsdeck_commit_seconds_bucket{{le=\"{le}\"}} {}\n",
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.commits.load(Ordering::Relaxed);
        s.push_str(&format!(
            "opsdeck_commit_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        s.push_str(&format!(
            "opsdeck_commit_seconds_sum {}\n",
            self.commit_seconds_sum_us.load(Ordering::Relaxed) as f64 / 1e6
        ));
        s.push_str(&format!("opsdeck_commit_seconds_count {count}\n"));
        s.push_str("# HELP opsdeck_mqtt_connected 1 when the MQTT subscriber is connected.\n");
        s.push_str("# TYPE opsdeck_mqtt_connected gauge\n");
        let state = self.mqtt();
        s.push_str(&format!(
            "opsdeck_mqtt_connected{{state=\"{}\"}} {}\n",
            state.as_str(),
            u8::from(state == MqttState::Connected)
        ));
        s.push_str("# HELP opsdeck_mqtt_messages_total MQTT messages received.\n");
        s.push_str("# TYPE opsdeck_mqtt_messages_total counter\n");
        s.push_str(&format!(
            "opsdeck_mqtt_messages_total {}\n",
            self.mqtt_messages.load(Ordering::Relaxed)
        ));
        s
    }
}
