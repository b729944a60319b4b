//! A CLI command of a client, run by the service: the same binary as a child process, as the
//! service's user, acting for the caller (OPSDECK_ACTOR, which only a process that owns the data
//! dir honours). Files the client sent are in the request's scratch dir, the command's working
//! dir is where its outputs go, and the child itself refuses a path outside them.

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::Sender;

use super::peer::Peer;
use super::scratch::Scratch;
use crate::app::wire::{self, CHUNK, Response, Upload, WireError};
use crate::site::Site;

/// Commands running at once, at most (each is a process).
const MAX_COMMANDS: usize = 8;
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// One running command, counted while it runs.
struct Running;

impl Running {
    fn start() -> Option<Running> {
        let n = RUNNING.fetch_add(1, Ordering::SeqCst);
        if n >= MAX_COMMANDS {
            RUNNING.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Running)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn run(
    stream: &mut UnixStream,
    peer: &Peer,
    site: &Site,
    argv: Vec<String>,
    uploads: Vec<Upload>,
) -> Result<(), WireError> {
    // A command reads one file at most (see cli::remote::file_arg).
    if uploads.len() > 1 {
        let why = "a command is sent with one file at most".to_owned();
        return wire::write_frame(stream, &Response::Refused(why));
    }
    let Some(_running) = Running::start() else {
        let why = format!(
            "the site service is running {MAX_COMMANDS} commands already; try again in a moment"
        );
        return wire::write_frame(stream, &Response::Refused(why));
    };
    let scratch = match Scratch::new(&site.dir.scratch()) {
        Ok(s) => s,
        Err(e) => return wire::write_frame(stream, &Response::Refused(format!("{e:#}"))),
    };
    let mut paths = Vec::new();
    for (i, u) in uploads.iter().enumerate() {
        match scratch.put(i, &u.name, &u.bytes) {
            Ok(p) => paths.push(p),
            Err(e) => return wire::write_frame(stream, &Response::Refused(format!("{e:#}"))),
        }
    }
    drop(uploads);
    tracing::info!("socket: {} (pid {}): opsdeck {argv:?}", peer.user, peer.pid);
    // The service's own build, even when its file was replaced by an update since it started:
    // the command then speaks the protocol the client was greeted with.
    let mut child = Command::new("/proc/self/exe");
    if let Some(p) = paths.first() {
        child.env(crate::site::access::UPLOAD_ENV, p);
    }
    let child = child
        .args(&argv)
        .env("OPSDECK_DATA", site.dir.root())
        .env(crate::site::access::ACTOR_ENV, &peer.user)
        .env(crate::site::access::SCRATCH_ENV, scratch.dir())
        .current_dir(scratch.output())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            let why = format!("the site service could not run the command: {e}");
            return wire::write_frame(stream, &Response::Refused(why));
        }
    };
    // Bounded: a client that reads slowly slows the command's output down, not the service's
    // memory up.
    let (tx, rx) = crossbeam_channel::bounded::<Response>(16);
    let pumps = [
        child
            .stdout
            .take()
            .map(|o| pump(o, tx.clone(), Response::Stdout)),
        child
            .stderr
            .take()
            .map(|e| pump(e, tx.clone(), Response::Stderr)),
    ];
    drop(tx);
    // The client may be gone: the command still ends (it was sent whole), and nothing more is
    // written to a dead socket.
    let mut alive = true;
    for r in rx {
        if alive && wire::write_frame(stream, &r).is_err() {
            alive = false;
        }
    }
    for p in pumps.into_iter().flatten() {
        let _ = p.join();
    }
    let code = child.wait().map(|s| s.code().unwrap_or(1)).unwrap_or(1);
    if !alive {
        return Err(WireError::Closed);
    }
    let out = super::out::Out::new(stream.try_clone()?);
    for file in scratch.written() {
        super::out::send_file(&out, &file)?;
    }
    wire::write_frame(stream, &Response::Exit(code))
}

fn pump<R: Read + Send + 'static>(
    mut from: R,
    tx: Sender<Response>,
    wrap: fn(Vec<u8>) -> Response,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; CHUNK.min(64 << 10)];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || tx.send(wrap(buf[..n].to_vec())).is_err() {
                break;
            }
        }
    })
}
