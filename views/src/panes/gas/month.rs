//! The month of one unit or of all units consolidated: one row per day (QDS, QDP, QDR, QDC,
//! deviations, status, band) with the month totals, the selected day's detail, and the month
//! chart beside the table when there is room, else below it when the terminal is tall enough.

use crate::i18n::Texts;
use crate::widgets::text::join_fitting;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::chart;
use super::format::{
    NONE, band_span, band_width, col_width, long_date, m3, opt_m3, percent, range, right,
    right_styled, short_day,
};
use super::text::{GasText, text};
use crate::state::Shell;
use crate::state::gas::{GasDayRow, GasMonth};
use crate::theme::Theme;
use crate::widgets::list::{selection, with_hint};
use crate::widgets::text::{ellipsize, text_width, wrapped_height};
use rust_decimal::Decimal;

/// The chart goes beside the table when it gets at least this many columns...
const SIDE_CHART_MIN: u16 = 40;
/// ...else below it on a pane at least this tall.
const BELOW_CHART_MIN_ROWS: u16 = 34;
/// The legend goes under the inline detail only on a pane this tall.
const LEGEND_MIN_ROWS: u16 = 30;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let pane = &shell.gas;
    let Some(m) = &pane.month else {
        super::placeholder(
            frame,
            area,
            shell,
            g.month_hint,
            shell.locale.strings().loading,
        );
        return;
    };
    let cols = columns(shell, m);
    let table_w = cols.iter().map(|c| c.width + 1).sum::<u16>() + 2;
    let selected = selection(pane.month_list.selected, m.rows.len());
    let day = selected.map(|i| &m.rows[i]);
    if area.width >= table_w + SIDE_CHART_MIN {
        let [table_area, right] =
            Layout::horizontal([Constraint::Length(table_w), Constraint::Fill(1)]).areas(area);
        table(frame, table_area, shell, m, &cols, selected, &[]);
        let inner_w = right.width.saturating_sub(2) as usize;
        let mut detail = day
            .map(|d| detail_lines(shell, m, d, inner_w))
            .unwrap_or_default();
        detail.push(legend(shell, m));
        let detail_h = (wrapped_height(&detail, inner_w) as u16 + 2).min(right.height / 2);
        let [detail_area, chart_area] =
            Layout::vertical([Constraint::Length(detail_h), Constraint::Fill(1)]).areas(right);
        detail_box(frame, detail_area, shell, day, detail);
        chart::render(frame, chart_area, shell, m, selected);
        return;
    }
    let inner_w = area.width.saturating_sub(2) as usize;
    let mut detail = day
        .map(|d| detail_lines(shell, m, d, inner_w))
        .unwrap_or_default();
    if area.height >= LEGEND_MIN_ROWS {
        detail.push(legend(shell, m));
    }
    if area.height >= BELOW_CHART_MIN_ROWS {
        let [table_area, chart_area] =
            Layout::vertical([Constraint::Fill(3), Constraint::Fill(2)]).areas(area);
        table(frame, table_area, shell, m, &cols, selected, &detail);
        chart::render(frame, chart_area, shell, m, selected);
    } else {
        table(frame, area, shell, m, &cols, selected, &detail);
    }
}

/// A column of the grid: heading, width, right-aligned.
struct Col {
    kind: ColKind,
    heading: String,
    width: u16,
}

#[derive(Clone, Copy, PartialEq)]
enum ColKind {
    Day,
    Qds,
    Qdp,
    Qdr,
    Qdc,
    DeltaTransport,
    DeltaMolecule,
    Ok,
    Band,
}

/// The columns of the month (QDC and OK only consolidated), each as wide as its widest cell.
fn columns(shell: &Shell, m: &GasMonth) -> Vec<Col> {
    let g = text(shell.locale);
    let consolidated = m.unit.is_none();
    let kinds = [
        ColKind::Day,
        ColKind::Qds,
        ColKind::Qdp,
        ColKind::Qdr,
        ColKind::Qdc,
        ColKind::DeltaTransport,
        ColKind::DeltaMolecule,
        ColKind::Ok,
        ColKind::Band,
    ];
    kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| consolidated || !matches!(k, ColKind::Qdc | ColKind::Ok))
        .map(|(i, k)| {
            let mut cells: Vec<String> =
                m.rows.iter().map(|r| cell_text(shell, m, r, *k)).collect();
            cells.push(total_text(shell, m, *k));
            // headings of marked figures keep clear of the mark column, over the digits
            let heading = match k {
                ColKind::Qds | ColKind::Qdp => format!("{} ", g.month_cols[i]),
                ColKind::Qdr if !consolidated => format!("{}  ", g.month_cols[i]),
                _ => g.month_cols[i].to_owned(),
            };
            let mut width = col_width(&heading, cells.iter().map(String::as_str));
            if *k == ColKind::Band {
                width = width.max(band_width(shell.theme, g) as u16).min(24);
            }
            Col {
                kind: *k,
                heading,
                width,
            }
        })
        .collect()
}

