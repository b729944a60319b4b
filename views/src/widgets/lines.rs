//! Building blocks of the pane's pages and hints: label/value fields, text with a hanging
//! indent, parts joined to fit a width, section headings. Pages wrap their text here (not with
//! `Paragraph::wrap`) so a page knows which line each item is on and can scroll to it.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::theme::Theme;
use crate::widgets::text::{text_width, wrap};

/// A key and what it does, for hints: ("enter", "abre").
pub type Key<'a> = (&'a str, &'a str);

/// "enter abre · n nova · …" with the keys that fit in `width`, in order (the first that does
/// not fit ends it: the keys come most important first).
pub fn hint_text(keys: &[Key], width: usize) -> String {
    let mut out = String::new();
    for (k, w) in keys {
        let part = format!("{k} {w}");
        let sep = if out.is_empty() { 0 } else { 3 };
        if text_width(&out) + sep + text_width(&part) > width {
            break;
        }
        if sep > 0 {
            out.push_str(" · ");
        }
        out.push_str(&part);
    }
    out
}

/// The keys as lines (key in the accent style, word dim), on at most `max_lines` lines of
/// `width` cells; keys that do not fit are left for the help (`?`).
pub fn hint_lines(keys: &[Key], width: usize, max_lines: usize, t: Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, w) in keys {
        let part_w = text_width(k) + 1 + text_width(w);
        let sep = if used > 1 { 3 } else { 0 };
        if used + sep + part_w > width {
            if lines.len() + 1 >= max_lines {
                break;
            }
            lines.push(Line::from(std::mem::replace(
                &mut current,
                vec![Span::raw(" ")],
            )));
            used = 1;
        } else if sep > 0 {
            current.push(Span::styled(" · ", t.dim()));
            used += 3;
        }
        current.push(Span::styled((*k).to_owned(), t.accent()));
        current.push(Span::styled(format!(" {w}"), t.dim()));
        used += part_w;
    }
    if used > 1 {
        lines.push(Line::from(current));
    }
    lines
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// "Ativo        CAG-CH-02 · Chiller 02": the label dim in `label_w` cells, the value wrapped
/// under itself.
pub fn field(
    label: &str,
    label_w: usize,
    value: &str,
    style: Style,
    width: usize,
    t: Theme,
) -> Vec<Line<'static>> {
    hanging(
        vec![Span::styled(label.to_owned(), t.dim())],
        value,
        style,
        width,
        label_w + 1,
    )
}

/// `prefix` then `text` wrapped, its following lines indented by `indent` cells (the prefix is
/// padded to it; a wider prefix gets a line of its own).
pub fn hanging(
    prefix: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    let prefix_w: usize = prefix.iter().map(Span::width).sum();
    let mut lines = Vec::new();
    let mut first = prefix;
    if prefix_w > indent {
        lines.push(Line::from(first));
        first = Vec::new();
    } else {
        first.push(Span::raw(" ".repeat(indent - prefix_w)));
    }
    let room = width.saturating_sub(indent).max(8);
    for (i, part) in wrap(text, room).into_iter().enumerate() {
        let mut spans = if i == 0 {
            std::mem::take(&mut first)
        } else {
            Vec::new()
        };
        if spans.is_empty() {
            spans.push(Span::raw(" ".repeat(indent)));
        }
        spans.push(Span::styled(part, style));
        lines.push(Line::from(spans));
    }
    lines
}

/// A section's heading (bold, accent) with `right` (e.g. a subtotal) at the right end.
pub fn heading(title: &str, right: Option<Span<'static>>, width: usize, t: Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(title.to_owned(), t.accent())];
    if let Some(r) = right {
        let gap = width.saturating_sub(text_width(title) + r.width()).max(1);
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(r);
    }
    Line::from(spans)
}

/// `left` and `right` at the two ends of `width` cells (right dropped when they do not fit).
pub fn ends(left: Vec<Span<'static>>, right: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let lw: usize = left.iter().map(Span::width).sum();
    let rw: usize = right.iter().map(Span::width).sum();
    let mut spans = left;
    if lw + 2 + rw <= width {
        spans.push(Span::raw(" ".repeat(width - lw - rw)));
        spans.extend(right);
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_keep_the_first_keys_that_fit() {
        let keys = [("enter", "abre"), ("n", "nova"), ("e", "editar")];
        assert_eq!(hint_text(&keys, 100), "enter abre · n nova · e editar");
        assert_eq!(hint_text(&keys, 20), "enter abre · n nova");
        let t = Theme::default();
        assert_eq!(hint_lines(&keys, 22, 2, t).len(), 2);
        assert_eq!(hint_lines(&keys, 22, 1, t).len(), 1);
    }

    #[test]
    fn hanging_text_wraps_under_its_value() {
        let t = Theme::default();
        let l = field("Ativo", 6, "um dois três quatro", Style::new(), 16, t);
        let text: Vec<String> = l.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["Ativo  um dois", "       três", "       quatro"]);
    }
}
