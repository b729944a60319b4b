//! The plant units, their equipment and rates, and the default contract of the RC spec
//! (section 9), from `sample-data/gas/units.toml` (compiled in). Loading inserts what the tenant
//! does not have yet and never touches what it has (rates an admin changed are kept), so it can
//! run at every start.

use std::collections::BTreeSet;
use std::str::FromStr;

use anyhow::{Result, anyhow, bail};
use jiff::Timestamp;
use jiff::civil::Date;
use opsdeck_storage::Tenant;
use opsdeck_storage::records::gas::{
    Contract, Equipment, EquipmentKind, GasUnit, RateChange, RateUnit,
};
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Value;

use super::entries::check_contract;

/// The compiled-in seed file.
pub const UNITS_TOML: &str = include_str!("../../../sample-data/gas/units.toml");
pub const FILE_NAME: &str = "sample-data/gas/units.toml";

/// Units and contract as read from a seed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    /// In file order.
    pub units: Vec<GasUnit>,
    pub contract: Contract,
}

/// What a load inserted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Codes of the units inserted (the others were there already).
    pub units: Vec<String>,
    /// The key (effective date) of the contract, when it was inserted.
    pub contract: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    rates_from: String,
    #[serde(default)]
    rates_note: String,
    contract: ContractToml,
    #[serde(default)]
    unit: Vec<UnitToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractToml {
    effective_from: String,
    qdc_limit: Value,
    transport_min: Value,
    transport_max: Value,
    molecule_min: Value,
    molecule_max: Value,
    incentive_bonus: Value,
    incentive_penalty: Value,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitToml {
    code: String,
    name: String,
    #[serde(default)]
    meter: Option<String>,
    #[serde(default)]
    equipment: Vec<EquipmentToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EquipmentToml {
    code: String,
    name: String,
    kind: String,
    rate: Value,
    unit: String,
}

/// An exact decimal from a TOML string ("0.95") or integer (1350); floats are refused, since
/// they are binary approximations.
fn decimal(at: &str, key: &str, v: &Value) -> Result<Decimal> {
    match v {
        Value::String(s) => Decimal::from_str_exact(s.trim()).map_err(|_| {
            anyhow!("{at}, key '{key}': '{s}' is not a decimal number (e.g. \"1350\" or \"0.95\")")
        }),
        Value::Integer(i) => Ok(Decimal::from(*i)),
        Value::Float(f) => bail!(
            "{at}, key '{key}': write {f} as a string (\"{f}\") so it is read exactly, not as a binary float"
        ),
        other => bail!(
            "{at}, key '{key}': expected a decimal number written as a string, found a {}",
            other.type_str()
        ),
    }
}

fn date(at: &str, key: &str, s: &str) -> Result<Date> {
    Date::from_str(s.trim())
        .map_err(|e| anyhow!("{at}, key '{key}': '{s}' is not a date (YYYY-MM-DD): {e}"))
}

fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Reads a seed file. `by` and `at` sign the initial rate of every equipment. Errors name the
/// file and the TOML key at fault ("unit BOT, equipment ATM052, key 'rate': ...").
pub fn parse(file_name: &str, src: &str, by: &str, at: Timestamp) -> Result<Seed> {
    let file: FileToml = toml::from_str(src).map_err(|e| {
        let line = e
            .span()
            .map(|s| format!(", line {}", line_of(src, s.start)))
            .unwrap_or_default();
        anyhow!("{file_name}{line}: {}", e.message().trim())
    })?;
    let top = file_name.to_owned();
    let rates_from = date(&top, "rates_from", &file.rates_from)?;

    let c = &file.contract;
    let at_c = format!("{file_name}: contract");
    let contract = Contract {
        effective_from: date(&at_c, "effective_from", &c.effective_from)?,
        qdc_limit: decimal(&at_c, "qdc_limit", &c.qdc_limit)?,
        transport_min: decimal(&at_c, "transport_min", &c.transport_min)?,
        transport_max: decimal(&at_c, "transport_max", &c.transport_max)?,
        molecule_min: decimal(&at_c, "molecule_min", &c.molecule_min)?,
        molecule_max: decimal(&at_c, "molecule_max", &c.molecule_max)?,
        incentive_bonus: decimal(&at_c, "incentive_bonus", &c.incentive_bonus)?,
        incentive_penalty: decimal(&at_c, "incentive_penalty", &c.incentive_penalty)?,
        note: c.note.trim().to_owned(),
    };
    if let Some(e) = check_contract(&contract).into_iter().next() {
        bail!("{at_c}, key '{}': {}", e.field, e.why);
    }

    if file.unit.is_empty() {
        bail!("{file_name}: no [[unit]]");
    }
    let mut codes = BTreeSet::new();
    let mut units = Vec::new();
    for (i, u) in file.unit.iter().enumerate() {
        let code = u.code.trim();
        let at_u = if code.is_empty() {
            format!("{file_name}: unit #{}", i + 1)
        } else {
            format!("{file_name}: unit {code}")
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            bail!("{at_u}, key 'code': '{code}' must be letters and digits, e.g. \"CRI\"");
        }
        if !codes.insert(code.to_owned()) {
            bail!("{at_u}, key 'code': {code} appears twice");
        }
        if u.name.trim().is_empty() {
            bail!("{at_u}, key 'name': required");
        }
        let mut eq_codes = BTreeSet::new();
        let mut equipment = Vec::new();
        for (j, e) in u.equipment.iter().enumerate() {
            let ecode = e.code.trim();
            let at_e = if ecode.is_empty() {
                format!("{at_u}, equipment #{}", j + 1)
            } else {
                format!("{at_u}, equipment {ecode}")
            };
            if ecode.is_empty() || !ecode.chars().all(|c| c.is_ascii_alphanumeric()) {
                bail!("{at_e}, key 'code': '{ecode}' must be letters and digits, e.g. \"L0\"");
            }
            if !eq_codes.insert(ecode.to_owned()) {
                bail!("{at_e}, key 'code': {ecode} appears twice in unit {code}");
            }
            if e.name.trim().is_empty() {
                bail!("{at_e}, key 'name': required");
            }
            let kind =
                EquipmentKind::from_str(&e.kind).map_err(|m| anyhow!("{at_e}, key 'kind': {m}"))?;
            let rate_unit =
                RateUnit::from_str(&e.unit).map_err(|m| anyhow!("{at_e}, key 'unit': {m}"))?;
            let expected = if kind == EquipmentKind::Atomizer {
                RateUnit::PerHour
            } else {
                RateUnit::PerDay
            };
            if rate_unit != expected {
                bail!("{at_e}, key 'unit': a {kind} is rated in {expected}, not {rate_unit}");
            }
            let rate = decimal(&at_e, "rate", &e.rate)?;
            if rate <= Decimal::ZERO {
                bail!("{at_e}, key 'rate': {rate} must be above 0");
            }
            equipment.push(Equipment {
                code: ecode.to_owned(),
                name: e.name.trim().to_owned(),
                kind,
                rate_unit,
                order: j as u32,
                active: true,
                rates: vec![RateChange {
                    from: rates_from,
                    rate,
                    by: by.to_owned(),
                    at,
                    note: file.rates_note.trim().to_owned(),
                }],
            });
        }
        let atomizers = equipment
            .iter()
            .filter(|e| e.kind == EquipmentKind::Atomizer)
            .count();
        if !(1..=2).contains(&atomizers) {
            bail!(
                "{at_u}, key 'equipment': {atomizers} atomizers; a unit has one (or two: primary and secondary)"
            );
        }
        units.push(GasUnit {
            code: code.to_owned(),
            name: u.name.trim().to_owned(),
            active: true,
            equipment,
            meter: u
                .meter
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
        });
    }
    Ok(Seed { units, contract })
}

/// Inserts the compiled-in units and default contract that `tenant` does not have yet, in one
/// transaction attributed to `actor` (nothing is written when it has them all).
pub fn load(tenant: &Tenant, actor: &str) -> Result<()> {
    load_toml(tenant, actor, FILE_NAME, UNITS_TOML).map(|_| ())
}

/// `load` with another seed file (tests, a site's own units).
pub fn load_toml(tenant: &Tenant, actor: &str, file_name: &str, src: &str) -> Result<Loaded> {
    let seed = parse(file_name, src, actor, crate::clock::now())?;
    let loaded = tenant.write_if(actor, |tx| {
        let now = tx.now();
        let mut loaded = Loaded::default();
        for mut unit in seed.units {
            if tx.get::<GasUnit>(&unit.code)?.is_some() {
                continue;
            }
            for r in unit.equipment.iter_mut().flat_map(|e| e.rates.iter_mut()) {
                r.at = now;
            }
            let code = unit.code.clone();
            tx.insert(&code, unit)?;
            loaded.units.push(code);
        }
        let key = seed.contract.effective_from.to_string();
        if tx.get::<Contract>(&key)?.is_none() {
            tx.insert(&key, seed.contract)?;
            loaded.contract = Some(key);
        }
        let changed = !loaded.units.is_empty() || loaded.contract.is_some();
        Ok((changed, loaded))
    })?;
    Ok(loaded)
}
