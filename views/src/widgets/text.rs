//! Measuring and fitting text into cells: display width, cutting with an ellipsis, word wrap.

use ratatui::text::{Line, Span};

/// Display width in terminal cells (wide characters count two).
pub fn text_width(s: &str) -> usize {
    Span::raw(s).width()
}

pub fn max_width<'a>(items: impl Iterator<Item = &'a str>) -> usize {
    items.map(text_width).max().unwrap_or(0)
}

/// Rows `lines` take when wrapped at `width` cells (an empty line takes one).
pub fn wrapped_height(lines: &[Line], width: usize) -> usize {
    let width = width.max(1);
    lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum()
}

fn char_width(c: char) -> usize {
    let mut b = [0u8; 4];
    text_width(c.encode_utf8(&mut b))
}

/// `s` cut to `width` cells with a trailing "…" when it is longer.
pub fn ellipsize(s: &str, width: usize) -> String {
    if text_width(s) <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw + 1 > width {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// The end of `s` in at most `width` cells, with a leading "…" when cut: what is being typed
/// stays in view as a text outgrows its field.
pub fn tail(s: &str, width: usize) -> String {
    if text_width(s) <= width {
        return s.to_owned();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let cw = char_width(c);
        if used + cw + 1 > width {
            break;
        }
        used += cw;
        kept.push(c);
    }
    let mut out = String::from(if width > 0 { "…" } else { "" });
    out.extend(kept.into_iter().rev());
    out
}

/// Word-wraps `text` into lines of at most `width` cells (a longer word is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = if line.is_empty() {
            text_width(word)
        } else {
            text_width(&line) + 1 + text_width(word)
        };
        if needed > width && !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while text_width(&line) > width {
            let cut: String = {
                let mut used = 0;
                line.chars()
                    .take_while(|c| {
                        used += char_width(*c);
                        used <= width
                    })
                    .collect()
            };
            line = line[cut.len()..].to_owned();
            out.push(cut);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// Parts joined by " · " into as few lines of `width` cells as they fit in (a part wider than
/// the line gets a line of its own, which the paragraph then wraps).
pub fn join_fitting(
    parts: Vec<Vec<Span<'static>>>,
    width: usize,
    t: crate::theme::Theme,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    for part in parts {
        let part_w: usize = part.iter().map(Span::width).sum();
        let current_w: usize = current.iter().map(Span::width).sum();
        if !current.is_empty() && current_w + 3 + part_w > width {
            lines.push(Line::from(std::mem::take(&mut current)));
        }
        if !current.is_empty() {
            current.push(Span::styled(" · ", t.dim()));
        }
        current.extend(part);
    }
    if !current.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_words() {
        assert_eq!(wrap("um dois três", 7), vec!["um dois", "três"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }

    #[test]
    fn ellipsize_cuts_to_width() {
        assert_eq!(ellipsize("abcdef", 4), "abc…");
        assert_eq!(ellipsize("abc", 4), "abc");
    }

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 4), "…def");
        assert_eq!(tail("abc", 4), "abc");
        assert_eq!(tail("abc", 0), "");
    }
}
