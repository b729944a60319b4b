//! Work orders: creating them (by hand, from an alert, from a preventive plan).

use std::collections::BTreeMap;

use anyhow::Result;
use jiff::Timestamp;
use opsdeck_storage::records::work_order::{
    ChecklistItem, Priority, Procedure, WoKind, WoStatus, WorkOrder,
};
use opsdeck_storage::{Record, Tenant, Tx, Versioned};

/// What a new order needs; the rest starts empty.
#[derive(Debug, Clone, PartialEq)]
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
/// and input; an unknown procedure is an error.
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
    let id = tx.next_id(<WorkOrder as Record>::KIND)?;
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
        extra: new.extra,
    };
    tx.insert(&WorkOrder::key(id), order)
}

/// Creates an order in its own transaction.
pub fn create(tenant: &Tenant, actor: &str, new: NewOrder) -> Result<Versioned<WorkOrder>> {
    Ok(tenant.write(actor, |tx| create_in(tx, new))?)
}
