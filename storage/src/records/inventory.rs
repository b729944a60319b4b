//! Spare parts and consumables (CMMS inventory): items with their stock per location, and every
//! movement (receive, issue to a work order, adjust) kept with who, when and why. Stock never
//! goes below zero: an issue or adjustment that would is refused.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

/// Keyed by `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// "FLT-G4-592": the part number people use.
    pub code: String,
    pub name: String,
    /// "un", "m", "kg", "L" ...
    pub unit: String,
    /// R$ per unit: the cost issued parts are charged at.
    pub unit_cost: Decimal,
    /// Below this (over all locations) the item is flagged for purchase.
    pub min_stock: Decimal,
    /// Location ("Almoxarifado central") -> quantity on hand.
    pub stock: BTreeMap<String, Decimal>,
    pub active: bool,
}

impl Item {
    pub fn on_hand(&self) -> Decimal {
        self.stock.values().copied().sum()
    }

    /// Quantity on hand at one location (0 where it was never stocked).
    pub fn at(&self, location: &str) -> Decimal {
        self.stock.get(location).copied().unwrap_or_default()
    }

    pub fn below_minimum(&self) -> bool {
        self.on_hand() < self.min_stock
    }
}

impl Record for Item {
    const KIND: &'static str = "inventory_item";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("{} · {}", self.code, self.name),
            body: self.stock.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MovementKind {
    Receive,
    /// To a work order.
    Issue,
    /// A count correction (either sign), with a reason.
    Adjust,
    /// A part given back from a work order.
    Return,
}

named_enum!(MovementKind, "movement", {
    Receive => "receive",
    Issue => "issue",
    Adjust => "adjust",
    Return => "return",
});

/// Keyed by `Movement::key(id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    pub id: u64,
    pub item: String,
    pub location: String,
    pub kind: MovementKind,
    /// Signed change of the stock at `location` (an issue is negative).
    pub qty: Decimal,
    pub unit_cost: Decimal,
    pub work_order: Option<u64>,
    pub by: String,
    pub at: Timestamp,
    pub note: String,
}

impl Movement {
    pub fn key(id: u64) -> String {
        format!("{id:010}")
    }
}

impl Record for Movement {
    const KIND: &'static str = "inventory_movement";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}
