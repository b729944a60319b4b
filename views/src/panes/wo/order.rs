//! One order's page: its header and checklist, then its record (costs, evidence, downtime,
//! notes, history). From 120 columns the record goes in a column of its own, scrolled by
//! PgUp/PgDn, while the checklist follows its cursor; narrower, it is one page scrolled by
//! PgUp/PgDn that still moves down to keep the checklist cursor in sight.

use crate::i18n::Texts;
use crate::widgets::text::join_fitting;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::cells;
use super::order_record::record_lines;
use super::text::text;
use crate::state::Shell;
use crate::state::wo::OrderDetail;
use crate::theme::Theme;
use crate::widgets::form::scroll_to;
use crate::widgets::grid::highlight;
use crate::widgets::lines::{Key, bold, ends, field, hanging, hint_lines};
use crate::widgets::list::{list_message, selection};
use crate::widgets::text::{ellipsize, text_width, wrap};

/// From this width the record gets its own column.
const TWO_COLUMNS: u16 = 120;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let t = shell.theme;
    let Some(o) = &shell.wo.order else {
        let block = Block::bordered().border_set(t.border());
        list_message(frame, block, area, shell.locale.strings().loading, t);
        return;
    };
    let wide = area.width >= TWO_COLUMNS;
    let keys = keys(shell, o);
    let hint = hint_lines(&keys, area.width as usize, if wide { 1 } else { 2 }, t);
    let [main, hint_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(hint.len() as u16)]).areas(area);
    frame.render_widget(Paragraph::new(hint), hint_area);
    if wide {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(main);
        let w = left.width.saturating_sub(2) as usize;
        let (mut lines, cursor) = head_and_checklist(shell, o, w);
        lines.push(Line::from(""));
        let follow = cursor.map_or(0, |c| {
            scroll_to(c, left.height.saturating_sub(2).max(1) as usize)
        });
        page(
            frame,
            left,
            shell,
            title(shell, o, left.width),
            lines,
            follow,
        );
        let g = text(shell.locale);
        let w = right.width.saturating_sub(2) as usize;
        let record = record_lines(shell, o, w);
        let rows = right.height.saturating_sub(2) as usize;
        let top = o.scroll.min(record.len().saturating_sub(rows));
        page(
            frame,
            right,
            shell,
            format!(" {} ", g.record_title),
            record,
            top,
        );
    } else {
        let w = main.width.saturating_sub(2) as usize;
        let (mut lines, cursor) = head_and_checklist(shell, o, w);
        lines.push(Line::from(""));
        lines.extend(record_lines(shell, o, w));
        let rows = main.height.saturating_sub(2) as usize;
        let mut top = o.scroll.min(lines.len().saturating_sub(rows));
        // the cursor moving down pulls the page with it; paging past it leaves it behind
        if let Some(c) = cursor
            && c.end > top + rows
        {
            top = c.end.saturating_sub(rows).min(c.start);
        }
        page(frame, main, shell, title(shell, o, main.width), lines, top);
    }
}

/// " OS #1275 · title " on the page's border, so the order is named even when the page is
/// scrolled past its header.
fn title(shell: &Shell, o: &OrderDetail, width: u16) -> String {
    let head = format!("{} #{}", text(shell.locale).order_cols[0], o.row.id);
    let room = (width as usize).saturating_sub(text_width(&head) + 8);
    if room < 8 || o.row.title.is_empty() {
        return format!(" {head} ");
    }
    format!(" {head} · {} ", ellipsize(&o.row.title, room))
}

/// A bordered page showing `lines` from `top`, with PgUp / PgDn marks on its bottom border
/// when there is more above or below.
fn page(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    title: String,
    lines: Vec<Line<'static>>,
    top: usize,
) {
    let g = text(shell.locale);
    let t = shell.theme;
    let rows = area.height.saturating_sub(2) as usize;
    let (up, down) = if t.ascii { ("^", "v") } else { ("↑", "↓") };
    let mut marks = Vec::new();
    if top > 0 {
        marks.push(format!("{up} {}", g.more_above));
    }
    if top + rows < lines.len() {
        marks.push(format!("{down} {}", g.more_below));
    }
    let mut block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.accent()));
    if !marks.is_empty() {
        block = block.title_bottom(
            Line::from(Span::styled(format!(" {} ", marks.join(" · ")), t.warn())).right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(top).collect::<Vec<_>>()),
        inner,
    );
}

