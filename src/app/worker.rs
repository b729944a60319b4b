//! The console's I/O thread: database reads, searches and verification run here and come back
//! to the UI loop as messages, so the screen never waits on disk.

use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use opsdeck_storage::audit::{AuditEntry, Verdict};
use opsdeck_storage::{SearchIndex, Tenant};
use opsdeck_views::i18n::Locale;
use opsdeck_views::state::{AuditRow, HitRow, VerifyState};

use super::Msg;
use crate::domain::access::{Permission, require};

/// How many audit entries the pane loads (newest first).
pub const AUDIT_PAGE: usize = 2000;
const SEARCH_LIMIT: usize = 200;

#[derive(Debug, Clone)]
pub enum Cmd {
    LoadAudit,
    Search(String),
    Verify,
    /// Has anything been committed since we last looked (any process)?
    Poll,
}

#[derive(Debug, Clone)]
pub enum Reply {
    Audit {
        rows: Vec<AuditRow>,
        total: u64,
    },
    Hits {
        query: String,
        hits: Vec<HitRow>,
        docs: u64,
    },
    Verified(VerifyState),
    Changed {
        docs: u64,
    },
    Error(String),
}

pub struct Worker {
    pub tenant: Arc<Tenant>,
    pub index: Arc<SearchIndex>,
    pub user: String,
    pub tz: jiff::tz::TimeZone,
    pub locale: Locale,
}

impl Worker {
    pub fn spawn(self, rx: Receiver<Cmd>, tx: Sender<Msg>) -> std::thread::JoinHandle<()> {
        std::thread::Builder::new()
            .name("worker".into())
            .spawn(move || self.run(rx, tx))
            .expect("spawning the worker thread")
    }

    fn run(self, rx: Receiver<Cmd>, tx: Sender<Msg>) {
        let mut last_counter = self.tenant.change_counter().unwrap_or(0);
        let mut last_generation = self.index.generation();
        while let Ok(cmd) = rx.recv() {
            let reply = match cmd {
                // A commit to the database or to the search index (indexing runs behind the
                // database, possibly in another process) both change what panes show.
                Cmd::Poll => match self.tenant.change_counter() {
                    Ok(c) => {
                        let g = self.index.generation();
                        let changed = c != last_counter || g != last_generation;
                        last_counter = c;
                        last_generation = g;
                        changed.then_some(Reply::Changed {
                            docs: self.index.num_docs(),
                        })
                    }
                    Err(e) => Some(Reply::Error(e.to_string())),
                },
                Cmd::LoadAudit => {
                    Some(self.audit().unwrap_or_else(|e| Reply::Error(e.to_string())))
                }
                Cmd::Search(q) => Some(
                    self.search(q)
                        .unwrap_or_else(|e| Reply::Error(e.to_string())),
                ),
                Cmd::Verify => Some(Reply::Verified(self.verify())),
            };
            if let Some(r) = reply
                && tx.send(Msg::Reply(r)).is_err()
            {
                break;
            }
        }
    }

    fn stamp(&self, at: jiff::Timestamp) -> String {
        self.locale.datetime_secs(&at.to_zoned(self.tz.clone()))
    }

    fn row(&self, e: AuditEntry) -> AuditRow {
        AuditRow {
            seq: e.seq,
            at: self.stamp(e.at),
            hash: e.hash_hex(),
            prev: hex::encode(e.prev),
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            detail: e.detail,
        }
    }

    fn audit(&self) -> anyhow::Result<Reply> {
        require(&self.tenant, &self.user, Permission::ViewAudit)?;
        let entries = self.tenant.audit_recent(AUDIT_PAGE)?;
        let total = self.tenant.meta("audit_seq")?.unwrap_or(0);
        Ok(Reply::Audit {
            rows: entries.into_iter().map(|e| self.row(e)).collect(),
            total,
        })
    }

    fn search(&self, query: String) -> anyhow::Result<Reply> {
        require(&self.tenant, &self.user, Permission::Read)?;
        let hits = self.index.search(&query, SEARCH_LIMIT)?;
        Ok(Reply::Hits {
            query,
            docs: self.index.num_docs(),
            hits: hits
                .into_iter()
                .map(|h| HitRow {
                    kind: h.kind,
                    key: h.key,
                    title: h.title,
                    snippet: h.snippet,
                    highlights: h.highlights,
                })
                .collect(),
        })
    }

    fn verify(&self) -> VerifyState {
        let now = self.stamp(jiff::Timestamp::now());
        let run = || -> anyhow::Result<VerifyState> {
            let report = crate::domain::audit::verify(&self.tenant, &self.user)?;
            Ok(match report.verdict {
                Verdict::Intact => VerifyState::Intact {
                    entries: report.entries,
                    at: now.clone(),
                },
                Verdict::Broken { seq, reason } => VerifyState::Broken {
                    seq,
                    reason,
                    at: now.clone(),
                },
            })
        };
        run().unwrap_or_else(|e| VerifyState::Failed(e.to_string()))
    }
}
