//! One client of the service: the greeting, then a console's commands (each answered in turn,
//! with the notices of new commits in between) or one CLI command.

use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::Receiver;

use super::hub::{self, Hub};
use super::out::{Out, send_file};
use super::peer::Peer;
use super::scratch::Scratch;
use crate::app::protocol::{Cmd, Reply};
use crate::app::telemetry::protocol::TmReply;
use crate::app::wire::{self, Greeting, Hello, MAX_REQUEST, Request, Response, Welcome, WireError};
use crate::app::worker::Worker;
use crate::site::Site;
use crate::site::access::os_user;

/// A client that does not read what it is sent for this long is dropped.
const WRITE_DEADLINE: Duration = Duration::from_secs(30);
/// A client says hello and what it wants within this.
const GREETING_DEADLINE: Duration = Duration::from_secs(10);
/// Replies and notices waiting for a slow reader, at most.
const OUTBOX: usize = 64;

pub fn serve(stream: UnixStream, peer: Peer, site: Arc<Site>, hub: Arc<Hub>) {
    if let Err(e) = session(stream, &peer, site, hub) {
        match e {
            WireError::Closed => {}
            e => tracing::info!("socket: {} (pid {}): {e}", peer.user, peer.pid),
        }
    }
}

fn session(
    mut stream: UnixStream,
    peer: &Peer,
    site: Arc<Site>,
    hub: Arc<Hub>,
) -> Result<(), WireError> {
    // A connection that says nothing is closed: idle ones must not fill the service.
    let hello: Hello = wire::read_frame_within(&stream, 4096, GREETING_DEADLINE)?;
    if hello.version != wire::VERSION || hello.protocol != wire::PROTOCOL {
        tracing::info!(
            "socket: {} (pid {}) runs opsdeck {}, refused",
            peer.user,
            peer.pid,
            hello.version
        );
        return wire::write_frame(
            &mut stream,
            &Greeting::Refused {
                console: hello.version,
                site: wire::VERSION.into(),
            },
        );
    }
    let welcome = Welcome {
        service: format!("pid {} ({})", std::process::id(), os_user()),
        user: peer.user.clone(),
    };
    stream.set_write_timeout(Some(WRITE_DEADLINE))?;
    wire::write_frame(&mut stream, &Greeting::Welcome(welcome))?;
    match wire::read_frame_within::<Request>(&stream, MAX_REQUEST, GREETING_DEADLINE)? {
        Request::Open { tenant, locale } => {
            console(stream, peer, site, hub, tenant.as_deref(), locale)
        }
        Request::Cli { argv, uploads } => {
            super::cli_run::run(&mut stream, peer, &site, argv, uploads)
        }
        Request::Cmd { .. } => wire::write_frame(
            &mut stream,
            &Response::Refused("open a tenant first".into()),
        ),
    }
}

/// A console: opens the tenant as the caller, then answers its commands in order.
fn console(
    mut stream: UnixStream,
    peer: &Peer,
    site: Arc<Site>,
    hub: Arc<Hub>,
    tenant: Option<&str>,
    locale: Option<opsdeck_storage::locale::Locale>,
) -> Result<(), WireError> {
    let locale = locale.or(site.config.ui.locale).unwrap_or_default();
    let (opening, io) = match crate::app::opening(&site, tenant, &peer.user, locale) {
        Ok(o) => o,
        Err(e) => return wire::write_frame(&mut stream, &Response::Refused(format!("{e:#}"))),
    };
    // A tenant the caller has no role in shows them nothing, not even that it is there.
    if opening.tenant.role.is_none() {
        let why = crate::app::worker::no_role(&peer.user, &opening.tenant.name);
        return wire::write_frame(&mut stream, &Response::Refused(why));
    }
    let seen = hub::seen(&site, &opening.tenant.name);
    tracing::info!(
        "socket: console of {} (pid {}) on {}",
        peer.user,
        peer.pid,
        opening.tenant.name
    );
    wire::write_frame(&mut stream, &Response::Opened(Box::new(opening)))?;
    let health = Reply::Telemetry(TmReply::Health(hub.health()));
    wire::write_frame(&mut stream, &Response::Notice(health))?;
    // Replies are written by the session's thread itself (one hop less per command); notices
    // queue for their own thread, so the notifier never waits on a slow client.
    let out = Out::new(stream.try_clone()?);
    let (tx, rx) = crossbeam_channel::bounded::<Response>(OUTBOX);
    let notices = out.clone();
    std::thread::Builder::new()
        .name("socket-notices".into())
        .spawn(move || write_notices(notices, rx))?;
    let mut worker = Worker::new(site.clone(), io);
    let id = hub.join(worker.tenant(), seen, tx);
    let result = answer_all(&stream, &site, &mut worker, &hub, id, &out);
    hub.leave(id);
    out.close();
    result
}

