//! Equipment rates and contracts: the equipment of every unit with the rate in force, then the
//! contracts; the selected equipment's whole rate history, or the selected contract in full.

use crate::i18n::Texts;
use crate::widgets::text::join_fitting;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::format::{col_width, factor, m3, right};
use super::text::text;
use crate::state::Shell;
use crate::state::gas::{ContractRow, EquipmentRow, GasAdmin};
use crate::widgets::form::styled_wrap;
use crate::widgets::list::{count_title, list_block, selection};
use crate::widgets::text::{ellipsize, wrap, wrapped_height};

/// The detail goes beside the lists from this width on, else under them.
const SIDE_MIN_WIDTH: u16 = 120;
/// Contract rows shown before their list scrolls.
const CONTRACT_ROWS: u16 = 4;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let Some(a) = &shell.gas.admin else {
        super::placeholder(
            frame,
            area,
            shell,
            hint(shell),
            shell.locale.strings().loading,
        );
        return;
    };
    let selected = selection(a.list.selected, a.len());
    let (eq_sel, contract_sel) = match selected {
        Some(i) if i < a.equipment.len() => (Some(i), None),
        Some(i) => (None, Some(i - a.equipment.len())),
        None => (None, None),
    };
    let detail_w = if area.width >= SIDE_MIN_WIDTH {
        area.width / 2
    } else {
        area.width
    };
    let (head, history) = match (eq_sel, contract_sel) {
        (Some(i), _) => equipment_head(shell, &a.equipment[i], detail_w.saturating_sub(2) as usize),
        (_, Some(i)) => (contract_lines(shell, &a.contracts[i]), 0),
        _ => (
            vec![Line::from(Span::styled(g.no_data, shell.theme.dim()))],
            0,
        ),
    };
    let mut head = head;
    if !shell.gas.rights.configure {
        head.extend(styled_wrap(
            &format!("! {}", g.needs_admin),
            detail_w.saturating_sub(2) as usize,
            shell.theme.warn(),
        ));
    }
    let (lists, detail) = if area.width >= SIDE_MIN_WIDTH {
        let [l, d] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail_w)]).areas(area);
        (l, d)
    } else {
        // the history table needs its heading and rows under the head lines
        let rows = wrapped_height(&head, area.width.saturating_sub(2) as usize)
            + if history > 0 { history + 1 } else { 0 };
        let h = (rows as u16 + 2).min(area.height / 2);
        let [l, d] = Layout::vertical([Constraint::Min(8), Constraint::Length(h)]).areas(area);
        (l, d)
    };
    let contracts_h = (a.contracts.len() as u16).clamp(1, CONTRACT_ROWS) + 3;
    let [eq_area, contracts_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(contracts_h)]).areas(lists);
    equipment_table(frame, eq_area, shell, a, eq_sel);
    contracts_table(frame, contracts_area, shell, a, contract_sel);
    detail_box(frame, detail, shell, a, eq_sel, head);
}

fn hint(shell: &Shell) -> &'static str {
    let g = text(shell.locale);
    if shell.gas.rights.configure {
        g.admin_hint
    } else {
        g.admin_hint_read_only
    }
}

fn equipment_table(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    a: &GasAdmin,
    selected: Option<usize>,
) {
    let g = text(shell.locale);
    let t = shell.theme;
    let title = count_title(g.equipment, Some((a.equipment.len(), a.equipment.len())));
    let block = list_block(shell, area, title, "", hint(shell));
    if a.equipment.is_empty() {
        crate::widgets::list::list_message(frame, block, area, g.no_data, t);
        return;
    }
    let cols = &g.equipment_cols;
    let active = |e: &EquipmentRow| if e.active { g.active } else { g.inactive };
    let w = [
        col_width(cols[0], a.equipment.iter().map(|e| e.unit.as_str())),
        col_width(cols[1], a.equipment.iter().map(|e| e.code.as_str())),
        0,
        col_width(cols[3], a.equipment.iter().map(|e| e.kind.as_str())),
        col_width(cols[4], a.equipment.iter().map(|e| e.rate.as_str())),
        col_width(cols[5], a.equipment.iter().map(active)),
    ];
    let fixed: u16 = w.iter().sum::<u16>() + 5;
    let name_w = area.width.saturating_sub(2 + fixed).max(4);
    let header = Row::new(
        cols.iter()
            .enumerate()
            .map(|(i, c)| Cell::from(if i == 4 { right(*c) } else { Line::from(*c) })),
    )
    .style(t.accent());
    let rows: Vec<Row> = a
        .equipment
        .iter()
        .enumerate()
        .map(|(i, e)| {
            // the unit shows on the first of its rows: the list reads grouped
            let first = i == 0 || a.equipment[i - 1].unit != e.unit;
            let row = Row::new(vec![
                Cell::from(Span::styled(
                    if first { e.unit.clone() } else { String::new() },
                    Style::new().add_modifier(Modifier::BOLD),
                )),
                Cell::from(e.code.clone()),
                Cell::from(ellipsize(&e.name, name_w as usize)),
                Cell::from(e.kind.clone()),
                Cell::from(right(e.rate.clone())),
                Cell::from(Span::styled(
                    active(e),
                    if e.active { t.ok() } else { t.dim() },
                )),
            ]);
            if e.active { row } else { row.style(t.dim()) }
        })
        .collect();
    let widths = [
        Constraint::Length(w[0]),
        Constraint::Length(w[1]),
        Constraint::Fill(1),
        Constraint::Length(w[3]),
        Constraint::Length(w[4]),
        Constraint::Length(w[5]),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut st);
}

