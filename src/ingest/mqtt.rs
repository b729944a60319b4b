//! MQTT ingest: a persistent QoS 1 subscription to `opsdeck/<tenant>/devices/+/telemetry`
//! feeding the shared pipeline, at least once into redb.
//!
//! Two threads, because rumqttc's event loop must be polled all the time and only that polling
//! drains its request channel (sending a request from the polling thread can deadlock):
//! - the poller drives the connection: it hands each publish to the acker, waits a growing
//!   backoff between failed connection attempts (rumqttc itself retries at once) and keeps
//!   `Metrics::mqtt` up to date (Connected once the subscriptions are in place);
//! - the acker parses and submits to the pipeline (retrying while the pipeline is busy) and
//!   sends the acks. A message is acked only once its readings are committed, and in arrival
//!   order (brokers expect QoS 1 acks in order; rumqttd drops the connection otherwise), so it
//!   keeps the messages in a queue and acks its committed prefix.
//!
//! A message not acked when the connection drops is redelivered by the broker; a redelivered
//! reading (same device, metric and time) is stored once, so at-least-once delivery stores
//! every reading exactly once. Bad messages are counted, logged and acked, so one broken device
//! cannot hold up the queue.

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, select, unbounded};
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::readings::Reading;
use rumqttc::{
    Client, Connection, Event, MqttOptions, Outgoing, Packet, Publish, QoS, SubscribeFilter,
    SubscribeReasonCode, TlsConfiguration, Transport,
};

use super::metrics::{Metrics, MqttState};
use super::payload;
use super::pipeline::{Job, Outcome, Pipeline, Refused};
use serde::Deserialize;

/// How far ahead of the server clock a reading may be (as the HTTP timestamp window).
const MAX_AHEAD: SignedDuration = SignedDuration::from_secs(300);
/// Well above HTTP ingest's default body limit (1 MiB): rumqttc drops the connection on a larger
/// packet, and the broker would redeliver it forever.
const MAX_INCOMING_PACKET: usize = 4 * 1024 * 1024;
const MAX_OUTGOING_PACKET: usize = 64 * 1024;
const KEEP_ALIVE: Duration = Duration::from_secs(30);
/// Requests (acks, subscribes) waiting for the poller.
const REQUEST_CAPACITY: usize = 1024;
const BACKOFF_MIN: Duration = Duration::from_millis(200);
const BACKOFF_MAX: Duration = Duration::from_secs(10);
/// Wait before retrying when the pipeline queue or the request channel is full.
const RETRY_SOON: Duration = Duration::from_millis(20);
/// Wait before resubmitting a message whose commit failed.
const RETRY_FAILED: Duration = Duration::from_secs(1);
/// How long `stop` waits for commits in progress, to ack them rather than have them redelivered.
const DRAIN: Duration = Duration::from_secs(2);
/// How long `stop` waits for the broker to close the connection after our DISCONNECT.
const CLOSE_WAIT: Duration = Duration::from_secs(1);
/// How long `stop` waits for the poller (it may be in the middle of a connection attempt).
const STOP_WAIT: Duration = Duration::from_secs(3);

/// The site's `[mqtt]` section as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MqttConfig {
    pub url: String,
    #[serde(default)]
    pub username: String,
    /// Name of the entry in secrets.toml [passwords].
    #[serde(default)]
    pub password_secret: String,
    #[serde(default)]
    pub tls: bool,
    /// PEM file of the CA that signed the broker's certificate; empty: the system roots.
    #[serde(default)]
    pub ca_file: String,
    /// Stable client id for the persistent session; empty: "opsdeck-<site name>".
    #[serde(default)]
    pub client_id: String,
}

/// Where and how to subscribe.
#[derive(Clone)]
pub struct MqttSettings {
    /// `mqtt://host[:port]` or `mqtts://host[:port]` (`tcp://` and `ssl://` too).
    pub url: String,
    /// Empty: connect without credentials.
    pub username: String,
    pub password: String,
    /// TLS even with an `mqtt://` URL (an `mqtts://` URL always uses TLS).
    pub tls: bool,
    /// PEM CA certificates to trust; None: the system roots.
    pub ca_file: Option<PathBuf>,
    /// Stable, so the broker keeps the session (and queues messages) across reconnects.
    pub client_id: String,
    /// Tenants to subscribe for; messages for any other tenant are refused.
    pub tenants: Vec<String>,
}

