//! A CLI command of a client, run by the service: the same binary as a child process, as the
//! service's user, acting for the caller (OPSDECK_ACTOR, which only a process that owns the data
//! dir honours). Files the client sent are in the request's scratch dir, the command's working
//! dir is where its outputs go, and the child itself refuses a path outside them.

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};

use crossbeam_channel::Sender;

use super::peer::Peer;
use super::scratch::Scratch;
use crate::app::wire::{self, CHUNK, Response, Upload, WireError};
use crate::site::Site;

/// Marks an argument the client replaced by a file it sends: `<MARK><index>`.
pub const MARK: &str = "\u{1}upload:";

pub fn run(
    stream: &mut UnixStream,
    peer: &Peer,
    site: &Site,
    argv: Vec<String>,
    uploads: Vec<Upload>,
) -> Result<(), WireError> {
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
    let argv: Vec<String> = argv.into_iter().map(|a| substitute(&a, &paths)).collect();
    tracing::info!(
        "socket: {} (pid {}): opsdeck {}",
        peer.user,
        peer.pid,
        argv.join(" ")
    );
    // The service's own build, even when its file was replaced by an update since it started:
    // the command then speaks the protocol the client was greeted with.
    let child = Command::new("/proc/self/exe")
        .args(&argv)
        .env("OPSDECK_DATA", site.dir.root())
        .env(crate::site::access::ACTOR_ENV, &peer.user)
        .env(crate::site::access::SCRATCH_ENV, scratch_root(&scratch))
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
    let (tx, rx) = crossbeam_channel::unbounded::<Response>();
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

fn scratch_root(s: &Scratch) -> std::path::PathBuf {
    s.input().parent().map(|p| p.to_owned()).unwrap_or_default()
}

/// `<MARK>0` or `--file=<MARK>0` -> the path of upload 0.
fn substitute(arg: &str, paths: &[std::path::PathBuf]) -> String {
    let Some(at) = arg.find(MARK) else {
        return arg.to_owned();
    };
    let index: Option<usize> = arg[at + MARK.len()..].parse().ok();
    match index.and_then(|i| paths.get(i)) {
        Some(p) => format!("{}{}", &arg[..at], p.display()),
        None => arg.to_owned(),
    }
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
