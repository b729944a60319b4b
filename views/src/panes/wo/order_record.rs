//! The record of an order, under its checklist or in a column of its own: costs (parts, labor,
//! services with their subtotals and the total), evidence with its checksum, downtime windows,
//! notes and the status history. Empty sections other than costs are left out.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{WoText, text};
use crate::state::Shell;
use crate::state::wo::{CostRow, EvidenceRow, LogRow, OrderDetail};
use crate::theme::Theme;
use crate::widgets::lines::{bold, hanging, heading};
use crate::widgets::text::{ellipsize, text_width};

/// Characters of a SHA-256 shown where the whole one does not fit (as short git hashes).
const SHORT_SHA: usize = 12;

pub fn record_lines(shell: &Shell, o: &OrderDetail, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let mut lines = costs(g, t, o, width);
    if !o.evidence.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading(
            &format!("{} ({})", g.evidence, o.evidence.len()),
            None,
            width,
            t,
        ));
        lines.extend(evidence(t, &o.evidence, width));
    }
    if o.down_now || !o.downtime.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading(g.downtime, None, width, t));
        if o.down_now {
            lines.push(Line::from(vec![
                Span::raw("  "),
                super::cells::down(t, g.down_now),
            ]));
        }
        for d in &o.downtime {
            lines.extend(hanging(vec![Span::raw("  ")], d, Style::new(), width, 2));
        }
    }
    if !o.notes.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading(
            &format!("{} ({})", g.notes, o.notes.len()),
            None,
            width,
            t,
        ));
        for n in &o.notes {
            lines.extend(log(g, t, n, width));
        }
    }
    if !o.history.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading(g.history, None, width, t));
        for h in &o.history {
            lines.extend(log(g, t, h, width));
        }
    }
    lines
}

fn costs(g: &WoText, t: Theme, o: &OrderDetail, width: usize) -> Vec<Line<'static>> {
    let sections: [(&str, &[CostRow], &str); 3] = [
        (g.parts, &o.parts, &o.cost_parts),
        (g.labor, &o.labor, &o.cost_labor),
        (g.services, &o.services, &o.cost_services),
    ];
    let mut lines = vec![heading(g.costs, None, width, t)];
    if !o.estimate.is_empty() {
        lines.push(amount_line(
            vec![Span::styled(format!(" {}", g.estimate), t.dim())],
            Span::styled(o.estimate.clone(), t.dim()),
            text_width(&o.estimate),
            width,
        ));
    }
    if sections.iter().all(|(_, rows, _)| rows.is_empty()) {
        lines.push(Line::from(Span::styled(
            format!("  {}", g.no_costs),
            t.dim(),
        )));
        return lines;
    }
    // amounts line up on the right, subtotals and total included
    let amount_w = sections
        .iter()
        .flat_map(|(_, rows, sub)| rows.iter().map(|r| r.amount.as_str()).chain([*sub]))
        .chain([o.cost_total.as_str()])
        .map(text_width)
        .max()
        .unwrap_or(0);
    for (name, rows, sub) in sections {
        if rows.is_empty() {
            continue;
        }
        lines.push(amount_line(
            vec![Span::styled(format!(" {name}"), bold())],
            Span::styled(sub.to_owned(), bold()),
            amount_w,
            width,
        ));
        for r in rows {
            lines.extend(cost_row(t, r, amount_w, width));
        }
    }
    if !o.cost_total.is_empty() {
        lines.push(amount_line(
            vec![Span::styled(format!(" {}", g.total), t.accent())],
            Span::styled(o.cost_total.clone(), t.accent()),
            amount_w,
            width,
        ));
    }
    lines
}

/// `left` with `amount` right-aligned in the last `amount_w` cells of the line.
fn amount_line(
    left: Vec<Span<'static>>,
    amount: Span<'static>,
    amount_w: usize,
    width: usize,
) -> Line<'static> {
    let lw: usize = left.iter().map(Span::width).sum();
    let gap = width.saturating_sub(lw + amount_w).max(1) + amount_w.saturating_sub(amount.width());
    let mut spans = left;
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(amount);
    Line::from(spans)
}

