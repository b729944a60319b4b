//! `?`: the bindings in effect, generated from the loaded keymap, with their descriptions.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Wrap};

use crate::state::Shell;
use crate::widgets::centered;
use crate::widgets::text::text_width;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, scroll: usize) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let popup = centered(area, 90, area.height);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(format!(" {} ", s.help_title), t.accent()))
        .title_bottom(
            Line::from(Span::styled(format!(" {} ", s.help_footer), t.dim())).right_aligned(),
        );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // Keymap problems first, in full, above the bindings.
    let mut warn: Vec<Line> = Vec::new();
    if !shell.keymap_warnings.is_empty() {
        warn.push(Line::from(Span::styled(s.keymap_problems, t.error())));
        for w in &shell.keymap_warnings {
            warn.push(Line::from(Span::styled(format!("  {w}"), t.error())));
        }
        warn.push(Line::from(""));
    }
    let [warn_area, table_area] =
        Layout::vertical([Constraint::Length(warn.len() as u16), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(warn).wrap(Wrap { trim: false }), warn_area);
    // The action's name (what keymap.toml and the palette call it) only where the description
    // keeps room enough to read.
    let name_w = shell
        .help
        .iter()
        .map(|h| text_width(h.action.name()))
        .max()
        .unwrap_or(0);
    let keys_w = shell
        .help
        .iter()
        .map(|h| text_width(&h.keys))
        .max()
        .unwrap_or(0)
        .min(14);
    let section_w = shell
        .help
        .iter()
        .map(|h| text_width(&h.section) + 2)
        .max()
        .unwrap_or(0);
    let desc_room = (table_area.width as usize).saturating_sub(section_w + keys_w + 2);
    let with_names = desc_room >= name_w + 1 + 36;
    let mut rows: Vec<Row> = Vec::new();
    let mut last_section = "";
    for h in &shell.help {
        let section = if h.section != last_section {
            last_section = &h.section;
            Span::styled(format!("[{}]", h.section), t.dim())
        } else {
            Span::raw("")
        };
        let mut cells = vec![
            Cell::from(section),
            Cell::from(Span::styled(h.keys.clone(), t.accent())),
            Cell::from(match shell.locale {
                // keymap descs are English; in Portuguese show the action's own description
                crate::i18n::Locale::PtBr => h.action.help(shell.locale).to_owned(),
                crate::i18n::Locale::En => h.desc.clone(),
            }),
        ];
        if with_names {
            cells.push(Cell::from(Span::styled(h.action.name(), t.dim())));
        }
        rows.push(Row::new(cells));
    }
    let rows: Vec<Row> = rows.into_iter().skip(scroll).collect();
    let mut widths = vec![
        Constraint::Length(section_w as u16),
        Constraint::Length(keys_w as u16),
        Constraint::Fill(1),
    ];
    if with_names {
        widths.push(Constraint::Length(name_w as u16));
    }
    let table = Table::new(rows, widths);
    frame.render_widget(table, table_area);
}
