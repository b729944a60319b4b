//! The stable codes of the view model as words with a glyph and a style: colour only ever adds
//! to a word or glyph, so a monochrome or ASCII terminal reads the same.

use ratatui::style::Style;
use ratatui::text::Span;

use super::text::WoText;
use crate::state::Shell;
use crate::theme::Theme;
use crate::widgets::lines::bold;

/// Closed orders read dim in lists.
pub fn closed(status: &str) -> bool {
    matches!(status, "done" | "cancelled")
}

pub fn status(shell: &Shell, g: &WoText, code: &str) -> Span<'static> {
    let t = shell.theme;
    let style = match code {
        "open" => bold(),
        "in_progress" => t.accent(),
        "on_hold" => t.warn(),
        "done" => t.ok(),
        _ => t.dim(),
    };
    Span::styled(g.status(code), style)
}

/// The priority's glyph: urgent and high stand out even without colour.
fn priority_glyph(t: Theme, code: &str) -> &'static str {
    match (code, t.ascii) {
        ("urgent", false) => "▲",
        ("urgent", true) => "!!",
        ("high", false) => "↑",
        ("high", true) => "^",
        _ => " ",
    }
}

pub fn priority(shell: &Shell, g: &WoText, code: &str) -> Span<'static> {
    let t = shell.theme;
    let style = match code {
        "urgent" => t.error(),
        "high" => t.warn(),
        "low" => t.dim(),
        _ => Style::new(),
    };
    Span::styled(
        format!("{} {}", priority_glyph(t, code), g.priority(code)),
        style,
    )
}

/// The due date, "! 20/11/2026" in the error style when overdue.
pub fn due(t: Theme, due: &str, overdue: bool, closed: bool) -> Span<'static> {
    if overdue {
        Span::styled(format!("! {due}"), t.error())
    } else if closed {
        Span::styled(due.to_owned(), t.dim())
    } else {
        Span::raw(due.to_owned())
    }
}

pub fn criticality(shell: &Shell, g: &WoText, code: &str) -> Span<'static> {
    let t = shell.theme;
    let style = match code {
        "critical" => t.error(),
        "high" => t.warn(),
        "low" => t.dim(),
        _ => Style::new(),
    };
    Span::styled(g.criticality(code), style)
}

/// "✗ PARADO": the asset is down now.
pub fn down(t: Theme, word: &str) -> Span<'static> {
    Span::styled(format!("{} {word}", t.bad_glyph()), t.error())
}

/// Checklist progress "3/8", blank without a checklist, in the ok style when complete.
pub fn checklist(t: Theme, (done, total): (usize, usize)) -> Span<'static> {
    if total == 0 {
        Span::raw("")
    } else if done >= total {
        Span::styled(format!("{done}/{total}"), t.ok())
    } else {
        Span::raw(format!("{done}/{total}"))
    }
}

/// An answer to a checklist item: "✓ conforme", "✗ não conforme", "n/a", the value with its
/// unit, or "pendente" (required) / "—" when unanswered.
pub fn answer(
    t: Theme,
    g: &WoText,
    result: Option<&str>,
    unit: Option<&str>,
    required: bool,
) -> Span<'static> {
    match result {
        Some("pass") => Span::styled(format!("{} {}", t.ok_glyph(), g.pass), t.ok()),
        Some("fail") => Span::styled(format!("{} {}", t.bad_glyph(), g.fail), t.error()),
        Some("na") => Span::styled(g.na, t.dim()),
        Some(v) => match unit {
            Some(u) if !u.is_empty() => Span::raw(format!("{v} {u}")),
            _ => Span::raw(v.to_owned()),
        },
        None if required => Span::styled(g.pending, t.warn()),
        None => Span::styled("—", t.dim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::panes::wo::text::PT_BR;

    #[test]
    fn words_carry_the_meaning_without_colour() {
        let mut shell = Shell::new(
            Locale::PtBr,
            Theme {
                color: false,
                ascii: true,
            },
        );
        assert_eq!(priority(&shell, &PT_BR, "urgent").content, "!! urgente");
        assert_eq!(due(shell.theme, "20/11", true, false).content, "! 20/11");
        assert_eq!(
            answer(shell.theme, &PT_BR, Some("fail"), None, true).content,
            "[X] não conforme"
        );
        assert_eq!(
            answer(shell.theme, &PT_BR, Some("7,5"), Some("°C"), true).content,
            "7,5 °C"
        );
        shell.theme = Theme::default();
        assert_eq!(priority(&shell, &PT_BR, "urgent").content, "▲ urgente");
        assert_eq!(checklist(shell.theme, (0, 0)).content, "");
    }
}
