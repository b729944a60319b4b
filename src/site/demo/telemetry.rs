//! The demo site's telemetry: the HVAC devices of the hospital and the gas meters of the
//! ceramics company (sample-data/telemetry/devices.csv), their alert rules
//! (`sample-data/telemetry/rules-<tenant>.toml`), and a few days of history ending now.
//!
//! Every value comes from one model, shared with the live simulator (`super::simulator`) so
//! the charts join up: `base + amplitude * daily curve` (peak mid-afternoon, local time of
//! America/Sao_Paulo) plus a slow per-series wander and bounded noise; cold rooms add door
//! openings (short bumps that decay), gas flow follows the production shifts (lower at night,
//! on Saturdays and most of all on Sundays) and each day totals what the demo's gas programme
//! says the meter's unit burned that day (`gas::metered_volume`). Noise is bounded, so the
//! history stays inside every rule's limits: it is written straight into storage, not through
//! the alert engine, and must not look as if it should have raised anything.

use std::collections::BTreeMap;
use std::f64::consts::TAU;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use jiff::civil::{Date, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use opsdeck_import::csv;
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::Reading;
use opsdeck_storage::records::device::{Device, MetricInfo};
use serde::Deserialize;

use super::common::{Rng, mix};
use super::gas;
use crate::domain::telemetry::rulebook;
use crate::site::Site;
use crate::site::access;

pub use super::common::ACTOR;
/// The zone of the daily and weekly profiles.
pub const TIME_ZONE: &str = "America/Sao_Paulo";
/// How far back the history goes.
pub const HISTORY: SignedDuration = SignedDuration::from_hours(72);
/// The newest part of the history, sampled every [`FINE_STEP`] instead of [`COARSE_STEP`].
pub const FINE: SignedDuration = SignedDuration::from_hours(2);
pub const COARSE_STEP: SignedDuration = SignedDuration::from_mins(5);
pub const FINE_STEP: SignedDuration = SignedDuration::from_mins(1);
/// Readings per write transaction.
pub const BATCH: usize = 20_000;

const DEVICES_FILE: &str = "sample-data/telemetry/devices.csv";
const DEVICES_CSV: &str = include_str!("../../../sample-data/telemetry/devices.csv");

/// (tenant, file name, TOML) of the demo's alert rules.
pub const RULES: [(&str, &str, &str); 2] = [
    (
        "hospital",
        "sample-data/telemetry/rules-hospital.toml",
        include_str!("../../../sample-data/telemetry/rules-hospital.toml"),
    ),
    (
        "ceramica",
        "sample-data/telemetry/rules-ceramica.toml",
        include_str!("../../../sample-data/telemetry/rules-ceramica.toml"),
    ),
];

/// What a device is, from its id prefix; it picks the shape of its curves and metric labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chiller,
    AirHandler,
    FanCoil,
    ColdRoom,
    GasMeter,
    Other,
}

impl Kind {
    pub fn of(device_id: &str) -> Kind {
        let prefix = device_id.split('-').next().unwrap_or("");
        match prefix {
            "CH" => Kind::Chiller,
            "AHU" => Kind::AirHandler,
            "FC" => Kind::FanCoil,
            "CR" => Kind::ColdRoom,
            "GM" => Kind::GasMeter,
            _ => Kind::Other,
        }
    }
}

/// One metric of a demo device and its model parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoMetric {
    pub metric: String,
    pub unit: String,
    /// Mean value (gas flow: midway between the shift's flow and the night's on a typical
    /// weekday; each day is then scaled to the unit's demo consumption, see `level`).
    pub base: f64,
    /// Daily swing (gas flow: half the swing between production and idle).
    pub amplitude: f64,
    /// Bound of the random noise, each side (gas flow: scaled like the flow).
    pub noise: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoDevice {
    pub tenant: String,
    pub id: String,
    pub name: String,
    pub asset: String,
    pub kind: Kind,
    pub metrics: Vec<DemoMetric>,
}

#[derive(Deserialize)]
struct Row {
    tenant: String,
    id: String,
    name: String,
    asset: String,
    metric: String,
    unit: String,
    base: f64,
    amplitude: f64,
    noise: f64,
}

