//! Work orders: creating them (by hand, from an alert, from a preventive plan), moving them
//! through their status flow, answering their checklist and booking what they cost (parts from
//! stock, labor, services). Closing an order posts its cost lines to the outbox for the ledger.
//! Every refusal names the field and the reason and writes nothing (only a refused permission
//! leaves its audit entry); every write is attributed and audited by the storage layer.
//!
//! Who may do what (roles of `access::role_of`):
//! - open a request or corrective order; start, hold, resume and complete an order; answer its
//!   checklist; issue and return parts, book labor and services; add notes; record downtime:
//!   operator, supervisor, admin. An operator works only on orders assigned to them or to
//!   nobody;
//! - open a preventive or predictive order (also from an alert), assign, change priority or due
//!   date, cancel: supervisor, admin;
//! - finance and auditors read (`list`, `get`), they write nothing here.
//!
//! Status flow: open -> in_progress | on_hold | cancelled; in_progress -> on_hold | done |
//! cancelled; on_hold -> in_progress | cancelled; done and cancelled are final. Holding and
//! cancelling need a reason. Completing a preventive order needs every required checklist item
//! answered. Closing (done or cancelled) closes an open downtime window at that instant and
//! emits one `cost.posted` event per cost line, in the same transaction: money already spent on
//! a cancelled order is still spent.

use std::collections::BTreeMap;

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::records::alert::Alert;
use opsdeck_storage::records::asset::Asset;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::inventory::Movement;
use opsdeck_storage::records::ledger::StandardCost;
use opsdeck_storage::records::rule::Severity;
use opsdeck_storage::records::user::{Role, User};
use opsdeck_storage::records::work_order::{
    AlertOrder, ChecklistItem, Downtime, EvidenceRef, ItemKind, ItemResult, LaborEntry, PartUse,
    Priority, Procedure, ServiceCost, Transition, WoKind, WoNote, WoStatus, WorkOrder,
};
use opsdeck_storage::refusal::{Msg, Why};
use opsdeck_storage::why;
use opsdeck_storage::{Record, Tenant, Tx, Versioned};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::inventory;
use crate::domain::service::{Denied, Guarded, Step, conflict, write_checked};
pub use crate::domain::service::{FieldError, require};
use crate::domain::service::{check_decimal, check_positive};
use crate::domain::telemetry::alerts;

/// What a new order needs; the rest starts empty.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewOrder {
    pub title: String,
    pub description: String,
    pub kind: WoKind,
    pub priority: Priority,
    pub asset: Option<String>,
    pub assignee: Option<String>,
    pub due: Option<Timestamp>,
    /// Procedure code: its items become the checklist.
    pub procedure: Option<String>,
    pub alert: Option<String>,
    pub plan: Option<String>,
    pub extra: BTreeMap<String, String>,
}

impl NewOrder {
    pub fn new(title: impl Into<String>, kind: WoKind) -> NewOrder {
        NewOrder {
            title: title.into(),
            description: String::new(),
            kind,
            priority: Priority::Medium,
            asset: None,
            assignee: None,
            due: None,
            procedure: None,
            alert: None,
            plan: None,
            extra: BTreeMap::new(),
        }
    }
}

/// Creates the order inside `tx` (for callers that write more in the same transaction, e.g. the
/// preventive scheduler marking the occurrence it generated). The caller checks permissions
/// and input; an unknown procedure is an error. An order linked to an alert becomes the alert's
/// current order (see `from_alert`).
pub fn create_in(tx: &mut Tx, new: NewOrder) -> opsdeck_storage::Result<Versioned<WorkOrder>> {
    let checklist = match &new.procedure {
        Some(code) => match tx.get::<Procedure>(code)? {
            Some(p) => p
                .value
                .items
                .into_iter()
                .map(|item| ChecklistItem {
                    item,
                    result: None,
                    note: String::new(),
                    by: None,
                    at: None,
                })
                .collect(),
            None => {
                return Err(opsdeck_storage::Error::Invalid(format!(
                    "procedure: there is no procedure '{code}'"
                )));
            }
        },
        None => Vec::new(),
    };
    // No estimate given: the procedure's standard cost, if finance set one.
    let mut extra = new.extra;
    if !extra.contains_key(WorkOrder::ESTIMATE)
        && let Some(code) = &new.procedure
        && let Some(std) = tx.get::<StandardCost>(code)?
    {
        extra.insert(
            WorkOrder::ESTIMATE.into(),
            std.value.amount.normalize().to_string(),
        );
    }
    let id = tx.next_id(<WorkOrder as Record>::KIND)?;
    if let Some(alert) = &new.alert {
        let link = AlertOrder {
            alert: alert.clone(),
            order: id,
        };
        match tx.get::<AlertOrder>(alert)? {
            Some(cur) => tx.update(alert, cur.version, link)?,
            None => tx.insert(alert, link)?,
        };
    }
    let order = WorkOrder {
        id,
        title: new.title,
        description: new.description,
        kind: new.kind,
        priority: new.priority,
        status: WoStatus::Open,
        asset: new.asset,
        assignee: new.assignee,
        due: new.due,
        created_by: tx.actor().to_owned(),
        created_at: tx.now(),
        transitions: Vec::new(),
        procedure: new.procedure,
        checklist,
        parts: Vec::new(),
        labor: Vec::new(),
        services: Vec::new(),
        evidence: Vec::new(),
        notes: Vec::new(),
        downtime: Vec::new(),
        alert: new.alert,
        plan: new.plan,
        extra,
    };
    tx.insert(&WorkOrder::key(id), order)
}

/// Creates an order in its own transaction, without permission or input checks (site services,
/// demo data). People go through `open_order`.
pub fn create(tenant: &Tenant, actor: &str, new: NewOrder) -> Result<Versioned<WorkOrder>> {
    Ok(tenant.write(actor, |tx| create_in(tx, new))?)
}

// ---------------------------------------------------------------------------------------------
// Roles

