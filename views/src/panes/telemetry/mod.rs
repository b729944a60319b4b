//! Telemetry: the device list with sparklines, one device's charts, the alerts and the alert
//! rules, plus the rule form and the one-line prompt drawn over them.

pub mod actions;
mod alerts;
mod cells;
mod device;
mod devices;
mod rules;
pub mod text;

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::state::telemetry::TelemetryView;
use crate::state::{Health, Shell};
use crate::widgets::form;
use crate::widgets::text::{ellipsize, text_width};
use text::text;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let pane = &shell.telemetry;
    let header = header_lines(shell, area.width);
    let [head, body] =
        Layout::vertical([Constraint::Length(header.len() as u16), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(header), head);
    match pane.view {
        TelemetryView::Devices => devices::devices(frame, body, shell),
        TelemetryView::Device => device::device(frame, body, shell),
        TelemetryView::Alerts => alerts::alerts(frame, body, shell),
        TelemetryView::Rules => rules::rules(frame, body, shell),
    }
    if let Some(form) = &pane.form {
        form::render(frame, area, shell, form);
    }
    if let Some(prompt) = &pane.prompt {
        form::prompt(frame, area, shell, prompt);
    }
}

/// The view names with the current one highlighted, and the ingest line (dim): on one line when
/// both fit, else the ingest line goes below.
fn header_lines(shell: &Shell, width: u16) -> Vec<Line<'static>> {
    let _s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.telemetry;
    let current = match pane.view {
        TelemetryView::Devices | TelemetryView::Device => 0,
        TelemetryView::Alerts => 1,
        TelemetryView::Rules => 2,
    };
    let open = match pane.open_alerts {
        0 => None,
        1 => Some(format!("(1 {})", tm.tel_open_one)),
        n => Some(format!(
            "({} {})",
            shell.locale.count(n as u64),
            tm.tel_open_many
        )),
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (i, name) in [tm.tel_devices, tm.tel_alerts, tm.tel_rules]
        .iter()
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::styled(t.sep(), t.dim()));
        }
        let style = if i == current {
            t.selected().patch(t.accent())
        } else {
            Style::new()
        };
        spans.push(Span::styled(format!(" {name}"), style));
        if i == 1
            && let Some(open) = &open
        {
            let open_style = if i == current {
                style
            } else {
                t.health_style(Health::Critical)
            };
            spans.push(Span::styled(" ", style));
            spans.push(Span::styled(open.clone(), open_style));
        }
        spans.push(Span::styled(" ", style));
    }
    let views = Line::from(spans);
    if pane.ingest.is_empty() {
        return vec![views];
    }
    let width = width as usize;
    let ingest_w = text_width(&pane.ingest);
    if views.width() + 2 + ingest_w <= width {
        let gap = width - views.width() - ingest_w;
        let mut spans = views.spans;
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(pane.ingest.clone(), t.dim()));
        vec![Line::from(spans)]
    } else {
        vec![
            views,
            Line::from(Span::styled(
                format!(" {}", ellipsize(&pane.ingest, width.saturating_sub(1))),
                t.dim(),
            )),
        ]
    }
}