impl fmt::Debug for MqttSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MqttSettings")
            .field("url", &self.url)
            .field("username", &self.username)
            .field(
                "password",
                &if self.password.is_empty() {
                    "(unset)"
                } else {
                    "(set)"
                },
            )
            .field("tls", &self.tls)
            .field("ca_file", &self.ca_file)
            .field("client_id", &self.client_id)
            .field("tenants", &self.tenants)
            .finish()
    }
}

/// The broker address and transport taken from the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    host: String,
    port: u16,
    tls: bool,
}

impl MqttSettings {
    /// Settings from the site's `[mqtt]` section and the password its `password_secret` names
    /// (the site reads its secrets); errors name the key at fault.
    pub fn from_config(
        cfg: &MqttConfig,
        password: String,
        site_name: &str,
        tenants: Vec<String>,
    ) -> anyhow::Result<MqttSettings> {
        if !password.is_empty() && cfg.username.is_empty() {
            bail!(
                "[mqtt] password_secret is set but username is empty \
                 (MQTT sends a password only with a user name)"
            );
        }
        let client_id = match cfg.client_id.trim() {
            "" => default_client_id(site_name),
            id => id.to_owned(),
        };
        if let Err(why) = valid_client_id(&client_id) {
            bail!("[mqtt] client_id = {client_id:?}: {why}");
        }
        let ca_file = Some(cfg.ca_file.trim())
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        let settings = MqttSettings {
            url: cfg.url.trim().to_owned(),
            username: cfg.username.clone(),
            password,
            tls: cfg.tls,
            ca_file,
            client_id,
            tenants,
        };
        let endpoint = settings
            .endpoint()
            .map_err(|why| anyhow!("[mqtt] url = {:?}: {why}", cfg.url))?;
        // A bad CA file is a config error now, not a log line at every reconnect.
        if endpoint.tls {
            tls_config(settings.ca_file.as_deref()).map_err(|e| match &settings.ca_file {
                Some(p) => anyhow!("[mqtt] ca_file = {:?}: {e:#}", p.display().to_string()),
                None => anyhow!("[mqtt] tls: {e:#}"),
            })?;
        }
        Ok(settings)
    }

    /// The topic filters subscribed to, one per tenant.
    pub fn topics(&self) -> Vec<String> {
        self.tenants
            .iter()
            .map(|t| format!("opsdeck/{t}/devices/+/telemetry"))
            .collect()
    }

    fn endpoint(&self) -> Result<Endpoint, String> {
        let mut e = parse_url(&self.url)?;
        e.tls |= self.tls;
        Ok(e)
    }

    fn options(&self) -> anyhow::Result<MqttOptions> {
        let endpoint = self
            .endpoint()
            .map_err(|why| anyhow!("url {:?}: {why}", self.url))?;
        valid_client_id(&self.client_id)
            .map_err(|why| anyhow!("client id {:?}: {why}", self.client_id))?;
        if self.tenants.is_empty() {
            bail!("no tenants to subscribe for");
        }
        if let Some(t) = self
            .tenants
            .iter()
            .find(|t| t.is_empty() || t.contains(['+', '#', '/']))
        {
            bail!("tenant {t:?} cannot be part of a topic");
        }
        let mut o = MqttOptions::new(self.client_id.clone(), endpoint.host, endpoint.port);
        o.set_clean_session(false)
            .set_manual_acks(true)
            .set_keep_alive(KEEP_ALIVE)
            .set_max_packet_size(MAX_INCOMING_PACKET, MAX_OUTGOING_PACKET);
        if !self.username.is_empty() {
            o.set_credentials(self.username.clone(), self.password.clone());
        }
        if endpoint.tls {
            o.set_transport(Transport::tls_with_config(tls_config(
                self.ca_file.as_deref(),
            )?));
        }
        Ok(o)
    }
}

/// `opsdeck-<site name>`, with anything a broker might refuse in a client id replaced.
fn default_client_id(site_name: &str) -> String {
    let name: String = site_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("opsdeck-{name}")
}