/// What a work-order call asks to do, for the role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WoAction {
    /// Open a request or corrective order.
    Create,
    /// Open a preventive or predictive order (also from an alert).
    CreatePlanned,
    /// Move an order (except cancel), answer its checklist, book on it, note, record downtime.
    Work,
    /// Assign, change priority or due date, cancel.
    Manage,
}

impl Guarded for WoAction {
    fn name(self) -> &'static str {
        match self {
            WoAction::Create => "wo.create",
            WoAction::CreatePlanned => "wo.create.planned",
            WoAction::Work => "wo.work",
            WoAction::Manage => "wo.manage",
        }
    }

    fn what(self) -> Msg {
        match self {
            WoAction::Create => Msg::WoCreate,
            WoAction::CreatePlanned => Msg::WoCreatePlanned,
            WoAction::Work => Msg::WoWork,
            WoAction::Manage => Msg::WoManage,
        }
    }

    fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            WoAction::Create | WoAction::Work => matches!(role, Operator | Supervisor | Admin),
            WoAction::CreatePlanned | WoAction::Manage => matches!(role, Supervisor | Admin),
        }
    }
}

impl WoAction {
    /// The action creating an order of `kind` needs.
    pub fn to_create(kind: WoKind) -> WoAction {
        match kind {
            WoKind::Corrective | WoKind::Request => WoAction::Create,
            WoKind::Preventive | WoKind::Predictive => WoAction::CreatePlanned,
        }
    }
}

/// A refused work-order action.
pub type CmmsDenied = Denied<WoAction>;

// ---------------------------------------------------------------------------------------------
// Write plumbing

fn refuse<T>(field: &str, why: Why) -> Result<T> {
    Err(FieldError::new(field, why).into())
}

fn no_order(id: u64) -> FieldError {
    FieldError::new("id", why!(NoWorkOrder, id))
}

/// Which order and, when the caller showed it to someone, the version they saw: a write since
/// is refused with the storage `Conflict` ("changed by X at T"). None acts on the order as it
/// is now (a script, or a command typed against the current state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderRef {
    pub id: u64,
    pub version: Option<u64>,
}

impl OrderRef {
    /// The order as it is now.
    pub fn now(id: u64) -> OrderRef {
        OrderRef { id, version: None }
    }

    /// The order as read at `version`.
    pub fn at(id: u64, version: u64) -> OrderRef {
        OrderRef {
            id,
            version: Some(version),
        }
    }
}

impl From<&Versioned<WorkOrder>> for OrderRef {
    fn from(v: &Versioned<WorkOrder>) -> Self {
        OrderRef::at(v.value.id, v.version)
    }
}

/// A change to an existing order: role check, the order read in the transaction, version check,
/// the operator-owns-it rule for `Work`, then `f` edits a copy (and may write other records in
/// `tx`); an `Err(FieldError)` from `f` writes nothing.
fn edit<R>(
    tenant: &Tenant,
    user: &str,
    action: WoAction,
    at: OrderRef,
    f: impl FnOnce(&mut Tx, &mut WorkOrder) -> opsdeck_storage::Result<Result<R, FieldError>>,
) -> Result<(Versioned<WorkOrder>, R)> {
    let role = require(tenant, user, action)?;
    let key = WorkOrder::key(at.id);
    write_checked(tenant, user, |tx| {
        let Some(cur) = tx.get::<WorkOrder>(&key)? else {
            return Ok(Step::Refuse(no_order(at.id)));
        };
        if let Some(v) = at.version
            && v != cur.version
        {
            return Err(conflict(&cur, v));
        }
        if action == WoAction::Work
            && role == Role::Operator
            && let Some(assignee) = cur.value.assignee.as_deref()
            && assignee != user
        {
            return Ok(Step::deny(Denied {
                what: why!(WorkOnAssigned, at.id, assignee),
                ..Denied::new(tenant, user, Some(role), action)
            }));
        }
        let mut order = cur.value.clone();
        match f(tx, &mut order)? {
            Err(e) => Ok(Step::Refuse(e)),
            Ok(r) => {
                let stored = tx.update(&key, cur.version, order)?;
                Ok(Step::Write((stored, r)))
            }
        }
    })
}

/// Refuses bookings and checklist answers on a closed order.
fn check_open_for_work(order: &WorkOrder, what: &str) -> Result<(), FieldError> {
    if order.status.is_closed() {
        let why = match order.closed_at() {
            Some(t) => why!(ClosedAtTakesNo, order.id, order.status, t, what),
            None => why!(ClosedTakesNo, order.id, order.status, what),
        };
        return Err(FieldError::new("status", why));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Creating

/// Longest title kept.
pub const MAX_TITLE: usize = 200;

/// Opens an order for a person: the role its kind needs, a title, an asset that exists and is
/// in service, an assignee with a role in the tenant, an alert and a procedure that exist.
pub fn open_order(tenant: &Tenant, user: &str, mut new: NewOrder) -> Result<Versioned<WorkOrder>> {
    require(tenant, user, WoAction::to_create(new.kind))?;
    new.title = checked_title(&new.title)?;
    new.description = new.description.trim_end().to_owned();
    // Tags are stored upper case ("ch-01" finds CH-01).
    new.asset = new
        .asset
        .map(|a| a.trim().to_ascii_uppercase())
        .filter(|a| !a.is_empty());
    new.assignee = assignee_of(new.assignee.as_deref());
    write_checked(tenant, user, |tx| {
        if let Some(e) = check_refs(tx, &new)? {
            return Ok(Step::Refuse(e));
        }
        Ok(Step::Write(create_in(tx, new)?))
    })
}

/// A title as stored (trimmed), or why it cannot be one.
fn checked_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return refuse("title", why!(TitleRequired));
    }
    if title.chars().count() > MAX_TITLE {
        return refuse("title", why!(TooLong, MAX_TITLE));
    }
    Ok(title.to_owned())
}

