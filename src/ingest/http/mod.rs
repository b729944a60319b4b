//! The site's HTTP server: `POST /ingest`, `GET /health`, `GET /metrics` (and next the Fuel
//! pane's routes).
//!
//! hyper 1 (HTTP/1.1 only) on a small tokio runtime of its own, with a `match` for a router,
//! not axum: the contracts here are about bytes and order (limits checked on the raw request
//! head before hyper parses it, the ingest checks in the DESIGN.md order, every error our JSON),
//! and axum's extractors and default rejections (plain-text 404/405/413) would have to be undone
//! route by route, for a routing table that is one `match`. A new route is one arm in
//! `routes::route` and one function; `routes::signed` checks the ingest signature scheme,
//! `Reply::error` makes the JSON errors, `limits::read_body` has already applied the body limits.
//!
//! - `ctx`: what every connection shares (settings, pipeline, keys, counters).
//! - `server`: the runtime, the accept loop with the connection cap, a task per connection.
//! - `limits`: the limits hyper does not apply the way the contract says: the request-head
//!   deadline (408), the head size (431), framing (chunked 411, bad length 400), idle
//!   keep-alive, the write deadline, the body size (413 before reading it) and deadline (408),
//!   and the lingering close after an answer sent before the request was read whole.
//! - `reply`: JSON answers and their wire form.
//! - `routes`: the router and the handlers.
//!
//! The limits:
//! - at most `max_connections` connections at once; the next one gets a 503 and is closed (no
//!   task or thread is kept for it beyond a short, bounded lingering close);
//! - a request head must arrive whole within `header_timeout` (of the connection opening, or of
//!   its first byte on a kept-alive connection) and fit in `max_header_bytes` (431 otherwise);
//!   an idle keep-alive connection is closed after `idle_timeout`;
//! - the body is read to exactly its Content-Length, which must not exceed `max_body` (413 before
//!   reading a byte of it), within `body_timeout`; no chunked bodies (411).

mod ctx;
mod limits;
mod reply;
mod routes;
mod server;

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;

use super::pipeline::Pipeline;

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

pub struct HttpServer {
    addr: SocketAddr,
    ctx: Arc<ctx::Ctx>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl HttpServer {
    /// Binds and starts accepting. `keys` maps tenant name to its ingest secret.
    pub fn start(
        settings: HttpSettings,
        pipeline: Arc<Pipeline>,
        keys: HashMap<String, String>,
    ) -> io::Result<HttpServer> {
        let (addr, ctx, runtime) = server::start(settings, pipeline, keys)?;
        Ok(HttpServer {
            addr,
            ctx,
            runtime: Some(runtime),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections being served right now.
    pub fn active_connections(&self) -> usize {
        self.ctx.active()
    }

    /// Stops accepting and ends every connection (a request being handled is dropped; what it
    /// queued still commits in the pipeline).
    pub fn stop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            server::stop(rt);
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
