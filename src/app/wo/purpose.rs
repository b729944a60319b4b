//! What the Work-orders pane's forms and prompts are for: the record each one edits, at the
//! version the screen showed.

use crate::app::modal::Purpose;
use crate::domain::cmms::work_orders::OrderRef;

/// What the open form edits.
#[derive(Debug, Clone)]
pub enum FormKind {
    /// `asset`: the page it was opened from, kept as the default.
    NewOrder,
    EditOrder(OrderRef),
    Filter,
    Part(OrderRef),
    Labor(OrderRef),
    Service(OrderRef),
    /// Checklist item `item` (from 1).
    Answer {
        at: OrderRef,
        item: usize,
        measured: bool,
    },
    Done {
        at: OrderRef,
        alert: bool,
    },
    Receive(String),
    Adjust(String),
    /// (code, version) of the plan edited, None: a new (calendar) plan. Only calendar plans
    /// show their schedule here; a meter or threshold plan keeps it (`opsdeck pm` changes it).
    Plan(Option<(String, u64)>),
    /// The order's asset down from (`down`) or back up at the time typed.
    Down {
        at: OrderRef,
        down: bool,
    },
    /// (tag, version) of the asset edited; None: a new asset.
    Asset(Option<(String, u64)>),
    /// (code, version) of the item edited; None: a new item.
    Item(Option<(String, u64)>),
}

#[derive(Debug, Clone)]
pub enum PromptKind {
    Hold(OrderRef),
    Cancel(OrderRef),
    Note(OrderRef),
    Attach(OrderRef),
    Estimate(OrderRef),
}

impl Purpose for FormKind {
    /// After "changed by X": the record as it is now, so Enter applies the form over it.
    fn rebase(&mut self, version: u64) {
        match self {
            FormKind::EditOrder(at)
            | FormKind::Part(at)
            | FormKind::Labor(at)
            | FormKind::Service(at)
            | FormKind::Answer { at, .. }
            | FormKind::Done { at, .. }
            | FormKind::Down { at, .. } => at.version = Some(version),
            FormKind::Plan(Some((_, v)))
            | FormKind::Item(Some((_, v)))
            | FormKind::Asset(Some((_, v))) => *v = version,
            FormKind::NewOrder
            | FormKind::Filter
            | FormKind::Receive(_)
            | FormKind::Adjust(_)
            | FormKind::Plan(None)
            | FormKind::Item(None)
            | FormKind::Asset(None) => {}
        }
    }
}

impl Purpose for PromptKind {
    fn rebase(&mut self, version: u64) {
        match self {
            PromptKind::Hold(at)
            | PromptKind::Cancel(at)
            | PromptKind::Note(at)
            | PromptKind::Attach(at)
            | PromptKind::Estimate(at) => at.version = Some(version),
        }
    }
}