/// An assignee as typed: trimmed, and nobody when blank.
fn assignee_of(assignee: Option<&str>) -> Option<String> {
    assignee
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

/// The asset, assignee, alert and procedure an order names exist.
fn check_refs(tx: &Tx, new: &NewOrder) -> opsdeck_storage::Result<Option<FieldError>> {
    if let Some(tag) = &new.asset {
        match tx.get::<Asset>(tag)? {
            None => {
                return Ok(Some(FieldError::new("asset", why!(NoAsset, tag))));
            }
            Some(a) if !a.value.active => {
                return Ok(Some(FieldError::new(
                    "asset",
                    why!(AssetIsRetired, tag, a.value.name),
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(user) = &new.assignee
        && let Some(e) = check_assignee(tx, user)?
    {
        return Ok(Some(e));
    }
    if let Some(key) = &new.alert
        && tx.get::<Alert>(key)?.is_none()
    {
        return Ok(Some(FieldError::new("alert", why!(NoAlert, key))));
    }
    if let Some(code) = &new.procedure
        && tx.get::<Procedure>(code)?.is_none()
    {
        return Ok(Some(FieldError::new("procedure", why!(NoProcedure, code))));
    }
    Ok(None)
}

fn check_assignee(tx: &Tx, user: &str) -> opsdeck_storage::Result<Option<FieldError>> {
    Ok(tx
        .get::<User>(user)?
        .is_none()
        .then(|| FieldError::new("assignee", why!(AssigneeNoRole, user))))
}

/// What `from_alert` did.
#[derive(Debug, Clone, PartialEq)]
pub struct FromAlert {
    pub order: Versioned<WorkOrder>,
    /// False: the alert already had an order that is not closed, returned as it is.
    pub created: bool,
}

/// Longest title taken from an alert message.
const ALERT_TITLE: usize = 120;

/// Opens a predictive order from an open alert: linked to the alert and its device's asset,
/// titled from its message, prioritised from its severity, with `snapshot` (e.g. the chart at
/// that moment) as its first evidence. An alert whose order is still open gets no second one:
/// that order is returned.
pub fn from_alert(
    tenant: &Tenant,
    user: &str,
    alert_key: &str,
    snapshot: Option<EvidenceRef>,
) -> Result<FromAlert> {
    require(tenant, user, WoAction::CreatePlanned)?;
    // A sensor linked from the asset's side only (listed before it ever reported) still names
    // its asset; the transaction cannot scan, so look it up first.
    let listed_on: Vec<(String, Vec<String>)> = tenant
        .list::<Asset>()?
        .into_iter()
        .filter(|a| a.value.active)
        .map(|a| (a.key, a.value.sensors))
        .collect();
    write_checked(tenant, user, |tx| {
        let Some(alert) = tx.get::<Alert>(alert_key)? else {
            return Ok(Step::Refuse(FieldError::new(
                "alert",
                why!(NoAlert, alert_key),
            )));
        };
        let alert = alert.value;
        if let Some(link) = tx.get::<AlertOrder>(alert_key)?
            && let Some(order) = tx.get::<WorkOrder>(&WorkOrder::key(link.value.order))?
            && !order.value.status.is_closed()
        {
            return Ok(Step::Keep(FromAlert {
                order,
                created: false,
            }));
        }
        if !alert.is_open() {
            return Ok(Step::Refuse(FieldError::new(
                "alert",
                why!(AlertResolved, alert.id),
            )));
        }
        let asset = tx
            .get::<Device>(&alert.device)?
            .map(|d| d.value.asset)
            .filter(|a| !a.is_empty())
            .or_else(|| {
                listed_on
                    .iter()
                    .find(|(_, sensors)| sensors.contains(&alert.device))
                    .map(|(tag, _)| tag.clone())
            });
        let mut title: String = alert.message.chars().take(ALERT_TITLE).collect();
        if title.trim().is_empty() {
            title = format!("Alerta {} · {} · {}", alert.id, alert.device, alert.rule);
        }
        let mut extra = BTreeMap::new();
        extra.insert("alert_rule".to_owned(), alert.rule.clone());
        extra.insert("alert_device".to_owned(), alert.device.clone());
        if let Some(v) = alert.last_value.or(alert.value) {
            extra.insert("alert_value".to_owned(), v.to_string());
        }
        let new = NewOrder {
            title,
            description: alert.message.clone(),
            priority: priority_of(alert.severity),
            asset,
            alert: Some(alert_key.to_owned()),
            extra,
            ..NewOrder::new("", WoKind::Predictive)
        };
        let order = create_in(tx, new)?;
        let order = match snapshot {
            Some(ev) => {
                let mut value = order.value.clone();
                value.evidence.push(ev);
                tx.update(&order.key, order.version, value)?
            }
            None => order,
        };
        Ok(Step::Write(FromAlert {
            order,
            created: true,
        }))
    })
}

/// `from_alert` as a person asks for it: the role checked first, and only when the alert gets
/// a new order, the sensor's readings around it stored as its evidence. A snapshot that cannot
/// be taken (the store refuses it, the disk is full) does not stop the order: it opens without
/// one and a note says why.
pub fn from_alert_with_readings(
    evidence: &std::path::Path,
    tenant: &Tenant,
    user: &str,
    alert_key: &str,
    now: Timestamp,
) -> Result<FromAlert> {
    require(tenant, user, WoAction::CreatePlanned)?;
    let has_open_order = match tenant.get::<AlertOrder>(alert_key)? {
        Some(link) => tenant
            .get::<WorkOrder>(&WorkOrder::key(link.value.order))?
            .is_some_and(|o| !o.value.status.is_closed()),
        None => false,
    };
    let alert_open = tenant
        .get::<Alert>(alert_key)?
        .is_some_and(|a| a.value.is_open());
    if has_open_order || !alert_open {
        // The same order again, or the service's own refusal.
        return from_alert(tenant, user, alert_key, None);
    }
    let (snapshot, problem) =
        match super::evidence::alert_snapshot(evidence, tenant, alert_key, user, now) {
            Ok(s) => (s, None),
            Err(e) => (None, Some(e.to_string())),
        };
    let made = from_alert(tenant, user, alert_key, snapshot)?;
    if let Some(why) = problem
        && made.created
    {
        tracing::warn!("alert {alert_key}: readings not attached: {why}");
        let note = format!("Leituras do sensor não anexadas / sensor readings not attached: {why}");
        if let Ok(o) = add_note(tenant, user, OrderRef::from(&made.order), &note) {
            return Ok(FromAlert { order: o, ..made });
        }
    }
    Ok(made)
}

/// critical -> urgent, warning -> high, info -> medium.
pub fn priority_of(severity: Severity) -> Priority {
    match severity {
        Severity::Critical => Priority::Urgent,
        Severity::Warning => Priority::High,
        Severity::Info => Priority::Medium,
    }
}

// ---------------------------------------------------------------------------------------------
// Status

/// Where an order in `from` may go next.
pub fn allowed_moves(from: WoStatus) -> &'static [WoStatus] {
    use WoStatus::*;
    match from {
        Open => &[InProgress, OnHold, Cancelled],
        InProgress => &[OnHold, Done, Cancelled],
        OnHold => &[InProgress, Cancelled],
        Done | Cancelled => &[],
    }
}

/// Refuses a move the flow does not have, naming from, to and what is allowed.
pub fn check_move(from: WoStatus, to: WoStatus) -> Result<(), FieldError> {
    let allowed = allowed_moves(from);
    if allowed.contains(&to) {
        return Ok(());
    }
    let why = if allowed.is_empty() {
        why!(CannotMoveFinal, from, to)
    } else {
        let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        why!(CannotMove, from, to, names.join(", "))
    };
    Err(FieldError::new("status", why))
}

/// The payload of a `cost.posted` outbox event: one cost line of a closed order, for the
/// ledger. Consumers post each `idempotency_key` once, however often the outbox is replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostPosted {
    /// "wo:<id>:part:<movement>", "wo:<id>:labor:<index>" or "wo:<id>:service:<index>"
    /// (indexes from 0 into the order's lists, which only grow).
    pub idempotency_key: String,
    pub work_order: u64,
    pub asset: Option<String>,
    /// "parts", "labor" or "services".
    pub category: String,
    /// R$, as a decimal string.
    pub amount: Decimal,
    pub description: String,
    /// When the order was closed.
    pub at: Timestamp,
}

/// The outbox event name of a cost line.
pub const COST_POSTED: &str = "cost.posted";

/// One cost line of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    pub idempotency_key: String,
    pub category: &'static str,
    pub amount: Decimal,
    pub description: String,
}

/// The order's cost lines; their amounts add up to `WorkOrder::cost()`.
pub fn cost_lines(order: &WorkOrder) -> Vec<CostLine> {
    let id = order.id;
    let parts = order.parts.iter().map(|p| CostLine {
        idempotency_key: format!("wo:{id}:part:{}", p.movement),
        category: "parts",
        amount: p.qty * p.unit_cost,
        description: format!(
            "{} × {} @ {} ({})",
            p.qty.normalize(),
            p.item,
            p.unit_cost.normalize(),
            p.location
        ),
    });
    let labor = order.labor.iter().enumerate().map(|(i, l)| CostLine {
        idempotency_key: format!("wo:{id}:labor:{i}"),
        category: "labor",
        amount: l.hours * l.rate,
        description: format!(
            "{} {} h × {}/h",
            l.technician,
            l.hours.normalize(),
            l.rate.normalize()
        ),
    });
    let services = order.services.iter().enumerate().map(|(i, s)| CostLine {
        idempotency_key: format!("wo:{id}:service:{i}"),
        category: "services",
        amount: s.amount,
        description: s.description.clone(),
    });
    parts.chain(labor).chain(services).collect()
}

/// Why a move needs a reason, or None when it does not.
fn reason_needed(to: WoStatus) -> Option<Why> {
    match to {
        WoStatus::OnHold => Some(why!(HoldReasonRequired)),
        WoStatus::Cancelled => Some(why!(CancelReasonRequired)),
        _ => None,
    }
}

/// Moves an order to `to` (see the flow at the top). Cancelling needs `Manage`, every other move
/// `Work`. Holding and cancelling need a reason; completing a preventive order needs its
/// required checklist items answered. Closing closes an open downtime window and posts the cost
/// lines (outbox, same transaction).
pub fn transition(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    to: WoStatus,
    reason: &str,
) -> Result<Versioned<WorkOrder>> {
    move_order(tenant, user, at, None, to, reason)
}

/// Like `transition`, but only from `from`: "start" means from open and "resume" from on hold,
/// so a command typed against a stale screen does not do something else.
pub fn transition_from(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    from: WoStatus,
    to: WoStatus,
    reason: &str,
) -> Result<Versioned<WorkOrder>> {
    move_order(tenant, user, at, Some(from), to, reason)
}

fn move_order(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    from: Option<WoStatus>,
    to: WoStatus,
    reason: &str,
) -> Result<Versioned<WorkOrder>> {
    let action = if to == WoStatus::Cancelled {
        WoAction::Manage
    } else {
        WoAction::Work
    };
    let reason = reason.trim();
    if reason.is_empty()
        && let Some(why) = reason_needed(to)
    {
        // The role comes first: someone who may not cancel learns that, not that a reason is
        // missing.
        require(tenant, user, action)?;
        return refuse("reason", why);
    }
    let (order, ()) = edit(tenant, user, action, at, |tx, order| {
        if let Some(from) = from
            && order.status != from
        {
            let why = match (order.status, to) {
                (WoStatus::OnHold, WoStatus::InProgress) => {
                    why!(NotInStatusResume, order.id, order.status, from)
                }
                (WoStatus::Open, WoStatus::InProgress) => {
                    why!(NotInStatusStart, order.id, order.status, from)
                }
                _ => why!(NotInStatus, order.id, order.status, from),
            };
            return Ok(Err(FieldError::new("status", why)));
        }
        apply_move(tx, order, to, reason)
    })?;
    Ok(order)
}

fn apply_move(
    tx: &mut Tx,
    order: &mut WorkOrder,
    to: WoStatus,
    reason: &str,
) -> opsdeck_storage::Result<Result<(), FieldError>> {
    if let Err(e) = check_move(order.status, to) {
        return Ok(Err(e));
    }
    if to == WoStatus::Done && order.kind == WoKind::Preventive {
        let open = order.unanswered_required();
        if !open.is_empty() {
            let names: Vec<String> = open
                .iter()
                .map(|(n, c)| format!("{n} '{}'", c.item.text))
                .collect();
            return Ok(Err(FieldError::new(
                "checklist",
                why!(ChecklistUnanswered, order.id, names.join(", ")),
            )));
        }
    }
    let now = tx.now();
    let actor = tx.actor().to_owned();
    if to.is_closed() {
        if let Some(d) = order.downtime.iter_mut().find(|d| d.to.is_none()) {
            let to_time = now.max(d.from);
            d.to = Some(to_time);
            order.notes.push(WoNote {
                text: format!("Parada encerrada ao fechar a OS ({} a {to_time})", d.from),
                by: actor.clone(),
                at: now,
            });
        }
        for line in cost_lines(order) {
            let event = CostPosted {
                idempotency_key: line.idempotency_key,
                work_order: order.id,
                asset: order.asset.clone(),
                category: line.category.to_owned(),
                amount: line.amount,
                description: line.description,
                at: now,
            };
            let payload = serde_json::to_vec(&event).map_err(|e| {
                opsdeck_storage::Error::Invalid(format!("cost event of OS {}: {e}", order.id))
            })?;
            tx.emit(
                COST_POSTED,
                <WorkOrder as Record>::KIND,
                &WorkOrder::key(order.id),
                payload,
            );
        }
    }
    post_estimate(tx, order, to, reason)?;
    order.transitions.push(Transition {
        from: order.status,
        to,
        by: actor,
        at: now,
        reason: reason.to_owned(),
    });
    order.status = to;
    Ok(Ok(()))
}

/// The estimate's part in the ledger (Planon's rule): committed when the order first starts,
/// what is left released when it is done, voided when it is cancelled (same transaction).
fn post_estimate(
    tx: &mut Tx,
    order: &WorkOrder,
    to: WoStatus,
    reason: &str,
) -> opsdeck_storage::Result<()> {
    use crate::domain::ledger::posting::{self, Posting, estimate_key};
    use opsdeck_storage::records::ledger::{Phase, SourceLink};
    let Some(estimate) = order.estimate().filter(|e| *e > Decimal::ZERO) else {
        return Ok(());
    };
    let started_before = order
        .transitions
        .iter()
        .any(|t| t.to == WoStatus::InProgress);
    let (key, phase) = match to {
        WoStatus::InProgress if !started_before => (estimate_key(order.id), Phase::Commit),
        WoStatus::Done if started_before || order.status == WoStatus::InProgress => (
            format!("{}:release", estimate_key(order.id)),
            Phase::Release,
        ),
        WoStatus::Cancelled if started_before => {
            (format!("{}:void", estimate_key(order.id)), Phase::Void)
        }
        _ => return Ok(()),
    };
    let (site, area) = match &order.asset {
        Some(tag) => match tx.get::<Asset>(tag)? {
            Some(a) => (a.value.site, a.value.area),
            None => (String::new(), String::new()),
        },
        None => (String::new(), String::new()),
    };
    let mut p = Posting::new(key, phase, "services", estimate);
    if phase != Phase::Commit {
        p.against = Some(estimate_key(order.id));
        p.amount = Decimal::ZERO;
    }
    p.scope = posting::asset_scope(&site, &area);
    p.at = Some(tx.now());
    p.description = match phase {
        Phase::Commit => format!("OS {} · estimativa: {}", order.id, order.title),
        Phase::Void => format!("OS {} cancelada: {reason}", order.id),
        _ => format!("OS {} concluída: saldo da estimativa liberado", order.id),
    };
    p.link = SourceLink::WorkOrder(order.id);
    posting::emit(
        tx,
        <WorkOrder as Record>::KIND,
        &WorkOrder::key(order.id),
        &p,
    )
}

/// open -> in_progress.
pub fn start(tenant: &Tenant, user: &str, at: OrderRef) -> Result<Versioned<WorkOrder>> {
    transition_from(tenant, user, at, WoStatus::Open, WoStatus::InProgress, "")
}

/// -> on_hold, with what it waits for.
pub fn hold(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    reason: &str,
) -> Result<Versioned<WorkOrder>> {
    transition(tenant, user, at, WoStatus::OnHold, reason)
}

/// on_hold -> in_progress.
pub fn resume(tenant: &Tenant, user: &str, at: OrderRef) -> Result<Versioned<WorkOrder>> {
    transition_from(tenant, user, at, WoStatus::OnHold, WoStatus::InProgress, "")
}

/// -> cancelled, with why (supervisor, admin).
pub fn cancel(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    reason: &str,
) -> Result<Versioned<WorkOrder>> {
    transition(tenant, user, at, WoStatus::Cancelled, reason)
}

/// What happened to the linked alert when an order was completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertOutcome {
    /// Not asked to resolve it.
    NotAsked,
    /// The order has no alert.
    NoAlert,
    Resolved,
    /// Someone (or the engine) resolved it before.
    AlreadyResolved,
    /// The order is done, but resolving the alert failed (e.g. no permission): why.
    Failed(String),
}

/// What `complete` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    pub order: Versioned<WorkOrder>,
    pub alert: AlertOutcome,
}

/// in_progress -> done. With `resolve_alert`, the linked alert is then resolved with the note
/// "OS <id> concluída" (by the alert service, in its own transaction: the order stays done
/// even if that fails, and the outcome says so).
pub fn complete(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    reason: &str,
    resolve_alert: bool,
) -> Result<Completed> {
    let order = transition(tenant, user, at, WoStatus::Done, reason)?;
    let alert = match (&order.value.alert, resolve_alert) {
        (_, false) => AlertOutcome::NotAsked,
        (None, true) => AlertOutcome::NoAlert,
        (Some(key), true) => match tenant.get::<Alert>(key)? {
            None => AlertOutcome::Failed(format!("alert '{key}' no longer exists")),
            Some(a) if !a.value.is_open() => AlertOutcome::AlreadyResolved,
            Some(_) => {
                let note = format!("OS {} concluída", order.value.id);
                match alerts::resolve(tenant, user, key, &note) {
                    Ok(()) => AlertOutcome::Resolved,
                    Err(e) => AlertOutcome::Failed(e.to_string()),
                }
            }
        },
    };
    Ok(Completed { order, alert })
}

// ---------------------------------------------------------------------------------------------
// Checklist, notes, assignment

/// Answers checklist item `item` (numbered from 1, as shown): pass/fail for a pass/fail item, a
/// value for a value item, not-applicable only for an item that is not required. Answering again
/// replaces the answer (the audit keeps the old one).
pub fn answer(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    item: usize,
    result: ItemResult,
    note: &str,
) -> Result<Versioned<WorkOrder>> {
    answer_all(tenant, user, at, vec![(item, result, note.to_owned())])
}

/// Answers several checklist items at once (a checklist filled in and saved together), each as
/// `answer` would, in one write: the first refused answer refuses them all, naming its item.
pub fn answer_all(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    answers: Vec<(usize, ItemResult, String)>,
) -> Result<Versioned<WorkOrder>> {
    for (_, result, _) in &answers {
        if let ItemResult::Value(v) = result
            && let Some(e) = check_decimal("result", *v)
        {
            return Err(e.into());
        }
    }
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "checklist answers") {
            return Ok(Err(e));
        }
        let (by, now) = (tx.actor().to_owned(), tx.now());
        for (item, result, note) in answers {
            if let Err(e) = answer_item(order, item, result, note.trim(), &by, now) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    })?;
    Ok(order)
}

