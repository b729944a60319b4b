//! Cells the lists share: health and severity as a word with a glyph (colour only adds), on/off,
//! a value with its unit.

use ratatui::text::{Line, Span};

use super::text::TmText;
use crate::state::{Health, Shell};
use crate::theme::Theme;
use crate::widgets::text::text_width;

pub(super) fn health_cell(t: Theme, tm: &TmText, h: Health) -> Line<'static> {
    Line::from(Span::styled(
        format!("{} {}", t.health_glyph(h), tm.health[h.index()]),
        t.health_style(h),
    ))
}

/// A severity as glyph and word; an unknown one as it came, dim.
pub(super) fn severity_cell(t: Theme, tm: &TmText, severity: &str) -> Line<'static> {
    match Health::from_severity(severity) {
        Some(h) => health_cell(t, tm, h),
        None => Line::from(Span::styled(format!("? {severity}"), t.dim())),
    }
}

pub(super) fn severity_width<'a>(tm: &TmText, severities: impl Iterator<Item = &'a str>) -> usize {
    severities
        .map(|sev| match Health::from_severity(sev) {
            Some(h) => text_width(tm.health[h.index()]) + 2,
            None => text_width(sev) + 2,
        })
        .max()
        .unwrap_or(0)
}

pub(super) fn on_cell(t: Theme, enabled: bool) -> Line<'static> {
    Line::from(Span::styled(
        t.on_glyph(enabled),
        if enabled { t.ok() } else { t.dim() },
    ))
}

/// "12,4 °C", "3,25", or "—" without a value.
pub(super) fn value_text(shell: &Shell, value: Option<f64>, unit: &str) -> String {
    match value {
        Some(v) if unit.is_empty() => shell.locale.reading(v),
        Some(v) => format!("{} {unit}", shell.locale.reading(v)),
        None => "—".to_owned(),
    }
}
