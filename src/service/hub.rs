//! The consoles connected to the service, the tenant each works on and what it has seen of it,
//! and the notifier that tells them when something was committed there (this replaces their
//! polling).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossbeam_channel::Sender;

use crate::app::protocol::Reply;
use crate::app::telemetry::protocol::{ServiceHealth, TmReply};
use crate::app::wire::Response;
use crate::site::Site;

/// How often the notifier looks at the change counters (in this process: cheap).
const EVERY: Duration = Duration::from_millis(200);

/// A tenant's change counter and search-index generation: what a console has seen of it.
pub type Seen = (u64, u64);

struct Client {
    tenant: String,
    tx: Sender<Response>,
    seen: Seen,
}

/// How the service's ingest is doing now.
pub type HealthFn = Box<dyn Fn() -> ServiceHealth + Send + Sync>;

pub struct Hub {
    next: AtomicU64,
    clients: Mutex<HashMap<u64, Client>>,
    health: HealthFn,
}

impl Hub {
    pub fn new(health: HealthFn) -> Hub {
        Hub {
            next: AtomicU64::new(0),
            clients: Mutex::default(),
            health,
        }
    }

    /// The service's ingest as a newly connected console is first told it.
    pub fn health(&self) -> ServiceHealth {
        (self.health)()
    }

    /// A console that has loaded `tenant` as it was at `seen`.
    pub fn join(&self, tenant: &str, seen: Seen, tx: Sender<Response>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let c = Client {
            tenant: tenant.to_owned(),
            tx,
            seen,
        };
        self.lock().insert(id, c);
        id
    }

    /// The console works on `tenant` now; when it switched, `seen` says how it found it (read
    /// only then: this runs after every command).
    pub fn moved(&self, id: u64, tenant: &str, seen: impl FnOnce() -> Seen) {
        if let Some(c) = self.lock().get_mut(&id)
            && c.tenant != tenant
        {
            c.tenant = tenant.to_owned();
            c.seen = seen();
        }
    }

    pub fn leave(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Client>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What `site` has committed to `tenant` so far.
pub fn seen(site: &Site, tenant: &str) -> Seen {
    site.tenant(tenant)
        .map(|(t, index)| (t.change_counter().unwrap_or(0), index.generation()))
        .unwrap_or_default()
}

pub fn spawn_notifier(site: Arc<Site>, hub: Arc<Hub>) {
    let spawned = std::thread::Builder::new()
        .name("socket-notices".into())
        .spawn(move || {
            let mut health = hub.health();
            loop {
                std::thread::sleep(EVERY);
                // The ingest's state changed (MQTT connected or lost): every console is told.
                let h = hub.health();
                let health_changed = h != health;
                health = h;
                let mut now: HashMap<String, (Seen, u64)> = HashMap::new();
                let mut clients = hub.lock();
                if health_changed {
                    for c in clients.values() {
                        let told = Reply::Telemetry(TmReply::Health(health.clone()));
                        let _ = c.tx.try_send(Response::Notice(told));
                    }
                }
                for c in clients.values_mut() {
                    let (at, docs) = *now.entry(c.tenant.clone()).or_insert_with(|| {
                        let docs = site.open_index(&c.tenant).map_or(0, |i| i.num_docs());
                        (seen(&site, &c.tenant), docs)
                    });
                    // A console that does not read its notices misses some: it is told again
                    // on the next look.
                    if at != c.seen
                        && c.tx
                            .try_send(Response::Notice(Reply::Changed { docs }))
                            .is_ok()
                    {
                        c.seen = at;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("socket: the notifier thread: {e}");
    }
}
