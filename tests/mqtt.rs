//! MQTT ingest end to end: a broker in its own process (`opsdeck dev-broker`, the embedded
//! rumqttd; and also a real mosquitto when OPSDECK_TEST_MOSQUITTO=1), the subscriber, the
//! pipeline and redb.

mod common;

use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::free_port;
use crossbeam_channel::{Receiver, Sender};
use jiff::{SignedDuration, Timestamp};
use opsdeck::ingest::metrics::{Metrics, MqttState};
use opsdeck::ingest::mqtt::{MqttSettings, MqttSubscriber};
use opsdeck::ingest::pipeline::{Pipeline, Settings};
use opsdeck_storage::Tenant;
use rumqttc::{Client, Event, MqttOptions, Packet, QoS};

/// Generous: debug builds on a shared, busy machine.
const TIMEOUT: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `opsdeck dev-broker`: no persistence, sessions are lost when it restarts.
    Rumqttd,
    /// mosquitto with persistence: sessions and queued messages survive a restart.
    Mosquitto,
}

/// The brokers to run each test against.
fn kinds() -> Vec<Kind> {
    let mut kinds = vec![Kind::Rumqttd];
    if std::env::var("OPSDECK_TEST_MOSQUITTO").is_ok_and(|v| v == "1") {
        kinds.push(Kind::Mosquitto);
    }
    kinds
}

fn mosquitto_binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/sbin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|d| d.join("mosquitto"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "OPSDECK_TEST_MOSQUITTO=1 but no mosquitto binary was found on PATH or in \
                 /usr/sbin: install it (apt-get install mosquitto) or unset the variable"
            )
        })
}

