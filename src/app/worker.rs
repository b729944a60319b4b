//! The console's I/O thread: database reads, searches and verification run here and come back
//! to the UI loop as messages, so the screen never waits on disk.

use std::sync::Arc;

use std::path::PathBuf;

use crossbeam_channel::{Receiver, Sender};
use jiff::civil::Date;
use opsdeck_storage::audit::{AuditEntry, Verdict};
use opsdeck_storage::records::gas::Contract;
use opsdeck_storage::records::rule::Rule;
use opsdeck_storage::{SearchIndex, Tenant};
use opsdeck_views::i18n::Locale;
use opsdeck_views::state::{
    AuditRow, DeviceDetail, HitRow, NotificationRow, TimeWindow, VerifyState,
};
use rust_decimal::Decimal;

use super::Msg;
use super::gas_load::{GasData, GasQuery};
use super::telemetry_load::TelemetryData;
use super::wo_act::WoWrite;
use super::wo_load::{WoData, WoQuery};
use crate::domain::access::{Permission, require};
use crate::domain::gas::entries::EntryInput;
use crate::domain::telemetry::devices::{self, DeviceEdit};
use crate::domain::telemetry::{alerts, rulebook};
use crate::notify;

/// A CMMS page older than this is reloaded on the next poll even with no record changed:
/// overdue marks and open downtime move with the clock.
const WO_REFRESH: std::time::Duration = std::time::Duration::from_secs(30);

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
    LoadTelemetry,
    LoadDevice {
        id: String,
        window: TimeWindow,
        metric: usize,
    },
    AckAlert {
        key: String,
    },
    ResolveAlert {
        key: String,
        note: String,
        generation: u64,
    },
    /// `existing`: (name, version) of the rule being edited.
    SaveRule {
        rule: Rule,
        existing: Option<(String, u64)>,
        generation: u64,
    },
    ToggleRule {
        name: String,
        enabled: bool,
    },
    DeleteRule {
        name: String,
        version: u64,
        generation: u64,
    },
    SaveDevice {
        id: String,
        version: u64,
        edit: DeviceEdit,
        generation: u64,
    },
    LoadGas(GasQuery),
    /// `version`: of the entry as loaded (None: a new day).
    SaveGasEntry {
        unit: String,
        input: EntryInput,
        version: Option<u64>,
        generation: u64,
    },
    SaveGasPlans {
        unit: String,
        plans: Vec<(Date, Decimal)>,
        generation: u64,
    },
    ApproveGasPlans {
        unit: String,
        from: Date,
        to: Date,
        generation: u64,
    },
    ChangeGasRate {
        unit: String,
        equipment: String,
        from: Date,
        rate: Decimal,
        note: String,
        generation: u64,
    },
    SetGasContract {
        contract: Contract,
        generation: u64,
    },
    SetGasQdr {
        unit: String,
        date: Date,
        qdr: Decimal,
        generation: u64,
    },
    ExportGas {
        first: Date,
        dir: PathBuf,
    },
    /// The UI language changed (F2).
    SetLocale(Locale),
    LoadNotifications,
    MarkRead(u64),
    UnreadCount,
    /// `poll`: asked because something was committed; skipped when no record changed since
    /// the last load of the same query (and that load is recent).
    LoadWo {
        query: WoQuery,
        poll: bool,
    },
    Wo {
        write: WoWrite,
        generation: u64,
    },
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
    Telemetry(Box<TelemetryData>),
    Device(Box<DeviceDetail>),
    /// An action went through; show the notice.
    Done(String),
    /// The form or prompt opened as generation `.1` was saved: close it (if still open) and
    /// show the notice.
    FormSaved(String, u64),
    /// Saving form generation `.1` failed: keep it open with this message.
    FormFailed(String, u64),
    /// Prompt generation `.1`'s action failed: keep it open with this message.
    PromptFailed(String, u64),
    Gas(Box<GasData>),
    /// A gas write of generation `.1` went through: the notice.
    GasSaved(String, u64),
    /// A gas write of generation `generation` was refused: why, and on which field if one.
    GasFailed {
        error: String,
        field: Option<String>,
        generation: u64,
        /// Someone else saved the record first: (who, when, its version now).
        conflict: Option<(String, jiff::Timestamp, u64)>,
    },
    /// The Petrobras workbook of the month starting `.0` was written to `.1`.
    GasExported(Date, String),
    Notifications(Vec<NotificationRow>),
    Unread(usize),
    Wo(Box<WoData>),
    /// A CMMS write of form/prompt generation `generation` went through: the notice, and an
    /// order to open (a new one, or the one opened from an alert).
    WoSaved {
        notice: String,
        open: Option<u64>,
        /// (id, version) of the order as written.
        order: Option<(u64, u64)>,
        generation: u64,
    },
    /// A CMMS write was refused: why, and on which field when the service named one.
    WoFailed {
        error: String,
        field: Option<String>,
        /// Someone else changed the record first: (who, when, its version now).
        conflict: Option<(String, jiff::Timestamp, u64)>,
        generation: u64,
    },
    Error(String),
}

pub struct Worker {
    pub tenant: Arc<Tenant>,
    /// The site's directory: the evidence store lives under it.
    pub dir: crate::site::paths::SiteDir,
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

