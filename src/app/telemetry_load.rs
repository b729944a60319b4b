//! The worker's telemetry reads and writes: the lists of the Telemetry pane, a device page, and
//! the actions people take (acknowledge, resolve, save a rule...). Formatting for display
//! happens here, so the UI thread only copies rows in.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::Versioned;
use opsdeck_storage::readings::{MINUTE_MS, Resolution};
use opsdeck_storage::records::alert::{Alert, AlertStatus};
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::{Rule, format_value};
use opsdeck_views::state::{
    AlertRow, AlertState, DeviceDetail, DeviceRow, Health, MetricSeries, RuleRow, TimeWindow,
};

use super::worker::Worker;
use crate::domain::access::{Permission, require};
use crate::domain::telemetry::series::{self, Health as DHealth};

/// Everything the pane's three lists show, loaded together (a few ms for a site of 50 devices).
#[derive(Debug, Clone)]
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

fn health(h: DHealth) -> Health {
    match h {
        DHealth::Critical => Health::Critical,
        DHealth::Warning => Health::Warning,
        DHealth::Info => Health::Info,
        DHealth::Stale => Health::Stale,
        DHealth::Ok => Health::Ok,
    }
}

/// "12 s", "3 min", "2 h", "4 d".
pub fn age(d: SignedDuration) -> String {
    let s = d.as_secs().max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86400 => format!("{} h", s / 3600),
        _ => format!("{} d", s / 86400),
    }
}

impl Worker {
    fn local(&self, t: Timestamp) -> String {
        self.locale.datetime(&t.to_zoned(self.tz.clone()))
    }

    pub fn telemetry(&self) -> anyhow::Result<TelemetryData> {
        require(&self.tenant, &self.user, Permission::Read)?;
        let now = crate::clock::now();
        let t = &self.tenant;
        let overview = series::overview(t, now)?;
        let mut devices = Vec::with_capacity(overview.len());
        let mut device_records = Vec::with_capacity(overview.len());
        for o in overview {
            let spark = if o.metric.is_empty() {
                Vec::new()
            } else {
                series::last_hour(t, &o.device.key, &o.metric, now)?
            };
            devices.push(DeviceRow {
                id: o.device.key.clone(),
                name: o.device.value.name.clone(),
                confirmed: o.device.value.confirmed,
                unit: o.device.value.unit(&o.metric).to_owned(),
                metric: o.metric.clone(),
                value: o.latest.as_ref().map(|l| l.value),
                age: o
                    .last_seen
                    .map(|ts| age(now.duration_since(ts)))
                    .unwrap_or_else(|| "—".into()),
                health: health(o.health),
                spark,
            });
            device_records.push(o.device);
        }
        // worst first, then by id
        devices.sort_by(|a, b| a.health.cmp(&b.health).then(a.id.cmp(&b.id)));

        let alerts = crate::domain::telemetry::alerts::list(t)?;
        let mut firing: BTreeMap<String, usize> = BTreeMap::new();
        let mut alert_versions = BTreeMap::new();
        let mut rows = Vec::with_capacity(alerts.len());
        for a in &alerts {
            alert_versions.insert(a.value.id, (a.key.clone(), a.version));
            if a.value.is_open() {
                *firing.entry(a.value.rule.clone()).or_default() += 1;
            }
            rows.push(self.alert_row(&a.value));
        }
        let open_alerts = alerts.iter().filter(|a| a.value.is_open()).count();

        let rule_records = t.list::<Rule>()?;
        let rules = rule_records
            .iter()
            .map(|r| rule_row(&r.value, firing.get(&r.value.name).copied().unwrap_or(0)))
            .collect();

        // readings in the last full minute, from the minute rollups (no raw scan)
        let minute_end = now.as_millisecond().div_euclid(MINUTE_MS) * MINUTE_MS;
        let from = Timestamp::from_millisecond(minute_end - MINUTE_MS).unwrap_or(now);
        let to = Timestamp::from_millisecond(minute_end).unwrap_or(now);
        let mut per_min = 0u64;
        let mut newest: Option<Timestamp> = None;
        for l in t.latest_readings()? {
            newest = Some(newest.map_or(l.ts, |n: Timestamp| n.max(l.ts)));
            for b in t.rollups(&l.device, &l.metric, Resolution::Minute, from, to)? {
                per_min += b.count;
            }
        }
        let s = self.locale.strings();
        let rate = match newest {
            Some(n) => format!(
                "{} {} · {} {}",
                self.locale.count(per_min),
                s.readings_per_min,
                s.last_reading,
                age(now.duration_since(n))
            ),
            None => s.no_readings_yet.to_owned(),
        };
        Ok(TelemetryData {
            devices,
            device_records,
            alerts: rows,
            alert_versions,
            rules,
            rule_records,
            open_alerts,
            rate,
        })
    }

