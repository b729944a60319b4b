//! The Ledger ("Orçamento Vivo"): the period grid (cost center tree with planned, committed,
//! realized, savings, available and % used, coloured by burn), the selected cost center by
//! category, the year's monthly chart with the run-rate projection, the entries of a cell, and
//! the close-readiness view. Every figure comes computed from the app; this only lays it out.

pub mod actions;
mod chart;
pub mod text;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};
use rust_decimal::Decimal;

use opsdeck_storage::records::ledger::{Figures, Month};

use crate::i18n::Texts;
use crate::state::Shell;
use crate::state::ledger::{LedgerPane, LedgerView, PeriodSize};
use crate::theme::Theme;
use crate::widgets::{filter_line, form};
use text::{LedgerText, text};

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let pane = &shell.ledger;
    let w = text(shell.locale);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(header(shell, pane, w)).wrap(Wrap { trim: true }),
        head,
    );
    match pane.view {
        LedgerView::Grid => grid(frame, body, shell, pane, w),
        LedgerView::Entries => entries(frame, body, shell, pane, w),
        LedgerView::Readiness => readiness(frame, body, shell, pane, w),
    }
    if let Some(f) = &pane.form {
        form::render(frame, area, shell, f);
    }
    if let Some(p) = &pane.prompt {
        form::prompt(frame, area, shell, p);
    }
}

/// "outubro de 2026", "T4 2026", "2026", "jan a out 2026".
pub fn period_label(shell: &Shell, size: PeriodSize, from: Month, to: Month) -> String {
    let w = text(shell.locale);
    let l = shell.locale;
    match size {
        PeriodSize::Month => l.month_year(from.first_day()),
        PeriodSize::Quarter => format!(
            "{}{} {}",
            w.quarter,
            (from.month() - 1) / 3 + 1,
            from.year()
        ),
        PeriodSize::Year => from.year().to_string(),
        PeriodSize::YearToDate => format!("{} {}", w.ytd, l.month_year(to.first_day())),
    }
}

fn header<'a>(shell: &Shell, pane: &LedgerPane, w: &LedgerText) -> Vec<Line<'a>> {
    let t = shell.theme;
    let mut first = vec![Span::styled(w.title.to_owned(), t.accent())];
    if let Some(g) = &pane.grid {
        let closed = (g.from.0..=g.to.0)
            .filter(|m| m % 100 >= 1 && m % 100 <= 12)
            .all(|m| pane.closed.contains(&Month(m)));
        first.push(Span::raw(format!(
            " · {} ({})",
            period_label(shell, pane.size, g.from, g.to),
            w.sizes[pane.size as usize]
        )));
        first.push(Span::raw(" · "));
        if closed {
            first.push(Span::styled(
                format!("{} {}", t.ok_glyph(), w.closed),
                t.ok(),
            ));
        } else {
            first.push(Span::styled(w.open.to_owned(), t.dim()));
        }
    } else if pane.loading {
        first.push(Span::styled(
            format!(" · {}", shell.locale.strings().loading),
            t.dim(),
        ));
    }
    let hint = match pane.view {
        LedgerView::Grid => w.hint,
        LedgerView::Entries => w.entries_hint,
        LedgerView::Readiness => w.readiness_hint,
    };
    let hint = if t.ascii {
        hint.replace("←→", "h l")
    } else {
        hint.to_owned()
    };
    vec![Line::from(first), Line::from(Span::styled(hint, t.dim()))]
}

/// Whole reais, grouped: the grid's figures (the entries show cents).
fn reais(shell: &Shell, v: Decimal) -> String {
    shell.locale.number(v, 0)
}

/// The colour of a burn: under 80% fine, up to 100% near, over 100% over.
fn burn_style(t: Theme, f: &Figures) -> Style {
    match f.consumed_pct() {
        Some(p) if p > Decimal::ONE_HUNDRED => t.error(),
        Some(p) if p >= Decimal::from(80) => t.warn(),
        Some(_) => t.ok(),
        None if !(f.realized + f.committed).is_zero() => t.warn(),
        None => t.dim(),
    }
}

fn pct(f: &Figures) -> String {
    f.consumed_pct()
        .map(|p| format!("{}%", p.round_dp(0)))
        .unwrap_or_else(|| "-".into())
}

fn figure_cells<'a>(shell: &Shell, f: &Figures) -> Vec<Cell<'a>> {
    let t = shell.theme;
    let avail = f.available();
    vec![
        Cell::from(Line::from(reais(shell, f.planned)).right_aligned()),
        Cell::from(Line::from(reais(shell, f.committed)).right_aligned()),
        Cell::from(Line::from(reais(shell, f.realized)).right_aligned()),
        Cell::from(Line::from(reais(shell, f.savings)).right_aligned()),
        Cell::from(
            Line::from(Span::styled(
                reais(shell, avail),
                if avail < Decimal::ZERO {
                    t.error()
                } else {
                    Style::new()
                },
            ))
            .right_aligned(),
        ),
        Cell::from(Line::from(Span::styled(pct(f), burn_style(t, f))).right_aligned()),
    ]
}

