//! keymap.toml, in the style of yazi's: one section per pane plus [global] and [list], entries
//! `{ on = ["g","g"], run = "list.top", desc = "Go to top" }`. A user's file overrides the
//! defaults key by key; `run = "none"` unbinds. Problems are reported with file and line and the
//! rest still loads.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::action::Action;

pub const SECTIONS: &[&str] = &[
    "global",
    "list",
    "search",
    "audit",
    "work_orders",
    "telemetry",
    "ledger",
    "gas",
    "fuel",
    "sales",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Key {
        Key {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// "a", "?", "<C-f>", "<Enter>", "<PageDown>", "<F1>", "<Space>" ...
    pub fn parse(s: &str) -> Result<Key, String> {
        let bad = || format!("unknown key '{s}'");
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key {
                code: KeyCode::Char(c),
                ctrl: false,
                alt: false,
            });
        }
        let inner = s
            .strip_prefix('<')
            .and_then(|r| r.strip_suffix('>'))
            .ok_or_else(bad)?;
        let (mut ctrl, mut alt, mut name) = (false, false, inner);
        loop {
            if let Some(rest) = name.strip_prefix("C-") {
                ctrl = true;
                name = rest;
            } else if let Some(rest) = name.strip_prefix("A-") {
                alt = true;
                name = rest;
            } else {
                break;
            }
        }
        let code = match name {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            "BackTab" => KeyCode::BackTab,
            "Backspace" => KeyCode::Backspace,
            "Delete" => KeyCode::Delete,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "Space" => KeyCode::Char(' '),
            f if f.starts_with('F') && f.len() > 1 => {
                KeyCode::F(f[1..].parse().map_err(|_| bad())?)
            }
            one if one.chars().count() == 1 => KeyCode::Char(one.chars().next().ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) if !self.ctrl && !self.alt => return write!(f, "{c}"),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "BackTab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::PageUp => "PageUp".into(),
            KeyCode::PageDown => "PageDown".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let c = if self.ctrl { "C-" } else { "" };
        let a = if self.alt { "A-" } else { "" };
        write!(f, "<{c}{a}{name}>")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub on: Vec<Key>,
    pub action: Action,
    pub desc: String,
    /// From the user's file, not the built-in defaults.
    pub user: bool,
}

/// A problem in a keymap file, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

#[derive(Deserialize)]
struct RawSection {
    #[serde(default)]
    keymap: Vec<toml::Spanned<RawBinding>>,
}

#[derive(Deserialize)]
struct RawBinding {
    on: Vec<String>,
    run: String,
    #[serde(default)]
    desc: Option<String>,
}

/// The bindings in effect, by section, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    sections: BTreeMap<String, Vec<Binding>>,
}

pub enum Resolved {
    Action(Action),
    /// A prefix of a longer binding: wait for the next key.
    Pending,
    None,
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

impl Keymap {
    /// The defaults, then the user's file on top. Never fails: problems are returned and the
    /// bindings that could be read stay in effect.
    pub fn load(defaults: (&str, &str), user: Option<(&str, &str)>) -> (Keymap, Vec<Problem>) {
        let mut km = Keymap::default();
        let mut problems = Vec::new();
        km.merge(defaults.0, defaults.1, false, &mut problems);
        if let Some((file, src)) = user {
            km.merge(file, src, true, &mut problems);
        }
        (km, problems)
    }

    fn merge(&mut self, file: &str, src: &str, user: bool, problems: &mut Vec<Problem>) {
        let raw: BTreeMap<String, toml::Spanned<RawSection>> = match toml::from_str(src) {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    file: file.into(),
                    line: e.span().map(|s| line_of(src, s.start)).unwrap_or(1),
                    message: format!("{} (file ignored)", e.message()),
                });
                return;
            }
        };
        for (section, body) in raw {
            let section_line = line_of(src, body.span().start);
            if !SECTIONS.contains(&section.as_str()) {
                problems.push(Problem {
                    file: file.into(),
                    line: section_line,
                    message: format!(
                        "unknown section [{section}] (known: {})",
                        SECTIONS.join(", ")
                    ),
                });
                continue;
            }
            self.sections.entry(section.clone()).or_default();
            for entry in body.into_inner().keymap {
                let line = line_of(src, entry.span().start);
                let raw = entry.into_inner();
                let keys: Result<Vec<Key>, String> = raw.on.iter().map(|k| Key::parse(k)).collect();
                let on = match keys {
                    Ok(k) if !k.is_empty() => k,
                    Ok(_) => {
                        problems.push(Problem {
                            file: file.into(),
                            line,
                            message: "empty 'on'".into(),
                        });
                        continue;
                    }
                    Err(m) => {
                        problems.push(Problem {
                            file: file.into(),
                            line,
                            message: m,
                        });
                        continue;
                    }
                };
                if let Some(list) = self.sections.get_mut(&section) {
                    list.retain(|b| b.on != on);
                }
                if user && section == "global" {
                    // A key the user binds globally means that everywhere: a pane's built-in
                    // use of the same key gives way (their own pane bindings stay).
                    for other in self.sections.values_mut() {
                        other.retain(|b| b.user || b.on != on);
                    }
                }
                if raw.run == "none" {
                    continue;
                }
                let Some(action) = Action::from_name(&raw.run) else {
                    problems.push(Problem {
                        file: file.into(),
                        line,
                        message: format!(
                            "unknown action '{}' in [{section}] (see the command palette for the list)",
                            raw.run
                        ),
                    });
                    continue;
                };
                let desc = raw.desc.unwrap_or_else(|| action.description().to_owned());
                let list = self.sections.entry(section.clone()).or_default();
                list.push(Binding {
                    on,
                    action,
                    desc,
                    user,
                });
            }
        }
    }

    /// Looks `keys` up in `sections`, first match wins.
    pub fn resolve(&self, sections: &[&str], keys: &[Key]) -> Resolved {
        let mut prefix = false;
        for s in sections {
            for b in self.sections.get(*s).into_iter().flatten() {
                if b.on == keys {
                    return Resolved::Action(b.action);
                }
                if b.on.len() > keys.len() && b.on.starts_with(keys) {
                    prefix = true;
                }
            }
        }
        if prefix {
            Resolved::Pending
        } else {
            Resolved::None
        }
    }

    pub fn section(&self, name: &str) -> &[Binding] {
        self.sections.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Keys bound to `action` in `sections`, e.g. "g g, <Home>", for help and the palette.
    pub fn keys_for(&self, sections: &[&str], action: Action) -> String {
        let mut out = Vec::new();
        for s in sections {
            for b in self.section(s) {
                if b.action == action {
                    out.push(
                        b.on.iter()
                            .map(Key::to_string)
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
        }
        out.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: &str = r#"
[global]
keymap = [
  { on = ["?"], run = "help", desc = "Show help" },
  { on = ["<C-f>"], run = "search", desc = "Search" },
  { on = ["q"], run = "quit" },
]
[list]
keymap = [
  { on = ["g", "g"], run = "list.top", desc = "Go to top" },
  { on = ["G"], run = "list.bottom" },
]
"#;

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn parses_keys_and_prints_them_back() {
        for s in [
            "a",
            "?",
            "<C-f>",
            "<Enter>",
            "<PageDown>",
            "<F5>",
            "<A-x>",
            "<Space>",
        ] {
            assert_eq!(key(s).to_string(), s);
        }
        assert!(Key::parse("<Nope>").is_err());
    }

    #[test]
    fn chords_resolve_and_prefixes_wait() {
        let (km, problems) = Keymap::load(("default", DEFAULTS), None);
        assert!(problems.is_empty(), "{problems:?}");
        let ctx = ["list", "global"];
        assert!(matches!(km.resolve(&ctx, &[key("g")]), Resolved::Pending));
        assert!(matches!(
            km.resolve(&ctx, &[key("g"), key("g")]),
            Resolved::Action(Action::Top)
        ));
        assert!(matches!(
            km.resolve(&ctx, &[key("<C-f>")]),
            Resolved::Action(Action::Search)
        ));
        assert!(matches!(km.resolve(&ctx, &[key("x")]), Resolved::None));
    }

    #[test]
    fn user_file_overrides_per_key_and_reports_bad_lines() {
        let user = "[global]\nkeymap = [\n  { on = [\"q\"], run = \"help\" },\n  { on = [\"z\"], run = \"fly.away\" },\n  { on = [\"?\"], run = \"none\" },\n]\n[nonsense]\nkeymap = []\n";
        let (km, problems) = Keymap::load(("default", DEFAULTS), Some(("user.toml", user)));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].file, "user.toml");
        assert_eq!(problems[0].line, 4);
        assert!(problems[0].message.contains("fly.away"));
        assert!(problems[1].message.contains("[nonsense]"));
        let g = ["global"];
        assert!(matches!(
            km.resolve(&g, &[key("q")]),
            Resolved::Action(Action::Help)
        ));
        assert!(
            matches!(km.resolve(&g, &[key("?")]), Resolved::None),
            "unbound"
        );
        assert!(matches!(
            km.resolve(&g, &[key("<C-f>")]),
            Resolved::Action(Action::Search)
        ));
    }

    #[test]
    fn a_key_the_user_binds_globally_wins_over_a_panes_default() {
        let user = "[global]\nkeymap = [{ on = [\"Q\"], run = \"quit\" }]\n";
        let shipped = include_str!("../../keymap.toml");
        let (km, problems) = Keymap::load(("keymap.toml", shipped), Some(("user.toml", user)));
        assert!(problems.is_empty(), "{problems:?}");
        let wo = ["work_orders", "list", "global"];
        assert!(matches!(
            km.resolve(&wo, &[key("Q")]),
            Resolved::Action(Action::Quit)
        ));
        // The pane's other defaults stay.
        assert!(matches!(
            km.resolve(&wo, &[key("a")]),
            Resolved::Action(Action::Wo(crate::action::WoAct::Assets))
        ));
    }

    #[test]
    fn a_broken_user_file_keeps_the_defaults() {
        let (km, problems) = Keymap::load(
            ("default", DEFAULTS),
            Some(("user.toml", "[global\nkeymap = 3")),
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 1);
        assert!(matches!(
            km.resolve(&["global"], &[key("?")]),
            Resolved::Action(Action::Help)
        ));
    }

    #[test]
    fn the_shipped_keymap_is_valid() {
        let src = include_str!("../../keymap.toml");
        let (km, problems) = Keymap::load(("keymap.toml", src), None);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!km.section("global").is_empty());
        assert!(matches!(
            km.resolve(&["telemetry", "list", "global"], &[key("<Space>")]),
            Resolved::Action(Action::Telemetry(crate::action::TmAct::ToggleRule))
        ));
    }

    /// A pane section is looked up before [list] and [global], so a pane key equal to (or a
    /// prefix of, or prefixed by) one of theirs would hide it.
    #[test]
    fn shipped_pane_bindings_do_not_shadow_list_or_global_ones() {
        let src = include_str!("../../keymap.toml");
        let (km, _) = Keymap::load(("keymap.toml", src), None);
        let shared: Vec<&Binding> = ["list", "global"]
            .iter()
            .flat_map(|s| km.section(s))
            .collect();
        for section in SECTIONS.iter().filter(|s| !["list", "global"].contains(*s)) {
            for b in km.section(section) {
                for g in &shared {
                    let n = b.on.len().min(g.on.len());
                    assert!(
                        b.on[..n] != g.on[..n],
                        "[{section}] {:?} clashes with {:?} ({})",
                        b.action,
                        g.action,
                        g.on.iter()
                            .map(Key::to_string)
                            .collect::<Vec<_>>()
                            .join(" ")
                    );
                }
            }
        }
    }
}
