//! A list with the selected row's detail in a panel under it (plans, inventory): the count in
//! the title, the `/` filter and key hints on the border, a message when nothing is listed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::grid::{self, Col, Listing};
use super::lines::{Key, hint_text};
use crate::state::{ListView, Shell};
use crate::widgets::list::{count_title, list_and_detail, list_block, list_message, selection};

/// What differs between the lists drawn this way.
pub struct Detailed<'a, R> {
    /// The list's name ("Planos preventivos"); the counts follow it.
    pub name: &'static str,
    /// The rows after the filter, and how many there are before it.
    pub visible: Vec<&'a R>,
    pub total: usize,
    pub list: &'a ListView,
    pub keys: Vec<Key<'static>>,
    /// Shown when there are no rows at all, and when the filter leaves none.
    pub none: &'static str,
    pub empty: &'static str,
    /// The panel's name; the selected row's name (`label`) follows it.
    pub detail_name: &'static str,
    pub label: fn(&R) -> &str,
}

/// Draws `d` in `area`: `detail` gives the selected row's panel lines at a width, `columns`
/// the columns for the visible rows at a width, `row` one row's line.
pub fn draw<R, C>(
    frame: &mut Frame,
    area: Rect,
    shell: &Shell,
    d: Detailed<R>,
    detail: impl Fn(&R, usize) -> Vec<Line<'static>>,
    columns: impl Fn(&[&R], usize) -> Vec<Col<C>>,
    row: impl Fn(&[Col<C>], &R) -> Line<'static>,
) {
    let t = shell.theme;
    let selected = selection(d.list.selected, d.visible.len());
    let current = selected.and_then(|i| d.visible.get(i).copied());
    let lines = current
        .map(|r| detail(r, area.width.saturating_sub(2) as usize))
        .unwrap_or_default();
    let [list_area, detail_area] = list_and_detail(area, &lines);

    let title = count_title(d.name, Some((d.visible.len(), d.total)));
    let filter = &d.list.filter;
    let hint = hint_text(
        &d.keys,
        crate::widgets::list::hint_room(shell, list_area, filter),
    );
    let block = list_block(shell, list_area, title, filter, &hint);
    if d.visible.is_empty() {
        let msg = if d.total == 0 { d.none } else { d.empty };
        list_message(frame, block, area, msg, t);
        return;
    }
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let width = inner.width as usize;
    let cols = columns(&d.visible, width);
    let mut listing = Listing::default();
    for (i, r) in d.visible.iter().enumerate() {
        listing.row(row(&cols, r), Some(i) == selected, width, t);
    }
    grid::draw(frame, inner, Some(grid::head_line(&cols, t)), listing);

    let title = match current {
        Some(r) => format!(" {} · {} ", d.detail_name, (d.label)(r)),
        None => format!(" {} ", d.detail_name),
    };
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_set(t.border())
                .title(Span::styled(title, t.dim())),
        ),
        detail_area,
    );
}
