//! Postings keyed by finance in the pane or the CLI: manual commitments, realizations, savings
//! and adjustments. Checked field by field; a date in a closed month is refused with the
//! adjustment offered; an adjustment always lands in the first open month.

use anyhow::Result;
use jiff::civil::Date;
use opsdeck_storage::records::ledger::{Category, CostCenter, Entry, Month, Phase, SourceLink};
use opsdeck_storage::{Tenant, Versioned, why};
use rust_decimal::Decimal;

use super::LedgerAction;
use super::centers::{no_category, no_cost_center};
use super::post::{self, Late, Outcome};
use super::posting::Posting;
use crate::domain::service::{FieldError, Step, require, write_checked};

#[derive(Debug, Clone, PartialEq)]
pub struct ManualInput {
    /// Commit, Realize, Savings or Adjust.
    pub phase: Phase,
    pub date: Date,
    pub cost_center: String,
    pub category: String,
    pub amount: Decimal,
    pub description: String,
    pub reason: String,
    pub evidence: String,
    /// A realization or release: the commitment's source key.
    pub against: Option<String>,
    /// An adjustment: the entry key it corrects.
    pub corrects: Option<String>,
}

/// What is wrong with the input before anything is read (the form shows these inline).
pub fn check(i: &ManualInput) -> Vec<FieldError> {
    let mut out = Vec::new();
    if i.description.trim().is_empty() {
        out.push(FieldError::new("description", why!(IsRequired)));
    }
    if i.date < post::FIRST_DAY || i.date > post::LAST_DAY {
        out.push(FieldError::new("date", why!(DateOutOfRange, i.date)));
    }
    if matches!(i.phase, Phase::Savings | Phase::Adjust) && i.reason.trim().is_empty() {
        out.push(FieldError::new("reason", why!(IsRequired)));
    }
    if !matches!(
        i.phase,
        Phase::Commit | Phase::Realize | Phase::Savings | Phase::Adjust | Phase::Release
    ) {
        out.push(FieldError::new(
            "phase",
            why!(
                UnknownValue,
                "phase",
                i.phase,
                "commit, realize, release, savings, adjust"
            ),
        ));
    }
    let mut p = Posting::new("manual", i.phase, &i.category, i.amount);
    p.date = i.date;
    p.against = i.against.clone();
    if i.phase == Phase::Release {
        p.amount = Decimal::ZERO;
    }
    if let Some(e) = post::check(&p) {
        out.push(e);
    }
    out
}

/// Posts a manual entry (finance or admin); returns what was written.
pub fn post(tenant: &Tenant, user: &str, i: ManualInput) -> Result<Vec<Versioned<Entry>>> {
    require(tenant, user, LedgerAction::Post)?;
    if let Some(e) = check(&i).into_iter().next() {
        return Err(e.into());
    }
    write_checked(tenant, user, |tx| {
        super::centers::ensure_builtin(tx)?;
        if tx.get::<CostCenter>(&i.cost_center)?.is_none() {
            let centers = super::centers::all_in(tx)?;
            return Ok(Step::Refuse(no_cost_center(
                &centers,
                &i.cost_center,
                "cost_center",
            )));
        }
        if tx.get::<Category>(&i.category)?.is_none() {
            return Ok(Step::Refuse(no_category(
                &tx.list::<Category>()?,
                &i.category,
                "category",
            )));
        }
        let date = i.date;
        let mut original = None;
        if i.phase == Phase::Adjust {
            // An adjustment corrects the past from the first open month (`post` sends a date
            // in a closed month there, naming it).
            if let Some(k) = &i.corrects {
                match tx.get::<Entry>(k)? {
                    Some(e) => original = Some(e.value.month),
                    None => {
                        return Ok(Step::Refuse(FieldError::new("corrects", why!(NoEntry, k))));
                    }
                }
            }
            let open = post::first_open(tx, Month::of(date))?;
            if open != Month::of(date) {
                original.get_or_insert(Month::of(date));
            }
        } else if let Some(e) = post::check_open(tx, date)? {
            return Ok(Step::Refuse(e));
        }
        if let Some(k) = &i.against
            && post::read::<post::Commitment>(tx, post::COMMITMENTS, k)?.is_none()
        {
            return Ok(Step::Refuse(FieldError::new(
                "against",
                why!(NoCommitment, k),
            )));
        }
        let n = tx.next_id("ledger_manual")?;
        let mut p = Posting::new(format!("manual:{n}"), i.phase, &i.category, i.amount);
        p.cost_center = Some(i.cost_center.clone());
        p.date = date;
        p.description = i.description.trim().to_owned();
        p.reason = match original {
            Some(m) if i.phase == Phase::Adjust => format!("{} (corrige {m})", i.reason.trim()),
            _ => i.reason.trim().to_owned(),
        };
        p.evidence = i.evidence.trim().to_owned();
        p.against = i.against.clone();
        p.corrects = i.corrects.clone();
        p.link = SourceLink::Manual;
        let late = if i.phase == Phase::Adjust {
            Late::Adjust
        } else {
            Late::Refuse
        };
        match post::post(tx, &p, 0, late)? {
            Outcome::Posted(v) => Ok(Step::Write(v)),
            Outcome::Invalid(e) => Ok(Step::Refuse(e)),
            Outcome::Replay | Outcome::Conflict => Ok(Step::Refuse(FieldError::new(
                "source",
                why!(SourceConflict, p.source, p.description),
            ))),
        }
    })
}
