//! What the Ledger pane asks the worker for and what comes back.

use std::path::PathBuf;

use jiff::civil::Date;
use opsdeck_storage::records::ledger::{Grid, Month, Phase};
use opsdeck_views::state::ledger::{Chart, EntryRow, LedgerRights, PeriodSize, Readiness};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A posting typed in the pane's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostInput {
    pub phase: Phase,
    pub date: Date,
    pub cost_center: String,
    pub category: String,
    pub amount: Decimal,
    pub description: String,
    pub reason: String,
    pub evidence: String,
    pub against: Option<String>,
    pub corrects: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum LedgerCmd {
    /// The grid of the period of `size` holding `anchor` (None: this month), with the year's
    /// chart and the closed months.
    Load {
        size: PeriodSize,
        anchor: Option<Month>,
    },
    /// The entries of months `from..=to` of some cost centers (one subtree) and a category.
    Entries {
        from: Month,
        to: Month,
        cost_centers: Vec<String>,
        category: Option<String>,
        title: String,
        /// Select this entry once loaded (a search hit).
        focus: Option<String>,
    },
    Readiness {
        month: Month,
    },
    Post {
        input: PostInput,
        generation: u64,
    },
    Budget {
        month: Month,
        cost_center: String,
        category: String,
        planned: Decimal,
        note: String,
        generation: u64,
    },
    Close {
        month: Month,
        reason: String,
        generation: u64,
    },
    Export {
        from: Month,
        to: Month,
        dir: PathBuf,
        generation: u64,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Loaded {
    pub rights: LedgerRights,
    pub size: PeriodSize,
    pub anchor: Month,
    pub grid: Grid,
    pub chart: Chart,
    pub closed: Vec<Month>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum LedgerReply {
    Loaded(Box<Loaded>),
    Entries {
        title: String,
        rows: Vec<EntryRow>,
        focus: Option<String>,
    },
    Readiness(Readiness),
}
