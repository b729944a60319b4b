//! Budget lines: the planned amount per month x cost center x category, keyed in the pane or
//! imported. An import with any bad row writes nothing and names every bad row.

use anyhow::Result;
use opsdeck_storage::records::ledger::{BudgetLine, Category, CostCenter, Month};
use opsdeck_storage::{Tenant, Tx, Versioned, why};
use rust_decimal::Decimal;

use super::LedgerAction;
use super::centers::{no_category, no_cost_center};
use super::post::is_closed;
use crate::domain::service::{FieldError, Step, check_decimal, require, write_checked};

/// One line to set.
#[derive(Debug, Clone, PartialEq)]
pub struct LineInput {
    pub month: Month,
    pub cost_center: String,
    pub category: String,
    pub planned: Decimal,
    pub note: String,
}

/// What is wrong with `l` in `tx`, field by field.
fn check_line(tx: &Tx, l: &LineInput) -> opsdeck_storage::Result<Vec<FieldError>> {
    let mut out = Vec::new();
    if l.planned < Decimal::ZERO {
        out.push(FieldError::new("planned", why!(NotNegative, l.planned)));
    } else if let Some(e) = check_decimal("planned", l.planned) {
        out.push(e);
    }
    if tx.get::<CostCenter>(&l.cost_center)?.is_none() {
        let centers: Vec<CostCenter> = super::centers::all_in(tx)?;
        out.push(no_cost_center(&centers, &l.cost_center, "cost_center"));
    }
    if tx.get::<Category>(&l.category)?.is_none() {
        out.push(no_category(
            &tx.list::<Category>()?,
            &l.category,
            "category",
        ));
    }
    if is_closed(tx, l.month)? {
        out.push(super::post::closed(
            l.month,
            super::post::first_open(tx, l.month)?,
        ));
    }
    Ok(out)
}

fn write_line(
    tx: &mut Tx,
    l: &LineInput,
) -> opsdeck_storage::Result<Option<Versioned<BudgetLine>>> {
    let key = BudgetLine::key(l.month, &l.cost_center, &l.category);
    let value = BudgetLine {
        month: l.month,
        cost_center: l.cost_center.clone(),
        category: l.category.clone(),
        planned: l.planned,
        note: l.note.trim().to_owned(),
    };
    let cell = super::post::cell_key(l.month, &l.cost_center, &l.category);
    Ok(match tx.get::<BudgetLine>(&key)? {
        Some(cur) if cur.value == value => None,
        Some(cur) => {
            super::post::put(tx, super::post::PLANNED, &cell, &l.planned)?;
            Some(tx.update(&key, cur.version, value)?)
        }
        None => {
            super::post::put(tx, super::post::PLANNED, &cell, &l.planned)?;
            Some(tx.insert(&key, value)?)
        }
    })
}

/// Sets one budget line (finance or admin); a closed month's plan is sealed with it.
pub fn set_line(
    tenant: &Tenant,
    user: &str,
    l: LineInput,
) -> Result<Option<Versioned<BudgetLine>>> {
    require(tenant, user, LedgerAction::Budget)?;
    write_checked(tenant, user, |tx| {
        super::centers::ensure_builtin(tx)?;
        if let Some(e) = check_line(tx, &l)?.into_iter().next() {
            return Ok(Step::Refuse(e));
        }
        Ok(match write_line(tx, &l)? {
            Some(v) => Step::Write(Some(v)),
            None => Step::Keep(None),
        })
    })
}

/// A bad row of an import: the file's row number and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLine {
    pub row: u64,
    pub error: FieldError,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    pub written: usize,
    pub unchanged: usize,
    pub bad: Vec<BadLine>,
}

/// Imports lines (row number, line) in one transaction: all of them, or none when any row is
/// bad (every bad row is listed).
pub fn import(tenant: &Tenant, user: &str, lines: &[(u64, LineInput)]) -> Result<Imported> {
    require(tenant, user, LedgerAction::Budget)?;
    let mut report = Imported::default();
    tenant.write_if(user, |tx| {
        super::centers::ensure_builtin(tx)?;
        for (row, l) in lines {
            for error in check_line(tx, l)? {
                report.bad.push(BadLine { row: *row, error });
            }
        }
        if !report.bad.is_empty() {
            return Ok((false, ()));
        }
        for (_, l) in lines {
            match write_line(tx, l)? {
                Some(_) => report.written += 1,
                None => report.unchanged += 1,
            }
        }
        tx.audit(
            "ledger.budget.import",
            "ledger_budget",
            &format!(
                "{} lines written, {} unchanged",
                report.written, report.unchanged
            ),
        );
        Ok((true, ()))
    })?;
    Ok(report)
}
