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
use std::time::Duration;

use anyhow::{Context, Result, bail};
use crossbeam_channel::{Receiver, Sender};
use opsdeck_storage::locale::Locale;
use opsdeck_storage::why;
use opsdeck_views::i18n::Texts;
use opsdeck_views::refusals;
use opsdeck_views::state::PaneId;

use super::Msg;
use super::outcome::Failed;
use super::protocol::{Cmd, Reply};
use super::wire::{
    self, Greeting, Hello, Opening, Request, Response, Upload, UploadError, Welcome, write_frame,
};

/// How an error of connecting starts (the service is not there, for now).
const UNREACHABLE: &str = "cannot reach the site service";

/// The service refused for good (another build, no role): trying again will not help.
#[derive(Debug)]
pub struct Final(pub String);

impl std::fmt::Display for Final {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Final {}

/// Replies and notices may carry a page of a list; files come in `CHUNK`s.
const MAX_RESPONSE: usize = 256 << 20;

/// Connects to the service listening on `socket` and says hello: a service of another build
/// refuses, in words.
pub fn greet(socket: &Path) -> Result<(UnixStream, Welcome)> {
    let mut s = UnixStream::connect(socket).map_err(|e| {
        anyhow::anyhow!(
            "{UNREACHABLE} at {}: {}",
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
        Greeting::Refused { console, site } => Err(Final(wire::mismatch(&console, &site)).into()),
        Greeting::Welcome(w) => Ok((s, w)),
    }
}

/// A console's connection to the site service, opened on a tenant.
pub struct Connection {
    stream: UnixStream,
    socket: PathBuf,
    pub welcome: Welcome,
    pub opening: Opening,
}

/// How long a console waits between attempts to reach a service that went away.
const RETRY: Duration = Duration::from_secs(1);

/// What both threads of a connection share: the stream to write to (replaced on reconnection)
/// and, per command sent, where its files go, in the order the replies come back.
struct Shared {
    stream: Mutex<Option<UnixStream>>,
    pending: Mutex<VecDeque<Option<PathBuf>>>,
    locale: Mutex<Locale>,
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
                socket: socket.to_owned(),
                welcome,
                opening: *opening,
            }),
            Response::Refused(why) => Err(Final(why).into()),
            other => bail!("the site service answered {other:?} to opening a tenant"),
        }
    }

    /// Sends the console's commands to the service and hands its replies and notices to the
    /// console loop, on two threads. When the service goes away (a restart, an update), the
    /// console says so, keeps what the user typed, and reconnects to the same tenant.
    pub fn spawn(self, rx: Receiver<Cmd>, tx: Sender<Msg>) -> Result<()> {
        let reader = self.stream.try_clone()?;
        let shared = Arc::new(Shared {
            stream: Mutex::new(Some(self.stream)),
            pending: Mutex::new(VecDeque::new()),
            locale: Mutex::new(Locale::default()),
        });
        let sender = shared.clone();
        let local = tx.clone();
        std::thread::Builder::new()
            .name("client-send".into())
            .spawn(move || {
                while let Ok(cmd) = rx.recv() {
                    if let Some(reply) = sender.send(cmd) {
                        let _ = local.send(Msg::Reply(reply));
                    }
                }
                if let Some(s) = lock(&sender.stream).take() {
                    let _ = s.shutdown(std::net::Shutdown::Both);
                }
            })?;
        let socket = self.socket;
        let mut tenant = self.opening.tenant.name;
        std::thread::Builder::new()
            .name("client-recv".into())
            .spawn(move || {
                let mut reader = reader;
                loop {
                    let gone = shared.receive(&reader, &tx, &mut tenant);
                    let Some(gone) = gone else { return };
                    lock(&shared.stream).take();
                    lock(&shared.pending).clear();
                    let l = *lock(&shared.locale);
                    let said = l.strings().service_lost.replace("{0}", &gone);
                    if tx.send(Msg::Reply(Reply::Error(said))).is_err() {
                        return;
                    }
                    match reconnect(&socket, &tenant, l) {
                        Ok(conn) => {
                            let Ok(r) = conn.stream.try_clone() else {
                                return;
                            };
                            reader = r;
                            *lock(&shared.stream) = Some(conn.stream);
                            let back = Reply::Reconnected {
                                docs: conn.opening.tenant.docs,
                                service: conn.welcome.service.clone(),
                            };
                            if tx.send(Msg::Reply(back)).is_err() {
                                return;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Msg::Reply(Reply::Error(format!("{e:#}"))));
                            return;
                        }
                    }
                }
            })?;
        Ok(())
    }
}

