//! The one form and prompt implementation every pane uses: the keys of an open form (labelled
//! fields, choice fields cycled with space or arrows) or prompt (a line of text, or a yes/no
//! question), the question before typed text is thrown away, and the wait for a write's answer,
//! so that a double Enter on a slow link writes once. The pane says what its form is for (`F`,
//! `P`) and what submitting means; what is shown (`Form`, `Prompt`) lives in its view state.

use opsdeck_views::i18n::Locale;
use opsdeck_views::i18n::Texts;
use opsdeck_views::state::gas::EntryField;
use opsdeck_views::state::{Form, FormField, Prompt};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::outcome::Failed;

/// What a form or prompt is for. When someone else saved the record first, the purpose moves
/// onto the record's version now, so Enter applies it over theirs knowingly.
pub trait Purpose: Clone {
    fn rebase(&mut self, _version: u64) {}
}

/// The open form's or prompt's purpose, and the progress of its write.
#[derive(Debug)]
pub struct Modal<F, P> {
    /// The purpose and the values it opened with (to know whether Esc loses anything).
    form: Option<(F, Vec<String>)>,
    /// The purpose, whether it is a yes/no question rather than a line of text, and the text
    /// it opened with.
    prompt: Option<(P, bool, String)>,
    /// Counts forms and prompts opened: a late answer about an earlier one leaves the current
    /// one alone.
    generation: u64,
    /// The generation whose write is on its way.
    saving: Option<u64>,
    /// Esc was pressed once on a prompt with text: the next Esc discards it.
    discard: bool,
}

impl<F, P> Default for Modal<F, P> {
    fn default() -> Self {
        Modal {
            form: None,
            prompt: None,
            generation: 0,
            saving: None,
            discard: false,
        }
    }
}

/// What a key did while a form or prompt was open.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<F, P> {
    /// Nothing is open: the key goes on to the pane and the keymap.
    Free,
    /// Taken by the form or prompt, nothing more to do.
    Kept,
    /// The form or prompt was closed.
    Closed,
    /// A choice field changed (its key): the pane may show other fields.
    Choice(&'static str),
    /// Enter on the form: the pane reads it and sends its write.
    Form(F),
    /// Enter on the prompt (or yes to the question), with the text typed.
    Prompt(P, String),
}

impl<F: Purpose, P: Purpose> Modal<F, P> {
    pub fn open_form(
        &mut self,
        shown: &mut Option<Form>,
        purpose: F,
        title: String,
        fields: Vec<FormField>,
    ) {
        self.generation += 1;
        let initial = fields.iter().map(|f| f.value.clone()).collect();
        *shown = Some(Form {
            title,
            fields,
            focused: 0,
            message: None,
            confirm_discard: false,
        });
        self.form = Some((purpose, initial));
    }

    /// A prompt for a line of text, starting with `input`.
    pub fn open_prompt(
        &mut self,
        shown: &mut Option<Prompt>,
        purpose: P,
        title: String,
        input: String,
    ) {
        self.generation += 1;
        self.discard = false;
        *shown = Some(Prompt {
            input: input.clone(),
            ..Prompt::new(title)
        });
        self.prompt = Some((purpose, false, input));
    }

    /// A yes/no question: y (or s, or Enter) says yes, n or Esc no.
    pub fn ask(&mut self, shown: &mut Option<Prompt>, purpose: P, title: String) {
        self.open_prompt(shown, purpose, title, String::new());
        if let Some((_, question, _)) = self.prompt.as_mut() {
            *question = true;
        }
    }

    pub fn close(&mut self, form: &mut Option<Form>, prompt: &mut Option<Prompt>) {
        *form = None;
        *prompt = None;
        self.form = None;
        self.prompt = None;
        self.discard = false;
    }