fn valid_client_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        Err("must not be empty (a persistent session needs a stable id)")
    } else if id.len() > 256 {
        Err("too long (at most 256 bytes)")
    } else if id
        .chars()
        .any(|c| c.is_control() || matches!(c, '+' | '#' | '/'))
    {
        Err("must not contain control characters, '+', '#' or '/'")
    } else {
        Ok(())
    }
}

fn parse_url(url: &str) -> Result<Endpoint, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or("expected mqtt://host:port or mqtts://host:port")?;
    let (tls, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "mqtt" | "tcp" => (false, 1883),
        "mqtts" | "ssl" => (true, 8883),
        other => {
            return Err(format!(
                "unsupported scheme '{other}' (use mqtt:// or mqtts://)"
            ));
        }
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@']) {
        return Err(
            "only host and port belong in the URL (credentials go in username and password_secret)"
                .into(),
        );
    }
    // `[v6 address]:port` keeps its brackets: rumqttc joins host and port with a colon.
    let (host, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']').ok_or("unclosed '[' in the host")?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or("expected ':port' after ']'")?),
            };
            (format!("[{addr}]"), port)
        }
        None => match rest.split_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (rest.to_owned(), None),
        },
    };
    if host.is_empty() || host == "[]" {
        return Err("no host".into());
    }
    let port = match port {
        None => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("'{p}' is not a port number")),
        },
    };
    Ok(Endpoint { host, port, tls })
}

/// rustls with the ring provider, trusting the CA file or else the system roots.
fn tls_config(ca_file: Option<&Path>) -> anyhow::Result<TlsConfiguration> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .with_context(|| format!("reading {}", path.display()))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                bail!("{}: no usable PEM certificate in it", path.display());
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() {
                bail!("no system CA certificates found; set ca_file to the broker's CA (PEM)");
            }
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(TlsConfiguration::Rustls(Arc::new(config)))
}

/// The running subscriber; stops on `stop` or drop.
pub struct MqttSubscriber {
    /// The poller stops retrying; `abandon`: it stops at its next event, even connected.
    stopping: Arc<AtomicBool>,
    abandon: Arc<AtomicBool>,
    /// Dropped to wake both threads from their waits.
    stop_tx: Option<Sender<()>>,
    client: Option<Client>,
    acker: Option<JoinHandle<()>>,
    /// The poller, and a channel that disconnects when it has returned.
    poller: Option<(JoinHandle<()>, Receiver<()>)>,
}

impl MqttSubscriber {
    /// Connects in the background and keeps reconnecting; progress shows in `Metrics::mqtt`.
    /// Settings that cannot work (a bad URL or CA file) are logged and leave it disconnected.
    pub fn start(settings: MqttSettings, pipeline: Arc<Pipeline>) -> MqttSubscriber {
        let metrics = pipeline.metrics.clone();
        let options = match settings.options() {
            Ok(o) => o,
            Err(e) => {
                tracing::error!("mqtt: {e:#}; the MQTT subscriber is not running");
                metrics.set_mqtt(MqttState::Disconnected);
                return MqttSubscriber {
                    stopping: Arc::new(AtomicBool::new(true)),
                    abandon: Arc::new(AtomicBool::new(true)),
                    stop_tx: None,
                    client: None,
                    acker: None,
                    poller: None,
                };
            }
        };
        let (host, port) = options.broker_address();
        metrics.set_mqtt(MqttState::Connecting);
        let (client, connection) = Client::new(options, REQUEST_CAPACITY);
        let (cmd_tx, cmd_rx) = unbounded();
        let (stop_tx, stop_rx) = bounded::<()>(0);
        let (exited_tx, exited_rx) = bounded::<()>(0);
        let stopping = Arc::new(AtomicBool::new(false));
        let abandon = Arc::new(AtomicBool::new(false));
        let epoch = Arc::new(AtomicU64::new(0));

        let filters = settings
            .topics()
            .into_iter()
            .map(|t| SubscribeFilter::new(t, QoS::AtLeastOnce))
            .collect();
        let acker = Acker {
            pipeline,
            client: client.clone(),
            tenants: settings.tenants,
            filters,
            epoch: epoch.clone(),
            cmds: cmd_tx.clone(),
            queue: VecDeque::new(),
            waiting: VecDeque::new(),
            next_seq: 0,
            want_subscribe: false,
            pause: None,
        };
        let poller = Poller {
            connection,
            metrics,
            acker: cmd_tx,
            epoch,
            stopping: stopping.clone(),
            abandon: abandon.clone(),
            stop: stop_rx.clone(),
            broker: format!("{host}:{port}"),
            _exited: exited_tx,
        };
        let acker = std::thread::Builder::new()
            .name("mqtt-ack".into())
            .spawn(move || acker.run(cmd_rx, stop_rx))
            .expect("spawning the MQTT ack thread");
        let poller = std::thread::Builder::new()
            .name("mqtt-poll".into())
            .spawn(move || poller.run())
            .expect("spawning the MQTT connection thread");
        MqttSubscriber {
            stopping,
            abandon,
            stop_tx: Some(stop_tx),
            client: Some(client),
            acker: Some(acker),
            poller: Some((poller, exited_rx)),
        }
    }