/// The cells of a contract row: from, QDC, transport, molecule, bonus, penalty, in force.
fn contract_cells(shell: &Shell, c: &ContractRow) -> [String; 7] {
    let g = text(shell.locale);
    let l = shell.locale;
    let dash = if shell.theme.ascii { "-" } else { "–" };
    [
        l.date(c.from),
        m3(l, c.qdc),
        format!(
            "{}{dash}{}",
            factor(l, c.transport.0),
            factor(l, c.transport.1)
        ),
        format!(
            "{}{dash}{}",
            factor(l, c.molecule.0),
            factor(l, c.molecule.1)
        ),
        factor(l, c.bonus),
        factor(l, c.penalty),
        if c.current {
            format!("{} {}", shell.theme.on_glyph(true), g.in_force)
        } else {
            String::new()
        },
    ]
}

fn contracts_table(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    a: &GasAdmin,
    selected: Option<usize>,
) {
    let g = text(shell.locale);
    let t = shell.theme;
    let title = count_title(g.contracts, Some((a.contracts.len(), a.contracts.len())));
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.accent()));
    if a.contracts.is_empty() {
        crate::widgets::list::list_message(frame, block, area, g.no_data, t);
        return;
    }
    let cells: Vec<[String; 7]> = a
        .contracts
        .iter()
        .map(|c| contract_cells(shell, c))
        .collect();
    let cols = &g.contract_cols;
    let widths: Vec<Constraint> = (0..7)
        .map(|k| Constraint::Length(col_width(cols[k], cells.iter().map(|c| c[k].as_str()))))
        .collect();
    let header = Row::new(cols.iter().enumerate().map(|(i, c)| {
        Cell::from(if i == 0 || i == 6 {
            Line::from(*c)
        } else {
            right(*c)
        })
    }))
    .style(t.accent());
    let rows: Vec<Row> = cells
        .into_iter()
        .zip(&a.contracts)
        .map(|(c, row)| {
            let [from, qdc, transport, molecule, bonus, penalty, current] = c;
            Row::new(vec![
                Cell::from(from),
                Cell::from(right(qdc)),
                Cell::from(right(transport)),
                Cell::from(right(molecule)),
                Cell::from(right(bonus)),
                Cell::from(right(penalty)),
                Cell::from(Span::styled(
                    current,
                    if row.current { t.ok() } else { Style::new() },
                )),
            ])
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut st);
}

/// The equipment's lines above its history (broken between its parts to fit `width`), and how
/// many history rows follow.
fn equipment_head(shell: &Shell, e: &EquipmentRow, width: usize) -> (Vec<Line<'static>>, usize) {
    let g = text(shell.locale);
    let t = shell.theme;
    let parts = vec![
        vec![Span::styled(format!("{} {}", e.unit, e.code), t.accent())],
        vec![Span::styled(
            e.name.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )],
        vec![Span::raw(e.kind.clone())],
        vec![Span::styled(
            if e.active { g.active } else { g.inactive },
            if e.active { t.ok() } else { t.dim() },
        )],
        vec![
            Span::styled(format!("{}: ", g.in_force), t.dim()),
            Span::raw(e.rate.clone()),
        ],
    ];
    let mut lines = join_fitting(parts, width, t);
    if e.history.is_empty() {
        lines.push(Line::from(Span::styled(g.no_history, t.dim())));
    }
    (lines, e.history.len())
}

