//! Gas cost: each day's real consumption (QDR) x the tariff in force that day is a pending
//! ("estimated") commitment; the month's supply invoice realizes the month and releases the
//! estimates, so the difference between estimated and invoiced shows. The tariff is
//! effective-dated and keyed by finance.

use std::collections::BTreeMap;

use anyhow::Result;
use jiff::civil::Date;
use opsdeck_storage::records::gas::{GasUnit, RealConsumption};
use opsdeck_storage::records::ledger::{GasInvoice, GasTariff, Month, Phase, SourceLink};
use opsdeck_storage::{Tenant, Tx, Versioned, why};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::LedgerAction;
use super::post::{self, Late, Outcome};
use super::posting::Posting;
use crate::domain::service::{FieldError, Step, check_positive, require, write_checked};

/// Per unit and day: the revision and amount of the estimate posted.
const GAS_STATE: &str = "ledger.gas";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Estimated {
    rev: u32,
    amount: Decimal,
}

fn source(unit: &str, date: Date, rev: u32) -> String {
    if rev <= 1 {
        format!("gas:{unit}:{date}")
    } else {
        format!("gas:{unit}:{date}#{rev}")
    }
}

/// Sets the tariff from `from` on (finance or admin).
pub fn set_tariff(
    tenant: &Tenant,
    user: &str,
    from: Date,
    price: Decimal,
    note: &str,
) -> Result<Versioned<GasTariff>> {
    require(tenant, user, LedgerAction::Configure)?;
    if let Some(e) = check_positive("price", price) {
        return Err(e.into());
    }
    write_checked(tenant, user, |tx| {
        let key = from.to_string();
        let value = GasTariff {
            from,
            price_per_m3: price,
            note: note.trim().to_owned(),
        };
        Ok(Step::Write(match tx.get::<GasTariff>(&key)? {
            Some(cur) => tx.update(&key, cur.version, value)?,
            None => tx.insert(&key, value)?,
        }))
    })
}

fn tariff_on(tariffs: &[Versioned<GasTariff>], d: Date) -> Option<Decimal> {
    tariffs
        .iter()
        .rev()
        .find(|t| t.value.from <= d)
        .map(|t| t.value.price_per_m3)
}

/// Posts the estimate of every day with a QDR from `from` on (idempotent: a day whose amount
/// did not change is left alone; a changed QDR voids the old estimate and commits the new one
/// while the month is not invoiced). Returns the entries written.
pub fn post_estimates(tenant: &Tenant, from: Date) -> Result<usize> {
    let tariffs = tenant.list::<GasTariff>()?;
    if tariffs.is_empty() {
        return Ok(0);
    }
    let days: Vec<RealConsumption> = tenant
        .list::<RealConsumption>()?
        .into_iter()
        .map(|v| v.value)
        .filter(|r| r.date >= from)
        .collect();
    let mut written = 0;
    for chunk in days.chunks(200) {
        tenant.write_if(super::ACTOR, |tx| {
            let mut any = false;
            for r in chunk {
                // Read in this transaction: an invoice keyed meanwhile has released the month.
                if tx
                    .get::<GasInvoice>(&GasInvoice::key(&r.unit, Month::of(r.date)))?
                    .is_some()
                {
                    continue;
                }
                let Some(price) = tariff_on(&tariffs, r.date) else {
                    continue;
                };
                let amount = (r.qdr * price).round_dp(2);
                let state_key = format!("{}|{}", r.unit, r.date);
                let prev: Option<Estimated> = post::read(tx, GAS_STATE, &state_key)?;
                let rev = match &prev {
                    Some(p) if p.amount == amount => continue,
                    Some(p) => {
                        let old = source(&r.unit, r.date, p.rev);
                        let mut void =
                            Posting::new(format!("{old}:void"), Phase::Void, "gas", Decimal::ZERO);
                        void.against = Some(old);
                        void.date = r.date;
                        void.description = format!("Gás {} {}: QDR corrigido", r.unit, r.date);
                        void.link = SourceLink::GasDay {
                            unit: r.unit.clone(),
                            date: r.date,
                        };
                        if let Outcome::Posted(v) = post::post(tx, &void, 0, Late::Adjust)? {
                            written += v.len();
                        }
                        p.rev + 1
                    }
                    None => 1,
                };
                if amount <= Decimal::ZERO {
                    post::put(tx, GAS_STATE, &state_key, &Estimated { rev, amount })?;
                    any = true;
                    continue;
                }
                let mut p =
                    Posting::new(source(&r.unit, r.date, rev), Phase::Commit, "gas", amount);
                p.scope = vec![format!("gas:{}", r.unit)];
                p.date = r.date;
                p.description = format!(
                    "Gás {} {}: {} m³ × R$ {}/m³ (estimado)",
                    r.unit,
                    r.date,
                    opsdeck_storage::locale::Locale::PtBr.number(r.qdr, 0),
                    opsdeck_storage::locale::Locale::PtBr.number(price, 4)
                );
                p.link = SourceLink::GasDay {
                    unit: r.unit.clone(),
                    date: r.date,
                };
                if let Outcome::Posted(v) = post::post(tx, &p, 0, Late::Adjust)? {
                    written += v.len();
                }
                post::put(tx, GAS_STATE, &state_key, &Estimated { rev, amount })?;
                any = true;
            }
            Ok((any, ()))
        })?;
    }
    Ok(written)
}

