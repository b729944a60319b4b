//! The HTTP side of ingest: `POST /ingest`, `GET /health`, `GET /metrics`.
//!
//! Not tiny_http: tiny_http 0.12 hands every accepted socket to a task pool that starts a new
//! thread whenever none is idle (no bound), never exposes the socket for read/write timeouts,
//! and reads header lines without a size limit, so a slow or stalled client holds a thread
//! forever and endless headers grow memory. This is a small HTTP/1.1 server on std with
//! `httparse` for the request head, and the limits built in:
//! - at most `max_connections` connections at once (one thread each); the next gets a 503 and
//!   is closed at once;
//! - a request head must arrive whole within `header_timeout` (of the connection opening, or of
//!   its first byte on a kept-alive connection) and fit in `max_header_bytes` (431 otherwise);
//!   an idle keep-alive connection is closed after `idle_timeout`;
//! - the body is read to exactly its Content-Length, which must not exceed `max_body` (413 before
//!   reading a byte of it), within `body_timeout`; no chunked bodies (411).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use jiff::SignedDuration;
use serde_json::json;

use super::payload;
use super::pipeline::{Outcome, Pipeline, Refused};
use super::signing;

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub bind: String,
    pub max_body: u64,
    /// Accepted clock difference for X-Timestamp, both directions.
    pub tolerance: SignedDuration,
    pub max_connections: usize,
    pub max_header_bytes: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            bind: "127.0.0.1:8787".into(),
            max_body: 1024 * 1024,
            tolerance: SignedDuration::from_secs(300),
            max_connections: 256,
            max_header_bytes: 16 * 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
        }
    }
}

struct Shared {
    settings: HttpSettings,
    pipeline: Arc<Pipeline>,
    /// tenant -> ingest secret
    keys: HashMap<String, String>,
    active: AtomicUsize,
    stop: AtomicBool,
    /// A handle on every open connection (by id), so `stop` can end them.
    conns: Mutex<HashMap<u64, TcpStream>>,
    next_conn: AtomicU64,
}

