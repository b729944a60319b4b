//! A hand-laid table: columns that give way in a set order when the row is too narrow, one column
//! that takes the room left, and rows drawn as lines. Lines rather than ratatui's `Table` so that
//! group headings (site → area, open / closed orders) can span the whole width between rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::theme::Theme;
use crate::widgets::form::scroll_to;
use crate::widgets::text::{ellipsize, text_width};

pub struct Col<K> {
    pub key: K,
    pub head: String,
    pub width: usize,
    pub right: bool,
    /// 0: always shown; among the others the highest goes first when the row does not fit.
    pub drop: u8,
    /// The column that takes the room left, never narrower than this.
    pub fill_min: Option<usize>,
}

impl<K> Col<K> {
    /// A column as wide as its heading or widest cell, at most `max`.
    pub fn new<'a>(key: K, head: &str, cells: impl Iterator<Item = &'a str>, max: usize) -> Col<K> {
        let width = cells
            .map(text_width)
            .max()
            .unwrap_or(0)
            .min(max)
            .max(text_width(head));
        Col {
            key,
            head: head.to_owned(),
            width,
            right: false,
            drop: 0,
            fill_min: None,
        }
    }

    pub fn right(mut self) -> Col<K> {
        self.right = true;
        self
    }

    pub fn drop(mut self, rank: u8) -> Col<K> {
        self.drop = rank;
        self
    }

    pub fn fill(mut self, min: usize) -> Col<K> {
        self.fill_min = Some(min);
        self
    }
}

/// The columns that fit in `width` cells (one between columns), the fill column widened to take
/// the rest.
pub fn fit<K>(mut cols: Vec<Col<K>>, width: usize) -> Vec<Col<K>> {
    let need = |cols: &[Col<K>]| {
        cols.iter()
            .map(|c| c.fill_min.map_or(c.width, |m| m.min(c.width.max(m))))
            .sum::<usize>()
            + cols.len().saturating_sub(1)
    };
    while need(&cols) > width {
        let worst = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.drop > 0)
            .max_by_key(|(i, c)| (c.drop, *i))
            .map(|(i, _)| i);
        match worst {
            Some(i) => {
                cols.remove(i);
            }
            None => break,
        }
    }
    let fixed: usize = cols
        .iter()
        .filter(|c| c.fill_min.is_none())
        .map(|c| c.width)
        .sum::<usize>()
        + cols.len().saturating_sub(1);
    if let Some(f) = cols.iter_mut().find(|c| c.fill_min.is_some()) {
        f.width = width.saturating_sub(fixed);
    }
    cols
}

/// The headings, in the accent style.
pub fn head_line<K>(cols: &[Col<K>], t: Theme) -> Line<'static> {
    line(cols, |c| Span::styled(c.head.clone(), t.accent()))
}

/// One row: each column's span cut to its width and padded, one space between columns.
pub fn line<K>(cols: &[Col<K>], cell: impl Fn(&Col<K>) -> Span<'static>) -> Line<'static> {
    let mut spans = Vec::with_capacity(cols.len() * 2);
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let s = cell(c);
        let content = ellipsize(&s.content, c.width);
        let pad = " ".repeat(c.width.saturating_sub(text_width(&content)));
        if c.right {
            spans.push(Span::raw(pad));
            spans.push(Span::styled(content, s.style));
        } else {
            spans.push(Span::styled(content, s.style));
            spans.push(Span::raw(pad));
        }
    }
    Line::from(spans)
}

/// Lines of a list with the selected item's line range; the view scrolls to keep it in sight.
#[derive(Default)]
pub struct Listing {
    pub lines: Vec<Line<'static>>,
    pub selected: Option<std::ops::Range<usize>>,
}

impl Listing {
    /// Adds a selectable row, highlighted (across `width`) when it is the selected one.
    pub fn row(&mut self, line: Line<'static>, selected: bool, width: usize, t: Theme) {
        if selected {
            let at = self.lines.len();
            self.lines.push(highlight(line, width, t));
            self.selected = Some(at..at + 1);
        } else {
            self.lines.push(line);
        }
    }
}

/// `line` in the selection style, padded so the whole row shows it.
pub fn highlight(mut line: Line<'static>, width: usize, t: Theme) -> Line<'static> {
    let pad = width.saturating_sub(line.width());
    if pad > 0 {
        line.spans.push(Span::raw(" ".repeat(pad)));
    }
    line.style(t.selected())
}

/// Draws `head` (if any) on the first row and the listing under it, scrolled so the selected
/// lines show.
pub fn draw(frame: &mut Frame, area: Rect, head: Option<Line<'static>>, listing: Listing) {
    let mut area = area;
    if let Some(h) = head {
        frame.render_widget(
            Paragraph::new(h),
            Rect {
                height: area.height.min(1),
                ..area
            },
        );
        area.y += area.height.min(1);
        area.height = area.height.saturating_sub(1);
    }
    let rows = area.height as usize;
    let skip = listing.selected.map_or(0, |r| scroll_to(r, rows.max(1)));
    frame.render_widget(
        Paragraph::new(listing.lines.into_iter().skip(skip).collect::<Vec<_>>()),
        area,
    );
}

/// Cells computed beforehand, as `Col::new` measures them.
pub fn strs(v: &[String]) -> impl Iterator<Item = &str> {
    v.iter().map(String::as_str)
}
