//! The Telemetry pane's view model: devices with their sparklines, one device's charts, alerts
//! and rules, with the form and prompt drawn over them. Figures and times arrive formatted by the
//! app.

use super::{Form, Health, ListView, Prompt, matches_filter, pick};

/// Which list or page the Telemetry pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TelemetryView {
    #[default]
    Devices,
    /// One device's charts, opened from the device list.
    Device,
    Alerts,
    Rules,
}

impl TelemetryView {
    /// Devices -> Alerts -> Rules -> Devices (the device page counts as Devices).
    pub fn next(self) -> TelemetryView {
        match self {
            TelemetryView::Devices | TelemetryView::Device => TelemetryView::Alerts,
            TelemetryView::Alerts => TelemetryView::Rules,
            TelemetryView::Rules => TelemetryView::Devices,
        }
    }
}

/// The time span of a device's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TimeWindow {
    #[default]
    Hour,
    Day,
    Week,
    Month,
}

impl TimeWindow {
    pub const ALL: [TimeWindow; 4] = [
        TimeWindow::Hour,
        TimeWindow::Day,
        TimeWindow::Week,
        TimeWindow::Month,
    ];

    pub fn secs(self) -> i64 {
        match self {
            TimeWindow::Hour => 3_600,
            TimeWindow::Day => 86_400,
            TimeWindow::Week => 7 * 86_400,
            TimeWindow::Month => 30 * 86_400,
        }
    }

    /// 1 h -> 24 h -> 7 d -> 30 d -> 1 h.
    pub fn next(self) -> TimeWindow {
        match self {
            TimeWindow::Hour => TimeWindow::Day,
            TimeWindow::Day => TimeWindow::Week,
            TimeWindow::Week => TimeWindow::Month,
            TimeWindow::Month => TimeWindow::Hour,
        }
    }

    /// The same in both languages.
    pub fn label(self) -> &'static str {
        match self {
            TimeWindow::Hour => "1 h",
            TimeWindow::Day => "24 h",
            TimeWindow::Week => "7 d",
            TimeWindow::Month => "30 d",
        }
    }
}

/// One row of the device list.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct DeviceRow {
    /// "AHU-01"
    pub id: String,
    /// May be empty.
    pub name: String,
    /// False: auto-registered on its first reading; shown with a "novo"/"new" marker.
    pub confirmed: bool,
    /// The metric shown in the row, e.g. "supply_temp_c".
    pub metric: String,
    pub value: Option<f64>,
    /// "°C", may be empty.
    pub unit: String,
    /// Time since the last reading, formatted by the app: "12 s", "3 min", "2 h".
    pub age: String,
    pub health: Health,
    /// The last hour, one value per minute, oldest first (None = no data); views scale it.
    pub spark: Vec<Option<f64>>,
}

/// One metric of a device over the chart window.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct MetricSeries {
    pub metric: String,
    pub unit: String,
    /// (seconds from window start, value), in time order.
    pub points: Vec<(f64, f64)>,
    pub min: Option<f64>,
    pub avg: Option<f64>,
    pub max: Option<f64>,
    pub last: Option<f64>,
}

/// One alert rule, as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleRow {
    pub name: String,
    /// Pattern, e.g. "AHU-*".
    pub devices: String,
    /// "info" | "warning" | "critical"
    pub severity: String,
    /// "supply_temp_c above 14 for 5 min (clears 0.5 below)"
    pub describe: String,
    pub enabled: bool,
    /// Devices with an open alert from this rule.
    pub firing: usize,
}

/// The device page: its metrics over a time window and the rules that apply to it.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct DeviceDetail {
    pub id: String,
    pub name: String,
    pub asset: String,
    pub confirmed: bool,
    pub window: TimeWindow,
    pub window_secs: f64,
    /// The window's ends, formatted by the app.
    pub from_label: String,
    pub to_label: String,
    pub series: Vec<MetricSeries>,
    /// Selected series index.
    pub metric: usize,
    /// Rules that apply to this device.
    pub rules: Vec<RuleRow>,
    pub loading: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AlertState {
    Open,
    Acknowledged,
    Resolved,
}

impl AlertState {
    /// Index into `Strings::alert_states`.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AlertRow {
    pub id: u64,
    pub rule: String,
    pub device: String,
    /// "info" | "warning" | "critical"
    pub severity: String,
    pub state: AlertState,
    /// Formatted.
    pub raised_at: String,
    pub message: String,
    /// "ana · 23/11/2026 10:02"
    pub acked: Option<String>,
    /// "auto · ..." or "ana · ... · note"
    pub resolved: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TelemetryPane {
    pub view: TelemetryView,
    pub devices: Vec<DeviceRow>,
    pub device_list: ListView,
    pub detail: Option<DeviceDetail>,
    /// The app sorts: open first, by severity, newest first.
    pub alerts: Vec<AlertRow>,
    pub alert_list: ListView,
    pub rules: Vec<RuleRow>,
    pub rule_list: ListView,
    pub form: Option<Form>,
    pub prompt: Option<Prompt>,
    pub open_alerts: usize,
    /// One line about ingest, formatted by the app: "ingest 127.0.0.1:8787 · 1.234 leituras/min ·
    /// MQTT conectado" or who runs it.
    pub ingest: String,
    /// False until the first load finished.
    pub loaded: bool,
}

impl TelemetryPane {
    /// Devices matching the `/` filter (id, name, metric).
    pub fn visible_devices(&self) -> Vec<&DeviceRow> {
        self.devices
            .iter()
            .filter(|d| matches_filter(&self.device_list.filter, &[&d.id, &d.name, &d.metric]))
            .collect()
    }

