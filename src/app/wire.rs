//! The site service's socket protocol: what a console or a CLI command sends the service of a
//! shared site, and what comes back. Frames are a 4-byte little-endian length and a bincode
//! value. A connection opens with `Hello` / `Greeting`, whose layout never changes, so a console
//! of another version is told so in words instead of failing to decode.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use opsdeck_storage::locale::Locale;
use opsdeck_views::state::TenantRow;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::protocol::{Cmd, Reply, TenantOpened};

/// Bumped with any change of the frames below or of the panes' `Cmd`/`Reply`.
pub const PROTOCOL: u32 = 2;
/// This build's version: the console and the service must be the same build.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The largest frame a client may send (an attached file travels in one frame).
pub const MAX_REQUEST: usize = 64 << 20;
/// Once a frame has started, the rest must arrive within this (a stuck client holds nothing).
pub const FRAME_DEADLINE: Duration = Duration::from_secs(30);
/// Files come back to a client in pieces of this size, so memory stays flat.
pub const CHUNK: usize = 1 << 20;

/// The first frame of every connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hello {
    pub version: String,
    pub protocol: u32,
}

impl Hello {
    pub fn ours() -> Hello {
        Hello {
            version: VERSION.into(),
            protocol: PROTOCOL,
        }
    }
}

/// The service's answer to `Hello`. `Refused` stays the first variant in every version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Greeting {
    /// Another build: (the console's version, the site's).
    Refused {
        console: String,
        site: String,
    },
    Welcome(Welcome),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Welcome {
    /// "pid 812 (opsdeck)": the service process and its user.
    pub service: String,
    /// The caller as the kernel names them: every action is theirs.
    pub user: String,
}

