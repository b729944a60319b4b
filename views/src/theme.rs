//! Colours and glyphs. Colour never carries meaning alone: every state also has a word or symbol.
//! With colour off (NO_COLOR, --no-color, config) only modifiers (bold, reverse) remain.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::{Marker, border};

use crate::state::health::Health;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    /// ASCII glyphs and borders for terminals without box-drawing fonts.
    pub ascii: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            ascii: false,
        }
    }
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    pub fn ok(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn highlight(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn status_bar(self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn border(self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::ROUNDED
        }
    }
    pub fn ok_glyph(self) -> &'static str {
        if self.ascii { "[ok]" } else { "✓" }
    }
    pub fn bad_glyph(self) -> &'static str {
        if self.ascii { "[X]" } else { "✗" }
    }
    pub fn sep(self) -> &'static str {
        if self.ascii { "|" } else { "│" }
    }
    pub fn cursor(self) -> &'static str {
        if self.ascii { "_" } else { "▏" }
    }
    /// Plain colour for charts and sparklines (no meaning, so no modifier needed).
    pub fn chart(self) -> Style {
        self.fg(Color::Cyan)
    }
    /// The glyph that goes with a health word.
    pub fn health_glyph(self, h: Health) -> &'static str {
        match (h, self.ascii) {
            (Health::Critical, false) => "✗",
            (Health::Critical, true) => "X",
            (Health::Warning, false) => "▲",
            (Health::Warning, true) => "!",
            (Health::Info, false) => "◆",
            (Health::Info, true) => "i",
            (Health::Stale, false) => "…",
            (Health::Stale, true) => "?",
            (Health::Ok, false) => "✓",
            (Health::Ok, true) => "+",
        }
    }
    pub fn health_style(self, h: Health) -> Style {
        match h {
            Health::Critical => self.error(),
            Health::Warning => self.warn(),
            Health::Info => self.fg(Color::Cyan),
            Health::Stale => self.dim(),
            Health::Ok => self.ok(),
        }
    }
    /// Sparkline levels, lowest first.
    pub fn spark_levels(self) -> &'static [char] {
        if self.ascii {
            &['_', '.', '-', '=', '#']
        } else {
            &['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
        }
    }
    /// Line chart marker: braille dots, or a plain character in ASCII mode.
    pub fn marker(self) -> Marker {
        if self.ascii {
            Marker::Custom('*')
        } else {
            Marker::Braille
        }
    }
    /// An enabled / disabled rule.
    pub fn on_glyph(self, on: bool) -> &'static str {
        match (on, self.ascii) {
            (true, false) => "●",
            (false, false) => "○",
            (true, true) => "[x]",
            (false, true) => "[ ]",
        }
    }
    /// The focused line of a form.
    pub fn pointer(self) -> &'static str {
        if self.ascii { ">" } else { "▸" }
    }
    /// Around the value of a choice field.
    pub fn choice(self) -> (&'static str, &'static str) {
        if self.ascii {
            ("<", ">")
        } else {
            ("‹", "›")
        }
    }
    pub fn arrow(self) -> &'static str {
        if self.ascii { "->" } else { "→" }
    }
}

pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};
