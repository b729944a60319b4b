//! Global search: a query line, the typed hits, and the selected hit's snippet with the matched
//! words highlighted.

pub mod text;

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::state::Shell;
use crate::state::search::HitRow;
use crate::widgets::filter_line;
use crate::widgets::text::text_width;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let w = text::text(shell.locale);
    let t = shell.theme;
    let pane = &shell.search;
    let [query_area, list_area, detail_area] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(5),
        Constraint::Length(5),
    ])
    .areas(area);

    let mut q = vec![Span::raw(pane.query.clone())];
    if pane.editing {
        q.push(Span::styled(t.cursor(), t.accent()));
    }
    let query_block = Block::bordered()
        .border_set(t.border())
        .border_style(if pane.editing { t.accent() } else { t.dim() })
        .title(Span::styled(format!(" {} ", w.search_prompt), t.accent()))
        .title_bottom(
            Line::from(Span::styled(
                format!(
                    " {} ",
                    if pane.editing {
                        w.search_hint
                    } else {
                        w.search_hint_idle
                    }
                ),
                t.dim(),
            ))
            .right_aligned(),
        );
    frame.render_widget(Paragraph::new(Line::from(q)).block(query_block), query_area);

    let visible = pane.visible();
    let title = match &pane.searched {
        Some(query) if pane.hits.is_empty() => format!(" {} «{query}» ", w.search_none),
        Some(query) => format!(
            " {} {} «{query}» ",
            shell.locale.count(visible.len() as u64),
            w.search_count
        ),
        None => format!(
            " {} {} ",
            shell.locale.count(pane.indexed_docs),
            w.search_indexed
        ),
    };
    let block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(title, t.accent()));
    let block = filter_line(block, shell, &pane.list.filter);
    if pane.searched.is_none() {
        frame.render_widget(
            Paragraph::new(Span::styled(w.search_empty, t.dim()))
                .block(block)
                .wrap(Wrap { trim: true }),
            list_area,
        );
    } else {
        render_hits(frame, list_area, shell, &visible, block);
    }

    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", s.detail), t.dim()));
    let body = match visible.get(pane.list.selected) {
        Some(hit) => highlighted(hit, shell),
        None => Line::from(""),
    };
    frame.render_widget(
        Paragraph::new(body).block(detail).wrap(Wrap { trim: true }),
        detail_area,
    );
}

fn render_hits(frame: &mut Frame, area: Rect, shell: &Shell, visible: &[&HitRow], block: Block) {
    let t = shell.theme;
    let w = text::text(shell.locale);
    let names: Vec<String> = visible
        .iter()
        .map(|h| w.record(shell.locale, &h.kind, &h.key))
        .collect();
    // As wide as the longest name, within a third of the row.
    let name_w = names
        .iter()
        .map(|n| text_width(n))
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 3) as u16;
    let rows: Vec<Row> = visible
        .iter()
        .zip(names)
        .map(|(h, name)| {
            Row::new(vec![
                Cell::from(Span::styled(name, t.accent())),
                Cell::from(h.title.clone()),
            ])
        })
        .collect();
    let table = Table::new(rows, [Constraint::Length(name_w), Constraint::Fill(1)])
        .block(block)
        .row_highlight_style(t.selected());
    let selected = shell
        .search
        .list
        .selected
        .min(visible.len().saturating_sub(1));
    let mut st = TableState::default().with_selected((!visible.is_empty()).then_some(selected));
    frame.render_stateful_widget(table, area, &mut st);
}

/// The snippet with its matched byte ranges styled (bold + underline, so it shows without colour).
fn highlighted<'a>(hit: &'a HitRow, shell: &Shell) -> Line<'a> {
    let mut spans = Vec::new();
    let mut at = 0;
    for r in &hit.highlights {
        if r.start < at
            || r.end > hit.snippet.len()
            || !hit.snippet.is_char_boundary(r.start)
            || !hit.snippet.is_char_boundary(r.end)
        {
            continue;
        }
        spans.push(Span::raw(&hit.snippet[at..r.start]));
        spans.push(Span::styled(
            &hit.snippet[r.start..r.end],
            shell.theme.highlight(),
        ));
        at = r.end;
    }
    spans.push(Span::raw(&hit.snippet[at..]));
    Line::from(spans)
}
