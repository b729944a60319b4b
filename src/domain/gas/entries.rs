//! The only writers of the gas records: daily entries, plans (QDP) and their approval, real
//! consumption (QDR), equipment rates and contracts. Every refusal names the field and the
//! reason, and writes nothing (only a refused permission leaves its audit entry); every write is
//! attributed and audited by the storage layer.
//!
//! Who may do what (roles of `access::role_of`, no new `Permission` variants):
//! - enter a day (today or tomorrow), set a plan, key a manual or imported QDR: operator,
//!   supervisor, admin;
//! - enter a day before today, approve a plan: supervisor, admin;
//! - change an equipment rate or a contract: admin.
//!
//! A QDR from the unit's meter (`QdrSource::Api`) is written by the site services, not a person:
//! it needs no role (its actor, e.g. "ingest", is still recorded), and it never replaces a
//! manual value.

use std::collections::BTreeMap;

use anyhow::Result;
use jiff::civil::Date;
use opsdeck_storage::records::gas::{
    Contract, DailyEntry, DailyPlan, GasUnit, ManualQds, QdrSource, RateChange, RealConsumption,
    day_key,
};
use opsdeck_storage::records::user::Role;
use opsdeck_storage::refusal::Msg;
use opsdeck_storage::why;
use opsdeck_storage::{Tenant, Tx, Versioned};
use rust_decimal::Decimal;

use crate::domain::service::{Denied, Guarded, Step, conflict, deny, write_checked};
pub use crate::domain::service::{FieldError, require};

/// Longest observation text kept with an entry.
pub const MAX_OBSERVATIONS: usize = 2000;

/// What a gas service call asks to do, for the role check (the UI can ask `allowed` too, e.g.
/// to offer the date field for past days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GasAction {
    /// Save the entry of today or tomorrow.
    Enter,
    /// Save the entry of a day before today.
    EnterPast,
    /// Set a day's plan (QDP).
    Plan,
    ApprovePlan,
    /// Key a QDR by hand or from an import.
    EnterQdr,
    /// Change equipment rates and contracts.
    Configure,
}

impl Guarded for GasAction {
    fn name(self) -> &'static str {
        match self {
            GasAction::Enter => "gas.entry",
            GasAction::EnterPast => "gas.entry.past",
            GasAction::Plan => "gas.plan",
            GasAction::ApprovePlan => "gas.plan.approve",
            GasAction::EnterQdr => "gas.qdr",
            GasAction::Configure => "gas.configure",
        }
    }

    fn what(self) -> Msg {
        match self {
            GasAction::Enter => Msg::GasEnter,
            GasAction::EnterPast => Msg::GasEnterPast,
            GasAction::Plan => Msg::GasPlan,
            GasAction::ApprovePlan => Msg::GasApprovePlan,
            GasAction::EnterQdr => Msg::GasEnterQdr,
            GasAction::Configure => Msg::GasConfigure,
        }
    }

    fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            GasAction::Enter | GasAction::Plan | GasAction::EnterQdr => {
                matches!(role, Operator | Supervisor | Admin)
            }
            GasAction::EnterPast | GasAction::ApprovePlan => matches!(role, Supervisor | Admin),
            GasAction::Configure => role == Admin,
        }
    }

    fn ask(self) -> Msg {
        match self {
            GasAction::EnterPast | GasAction::ApprovePlan => Msg::AskSupervisor,
            _ => Msg::AskAdmin,
        }
    }
}

/// A refused gas action.
pub type GasDenied = Denied<GasAction>;

/// What an operator keys for a unit and day (the entry form).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntryInput {
    pub date: Date,
    pub atomizer_scheduled: bool,
    pub atomizer_hours: Decimal,
    /// Required where the unit has a second atomizer (Botucatu), absent elsewhere.
    pub secondary_scheduled: Option<bool>,
    pub secondary_hours: Option<Decimal>,
    /// Line or dryer code -> on. Codes left out are off.
    pub lines: BTreeMap<String, bool>,
    pub observations: String,
    /// A QDS replacing the calculated one; None clears it.
    pub qds_manual: Option<Decimal>,
}

