//! Work orders (CMMS): the order list with the maintenance KPIs on top, one order's page
//! (checklist, costs, evidence, downtime, history), assets and one asset's page with its QR
//! code, preventive plans, inventory and the KPI page; the shared form and prompt are drawn over
//! them. Every figure, date and amount arrives formatted from the app; this only lays it out.

pub mod actions;
mod asset;
mod assets;
mod cells;
mod inventory;
mod kpis;
mod order;
mod order_record;
mod orders;
mod plans;
mod qr;
pub mod text;

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::state::Shell;
use crate::state::wo::{WoRights, WoView};
use crate::widgets::form;
use crate::widgets::list::list_message;
use text::text;

/// The key that opens each view, in tab order (as keymap.toml binds them).
const VIEW_KEYS: [&str; 5] = ["o", "a", "p", "i", "K"];

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let pane = &shell.wo;
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(header(shell, area.width)), head);
    if !pane.loaded {
        let t = shell.theme;
        let block = Block::bordered().border_set(t.border());
        list_message(frame, block, body, shell.locale.strings().loading, t);
    } else {
        match pane.view {
            WoView::Orders => orders::render(frame, body, shell),
            WoView::Order => order::render(frame, body, shell),
            WoView::Assets => assets::render(frame, body, shell),
            WoView::Asset => asset::render(frame, body, shell),
            WoView::Plans => plans::render(frame, body, shell),
            WoView::Inventory => inventory::render(frame, body, shell),
            WoView::Kpis => kpis::render(frame, body, shell),
        }
    }
    if let Some(f) = &pane.form {
        form::render(frame, area, shell, f);
    }
    if let Some(p) = &pane.prompt {
        form::prompt(frame, area, shell, p);
    }
}

/// The views with their keys, the current one highlighted (a page counts as its list), and
/// "somente leitura" on the right when the user may change nothing here.
fn header(shell: &Shell, width: u16) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let current = match shell.wo.view {
        WoView::Orders | WoView::Order => 0,
        WoView::Assets | WoView::Asset => 1,
        WoView::Plans => 2,
        WoView::Inventory => 3,
        WoView::Kpis => 4,
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, (key, name)) in VIEW_KEYS.iter().zip(g.views).enumerate() {
        if i > 0 {
            spans.push(Span::styled(t.sep(), t.dim()));
        }
        let style = if i == current {
            t.selected().patch(t.accent())
        } else {
            Style::new()
        };
        spans.push(Span::styled(" ", style));
        spans.push(Span::styled(format!("{key} "), style.patch(t.dim())));
        spans.push(Span::styled(name, style));
        spans.push(Span::styled(" ", style));
    }
    // rights are known only once loaded
    if shell.wo.loaded && shell.wo.rights == WoRights::default() {
        return crate::widgets::lines::ends(
            spans,
            vec![Span::styled(format!("{} ", g.read_only), t.dim())],
            width as usize,
        );
    }
    Line::from(spans)
}
