//! Natural-gas consumption (the RC spreadsheets): plant units and their equipment with
//! effective-dated rates, daily entries, daily plans (QDP), real consumption (QDR) and the
//! supply contract. Quantities are m³ as `Decimal`, so totals match the spreadsheets exactly.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentKind {
    Atomizer,
    ProductionLine,
    Dryer,
}

named_enum!(EquipmentKind, "equipment kind", {
    Atomizer => "atomizer",
    ProductionLine => "production_line",
    Dryer => "dryer",
});

/// Atomizers burn per hour of operation; lines and dryers per day they are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    PerHour,
    PerDay,
}

named_enum!(RateUnit, "rate unit", { PerHour => "m3/h", PerDay => "m3/d" });

/// One rate, in force from `from` until the next change. Changes are appended, never edited,
/// so a past day is always computed with the rate it had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateChange {
    pub from: Date,
    pub rate: Decimal,
    pub by: String,
    pub at: jiff::Timestamp,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Equipment {
    /// Stable within the unit: "ATM", "ATM250", "L0", "SEC2".
    pub code: String,
    pub name: String,
    pub kind: EquipmentKind,
    pub rate_unit: RateUnit,
    /// Position in the entry form; the first atomizer is the primary one.
    pub order: u32,
    pub active: bool,
    /// Oldest first.
    pub rates: Vec<RateChange>,
}

impl Equipment {
    /// The rate in force on `date`, if the equipment had one yet.
    pub fn rate_on(&self, date: Date) -> Option<Decimal> {
        self.rates
            .iter()
            .filter(|r| r.from <= date)
            .max_by_key(|r| r.from)
            .map(|r| r.rate)
    }

    /// Lines and dryers are toggled on or off per day; atomizers run for hours.
    pub fn is_toggled(&self) -> bool {
        self.kind != EquipmentKind::Atomizer
    }
}

/// A plant unit, keyed by its code ("CRI").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasUnit {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub equipment: Vec<Equipment>,
    /// The telemetry device whose readings make this unit's QDR (source API), if linked.
    pub meter: Option<String>,
}

impl GasUnit {
    /// Atomizers in form order: the primary, then the secondary (Botucatu has two).
    pub fn atomizers(&self) -> Vec<&Equipment> {
        let mut a: Vec<&Equipment> = self
            .equipment
            .iter()
            .filter(|e| e.kind == EquipmentKind::Atomizer && e.active)
            .collect();
        a.sort_by_key(|e| e.order);
        a
    }

    pub fn has_secondary_atomizer(&self) -> bool {
        self.atomizers().len() > 1
    }

    /// Lines and dryers in form order.
    pub fn toggled(&self) -> Vec<&Equipment> {
        let mut t: Vec<&Equipment> = self
            .equipment
            .iter()
            .filter(|e| e.is_toggled() && e.active)
            .collect();
        t.sort_by_key(|e| e.order);
        t
    }

    pub fn equipment(&self, code: &str) -> Option<&Equipment> {
        self.equipment.iter().find(|e| e.code == code)
    }
}

impl Record for GasUnit {
    const KIND: &'static str = "gas_unit";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        let eq: Vec<&str> = self.equipment.iter().map(|e| e.name.as_str()).collect();
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("unidade {} · {}", self.code, self.name),
            body: eq.join(", "),
        })
    }
}

/// "CRI/2026-11-23": the key of a unit's record for a day (entries, plans, real consumption).
pub fn day_key(unit: &str, date: Date) -> String {
    format!("{unit}/{date}")
}

/// A hand-set QDS replacing the calculated one, and who set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualQds {
    pub value: Decimal,
    pub by: String,
    pub at: jiff::Timestamp,
}

/// What an operator keys for a unit and day. Keyed by `day_key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyEntry {
    pub unit: String,
    pub date: Date,
    pub atomizer_scheduled: bool,
    pub atomizer_hours: Decimal,
    /// Only for units with a second atomizer.
    pub secondary_scheduled: Option<bool>,
    pub secondary_hours: Option<Decimal>,
    /// Equipment code of each line or dryer -> on.
    pub lines: BTreeMap<String, bool>,
    pub observations: String,
    pub qds_manual: Option<ManualQds>,
}

impl Record for DailyEntry {
    const KIND: &'static str = "gas_entry";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        if self.observations.trim().is_empty() {
            return None;
        }
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("gás {} {}", self.unit, self.date),
            body: self.observations.clone(),
        })
    }
}

/// The programmed quantity (QDP) for a unit and day, and its approval. Keyed by `day_key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyPlan {
    pub unit: String,
    pub date: Date,
    pub qdp: Decimal,
    pub approved_by: Option<String>,
    pub approved_at: Option<jiff::Timestamp>,
}

impl Record for DailyPlan {
    const KIND: &'static str = "gas_plan";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QdrSource {
    Manual,
    /// From the unit's gas meter readings (telemetry).
    Api,
    Import,
}

named_enum!(QdrSource, "QDR source", { Manual => "manual", Api => "api", Import => "import" });

/// The metered real consumption (QDR) for a unit and day. Keyed by `day_key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealConsumption {
    pub unit: String,
    pub date: Date,
    pub qdr: Decimal,
    pub source: QdrSource,
}

impl Record for RealConsumption {
    const KIND: &'static str = "gas_qdr";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

/// The supply contract's quantities and tolerance bands, in force from `effective_from` until
/// the next contract. Keyed by the date ("2026-01-01").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    pub effective_from: Date,
    /// QDC, m³/day.
    pub qdc_limit: Decimal,
    pub transport_min: Decimal,
    pub transport_max: Decimal,
    pub molecule_min: Decimal,
    pub molecule_max: Decimal,
    pub incentive_bonus: Decimal,
    pub incentive_penalty: Decimal,
    pub note: String,
}

impl Record for Contract {
    const KIND: &'static str = "gas_contract";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("contrato de gás desde {}", self.effective_from),
            body: format!("QDC {} m³/d. {}", self.qdc_limit, self.note),
        })
    }
}

/// The contract in force on `date` among `contracts`.
pub fn contract_on(contracts: &[Contract], date: Date) -> Option<&Contract> {
    contracts
        .iter()
        .filter(|c| c.effective_from <= date)
        .max_by_key(|c| c.effective_from)
}

/// Which gas units a user runs: the unit the gas pane opens on, and who the missing-entry
/// reminder goes to. Keyed by the user name; its own record (not a field of `User`) so stored
/// users keep decoding. Unit codes in unit order (by code), no repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GasOperator {
    pub user: String,
    pub units: Vec<String>,
}

impl Record for GasOperator {
    const KIND: &'static str = "gas_operator";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("operador de gás {}", self.user),
            body: format!("unidades {}", self.units.join(", ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec;

    #[test]
    fn an_operator_assignment_round_trips_and_is_searchable_by_unit() {
        let op = GasOperator {
            user: "bia".into(),
            units: vec!["CRI".into(), "URU".into()],
        };
        let bytes = codec::encode(&op).unwrap();
        assert_eq!(codec::decode::<GasOperator>(&bytes).unwrap(), op);
        let doc = op.search_doc("bia").unwrap();
        assert_eq!(doc.kind, "gas_operator");
        assert!(doc.body.contains("CRI, URU"), "{}", doc.body);
    }
}