/// The demo devices of every tenant, in file order (one entry per device, its metrics in file
/// order).
pub fn devices() -> Vec<DemoDevice> {
    parse_devices(DEVICES_FILE, DEVICES_CSV)
        .expect("the built-in sample-data/telemetry/devices.csv is valid (tested)")
}

fn parse_devices(file: &str, src: &str) -> Result<Vec<DemoDevice>> {
    let parsed = csv::read::<Row>(file, src.as_bytes());
    if let Some(e) = parsed.errors.first() {
        bail!("the built-in demo data is broken: {e}");
    }
    let mut out: Vec<DemoDevice> = Vec::new();
    for (row, r) in parsed.records {
        let ok = [r.base, r.amplitude, r.noise].iter().all(|v| v.is_finite())
            && r.amplitude >= 0.0
            && r.noise >= 0.0;
        if !ok {
            bail!("{file}: row {row}: base must be a number, amplitude and noise 0 or more");
        }
        let metric = DemoMetric {
            metric: r.metric,
            unit: r.unit,
            base: r.base,
            amplitude: r.amplitude,
            noise: r.noise,
        };
        match out
            .iter_mut()
            .find(|d| d.tenant == r.tenant && d.id == r.id)
        {
            Some(d) => {
                if d.metrics.iter().any(|m| m.metric == metric.metric) {
                    bail!(
                        "{file}: row {row}: {} {} is listed twice",
                        r.id,
                        metric.metric
                    );
                }
                d.metrics.push(metric);
            }
            None => out.push(DemoDevice {
                kind: Kind::of(&r.id),
                tenant: r.tenant,
                id: r.id,
                name: r.name,
                asset: r.asset,
                metrics: vec![metric],
            }),
        }
    }
    Ok(out)
}

/// A pt-BR label for a metric of a kind of device ("Temperatura de insuflamento").
pub fn label(kind: Kind, metric: &str) -> &'static str {
    match (kind, metric) {
        (Kind::Chiller, "supply_temp_c") => "Água gelada — saída",
        (Kind::Chiller, "return_temp_c") => "Água gelada — retorno",
        (_, "power_kw") => "Potência elétrica",
        (Kind::AirHandler, "supply_temp_c") => "Temperatura de insuflamento",
        (Kind::AirHandler, "return_temp_c") => "Temperatura de retorno",
        (_, "fan_speed_pct") => "Velocidade do ventilador",
        (_, "room_temp_c") => "Temperatura ambiente",
        (_, "valve_pct") => "Abertura da válvula",
        (_, "temp_c") => "Temperatura interna",
        (_, "rh_pct") => "Umidade relativa",
        (_, "flow_m3h") => "Vazão de gás",
        (_, "pressure_bar") => "Pressão de entrega",
        _ => "",
    }
}

// ---------------------------------------------------------------------------------------------
// The value model
// ---------------------------------------------------------------------------------------------

/// The demo's time zone; a fixed UTC-3 when the system has no time zone database.
pub fn time_zone() -> TimeZone {
    TimeZone::get(TIME_ZONE).unwrap_or_else(|_| TimeZone::fixed(Offset::constant(-3)))
}

/// An instant with what the model needs of it in local time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub ts: Timestamp,
    /// Unix seconds, fractional.
    secs: f64,
    /// Local hour of the day, fractional (0 <= hour < 24).
    hour: f64,
    weekday: Weekday,
    /// Local date (a gas meter's day).
    date: Date,
}

impl Moment {
    pub fn at(ts: Timestamp, tz: &TimeZone) -> Moment {
        let z = ts.to_zoned(tz.clone());
        Moment {
            ts,
            secs: ts.as_millisecond() as f64 / 1000.0,
            hour: f64::from(z.hour())
                + f64::from(z.minute()) / 60.0
                + f64::from(z.second()) / 3600.0,
            weekday: z.weekday(),
            date: z.date(),
        }
    }
}

fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// 8 bits of `h` from `shift` as a fraction in [0, 1].
fn frac(h: u64, shift: u32) -> f64 {
    ((h >> shift) & 0xff) as f64 / 255.0
}

