//! Sensors and meters that send readings. A device is registered on its first reading (marked
//! unconfirmed) and can then be named, given units and linked to an asset.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricInfo {
    /// "°C", "kW", "m³/h"; guessed from the metric name on first sight, editable.
    pub unit: String,
    /// A human label ("Temperatura de insuflamento"); empty shows the metric name.
    pub label: String,
}

/// Keyed by the device id the sensor sends ("AHU-01").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    /// Tag of the asset it is mounted on (the work-order pane's assets), empty when unlinked.
    pub asset: String,
    /// False until someone names or confirms an auto-registered device.
    pub confirmed: bool,
    pub first_seen: jiff::Timestamp,
    pub metrics: BTreeMap<String, MetricInfo>,
}

impl Device {
    pub fn first_seen(id: &str, at: jiff::Timestamp) -> Device {
        Device {
            id: id.to_owned(),
            name: String::new(),
            asset: String::new(),
            confirmed: false,
            first_seen: at,
            metrics: BTreeMap::new(),
        }
    }

    pub fn unit(&self, metric: &str) -> &str {
        self.metrics
            .get(metric)
            .map(|m| m.unit.as_str())
            .unwrap_or("")
    }
}

/// The unit a metric name implies by its suffix (supply_temp_c -> °C), or "".
pub fn guess_unit(metric: &str) -> &'static str {
    const SUFFIXES: &[(&str, &str)] = &[
        ("_temp_c", "°C"),
        ("_c", "°C"),
        ("_kwh", "kWh"),
        ("_kw", "kW"),
        ("_pct", "%"),
        ("_rh", "%"),
        ("_pa", "Pa"),
        ("_kpa", "kPa"),
        ("_bar", "bar"),
        ("_m3h", "m³/h"),
        ("_m3", "m³"),
        ("_rpm", "rpm"),
        ("_mm_s", "mm/s"),
        ("_hz", "Hz"),
        ("_v", "V"),
        ("_a", "A"),
        ("_ppm", "ppm"),
        ("_h", "h"),
    ];
    let m = metric.to_ascii_lowercase();
    SUFFIXES
        .iter()
        .find(|(suffix, _)| m.ends_with(suffix))
        .map(|(_, unit)| *unit)
        .unwrap_or("")
}

impl Record for Device {
    const KIND: &'static str = "device";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        let metrics: Vec<&str> = self.metrics.keys().map(String::as_str).collect();
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: if self.name.is_empty() {
                format!("device {}", self.id)
            } else {
                format!("device {} · {}", self.id, self.name)
            },
            body: format!("{} {}", self.asset, metrics.join(" ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_metric_suffix() {
        assert_eq!(guess_unit("supply_temp_c"), "°C");
        assert_eq!(guess_unit("power_kw"), "kW");
        assert_eq!(guess_unit("energy_kwh"), "kWh");
        assert_eq!(guess_unit("flow_m3h"), "m³/h");
        assert_eq!(guess_unit("vibration"), "");
    }
}