    /// Disconnects; messages not yet acked are redelivered by the broker next time.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes both threads: the acker acks what gets committed soon and returns.
        drop(self.stop_tx.take());
        if let Some(acker) = self.acker.take() {
            let _ = acker.join();
        }
        if let Some(client) = self.client.take() {
            // Queued behind the last acks, so they reach the broker first; the poller ends
            // once it has sent it. The session (and what is unacked) stays on the broker.
            if client.try_disconnect().is_err() {
                self.abandon.store(true, Ordering::SeqCst);
            }
        }
        if let Some((poller, exited)) = self.poller.take() {
            match exited.recv_timeout(STOP_WAIT) {
                Err(RecvTimeoutError::Timeout) => {
                    // Blocked in a connection attempt; it returns when that times out.
                    tracing::warn!(
                        "mqtt: the connection thread is still connecting; not waiting for it"
                    );
                }
                _ => {
                    let _ = poller.join();
                }
            }
        }
    }
}

impl Drop for MqttSubscriber {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// From the poller (and the pipeline's commit callbacks) to the acker.
enum Cmd {
    Publish {
        epoch: u64,
        publish: Publish,
    },
    /// A new session without our subscriptions.
    Subscribe,
    Committed {
        seq: u64,
        stored: bool,
    },
}

struct Poller {
    connection: Connection,
    metrics: Arc<Metrics>,
    acker: Sender<Cmd>,
    /// Bumped when a connection is lost: acks for its messages must not reach the next one.
    epoch: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
    abandon: Arc<AtomicBool>,
    stop: Receiver<()>,
    broker: String,
    _exited: Sender<()>,
}

impl Poller {
    fn run(mut self) {
        let mut backoff = BACKOFF_MIN;
        let mut last_error = String::new();
        while !self.abandon.load(Ordering::SeqCst) {
            match self.connection.recv() {
                // every client handle is gone
                Err(_) => break,
                // only `stop` sends one
                Ok(Ok(Event::Outgoing(Outgoing::Disconnect))) => {
                    self.wait_for_close();
                    break;
                }
                Ok(Ok(event)) => {
                    if self.on_event(event) {
                        backoff = BACKOFF_MIN;
                        last_error.clear();
                    }
                }
                Ok(Err(e)) => {
                    self.epoch.fetch_add(1, Ordering::SeqCst);
                    self.metrics.set_mqtt(MqttState::Disconnected);
                    if self.stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let error = e.to_string();
                    // The first failure (or a new kind of failure) is worth a warning, not
                    // every retry of the same one.
                    if error != last_error {
                        tracing::warn!(
                            broker = %self.broker,
                            "mqtt: {error}; retrying in {} ms",
                            backoff.as_millis()
                        );
                        last_error = error;
                    } else {
                        tracing::debug!(broker = %self.broker, "mqtt: {error}");
                    }
                    if !matches!(
                        self.stop.recv_timeout(backoff),
                        Err(RecvTimeoutError::Timeout)
                    ) {
                        break;
                    }
                    backoff = (backoff * 2).min(BACKOFF_MAX);
                    self.metrics.set_mqtt(MqttState::Connecting);
                }
            }
        }
        self.metrics.set_mqtt(MqttState::Disconnected);
    }

