//! What a pane draws over itself while the user types: a form (labelled fields, choice fields
//! cycled with space or arrows) or a one-line prompt. One shape for every pane; `src/app/modal.rs`
//! handles their keys.

/// One field of a form. `key` names it for the app (a rule's TOML key, an input's field), so a
/// refusal from a service lands on the field it names.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    /// Non-empty: a choice field (left/right cycles), else free text.
    pub choices: Vec<String>,
    /// Inline validation message.
    pub error: Option<String>,
}

impl FormField {
    /// A free-text field.
    pub fn text(key: &'static str, label: &str, value: &str) -> FormField {
        FormField {
            key,
            label: label.to_owned(),
            value: value.to_owned(),
            choices: Vec::new(),
            error: None,
        }
    }

    /// A choice among `choices`, showing `value`.
    pub fn choice(
        key: &'static str,
        label: &str,
        value: impl Into<String>,
        choices: Vec<String>,
    ) -> FormField {
        FormField {
            key,
            label: label.to_owned(),
            value: value.into(),
            choices,
            error: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// "Nova regra" / "Editar regra X"
    pub title: String,
    /// Only the fields relevant to the chosen kind (the app decides).
    pub fields: Vec<FormField>,
    pub focused: usize,
    /// Form-level message, e.g. a conflict.
    pub message: Option<String>,
    /// Esc pressed with unsaved changes: show "discard changes? y/n".
    pub confirm_discard: bool,
}

impl Form {
    /// The value of field `key` as typed ("" when the form has no such field).
    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|x| x.key == key)
            .map_or("", |x| x.value.as_str())
    }
}

/// A one-line text prompt over the pane (e.g. the note for resolving an alert).
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub title: String,
    pub input: String,
    pub error: Option<String>,
}

impl Prompt {
    /// An empty prompt asking `title`.
    pub fn new(title: String) -> Prompt {
        Prompt {
            title,
            input: String::new(),
            error: None,
        }
    }
}
