//! The month's plans (QDP) of one unit: one row per day with the day's QDS beside it and who
//! approved the plan; the QDP being typed shows in the selected row.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};
use rust_decimal::Decimal;

use super::format::{NONE, col_width, m3, opt_m3, right, right_styled, short_day};
use super::text::text;
use crate::state::Shell;
use crate::state::gas::{PlanRow, PlanSheet};
use crate::widgets::form::styled_wrap;
use crate::widgets::list::{selection, with_hint};
use crate::widgets::text::{ellipsize, text_width};

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let pane = &shell.gas;
    let Some(p) = &pane.plans else {
        let consolidated = !pane.units.is_empty() && pane.unit >= pane.units.len();
        let msg = if consolidated {
            g.no_unit_plans
        } else {
            shell.locale.strings().loading
        };
        super::placeholder(frame, area, shell, g.plans_hint, msg);
        return;
    };
    sheet(frame, area, shell, p);
}

/// QDP minus QDS, signed ("+1.800", "-1.200", "0"): only to compare the two figures shown.
fn difference(shell: &Shell, r: &PlanRow) -> String {
    match (r.qdp, r.qds) {
        (Some(p), Some(s)) => {
            let d = p - s;
            let n = m3(shell.locale, d);
            if d > Decimal::ZERO {
                format!("+{n}")
            } else {
                n
            }
        }
        _ => String::new(),
    }
}

fn approval(shell: &Shell, r: &PlanRow) -> String {
    let g = text(shell.locale);
    match (&r.approved, r.qdp) {
        (Some(who), _) => format!("{} {who}", shell.theme.ok_glyph()),
        (None, Some(_)) => g.pending.to_owned(),
        (None, None) => String::new(),
    }
}

fn sheet(frame: &mut Frame, area: Rect, shell: &Shell, p: &PlanSheet) {
    let g = text(shell.locale);
    let t = shell.theme;
    let l = shell.locale;
    let selected = selection(p.list.selected, p.rows.len());
    let typing = p.input.is_some();

    let scope = p
        .unit
        .as_ref()
        .map_or_else(String::new, |u| format!("{} {} · ", u.code, u.name));
    let title = format!(
        " {} · {scope}{} ",
        g.plans_title,
        shell.locale.month_year(p.first)
    );
    let planned = p.rows.iter().filter(|r| r.qdp.is_some()).count();
    let approved = p.rows.iter().filter(|r| r.approved.is_some()).count();
    let counts = format!(" {} {approved}/{planned} ", g.approved_count);
    let mut block = Block::bordered()
        .border_set(t.border())
        .border_style(if typing { t.accent() } else { Style::new() })
        .title(Span::styled(
            ellipsize(&title, area.width.saturating_sub(4) as usize),
            t.accent(),
        ));
    if text_width(&title) + text_width(&counts) + 4 <= area.width as usize {
        block = block.title(
            Line::from(Span::styled(
                counts,
                if approved < planned {
                    t.warn()
                } else {
                    t.dim()
                },
            ))
            .right_aligned(),
        );
    }
    let hint = if typing {
        g.plans_typing_hint
    } else if shell.gas.rights.approve {
        g.plans_hint
    } else {
        g.plans_hint_no_approve
    };
    let block = with_hint(block, shell, area, "", hint);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let errors = p.error.as_deref().map_or_else(Vec::new, |e| {
        styled_wrap(
            &format!("{} {e}", t.bad_glyph()),
            inner.width as usize,
            t.error(),
        )
    });
    let [table_area, error_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(errors.len() as u16)])
            .areas(inner);
    frame.render_widget(Paragraph::new(errors), error_area);
    if p.rows.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(g.no_data, t.dim())), table_area);
        return;
    }

    let cols = &g.plan_cols;
    let days: Vec<String> = p.rows.iter().map(|r| short_day(g, r.date)).collect();
    let qdps: Vec<String> = p.rows.iter().map(|r| opt_m3(l, r.qdp)).collect();
    let qdss: Vec<String> = p.rows.iter().map(|r| opt_m3(l, r.qds)).collect();
    let diffs: Vec<String> = p.rows.iter().map(|r| difference(shell, r)).collect();
    let approvals: Vec<String> = p.rows.iter().map(|r| approval(shell, r)).collect();
    let input = p.input.as_deref().unwrap_or("");
    // the field being typed grows with the text, so nothing typed hides
    let qdp_w = col_width(cols[1], qdps.iter().map(String::as_str))
        .max(text_width(input) as u16 + text_width(t.cursor()) as u16)
        .max(9);
    let widths = [
        Constraint::Length(col_width(cols[0], days.iter().map(String::as_str))),
        Constraint::Length(qdp_w),
        Constraint::Length(col_width(cols[2], qdss.iter().map(String::as_str))),
        Constraint::Length(col_width(cols[3], diffs.iter().map(String::as_str))),
        Constraint::Fill(1),
    ];
    let header = Row::new(cols.iter().enumerate().map(|(i, c)| {
        Cell::from(if (1..=3).contains(&i) {
            right(*c)
        } else {
            Line::from(*c)
        })
    }))
    .style(t.accent());
    let rows: Vec<Row> = p
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let day_style = if shell.gas.today == Some(r.date) {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            let qdp = match (&p.input, Some(i) == selected) {
                (Some(typed), true) => Line::from(vec![
                    Span::styled(typed.clone(), t.accent()),
                    Span::styled(t.cursor(), t.accent()),
                ])
                .right_aligned(),
                _ if r.qdp.is_none() => right_styled(NONE, t.dim()),
                _ => right(qdps[i].clone()),
            };
            let diff_style = if diffs[i].starts_with('0') {
                t.dim()
            } else {
                Style::new()
            };
            let approval_style = if r.approved.is_some() {
                t.ok()
            } else {
                t.warn()
            };
            Row::new(vec![
                Cell::from(Span::styled(days[i].clone(), day_style)),
                Cell::from(qdp),
                Cell::from(if r.qds.is_some() {
                    right(qdss[i].clone())
                } else {
                    right_styled(NONE, t.dim())
                }),
                Cell::from(right_styled(diffs[i].clone(), diff_style)),
                Cell::from(Span::styled(approvals[i].clone(), approval_style)),
            ])
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(if typing {
            // the typed text keeps its own colour; the row is only underlined
            Style::new().add_modifier(Modifier::UNDERLINED)
        } else {
            t.selected()
        });
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, table_area, &mut st);
}