    /// The broker closes the connection once it has read our DISCONNECT, so everything sent
    /// before it (the last acks) has been processed too. Returning earlier, a quick restart
    /// with the same client id could take the session over while those acks sit unread in the
    /// old connection, which the broker then drops (seen with mosquitto).
    fn wait_for_close(&mut self) {
        let deadline = Instant::now() + CLOSE_WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            // Cancelling a poll on timeout is harmless here: the connection is done.
            match self.connection.recv_timeout(left) {
                // e.g. a publish that crossed our DISCONNECT: not acked, so redelivered later
                Ok(Ok(_)) => {}
                _ => return,
            }
        }
    }

    /// Handles one event; true when a connection was just established.
    fn on_event(&mut self, event: Event) -> bool {
        let Event::Incoming(packet) = event else {
            return false;
        };
        match packet {
            Packet::ConnAck(ack) => {
                tracing::info!(
                    broker = %self.broker,
                    session_present = ack.session_present,
                    "mqtt: connected"
                );
                if ack.session_present {
                    self.metrics.set_mqtt(MqttState::Connected);
                } else {
                    // Connected once the broker confirms the subscriptions.
                    let _ = self.acker.send(Cmd::Subscribe);
                }
                return true;
            }
            Packet::Publish(publish) => {
                self.metrics.mqtt_message();
                let epoch = self.epoch.load(Ordering::SeqCst);
                let _ = self.acker.send(Cmd::Publish { epoch, publish });
            }
            Packet::SubAck(ack) => {
                if ack
                    .return_codes
                    .iter()
                    .any(|c| matches!(c, SubscribeReasonCode::Failure))
                {
                    tracing::error!(
                        broker = %self.broker,
                        "mqtt: the broker refused a telemetry subscription \
                         (check its ACL for this user)"
                    );
                }
                self.metrics.set_mqtt(MqttState::Connected);
            }
            _ => {}
        }
        false
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not (or no longer) in the pipeline: submit it.
    Waiting,
    Submitted,
    /// Committed or refused for good: ack it when its turn comes.
    Done,
}

struct Entry {
    seq: u64,
    epoch: u64,
    publish: Publish,
    state: State,
}

/// Why a message is refused: a metrics reason and a detail for the log.
#[derive(Debug, Clone, PartialEq)]
struct Rejection {
    reason: &'static str,
    detail: String,
}

impl Rejection {
    fn new(reason: &'static str, detail: impl Into<String>) -> Rejection {
        Rejection {
            reason,
            detail: detail.into(),
        }
    }
}

enum Submitted {
    Queued,
    Refused(Rejection),
    /// Busy or stopping: try again later.
    Later,
}

struct Acker {
    pipeline: Arc<Pipeline>,
    client: Client,
    tenants: Vec<String>,
    filters: Vec<SubscribeFilter>,
    epoch: Arc<AtomicU64>,
    /// Cloned into the pipeline's commit callbacks.
    cmds: Sender<Cmd>,
    /// Messages in arrival order, until acked; `seq` is contiguous from the front.
    queue: VecDeque<Entry>,
    /// Seqs to submit, in order.
    waiting: VecDeque<u64>,
    next_seq: u64,
    want_subscribe: bool,
    pause: Option<Pause>,
}

/// Why submitting waits, and until when.
#[derive(Debug, Clone, Copy)]
enum Pause {
    /// The pipeline queue was full; a commit makes room sooner.
    Busy(Instant),
    /// A commit failed (the disk?): give it a moment.
    Failed(Instant),
}

impl Acker {
    fn run(mut self, cmds: Receiver<Cmd>, stop: Receiver<()>) {
        let mut again: Option<Instant> = None;
        loop {
            let timer = again.map_or_else(crossbeam_channel::never, crossbeam_channel::at);
            select! {
                recv(cmds) -> cmd => match cmd {
                    Ok(cmd) => self.handle(cmd),
                    Err(_) => return,
                },
                recv(stop) -> _ => return self.drain(&cmds),
                recv(timer) -> _ => {}
            }
            // Take everything already queued before the (linear) pass over the queue.
            for cmd in cmds.try_iter() {
                self.handle(cmd);
            }
            again = self.pump();
        }
    }

