//! The router and the handlers. A route is one arm in `route` and one function; a handler gets
//! the request head and its whole body (already within the limits) and returns a `Reply`.

use std::borrow::Cow;

use hyper::body::{Bytes, Incoming};
use hyper::header::CONNECTION;
use hyper::http::request::Parts;
use hyper::{HeaderMap, Method, Request, Response, Version};
use jiff::Timestamp;
use serde_json::json;
use tokio::sync::oneshot;

use super::ctx::Ctx;
use super::limits;
use super::reply::{Body, Reply};
use crate::ingest::payload;
use crate::ingest::pipeline::{Job, Outcome, Refused};
use crate::ingest::signing;

/// Every request: the body limits, then the route.
pub(super) async fn handle(ctx: &Ctx, req: Request<Incoming>) -> Response<Body> {
    let keep_alive = wants_keep_alive(&req);
    let (parts, body) = req.into_parts();
    let s = &ctx.settings;
    let reply =
        match limits::read_body(&ctx.pipeline.metrics, body, s.max_body, s.body_timeout).await {
            Ok(body) => route(ctx, &parts, body).await,
            Err(refused) => refused,
        };
    reply.into_response(keep_alive)
}

async fn route(ctx: &Ctx, head: &Parts, body: Bytes) -> Reply {
    let path = head.uri.path();
    match (&head.method, path) {
        (&Method::POST, "/ingest") => ingest(ctx, &head.headers, &body).await,
        (&Method::GET, "/health") => health(ctx),
        (&Method::GET, "/metrics") => {
            Reply::text("text/plain; version=0.0.4", ctx.pipeline.metrics.render())
        }
        (_, "/ingest" | "/health" | "/metrics") => Reply::error(
            405,
            "method_not_allowed",
            &format!("{} {path}", head.method),
        ),
        _ => Reply::error(404, "not_found", &format!("no endpoint {path}")),
    }
}

