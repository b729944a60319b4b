//! File access in a data dir shared by several OS users through a Unix group: friendly errors
//! naming the path and the group, and the modes opsdeck gives what it creates.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use anyhow::{Context, Result};
use nix::unistd::{Gid, Group, chown};

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
fn nearest_group(path: &Path) -> Option<String> {
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

/// Gives `root` and everything under it to `gid`: dirs 2770 (setgid so new files inherit the
/// group), files 0660, the secrets file 0640.
pub fn share_with_group(root: &Path, gid: Gid, secrets: &Path) -> Result<()> {
    for entry in walk(root)? {
        let meta = std::fs::symlink_metadata(&entry)?;
        chown(&entry, None, Some(gid))
            .with_context(|| format!("giving {} to the group", entry.display()))?;
        let mode = if meta.is_dir() {
            0o2770
        } else if entry == secrets {
            0o640
        } else {
            0o660
        };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("setting the mode of {}", entry.display()))?;
    }
    Ok(())
}

fn walk(root: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = vec![root.to_owned()];
    let mut i = 0;
    while i < out.len() {
        let p = out[i].clone();
        if std::fs::symlink_metadata(&p)?.is_dir() {
            for e in std::fs::read_dir(&p)? {
                out.push(e?.path());
            }
        }
        i += 1;
    }
    Ok(out)
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

/// The OS user running us: the identity every action is attributed to.
pub fn os_user() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| format!("uid{}", nix::unistd::getuid()))
}
