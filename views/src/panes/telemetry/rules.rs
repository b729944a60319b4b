//! The alert rules, with what each watches and how many devices it fires on.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::cells::{on_cell, severity_cell, severity_width};
use super::text::text;
use crate::state::telemetry::RuleRow;
use crate::state::{Health, Shell};
use crate::widgets::list::{count_title, list_and_detail, list_block, list_message, selection};
use crate::widgets::text::{ellipsize, max_width, text_width};

pub(super) fn rules(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let pane = &shell.telemetry;
    let visible = pane.visible_rules();
    let selected = selection(pane.rule_list.selected, visible.len());
    let current = selected.map(|i| visible[i]);
    let detail_lines = current.map(|r| rule_detail(shell, r)).unwrap_or_default();
    let [list_area, detail_area] = list_and_detail(area, &detail_lines);

    let title = count_title(
        tm.tel_rules,
        pane.loaded.then_some((visible.len(), pane.rules.len())),
    );
    let block = list_block(
        shell,
        list_area,
        title,
        &pane.rule_list.filter,
        tm.rules_hint,
    );
    if !pane.loaded || pane.rules.is_empty() {
        let msg = if pane.loaded {
            tm.rules_empty
        } else {
            s.loading
        };
        list_message(frame, block, list_area, msg, t);
    } else {
        let cols = &tm.rule_cols;
        let inner = list_area.width.saturating_sub(2) as usize;
        let narrow = inner < 100;
        let name_w = max_width(pane.rules.iter().map(|r| r.name.as_str()))
            .min(if narrow { 18 } else { 28 })
            .max(text_width(cols[1]));
        let devices_w = max_width(pane.rules.iter().map(|r| r.devices.as_str()))
            .min(if narrow { 10 } else { 16 })
            .max(text_width(cols[2]));
        let sev_w = severity_width(tm, pane.rules.iter().map(|r| r.severity.as_str()))
            .max(text_width(cols[3]));
        let firing_w = text_width(cols[5]);
        let on_w = text_width(t.on_glyph(true));
        let describe_w = inner.saturating_sub(on_w + name_w + devices_w + sev_w + firing_w + 5);
        let rows: Vec<Row> = visible
            .iter()
            .map(|r| {
                let firing = if r.firing > 0 {
                    Line::from(Span::styled(
                        format!(
                            "{} {}",
                            t.health_glyph(Health::Critical),
                            shell.locale.count(r.firing as u64)
                        ),
                        t.error(),
                    ))
                } else {
                    Line::from(Span::styled("0", t.dim()))
                };
                let row = Row::new(vec![
                    Cell::from(on_cell(t, r.enabled)),
                    Cell::from(ellipsize(&r.name, name_w)),
                    Cell::from(ellipsize(&r.devices, devices_w)),
                    Cell::from(severity_cell(t, tm, &r.severity)),
                    Cell::from(ellipsize(&r.describe, describe_w)),
                    Cell::from(firing.right_aligned()),
                ]);
                if r.enabled { row } else { row.style(t.dim()) }
            })
            .collect();
        let header = Row::new(cols.iter().enumerate().map(|(i, c)| {
            Cell::from(if i == 5 {
                Line::from(*c).right_aligned()
            } else {
                Line::from(*c)
            })
        }))
        .style(t.accent());
        let table = Table::new(
            rows,
            [
                Constraint::Length(on_w as u16),
                Constraint::Length(name_w as u16),
                Constraint::Length(devices_w as u16),
                Constraint::Length(sev_w as u16),
                Constraint::Fill(1),
                Constraint::Length(firing_w as u16),
            ],
        )
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
        let mut st = TableState::default().with_selected(selected);
        frame.render_stateful_widget(table, list_area, &mut st);
    }

    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", s.detail), t.dim()));
    frame.render_widget(
        Paragraph::new(detail_lines)
            .block(detail)
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}

fn rule_detail(shell: &Shell, r: &RuleRow) -> Vec<Line<'static>> {
    let _s = shell.locale.strings();
    let tm = text(shell.locale);
    let t = shell.theme;
    let mut head = on_cell(t, r.enabled).spans;
    head.push(Span::raw(format!(
        " {} · ",
        if r.enabled { tm.rule_on } else { tm.rule_off }
    )));
    head.push(Span::styled(
        r.name.clone(),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    head.push(Span::raw(format!(" · {} · ", r.devices)));
    head.extend(severity_cell(t, tm, &r.severity).spans);
    if r.firing > 0 {
        head.push(Span::raw(" · "));
        head.push(Span::styled(
            format!(
                "{} {} {}",
                t.health_glyph(Health::Critical),
                tm.firing,
                shell.locale.count(r.firing as u64)
            ),
            t.error(),
        ));
    }
    vec![Line::from(head), Line::from(r.describe.clone())]
}
