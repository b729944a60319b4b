//! The limits hyper does not apply the way the contract says, so they sit between the socket and
//! hyper: hyper's own header read timeout closes without a 408 and also runs while a kept-alive
//! connection idles, and its buffer limit answers 431/400 with an empty body.
//!
//! `Guarded` is the connection's IO as hyper sees it. It gathers each request head itself and
//! hands it on only whole and checked (size, deadline, framing), then hands on exactly the
//! Content-Length of body bytes, so it always knows where the next head starts. A head it
//! refuses never reaches hyper: the read fails, hyper lets go of the connection (it answers
//! nothing for an IO error), and `finish` writes our JSON answer and closes lingering.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::{Body, Bytes, Incoming};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

use super::HttpSettings;
use super::reply::Reply;
use crate::ingest::metrics::Metrics;

/// Header fields a request may have.
const MAX_HEADERS: usize = 64;
/// Bytes read from the socket at a time while gathering a head, and at most for a body.
const CHUNK: usize = 8 * 1024;
const BODY_CHUNK: usize = 64 * 1024;
/// A client that stops reading our answer is dropped after this.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long, and how much, the connection keeps reading (and discarding) after an answer sent
/// before the request was read whole, so that the client reads the answer instead of a reset
/// (closing with unread data makes the kernel send RST, which can destroy the answer in flight).
#[derive(Debug, Clone, Copy)]
pub(super) struct Linger {
    pub bytes: usize,
    pub time: Duration,
}

/// After a refusal on a served connection: enough for a client (Python's urllib, for one) that
/// writes a body of several MiB whole before it reads.
pub(super) const LINGER: Linger = Linger {
    bytes: 8 * 1024 * 1024,
    time: Duration::from_secs(2),
};

/// Shuts our side (the FIN ends the answer), then reads and discards what the client still
/// sends, until it closes or the bounds are reached.
pub(super) async fn linger(io: &mut TcpStream, bounds: Linger) {
    let _ = io.shutdown().await;
    let deadline = Instant::now() + bounds.time;
    let mut sink = vec![0u8; 16 * 1024];
    let mut left = bounds.bytes;
    while left > 0 {
        match tokio::time::timeout_at(deadline, io.read(&mut sink)).await {
            Ok(Ok(n)) if n > 0 => left = left.saturating_sub(n),
            _ => break,
        }
    }
}

/// An answer the connection gives itself, for a head hyper never saw.
#[derive(Debug)]
pub(super) struct Refusal {
    pub reply: Reply,
    /// The metrics' reason.
    pub reason: &'static str,
}

fn refusal(status: u16, error: &str, detail: &str, reason: &'static str) -> Refusal {
    Refusal {
        reply: Reply::error(status, error, detail),
        reason,
    }
}

fn too_large(max: usize) -> HeadCheck {
    HeadCheck::Refused(refusal(
        431,
        "header_too_large",
        &format!("request head exceeds {max} bytes"),
        "header_too_large",
    ))
}

fn bad_request(detail: &str) -> HeadCheck {
    HeadCheck::Refused(refusal(400, "bad_request", detail, "bad_request"))
}

#[derive(Debug)]
pub(super) enum HeadCheck {
    /// More bytes needed.
    Partial,
    /// A head of `len` bytes, followed by `body` bytes.
    Whole {
        len: usize,
        body: u64,
    },
    Refused(Refusal),
}

/// Checks the head at the start of `bytes`: size, syntax, and the framing of its body (one
/// Content-Length, no Transfer-Encoding), the way hyper will read it.
pub(super) fn check_head(bytes: &[u8], max: usize) -> HeadCheck {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(bytes) {
        Ok(httparse::Status::Complete(len)) if len > max => return too_large(max),
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if bytes.len() > max => return too_large(max),
        Ok(httparse::Status::Partial) => return HeadCheck::Partial,
        Err(httparse::Error::TooManyHeaders) => {
            return HeadCheck::Refused(refusal(
                431,
                "header_too_large",
                &format!("more than {MAX_HEADERS} header fields"),
                "header_too_large",
            ));
        }
        Err(e) => return bad_request(&format!("malformed request: {e}")),
    };
    // hyper answers a target it cannot parse with an empty 400 of its own.
    if req.path.is_some_and(|p| p.parse::<hyper::Uri>().is_err()) {
        return bad_request("malformed request: invalid request target");
    }
    let mut body: Option<u64> = None;
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return HeadCheck::Refused(refusal(
                411,
                "length_required",
                "send a Content-Length body (chunked is not accepted)",
                "bad_request",
            ));
        }
        if h.name.eq_ignore_ascii_case("content-length") {
            let Some(n) = content_length(h.value) else {
                return bad_request("Content-Length is not a number");
            };
            if body.is_some_and(|b| b != n) {
                return bad_request("conflicting Content-Length headers");
            }
            body = Some(n);
        }
    }
    HeadCheck::Whole {
        len,
        body: body.unwrap_or(0),
    }
}

