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
    /// Telemetry: open a predictive work order from the selected alert.
    AlertWorkOrder,
    Wo(WoAct),
}

/// What the Work-orders pane's own keys ask for; which record it acts on depends on the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WoAct {
    Orders,
    Assets,
    Plans,
    Inventory,
    Kpis,
    NextView,
    /// Cycle the order list's status filter.
    StatusFilter,
    /// Cycle the order list's type filter.
    TypeFilter,
    /// Only overdue orders, or all again.
    Overdue,
    /// The filter form (status, type, asset, assignee, overdue).
    FilterForm,
    /// Start an open order or resume one on hold.
    Start,
    Hold,
    /// Complete (done), with a note; may resolve the alert it came from.
    Done,
    Cancel,
    Part,
    Labor,
    Service,
    Note,
    Attach,
    /// Asset down now, or back up.
    Down,
    /// Answer the selected checklist item, or pause/resume the selected plan.
    Toggle,
    /// Orders or KPIs: write the XLSX and CSV; assets: the QR label sheet.
    Export,
    Receive,
    Adjust,
    /// Show the asset's QR code large.
    Qr,
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
    (
        "alert.work_order",
        Action::AlertWorkOrder,
        "Open a predictive work order from the selected alert",
    ),
    (
        "wo.orders",
        Action::Wo(WoAct::Orders),
        "Work orders: order list",
    ),
    (
        "wo.assets",
        Action::Wo(WoAct::Assets),
        "Work orders: assets",
    ),
    (
        "wo.plans",
        Action::Wo(WoAct::Plans),
        "Work orders: preventive plans",
    ),
    (
        "wo.inventory",
        Action::Wo(WoAct::Inventory),
        "Work orders: inventory",
    ),
    (
        "wo.kpis",
        Action::Wo(WoAct::Kpis),
        "Work orders: KPIs (backlog, PM compliance, MTTR/MTBF, cost)",
    ),
    (
        "wo.view",
        Action::Wo(WoAct::NextView),
        "Work orders: next view",
    ),
    (
        "wo.status",
        Action::Wo(WoAct::StatusFilter),
        "Orders: next status filter",
    ),
    (
        "wo.type",
        Action::Wo(WoAct::TypeFilter),
        "Orders: next type filter",
    ),
    (
        "wo.overdue",
        Action::Wo(WoAct::Overdue),
        "Orders: only overdue, or all",
    ),
    (
        "wo.filter",
        Action::Wo(WoAct::FilterForm),
        "Orders: filter by status, type, asset, assignee",
    ),
    (
        "wo.start",
        Action::Wo(WoAct::Start),
        "Order: start it, or resume it from hold",
    ),
    (
        "wo.hold",
        Action::Wo(WoAct::Hold),
        "Order: put on hold, with what it waits for",
    ),
    (
        "wo.done",
        Action::Wo(WoAct::Done),
        "Order: complete it (may resolve its alert)",
    ),
    (
        "wo.cancel",
        Action::Wo(WoAct::Cancel),
        "Order: cancel it, with why",
    ),
    (
        "wo.part",
        Action::Wo(WoAct::Part),
        "Order: issue a part from stock",
    ),
    (
        "wo.labor",
        Action::Wo(WoAct::Labor),
        "Order: book labor hours",
    ),
    (
        "wo.service",
        Action::Wo(WoAct::Service),
        "Order: book a bought service",
    ),
    ("wo.note", Action::Wo(WoAct::Note), "Order: add a note"),
    (
        "wo.attach",
        Action::Wo(WoAct::Attach),
        "Order: attach a file as evidence",
    ),
    (
        "wo.down",
        Action::Wo(WoAct::Down),
        "Order: the asset is down now, or back up",
    ),
    (
        "wo.toggle",
        Action::Wo(WoAct::Toggle),
        "Answer the checklist item; pause or resume the plan",
    ),
    (
        "wo.export",
        Action::Wo(WoAct::Export),
        "Export the orders and cost per asset (XLSX, CSV), or asset labels",
    ),
    (
        "wo.receive",
        Action::Wo(WoAct::Receive),
        "Inventory: receive stock",
    ),
    (
        "wo.adjust",
        Action::Wo(WoAct::Adjust),
        "Inventory: adjust stock after a count",
    ),
    (
        "wo.qr",
        Action::Wo(WoAct::Qr),
        "Asset: show its QR code large",
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