    /// The values the open form opened with, in field order.
    pub fn initial(&self) -> &[String] {
        self.form.as_ref().map_or(&[], |(_, i)| i.as_slice())
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The open form's or prompt's write is on its way.
    pub fn saving(&self) -> bool {
        self.saving == Some(self.generation)
    }

    /// A write outside any form or prompt that still wants its own answer (the gas entry, a
    /// plan typed in the grid): a generation of its own, marked as on its way.
    pub fn begin(&mut self) -> u64 {
        self.generation += 1;
        self.saving = Some(self.generation);
        self.generation
    }

    /// An answer arrived for `generation`: nothing of it is on its way any more. True when it
    /// is the latest write's.
    pub fn answered(&mut self, generation: u64) -> bool {
        if self.saving == Some(generation) {
            self.saving = None;
        }
        generation != 0 && generation == self.generation
    }

    /// The open form's or prompt's write is being sent: its generation, or None while the
    /// previous one has no answer yet (nothing must be sent then).
    pub fn sending(&mut self) -> Option<u64> {
        if self.saving() {
            return None;
        }
        self.saving = Some(self.generation);
        Some(self.generation)
    }

    /// A key while a form or prompt may be open.
    pub fn key(
        &mut self,
        form: &mut Option<Form>,
        prompt: &mut Option<Prompt>,
        locale: Locale,
        k: KeyEvent,
    ) -> Step<F, P> {
        if let (Some(p), Some((purpose, question, initial))) =
            (prompt.as_mut(), self.prompt.as_ref())
        {
            let (purpose, question) = (purpose.clone(), *question);
            let changed = p.input != *initial;
            let step = if question {
                self.question_key(purpose, k)
            } else {
                self.prompt_key(p, purpose, changed, locale, k)
            };
            if matches!(step, Step::Closed) {
                *prompt = None;
                self.prompt = None;
                self.discard = false;
            }
            return step;
        }
        let (Some(f), Some((purpose, initial))) = (form.as_mut(), self.form.as_ref()) else {
            return Step::Free;
        };
        match key(f, initial, k) {
            FormKey::Handled => Step::Kept,
            FormKey::Choice(c) => Step::Choice(c),
            FormKey::Submit if self.saving() => Step::Kept,
            FormKey::Submit => Step::Form(purpose.clone()),
            FormKey::Close => {
                self.close(form, prompt);
                Step::Closed
            }
        }
    }

    fn question_key(&self, purpose: P, k: KeyEvent) -> Step<F, P> {
        match k.code {
            KeyCode::Char('y' | 's' | 'Y' | 'S') | KeyCode::Enter if self.saving() => Step::Kept,
            KeyCode::Char('y' | 's' | 'Y' | 'S') | KeyCode::Enter => {
                Step::Prompt(purpose, String::new())
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Step::Closed,
            _ => Step::Kept,
        }
    }

    fn prompt_key(
        &mut self,
        p: &mut Prompt,
        purpose: P,
        changed: bool,
        locale: Locale,
        k: KeyEvent,
    ) -> Step<F, P> {
        match k.code {
            // Typed text is not thrown away on one key: Esc asks, a second Esc discards.
            KeyCode::Esc if changed && !p.input.trim().is_empty() && !self.discard => {
                self.discard = true;
                p.error = Some(locale.strings().discard_text.to_owned());
                Step::Kept
            }
            KeyCode::Esc => Step::Closed,
            KeyCode::Enter if self.saving() => Step::Kept,
            KeyCode::Enter => {
                self.discard = false;
                Step::Prompt(purpose, p.input.trim().to_owned())
            }
            _ => {
                if edit_text(&mut p.input, k) {
                    p.error = None;
                    self.discard = false;
                }
                Step::Kept
            }
        }
    }

    /// Text pasted while a form or prompt is open: into the prompt or the focused text field.
    /// False when neither is open.
    pub fn paste(&self, form: &mut Option<Form>, prompt: &mut Option<Prompt>, text: &str) -> bool {
        if let Some(p) = prompt.as_mut() {
            p.input
                .push_str(text.lines().next().unwrap_or("").trim_end());
            p.error = None;
        } else if let Some(f) = form.as_mut() {
            paste(f, text);
        } else {
            return false;
        }
        true
    }

    /// A write's answer arrived; true when it was the open form's or prompt's, now closed.
    pub fn saved(
        &mut self,
        generation: u64,
        form: &mut Option<Form>,
        prompt: &mut Option<Prompt>,
    ) -> bool {
        if self.saving == Some(generation) {
            self.saving = None;
        }
        let current = generation != 0 && generation == self.generation;
        if current {
            self.close(form, prompt);
        }
        current
    }

    /// A write was refused. On the open form (on its field when the service named one) or
    /// prompt when it was theirs; nothing typed is lost. When someone else changed the record
    /// first, the form moves onto its current version: Enter again applies it over theirs.
    /// Returns the message when it belongs on the status line instead.
    pub fn failed(
        &mut self,
        f: &Failed,
        form: &mut Option<Form>,
        prompt: &mut Option<Prompt>,
        locale: Locale,
    ) -> Option<String> {
        if self.saving == Some(f.generation) {
            self.saving = None;
        }
        let current = f.generation != 0 && f.generation == self.generation;
        let mut error = f.error.clone();
        if current && let Some(c) = &f.conflict {
            error = format!("{error}; {}", locale.strings().apply_over);
            if let Some((purpose, _)) = self.form.as_mut() {
                purpose.rebase(c.version);
            }
            if let Some((purpose, _, _)) = self.prompt.as_mut() {
                purpose.rebase(c.version);
            }
        }
        match (current, prompt.as_mut(), form.as_mut()) {
            (true, Some(p), _) => p.error = Some(error),
            (true, None, Some(fm)) => match place_error(&mut fm.fields, f.field.as_deref(), &error)
            {
                Some(i) => {
                    fm.focused = i;
                    fm.message = None;
                }
                None => fm.message = Some(error),
            },
            _ => return Some(error),
        }
        None
    }

    /// The worker failed without an answer for the write: say so on the form instead of
    /// "saving…" forever.
    pub fn unstick(&mut self, form: &mut Option<Form>, prompt: &mut Option<Prompt>, error: &str) {
        if self.saving.take().is_some() {
            if let Some(f) = form.as_mut() {
                f.message = Some(error.to_owned());
            } else if let Some(p) = prompt.as_mut() {
                p.error = Some(error.to_owned());
            }
        }
    }
}

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
