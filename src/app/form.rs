//! Keys of a modal form (`Form`: labelled fields, choice fields cycled with space or arrows),
//! shared by every pane's forms. The pane decides what submitting means.

use opsdeck_views::state::gas::EntryField;
use opsdeck_views::state::{Form, FormField};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Handled,
    /// Enter: the pane validates and saves.
    Submit,
    /// Esc on an unchanged form, or "yes" to the discard question: the pane closes it.
    Close,
    /// A choice field changed (its key): the pane may show other fields.
    Choice(&'static str),
}

/// Applies `k` to `f`; `initial` holds the values the form opened with, to know whether Esc
/// loses anything.
pub fn key(f: &mut Form, initial: &[String], k: KeyEvent) -> FormKey {
    if f.confirm_discard {
        match k.code {
            KeyCode::Char('y' | 's' | 'Y' | 'S') => return FormKey::Close,
            KeyCode::Char('n' | 'N') | KeyCode::Esc => f.confirm_discard = false,
            _ => {}
        }
        return FormKey::Handled;
    }
    let n = f.fields.len();
    if n == 0 {
        return match k.code {
            KeyCode::Esc => FormKey::Close,
            _ => FormKey::Handled,
        };
    }
    f.focused = f.focused.min(n - 1);
    match k.code {
        KeyCode::Esc => {
            let values: Vec<&String> = f.fields.iter().map(|x| &x.value).collect();
            if values.iter().copied().eq(initial.iter()) {
                return FormKey::Close;
            }
            f.confirm_discard = true;
        }
        KeyCode::Up | KeyCode::BackTab => f.focused = (f.focused + n - 1) % n,
        KeyCode::Down | KeyCode::Tab => f.focused = (f.focused + 1) % n,
        KeyCode::Left | KeyCode::Right => {
            return cycle(f, k.code == KeyCode::Right);
        }
        KeyCode::Enter => return FormKey::Submit,
        KeyCode::Char(' ') if !f.fields[f.focused].choices.is_empty() => return cycle(f, true),
        _ => {
            let field = &mut f.fields[f.focused];
            if field.choices.is_empty() && edit_text(&mut field.value, k) {
                field.error = None;
            }
        }
    }
    FormKey::Handled
}

/// Edits a one-line text with `k`: a character appends, Backspace deletes the last, Ctrl-U
/// clears. Returns whether `k` was such a key (even when it changed nothing).
pub fn edit_text(text: &mut String, k: KeyEvent) -> bool {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char(c) if !ctrl => text.push(c),
        _ => return false,
    }
    true
}

/// Pastes the first line of `text` into the focused free-text field.
pub fn paste(f: &mut Form, text: &str) {
    if let Some(field) = f.fields.get_mut(f.focused)
        && field.choices.is_empty()
    {
        field
            .value
            .push_str(text.lines().next().unwrap_or("").trim_end());
        field.error = None;
    }
}

fn cycle(f: &mut Form, forward: bool) -> FormKey {
    let field = &mut f.fields[f.focused];
    if field.choices.is_empty() {
        return FormKey::Handled;
    }
    let m = field.choices.len();
    let i = field
        .choices
        .iter()
        .position(|c| *c == field.value)
        .unwrap_or(0);
    let j = if forward {
        (i + 1) % m
    } else {
        (i + m - 1) % m
    };
    field.value = field.choices[j].clone();
    field.error = None;
    FormKey::Choice(field.key)
}

/// A form line that shows its own error: the telemetry and admin forms' fields, the gas entry's.
pub trait Field {
    fn key(&self) -> &str;
    fn error_mut(&mut self) -> &mut Option<String>;
}

impl Field for FormField {
    fn key(&self) -> &str {
        self.key
    }
    fn error_mut(&mut self) -> &mut Option<String> {
        &mut self.error
    }
}

impl Field for EntryField {
    fn key(&self) -> &str {
        &self.key
    }
    fn error_mut(&mut self) -> &mut Option<String> {
        &mut self.error
    }
}

/// Shows on each field the error `error_of` gives for its key (clearing the others) and
/// returns the first field in error, where the cursor goes; None when all are fine.
pub fn place_errors<F: Field>(
    fields: &mut [F],
    error_of: impl Fn(&str) -> Option<String>,
) -> Option<usize> {
    for f in fields.iter_mut() {
        let e = error_of(f.key());
        *f.error_mut() = e;
    }
    fields.iter_mut().position(|f| f.error_mut().is_some())
}

/// Shows `error` on the field named `key`, if there is one; returns its index.
pub fn place_error<F: Field>(fields: &mut [F], key: Option<&str>, error: &str) -> Option<usize> {
    let i = fields.iter().position(|f| Some(f.key()) == key)?;
    *fields[i].error_mut() = Some(error.to_owned());
    Some(i)
}
