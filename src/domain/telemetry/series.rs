//! Read-side views of readings for the pane and the CLI: a window of one series at a resolution
//! that keeps it small (raw up to 1 h, 1-minute rollups up to 24 h, hourly beyond, so a 30-day
//! chart reads 720 rows), the last hour per minute for sparklines, and device health.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::readings::{Latest, MINUTE_MS, Resolution};
use opsdeck_storage::records::alert::Alert;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::{Rule, RuleKind, Severity};
use opsdeck_storage::{Result, Tenant, Versioned};

/// A device with no reading for this long shows as stale even without a Stale rule.
pub const STALE_AFTER: SignedDuration = SignedDuration::from_secs(15 * 60);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// (time, value): raw points, or bucket averages
    pub points: Vec<(Timestamp, f64)>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub avg: Option<f64>,
    pub last: Option<f64>,
}

/// One series over `[to - window, to)`.
pub fn window(
    tenant: &Tenant,
    device: &str,
    metric: &str,
    window: SignedDuration,
    to: Timestamp,
) -> Result<Series> {
    let from = to.checked_sub(window).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut s = Series::default();
    if window <= SignedDuration::from_hours(1) {
        let raw = tenant.readings(device, metric, from, to)?;
        let (mut sum, mut n) = (0.0, 0u64);
        for (_, v) in &raw {
            s.min = Some(s.min.map_or(*v, |m: f64| m.min(*v)));
            s.max = Some(s.max.map_or(*v, |m: f64| m.max(*v)));
            sum += v;
            n += 1;
        }
        s.avg = (n > 0).then(|| sum / n as f64);
        s.last = raw.last().map(|p| p.1);
        s.points = raw;
        return Ok(s);
    }
    let resolution = if window <= SignedDuration::from_hours(24) {
        Resolution::Minute
    } else {
        Resolution::Hour
    };
    // Buckets starting before `from` still hold points inside the window; include the one that
    // straddles it.
    let align = match resolution {
        Resolution::Minute => SignedDuration::from_mins(1),
        Resolution::Hour => SignedDuration::from_hours(1),
    };
    let start = from.checked_sub(align).unwrap_or(from);
    let buckets = tenant.rollups(device, metric, resolution, start, to)?;
    let (mut sum, mut n) = (0.0, 0u64);
    for b in &buckets {
        s.min = Some(s.min.map_or(b.min, |m: f64| m.min(b.min)));
        s.max = Some(s.max.map_or(b.max, |m: f64| m.max(b.max)));
        sum += b.sum;
        n += b.count;
        s.points.push((b.start, b.avg()));
    }
    s.avg = (n > 0).then(|| sum / n as f64);
    s.last = buckets.last().map(|b| b.avg());
    Ok(s)
}

/// The last hour of a series as 60 per-minute averages, oldest first; None where no data.
pub fn last_hour(
    tenant: &Tenant,
    device: &str,
    metric: &str,
    now: Timestamp,
) -> Result<Vec<Option<f64>>> {
    Ok(last_hours(tenant, &[(device, metric)], now)?
        .pop()
        .unwrap_or_default())
}

/// `last_hour` of many series, read in one snapshot (the device list's sparklines).
pub fn last_hours(
    tenant: &Tenant,
    series: &[(&str, &str)],
    now: Timestamp,
) -> Result<Vec<Vec<Option<f64>>>> {
    let end = now.as_millisecond().div_euclid(MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    let start = end - 60 * MINUTE_MS;
    let from = Timestamp::from_millisecond(start).unwrap_or(now);
    let to = Timestamp::from_millisecond(end).unwrap_or(now);
    let buckets = tenant.rollups_of_many(series, Resolution::Minute, from, to)?;
    Ok(buckets
        .into_iter()
        .map(|bs| {
            let mut out = vec![None; 60];
            for b in bs {
                let i = ((b.start.as_millisecond() - start) / MINUTE_MS) as usize;
                if i < 60 {
                    out[i] = Some(b.avg());
                }
            }
            out
        })
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Critical,
    Warning,
    Info,
    Stale,
    Ok,
}

/// A device as the list shows it.
#[derive(Debug, Clone)]
pub struct Overview {
    pub device: Versioned<Device>,
    /// The metric the list shows: one a rule watches, else a temperature, else the first.
    pub metric: String,
    pub latest: Option<Latest>,
    /// Newest reading of any metric.
    pub last_seen: Option<Timestamp>,
    pub health: Health,
    pub open_alerts: usize,
}

pub fn overview(tenant: &Tenant, now: Timestamp) -> Result<Vec<Overview>> {
    let devices = tenant.list::<Device>()?;
    let rules: Vec<Rule> = tenant
        .list::<Rule>()?
        .into_iter()
        .map(|r| r.value)
        .collect();
    let mut latest: BTreeMap<String, Vec<Latest>> = BTreeMap::new();
    for l in tenant.latest_readings()? {
        latest.entry(l.device.clone()).or_default().push(l);
    }
    let mut worst: BTreeMap<String, (Severity, usize)> = BTreeMap::new();
    for a in tenant.list::<Alert>()? {
        if a.value.is_open() {
            let e = worst
                .entry(a.value.device.clone())
                .or_insert((a.value.severity, 0));
            e.0 = e.0.max(a.value.severity);
            e.1 += 1;
        }
    }
    let mut out = Vec::with_capacity(devices.len());
    for d in devices {
        let series = latest.remove(&d.key).unwrap_or_default();
        let watched = rules
            .iter()
            .filter(|r| r.enabled && r.applies_to(&d.key))
            .filter_map(|r| r.metric())
            .find(|m| d.value.metrics.contains_key(*m))
            .map(str::to_owned);
        let metric = watched
            .or_else(|| d.value.metrics.keys().find(|m| m.contains("temp")).cloned())
            .or_else(|| d.value.metrics.keys().next().cloned())
            .unwrap_or_default();
        let last_seen = series.iter().map(|l| l.ts).max();
        let stale_limit = rules
            .iter()
            .filter(|r| r.enabled && r.applies_to(&d.key))
            .filter_map(|r| match r.kind {
                RuleKind::Stale { minutes } => Some(SignedDuration::from_mins(
                    minutes.min(i64::MAX as u64 / 60) as i64,
                )),
                _ => None,
            })
            .min()
            .unwrap_or(STALE_AFTER);
        let (alert_health, open_alerts) = match worst.get(&d.key) {
            Some((Severity::Critical, n)) => (Some(Health::Critical), *n),
            Some((Severity::Warning, n)) => (Some(Health::Warning), *n),
            Some((Severity::Info, n)) => (Some(Health::Info), *n),
            None => (None, 0),
        };
        let stale = last_seen.is_none_or(|t| now.duration_since(t) >= stale_limit);
        let health = alert_health.unwrap_or(if stale { Health::Stale } else { Health::Ok });
        let latest = series.into_iter().find(|l| l.metric == metric);
        out.push(Overview {
            device: d,
            metric,
            latest,
            last_seen,
            health,
            open_alerts,
        });
    }
    Ok(out)
}
