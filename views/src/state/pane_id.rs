//! The panes, in tab order: what keys 1-8 focus and the keymap's sections are named after.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaneId {
    WorkOrders,
    Telemetry,
    Ledger,
    Gas,
    Fuel,
    Sales,
    Search,
    Audit,
}

impl PaneId {
    pub const ALL: [PaneId; 8] = [
        PaneId::WorkOrders,
        PaneId::Telemetry,
        PaneId::Ledger,
        PaneId::Gas,
        PaneId::Fuel,
        PaneId::Sales,
        PaneId::Search,
        PaneId::Audit,
    ];

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> PaneId {
        Self::ALL[(self.index() + 1) % Self::ALL.len()]
    }

    pub fn prev(self) -> PaneId {
        Self::ALL[(self.index() + Self::ALL.len() - 1) % Self::ALL.len()]
    }

    /// The keymap section holding this pane's own bindings.
    pub fn section(self) -> &'static str {
        match self {
            PaneId::WorkOrders => "work_orders",
            PaneId::Telemetry => "telemetry",
            PaneId::Ledger => "ledger",
            PaneId::Gas => "gas",
            PaneId::Fuel => "fuel",
            PaneId::Sales => "sales",
            PaneId::Search => "search",
            PaneId::Audit => "audit",
        }
    }
}
