//! `opsdeck bench ingest`: throughput and latency of the real ingest path, next to the raw speed
//! of the storage, on this machine. Figures, not pass/fail: goals belong in the closing notes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::{Reading, raw_insert_baseline};

use crate::ingest::client::IngestClient;
use crate::ingest::http::{HttpServer, HttpSettings};
use crate::ingest::metrics::Metrics;
use crate::ingest::metrics::MqttState;
use crate::ingest::mqtt::{MqttSettings, MqttSubscriber};
use crate::ingest::pipeline::{Pipeline, Settings};

#[derive(Debug, Subcommand)]
pub enum BenchCmd {
    /// Readings/s and ack latency over HTTP (and MQTT), against the storage alone
    Ingest(IngestArgs),
    /// How fast the Work-orders pane loads with a year of extra history
    Cmms(super::bench_cmms::CmmsArgs),
    /// Pane loads of many consoles through the site service's socket vs. on the files, while
    /// ingest runs at full rate
    Socket(super::bench_socket::SocketArgs),
    /// The Ledger pane's grid over 100,000 entries, and the consumer's posting throughput
    Ledger(super::bench_ledger::LedgerArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Seconds each load phase runs
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Concurrent keep-alive clients for single-reading requests
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Concurrent clients for batches of 100
    #[arg(long, default_value_t = 16)]
    pub batch_clients: usize,
    /// Where the scratch databases go [default: the system temp dir]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// The MQTT broker to measure through, e.g. 127.0.0.1:1883 (a local mosquitto) [default:
    /// the embedded one, in a build with --features dev-broker]
    #[arg(long, value_name = "HOST:PORT")]
    pub broker: Option<std::net::SocketAddr>,
}

const TENANT: &str = "bench";
const SECRET: &str = "bench-secret";

pub fn run(c: &BenchCmd) -> Result<()> {
    match c {
        BenchCmd::Ingest(a) => ingest(a),
        BenchCmd::Cmms(a) => super::bench_cmms::run(a),
        BenchCmd::Socket(a) => super::bench_socket::run(a),
        BenchCmd::Ledger(a) => super::bench_ledger::run(a),
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn readings(n: usize, devices: usize) -> Vec<Reading> {
    let base = crate::clock::now() - SignedDuration::from_hours(2);
    (0..n)
        .map(|i| Reading {
            device: format!("BENCH-{:03}", i % devices),
            metric: "temp_c".into(),
            ts: base + SignedDuration::from_millis((i / devices) as i64),
            value: 20.0 + (i % 97) as f64 / 10.0,
        })
        .collect()
}

fn ingest(a: &IngestArgs) -> Result<()> {
    let root = a.dir.clone().unwrap_or_else(std::env::temp_dir);
    let scratch = Scratch(root.join(format!("opsdeck-bench-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)
        .with_context(|| format!("creating {}", scratch.0.display()))?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "opsdeck bench ingest · {cores} cores · {} s per phase · scratch {}",
        a.seconds,
        scratch.0.display()
    );
    println!();

    // 1. The storage alone.
    let n = 200_000;
    let sample = readings(n, 100);
    let took = raw_insert_baseline(&scratch.0.join("raw.redb"), &sample, 1000)?;
    let raw = n as f64 / took.as_secs_f64();
    println!(
        "storage alone   redb insert, 1,000 readings/commit     {:>10.0} readings/s",
        raw
    );
    let t = Tenant::open(TENANT, &scratch.0.join("rollups.redb"), &[7; 32])?;
    let started = Instant::now();
    for chunk in sample.chunks(1000) {
        t.write("bench", |tx| tx.append_readings(chunk))?;
    }
    let with_rollups = n as f64 / started.elapsed().as_secs_f64();
    println!(
        "storage + rollups, latest, outbox, 1,000/commit        {:>10.0} readings/s",
        with_rollups
    );
    drop(t);
    println!();

    // 2. The real HTTP endpoint.
    let tenant = Arc::new(Tenant::open(
        TENANT,
        &scratch.0.join("http.redb"),
        &[7; 32],
    )?);
    let metrics = Arc::new(Metrics::default());
    let pipeline = Pipeline::start(
        vec![tenant.clone()],
        Settings {
            queue: 16_384,
            ..Settings::default()
        },
        metrics.clone(),
    );
    let server = HttpServer::start(
        HttpSettings {
            bind: "127.0.0.1:0".into(),
            max_connections: 1024,
            ..HttpSettings::default()
        },
        pipeline.clone(),
        [(TENANT.to_owned(), SECRET.to_owned())].into(),
    )?;
    let single = load(
        server.addr(),
        a.clients,
        1,
        Duration::from_secs(a.seconds),
        0,
    )?;
    single.print("HTTP  1 reading/request", raw);
    let batch = load(
        server.addr(),
        a.batch_clients,
        100,
        Duration::from_secs(a.seconds),
        1_000_000,
    )?;
    batch.print("HTTP  100 readings/request", raw);
    let commits = metrics.render();
    let stored = tenant.raw_reading_count()?;
    println!();
    println!(
        "stored {} readings; every acknowledged one is in redb: {}",
        stored,
        stored >= single.readings + batch.readings
    );
    if let Some(line) = commits
        .lines()
        .find(|l| l.starts_with("opsdeck_commit_seconds_count"))
    {
        let count: f64 = line
            .rsplit(' ')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        if count > 0.0 {
            println!(
                "group commit: {:.0} commits, {:.1} readings per commit on average",
                count,
                stored as f64 / count
            );
        }
    }
    drop(server);
    pipeline.stop();
    println!();

    // 3. MQTT QoS 1 through a broker (the embedded rumqttd, or --broker) into the same pipeline.
    mqtt(a, &scratch.0, raw)?;
    Ok(())
}

/// A JSON array of `n` readings of `device`, one millisecond apart from `base + seq` (so every
/// point is new), into `body` (cleared first).
fn batch_body(body: &mut String, device: &str, base: Timestamp, seq: &mut i64, n: usize) {
    body.clear();
    body.push('[');
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        let ts = base + SignedDuration::from_millis(*seq);
        *seq += 1;
        body.push_str(&format!(
            r#"{{"device":"{device}","ts":"{ts}","metrics":{{"temp_c":{}}}}}"#,
            20 + *seq % 7
        ));
    }
    body.push(']');
}

/// The embedded broker on a free port, when this build has it.
#[cfg(feature = "dev-broker")]
fn embedded_broker() -> Result<Option<std::net::SocketAddr>> {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    // It runs until the process ends, like the benchmark's other scratch.
    drop(crate::ingest::broker::spawn(addr));
    Ok(Some(addr))
}

#[cfg(not(feature = "dev-broker"))]
fn embedded_broker() -> Result<Option<std::net::SocketAddr>> {
    Ok(None)
}

fn mqtt(a: &IngestArgs, dir: &std::path::Path, raw: f64) -> Result<()> {
    use rumqttc::{Client, MqttOptions, QoS};

    let addr = match a.broker {
        Some(addr) => addr,
        None => match embedded_broker()? {
            Some(addr) => addr,
            None => {
                println!(
                    "MQTT: skipped; give a broker (--broker 127.0.0.1:1883, e.g. a local \
                     mosquitto) or build with --features dev-broker for the embedded one"
                );
                return Ok(());
            }
        },
    };
    let tenant = Arc::new(Tenant::open(TENANT, &dir.join("mqtt.redb"), &[7; 32])?);
    let metrics = Arc::new(Metrics::default());
    let pipeline = Pipeline::start(
        vec![tenant.clone()],
        Settings {
            queue: 16_384,
            ..Settings::default()
        },
        metrics.clone(),
    );
    let subscriber = MqttSubscriber::start(
        MqttSettings {
            url: format!("mqtt://{addr}"),
            username: String::new(),
            password: String::new(),
            tls: false,
            ca_file: None,
            client_id: "opsdeck-bench".into(),
            tenants: vec![TENANT.into()],
        },
        pipeline.clone(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while metrics.mqtt() != MqttState::Connected {
        if Instant::now() > deadline {
            anyhow::bail!("the bench subscriber did not connect to the broker at {addr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // The subscription is made right after the connection; give the broker a moment.
    std::thread::sleep(Duration::from_millis(300));

    let mut options = MqttOptions::new(
        "opsdeck-bench-publisher",
        addr.ip().to_string(),
        addr.port(),
    );
    options.set_keep_alive(Duration::from_secs(30));
    options.set_max_packet_size(4 * 1024 * 1024, 4 * 1024 * 1024);
    options.set_inflight(500);
    let (client, mut connection) = Client::new(options, 1000);
    let poller = std::thread::spawn(move || {
        for event in connection.iter() {
            if event.is_err() {
                break;
            }
        }
    });
    let mut expected = 0u64;
    for (what, per_message, offset) in [
        ("MQTT  1 reading/message", 1usize, 0usize),
        ("MQTT  100 readings/message", 100, 500_000),
    ] {
        let base = crate::clock::now() - SignedDuration::from_hours(1);
        let before = tenant.raw_reading_count()?;
        let started = Instant::now();
        let until = started + Duration::from_secs(a.seconds);
        let mut seq: i64 = 0;
        let mut sent = 0u64;
        let devices = 64usize;
        while Instant::now() < until {
            let device = format!("MQ-{:05}", offset + (sent as usize % devices));
            let mut body = String::new();
            batch_body(&mut body, &device, base, &mut seq, per_message);
            let topic = format!("opsdeck/{TENANT}/devices/{device}/telemetry");
            client
                .publish(topic, QoS::AtLeastOnce, false, body.into_bytes())
                .context("publishing to the broker")?;
            sent += 1;
            // Closed loop: at most `window` messages ahead of what is stored, as devices
            // waiting for their PUBACK would be; an unpaced publisher only fills the broker.
            let window = (4_000 / per_message as u64).max(32);
            if sent.is_multiple_of(16) {
                while before + (sent.saturating_sub(window)) * per_message as u64
                    > tenant.raw_reading_count()?
                {
                    std::thread::sleep(Duration::from_micros(200));
                }
            }
        }
        expected += sent * per_message as u64;
        let want = before + sent * per_message as u64;
        let wait_until = Instant::now() + Duration::from_secs(120);
        let mut stored = tenant.raw_reading_count()?;
        while stored < want && Instant::now() < wait_until {
            std::thread::sleep(Duration::from_millis(20));
            stored = tenant.raw_reading_count()?;
        }
        let elapsed = started.elapsed();
        let q = metrics.take_ack_quantiles(&[0.5, 0.99]);
        let rps = (stored - before) as f64 / elapsed.as_secs_f64();
        println!(
            "{what:<28} {:>8.0} msg/s {:>10.0} readings/s  p50 {:>6.2} ms  p99 {:>6.2} ms  lost {}  end-to-end/raw {:.2}",
            sent as f64 / elapsed.as_secs_f64(),
            rps,
            q[0].as_secs_f64() * 1e3,
            q[1].as_secs_f64() * 1e3,
            want.saturating_sub(stored),
            rps / raw
        );
    }
    println!(
        "MQTT latency: from the subscriber receiving a message to its durable commit (the PUBACK \
         to the broker follows it); {expected} readings published in all"
    );
    let _ = client.disconnect();
    let _ = poller.join();
    subscriber.stop();
    pipeline.stop();
    Ok(())
}

struct Load {
    readings: u64,
    requests: u64,
    errors: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Load {
    fn pct(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }

    fn print(&self, what: &str, raw: f64) {
        let rps = self.readings as f64 / self.elapsed.as_secs_f64();
        println!(
            "{what:<28} {:>8.0} req/s {:>10.0} readings/s  p50 {:>6.2} ms  p99 {:>6.2} ms  errors {}  end-to-end/raw {:.2}",
            self.requests as f64 / self.elapsed.as_secs_f64(),
            rps,
            self.pct(0.50).as_secs_f64() * 1e3,
            self.pct(0.99).as_secs_f64() * 1e3,
            self.errors,
            rps / raw
        );
    }
}

/// `clients` threads posting signed messages of `per_request` readings for `time`.
fn load(
    addr: std::net::SocketAddr,
    clients: usize,
    per_request: usize,
    time: Duration,
    device_offset: usize,
) -> Result<Load> {
    let deadline = Instant::now() + time;
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            std::thread::spawn(move || {
                let mut client = IngestClient::new(addr, TENANT, SECRET);
                let device = format!("LOAD-{:05}", c + device_offset);
                let base = crate::clock::now() - SignedDuration::from_hours(1);
                let mut seq: i64 = 0;
                let (mut ok, mut errors, mut readings) = (0u64, 0u64, 0u64);
                let mut lat = Vec::new();
                let mut body = String::new();
                while Instant::now() < deadline {
                    batch_body(&mut body, &device, base, &mut seq, per_request);
                    let t0 = Instant::now();
                    match client.post(body.as_bytes()) {
                        Ok(r) if r.status == 200 => {
                            ok += 1;
                            readings += per_request as u64;
                            lat.push(t0.elapsed());
                        }
                        _ => errors += 1,
                    }
                }
                (ok, errors, readings, lat)
            })
        })
        .collect();
    let mut out = Load {
        readings: 0,
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for h in handles {
        let (ok, errors, readings, lat) = h
            .join()
            .map_err(|_| anyhow::anyhow!("a load thread panicked"))?;
        out.requests += ok;
        out.errors += errors;
        out.readings += readings;
        out.latencies.extend(lat);
    }
    out.elapsed = started.elapsed();
    out.latencies.sort();
    Ok(out)
}