/// "M", "A", "I" for where a unit's QDR came from.
fn source_letter(source: &str) -> String {
    match source {
        "manual" => "M".into(),
        "api" => "A".into(),
        "import" => "I".into(),
        other => other
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default(),
    }
}

/// "falta" or "falta URU BOT" (consolidated names the units).
fn missing_text(g: &GasText, m: &GasMonth, r: &GasDayRow, t: Theme) -> String {
    let mut s = format!("{} {}", t.bad_glyph(), g.missing);
    if m.unit.is_none() {
        for code in &r.missing {
            s.push(' ');
            s.push_str(code);
        }
    }
    s
}

/// The text of one cell (its style is chosen in `row`). Figures carry a one-character mark
/// column ("*" manual, "?" unapproved, the QDR source), blank when unmarked, so digits line up.
fn cell_text(shell: &Shell, m: &GasMonth, r: &GasDayRow, k: ColKind) -> String {
    let g = text(shell.locale);
    let l = shell.locale;
    let t = shell.theme;
    let unit = m.unit.is_some();
    let figure = |v: Option<Decimal>| {
        if r.future {
            v.map(|v| m3(l, v)).unwrap_or_default()
        } else {
            opt_m3(l, v)
        }
    };
    match k {
        ColKind::Day => short_day(g, r.date),
        ColKind::Qds if r.future => String::new(),
        ColKind::Qds => format!("{}{}", figure(r.qds), if r.qds_manual { "*" } else { " " }),
        ColKind::Qdp => format!(
            "{}{}",
            figure(r.qdp),
            if r.qdp.is_some() && !r.qdp_approved {
                "?"
            } else {
                " "
            }
        ),
        ColKind::Qdr if r.future => String::new(),
        ColKind::Qdr if unit => format!("{} {:1}", figure(r.qdr), source_letter(&r.qdr_source)),
        ColKind::Qdr => figure(r.qdr),
        ColKind::Qdc if r.future => String::new(),
        ColKind::Qdc => figure(r.qdc),
        _ if r.future => String::new(),
        ColKind::DeltaTransport => r
            .percent_transport
            .map_or_else(|| NONE.to_owned(), |p| percent(l, p)),
        ColKind::DeltaMolecule => r
            .percent_molecule
            .map_or_else(|| NONE.to_owned(), |p| percent(l, p)),
        ColKind::Ok => match r.ok {
            Some(true) => "OK".into(),
            Some(false) => "NOK".into(),
            None => String::new(),
        },
        ColKind::Band if !r.missing.is_empty() => missing_text(g, m, r, t),
        ColKind::Band => r.band.map_or_else(
            || NONE.to_owned(),
            |b| band_span(t, g, b).content.into_owned(),
        ),
    }
}

/// The totals row: QDS, QDP and QDR of the month, aligned with the figures above them.
fn total_text(shell: &Shell, m: &GasMonth, k: ColKind) -> String {
    let g = text(shell.locale);
    let l = shell.locale;
    match k {
        ColKind::Day => g.total.to_owned(),
        ColKind::Qds | ColKind::Qdp => format!("{} ", m3(l, total_of(m, k))),
        ColKind::Qdr if m.unit.is_some() => format!("{}  ", m3(l, m.total_qdr)),
        ColKind::Qdr => m3(l, m.total_qdr),
        _ => String::new(),
    }
}

fn total_of(m: &GasMonth, k: ColKind) -> Decimal {
    match k {
        ColKind::Qds => m.total_qds,
        ColKind::Qdp => m.total_qdp,
        _ => m.total_qdr,
    }
}

