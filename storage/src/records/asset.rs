//! Maintained assets (CMMS): chillers, air handlers, split units, cold rooms, pumps ... placed in
//! a site -> area hierarchy, keyed by their tag ("CH-01"). Work orders, sensors and costs point
//! at an asset by its tag.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criticality {
    Low,
    Medium,
    High,
    Critical,
}

named_enum!(Criticality, "criticality", {
    Low => "low",
    Medium => "medium",
    High => "high",
    Critical => "critical",
});

/// Keyed by `tag`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// "CH-01": unique in the tenant, printed on the QR label.
    pub tag: String,
    pub name: String,
    /// "chiller", "ahu", "fan_coil", "split", "cold_room", "pump", "cooling_tower" ...
    pub kind: String,
    /// The hierarchy: site ("Hospital Central") -> area ("Casa de máquinas").
    pub site: String,
    pub area: String,
    /// Where exactly ("Cobertura, ala B").
    pub location: String,
    pub make: String,
    pub model: String,
    pub serial: String,
    pub installed: Option<Date>,
    pub criticality: Criticality,
    /// Telemetry device ids linked to this asset.
    pub sensors: Vec<String>,
    /// False: retired; kept for its history.
    pub active: bool,
    pub notes: String,
}

impl Asset {
    /// The text a QR label encodes; scanning it (or typing it) finds the asset.
    pub fn qr_text(tenant: &str, tag: &str) -> String {
        format!("opsdeck:{tenant}:asset:{tag}")
    }
}

impl Record for Asset {
    const KIND: &'static str = "asset";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("{} · {}", self.tag, self.name),
            body: format!(
                "{} {} {} {} {} {} {} {} {}",
                self.kind,
                self.site,
                self.area,
                self.location,
                self.make,
                self.model,
                self.serial,
                self.sensors.join(" "),
                self.notes
            ),
        })
    }
}
