//! Which users run which gas units: the unit the gas pane opens on for a user, and who the
//! 18:00 missing-entry reminder goes to (`reminders`). The only writer of `GasOperator` records,
//! but for `users::remove`, which drops a removed user's assignment with their role.
//!
//! Assigning is an admin's (`GasAction::Configure`). The user must have a role in the tenant and
//! every unit must exist; a refusal is a `FieldError` naming `user` or `units` and writes nothing.
//! Writes are attributed and audited by the storage layer ("gas_operator.create" / ".update" /
//! ".delete"); setting the list a user already has writes nothing.

use anyhow::Result;
use opsdeck_storage::records::gas::{GasOperator, GasUnit};
use opsdeck_storage::records::user::User;
use opsdeck_storage::why;
use opsdeck_storage::{Tenant, Tx};

use super::entries::{self, FieldError, GasAction};

/// What `set_units` left stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub user: String,
    /// In unit order; empty when the user has no assignment (any more).
    pub units: Vec<String>,
    /// False when it already was so and nothing was written.
    pub changed: bool,
}

/// A gas unit and the users assigned to it, for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOperators {
    pub unit: String,
    pub name: String,
    pub active: bool,
    /// User names in name order; empty when nobody is assigned.
    pub operators: Vec<String>,
}

/// Sets the gas units `user` runs to `units` (codes, any case, repeats ignored), replacing what
/// was assigned; an empty list removes the assignment. Admin only.
pub fn set_units(tenant: &Tenant, actor: &str, user: &str, units: &[String]) -> Result<Assignment> {
    entries::require(tenant, actor, GasAction::Configure)?;
    // Units are only ever added (by the seed), so the list read here still holds in the tx.
    let known: Vec<String> = tenant
        .list::<GasUnit>()?
        .into_iter()
        .map(|u| u.key)
        .collect();
    // The checks run inside the write so a user removed meanwhile is refused; a refusal rolls
    // the transaction back (nothing written, not even the change counter).
    let outcome = tenant.write_if(actor, |tx| {
        if tx.get::<User>(user)?.is_none() {
            return Ok((false, Err(no_role(tenant, user))));
        }
        let units = match in_unit_order(&known, units) {
            Ok(u) => u,
            Err(e) => return Ok((false, Err(e))),
        };
        let changed = store(tx, user, &units)?;
        let done = Assignment {
            user: user.to_owned(),
            units,
            changed,
        };
        Ok((changed, Ok(done)))
    })?;
    Ok(outcome?)
}

/// Writes `user`'s assignment as `units` (none when empty); false when it already was so.
fn store(tx: &mut Tx, user: &str, units: &[String]) -> opsdeck_storage::Result<bool> {
    let value = GasOperator {
        user: user.to_owned(),
        units: units.to_vec(),
    };
    match tx.get::<GasOperator>(user)? {
        None if units.is_empty() => return Ok(false),
        Some(cur) if cur.value == value => return Ok(false),
        Some(cur) if units.is_empty() => tx.delete::<GasOperator>(user, cur.version)?,
        Some(cur) => drop(tx.update(user, cur.version, value)?),
        None => drop(tx.insert(user, value)?),
    }
    Ok(true)
}

/// The units assigned to `user`, in unit order; empty when none.
pub fn units_of(tenant: &Tenant, user: &str) -> Result<Vec<String>> {
    Ok(tenant
        .get::<GasOperator>(user)?
        .map(|v| v.value.units)
        .unwrap_or_default())
}

/// The users assigned to `unit` (a code), in name order; empty when none.
pub fn operators_of(tenant: &Tenant, unit: &str) -> Result<Vec<String>> {
    Ok(tenant
        .list::<GasOperator>()?
        .into_iter()
        .filter(|op| op.value.units.iter().any(|u| u == unit))
        .map(|op| op.key)
        .collect())
}

/// Every gas unit (code order) with its assigned users, in one read of each table.
pub fn operators_by_unit(tenant: &Tenant) -> Result<Vec<UnitOperators>> {
    let ops = tenant.list::<GasOperator>()?;
    Ok(tenant
        .list::<GasUnit>()?
        .into_iter()
        .map(|u| UnitOperators {
            operators: ops
                .iter()
                .filter(|op| op.value.units.contains(&u.key))
                .map(|op| op.key.clone())
                .collect(),
            unit: u.key,
            name: u.value.name,
            active: u.value.active,
        })
        .collect())
}

/// `asked` as stored codes in the order of `known` (code order), or the first unknown one.
fn in_unit_order(known: &[String], asked: &[String]) -> Result<Vec<String>, FieldError> {
    let mut chosen = Vec::new();
    for code in asked {
        let code = code.trim();
        match known.iter().find(|k| k.eq_ignore_ascii_case(code)) {
            Some(k) => chosen.push(k),
            None => {
                let units = if known.is_empty() {
                    "none yet".to_owned()
                } else {
                    known.join(", ")
                };
                return Err(FieldError::new("units", why!(NoGasUnit, code, units)));
            }
        }
    }
    Ok(known
        .iter()
        .filter(|k| chosen.contains(k))
        .cloned()
        .collect())
}

fn no_role(tenant: &Tenant, user: &str) -> FieldError {
    FieldError::new("user", why!(UserNoRoleAddFirst, user, tenant.name()))
}
