//! The modal form (field by field, inline errors, the discard question) and the one-line prompt,
//! drawn over a pane. Every pane's forms look the same because they are drawn here.

use crate::i18n::Texts;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::state::{Form, Prompt, Shell};
use crate::theme::Theme;
use crate::widgets::centered_rect;
use crate::widgets::text::{ellipsize, tail, text_width, wrap};

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell, form: &Form) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let hint = if t.ascii {
        s.form_hint_ascii
    } else {
        s.form_hint
    };
    let w = (area.width * 7 / 10)
        .max(60)
        .max(text_width(hint) as u16 + 6)
        .min(area.width.saturating_sub(2));
    let inner_w = w.saturating_sub(2) as usize;
    let label_w = form
        .fields
        .iter()
        .map(|f| text_width(&f.label) + 1)
        .max()
        .unwrap_or(0);
    let indent = label_w + 3;
    let (open, close) = t.choice();
    let mut lines: Vec<Line<'static>> = Vec::new();
    // the lines of the focused field, its error included
    let mut focus = 0..0;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focused;
        let start = lines.len();
        let label = format!("{:<label_w$} ", format!("{}:", f.label));
        let mut spans = vec![
            if focused {
                Span::styled(format!("{} ", t.pointer()), t.accent())
            } else {
                Span::raw("  ")
            },
            if focused {
                Span::styled(label, t.accent())
            } else {
                Span::raw(label)
            },
        ];
        // A value longer than its room shows its end while typed (the cursor stays in view),
        // its start with "…" otherwise.
        let room = inner_w.saturating_sub(indent);
        if f.choices.is_empty() {
            if focused {
                spans.push(Span::raw(tail(&f.value, room.saturating_sub(1))));
                spans.push(Span::styled(t.cursor(), t.accent()));
            } else {
                spans.push(Span::raw(ellipsize(&f.value, room)));
            }
        } else {
            let arrows = if focused { t.accent() } else { t.dim() };
            spans.push(Span::styled(format!("{open} "), arrows));
            spans.push(Span::raw(ellipsize(&f.value, room.saturating_sub(4))));
            spans.push(Span::styled(format!(" {close}"), arrows));
        }
        push_with_error(&mut lines, spans, f.error.as_deref(), inner_w, indent, t);
        if focused {
            focus = start..lines.len();
        }
    }
    let mut bottom = message_lines(form.message.as_deref(), inner_w, t);
    if form.confirm_discard {
        bottom.extend(styled_wrap(s.discard_question, inner_w, t.warn()));
    }
    if !bottom.is_empty() {
        bottom.insert(0, Line::from(""));
    }
    let h = (lines.len() as u16 + bottom.len() as u16 + 2).min(area.height);
    let popup = centered_rect(area, w, h);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(format!(" {} ", form.title), t.accent()))
        .title_bottom(Line::from(Span::styled(format!(" {hint} "), t.dim())).right_aligned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // the form-level message and the discard question always show; the fields scroll
    let bottom_h = (bottom.len() as u16).min(inner.height.saturating_sub(1));
    let [fields_area, bottom_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom_h)]).areas(inner);
    let skip = scroll_to(focus, fields_area.height as usize);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        fields_area,
    );
    frame.render_widget(Paragraph::new(bottom), bottom_area);
}

/// Pushes a field's line with its error: after the value when it fits in `width`, else under
/// it, wrapped, from column `indent` (the value's column).
pub fn push_with_error(
    lines: &mut Vec<Line<'static>>,
    mut spans: Vec<Span<'static>>,
    error: Option<&str>,
    width: usize,
    indent: usize,
    t: Theme,
) {
    let Some(e) = error else {
        lines.push(Line::from(spans));
        return;
    };
    let msg = format!("{} {e}", t.bad_glyph());
    let used = Line::from(spans.clone()).width();
    if used + 2 + text_width(&msg) <= width {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(msg, t.error()));
        lines.push(Line::from(spans));
    } else {
        lines.push(Line::from(spans));
        for part in wrap(&msg, width.saturating_sub(indent).max(10)) {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(part, t.error()),
            ]));
        }
    }
}

/// A form-level message (a conflict, a refusal) as error lines with the bad glyph.
pub fn message_lines(message: Option<&str>, width: usize, t: Theme) -> Vec<Line<'static>> {
    message.map_or_else(Vec::new, |m| {
        styled_wrap(&format!("{} {m}", t.bad_glyph()), width, t.error())
    })
}

/// `text` wrapped to `width`, every line in `style`.
pub fn styled_wrap(text: &str, width: usize, style: ratatui::style::Style) -> Vec<Line<'static>> {
    wrap(text, width)
        .into_iter()
        .map(|part| Line::from(Span::styled(part, style)))
        .collect()
}

/// Lines to skip so that the `focus` lines show in `rows` rows (their top first when they do
/// not all fit).
pub fn scroll_to(focus: Range<usize>, rows: usize) -> usize {
    focus.end.saturating_sub(rows).min(focus.start)
}

/// The one-line text prompt (e.g. a note), centred over `area`.
pub fn prompt(frame: &mut Frame, area: Rect, shell: &Shell, p: &Prompt) {
    let s = shell.locale.strings();
    let t = shell.theme;
    let w = (area.width * 6 / 10)
        .max(50)
        .min(area.width.saturating_sub(2));
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", t.pointer()), t.accent()),
        Span::raw(p.input.clone()),
        Span::styled(t.cursor(), t.accent()),
    ])];
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(
            format!("{} {e}", t.bad_glyph()),
            t.error(),
        )));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let popup = centered_rect(area, w, h);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(format!(" {} ", p.title), t.accent()))
        .title_bottom(
            Line::from(Span::styled(format!(" {} ", s.prompt_hint), t.dim())).right_aligned(),
        );
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
