//! What the server shares with every connection and the routes read: settings, the pipeline,
//! the ingest keys and the connection counters.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use hyper::server::conn::http1;

use super::HttpSettings;
use crate::ingest::pipeline::Pipeline;

/// What every connection shares.
pub(super) struct Ctx {
    pub settings: HttpSettings,
    pub pipeline: Arc<Pipeline>,
    /// tenant -> ingest secret
    pub keys: HashMap<String, String>,
    /// Connections being served: the cap applies to these.
    pub(super) active: AtomicUsize,
    /// Refused connections still lingering; bounded, so refusals cannot pile up either.
    pub(super) refusing: AtomicUsize,
    pub(super) http1: http1::Builder,
}

impl Ctx {
    pub(super) fn active(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }
}
