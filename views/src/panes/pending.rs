//! A domain pane whose capability has not landed yet: its name and what it arrives with, and
//! nothing pretending to be data.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::state::{PaneId, Shell};

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, pane: PaneId) {
    let s = shell.locale.strings();
    let i = pane.index();
    let block = Block::bordered()
        .border_set(shell.theme.border())
        .title(Span::styled(
            format!(" {} ", s.pane_names[i]),
            shell.theme.accent(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(4),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let text = vec![
        Line::from(Span::styled(s.pane_names[i], shell.theme.accent())),
        Line::from(""),
        Line::from(vec![
            Span::styled(format!("{} ", s.arrives_prefix), shell.theme.dim()),
            Span::raw(s.arrives_with[i]),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        mid.inner(ratatui::layout::Margin::new(2, 0)),
    );
}
