//! Work orders (CMMS) and the procedure templates their checklists come from. An order moves
//! open -> in progress -> on hold -> done or cancelled; every move is kept with who, when and
//! why. Its cost is the parts issued to it, the labor booked on it and the services bought.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WoKind {
    Corrective,
    Preventive,
    /// From a telemetry alert.
    Predictive,
    /// Asked for by someone (a ward, a tenant), not yet triaged.
    Request,
}

named_enum!(WoKind, "work order type", {
    Corrective => "corrective",
    Preventive => "preventive",
    Predictive => "predictive",
    Request => "request",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    Medium,
    High,
    Urgent,
}

named_enum!(Priority, "priority", {
    Low => "low",
    Medium => "medium",
    High => "high",
    Urgent => "urgent",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WoStatus {
    Open,
    InProgress,
    OnHold,
    Done,
    Cancelled,
}

named_enum!(WoStatus, "work order status", {
    Open => "open",
    InProgress => "in_progress",
    OnHold => "on_hold",
    Done => "done",
    Cancelled => "cancelled",
});

impl WoStatus {
    /// Done and cancelled orders are closed: nothing is booked on them any more.
    pub fn is_closed(self) -> bool {
        matches!(self, WoStatus::Done | WoStatus::Cancelled)
    }
}

/// One status change, kept forever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub from: WoStatus,
    pub to: WoStatus,
    pub by: String,
    pub at: Timestamp,
    /// Required for on hold and cancelled.
    pub reason: String,
}

/// What a checklist item asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ItemKind {
    PassFail,
    /// A measured value, e.g. "Corrente do compressor" in "A".
    Value {
        unit: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ItemResult {
    Pass,
    Fail,
    Value(Decimal),
    /// Does not apply to this asset (allowed only for items that are not required).
    NotApplicable,
}

/// One item of a procedure template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureItem {
    pub text: String,
    pub kind: ItemKind,
    /// A preventive order cannot be closed with a required item unanswered.
    pub required: bool,
}

/// A procedure template ("PMOC mensal — split"), keyed by `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub items: Vec<ProcedureItem>,
}

impl Record for Procedure {
    const KIND: &'static str = "procedure";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        let items: Vec<&str> = self.items.iter().map(|i| i.text.as_str()).collect();
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("{} · {}", self.code, self.name),
            body: items.join("; "),
        })
    }
}

/// A checklist item of one order, copied from its procedure, with its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub item: ProcedureItem,
    pub result: Option<ItemResult>,
    pub note: String,
    /// Who answered and when.
    pub by: Option<String>,
    pub at: Option<Timestamp>,
}

/// Parts issued to the order from stock (each an inventory movement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartUse {
    pub item: String,
    pub location: String,
    pub qty: Decimal,
    /// Cost per unit when issued.
    pub unit_cost: Decimal,
    /// The stock movement that issued it.
    pub movement: u64,
}

/// Hours a technician worked on the order, at their rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaborEntry {
    pub technician: String,
    pub hours: Decimal,
    /// R$ per hour.
    pub rate: Decimal,
    pub note: String,
    pub by: String,
    pub at: Timestamp,
}

/// A service bought for the order (a contractor, a crane rental ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceCost {
    pub description: String,
    pub amount: Decimal,
    pub by: String,
    pub at: Timestamp,
}

/// A file attached to the order, kept in the evidence store under its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRef {
    /// Lowercase hex SHA-256 of the content: also its file name in the store.
    pub sha256: String,
    /// The name it was attached with ("foto-condensador.jpg").
    pub name: String,
    pub size: u64,
    pub by: String,
    pub at: Timestamp,
}

/// The asset was down from `from` to `to` (None: still down).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Downtime {
    pub from: Timestamp,
    pub to: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WoNote {
    pub text: String,
    pub by: String,
    pub at: Timestamp,
}

