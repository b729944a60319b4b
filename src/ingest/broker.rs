//! A small embedded MQTT broker (rumqttd) for tests, the benchmark and `opsdeck dev-broker`:
//! one MQTT 3.1.1 listener, no TLS, no authentication. Not for production.
//!
//! Sessions of clients connecting with clean_session=false (subscriptions and unacked
//! messages) survive their reconnects, but only in memory: a restarted broker has forgotten
//! them. A subscription only receives what is published after it was made.

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;

use anyhow::{Context, bail};
use rumqttd::{Broker, Config, ConnectionSettings, RouterConfig, ServerSettings};

/// Largest publish accepted (a batch of readings); the subscriber accepts more than this.
const MAX_PAYLOAD: usize = 2 * 1024 * 1024;

/// The broker's settings: generous buffers, so a benchmark measures ingest, not the broker.
pub fn config(addr: SocketAddr) -> Config {
    let connections = ConnectionSettings {
        connection_timeout_ms: 60_000,
        max_payload_size: MAX_PAYLOAD,
        max_inflight_count: 500,
        auth: None,
        external_auth: None,
        // Publishes to topics nobody subscribed to yet are accepted, not refused.
        dynamic_filters: true,
    };
    let server = ServerSettings {
        name: "v4".into(),
        listen: addr,
        tls: None,
        next_connection_delay_ms: 1,
        connections,
    };
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
        v4: Some(HashMap::from([("1".to_owned(), server)])),
        ..Default::default()
    }
}

/// Runs the broker on `addr` (a fixed port) until the process ends.
pub fn run(addr: SocketAddr) -> anyhow::Result<()> {
    // rumqttd only logs a listener that cannot bind and then returns as if all went well.
    drop(TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?);
    Broker::new(config(addr))
        .start()
        .with_context(|| format!("MQTT broker on {addr}"))?;
    bail!("the MQTT broker's listener on {addr} stopped (see the log)")
}

/// Runs the broker on a background thread (for the benchmark and in-process tests).
pub fn spawn(addr: SocketAddr) -> JoinHandle<anyhow::Result<()>> {
    std::thread::Builder::new()
        .name("mqtt-broker".into())
        .spawn(move || run(addr))
        .expect("spawning the MQTT broker thread")
}