/// One checklist answer on `order`, checked against its item.
fn answer_item(
    order: &mut WorkOrder,
    item: usize,
    result: ItemResult,
    note: &str,
    by: &str,
    now: Timestamp,
) -> Result<(), FieldError> {
    let count = order.checklist.len();
    let Some(c) = item.checked_sub(1).and_then(|i| order.checklist.get_mut(i)) else {
        return Err(FieldError::new(
            "item",
            if count == 0 {
                why!(NoChecklist, order.id)
            } else {
                why!(NoChecklistItem, item, count)
            },
        ));
    };
    let text = &c.item.text;
    let bad = match (&c.item.kind, &result) {
        (_, ItemResult::NotApplicable) if c.item.required => {
            Some(why!(ItemRequiredNotNa, item, text))
        }
        (ItemKind::PassFail, ItemResult::Value(_)) => Some(why!(ItemIsPassFail, item, text)),
        (ItemKind::Value { unit }, ItemResult::Pass | ItemResult::Fail) => {
            Some(why!(ItemWantsValue, item, text, unit))
        }
        _ => None,
    };
    if let Some(message) = bad {
        return Err(FieldError::new("result", message));
    }
    c.result = Some(result);
    c.note = note.to_owned();
    c.by = Some(by.to_owned());
    c.at = Some(now);
    Ok(())
}

