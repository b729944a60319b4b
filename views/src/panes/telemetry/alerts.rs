//! The alert list, open ones first, with the selected alert's detail.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::cells::{severity_cell, severity_width};
use super::text::text;
use crate::state::Shell;
use crate::state::telemetry::{AlertRow, AlertState};
use crate::widgets::list::{count_title, list_and_detail, list_block, list_message, selection};
use crate::widgets::text::{ellipsize, max_width, text_width};

pub(super) fn alerts(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.telemetry;
    let visible = pane.visible_alerts();
    let selected = selection(pane.alert_list.selected, visible.len());
    let current = selected.map(|i| visible[i]);
    let detail_lines = current.map(|a| alert_detail(shell, a)).unwrap_or_default();
    let [list_area, detail_area] = list_and_detail(area, &detail_lines);

    let title = count_title(
        tm.tel_alerts,
        pane.loaded.then_some((visible.len(), pane.alerts.len())),
    );
    let block = list_block(
        shell,
        list_area,
        title,
        &pane.alert_list.filter,
        tm.alerts_hint,
    );
    if !pane.loaded || pane.alerts.is_empty() {
        let msg = if pane.loaded {
            tm.alerts_empty
        } else {
            s.loading
        };
        list_message(frame, block, list_area, msg, t);
    } else {
        let cols = &tm.alert_cols;
        let inner = list_area.width.saturating_sub(2) as usize;
        let sev_w = severity_width(tm, pane.alerts.iter().map(|a| a.severity.as_str()))
            .max(text_width(cols[0]));
        let state_w = max_width(pane.alerts.iter().map(|a| tm.alert_states[a.state.index()]))
            .max(text_width(cols[1]));
        let narrow = inner < 100;
        let device_w = max_width(pane.alerts.iter().map(|a| a.device.as_str()))
            .min(if narrow { 10 } else { 16 })
            .max(text_width(cols[2]));
        let rule_w = max_width(pane.alerts.iter().map(|a| a.rule.as_str()))
            .min(if narrow { 14 } else { 24 })
            .max(text_width(cols[3]));
        let raised_w = max_width(pane.alerts.iter().map(|a| a.raised_at.as_str()))
            .min(19)
            .max(text_width(cols[4]));
        let fixed = sev_w + state_w + device_w + rule_w + raised_w + 4;
        // the message is in full in the detail below, so it goes first when space is short;
        // then the rule takes the room left
        let show_message = inner >= fixed + 1 + 20;
        let (rule_w, message_w) = if show_message {
            (rule_w, inner - fixed - 1)
        } else {
            let rule_max = max_width(pane.alerts.iter().map(|a| a.rule.as_str()));
            (
                inner
                    .saturating_sub(fixed - rule_w)
                    .max(rule_w)
                    .min(rule_max.max(rule_w)),
                0,
            )
        };
        let mut header: Vec<&str> = cols[..5].to_vec();
        let mut widths = vec![
            Constraint::Length(sev_w as u16),
            Constraint::Length(state_w as u16),
            Constraint::Length(device_w as u16),
            Constraint::Length(rule_w as u16),
            Constraint::Length(raised_w as u16),
        ];
        if show_message {
            header.push(cols[5]);
            widths.push(Constraint::Fill(1));
        }
        let rows: Vec<Row> = visible
            .iter()
            .map(|a| {
                let state_style = match a.state {
                    AlertState::Open => Style::new().add_modifier(Modifier::BOLD),
                    AlertState::Acknowledged => Style::new(),
                    AlertState::Resolved => t.dim(),
                };
                let mut cells = vec![
                    Cell::from(severity_cell(t, tm, &a.severity)),
                    Cell::from(Span::styled(tm.alert_states[a.state.index()], state_style)),
                    Cell::from(ellipsize(&a.device, device_w)),
                    Cell::from(ellipsize(&a.rule, rule_w)),
                    Cell::from(a.raised_at.clone()),
                ];
                if show_message {
                    cells.push(Cell::from(ellipsize(&a.message, message_w)));
                }
                let row = Row::new(cells);
                if a.state == AlertState::Resolved {
                    row.style(t.dim())
                } else {
                    row
                }
            })
            .collect();
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(t.accent()))
            .block(block)
            .row_highlight_style(t.selected());
        let mut st = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, list_area, &mut st);
    }

    let title = match current {
        Some(a) => format!(" {} · #{} ", s.detail, a.id),
        None => format!(" {} ", s.detail),
    };
    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.dim()));
    frame.render_widget(
        Paragraph::new(detail_lines)
            .block(detail)
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}

fn alert_detail(shell: &Shell, a: &AlertRow) -> Vec<Line<'static>> {
    let _s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let mut head = severity_cell(t, tm, &a.severity).spans;
    head.push(Span::raw(format!(
        " · {} · {} · {} · {}",
        tm.alert_states[a.state.index()],
        a.device,
        a.rule,
        a.raised_at
    )));
    let mut lines = vec![Line::from(head), Line::from(a.message.clone())];
    lines.push(match &a.acked {
        Some(by) => Line::from(vec![
            Span::styled(format!("{}: ", tm.acked), t.dim()),
            Span::raw(by.clone()),
        ]),
        None => Line::from(Span::styled(tm.not_acked, t.dim())),
    });
    if let Some(by) = &a.resolved {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", tm.resolved), t.dim()),
            Span::raw(by.clone()),
        ]));
    }
    lines
}
