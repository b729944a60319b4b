//! A small embedded MQTT broker (rumqttd) for tests, the benchmark and `opsdeck dev-broker`:
//! one MQTT 3.1.1 listener, and a TLS one when given a certificate; no authentication. Not for
//! production, and only in a binary built with the `dev-broker` feature (the tests' is).
//!
//! Sessions of clients connecting with clean_session=false (subscriptions and unacked
//! messages) survive their reconnects, but only in memory: a restarted broker has forgotten
//! them. A subscription only receives what is published after it was made.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::thread::JoinHandle;

use anyhow::{Context, bail};
use rumqttd::{Broker, Config, ConnectionSettings, RouterConfig, ServerSettings, TlsConfig};

/// Largest publish accepted (a batch of readings); the subscriber accepts more than this.
const MAX_PAYLOAD: usize = 2 * 1024 * 1024;

/// A TLS listener: where, and the PEM certificate chain and key it presents.
#[derive(Debug, Clone)]
pub struct TlsListener {
    pub listen: SocketAddr,
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn server(name: &str, listen: SocketAddr, tls: Option<TlsConfig>) -> ServerSettings {
    let connections = ConnectionSettings {
        connection_timeout_ms: 60_000,
        max_payload_size: MAX_PAYLOAD,
        max_inflight_count: 500,
        auth: None,
        external_auth: None,
        // Publishes to topics nobody subscribed to yet are accepted, not refused.
        dynamic_filters: true,
    };
    ServerSettings {
        name: name.into(),
        listen,
        tls,
        next_connection_delay_ms: 1,
        connections,
    }
}

/// The broker's settings: generous buffers, so a benchmark measures ingest, not the broker.
pub fn config(addr: SocketAddr, tls: Option<&TlsListener>) -> Config {
    let mut v4 = HashMap::from([("1".to_owned(), server("v4", addr, None))]);
    if let Some(t) = tls {
        let files = TlsConfig::Rustls {
            capath: None,
            certpath: t.cert.display().to_string(),
            keypath: t.key.display().to_string(),
        };
        v4.insert("2".to_owned(), server("v4-tls", t.listen, Some(files)));
    }
    Config {
        id: 0,
        router: RouterConfig {
            max_connections: 10_010,
            max_outgoing_packet_count: 200,
            // Messages kept per topic filter (in memory): up to 16 x 32 MiB.
            max_segment_size: 32 * 1024 * 1024,
            max_segment_count: 16,
            custom_segment: None,
            initialized_filters: None,
            shared_subscriptions_strategy: Default::default(),
        },
        v4: Some(v4),
        ..Default::default()
    }
}

/// Runs the broker on `addr` (a fixed port), and on `tls` too when given, until the process
/// ends.
pub fn run(addr: SocketAddr, tls: Option<TlsListener>) -> anyhow::Result<()> {
    // rumqttd only logs a listener that cannot bind and then returns as if all went well.
    drop(TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?);
    if let Some(t) = &tls {
        drop(
            TcpListener::bind(t.listen)
                .with_context(|| format!("cannot listen on {}", t.listen))?,
        );
        for f in [&t.cert, &t.key] {
            if !f.is_file() {
                bail!("{}: no such file", f.display());
            }
        }
    }
    Broker::new(config(addr, tls.as_ref()))
        .start()
        .with_context(|| format!("MQTT broker on {addr}"))?;
    bail!("the MQTT broker's listener on {addr} stopped (see the log)")
}

/// Runs the broker on a background thread (for the benchmark and in-process tests).
pub fn spawn(addr: SocketAddr) -> JoinHandle<anyhow::Result<()>> {
    std::thread::Builder::new()
        .name("mqtt-broker".into())
        .spawn(move || run(addr, None))
        .expect("spawning the MQTT broker thread")
}
