//! Spare parts and consumables: items, their stock per location and every movement (receive,
//! issue to a work order, return from one, adjust). Stock never goes below zero: a movement that
//! would take it there is refused, naming what is on hand. Every movement gets an id, is kept
//! as a record and is audited by the storage layer with the item's new stock.
//!
//! Who may do what (roles of `access::role_of`):
//! - receive stock: operator, supervisor, admin (the storekeeper is often an operator);
//! - create or edit an item, adjust a count: supervisor, admin;
//! - issue and return parts: through the work order (`work_orders::issue_part`), with its rules;
//! - finance and auditors read.

use anyhow::Result;
use opsdeck_storage::records::inventory::{Item, Movement, MovementKind};
use opsdeck_storage::records::user::Role;
use opsdeck_storage::refusal::Msg;
use opsdeck_storage::why;
use opsdeck_storage::{Record, Tenant, Tx, Versioned};
use rust_decimal::{Decimal, RoundingStrategy};

pub use crate::domain::service::require;
use crate::domain::service::{Denied, FieldError, Guarded, Step, conflict, write_checked};
use crate::domain::service::{check_decimal, check_positive};

/// What a stock call asks to do, for the role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockAction {
    Receive,
    /// Create or edit items, adjust counts.
    Manage,
}

impl Guarded for StockAction {
    fn name(self) -> &'static str {
        match self {
            StockAction::Receive => "stock.receive",
            StockAction::Manage => "stock.manage",
        }
    }

    fn what(self) -> Msg {
        match self {
            StockAction::Receive => Msg::StockReceive,
            StockAction::Manage => Msg::StockManage,
        }
    }

    fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            StockAction::Receive => matches!(role, Operator | Supervisor | Admin),
            StockAction::Manage => matches!(role, Supervisor | Admin),
        }
    }
}

/// A refused stock action.
pub type StockDenied = Denied<StockAction>;

/// An item as keyed in its form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemInput {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// R$ per unit, above 0.
    pub unit_cost: Decimal,
    /// 0 or more.
    pub min_stock: Decimal,
}

/// Longest item code.
pub const MAX_CODE: usize = 40;

/// Every problem of `input` (empty when it can be saved).
pub fn check_item(input: &ItemInput) -> Vec<FieldError> {
    let mut out = Vec::new();
    let code = input.code.trim();
    if code.is_empty() {
        out.push(FieldError::new("code", why!(PartCodeRequired)));
    } else if code.chars().count() > MAX_CODE {
        out.push(FieldError::new("code", why!(TooLong, MAX_CODE)));
    } else if code.chars().any(char::is_whitespace) {
        out.push(FieldError::new("code", why!(CodeHasSpaces, code)));
    }
    if input.name.trim().is_empty() {
        out.push(FieldError::new("name", why!(Required)));
    }
    if input.unit.trim().is_empty() {
        out.push(FieldError::new("unit", why!(UnitRequired)));
    }
    out.extend(check_positive("unit_cost", input.unit_cost));
    if input.min_stock < Decimal::ZERO {
        out.push(FieldError::new(
            "min_stock",
            why!(MinStockNegative, input.min_stock),
        ));
    }
    out.extend(check_decimal("min_stock", input.min_stock));
    out
}

fn no_item(code: &str) -> FieldError {
    FieldError::new("item", why!(NoInventoryItem, code))
}

/// Creates an item (`expected_version` None; refused when the code exists) or edits the one
/// read at `expected_version` (stock is kept; a write since conflicts). Unchanged writes nothing.
pub fn save_item(
    tenant: &Tenant,
    user: &str,
    input: ItemInput,
    expected_version: Option<u64>,
) -> Result<Versioned<Item>> {
    require(tenant, user, StockAction::Manage)?;
    if let Some(e) = check_item(&input).into_iter().next() {
        return Err(e.into());
    }
    let code = input.code.trim().to_owned();
    write_checked(tenant, user, |tx| {
        let current = tx.get::<Item>(&code)?;
        match (current, expected_version) {
            (None, None) => {
                let item = Item {
                    code: code.clone(),
                    name: input.name.trim().to_owned(),
                    unit: input.unit.trim().to_owned(),
                    unit_cost: input.unit_cost,
                    min_stock: input.min_stock,
                    stock: Default::default(),
                    active: true,
                };
                Ok(Step::Write(tx.insert(&code, item)?))
            }
            (Some(cur), None) => Ok(Step::Refuse(FieldError::new(
                "code",
                why!(ItemExists, code, cur.value.name),
            ))),
            (None, Some(_)) => Ok(Step::Refuse(no_item(&code))),
            (Some(cur), Some(v)) => {
                if cur.version != v {
                    return Err(conflict(&cur, v));
                }
                let item = Item {
                    name: input.name.trim().to_owned(),
                    unit: input.unit.trim().to_owned(),
                    unit_cost: input.unit_cost,
                    min_stock: input.min_stock,
                    ..cur.value.clone()
                };
                if item == cur.value {
                    return Ok(Step::Keep(cur));
                }
                Ok(Step::Write(tx.update(&code, v, item)?))
            }
        }
    })
}

