//! The site service's socket: on a shared site, `opsdeck serve` alone opens the files, and every
//! other user's console and CLI command is its client here. Who calls is what the kernel says
//! (the socket's peer credentials), never what the client sends; that user's roles apply, as in
//! their own console. Each connection has its own threads, its reads their own read
//! transactions and its writes the usual short write transactions, so a slow or stuck client
//! holds nobody else back.

mod cli_run;
mod hub;
mod out;
mod peer;
mod scratch;
mod session;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

use crate::site::Site;
pub use hub::Hub;

/// Clients at once, at most, and per user: beyond, a connection is closed at once (a runaway
/// script, or one user, must not take the service's threads and memory from the others).
const MAX_CLIENTS: usize = 256;
const MAX_PER_USER: usize = 32;

/// The listening socket; removed when dropped.
pub struct Listener {
    path: PathBuf,
    pub hub: Arc<Hub>,
}

impl Listener {
    /// Listens on the site's socket (mode 0660, the run dir's group) and serves each client on
    /// its own thread.
    pub fn start(site: Arc<Site>, health: hub::HealthFn) -> Result<Listener> {
        let path = site.dir.socket();
        scratch::clear(&site.dir.scratch());
        // We hold the services lock: a socket file left there is a dead service's.
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path)
            .with_context(|| format!("listening on {}", path.display()))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o660))
            .with_context(|| format!("setting the mode of {}", path.display()))?;
        if let Ok(meta) = std::fs::metadata(site.dir.run_dir()) {
            use std::os::unix::fs::MetadataExt;
            let gid = nix::unistd::Gid::from_raw(meta.gid());
            if let Err(e) = nix::unistd::chown(&path, None, Some(gid)) {
                tracing::warn!("giving {} to the run dir's group: {e}", path.display());
            }
        }
        let hub = Arc::new(Hub::new(health));
        hub::spawn_notifier(site.clone(), hub.clone());
        let h = hub.clone();
        std::thread::Builder::new()
            .name("socket-accept".into())
            .spawn(move || {
                let active: Arc<Mutex<HashMap<u32, usize>>> = Default::default();
                for conn in listener.incoming() {
                    let stream = match conn {
                        Ok(s) => s,
                        Err(e) => {
                            // Out of descriptors, say: do not spin on it.
                            tracing::warn!("socket: accept: {e}");
                            std::thread::sleep(std::time::Duration::from_millis(100));
                            continue;
                        }
                    };
                    let peer = match peer::of(&stream) {
                        Ok(p) => p,
                        Err(e) => {
                            tracing::warn!("socket: {e:#}");
                            continue;
                        }
                    };
                    let Some(count) = Counted::new(&active, peer.uid) else {
                        tracing::warn!("socket: too many clients ({}); one refused", peer.user);
                        continue;
                    };
                    let (site, hub) = (site.clone(), h.clone());
                    let spawned = std::thread::Builder::new()
                        .name("socket-client".into())
                        .spawn(move || {
                            let _count = count;
                            session::serve(stream, peer, site, hub)
                        });
                    if let Err(e) = spawned {
                        tracing::error!("socket: a thread for a client: {e}");
                    }
                }
            })?;
        tracing::info!("listening on {}", path.display());
        Ok(Listener { path, hub })
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

/// One client counted, per user, while it is connected.
struct Counted(Arc<Mutex<HashMap<u32, usize>>>, u32);

impl Counted {
    /// None when the service, or this user, has as many clients as it takes.
    fn new(active: &Arc<Mutex<HashMap<u32, usize>>>, uid: u32) -> Option<Counted> {
        let mut a = active.lock().unwrap_or_else(|p| p.into_inner());
        let total: usize = a.values().sum();
        let mine = a.entry(uid).or_default();
        if total >= MAX_CLIENTS || *mine >= MAX_PER_USER {
            return None;
        }
        *mine += 1;
        Some(Counted(active.clone(), uid))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut a = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = a.get_mut(&self.1) {
            *n = n.saturating_sub(1);
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