fn row<'a>(shell: &Shell, m: &GasMonth, r: &GasDayRow, cols: &[Col]) -> Row<'a> {
    let g = text(shell.locale);
    let t = shell.theme;
    let past_missing = !r.missing.is_empty() && !r.future;
    // a day not entered yet is a warning today and an error after it
    let missing_style = if shell.gas.today == Some(r.date) {
        t.warn()
    } else {
        t.error()
    };
    let cells: Vec<Cell> = cols
        .iter()
        .map(|c| {
            let s = cell_text(shell, m, r, c.kind);
            let line = match c.kind {
                ColKind::Day if past_missing => Line::from(Span::styled(s, missing_style)),
                ColKind::Day if shell.gas.today == Some(r.date) => {
                    Line::from(Span::styled(s, Style::new().add_modifier(Modifier::BOLD)))
                }
                ColKind::Day => Line::from(s),
                ColKind::Band if past_missing => {
                    Line::from(Span::styled(ellipsize(&s, c.width as usize), missing_style))
                }
                ColKind::Band => match r.band.filter(|_| !r.future) {
                    Some(b) => Line::from(band_span(t, g, b)),
                    None => Line::from(Span::styled(s, t.dim())),
                },
                ColKind::Ok => right_styled(
                    s,
                    if r.ok == Some(false) {
                        t.error()
                    } else {
                        t.ok()
                    },
                ),
                ColKind::DeltaTransport => {
                    right_styled(s, delta_style(t, r.percent_transport, t.error()))
                }
                ColKind::DeltaMolecule => {
                    right_styled(s, delta_style(t, r.percent_molecule, t.warn()))
                }
                ColKind::Qdp if r.qdp.is_some() && !r.qdp_approved => right_styled(s, t.dim()),
                _ => right(s),
            };
            Cell::from(line)
        })
        .collect();
    let row = Row::new(cells);
    if r.future { row.style(t.dim()) } else { row }
}

/// A deviation outside its band in `style`, zero dim.
fn delta_style(t: Theme, v: Option<Decimal>, style: Style) -> Style {
    match v {
        Some(v) if !v.is_zero() => style,
        _ => t.dim(),
    }
}

/// The grid in its block: title with the unit and month, the month's counts on the right, the
/// key hint below, and `detail` (the selected day) inside under the table.
fn table(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    m: &GasMonth,
    cols: &[Col],
    selected: Option<usize>,
    detail: &[Line<'static>],
) {
    let g = text(shell.locale);
    let t = shell.theme;
    let scope = match &m.unit {
        Some(u) => format!("{} {}", u.code, u.name),
        None => g.consolidated.to_owned(),
    };
    let title = format!(" {} · {} ", scope, shell.locale.month_year(m.first));
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        ellipsize(&title, area.width.saturating_sub(4) as usize),
        t.accent(),
    ));
    // the month's counts on the title when they fit, else first under the table
    let counts = counts_line(shell, m);
    let mut detail = detail.to_vec();
    let block = if text_width(&title) + counts.width() + 4 <= area.width as usize {
        block.title(counts.right_aligned())
    } else {
        detail.insert(0, counts);
        block
    };
    let hint = if m.unit.is_some() {
        g.month_hint
    } else {
        g.month_hint_consolidated
    };
    let block = with_hint(block, shell, area, "", hint);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let detail_h =
        (wrapped_height(&detail, inner.width as usize) as u16).min(inner.height.saturating_sub(6));
    // header, days and totals; the detail right under them
    let table_h = (m.rows.len() as u16 + 2).min(inner.height.saturating_sub(detail_h));
    let [table_area, detail_area, _] = Layout::vertical([
        Constraint::Length(table_h.max(1)),
        Constraint::Length(detail_h),
        Constraint::Fill(1),
    ])
    .areas(inner);

    if m.rows.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(g.no_data, t.dim())), table_area);
        return;
    }
    let header = Row::new(cols.iter().map(|c| {
        Cell::from(if matches!(c.kind, ColKind::Day | ColKind::Band) {
            Line::from(c.heading.clone())
        } else {
            right(c.heading.clone())
        })
    }))
    .style(t.accent());
    let footer = Row::new(cols.iter().map(|c| {
        let s = total_text(shell, m, c.kind);
        Cell::from(if c.kind == ColKind::Day {
            Line::from(s)
        } else {
            right(s)
        })
    }))
    .style(Style::new().add_modifier(Modifier::BOLD));
    let rows: Vec<Row> = m.rows.iter().map(|r| row(shell, m, r, cols)).collect();
    // Figures keep their width; the band words (last) give way when the pane is narrow, so a
    // total is never cut on its left.
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|c| match c.kind {
            ColKind::Band => Constraint::Fill(1),
            _ => Constraint::Length(c.width),
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .footer(footer)
        .row_highlight_style(t.selected());
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, table_area, &mut st);
    frame.render_widget(
        Paragraph::new(detail).wrap(Wrap { trim: false }),
        detail_area,
    );
}