/// The figure columns' widths: room for "Comprometido" and R$ 99.999.999 when the terminal is
/// wide, the short headers below 110 columns.
fn fig_widths(wide: bool) -> [Constraint; 6] {
    let w = if wide { 13 } else { 10 };
    [
        Constraint::Length(w),
        Constraint::Length(w),
        Constraint::Length(w),
        Constraint::Length(w - 1),
        Constraint::Length(w),
        Constraint::Length(6),
    ]
}

fn grid(frame: &mut Frame, area: Rect, shell: &Shell, pane: &LedgerPane, w: &LedgerText) {
    let t = shell.theme;
    let Some(g) = &pane.grid else {
        let block = Block::bordered().border_set(t.border());
        let msg = match &pane.error {
            Some(e) if !pane.loading => Span::styled(e.clone(), t.error()),
            _ => Span::styled(shell.locale.strings().loading, t.dim()),
        };
        frame.render_widget(
            Paragraph::new(msg).wrap(Wrap { trim: true }).block(block),
            area,
        );
        return;
    };
    let bottom_h = if area.height >= 26 {
        12
    } else if area.height >= 18 {
        8
    } else {
        0
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(bottom_h)]).areas(area);
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", w.cost_center), t.accent()));
    let block = filter_line(block, shell, &pane.list.filter);
    let visible = pane.visible_rows();
    if g.rows.is_empty()
        || (g.total == Figures::default() && g.rows.iter().all(|r| r.total == Figures::default()))
    {
        frame.render_widget(
            Paragraph::new(Span::styled(w.no_budget, t.dim())).block(block),
            top,
        );
    } else {
        let wide = top.width >= 110;
        let cols = if wide { &w.cols } else { &w.cols_short };
        let mut header: Vec<Cell> = vec![Cell::from(w.cost_center)];
        header.extend(
            cols.iter()
                .map(|c| Cell::from(Line::from(*c).right_aligned())),
        );
        let mut rows: Vec<Row> = visible
            .iter()
            .map(|i| {
                let r = &g.rows[*i];
                let glyph = match (r.has_children, pane.collapsed.contains(&r.code), t.ascii) {
                    (false, _, _) => "  ",
                    (true, true, false) => "▸ ",
                    (true, false, false) => "▾ ",
                    (true, true, true) => "+ ",
                    (true, false, true) => "- ",
                };
                let mut cells = vec![Cell::from(format!(
                    "{}{glyph}{} {}",
                    "  ".repeat(r.depth),
                    r.code,
                    r.name
                ))];
                cells.extend(figure_cells(shell, &r.total));
                Row::new(cells)
            })
            .collect();
        let mut total = vec![Cell::from(Span::styled(w.total, t.accent()))];
        total.extend(figure_cells(shell, &g.total));
        rows.push(Row::new(total));
        let mut widths = vec![Constraint::Fill(1)];
        widths.extend(fig_widths(wide));
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(t.accent()))
            .block(block)
            .row_highlight_style(t.selected());
        let mut st = TableState::default().with_selected(
            (!visible.is_empty()).then(|| pane.list.selected.min(visible.len() - 1)),
        );
        frame.render_stateful_widget(table, top, &mut st);
    }
    if bottom_h == 0 {
        return;
    }
    // The chart needs room for twelve columns; a narrow terminal shows the categories only.
    if bottom.width >= 100 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(bottom);
        categories(frame, left, shell, pane, w);
        chart::render(frame, right, shell, &pane.chart, w);
    } else {
        categories(frame, bottom, shell, pane, w);
    }
}

/// The selected cost center by category; the picked category marked.
fn categories(frame: &mut Frame, area: Rect, shell: &Shell, pane: &LedgerPane, w: &LedgerText) {
    let t = shell.theme;
    let (Some(g), Some(i)) = (&pane.grid, pane.selected_row()) else {
        return;
    };
    let r = &g.rows[i];
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} · {} ", r.code, w.categories_of),
        t.dim(),
    ));
    let mark = |i: usize| if i == pane.column { t.pointer() } else { " " };
    let mut rows = vec![{
        let mut c = vec![Cell::from(format!("{}{}", mark(0), w.all_categories))];
        c.extend(figure_cells(shell, &r.total).into_iter().take(3));
        c.push(figure_cells(shell, &r.total).remove(4));
        c.push(figure_cells(shell, &r.total).remove(5));
        Row::new(c)
    }];
    for (i, ((_, name), f)) in g.categories.iter().zip(r.cells.iter()).enumerate() {
        let mut c = vec![Cell::from(format!("{}{name}", mark(i + 1)))];
        let all = figure_cells(shell, f);
        c.extend(all.iter().take(3).cloned());
        c.push(all[4].clone());
        c.push(all[5].clone());
        rows.push(Row::new(c));
    }
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(6),
    ];
    let mut header = vec![Cell::from("")];
    for c in [0, 1, 2, 4, 5] {
        header.push(Cell::from(Line::from(w.cols_short[c]).right_aligned()));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.dim()))
        .block(block)
        .row_highlight_style(t.highlight());
    let mut st = TableState::default().with_selected(Some(pane.column.min(g.categories.len())));
    frame.render_stateful_widget(table, area, &mut st);
}