/// Longest note kept.
pub const MAX_NOTE: usize = 4000;

/// Adds a note (also on a closed order: what was found later still belongs with it).
pub fn add_note(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    text: &str,
) -> Result<Versioned<WorkOrder>> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return refuse("text", why!(NoteTextRequired));
    }
    if text.chars().count() > MAX_NOTE {
        return refuse("text", why!(TooLong, MAX_NOTE));
    }
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |tx, order| {
        order.notes.push(WoNote {
            text,
            by: tx.actor().to_owned(),
            at: tx.now(),
        });
        Ok(Ok(()))
    })?;
    Ok(order)
}

/// Assigns the order to `assignee` (a user with a role), or to nobody (supervisor, admin).
pub fn assign(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    assignee: Option<&str>,
) -> Result<Versioned<WorkOrder>> {
    let assignee = assignee_of(assignee);
    manage(tenant, user, at, "new assignee", |tx, order| {
        if let Some(a) = &assignee
            && let Some(e) = check_assignee(tx, a)?
        {
            return Ok(Err(e));
        }
        order.assignee = assignee;
        Ok(Ok(()))
    })
}

/// A supervisor's change (`Manage`) to an order not closed yet; `what` names the change in
/// the refusal on a closed one. `f` edits a copy and may refuse a field.
fn manage(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    what: &str,
    f: impl FnOnce(&mut Tx, &mut WorkOrder) -> opsdeck_storage::Result<Result<(), FieldError>>,
) -> Result<Versioned<WorkOrder>> {
    let (order, ()) = edit(tenant, user, WoAction::Manage, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, what) {
            return Ok(Err(e));
        }
        f(tx, order)
    })?;
    Ok(order)
}

