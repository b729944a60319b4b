//! Gas (the RC): a unit's daily entry, the month grid with its chart, the month's plans, the
//! Petrobras report preview and the equipment/contract admin, plus the shared form and prompt
//! drawn over them. Every figure comes computed from the app; this only lays it out.

pub mod actions;
mod admin;
mod chart;
mod entry;
mod format;
mod month;
mod plans;
mod report;
pub mod text;

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::state::Shell;
use crate::state::gas::{GasPane, GasView};
use crate::widgets::form;
use crate::widgets::list::{list_message, with_hint};
use format::long_date;
use text::text;

/// The key that opens each view, in `GasView` order (as keymap.toml binds them).
const VIEW_KEYS: [&str; 5] = ["d", "m", "p", "x", "c"];

const VIEWS: [GasView; 5] = [
    GasView::Entry,
    GasView::Month,
    GasView::Plans,
    GasView::Report,
    GasView::Admin,
];

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let pane = &shell.gas;
    let header = header_lines(shell, area.width);
    let [head, body] =
        Layout::vertical([Constraint::Length(header.len() as u16), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(header), head);
    if pane.units.is_empty() && pane.view != GasView::Admin {
        let g = text(shell.locale);
        let elsewhere: Vec<&str> = shell
            .tenants
            .iter()
            .filter(|t| t.gas && t.name != shell.status.tenant)
            .map(|t| t.name.as_str())
            .collect();
        let msg = match (pane.loaded, elsewhere.first()) {
            (false, _) => shell.locale.strings().loading.to_owned(),
            (true, None) => g.no_units.to_owned(),
            (true, Some(name)) => format!("{} {} :tenant {name}", g.no_units, g.other_tenant),
        };
        placeholder(frame, body, shell, "", &msg);
    } else {
        match pane.view {
            GasView::Entry => entry::render(frame, body, shell),
            GasView::Month => month::render(frame, body, shell),
            GasView::Plans => plans::render(frame, body, shell),
            GasView::Report => report::render(frame, body, shell),
            GasView::Admin => admin::render(frame, body, shell),
        }
    }
    if let Some(f) = &pane.form {
        form::render(frame, area, shell, f);
    }
    if let Some(p) = &pane.prompt {
        form::prompt(frame, area, shell, p);
    }
}

/// A view with nothing to show yet: its block with the key hint and a dim message.
fn placeholder(frame: &mut Frame, area: Rect, shell: &Shell, hint: &str, msg: &str) {
    let t = shell.theme;
    let mut block = Block::bordered().border_set(t.border());
    if !hint.is_empty() {
        block = with_hint(block, shell, area, "", hint);
    }
    list_message(frame, block, area, msg, t);
}

/// Whether the view offers all units consolidated as a unit choice.
fn has_consolidated(view: GasView) -> bool {
    matches!(view, GasView::Month | GasView::Report)
}

/// " Gás · RC · segunda-feira, 23/11/2026" with the unit switcher on its right (below when it
/// does not fit), then the views with their keys and the current one highlighted.
fn header_lines(shell: &Shell, width: u16) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.gas;
    let width = width as usize;
    let mut title = vec![Span::styled(format!(" {}", g.title), t.accent())];
    if let Some(today) = pane.today {
        title.push(Span::styled(" · ", t.dim()));
        title.push(Span::raw(long_date(shell.locale, g, today)));
    }
    let mut lines = Vec::new();
    match unit_tabs(shell, pane) {
        Some(units) => {
            let (tw, uw) = (Line::from(title.clone()).width(), units.width());
            if tw + 2 + uw <= width {
                title.push(Span::raw(" ".repeat(width - tw - uw)));
                title.extend(units.spans);
                lines.push(Line::from(title));
            } else {
                lines.push(Line::from(title));
                lines.push(units);
            }
        }
        None => lines.push(Line::from(title)),
    }
    let current = VIEWS.iter().position(|v| *v == pane.view).unwrap_or(0);
    let names: Vec<(&str, &str)> = VIEW_KEYS.iter().copied().zip(g.views).collect();
    lines.push(tabs(shell, &names, Some(current), true));
    lines
}

/// "u/U  CRI │ URU │ BOT │ Consolidado " with the selected unit highlighted; None without units.
fn unit_tabs(shell: &Shell, pane: &GasPane) -> Option<Line<'static>> {
    if pane.units.is_empty() {
        return None;
    }
    let g = text(shell.locale);
    let mut names: Vec<(&str, &str)> = pane.units.iter().map(|u| ("", u.code.as_str())).collect();
    if has_consolidated(pane.view) {
        names.push(("", g.consolidated));
    }
    let selected = (pane.unit < names.len()).then_some(pane.unit);
    let mut line = tabs(shell, &names, selected, false);
    line.spans.insert(0, Span::styled("u/U", shell.theme.dim()));
    Some(line)
}

/// Tabs separated by the theme's bar: the key (dim) before each name when `keys`, the selected
/// one reversed.
fn tabs(
    shell: &Shell,
    names: &[(&str, &str)],
    selected: Option<usize>,
    keys: bool,
) -> Line<'static> {
    let t = shell.theme;
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, (key, name)) in names.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(t.sep(), t.dim()));
        }
        let style = if Some(i) == selected {
            t.selected().patch(t.accent())
        } else {
            Style::new()
        };
        spans.push(Span::styled(" ", style));
        if keys {
            spans.push(Span::styled(format!("{key} "), style.patch(t.dim())));
        }
        spans.push(Span::styled((*name).to_owned(), style));
        spans.push(Span::styled(" ", style));
    }
    Line::from(spans)
}
