//! The day's entry of one unit: its fields (toggles, hours, observations, a manual QDS), each
//! with the rate in force and what it adds to the QDS, and beside them the live QDS and the day
//! (QDP, QDR, band, who entered).

use crate::i18n::Texts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::format::{NONE, band_span, label_value, long_date, m3, with_unit};
use super::text::{GasText, text};
use crate::state::Shell;
use crate::state::gas::{EntryField, EntryForm, EntryValue, QdsPreview};
use crate::theme::Theme;
use crate::widgets::form::{push_with_error, scroll_to, styled_wrap};
use crate::widgets::list::with_hint;
use crate::widgets::text::{ellipsize, max_width, tail, text_width};

/// The QDS and day boxes never get narrower than this, nor wider than the second.
const SIDE_MIN: u16 = 28;
const SIDE_MAX: u16 = 40;
/// Labels longer than this are cut when the line is short of room.
const LABEL_MIN: usize = 8;

pub fn render(frame: &mut Frame, area: Rect, shell: &Shell) {
    let g = text(shell.locale);
    let Some(e) = &shell.gas.entry else {
        super::placeholder(
            frame,
            area,
            shell,
            g.entry_hint,
            shell.locale.strings().loading,
        );
        return;
    };
    let [title_area, main] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(Paragraph::new(title_line(shell, e, area.width)), title_area);
    let side_w = (main.width / 3).clamp(SIDE_MIN, SIDE_MAX);
    let [fields_area, side] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_w)]).areas(main);
    fields(frame, fields_area, shell, e);
    let qds = qds_lines(shell, e, side_w.saturating_sub(2) as usize);
    let [qds_area, day_area] = Layout::vertical([
        Constraint::Length(qds.len() as u16 + 2),
        Constraint::Fill(1),
    ])
    .areas(side);
    let t = shell.theme;
    let qds_block = Block::bordered()
        .border_set(t.border())
        .border_style(t.accent())
        .title(Span::styled(" QDS ", t.accent()));
    frame.render_widget(Paragraph::new(qds).block(qds_block), qds_area);
    let day_block = Block::bordered()
        .border_set(t.border())
        .title(Span::styled(format!(" {} ", g.day), t.accent()));
    frame.render_widget(
        Paragraph::new(day_lines(shell, e, side_w.saturating_sub(2) as usize))
            .block(day_block)
            .wrap(Wrap { trim: false }),
        day_area,
    );
}

/// " CRI Criciúma · segunda-feira, 23/11/2026 (hoje)" and, on the right, whether the form is
/// being edited, differs from what is stored, or is being saved.
fn title_line(shell: &Shell, e: &EntryForm, width: u16) -> Line<'static> {
    let g = text(shell.locale);
    let t = shell.theme;
    let mut left = vec![
        Span::styled(format!(" {}", e.unit.code), t.accent()),
        Span::styled(
            format!(" {}", e.unit.name),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(" · ", t.dim()),
        Span::raw(long_date(shell.locale, g, e.date)),
    ];
    if e.today {
        left.push(Span::styled(format!(" ({})", g.today), t.accent()));
    }
    let mut state: Vec<&str> = Vec::new();
    if e.saving {
        state.push(g.saving);
    } else {
        if e.editing {
            state.push(g.editing);
        }
        if e.dirty {
            state.push(g.unsaved);
        }
    }
    let right = if state.is_empty() {
        String::new()
    } else {
        format!("{} ", state.join(" · "))
    };
    let width = width as usize;
    let lw = Line::from(left.clone()).width();
    if !right.is_empty() && lw + 2 + text_width(&right) <= width {
        left.push(Span::raw(" ".repeat(width - lw - text_width(&right))));
        left.push(Span::styled(right, t.warn()));
    }
    Line::from(left)
}

/// What a toggle shows: yes/no for "…scheduled" fields, on/off (with the theme's glyph) for the
/// lines and dryers.
fn toggle_text(t: Theme, g: &GasText, key: &str, on: bool) -> (String, Style) {
    if key.ends_with("scheduled") {
        let word = if on { g.yes } else { g.no };
        let mark = if on { "[x]" } else { "[ ]" };
        (format!("{mark} {word}"), Style::new())
    } else {
        let word = if on { g.on } else { g.off };
        (
            format!("{} {word}", t.on_glyph(on)),
            if on { t.ok() } else { t.dim() },
        )
    }
}

