//! What the console asks its worker and what comes back: the shell's own commands, and each
//! pane's under its own variant. Writes answer in one shape for every pane (`Saved`, `Failed`).

use opsdeck_views::i18n::Locale;
use opsdeck_views::state::{NotificationRow, PaneId};

use super::audit::protocol::{AuditCmd, AuditReply};
use super::gas::protocol::{GasCmd, GasReply};
use super::ledger::protocol::{LedgerCmd, LedgerReply};
use super::outcome::{Failed, Saved};
use super::search::protocol::SearchReply;
use super::telemetry::protocol::{TmCmd, TmReply};
use super::wo::protocol::{WoCmd, WoReply};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Cmd {
    /// Has anything been committed since we last looked (any process)?
    Poll,
    /// The UI language changed (F2).
    SetLocale(Locale),
    /// Work on another tenant of the site from now on.
    Tenant(String),
    LoadNotifications,
    MarkRead(u64),
    UnreadCount,
    Search(String),
    Audit(AuditCmd),
    Wo(WoCmd),
    Telemetry(TmCmd),
    Gas(GasCmd),
    Ledger(LedgerCmd),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Reply {
    /// Something was committed (the database or the search index): panes reload.
    Changed {
        docs: u64,
    },
    /// The console is connected to the site service again (after a restart): like `Changed`,
    /// and the status bar says so.
    Reconnected {
        docs: u64,
        /// "pid 812 (opsdeck)": the service now.
        service: String,
    },
    /// The worker now works on this tenant (`Cmd::Tenant`).
    Tenant(Box<TenantOpened>),
    Notifications(Vec<NotificationRow>),
    Unread(usize),
    /// A command failed outside any form (a database error, a bug caught).
    Error(String),
    /// A write of a pane went through, or was refused.
    Saved(PaneId, Saved),
    Failed(PaneId, Failed),
    Search(SearchReply),
    Audit(AuditReply),
    Wo(WoReply),
    Telemetry(TmReply),
    Gas(GasReply),
    Ledger(LedgerReply),
}

/// What the status bar says of the tenant the worker switched to.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TenantOpened {
    pub name: String,
    pub display_name: String,
    pub role: Option<String>,
    #[serde(with = "zone_by_name")]
    pub tz: jiff::tz::TimeZone,
    pub docs: u64,
}

impl Reply {
    /// The pane a reply is for (None: the shell's).
    pub fn pane(&self) -> Option<PaneId> {
        match self {
            Reply::Saved(p, _) | Reply::Failed(p, _) => Some(*p),
            Reply::Search(_) => Some(PaneId::Search),
            Reply::Audit(_) => Some(PaneId::Audit),
            Reply::Wo(_) => Some(PaneId::WorkOrders),
            Reply::Telemetry(_) => Some(PaneId::Telemetry),
            Reply::Gas(_) => Some(PaneId::Gas),
            Reply::Ledger(_) => Some(PaneId::Ledger),
            Reply::Changed { .. }
            | Reply::Reconnected { .. }
            | Reply::Tenant(_)
            | Reply::Notifications(_)
            | Reply::Unread(_)
            | Reply::Error(_) => None,
        }
    }
}

/// A tenant's zone crosses the socket by its IANA name (the config only holds IANA names).
pub mod zone_by_name {
    use jiff::tz::TimeZone;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &TimeZone, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.iana_name().unwrap_or("UTC"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        let name = String::deserialize(d)?;
        TimeZone::get(&name).map_err(serde::de::Error::custom)
    }
}

impl Cmd {
    /// The directory a write puts its files in (an export, label sheets): a client of the site
    /// service gets them back and writes them there itself.
    pub fn out_dir_mut(&mut self) -> Option<&mut std::path::PathBuf> {
        use super::wo::protocol::WoWrite;
        match self {
            Cmd::Wo(WoCmd::Write { write, .. }) => match write.as_mut() {
                WoWrite::Export { dir, .. } | WoWrite::Labels { dir } => Some(dir),
                _ => None,
            },
            Cmd::Gas(GasCmd::Export { dir, .. }) => Some(dir),
            Cmd::Ledger(LedgerCmd::Export { dir, .. }) => Some(dir),
            _ => None,
        }
    }

    /// The file a write reads (an attachment) and the write's generation: a client of the site
    /// service reads it itself, as its user, and sends it along.
    pub fn in_file_mut(&mut self) -> Option<(&mut std::path::PathBuf, u64)> {
        use super::wo::protocol::WoWrite;
        match self {
            Cmd::Wo(WoCmd::Write { write, generation }) => match write.as_mut() {
                WoWrite::Attach(_, path) => Some((path, *generation)),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Reply {
    /// Says `to` where the text says `from`: the files a service wrote into its own scratch
    /// dir are where the client put them.
    pub fn rewrite_path(&mut self, from: &str, to: &str) {
        match self {
            Reply::Saved(_, saved) => saved.notice = saved.notice.replace(from, to),
            Reply::Failed(_, failed) => failed.error = failed.error.replace(from, to),
            Reply::Error(e) => *e = e.replace(from, to),
            Reply::Gas(GasReply::Exported(_, path)) => *path = path.replace(from, to),
            _ => {}
        }
    }
}
