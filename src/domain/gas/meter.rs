//! A unit's real consumption (QDR) from its gas meter's telemetry: the meter device linked to
//! the unit sends either a volume counter (`volume_m3`, the difference over the gas day) or a
//! flow (`flow_m3h`, integrated over the day from its hourly rollups). The gas day is the
//! calendar day in the tenant's time zone.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::readings::Resolution;
use opsdeck_storage::{Result, Tenant};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

pub const COUNTER_METRIC: &str = "volume_m3";
pub const FLOW_METRIC: &str = "flow_m3h";

/// The metered volume of a gas day and how much of the day the readings cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeteredDay {
    pub volume: Decimal,
    /// Hours of the day with readings (24 for a complete day; 23 or 25 on DST changes).
    pub covered_hours: u32,
    pub day_hours: u32,
}

impl MeteredDay {
    pub fn complete(&self) -> bool {
        self.covered_hours >= self.day_hours
    }
}

fn day_bounds(date: Date, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let start = date.to_zoned(tz.clone()).ok()?.timestamp();
    let end = date.tomorrow().ok()?.to_zoned(tz.clone()).ok()?.timestamp();
    Some((start, end))
}

/// The volume `device` measured on `date`, or None when it sent nothing usable that day.
/// Volumes are rounded to whole m³, as the RC sheets keep them.
pub fn metered_day(
    tenant: &Tenant,
    device: &str,
    date: Date,
    tz: &TimeZone,
) -> Result<Option<MeteredDay>> {
    let Some((start, end)) = day_bounds(date, tz) else {
        return Ok(None);
    };
    let day_hours = (end.duration_since(start).as_secs() / 3600) as u32;
    // A counter: last reading of the day minus the last one before it (or the first of it).
    let counter = tenant.readings(
        device,
        COUNTER_METRIC,
        start - SignedDuration::from_hours(6),
        end,
    )?;
    if counter.len() >= 2 {
        let before = counter.iter().rev().find(|(t, _)| *t < start).copied();
        let inside: Vec<&(Timestamp, f64)> = counter.iter().filter(|(t, _)| *t >= start).collect();
        if let (Some(first), Some(last)) =
            (before.as_ref().or(inside.first().copied()), inside.last())
            && last.1 >= first.1
        {
            let hours: std::collections::BTreeSet<i64> = inside
                .iter()
                .map(|(t, _)| t.duration_since(start).as_secs() / 3600)
                .collect();
            return Ok(Decimal::from_f64(last.1 - first.1).map(|v| MeteredDay {
                volume: v.round(),
                covered_hours: hours.len() as u32,
                day_hours,
            }));
        }
    }
    // A flow: each hour's average flow (m³/h) is that hour's volume.
    let hours = tenant.rollups(device, FLOW_METRIC, Resolution::Hour, start, end)?;
    if hours.is_empty() {
        return Ok(None);
    }
    let volume: f64 = hours
        .iter()
        .map(|b| b.avg())
        .filter(|v| v.is_finite())
        .sum();
    Ok(Decimal::from_f64(volume).map(|v| MeteredDay {
        volume: v.round(),
        covered_hours: hours.len() as u32,
        day_hours,
    }))
}

/// Days back from yesterday that the QDR sync looks at (late readings, a restart after a
/// weekend).
pub const SYNC_DAYS: i64 = 7;

