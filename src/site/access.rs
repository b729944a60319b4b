//! File access in a data dir shared by several OS users through a Unix group: friendly errors
//! naming the path and the group, and the modes opsdeck gives what it creates.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use anyhow::{Context, Result};
use nix::unistd::{Gid, Group};

/// An I/O error as a sentence a user can act on.
pub fn explain_io(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            let group = nearest_group(path);
            match group {
                Some(g) => format!(
                    "permission denied. This site is shared through the group '{g}': ask an admin to add you (sudo usermod -aG {g} $USER), then log in again"
                ),
                None => "permission denied".into(),
            }
        }
        std::io::ErrorKind::NotFound => "not found".into(),
        _ => e.to_string(),
    }
}

/// The group owning the closest existing ancestor of `path`.
pub fn nearest_group(path: &Path) -> Option<String> {
    let mut p = Some(path);
    while let Some(cur) = p {
        if let Ok(m) = std::fs::metadata(cur) {
            return Group::from_gid(Gid::from_raw(m.gid()))
                .ok()
                .flatten()
                .map(|g| g.name);
        }
        p = cur.parent();
    }
    None
}

/// Is this data dir shared through a group (setgid bit on its root)?
pub fn is_group_shared(root: &Path) -> bool {
    std::fs::metadata(root)
        .map(|m| m.permissions().mode() & 0o2000 != 0)
        .unwrap_or(false)
}

/// In a group-shared site, files this process creates must be group read/write: relax the umask
/// once at start-up (secrets are chmod-ed explicitly).
pub fn apply_umask(root: &Path) {
    if is_group_shared(root) {
        nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o007));
    } else if super::share::is_service_owned(root) {
        // A site run by its service: what it creates is its own (the group passes through the
        // data dir to the socket, and must find nothing else readable on the way).
        nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    }
}

pub fn lookup_group(name: &str) -> Result<Gid> {
    Group::from_name(name)
        .with_context(|| format!("looking up group '{name}'"))?
        .map(|g| g.gid)
        .with_context(|| {
            format!("there is no group '{name}' (create it with: sudo groupadd {name})")
        })
}

/// A user's uid and primary group, or an error saying how to create the user.
pub fn lookup_user(name: &str) -> Result<(nix::unistd::Uid, Gid)> {
    nix::unistd::User::from_name(name)
        .with_context(|| format!("looking up user '{name}'"))?
        .map(|u| (u.uid, u.gid))
        .with_context(|| {
            format!("there is no user '{name}' (create it with: sudo useradd --system {name})")
        })
}

/// Writes a file readable by its owner only (or owner and group in a shared site).
pub fn write_private(path: &Path, contents: &str, shared: bool) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mode = if shared { 0o640 } else { 0o600 };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

/// Set by the site service on the commands it runs for a client: the client's user name, as
/// the kernel gave it.
pub const ACTOR_ENV: &str = "OPSDECK_ACTOR";
/// Set with it: the request's scratch dir, the only place the command may read or write.
pub const SCRATCH_ENV: &str = "OPSDECK_SCRATCH";
/// Set with it when the client sent a file: where the service put it.
pub const UPLOAD_ENV: &str = "OPSDECK_UPLOAD";

static ACTOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Acts for the client the site service names in `OPSDECK_ACTOR`, if it is set. Only a process
/// that owns the data dir (the service's own child) may: anyone else is refused, so nobody can
/// use it to act as another user.
pub fn act_for_client(root: &Path) -> Result<Option<String>> {
    let Ok(actor) = std::env::var(ACTOR_ENV) else {
        return Ok(None);
    };
    let owner = std::fs::metadata(root)
        .with_context(|| format!("reading {}", root.display()))?
        .uid();
    if owner != nix::unistd::geteuid().as_raw() {
        anyhow::bail!(
            "{ACTOR_ENV} is set only by the site service, for the commands it runs for its clients"
        );
    }
    let _ = ACTOR.set(actor.clone());
    Ok(Some(actor))
}

/// Is this a command the site service runs for a client (who may see only what their roles
/// let them)?
pub fn acting_for_client() -> bool {
    ACTOR.get().is_some()
}

/// The OS user running us: the identity every action is attributed to (or, in a command the
/// site service runs for a client, that client's).
pub fn os_user() -> String {
    if let Some(a) = ACTOR.get() {
        return a.clone();
    }
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| format!("uid{}", nix::unistd::getuid()))
}

/// Does this process's user own `root` (an existing dir, not a link)?
pub fn owns(root: &Path) -> bool {
    std::fs::symlink_metadata(root)
        .is_ok_and(|m| m.is_dir() && m.uid() == nix::unistd::geteuid().as_raw())
}

/// Is `dir` ours and writable by nobody else (so nobody could have put a link in it for us to
/// follow)?
pub fn private_dir(dir: &Path) -> bool {
    owns(dir) && std::fs::symlink_metadata(dir).is_ok_and(|m| m.mode() & 0o022 == 0)
}

/// The site service's socket, when this process must be its client: the data dir belongs to
/// another user (the service's) and the service listens. A site of our own is opened directly.
/// A socket that is not the data dir's owner's, or in a run dir others may write, is refused:
/// on a site shared the old way a member could have put one there to catch the others.
pub fn service_socket(dir: &super::paths::SiteDir) -> Result<Option<std::path::PathBuf>> {
    let Ok(root) = std::fs::metadata(dir.root()) else {
        return Ok(None);
    };
    if root.uid() == nix::unistd::geteuid().as_raw() {
        return Ok(None);
    }
    let socket = dir.socket();
    match std::fs::symlink_metadata(&socket) {
        Ok(meta) => {
            let run = std::fs::symlink_metadata(dir.run_dir())?;
            if meta.uid() != root.uid() || run.uid() != root.uid() || run.mode() & 0o022 != 0 {
                anyhow::bail!(
                    "{}: not the site service's socket (it must belong to the data dir's owner, in a run dir only they may write); ask an admin to run `opsdeck site share`",
                    socket.display()
                );
            }
            Ok(Some(socket))
        }
        // Not there: a site shared the old way (group-writable files) opens directly, as before;
        // a site whose files we cannot read is its service's, which is not running.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(std::fs::File::open(dir.config()).is_err().then_some(socket))
        }
        Err(_) => Ok(Some(socket)),
    }
}
