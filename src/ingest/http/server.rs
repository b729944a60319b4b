//! The runtime, the accept loop with the connection cap, and one task per connection.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

use super::HttpSettings;
use super::ctx::Ctx;
use super::limits::{self, Busy, Guarded, Linger};
use super::reply::Reply;
use super::routes;
use crate::ingest::pipeline::Pipeline;

/// Runtime threads: the work per request is small (a signature, a JSON parse) and the waiting
/// (the group commit) happens off them, so two serve hundreds of connections.
const WORKERS: usize = 2;

/// A connection refused at the cap lingers this little: it costs no slot, so it stays short.
const REFUSED_LINGER: Linger = Linger {
    bytes: 64 * 1024,
    time: Duration::from_millis(500),
};

pub(super) fn start(
    settings: HttpSettings,
    pipeline: Arc<Pipeline>,
    keys: HashMap<String, String>,
) -> io::Result<(SocketAddr, Arc<Ctx>, Runtime)> {
    // Bound here, so a taken port is the caller's error (AddrInUse), as before.
    let listener = std::net::TcpListener::bind(&settings.bind)?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name("http")
        .enable_io()
        .enable_time()
        .build()?;
    let listener = {
        let _rt = runtime.enter();
        TcpListener::from_std(listener)?
    };
    let mut http1 = http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        // `Guarded` runs the head deadline (with a 408, and apart from keep-alive idling).
        .header_read_timeout(None)
        // A client that shuts down its sending side after its request still gets the answer.
        .half_close(true)
        // `Guarded` hands over whole heads of up to `max_header_bytes`: hyper's buffer must hold one.
        .max_buf_size((settings.max_header_bytes + 64 * 1024).max(400 * 1024));
    let ctx = Arc::new(Ctx {
        settings,
        pipeline,
        keys,
        active: AtomicUsize::new(0),
        refusing: AtomicUsize::new(0),
        http1,
    });
    runtime.spawn(accept_loop(listener, ctx.clone()));
    Ok((addr, ctx, runtime))
}

/// Ends the accept loop and every connection: dropping the runtime's tasks closes their sockets.
pub(super) fn stop(runtime: Runtime) {
    if tokio::runtime::Handle::try_current().is_ok() {
        // Inside another runtime a blocking shutdown would panic.
        runtime.shutdown_background();
    } else {
        runtime.shutdown_timeout(Duration::from_secs(2));
    }
}

/// Counts a served connection, however its task ends.
struct Slot(Arc<Ctx>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.active.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn accept_loop(listener: TcpListener, ctx: Arc<Ctx>) {
    loop {
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                tracing::warn!("ingest accept: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if ctx.active.fetch_add(1, Ordering::SeqCst) >= ctx.settings.max_connections {
            ctx.active.fetch_sub(1, Ordering::SeqCst);
            refuse(stream, &ctx);
            continue;
        }
        let slot = Slot(ctx.clone());
        tokio::spawn(async move {
            serve(stream, &slot.0).await;
            drop(slot);
        });
    }
}

/// Past the cap: the 503 goes straight into the new socket's empty send buffer, then a short
/// lingering close (a client that already sent its request reads the 503, not a reset), at most
/// `max_connections` of those at once; beyond that the socket is just closed.
fn refuse(stream: TcpStream, ctx: &Arc<Ctx>) {
    ctx.pipeline.metrics.rejected("connection_limit");
    let reply = Reply::error(503, "busy", "too many connections; retry shortly");
    if stream.try_write(&reply.to_wire()).is_err() {
        return;
    }
    if ctx.refusing.fetch_add(1, Ordering::SeqCst) >= ctx.settings.max_connections {
        ctx.refusing.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let mut stream = stream;
        limits::linger(&mut stream, REFUSED_LINGER).await;
        ctx.refusing.fetch_sub(1, Ordering::SeqCst);
    });
}

async fn serve(stream: TcpStream, ctx: &Arc<Ctx>) {
    let _ = stream.set_nodelay(true);
    let busy = Arc::new(Busy::default());
    let mut io = Guarded::new(stream, &ctx.settings, busy.clone());
    let service = {
        let ctx = ctx.clone();
        service_fn(move |req| {
            let ctx = ctx.clone();
            let handling = busy.enter();
            async move {
                let response = routes::handle(&ctx, req).await;
                drop(handling);
                Ok::<_, Infallible>(response)
            }
        })
    };
    // hyper borrows the socket, so that `finish` can still answer and linger after it.
    if let Err(e) = ctx
        .http1
        .serve_connection(TokioIo::new(&mut io), service)
        .await
    {
        tracing::debug!("ingest connection: {e}");
    }
    io.finish(&ctx.pipeline.metrics).await;
}