/// The column widths of the field lines for `inner` cells: (label, value, rate, contribution).
/// The value column is as wide as a toggle or a typed figure, so rate and contribution sit close
/// to it; the rate goes first when the line is short, then the labels shrink.
fn widths(shell: &Shell, e: &EntryForm, inner: usize) -> (usize, usize, usize, usize) {
    let g = text(shell.locale);
    let t = shell.theme;
    let label_w = max_width(e.fields.iter().map(|f| f.label.as_str())) + 1;
    let value_w = e
        .fields
        .iter()
        .filter_map(|f| match &f.value {
            EntryValue::Toggle(_) => Some(
                text_width(&toggle_text(t, g, &f.key, true).0)
                    .max(text_width(&toggle_text(t, g, &f.key, false).0)),
            ),
            EntryValue::Text(s) if has_right(f) => Some(text_width(s) + 1),
            EntryValue::Text(_) => None,
        })
        .max()
        .unwrap_or(0)
        .max(8);
    let rate_w = max_width(e.fields.iter().map(|f| f.rate.as_str()));
    let contrib_w = e
        .fields
        .iter()
        .filter_map(|f| {
            f.contributes
                .map(|c| text_width(&with_unit(shell.locale, c)))
        })
        .max()
        .unwrap_or(0);
    let right = |rate_w: usize| {
        (if rate_w > 0 { rate_w + 2 } else { 0 }) + if contrib_w > 0 { contrib_w + 2 } else { 0 }
    };
    let rate_w = if 2 + label_w + 1 + value_w + right(rate_w) <= inner {
        rate_w
    } else {
        0
    };
    let label_w = label_w
        .min(inner.saturating_sub(2 + 1 + value_w + right(rate_w)))
        .max(LABEL_MIN);
    (label_w, value_w, rate_w, contrib_w)
}

/// A field with a rate or a contribution (hours, lines): its value keeps to its column.
fn has_right(f: &EntryField) -> bool {
    f.contributes.is_some() || !f.rate.is_empty()
}

