//! The audit trail, newest first, with the result of the last chain verification.

pub mod text;

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::state::Shell;
use crate::state::audit::VerifyState;
use crate::widgets::filter_line;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let s = shell.locale.strings();
    let w = text::text(shell.locale);
    let t = shell.theme;
    let pane = &shell.audit;
    let [verify_area, list_area, detail_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(5),
    ])
    .areas(area);

    let verify = match &pane.verify {
        None => Line::from(Span::styled(w.audit_hint, t.dim())),
        Some(VerifyState::Running) => Line::from(Span::styled(w.verify_running, t.warn())),
        Some(VerifyState::Intact { entries, at }) => Line::from(vec![
            Span::styled(format!("{} {}", t.ok_glyph(), w.verify_ok), t.ok()),
            Span::raw(format!(
                " · {} {} · {at}",
                shell.locale.count(*entries),
                w.entries
            )),
        ]),
        Some(VerifyState::Broken { seq, reason, at }) => Line::from(vec![
            Span::styled(
                format!("{} {} {seq}", t.bad_glyph(), w.verify_broken),
                t.error(),
            ),
            Span::raw(format!(": {reason} · {at}")),
        ]),
        Some(VerifyState::Failed(e)) => Line::from(Span::styled(
            format!("{} {}: {e}", t.bad_glyph(), w.verify_failed),
            t.error(),
        )),
    };
    frame.render_widget(Paragraph::new(verify), verify_area);

    let visible = pane.visible();
    let block = Block::bordered().border_set(t.border()).title(Span::styled(
        format!(" {} ({}) ", w.audit_title, pane.total),
        t.accent(),
    ));
    let block = filter_line(block, shell, &pane.list.filter);
    if pane.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(w.audit_empty, t.dim())).block(block),
            list_area,
        );
    } else {
        let header = Row::new(w.audit_cols.iter().map(|c| Cell::from(*c))).style(t.accent());
        let rows: Vec<Row> = visible
            .iter()
            .map(|r| {
                Row::new(vec![
                    Cell::from(r.seq.to_string()),
                    Cell::from(r.at.clone()),
                    Cell::from(r.actor.clone()),
                    Cell::from(r.action.clone()),
                    Cell::from(r.entity.clone()),
                ])
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(6),
                Constraint::Length(19),
                Constraint::Length(12),
                Constraint::Length(18),
                Constraint::Fill(1),
            ],
        )
        .header(header)
        .block(block)
        .row_highlight_style(t.selected());
        let mut st = TableState::default().with_selected(
            (!visible.is_empty()).then(|| pane.list.selected.min(visible.len() - 1)),
        );
        frame.render_stateful_widget(table, list_area, &mut st);
    }

    let detail = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", s.detail), t.dim()));
    let lines = match visible.get(pane.list.selected) {
        Some(r) => vec![
            Line::from(r.detail.clone()),
            Line::from(vec![
                Span::styled("sha256 ", t.dim()),
                Span::raw(r.hash.clone()),
            ]),
            Line::from(vec![
                Span::styled("prev   ", t.dim()),
                Span::raw(r.prev.clone()),
            ]),
        ],
        None => vec![],
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(detail)
            .wrap(Wrap { trim: false }),
        detail_area,
    );
}