/// As hyper decides it: `Connection: close` or `keep-alive`, else the version's default.
fn wants_keep_alive(req: &Request<Incoming>) -> bool {
    let says = |token: &str| {
        req.headers()
            .get_all(CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    };
    !says("close") && (req.version() == Version::HTTP_11 || says("keep-alive"))
}

/// A refusal, counted in the metrics under its error.
fn refuse(ctx: &Ctx, status: u16, error: &'static str, detail: &str) -> Reply {
    ctx.pipeline.metrics.rejected(error);
    Reply::error(status, error, detail)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<Cow<'a, str>> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
}

/// A request signed with the ingest scheme, checked.
pub(super) struct Signed {
    pub tenant: String,
    pub message_id: String,
    /// The server clock when the timestamp was checked.
    pub now: Timestamp,
}

/// The signature scheme of the ingest contract (DESIGN.md), in its order after the size (already
/// checked): tenant known (404), timestamp within the window (401), HMAC over timestamp and body
/// compared in constant time (401), message id present and not seen before (409). Routes signed
/// the same way start here.
pub(super) fn signed(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Result<Signed, Reply> {
    let Some(tenant) = header(headers, "x-tenant") else {
        return Err(refuse(
            ctx,
            400,
            "bad_request",
            "header X-Tenant is missing",
        ));
    };
    let tenant = tenant.trim();
    let (Some(secret), Some(store)) = (ctx.keys.get(tenant), ctx.pipeline.tenant(tenant)) else {
        return Err(refuse(
            ctx,
            404,
            "unknown_tenant",
            &format!("no tenant '{tenant}' on this site"),
        ));
    };
    let Some(ts_text) = header(headers, "x-timestamp") else {
        return Err(refuse(
            ctx,
            400,
            "bad_request",
            "header X-Timestamp is missing",
        ));
    };
    let ts_text = ts_text.trim();
    let Ok(ts) = ts_text.parse::<i64>() else {
        return Err(refuse(
            ctx,
            400,
            "bad_request",
            "X-Timestamp must be unix seconds",
        ));
    };
    let now = crate::clock::now();
    let skew = now.as_second().saturating_sub(ts);
    let tol = ctx.settings.tolerance.as_secs();
    if now.as_second().abs_diff(ts) > tol.unsigned_abs() {
        return Err(refuse(
            ctx,
            401,
            "stale_timestamp",
            &format!("X-Timestamp is {skew} s from the server clock; the window is ±{tol} s"),
        ));
    }
    let Some(sig) = header(headers, "x-signature") else {
        return Err(refuse(
            ctx,
            401,
            "bad_signature",
            "header X-Signature is missing",
        ));
    };
    if !signing::verify(secret, ts_text, body, &sig) {
        return Err(refuse(
            ctx,
            401,
            "bad_signature",
            "X-Signature does not match HMAC-SHA256(secret, timestamp.body)",
        ));
    }
    let message_id = match header(headers, "x-message-id") {
        Some(id) if !id.trim().is_empty() && id.trim().len() <= 128 => id.trim().to_owned(),
        Some(_) => {
            return Err(refuse(
                ctx,
                400,
                "bad_request",
                "X-Message-Id must be 1-128 characters",
            ));
        }
        None => {
            return Err(refuse(
                ctx,
                400,
                "bad_request",
                "header X-Message-Id is missing",
            ));
        }
    };
    // A read transaction, no waiting on the writer: fine on a runtime thread.
    if store.was_seen(&message_id).unwrap_or(false) {
        return Err(refuse(
            ctx,
            409,
            "replay",
            &format!("message {message_id} was already accepted"),
        ));
    }
    Ok(Signed {
        tenant: tenant.to_owned(),
        message_id,
        now,
    })
}

/// `POST /ingest`: answered only once the readings are durable.
async fn ingest(ctx: &Ctx, headers: &HeaderMap, body: &[u8]) -> Reply {
    let s = match signed(ctx, headers, body) {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    let limits = ctx.pipeline.limits(ctx.settings.tolerance);
    let readings = match payload::parse(body, s.now, limits) {
        Ok(r) => r,
        Err(detail) => return refuse(ctx, 400, "bad_payload", &detail),
    };
    let n = readings.len();
    let (tx, rx) = oneshot::channel();
    let job = Job {
        readings,
        message_id: Some(s.message_id.clone()),
        done: Box::new(move |o| {
            let _ = tx.send(o);
        }),
    };
    let tenant = s.tenant.as_str();
    if let Err(refused) = ctx.pipeline.submit(tenant, job) {
        return match refused {
            Refused::Busy => refuse(ctx, 429, "overloaded", "ingest queue full; retry after 1 s"),
            Refused::UnknownTenant => refuse(
                ctx,
                404,
                "unknown_tenant",
                &format!("no tenant '{tenant}' on this site"),
            ),
            Refused::Stopped => refuse(ctx, 503, "stopping", "the server is shutting down"),
        };
    }
    // The pipeline calls `done` once the commit is durable (or failed).
    match rx.await {
        Ok(Outcome::Stored(a)) => Reply::json(
            200,
            json!({ "accepted": a.stored, "duplicates": a.duplicates, "readings": n }),
        ),
        Ok(Outcome::Replay) => refuse(
            ctx,
            409,
            "replay",
            &format!("message {} was already accepted", s.message_id),
        ),
        Ok(Outcome::Failed(e)) => refuse(ctx, 503, "storage", &e),
        Err(_) => refuse(ctx, 503, "stopping", "the server is shutting down"),
    }
}

fn health(ctx: &Ctx) -> Reply {
    let m = &ctx.pipeline.metrics;
    Reply::json(
        200,
        json!({
            "status": "ok",
            "tenants": ctx.keys.keys().collect::<Vec<_>>(),
            "mqtt": m.mqtt().as_str(),
            "readings_accepted": m.accepted_total(),
        }),
    )
}