/// Polls `check` until it returns Ok; panics with its last answer after TIMEOUT.
fn wait_for(what: &str, mut check: impl FnMut() -> Result<(), String>) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let last = match check() {
            Ok(()) => return,
            Err(last) => last,
        };
        assert!(
            Instant::now() < deadline,
            "timed out after {TIMEOUT:?} waiting for {what}: {last}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A broker process on a fixed port: started, stopped and started again; killed on drop.
struct Broker {
    kind: Kind,
    port: u16,
    /// mosquitto only: a TLS listener too, with the certificates `make_certificates` wrote
    /// into `dir`.
    tls_port: Option<u16>,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Broker {
    fn start(kind: Kind) -> Broker {
        let mut b = Broker {
            kind,
            port: free_port(),
            tls_port: None,
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        b.up();
        b
    }

    /// A broker with a TLS listener as well, its certificate signed by a CA made for the test.
    fn start_with_tls(kind: Kind) -> Broker {
        let mut b = Broker {
            kind,
            port: free_port(),
            tls_port: Some(free_port()),
            dir: tempfile::tempdir().unwrap(),
            child: None,
        };
        make_certificates(b.dir.path());
        b.up();
        b
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("broker.log")
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn command(&self) -> Command {
        match self.kind {
            Kind::Rumqttd => {
                let mut cmd = common::cli::process();
                cmd.args(["dev-broker", "--listen", &self.addr().to_string()]);
                if let Some(tls_port) = self.tls_port {
                    let d = self.dir.path();
                    cmd.args(["--tls-listen", &format!("127.0.0.1:{tls_port}")])
                        .arg("--cert")
                        .arg(d.join("server.pem"))
                        .arg("--key")
                        .arg(d.join("server.key"));
                }
                cmd
            }
            Kind::Mosquitto => {
                let conf = self.dir.path().join("mosquitto.conf");
                let mut text = mosquitto_conf(self.port, self.dir.path());
                if let Some(tls_port) = self.tls_port {
                    let d = self.dir.path().display();
                    text.push_str(&format!(
                        "listener {tls_port} 127.0.0.1\n\
                         cafile {d}/ca.pem\ncertfile {d}/server.pem\nkeyfile {d}/server.key\n"
                    ));
                }
                std::fs::write(&conf, text).unwrap();
                let mut cmd = Command::new(mosquitto_binary());
                cmd.arg("-c").arg(conf);
                cmd
            }
        }
    }

    /// Starts the broker and waits until it accepts connections.
    fn up(&mut self) {
        assert!(self.child.is_none(), "the broker is running already");
        let log = File::options()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap();
        let child = self
            .command()
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting the {:?} broker: {e}", self.kind));
        self.child = Some(child);
        let ports: Vec<u16> = [Some(self.port), self.tls_port]
            .into_iter()
            .flatten()
            .collect();
        wait_for("the broker to listen", || {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "the {:?} broker exited ({status}) on port {}:\n{}",
                    self.kind,
                    self.port,
                    self.log()
                );
            }
            for port in &ports {
                TcpStream::connect(("127.0.0.1", *port))
                    .map_err(|e| format!("port {port}: {e}"))?;
            }
            Ok(())
        });
    }

    /// rumqttd is killed outright; mosquitto gets SIGTERM so it writes its persistence file,
    /// as a service manager would stop it.
    fn down(&mut self) {
        let mut child = self.child.take().expect("the broker is not running");
        match self.kind {
            Kind::Rumqttd => child.kill().unwrap(),
            Kind::Mosquitto => {
                let pid = nix::unistd::Pid::from_raw(child.id() as i32);
                nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
            }
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- {:?} broker log ---\n{}", self.kind, self.log());
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn mosquitto_conf(port: u16, dir: &Path) -> String {
    // mosquitto started as root switches to the `mosquitto` user unless told otherwise, and
    // that user cannot write the temporary persistence directory.
    let user = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| "root".into());
    format!(
        "listener {port} 127.0.0.1\n\
         allow_anonymous true\n\
         persistence true\n\
         persistence_location {}/\n\
         max_queued_messages 10000\n\
         max_inflight_messages 100\n\
         log_dest stderr\n\
         user {user}\n",
        dir.display()
    )
}

/// A CA and a certificate for `localhost` signed by it (ca.pem, server.pem, server.key).
fn make_certificates(dir: &Path) {
    // arguments split on whitespace
    let openssl = |args: &str| {
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = Command::new("openssl")
            .args(&args)
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("the TLS test needs the openssl command: {e}"));
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(
        "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=opsdeck-test-ca \
         -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
         -keyout ca.key -out ca.pem",
    );
    openssl("req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr");
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
         -extfile server.ext -out server.pem",
    );
}

/// One tenant's redb file and the ingest pipeline on it.
struct Site {
    tenant: Arc<Tenant>,
    pipeline: Arc<Pipeline>,
    _dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        Site::with_queue(Settings::default().queue)
    }

    /// `queue`: messages the pipeline holds before it answers Busy.
    fn with_queue(queue: usize) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let tenant =
            Arc::new(Tenant::open("plant", &dir.path().join("plant.redb"), &[7; 32]).unwrap());
        let pipeline = Pipeline::start(
            vec![tenant.clone()],
            Settings {
                queue,
                ..Settings::default()
            },
            Arc::new(Metrics::default()),
        );
        Site {
            tenant,
            pipeline,
            _dir: dir,
        }
    }

    fn metrics(&self) -> &Metrics {
        &self.pipeline.metrics
    }

    fn subscribe(&self, broker: &Broker, client_id: &str, tenants: &[&str]) -> MqttSubscriber {
        self.subscribe_with(MqttSettings {
            url: format!("mqtt://127.0.0.1:{}", broker.port),
            username: String::new(),
            password: String::new(),
            tls: false,
            ca_file: None,
            client_id: client_id.into(),
            tenants: tenants.iter().map(|t| t.to_string()).collect(),
        })
    }

    fn subscribe_with(&self, settings: MqttSettings) -> MqttSubscriber {
        MqttSubscriber::start(settings, self.pipeline.clone())
    }

    fn raw_count(&self) -> u64 {
        self.tenant.raw_reading_count().unwrap()
    }

    fn wait_for_readings(&self, want: u64) {
        wait_for(&format!("{want} readings in redb"), || {
            let n = self.raw_count();
            if n == want {
                Ok(())
            } else {
                Err(format!("{n} stored"))
            }
        });
    }

    fn wait_for_state(&self, what: &str, ok: impl Fn(MqttState) -> bool) {
        wait_for(what, || {
            let s = self.metrics().mqtt();
            if ok(s) {
                Ok(())
            } else {
                Err(format!("state {}", s.as_str()))
            }
        });
    }

    fn wait_connected(&self) {
        self.wait_for_state("the subscriber to connect and subscribe", |s| {
            s == MqttState::Connected
        });
    }

    /// opsdeck_mqtt_messages_total: messages received, redeliveries included.
    fn mqtt_messages(&self) -> u64 {
        self.metrics()
            .render()
            .lines()
            .find_map(|l| l.strip_prefix("opsdeck_mqtt_messages_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("opsdeck_mqtt_messages_total in the metrics")
    }
}

/// A QoS 1 publisher (rumqttc) whose event loop runs on its own thread once `go` is called, so
/// messages can be queued in it while the broker is down.
struct Publisher {
    client: Client,
    acked: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    gate: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Publisher {
    /// `capacity`: messages that can be queued before `go`.
    fn new(port: u16, client_id: &str, persistent: bool, capacity: usize) -> Publisher {
        let mut options = MqttOptions::new(client_id, "127.0.0.1", port);
        options
            .set_clean_session(!persistent)
            .set_keep_alive(Duration::from_secs(5));
        let (client, mut connection) = Client::new(options, capacity);
        let acked = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (gate, gate_rx): (Sender<()>, Receiver<()>) = crossbeam_channel::bounded(0);
        let thread = {
            let (acked, stop) = (acked.clone(), stop.clone());
            std::thread::spawn(move || {
                // returns when `go` drops the sender
                let _ = gate_rx.recv();
                while !stop.load(Ordering::SeqCst) {
                    match connection.recv() {
                        Ok(Ok(Event::Incoming(Packet::PubAck(_)))) => {
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(Ok(_)) => {}
                        // rumqttc reconnects on the next poll, at once
                        Ok(Err(_)) => std::thread::sleep(Duration::from_millis(100)),
                        Err(_) => break,
                    }
                }
            })
        };
        Publisher {
            client,
            acked,
            stop,
            gate: Some(gate),
            thread: Some(thread),
        }
    }

    fn go(&mut self) {
        drop(self.gate.take());
    }

    fn publish(&self, topic: &str, body: impl Into<Vec<u8>>) {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, body)
            .unwrap();
    }

    fn wait_acked(&self, n: usize) {
        wait_for(&format!("the broker to ack {n} publishes"), || {
            let a = self.acked.load(Ordering::SeqCst);
            if a >= n {
                Ok(())
            } else {
                Err(format!("{a} acked"))
            }
        });
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        drop(self.gate.take());
        let _ = self.client.try_disconnect();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn topic(tenant: &str, device: &str) -> String {
    format!("opsdeck/{tenant}/devices/{device}/telemetry")
}

/// A whole second an hour ago: well inside the accepted window.
fn base_time() -> Timestamp {
    let now = opsdeck_storage::clock::now().as_second();
    Timestamp::from_second(now - 3600).unwrap()
}

fn reading(device: &str, ts: Timestamp, metrics: &str) -> String {
    format!(r#"{{"device":"{device}","ts":"{ts}","metrics":{metrics}}}"#)
}

#[test]
fn readings_arrive_and_bad_messages_do_not_block_good_ones() {
    init_logging();
    for kind in kinds() {
        eprintln!("broker: {kind:?}");
        readings_arrive(kind);
    }
}

fn readings_arrive(kind: Kind) {
    let broker = Broker::start(kind);
    let site = Site::new();
    let id = format!("opsdeck-test-arrive-{}", std::process::id());
    // "ghost" is subscribed to but has no pipeline lane: its messages are refused.
    let subscriber = site.subscribe(&broker, &id, &["plant", "ghost"]);
    site.wait_connected();

    let mut publisher = Publisher::new(broker.port, &format!("{id}-pub"), false, 64);
    publisher.go();
    let t0 = base_time();
    let s = SignedDuration::from_secs;
    let batch = format!(
        "[{},{},{}]",
        reading("AHU-02", t0, r#"{"t":1}"#),
        reading("AHU-02", t0 + s(1), r#"{"t":2}"#),
        reading("AHU-02", t0 + s(2), r#"{"t":3}"#)
    );
    let messages = [
        (
            topic("plant", "AHU-01"),
            reading("AHU-01", t0, r#"{"supply_temp_c":12.4,"power_kw":31.2}"#),
        ),
        (topic("plant", "AHU-01"), "{".to_owned()),
        (
            topic("plant", "AHU-01"),
            reading("AHU-01", t0 + s(1), r#"{"t":"hot"}"#),
        ),
        (
            topic("plant", "AHU-02"),
            reading("AHU-01", t0 + s(2), r#"{"t":4}"#),
        ),
        (
            topic("ghost", "AHU-01"),
            reading("AHU-01", t0 + s(3), r#"{"t":5}"#),
        ),
        (topic("plant", "AHU-02"), batch),
        (
            topic("plant", "AHU-01"),
            reading("AHU-01", t0 + s(60), r#"{"supply_temp_c":13.0}"#),
        ),
    ];
    for (topic, body) in &messages {
        publisher.publish(topic, body.as_bytes());
    }

    site.wait_for_readings(6);
    let m = site.metrics();
    wait_for("the refused messages to be counted", || {
        let counts = [
            m.rejected_by("mqtt_bad_payload"),
            m.rejected_by("mqtt_device_mismatch"),
            m.rejected_by("mqtt_unknown_tenant"),
        ];
        if counts == [2, 1, 1] {
            Ok(())
        } else {
            Err(format!("{counts:?}"))
        }
    });
    assert_eq!(site.mqtt_messages(), messages.len() as u64);
    assert_eq!(
        site.tenant
            .readings("AHU-02", "t", t0, t0 + s(3600))
            .unwrap(),
        vec![(t0, 1.0), (t0 + s(1), 2.0), (t0 + s(2), 3.0)]
    );
    let latest = site.tenant.latest_readings().unwrap();
    let supply = latest
        .iter()
        .find(|l| l.device == "AHU-01" && l.metric == "supply_temp_c")
        .expect("AHU-01 supply_temp_c");
    assert_eq!((supply.ts, supply.value), (t0 + s(60), 13.0));
    assert!(
        latest
            .iter()
            .all(|l| l.metric != "t" || l.device == "AHU-02"),
        "a refused reading was stored: {latest:?}"
    );

    // Every message was acked, refused ones included: the same session, resumed, gets only
    // what is published next.
    subscriber.stop();
    let before = site.mqtt_messages();
    let _subscriber = site.subscribe(&broker, &id, &["plant", "ghost"]);
    site.wait_connected();
    publisher.publish(
        &topic("plant", "AHU-03"),
        reading("AHU-03", t0, r#"{"t":9}"#),
    );
    site.wait_for_readings(7);
    assert_eq!(
        site.mqtt_messages(),
        before + 1,
        "messages were redelivered, so some were never acked"
    );
}

#[test]
fn nothing_is_lost_or_stored_twice_across_a_broker_restart() {
    init_logging();
    for kind in kinds() {
        eprintln!("broker: {kind:?}");
        broker_restart(kind);
    }
}

fn broker_restart(kind: Kind) {
    const N: usize = 300;
    let mut broker = Broker::start(kind);
    let site = Site::new();
    let id = format!("opsdeck-test-restart-{}", std::process::id());
    let _subscriber = site.subscribe(&broker, &id, &["plant"]);
    site.wait_connected();
    let t0 = base_time();
    let at = |i: usize| t0 + SignedDuration::from_secs(i as i64);
    let body = |i: usize| reading("M-1", at(i), &format!(r#"{{"seq":{i}}}"#));

    // One message before the restart: the subscription works (and mosquitto has a session
    // with it to persist).
    {
        let mut warm_up = Publisher::new(broker.port, &format!("{id}-warm-up"), false, 8);
        warm_up.go();
        warm_up.publish(&topic("plant", "M-1"), body(0));
        warm_up.wait_acked(1);
        site.wait_for_readings(1);
    }

    broker.down();
    site.wait_for_state("the subscriber to see the broker go", |s| {
        s != MqttState::Connected
    });
    // Published while the broker is down: they wait in the publisher's session.
    let mut publisher = Publisher::new(broker.port, &format!("{id}-pub"), true, N + 16);
    for i in 1..=N {
        publisher.publish(&topic("plant", "M-1"), body(i));
    }
    broker.up();
    match kind {
        // rumqttd forgot every session: deliver only once the subscriber has resubscribed.
        Kind::Rumqttd => {
            site.wait_connected();
            publisher.go();
        }
        // mosquitto kept the subscriber's session: what arrives before it reconnects is
        // queued for it.
        Kind::Mosquitto => {
            publisher.go();
            site.wait_connected();
        }
    }
    publisher.wait_acked(N);
    site.wait_for_readings(N as u64 + 1);

    let stored = site.tenant.readings("M-1", "seq", t0, at(N + 1)).unwrap();
    let want: Vec<(Timestamp, f64)> = (0..=N).map(|i| (at(i), i as f64)).collect();
    assert_eq!(stored, want, "every reading once, with its value");
    assert_eq!(site.raw_count(), N as u64 + 1, "no duplicates");
    assert_eq!(site.metrics().mqtt(), MqttState::Connected);
}

#[test]
fn a_busy_pipeline_delays_messages_but_loses_none() {
    init_logging();
    for kind in kinds() {
        eprintln!("broker: {kind:?}");
        busy_pipeline(kind);
    }
}

fn busy_pipeline(kind: Kind) {
    const N: usize = 200;
    let broker = Broker::start(kind);
    // A queue of one: most submits are refused as Busy and retried.
    let site = Site::with_queue(1);
    let id = format!("opsdeck-test-busy-{}", std::process::id());
    let _subscriber = site.subscribe(&broker, &id, &["plant"]);
    site.wait_connected();
    let mut publisher = Publisher::new(broker.port, &format!("{id}-pub"), false, N + 16);
    let t0 = base_time();
    for i in 0..N {
        let ts = t0 + SignedDuration::from_secs(i as i64);
        publisher.publish(
            &topic("plant", "B-1"),
            reading("B-1", ts, &format!(r#"{{"v":{i}}}"#)),
        );
    }
    publisher.go();
    site.wait_for_readings(N as u64);
    publisher.wait_acked(N);
    assert_eq!(site.metrics().rejected_total(), 0);
    assert_eq!(site.mqtt_messages(), N as u64, "nothing was redelivered");
}

#[test]
fn tls_with_the_brokers_ca_file() {
    init_logging();
    for kind in kinds() {
        tls_with(kind);
    }
}

fn tls_with(kind: Kind) {
    let broker = Broker::start_with_tls(kind);
    let site = Site::new();
    let id = format!("opsdeck-test-tls-{kind:?}-{}", std::process::id());
    let _subscriber = site.subscribe_with(MqttSettings {
        url: format!("mqtts://localhost:{}", broker.tls_port.unwrap()),
        username: String::new(),
        password: String::new(),
        tls: true,
        ca_file: Some(broker.dir.path().join("ca.pem")),
        client_id: id.clone(),
        tenants: vec!["plant".into()],
    });
    site.wait_connected();
    // Published on the plain listener, delivered over TLS.
    let mut publisher = Publisher::new(broker.port, &format!("{id}-pub"), false, 8);
    publisher.go();
    publisher.publish(
        &topic("plant", "T-1"),
        reading("T-1", base_time(), r#"{"t":21.5}"#),
    );
    site.wait_for_readings(1);
}
