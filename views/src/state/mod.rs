//! The view model: everything the screen shows, nothing it fetches. `src/app` owns and updates
//! it; views only read it.

pub mod audit;
pub mod gas;
pub mod health;
pub mod ledger;
mod modal;
pub mod pane_id;
pub mod search;
pub mod telemetry;
pub mod wo;

pub use audit::AuditPane;
pub use gas::GasPane;
pub use health::Health;
pub use ledger::LedgerPane;
pub use modal::{Form, FormField, Prompt};
pub use pane_id::PaneId;
pub use search::SearchPane;
pub use telemetry::TelemetryPane;
pub use wo::WoPane;

use crate::theme::Theme;
use opsdeck_storage::locale::Locale;

/// A list with a selection and an optional filter text typed after `/`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ListView {
    pub selected: usize,
    pub filter: String,
}

/// Who runs the site services, as the status bar says it in the user's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Runner {
    /// Not known yet.
    #[default]
    Unknown,
    ThisConsole,
    /// Nobody holds the services lock.
    Stopped,
    /// Another process, as its lock says: "serve pid 812 (opsdeck)".
    Other(String),
    /// This console is a client of the site service: "pid 812 (opsdeck)".
    SiteService(String),
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    /// The tenant's short name, always shown.
    pub tenant: String,
    /// Its display name, shown when the line has room.
    pub tenant_display: String,
    pub user: String,
    pub role: Option<String>,
    /// Who runs the site services.
    pub services: Runner,
    /// Already formatted in the tenant zone and locale.
    pub clock: String,
    pub last_error: Option<String>,
    /// A short-lived confirmation ("Index rebuilt") shown where the error would be.
    pub notice: Option<String>,
    /// Notifications addressed to the user and not read yet (shown as a badge).
    pub unread: usize,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Palette {
    pub input: String,
    pub selected: usize,
}

/// One notification addressed to the user (e.g. a gas unit with no entry at 18:00).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NotificationRow {
    pub id: u64,
    /// When it was raised, formatted in the tenant zone.
    pub at: String,
    pub subject: String,
    pub body: String,
    pub read: bool,
    /// "e-mail: ana@site" / "e-mail failed: ..." / empty when no e-mail was tried.
    pub email: String,
}

/// The notification list, newest first.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Notifications {
    pub rows: Vec<NotificationRow>,
    pub list: ListView,
    pub loaded: bool,
}

/// A tenant the user has a role in.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TenantRow {
    pub name: String,
    pub display_name: String,
    /// It has gas units (the Gas pane points there from a tenant without).
    pub gas: bool,
}

/// The tenants the user may switch to (`:tenant`), the current one marked.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TenantPicker {
    pub rows: Vec<TenantRow>,
    pub current: String,
    pub list: ListView,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Overlay {
    Help { scroll: usize },
    Palette(Palette),
    Notifications(Notifications),
    Tenants(TenantPicker),
}

/// One row of the help overlay, built from the keymap in effect.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HelpRow {
    pub section: String,
    pub keys: String,
    pub action: crate::Action,
    /// The binding's `desc` from keymap.toml (English).
    pub desc: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shell {
    pub pane: PaneId,
    pub locale: Locale,
    pub theme: Theme,
    pub status: Status,
    pub overlay: Option<Overlay>,
    /// True while `/` input is open on the focused list.
    pub filtering: bool,
    pub search: SearchPane,
    pub audit: AuditPane,
    pub telemetry: TelemetryPane,
    pub gas: GasPane,
    pub ledger: LedgerPane,
    pub wo: WoPane,
    pub help: Vec<HelpRow>,
    /// Problems found in keymap files at start-up, shown once in help.
    pub keymap_warnings: Vec<String>,
    /// Keys typed so far of a multi-key binding (e.g. "g").
    pub pending_keys: String,
    /// The tenants the user has a role in (`:tenant` switches).
    pub tenants: Vec<TenantRow>,
}

impl Shell {
    pub fn new(locale: Locale, theme: Theme) -> Shell {
        Shell {
            pane: PaneId::WorkOrders,
            locale,
            theme,
            status: Status::default(),
            overlay: None,
            filtering: false,
            search: SearchPane::default(),
            audit: AuditPane::default(),
            telemetry: TelemetryPane::default(),
            gas: GasPane::default(),
            ledger: LedgerPane::default(),
            wo: WoPane::default(),
            help: Vec::new(),
            keymap_warnings: Vec::new(),
            pending_keys: String::new(),
            tenants: Vec::new(),
        }
    }
}

pub(crate) fn pick<T>(rows: Vec<&T>, selected: usize) -> Option<&T> {
    let n = rows.len();
    (n > 0).then(|| rows[selected.min(n - 1)])
}

pub use opsdeck_storage::text::fold;

/// Case- and accent-insensitive "contains", used by `/` filters.
pub fn matches_filter(filter: &str, fields: &[&str]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let needle = fold(filter);
    fields.iter().any(|f| fold(f).contains(&needle))
}
