//! The console as a client of a shared site's service: the panes' commands go over the
//! service's Unix socket instead of to a worker thread here, and their replies, and the
//! service's notices of new commits, come back the same way. What the service cannot do for the
//! user, the client does as the user: it reads the file an attachment names and writes the
//! files an export makes.

use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use crossbeam_channel::{Receiver, Sender};
use opsdeck_storage::locale::Locale;
use opsdeck_storage::why;
use opsdeck_views::refusals;
use opsdeck_views::state::PaneId;

use super::Msg;
use super::outcome::Failed;
use super::protocol::{Cmd, Reply};
use super::wire::{
    self, Greeting, Hello, Opening, Request, Response, Upload, Welcome, write_frame,
};

/// Replies and notices may carry a page of a list; files come in `CHUNK`s.
const MAX_RESPONSE: usize = 256 << 20;

/// Connects to the service listening on `socket` and says hello: a service of another build
/// refuses, in words.
pub fn greet(socket: &Path) -> Result<(UnixStream, Welcome)> {
    let mut s = UnixStream::connect(socket).map_err(|e| {
        anyhow::anyhow!(
            "cannot reach the site service at {}: {}",
            socket.display(),
            match e.kind() {
                std::io::ErrorKind::PermissionDenied => crate::site::access::explain_io(socket, &e),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound =>
                    "it is not running; ask an admin to start it (systemctl start opsdeck)".into(),
                _ => e.to_string(),
            }
        )
    })?;
    write_frame(&mut s, &Hello::ours()).context("greeting the site service")?;
    match wire::read_frame::<Greeting>(&s, MAX_RESPONSE).context("greeting the site service")? {
        Greeting::Refused { console, site } => bail!("{}", wire::mismatch(&console, &site)),
        Greeting::Welcome(w) => Ok((s, w)),
    }
}

/// A console's connection to the site service, opened on a tenant.
pub struct Connection {
    stream: UnixStream,
    pub welcome: Welcome,
    pub opening: Opening,
}

impl Connection {
    pub fn open(socket: &Path, tenant: Option<&str>, locale: Option<Locale>) -> Result<Connection> {
        let (mut stream, welcome) = greet(socket)?;
        let open = Request::Open {
            tenant: tenant.map(str::to_owned),
            locale,
        };
        write_frame(&mut stream, &open)?;
        match wire::read_frame::<Response>(&stream, MAX_RESPONSE)? {
            Response::Opened(opening) => Ok(Connection {
                stream,
                welcome,
                opening: *opening,
            }),
            Response::Refused(why) => bail!("{why}"),
            other => bail!("the site service answered {other:?} to opening a tenant"),
        }
    }

    /// Sends the console's commands to the service and hands its replies and notices to the
    /// console loop, on two threads.
    pub fn spawn(self, rx: Receiver<Cmd>, tx: Sender<Msg>) -> Result<()> {
        let reader = self.stream.try_clone()?;
        // Where each command's files go, in the order the replies come back.
        let pending: Arc<Mutex<VecDeque<Option<PathBuf>>>> = Default::default();
        let sent = pending.clone();
        let local = tx.clone();
        let mut stream = self.stream;
        std::thread::Builder::new()
            .name("client-send".into())
            .spawn(move || {
                let mut locale = Locale::default();
                while let Ok(mut cmd) = rx.recv() {
                    match &cmd {
                        // The service pushes what changed: nothing to ask.
                        Cmd::Poll => continue,
                        Cmd::SetLocale(l) => locale = *l,
                        _ => {}
                    }
                    let upload = match upload_of(&mut cmd, locale) {
                        Ok(u) => u,
                        Err(reply) => {
                            let _ = local.send(Msg::Reply(*reply));
                            continue;
                        }
                    };
                    let out = cmd.out_dir_mut().map(|d| d.clone());
                    sent.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push_back(out);
                    if let Err(e) = write_frame(&mut stream, &Request::Cmd { cmd, upload }) {
                        tracing::error!("site service: {e}");
                        break;
                    }
                }
                let _ = stream.shutdown(std::net::Shutdown::Both);
            })?;
        std::thread::Builder::new()
            .name("client-recv".into())
            .spawn(move || {
                let mut file: Option<std::fs::File> = None;
                let gone = loop {
                    let r = match wire::read_frame::<Response>(&reader, MAX_RESPONSE) {
                        Ok(r) => r,
                        Err(e) => break e.to_string(),
                    };
                    let msg = match r {
                        Response::Notice(r) => Some(r),
                        Response::Reply(r) => {
                            pending
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .pop_front();
                            r
                        }
                        Response::File { name, bytes, last } => {
                            let dir = pending
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .front()
                                .cloned()
                                .flatten();
                            match write_piece(&mut file, dir.as_deref(), &name, &bytes, last) {
                                Ok(()) => None,
                                Err(e) => Some(Reply::Error(format!("{name}: {e:#}"))),
                            }
                        }
                        Response::Refused(why) => Some(Reply::Error(why)),
                        other => Some(Reply::Error(format!(
                            "unexpected from the site service: {other:?}"
                        ))),
                    };
                    if let Some(m) = msg
                        && tx.send(Msg::Reply(m)).is_err()
                    {
                        return;
                    }
                };
                let _ = tx.send(Msg::Reply(Reply::Error(format!(
                    "the site service closed the connection ({gone}); restart the console"
                ))));
            })?;
        Ok(())
    }
}

/// The file an attachment names, read here as the user (the service could read neither the
/// user's files nor should it open a path the user typed). A file that cannot be read is the
/// form's refusal, as the service would have said it.
fn upload_of(cmd: &mut Cmd, locale: Locale) -> Result<Option<Upload>, Box<Reply>> {
    let Some((path, generation)) = cmd.in_file_mut() else {
        return Ok(None);
    };
    let full = super::wo::write::expand_home(path);
    let refuse = |error: String| {
        Box::new(Reply::Failed(
            PaneId::WorkOrders,
            Failed {
                generation,
                error,
                field: Some("path".into()),
                conflict: None,
            },
        ))
    };
    let meta = match std::fs::metadata(&full) {
        Ok(m) if m.is_file() => m,
        _ => {
            return Err(refuse(refusals::say(
                locale,
                &why!(NoSuchFile, full.display()),
            )));
        }
    };
    if meta.len() as usize > wire::MAX_REQUEST - (1 << 20) {
        return Err(refuse(format!(
            "{}: {} MB, over the {} MB a file can have through the site service",
            full.display(),
            meta.len() >> 20,
            wire::MAX_REQUEST >> 20
        )));
    }
    let bytes = std::fs::read(&full).map_err(|e| {
        refuse(format!(
            "{}: {}",
            full.display(),
            crate::site::access::explain_io(&full, &e)
        ))
    })?;
    let name = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    *path = PathBuf::from(&name);
    Ok(Some(Upload { name, bytes }))
}

/// Writes a piece of a file the service made into `dir` (the one the command named).
fn write_piece(
    file: &mut Option<std::fs::File>,
    dir: Option<&Path>,
    name: &str,
    bytes: &[u8],
    last: bool,
) -> Result<()> {
    if file.is_none() {
        let safe = Path::new(name)
            .file_name()
            .context("a file name with a directory in it")?;
        let path = dir.unwrap_or(Path::new(".")).join(safe);
        *file = Some(
            std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?,
        );
    }
    if let Some(f) = file.as_mut() {
        f.write_all(bytes)?;
    }
    if last {
        *file = None;
    }
    Ok(())
}
