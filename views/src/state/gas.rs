//! The Gas pane's view model (the RC: daily entries, QDS/QDP/QDR, contract bands). Figures are
//! exact decimals in m³; views format them in the locale. The app computes every figure.

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{Form, ListView, Prompt};

/// Which page the Gas pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum GasView {
    /// The day's entry form of one unit.
    #[default]
    Entry,
    /// One row per day of a month, per unit or consolidated, with the month chart.
    Month,
    /// The month's plans (QDP) of one unit, typed or pasted, and their approval.
    Plans,
    /// The Petrobras report of a month as it will be written, before exporting it.
    Report,
    /// Equipment rates with their history, and the contracts (admin).
    Admin,
}

impl GasView {
    /// Entry -> Month -> Plans -> Report -> Admin -> Entry.
    pub fn next(self) -> GasView {
        match self {
            GasView::Entry => GasView::Month,
            GasView::Month => GasView::Plans,
            GasView::Plans => GasView::Report,
            GasView::Report => GasView::Admin,
            GasView::Admin => GasView::Entry,
        }
    }
}

/// Tolerance band of a day: green inside the molecule band, yellow inside the transport band
/// only, red outside both. Never shown by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GasBand {
    Green,
    Yellow,
    Red,
}

impl GasBand {
    /// Index into the band words ("verde", "amarelo", "vermelho").
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A unit as the pane's unit switcher shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GasUnitTab {
    /// "CRI"
    pub code: String,
    /// "Criciúma"
    pub name: String,
}

/// What one line of the entry form edits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum EntryValue {
    /// Yes/no (scheduled) or on/off (a line or dryer): space toggles.
    Toggle(bool),
    /// Typed text: hours, the date, observations, a manual QDS.
    Text(String),
}

/// One line of the entry form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntryField {
    /// "date", "atomizer_scheduled", "atomizer_hours", "secondary_scheduled",
    /// "secondary_hours", "lines.L0" ..., "observations", "qds_manual" (as the domain names
    /// them, so an error from a save lands on its field).
    pub key: String,
    /// "Atomizador programado", "L3", "Secador 2" ...
    pub label: String,
    pub value: EntryValue,
    /// The rate in force on the form's date, formatted: "540 m³/h", "9.600 m³/d"; may be empty.
    pub rate: String,
    /// What this line adds to the QDS now (hours x rate, or the rate of a line that is on).
    pub contributes: Option<Decimal>,
    pub error: Option<String>,
}

/// The live QDS of the form, recomputed on every keystroke.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum QdsPreview {
    Calculated {
        atomizers: Decimal,
        lines: Decimal,
        calculated: Decimal,
        /// The manual value when one is typed, else the calculated one.
        effective: Decimal,
        manual: bool,
    },
    /// The form cannot be computed yet (e.g. hours not a number): why.
    Invalid(String),
}

/// A unit's entry of one day.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntryForm {
    pub unit: GasUnitTab,
    pub date: Date,
    /// True when the date is today in the tenant zone (shown as "hoje").
    pub today: bool,
    pub fields: Vec<EntryField>,
    /// Keys go to the fields (Enter or `e` starts, Esc leaves); else the form is only shown.
    pub editing: bool,
    pub focused: usize,
    pub qds: QdsPreview,
    /// Who entered (and last changed) the day: "ana · 23/11/2026 10:02"; None for a new day.
    pub entered: Option<String>,
    /// Who set the manual QDS and when, when one is stored.
    pub manual_by: Option<String>,
    /// The unit's plan and real consumption of the day, for context.
    pub qdp: Option<Decimal>,
    pub qdr: Option<Decimal>,
    pub band: Option<GasBand>,
    /// Differs from what is stored (or a new day with anything typed).
    pub dirty: bool,
    /// A save is on its way.
    pub saving: bool,
    /// Form-level message: a conflict, a refusal.
    pub message: Option<String>,
    /// Esc (or leaving the day) with unsaved changes: "discard changes? y/n".
    pub confirm_discard: bool,
    /// False when the user may not save this date (a past day needs a supervisor); why.
    pub read_only: Option<String>,
}

impl EntryForm {
    pub fn field(&self, key: &str) -> Option<&EntryField> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// One day of the month grid (one unit, or all units consolidated).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GasDayRow {
    pub date: Date,
    /// Units with no entry that day (codes); for one unit, its own code or nothing.
    pub missing: Vec<String>,
    /// After today: nothing expected yet.
    pub future: bool,
    pub qds: Option<Decimal>,
    /// The QDS (of one unit) is a manual override.
    pub qds_manual: bool,
    pub qdp: Option<Decimal>,
    /// Every plan of the day is approved.
    pub qdp_approved: bool,
    pub qdr: Option<Decimal>,
    /// "manual" | "api" | "import" for one unit; empty for consolidated or none.
    pub qdr_source: String,
    pub qdc: Option<Decimal>,
    pub transport: Option<(Decimal, Decimal)>,
    pub molecule: Option<(Decimal, Decimal)>,
    pub delta_transport: Option<Decimal>,
    pub delta_molecule: Option<Decimal>,
    /// Fractions of QDP (0.05 = 5 %).
    pub percent_transport: Option<Decimal>,
    pub percent_molecule: Option<Decimal>,
    /// QDP equals QDS (consolidated only; None for one unit or without data).
    pub ok: Option<bool>,
    pub band: Option<GasBand>,
    /// A problem computing the day (a rate missing for its date).
    pub problem: Option<String>,
}