impl EntryInput {
    /// A fresh form for `unit` on `date`: nothing scheduled, 0 h, every line and dryer off.
    pub fn blank(unit: &GasUnit, date: Date) -> EntryInput {
        let secondary = unit.has_secondary_atomizer();
        EntryInput {
            date,
            atomizer_scheduled: false,
            atomizer_hours: Decimal::ZERO,
            secondary_scheduled: secondary.then_some(false),
            secondary_hours: secondary.then_some(Decimal::ZERO),
            lines: unit
                .toggled()
                .iter()
                .map(|e| (e.code.clone(), false))
                .collect(),
            observations: String::new(),
            qds_manual: None,
        }
    }

    /// The form of a stored entry, to edit it.
    pub fn from_entry(entry: &DailyEntry) -> EntryInput {
        EntryInput {
            date: entry.date,
            atomizer_scheduled: entry.atomizer_scheduled,
            atomizer_hours: entry.atomizer_hours,
            secondary_scheduled: entry.secondary_scheduled,
            secondary_hours: entry.secondary_hours,
            lines: entry.lines.clone(),
            observations: entry.observations.clone(),
            qds_manual: entry.qds_manual.as_ref().map(|m| m.value),
        }
    }
}

fn check_date(date: Date, today: Date) -> Option<FieldError> {
    let tomorrow = today.tomorrow().unwrap_or(today);
    (date > tomorrow).then(|| FieldError::new("date", why!(AfterTomorrow, date, tomorrow)))
}

/// Hours of operation are 0 to 24.
pub fn check_hours(field: &str, hours: Decimal) -> Option<FieldError> {
    (hours < Decimal::ZERO || hours > Decimal::from(24))
        .then(|| FieldError::new(field, why!(HoursOutsideDay, hours)))
}

fn first_rate(unit: &GasUnit, code: &str) -> String {
    unit.equipment(code)
        .and_then(|e| e.rates.iter().map(|r| r.from).min())
        .map(|d| format!("its first rate starts {d}"))
        .unwrap_or_else(|| "it has no rate at all".into())
}

/// Every problem of `input` for `unit` (empty when it can be saved), without the permission
/// checks. The form shows them inline; `save_entry` refuses with the first.
pub fn check_entry(unit: &GasUnit, input: &EntryInput, today: Date) -> Vec<FieldError> {
    let mut out = Vec::new();
    let date = input.date;
    if !unit.active {
        out.push(FieldError::new(
            "unit",
            why!(UnitInactive, unit.code, unit.name),
        ));
    }
    out.extend(check_date(date, today));

    let atomizers = unit.atomizers();
    out.extend(check_hours("atomizer_hours", input.atomizer_hours));
    match atomizers.first() {
        None if input.atomizer_scheduled || !input.atomizer_hours.is_zero() => {
            out.push(FieldError::new(
                "atomizer_hours",
                why!(NoAtomizer, unit.code),
            ));
        }
        Some(a) if !input.atomizer_hours.is_zero() && a.rate_on(date).is_none() => {
            out.push(FieldError::new(
                "atomizer_hours",
                why!(NoRateInForce, a.name, date, first_rate(unit, &a.code)),
            ));
        }
        _ => {}
    }

    match atomizers.get(1) {
        Some(second) => {
            if input.secondary_scheduled.is_none() {
                out.push(FieldError::new(
                    "secondary_scheduled",
                    why!(SecondAtomizerRequired, unit.code, second.name),
                ));
            }
            match input.secondary_hours {
                None => out.push(FieldError::new(
                    "secondary_hours",
                    why!(SecondAtomizerRequired, unit.code, second.name),
                )),
                Some(h) => {
                    out.extend(check_hours("secondary_hours", h));
                    if !h.is_zero() && second.rate_on(date).is_none() {
                        out.push(FieldError::new(
                            "secondary_hours",
                            why!(
                                NoRateInForce,
                                second.name,
                                date,
                                first_rate(unit, &second.code)
                            ),
                        ));
                    }
                }
            }
        }
        None => {
            if input.secondary_scheduled.is_some() {
                out.push(FieldError::new(
                    "secondary_scheduled",
                    why!(NoSecondAtomizer, unit.code),
                ));
            }
            if input.secondary_hours.is_some() {
                out.push(FieldError::new(
                    "secondary_hours",
                    why!(NoSecondAtomizer, unit.code),
                ));
            }
        }
    }

    let toggled: Vec<&str> = unit.toggled().iter().map(|e| e.code.as_str()).collect();
    for (code, on) in &input.lines {
        let field = format!("lines.{code}");
        match unit.equipment(code) {
            None => out.push(FieldError::new(
                field,
                why!(NoLineOrDryer, unit.code, code, toggled.join(", ")),
            )),
            Some(e) if !e.is_toggled() => out.push(FieldError::new(
                field,
                why!(AtomizerTakesHours, code, toggled.join(", ")),
            )),
            Some(e) if !e.active => {
                out.push(FieldError::new(field, why!(OutOfService, code, e.name)))
            }
            Some(e) if *on && e.rate_on(date).is_none() => out.push(FieldError::new(
                field,
                why!(NoRateInForce, e.name, date, first_rate(unit, code)),
            )),
            Some(_) => {}
        }
    }

    if input.observations.chars().count() > MAX_OBSERVATIONS {
        out.push(FieldError::new(
            "observations",
            why!(TooLong, MAX_OBSERVATIONS),
        ));
    }
    if let Some(q) = input.qds_manual {
        out.extend(check_quantity("qds_manual", q, "a QDS"));
    }
    out
}