/// When an order due on `date` is late: after the whole day, in the tenant's zone `tz`.
pub fn due_at(date: jiff::civil::Date, tz: &jiff::tz::TimeZone) -> Result<Timestamp> {
    Ok(date.at(23, 59, 59, 0).to_zoned(tz.clone())?.timestamp())
}

/// What the order's edit form changes, all in one write (supervisor, admin).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OrderEdit {
    pub title: String,
    pub description: String,
    pub priority: Priority,
    pub assignee: Option<String>,
    pub due: Option<Timestamp>,
}

/// Changes title, description, priority, assignee and due date of an order not closed, read
/// at `at`: one version, one audit entry, nothing written when a field is refused.
pub fn update(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    change: OrderEdit,
) -> Result<Versioned<WorkOrder>> {
    let title = checked_title(&change.title)?;
    if change.description.chars().count() > MAX_NOTE {
        return refuse("description", why!(TooLong, MAX_NOTE));
    }
    let assignee = assignee_of(change.assignee.as_deref());
    manage(tenant, user, at, "edit", |tx, order| {
        // Keeping the assignee needs no check (they may have lost their role since).
        if let Some(a) = &assignee
            && order.assignee.as_ref() != Some(a)
            && let Some(e) = check_assignee(tx, a)?
        {
            return Ok(Err(e));
        }
        order.title = title;
        order.description = change.description.trim_end().to_owned();
        order.priority = change.priority;
        order.assignee = assignee;
        order.due = change.due;
        Ok(Ok(()))
    })
}

