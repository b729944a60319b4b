//! What the Telemetry pane's forms and prompts are for.

use crate::app::modal::Purpose;

/// What the open form edits.
#[derive(Debug, Clone)]
pub enum FormKind {
    /// `existing`: (name, version) of the rule being edited.
    Rule { existing: Option<(String, u64)> },
    Device {
        id: String,
        version: u64,
        metrics: Vec<String>,
    },
}

impl Purpose for FormKind {
    fn rebase(&mut self, now: u64) {
        match self {
            FormKind::Rule {
                existing: Some((_, v)),
            } => *v = now,
            FormKind::Device { version, .. } => *version = now,
            FormKind::Rule { existing: None } => {}
        }
    }
}

#[derive(Debug, Clone)]
pub enum PromptKind {
    Resolve { key: String },
    DeleteRule { name: String, version: u64 },
}

impl Purpose for PromptKind {
    fn rebase(&mut self, now: u64) {
        if let PromptKind::DeleteRule { version, .. } = self {
            *version = now;
        }
    }
}
