//! The ingest HTTP endpoint in process, real parts only: a redb file in a temp dir, the real
//! group-commit pipeline and HTTP server on a loopback port, and HTTP/1.1 spoken by hand over
//! `TcpStream` (so the tests control every byte and every pause).

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use opsdeck::ingest::http::{HttpServer, HttpSettings};
use opsdeck::ingest::metrics::Metrics;
use opsdeck::ingest::pipeline::{Pipeline, Settings};
use opsdeck::ingest::signing::sign;
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::{Bucket, Resolution};
use opsdeck_storage::records::device::Device;
use serde_json::{Value, json};

const TENANT: &str = "t";
const SECRET: &str = "ingest-secret-of-t";
const SEAL: [u8; 32] = [7; 32];

/// The connection-cap test counts the threads of this process, so it runs alone; every other
/// test holds this shared.
static SERIAL: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    SERIAL.read().unwrap_or_else(|p| p.into_inner())
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    SERIAL.write().unwrap_or_else(|p| p.into_inner())
}

// ---------------------------------------------------------------------------------------------
// A site: one tenant file, the pipeline and the server.

struct Site {
    _tmp: tempfile::TempDir,
    path: PathBuf,
    http: HttpSettings,
    settings: Settings,
    tenant: Arc<Tenant>,
    metrics: Arc<Metrics>,
    pipeline: Arc<Pipeline>,
    server: HttpServer,
}

fn boot(
    path: &Path,
    http: &HttpSettings,
    settings: &Settings,
) -> (Arc<Tenant>, Arc<Metrics>, Arc<Pipeline>, HttpServer) {
    let tenant = Arc::new(Tenant::open(TENANT, path, &SEAL).expect("opening the tenant file"));
    let metrics = Arc::new(Metrics::default());
    let pipeline = Pipeline::start(vec![tenant.clone()], settings.clone(), metrics.clone());
    let keys = [(TENANT.to_owned(), SECRET.to_owned())]
        .into_iter()
        .collect();
    let server = HttpServer::start(http.clone(), pipeline.clone(), keys).expect("starting HTTP");
    (tenant, metrics, pipeline, server)
}

impl Site {
    fn start() -> Site {
        Site::with(HttpSettings::default(), Settings::default())
    }

    fn with(http: HttpSettings, settings: Settings) -> Site {
        let http = HttpSettings {
            bind: "127.0.0.1:0".into(),
            ..http
        };
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("opsdeck.redb");
        let (tenant, metrics, pipeline, server) = boot(&path, &http, &settings);
        Site {
            _tmp: tmp,
            path,
            http,
            settings,
            tenant,
            metrics,
            pipeline,
            server,
        }
    }

    fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    fn conn(&self) -> Conn {
        Conn::open(self.addr())
    }

    /// One request on a connection of its own.
    fn send(&self, req: &Req) -> Resp {
        self.conn().request(req)
    }

    fn raw_count(&self) -> u64 {
        self.tenant.raw_reading_count().unwrap()
    }

    /// Stops everything, waits until the tenant file is no longer held, opens it again and
    /// starts a new pipeline and server on it (on a new port).
    fn restart(self) -> Site {
        let Site {
            _tmp,
            path,
            http,
            settings,
            tenant,
            metrics: _,
            pipeline,
            mut server,
        } = self;
        server.stop();
        pipeline.stop();
        drop(server);
        drop(pipeline);
        let weak = Arc::downgrade(&tenant);
        drop(tenant);
        poll(
            "the old tenant handle to be released",
            Duration::from_secs(10),
            || weak.strong_count() == 0,
        );
        let (tenant, metrics, pipeline, server) = boot(&path, &http, &settings);
        Site {
            _tmp,
            path,
            http,
            settings,
            tenant,
            metrics,
            pipeline,
            server,
        }
    }
}

/// Waits for `ok`, failing the test after `limit`.
fn poll(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP by hand.

#[derive(Debug, Clone)]
struct Req {
    method: &'static str,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn fresh_id() -> String {
    format!("msg-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

fn now_secs() -> i64 {
    opsdeck_storage::clock::now().as_second()
}

impl Req {
    fn get(path: &str) -> Req {
        Req {
            method: "GET",
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A POST /ingest signed now with the tenant's secret, with a fresh message id.
    fn ingest(body: impl Into<Vec<u8>>) -> Req {
        Req::signed(body, &fresh_id(), now_secs(), SECRET)
    }

    fn signed(body: impl Into<Vec<u8>>, message_id: &str, ts: i64, secret: &str) -> Req {
        let body = body.into();
        let ts = ts.to_string();
        let sig = sign(secret, &ts, &body);
        Req {
            method: "POST",
            path: "/ingest".into(),
            headers: vec![
                ("X-Tenant".into(), TENANT.into()),
                ("X-Timestamp".into(), ts),
                ("X-Message-Id".into(), message_id.into()),
                ("X-Signature".into(), sig),
                ("Content-Type".into(), "application/json".into()),
            ],
            body,
        }
    }

    /// Sets (or replaces) a header.
    fn header(mut self, name: &str, value: &str) -> Req {
        self = self.without(name);
        self.headers.push((name.into(), value.into()));
        self
    }

    fn without(mut self, name: &str) -> Req {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self
    }

    fn message_id(&self) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == "X-Message-Id")
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: opsdeck.test\r\n",
            self.method, self.path
        );
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "not JSON: {self:?}"
        );
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("bad JSON body ({e}): {}", self.text()))
    }
}