/// The order's keys: the status moves it allows now first, then what may be booked on it.
fn keys(shell: &Shell, o: &OrderDetail) -> Vec<Key<'static>> {
    let g = text(shell.locale);
    let r = shell.wo.rights;
    let has = |code: &str| o.moves.iter().any(|m| m == code);
    let mut keys: Vec<Key<'static>> = Vec::new();
    if has("in_progress") {
        let word = if o.row.status == "on_hold" {
            g.k_resume
        } else {
            g.k_start
        };
        keys.push(("b", word));
    }
    if has("on_hold") {
        keys.push(("h", g.k_hold));
    }
    if has("done") {
        keys.push(("c", g.k_done));
    }
    if has("cancelled") {
        keys.push(("X", g.k_cancel));
    }
    let open = !cells::closed(&o.row.status);
    if open && r.work {
        if !o.checklist.is_empty() {
            keys.push((g.space, g.k_answer));
        }
        keys.push(("P", g.k_part));
        keys.push(("L", g.k_labor));
        keys.push(("$", g.k_service));
    }
    keys.push(("m", g.k_note));
    keys.push(("A", g.k_attach));
    if open && r.work {
        keys.push(("D", if o.down_now { g.k_up } else { g.k_down }));
    }
    if open && (r.create || r.manage) {
        keys.push(("e", g.k_edit));
    }
    keys.push(("esc", g.k_back));
    keys
}

/// The header then the checklist, in lines of `width` cells, with the lines of the item under
/// the cursor.
fn head_and_checklist(
    shell: &Shell,
    o: &OrderDetail,
    width: usize,
) -> (Vec<Line<'static>>, Option<Range<usize>>) {
    let mut lines = head_lines(shell, o, width);
    lines.push(Line::from(""));
    let (items, cursor) = checklist_lines(shell, o, width);
    let at = lines.len();
    lines.extend(items);
    (lines, cursor.map(|r| r.start + at..r.end + at))
}

fn head_lines(shell: &Shell, o: &OrderDetail, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let r = &o.row;
    let mut lines: Vec<Line<'static>> = wrap(&r.title, width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, bold())))
        .collect();
    let mut words = vec![
        vec![Span::raw(g.kind(&r.kind))],
        vec![cells::priority(shell, g, &r.priority)],
        vec![cells::status(shell, g, &r.status)],
    ];
    if o.down_now {
        words.push(vec![cells::down(t, g.down_now)]);
    }
    lines.extend(join_fitting(words, width, t));

    let mut fields: Vec<(&str, String, Style)> = Vec::new();
    if !o.asset_label.is_empty() || !r.asset.is_empty() {
        let label = if o.asset_label.is_empty() {
            r.asset.clone()
        } else {
            o.asset_label.clone()
        };
        fields.push((g.f_asset, label, Style::new()));
    }
    if r.assignee.is_empty() {
        fields.push((g.f_assignee, g.unassigned.to_owned(), t.dim()));
    } else {
        fields.push((g.f_assignee, r.assignee.clone(), Style::new()));
    }
    if !r.due.is_empty() {
        if r.overdue {
            fields.push((g.f_due, format!("! {} · {}", r.due, g.overdue), t.error()));
        } else {
            fields.push((g.f_due, r.due.clone(), Style::new()));
        }
    }
    if !o.created.is_empty() {
        fields.push((g.f_created, o.created.clone(), Style::new()));
    }
    for (label, value) in [
        (g.f_alert, &o.alert),
        (g.f_plan, &o.plan),
        (g.f_procedure, &o.procedure),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            fields.push((label, v.clone(), Style::new()));
        }
    }
    let label_w = fields
        .iter()
        .map(|(l, _, _)| text_width(l))
        .max()
        .unwrap_or(0);
    for (label, value, style) in fields {
        lines.extend(field(label, label_w, &value, style, width, t));
    }
    if !o.description.trim().is_empty() {
        lines.push(Line::from(""));
        for para in o.description.lines() {
            lines.extend(wrap(para, width).into_iter().map(Line::from));
        }
    }
    lines
}