/// Every problem of a contract (empty when it can be saved): QDC above 0; for the transport and
/// the molecule band 0 < min <= 1 <= max; the molecule band inside the transport band;
/// 0 < incentive_penalty <= 1 <= incentive_bonus.
pub fn check_contract(c: &Contract) -> Vec<FieldError> {
    let mut out = Vec::new();
    let one = Decimal::ONE;
    if c.qdc_limit <= Decimal::ZERO {
        out.push(FieldError::new("qdc_limit", why!(QdcPositive, c.qdc_limit)));
    }
    if c.qdc_limit > MAX_M3 {
        out.push(FieldError::new(
            "qdc_limit",
            why!(QdcTooLarge, c.qdc_limit, MAX_M3),
        ));
    }
    let bands = [
        (
            "transport_min",
            c.transport_min,
            "transport_max",
            c.transport_max,
        ),
        (
            "molecule_min",
            c.molecule_min,
            "molecule_max",
            c.molecule_max,
        ),
        (
            "incentive_penalty",
            c.incentive_penalty,
            "incentive_bonus",
            c.incentive_bonus,
        ),
    ];
    for (min_name, min, max_name, max) in bands {
        if min <= Decimal::ZERO {
            out.push(FieldError::new(min_name, why!(FactorPositive, min)));
        } else if min > one {
            out.push(FieldError::new(min_name, why!(FactorAtMostOne, min)));
        }
        if max < one {
            out.push(FieldError::new(max_name, why!(FactorAtLeastOne, max)));
        }
    }
    if c.molecule_min < c.transport_min {
        out.push(FieldError::new(
            "molecule_min",
            why!(MoleculeMinOutside, c.molecule_min, c.transport_min),
        ));
    }
    if c.molecule_max > c.transport_max {
        out.push(FieldError::new(
            "molecule_max",
            why!(MoleculeMaxOutside, c.molecule_max, c.transport_max),
        ));
    }
    out
}

fn unknown_unit(tenant: &Tenant, code: &str) -> FieldError {
    let known: Vec<String> = tenant
        .list::<GasUnit>()
        .map(|units| units.into_iter().map(|u| u.key).collect())
        .unwrap_or_default();
    let known = if known.is_empty() {
        "none yet".to_owned()
    } else {
        known.join(", ")
    };
    FieldError::new("unit", why!(NoGasUnit, code, known))
}

/// The largest quantity (m³ a day, or a rate) accepted anywhere: far above any plant (the
/// contract is 134.800 m³/d), and small enough that every sum of a month stays exact.
pub const MAX_M3: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// A daily quantity (QDP, QDR, manual QDS) is 0 or more and at most `MAX_M3`.
pub fn check_quantity(field: &str, value: Decimal, what: &str) -> Option<FieldError> {
    if value < Decimal::ZERO {
        return Some(FieldError::new(field, why!(VolumeNegative, value, what)));
    }
    (value > MAX_M3).then(|| FieldError::new(field, why!(VolumeTooLarge, value, MAX_M3)))
}