    fn run(mut self, rx: Receiver<Cmd>, tx: Sender<Msg>) {
        let mut last_counter = self.tenant.change_counter().unwrap_or(0);
        let mut last_generation = self.index.generation();
        // The audit head, query and time of the last CMMS load (see `Cmd::LoadWo`).
        let mut wo_seen: Option<(u64, WoQuery, std::time::Instant)> = None;
        while let Ok(cmd) = rx.recv() {
            // F2: what the worker formats (dates, money, notices) follows the UI language.
            if let Cmd::SetLocale(l) = cmd {
                self.locale = l;
                continue;
            }
            // A bug in one command must not take the console's I/O down with it: the panic is
            // reported like an error and the worker goes on with the next command.
            let what = format!("{cmd:?}");
            let run = std::panic::AssertUnwindSafe(|| match cmd {
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
                Cmd::LoadTelemetry => Some(
                    self.telemetry()
                        .map(|d| Reply::Telemetry(Box::new(d)))
                        .unwrap_or_else(|e| Reply::Error(e.to_string())),
                ),
                Cmd::LoadGas(q) => Some(
                    self.gas(q)
                        .map(|d| Reply::Gas(Box::new(d)))
                        .unwrap_or_else(|e| Reply::Error(e.to_string())),
                ),
                Cmd::LoadWo { query, poll } => {
                    // Every record change is audited; readings are not (their outbox event
                    // every second would make every poll look like a change).
                    let head = self.tenant.meta("audit_seq").ok().flatten().unwrap_or(0);
                    let fresh = wo_seen.as_ref().is_some_and(
                        |(h, q, at): &(u64, WoQuery, std::time::Instant)| {
                            *h == head && *q == query && at.elapsed() < WO_REFRESH
                        },
                    );
                    if poll && fresh {
                        None
                    } else {
                        let reply = self
                            .wo(&query)
                            .map(|d| Reply::Wo(Box::new(d)))
                            .unwrap_or_else(|e| Reply::Error(e.to_string()));
                        wo_seen = Some((head, query, std::time::Instant::now()));
                        Some(reply)
                    }
                }
                Cmd::Wo { write, generation } => Some(self.wo_act(write, generation)),
                Cmd::LoadNotifications => Some(
                    self.notifications()
                        .map(Reply::Notifications)
                        .unwrap_or_else(|e| Reply::Error(e.to_string())),
                ),
                Cmd::UnreadCount => notify::unread_count(&self.tenant, &self.user)
                    .ok()
                    .map(Reply::Unread),
                Cmd::LoadDevice { id, window, metric } => Some(
                    self.device_page(&id, window, metric)
                        .map(|d| Reply::Device(Box::new(d)))
                        .unwrap_or_else(|e| Reply::Error(e.to_string())),
                ),
                other => Some(self.act(other)),
            });
            let reply = std::panic::catch_unwind(run).unwrap_or_else(|p| {
                let why = p
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| p.downcast_ref::<&str>().copied())
                    .unwrap_or("panic");
                let head: String = what.chars().take(80).collect();
                tracing::error!("worker: {head}: {why}");
                Some(Reply::Error(format!("internal error ({why}); see the log")))
            });
            if let Some(r) = reply
                && tx.send(Msg::Reply(r)).is_err()
            {
                break;
            }
        }
    }

    /// Writes people ask for from the Telemetry pane.
    fn act(&self, cmd: Cmd) -> Reply {
        let s = self.locale.strings();
        let t = &self.tenant;
        let u = &self.user;
        match cmd {
            Cmd::AckAlert { key } => match alerts::acknowledge(t, u, &key) {
                Ok(()) => Reply::Done(s.alert_acked.to_owned()),
                Err(e) => Reply::Error(e.to_string()),
            },
            Cmd::ResolveAlert {
                key,
                note,
                generation,
            } => match alerts::resolve(t, u, &key, &note) {
                Ok(()) => Reply::FormSaved(s.alert_resolved.to_owned(), generation),
                Err(e) => Reply::PromptFailed(e.to_string(), generation),
            },
            Cmd::SaveRule {
                rule,
                existing,
                generation,
            } => {
                let existing = existing.as_ref().map(|(n, v)| (n.as_str(), *v));
                match rulebook::save(t, u, rule, existing) {
                    Ok(()) => Reply::FormSaved(s.rule_saved.to_owned(), generation),
                    Err(e) => Reply::FormFailed(e.to_string(), generation),
                }
            }
            Cmd::ToggleRule { name, enabled } => {
                match rulebook::set_enabled(t, u, &name, enabled) {
                    Ok(()) => Reply::Done(
                        if enabled {
                            s.rule_enabled
                        } else {
                            s.rule_disabled
                        }
                        .to_owned(),
                    ),
                    Err(e) => Reply::Error(e.to_string()),
                }
            }
            Cmd::DeleteRule {
                name,
                version,
                generation,
            } => match rulebook::delete(t, u, &name, version) {
                Ok(()) => Reply::FormSaved(s.rule_deleted.to_owned(), generation),
                Err(e) => Reply::PromptFailed(e.to_string(), generation),
            },
            Cmd::SaveDevice {
                id,
                version,
                edit,
                generation,
            } => match devices::edit(t, u, &id, Some(version), &edit) {
                Ok(_) => Reply::FormSaved(s.device_saved.to_owned(), generation),
                Err(e) => Reply::FormFailed(e.to_string(), generation),
            },
            Cmd::MarkRead(id) => match notify::mark_read(t, u, id) {
                Ok(()) => self
                    .notifications()
                    .map_or_else(|e| Reply::Error(e.to_string()), Reply::Notifications),
                Err(e) => Reply::Error(e.to_string()),
            },
            other => self.gas_act(other),
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
        let now = self.stamp(crate::clock::now());
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