    /// Alerts matching the `/` filter (rule, device, message, severity).
    pub fn visible_alerts(&self) -> Vec<&AlertRow> {
        self.alerts
            .iter()
            .filter(|a| {
                matches_filter(
                    &self.alert_list.filter,
                    &[&a.rule, &a.device, &a.message, &a.severity],
                )
            })
            .collect()
    }

    /// Rules matching the `/` filter (name, devices, describe).
    pub fn visible_rules(&self) -> Vec<&RuleRow> {
        self.rules
            .iter()
            .filter(|r| matches_filter(&self.rule_list.filter, &[&r.name, &r.devices, &r.describe]))
            .collect()
    }

    /// The list of the current view (None on the device page, which has no list).
    pub fn list(&self) -> Option<&ListView> {
        match self.view {
            TelemetryView::Devices => Some(&self.device_list),
            TelemetryView::Alerts => Some(&self.alert_list),
            TelemetryView::Rules => Some(&self.rule_list),
            TelemetryView::Device => None,
        }
    }

    pub fn list_mut(&mut self) -> Option<&mut ListView> {
        match self.view {
            TelemetryView::Devices => Some(&mut self.device_list),
            TelemetryView::Alerts => Some(&mut self.alert_list),
            TelemetryView::Rules => Some(&mut self.rule_list),
            TelemetryView::Device => None,
        }
    }

    /// Rows the current view's list shows after the filter (0 on the device page).
    pub fn visible_len(&self) -> usize {
        match self.view {
            TelemetryView::Devices => self.visible_devices().len(),
            TelemetryView::Alerts => self.visible_alerts().len(),
            TelemetryView::Rules => self.visible_rules().len(),
            TelemetryView::Device => 0,
        }
    }

    /// The selected row among the visible ones (the selection is clamped like the views do).
    pub fn selected_device(&self) -> Option<&DeviceRow> {
        pick(self.visible_devices(), self.device_list.selected)
    }

    pub fn selected_alert(&self) -> Option<&AlertRow> {
        pick(self.visible_alerts(), self.alert_list.selected)
    }

    pub fn selected_rule(&self) -> Option<&RuleRow> {
        pick(self.visible_rules(), self.rule_list.selected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_windows_cycle_with_their_lengths_and_labels() {
        let mut w = TimeWindow::default();
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push((w.label(), w.secs()));
            w = w.next();
        }
        assert_eq!(w, TimeWindow::Hour);
        assert_eq!(
            seen,
            [
                ("1 h", 3_600),
                ("24 h", 86_400),
                ("7 d", 604_800),
                ("30 d", 2_592_000)
            ]
        );
        assert!(Health::Critical < Health::Warning && Health::Stale < Health::Ok);
        assert_eq!(Health::from_severity("Warning"), Some(Health::Warning));
        assert_eq!(Health::from_severity("loud"), None);
    }

    #[test]
    fn telemetry_filters_and_selection_follow_the_view() {
        let mut p = TelemetryPane::default();
        for (id, name) in [("AHU-01", "Climatização"), ("CH-01", "Chiller")] {
            p.devices.push(DeviceRow {
                id: id.into(),
                name: name.into(),
                metric: "temp_c".into(),
                ..DeviceRow::default()
            });
        }
        p.device_list.filter = "climatizacao".into();
        assert_eq!(p.visible_devices().len(), 1);
        p.device_list.selected = 9;
        assert_eq!(p.selected_device().map(|d| d.id.as_str()), Some("AHU-01"));
        assert_eq!(p.visible_len(), 1);
        p.rules.push(RuleRow {
            name: "Alta".into(),
            devices: "AHU-*".into(),
            severity: "critical".into(),
            describe: "temp_c above 14".into(),
            enabled: true,
            firing: 0,
        });
        p.view = TelemetryView::Rules;
        p.list_mut().unwrap().filter = "above".into();
        assert_eq!(p.visible_len(), 1);
        p.rule_list.filter = "zzz".into();
        assert!(p.selected_rule().is_none());
        p.view = TelemetryView::Device;
        assert!(p.list().is_none());
        assert_eq!(p.view.next(), TelemetryView::Alerts);
    }
}
