//! What one pane asks another to show: the panes' shared vocabulary, so that no pane reaches
//! into another. The shell hands a link to the pane that owns it, which decides whether to take
//! the focus now (an order or an asset to show) or later (an alert's order, once it is made).

use opsdeck_views::state::PaneId;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Link {
    /// A work order's page.
    Order(u64),
    /// An asset's page (by tag).
    Asset(String),
    /// The predictive work order of an alert (by record key): made, with the sensor's readings,
    /// if the alert has none yet, then shown.
    AlertOrder(String),
    /// An entry of the audit trail (by sequence number).
    AuditEntry(u64),
    /// The global search, for this text.
    Search(String),
    /// A ledger entry (by record key): its cell's entries, it selected.
    LedgerEntry(String),
}

impl Link {
    /// The pane that shows it.
    pub fn pane(&self) -> PaneId {
        match self {
            Link::Order(_) | Link::Asset(_) | Link::AlertOrder(_) => PaneId::WorkOrders,
            Link::AuditEntry(_) => PaneId::Audit,
            Link::Search(_) => PaneId::Search,
            Link::LedgerEntry(_) => PaneId::Ledger,
        }
    }
}