fn contract_lines(shell: &Shell, c: &ContractRow) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let [from, qdc, transport, molecule, bonus, penalty, current] = contract_cells(shell, c);
    let cols = &g.contract_cols;
    let kv = |k: &str, v: String| {
        Line::from(vec![Span::styled(format!("{k}: "), t.dim()), Span::raw(v)])
    };
    let mut head = vec![
        Span::styled(format!("{}: ", cols[0]), t.dim()),
        Span::raw(from),
    ];
    if c.current {
        head.push(Span::raw("  "));
        head.push(Span::styled(current, t.ok()));
    }
    let mut lines = vec![
        Line::from(head),
        kv(cols[1], format!("{qdc} m³/d")),
        kv(g.transport, transport),
        kv(g.molecule, molecule),
        kv(g.bonus, bonus),
        kv(g.penalty, penalty),
    ];
    if !c.note.is_empty() {
        lines.push(kv(g.note, c.note.clone()));
    }
    lines
}

fn detail_box(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    a: &GasAdmin,
    equipment: Option<usize>,
    head: Vec<Line<'static>>,
) {
    let g = text(shell.locale);
    let t = shell.theme;
    let s = shell.locale.strings();
    let e = equipment.and_then(|i| a.equipment.get(i));
    let title = if e.is_some() { g.history } else { s.detail };
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {title} "), t.accent()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(e) = e.filter(|e| !e.history.is_empty()) else {
        frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), inner);
        return;
    };
    // head (with the admin note) on top, the history under it
    let head_h =
        (wrapped_height(&head, inner.width as usize) as u16).min(inner.height.saturating_sub(2));
    let [head_area, table_area] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), head_area);
    history(frame, table_area, shell, e);
}

/// A note column narrower than this sends the history to two lines per rate.
const NOTE_MIN: u16 = 12;

/// The rates of an equipment, oldest first, the one in force today marked: a table when it
/// fits, else each rate as its from and rate with who set it and why under them.
fn history(frame: &mut Frame, area: Rect, shell: &Shell, e: &EquipmentRow) {
    let g = text(shell.locale);
    let t = shell.theme;
    let l = shell.locale;
    let in_force = shell
        .gas
        .today
        .and_then(|today| e.history.iter().rposition(|r| r.from <= today));
    let mark = t.pointer();
    let froms: Vec<String> = e
        .history
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let m = if Some(i) == in_force { mark } else { " " };
            format!("{m} {}", l.date(r.from))
        })
        .collect();
    let cols = &g.history_cols;
    let from_w = col_width(cols[0], froms.iter().map(String::as_str));
    let rate_w = col_width(cols[1], e.history.iter().map(|r| r.rate.as_str()));
    let set_w = col_width(cols[2], e.history.iter().map(|r| r.set.as_str()));
    if from_w + rate_w + set_w + 3 + NOTE_MIN > area.width {
        let lines: Vec<Line> =
            e.history
                .iter()
                .zip(froms)
                .enumerate()
                .flat_map(|(i, (r, from))| {
                    let head = Line::from(vec![
                        Span::raw(from),
                        Span::raw("  "),
                        Span::raw(r.rate.clone()),
                    ]);
                    let head = if Some(i) == in_force {
                        head.style(Style::new().add_modifier(Modifier::BOLD))
                    } else {
                        head
                    };
                    // who and why under it, indented, each wrapped on its own
                    let indent = "    ";
                    let room = (area.width as usize).saturating_sub(indent.len());
                    let mut out = vec![head];
                    for text in [&r.set, &r.note].into_iter().filter(|s| !s.is_empty()) {
                        out.extend(wrap(text, room).into_iter().map(|part| {
                            Line::from(Span::styled(format!("{indent}{part}"), t.dim()))
                        }));
                    }
                    out
                })
                .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let note_w = area
        .width
        .saturating_sub(from_w + rate_w + set_w + 3)
        .max(4) as usize;
    let header = Row::new(vec![
        Cell::from(format!("  {}", cols[0])),
        Cell::from(right(cols[1])),
        Cell::from(cols[2]),
        Cell::from(cols[3]),
    ])
    .style(t.accent());
    let rows: Vec<Row> = e
        .history
        .iter()
        .zip(froms)
        .enumerate()
        .map(|(i, (r, from))| {
            let row = Row::new(vec![
                Cell::from(from),
                Cell::from(right(r.rate.clone())),
                Cell::from(r.set.clone()),
                Cell::from(ellipsize(&r.note, note_w)),
            ]);
            if Some(i) == in_force {
                row.style(Style::new().add_modifier(Modifier::BOLD))
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Length(from_w),
        Constraint::Length(rate_w),
        Constraint::Length(set_w),
        Constraint::Fill(1),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), area);
}
