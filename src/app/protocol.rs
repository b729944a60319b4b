//! What the console asks its worker and what comes back: the shell's own commands, and each
//! pane's under its own variant. Writes answer in one shape for every pane (`Saved`, `Failed`).

use opsdeck_views::i18n::Locale;
use opsdeck_views::state::{NotificationRow, PaneId};

use super::audit::protocol::{AuditCmd, AuditReply};
use super::gas::protocol::{GasCmd, GasReply};
use super::outcome::{Failed, Saved};
use super::search::protocol::SearchReply;
use super::telemetry::protocol::{TmCmd, TmReply};
use super::wo::protocol::{WoCmd, WoReply};

#[derive(Debug, Clone)]
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
}

#[derive(Debug, Clone)]
pub enum Reply {
    /// Something was committed (the database or the search index): panes reload.
    Changed {
        docs: u64,
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
}

/// What the status bar says of the tenant the worker switched to.
#[derive(Debug, Clone)]
pub struct TenantOpened {
    pub name: String,
    pub display_name: String,
    pub role: Option<String>,
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
            Reply::Changed { .. }
            | Reply::Tenant(_)
            | Reply::Notifications(_)
            | Reply::Unread(_)
            | Reply::Error(_) => None,
        }
    }
}
