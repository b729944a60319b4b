//! The Telemetry pane's part of the state machine: its views, the device page, acknowledging and
//! resolving alerts, and the rule and device forms. Keys for an open form or prompt come here
//! before the keymap, so typing "a" in a note never acknowledges an alert.

use std::collections::BTreeMap;
use std::sync::Arc;

use opsdeck_storage::Versioned;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::{Direction, Rule, RuleKind, Severity};
use opsdeck_views::action::Action;
use opsdeck_views::i18n::RULE_FIELD_KEYS;
use opsdeck_views::state::{AlertState, DeviceDetail, Form, FormField, Prompt, TelemetryView};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::form::{self, FormKey};
use super::telemetry_load::{TelemetryData, form_number};
use super::update::App;
use super::worker::Cmd;
use crate::domain::telemetry::devices::DeviceEdit;
use crate::ingest::metrics::{Metrics, MqttState};
use crate::site::services::Services;

const KINDS: [&str; 4] = ["threshold", "band", "rate_of_change", "stale"];

/// What the open form edits.
#[derive(Debug, Clone)]
enum FormKind {
    /// `existing`: (name, version) of the rule being edited.
    Rule { existing: Option<(String, u64)> },
    Device {
        id: String,
        version: u64,
        metrics: Vec<String>,
    },
}

#[derive(Debug, Clone)]
enum PromptKind {
    Resolve { key: String },
    DeleteRule { name: String, version: u64 },
}

/// What the pane knows beyond what it shows: record versions for edits, the form's purpose.
#[derive(Debug, Default)]
pub struct TelemetryCtx {
    alert_versions: BTreeMap<u64, (String, u64)>,
    rules: Vec<Versioned<Rule>>,
    devices: Vec<Versioned<Device>>,
    form: Option<(FormKind, Vec<String>)>,
    prompt: Option<PromptKind>,
    /// Counts forms and prompts opened: a late reply about an earlier one leaves the current
    /// one alone.
    generation: u64,
    /// Every value typed in the rule form, also of fields the current kind hides.
    stash: BTreeMap<&'static str, String>,
    /// Where this process serves ingest, when it holds the site services.
    ingest_addr: Option<String>,
    ingest_error: Option<String>,
    metrics: Option<Arc<Metrics>>,
}

impl App {
    /// This process now runs the site services (or not): the ingest line says where.
    pub fn attach_services(&mut self, services: Option<&Services>) {
        self.tm.ingest_addr = services.and_then(|s| s.http_addr()).map(|a| a.to_string());
        self.tm.ingest_error = services.and_then(|s| s.ingest_error.clone());
        self.tm.metrics = services.map(|s| s.pipeline().metrics.clone());
    }

    pub(super) fn telemetry_loaded(&mut self, d: TelemetryData) {
        let p = &mut self.shell.telemetry;
        // The lists re-sort as data arrives: keep the cursor on the same device, alert and
        // rule, so a key acts on what the user was looking at.
        let device = p.selected_device().map(|r| r.id.clone());
        let alert = p.selected_alert().map(|r| r.id);
        let rule = p.selected_rule().map(|r| r.name.clone());
        p.devices = d.devices;
        p.alerts = d.alerts;
        p.rules = d.rules;
        if let Some(id) = device
            && let Some(i) = p.visible_devices().iter().position(|r| r.id == id)
        {
            p.device_list.selected = i;
        }
        if let Some(id) = alert
            && let Some(i) = p.visible_alerts().iter().position(|r| r.id == id)
        {
            p.alert_list.selected = i;
        }
        if let Some(name) = rule
            && let Some(i) = p.visible_rules().iter().position(|r| r.name == name)
        {
            p.rule_list.selected = i;
        }
        p.open_alerts = d.open_alerts;
        p.loaded = true;
        let s = self.shell.locale.strings();
        let mut line = d.rate;
        match (&self.tm.ingest_addr, &self.tm.ingest_error) {
            (Some(addr), _) => line.push_str(&format!(" · {} http://{addr}", s.ingest_label)),
            (None, Some(e)) => line.push_str(&format!(" · {e}")),
            (None, None) => line.push_str(&format!(
                " · {}: {}",
                s.ingest_label, self.shell.status.services
            )),
        }
        if let Some(m) = &self.tm.metrics
            && m.mqtt() != MqttState::Disabled
        {
            line.push_str(&format!(" · {} {}", s.mqtt_label, m.mqtt().as_str()));
        }
        p.ingest = line;
        self.tm.alert_versions = d.alert_versions;
        self.tm.rules = d.rule_records;
        self.tm.devices = d.device_records;
        let n = p.visible_len();
        if let Some(l) = p.list_mut() {
            l.selected = l.selected.min(n.saturating_sub(1));
        }
    }