/// What a client asks once greeted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    /// A console opens a tenant (None: the site's default).
    Open {
        tenant: Option<String>,
        locale: Option<Locale>,
    },
    /// One of the panes' commands; `upload` is the file an attach names, read by the console.
    Cmd { cmd: Cmd, upload: Option<Upload> },
    /// A CLI command: its arguments, with the files it reads sent along.
    Cli {
        argv: Vec<String>,
        uploads: Vec<Upload>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Upload {
    /// The file's name (no directory): importers and evidence keep it.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a file the user named cannot go along a request.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("{0}: no such file")]
    Missing(String),
    #[error("{0}: {1} MB, over the {max} MB a file can have through the site service", max = MAX_REQUEST >> 20)]
    TooLarge(String, u64),
    #[error("{0}: {1}")]
    Unreadable(String, String),
}

impl Upload {
    /// The file at `path`, read here, as the user running this process (the service could
    /// not, and must not open a path a user typed).
    pub fn read(path: &std::path::Path) -> Result<Upload, UploadError> {
        let shown = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => m,
            _ => return Err(UploadError::Missing(shown)),
        };
        // Room for the rest of the request in its frame.
        if meta.len() as usize > MAX_REQUEST - (1 << 20) {
            return Err(UploadError::TooLarge(shown, meta.len() >> 20));
        }
        let bytes = std::fs::read(path).map_err(|e| {
            UploadError::Unreadable(shown, crate::site::access::explain_io(path, &e))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        Ok(Upload { name, bytes })
    }
}

/// What the service sends a client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    Opened(Box<Opening>),
    /// The answer to one `Cmd` (None: nothing to say); files it wrote come first as `File`s.
    Reply(Option<Reply>),
    /// Pushed, not asked for: something was committed in the tenant the console works on.
    Notice(Reply),
    /// A piece of a file a command wrote (an export); `last` closes it.
    File {
        name: String,
        bytes: Vec<u8>,
        last: bool,
    },
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
    /// The CLI command ended with this exit code.
    Exit(i32),
    /// The request was refused before it ran (size, version, a path not sent by the client).
    Refused(String),
}

/// What a console needs to open on a tenant: the same facts in embedded and client mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opening {
    pub tenant: TenantOpened,
    pub user: String,
    /// The tenants the user has a role in.
    pub tenants: Vec<TenantRow>,
    /// The site's `[ui]`: language, colour, ASCII.
    pub locale: Option<Locale>,
    pub color: Option<bool>,
    pub ascii: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("the other side closed the connection")]
    Closed,
    #[error("a frame of {0} bytes is over the limit of {1}")]
    TooLarge(usize, usize),
    #[error("a frame did not arrive whole within {0:?}")]
    Slow(Duration),
    /// Both sides said the same version, yet a frame does not decode: two builds of it.
    #[error(
        "the console and the site service are different builds of opsdeck {VERSION} ({0}): restart the console with the site's opsdeck"
    )]
    Decode(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub fn write_frame<W: Write, T: Serialize>(w: &mut W, value: &T) -> Result<(), WireError> {
    // The length and the value in one write: the reader wakes once for the frame, not first for
    // its four bytes of length.
    let size = bincode::serialized_size(value).map_err(|e| WireError::Decode(e.to_string()))?;
    let len = u32::try_from(size).map_err(|_| WireError::TooLarge(size as usize, 0))?;
    let mut frame = Vec::with_capacity(4 + size as usize);
    frame.extend_from_slice(&len.to_le_bytes());
    bincode::serialize_into(&mut frame, value).map_err(|e| WireError::Decode(e.to_string()))?;
    w.write_all(&frame)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame of at most `max` bytes. Waiting for a frame to start has no limit (an idle
/// console); once it started, the rest must come within `FRAME_DEADLINE`.
pub fn read_frame<T: DeserializeOwned>(
    s: &std::os::unix::net::UnixStream,
    max: usize,
) -> Result<T, WireError> {
    read_frame_from(s, max, None)
}

/// `read_frame`, with a limit on the wait for the frame to start too.
pub fn read_frame_within<T: DeserializeOwned>(
    s: &std::os::unix::net::UnixStream,
    max: usize,
    start: Duration,
) -> Result<T, WireError> {
    read_frame_from(s, max, Some(start))
}

fn read_frame_from<T: DeserializeOwned>(
    s: &std::os::unix::net::UnixStream,
    max: usize,
    start: Option<Duration>,
) -> Result<T, WireError> {
    let mut r = s;
    let mut len = [0u8; 4];
    let mut got = 0;
    s.set_read_timeout(start)?;
    while got == 0 {
        match r.read(&mut len) {
            Ok(0) => return Err(WireError::Closed),
            Ok(n) => got = n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if timed_out(&e) => return Err(WireError::Slow(start.unwrap_or_default())),
            Err(e) => return Err(e.into()),
        }
    }
    let deadline = Instant::now() + FRAME_DEADLINE;
    read_until(s, &mut len[got..], deadline)?;
    let n = u32::from_le_bytes(len) as usize;
    if n > max {
        return Err(WireError::TooLarge(n, max));
    }
    // Memory follows what has arrived, not what the header claims.
    let mut body = Vec::with_capacity(n.min(CHUNK));
    let mut piece = vec![0u8; n.min(CHUNK)];
    while body.len() < n {
        let k = (n - body.len()).min(piece.len());
        read_until(s, &mut piece[..k], deadline)?;
        body.extend_from_slice(&piece[..k]);
    }
    s.set_read_timeout(None)?;
    bincode::deserialize(&body).map_err(|e| WireError::Decode(e.to_string()))
}

/// A read timeout, as the platform says it.
fn timed_out(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

fn read_until(
    s: &std::os::unix::net::UnixStream,
    mut buf: &mut [u8],
    deadline: Instant,
) -> Result<(), WireError> {
    let mut r = s;
    while !buf.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(WireError::Slow(FRAME_DEADLINE));
        }
        s.set_read_timeout(Some(left))?;
        match r.read(buf) {
            Ok(0) => return Err(WireError::Closed),
            Ok(n) => buf = &mut buf[n..],
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if timed_out(&e) => return Err(WireError::Slow(FRAME_DEADLINE)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The console's words for a service of another build.
pub fn mismatch(console: &str, site: &str) -> String {
    // "0.10.0" is newer than "0.9.0": compare the numbers, not the text.
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    format!(
        "console {console}, site {site}: {}",
        if parts(console) < parts(site) {
            "update the console"
        } else {
            "the site service runs an older opsdeck; ask an admin to update it"
        }
    )
}