/// Keyed by `WorkOrder::key(id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkOrder {
    pub id: u64,
    pub title: String,
    pub description: String,
    pub kind: WoKind,
    pub priority: Priority,
    pub status: WoStatus,
    /// Asset tag, when the order is about one.
    pub asset: Option<String>,
    pub assignee: Option<String>,
    /// When it must be done by (SLA).
    pub due: Option<Timestamp>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub transitions: Vec<Transition>,
    /// The procedure the checklist was copied from.
    pub procedure: Option<String>,
    pub checklist: Vec<ChecklistItem>,
    pub parts: Vec<PartUse>,
    pub labor: Vec<LaborEntry>,
    pub services: Vec<ServiceCost>,
    pub evidence: Vec<EvidenceRef>,
    pub notes: Vec<WoNote>,
    pub downtime: Vec<Downtime>,
    /// The alert it was created from (predictive), by alert record key.
    pub alert: Option<String>,
    /// The preventive plan and occurrence that generated it ("PM-CH-MENSAL/2026-11-01").
    pub plan: Option<String>,
    /// Free-form attributes kept with the order (e.g. the alert's value when created).
    pub extra: BTreeMap<String, String>,
}

impl WorkOrder {
    /// Zero-padded so keys sort by id.
    pub fn key(id: u64) -> String {
        format!("{id:08}")
    }

    /// The extra attribute the cost estimate (R$) is kept under.
    pub const ESTIMATE: &'static str = "estimate";

    /// The cost estimate keyed by the supervisor (committed in the ledger when it starts).
    pub fn estimate(&self) -> Option<Decimal> {
        self.extra.get(Self::ESTIMATE).and_then(|v| v.parse().ok())
    }

    /// Parts + labor + services.
    pub fn cost(&self) -> Decimal {
        self.parts_cost() + self.labor_cost() + self.services_cost()
    }

    /// Parts issued, at their unit cost when issued.
    pub fn parts_cost(&self) -> Decimal {
        self.parts.iter().map(|p| p.qty * p.unit_cost).sum()
    }

    /// Labor booked: hours x rate.
    pub fn labor_cost(&self) -> Decimal {
        self.labor.iter().map(|l| l.hours * l.rate).sum()
    }

    /// Services bought.
    pub fn services_cost(&self) -> Decimal {
        self.services.iter().map(|s| s.amount).sum()
    }

    /// Hours of labor booked.
    pub fn labor_hours(&self) -> Decimal {
        self.labor.iter().map(|l| l.hours).sum()
    }

    /// The downtime window still open (asset down, not yet back), if any.
    pub fn open_downtime(&self) -> Option<&Downtime> {
        self.downtime.iter().find(|d| d.to.is_none())
    }

    /// Required checklist items without an answer, with their number (from 1) as shown.
    pub fn unanswered_required(&self) -> Vec<(usize, &ChecklistItem)> {
        self.checklist
            .iter()
            .enumerate()
            .filter(|(_, c)| c.item.required && c.result.is_none())
            .map(|(i, c)| (i + 1, c))
            .collect()
    }

    /// When it was closed (done or cancelled), from its transitions.
    pub fn closed_at(&self) -> Option<Timestamp> {
        self.status
            .is_closed()
            .then(|| self.transitions.last().map(|t| t.at))
            .flatten()
    }
}

impl Record for WorkOrder {
    const KIND: &'static str = "work_order";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        let mut body = vec![
            self.description.clone(),
            self.asset.clone().unwrap_or_default(),
            self.kind.to_string(),
            self.status.to_string(),
            self.assignee.clone().unwrap_or_default(),
        ];
        body.extend(self.notes.iter().map(|n| n.text.clone()));
        body.extend(
            self.checklist
                .iter()
                .filter(|c| !c.note.is_empty())
                .map(|c| format!("{}: {}", c.item.text, c.note)),
        );
        body.extend(self.evidence.iter().map(|e| e.name.clone()));
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("OS {} · {}", self.id, self.title),
            body: body.join(" · "),
        })
    }
}

/// Which work order was created from an alert, keyed by the alert's record key: lets "create
/// from alert" find the order already opened for it inside one write transaction (the storage
/// transaction has no scans), so two people pressing the key at once get one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertOrder {
    pub alert: String,
    /// The newest order created from the alert.
    pub order: u64,
}

impl Record for AlertOrder {
    const KIND: &'static str = "work_order_alert";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}
