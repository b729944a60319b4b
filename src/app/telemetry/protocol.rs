//! What the Telemetry pane asks the worker for and what comes back.

use std::collections::BTreeMap;

use opsdeck_storage::Versioned;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::Rule;
use opsdeck_views::state::telemetry::{AlertRow, DeviceDetail, DeviceRow, RuleRow, TimeWindow};

use crate::domain::telemetry::devices::DeviceEdit;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TmCmd {
    Load,
    LoadDevice {
        id: String,
        window: TimeWindow,
        metric: usize,
    },
    Ack {
        key: String,
    },
    Resolve {
        key: String,
        note: String,
        generation: u64,
    },
    /// `existing`: (name, version) of the rule being edited.
    SaveRule {
        rule: Rule,
        existing: Option<(String, u64)>,
        generation: u64,
    },
    ToggleRule {
        name: String,
        enabled: bool,
    },
    DeleteRule {
        name: String,
        version: u64,
        generation: u64,
    },
    SaveDevice {
        id: String,
        version: u64,
        edit: DeviceEdit,
        generation: u64,
    },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TmReply {
    Loaded(Box<TelemetryData>),
    /// How the site service's ingest is doing, pushed to its clients (a console that runs the
    /// services itself reads them directly).
    Health(ServiceHealth),
    Device(Box<DeviceDetail>),
}

/// Everything the pane's three lists show, loaded together (a few ms for a site of 50 devices).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TelemetryData {
    pub devices: Vec<DeviceRow>,
    pub device_records: Vec<Versioned<Device>>,
    pub alerts: Vec<AlertRow>,
    /// alert id -> (record key, version)
    pub alert_versions: BTreeMap<u64, (String, u64)>,
    pub rules: Vec<RuleRow>,
    pub rule_records: Vec<Versioned<Rule>>,
    pub open_alerts: usize,
    /// "1.234 leituras/min · último dado há 3 s"
    pub rate: String,
}

/// The site service's ingest as a client console shows it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceHealth {
    /// "127.0.0.1:8787", when HTTP ingest listens.
    pub ingest: Option<String>,
    /// Why it does not, when it could not start.
    pub ingest_error: Option<String>,
    /// The MQTT subscriber's state ("connected" ...), when one is configured.
    pub mqtt: Option<String>,
}