fn fields(frame: &mut Frame, area: Rect, shell: &Shell, e: &EntryForm) {
    let g = text(shell.locale);
    let t = shell.theme;
    let inner_w = area.width.saturating_sub(2) as usize;
    let (label_w, value_w, rate_w, contrib_w) = widths(shell, e, inner_w);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut focus = 0..0;
    for (i, f) in e.fields.iter().enumerate() {
        let focused = e.editing && i == e.focused;
        let start = lines.len();
        field_line(
            &mut lines,
            shell,
            f,
            focused,
            (label_w, value_w, rate_w, contrib_w),
            inner_w,
        );
        if focused {
            focus = start..lines.len();
        }
    }

    let mut bottom: Vec<Line<'static>> = Vec::new();
    if let Some(m) = &e.message {
        bottom.extend(styled_wrap(
            &format!("{} {m}", t.bad_glyph()),
            inner_w,
            t.error(),
        ));
    }
    if let Some(why) = &e.read_only {
        bottom.extend(styled_wrap(&format!("! {why}"), inner_w, t.warn()));
    }
    if e.confirm_discard {
        bottom.extend(styled_wrap(g.discard, inner_w, t.warn()));
    }
    let hint = if e.editing {
        if t.ascii {
            g.entry_hint_editing_ascii
        } else {
            g.entry_hint_editing
        }
    } else if e.read_only.is_some() || !shell.gas.rights.enter {
        g.entry_hint_read_only
    } else {
        g.entry_hint
    };
    let block = Block::bordered()
        .border_set(t.border())
        .border_style(if e.editing { t.accent() } else { Style::new() })
        .title(Span::styled(format!(" {} ", g.fields), t.accent()));
    let block = with_hint(block, shell, area, "", hint);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !bottom.is_empty() {
        bottom.insert(0, Line::from(""));
    }
    if lines.len() + bottom.len() <= inner.height as usize {
        // all fits: the messages right under the fields
        lines.extend(bottom);
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    // else the messages keep the bottom; the fields scroll to keep the focused one in view
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

/// One field: pointer, label, value, then the rate (dim) and the contribution right-aligned, and
/// its error after them (or under the value when the line is short).
fn field_line(
    lines: &mut Vec<Line<'static>>,
    shell: &Shell,
    f: &EntryField,
    focused: bool,
    (label_w, value_w, rate_w, contrib_w): (usize, usize, usize, usize),
    inner_w: usize,
) {
    let g = text(shell.locale);
    let t = shell.theme;
    let label = ellipsize(&format!("{}:", f.label), label_w);
    let mut spans = vec![
        if focused {
            Span::styled(format!("{} ", t.pointer()), t.accent())
        } else {
            Span::raw("  ")
        },
        Span::styled(
            format!("{label:<label_w$} "),
            if focused { t.accent() } else { Style::new() },
        ),
    ];
    let has_right = has_right(f);
    // a text without rate or contribution (observations, the manual QDS) may use the whole line
    let room = if has_right {
        value_w
    } else {
        inner_w.saturating_sub(2 + label_w + 1)
    };
    match &f.value {
        EntryValue::Toggle(on) => {
            let (text, style) = toggle_text(t, g, &f.key, *on);
            let style = if focused {
                style.patch(t.accent())
            } else {
                style
            };
            spans.push(Span::styled(format!("{text:<value_w$}"), style));
        }
        EntryValue::Text(s) if focused => {
            let shown = tail(s, room.saturating_sub(1));
            let pad = room.saturating_sub(text_width(&shown) + 1);
            spans.push(Span::raw(shown));
            spans.push(Span::styled(t.cursor(), t.accent()));
            spans.push(Span::raw(" ".repeat(pad)));
        }
        EntryValue::Text(s) => {
            let shown = ellipsize(s, room);
            let pad = room.saturating_sub(text_width(&shown));
            spans.push(Span::raw(shown));
            spans.push(Span::raw(" ".repeat(pad)));
        }
    }
    if has_right {
        if rate_w > 0 {
            spans.push(Span::styled(format!("  {:>rate_w$}", f.rate), t.dim()));
        }
        // a line that is off adds nothing: left blank rather than a column of zeros
        let off = matches!(f.value, EntryValue::Toggle(false));
        if contrib_w > 0 {
            let c = f
                .contributes
                .filter(|c| !(off && c.is_zero()))
                .map(|c| with_unit(shell.locale, c))
                .unwrap_or_default();
            spans.push(Span::raw(format!("  {c:>contrib_w$}")));
        }
    }
    // the error follows what the line shows when it fits, else goes under the value
    while spans.last().is_some_and(|s| s.content.trim().is_empty()) {
        spans.pop();
    }
    push_with_error(
        lines,
        spans,
        f.error.as_deref(),
        inner_w,
        2 + label_w + 1,
        t,
    );
}

/// Atomizers + lines = QDS, or the manual QDS with the calculated one, or why there is none.
fn qds_lines(shell: &Shell, e: &EntryForm, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let l = shell.locale;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    match &e.qds {
        QdsPreview::Calculated {
            atomizers,
            lines,
            calculated,
            effective,
            manual,
        } => {
            let mut out = vec![
                label_value(
                    Span::raw(g.atomizers),
                    Span::raw(with_unit(l, *atomizers)),
                    width,
                ),
                label_value(Span::raw(g.lines), Span::raw(with_unit(l, *lines)), width),
                Line::from(Span::styled(
                    if t.ascii { "-" } else { "─" }.repeat(width),
                    t.dim(),
                )),
            ];
            if *manual {
                out.push(label_value(
                    Span::styled(g.qds_manual, t.warn()),
                    Span::styled(with_unit(l, *effective), t.warn()),
                    width,
                ));
                let note = format!("({} {})", g.manual_calculated, m3(l, *calculated));
                out.extend(styled_wrap(&note, width, t.dim()));
            } else {
                out.push(label_value(
                    Span::styled("QDS", t.accent()),
                    Span::styled(with_unit(l, *effective), t.accent().patch(bold)),
                    width,
                ));
            }
            out
        }
        QdsPreview::Invalid(why) => {
            let mut out = vec![label_value(
                Span::styled("QDS", t.accent()),
                Span::styled(NONE, t.dim()),
                width,
            )];
            out.extend(styled_wrap(&format!("! {why}"), width, t.warn()));
            out
        }
    }
}

/// The day's plan, real consumption and band, and who entered it.
fn day_lines(shell: &Shell, e: &EntryForm, width: usize) -> Vec<Line<'static>> {
    let g = text(shell.locale);
    let t = shell.theme;
    let l = shell.locale;
    let figure = |v: Option<rust_decimal::Decimal>| match v {
        Some(v) => Span::raw(with_unit(l, v)),
        None => Span::styled(NONE, t.dim()),
    };
    let mut out = vec![
        label_value(Span::styled("QDP", t.dim()), figure(e.qdp), width),
        label_value(Span::styled("QDR", t.dim()), figure(e.qdr), width),
        label_value(
            Span::styled(g.band, t.dim()),
            match e.band {
                Some(b) => band_span(t, g, b),
                None => Span::styled(NONE, t.dim()),
            },
            width,
        ),
        Line::from(""),
    ];
    // label above value: the who-and-when texts are long for this box
    match &e.entered {
        Some(who) => {
            out.push(Line::from(Span::styled(g.entered, t.dim())));
            out.push(Line::from(who.clone()));
        }
        None => out.push(Line::from(Span::styled(g.new_day, t.dim()))),
    }
    if let Some(who) = &e.manual_by {
        out.push(Line::from(Span::styled(g.manual_by, t.warn())));
        out.push(Line::from(who.clone()));
    }
    out
}
