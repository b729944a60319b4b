//! The vocabulary of things a user can ask for. Every action has a stable name, used in
//! keymap.toml and the command palette, and a description shown in help.

use serde::{Deserialize, Serialize};

use crate::state::PaneId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Action {
    Quit,
    Help,
    Palette,
    Filter,
    Search,
    Back,
    PaneNext,
    PanePrev,
    Pane(PaneId),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    New,
    Edit,
    Refresh,
    AuditVerify,
    ToggleLanguage,
    TelemetryDevices,
    TelemetryAlerts,
    TelemetryRules,
    TelemetryNextView,
    TelemetryWindow,
    TelemetryMetric,
    AlertAck,
    AlertResolve,
    RuleToggle,
    RuleDelete,
    Notifications,
    GasEntry,
    GasMonth,
    GasPlans,
    GasReport,
    GasExport,
    GasAdmin,
    GasNextView,
    GasNextUnit,
    GasPrevUnit,
    GasPrev,
    GasNext,
    GasToday,
    GasApprove,
    GasApproveMonth,
    GasQdr,
}

/// (name, action, English description) for every action; the palette lists these.
pub const ALL: &[(&str, Action, &str)] = &[
    ("quit", Action::Quit, "Quit opsdeck"),
    ("help", Action::Help, "Show the key bindings in effect"),
    ("palette", Action::Palette, "Open the command palette"),
    ("filter", Action::Filter, "Filter the focused list"),
    ("search", Action::Search, "Global search over every record"),
    ("back", Action::Back, "Close, cancel or go back"),
    ("pane.next", Action::PaneNext, "Next pane"),
    ("pane.prev", Action::PanePrev, "Previous pane"),
    (
        "pane.work_orders",
        Action::Pane(PaneId::WorkOrders),
        "Go to Work orders",
    ),
    (
        "pane.telemetry",
        Action::Pane(PaneId::Telemetry),
        "Go to Telemetry",
    ),
    ("pane.ledger", Action::Pane(PaneId::Ledger), "Go to Ledger"),
    ("pane.gas", Action::Pane(PaneId::Gas), "Go to Gas"),
    ("pane.fuel", Action::Pane(PaneId::Fuel), "Go to Fuel"),
    ("pane.sales", Action::Pane(PaneId::Sales), "Go to Sales"),
    ("pane.search", Action::Pane(PaneId::Search), "Go to Search"),
    ("pane.audit", Action::Pane(PaneId::Audit), "Go to Audit"),
    ("list.up", Action::Up, "Move up"),
    ("list.down", Action::Down, "Move down"),
    ("list.top", Action::Top, "Go to top"),
    ("list.bottom", Action::Bottom, "Go to bottom"),
    ("list.page_up", Action::PageUp, "Page up"),
    ("list.page_down", Action::PageDown, "Page down"),
    ("open", Action::Open, "Open the selected item"),
    ("new", Action::New, "New item"),
    ("edit", Action::Edit, "Edit the selected item"),
    (
        "refresh",
        Action::Refresh,
        "Reload the pane from the database",
    ),
    (
        "audit.verify",
        Action::AuditVerify,
        "Verify the audit chain and its seal",
    ),
    (
        "ui.language",
        Action::ToggleLanguage,
        "Switch between Português and English",
    ),
    (
        "telemetry.devices",
        Action::TelemetryDevices,
        "Telemetry: device list",
    ),
    (
        "telemetry.alerts",
        Action::TelemetryAlerts,
        "Telemetry: alerts",
    ),
    (
        "telemetry.rules",
        Action::TelemetryRules,
        "Telemetry: alert rules",
    ),
    (
        "telemetry.view",
        Action::TelemetryNextView,
        "Telemetry: next view (devices, alerts, rules)",
    ),
    (
        "telemetry.window",
        Action::TelemetryWindow,
        "Chart time window: 1 h, 24 h, 7 d, 30 d",
    ),
    ("telemetry.metric", Action::TelemetryMetric, "Next metric"),
    (
        "alert.ack",
        Action::AlertAck,
        "Acknowledge the selected alert",
    ),
    (
        "alert.resolve",
        Action::AlertResolve,
        "Resolve the selected alert with a note",
    ),
    (
        "rule.toggle",
        Action::RuleToggle,
        "Enable or disable the selected rule",
    ),
    (
        "rule.delete",
        Action::RuleDelete,
        "Delete the selected rule (asks first)",
    ),
    (
        "notifications",
        Action::Notifications,
        "Your notifications (missing gas entries ...)",
    ),
    (
        "gas.entry",
        Action::GasEntry,
        "Gas: the day's entry of the unit",
    ),
    ("gas.month", Action::GasMonth, "Gas: month grid and chart"),
    (
        "gas.plans",
        Action::GasPlans,
        "Gas: plans (QDP) of the month",
    ),
    (
        "gas.report",
        Action::GasReport,
        "Gas: Petrobras report preview",
    ),
    (
        "gas.export",
        Action::GasExport,
        "Gas: write the month's Petrobras XLSX",
    ),
    (
        "gas.admin",
        Action::GasAdmin,
        "Gas: equipment rates and contracts",
    ),
    (
        "gas.view",
        Action::GasNextView,
        "Gas: next view (entry, month, plans, report, admin)",
    ),
    ("gas.unit", Action::GasNextUnit, "Gas: next unit"),
    ("gas.unit_prev", Action::GasPrevUnit, "Gas: previous unit"),
    ("gas.prev", Action::GasPrev, "Gas: previous day or month"),
    ("gas.next", Action::GasNext, "Gas: next day or month"),
    ("gas.today", Action::GasToday, "Gas: back to today"),
    (
        "gas.approve",
        Action::GasApprove,
        "Gas: approve the selected day's plan",
    ),
    (
        "gas.approve_month",
        Action::GasApproveMonth,
        "Gas: approve every plan of the unit's month",
    ),
    (
        "gas.qdr",
        Action::GasQdr,
        "Gas: key the selected day's real consumption (QDR) by hand",
    ),
];

impl Action {
    pub fn name(self) -> &'static str {
        ALL.iter()
            .find(|(_, a, _)| *a == self)
            .map(|(n, _, _)| *n)
            .unwrap_or("?")
    }

    pub fn from_name(name: &str) -> Option<Action> {
        ALL.iter().find(|(n, _, _)| *n == name).map(|(_, a, _)| *a)
    }

    pub fn description(self) -> &'static str {
        ALL.iter()
            .find(|(_, a, _)| *a == self)
            .map(|(_, _, d)| *d)
            .unwrap_or("")
    }
}

impl TryFrom<String> for Action {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Action::from_name(&s).ok_or_else(|| format!("unknown action '{s}'"))
    }
}

impl From<Action> for String {
    fn from(a: Action) -> String {
        a.name().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_unique_name_that_round_trips() {
        let mut names: Vec<_> = ALL.iter().map(|(n, _, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        for (n, a, _) in ALL {
            assert_eq!(Action::from_name(n), Some(*a));
            assert_eq!(a.name(), *n);
        }
    }
}