/// " faltando 2 · amarelos 3 · vermelhos 1 ", each in its colour.
fn counts_line(shell: &Shell, m: &GasMonth) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let part = |n: usize, word: &str, style: Style| {
        Span::styled(format!("{word} {n}"), if n > 0 { style } else { t.dim() })
    };
    Line::from(vec![
        Span::raw(" "),
        part(m.days_missing, g.days_missing, t.error()),
        Span::styled(" · ", t.dim()),
        part(m.days_yellow, g.days_yellow, t.warn()),
        Span::styled(" · ", t.dim()),
        part(m.days_red, g.days_red, t.error()),
        Span::raw(" "),
    ])
}

/// The selected day: date, band or what is missing, plan approval, the band limits with the
/// deviations in m³ and percent, and a problem computing it; in lines of `width` cells.
fn detail_lines(shell: &Shell, m: &GasMonth, r: &GasDayRow, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let l = shell.locale;
    let mut head = vec![vec![Span::styled(
        long_date(l, g, r.date),
        Style::new().add_modifier(Modifier::BOLD),
    )]];
    if r.future {
        head.push(vec![Span::styled(g.future, t.dim())]);
    } else if !r.missing.is_empty() {
        head.push(vec![Span::styled(missing_text(g, m, r, t), t.error())]);
    }
    if let Some(b) = r.band.filter(|_| !r.future) {
        head.push(vec![band_span(t, g, b)]);
    }
    if r.qdp.is_some() {
        head.push(vec![if r.qdp_approved {
            Span::raw(g.plan_approved)
        } else {
            Span::styled(g.plan_unapproved, t.warn())
        }]);
    }
    let mut lines = join_fitting(head, width, t);
    let limits = |name: &str,
                  band: Option<(Decimal, Decimal)>,
                  delta: Option<Decimal>,
                  pct: Option<Decimal>,
                  style: Style| {
        let Some(band) = band.filter(|_| !r.future) else {
            return Vec::new();
        };
        let mut parts = vec![vec![
            Span::styled(format!("{name} "), t.dim()),
            Span::raw(range(l, band, t)),
        ]];
        if let Some(d) = delta {
            let s = format!(
                "Δ {} m³ ({} %)",
                m3(l, d),
                pct.map_or_else(|| NONE.to_owned(), |p| percent(l, p))
            );
            parts.push(vec![Span::styled(
                s,
                if d.is_zero() { t.dim() } else { style },
            )]);
        }
        join_fitting(parts, width, t)
    };
    lines.extend(limits(
        g.transport,
        r.transport,
        r.delta_transport,
        r.percent_transport,
        t.error(),
    ));
    lines.extend(limits(
        g.molecule,
        r.molecule,
        r.delta_molecule,
        r.percent_molecule,
        t.warn(),
    ));
    if let Some(p) = &r.problem {
        lines.push(Line::from(Span::styled(
            format!("{} {p}", t.bad_glyph()),
            t.error(),
        )));
    }
    lines
}

/// "* QDS manual · ? QDP não aprovado · QDR: M manual, A api, I importação" (dim).
fn legend(shell: &Shell, m: &GasMonth) -> Line<'static> {
    let g = text(shell.locale);
    let mut parts = vec![g.legend_manual, g.legend_unapproved];
    if m.unit.is_some() {
        parts.push(g.legend_sources);
    }
    Line::from(Span::styled(parts.join(" · "), shell.theme.dim()))
}

fn detail_box(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    day: Option<&GasDayRow>,
    lines: Vec<Line<'static>>,
) {
    let t = shell.theme;
    let s = shell.locale.strings();
    let title = match day {
        Some(d) => format!(" {} · {} ", s.detail, shell.locale.date(d.date)),
        None => format!(" {} ", s.detail),
    };
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