/// The weighted average cost after adding `qty` at `cost` to `on_hand` at `avg`, kept to the
/// 4 decimal places costs are keyed with.
pub fn average_cost(on_hand: Decimal, avg: Decimal, qty: Decimal, cost: Decimal) -> Decimal {
    let total = on_hand.max(Decimal::ZERO) + qty;
    if total <= Decimal::ZERO {
        return cost;
    }
    ((on_hand.max(Decimal::ZERO) * avg + qty * cost) / total)
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

fn check_location(location: &str) -> Option<FieldError> {
    location
        .trim()
        .is_empty()
        .then(|| FieldError::new("location", why!(LocationRequired)))
}

/// One movement in `tx`: the item's stock at `location` changes by `qty` (refused below zero),
/// a positive movement with a cost re-averages the unit cost, the movement is stored.
#[allow(clippy::too_many_arguments)]
fn apply(
    tx: &mut Tx,
    cur: Versioned<Item>,
    location: &str,
    kind: MovementKind,
    qty: Decimal,
    unit_cost: Option<Decimal>,
    work_order: Option<u64>,
    note: &str,
) -> opsdeck_storage::Result<Result<Movement, FieldError>> {
    let mut item = cur.value.clone();
    let here = item.at(location);
    let after = here + qty;
    if after < Decimal::ZERO {
        return Ok(Err(FieldError::new(
            "qty",
            why!(
                StockBelowZero,
                here.normalize(),
                item.unit,
                item.code,
                location,
                kind,
                qty.abs().normalize()
            ),
        )));
    }
    let cost = unit_cost.unwrap_or(item.unit_cost);
    if qty > Decimal::ZERO && unit_cost.is_some() {
        item.unit_cost = average_cost(item.on_hand(), item.unit_cost, qty, cost);
    }
    item.stock.insert(location.to_owned(), after);
    let id = tx.next_id(<Movement as Record>::KIND)?;
    let movement = Movement {
        id,
        item: item.code.clone(),
        location: location.to_owned(),
        kind,
        qty,
        unit_cost: cost,
        work_order,
        by: tx.actor().to_owned(),
        at: tx.now(),
        note: note.to_owned(),
    };
    tx.update(&cur.key, cur.version, item)?;
    tx.insert(&Movement::key(id), movement.clone())?;
    Ok(Ok(movement))
}

/// Issues `qty` (> 0) of `code` to work order `order` inside `tx`, at the item's unit cost now.
/// `location` None takes the only location holding the item. For the work-order service, which
/// checks permissions and adds the part to the order in the same transaction.
pub(crate) fn issue_in(
    tx: &mut Tx,
    code: &str,
    location: Option<&str>,
    qty: Decimal,
    order: u64,
) -> opsdeck_storage::Result<Result<Movement, FieldError>> {
    let Some(cur) = tx.get::<Item>(code)? else {
        return Ok(Err(no_item(code)));
    };
    if !cur.value.active {
        return Ok(Err(FieldError::new(
            "item",
            why!(ItemRetired, code, cur.value.name),
        )));
    }
    let location = match location.map(str::trim) {
        Some(l) if !l.is_empty() => l.to_owned(),
        _ => {
            let held: Vec<(&String, &Decimal)> = cur
                .value
                .stock
                .iter()
                .filter(|(_, q)| **q > Decimal::ZERO)
                .collect();
            match held.as_slice() {
                [(l, _)] => (*l).clone(),
                [] => {
                    return Ok(Err(FieldError::new(
                        "qty",
                        why!(NoStockAnywhere, code, cur.value.name),
                    )));
                }
                many => {
                    let places: Vec<String> = many
                        .iter()
                        .map(|(l, q)| format!("{l} ({} {})", q.normalize(), cur.value.unit))
                        .collect();
                    return Ok(Err(FieldError::new(
                        "location",
                        why!(SayWhichLocation, code, places.join(", ")),
                    )));
                }
            }
        }
    };
    apply(
        tx,
        cur,
        &location,
        MovementKind::Issue,
        -qty,
        None,
        Some(order),
        &format!("OS {order}"),
    )
}

/// Puts `qty` (> 0) of `code` back at `location` from work order `order`, at the cost it was
/// issued at.
pub(crate) fn return_in(
    tx: &mut Tx,
    code: &str,
    location: &str,
    qty: Decimal,
    unit_cost: Decimal,
    order: u64,
) -> opsdeck_storage::Result<Result<Movement, FieldError>> {
    let Some(cur) = tx.get::<Item>(code)? else {
        return Ok(Err(no_item(code)));
    };
    apply(
        tx,
        cur,
        location,
        MovementKind::Return,
        qty,
        Some(unit_cost),
        Some(order),
        &format!("devolução da OS {order}"),
    )
}

/// Receives `qty` (> 0) of `code` at `location`; a `unit_cost` given re-averages the item's cost
/// (weighted by quantity on hand), none keeps it.
pub fn receive(
    tenant: &Tenant,
    user: &str,
    code: &str,
    location: &str,
    qty: Decimal,
    unit_cost: Option<Decimal>,
    note: &str,
) -> Result<Movement> {
    require(tenant, user, StockAction::Receive)?;
    if let Some(e) = check_location(location) {
        return Err(e.into());
    }
    if let Some(e) = check_positive("qty", qty) {
        return Err(e.into());
    }
    if let Some(c) = unit_cost
        && let Some(e) = check_positive("unit_cost", c)
    {
        return Err(e.into());
    }
    let (code, location, note) = (code.trim(), location.trim(), note.trim());
    write_checked(tenant, user, |tx| {
        let Some(cur) = tx.get::<Item>(code)? else {
            return Ok(Step::Refuse(no_item(code)));
        };
        Ok(
            match apply(
                tx,
                cur,
                location,
                MovementKind::Receive,
                qty,
                unit_cost,
                None,
                note,
            )? {
                Ok(m) => Step::Write(m),
                Err(e) => Step::Refuse(e),
            },
        )
    })
}

/// Corrects the count of `code` at `location` by `qty` (either sign, not 0), with the reason
/// (a count, a loss). Never below zero.
pub fn adjust(
    tenant: &Tenant,
    user: &str,
    code: &str,
    location: &str,
    qty: Decimal,
    reason: &str,
) -> Result<Movement> {
    require(tenant, user, StockAction::Manage)?;
    if let Some(e) = check_location(location) {
        return Err(e.into());
    }
    if qty.is_zero() {
        return Err(FieldError::new("qty", why!(ZeroChangesNothing)).into());
    }
    if let Some(e) = check_decimal("qty", qty) {
        return Err(e.into());
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(FieldError::new("reason", why!(CountReasonRequired)).into());
    }
    let (code, location) = (code.trim(), location.trim());
    write_checked(tenant, user, |tx| {
        let Some(cur) = tx.get::<Item>(code)? else {
            return Ok(Step::Refuse(no_item(code)));
        };
        Ok(
            match apply(
                tx,
                cur,
                location,
                MovementKind::Adjust,
                qty,
                None,
                None,
                reason,
            )? {
                Ok(m) => Step::Write(m),
                Err(e) => Step::Refuse(e),
            },
        )
    })
}

/// Items by code; `below_min_only` keeps those under their minimum (over all locations).
pub fn list(tenant: &Tenant, below_min_only: bool) -> Result<Vec<Versioned<Item>>> {
    Ok(tenant
        .list::<Item>()?
        .into_iter()
        .filter(|i| !below_min_only || i.value.below_minimum())
        .collect())
}

pub fn get(tenant: &Tenant, code: &str) -> Result<Versioned<Item>> {
    match tenant.get::<Item>(code.trim())? {
        Some(i) => Ok(i),
        None => Err(no_item(code.trim()).into()),
    }
}

/// The movements of one item, oldest first.
pub fn movements(tenant: &Tenant, code: &str) -> Result<Vec<Movement>> {
    let code = code.trim();
    Ok(tenant
        .list::<Movement>()?
        .into_iter()
        .map(|m| m.value)
        .filter(|m| m.item == code)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_average() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(average_cost(d("10"), d("5"), d("10"), d("7")), d("6"));
        assert_eq!(average_cost(d("0"), d("5"), d("3"), d("7.5")), d("7.5"));
        assert_eq!(average_cost(d("1"), d("1"), d("2"), d("1")), d("1"));
        assert_eq!(average_cost(d("2"), d("1"), d("1"), d("2")), d("1.3333"));
    }
}
