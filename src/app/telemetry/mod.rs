//! The Telemetry pane: devices, one device's charts, alerts and rules; acknowledging and
//! resolving alerts, the rule and device forms, and the one key that turns an alert into a
//! work order. Keys for an open form or prompt come here before the keymap, so typing "a" in a
//! note never acknowledges an alert.

mod forms;
mod load;
pub mod protocol;
mod purpose;
mod write;

pub use load::serve;

use std::collections::BTreeMap;
use std::sync::Arc;

use opsdeck_storage::Versioned;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::{Direction, Rule, RuleKind, Severity};
use opsdeck_views::action::{Action, TmAct};
use opsdeck_views::i18n::Texts;
use opsdeck_views::panes::telemetry::text::text;
use opsdeck_views::refusals;
use opsdeck_views::state::telemetry::{AlertState, DeviceDetail, TelemetryView};
use opsdeck_views::state::{FormField, ListView, PaneId, Shell};
use ratatui::crossterm::event::KeyEvent;

use super::link::Link;
use super::modal::{self, Modal, Step};
use super::pane::{Cx, Pane, Reload};
use super::protocol::{Cmd, Reply};
use crate::domain::telemetry::devices::DeviceEdit;
use crate::ingest::metrics::{Metrics, MqttState};
use crate::site::services::Services;
use forms::{rule_fields, rule_from_fields, rule_values};
use protocol::{ServiceHealth, TelemetryData, TmCmd, TmReply};
use purpose::{FormKind, PromptKind};

/// What the pane knows beyond what it shows: record versions for edits, the form's purpose.
#[derive(Debug, Default)]
pub struct Telemetry {
    alert_versions: BTreeMap<u64, (String, u64)>,
    rules: Vec<Versioned<Rule>>,
    devices: Vec<Versioned<Device>>,
    modal: Modal<FormKind, PromptKind>,
    /// Every value typed in the rule form, also of fields the current kind hides.
    stash: BTreeMap<&'static str, String>,
    /// Where this process serves ingest, when it holds the site services.
    ingest_addr: Option<String>,
    ingest_error: Option<String>,
    metrics: Option<Arc<Metrics>>,
    /// The site service's, pushed to this console when it is the service's client.
    remote: Option<ServiceHealth>,
}

impl Pane for Telemetry {
    fn id(&self) -> PaneId {
        PaneId::Telemetry
    }

    fn key(&mut self, cx: &mut Cx, k: KeyEvent) -> bool {
        let p = &mut cx.shell.telemetry;
        match self
            .modal
            .key(&mut p.form, &mut p.prompt, cx.shell.locale, k)
        {
            Step::Free => false,
            Step::Kept | Step::Closed => true,
            Step::Choice("kind") => {
                self.rebuild_rule_form(cx);
                true
            }
            Step::Choice(_) => true,
            Step::Form(kind) => {
                self.submit_form(cx, kind);
                true
            }
            Step::Prompt(kind, input) => {
                self.submit_prompt(cx, kind, input);
                true
            }
        }
    }

    fn act(&mut self, cx: &mut Cx, a: Action) -> bool {
        match a {
            Action::Telemetry(t) => self.telemetry_action(cx, t),
            Action::Open => self.telemetry_open(cx),
            Action::New => self.telemetry_new(cx),
            Action::Edit => self.telemetry_edit(cx),
            _ => return false,
        }
        true
    }

    fn reply(&mut self, cx: &mut Cx, r: Reply) {
        match r {
            Reply::Telemetry(TmReply::Loaded(d)) => self.telemetry_loaded(cx, *d),
            Reply::Telemetry(TmReply::Device(d)) => self.device_loaded(cx, *d),
            Reply::Telemetry(TmReply::Health(h)) => {
                self.remote = Some(h);
                if cx.shell.telemetry.loaded {
                    self.reload(cx, Reload::Shown);
                }
            }
            Reply::Saved(_, s) => {
                let p = &mut cx.shell.telemetry;
                self.modal.saved(s.generation, &mut p.form, &mut p.prompt);
                cx.notice(s.notice);
                self.reload(cx, Reload::Shown);
            }
            Reply::Failed(_, f) => {
                let p = &mut cx.shell.telemetry;
                if let Some(e) = self
                    .modal
                    .failed(&f, &mut p.form, &mut p.prompt, cx.shell.locale)
                {
                    cx.error(e);
                }
            }
            _ => {}
        }
    }