/// "   FILT-G4-592 Filtro G4 592x592     2 un × R$ 45,90   R$ 91,80"; the detail goes under
/// the name when both do not fit.
fn cost_row(t: Theme, r: &CostRow, amount_w: usize, width: usize) -> Vec<Line<'static>> {
    let detail_w = text_width(&r.detail);
    let room = width.saturating_sub(3 + amount_w + 2);
    let inline = detail_w == 0 || text_width(&r.what) + 2 + detail_w <= room;
    let what_room = if inline && detail_w > 0 {
        room.saturating_sub(detail_w + 2)
    } else {
        room
    };
    let mut left = vec![Span::raw("   "), Span::raw(ellipsize(&r.what, what_room))];
    if inline && detail_w > 0 {
        let used = 3 + text_width(&ellipsize(&r.what, what_room));
        let pad = (3 + room).saturating_sub(used + detail_w);
        left.push(Span::raw(" ".repeat(pad.max(2))));
        left.push(Span::styled(r.detail.clone(), t.dim()));
    }
    let mut lines = vec![amount_line(
        left,
        Span::raw(r.amount.clone()),
        amount_w,
        width,
    )];
    if !inline {
        lines.push(Line::from(Span::styled(
            format!("     {}", ellipsize(&r.detail, width.saturating_sub(5))),
            t.dim(),
        )));
    }
    lines
}

/// "  foto.jpg  12,4 KiB  sha256 3f2a9c0d1e4b  ana · 23/11/2026 10:02": the whole checksum on
/// the line when it fits, else on a line of its own when that fits, else its first characters;
/// who attached it when there is room.
fn evidence(t: Theme, rows: &[EvidenceRow], width: usize) -> Vec<Line<'static>> {
    let name_w = rows
        .iter()
        .map(|e| text_width(&e.name))
        .max()
        .unwrap_or(0)
        .min(32);
    let size_w = rows.iter().map(|e| text_width(&e.size)).max().unwrap_or(0);
    let by_w = rows.iter().map(|e| text_width(&e.by)).max().unwrap_or(0);
    let sha_label = "sha256 ";
    let base = 2 + name_w + 2 + size_w;
    let sha_w = rows
        .iter()
        .map(|e| e.sha256.chars().count())
        .max()
        .unwrap_or(0);
    let inline_full = base + 2 + sha_label.len() + sha_w + 2 + by_w <= width;
    let own_line = !inline_full && 4 + sha_label.len() + sha_w <= width;
    let short_w = if inline_full || own_line {
        0
    } else {
        SHORT_SHA
    };
    let used = base
        + if own_line {
            0
        } else {
            2 + sha_label.len() + short_w.max(sha_w * usize::from(inline_full))
        };
    let show_by = used + 2 + by_w <= width;
    // a long name gives way to the size and the checksum
    let name_w = name_w.saturating_sub(used.saturating_sub(width)).max(8);
    let mut lines = Vec::new();
    for e in rows {
        let name = ellipsize(&e.name, name_w);
        let mut spans = vec![
            Span::raw("  "),
            Span::raw(format!("{name:<name_w$}")),
            Span::raw("  "),
            Span::raw(format!("{:>size_w$}", e.size)),
        ];
        if !own_line {
            let sha: String = if inline_full {
                e.sha256.clone()
            } else {
                e.sha256.chars().take(SHORT_SHA).collect()
            };
            spans.push(Span::styled(format!("  {sha_label}"), t.dim()));
            spans.push(Span::raw(sha));
        }
        if show_by && !e.by.is_empty() {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(e.by.clone(), t.dim()));
        }
        lines.push(Line::from(spans));
        if own_line {
            lines.push(Line::from(vec![
                Span::styled(format!("    {sha_label}"), t.dim()),
                Span::raw(e.sha256.clone()),
            ]));
        }
    }
    lines
}

/// A note or a history line: "  23/11 10:05 ana text", or the text under the date and who when
/// they do not fit on one line. A status change reads "aberta → em andamento · reason".
fn log(g: &WoText, t: Theme, l: &LogRow, width: usize) -> Vec<Line<'static>> {
    let arrow = t.arrow();
    let text = match &l.change {
        Some((from, to)) => {
            let change = if from.is_empty() {
                g.status(to)
            } else {
                format!("{} {arrow} {}", g.status(from), g.status(to))
            };
            // the app may repeat the codes as the text; only a reason adds to the change
            let codes = [format!("{from} → {to}"), format!("{from} -> {to}")];
            let reason = l.text.trim();
            if reason.is_empty() || codes.iter().any(|c| c == reason) {
                change
            } else {
                format!("{change} · {reason}")
            }
        }
        None => l.text.clone(),
    };
    let mut prefix = vec![Span::raw("  "), Span::styled(l.at.clone(), t.dim())];
    if !l.by.is_empty() {
        prefix.push(Span::raw(" "));
        prefix.push(Span::styled(l.by.clone(), bold()));
    }
    let prefix_w: usize = prefix.iter().map(Span::width).sum();
    // on one line when it fits, else the text under its date, indented
    if prefix_w + 1 + text_width(&text) <= width {
        prefix.push(Span::raw(" "));
        prefix.push(Span::raw(text));
        return vec![Line::from(prefix)];
    }
    let mut lines = vec![Line::from(prefix)];
    lines.extend(hanging(Vec::new(), &text, Style::new(), width, 4));
    lines
}
