pub mod chart;
pub mod detailed;
pub mod form;
pub mod grid;
pub mod help;
pub mod lines;
pub mod list;
pub mod notifications;
pub mod palette;
pub mod status;
pub mod tenants;
pub mod text;

use crate::i18n::Texts;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::state::Shell;

/// Shows the `/` filter of a list on its bottom border: the text being typed (with a cursor) or
/// the filter in force.
pub fn filter_line<'a>(block: Block<'a>, shell: &Shell, filter: &str) -> Block<'a> {
    if !shell.filtering && filter.is_empty() {
        return block;
    }
    let t = shell.theme;
    let mut spans = vec![
        Span::styled(
            format!(" {}: ", shell.locale.strings().filter_prompt),
            t.accent(),
        ),
        Span::raw(filter.to_owned()),
    ];
    if shell.filtering {
        spans.push(Span::styled(t.cursor(), t.accent()));
    }
    spans.push(Span::raw(" "));
    block.title_bottom(Line::from(spans))
}

/// A centred rectangle `pct_w`% wide and at most `max_h` rows high inside `area`.
pub fn centered(area: Rect, pct_w: u16, max_h: u16) -> Rect {
    let [h] = Layout::vertical([Constraint::Length(max_h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [w] = Layout::horizontal([Constraint::Percentage(pct_w)])
        .flex(Flex::Center)
        .areas(h);
    w
}

/// A `w` x `h` rectangle centred in `area` (clipped to it).
pub fn centered_rect(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
