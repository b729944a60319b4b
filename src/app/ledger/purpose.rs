//! What the Ledger pane's forms and prompts are for.

use opsdeck_storage::records::ledger::{Month, Phase};

use crate::app::modal::Purpose;

#[derive(Debug, Clone)]
pub enum LedgerForm {
    /// A manual posting; `phase` fixed for savings and adjustments (None: chosen in the form).
    Post {
        phase: Option<Phase>,
        corrects: Option<String>,
    },
    Budget,
}

#[derive(Debug, Clone)]
pub enum LedgerPrompt {
    /// Close the month (a yes/no question, or the override's reason when issues are open).
    Close { month: Month, issues: usize },
}

impl Purpose for LedgerForm {}

impl Purpose for LedgerPrompt {}