fn answer_all(
    stream: &UnixStream,
    site: &Site,
    worker: &mut Worker,
    hub: &Hub,
    id: u64,
    tx: &Out,
) -> Result<(), WireError> {
    loop {
        // A request that did not arrive whole (the client died, or is stuck) is not run.
        let request = wire::read_frame::<Request>(stream, MAX_REQUEST)?;
        let Request::Cmd { mut cmd, upload } = request else {
            tx.send(&Response::Refused("one console opens one tenant".into()))?;
            continue;
        };
        if matches!(cmd, Cmd::Poll) {
            continue;
        }
        let scratch = match (upload.is_some() || cmd.out_dir_mut().is_some())
            .then(|| Scratch::new(&site.dir.scratch()))
            .transpose()
        {
            Ok(s) => s,
            Err(e) => {
                tx.send(&Response::Reply(Some(Reply::Error(format!("{e:#}")))))?;
                continue;
            }
        };
        // The service reads only what the client sent, never a path it names.
        if let Some((path, _)) = cmd.in_file_mut() {
            let put = match (&scratch, &upload) {
                (Some(s), Some(u)) => s.put(0, &u.name, &u.bytes),
                _ => Err(anyhow::anyhow!("a file is sent by the console, not named")),
            };
            match put {
                Ok(p) => *path = p,
                Err(e) => {
                    let r = Reply::Error(format!("{e:#}"));
                    tx.send(&Response::Reply(Some(r)))?;
                    continue;
                }
            }
        }
        // The client's dir stays the client's: the command writes into ours, and the client
        // writes what it gets back into its own.
        let theirs = match (&scratch, cmd.out_dir_mut()) {
            (Some(s), Some(dir)) => Some(std::mem::replace(dir, s.output())),
            _ => None,
        };
        let mut reply = worker.answer(cmd);
        hub.moved(id, worker.tenant(), || hub::seen(site, worker.tenant()));
        if let (Some(s), Some(theirs)) = (&scratch, theirs) {
            for file in s.written() {
                send_file(tx, &file)?;
            }
            if let Some(r) = reply.as_mut() {
                let ours = s.output().display().to_string();
                r.rewrite_path(&ours, &theirs.display().to_string());
            }
        }
        tx.send(&Response::Reply(reply))?;
    }
}