/// One client connection; keeps what it read past a response for the next one.
struct Conn {
    s: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    fn open(addr: SocketAddr) -> Conn {
        let s = TcpStream::connect(addr).expect("connecting to the server");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
        s.set_nodelay(true).unwrap();
        Conn { s, buf: Vec::new() }
    }

    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.s.write_all(bytes)
    }

    fn request(&mut self, req: &Req) -> Resp {
        self.send(&req.bytes()).expect("sending a request");
        self.response().expect("reading a response")
    }

    /// The next whole response (`Content-Length` framed, as the server sends them).
    fn response(&mut self) -> io::Result<Resp> {
        loop {
            if let Some((resp, used)) = parse_response(&self.buf)? {
                self.buf.drain(..used);
                return Ok(resp);
            }
            let mut chunk = [0u8; 16 * 1024];
            match self.s.read(&mut chunk) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("closed after {:?}", String::from_utf8_lossy(&self.buf)),
                    ));
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Whether the server closes the connection (EOF or reset) within `limit` without sending
    /// anything more.
    fn closed_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let closed = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break false;
            }
            self.s.set_read_timeout(Some(left)).unwrap();
            let mut chunk = [0u8; 4096];
            match self.s.read(&mut chunk) {
                Ok(0) => break true,
                Ok(n) => panic!(
                    "unexpected bytes instead of a close: {:?}",
                    String::from_utf8_lossy(&chunk[..n])
                ),
                Err(e) if is_reset(&e) => break true,
                Err(e) if is_timeout(&e) => break false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => panic!("reading: {e}"),
            }
        };
        self.s
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        closed
    }
}

fn is_reset(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn parse_response(buf: &[u8]) -> io::Result<Option<(Resp, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut r = httparse::Response::new(&mut headers);
    let head_len = match r.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{e}: {:?}", String::from_utf8_lossy(buf)),
            ));
        }
    };
    let status = r.code.unwrap_or(0);
    let headers: Vec<(String, String)> = r
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.trim().parse().expect("a numeric Content-Length"))
        .expect("the server always sends Content-Length");
    if buf.len() < head_len + len {
        return Ok(None);
    }
    let body = buf[head_len..head_len + len].to_vec();
    Ok(Some((
        Resp {
            status,
            headers,
            body,
        },
        head_len + len,
    )))
}

/// A refusal: the status, and exactly `{"error": error, "detail": "... detail ..."}`.
#[track_caller]
fn assert_refused(r: &Resp, status: u16, error: &str, detail: &str) {
    assert_eq!(r.status, status, "{} {}", r.status, r.text());
    let v = r.json();
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"));
    assert_eq!(
        obj.keys().map(String::as_str).collect::<Vec<_>>(),
        ["detail", "error"],
        "{v}"
    );
    assert_eq!(v["error"], error, "{v}");
    let d = v["detail"].as_str().expect("a string detail");
    assert!(d.contains(detail), "detail {d:?} should contain {detail:?}");
}