fn non_negative(field: &str, value: Decimal, what: &str) -> Result<()> {
    match check_quantity(field, value, what) {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Saves the entry of `unit` for `input.date`: a new one when `expected_version` is None, else
/// the entry as read at that version (a write since gives the storage `Conflict` error, "changed
/// by X at T"; so does None when someone entered the day meanwhile). Lines and dryers left out
/// are stored as off. A manual QDS is stamped with who set it and when, kept as it was while its
/// value does not change, and cleared by None. Saving an unchanged entry writes nothing.
/// `today` is the tenant's local date.
pub fn save_entry(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    input: EntryInput,
    expected_version: Option<u64>,
    today: Date,
) -> Result<Versioned<DailyEntry>> {
    let role = require(tenant, user, GasAction::Enter)?;
    if let Some(e) = check_date(input.date, today) {
        return Err(e.into());
    }
    if input.date < today && !GasAction::EnterPast.allowed(role) {
        return Err(deny(
            tenant,
            Denied::new(tenant, user, Some(role), GasAction::EnterPast),
        ));
    }
    let key = day_key(unit, input.date);
    write_checked(tenant, user, |tx| {
        let Some(gas_unit) = tx.get::<GasUnit>(unit)? else {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        };
        let gas_unit = gas_unit.value;
        if let Some(e) = check_entry(&gas_unit, &input, today).into_iter().next() {
            return Ok(Step::Refuse(e));
        }
        let current = tx.get::<DailyEntry>(&key)?;
        let mut lines: BTreeMap<String, bool> = gas_unit
            .toggled()
            .iter()
            .map(|e| (e.code.clone(), false))
            .collect();
        lines.extend(input.lines);
        let kept_manual = current.as_ref().and_then(|c| c.value.qds_manual.clone());
        let qds_manual = input.qds_manual.map(|value| match kept_manual {
            Some(m) if m.value == value => m,
            _ => ManualQds {
                value,
                by: tx.actor().to_owned(),
                at: tx.now(),
            },
        });
        let entry = DailyEntry {
            unit: gas_unit.code.clone(),
            date: input.date,
            atomizer_scheduled: input.atomizer_scheduled,
            atomizer_hours: input.atomizer_hours,
            secondary_scheduled: input.secondary_scheduled,
            secondary_hours: input.secondary_hours,
            lines,
            observations: input.observations.trim_end().to_owned(),
            qds_manual,
        };
        match (current, expected_version) {
            (None, None) => Ok(Step::Write(tx.insert(&key, entry)?)),
            (Some(cur), None) => Err(conflict(&cur, 0)),
            (Some(cur), Some(v)) if cur.version == v && cur.value == entry => Ok(Step::Keep(cur)),
            (_, Some(v)) => Ok(Step::Write(tx.update(&key, v, entry)?)),
        }
    })
}

/// Sets the plan (QDP, m³) of `unit` on `date`. Changing the value of an approved plan clears
/// its approval; setting the value it already has writes nothing.
pub fn save_plan(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    date: Date,
    qdp: Decimal,
) -> Result<Versioned<DailyPlan>> {
    require(tenant, user, GasAction::Plan)?;
    non_negative("qdp", qdp, "a plan")?;
    write_checked(tenant, user, |tx| {
        if tx.get::<GasUnit>(unit)?.is_none() {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        }
        Ok(match write_plan(tx, unit, date, qdp)? {
            (true, p) => Step::Write(p),
            (false, p) => Step::Keep(p),
        })
    })
}

/// Sets several days' plans of `unit` at once (a month typed or pasted), all or nothing, with
/// the rules of `save_plan`. Returns how many plans changed.
pub fn save_plans(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    plans: &[(Date, Decimal)],
) -> Result<usize> {
    require(tenant, user, GasAction::Plan)?;
    for (date, qdp) in plans {
        non_negative(&format!("qdp ({date})"), *qdp, "a plan")?;
    }
    write_checked(tenant, user, |tx| {
        if tx.get::<GasUnit>(unit)?.is_none() {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        }
        let mut changed = 0;
        for (date, qdp) in plans {
            if write_plan(tx, unit, *date, *qdp)?.0 {
                changed += 1;
            }
        }
        Ok(if changed > 0 {
            Step::Write(changed)
        } else {
            Step::Keep(0)
        })
    })
}

/// One day's plan in `tx`: (whether it was written, the plan as stored now).
fn write_plan(
    tx: &mut Tx,
    unit: &str,
    date: Date,
    qdp: Decimal,
) -> opsdeck_storage::Result<(bool, Versioned<DailyPlan>)> {
    let key = day_key(unit, date);
    match tx.get::<DailyPlan>(&key)? {
        Some(cur) if cur.value.qdp == qdp => Ok((false, cur)),
        Some(cur) => {
            let plan = DailyPlan {
                qdp,
                approved_by: None,
                approved_at: None,
                ..cur.value
            };
            Ok((true, tx.update(&key, cur.version, plan)?))
        }
        None => {
            let plan = DailyPlan {
                unit: unit.to_owned(),
                date,
                qdp,
                approved_by: None,
                approved_at: None,
            };
            Ok((true, tx.insert(&key, plan)?))
        }
    }
}

/// Approves the plan of `unit` on `date` (supervisor or admin). An approved plan stays as it is.
pub fn approve_plan(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    date: Date,
) -> Result<Versioned<DailyPlan>> {
    require(tenant, user, GasAction::ApprovePlan)?;
    write_checked(tenant, user, |tx| {
        if tx.get::<GasUnit>(unit)?.is_none() {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        }
        Ok(match approve_in(tx, unit, date)? {
            None => Step::Refuse(FieldError::new("date", why!(NoPlanToApprove, unit, date))),
            Some((true, p)) => Step::Write(p),
            Some((false, p)) => Step::Keep(p),
        })
    })
}

/// Approves every plan of `unit` from `from` to `to` (inclusive) not approved yet, in one
/// transaction (supervisor or admin). Returns how many were approved.
pub fn approve_plans(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    from: Date,
    to: Date,
) -> Result<usize> {
    require(tenant, user, GasAction::ApprovePlan)?;
    write_checked(tenant, user, |tx| {
        if tx.get::<GasUnit>(unit)?.is_none() {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        }
        let mut approved = 0;
        let mut date = from;
        while date <= to {
            if let Some((true, _)) = approve_in(tx, unit, date)? {
                approved += 1;
            }
            date = match date.tomorrow() {
                Ok(d) => d,
                Err(_) => break,
            };
        }
        Ok(if approved > 0 {
            Step::Write(approved)
        } else {
            Step::Keep(0)
        })
    })
}

/// Approves one day's plan in `tx`: None without a plan, else (whether it was written, the
/// plan as stored now).
fn approve_in(
    tx: &mut Tx,
    unit: &str,
    date: Date,
) -> opsdeck_storage::Result<Option<(bool, Versioned<DailyPlan>)>> {
    let key = day_key(unit, date);
    let Some(cur) = tx.get::<DailyPlan>(&key)? else {
        return Ok(None);
    };
    if cur.value.approved_by.is_some() {
        return Ok(Some((false, cur)));
    }
    let plan = DailyPlan {
        approved_by: Some(tx.actor().to_owned()),
        approved_at: Some(tx.now()),
        ..cur.value
    };
    Ok(Some((true, tx.update(&key, cur.version, plan)?)))
}

/// What `set_qdr` did.
#[derive(Debug, Clone, PartialEq)]
pub enum QdrOutcome {
    /// The value was stored.
    Written(Versioned<RealConsumption>),
    /// The same value from the same source was already stored; nothing written.
    Unchanged(Versioned<RealConsumption>),
    /// A manual value is stored and an API or import value never replaces it; nothing written.
    KeptManual(Versioned<RealConsumption>),
}

impl QdrOutcome {
    /// The record as it is stored now.
    pub fn record(&self) -> &Versioned<RealConsumption> {
        match self {
            QdrOutcome::Written(r) | QdrOutcome::Unchanged(r) | QdrOutcome::KeptManual(r) => r,
        }
    }
}

/// Sets the real consumption (QDR, m³) of `unit` on `date`. A manual value replaces anything
/// and is never replaced by an API or import value; API and import values replace each other.
/// `Manual` and `Import` need a role that may key data; `Api` (the meter) needs none.
pub fn set_qdr(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    date: Date,
    qdr: Decimal,
    source: QdrSource,
) -> Result<QdrOutcome> {
    if source != QdrSource::Api {
        require(tenant, user, GasAction::EnterQdr)?;
    }
    non_negative("qdr", qdr, "a real consumption")?;
    let key = day_key(unit, date);
    write_checked(tenant, user, |tx| {
        if tx.get::<GasUnit>(unit)?.is_none() {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        }
        let value = RealConsumption {
            unit: unit.to_owned(),
            date,
            qdr,
            source,
        };
        match tx.get::<RealConsumption>(&key)? {
            None => Ok(Step::Write(QdrOutcome::Written(tx.insert(&key, value)?))),
            Some(cur) if cur.value.source == QdrSource::Manual && source != QdrSource::Manual => {
                Ok(Step::Keep(QdrOutcome::KeptManual(cur)))
            }
            Some(cur) if cur.value == value => Ok(Step::Keep(QdrOutcome::Unchanged(cur))),
            Some(cur) => Ok(Step::Write(QdrOutcome::Written(tx.update(
                &key,
                cur.version,
                value,
            )?))),
        }
    })
}

/// Gives `equipment` of `unit` a new rate from `from` on (admin). The history is kept: the
/// change is added (in date order) and no earlier change is edited, so days before `from` keep
/// their rate. Refuses a rate of 0 or less, an empty note and a date that already has a change.
pub fn change_rate(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    equipment: &str,
    from: Date,
    rate: Decimal,
    note: &str,
) -> Result<Versioned<GasUnit>> {
    require(tenant, user, GasAction::Configure)?;
    if rate <= Decimal::ZERO {
        return Err(FieldError::new("rate", why!(MustBePositive, rate)).into());
    }
    if rate > MAX_M3 {
        return Err(FieldError::new("rate", why!(TooLarge, rate, MAX_M3)).into());
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(FieldError::new("note", why!(RateReasonRequired)).into());
    }
    write_checked(tenant, user, |tx| {
        let Some(cur) = tx.get::<GasUnit>(unit)? else {
            return Ok(Step::Refuse(unknown_unit(tenant, unit)));
        };
        let mut value = cur.value.clone();
        let codes: Vec<&str> = cur
            .value
            .equipment
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        let Some(eq) = value.equipment.iter_mut().find(|e| e.code == equipment) else {
            return Ok(Step::Refuse(FieldError::new(
                "equipment",
                why!(NoEquipment, unit, equipment, codes.join(", ")),
            )));
        };
        if let Some(same) = eq.rates.iter().find(|r| r.from == from) {
            return Ok(Step::Refuse(FieldError::new(
                "from",
                why!(RateExists, eq.name, from, same.rate, eq.rate_unit, same.by),
            )));
        }
        let at = eq.rates.partition_point(|r| r.from < from);
        eq.rates.insert(
            at,
            RateChange {
                from,
                rate,
                by: tx.actor().to_owned(),
                at: tx.now(),
                note: note.to_owned(),
            },
        );
        Ok(Step::Write(tx.update(unit, cur.version, value)?))
    })
}

/// Stores a contract, in force from its `effective_from` until the next one (admin); a contract
/// with the same date is replaced, an identical one writes nothing.
pub fn set_contract(
    tenant: &Tenant,
    user: &str,
    contract: Contract,
) -> Result<Versioned<Contract>> {
    require(tenant, user, GasAction::Configure)?;
    if let Some(e) = check_contract(&contract).into_iter().next() {
        return Err(e.into());
    }
    let key = contract.effective_from.to_string();
    write_checked(tenant, user, |tx| match tx.get::<Contract>(&key)? {
        Some(cur) if cur.value == contract => Ok(Step::Keep(cur)),
        Some(cur) => Ok(Step::Write(tx.update(&key, cur.version, contract)?)),
        None => Ok(Step::Write(tx.insert(&key, contract)?)),
    })
}