/// A month of one unit, or consolidated.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GasMonth {
    /// First day of the month.
    pub first: Date,
    /// The unit shown; None = all units consolidated.
    pub unit: Option<GasUnitTab>,
    pub rows: Vec<GasDayRow>,
    /// Month totals of QDS, QDP, QDR.
    pub total_qds: Decimal,
    pub total_qdp: Decimal,
    pub total_qdr: Decimal,
    /// Days (up to today) with a missing entry, and outside the molecule / transport band.
    pub days_missing: usize,
    pub days_yellow: usize,
    pub days_red: usize,
}

/// One day of a unit's plan sheet.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct PlanRow {
    pub date: Date,
    pub qdp: Option<Decimal>,
    /// The day's QDS, to plan against (None without an entry).
    pub qds: Option<Decimal>,
    /// "bruno · 20/11/2026 17:40" when approved.
    pub approved: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct PlanSheet {
    pub first: Date,
    pub unit: Option<GasUnitTab>,
    pub rows: Vec<PlanRow>,
    pub list: ListView,
    /// The QDP being typed for the selected day (Enter saves and moves down, so a column
    /// pasted from a spreadsheet fills day after day).
    pub input: Option<String>,
    pub error: Option<String>,
}

/// One row of the Petrobras report preview: the export's columns.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ReportRow {
    pub date: Date,
    /// Per unit, in the order of `GasPane::units`: QDS, QDP, QDR.
    pub units: Vec<(Option<Decimal>, Option<Decimal>, Option<Decimal>)>,
    pub day: GasDayRow,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GasReport {
    pub first: Date,
    pub rows: Vec<ReportRow>,
    pub list: ListView,
    /// "RC_11_2026_Petrobras.xlsx"
    pub file_name: String,
    /// Where the last export of this month was written.
    pub written: Option<String>,
    /// Horizontal scroll: the first unit column group shown.
    pub column: usize,
    /// The totals row as the export sums it (per unit QDS/QDP/QDR in `units`; in `day` the
    /// consolidated QDS, QDP, QDR, QDC, delta transport and delta molecule); None hides it.
    pub totals: Option<ReportRow>,
}

impl GasReport {
    /// Column groups after the units' (consolidated figures, band limits, deviations and
    /// status): `column` runs over `0..units + TAIL_GROUPS` (the view clamps it too).
    pub const TAIL_GROUPS: usize = 3;
}

/// One rate of an equipment's history.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RateRow {
    pub from: Date,
    /// "540 m³/h"
    pub rate: String,
    /// "admin · 01/03/2026 09:00"
    pub set: String,
    pub note: String,
}

/// One equipment in the admin list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EquipmentRow {
    pub unit: String,
    pub code: String,
    pub name: String,
    /// "atomizador" / "linha" / "secador"
    pub kind: String,
    /// The rate in force today: "540 m³/h".
    pub rate: String,
    pub active: bool,
    /// Oldest first.
    pub history: Vec<RateRow>,
}

/// One contract, effective from its date until the next.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContractRow {
    pub from: Date,
    pub qdc: Decimal,
    pub transport: (Decimal, Decimal),
    pub molecule: (Decimal, Decimal),
    pub bonus: Decimal,
    pub penalty: Decimal,
    pub note: String,
    /// In force today.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GasAdmin {
    pub equipment: Vec<EquipmentRow>,
    pub contracts: Vec<ContractRow>,
    /// Over equipment rows then contract rows.
    pub list: ListView,
}

impl GasAdmin {
    pub fn len(&self) -> usize {
        self.equipment.len() + self.contracts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What the signed-in user may do here (the pane offers only that).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct GasRights {
    pub enter: bool,
    pub enter_past: bool,
    pub approve: bool,
    pub configure: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct GasPane {
    pub view: GasView,
    pub units: Vec<GasUnitTab>,
    /// Index into `units`; `units.len()` = all units consolidated (month and report only).
    pub unit: usize,
    /// The tenant's today.
    pub today: Option<Date>,
    pub rights: GasRights,
    pub entry: Option<EntryForm>,
    pub month: Option<GasMonth>,
    /// The month grid's cursor.
    pub month_list: ListView,
    pub plans: Option<PlanSheet>,
    pub report: Option<GasReport>,
    pub admin: Option<GasAdmin>,
    /// The rate or contract form (admin).
    pub form: Option<Form>,
    pub prompt: Option<Prompt>,
    /// False until the first load finished.
    pub loaded: bool,
}

impl GasPane {
    /// The unit shown, None when consolidated (or no units yet).
    pub fn unit_tab(&self) -> Option<&GasUnitTab> {
        self.units.get(self.unit)
    }

    /// The list of the current view, for j/k and the `/` filter.
    pub fn list_mut(&mut self) -> Option<&mut ListView> {
        match self.view {
            GasView::Month => Some(&mut self.month_list),
            GasView::Plans => self.plans.as_mut().map(|p| &mut p.list),
            GasView::Report => self.report.as_mut().map(|r| &mut r.list),
            GasView::Admin => self.admin.as_mut().map(|a| &mut a.list),
            GasView::Entry => None,
        }
    }

    /// Rows of the current view's list.
    pub fn visible_len(&self) -> usize {
        match self.view {
            GasView::Month => self.month.as_ref().map_or(0, |m| m.rows.len()),
            GasView::Plans => self.plans.as_ref().map_or(0, |p| p.rows.len()),
            GasView::Report => self.report.as_ref().map_or(0, |r| r.rows.len()),
            GasView::Admin => self.admin.as_ref().map_or(0, GasAdmin::len),
            GasView::Entry => 0,
        }
    }
}