/// Tries until the service is back; another build of it is the end (the console must be
/// updated), said in words.
fn reconnect(socket: &Path, tenant: &str, locale: Locale) -> Result<Connection> {
    loop {
        std::thread::sleep(RETRY);
        match Connection::open(socket, Some(tenant), Some(locale)) {
            Ok(c) => return Ok(c),
            // Another build, or no role any more: the end, said in words. Anything else (not
            // there yet, starting, stopping) is tried again.
            Err(e) if e.downcast_ref::<Final>().is_some() => return Err(e),
            Err(e) => tracing::info!("site service: {e:#}"),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    /// Sends one command; what to tell the console at once, if anything (a file that cannot be
    /// read, no connection right now).
    fn send(&self, mut cmd: Cmd) -> Option<Reply> {
        match &cmd {
            // The service pushes what changed: nothing to ask.
            Cmd::Poll => return None,
            Cmd::SetLocale(l) => *lock(&self.locale) = *l,
            _ => {}
        }
        let locale = *lock(&self.locale);
        let upload = match upload_of(&mut cmd, locale) {
            Ok(u) => u,
            Err(reply) => return Some(*reply),
        };
        let out = cmd.out_dir_mut().map(|d| d.clone());
        let mut stream = lock(&self.stream);
        let Some(s) = stream.as_mut() else {
            return Some(Reply::Error(locale.strings().service_away.to_owned()));
        };
        lock(&self.pending).push_back(out);
        if let Err(e) = write_frame(s, &Request::Cmd { cmd, upload }) {
            tracing::warn!("site service: {e}");
            let _ = s.shutdown(std::net::Shutdown::Both);
            return Some(Reply::Error(locale.strings().service_away.to_owned()));
        }
        None
    }

    /// Hands replies and notices to the console until the connection ends: None when the
    /// console is gone, else why the service went away.
    fn receive(
        &self,
        reader: &UnixStream,
        tx: &Sender<Msg>,
        tenant: &mut String,
    ) -> Option<String> {
        let mut file: Option<std::fs::File> = None;
        let mut failed = false;
        loop {
            let r = match wire::read_frame::<Response>(reader, MAX_RESPONSE) {
                Ok(r) => r,
                Err(e) => return Some(e.to_string()),
            };
            let msg = match r {
                Response::Notice(r) => Some(r),
                Response::Reply(r) => {
                    lock(&self.pending).pop_front();
                    if let Some(Reply::Tenant(t)) = &r {
                        tenant.clone_from(&t.name);
                    }
                    r
                }
                Response::File { name, bytes, last } => {
                    let dir = lock(&self.pending).front().cloned().flatten();
                    // A file that cannot be written is said once; its other pieces are dropped.
                    let said = match failed {
                        true => None,
                        false => write_piece(&mut file, dir.as_deref(), &name, &bytes, last)
                            .err()
                            .map(|e| {
                                failed = true;
                                file = None;
                                Reply::Error(format!("{name}: {e:#}"))
                            }),
                    };
                    if last {
                        failed = false;
                    }
                    said
                }
                Response::Refused(why) => Some(Reply::Error(why)),
                other => Some(Reply::Error(format!(
                    "unexpected from the site service: {other:?}"
                ))),
            };
            if let Some(m) = msg
                && tx.send(Msg::Reply(m)).is_err()
            {
                return None;
            }
        }
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
    let upload = Upload::read(&full).map_err(|e| {
        refuse(match e {
            UploadError::Missing(shown) => refusals::say(locale, &why!(NoSuchFile, shown)),
            e => e.to_string(),
        })
    })?;
    *path = PathBuf::from(&upload.name);
    Ok(Some(upload))
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