    pub(super) fn device_loaded(&mut self, d: DeviceDetail) {
        let p = &mut self.shell.telemetry;
        // A late page for a device no longer open is dropped.
        if p.view != TelemetryView::Device {
            return;
        }
        match &p.detail {
            Some(cur) if cur.id != d.id || cur.window != d.window => {}
            Some(cur) => {
                let metric = cur.metric;
                p.detail = Some(DeviceDetail {
                    metric: metric.min(d.series.len().saturating_sub(1)),
                    ..d
                });
            }
            None => p.detail = Some(d),
        }
    }

    pub(super) fn reload_telemetry(&mut self) {
        self.send(Cmd::LoadTelemetry);
        if let (TelemetryView::Device, Some(d)) =
            (self.shell.telemetry.view, &self.shell.telemetry.detail)
        {
            self.send(Cmd::LoadDevice {
                id: d.id.clone(),
                window: d.window,
                metric: d.metric,
            });
        }
    }

    /// The outcome of a form or prompt save.
    pub(super) fn form_saved(&mut self, notice: String, generation: u64) {
        if generation == self.tm.generation {
            let p = &mut self.shell.telemetry;
            p.form = None;
            p.prompt = None;
            self.tm.form = None;
            self.tm.prompt = None;
        }
        self.shell.status.notice = Some(notice);
        self.reload_telemetry();
    }

    pub(super) fn form_failed(&mut self, msg: String, generation: u64) {
        match &mut self.shell.telemetry.form {
            Some(f) if generation == self.tm.generation => f.message = Some(msg),
            _ => self.shell.status.last_error = Some(msg),
        }
    }

    pub(super) fn prompt_failed(&mut self, msg: String, generation: u64) {
        match &mut self.shell.telemetry.prompt {
            Some(p) if generation == self.tm.generation => p.error = Some(msg),
            _ => self.shell.status.last_error = Some(msg),
        }
    }

