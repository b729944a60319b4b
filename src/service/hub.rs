//! The consoles connected to the service and the tenant each works on, and the notifier that
//! tells them when something was committed there (this replaces their polling).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossbeam_channel::Sender;

use crate::app::protocol::Reply;
use crate::app::wire::Response;
use crate::site::Site;

/// How often the notifier looks at the change counters (in this process: cheap).
const EVERY: Duration = Duration::from_millis(200);

#[derive(Default)]
pub struct Hub {
    next: AtomicU64,
    clients: Mutex<HashMap<u64, (String, Sender<Response>)>>,
}

impl Hub {
    pub fn join(&self, tenant: &str, tx: Sender<Response>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, (tenant.to_owned(), tx));
        id
    }

    pub fn moved(&self, id: u64, tenant: &str) {
        if let Some(c) = self.lock().get_mut(&id) {
            c.0 = tenant.to_owned();
        }
    }

    pub fn leave(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// How many consoles are connected.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (String, Sender<Response>)>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub fn spawn_notifier(site: Arc<Site>, hub: Arc<Hub>) {
    let spawned = std::thread::Builder::new()
        .name("socket-notices".into())
        .spawn(move || {
            let mut seen: HashMap<String, (u64, u64)> = HashMap::new();
            loop {
                std::thread::sleep(EVERY);
                let tenants: Vec<String> = {
                    let mut t: Vec<String> = hub.lock().values().map(|c| c.0.clone()).collect();
                    t.sort();
                    t.dedup();
                    t
                };
                for name in tenants {
                    let Ok((tenant, index)) = site.tenant(&name) else {
                        continue;
                    };
                    let now = (tenant.change_counter().unwrap_or(0), index.generation());
                    let before = seen.insert(name.clone(), now);
                    if before.is_none_or(|b| b == now) {
                        continue;
                    }
                    let docs = index.num_docs();
                    for (t, tx) in hub.lock().values() {
                        // A console that does not read its notices misses some: the next one
                        // tells it the same.
                        if *t == name {
                            let _ = tx.try_send(Response::Notice(Reply::Changed { docs }));
                        }
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("socket: the notifier thread: {e}");
    }
}