/// Keys a month's supply invoice for a unit (finance or admin): it is realized, and what is
/// still estimated of that unit and month is released. Returns (estimated, invoiced).
#[allow(clippy::too_many_arguments)]
pub fn set_invoice(
    tenant: &Tenant,
    user: &str,
    unit: &str,
    month: Month,
    number: &str,
    volume: Decimal,
    amount: Decimal,
) -> Result<(Decimal, Decimal)> {
    require(tenant, user, LedgerAction::Post)?;
    if let Some(e) = check_positive("amount", amount) {
        return Err(e.into());
    }
    if number.trim().is_empty() {
        return Err(FieldError::new("number", why!(IsRequired)).into());
    }
    if volume < Decimal::ZERO {
        return Err(FieldError::new("volume", why!(NotNegative, volume)).into());
    }
    let today = crate::clock::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    if month > Month::of(today) {
        return Err(FieldError::new("month", why!(DateInFuture, month, today)).into());
    }
    write_checked(tenant, user, |tx| {
        if tx.get::<GasUnit>(unit)?.is_none() {
            let known: Vec<String> = tx.list::<GasUnit>()?.into_iter().map(|u| u.key).collect();
            return Ok(Step::Refuse(FieldError::new(
                "unit",
                why!(NoGasUnit, unit, known.join(", ")),
            )));
        }
        let key = GasInvoice::key(unit, month);
        if tx.get::<GasInvoice>(&key)?.is_some() {
            return Ok(Step::Refuse(FieldError::new(
                "number",
                why!(
                    SourceConflict,
                    format!("gas:invoice:{unit}:{month}"),
                    number
                ),
            )));
        }
        let estimated = release_estimates(tx, unit, month)?;
        let mut p = Posting::new(
            format!("gas:invoice:{unit}:{month}"),
            Phase::Realize,
            "gas",
            amount,
        );
        p.scope = vec![format!("gas:{unit}")];
        p.date = month.last_day();
        let l = opsdeck_storage::locale::Locale::PtBr;
        p.description = format!(
            "Fatura de gás {unit} {month} nº {}: {} m³ (estimado {}, diferença {})",
            number.trim(),
            l.number(volume, 0),
            l.money(estimated),
            l.money(amount - estimated)
        );
        p.link = SourceLink::GasInvoice {
            unit: unit.to_owned(),
            month,
        };
        match post::post(tx, &p, 0, Late::Adjust)? {
            Outcome::Posted(_) => {}
            Outcome::Invalid(e) => return Ok(Step::Refuse(e)),
            Outcome::Replay | Outcome::Conflict => {
                return Ok(Step::Refuse(FieldError::new(
                    "number",
                    why!(SourceConflict, p.source, number),
                )));
            }
        }
        tx.insert(
            &key,
            GasInvoice {
                unit: unit.to_owned(),
                month,
                number: number.trim().to_owned(),
                volume_m3: volume,
                amount,
            },
        )?;
        Ok(Step::Write((estimated, amount)))
    })
}

/// Releases the open gas estimates of `unit` in `month`; returns what was estimated.
fn release_estimates(tx: &mut Tx, unit: &str, month: Month) -> opsdeck_storage::Result<Decimal> {
    let prefix = format!("gas:{unit}:");
    let mut estimated = Decimal::ZERO;
    let mut d = month.first_day();
    while d <= month.last_day() {
        let state_key = format!("{unit}|{d}");
        if let Some(e) = post::read::<Estimated>(tx, GAS_STATE, &state_key)? {
            let src = source(unit, d, e.rev);
            debug_assert!(src.starts_with(&prefix));
            if let Some(c) = post::read::<post::Commitment>(tx, post::COMMITMENTS, &src)? {
                estimated += c.amount - c.released;
            }
            let mut rel = Posting::new(
                format!("{src}:invoiced"),
                Phase::Release,
                "gas",
                Decimal::ZERO,
            );
            rel.against = Some(src);
            rel.date = month.last_day();
            rel.description = format!("Gás {unit} {d}: estimativa substituída pela fatura");
            rel.link = SourceLink::GasDay {
                unit: unit.to_owned(),
                date: d,
            };
            post::post(tx, &rel, 0, Late::Adjust)?;
        }
        d = match d.tomorrow() {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    Ok(estimated)
}

/// Per unit: (estimated, invoiced) of `month`.
pub fn month_summary(
    tenant: &Tenant,
    month: Month,
) -> Result<BTreeMap<String, (Decimal, Option<Decimal>)>> {
    let mut out: BTreeMap<String, (Decimal, Option<Decimal>)> = BTreeMap::new();
    for (k, b) in tenant.states(GAS_STATE)? {
        let Some((unit, date)) = k.split_once('|') else {
            continue;
        };
        let Ok(date) = date.parse::<Date>() else {
            continue;
        };
        if Month::of(date) != month {
            continue;
        }
        let e: Estimated = opsdeck_storage::codec::decode(&b)?;
        out.entry(unit.to_owned()).or_default().0 += e.amount;
    }
    for inv in tenant.list::<GasInvoice>()? {
        if inv.value.month == month {
            out.entry(inv.value.unit.clone()).or_default().1 = Some(inv.value.amount);
        }
    }
    Ok(out)
}
