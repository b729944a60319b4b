//! What the Gas pane's forms and prompts are for.

use jiff::civil::Date;

use crate::app::modal::Purpose;

/// What the open admin form edits.
#[derive(Debug, Clone)]
pub enum GasForm {
    Rate { unit: String, equipment: String },
    Contract,
}

/// What the open prompt confirms.
#[derive(Debug, Clone)]
pub enum GasPrompt {
    ApproveMonth { unit: String, from: Date, to: Date },
    Qdr { unit: String, date: Date },
}

impl Purpose for GasForm {}

impl Purpose for GasPrompt {}
