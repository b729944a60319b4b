//! The Petrobras report of a month as the export will write it: per unit QDS/QDP/QDR, then the
//! consolidated figures, band limits, deviations, status and band, with the totals row. Column
//! groups scroll sideways (`column`), as many as fit beside the day.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};
use rust_decimal::Decimal;

use super::format::{NONE, band_span, m3, range, short_day};
use super::text::text;
use crate::state::Shell;
use crate::state::gas::{GasDayRow, GasReport, ReportRow};
use crate::theme::Theme;
use crate::widgets::form::styled_wrap;
use crate::widgets::list::{selection, with_hint};
use crate::widgets::text::{ellipsize, text_width};

/// Space between columns (the table's default).
const SPACING: u16 = 1;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let Some(r) = &shell.gas.report else {
        super::placeholder(
            frame,
            area,
            shell,
            g.report_hint,
            shell.locale.strings().loading,
        );
        return;
    };
    preview(frame, area, shell, r);
}

/// One cell: its text and style; numbers are right-aligned, words left.
struct Text {
    text: String,
    style: Style,
    right: bool,
}

impl Text {
    fn num(text: String, style: Style) -> Text {
        Text {
            text,
            style,
            right: true,
        }
    }

    fn word(text: String, style: Style) -> Text {
        Text {
            text,
            style,
            right: false,
        }
    }

    fn line(&self) -> Line<'static> {
        let line = Line::from(Span::styled(self.text.clone(), self.style));
        if self.right {
            line.right_aligned()
        } else {
            line
        }
    }
}

struct Column {
    heading: String,
    /// One per report row, then the totals row.
    cells: Vec<Text>,
    right: bool,
}

impl Column {
    fn width(&self) -> u16 {
        self.cells
            .iter()
            .map(|c| text_width(&c.text))
            .max()
            .unwrap_or(0)
            .max(text_width(&self.heading)) as u16
    }
}

/// Columns under one name: a unit, the consolidated figures, the bands, the deviations.
struct Group {
    name: String,
    columns: Vec<Column>,
}

impl Group {
    fn width(&self) -> u16 {
        self.columns.iter().map(|c| c.width() + SPACING).sum()
    }
}

/// A figure of a row: blank for a day still to come (plans excepted), "—" when missing.
fn figure(shell: &Shell, v: Option<Decimal>, day: &GasDayRow, plan: bool) -> Text {
    let t = shell.theme;
    match v {
        Some(v) if !day.future || plan => Text::num(m3(shell.locale, v), Style::new()),
        _ if day.future => Text::num(String::new(), Style::new()),
        _ => Text::num(NONE.to_owned(), t.dim()),
    }
}

fn total(shell: &Shell, v: Option<Decimal>) -> Text {
    Text::num(
        v.map(|v| m3(shell.locale, v)).unwrap_or_default(),
        Style::new().add_modifier(Modifier::BOLD),
    )
}

/// A column from its day cells (`f`) and its totals cell (`tf`, blank without totals).
fn column(
    heading: &str,
    rows: &[ReportRow],
    totals: Option<&ReportRow>,
    f: impl Fn(&ReportRow) -> Text,
    tf: impl Fn(&ReportRow) -> Text,
) -> Column {
    let mut cells: Vec<Text> = rows.iter().map(&f).collect();
    cells.push(totals.map_or_else(|| Text::num(String::new(), Style::new()), tf));
    let right = cells.first().is_none_or(|c| c.right);
    Column {
        heading: heading.to_owned(),
        cells,
        right,
    }
}

