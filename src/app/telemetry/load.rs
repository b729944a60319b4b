//! The worker's telemetry reads and writes: the lists of the Telemetry pane, a device page, and
//! the actions people take (acknowledge, resolve, save a rule...). Formatting for display
//! happens here, so the UI thread only copies rows in.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::readings::{MINUTE_MS, Resolution};
use opsdeck_storage::records::alert::{Alert, AlertStatus};
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::{Rule, format_value};
use opsdeck_views::state::Health;
use opsdeck_views::state::telemetry::{
    AlertRow, AlertState, DeviceDetail, DeviceRow, MetricSeries, RuleRow, TimeWindow,
};

use opsdeck_views::panes::telemetry::text::text;

use super::protocol::{TelemetryData, TmCmd, TmReply};
use super::write;
use crate::app::io::Io;
use crate::app::outcome::words;
use crate::app::protocol::Reply;
use crate::domain::access::{Permission, require};
use crate::domain::telemetry::series::{self, Health as DHealth};

/// What the worker runs for the pane: its loads here, its writes in `write.rs`.
pub fn serve(io: &Io, cmd: TmCmd) -> Reply {
    let loaded = match cmd {
        TmCmd::Load => telemetry(io).map(|d| TmReply::Loaded(Box::new(d))),
        TmCmd::LoadDevice { id, window, metric } => {
            device_page(io, &id, window, metric).map(|d| TmReply::Device(Box::new(d)))
        }
        write => return write::write(io, write),
    };
    loaded.map_or_else(|e| Reply::Error(words(io.locale, &e)), Reply::Telemetry)
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

pub fn telemetry(io: &Io) -> anyhow::Result<TelemetryData> {
    require(&io.tenant, &io.user, Permission::Read)?;
    let now = crate::clock::now();
    let t = &io.tenant;
    let overview = series::overview(t, now)?;
    let wanted: Vec<(&str, &str)> = overview
        .iter()
        .filter(|o| !o.metric.is_empty())
        .map(|o| (o.device.key.as_str(), o.metric.as_str()))
        .collect();
    let mut sparks = series::last_hours(t, &wanted, now)?.into_iter();
    let mut devices = Vec::with_capacity(overview.len());
    let mut device_records = Vec::with_capacity(overview.len());
    for o in overview {
        let spark = if o.metric.is_empty() {
            Vec::new()
        } else {
            sparks.next().unwrap_or_default()
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
        rows.push(alert_row(io, &a.value));
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
    let latest = t.latest_readings()?;
    let newest = latest.iter().map(|l| l.ts).max();
    let all: Vec<(&str, &str)> = latest
        .iter()
        .map(|l| (l.device.as_str(), l.metric.as_str()))
        .collect();
    let per_min: u64 = t
        .rollups_of_many(&all, Resolution::Minute, from, to)?
        .iter()
        .flatten()
        .map(|b| b.count)
        .sum();
    let s = text(io.locale);
    let rate = match newest {
        Some(n) => format!(
            "{} {} · {} {}",
            io.locale.count(per_min),
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

fn alert_row(io: &Io, a: &Alert) -> AlertRow {
    let s = text(io.locale);
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
        raised_at: io.when(a.raised_at),
        message: if a.reopened > 0 {
            format!("{} ({} {})", a.message, a.reopened, s.reopened)
        } else {
            a.message.clone()
        },
        acked: match (&a.acked_by, a.acked_at) {
            (Some(who), Some(at)) => Some(format!("{who} · {}", io.when(at))),
            _ => None,
        },
        resolved: a.resolved_at.map(|at| {
            let who = a.resolved_by.clone().unwrap_or_else(|| s.auto.to_owned());
            if a.resolve_note.is_empty() {
                format!("{who} · {}", io.when(at))
            } else {
                format!("{who} · {} · {}", io.when(at), a.resolve_note)
            }
        }),
    }
}

/// One device over a window: raw points for 1 h, 1-minute rollups for 24 h, hourly beyond.
pub fn device_page(
    io: &Io,
    id: &str,
    window: TimeWindow,
    metric: usize,
) -> anyhow::Result<DeviceDetail> {
    require(&io.tenant, &io.user, Permission::Read)?;
    let t = &io.tenant;
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
        from_label: io.when(from),
        to_label: io.when(now),
        metric: metric.min(out.len().saturating_sub(1)),
        series: out,
        rules,
        loading: false,
    })
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
