//! The pieces every list view shares: its bordered block with a count, the `/` filter and a key
//! hint, the message an empty or loading list shows, the clamped selection, and the split
//! between a list and the selected row's detail.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::state::Shell;
use crate::theme::Theme;
use crate::widgets::filter_line;
use crate::widgets::text::{text_width, wrapped_height};

/// " Dispositivos (5) ", " Dispositivos (2/5) " while a filter hides some, or no count before
/// the first load.
pub fn count_title(name: &str, counts: Option<(usize, usize)>) -> String {
    match counts {
        None => format!(" {name} "),
        Some((visible, total)) if visible == total => format!(" {name} ({total}) "),
        Some((visible, total)) => format!(" {name} ({visible}/{total}) "),
    }
}

/// A list's bordered block: its title, the `/` filter bottom left and the view's key hint bottom
/// right when there is room for both.
pub fn list_block<'a>(
    shell: &Shell,
    area: Rect,
    title: String,
    filter: &str,
    hint: &'a str,
) -> Block<'a> {
    let t = shell.theme;
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.accent()));
    with_hint(block, shell, area, filter, hint)
}

/// Adds the `/` filter and, when both fit in `area`'s width, the key hint to a block's bottom.
pub fn with_hint<'a>(
    block: Block<'a>,
    shell: &Shell,
    area: Rect,
    filter: &str,
    hint: &'a str,
) -> Block<'a> {
    let block = filter_line(block, shell, filter);
    let t = shell.theme;
    let filter_w = if shell.filtering || !filter.is_empty() {
        text_width(shell.locale.strings().filter_prompt) + text_width(filter) + 6
    } else {
        0
    };
    if filter_w + text_width(hint) + 6 <= area.width as usize {
        block.title_bottom(Line::from(Span::styled(format!(" {hint} "), t.dim())).right_aligned())
    } else {
        block
    }
}

/// What an empty or still loading list says, dim, in its block.
pub fn list_message(frame: &mut Frame, block: Block, area: Rect, msg: &str, t: Theme) {
    frame.render_widget(
        Paragraph::new(Span::styled(msg, t.dim()))
            .block(block)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The selected row clamped to the list (None when it is empty).
pub fn selection(selected: usize, len: usize) -> Option<usize> {
    (len > 0).then(|| selected.min(len - 1))
}

/// A list's area above a detail box tall enough for `detail` wrapped (at most half the area).
pub fn list_and_detail(area: Rect, detail: &[Line]) -> [Rect; 2] {
    let inner_w = area.width.saturating_sub(2) as usize;
    let detail_h = (wrapped_height(detail, inner_w).max(1) as u16 + 2).min(area.height / 2);
    Layout::vertical([Constraint::Min(5), Constraint::Length(detail_h)]).areas(area)
}

/// Room for a hint on the bottom border of a list block once the `/` filter is drawn there (as
/// `widgets::list::with_hint` counts it).
pub fn hint_room(shell: &Shell, area: Rect, filter: &str) -> usize {
    let filter_w = if shell.filtering || !filter.is_empty() {
        text_width(shell.locale.strings().filter_prompt) + text_width(filter) + 6
    } else {
        0
    };
    (area.width as usize).saturating_sub(filter_w + 6)
}