fn entries(frame: &mut Frame, area: Rect, shell: &Shell, pane: &LedgerPane, w: &LedgerText) {
    let t = shell.theme;
    let l = shell.locale;
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(4)]).areas(area);
    let visible = pane.visible_entries();
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(
            " {} · {} ({}) ",
            w.entries_title,
            pane.entries_title,
            visible.len()
        ),
        t.accent(),
    ));
    let block = filter_line(block, shell, &pane.entries_list.filter);
    if visible.is_empty() {
        let msg = if pane.loading {
            l.strings().loading
        } else {
            w.no_entries
        };
        frame.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).block(block),
            list_area,
        );
    } else {
        let header = Row::new(w.entry_cols.iter().enumerate().map(|(i, c)| {
            if i == 2 {
                Cell::from(Line::from(*c).right_aligned())
            } else {
                Cell::from(*c)
            }
        }))
        .style(t.accent());
        let rows: Vec<Row> = visible
            .iter()
            .map(|e| {
                let style = match e.phase.as_str() {
                    "adjust" => t.warn(),
                    "savings" => t.ok(),
                    "release" | "void" | "consume" => t.dim(),
                    _ => Style::new(),
                };
                Row::new(vec![
                    Cell::from(e.date.clone()),
                    Cell::from(Span::styled(w.phase(&e.phase), style)),
                    Cell::from(Line::from(l.money(e.amount)).right_aligned()),
                    Cell::from(format!("{} · {}", e.cost_center, e.category)),
                    Cell::from(e.description.clone()),
                    Cell::from(e.by.clone()),
                ])
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(14),
                Constraint::Length(20),
                Constraint::Fill(1),
                Constraint::Length(8),
            ],
        )
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
        let mut st = TableState::default()
            .with_selected(Some(pane.entries_list.selected.min(visible.len() - 1)));
        frame.render_stateful_widget(table, list_area, &mut st);
    }
    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", l.strings().detail), t.dim()));
    let lines = match visible.get(pane.entries_list.selected) {
        Some(e) => {
            let mut first = vec![Span::styled(e.source.clone(), t.dim())];
            if let Some(m) = e.original_month {
                first.push(Span::styled(
                    format!(" · {} {}", w.late_for, l.month_year(m.first_day())),
                    t.warn(),
                ));
            }
            if !e.reason.is_empty() {
                first.push(Span::raw(format!(" · {}", e.reason)));
            }
            vec![Line::from(first), Line::from(e.key.clone())]
        }
        None => vec![],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(detail)
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}

fn readiness(frame: &mut Frame, area: Rect, shell: &Shell, pane: &LedgerPane, w: &LedgerText) {
    let t = shell.theme;
    let r = &pane.readiness;
    let month = r
        .month
        .map(|m| shell.locale.month_year(m.first_day()))
        .unwrap_or_default();
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} · {month} ", w.readiness_title),
        t.accent(),
    ));
    let mut head: Vec<Line> = Vec::new();
    if let Some(c) = &r.closed {
        head.push(Line::from(Span::styled(
            format!("{} {} · {c}", t.ok_glyph(), w.closed),
            t.ok(),
        )));
    }
    if pane.loading && r.issues.is_empty() {
        head.push(Line::from(Span::styled(
            shell.locale.strings().loading,
            t.dim(),
        )));
    } else if r.issues.is_empty() {
        head.push(Line::from(Span::styled(
            format!("{} {}", t.ok_glyph(), w.ready),
            t.ok(),
        )));
    } else {
        head.push(Line::from(Span::styled(
            format!("{} {}", r.issues.len(), w.issues),
            t.warn(),
        )));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [top, list] =
        Layout::vertical([Constraint::Length(head.len() as u16), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(head), top);
    if r.issues.is_empty() {
        return;
    }
    // j/k scroll a long list (a month of missing gas days per unit).
    let rows: Vec<Row> = r
        .issues
        .iter()
        .map(|i| Row::new(vec![Cell::from(format!("{} {i}", t.bad_glyph()))]))
        .collect();
    let table = Table::new(rows, [Constraint::Fill(1)]).row_highlight_style(t.selected());
    let mut st = TableState::default()
        .with_selected(Some(pane.readiness_list.selected.min(r.issues.len() - 1)));
    frame.render_stateful_widget(table, list, &mut st);
}
