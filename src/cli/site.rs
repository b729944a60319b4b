//! `opsdeck site share` and `opsdeck site unit`: a site run by its service.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use super::Cli;
use crate::site::Site;
use crate::site::access::{self, os_user};
use crate::site::init::random_hex;
use crate::site::lock::ServicesLock;
use crate::site::share;
use opsdeck_storage::audit::Verdict;
use std::os::unix::fs::PermissionsExt;

#[derive(Debug, Subcommand)]
pub enum SiteCmd {
    /// Move a site to its service (as root): USER owns every file, GROUP's members reach it only
    /// through the service's socket; rotates the audit seal key others could read
    Share {
        /// The system user the service runs as (create it with: useradd --system USER)
        #[arg(long)]
        user: String,
        /// The group whose members use the site
        #[arg(long)]
        group: String,
        /// Also rotate every tenant's ingest key (devices must then get their new keys)
        #[arg(long)]
        rotate_keys: bool,
        /// Write the systemd unit here [default: /etc/systemd/system/opsdeck.service when that
        /// dir exists, else print it]
        #[arg(long, value_name = "FILE")]
        unit: Option<PathBuf>,
    },
    /// Print the systemd unit that runs the site's service as USER
    Unit {
        #[arg(long)]
        user: String,
        #[arg(long)]
        group: String,
    },
}

pub fn run(cli: &Cli, c: &SiteCmd) -> Result<()> {
    let dir = cli.site_dir();
    let exe = std::env::current_exe().context("finding this program")?;
    match c {
        SiteCmd::Unit { user, group } => {
            print!("{}", share::unit(&exe, dir.root(), user, group));
            Ok(())
        }
        SiteCmd::Share {
            user,
            group,
            rotate_keys,
            unit,
        } => {
            if !nix::unistd::geteuid().is_root() {
                bail!("`opsdeck site share` changes owners: run it as root (sudo)");
            }
            let (uid, ugid) = access::lookup_user(user)?;
            let gid = access::lookup_group(group)?;
            // The group could change the tree under us, and plant links for root to follow:
            // close it to them before reading anything, and follow no link.
            let root = dir.root();
            if !std::fs::symlink_metadata(root).is_ok_and(|m| m.is_dir()) {
                bail!("{}: not a directory", root.display());
            }
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("closing {} to the group", root.display()))?;
            let links = share::links(&dir)?;
            if !links.is_empty() {
                bail!(
                    "{} is closed to the group now, but holds links opsdeck does not make: {}; remove them and run this again",
                    root.display(),
                    links
                        .iter()
                        .map(|l| l.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let Some(_lock) = ServicesLock::try_acquire(&dir.services_lock(), "site share")? else {
                bail!(
                    "the site services run ({}): stop them (and quit the consoles) first",
                    ServicesLock::holder(&dir.services_lock()).unwrap_or_default()
                );
            };
            let site = Site::open(dir.clone())?;
            // The new secrets are written aside first: a share cut short (some tenants sealed
            // under the new key) is finished by running it again, which takes them from there.
            let next = site.dir.secrets().with_extension("toml.new");
            let resumed = next.exists();
            let mut secrets = if resumed {
                crate::site::config::Secrets::load(&next)?
            } else {
                site.secrets.clone()
            };
            let tenants: Vec<String> = site.config.tenant_names();
            let mut rotated = Vec::new();
            if !resumed {
                secrets.audit_seal_key = random_hex(32)?;
                if *rotate_keys {
                    for t in &tenants {
                        secrets.ingest_keys.insert(t.clone(), random_hex(32)?);
                    }
                }
                access::write_private(&next, &secrets.to_toml(), false)?;
            }
            if *rotate_keys {
                for t in &tenants {
                    if let Some(k) = secrets.ingest_keys.get(t) {
                        rotated.push((t.clone(), k.clone()));
                    }
                }
            }
            let why = format!(
                "seal key rotated by `opsdeck site share`: the old one was readable by group {}",
                access::nearest_group(&site.dir.secrets()).unwrap_or_else(|| "others".into())
            );
            let key = hex::decode(&secrets.audit_seal_key)?;
            // The old key was readable: check each whole chain before it is sealed anew (a
            // tenant moved already by a share cut short checks under the new key).
            for t in &tenants {
                let under_old = site.open_tenant_file(t)?.audit_verify()?;
                if under_old.verdict == Verdict::Intact {
                    continue;
                }
                let path = site.dir.tenant_db(t);
                let under_new = opsdeck_storage::Tenant::open(t, &path, &key)?.audit_verify()?;
                if let (true, Verdict::Intact) = (resumed, &under_new.verdict) {
                    continue;
                }
                if let Verdict::Broken { seq, reason } = under_old.verdict {
                    bail!(
                        "tenant '{t}': the audit chain is broken at entry {seq} ({reason}); the group could write it: find out what changed before sealing it anew"
                    );
                }
            }
            for t in &tenants {
                site.open_tenant_file(t)?
                    .rotate_seal(&os_user(), &key, &why)
                    .with_context(|| format!("tenant '{t}'"))?;
            }
            std::fs::rename(&next, site.dir.secrets())?;
            std::fs::File::open(root)?.sync_all()?;
            drop(site);
            let changed = share::apply(&dir, uid, ugid, gid)?;
            let unit_text = share::unit(&exe, dir.root(), user, group);
            let default_unit = PathBuf::from("/etc/systemd/system/opsdeck.service");
            let unit_at = unit.clone().or_else(|| {
                default_unit
                    .parent()
                    .is_some_and(|d| d.is_dir())
                    .then_some(default_unit)
            });
            println!("Shared {} through its service:", dir.root().display());
            println!(
                "  every file is {user}'s now ({changed} changed): data dir and run dir 0710 (group {group} passes through to the socket), the rest 0700/0600"
            );
            println!(
                "  audit seal key rotated in {} tenant(s); the rotation is an entry of each chain",
                tenants.len()
            );
            if rotated.is_empty() {
                if !secrets.ingest_keys.is_empty() {
                    println!(
                        "  ingest keys group members could read (tenants: {}): rotate them with --rotate-keys when the devices can be given new keys",
                        secrets
                            .ingest_keys
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            } else {
                println!("  new ingest keys (give each tenant's devices theirs):");
                for (t, k) in &rotated {
                    println!("    {t}: {k}");
                }
            }
            for name in secrets.passwords.keys() {
                println!(
                    "  password '{name}' was readable by the group: change it where it is used (broker, SMTP server) and in {}",
                    dir.secrets().display()
                );
            }
            match unit_at {
                Some(path) => {
                    std::fs::write(&path, &unit_text)
                        .with_context(|| format!("writing {}", path.display()))?;
                    println!("  service unit: {}", path.display());
                    println!("Next: systemctl daemon-reload && systemctl enable --now opsdeck");
                }
                None => {
                    println!(
                        "  service unit (no systemd here; save it as /etc/systemd/system/opsdeck.service):\n"
                    );
                    print!("{unit_text}");
                    println!();
                    println!(
                        "Next: run `opsdeck serve --data {}` as {user}",
                        dir.root().display()
                    );
                }
            }
            println!(
                "Members of {group} open the console as before (opsdeck --data {}); it works through the service.",
                dir.root().display()
            );
            Ok(())
        }
    }
}
