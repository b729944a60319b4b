//! The Ledger pane's view model: the period grid (cost center tree x category), the entries of
//! a cell, the monthly chart with its forecast, the close-readiness view, and the open form or
//! prompt.

use std::collections::BTreeSet;

pub use opsdeck_storage::records::ledger::PeriodSize;
use opsdeck_storage::records::ledger::{Figures, Grid, Month};
use rust_decimal::Decimal;

use super::{Form, ListView, Prompt, matches_filter};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LedgerView {
    #[default]
    Grid,
    /// The entries of the selected cost center (and category).
    Entries,
    /// What is still open before the month closes.
    Readiness,
}

/// One entry as the list shows it (figures formatted by the worker).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntryRow {
    pub key: String,
    pub date: String,
    pub month: Month,
    pub cost_center: String,
    pub category: String,
    /// "commit", "realize" ... (the view words it)
    pub phase: String,
    pub amount: Decimal,
    pub source: String,
    pub description: String,
    pub reason: String,
    /// A late posting or an adjustment: the month it is for.
    pub original_month: Option<Month>,
    pub by: String,
    /// The work order it came from.
    pub order: Option<u64>,
}

/// The whole year month by month, for the chart, and the run-rate projection.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Chart {
    pub year: i16,
    pub months: Vec<(Month, Figures)>,
    pub planned_year: Decimal,
    pub projected_year: Decimal,
    /// The last month the projection counts as done.
    pub through: Option<Month>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Readiness {
    pub month: Option<Month>,
    /// Worded issues.
    pub issues: Vec<String>,
    /// "fechado por dora em 03/11/2026 · digest 3fa2…" when closed.
    pub closed: Option<String>,
}

/// What the user's role may do here (the forms open only for what they may save).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerRights {
    pub post: bool,
    pub budget: bool,
    pub close: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerPane {
    pub rights: LedgerRights,
    pub view: LedgerView,
    pub size: PeriodSize,
    /// The month the period is anchored on (None until the first load: the current month).
    pub anchor: Option<Month>,
    pub grid: Option<Grid>,
    /// Closed months (their cells show as sealed).
    pub closed: Vec<Month>,
    /// Cost centers whose children are hidden.
    pub collapsed: BTreeSet<String>,
    /// The cost-center rows (visible ones).
    pub list: ListView,
    /// The category column picked for drill-down: 0 = every category, i = the (i-1)th.
    pub column: usize,
    pub entries: Vec<EntryRow>,
    /// "HC-CAG · parts · 2026-10".
    pub entries_title: String,
    pub entries_list: ListView,
    pub chart: Chart,
    pub readiness: Readiness,
    /// Scrolls the readiness issues.
    pub readiness_list: ListView,
    pub loading: bool,
    /// Why the last load failed (a role refusal), shown instead of the grid.
    pub error: Option<String>,
    pub form: Option<Form>,
    pub prompt: Option<Prompt>,
}

impl LedgerPane {
    /// The indexes into `grid.rows` shown: those whose ancestors are all expanded, and that
    /// match the filter (a match keeps its row whatever its parent).
    pub fn visible_rows(&self) -> Vec<usize> {
        let Some(g) = &self.grid else {
            return Vec::new();
        };
        let hidden = |i: usize| {
            let mut p = g.rows[i].parent.clone();
            let mut steps = 0;
            while let Some(code) = p {
                if self.collapsed.contains(&code) {
                    return true;
                }
                p = g
                    .rows
                    .iter()
                    .find(|r| r.code == code)
                    .and_then(|r| r.parent.clone());
                steps += 1;
                if steps > 32 {
                    break;
                }
            }
            false
        };
        (0..g.rows.len())
            .filter(|i| {
                if self.list.filter.is_empty() {
                    !hidden(*i)
                } else {
                    matches_filter(&self.list.filter, &[&g.rows[*i].code, &g.rows[*i].name])
                }
            })
            .collect()
    }

    /// The selected cost center row.
    pub fn selected_row(&self) -> Option<usize> {
        let v = self.visible_rows();
        (!v.is_empty()).then(|| v[self.list.selected.min(v.len() - 1)])
    }

    /// The selected category code (None: every category).
    pub fn selected_category(&self) -> Option<&str> {
        let g = self.grid.as_ref()?;
        self.column
            .checked_sub(1)
            .and_then(|i| g.categories.get(i))
            .map(|(c, _)| c.as_str())
    }

    pub fn visible_entries(&self) -> Vec<&EntryRow> {
        self.entries
            .iter()
            .filter(|e| {
                matches_filter(
                    &self.entries_list.filter,
                    &[
                        &e.description,
                        &e.source,
                        &e.cost_center,
                        &e.category,
                        &e.phase,
                        &e.by,
                    ],
                )
            })
            .collect()
    }
}