    fn reload(&mut self, cx: &mut Cx, _why: Reload) {
        cx.send(Cmd::Telemetry(TmCmd::Load));
        if let (TelemetryView::Device, Some(d)) =
            (cx.shell.telemetry.view, &cx.shell.telemetry.detail)
        {
            cx.send(Cmd::Telemetry(TmCmd::LoadDevice {
                id: d.id.clone(),
                window: d.window,
                metric: d.metric,
            }));
        }
    }

    /// `esc` on the device page goes back to the list it came from.
    fn back(&mut self, cx: &mut Cx) -> bool {
        let p = &mut cx.shell.telemetry;
        if p.view == TelemetryView::Device {
            p.view = TelemetryView::Devices;
            p.detail = None;
            return true;
        }
        false
    }

    fn paste(&mut self, cx: &mut Cx, text: &str) {
        let p = &mut cx.shell.telemetry;
        self.modal.paste(&mut p.form, &mut p.prompt, text);
    }

    fn unstick(&mut self, cx: &mut Cx, error: &str) {
        let p = &mut cx.shell.telemetry;
        self.modal.unstick(&mut p.form, &mut p.prompt, error);
    }

    fn busy(&self, shell: &Shell) -> bool {
        shell.telemetry.form.is_some() || shell.telemetry.prompt.is_some()
    }

    /// This process now runs the site services (or not): the ingest line says where.
    fn services(&mut self, services: Option<&Services>) {
        self.ingest_addr = services.and_then(|s| s.http_addr()).map(|a| a.to_string());
        self.ingest_error = services.and_then(|s| s.ingest_error.clone());
        self.metrics = services.map(|s| s.pipeline().metrics.clone());
    }

    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)> {
        let n = shell.telemetry.visible_len();
        shell.telemetry.list_mut().map(|l| (l, n))
    }
}

impl Telemetry {
    pub(super) fn telemetry_loaded(&mut self, cx: &mut Cx, d: TelemetryData) {
        let p = &mut cx.shell.telemetry;
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
        let s = text(cx.shell.locale);
        let mut line = d.rate;
        let remote = self.remote.clone().unwrap_or_default();
        let addr = self.ingest_addr.as_ref().or(remote.ingest.as_ref());
        match (
            addr,
            self.ingest_error.as_ref().or(remote.ingest_error.as_ref()),
        ) {
            (Some(addr), _) => line.push_str(&format!(" · {} http://{addr}", s.ingest_label)),
            (None, Some(e)) => line.push_str(&format!(" · {e}")),
            (None, None) => line.push_str(&format!(
                " · {}: {}",
                s.ingest_label,
                cx.shell.locale.strings().runner(&cx.shell.status.services)
            )),
        }
        let mqtt = match &self.metrics {
            Some(m) => (m.mqtt() != MqttState::Disabled).then(|| m.mqtt().as_str().to_owned()),
            None => remote.mqtt,
        };
        if let Some(m) = mqtt {
            line.push_str(&format!(" · {} {m}", s.mqtt_label));
        }
        p.ingest = line;
        self.alert_versions = d.alert_versions;
        self.rules = d.rule_records;
        self.devices = d.device_records;
        let n = p.visible_len();
        if let Some(l) = p.list_mut() {
            l.selected = l.selected.min(n.saturating_sub(1));
        }
    }