pub struct HttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Binds and starts accepting. `keys` maps tenant name to its ingest secret.
    pub fn start(
        settings: HttpSettings,
        pipeline: Arc<Pipeline>,
        keys: HashMap<String, String>,
    ) -> io::Result<HttpServer> {
        let listener = TcpListener::bind(&settings.bind)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            settings,
            pipeline,
            keys,
            active: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(0),
        });
        let s = shared.clone();
        let acceptor = std::thread::Builder::new()
            .name("http-accept".into())
            .spawn(move || accept_loop(listener, s))?;
        Ok(HttpServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections being served right now.
    pub fn active_connections(&self) -> usize {
        self.shared.active.load(Ordering::SeqCst)
    }

    pub fn stop(&mut self) {
        if self.shared.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the blocking accept, and end open connections.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        for c in self
            .shared
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, c)| c)
        {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
        if let Some(t) = self.acceptor.take() {
            let _ = t.join();
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Decrements the connection count however the connection thread ends.
/// Also drops the connection's handle in `conns`, so the socket really closes.
struct Slot(Arc<Shared>, u64);

impl Drop for Slot {
    fn drop(&mut self) {
        let handle = self
            .0
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.1);
        drop(handle);
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let mut stream = match conn {
            Ok(s) => s,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                tracing::warn!("ingest accept: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let n = shared.active.fetch_add(1, Ordering::SeqCst);
        if n >= shared.settings.max_connections {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            shared.pipeline.metrics.rejected("connection_limit");
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let _ = write_response(
                &mut stream,
                &Response::error(503, "busy", "too many connections; retry shortly"),
                false,
            );
            continue;
        }
        let id = shared.next_conn.fetch_add(1, Ordering::Relaxed);
        let slot = Slot(shared.clone(), id);
        if let Ok(c) = stream.try_clone() {
            shared
                .conns
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id, c);
        }
        let spawned = std::thread::Builder::new()
            .name("http-conn".into())
            .spawn(move || {
                let shared = slot.0.clone();
                if let Err(e) = serve_connection(stream, &shared) {
                    tracing::debug!("ingest connection: {e}");
                }
                drop(slot);
            });
        if let Err(e) = spawned {
            tracing::error!("ingest: cannot start a connection thread: {e}");
        }
    }
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    retry_after: bool,
}

impl Response {
    fn json(status: u16, value: serde_json::Value) -> Response {
        Response {
            status,
            content_type: "application/json",
            body: value.to_string().into_bytes(),
            retry_after: status == 429 || status == 503,
        }
    }

    fn error(status: u16, error: &str, detail: &str) -> Response {
        Response::json(status, json!({ "error": error, "detail": detail }))
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

fn write_response(stream: &mut TcpStream, r: &Response, keep_alive: bool) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if r.retry_after {
        head.push_str("Retry-After: 1\r\n");
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(&r.body);
    stream.write_all(&out)?;
    stream.flush()
}

/// A parsed request head.
struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    keep_alive: bool,
    len: usize,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum Read_ {
    Head(Head),
    /// The peer closed (or went idle) between requests: nothing to answer.
    Closed,
    /// Answer this and close.
    Refuse(Response, &'static str),
}

fn serve_connection(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let s = &shared.settings;
    let _ = stream.set_nodelay(true);
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut first = true;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let head = match read_head(&mut stream, &mut buf, s, first)? {
            Read_::Head(h) => h,
            Read_::Closed => return Ok(()),
            Read_::Refuse(r, why) => {
                shared.pipeline.metrics.rejected(why);
                let _ = write_response(&mut stream, &r, false);
                return Ok(());
            }
        };
        buf.drain(..head.len);
        first = false;
        // The body: a declared length, within the limit, read with a deadline.
        if head
            .header("transfer-encoding")
            .is_some_and(|v| !v.eq_ignore_ascii_case("identity"))
        {
            shared.pipeline.metrics.rejected("bad_request");
            let r = Response::error(
                411,
                "length_required",
                "send a Content-Length body (chunked is not accepted)",
            );
            let _ = write_response(&mut stream, &r, false);
            return Ok(());
        }
        let len = match head
            .header("content-length")
            .map(|v| v.trim().parse::<u64>())
        {
            None => 0,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                shared.pipeline.metrics.rejected("bad_request");
                let r = Response::error(400, "bad_request", "Content-Length is not a number");
                let _ = write_response(&mut stream, &r, false);
                return Ok(());
            }
        };
        if len > s.max_body {
            shared.pipeline.metrics.rejected("too_large");
            let r = Response::error(
                413,
                "too_large",
                &format!(
                    "body of {len} bytes exceeds the limit of {} bytes",
                    s.max_body
                ),
            );
            let _ = write_response(&mut stream, &r, false);
            return Ok(());
        }
        let body = match read_body(&mut stream, &mut buf, len as usize, s.body_timeout)? {
            Some(b) => b,
            None => {
                shared.pipeline.metrics.rejected("body_timeout");
                let r = Response::error(408, "timeout", "the body did not arrive in time");
                let _ = write_response(&mut stream, &r, false);
                return Ok(());
            }
        };
        let response = route(shared, &head, &body);
        let keep = head.keep_alive && !shared.stop.load(Ordering::SeqCst);
        write_response(&mut stream, &response, keep)?;
        if !keep {
            return Ok(());
        }
    }
}

fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    s: &HttpSettings,
    first: bool,
) -> io::Result<Read_> {
    // Waiting for the first byte of a later request is keep-alive idling; a new connection's
    // first request, and any request once started, must arrive whole within the header
    // deadline, however slowly it trickles (a silent client cannot hold a slot for long).
    let mut deadline: Option<Instant> = if buf.is_empty() && !first {
        None
    } else {
        Some(Instant::now() + s.header_timeout)
    };
    let idle_until = Instant::now() + s.idle_timeout;
    let mut chunk = [0u8; 8192];
    loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(buf) {
                Ok(httparse::Status::Complete(len)) if len > s.max_header_bytes => {
                    return Ok(Read_::Refuse(
                        Response::error(
                            431,
                            "header_too_large",
                            &format!("request head exceeds {} bytes", s.max_header_bytes),
                        ),
                        "header_too_large",
                    ));
                }
                Ok(httparse::Status::Complete(len)) => {
                    let version = req.version.unwrap_or(1);
                    let headers: Vec<(String, String)> = req
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_owned(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect();
                    let connection = headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("connection"))
                        .map(|(_, v)| v.to_ascii_lowercase());
                    let keep_alive = match connection.as_deref() {
                        Some(v) if v.contains("close") => false,
                        Some(v) if v.contains("keep-alive") => true,
                        _ => version == 1,
                    };
                    return Ok(Read_::Head(Head {
                        method: req.method.unwrap_or("").to_owned(),
                        path: req.path.unwrap_or("").to_owned(),
                        headers,
                        keep_alive,
                        len,
                    }));
                }
                Ok(httparse::Status::Partial) => {
                    if buf.len() > s.max_header_bytes {
                        return Ok(Read_::Refuse(
                            Response::error(
                                431,
                                "header_too_large",
                                &format!("request head exceeds {} bytes", s.max_header_bytes),
                            ),
                            "header_too_large",
                        ));
                    }
                }
                Err(httparse::Error::TooManyHeaders) => {
                    return Ok(Read_::Refuse(
                        Response::error(431, "header_too_large", "more than 64 header fields"),
                        "header_too_large",
                    ));
                }
                Err(e) => {
                    return Ok(Read_::Refuse(
                        Response::error(400, "bad_request", &format!("malformed request: {e}")),
                        "bad_request",
                    ));
                }
            }
        }
        let until = deadline.unwrap_or(idle_until);
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            // A head that started and stalled gets its 408; a connection that never sent a
            // byte is simply closed.
            if deadline.is_some() && !buf.is_empty() {
                return Ok(Read_::Refuse(
                    Response::error(408, "timeout", "the request head did not arrive in time"),
                    "header_timeout",
                ));
            }
            return Ok(Read_::Closed);
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(Read_::Closed),
            Ok(n) => {
                if deadline.is_none() {
                    deadline = Some(Instant::now() + s.header_timeout);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Exactly `len` bytes (some may already be in `buf`), or None when the deadline passes.
fn read_body(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    len: usize,
    timeout: Duration,
) -> io::Result<Option<Vec<u8>>> {
    let deadline = Instant::now() + timeout;
    while buf.len() < len {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        stream.set_read_timeout(Some(left))?;
        let want = len - buf.len();
        let mut limited = (&mut *stream).take(want as u64);
        let mut chunk = vec![0u8; want.min(64 * 1024)];
        match limited.read(&mut chunk) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(buf.drain(..len).collect()))
}

fn route(shared: &Shared, head: &Head, body: &[u8]) -> Response {
    let path = head.path.split('?').next().unwrap_or("");
    match (head.method.as_str(), path) {
        ("POST", "/ingest") => ingest(shared, head, body),
        ("GET", "/health") => Response::json(
            200,
            json!({
                "status": "ok",
                "tenants": shared.keys.keys().collect::<Vec<_>>(),
                "mqtt": shared.pipeline.metrics.mqtt().as_str(),
                "readings_accepted": shared.pipeline.metrics.accepted_total(),
            }),
        ),
        ("GET", "/metrics") => Response {
            status: 200,
            content_type: "text/plain; version=0.0.4",
            body: shared.pipeline.metrics.render().into_bytes(),
            retry_after: false,
        },
        (_, "/ingest" | "/health" | "/metrics") => Response::error(
            405,
            "method_not_allowed",
            &format!("{} {path}", head.method),
        ),
        _ => Response::error(404, "not_found", &format!("no endpoint {path}")),
    }
}

/// The DESIGN.md order: size (checked before the body was read), tenant, timestamp window,
/// signature, message id, payload.
fn ingest(shared: &Shared, head: &Head, body: &[u8]) -> Response {
    let metrics = &shared.pipeline.metrics;
    let refuse = |status: u16, error: &'static str, detail: &str| {
        metrics.rejected(error);
        Response::error(status, error, detail)
    };
    let Some(tenant) = head.header("x-tenant").map(str::trim) else {
        return refuse(400, "bad_request", "header X-Tenant is missing");
    };
    let (Some(secret), Some(_)) = (shared.keys.get(tenant), shared.pipeline.tenant(tenant)) else {
        return refuse(
            404,
            "unknown_tenant",
            &format!("no tenant '{tenant}' on this site"),
        );
    };
    let Some(ts_text) = head.header("x-timestamp").map(str::trim) else {
        return refuse(400, "bad_request", "header X-Timestamp is missing");
    };
    let Ok(ts) = ts_text.parse::<i64>() else {
        return refuse(400, "bad_request", "X-Timestamp must be unix seconds");
    };
    let now = crate::clock::now();
    let skew = now.as_second().saturating_sub(ts);
    let tol = shared.settings.tolerance.as_secs();
    if now.as_second().abs_diff(ts) > tol.unsigned_abs() {
        return refuse(
            401,
            "stale_timestamp",
            &format!("X-Timestamp is {skew} s from the server clock; the window is ±{tol} s"),
        );
    }
    let Some(sig) = head.header("x-signature") else {
        return refuse(401, "bad_signature", "header X-Signature is missing");
    };
    if !signing::verify(secret, ts_text, body, sig) {
        return refuse(
            401,
            "bad_signature",
            "X-Signature does not match HMAC-SHA256(secret, timestamp.body)",
        );
    }
    let message_id = match head.header("x-message-id").map(str::trim) {
        Some(id) if !id.is_empty() && id.len() <= 128 => id.to_owned(),
        Some(_) => return refuse(400, "bad_request", "X-Message-Id must be 1-128 characters"),
        None => return refuse(400, "bad_request", "header X-Message-Id is missing"),
    };
    if let Some(t) = shared.pipeline.tenant(tenant)
        && t.was_seen(&message_id).unwrap_or(false)
    {
        return refuse(
            409,
            "replay",
            &format!("message {message_id} was already accepted"),
        );
    }
    let limits = shared.pipeline.limits(shared.settings.tolerance);
    let readings = match payload::parse(body, now, limits) {
        Ok(r) => r,
        Err(detail) => return refuse(400, "bad_payload", &detail),
    };
    let n = readings.len();
    match shared
        .pipeline
        .submit_wait(tenant, readings, Some(message_id.clone()))
    {
        Ok(Outcome::Stored(a)) => Response::json(
            200,
            json!({ "accepted": a.stored, "duplicates": a.duplicates, "readings": n }),
        ),
        Ok(Outcome::Replay) => refuse(
            409,
            "replay",
            &format!("message {message_id} was already accepted"),
        ),
        Ok(Outcome::Failed(e)) => refuse(503, "storage", &e),
        Err(Refused::Busy) => refuse(429, "overloaded", "ingest queue full; retry after 1 s"),
        Err(Refused::UnknownTenant) => refuse(
            404,
            "unknown_tenant",
            &format!("no tenant '{tenant}' on this site"),
        ),
        Err(Refused::Stopped) => refuse(503, "stopping", "the server is shutting down"),
    }
}
