//! Crash safety of the real binary: `opsdeck serve` is killed with SIGKILL while clients post
//! signed batches, and every reading it acknowledged with a 200 must be in the tenant's redb
//! file afterwards; it must come back up, accept again and still refuse replays.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::free_port;
use jiff::{SignedDuration, Timestamp};
use opsdeck::ingest::signing::sign;
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::Resolution;
use opsdeck_storage::records::device::Device;
use serde_json::{Value, json};

const TENANT: &str = "t";
const CLIENTS: usize = 4;
/// Readings (objects) per batch; each carries two metrics.
const PER_BATCH: usize = 25;

// ---------------------------------------------------------------------------------------------
// The site and the serve process.

struct Site {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    addr: SocketAddr,
    ingest_key: String,
    seal_key: Vec<u8>,
}

impl Site {
    /// `opsdeck init --tenant t`, with ingest moved to a free loopback port.
    fn create() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        let out = common::cli::process()
            .env_remove("OPSDECK_DATA")
            .env("NO_COLOR", "1")
            .arg("--data")
            .arg(&dir)
            .args(["init", "--tenant", TENANT])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        let port = free_port();
        let config = dir.join("opsdeck.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        let default = "bind = \"127.0.0.1:8787\"";
        assert!(text.contains(default), "no default bind in:\n{text}");
        let text = text.replace(default, &format!("bind = \"127.0.0.1:{port}\""));
        std::fs::write(&config, text).unwrap();

        let secrets: toml::Table =
            toml::from_str(&std::fs::read_to_string(dir.join("secrets.toml")).unwrap()).unwrap();
        let ingest_key = secrets["ingest_keys"][TENANT]
            .as_str()
            .expect("an ingest key for the tenant")
            .to_owned();
        let seal_key = hex::decode(secrets["audit_seal_key"].as_str().unwrap()).unwrap();
        Site {
            _tmp: tmp,
            addr: format!("127.0.0.1:{port}").parse().unwrap(),
            dir,
            ingest_key,
            seal_key,
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.join("tenants").join(TENANT).join("opsdeck.redb")
    }

    /// Starts `opsdeck serve` and waits until /health answers.
    fn serve(&self, log_name: &str) -> Serve {
        let log = self.dir.parent().unwrap().join(log_name);
        let child = common::cli::process()
            .env_remove("OPSDECK_DATA")
            .env("NO_COLOR", "1")
            .arg("--data")
            .arg(&self.dir)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut serve = Serve { child, log };
        let start = Instant::now();
        loop {
            if let Some(status) = serve.child.try_wait().unwrap() {
                panic!("serve exited early ({status}):\n{}", serve.log_text());
            }
            if let Ok(mut c) = Conn::open(self.addr)
                && let Ok(r) = c.request(&Req::get("/health"))
            {
                assert_eq!(r.status, 200, "{}", r.text());
                assert_eq!(r.json()["status"], "ok");
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "serve did not answer /health within 30 s:\n{}",
                serve.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        serve
    }

    fn ingest(&self, body: Vec<u8>, message_id: &str) -> Req {
        let ts = opsdeck_storage::clock::now().as_second().to_string();
        let sig = sign(&self.ingest_key, &ts, &body);
        Req {
            method: "POST",
            path: "/ingest",
            headers: vec![
                ("X-Tenant", TENANT.to_owned()),
                ("X-Timestamp", ts),
                ("X-Message-Id", message_id.to_owned()),
                ("X-Signature", sig),
            ],
            body,
        }
    }
}

/// Kills the serve process (SIGKILL) if the test ends while it runs.
struct Serve {
    child: Child,
    log: PathBuf,
}

impl Serve {
    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Just enough HTTP/1.1.

struct Req {
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Req {
    fn get(path: &'static str) -> Req {
        Req {
            method: "GET",
            path,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: opsdeck.test\r\n",
            self.method, self.path
        );
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

struct Resp {
    status: u16,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
}

struct Conn {
    s: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    fn open(addr: SocketAddr) -> io::Result<Conn> {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        s.set_write_timeout(Some(Duration::from_secs(10)))?;
        s.set_nodelay(true)?;
        Ok(Conn { s, buf: Vec::new() })
    }

    fn request(&mut self, req: &Req) -> io::Result<Resp> {
        self.s.write_all(&req.bytes())?;
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 16];
            let mut r = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(n) = r
                .parse(&self.buf)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?
            {
                let len: usize = r
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                    .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
                    .unwrap_or(0);
                let status = r.code.unwrap_or(0);
                if self.buf.len() >= n + len {
                    let body = self.buf[n..n + len].to_vec();
                    self.buf.drain(..n + len);
                    return Ok(Resp { status, body });
                }
            }
            let mut chunk = [0u8; 8192];
            match self.s.read(&mut chunk)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The clients.

/// One reading point: (device, metric, unix ms) -> value.
type Point = ((String, String, i64), f64);

struct Message {
    id: String,
    body: Vec<u8>,
    points: Vec<Point>,
}

#[derive(Default)]
struct Log {
    /// Answered with 200.
    acked: Vec<Message>,
    /// Sent, and the connection died before an answer: may or may not be stored, but whole.
    unanswered: Vec<Message>,
    /// Answered with 429: nothing stored.
    shed: Vec<Message>,
}

fn batch(client: usize, n: usize, base: Timestamp) -> Message {
    let device = format!("crash-{client}");
    let mut items = Vec::new();
    let mut points = Vec::new();
    for k in 0..PER_BATCH {
        let seq = (n * PER_BATCH + k) as i64;
        let ts = base + SignedDuration::from_millis(seq * 10);
        let (a, b) = (seq as f64, seq as f64 / 4.0 + 1000.0);
        items.push(json!({
            "device": device,
            "ts": ts.to_string(),
            "metrics": { "flow_m3h": a, "power_kw": b },
        }));
        let ms = ts.as_millisecond();
        points.push(((device.clone(), "flow_m3h".to_owned(), ms), a));
        points.push(((device.clone(), "power_kw".to_owned(), ms), b));
    }
    Message {
        id: format!("crash-{client}-{n}"),
        body: serde_json::to_vec(&Value::Array(items)).unwrap(),
        points,
    }
}

/// Posts batches on one keep-alive connection until the server goes away or `stop`.
fn client(
    site: Arc<Site>,
    client: usize,
    base: Timestamp,
    stop: Arc<AtomicBool>,
    acked: Arc<AtomicUsize>,
    log: Arc<Mutex<Log>>,
) {
    let Ok(mut conn) = Conn::open(site.addr) else {
        return;
    };
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let m = batch(client, n, base);
        let result = conn.request(&site.ingest(m.body.clone(), &m.id));
        let mut log = log.lock().unwrap();
        match result {
            Ok(r) if r.status == 200 => {
                assert_eq!(r.json()["accepted"], 2 * PER_BATCH, "{}", r.text());
                log.acked.push(m);
                acked.fetch_add(1, Ordering::SeqCst);
            }
            Ok(r) if r.status == 429 => log.shed.push(m),
            Ok(r) => panic!("client {client}: unexpected {}: {}", r.status, r.text()),
            Err(_) => {
                log.unanswered.push(m);
                return;
            }
        }
    }
}

fn series(tenant: &Tenant, device: &str, metric: &str) -> BTreeMap<i64, f64> {
    let from = Timestamp::UNIX_EPOCH;
    let to = opsdeck_storage::clock::now() + SignedDuration::from_hours(1);
    tenant
        .readings(device, metric, from, to)
        .unwrap()
        .into_iter()
        .map(|(t, v)| (t.as_millisecond(), v))
        .collect()
}

#[test]
fn acknowledged_readings_survive_sigkill_and_replays_stay_refused() {
    let site = Arc::new(Site::create());
    let mut serve = site.serve("serve-1.log");
    let base =
        Timestamp::from_second(opsdeck_storage::clock::now().as_second() - 2 * 3600).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicUsize::new(0));
    let log = Arc::new(Mutex::new(Log::default()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (site, stop, acked, log) = (site.clone(), stop.clone(), acked.clone(), log.clone());
            std::thread::spawn(move || client(site, c, base, stop, acked, log))
        })
        .collect();

    // Let them run for a while (and at least until some batches are acknowledged), then kill.
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(1500) || acked.load(Ordering::SeqCst) < 20 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "only {} batches acknowledged in 30 s:\n{}",
            acked.load(Ordering::SeqCst),
            serve.log_text()
        );
        if let Some(status) = serve.child.try_wait().unwrap() {
            panic!("serve died on its own ({status}):\n{}", serve.log_text());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    serve.child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix
    let status = serve.child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "{status}"
    );
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().expect("a client thread panicked");
    }
    drop(serve);
    let log = std::mem::take(&mut *log.lock().unwrap());
    eprintln!(
        "killed after {:?}: {} batches acknowledged, {} in flight, {} shed",
        started.elapsed(),
        log.acked.len(),
        log.unanswered.len(),
        log.shed.len()
    );
    assert!(
        !log.unanswered.is_empty(),
        "no request was in flight at the kill"
    );

    // Every acknowledged point is in the file, with its value.
    {
        let tenant =
            Tenant::open(TENANT, &site.db(), &site.seal_key).expect("reopening after kill");
        let mut stored: HashMap<(String, String), BTreeMap<i64, f64>> = HashMap::new();
        for c in 0..CLIENTS {
            for metric in ["flow_m3h", "power_kw"] {
                let device = format!("crash-{c}");
                let s = series(&tenant, &device, metric);
                stored.insert((device, metric.to_owned()), s);
            }
        }
        let empty = BTreeMap::new();
        let get = |d: &str, m: &str| -> &BTreeMap<i64, f64> {
            stored.get(&(d.to_owned(), m.to_owned())).unwrap_or(&empty)
        };
        let mut acked_points = 0u64;
        for m in &log.acked {
            assert!(
                tenant.was_seen(&m.id).unwrap(),
                "{} acked but not seen",
                m.id
            );
            for ((d, metric, ts), v) in &m.points {
                let s = get(d, metric);
                assert_eq!(
                    s.get(ts),
                    Some(v),
                    "acknowledged {d}/{metric} at {ts} ms (message {}) is missing or wrong",
                    m.id
                );
                acked_points += 1;
            }
        }
        // A message the kill interrupted is stored whole or not at all; a shed one not at all.
        let mut unanswered_points = 0u64;
        for m in &log.unanswered {
            let present: Vec<bool> = m
                .points
                .iter()
                .map(|((d, metric, ts), v)| get(d, metric).get(ts) == Some(v))
                .collect();
            let all = present.iter().all(|p| *p);
            assert!(
                all || present.iter().all(|p| !*p),
                "message {} half stored: {present:?}",
                m.id
            );
            assert_eq!(tenant.was_seen(&m.id).unwrap(), all, "{}", m.id);
            if all {
                unanswered_points += m.points.len() as u64;
            }
        }
        eprintln!(
            "{} of {} interrupted messages were committed before the kill (whole)",
            unanswered_points / (2 * PER_BATCH) as u64,
            log.unanswered.len()
        );
        for m in &log.shed {
            assert!(!tenant.was_seen(&m.id).unwrap(), "{} was shed", m.id);
            let ((d, metric, ts), _) = &m.points[0];
            assert!(!get(d, metric).contains_key(ts), "{} was shed", m.id);
        }
        assert_eq!(
            tenant.raw_reading_count().unwrap(),
            acked_points + unanswered_points,
            "points stored that no message accounts for"
        );

        // Rollups and latest committed with the points: they agree with the raw series.
        let latest = tenant.latest_readings().unwrap();
        let far = opsdeck_storage::clock::now() + SignedDuration::from_hours(1);
        for c in 0..CLIENTS {
            let device = format!("crash-{c}");
            for metric in ["flow_m3h", "power_kw"] {
                let raw = get(&device, metric);
                if raw.is_empty() {
                    continue;
                }
                for res in [Resolution::Minute, Resolution::Hour] {
                    let buckets = tenant
                        .rollups(&device, metric, res, Timestamp::UNIX_EPOCH, far)
                        .unwrap();
                    let n: u64 = buckets.iter().map(|b| b.count).sum();
                    let sum: f64 = buckets.iter().map(|b| b.sum).sum();
                    assert_eq!(
                        n,
                        raw.len() as u64,
                        "{device}/{metric} {res:?} rollup count"
                    );
                    let raw_sum: f64 = raw.values().sum();
                    assert!(
                        (sum - raw_sum).abs() <= 1e-6 * raw_sum.abs().max(1.0),
                        "{device}/{metric} {res:?} rollup sum {sum} != {raw_sum}"
                    );
                }
                let (t, v) = raw.iter().next_back().unwrap();
                let l = latest
                    .iter()
                    .find(|l| l.device == device && l.metric == metric)
                    .unwrap_or_else(|| panic!("no latest for {device}/{metric}"));
                assert_eq!(
                    (l.ts.as_millisecond(), l.value),
                    (*t, *v),
                    "{device}/{metric}"
                );
            }
        }
        let devices: Vec<String> = tenant
            .list::<Device>()
            .unwrap()
            .into_iter()
            .map(|d| d.key)
            .collect();
        for m in &log.acked {
            let d = &m.points[0].0.0;
            assert!(devices.contains(d), "{d} not registered: {devices:?}");
        }
    }

    // It comes back, accepts again, and still knows what it acknowledged.
    let serve = site.serve("serve-2.log");
    let mut c = Conn::open(site.addr).unwrap();
    let fresh = batch(CLIENTS, 0, base);
    let r = c
        .request(&site.ingest(fresh.body.clone(), &fresh.id))
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["accepted"], 2 * PER_BATCH);
    for m in [log.acked.first().unwrap(), log.acked.last().unwrap()] {
        let r = c.request(&site.ingest(m.body.clone(), &m.id)).unwrap();
        assert_eq!(
            r.status,
            409,
            "replay of {} after the crash: {}",
            m.id,
            r.text()
        );
        assert_eq!(r.json()["error"], "replay");
        let r = c.request(&site.ingest(fresh.body.clone(), &m.id)).unwrap();
        assert_eq!(r.status, 409, "{}", r.text());
    }
    // The new batch is in the file, seen from this process while serve runs.
    let tenant = Tenant::open(TENANT, &site.db(), &site.seal_key).unwrap();
    for ((d, metric, ts), v) in &fresh.points {
        assert_eq!(series(&tenant, d, metric).get(ts), Some(v));
    }
    drop(tenant);
    drop(c);
    stop_gracefully(serve);
}

/// SIGTERM, and a clean exit.
fn stop_gracefully(mut serve: Serve) {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    kill(Pid::from_raw(serve.child.id() as i32), Signal::SIGTERM).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "serve ignored SIGTERM:\n{}",
            serve.log_text()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "serve exited with {status}:\n{}",
        serve.log_text()
    );
}