    /// On stop: submits nothing more, but acks what the pipeline commits within DRAIN.
    fn drain(&mut self, cmds: &Receiver<Cmd>) {
        let deadline = Instant::now() + DRAIN;
        loop {
            self.ack_committed_prefix();
            // Only commits ahead of the first unsubmitted message can still be acked.
            let pending = self
                .queue
                .iter()
                .take_while(|e| e.state != State::Waiting)
                .any(|e| e.state == State::Submitted);
            if !pending {
                return;
            }
            match cmds.recv_deadline(deadline) {
                Ok(cmd) => self.handle(cmd),
                Err(_) => return,
            }
        }
    }

    fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Publish { epoch, publish } => {
                let seq = self.next_seq;
                self.next_seq += 1;
                self.queue.push_back(Entry {
                    seq,
                    epoch,
                    publish,
                    state: State::Waiting,
                });
                self.waiting.push_back(seq);
            }
            Cmd::Subscribe => self.want_subscribe = true,
            Cmd::Committed { seq, stored } => {
                let Some(i) = self.index(seq) else { return };
                let entry = &mut self.queue[i];
                if stored {
                    entry.state = State::Done;
                    if matches!(self.pause, Some(Pause::Busy(_))) {
                        self.pause = None;
                    }
                } else {
                    // Not acked, so not lost: the pipeline logged why; submit it again soon.
                    entry.state = State::Waiting;
                    self.waiting.push_back(seq);
                    self.pause = Some(Pause::Failed(Instant::now() + RETRY_FAILED));
                }
            }
        }
    }

    fn index(&self, seq: u64) -> Option<usize> {
        let front = self.queue.front()?.seq;
        let i = usize::try_from(seq.checked_sub(front)?).ok()?;
        (i < self.queue.len()).then_some(i)
    }

    /// Does what can be done now; returns when to try again if something had to wait.
    fn pump(&mut self) -> Option<Instant> {
        let mut again = None;
        if self.want_subscribe {
            match self.client.try_subscribe_many(self.filters.clone()) {
                Ok(()) => self.want_subscribe = false,
                Err(_) => again = Some(Instant::now() + RETRY_SOON),
            }
        }
        if let Some(t) = self.submit_waiting() {
            again = Some(again.map_or(t, |a: Instant| a.min(t)));
        }
        if !self.ack_committed_prefix() {
            again = Some(Instant::now() + RETRY_SOON);
        }
        again
    }

    /// Submits waiting messages in order; returns when to retry if the pipeline was busy.
    fn submit_waiting(&mut self) -> Option<Instant> {
        if let Some(Pause::Busy(t) | Pause::Failed(t)) = self.pause {
            if Instant::now() < t {
                return Some(t);
            }
            self.pause = None;
        }
        while let Some(&seq) = self.waiting.front() {
            let Some(i) = self.index(seq) else {
                self.waiting.pop_front();
                continue;
            };
            match self.submit(seq, &self.queue[i].publish) {
                Submitted::Queued => self.queue[i].state = State::Submitted,
                Submitted::Refused(r) => {
                    let entry = &mut self.queue[i];
                    tracing::warn!(
                        topic = %entry.publish.topic,
                        reason = r.reason,
                        "mqtt: message refused: {}",
                        r.detail
                    );
                    self.pipeline.metrics.rejected(r.reason);
                    // Acked like a stored one: redelivering it would not make it valid.
                    entry.state = State::Done;
                }
                Submitted::Later => {
                    let t = Instant::now() + RETRY_SOON;
                    self.pause = Some(Pause::Busy(t));
                    return Some(t);
                }
            }
            self.waiting.pop_front();
        }
        None
    }

    fn submit(&self, seq: u64, publish: &Publish) -> Submitted {
        let (tenant, readings) = match prepare(
            &publish.topic,
            &publish.payload,
            &self.tenants,
            crate::clock::now(),
            self.pipeline.limits(MAX_AHEAD),
        ) {
            Ok(v) => v,
            Err(r) => return Submitted::Refused(r),
        };
        let tx = self.cmds.clone();
        let job = Job {
            readings,
            message_id: None,
            done: Box::new(move |outcome| {
                let stored = !matches!(outcome, Outcome::Failed(_));
                let _ = tx.send(Cmd::Committed { seq, stored });
            }),
        };
        match self.pipeline.submit(&tenant, job) {
            Ok(()) => Submitted::Queued,
            Err(Refused::UnknownTenant) => Submitted::Refused(Rejection::new(
                "mqtt_unknown_tenant",
                format!("no tenant '{tenant}' on this site"),
            )),
            Err(Refused::Busy | Refused::Stopped) => Submitted::Later,
        }
    }

    /// Acks the front of the queue while it is done. False when the request channel was full.
    fn ack_committed_prefix(&mut self) -> bool {
        let live = self.epoch.load(Ordering::SeqCst);
        while let Some(front) = self.queue.front() {
            if front.state != State::Done {
                break;
            }
            // A message of a lost connection is not acked: the broker redelivers it (or has
            // forgotten it), and its pkid may mean another message on the new connection.
            if front.epoch == live && self.client.try_ack(&front.publish).is_err() {
                return false;
            }
            self.queue.pop_front();
        }
        true
    }
}

