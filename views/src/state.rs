//! The view model: everything the screen shows, nothing it fetches. `src/app` owns and updates
//! it; views only read it.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaneId {
    WorkOrders,
    Telemetry,
    Ledger,
    Gas,
    Fuel,
    Sales,
    Search,
    Audit,
}

impl PaneId {
    pub const ALL: [PaneId; 8] = [
        PaneId::WorkOrders,
        PaneId::Telemetry,
        PaneId::Ledger,
        PaneId::Gas,
        PaneId::Fuel,
        PaneId::Sales,
        PaneId::Search,
        PaneId::Audit,
    ];

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> PaneId {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> PaneId {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    /// The keymap section holding this pane's own bindings.
    pub fn section(self) -> &'static str {
        match self {
            PaneId::WorkOrders => "work_orders",
            PaneId::Telemetry => "telemetry",
            PaneId::Ledger => "ledger",
            PaneId::Gas => "gas",
            PaneId::Fuel => "fuel",
            PaneId::Sales => "sales",
            PaneId::Search => "search",
            PaneId::Audit => "audit",
        }
    }
}

/// A list with a selection and an optional filter text typed after `/`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListView {
    pub selected: usize,
    pub filter: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    /// The tenant's short name, always shown.
    pub tenant: String,
    /// Its display name, shown when the line has room.
    pub tenant_display: String,
    pub user: String,
    pub role: Option<String>,
    /// Who runs the site services: "this console", "serve pid 123 (ana)", ...
    pub services: String,
    /// Already formatted in the tenant zone and locale.
    pub clock: String,
    pub last_error: Option<String>,
    /// A short-lived confirmation ("Index rebuilt") shown where the error would be.
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HitRow {
    pub kind: String,
    pub key: String,
    pub title: String,
    pub snippet: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPane {
    pub query: String,
    /// True while the query line has the cursor.
    pub editing: bool,
    /// The query the hits belong to (None before the first search).
    pub searched: Option<String>,
    pub hits: Vec<HitRow>,
    pub list: ListView,
    pub indexed_docs: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub seq: u64,
    /// Formatted in the tenant zone.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
    pub hash: String,
    pub prev: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VerifyState {
    Running,
    Intact {
        entries: u64,
        at: String,
    },
    Broken {
        seq: u64,
        reason: String,
        at: String,
    },
    Failed(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditPane {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub list: ListView,
    pub verify: Option<VerifyState>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Palette {
    pub input: String,
    pub selected: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help { scroll: usize },
    Palette(Palette),
}

/// One row of the help overlay, built from the keymap in effect.
#[derive(Debug, Clone, PartialEq)]
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
    pub help: Vec<HelpRow>,
    /// Problems found in keymap files at start-up, shown once in help.
    pub keymap_warnings: Vec<String>,
    /// Keys typed so far of a multi-key binding (e.g. "g").
    pub pending_keys: String,
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
            help: Vec::new(),
            keymap_warnings: Vec::new(),
            pending_keys: String::new(),
        }
    }
}

/// Case- and accent-insensitive "contains", used by `/` filters.
pub fn matches_filter(filter: &str, fields: &[&str]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let needle = fold(filter);
    fields.iter().any(|f| fold(f).contains(&needle))
}

pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

impl AuditPane {
    pub fn visible(&self) -> Vec<&AuditRow> {
        self.rows
            .iter()
            .filter(|r| {
                matches_filter(
                    &self.list.filter,
                    &[&r.actor, &r.action, &r.entity, &r.detail],
                )
            })
            .collect()
    }
}

impl SearchPane {
    pub fn visible(&self) -> Vec<&HitRow> {
        self.hits
            .iter()
            .filter(|h| matches_filter(&self.list.filter, &[&h.kind, &h.title, &h.snippet]))
            .collect()
    }
}