/// "Checklist · 3/8 respondidos" and one line per item (its text wrapped under itself), the
/// answer on the right, the note under it; the item under the cursor highlighted, with who
/// answered it.
fn checklist_lines(
    shell: &Shell,
    o: &OrderDetail,
    width: usize,
) -> (Vec<Line<'static>>, Option<Range<usize>>) {
    let g = text(shell.locale);
    let t = shell.theme;
    let items = &o.checklist;
    if items.is_empty() {
        return (
            vec![Line::from(vec![
                Span::styled(g.checklist, t.accent()),
                Span::styled(format!(" · {}", g.no_checklist), t.dim()),
            ])],
            None,
        );
    }
    let answered = items.iter().filter(|i| i.result.is_some()).count();
    let required_missing = items.iter().any(|i| i.required && i.result.is_none());
    let count_style = if answered == items.len() {
        t.ok()
    } else if required_missing {
        t.warn()
    } else {
        Style::new()
    };
    let mut lines = vec![ends(
        vec![
            Span::styled(format!("{} ", g.checklist), t.accent()),
            Span::styled(
                format!("{answered}/{} {}", items.len(), g.answered),
                count_style,
            ),
        ],
        vec![Span::styled(g.required_legend, t.dim())],
        width,
    )];
    let answers: Vec<Span<'static>> = items
        .iter()
        .map(|i| cells::answer(t, g, i.result.as_deref(), i.unit.as_deref(), i.required))
        .collect();
    let n_w = items
        .iter()
        .map(|i| i.n.to_string().len())
        .max()
        .unwrap_or(1);
    let ans_w = answers.iter().map(Span::width).max().unwrap_or(0).min(24);
    // pointer, number, required mark, a space; the answer after a space on the right
    let lead = 2 + n_w + 2;
    let text_w = width.saturating_sub(lead + 1 + ans_w).max(10);
    let selected = selection(o.list.selected, items.len());
    let mut cursor = None;
    for (idx, (item, ans)) in items.iter().zip(answers).enumerate() {
        let is_sel = Some(idx) == selected;
        let start = lines.len();
        let pointer = if is_sel {
            format!("{} ", t.pointer())
        } else {
            "  ".to_owned()
        };
        let parts = wrap(&item.text, text_w);
        for (k, part) in parts.iter().enumerate() {
            let mut spans = if k == 0 {
                vec![
                    Span::styled(pointer.clone(), t.accent()),
                    Span::raw(format!("{:>n_w$}", item.n)),
                    Span::styled(if item.required { "*" } else { " " }, t.dim()),
                    Span::raw(" "),
                ]
            } else {
                vec![Span::raw(" ".repeat(lead))]
            };
            spans.push(Span::raw(part.clone()));
            if k == 0 {
                let pad = text_w.saturating_sub(text_width(part)) + 1;
                spans.push(Span::raw(" ".repeat(pad)));
                let a = ellipsize(&ans.content, ans_w);
                spans.push(Span::raw(" ".repeat(ans_w.saturating_sub(text_width(&a)))));
                spans.push(Span::styled(a, ans.style));
            }
            let line = Line::from(spans);
            lines.push(if is_sel {
                highlight(line, width, t)
            } else {
                line
            });
        }
        if is_sel {
            cursor = Some(start..lines.len());
        }
        lines.extend(note_lines(t, item, is_sel, width, lead));
        if is_sel && let Some(c) = cursor.as_mut() {
            c.end = lines.len();
        }
    }
    (lines, cursor)
}

/// The note under an item, and who answered it when it is the selected one.
fn note_lines(
    t: Theme,
    item: &crate::state::wo::CheckRow,
    selected: bool,
    width: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    let mut text = item.note.trim().to_owned();
    if selected && !item.by.is_empty() {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(&item.by);
    }
    if text.is_empty() {
        return Vec::new();
    }
    let arrow = if t.ascii { "- " } else { "↳ " };
    hanging(
        vec![Span::raw(" ".repeat(indent)), Span::styled(arrow, t.dim())],
        &text,
        t.dim(),
        width,
        indent + 2,
    )
}