/// Every column group of the report, units first.
fn groups(shell: &Shell, r: &GasReport) -> Vec<Group> {
    let g = text(shell.locale);
    let t = shell.theme;
    let rows = &r.rows;
    let totals = r.totals.as_ref();
    let mut out = Vec::new();
    for (i, u) in shell.gas.units.iter().enumerate() {
        let unit = |k: usize| {
            move |row: &ReportRow| -> Option<Decimal> {
                let (qds, qdp, qdr) = row.units.get(i).copied().unwrap_or_default();
                [qds, qdp, qdr][k]
            }
        };
        let missing = |row: &ReportRow| !row.day.future && row.day.missing.contains(&u.code);
        let cols = ["QDS", "QDP", "QDR"]
            .iter()
            .enumerate()
            .map(|(k, h)| {
                column(
                    h,
                    rows,
                    totals,
                    |row| {
                        if k == 0 && missing(row) && unit(k)(row).is_none() {
                            Text::num(g.missing.to_owned(), t.error())
                        } else {
                            figure(shell, unit(k)(row), &row.day, k == 1)
                        }
                    },
                    |tr| total(shell, unit(k)(tr)),
                )
            })
            .collect();
        out.push(Group {
            name: u.code.clone(),
            columns: cols,
        });
    }
    let day_fig = |f: fn(&GasDayRow) -> Option<Decimal>, plan: bool| {
        move |row: &ReportRow| figure(shell, f(&row.day), &row.day, plan)
    };
    let day_total =
        |f: fn(&GasDayRow) -> Option<Decimal>| move |tr: &ReportRow| total(shell, f(&tr.day));
    out.push(Group {
        name: g.consolidated.to_owned(),
        columns: vec![
            column(
                "QDS",
                rows,
                totals,
                day_fig(|d| d.qds, false),
                day_total(|d| d.qds),
            ),
            column(
                "QDP",
                rows,
                totals,
                day_fig(|d| d.qdp, true),
                day_total(|d| d.qdp),
            ),
            column(
                "QDR",
                rows,
                totals,
                day_fig(|d| d.qdr, false),
                day_total(|d| d.qdr),
            ),
            column(
                "QDC",
                rows,
                totals,
                day_fig(|d| d.qdc, false),
                day_total(|d| d.qdc),
            ),
        ],
    });
    let band = |b: Option<(Decimal, Decimal)>, d: &GasDayRow| match b {
        Some(b) if !d.future => Text::num(range(shell.locale, b, t), Style::new()),
        _ => Text::num(String::new(), Style::new()),
    };
    let blank = |_: &ReportRow| Text::num(String::new(), Style::new());
    out.push(Group {
        name: g.bands_group.to_owned(),
        columns: vec![
            column(
                g.transport,
                rows,
                totals,
                |row| band(row.day.transport, &row.day),
                blank,
            ),
            column(
                g.molecule,
                rows,
                totals,
                |row| band(row.day.molecule, &row.day),
                blank,
            ),
        ],
    });
    let delta = |v: Option<Decimal>, d: &GasDayRow, style: Style| match v {
        Some(v) if !d.future => Text::num(
            m3(shell.locale, v),
            if v.is_zero() { t.dim() } else { style },
        ),
        _ => figure(shell, None, d, false),
    };
    out.push(Group {
        name: g.status_group.to_owned(),
        columns: vec![
            column(
                "ΔT",
                rows,
                totals,
                |row| delta(row.day.delta_transport, &row.day, t.error()),
                day_total(|d| d.delta_transport),
            ),
            column(
                "ΔM",
                rows,
                totals,
                |row| delta(row.day.delta_molecule, &row.day, t.warn()),
                day_total(|d| d.delta_molecule),
            ),
            column(
                "OK",
                rows,
                totals,
                |row| match row.day.ok.filter(|_| !row.day.future) {
                    Some(true) => Text::word("OK".into(), t.ok()),
                    Some(false) => Text::word("NOK".into(), t.error()),
                    None => Text::word(String::new(), Style::new()),
                },
                |_| Text::word(String::new(), Style::new()),
            ),
            column(
                g.band,
                rows,
                totals,
                |row| band_text(shell, &row.day),
                |_| Text::word(String::new(), Style::new()),
            ),
        ],
    });
    out
}

fn band_text(shell: &Shell, d: &GasDayRow) -> Text {
    let g = text(shell.locale);
    let t = shell.theme;
    match d.band.filter(|_| !d.future) {
        Some(b) => {
            let s = band_span(t, g, b);
            Text::word(s.content.into_owned(), s.style)
        }
        None => Text::word(String::new(), Style::new()),
    }
}