/// `opsdeck/<tenant>/devices/<device>/telemetry` -> (tenant, device)
fn split_topic(topic: &str) -> Option<(&str, &str)> {
    let mut parts = topic.split('/');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("opsdeck"), Some(tenant), Some("devices"), Some(device), Some("telemetry"), None)
            if !tenant.is_empty() =>
        {
            Some((tenant, device))
        }
        _ => None,
    }
}

/// The tenant and readings of one message, or why it is refused.
fn prepare(
    topic: &str,
    body: &[u8],
    tenants: &[String],
    now: Timestamp,
    limits: payload::Limits,
) -> Result<(String, Vec<Reading>), Rejection> {
    let (tenant, device) = split_topic(topic).ok_or_else(|| {
        Rejection::new(
            "mqtt_bad_topic",
            "expected opsdeck/<tenant>/devices/<device>/telemetry",
        )
    })?;
    if !tenants.iter().any(|t| t == tenant) {
        return Err(Rejection::new(
            "mqtt_unknown_tenant",
            format!("no tenant '{tenant}' on this site"),
        ));
    }
    if !payload::valid_id(device) {
        return Err(Rejection::new(
            "mqtt_bad_topic",
            format!("'{device}' is not a device id (1-64 letters, digits, - _ . :)"),
        ));
    }
    let readings =
        payload::parse(body, now, limits).map_err(|e| Rejection::new("mqtt_bad_payload", e))?;
    if let Some(r) = readings.iter().find(|r| r.device != device) {
        return Err(Rejection::new(
            "mqtt_device_mismatch",
            format!(
                "payload device '{}' does not match '{device}' in the topic",
                r.device
            ),
        ));
    }
    Ok((tenant.to_owned(), readings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(url: &str) -> MqttConfig {
        MqttConfig {
            url: url.into(),
            username: String::new(),
            password_secret: String::new(),
            tls: false,
            ca_file: String::new(),
            client_id: String::new(),
        }
    }

    fn settings(c: &MqttConfig, password: &str) -> anyhow::Result<MqttSettings> {
        MqttSettings::from_config(c, password.into(), "Planta Sul", vec!["plant".into()])
    }

    #[test]
    fn urls() {
        let e = |s: &str| parse_url(s);
        assert_eq!(
            e("mqtt://broker.local").unwrap(),
            Endpoint {
                host: "broker.local".into(),
                port: 1883,
                tls: false
            }
        );
        assert_eq!(
            e("mqtts://10.0.0.5:8884/").unwrap(),
            Endpoint {
                host: "10.0.0.5".into(),
                port: 8884,
                tls: true
            }
        );
        assert_eq!(e("tcp://[::1]:1884").unwrap().host, "[::1]");
        assert!(e("broker:1883").unwrap_err().contains("expected mqtt://"));
        assert!(
            e("http://x")
                .unwrap_err()
                .contains("unsupported scheme 'http'")
        );
        assert!(e("mqtt://x:0").unwrap_err().contains("not a port"));
        assert!(e("mqtt://x:port").unwrap_err().contains("not a port"));
        assert!(e("mqtt://u:p@x").unwrap_err().contains("credentials"));
        assert!(e("mqtt://").unwrap_err().contains("no host"));
    }

    #[test]
    fn config_errors_name_the_key() {
        let s = settings(&cfg("mqtt://127.0.0.1:1883"), "").unwrap();
        assert_eq!(s.client_id, "opsdeck-Planta-Sul");
        assert_eq!(s.topics(), ["opsdeck/plant/devices/+/telemetry"]);
        assert!(!s.tls);

        let e = settings(&cfg("127.0.0.1:1883"), "").unwrap_err();
        assert!(
            e.to_string().starts_with("[mqtt] url = \"127.0.0.1:1883\""),
            "{e}"
        );

        let mut c = cfg("mqtt://b");
        c.username = "opsdeck".into();
        c.password_secret = "mqtt".into();
        let s = settings(&c, "s3cret").unwrap();
        assert_eq!(s.password, "s3cret");
        assert!(
            !format!("{s:?}").contains("s3cret"),
            "the password leaks in Debug"
        );

        c.username.clear();
        let e = settings(&c, "s3cret").unwrap_err().to_string();
        assert!(e.contains("username is empty"), "{e}");

        let mut c = cfg("mqtts://b");
        c.ca_file = "/nonexistent/ca.pem".into();
        let e = settings(&c, "").unwrap_err().to_string();
        assert!(
            e.starts_with("[mqtt] ca_file = \"/nonexistent/ca.pem\""),
            "{e}"
        );

        let mut c = cfg("mqtt://b");
        c.client_id = "a/b".into();
        let e = settings(&c, "").unwrap_err().to_string();
        assert!(e.starts_with("[mqtt] client_id"), "{e}");

        let mut s = settings(&cfg("mqtt://b"), "").unwrap();
        assert!(s.options().is_ok());
        s.tenants = vec!["a/#".into()];
        assert!(s.options().unwrap_err().to_string().contains("\"a/#\""));
        s.tenants.clear();
        assert!(s.options().unwrap_err().to_string().contains("no tenants"));
    }

    #[test]
    fn topics_and_payloads() {
        assert_eq!(
            split_topic("opsdeck/plant/devices/AHU-01/telemetry"),
            Some(("plant", "AHU-01"))
        );
        assert_eq!(
            split_topic("opsdeck/plant/devices/AHU-01/telemetry/x"),
            None
        );
        assert_eq!(split_topic("opsdeck/plant/device/AHU-01/telemetry"), None);

        let tenants = ["plant".to_string()];
        let now: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let limits = payload::Limits {
            max_ahead: MAX_AHEAD,
            max_age: None,
        };
        let p = |topic: &str, body: &str| prepare(topic, body.as_bytes(), &tenants, now, limits);
        let good = r#"{"device":"AHU-01","ts":"2026-11-22T10:00:00Z","metrics":{"t":1,"p":2}}"#;
        let (tenant, readings) = p("opsdeck/plant/devices/AHU-01/telemetry", good).unwrap();
        assert_eq!((tenant.as_str(), readings.len()), ("plant", 2));

        let reason = |topic: &str, body: &str| p(topic, body).unwrap_err().reason;
        assert_eq!(
            reason("opsdeck/plant/devices/AHU-02/telemetry", good),
            "mqtt_device_mismatch"
        );
        assert_eq!(
            reason("opsdeck/other/devices/AHU-01/telemetry", good),
            "mqtt_unknown_tenant"
        );
        assert_eq!(
            reason("opsdeck/plant/devices/AHU-01/telemetry", "{"),
            "mqtt_bad_payload"
        );
        assert_eq!(reason("plant/AHU-01", good), "mqtt_bad_topic");
        assert_eq!(
            reason("opsdeck/plant/devices/A B/telemetry", good),
            "mqtt_bad_topic"
        );
        let e = p("opsdeck/plant/devices/AHU-02/telemetry", good).unwrap_err();
        assert!(
            e.detail.contains("'AHU-01' does not match 'AHU-02'"),
            "{e:?}"
        );
    }
}