/// Writes the notices queued for the client; a client that stops reading is disconnected.
fn write_notices(out: Out, rx: Receiver<Response>) {
    while let Ok(r) = rx.recv() {
        if let Err(e) = out.send(&r) {
            tracing::info!("socket: a client stopped reading: {e}");
            out.close();
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    //! The session over a socket pair, on a site of our own: what any client may send, garbage
    //! included, and what a console gets back. (The shared-site tests drive the real service as
    //! other users.)

    use std::io::Write;

    use super::*;
    use crate::app::wo::protocol::{WoCmd, WoQuery, WoReply};
    use crate::site::init::{default_init, init};
    use crate::site::paths::SiteDir;

    fn site() -> (tempfile::TempDir, Arc<Site>) {
        let dir = tempfile::tempdir().unwrap();
        let site = init(
            &SiteDir::new(dir.path().join("site")),
            &default_init("plant"),
        )
        .unwrap();
        (dir, Arc::new(site))
    }

    fn connect(site: &Arc<Site>, hub: &Arc<Hub>) -> UnixStream {
        let (client, server) = UnixStream::pair().unwrap();
        let peer = Peer {
            user: os_user(),
            uid: 0,
            pid: 0,
        };
        let (site, hub) = (site.clone(), hub.clone());
        std::thread::spawn(move || serve(server, peer, site, hub));
        client
    }

    /// The next frame that is not a notice.
    fn answer(s: &UnixStream) -> Response {
        loop {
            match wire::read_frame::<Response>(s, 1 << 26).unwrap() {
                Response::Notice(_) => continue,
                r => return r,
            }
        }
    }

    fn closed(s: &UnixStream) -> bool {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = [0u8; 64];
        matches!(std::io::Read::read(&mut &*s, &mut buf), Ok(0))
    }

    #[test]
    fn garbage_is_hung_up_on_and_the_next_console_is_served() {
        let (_tmp, site) = site();
        let hub = Arc::new(Hub::new(Box::new(Default::default)));
        // Not a frame at all.
        let mut s = connect(&site, &hub);
        s.write_all(&[7, 0, 0, 0, 0xff, 0xfe, 0xfd, 1, 2, 3, 4])
            .unwrap();
        assert!(closed(&s), "a hello that does not decode is hung up on");
        // A good hello, then a request that does not decode.
        let mut s = connect(&site, &hub);
        wire::write_frame(&mut s, &Hello::ours()).unwrap();
        let g: Greeting = wire::read_frame(&s, 1 << 20).unwrap();
        assert!(matches!(g, Greeting::Welcome(_)));
        s.write_all(&[3, 0, 0, 0, 0xff, 0xff, 0xff]).unwrap();
        assert!(closed(&s), "a request that does not decode is hung up on");
        // A command before a tenant is opened.
        let mut s = connect(&site, &hub);
        wire::write_frame(&mut s, &Hello::ours()).unwrap();
        let _: Greeting = wire::read_frame(&s, 1 << 20).unwrap();
        wire::write_frame(
            &mut s,
            &Request::Cmd {
                cmd: Cmd::Poll,
                upload: None,
            },
        )
        .unwrap();
        let r: Response = wire::read_frame(&s, 1 << 20).unwrap();
        assert!(matches!(r, Response::Refused(_)), "{r:?}");

        // And a console after all that: opened, and its work orders load.
        let mut s = connect(&site, &hub);
        wire::write_frame(&mut s, &Hello::ours()).unwrap();
        let _: Greeting = wire::read_frame(&s, 1 << 20).unwrap();
        let open = Request::Open {
            tenant: None,
            locale: None,
        };
        wire::write_frame(&mut s, &open).unwrap();
        let r: Response = wire::read_frame(&s, 1 << 26).unwrap();
        let Response::Opened(o) = r else {
            panic!("not opened: {r:?}")
        };
        assert_eq!(o.tenant.name, "plant");
        assert_eq!(o.tenant.role.as_deref(), Some("admin"));
        let load = Cmd::Wo(WoCmd::Load {
            query: WoQuery::default(),
            poll: false,
        });
        wire::write_frame(
            &mut s,
            &Request::Cmd {
                cmd: load,
                upload: None,
            },
        )
        .unwrap();
        let r = answer(&s);
        assert!(
            matches!(r, Response::Reply(Some(Reply::Wo(WoReply::Loaded(_))))),
            "{r:?}"
        );
        // An attachment that names a path instead of sending the file is refused.
        let attach = Cmd::Wo(WoCmd::Write {
            write: Box::new(crate::app::wo::protocol::WoWrite::Attach(
                crate::domain::cmms::work_orders::OrderRef {
                    id: 1,
                    version: Some(1),
                },
                site.dir.secrets(),
            )),
            generation: 1,
        });
        wire::write_frame(
            &mut s,
            &Request::Cmd {
                cmd: attach,
                upload: None,
            },
        )
        .unwrap();
        let r = answer(&s);
        match r {
            Response::Reply(Some(Reply::Error(e))) => assert!(e.contains("not named"), "{e}"),
            r => panic!("an attachment by path was not refused: {r:?}"),
        }
    }
}
