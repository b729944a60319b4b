//! `:`: every action by name, filtered as you type; `search <text>` runs a search.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, TableState};

use crate::action::{self, Action};
use crate::named::Named;
use crate::state::{Palette, Shell, fold};
use crate::widgets::centered;

/// Actions whose name or description contains every word typed, best (name prefix) first.
pub fn matches(input: &str) -> Vec<Named<Action>> {
    let words: Vec<String> = fold(input).split_whitespace().map(str::to_owned).collect();
    let mut out: Vec<_> = action::all()
        .filter(|n| {
            let hay = fold(&format!("{} {} {}", n.name, n.en, n.pt));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    let first = words.first().cloned().unwrap_or_default();
    out.sort_by_key(|n| !n.name.starts_with(first.as_str()));
    out
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, palette: &Palette) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let popup = centered(area, 90, 16);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(format!(" {} ", s.palette_title), t.accent()))
        .title_bottom(
            Line::from(Span::styled(format!(" {} ", s.palette_hint), t.dim())).right_aligned(),
        );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(":", t.accent()),
            Span::raw(palette.input.clone()),
            Span::styled(t.cursor(), t.accent()),
        ])),
        input,
    );
    let found = matches(&palette.input);
    let rows: Vec<Row> = found
        .iter()
        .map(|n| {
            let desc = match shell.locale {
                crate::i18n::Locale::PtBr => n.pt,
                crate::i18n::Locale::En => n.en,
            };
            Row::new(vec![
                Cell::from(n.name),
                Cell::from(Span::styled(desc, t.dim())),
            ])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Length(20), Constraint::Fill(1)])
        .row_highlight_style(t.selected());
    let mut st = TableState::default().with_selected(
        (!found.is_empty()).then_some(palette.selected.min(found.len().saturating_sub(1))),
    );
    frame.render_stateful_widget(table, list, &mut st);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_completes_by_words_in_name_or_description() {
        let m = matches("aud ver");
        assert_eq!(m[0].name, "audit.verify");
        assert_eq!(matches("").len(), action::all().count());
        assert!(matches("zzzz").is_empty());
        assert_eq!(matches("pane.se")[0].name, "pane.search");
        // Portuguese words find the same actions.
        assert_eq!(matches("aprovar mes")[0].name, "gas.approve_month");
    }
}