#[track_caller]
fn assert_nothing_stored(site: &Site) {
    assert_eq!(site.raw_count(), 0, "raw readings were stored");
    assert!(site.tenant.latest_readings().unwrap().is_empty());
    assert!(site.tenant.list::<Device>().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Readings.

fn reading(device: &str, ts: Timestamp, metrics: Value) -> Value {
    json!({ "device": device, "ts": ts.to_string(), "metrics": metrics })
}

fn body(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

/// The start of the hour two hours ago: readings at it and up to an hour after are in the past.
fn base_hour() -> Timestamp {
    Timestamp::from_second((now_secs() / 3600 - 2) * 3600).unwrap()
}

fn at(base: Timestamp, secs: i64) -> Timestamp {
    base + jiff::SignedDuration::from_secs(secs)
}

fn a_reading() -> Vec<u8> {
    body(&reading(
        "AHU-01",
        at(base_hour(), 0),
        json!({ "supply_temp_c": 12.4 }),
    ))
}

/// (metric, unit) of a device.
type Units = Vec<(String, String)>;

/// What one load-shedding client saw: status, Retry-After, body, batch number.
type Answer = (u16, Option<String>, Value, usize);

#[track_caller]
fn assert_bucket(b: &Bucket, start: Timestamp, min: f64, max: f64, sum: f64, count: u64) {
    assert_eq!(b.start, start, "{b:?}");
    assert_eq!((b.min, b.max, b.count), (min, max, count), "{b:?}");
    assert!((b.sum - sum).abs() < 1e-9, "sum {} != {sum}: {b:?}", b.sum);
}

// ---------------------------------------------------------------------------------------------
// Accepting.

#[test]
fn accepts_a_reading_and_a_batch_with_rollups_latest_and_devices() {
    let _g = shared();
    let site = Site::start();
    let h = base_hour();

    let one = reading(
        "AHU-01",
        h,
        json!({ "supply_temp_c": 12.4, "power_kw": 31.2 }),
    );
    let r = site.send(&Req::ingest(body(&one)));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({ "accepted": 2, "duplicates": 0, "readings": 2 })
    );
    assert_eq!(site.raw_count(), 2, "acked means stored: visible at once");

    // Out of time order on purpose: latest must be the newest point, not the last one sent.
    let batch = json!([
        reading("AHU-01", at(h, 30), json!({ "supply_temp_c": 13.0 })),
        reading("AHU-01", at(h, 3605), json!({ "supply_temp_c": 15.0 })),
        reading("AHU-01", at(h, 90), json!({ "supply_temp_c": 14.0 })),
        reading("AHU-01", at(h, 20), json!({ "power_kw": 30 })),
        reading(
            "CH-02",
            at(h, 10),
            json!({ "chw_pressure_kpa": 250.5, "fan_rpm": 900, "status": 1 })
        ),
    ]);
    let batch = body(&batch);
    let r = site.send(&Req::ingest(batch.clone()));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({ "accepted": 7, "duplicates": 0, "readings": 7 })
    );
    assert_eq!(site.raw_count(), 9);

    let t = &site.tenant;
    let far = at(h, 4 * 3600);
    assert_eq!(
        t.readings("AHU-01", "supply_temp_c", h, far).unwrap(),
        vec![
            (h, 12.4),
            (at(h, 30), 13.0),
            (at(h, 90), 14.0),
            (at(h, 3605), 15.0)
        ]
    );
    assert_eq!(
        t.readings("CH-02", "fan_rpm", h, far).unwrap(),
        vec![(at(h, 10), 900.0)]
    );

    let minute = t
        .rollups("AHU-01", "supply_temp_c", Resolution::Minute, h, far)
        .unwrap();
    assert_eq!(minute.len(), 3, "{minute:?}");
    assert_bucket(&minute[0], h, 12.4, 13.0, 25.4, 2);
    assert_bucket(&minute[1], at(h, 60), 14.0, 14.0, 14.0, 1);
    assert_bucket(&minute[2], at(h, 3600), 15.0, 15.0, 15.0, 1);
    let hour = t
        .rollups("AHU-01", "supply_temp_c", Resolution::Hour, h, far)
        .unwrap();
    assert_eq!(hour.len(), 2, "{hour:?}");
    assert_bucket(&hour[0], h, 12.4, 14.0, 39.4, 3);
    assert_bucket(&hour[1], at(h, 3600), 15.0, 15.0, 15.0, 1);
    let power = t
        .rollups("AHU-01", "power_kw", Resolution::Minute, h, far)
        .unwrap();
    assert_eq!(power.len(), 1);
    assert_bucket(&power[0], h, 30.0, 31.2, 61.2, 2);

    let latest: Vec<(String, String, Timestamp, f64)> = t
        .latest_readings()
        .unwrap()
        .into_iter()
        .map(|l| (l.device, l.metric, l.ts, l.value))
        .collect();
    let s = |x: &str| x.to_owned();
    assert_eq!(
        latest,
        vec![
            (s("AHU-01"), s("power_kw"), at(h, 20), 30.0),
            (s("AHU-01"), s("supply_temp_c"), at(h, 3605), 15.0),
            (s("CH-02"), s("chw_pressure_kpa"), at(h, 10), 250.5),
            (s("CH-02"), s("fan_rpm"), at(h, 10), 900.0),
            (s("CH-02"), s("status"), at(h, 10), 1.0),
        ]
    );

    // Auto-registered, unconfirmed, units guessed from the metric names.
    let devices = t.list::<Device>().unwrap();
    let summary: Vec<(String, bool, Units)> = devices
        .iter()
        .map(|d| {
            (
                d.key.clone(),
                d.value.confirmed,
                d.value
                    .metrics
                    .iter()
                    .map(|(m, i)| (m.clone(), i.unit.clone()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                s("AHU-01"),
                false,
                vec![(s("power_kw"), s("kW")), (s("supply_temp_c"), s("°C"))]
            ),
            (
                s("CH-02"),
                false,
                vec![
                    (s("chw_pressure_kpa"), s("kPa")),
                    (s("fan_rpm"), s("rpm")),
                    (s("status"), s(""))
                ]
            ),
        ]
    );
    assert!(devices.iter().all(|d| d.value.id == d.key));

    // The same points again under a new message id: a redelivery, kept once.
    let r = site.send(&Req::ingest(batch));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!({ "accepted": 0, "duplicates": 7, "readings": 7 })
    );
    assert_eq!(site.raw_count(), 9);
    let minute = t
        .rollups("AHU-01", "supply_temp_c", Resolution::Minute, h, far)
        .unwrap();
    assert_bucket(&minute[0], h, 12.4, 13.0, 25.4, 2);

    // A late point: rollups take it, latest stays on the newest.
    let late = reading("AHU-01", at(h, 45), json!({ "supply_temp_c": 20.0 }));
    let r = site.send(&Req::ingest(body(&late)));
    assert_eq!(r.status, 200, "{}", r.text());
    let minute = t
        .rollups("AHU-01", "supply_temp_c", Resolution::Minute, h, far)
        .unwrap();
    assert_bucket(&minute[0], h, 12.4, 20.0, 45.4, 3);
    let newest = t
        .latest_readings()
        .unwrap()
        .into_iter()
        .find(|l| l.device == "AHU-01" && l.metric == "supply_temp_c")
        .unwrap();
    assert_eq!((newest.ts, newest.value), (at(h, 3605), 15.0));
    assert_eq!(site.metrics.accepted_total(), 10);
}

// ---------------------------------------------------------------------------------------------
// Refusals.

#[test]
fn bad_or_missing_signatures_and_stale_timestamps_are_refused() {
    let _g = shared();
    let site = Site::start();
    let b = a_reading();
    let now = now_secs();

    let r = site.send(&Req::signed(b.clone(), &fresh_id(), now, "not-the-secret"));
    assert_refused(&r, 401, "bad_signature", "does not match");

    // Signed over another body, or another timestamp.
    let mut tampered = Req::ingest(b.clone());
    tampered.body = body(&reading(
        "AHU-01",
        at(base_hour(), 0),
        json!({ "supply_temp_c": 99.9 }),
    ));
    let r = site.send(&tampered);
    assert_refused(&r, 401, "bad_signature", "does not match");
    let moved = Req::ingest(b.clone()).header("X-Timestamp", &(now - 1).to_string());
    let r = site.send(&moved);
    assert_refused(&r, 401, "bad_signature", "does not match");

    let r = site.send(&Req::ingest(b.clone()).header("X-Signature", "sha256=zz"));
    assert_refused(&r, 401, "bad_signature", "does not match");
    let unprefixed = sign(SECRET, &now.to_string(), &b).replace("sha256=", "");
    let r = site
        .send(&Req::signed(b.clone(), &fresh_id(), now, SECRET).header("X-Signature", &unprefixed));
    assert_refused(&r, 401, "bad_signature", "does not match");

    let r = site.send(&Req::ingest(b.clone()).without("X-Signature"));
    assert_refused(&r, 401, "bad_signature", "X-Signature is missing");

    // Correctly signed, but outside the ±300 s window, either way.
    let r = site.send(&Req::signed(b.clone(), &fresh_id(), now - 400, SECRET));
    assert_refused(&r, 401, "stale_timestamp", "from the server clock");
    let r = site.send(&Req::signed(b.clone(), &fresh_id(), now + 400, SECRET));
    assert_refused(&r, 401, "stale_timestamp", "from the server clock");
    let r = site.send(&Req::signed(b.clone(), &fresh_id(), 0, SECRET));
    assert_refused(&r, 401, "stale_timestamp", "±300 s");

    let r = site.send(&Req::ingest(b.clone()).without("X-Timestamp"));
    assert_refused(&r, 400, "bad_request", "X-Timestamp is missing");
    let r = site.send(&Req::ingest(b.clone()).header("X-Timestamp", "yesterday"));
    assert_refused(&r, 400, "bad_request", "unix seconds");

    assert_nothing_stored(&site);
    assert_eq!(site.metrics.rejected_by("bad_signature"), 6);
    assert_eq!(site.metrics.rejected_by("stale_timestamp"), 3);
    assert_eq!(site.metrics.accepted_total(), 0);

    // Inside the window (both ways) it is accepted.
    let r = site.send(&Req::signed(b.clone(), &fresh_id(), now - 200, SECRET));
    assert_eq!(r.status, 200, "{}", r.text());
    let later = body(&reading(
        "AHU-01",
        at(base_hour(), 1),
        json!({ "supply_temp_c": 12.5 }),
    ));
    let r = site.send(&Req::signed(later, &fresh_id(), now + 200, SECRET));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(site.raw_count(), 2);
}

#[test]
fn a_replayed_message_id_is_refused_also_after_a_restart() {
    let _g = shared();
    let site = Site::start();
    let b = a_reading();
    let first = Req::ingest(b.clone());
    let id = first.message_id().to_owned();
    let r = site.send(&first);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(site.raw_count(), 1);

    // The very same request again, and the id with another (validly signed) body.
    let r = site.send(&first);
    assert_refused(&r, 409, "replay", &id);
    let other = body(&reading(
        "AHU-09",
        at(base_hour(), 5),
        json!({ "supply_temp_c": 1.0 }),
    ));
    let r = site.send(&Req::signed(other.clone(), &id, now_secs(), SECRET));
    assert_refused(&r, 409, "replay", "already accepted");
    // Two copies of one new id at once: exactly one is stored.
    let twin = Req::ingest(other.clone());
    let mut a = site.conn();
    let mut c = site.conn();
    a.send(&twin.bytes()).unwrap();
    c.send(&twin.bytes()).unwrap();
    let mut statuses = [a.response().unwrap().status, c.response().unwrap().status];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(site.raw_count(), 2);
    assert_eq!(site.metrics.rejected_by("replay"), 3);
    drop((a, c));

    let site = site.restart();
    assert_eq!(site.raw_count(), 2, "the restart lost readings");
    let r = site.send(&Req::signed(b.clone(), &id, now_secs(), SECRET));
    assert_refused(&r, 409, "replay", &id);
    let r = site.send(&Req::signed(
        other.clone(),
        twin.message_id(),
        now_secs(),
        SECRET,
    ));
    assert_refused(&r, 409, "replay", twin.message_id());
    assert_eq!(site.raw_count(), 2);
    let devices: Vec<String> = site
        .tenant
        .list::<Device>()
        .unwrap()
        .into_iter()
        .map(|d| d.key)
        .collect();
    assert_eq!(devices, ["AHU-01", "AHU-09"]);

    // A new id is fine.
    let r = site.send(&Req::ingest(body(&reading(
        "AHU-01",
        at(base_hour(), 7),
        json!({ "supply_temp_c": 3.0 }),
    ))));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(site.raw_count(), 3);
}

#[test]
fn unknown_tenant_oversized_malformed_and_incomplete_requests_are_refused() {
    let _g = shared();
    let site = Site::with(
        HttpSettings {
            max_body: 4096,
            ..HttpSettings::default()
        },
        Settings::default(),
    );
    let h = base_hour();
    let good = a_reading();

    let r = site.send(&Req::ingest(good.clone()).header("X-Tenant", "nobody"));
    assert_refused(&r, 404, "unknown_tenant", "'nobody'");
    let r = site.send(&Req::ingest(good.clone()).without("X-Tenant"));
    assert_refused(&r, 400, "bad_request", "X-Tenant is missing");

    // Too large: the 413 comes right after the head; the body is never read (never sent here).
    let mut c = site.conn();
    let started = Instant::now();
    let mut huge = Req::ingest(Vec::new()).header("Content-Length", "1000000000");
    huge.body.clear();
    c.send(&huge.bytes()).unwrap();
    let r = c.response().expect("a 413 without sending the body");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_refused(
        &r,
        413,
        "too_large",
        "1000000000 bytes exceeds the limit of 4096",
    );
    assert_eq!(r.header("connection"), Some("close"));
    assert!(
        c.closed_within(Duration::from_secs(5)),
        "not closed after 413"
    );
    // One byte over the limit, sent in full.
    let over = Req::ingest(vec![b' '; 4097]);
    let r = site.send(&over);
    assert_refused(&r, 413, "too_large", "4097 bytes");

    let r = site.send(&Req::ingest(&b"{\"device\":"[..]));
    assert_refused(&r, 400, "bad_payload", "malformed JSON");
    let r = site.send(&Req::ingest(&b"42"[..]));
    assert_refused(&r, 400, "bad_payload", "expected a reading object");
    let r = site.send(&Req::ingest(&b"[]"[..]));
    assert_refused(&r, 400, "bad_payload", "empty array");

    // Wrong types name the field. A batch with one bad reading stores nothing of it.
    let wrong_type = json!([
        reading("AHU-01", h, json!({ "t": 1 })),
        reading("AHU-01", h, json!({ "t": "hot" })),
    ]);
    let r = site.send(&Req::ingest(body(&wrong_type)));
    assert_refused(
        &r,
        400,
        "bad_payload",
        "[1].metrics.t: expected a number, got \"hot\"",
    );
    let r = site.send(&Req::ingest(body(
        &json!({ "device": 5, "ts": h.to_string(), "metrics": { "t": 1 } }),
    )));
    assert_refused(&r, 400, "bad_payload", "device: expected a string");
    let r = site.send(&Req::ingest(body(
        &json!([{ "device": "A", "ts": 1700000000, "metrics": { "t": 1 } }]),
    )));
    assert_refused(
        &r,
        400,
        "bad_payload",
        "[0].ts: expected an RFC 3339 string",
    );
    let r = site.send(&Req::ingest(body(
        &json!({ "device": "A", "ts": h.to_string(), "metrics": [1, 2] }),
    )));
    assert_refused(&r, 400, "bad_payload", "metrics: expected an object");
    let r = site.send(&Req::ingest(body(
        &json!({ "device": "A", "ts": "soon", "metrics": { "t": 1 } }),
    )));
    assert_refused(&r, 400, "bad_payload", "ts: 'soon' is not an RFC 3339 time");
    let ahead = at(opsdeck_storage::clock::now(), 3600);
    let r = site.send(&Req::ingest(body(&reading("A", ahead, json!({ "t": 1 })))));
    assert_refused(&r, 400, "bad_payload", "in the future");

    let r = site.send(&Req::ingest(good.clone()).without("X-Message-Id"));
    assert_refused(&r, 400, "bad_request", "X-Message-Id is missing");
    let r = site.send(&Req::ingest(good.clone()).header("X-Message-Id", ""));
    assert_refused(&r, 400, "bad_request", "X-Message-Id must be");
    let r = site.send(&Req::ingest(good.clone()).header("X-Message-Id", &"x".repeat(129)));
    assert_refused(&r, 400, "bad_request", "X-Message-Id must be");
    let r = site.send(&Req::ingest(good.clone()).header("Content-Length", "ten"));
    assert_refused(&r, 400, "bad_request", "Content-Length");

    let r = site.send(&Req::get("/ingest"));
    assert_refused(&r, 405, "method_not_allowed", "GET /ingest");
    let mut elsewhere = Req::ingest(good.clone());
    elsewhere.path = "/upload".into();
    let r = site.send(&elsewhere);
    assert_refused(&r, 404, "not_found", "/upload");

    assert_nothing_stored(&site);
    assert_eq!(site.metrics.rejected_by("too_large"), 2);
    assert_eq!(site.metrics.rejected_by("bad_payload"), 9);
    assert_eq!(site.metrics.rejected_by("unknown_tenant"), 1);
    // And a good one still goes through.
    let r = site.send(&Req::ingest(good));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(site.raw_count(), 1);
}

#[test]
fn a_client_that_writes_a_whole_oversized_body_before_reading_gets_its_413() {
    let _g = shared();
    let site = Site::start();
    // Like Python's urllib: the whole request goes out before a byte of the answer is read. A
    // server that answers and closes with the body unread resets the connection instead.
    let big = Req::ingest(vec![b' '; 6 * 1024 * 1024]);
    let mut c = site.conn();
    let mut s = c.s.try_clone().unwrap();
    let bytes = big.bytes();
    let writer = std::thread::spawn(move || s.write_all(&bytes));
    writer
        .join()
        .unwrap()
        .expect("writing the whole request (the server must read it, not reset)");
    let r = c.response().expect("the 413, not a reset");
    assert_refused(
        &r,
        413,
        "too_large",
        "body of 6291456 bytes exceeds the limit of 1048576 bytes",
    );
    assert_eq!(r.header("connection"), Some("close"));
    assert!(
        c.closed_within(Duration::from_secs(5)),
        "not closed after 413"
    );
    assert_eq!(site.metrics.rejected_by("too_large"), 1);
    poll(
        "the connection to be released",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
    assert_nothing_stored(&site);
}

#[test]
fn a_chunked_body_gets_411() {
    let _g = shared();
    let site = Site::start();
    let b = a_reading();
    let req = Req::ingest(b.clone()).header("Transfer-Encoding", "chunked");
    // Framed as chunks, with no Content-Length.
    let mut head = String::from("POST /ingest HTTP/1.1\r\nHost: opsdeck.test\r\n");
    for (k, v) in &req.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(format!("{:x}\r\n", b.len()).as_bytes());
    bytes.extend_from_slice(&b);
    bytes.extend_from_slice(b"\r\n0\r\n\r\n");
    let mut c = site.conn();
    c.send(&bytes).unwrap();
    let r = c.response().unwrap();
    assert_refused(&r, 411, "length_required", "chunked");
    assert_eq!(r.header("connection"), Some("close"));
    assert!(
        c.closed_within(Duration::from_secs(5)),
        "not closed after 411"
    );
    assert_nothing_stored(&site);
}

// ---------------------------------------------------------------------------------------------
// Connections.

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let _g = shared();
    let site = Site::start();
    let h = base_hour();
    let mut c = site.conn();
    for i in 0..60 {
        if i % 10 == 9 {
            let r = c.request(&Req::get("/health"));
            assert_eq!(r.status, 200);
            continue;
        }
        let b = body(&reading("KA-1", at(h, i), json!({ "v": i })));
        let r = c.request(&Req::ingest(b));
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
        assert_eq!(r.header("connection"), Some("keep-alive"));
        assert_eq!(r.json()["accepted"], 1);
    }
    assert_eq!(site.raw_count(), 54);
    assert_eq!(site.server.active_connections(), 1);

    // Pipelined: two requests in one write, two answers in order.
    let mut two = Req::ingest(body(&reading("KA-1", at(h, 100), json!({ "v": 1 })))).bytes();
    two.extend(Req::get("/health").bytes());
    c.send(&two).unwrap();
    assert_eq!(c.response().unwrap().json()["accepted"], 1);
    assert_eq!(c.response().unwrap().json()["status"], "ok");

    // A refusal that does not end the connection keeps it open too.
    let r = c.request(&Req::ingest(a_reading()).header("X-Signature", "sha256=00"));
    assert_refused(&r, 401, "bad_signature", "does not match");
    assert_eq!(r.header("connection"), Some("keep-alive"));

    // The client asks to close: the answer says so and the server closes.
    let last = Req::ingest(body(&reading("KA-1", at(h, 101), json!({ "v": 2 }))))
        .header("Connection", "close");
    let r = c.request(&last);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("connection"), Some("close"));
    assert!(
        c.closed_within(Duration::from_secs(5)),
        "the server kept the connection open after Connection: close"
    );
    assert_eq!(site.raw_count(), 56);
    poll(
        "the connection to be released",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
}

#[test]
fn health_and_metrics_report_what_happened() {
    let _g = shared();
    let site = Site::start();
    let h = base_hour();
    let b = a_reading();
    for _ in 0..2 {
        let r = site.send(&Req::signed(b.clone(), &fresh_id(), now_secs(), "wrong"));
        assert_eq!(r.status, 401);
    }
    let r = site.send(&Req::signed(
        b.clone(),
        &fresh_id(),
        now_secs() - 3600,
        SECRET,
    ));
    assert_eq!(r.status, 401);
    let batch = json!([
        reading("M-1", h, json!({ "a": 1, "b": 2 })),
        reading("M-2", h, json!({ "a": 3 })),
    ]);
    let r = site.send(&Req::ingest(body(&batch)));
    assert_eq!(r.status, 200, "{}", r.text());

    let r = site.send(&Req::get("/health"));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({ "status": "ok", "tenants": ["t"], "mqtt": "disabled", "readings_accepted": 3 })
    );

    let r = site.send(&Req::get("/metrics?x=1"));
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type").unwrap().starts_with("text/plain"),
        "{:?}",
        r.header("content-type")
    );
    let text = r.text();
    let samples: BTreeMap<String, f64> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, value) = l
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("bad line {l:?}"));
            let value: f64 = value
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {l:?}"));
            (name.to_owned(), value)
        })
        .collect();
    let get = |k: &str| {
        *samples
            .get(k)
            .unwrap_or_else(|| panic!("no sample {k} in:\n{text}"))
    };
    assert_eq!(get("opsdeck_readings_accepted_total"), 3.0);
    assert_eq!(
        get("opsdeck_ingest_rejected_total{reason=\"bad_signature\"}"),
        2.0
    );
    assert_eq!(
        get("opsdeck_ingest_rejected_total{reason=\"stale_timestamp\"}"),
        1.0
    );
    assert!(text.contains("# TYPE opsdeck_readings_accepted_total counter\n"));
    assert!(text.contains("# TYPE opsdeck_commit_seconds histogram\n"));
    let count = get("opsdeck_commit_seconds_count");
    assert!(count >= 1.0, "{text}");
    assert_eq!(get("opsdeck_commit_seconds_bucket{le=\"+Inf\"}"), count);
    assert!(get("opsdeck_commit_seconds_sum") > 0.0, "{text}");
    // Cumulative buckets: never decreasing, ending at the count.
    let buckets: Vec<f64> = text
        .lines()
        .filter(|l| l.starts_with("opsdeck_commit_seconds_bucket{"))
        .map(|l| l.rsplit_once(' ').unwrap().1.parse().unwrap())
        .collect();
    assert!(buckets.len() >= 2, "{text}");
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{text}");
    assert_eq!(*buckets.last().unwrap(), count);
}