/// Sets or clears the cost estimate (supervisor, admin) while the order has not started: it is
/// committed in the ledger when the order starts, and cannot change once committed.
pub fn set_estimate(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    estimate: Option<Decimal>,
) -> Result<Versioned<WorkOrder>> {
    if let Some(e) = estimate.and_then(|v| check_positive("estimate", v)) {
        return Err(e.into());
    }
    manage(tenant, user, at, "new estimate", |_, order| {
        if order
            .transitions
            .iter()
            .any(|t| t.to == WoStatus::InProgress)
        {
            return Ok(Err(FieldError::new(
                "estimate",
                why!(NotInStatus, order.id, order.status, WoStatus::Open),
            )));
        }
        match estimate {
            Some(v) => order
                .extra
                .insert(WorkOrder::ESTIMATE.into(), v.normalize().to_string()),
            None => order.extra.remove(WorkOrder::ESTIMATE),
        };
        Ok(Ok(()))
    })
}

/// Changes the priority (supervisor, admin).
pub fn set_priority(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    priority: Priority,
) -> Result<Versioned<WorkOrder>> {
    manage(tenant, user, at, "new priority", |_, order| {
        order.priority = priority;
        Ok(Ok(()))
    })
}

/// Changes or clears the due date (SLA) (supervisor, admin).
pub fn set_due(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    due: Option<Timestamp>,
) -> Result<Versioned<WorkOrder>> {
    manage(tenant, user, at, "new due date", |_, order| {
        order.due = due;
        Ok(Ok(()))
    })
}

/// Attaches a file already in the evidence store (also to a closed order: a report can come
/// later). The same content attached twice is kept once.
pub fn attach_evidence(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    evidence: EvidenceRef,
) -> Result<Versioned<WorkOrder>> {
    if evidence.name.trim().is_empty() {
        return refuse("name", why!(FileNameRequired));
    }
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |_, order| {
        if let Some(same) = order.evidence.iter().find(|e| e.sha256 == evidence.sha256) {
            return Ok(Err(FieldError::new(
                "evidence",
                why!(EvidenceExists, order.id, same.name, same.by),
            )));
        }
        order.evidence.push(evidence);
        Ok(Ok(()))
    })?;
    Ok(order)
}

// ---------------------------------------------------------------------------------------------
// Parts, labor, services

/// Issues `qty` of inventory item `item` to the order, in one transaction: the stock movement
/// (at the item's unit cost now), the stock decrement and the part on the order. `location`
/// None takes the only location that has the item. Refused, writing nothing, when the stock
/// there would go below zero.
pub fn issue_part(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    item: &str,
    location: Option<&str>,
    qty: Decimal,
) -> Result<(Versioned<WorkOrder>, Movement)> {
    if let Some(e) = check_positive("qty", qty) {
        return Err(e.into());
    }
    let item = item.trim();
    edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "parts") {
            return Ok(Err(e));
        }
        let m = match inventory::issue_in(tx, item, location, qty, order.id)? {
            Ok(m) => m,
            Err(e) => return Ok(Err(e)),
        };
        order.parts.push(PartUse {
            item: m.item.clone(),
            location: m.location.clone(),
            qty,
            unit_cost: m.unit_cost,
            movement: m.id,
        });
        Ok(Ok(m))
    })
}

/// Gives back `qty` of `item` issued to the order (from `location`, or from any), newest issue
/// first: a return movement per issue it reduces, the stock back where it came from, the parts
/// on the order reduced (removed at zero).
pub fn return_part(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    item: &str,
    location: Option<&str>,
    qty: Decimal,
) -> Result<(Versioned<WorkOrder>, Vec<Movement>)> {
    if let Some(e) = check_positive("qty", qty) {
        return Err(e.into());
    }
    let item = item.trim();
    edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "part returns") {
            return Ok(Err(e));
        }
        let matches = |p: &PartUse| p.item == item && location.is_none_or(|l| p.location == l);
        let issued: Decimal = order
            .parts
            .iter()
            .filter(|p| matches(p))
            .map(|p| p.qty)
            .sum();
        if qty > issued {
            let issued = issued.normalize();
            return Ok(Err(FieldError::new(
                "qty",
                match location {
                    Some(l) => why!(OnlyIssuedFrom, issued, item, order.id, l),
                    None => why!(OnlyIssued, issued, item, order.id),
                },
            )));
        }
        let mut left = qty;
        let mut moves = Vec::new();
        for p in order.parts.iter_mut().rev().filter(|p| matches(p)) {
            if left.is_zero() {
                break;
            }
            let take = left.min(p.qty);
            match inventory::return_in(tx, item, &p.location, take, p.unit_cost, order.id)? {
                Ok(m) => moves.push(m),
                Err(e) => return Ok(Err(e)),
            }
            p.qty -= take;
            left -= take;
        }
        order.parts.retain(|p| !p.qty.is_zero());
        Ok(Ok(moves))
    })
}

/// Labor as keyed: who, how long, at what rate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LaborInput {
    pub technician: String,
    /// Above 0, at most 24 per entry.
    pub hours: Decimal,
    /// R$ per hour, 0 or more.
    pub rate: Decimal,
    pub note: String,
}