/// Digits only (as hyper reads it: no sign), or a list of one repeated value.
fn content_length(value: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(value).ok()?;
    let mut found: Option<u64> = None;
    for part in text.split(',') {
        let part = part.trim();
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = part.parse().ok()?;
        if found.is_some_and(|f| f != n) {
            return None;
        }
        found = Some(n);
    }
    found
}

/// The body, within its limits: the size from Content-Length before a byte of it is read (413),
/// then the bytes within `within` (408). Both refusals close the connection, lingering.
pub(super) async fn read_body(
    metrics: &Metrics,
    body: Incoming,
    max: u64,
    within: Duration,
) -> Result<Bytes, Reply> {
    // The framing was checked on the raw head: the size hint is the Content-Length.
    let len = body.size_hint().exact().unwrap_or(0);
    if len > max {
        metrics.rejected("too_large");
        return Err(Reply::error(
            413,
            "too_large",
            &format!("body of {len} bytes exceeds the limit of {max} bytes"),
        )
        .closing());
    }
    match tokio::time::timeout(within, body.collect()).await {
        Ok(Ok(b)) => Ok(b.to_bytes()),
        Ok(Err(e)) => {
            metrics.rejected("bad_request");
            Err(Reply::error(400, "bad_request", &format!("reading the body: {e}")).closing())
        }
        Err(_) => {
            metrics.rejected("body_timeout");
            Err(Reply::error(408, "timeout", "the body did not arrive in time").closing())
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Gathering a head in `buf`; nothing of it handed on yet.
    Head,
    /// A checked head of `head` more bytes at `buf[start..]` to hand on, then `body` bytes.
    Pass { head: usize, body: u64 },
    /// Body bytes still to hand on.
    Body(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// A kept-alive connection waiting for the first byte of its next request.
    Idle,
    /// A head under way (or a new connection's first): it must be whole by the deadline.
    Head,
}

/// How many requests of a connection hyper is handling: no read deadline runs meanwhile (a slow
/// commit is not the client's idle time, and the body has its own deadline).
#[derive(Debug, Default)]
pub(super) struct Busy(AtomicUsize);

impl Busy {
    pub(super) fn enter(self: &Arc<Self>) -> BusyGuard {
        self.0.fetch_add(1, Ordering::AcqRel);
        BusyGuard(self.clone())
    }

    fn any(&self) -> bool {
        self.0.load(Ordering::Acquire) > 0
    }
}

pub(super) struct BusyGuard(Arc<Busy>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The connection's socket as hyper reads and writes it; see the module comment.
pub(super) struct Guarded {
    io: TcpStream,
    max_head: usize,
    header_timeout: Duration,
    idle_timeout: Duration,
    /// Read from the socket, not yet handed on: from `start`, a head being gathered and
    /// whatever arrived with it.
    buf: Vec<u8>,
    start: usize,
    /// How much of `buf[start..]` was already looked at for a line end.
    scanned: usize,
    phase: Phase,
    /// What the read timer is armed for; None while a request is being handled.
    wait: Option<Wait>,
    timer: Pin<Box<Sleep>>,
    write_timer: Option<Pin<Box<Sleep>>>,
    busy: Arc<Busy>,
    /// No request finished its head yet: the first one's deadline runs from the connection's
    /// opening, and a connection that never sends a byte is closed at it.
    first: bool,
    refusal: Option<Refusal>,
}

impl Guarded {
    pub(super) fn new(io: TcpStream, s: &HttpSettings, busy: Arc<Busy>) -> Guarded {
        Guarded {
            io,
            max_head: s.max_header_bytes,
            header_timeout: s.header_timeout,
            idle_timeout: s.idle_timeout,
            buf: Vec::new(),
            start: 0,
            scanned: 0,
            phase: Phase::Head,
            wait: Some(Wait::Head),
            timer: Box::pin(tokio::time::sleep(s.header_timeout)),
            write_timer: None,
            busy,
            first: true,
            refusal: None,
        }
    }

    /// Once hyper has let go of the connection: answers a refused head, and closes lingering
    /// when the client may still be sending (a refused head, a body left unread after a 413 or
    /// a body timeout, pipelined requests after a close).
    pub(super) async fn finish(mut self, metrics: &Metrics) {
        if let Some(r) = self.refusal.take() {
            metrics.rejected(r.reason);
            let wire = r.reply.to_wire();
            if tokio::time::timeout(WRITE_TIMEOUT, self.io.write_all(&wire))
                .await
                .is_ok_and(|w| w.is_ok())
            {
                linger(&mut self.io, LINGER).await;
            }
        } else if self.phase != Phase::Head || self.start < self.buf.len() {
            linger(&mut self.io, LINGER).await;
        }
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    fn refuse(&mut self, r: HeadCheck) {
        if let HeadCheck::Refused(r) = r {
            self.refusal = Some(r);
        }
    }

    /// Looks at what was gathered: hands on a whole head, refuses a bad one; false when more
    /// bytes are needed.
    fn check_gathered(&mut self) -> bool {
        let pending = &self.buf[self.start..];
        if pending.is_empty() {
            return false;
        }
        // Only a line end can complete a head (or a header line to count): without a new one,
        // only the size can have changed. This keeps a head trickled in byte by byte linear.
        let fresh = pending[self.scanned..].contains(&b'\n');
        self.scanned = pending.len();
        if !fresh {
            if pending.len() > self.max_head {
                self.refuse(too_large(self.max_head));
                return true;
            }
            return false;
        }
        match check_head(pending, self.max_head) {
            HeadCheck::Partial => false,
            HeadCheck::Whole { len, body } => {
                self.phase = Phase::Pass { head: len, body };
                self.scanned = 0;
                self.wait = None;
                self.first = false;
                true
            }
            r @ HeadCheck::Refused(_) => {
                self.refuse(r);
                true
            }
        }
    }

    /// Arms the read deadline for the head awaited, and polls it.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.busy.any() {
            self.wait = None;
            return Poll::Pending;
        }
        let started = self.start < self.buf.len();
        let want = if started || self.first {
            Wait::Head
        } else {
            Wait::Idle
        };
        if self.wait != Some(want) {
            let after = match want {
                Wait::Head => self.header_timeout,
                Wait::Idle => self.idle_timeout,
            };
            self.timer.as_mut().reset(Instant::now() + after);
            self.wait = Some(want);
        }
        self.timer.as_mut().poll(cx)
    }

    /// Reads more of a head into `buf`: Ok(0) at the end of the stream.
    fn fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let mut rb = ReadBuf::new(&mut self.buf[old..]);
        let r = Pin::new(&mut self.io).poll_read(cx, &mut rb);
        let n = rb.filled().len();
        self.buf.truncate(old + n);
        r.map_ok(|()| n)
    }

    fn poll_body(
        &mut self,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
        left: u64,
    ) -> Poll<io::Result<()>> {
        // At most BODY_CHUNK a read: the part of hyper's buffer read into is zeroed first.
        let want = usize::try_from(left)
            .unwrap_or(usize::MAX)
            .min(out.remaining())
            .min(BODY_CHUNK);
        let n = if self.start < self.buf.len() {
            let n = want.min(self.buf.len() - self.start);
            out.put_slice(&self.buf[self.start..self.start + n]);
            self.consume(n);
            n
        } else {
            // Straight into hyper's buffer, never past this body's end.
            let mut rb = ReadBuf::new(out.initialize_unfilled_to(want));
            ready!(Pin::new(&mut self.io).poll_read(cx, &mut rb))?;
            let n = rb.filled().len();
            out.advance(n);
            n
        };
        // n == 0 is the end of the stream: hyper sees the body cut short.
        let left = left - n as u64;
        self.phase = if left == 0 {
            Phase::Head
        } else {
            Phase::Body(left)
        };
        Poll::Ready(Ok(()))
    }

    fn poll_write_deadline<T>(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match r {
            Poll::Ready(r) => {
                self.write_timer = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let timer = self
                    .write_timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
                ready!(timer.as_mut().poll(cx));
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client does not read its answer",
                )))
            }
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match this.phase {
                Phase::Pass { head, body } => {
                    let n = head.min(out.remaining());
                    out.put_slice(&this.buf[this.start..this.start + n]);
                    this.consume(n);
                    this.phase = if n < head {
                        Phase::Pass {
                            head: head - n,
                            body,
                        }
                    } else if body > 0 {
                        Phase::Body(body)
                    } else {
                        Phase::Head
                    };
                    return Poll::Ready(Ok(()));
                }
                Phase::Body(left) => return this.poll_body(cx, out, left),
                Phase::Head => {}
            }
            if this.refusal.is_some() {
                // A request still being handled (pipelined before this head) is answered first:
                // hyper reads again once it is.
                if this.busy.any() {
                    return Poll::Pending;
                }
                return Poll::Ready(Err(io::Error::other("request head refused")));
            }
            if this.check_gathered() {
                continue;
            }
            if this.poll_deadline(cx).is_ready() {
                if this.start < this.buf.len() {
                    this.refusal = Some(refusal(
                        408,
                        "timeout",
                        "the request head did not arrive in time",
                        "header_timeout",
                    ));
                    continue;
                }
                // Idle (or never a byte): the end of the stream for hyper, which closes quietly.
                return Poll::Ready(Ok(()));
            }
            match ready!(this.fill(cx)) {
                // The client went away; a partial head has nobody left to answer.
                Ok(0) => return Poll::Ready(Ok(())),
                Ok(_) => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write(cx, data);
        this.poll_write_deadline(cx, r)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.poll_write_deadline(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_flush(cx);
        this.poll_write_deadline(cx, r)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.refusal.is_some() {
            // Our answer still has to go out: `finish` shuts down after writing it.
            return Poll::Ready(Ok(()));
        }
        let r = Pin::new(&mut this.io).poll_shutdown(cx);
        this.poll_write_deadline(cx, r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(c: HeadCheck) -> (u16, String) {
        match c {
            HeadCheck::Refused(r) => {
                let wire = String::from_utf8(r.reply.to_wire()).unwrap();
                let status = wire[9..12].parse().unwrap();
                (status, wire)
            }
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn a_whole_head_gives_its_length_and_body_length() {
        let head = b"POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n{\"a\":1}";
        match check_head(head, 1024) {
            HeadCheck::Whole { len, body } => {
                assert_eq!(len, head.len() - 7);
                assert_eq!(body, 12);
            }
            other => panic!("{other:?}"),
        }
        match check_head(b"GET /health HTTP/1.1\r\n\r\n", 1024) {
            HeadCheck::Whole { body: 0, .. } => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            check_head(b"POST /ingest HTTP/1.1\r\nHost: x\r\n", 1024),
            HeadCheck::Partial
        ));
    }

    #[test]
    fn heads_over_the_limits_get_431() {
        let long = format!("GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n", "a".repeat(2000));
        let (status, wire) = refused(check_head(long.as_bytes(), 1024));
        assert_eq!(status, 431);
        assert!(wire.contains("exceeds 1024 bytes"), "{wire}");
        // Still partial, already too long.
        let (status, _) = refused(check_head(&long.as_bytes()[..1500], 1024));
        assert_eq!(status, 431);
        let many = format!("GET / HTTP/1.1\r\n{}", "X-More: yes\r\n".repeat(70));
        let (status, wire) = refused(check_head(many.as_bytes(), 16 * 1024));
        assert_eq!(status, 431);
        assert!(wire.contains("more than 64 header fields"), "{wire}");
    }

    #[test]
    fn framing_hyper_would_read_otherwise_is_refused() {
        let chunked = b"POST /ingest HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(refused(check_head(chunked, 1024)).0, 411);
        for bad in ["ten", "+5", "-1", "", "5, 6", "99999999999999999999999"] {
            let head = format!("POST /ingest HTTP/1.1\r\nContent-Length: {bad}\r\n\r\n");
            let (status, wire) = refused(check_head(head.as_bytes(), 1024));
            assert_eq!(status, 400, "{bad}");
            assert!(wire.contains("Content-Length"), "{wire}");
        }
        let twice = b"POST /ingest HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n";
        assert_eq!(refused(check_head(twice, 1024)).0, 400);
        let same = b"POST /ingest HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5, 5\r\n\r\n";
        assert!(matches!(
            check_head(same, 1024),
            HeadCheck::Whole { body: 5, .. }
        ));
        assert_eq!(
            refused(check_head(b"GET /\x01 HTTP/1.1\r\n\r\n", 1024)).0,
            400
        );
        assert_eq!(refused(check_head(b"GET / HTTP/3.0\r\n\r\n", 1024)).0, 400);
    }
}
