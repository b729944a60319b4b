//! A site run by its service: one system user owns every file (data dir 0700 inside, secrets
//! 0600), and the site's group can only reach the service's socket (the data dir and its run
//! dir are 0710 to the group: they can pass through, not list or read). `opsdeck init --group`
//! makes a site this way, and `opsdeck site share` moves a site shared the old way (group
//! read/write files) to it.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::unistd::{Gid, Uid, chown};

use super::paths::SiteDir;

/// Mode of the data dir and the run dir: the owner's, and the group may pass through.
pub const PASS_THROUGH: u32 = 0o710;
/// The run dir is also setgid: the socket the service makes there is the group's, without the
/// service's user having to be a member.
pub const RUN_DIR: u32 = 0o2710;

/// Gives everything under `dir` to `owner` (with its own group), private; then lets `group`
/// pass through the data dir and the run dir to the socket. Returns how many entries changed.
pub fn apply(dir: &SiteDir, owner: Uid, owner_gid: Gid, group: Gid) -> Result<usize> {
    let mut changed = 0;
    for entry in walk(dir.root())? {
        let meta = std::fs::symlink_metadata(&entry)?;
        if meta.file_type().is_symlink() {
            anyhow::bail!("{}: a link, which opsdeck does not make", entry.display());
        }
        let pass = entry == dir.root() || entry == dir.run_dir();
        let gid = if pass { group } else { owner_gid };
        let mode = match (meta.is_dir(), pass) {
            (true, true) if entry == dir.run_dir() => RUN_DIR,
            (true, true) => PASS_THROUGH,
            (true, false) => 0o700,
            (false, _) if entry == dir.socket() => 0o660,
            // Evidence is read-only, and stays so.
            (false, _) if meta.permissions().mode() & 0o200 == 0 => 0o400,
            (false, _) => 0o600,
        };
        let gid = if entry == dir.socket() { group } else { gid };
        if meta.uid() != owner.as_raw()
            || meta.gid() != gid.as_raw()
            || meta.permissions().mode() & 0o7777 != mode
        {
            chown(&entry, Some(owner), Some(gid))
                .with_context(|| format!("giving {} to the service user", entry.display()))?;
            std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("setting the mode of {}", entry.display()))?;
            changed += 1;
        }
    }
    std::fs::create_dir_all(dir.run_dir())?;
    chown(&dir.run_dir(), Some(owner), Some(group))?;
    std::fs::set_permissions(dir.run_dir(), std::fs::Permissions::from_mode(RUN_DIR))?;
    Ok(changed)
}

/// The links under `dir`: a site has none, so any was planted, and must not be followed.
pub fn links(dir: &SiteDir) -> Result<Vec<PathBuf>> {
    Ok(walk(dir.root())?
        .into_iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
        .collect())
}

/// Is `root` laid out for a service (the group passes through, nobody else enters)?
pub fn is_service_owned(root: &Path) -> bool {
    std::fs::metadata(root)
        .map(|m| m.permissions().mode() & 0o7777 == PASS_THROUGH)
        .unwrap_or(false)
}

/// The systemd unit that runs the service.
pub fn unit(exe: &Path, root: &Path, user: &str, group: &str) -> String {
    format!(
        "[Unit]
Description=opsdeck site service ({root})
After=network-online.target
Wants=network-online.target

[Service]
User={user}
Group={group}
ExecStart={exe} serve --data {root}
Restart=on-failure
UMask=0077
NoNewPrivileges=yes
ProtectSystem=full
ProtectHome=read-only
ReadWritePaths={root}

[Install]
WantedBy=multi-user.target
",
        exe = exe.display(),
        root = root.display(),
    )
}

fn walk(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = vec![root.to_owned()];
    let mut i = 0;
    while i < out.len() {
        let p = out[i].clone();
        let meta = std::fs::symlink_metadata(&p)?;
        if meta.is_dir() {
            for e in std::fs::read_dir(&p).with_context(|| format!("reading {}", p.display()))? {
                out.push(e?.path());
            }
        }
        i += 1;
    }
    Ok(out)
}