fn preview(frame: &mut Frame, area: Rect, shell: &Shell, r: &GasReport) {
    let g = text(shell.locale);
    let t = shell.theme;
    let all = groups(shell, r);
    let inner_w = area.width.saturating_sub(2);
    let days: Vec<String> = r.rows.iter().map(|row| short_day(g, row.date)).collect();
    let day_w = days
        .iter()
        .map(|d| text_width(d))
        .max()
        .unwrap_or(0)
        .max(text_width(g.total)) as u16;
    // groups from `column` while they fit beside the day (at least one); scrolled to the end,
    // earlier groups fill the room left rather than leaving it blank
    let mut first = r.column.min(all.len().saturating_sub(1));
    let mut used = day_w + SPACING;
    let mut last = first;
    for (i, grp) in all.iter().enumerate().skip(first) {
        if i > first && used + grp.width() > inner_w {
            break;
        }
        used += grp.width();
        last = i + 1;
    }
    while last == all.len() && first > 0 && used + all[first - 1].width() <= inner_w {
        first -= 1;
        used += all[first].width();
    }
    let shown = &all[first..last];

    let title = format!(
        " {} · {} · {} ",
        g.report_title,
        r.file_name,
        shell.locale.month_year(r.first)
    );
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        ellipsize(&title, area.width.saturating_sub(4) as usize),
        t.accent(),
    ));
    let block = with_hint(block, shell, area, "", g.report_hint);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let written = r.written.as_deref().map_or_else(Vec::new, |w| {
        styled_wrap(
            &format!("{} {} {w}", t.ok_glyph(), g.written),
            inner.width as usize,
            t.ok(),
        )
    });
    // header, days and totals; what was written right under them
    let table_h = r.rows.len() as u16 + 1 + u16::from(r.totals.is_some());
    let [groups_area, table_area, written_area, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Max(table_h),
        Constraint::Length(written.len() as u16),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(written), written_area);
    let hidden = (first > 0, last < all.len());
    frame.render_widget(
        Paragraph::new(group_line(t, g.columns_more, day_w, shown, hidden, inner_w)),
        groups_area,
    );
    if r.rows.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(g.no_data, t.dim())), table_area);
        return;
    }

    let columns: Vec<&Column> = shown.iter().flat_map(|grp| grp.columns.iter()).collect();
    let mut widths = vec![Constraint::Length(day_w)];
    widths.extend(columns.iter().map(|c| Constraint::Length(c.width())));
    let mut header = vec![Cell::from(Line::from(g.month_cols[0]))];
    header.extend(columns.iter().map(|c| {
        let l = Line::from(c.heading.clone());
        Cell::from(if c.right { l.right_aligned() } else { l })
    }));
    let rows: Vec<Row> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Cell::from(day_cell(shell, &days[i], &row.day))];
            cells.extend(columns.iter().map(|c| Cell::from(c.cells[i].line())));
            let out = Row::new(cells);
            if row.day.future {
                out.style(t.dim())
            } else {
                out
            }
        })
        .collect();
    let mut table = Table::new(rows, widths)
        .header(Row::new(header).style(t.accent()))
        .column_spacing(SPACING)
        .row_highlight_style(t.selected());
    if r.totals.is_some() {
        let n = r.rows.len();
        let mut footer = vec![Cell::from(Span::styled(
            g.total,
            Style::new().add_modifier(Modifier::BOLD),
        ))];
        footer.extend(columns.iter().map(|c| Cell::from(c.cells[n].line())));
        table = table.footer(Row::new(footer));
    }
    let mut st = TableState::default().with_selected(selection(r.list.selected, r.rows.len()));
    frame.render_stateful_widget(table, table_area, &mut st);
}

/// The day, in the error colour when a unit is missing (today: warning), bold today.
fn day_cell(shell: &Shell, day: &str, d: &GasDayRow) -> Line<'static> {
    let t = shell.theme;
    let today = shell.gas.today == Some(d.date);
    let style = if !d.missing.is_empty() && !d.future {
        if today { t.warn() } else { t.error() }
    } else if today {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    Line::from(Span::styled(day.to_owned(), style))
}

/// The group names over their columns: " CRI ───────── URU ───────── ...", with an arrow on each
/// side that has groups scrolled out of view ("← ... mais colunas →").
fn group_line(
    t: Theme,
    more: &str,
    day_w: u16,
    groups: &[Group],
    (left, right): (bool, bool),
    width: u16,
) -> Line<'static> {
    let rule = if t.ascii { "-" } else { "─" };
    let (la, ra) = if t.ascii {
        ("<-", "->")
    } else {
        ("←", "→")
    };
    let lead = if left { la } else { "" };
    let mut spans = vec![
        Span::styled(lead.to_owned(), t.warn()),
        Span::raw(" ".repeat((day_w + SPACING) as usize - text_width(lead).min(day_w as usize))),
    ];
    let mut used = (day_w + SPACING) as usize;
    for grp in groups {
        let w = grp.width().saturating_sub(SPACING) as usize;
        let name = ellipsize(&grp.name, w.saturating_sub(2));
        let fill = w.saturating_sub(text_width(&name) + 1);
        spans.push(Span::styled(format!("{name} "), t.accent()));
        spans.push(Span::styled(rule.repeat(fill), t.dim()));
        spans.push(Span::raw(" ".repeat(SPACING as usize)));
        used += w + SPACING as usize;
    }
    if right {
        let words = format!("{more} {ra}");
        let room = (width as usize).saturating_sub(used);
        let shown = if text_width(&words) <= room {
            words
        } else {
            ra.to_owned()
        };
        spans.push(Span::raw(
            " ".repeat(room.saturating_sub(text_width(&shown))),
        ));
        spans.push(Span::styled(shown, t.warn()));
    }
    Line::from(spans)
}