/// Sets the QDR (source API) of every unit linked to a meter, for each complete gas day among
/// the last `SYNC_DAYS` before `today`, unless a manual value exists. Unchanged values write
/// nothing, so running it often is cheap. Returns how many values were written.
pub fn sync_qdr(tenant: &Tenant, actor: &str, today: Date, tz: &TimeZone) -> anyhow::Result<usize> {
    use opsdeck_storage::records::gas::{GasUnit, QdrSource};

    use super::entries::{QdrOutcome, set_qdr};

    let mut written = 0;
    for unit in tenant.list::<GasUnit>()? {
        let Some(device) = unit.value.meter.as_deref().filter(|m| !m.is_empty()) else {
            continue;
        };
        for back in 1..=SYNC_DAYS {
            let Ok(date) = today.checked_sub(jiff::Span::new().days(back)) else {
                continue;
            };
            let Some(day) = metered_day(tenant, device, date, tz)? else {
                continue;
            };
            if !day.complete() {
                continue;
            }
            if let QdrOutcome::Written(_) =
                set_qdr(tenant, actor, &unit.key, date, day.volume, QdrSource::Api)?
            {
                written += 1;
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use opsdeck_storage::readings::Reading;

    use super::*;

    fn tenant(dir: &tempfile::TempDir) -> Tenant {
        Tenant::open("t", &dir.path().join("t.redb"), &[1; 32]).unwrap()
    }

    fn at(tz: &TimeZone, date: Date, hour: i8, minute: i8) -> Timestamp {
        date.at(hour, minute, 0, 0)
            .to_zoned(tz.clone())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn a_flow_is_integrated_per_hour_of_the_local_day() {
        let dir = tempfile::tempdir().unwrap();
        let t = tenant(&dir);
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let day = jiff::civil::date(2026, 11, 20);
        let mut rs = Vec::new();
        // 24 hours at 1,000 m³/h (two samples an hour), plus readings the day before and after
        for h in 0..24 {
            for m in [0, 30] {
                rs.push(Reading {
                    device: "GM-CRI".into(),
                    metric: FLOW_METRIC.into(),
                    ts: at(&tz, day, h, m),
                    value: if m == 0 { 900.0 } else { 1100.0 },
                });
            }
        }
        for (d, v) in [
            (jiff::civil::date(2026, 11, 19), 5000.0),
            (jiff::civil::date(2026, 11, 21), 7000.0),
        ] {
            rs.push(Reading {
                device: "GM-CRI".into(),
                metric: FLOW_METRIC.into(),
                ts: at(&tz, d, 12, 0),
                value: v,
            });
        }
        t.write("test", |tx| tx.append_readings(&rs)).unwrap();
        let m = metered_day(&t, "GM-CRI", day, &tz).unwrap().unwrap();
        assert_eq!(m.volume, Decimal::from(24_000));
        assert!(m.complete());
        assert_eq!(metered_day(&t, "GM-XXX", day, &tz).unwrap(), None);
    }

    #[test]
    fn complete_metered_days_become_the_units_qdr_unless_keyed_by_hand() {
        use opsdeck_storage::records::gas::{QdrSource, RealConsumption, day_key};

        use crate::domain::gas::{entries, seed};
        use crate::domain::users;

        let dir = tempfile::tempdir().unwrap();
        let t = tenant(&dir);
        users::bootstrap_admin(&t, "ana").unwrap();
        seed::load(&t, "ana").unwrap(); // links CRI to the meter GM-CRI
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let today = jiff::civil::date(2026, 11, 23);
        let full = jiff::civil::date(2026, 11, 21);
        let partial = jiff::civil::date(2026, 11, 22);
        let mut rs = Vec::new();
        for h in 0..24 {
            rs.push(Reading {
                device: "GM-CRI".into(),
                metric: FLOW_METRIC.into(),
                ts: at(&tz, full, h, 10),
                value: 3000.0,
            });
        }
        rs.push(Reading {
            device: "GM-CRI".into(),
            metric: FLOW_METRIC.into(),
            ts: at(&tz, partial, 3, 0),
            value: 3000.0,
        });
        t.write("test", |tx| tx.append_readings(&rs)).unwrap();
        assert_eq!(sync_qdr(&t, "ingest", today, &tz).unwrap(), 1);
        let qdr = t
            .get::<RealConsumption>(&day_key("CRI", full))
            .unwrap()
            .unwrap()
            .value;
        assert_eq!(
            (qdr.qdr, qdr.source),
            (Decimal::from(72_000), QdrSource::Api)
        );
        assert!(
            t.get::<RealConsumption>(&day_key("CRI", partial))
                .unwrap()
                .is_none(),
            "an incomplete day is not a QDR"
        );
        // again: nothing to write; a hand-keyed value is kept
        assert_eq!(sync_qdr(&t, "ingest", today, &tz).unwrap(), 0);
        entries::set_qdr(
            &t,
            "ana",
            "CRI",
            full,
            Decimal::from(70_000),
            QdrSource::Manual,
        )
        .unwrap();
        assert_eq!(sync_qdr(&t, "ingest", today, &tz).unwrap(), 0);
        let kept = t
            .get::<RealConsumption>(&day_key("CRI", full))
            .unwrap()
            .unwrap()
            .value;
        assert_eq!(
            (kept.qdr, kept.source),
            (Decimal::from(70_000), QdrSource::Manual)
        );
    }

    #[test]
    fn a_counter_gives_the_difference_over_the_day() {
        let dir = tempfile::tempdir().unwrap();
        let t = tenant(&dir);
        let tz = TimeZone::get("America/Sao_Paulo").unwrap();
        let day = jiff::civil::date(2026, 11, 20);
        let rs: Vec<Reading> = [
            (jiff::civil::date(2026, 11, 19), 23, 50, 1_000_000.0),
            (day, 8, 0, 1_010_000.0),
            (day, 23, 55, 1_036_250.4),
        ]
        .iter()
        .map(|(d, h, m, v)| Reading {
            device: "GM-URU".into(),
            metric: COUNTER_METRIC.into(),
            ts: at(&tz, *d, *h, *m),
            value: *v,
        })
        .collect();
        t.write("test", |tx| tx.append_readings(&rs)).unwrap();
        let m = metered_day(&t, "GM-URU", day, &tz).unwrap().unwrap();
        assert_eq!(m.volume, Decimal::from(36_250));
        assert!(!m.complete(), "two hours of readings: {m:?}");
    }
}
