//! The whole screen: pane tabs, the focused pane, the status bar, and overlays.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};

use crate::panes;
use crate::state::{Overlay, PaneId, Shell};
use crate::widgets;
use crate::widgets::text::text_width;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(frame: &mut Frame, shell: &Shell) {
    let area = frame.area();
    let s = shell.locale.strings();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!("{} ({}x{})", s.too_small, area.width, area.height);
        let h = area.height.min(3);
        let y = area.y + area.height.saturating_sub(h) / 2;
        frame.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .centered()
                .style(shell.theme.warn()),
            Rect::new(area.x, y, area.width, h),
        );
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(frame, tabs, shell);
    match shell.pane {
        PaneId::Search => panes::search::render(frame, body, shell),
        PaneId::Audit => panes::audit::render(frame, body, shell),
        PaneId::Telemetry => panes::telemetry::render(frame, body, shell),
        PaneId::Gas => panes::gas::render(frame, body, shell),
        PaneId::Ledger => panes::ledger::render(frame, body, shell),
        PaneId::WorkOrders => panes::wo::render(frame, body, shell),
        other => panes::pending::render(frame, body, shell, other),
    }
    widgets::status::render(frame, status, shell);
    match &shell.overlay {
        Some(Overlay::Help { scroll }) => widgets::help::render(frame, body, shell, *scroll),
        Some(Overlay::Palette(p)) => widgets::palette::render(frame, body, shell, p),
        Some(Overlay::Notifications(n)) => widgets::notifications::render(frame, body, shell, n),
        Some(Overlay::Tenants(p)) => widgets::tenants::render(frame, body, shell, p),
        None => {}
    }
}

fn render_tabs(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let t = shell.theme;
    // The key of every tab always shows (1-8 is how people switch); what gives way on a narrow
    // terminal is the room around the names.
    let names: usize = s.pane_names.iter().map(|n| text_width(n) + 2).sum();
    let gaps = PaneId::ALL.len() - 1;
    let (padding, divider) = if names + gaps * (text_width(t.sep()) + 2) + 2 <= area.width as usize
    {
        (" ", t.sep())
    } else {
        ("", " ")
    };
    let titles: Vec<Line> = PaneId::ALL
        .iter()
        .enumerate()
        .map(|(i, _)| {
            Line::from(vec![
                Span::styled(format!("{}", i + 1), t.dim()),
                Span::raw(format!(" {}", s.pane_names[i])),
            ])
        })
        .collect();
    let tabs = Tabs::new(titles)
        .select(shell.pane.index())
        .divider(divider)
        .padding(padding, padding)
        .style(Style::new())
        .highlight_style(t.selected().patch(t.accent()));
    frame.render_widget(tabs, area);
}