    fn alert_row(&self, a: &Alert) -> AlertRow {
        let s = self.locale.strings();
        AlertRow {
            id: a.id,
            rule: a.rule.clone(),
            device: a.device.clone(),
            severity: a.severity.to_string(),
            state: match a.status {
                AlertStatus::Open => AlertState::Open,
                AlertStatus::Acknowledged => AlertState::Acknowledged,
                AlertStatus::Resolved => AlertState::Resolved,
            },
            raised_at: self.local(a.raised_at),
            message: if a.reopened > 0 {
                format!("{} ({} {})", a.message, a.reopened, s.reopened)
            } else {
                a.message.clone()
            },
            acked: match (&a.acked_by, a.acked_at) {
                (Some(who), Some(at)) => Some(format!("{who} · {}", self.local(at))),
                _ => None,
            },
            resolved: a.resolved_at.map(|at| {
                let who = a.resolved_by.clone().unwrap_or_else(|| s.auto.to_owned());
                if a.resolve_note.is_empty() {
                    format!("{who} · {}", self.local(at))
                } else {
                    format!("{who} · {} · {}", self.local(at), a.resolve_note)
                }
            }),
        }
    }

    /// One device over a window: raw points for 1 h, 1-minute rollups for 24 h, hourly beyond.
    pub fn device_page(
        &self,
        id: &str,
        window: TimeWindow,
        metric: usize,
    ) -> anyhow::Result<DeviceDetail> {
        require(&self.tenant, &self.user, Permission::Read)?;
        let t = &self.tenant;
        let Some(d) = t.get::<Device>(id)? else {
            anyhow::bail!("no device '{id}'");
        };
        let now = crate::clock::now();
        let span = SignedDuration::from_secs(window.secs());
        let from = now - span;
        let mut out = Vec::new();
        for (m, info) in &d.value.metrics {
            let s = series::window(t, id, m, span, now)?;
            out.push(MetricSeries {
                metric: m.clone(),
                unit: info.unit.clone(),
                points: s
                    .points
                    .iter()
                    .map(|(ts, v)| (ts.duration_since(from).as_secs_f64().max(0.0), *v))
                    .collect(),
                min: s.min,
                avg: s.avg,
                max: s.max,
                last: s.last,
            });
        }
        let open: Vec<Alert> = t
            .list::<Alert>()?
            .into_iter()
            .map(|a| a.value)
            .filter(|a| a.is_open() && a.device == id)
            .collect();
        let rules = t
            .list::<Rule>()?
            .into_iter()
            .map(|r| r.value)
            .filter(|r| r.applies_to(id))
            .map(|r| {
                let n = open.iter().filter(|a| a.rule == r.name).count();
                rule_row(&r, n)
            })
            .collect();
        Ok(DeviceDetail {
            id: id.to_owned(),
            name: d.value.name.clone(),
            asset: d.value.asset.clone(),
            confirmed: d.value.confirmed,
            window,
            window_secs: span.as_secs_f64(),
            from_label: self.local(from),
            to_label: self.local(now),
            metric: metric.min(out.len().saturating_sub(1)),
            series: out,
            rules,
            loading: false,
        })
    }
}

pub fn rule_row(r: &Rule, firing: usize) -> RuleRow {
    RuleRow {
        name: r.name.clone(),
        devices: r.devices.clone(),
        severity: r.severity.to_string(),
        describe: r.kind.describe(),
        enabled: r.enabled,
        firing,
    }
}

/// A number as a form shows it (no trailing zeros).
pub fn form_number(v: f64) -> String {
    format_value(v)
}