    pub(super) fn device_loaded(&mut self, cx: &mut Cx, d: DeviceDetail) {
        let p = &mut cx.shell.telemetry;
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

    fn telemetry_action(&mut self, cx: &mut Cx, a: TmAct) {
        let tm = text(cx.shell.locale);
        let p = &mut cx.shell.telemetry;
        match a {
            TmAct::Devices => self.set_view(cx, TelemetryView::Devices),
            TmAct::Alerts => self.set_view(cx, TelemetryView::Alerts),
            TmAct::Rules => self.set_view(cx, TelemetryView::Rules),
            TmAct::NextView => {
                let v = p.view.next();
                self.set_view(cx, v);
            }
            TmAct::Window => {
                if let Some(d) = &mut p.detail {
                    d.window = d.window.next();
                    d.loading = true;
                    let cmd = TmCmd::LoadDevice {
                        id: d.id.clone(),
                        window: d.window,
                        metric: d.metric,
                    };
                    cx.send(Cmd::Telemetry(cmd));
                }
            }
            TmAct::Metric => {
                if let Some(d) = &mut p.detail
                    && !d.series.is_empty()
                {
                    d.metric = (d.metric + 1) % d.series.len();
                }
            }
            TmAct::Ack => {
                let Some(a) = self.selected_alert_in_view(cx) else {
                    return;
                };
                if a.1 != AlertState::Open {
                    cx.notice(tm.already_handled);
                    return;
                }
                if let Some((key, _)) = self.alert_versions.get(&a.0).cloned() {
                    cx.send(Cmd::Telemetry(TmCmd::Ack { key }));
                }
            }
            TmAct::Resolve => {
                let Some(a) = self.selected_alert_in_view(cx) else {
                    return;
                };
                if a.1 == AlertState::Resolved {
                    cx.notice(tm.already_handled);
                    return;
                }
                if let Some((key, _)) = self.alert_versions.get(&a.0).cloned() {
                    let title = tm.resolve_alert.replace("{id}", &a.0.to_string());
                    self.modal.open_prompt(
                        &mut cx.shell.telemetry.prompt,
                        PromptKind::Resolve { key },
                        title,
                        String::new(),
                    );
                }
            }
            TmAct::ToggleRule => {
                if let Some(r) = self.selected_rule_record(cx) {
                    cx.send(Cmd::Telemetry(TmCmd::ToggleRule {
                        name: r.key.clone(),
                        enabled: !r.value.enabled,
                    }));
                }
            }
            TmAct::DeleteRule => {
                if let Some(r) = self.selected_rule_record(cx) {
                    let title = tm.delete_rule.replace("{name}", &r.key);
                    self.modal.open_prompt(
                        &mut cx.shell.telemetry.prompt,
                        PromptKind::DeleteRule {
                            name: r.key.clone(),
                            version: r.version,
                        },
                        title,
                        String::new(),
                    );
                }
            }
            TmAct::WorkOrder => self.order_from_alert(cx),
        }
    }

    /// The one key from an alert: its predictive work order, with the sensor's readings.
    fn order_from_alert(&mut self, cx: &mut Cx) {
        let t = &cx.shell.telemetry;
        let id = (t.view == TelemetryView::Alerts)
            .then(|| t.selected_alert().map(|a| a.id))
            .flatten();
        match id {
            Some(id) => cx.follow(Link::AlertOrder(
                opsdeck_storage::records::alert::Alert::key(id),
            )),
            None => cx.notice(text(cx.shell.locale).pick_alert_for_order),
        }
    }

    /// `enter` in the pane: open a device (from devices or alerts), edit a rule.
    pub(super) fn telemetry_open(&mut self, cx: &mut Cx) {
        let p = &cx.shell.telemetry;
        // (device, the metric to show first): the one the row or the alert is about.
        let device = match p.view {
            TelemetryView::Devices => p
                .selected_device()
                .map(|d| (d.id.clone(), d.metric.clone())),
            TelemetryView::Alerts => p.selected_alert().map(|a| {
                let metric = self
                    .rules
                    .iter()
                    .find(|r| r.key == a.rule)
                    .and_then(|r| r.value.metric().map(str::to_owned))
                    .unwrap_or_default();
                (a.device.clone(), metric)
            }),
            TelemetryView::Rules => {
                self.telemetry_edit(cx);
                return;
            }
            TelemetryView::Device => None,
        };
        if let Some((id, metric)) = device {
            // The page lists a device's metrics in name order.
            let metric = self
                .devices
                .iter()
                .find(|d| d.key == id)
                .and_then(|d| d.value.metrics.keys().position(|m| *m == metric))
                .unwrap_or(0);
            let t = &mut cx.shell.telemetry;
            t.view = TelemetryView::Device;
            t.detail = Some(DeviceDetail {
                id: id.clone(),
                metric,
                loading: true,
                ..DeviceDetail::default()
            });
            cx.send(Cmd::Telemetry(TmCmd::LoadDevice {
                id,
                window: Default::default(),
                metric,
            }));
        }
    }

    /// `n`: a new rule (from any telemetry view; a device page pre-fills the device).
    pub(super) fn telemetry_new(&mut self, cx: &mut Cx) {
        let devices = match (&cx.shell.telemetry.view, &cx.shell.telemetry.detail) {
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
        let title = text(cx.shell.locale).new_rule.to_owned();
        self.open_rule_form(cx, title, &rule, None);
    }

    /// `e`: edit the selected rule, or the selected / open device.
    pub(super) fn telemetry_edit(&mut self, cx: &mut Cx) {
        let p = &cx.shell.telemetry;
        match p.view {
            TelemetryView::Rules => {
                if let Some(r) = self.selected_rule_record(cx) {
                    let title = format!("{} {}", text(cx.shell.locale).edit_rule, r.key);
                    let existing = Some((r.key.clone(), r.version));
                    self.open_rule_form(cx, title, &r.value, existing);
                }
            }
            TelemetryView::Devices | TelemetryView::Device => {
                let id = match p.view {
                    TelemetryView::Device => p.detail.as_ref().map(|d| d.id.clone()),
                    _ => p.selected_device().map(|d| d.id.clone()),
                };
                let Some(d) = id.and_then(|id| self.devices.iter().find(|d| d.key == id)) else {
                    return;
                };
                let d = d.clone();
                self.open_device_form(cx, &d);
            }
            TelemetryView::Alerts => {}
        }
    }

    fn set_view(&mut self, cx: &mut Cx, v: TelemetryView) {
        let p = &mut cx.shell.telemetry;
        p.view = v;
        p.detail = None;
        cx.shell.filtering = false;
    }

    fn selected_alert_in_view(&self, cx: &Cx) -> Option<(u64, AlertState)> {
        let p = &cx.shell.telemetry;
        if p.view != TelemetryView::Alerts {
            return None;
        }
        p.selected_alert().map(|a| (a.id, a.state))
    }

    fn selected_rule_record(&self, cx: &Cx) -> Option<Versioned<Rule>> {
        let p = &cx.shell.telemetry;
        if p.view != TelemetryView::Rules {
            return None;
        }
        let name = p.selected_rule()?.name.clone();
        self.rules.iter().find(|r| r.key == name).cloned()
    }

    fn open_rule_form(
        &mut self,
        cx: &mut Cx,
        title: String,
        rule: &Rule,
        existing: Option<(String, u64)>,
    ) {
        let tm = text(cx.shell.locale);
        let values = rule_values(rule, tm.yes_no);
        self.stash = values.clone();
        let fields = rule_fields(tm, &values);
        self.modal.open_form(
            &mut cx.shell.telemetry.form,
            FormKind::Rule { existing },
            title,
            fields,
        );
    }

    fn open_device_form(&mut self, cx: &mut Cx, d: &Versioned<Device>) {
        let tm = text(cx.shell.locale);
        let mut fields = vec![
            FormField::text("name", tm.device_name_label, &d.value.name),
            FormField::text("asset", tm.device_asset_label, &d.value.asset),
        ];
        let mut metrics = Vec::new();
        for (m, info) in &d.value.metrics {
            fields.push(FormField::text(
                "unit",
                &format!("{} {m}", tm.unit_of),
                &info.unit,
            ));
            metrics.push(m.clone());
        }
        self.modal.open_form(
            &mut cx.shell.telemetry.form,
            FormKind::Device {
                id: d.key.clone(),
                version: d.version,
                metrics,
            },
            format!("{} {}", tm.edit_device, d.key),
            fields,
        );
    }

    /// After the kind changed: the fields of the new kind, keeping every value typed so far.
    fn rebuild_rule_form(&mut self, cx: &mut Cx) {
        let Some(f) = cx.shell.telemetry.form.as_ref() else {
            return;
        };
        for x in &f.fields {
            self.stash.insert(x.key, x.value.clone());
        }
        let values = self.stash.clone();
        let fields = rule_fields(text(cx.shell.locale), &values);
        if let Some(f) = cx.shell.telemetry.form.as_mut() {
            let focused_key = f.fields[f.focused].key;
            f.focused = fields
                .iter()
                .position(|x| x.key == focused_key)
                .unwrap_or(0);
            f.fields = fields;
        }
    }

    fn submit_form(&mut self, cx: &mut Cx, kind: FormKind) {
        let locale = cx.shell.locale;
        let tm = text(locale);
        let Some(f) = cx.shell.telemetry.form.as_mut() else {
            return;
        };
        f.message = None;
        let cmd = match kind {
            FormKind::Rule { existing } => {
                match rule_from_fields(&f.fields, tm.yes_no, tm.not_a_number) {
                    Ok(rule) => {
                        let problems = rule.problems();
                        let first = modal::place_errors(&mut f.fields, |key| {
                            problems
                                .iter()
                                .find(|(k, _)| *k == key)
                                .map(|(_, m)| refusals::say(locale, m))
                        });
                        if let Some(i) = first {
                            f.focused = i;
                            return;
                        }
                        |generation| TmCmd::SaveRule {
                            rule,
                            existing,
                            generation,
                        }
                    }
                    Err(errors) => {
                        if let Some(i) =
                            modal::place_errors(&mut f.fields, |k| errors.get(k).cloned())
                        {
                            f.focused = i;
                        }
                        return;
                    }
                }
            }
            FormKind::Device {
                id,
                version,
                metrics,
            } => {
                let units: Vec<(String, String)> = f
                    .fields
                    .iter()
                    .filter(|x| x.key == "unit")
                    .zip(metrics)
                    .map(|(x, m)| (m, x.value.clone()))
                    .collect();
                let edit = DeviceEdit {
                    name: Some(f.value("name").to_owned()),
                    asset: Some(f.value("asset").to_owned()),
                    units,
                };
                return self.send(cx, |generation| TmCmd::SaveDevice {
                    id,
                    version,
                    edit,
                    generation,
                });
            }
        };
        self.send(cx, cmd);
    }

    /// Enter on a prompt: resolving needs a note; deleting is confirmed by Enter.
    fn submit_prompt(&mut self, cx: &mut Cx, kind: PromptKind, input: String) {
        match kind {
            PromptKind::Resolve { key } => {
                if input.is_empty() {
                    if let Some(p) = cx.shell.telemetry.prompt.as_mut() {
                        p.error = Some(text(cx.shell.locale).note_required.to_owned());
                    }
                    return;
                }
                self.send(cx, |generation| TmCmd::Resolve {
                    key,
                    note: input,
                    generation,
                });
            }
            PromptKind::DeleteRule { name, version } => {
                self.send(cx, |generation| TmCmd::DeleteRule {
                    name,
                    version,
                    generation,
                });
            }
        }
    }

    /// Sends the open form's or prompt's write, once (a second Enter waits for its answer).
    fn send(&mut self, cx: &mut Cx, cmd: impl FnOnce(u64) -> TmCmd) {
        if let Some(generation) = self.modal.sending() {
            cx.send(Cmd::Telemetry(cmd(generation)));
        }
    }
}