    pub(super) fn telemetry_action(&mut self, a: Action) {
        if self.shell.pane != opsdeck_views::state::PaneId::Telemetry {
            self.go(opsdeck_views::state::PaneId::Telemetry);
        }
        let p = &mut self.shell.telemetry;
        match a {
            Action::TelemetryDevices => self.set_view(TelemetryView::Devices),
            Action::TelemetryAlerts => self.set_view(TelemetryView::Alerts),
            Action::TelemetryRules => self.set_view(TelemetryView::Rules),
            Action::TelemetryNextView => {
                let v = p.view.next();
                self.set_view(v);
            }
            Action::TelemetryWindow => {
                if let Some(d) = &mut p.detail {
                    d.window = d.window.next();
                    d.loading = true;
                    let cmd = Cmd::LoadDevice {
                        id: d.id.clone(),
                        window: d.window,
                        metric: d.metric,
                    };
                    self.send(cmd);
                }
            }
            Action::TelemetryMetric => {
                if let Some(d) = &mut p.detail
                    && !d.series.is_empty()
                {
                    d.metric = (d.metric + 1) % d.series.len();
                }
            }
            Action::AlertAck => {
                let Some(a) = self.selected_alert_in_view() else {
                    return;
                };
                if a.1 != AlertState::Open {
                    self.shell.status.notice =
                        Some(self.shell.locale.strings().already_handled.to_owned());
                    return;
                }
                if let Some((key, _)) = self.tm.alert_versions.get(&a.0).cloned() {
                    self.send(Cmd::AckAlert { key });
                }
            }
            Action::AlertResolve => {
                let Some(a) = self.selected_alert_in_view() else {
                    return;
                };
                if a.1 == AlertState::Resolved {
                    self.shell.status.notice =
                        Some(self.shell.locale.strings().already_handled.to_owned());
                    return;
                }
                if let Some((key, _)) = self.tm.alert_versions.get(&a.0).cloned() {
                    let title = self
                        .shell
                        .locale
                        .strings()
                        .resolve_alert
                        .replace("{id}", &a.0.to_string());
                    self.open_prompt(title, PromptKind::Resolve { key });
                }
            }
            Action::RuleToggle => {
                if let Some(r) = self.selected_rule_record() {
                    self.send(Cmd::ToggleRule {
                        name: r.key.clone(),
                        enabled: !r.value.enabled,
                    });
                }
            }
            Action::RuleDelete => {
                if let Some(r) = self.selected_rule_record() {
                    let title = self
                        .shell
                        .locale
                        .strings()
                        .delete_rule
                        .replace("{name}", &r.key);
                    self.open_prompt(
                        title,
                        PromptKind::DeleteRule {
                            name: r.key.clone(),
                            version: r.version,
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// `enter` in the pane: open a device (from devices or alerts), edit a rule.
    pub(super) fn telemetry_open(&mut self) {
        let p = &self.shell.telemetry;
        // (device, the metric to show first): the one the row or the alert is about.
        let device = match p.view {
            TelemetryView::Devices => p
                .selected_device()
                .map(|d| (d.id.clone(), d.metric.clone())),
            TelemetryView::Alerts => p.selected_alert().map(|a| {
                let metric = self
                    .tm
                    .rules
                    .iter()
                    .find(|r| r.key == a.rule)
                    .and_then(|r| r.value.metric().map(str::to_owned))
                    .unwrap_or_default();
                (a.device.clone(), metric)
            }),
            TelemetryView::Rules => {
                self.telemetry_edit();
                return;
            }
            TelemetryView::Device => None,
        };
        if let Some((id, metric)) = device {
            // The page lists a device's metrics in name order.
            let metric = self
                .tm
                .devices
                .iter()
                .find(|d| d.key == id)
                .and_then(|d| d.value.metrics.keys().position(|m| *m == metric))
                .unwrap_or(0);
            let t = &mut self.shell.telemetry;
            t.view = TelemetryView::Device;
            t.detail = Some(DeviceDetail {
                id: id.clone(),
                metric,
                loading: true,
                ..DeviceDetail::default()
            });
            self.send(Cmd::LoadDevice {
                id,
                window: Default::default(),
                metric,
            });
        }
    }

    /// `esc` on the device page goes back to the list it came from.
    pub(super) fn telemetry_back(&mut self) -> bool {
        let p = &mut self.shell.telemetry;
        if p.view == TelemetryView::Device {
            p.view = TelemetryView::Devices;
            p.detail = None;
            return true;
        }
        false
    }

    /// `n`: a new rule (from any telemetry view; a device page pre-fills the device).
    pub(super) fn telemetry_new(&mut self) {
        let devices = match (&self.shell.telemetry.view, &self.shell.telemetry.detail) {
            (TelemetryView::Device, Some(d)) => d.id.clone(),
            _ => "*".to_owned(),
        };
        let rule = Rule {
            name: String::new(),
            devices,
            kind: RuleKind::Threshold {
                metric: String::new(),
                direction: Direction::Above,
                limit: 0.0,
                for_secs: 60,
                hysteresis: 0.0,
            },
            severity: Severity::Warning,
            enabled: true,
            note: String::new(),
        };
        let title = self.shell.locale.strings().new_rule.to_owned();
        self.open_rule_form(title, &rule, None);
    }

    /// `e`: edit the selected rule, or the selected / open device.
    pub(super) fn telemetry_edit(&mut self) {
        let p = &self.shell.telemetry;
        match p.view {
            TelemetryView::Rules => {
                if let Some(r) = self.selected_rule_record() {
                    let title = format!("{} {}", self.shell.locale.strings().edit_rule, r.key);
                    let existing = Some((r.key.clone(), r.version));
                    self.open_rule_form(title, &r.value, existing);
                }
            }
            TelemetryView::Devices | TelemetryView::Device => {
                let id = match p.view {
                    TelemetryView::Device => p.detail.as_ref().map(|d| d.id.clone()),
                    _ => p.selected_device().map(|d| d.id.clone()),
                };
                let Some(d) = id.and_then(|id| self.tm.devices.iter().find(|d| d.key == id)) else {
                    return;
                };
                let d = d.clone();
                self.open_device_form(&d);
            }
            TelemetryView::Alerts => {}
        }
    }

    fn set_view(&mut self, v: TelemetryView) {
        let p = &mut self.shell.telemetry;
        p.view = v;
        p.detail = None;
        self.shell.filtering = false;
    }

    fn selected_alert_in_view(&self) -> Option<(u64, AlertState)> {
        let p = &self.shell.telemetry;
        if p.view != TelemetryView::Alerts {
            return None;
        }
        p.selected_alert().map(|a| (a.id, a.state))
    }

    fn selected_rule_record(&self) -> Option<Versioned<Rule>> {
        let p = &self.shell.telemetry;
        if p.view != TelemetryView::Rules {
            return None;
        }
        let name = p.selected_rule()?.name.clone();
        self.tm.rules.iter().find(|r| r.key == name).cloned()
    }

    fn open_prompt(&mut self, title: String, kind: PromptKind) {
        self.tm.generation += 1;
        self.shell.telemetry.prompt = Some(Prompt::new(title));
        self.tm.prompt = Some(kind);
    }

    fn open_rule_form(&mut self, title: String, rule: &Rule, existing: Option<(String, u64)>) {
        self.tm.generation += 1;
        let values = rule_values(rule, self.shell.locale.strings().yes_no);
        self.tm.stash = values.clone();
        let fields = self.rule_fields(&values);
        let initial: Vec<String> = fields.iter().map(|f| f.value.clone()).collect();
        self.shell.telemetry.form = Some(Form {
            title,
            fields,
            focused: 0,
            message: None,
            confirm_discard: false,
        });
        self.tm.form = Some((FormKind::Rule { existing }, initial));
    }

    fn open_device_form(&mut self, d: &Versioned<Device>) {
        self.tm.generation += 1;
        let s = self.shell.locale.strings();
        let mut fields = vec![
            text_field("name", s.device_name_label, &d.value.name),
            text_field("asset", s.device_asset_label, &d.value.asset),
        ];
        let mut metrics = Vec::new();
        for (m, info) in &d.value.metrics {
            fields.push(FormField {
                key: "unit",
                label: format!("{} {m}", s.unit_of),
                value: info.unit.clone(),
                choices: Vec::new(),
                error: None,
            });
            metrics.push(m.clone());
        }
        let initial = fields.iter().map(|f| f.value.clone()).collect();
        self.shell.telemetry.form = Some(Form {
            title: format!("{} {}", s.edit_device, d.key),
            fields,
            focused: 0,
            message: None,
            confirm_discard: false,
        });
        self.tm.form = Some((
            FormKind::Device {
                id: d.key.clone(),
                version: d.version,
                metrics,
            },
            initial,
        ));
    }

    /// The rule form's fields for the kind in `values`, in display order.
    fn rule_fields(&self, values: &BTreeMap<&'static str, String>) -> Vec<FormField> {
        let s = self.shell.locale.strings();
        let kind = values
            .get("kind")
            .map(String::as_str)
            .unwrap_or("threshold");
        let wanted: &[&str] = match kind {
            "band" => &["metric", "min", "max", "for_secs", "hysteresis"],
            "rate_of_change" => &["metric", "max_change", "window_secs"],
            "stale" => &["minutes"],
            _ => &["metric", "direction", "limit", "for_secs", "hysteresis"],
        };
        RULE_FIELD_KEYS
            .iter()
            .enumerate()
            .filter(|(_, k)| {
                matches!(
                    **k,
                    "name" | "devices" | "kind" | "severity" | "enabled" | "note"
                ) || wanted.contains(k)
            })
            .map(|(i, k)| {
                let choices: Vec<String> = match *k {
                    "kind" => KINDS.iter().map(|c| c.to_string()).collect(),
                    "direction" => vec!["above".into(), "below".into()],
                    "severity" => Severity::ALL.iter().map(|c| c.to_string()).collect(),
                    "enabled" => s.yes_no.iter().map(|c| c.to_string()).collect(),
                    _ => Vec::new(),
                };
                let value = values.get(k).cloned().unwrap_or_else(|| {
                    choices
                        .first()
                        .cloned()
                        .unwrap_or_else(|| default_number(k))
                });
                FormField {
                    key: k,
                    label: s.rule_field_labels[i].to_owned(),
                    value,
                    choices,
                    error: None,
                }
            })
            .collect()
    }

    /// Keys while a form or prompt is open. False: not open (the keymap handles the key).
    pub(super) fn telemetry_key(&mut self, k: KeyEvent) -> bool {
        if self.shell.telemetry.prompt.is_some() {
            self.prompt_key(k);
            return true;
        }
        if self.shell.telemetry.form.is_some() {
            self.form_key(k);
            return true;
        }
        false
    }

    fn prompt_key(&mut self, k: KeyEvent) {
        let Some(p) = self.shell.telemetry.prompt.as_mut() else {
            return;
        };
        match k.code {
            KeyCode::Esc => {
                self.shell.telemetry.prompt = None;
                self.tm.prompt = None;
            }
            KeyCode::Enter => match self.tm.prompt.clone() {
                Some(PromptKind::Resolve { key }) => {
                    let note = p.input.trim().to_owned();
                    if note.is_empty() {
                        p.error = Some("a note is required (what was done or found)".to_owned());
                        return;
                    }
                    let generation = self.tm.generation;
                    self.send(Cmd::ResolveAlert {
                        key,
                        note,
                        generation,
                    });
                }
                Some(PromptKind::DeleteRule { name, version }) => {
                    let generation = self.tm.generation;
                    self.send(Cmd::DeleteRule {
                        name,
                        version,
                        generation,
                    });
                }
                None => self.shell.telemetry.prompt = None,
            },
            _ => {
                if form::edit_text(&mut p.input, k) {
                    p.error = None;
                }
            }
        }
    }

    fn form_key(&mut self, k: KeyEvent) {
        let Some(f) = self.shell.telemetry.form.as_mut() else {
            return;
        };
        let initial = self
            .tm
            .form
            .as_ref()
            .map(|(_, i)| i.clone())
            .unwrap_or_default();
        match form::key(f, &initial, k) {
            FormKey::Handled => {}
            FormKey::Submit => self.submit_form(),
            FormKey::Close => {
                self.shell.telemetry.form = None;
                self.tm.form = None;
            }
            FormKey::Choice("kind") => self.rebuild_rule_form(),
            FormKey::Choice(_) => {}
        }
    }

    /// After the kind changed: the fields of the new kind, keeping every value typed so far.
    fn rebuild_rule_form(&mut self) {
        let Some(f) = self.shell.telemetry.form.as_ref() else {
            return;
        };
        for x in &f.fields {
            self.tm.stash.insert(x.key, x.value.clone());
        }
        let values = self.tm.stash.clone();
        let fields = self.rule_fields(&values);
        if let Some(f) = self.shell.telemetry.form.as_mut() {
            let focused_key = f.fields[f.focused].key;
            f.focused = fields
                .iter()
                .position(|x| x.key == focused_key)
                .unwrap_or(0);
            f.fields = fields;
        }
    }

    fn submit_form(&mut self) {
        let Some((kind, _)) = self.tm.form.clone() else {
            return;
        };
        let s = self.shell.locale.strings();
        let Some(f) = self.shell.telemetry.form.as_mut() else {
            return;
        };
        f.message = None;
        match kind {
            FormKind::Rule { existing } => {
                match rule_from_fields(&f.fields, s.yes_no, s.not_a_number) {
                    Ok(rule) => {
                        let problems = rule.problems();
                        let first = form::place_errors(&mut f.fields, |key| {
                            problems
                                .iter()
                                .find(|(k, _)| *k == key)
                                .map(|(_, m)| m.clone())
                        });
                        if let Some(i) = first {
                            f.focused = i;
                            return;
                        }
                        let generation = self.tm.generation;
                        self.send(Cmd::SaveRule {
                            rule,
                            existing,
                            generation,
                        });
                    }
                    Err(errors) => {
                        if let Some(i) =
                            form::place_errors(&mut f.fields, |k| errors.get(k).cloned())
                        {
                            f.focused = i;
                        }
                    }
                }
            }
            FormKind::Device {
                id,
                version,
                metrics,
            } => {
                let get = |key: &str| {
                    f.fields
                        .iter()
                        .find(|x| x.key == key)
                        .map(|x| x.value.clone())
                };
                let units: Vec<(String, String)> = f
                    .fields
                    .iter()
                    .filter(|x| x.key == "unit")
                    .zip(metrics)
                    .map(|(x, m)| (m, x.value.clone()))
                    .collect();
                let edit = DeviceEdit {
                    name: get("name"),
                    asset: get("asset"),
                    units,
                };
                let generation = self.tm.generation;
                self.send(Cmd::SaveDevice {
                    id,
                    version,
                    edit,
                    generation,
                });
            }
        }
    }
}

fn text_field(key: &'static str, label: &str, value: &str) -> FormField {
    FormField {
        key,
        label: label.to_owned(),
        value: value.to_owned(),
        choices: Vec::new(),
        error: None,
    }
}

fn default_number(key: &str) -> String {
    match key {
        "for_secs" | "hysteresis" => "0".into(),
        "window_secs" => "300".into(),
        "minutes" => "10".into(),
        _ => String::new(),
    }
}

/// A rule as form values, by TOML key.
fn rule_values(r: &Rule, yes_no: [&str; 2]) -> BTreeMap<&'static str, String> {
    let mut v = BTreeMap::new();
    v.insert("name", r.name.clone());
    v.insert("devices", r.devices.clone());
    v.insert("kind", r.kind.tag().to_owned());
    v.insert("severity", r.severity.to_string());
    v.insert("enabled", yes_no[usize::from(!r.enabled)].to_owned());
    v.insert("note", r.note.clone());
    match &r.kind {
        RuleKind::Threshold {
            metric,
            direction,
            limit,
            for_secs,
            hysteresis,
        } => {
            v.insert("metric", metric.clone());
            v.insert("direction", direction.to_string());
            v.insert("limit", form_number(*limit));
            v.insert("for_secs", for_secs.to_string());
            v.insert("hysteresis", form_number(*hysteresis));
        }
        RuleKind::Band {
            metric,
            min,
            max,
            for_secs,
            hysteresis,
        } => {
            v.insert("metric", metric.clone());
            v.insert("min", form_number(*min));
            v.insert("max", form_number(*max));
            v.insert("for_secs", for_secs.to_string());
            v.insert("hysteresis", form_number(*hysteresis));
        }
        RuleKind::RateOfChange {
            metric,
            max_change,
            window_secs,
        } => {
            v.insert("metric", metric.clone());
            v.insert("max_change", form_number(*max_change));
            v.insert("window_secs", window_secs.to_string());
        }
        RuleKind::Stale { minutes } => {
            v.insert("minutes", minutes.to_string());
        }
    }
    v
}

/// Reads the form back into a rule; numbers accept "8,5" as well as "8.5". Errors by field key.
fn rule_from_fields(
    fields: &[FormField],
    yes_no: [&str; 2],
    not_a_number: &str,
) -> Result<Rule, BTreeMap<&'static str, String>> {
    let get = |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut float = |key: &'static str| -> f64 {
        match get(key).replace(',', ".").parse::<f64>() {
            Ok(v) => v,
            Err(_) => {
                errors.insert(key, format!("'{}' {not_a_number}", get(key)));
                f64::NAN
            }
        }
    };
    let limit = float("limit");
    let min = float("min");
    let max = float("max");
    let max_change = float("max_change");
    let hysteresis = float("hysteresis");
    let mut whole = |key: &'static str| -> u64 {
        match get(key).parse::<u64>() {
            Ok(v) => v,
            Err(_) => {
                errors.insert(key, format!("'{}' {not_a_number}", get(key)));
                0
            }
        }
    };
    let for_secs = whole("for_secs");
    let window_secs = whole("window_secs");
    let minutes = whole("minutes");
    let kind_name = get("kind");
    let kind = match kind_name.as_str() {
        "band" => RuleKind::Band {
            metric: get("metric"),
            min,
            max,
            for_secs,
            hysteresis,
        },
        "rate_of_change" => RuleKind::RateOfChange {
            metric: get("metric"),
            max_change,
            window_secs,
        },
        "stale" => RuleKind::Stale { minutes },
        _ => RuleKind::Threshold {
            metric: get("metric"),
            direction: get("direction").parse().unwrap_or(Direction::Above),
            limit,
            for_secs,
            hysteresis,
        },
    };
    // Only errors of fields the kind shows count.
    let shown: Vec<&str> = fields.iter().map(|f| f.key).collect();
    errors.retain(|k, _| shown.contains(k));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        name: get("name"),
        devices: get("devices"),
        kind,
        severity: get("severity").parse().unwrap_or(Severity::Warning),
        enabled: get("enabled") != yes_no[1],
        note: get("note"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &'static str, value: &str) -> FormField {
        text_field(key, key, value)
    }

    #[test]
    fn a_form_reads_back_into_the_rule_it_shows() {
        let rule = Rule {
            name: "Câmara fria".into(),
            devices: "CR-*".into(),
            kind: RuleKind::Threshold {
                metric: "temp_c".into(),
                direction: Direction::Above,
                limit: 8.5,
                for_secs: 60,
                hysteresis: 0.5,
            },
            severity: Severity::Critical,
            enabled: false,
            note: "vacinas".into(),
        };
        let values = rule_values(&rule, ["sim", "não"]);
        let fields: Vec<FormField> = values.iter().map(|(k, v)| field(k, v)).collect();
        assert_eq!(
            rule_from_fields(&fields, ["sim", "não"], "x").unwrap(),
            rule
        );
    }

    #[test]
    fn bad_numbers_are_reported_on_their_field_and_commas_are_decimals() {
        let fields = vec![
            field("name", "r"),
            field("devices", "*"),
            field("kind", "band"),
            field("metric", "t"),
            field("min", "2,5"),
            field("max", "oito"),
            field("for_secs", "0"),
            field("hysteresis", "0"),
            field("severity", "warning"),
            field("enabled", "sim"),
            field("note", ""),
        ];
        let e = rule_from_fields(&fields, ["sim", "não"], "não é um número").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e["max"], "'oito' não é um número");
        let mut fixed = fields.clone();
        fixed[5].value = "8".into();
        let r = rule_from_fields(&fixed, ["sim", "não"], "x").unwrap();
        assert!(matches!(r.kind, RuleKind::Band { min, .. } if min == 2.5));
    }
}
