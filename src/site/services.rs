//! Site services, run by the one process holding the services lock. For now: the search indexer,
//! an outbox consumer per tenant committing in batches about once a second. Ingest and the
//! schedulers join here with their panes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use opsdeck_storage::{Error as StorageError, SearchIndex, Tenant};

/// How often the indexer commits: batched, never per document.
pub const INDEX_INTERVAL: Duration = Duration::from_millis(1000);
const BATCH: usize = 5000;

pub struct Services {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Services {
    /// Starts the indexer for each (tenant, index).
    pub fn start(tenants: Vec<super::TenantHandles>) -> Services {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = tenants
            .into_iter()
            .map(|(tenant, index)| {
                let stop = stop.clone();
                std::thread::Builder::new()
                    .name(format!("indexer-{}", tenant.name()))
                    .spawn(move || indexer_loop(&tenant, &index, &stop))
                    .expect("spawning the indexer thread")
            })
            .collect();
        Services { stop, threads }
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn indexer_loop(tenant: &Tenant, index: &SearchIndex, stop: &AtomicBool) {
    let mut writer = None;
    while !stop.load(Ordering::SeqCst) {
        if writer.is_none() {
            match index.writer() {
                Ok(w) => writer = Some(w),
                // `reindex` may hold it for a moment; try again next round.
                Err(StorageError::IndexLocked) => {}
                Err(e) => tracing::error!(tenant = tenant.name(), "search index: {e}"),
            }
        }
        if let Some(w) = writer.as_mut() {
            loop {
                match w.catch_up(tenant, BATCH) {
                    Ok(0) => break,
                    Ok(n) => tracing::debug!(tenant = tenant.name(), events = n, "indexed"),
                    Err(e) => {
                        tracing::error!(tenant = tenant.name(), "indexing: {e}");
                        break;
                    }
                }
            }
        }
        sleep_unless_stopped(INDEX_INTERVAL, stop);
    }
}

fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut left = d;
    while !left.is_zero() && !stop.load(Ordering::SeqCst) {
        let s = left.min(step);
        std::thread::sleep(s);
        left -= s;
    }
}
