pub mod audit;
pub mod gas;
pub mod ledger;
pub mod pending;
pub mod search;
pub mod telemetry;
pub mod wo;

use ratatui::layout::Rect;

/// Rows that fit in a bordered list of `area`'s height (for PgUp/PgDn).
pub fn page_rows(area: Rect) -> usize {
    area.height.saturating_sub(3).max(1) as usize
}
