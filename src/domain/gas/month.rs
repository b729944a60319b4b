//! A month of gas figures, per unit and consolidated, as the month grid, the chart and the
//! Petrobras sheet show them. Every figure is computed with the rates and contract in force on
//! its own day.

use jiff::civil::{Date, Weekday};
use opsdeck_storage::records::gas::{
    Contract, DailyEntry, DailyPlan, GasUnit, QdrSource, RealConsumption, contract_on, day_key,
};
use opsdeck_storage::{Result, Tenant, Versioned};
use rust_decimal::Decimal;

use super::calc::{self, Band, Consolidated, Deviations, Qds, UnitDay};

/// One unit on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCell {
    pub entry: Option<Versioned<DailyEntry>>,
    /// None without an entry; Err when a rate was missing for the day.
    pub qds: Option<std::result::Result<Qds, String>>,
    pub qdp: Option<Decimal>,
    pub plan_approved: bool,
    pub qdr: Option<(Decimal, QdrSource)>,
    /// QDR against QDP, when both exist and a contract is in force.
    pub deviations: Option<Deviations>,
}

impl UnitCell {
    pub fn qds_value(&self) -> Option<Decimal> {
        match &self.qds {
            Some(Ok(q)) => Some(q.effective),
            _ => None,
        }
    }

    pub fn band(&self) -> Option<Band> {
        self.deviations.as_ref().map(calc::band)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DayRow {
    pub date: Date,
    pub weekday: Weekday,
    /// In the order of `Month::units`.
    pub units: Vec<UnitCell>,
    /// None when no contract is in force on the day.
    pub contract: Option<Contract>,
    pub consolidated: Option<Consolidated>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    pub first: Date,
    pub units: Vec<GasUnit>,
    pub days: Vec<DayRow>,
}

impl Month {
    /// Month totals of the consolidated QDS, QDP and QDR.
    pub fn totals(&self) -> (Decimal, Decimal, Decimal) {
        self.days
            .iter()
            .filter_map(|d| d.consolidated.as_ref())
            .fold((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |t, c| {
                (t.0 + c.qds, t.1 + c.qdp, t.2 + c.qdr)
            })
    }
}

/// The month starting at `first` (any day of it is taken as its month), active units only.
pub fn month(tenant: &Tenant, first: Date) -> Result<Month> {
    let first = first.first_of_month();
    let units: Vec<GasUnit> = tenant
        .list::<GasUnit>()?
        .into_iter()
        .map(|u| u.value)
        .filter(|u| u.active)
        .collect();
    let contracts: Vec<Contract> = tenant
        .list::<Contract>()?
        .into_iter()
        .map(|c| c.value)
        .collect();
    let mut days = Vec::new();
    let mut date = first;
    while date.month() == first.month() {
        let contract = contract_on(&contracts, date).cloned();
        let mut cells = Vec::with_capacity(units.len());
        for u in &units {
            let key = day_key(&u.code, date);
            let entry = tenant.get::<DailyEntry>(&key)?;
            let plan = tenant.get::<DailyPlan>(&key)?.map(|p| p.value);
            let qdr = tenant.get::<RealConsumption>(&key)?.map(|r| r.value);
            let qds = entry
                .as_ref()
                .map(|e| calc::qds(u, &e.value).map_err(|m| m.to_string()));
            let qdp = plan.as_ref().map(|p| p.qdp);
            let deviations = match (&contract, qdp, &qdr) {
                (Some(c), Some(p), Some(r)) => Some(calc::deviations(p, r.qdr, c)),
                _ => None,
            };
            cells.push(UnitCell {
                entry,
                qds,
                qdp,
                plan_approved: plan.as_ref().is_some_and(|p| p.approved_by.is_some()),
                qdr: qdr.map(|r| (r.qdr, r.source)),
                deviations,
            });
        }
        let consolidated = contract.as_ref().map(|c| {
            let unit_days: Vec<UnitDay> = cells
                .iter()
                .map(|cell| UnitDay {
                    qds: cell.qds_value(),
                    qdp: cell.qdp,
                    qdr: cell.qdr.map(|(v, _)| v),
                })
                .collect();
            calc::consolidate(&unit_days, c)
        });
        days.push(DayRow {
            date,
            weekday: date.weekday(),
            units: cells,
            contract,
            consolidated,
        });
        date = match date.tomorrow() {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    Ok(Month { first, units, days })
}