fn smoothstep(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// How hard the ceramics plants produce on a day of the week, at the height of the shift.
fn production_day(weekday: Weekday) -> f64 {
    match weekday {
        Weekday::Saturday => 0.55,
        Weekday::Sunday => 0.1,
        _ => 1.0,
    }
}

/// Hours in the production shift's curve over a day (06:00 to 22:00, half of each ramp).
const SHIFT_HOURS: f64 = 16.0;

/// How hard the ceramics plants produce, 0 (kilns only) to 1 (full shift): weekdays 06:00 to
/// 22:00 with one-hour ramps, Saturdays at half, Sundays almost idle.
fn production(m: &Moment) -> f64 {
    let shift = smoothstep(m.hour - 5.5) * (1.0 - smoothstep(m.hour - 21.5));
    production_day(m.weekday) * shift
}

/// Length of a door-opening slot: at most one opening per slot and cold room.
const DOOR_SLOT_SECS: i64 = 1800;

/// The temperature rise of a cold room from its door openings at `m` (0 most of the time,
/// at most about 2 °C): openings are frequent by day, rare at night, rarer for vaccines and the
/// mortuary, each a quick rise that decays over some minutes.
fn door_bump(device: &str, m: &Moment) -> f64 {
    let h0 = fnv1a(&[device, "door"]);
    let now = m.secs;
    let slot = (now.floor() as i64).div_euclid(DOOR_SLOT_SECS);
    let rarer = match device {
        "CR-03" => 0.6,
        "CR-05" => 0.5,
        _ => 1.0,
    };
    let mut sum = 0.0;
    for k in (slot - 2)..=slot {
        let h = mix(h0 ^ k as u64);
        let start = (k * DOOR_SLOT_SECS) as f64;
        let hour = (m.hour - (now - start) / 3600.0).rem_euclid(24.0);
        let chance = if (7.0..20.0).contains(&hour) {
            0.55
        } else {
            0.12
        } * rarer;
        if frac(h, 0) >= chance {
            continue;
        }
        let opened = start + frac(h, 8) * 1200.0;
        let dt = now - opened;
        if dt < 0.0 {
            continue;
        }
        let height = 1.2 + frac(h, 16) * 1.3;
        sum += height * (1.0 - (-dt / 30.0).exp()) * (-dt / 480.0).exp();
    }
    sum
}

impl DemoMetric {
    /// The scale of a gas meter's flow on `m`'s day: the volume the demo's gas programme says
    /// the unit burned that day (`gas::metered_volume`) over the volume of the unscaled
    /// curve that day (`base` all day, `amplitude` up in the shift and down outside it). So the
    /// meter's day totals what the unit's entry and plan say, day by day, while `base` and
    /// `amplitude` (sized on a typical weekday) keep the shape. 1 for every other series, and
    /// for a meter of no demo unit.
    pub fn level(&self, device: &DemoDevice, m: &Moment) -> f64 {
        if device.kind != Kind::GasMeter || self.metric != "flow_m3h" {
            return 1.0;
        }
        let Some(volume) = gas::metered_volume(&device.id, m.date) else {
            return 1.0;
        };
        let nominal = 24.0 * self.base
            + self.amplitude * (2.0 * SHIFT_HOURS * production_day(m.weekday) - 24.0);
        if nominal > 0.0 && volume.is_finite() {
            (volume / nominal).max(0.0)
        } else {
            1.0
        }
    }

    /// The model's value without noise.
    pub fn expected(&self, device: &DemoDevice, m: &Moment) -> f64 {
        let h = fnv1a(&[&device.id, &self.metric]);
        let shift = (frac(h, 0) - 0.5) * 2.0;
        let daily = (TAU * (m.hour - 15.0 - shift) / 24.0).cos();
        let p1 = 3600.0 * (4.0 + 2.0 * frac(h, 8));
        let p2 = 3600.0 * (1.2 + 0.8 * frac(h, 16));
        let wander = 0.6 * (TAU * (m.secs / p1 + frac(h, 24))).sin()
            + 0.4 * (TAU * (m.secs / p2 + frac(h, 32))).sin();
        let (base, amp) = (self.base, self.amplitude);
        match (device.kind, self.metric.as_str()) {
            (Kind::GasMeter, "flow_m3h") => {
                (base + amp * (2.0 * production(m) - 1.0) + 0.05 * amp * wander)
                    * self.level(device, m)
            }
            (Kind::GasMeter, "pressure_bar") => {
                // the delivery pressure sags a little under load
                base - 0.5 * amp * (2.0 * production(m) - 1.0) + 0.5 * amp * wander
            }
            (Kind::ColdRoom, "temp_c") => {
                base + amp * daily + 0.25 * amp * wander + door_bump(&device.id, m)
            }
            (Kind::ColdRoom, "rh_pct") => {
                base + amp * daily + 0.25 * amp * wander + 2.5 * door_bump(&device.id, m)
            }
            _ => base + amp * daily + 0.25 * amp * wander,
        }
    }

    /// A reading: the model plus bounded noise, kept in range and rounded like a sensor's.
    pub fn sample(&self, device: &DemoDevice, m: &Moment, rng: &mut Rng) -> f64 {
        // the noise scales with a gas flow, so a plant at a standstill reads 0, never below
        let v = self.expected(device, m) + rng.noise(self.noise) * self.level(device, m);
        self.finish(v)
    }

    /// Clamps percentages to 0..100 and rounds (0.01, or 0.1 for values of 100 or more).
    pub fn finish(&self, v: f64) -> f64 {
        let v = if self.metric.ends_with("_pct") {
            v.clamp(0.0, 100.0)
        } else {
            v
        };
        let scale = if v.abs() >= 100.0 { 10.0 } else { 100.0 };
        (v * scale).round() / scale
    }
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/// The sample times of a history ending at `end` (floored to the minute) that are after
/// `after`: every 5 minutes (on the clock's 5-minute marks) up to 2 hours before the end, then
/// every minute up to and including the end.
pub fn history_times(after: Timestamp, end: Timestamp) -> Vec<Timestamp> {
    let minute = FINE_STEP.as_millis() as i64;
    let coarse = COARSE_STEP.as_millis() as i64;
    let end_ms = end.as_millisecond().div_euclid(minute) * minute;
    let fine_from = end_ms - FINE.as_millis() as i64;
    let after_ms = after.as_millisecond();
    let first = |step: i64| (after_ms.div_euclid(step) + 1) * step;
    let mut out = Vec::new();
    let mut t = first(coarse);
    while t < fine_from {
        out.push(t);
        t += coarse;
    }
    let mut t = first(minute).max(fine_from);
    while t <= end_ms {
        out.push(t);
        t += minute;
    }
    out.into_iter()
        .filter_map(|ms| Timestamp::from_millisecond(ms).ok())
        .collect()
}

/// Writes the model's readings of `devices` at `times` (oldest first), [`BATCH`] per
/// transaction, straight into storage (no alert evaluation). Returns how many were stored.
pub fn write_history(
    tenant: &Tenant,
    devices: &[DemoDevice],
    times: &[Timestamp],
    seed: u64,
) -> Result<usize> {
    let tz = time_zone();
    let moments: Vec<Moment> = times.iter().map(|t| Moment::at(*t, &tz)).collect();
    let mut rng = Rng::new(seed);
    let mut batch: Vec<Reading> = Vec::with_capacity(BATCH);
    let mut stored = 0;
    let mut flush = |batch: &mut Vec<Reading>| -> Result<()> {
        if !batch.is_empty() {
            let out = tenant.write(ACTOR, |tx| tx.append_readings(batch))?;
            stored += out.stored;
            batch.clear();
        }
        Ok(())
    };
    for d in devices {
        for metric in &d.metrics {
            for m in &moments {
                batch.push(Reading {
                    device: d.id.clone(),
                    metric: metric.metric.clone(),
                    ts: m.ts,
                    value: metric.sample(d, m, &mut rng),
                });
                if batch.len() >= BATCH {
                    flush(&mut batch)?;
                }
            }
        }
    }
    flush(&mut batch)?;
    Ok(stored)
}

/// Registers the demo devices of a tenant (named, linked to their asset, units and labels set,
/// confirmed); devices already there are left as they are. Returns how many were added.
pub fn register(tenant: &Tenant, devices: &[DemoDevice], first_seen: Timestamp) -> Result<usize> {
    Ok(tenant.write(ACTOR, |tx| {
        let mut added = 0;
        for d in devices {
            if tx.get::<Device>(&d.id)?.is_some() {
                continue;
            }
            let metrics: BTreeMap<String, MetricInfo> = d
                .metrics
                .iter()
                .map(|m| {
                    (
                        m.metric.clone(),
                        MetricInfo {
                            unit: m.unit.clone(),
                            label: label(d.kind, &m.metric).to_owned(),
                        },
                    )
                })
                .collect();
            tx.insert(
                &d.id,
                Device {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    asset: d.asset.clone(),
                    confirmed: true,
                    first_seen,
                    metrics,
                },
            )?;
            added += 1;
        }
        Ok(added)
    })?)
}

/// The demo telemetry of every tenant of the site that has some: devices, rules (imported as
/// the OS user, the demo's admin) and the last [`HISTORY`] of readings ending now. Called once,
/// when the demo site is created.
pub fn load(site: &Site) -> Result<()> {
    let started = Instant::now();
    let end = crate::clock::now();
    let all = devices();
    let me = access::os_user();
    let mut total = 0;
    for name in site.config.tenant_names() {
        let mine: Vec<DemoDevice> = all.iter().filter(|d| d.tenant == name).cloned().collect();
        let rules = RULES.iter().find(|(t, _, _)| *t == name);
        if mine.is_empty() && rules.is_none() {
            continue;
        }
        let tenant = site.open_tenant(&name)?;
        if let Some((_, file, src)) = rules {
            rulebook::import(&tenant, &me, file, src)
                .with_context(|| format!("importing the demo rules of tenant '{name}'"))?;
        }
        let start = end.checked_sub(HISTORY).unwrap_or(end);
        let times = history_times(start, end);
        let first_seen = times.first().copied().unwrap_or(end);
        register(&tenant, &mine, first_seen)?;
        total += write_history(&tenant, &mine, &times, fnv1a(&[&name]))
            .with_context(|| format!("writing the demo history of tenant '{name}'"))?;
    }
    tracing::info!(
        readings = total,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo telemetry loaded"
    );
    Ok(())
}

/// When the demo site is opened again: fills the gap from each tenant's newest demo reading to
/// now (at most [`HISTORY`]) with the same model, so the charts have no hole and no device looks
/// silent. Call it before the site services start (the alert engine reads the newest reading
/// times when it starts). Returns how many readings were written.
pub fn catch_up(site: &Site) -> Result<usize> {
    let end = crate::clock::now();
    let all = devices();
    let mut total = 0;
    for name in site.config.tenant_names() {
        let mine: Vec<DemoDevice> = all.iter().filter(|d| d.tenant == name).cloned().collect();
        if mine.is_empty() {
            continue;
        }
        let tenant = site.open_tenant(&name)?;
        let newest = tenant
            .latest_readings()?
            .into_iter()
            .filter(|l| mine.iter().any(|d| d.id == l.device))
            .map(|l| l.ts)
            .max();
        let Some(newest) = newest else {
            continue;
        };
        let oldest = end.checked_sub(HISTORY).unwrap_or(end);
        let times = history_times(newest.max(oldest), end);
        if times.is_empty() {
            continue;
        }
        total += write_history(&tenant, &mine, &times, end.as_second() as u64)?;
    }
    if total > 0 {
        tracing::info!(readings = total, "demo telemetry caught up to now");
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::telemetry::rules::{RuleState, on_sample, parse_rules_toml};
    use crate::site::paths::SiteDir;
    use opsdeck_storage::records::rule::Rule;

    /// A site in a tempdir with the demo's tenants.
    fn demo_site(dir: &std::path::Path) -> Site {
        let (site, _) =
            crate::site::demo::site_and_tenants(&SiteDir::new(dir.join("site"))).unwrap();
        site
    }

    fn rules_of(tenant: &str) -> Vec<Rule> {
        let (_, file, src) = RULES.iter().find(|(t, _, _)| *t == tenant).unwrap();
        parse_rules_toml(file, src).unwrap_or_else(|e| panic!("{}", e.join("\n")))
    }

    #[test]
    fn the_csv_has_40_hospital_hvac_devices_and_3_gas_meters() {
        let all = devices();
        let hospital: Vec<_> = all.iter().filter(|d| d.tenant == "hospital").collect();
        let ceramica: Vec<_> = all.iter().filter(|d| d.tenant == "ceramica").collect();
        assert_eq!(hospital.len(), 40);
        assert_eq!(all.len(), 43);
        let count = |k: Kind| hospital.iter().filter(|d| d.kind == k).count();
        assert_eq!(
            (
                count(Kind::Chiller),
                count(Kind::AirHandler),
                count(Kind::FanCoil),
                count(Kind::ColdRoom)
            ),
            (3, 10, 22, 5)
        );
        let ids: Vec<&str> = ceramica.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["GM-CRI", "GM-URU", "GM-BOT"]);
        for d in &all {
            assert!(!d.name.is_empty() && !d.asset.is_empty(), "{}", d.id);
            assert!(!d.metrics.is_empty());
            for m in &d.metrics {
                assert!(!m.unit.is_empty(), "{} {}", d.id, m.metric);
                assert!(
                    !label(d.kind, &m.metric).is_empty(),
                    "{} {}",
                    d.id,
                    m.metric
                );
            }
        }
        let cr03 = all.iter().find(|d| d.id == "CR-03").unwrap();
        assert!(cr03.name.contains("Vacinas"));
        assert!(ceramica.iter().all(|d| d.kind == Kind::GasMeter
            && d.metrics.iter().any(|m| m.metric == "flow_m3h")
            && d.metrics.iter().any(|m| m.metric == "pressure_bar")));
    }

    #[test]
    fn the_rules_files_parse_and_cover_the_devices() {
        let hospital = rules_of("hospital");
        let ceramica = rules_of("ceramica");
        assert!(hospital.len() >= 6 && ceramica.len() >= 3);
        for rules in [&hospital, &ceramica] {
            assert!(
                rules
                    .iter()
                    .any(|r| r.devices == "*" && r.metric().is_none()),
                "a stale rule on every device"
            );
        }
        let cold = hospital
            .iter()
            .find(|r| r.applies_to("CR-03") && r.metric() == Some("temp_c"));
        assert!(cold.is_some());
        assert!(
            ceramica
                .iter()
                .any(|r| r.applies_to("GM-CRI") && r.metric() == Some("flow_m3h"))
        );
        // every rule watches a metric some device of its tenant has
        for (tenant, rules) in [("hospital", &hospital), ("ceramica", &ceramica)] {
            let devs: Vec<DemoDevice> = devices()
                .into_iter()
                .filter(|d| d.tenant == tenant)
                .collect();
            for r in rules.iter() {
                let used = devs.iter().any(|d| {
                    r.applies_to(&d.id)
                        && r.metric()
                            .is_none_or(|m| d.metrics.iter().any(|x| x.metric == m))
                });
                assert!(used, "rule '{}' matches no demo series", r.name);
            }
        }
    }

    #[test]
    fn history_times_are_every_5_minutes_then_every_minute() {
        let end: Timestamp = "2026-03-02T15:07:42Z".parse().unwrap();
        let times = history_times(end.checked_sub(HISTORY).unwrap(), end);
        assert_eq!(times.last().unwrap().to_string(), "2026-03-02T15:07:00Z");
        assert_eq!(times.first().unwrap().to_string(), "2026-02-27T15:10:00Z");
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        let fine = times
            .iter()
            .filter(|t| **t >= "2026-03-02T13:07:00Z".parse().unwrap())
            .count();
        assert_eq!(fine, 121);
        assert_eq!(times.len(), 121 + 840);
        // catching up from a reading writes only what follows it
        let later: Timestamp = "2026-03-02T15:30:10Z".parse().unwrap();
        let gap = history_times(*times.last().unwrap(), later);
        assert_eq!(gap.first().unwrap().to_string(), "2026-03-02T15:08:00Z");
        assert_eq!(gap.len(), 23);
    }

    #[test]
    fn gas_follows_production_and_cold_rooms_have_door_openings() {
        let tz = time_zone();
        let all = devices();
        let gm = all.iter().find(|d| d.id == "GM-CRI").unwrap();
        let flow = gm.metrics.iter().find(|m| m.metric == "flow_m3h").unwrap();
        let at = |s: &str| Moment::at(s.parse::<Timestamp>().unwrap(), &tz);
        // Wednesday 2026-03-04: 14:00 local is 17:00 UTC
        let day = flow.expected(gm, &at("2026-03-04T17:00:00Z"));
        let night = flow.expected(gm, &at("2026-03-04T06:00:00Z"));
        let sunday = flow.expected(gm, &at("2026-03-08T17:00:00Z"));
        // relative to the meter's base flow: production by day, little at night and on Sundays
        let base = flow.base;
        assert!(
            day > base * 1.1 && night < base * 0.85 && sunday < base * 0.9,
            "{day} {night} {sunday} (base {base})"
        );
        let cr = all.iter().find(|d| d.id == "CR-01").unwrap();
        let start: Timestamp = "2026-03-04T12:00:00Z".parse().unwrap();
        let bumps = (0..24 * 60)
            .map(|i| start.checked_add(SignedDuration::from_mins(i)).unwrap())
            .map(|t| door_bump(&cr.id, &Moment::at(t, &tz)))
            .filter(|b| *b > 0.5)
            .count();
        assert!(
            bumps > 20,
            "{bumps} minutes with an open-door bump in a day"
        );
    }

    #[test]
    fn load_writes_the_history_and_no_value_breaks_a_rule() {
        let dir = tempfile::tempdir().unwrap();
        let site = demo_site(dir.path());
        let started = Instant::now();
        let before = crate::clock::now();
        load(&site).unwrap();
        let elapsed = started.elapsed();
        eprintln!("demo_telemetry::load took {elapsed:?}");
        let after = crate::clock::now();
        for tenant_name in ["hospital", "ceramica"] {
            let tenant = site.open_tenant(tenant_name).unwrap();
            let mine: Vec<DemoDevice> = devices()
                .into_iter()
                .filter(|d| d.tenant == tenant_name)
                .collect();
            let series: usize = mine.iter().map(|d| d.metrics.len()).sum();
            let times = history_times(before.checked_sub(HISTORY).unwrap(), before);
            let n = tenant.raw_reading_count().unwrap() as usize;
            // `now` may have crossed a minute since `before`: one time more or less
            assert!(
                (series * (times.len() - 1)..=series * (times.len() + 1)).contains(&n)
                    && n.is_multiple_of(series),
                "{tenant_name}: {n} points for {series} series x {} times",
                times.len()
            );
            let stored = tenant.list::<Device>().unwrap();
            assert_eq!(stored.len(), mine.len());
            assert!(
                stored
                    .iter()
                    .all(|d| d.value.confirmed && !d.value.name.is_empty())
            );
            let rules: Vec<Rule> = tenant
                .list::<Rule>()
                .unwrap()
                .into_iter()
                .map(|v| v.value)
                .collect();
            assert_eq!(rules, rules_of_sorted(tenant_name));
            for d in &mine {
                for m in &d.metrics {
                    let points = tenant
                        .readings(
                            &d.id,
                            &m.metric,
                            Timestamp::MIN,
                            after.checked_add(SignedDuration::from_secs(1)).unwrap(),
                        )
                        .unwrap();
                    assert!(points.len() >= 950, "{} {}", d.id, m.metric);
                    for rule in rules.iter().filter(|r| r.applies_to(&d.id)) {
                        if rule.metric().is_some_and(|x| x != m.metric) {
                            continue;
                        }
                        let mut st = RuleState::default();
                        for (ts, v) in &points {
                            if let Some(t) = on_sample(rule, &mut st, *ts, *v)
                                && t.is_raise()
                            {
                                panic!(
                                    "{} {} {v} at {ts} raises '{}': {}",
                                    d.id,
                                    m.metric,
                                    rule.name,
                                    t.message()
                                );
                            }
                        }
                    }
                }
            }
        }
        // A second run adds nothing but the minute that passed, if any.
        let again = catch_up(&site).unwrap();
        assert!(again <= 2 * 99, "{again}");
    }

    #[test]
    fn a_gas_meter_measures_what_its_unit_burned_each_day() {
        use crate::domain::gas::{calc, meter, seed};
        use jiff::civil::date;
        use rust_decimal::Decimal;

        let dir = tempfile::tempdir().unwrap();
        let tenant = Tenant::open("ceramica", &dir.path().join("t.redb"), &[5; 32]).unwrap();
        let tz = time_zone();
        let gas: Vec<DemoDevice> = devices()
            .into_iter()
            .filter(|d| d.tenant == "ceramica")
            .collect();
        // Monday 2026-03-09 (Criciúma's maintenance) to Sunday 2026-03-15, as the history
        // and the simulator write them
        let at = |d: jiff::civil::Date, h: i8| d.at(h, 0, 0, 0).to_zoned(tz.clone()).unwrap();
        let times = history_times(
            at(date(2026, 3, 8), 23).timestamp(),
            at(date(2026, 3, 16), 1).timestamp(),
        );
        write_history(&tenant, &gas, &times, 3).unwrap();
        let s = seed::parse("units.toml", seed::UNITS_TOML, "t", Timestamp::UNIX_EPOCH).unwrap();
        let days = gas::demo_days(&s.units, date(2026, 3, 18)).unwrap();
        let mut volumes = Vec::new();
        for unit in &s.units {
            let device = unit.meter.as_deref().unwrap();
            for day in 9..=15 {
                let date = date(2026, 3, day);
                let m = meter::metered_day(&tenant, device, date, &tz)
                    .unwrap()
                    .unwrap();
                assert!(m.complete(), "{device} {date}: {m:?}");
                let d = days
                    .iter()
                    .find(|d| d.unit == unit.code && d.date == date)
                    .unwrap();
                let burned = d.qdr.unwrap();
                assert!(
                    (m.volume - burned).abs() <= burned / Decimal::from(200),
                    "{device} {date}: metered {} against {burned}",
                    m.volume
                );
                // so the meter's QDR is as green as the day's own against the plan
                let band = calc::band(&calc::deviations(d.qdp, m.volume, &s.contract));
                if !matches!(d.special, Some(gas::Special::Off(_))) {
                    assert_eq!(band, calc::Band::Green, "{device} {date}");
                }
                volumes.push((unit.code.clone(), date.weekday(), m.volume));
            }
        }
        // weekdays well above a Sunday: the plants' week, not a flat rate
        for code in ["CRI", "URU", "BOT"] {
            let of = |w: Weekday| {
                volumes
                    .iter()
                    .find(|(c, d, _)| c == code && *d == w)
                    .map(|v| v.2)
                    .unwrap()
            };
            assert!(
                of(Weekday::Wednesday) > of(Weekday::Sunday),
                "{code} {volumes:?}"
            );
        }
    }

    fn rules_of_sorted(tenant: &str) -> Vec<Rule> {
        let mut r = rules_of(tenant);
        r.sort_by(|a, b| a.name.cmp(&b.name));
        r
    }

    #[test]
    fn catch_up_fills_the_gap_since_the_newest_reading() {
        let dir = tempfile::tempdir().unwrap();
        let site = demo_site(dir.path());
        let all = devices();
        let gas: Vec<DemoDevice> = all.into_iter().filter(|d| d.tenant == "ceramica").collect();
        let tenant = site.open_tenant("ceramica").unwrap();
        let now = crate::clock::now();
        let old = now.checked_sub(SignedDuration::from_hours(5)).unwrap();
        let times = history_times(old.checked_sub(SignedDuration::from_mins(30)).unwrap(), old);
        write_history(&tenant, &gas, &times, 1).unwrap();
        let before = tenant.raw_reading_count().unwrap() as usize;
        let added = catch_up(&site).unwrap();
        assert!(added >= 6 * (34 + 120), "{added}");
        assert_eq!(tenant.raw_reading_count().unwrap() as usize, before + added);
        let newest = tenant
            .latest_readings()
            .unwrap()
            .iter()
            .map(|l| l.ts)
            .max()
            .unwrap();
        assert!(now.duration_since(newest) < SignedDuration::from_mins(2));
    }
}
