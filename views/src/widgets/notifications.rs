//! `N`: the user's notifications, newest first, unread marked; the selected one's text and what
//! happened to its e-mail below the list.

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

use crate::i18n::Locale;
use crate::state::{Notifications, Shell};
use crate::widgets::centered;
use crate::widgets::form::styled_wrap;
use crate::widgets::list::selection;
use crate::widgets::text::{ellipsize, max_width, wrapped_height};

struct NotificationText {
    title: &'static str,
    unread: &'static str,
    empty: &'static str,
    hint: &'static str,
}

const PT_BR: NotificationText = NotificationText {
    title: "Notificações",
    unread: "não lidas",
    empty: "Nenhuma notificação",
    hint: "Enter marcar como lida · Esc fechar",
};

const EN: NotificationText = NotificationText {
    title: "Notifications",
    unread: "unread",
    empty: "No notifications",
    hint: "Enter mark as read · Esc close",
};

fn text(locale: Locale) -> &'static NotificationText {
    match locale {
        Locale::PtBr => &PT_BR,
        Locale::En => &EN,
    }
}

/// The unread marker: a dot, or "*" in ASCII mode; blank once read.
fn marker(shell: &Shell, read: bool) -> &'static str {
    match (read, shell.theme.ascii) {
        (true, _) => " ",
        (false, false) => "●",
        (false, true) => "*",
    }
}

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, n: &Notifications) {
    let w = text(shell.locale);
    let t = shell.theme;
    let popup = centered(area, 90, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let unread = n.rows.iter().filter(|r| !r.read).count();
    let title = if unread > 0 {
        format!(
            " {} ({} {}) ",
            w.title,
            shell.locale.count(unread as u64),
            w.unread
        )
    } else {
        format!(" {} ", w.title)
    };
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(title, t.accent()))
        .title_bottom(Line::from(Span::styled(format!(" {} ", w.hint), t.dim())).right_aligned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if !n.loaded || n.rows.is_empty() {
        let msg = if n.loaded {
            w.empty
        } else {
            shell.locale.strings().loading
        };
        frame.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }

    let selected = selection(n.list.selected, n.rows.len());
    let detail = selected.map_or_else(Vec::new, |i| {
        let row = &n.rows[i];
        let width = inner.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            if t.ascii { "-" } else { "─" }.repeat(width),
            t.dim(),
        ))];
        lines.extend(styled_wrap(&row.body, width, Style::new()));
        if !row.email.is_empty() {
            lines.extend(styled_wrap(&row.email, width, t.dim()));
        }
        lines
    });
    let detail_h = (wrapped_height(&detail, inner.width as usize) as u16).min(inner.height / 2);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]).areas(inner);
    let at_w = max_width(n.rows.iter().map(|r| r.at.as_str())) as u16;
    // marker, time, subject and the two gaps between them
    let subject_w = inner.width.saturating_sub(1 + at_w + 2) as usize;
    let rows: Vec<Row> = n
        .rows
        .iter()
        .map(|r| {
            let subject_style = if r.read {
                Style::new()
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            Row::new(vec![
                Cell::from(Span::styled(marker(shell, r.read), t.accent())),
                Cell::from(Span::styled(r.at.clone(), t.dim())),
                Cell::from(Span::styled(
                    ellipsize(&r.subject, subject_w),
                    subject_style,
                )),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Length(at_w),
        Constraint::Fill(1),
    ];
    let table = Table::new(rows, widths).row_highlight_style(t.selected());
    let mut st = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, list_area, &mut st);
    frame.render_widget(
        Paragraph::new(detail).wrap(Wrap { trim: false }),
        detail_area,
    );
}