/// Writes `head` one byte every `every` until stopped or the server hangs up.
fn trickle(
    mut s: TcpStream,
    head: Vec<u8>,
    every: Duration,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for byte in head {
            if stop.load(Ordering::SeqCst) || s.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(every);
        }
    })
}

#[test]
fn slow_and_silent_clients_neither_block_others_nor_stay_forever() {
    let _g = shared();
    let header_timeout = Duration::from_secs(2);
    let idle_timeout = Duration::from_secs(3);
    let site = Site::with(
        HttpSettings {
            header_timeout,
            idle_timeout,
            ..HttpSettings::default()
        },
        Settings::default(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    // A head that never ends: 20 clients trickle it a byte per 200 ms.
    let head = format!(
        "POST /ingest HTTP/1.1\r\nHost: x\r\nX-Tenant: t\r\nX-Pad: {}",
        "a".repeat(400)
    )
    .into_bytes();
    let started = Instant::now();
    let mut slow = Vec::new();
    let mut writers = Vec::new();
    for _ in 0..20 {
        let c = site.conn();
        writers.push(trickle(
            c.s.try_clone().unwrap(),
            head.clone(),
            Duration::from_millis(200),
            stop.clone(),
        ));
        slow.push(c);
    }
    let mut silent: Vec<Conn> = (0..20).map(|_| site.conn()).collect();
    poll(
        "all 40 connections to be served",
        Duration::from_secs(5),
        || site.server.active_connections() == 40,
    );

    // Meanwhile a good client is served at once.
    let asked = Instant::now();
    let r = site.send(&Req::ingest(a_reading()));
    let took = asked.elapsed();
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        took < Duration::from_millis(900),
        "the good client waited {took:?}"
    );
    assert_eq!(site.raw_count(), 1);
    assert!(
        site.server.active_connections() >= 40,
        "the slow clients were cut before their deadline"
    );

    // The trickling ones get a 408 once the head deadline passes, and are closed.
    for (i, c) in slow.iter_mut().enumerate() {
        let r = c
            .response()
            .unwrap_or_else(|e| panic!("slow client {i}: no 408: {e}"));
        assert_refused(&r, 408, "timeout", "request head did not arrive in time");
        assert!(
            started.elapsed() >= header_timeout,
            "cut after {:?}",
            started.elapsed()
        );
        assert!(
            c.closed_within(Duration::from_secs(3)),
            "slow client {i} not closed after its 408"
        );
    }
    let slow_done = started.elapsed();
    assert!(slow_done < Duration::from_secs(6), "{slow_done:?}");
    // The silent ones never started a request: closed without an answer, no later than the
    // idle timeout (a new connection gets only the header deadline).
    for (i, c) in silent.iter_mut().enumerate() {
        assert!(
            c.closed_within(Duration::from_secs(6)),
            "silent client {i} still open after {:?}",
            started.elapsed()
        );
        assert!(c.buf.is_empty());
    }
    assert!(
        started.elapsed() < idle_timeout + Duration::from_secs(1),
        "silent connections held past the idle timeout: {:?}",
        started.elapsed()
    );
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    poll(
        "the connection count to fall back",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
    assert_eq!(site.metrics.rejected_by("header_timeout"), 20);
    assert_eq!(site.raw_count(), 1);
}

/// Sends `line` over and over until the server stops taking it; returns the bytes sent.
fn flood(mut s: TcpStream, line: Vec<u8>, stop: Arc<AtomicBool>) -> JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut sent = 0;
        while !stop.load(Ordering::SeqCst) && sent < 64 * 1024 * 1024 {
            match s.write_all(&line) {
                Ok(()) => sent += line.len(),
                Err(_) => break,
            }
        }
        sent
    })
}