/// Books labor on an open order.
pub fn add_labor(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    labor: LaborInput,
) -> Result<Versioned<WorkOrder>> {
    let technician = labor.technician.trim().to_owned();
    if technician.is_empty() {
        return refuse("technician", why!(TechnicianRequired));
    }
    if let Some(e) = check_positive("hours", labor.hours) {
        return Err(e.into());
    }
    if labor.hours > Decimal::from(24) {
        return refuse("hours", why!(HoursOverADay, labor.hours));
    }
    if labor.rate < Decimal::ZERO {
        return refuse("rate", why!(RateNegative, labor.rate));
    }
    if let Some(e) = check_decimal("rate", labor.rate) {
        return Err(e.into());
    }
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "labor") {
            return Ok(Err(e));
        }
        order.labor.push(LaborEntry {
            technician,
            hours: labor.hours,
            rate: labor.rate,
            note: labor.note.trim().to_owned(),
            by: tx.actor().to_owned(),
            at: tx.now(),
        });
        Ok(Ok(()))
    })?;
    Ok(order)
}

/// Books a bought service (contractor, rental) on an open order.
pub fn add_service(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    description: &str,
    amount: Decimal,
) -> Result<Versioned<WorkOrder>> {
    let description = description.trim().to_owned();
    if description.is_empty() {
        return refuse("description", why!(ServiceRequired));
    }
    if let Some(e) = check_positive("amount", amount) {
        return Err(e.into());
    }
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "services") {
            return Ok(Err(e));
        }
        order.services.push(ServiceCost {
            description,
            amount,
            by: tx.actor().to_owned(),
            at: tx.now(),
        });
        Ok(Ok(()))
    })?;
    Ok(order)
}

// ---------------------------------------------------------------------------------------------
// Downtime

/// How far ahead of this machine's clock a downtime instant may be (clock skew, typing).
const FUTURE_SLACK: SignedDuration = SignedDuration::from_mins(5);

/// Records the order's asset down from `from` (an open window). One open window per order.
pub fn asset_down(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    from: Timestamp,
) -> Result<Versioned<WorkOrder>> {
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "downtime") {
            return Ok(Err(e));
        }
        let Some(asset) = &order.asset else {
            return Ok(Err(FieldError::new(
                "asset",
                why!(OrderHasNoAsset, order.id),
            )));
        };
        if let Some(d) = order.open_downtime() {
            return Ok(Err(FieldError::new(
                "from",
                why!(AlreadyDown, asset, d.from, order.id),
            )));
        }
        if from > tx.now() + FUTURE_SLACK {
            return Ok(Err(FieldError::new("from", why!(InFuture, from))));
        }
        if let Some(last) = order.downtime.iter().filter_map(|d| d.to).max()
            && from < last
        {
            return Ok(Err(FieldError::new(
                "from",
                why!(BeforePreviousWindow, from, last),
            )));
        }
        order.downtime.push(Downtime { from, to: None });
        Ok(Ok(()))
    })?;
    Ok(order)
}

/// Closes the open downtime window at `to`.
pub fn asset_up(
    tenant: &Tenant,
    user: &str,
    at: OrderRef,
    to: Timestamp,
) -> Result<Versioned<WorkOrder>> {
    let (order, ()) = edit(tenant, user, WoAction::Work, at, |tx, order| {
        if let Err(e) = check_open_for_work(order, "downtime") {
            return Ok(Err(e));
        }
        let now = tx.now();
        let id = order.id;
        let Some(d) = order.downtime.iter_mut().find(|d| d.to.is_none()) else {
            return Ok(Err(FieldError::new("to", why!(NoOpenDowntime, id))));
        };
        if to < d.from {
            return Ok(Err(FieldError::new("to", why!(BeforeWentDown, to, d.from))));
        }
        if to > now + FUTURE_SLACK {
            return Ok(Err(FieldError::new("to", why!(InFuture, to))));
        }
        d.to = Some(to);
        Ok(Ok(()))
    })?;
    Ok(order)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Which orders `list` returns; empty matches all.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    pub status: Option<WoStatus>,
    /// Only orders not closed (open, in progress, on hold): the backlog.
    pub active: bool,
    /// Only orders assigned to nobody.
    pub unassigned: bool,
    pub asset: Option<String>,
    pub assignee: Option<String>,
    /// Only orders past their due date and not closed at this instant.
    pub overdue_at: Option<Timestamp>,
}

/// Past its due date and not closed.
pub fn is_overdue(order: &WorkOrder, now: Timestamp) -> bool {
    !order.status.is_closed() && order.due.is_some_and(|d| d < now)
}

impl Filter {
    /// Whether `order` is one `list` returns for this filter.
    pub fn matches(&self, v: &WorkOrder) -> bool {
        self.status.is_none_or(|s| v.status == s)
            && (!self.active || !v.status.is_closed())
            && (!self.unassigned || v.assignee.is_none())
            && self
                .asset
                .as_deref()
                .is_none_or(|a| v.asset.as_deref() == Some(a))
            && self
                .assignee
                .as_deref()
                .is_none_or(|a| v.assignee.as_deref() == Some(a))
            && self.overdue_at.is_none_or(|now| is_overdue(v, now))
    }
}

/// Orders matching `filter`, by id.
pub fn list(tenant: &Tenant, filter: &Filter) -> Result<Vec<Versioned<WorkOrder>>> {
    Ok(tenant
        .list::<WorkOrder>()?
        .into_iter()
        .filter(|o| filter.matches(&o.value))
        .collect())
}

pub fn get(tenant: &Tenant, id: u64) -> Result<Versioned<WorkOrder>> {
    match tenant.get::<WorkOrder>(&WorkOrder::key(id))? {
        Some(o) => Ok(o),
        None => Err(no_order(id).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_states_and_named_alternatives() {
        let e = check_move(WoStatus::Done, WoStatus::InProgress).unwrap_err();
        assert_eq!(
            e.to_string(),
            "status: cannot go from done to in_progress: done is final"
        );
        let e = check_move(WoStatus::Open, WoStatus::Done).unwrap_err();
        assert_eq!(
            e.to_string(),
            "status: cannot go from open to done; from open an order can go to: in_progress, on_hold, cancelled"
        );
        assert!(check_move(WoStatus::OnHold, WoStatus::InProgress).is_ok());
    }
}
