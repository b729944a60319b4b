//! Saving, importing, enabling and deleting alert rules. The alert engine picks changes up within
//! its tick (about 2 s) in whichever process runs the site services.

use anyhow::{Result, bail};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::rule::Rule;

use super::rules::parse_rules_toml;
use crate::domain::access::{Permission, require};

/// Creates a rule (`existing` None), or replaces the rule `existing = (name, version)` as read by
/// the user; a new name renames it, in one transaction.
pub fn save(tenant: &Tenant, user: &str, rule: Rule, existing: Option<(&str, u64)>) -> Result<()> {
    require(tenant, user, Permission::ManageTelemetry)?;
    if let Err(e) = rule.validate() {
        bail!("rule '{}': {e}", rule.name);
    }
    let key = rule.name.clone();
    tenant.write(user, |tx| match existing {
        Some((old, v)) if old == key => tx.update(&key, v, rule).map(|_| ()),
        Some((old, v)) => {
            tx.delete::<Rule>(old, v)?;
            tx.insert(&key, rule).map(|_| ())
        }
        None => tx.insert(&key, rule).map(|_| ()),
    })?;
    Ok(())
}

pub fn set_enabled(tenant: &Tenant, user: &str, name: &str, enabled: bool) -> Result<()> {
    require(tenant, user, Permission::ManageTelemetry)?;
    let Some(current) = tenant.get::<Rule>(name)? else {
        bail!("no rule '{name}'");
    };
    let mut r = current.value.clone();
    r.enabled = enabled;
    tenant.write(user, |tx| tx.update(name, current.version, r))?;
    Ok(())
}

pub fn delete(tenant: &Tenant, user: &str, name: &str, version: u64) -> Result<()> {
    require(tenant, user, Permission::ManageTelemetry)?;
    tenant.write(user, |tx| tx.delete::<Rule>(name, version))?;
    Ok(())
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Imports a rules TOML file: every rule is checked first and nothing is written if any is
/// wrong; rules with a known name replace the stored one (one transaction for the whole file).
pub fn import(tenant: &Tenant, user: &str, file_name: &str, src: &str) -> Result<Imported> {
    require(tenant, user, Permission::ManageTelemetry)?;
    let rules = match parse_rules_toml(file_name, src) {
        Ok(r) => r,
        Err(problems) => bail!(
            "{} problem(s), nothing imported:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ),
    };
    let out = tenant.write(user, |tx| {
        let mut out = Imported::default();
        for rule in rules {
            let key = rule.name.clone();
            match tx.get::<Rule>(&key)? {
                Some(current) if current.value == rule => out.unchanged += 1,
                Some(current) => {
                    tx.update(&key, current.version, rule)?;
                    out.updated += 1;
                }
                None => {
                    tx.insert(&key, rule)?;
                    out.created += 1;
                }
            }
        }
        Ok(out)
    })?;
    Ok(out)
}