#[test]
fn endless_headers_get_431_and_a_close() {
    let _g = shared();
    let site = Site::with(
        HttpSettings {
            max_header_bytes: 8192,
            ..HttpSettings::default()
        },
        Settings::default(),
    );
    let cases: [(&str, &[u8], &str); 2] = [
        // One header line that never ends.
        (
            "long line",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "exceeds 8192 bytes",
        ),
        // Header lines forever.
        ("many lines", b"X-More: yes\r\n", "header"),
    ];
    for (what, line, detail) in cases {
        let stop = Arc::new(AtomicBool::new(false));
        let mut c = site.conn();
        c.send(b"POST /ingest HTTP/1.1\r\nHost: x\r\nX-Junk: ")
            .unwrap();
        if what == "many lines" {
            c.send(b"1\r\n").unwrap();
        }
        let writer = flood(c.s.try_clone().unwrap(), line.to_vec(), stop.clone());
        let r = c
            .response()
            .unwrap_or_else(|e| panic!("{what}: no answer: {e}"));
        assert_refused(&r, 431, "header_too_large", detail);
        assert!(
            c.closed_within(Duration::from_secs(5)),
            "{what}: still open after the 431"
        );
        stop.store(true, Ordering::SeqCst);
        let sent = writer.join().unwrap();
        assert!(
            sent < 64 * 1024 * 1024,
            "{what}: the server read {sent} bytes"
        );
    }
    assert_eq!(site.metrics.rejected_by("header_too_large"), 2);
    poll(
        "the connection count to fall back",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
    assert_nothing_stored(&site);
}

#[test]
fn a_whole_head_over_the_limit_gets_431() {
    let _g = shared();
    let site = Site::with(
        HttpSettings {
            max_header_bytes: 1024,
            ..HttpSettings::default()
        },
        Settings::default(),
    );
    // Arriving in one piece (not trickled) must not slip past the limit.
    let req = Req::ingest(a_reading()).header("X-Pad", &"a".repeat(5000));
    let mut c = site.conn();
    c.send(&req.bytes()).unwrap();
    let r = c.response().unwrap();
    assert_refused(&r, 431, "header_too_large", "exceeds 1024 bytes");
    assert!(
        c.closed_within(Duration::from_secs(5)),
        "still open after the 431"
    );
    assert_nothing_stored(&site);
    // Just under the limit is fine.
    let r = site.send(&Req::ingest(a_reading()).header("X-Pad", &"a".repeat(300)));
    assert_eq!(r.status, 200, "{}", r.text());
}

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn past_the_connection_cap_clients_get_503_and_no_thread() {
    let _g = exclusive();
    let cap = 4;
    let site = Site::with(
        HttpSettings {
            max_connections: cap,
            ..HttpSettings::default()
        },
        Settings::default(),
    );
    let base = threads();
    let held: Vec<Conn> = (0..cap).map(|_| site.conn()).collect();
    poll("the cap to be reached", Duration::from_secs(5), || {
        site.server.active_connections() == cap
    });
    let mut max_threads = threads();

    let asked = Instant::now();
    let mut fifth = site.conn();
    let r = fifth.response().expect("a 503 for the fifth connection");
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    assert_refused(&r, 503, "busy", "too many connections");
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(fifth.closed_within(Duration::from_secs(5)));

    // Many more idle connections at once: each refused, none costs a thread.
    let mut extra: Vec<Conn> = (0..40).map(|_| site.conn()).collect();
    for c in extra.iter_mut() {
        max_threads = max_threads.max(threads());
        let r = c.response().expect("a 503");
        assert_eq!(r.status, 503);
    }
    max_threads = max_threads.max(threads());
    assert!(
        max_threads <= base + cap + 3,
        "{max_threads} threads with {cap} connections served (before: {base})"
    );
    assert_eq!(site.server.active_connections(), cap);
    assert_eq!(site.metrics.rejected_by("connection_limit"), 41);
    drop(extra);

    // Freed slots are served again.
    drop(held);
    poll(
        "the held connections to be released",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
    let r = site.send(&Req::ingest(a_reading()));
    assert_eq!(r.status, 200, "{}", r.text());
    poll(
        "the connection threads to end",
        Duration::from_secs(5),
        || threads() <= base,
    );
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn finished_connections_release_their_sockets() {
    let _g = exclusive();
    let site = Site::start();
    // Warm up (the tenant file, the first commit), then count.
    let r = site.send(&Req::ingest(a_reading()).header("Connection", "close"));
    assert_eq!(r.status, 200, "{}", r.text());
    poll(
        "the warm-up connection to end",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
    let before = open_fds();
    // The client hangs up after its answer.
    for _ in 0..50 {
        let mut c = site.conn();
        let r = c.request(&Req::get("/health"));
        assert_eq!(r.status, 200);
    }
    poll(
        "the connection threads to end",
        Duration::from_secs(5),
        || site.server.active_connections() == 0,
    );
    let start = Instant::now();
    while open_fds() > before + 2 && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let after = open_fds();
    assert!(
        after <= before + 2,
        "{} file descriptors still open after 50 finished connections ({before} before)",
        after - before
    );
    // The server hangs up (Connection: close): the client sees the close.
    for i in 0..10 {
        let mut c = site.conn();
        let r = c.request(&Req::get("/health").header("Connection", "close"));
        assert_eq!(r.status, 200);
        assert_eq!(r.header("connection"), Some("close"));
        assert!(
            c.closed_within(Duration::from_secs(5)),
            "connection {i} not closed by the server after Connection: close"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Load shedding.

#[test]
fn a_full_queue_sheds_with_429_and_every_200_is_stored() {
    let _g = shared();
    let site = Arc::new(Site::with(
        HttpSettings::default(),
        Settings {
            queue: 1,
            ..Settings::default()
        },
    ));
    let h = base_hour();
    let clients: Vec<JoinHandle<Vec<Answer>>> = (0..12)
        .map(|client| {
            let site = site.clone();
            std::thread::spawn(move || {
                let mut c = site.conn();
                let mut out = Vec::new();
                for n in 0..12 {
                    let readings: Vec<Value> = (0..100)
                        .map(|k| {
                            let ms = (n * 100 + k) as i64 * 10;
                            reading(
                                &format!("L-{client}"),
                                h + jiff::SignedDuration::from_millis(ms),
                                json!({ "v": ms }),
                            )
                        })
                        .collect();
                    let r = c.request(&Req::ingest(body(&json!(readings))));
                    let retry = r.header("retry-after").map(str::to_owned);
                    out.push((r.status, retry, r.json(), n));
                }
                out
            })
        })
        .collect();
    let mut ok = 0u64;
    let mut shed = 0;
    for (client, t) in clients.into_iter().enumerate() {
        for (status, retry, v, n) in t.join().unwrap() {
            match status {
                200 => {
                    assert_eq!(v["accepted"], 100, "{v}");
                    ok += 100;
                    let from = h + jiff::SignedDuration::from_millis(n as i64 * 1000);
                    let to = from + jiff::SignedDuration::from_millis(1000);
                    let stored = site
                        .tenant
                        .readings(&format!("L-{client}"), "v", from, to)
                        .unwrap();
                    assert_eq!(
                        stored.len(),
                        100,
                        "client {client} batch {n} acked but not stored"
                    );
                }
                429 => {
                    shed += 1;
                    assert_eq!(v["error"], "overloaded", "{v}");
                    assert_eq!(retry.as_deref(), Some("1"));
                }
                s => panic!("unexpected {s}: {v}"),
            }
        }
    }
    eprintln!(
        "load shedding: {} batches stored, {shed} refused with 429",
        ok / 100
    );
    assert!(ok > 0);
    assert_eq!(
        site.raw_count(),
        ok,
        "stored readings != acknowledged readings"
    );
    assert_eq!(site.metrics.rejected_by("overloaded"), shed);
    assert_eq!(site.metrics.accepted_total(), ok);
}
