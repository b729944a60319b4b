//! An asset's QR code: the app draws it with half blocks (two modules per row, light modules as
//! blocks so the code comes out dark on light). Large, each module becomes two cells by one row,
//! still square; in ASCII mode the same with "##", since half blocks are not ASCII.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::text::text;
use crate::state::Shell;
use crate::state::wo::AssetDetail;
use crate::widgets::lines::{Key, bold, hint_lines};
use crate::widgets::list::list_message;
use crate::widgets::text::{ellipsize, text_width};

/// The half-block character's (top, bottom) modules drawn light; None for any other character.
fn modules(c: char) -> Option<(bool, bool)> {
    match c {
        '█' => Some((true, true)),
        '▀' => Some((true, false)),
        '▄' => Some((false, true)),
        ' ' => Some((false, false)),
        _ => None,
    }
}

/// The code at twice its size, a module as `cell` (two cells wide) on one row; None when the
/// lines hold something other than half blocks.
fn doubled(qr: &[String], cell: &str) -> Option<Vec<String>> {
    let blank = " ".repeat(text_width(cell));
    let mut out = Vec::with_capacity(qr.len() * 2);
    for l in qr {
        let pairs: Option<Vec<(bool, bool)>> = l.chars().map(modules).collect();
        let pairs = pairs?;
        for top in [true, false] {
            let mut row = String::new();
            for (t, b) in &pairs {
                row.push_str(if (top && *t) || (!top && *b) {
                    cell
                } else {
                    &blank
                });
            }
            out.push(row);
        }
    }
    Some(out)
}

/// The code as it fits in `w` x `h`: as it came, or doubled when that fits too (ASCII: only
/// doubled, in "##"). None when it does not fit.
pub fn fitted(
    shell: &Shell,
    qr: &[String],
    w: usize,
    h: usize,
    large: bool,
) -> Option<Vec<String>> {
    let width = |lines: &[String]| lines.iter().map(|l| text_width(l)).max().unwrap_or(0);
    let fits = |lines: &[String]| width(lines) <= w && lines.len() <= h;
    if qr.is_empty() {
        return None;
    }
    if shell.theme.ascii {
        return doubled(qr, "##").filter(|d| fits(d));
    }
    if large && let Some(d) = doubled(qr, "██").filter(|d| fits(d)) {
        return Some(d);
    }
    fits(qr).then(|| qr.to_vec())
}

/// The QR code alone, centred, with the asset above it and the text it holds below.
pub fn large(frame: &mut Frame, area: Rect, shell: &Shell, a: &AssetDetail) {
    let g = text(shell.locale);
    let t = shell.theme;
    let keys: [Key; 1] = [("Q/esc", g.k_back)];
    let hint = hint_lines(&keys, area.width as usize, 1, t);
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} · {} ", g.qr_title, a.row.tag),
        t.accent(),
    ));
    let inner = block.inner(area);
    let rows = inner.height.saturating_sub(3) as usize;
    let Some(code) = fitted(shell, &a.qr, inner.width as usize, rows, true) else {
        let msg = if a.qr.is_empty() {
            g.qr_none
        } else {
            g.qr_no_room
        };
        list_message(frame, block, area, msg, t);
        return;
    };
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(a.row.tag.clone(), t.accent()),
            Span::raw(" "),
            Span::styled(a.row.name.clone(), bold()),
        ])
        .centered(),
    ];
    lines.extend(code.into_iter().map(|l| Line::from(l).centered()));
    lines.push(Line::from(Span::styled(ellipsize(&a.qr_text, w), t.dim())).centered());
    let h = lines.len() as u16;
    let [mid, bottom] = Layout::vertical([Constraint::Length(h), Constraint::Length(1)])
        .flex(Flex::Center)
        .areas(inner);
    frame.render_widget(Paragraph::new(lines), mid);
    frame.render_widget(Paragraph::new(hint).centered(), bottom);
}
