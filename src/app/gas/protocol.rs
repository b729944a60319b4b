//! What the Gas pane asks the worker for and what comes back.

use std::path::PathBuf;

use jiff::civil::Date;
use opsdeck_storage::Versioned;
use opsdeck_storage::records::gas::{Contract, DailyEntry, GasUnit};
use opsdeck_views::state::gas::{
    GasAdmin, GasBand, GasMonth, GasReport, GasRights, GasView, PlanRow,
};
use rust_decimal::Decimal;

use crate::domain::gas::entries::EntryInput;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum GasCmd {
    Load(GasQuery),
    /// `version`: of the entry as loaded (None: a new day).
    SaveEntry {
        unit: String,
        input: EntryInput,
        version: Option<u64>,
        generation: u64,
    },
    SavePlans {
        unit: String,
        plans: Vec<(Date, Decimal)>,
        generation: u64,
    },
    ApprovePlans {
        unit: String,
        from: Date,
        to: Date,
        generation: u64,
    },
    ChangeRate {
        unit: String,
        equipment: String,
        from: Date,
        rate: Decimal,
        note: String,
        generation: u64,
    },
    SetContract {
        contract: Contract,
        generation: u64,
    },
    SetQdr {
        unit: String,
        date: Date,
        qdr: Decimal,
        generation: u64,
    },
    Export {
        first: Date,
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum GasReply {
    Loaded(Box<GasData>),
    /// The Petrobras workbook of the month starting `.0` was written to `.1`.
    Exported(Date, String),
}

/// What the pane asks for: the view, the unit (None: consolidated, or the user's default unit
/// when `unit_chosen` is false), the entry's day and the month shown (None: today's).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GasQuery {
    pub view: GasView,
    pub unit: Option<String>,
    pub unit_chosen: bool,
    pub day: Option<Date>,
    pub month: Option<Date>,
}

/// One unit's day, for the entry form.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DayData {
    pub unit: String,
    pub date: Date,
    pub entry: Option<Versioned<DailyEntry>>,
    pub qdp: Option<Decimal>,
    pub qdr: Option<Decimal>,
    pub band: Option<GasBand>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GasData {
    pub query: GasQuery,
    pub today: Date,
    pub units: Vec<GasUnit>,
    pub rights: GasRights,
    /// The unit the user works on: their assigned unit, else the first.
    pub default_unit: Option<String>,
    pub day: Option<DayData>,
    pub month: Option<GasMonth>,
    pub plans: Option<Vec<PlanRow>>,
    pub report: Option<GasReport>,
    pub admin: Option<(GasAdmin, Vec<Contract>)>,
}
