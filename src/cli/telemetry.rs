//! `opsdeck telemetry latest|export|device`, `opsdeck alerts list|ack|resolve`,
//! `opsdeck rules import|list`: telemetry for scripts.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::records::alert::Alert;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::rule::Rule;
use serde_json::json;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::telemetry::{alerts, devices, rulebook};
use crate::report::telemetry::{Table, write_csv, write_xlsx};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum TelemetryCmd {
    /// The newest reading of every device and metric
    Latest {
        /// Only this device
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One device's raw readings between two times, as CSV or XLSX
    Export {
        #[arg(long)]
        device: String,
        /// Start: 2026-11-22, 2026-11-22T08:00 (tenant zone) or RFC 3339 [default: 24 h ago]
        #[arg(long)]
        from: Option<String>,
        /// End (exclusive) [default: now]
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Output file [default: stdout for CSV, <device>_<from>.xlsx for XLSX]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Name a device, link it to an asset, set metric units (confirms an auto-registered device)
    Device {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        asset: Option<String>,
        /// METRIC=UNIT, e.g. supply_temp_c=°C (repeatable)
        #[arg(long = "unit", value_name = "METRIC=UNIT")]
        units: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCmd {
    /// Alerts, open first by severity
    List {
        /// Include resolved alerts
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Acknowledge an open alert
    Ack { id: u64 },
    /// Resolve an alert by hand, with a note
    Resolve {
        id: u64,
        #[arg(long)]
        note: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// Create or replace rules from a TOML file; nothing is written if any rule is wrong
    Import { file: PathBuf },
    /// The rules in effect
    List {
        #[arg(long)]
        json: bool,
    },
}

/// "2026-11-22", "2026-11-22T08:00[:00]" in the tenant zone, or an RFC 3339 instant.
pub fn parse_time(s: &str, tz: &TimeZone) -> Result<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Ok(dt.to_zoned(tz.clone())?.timestamp());
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return Ok(d.to_zoned(tz.clone())?.timestamp());
    }
    bail!("'{s}' is not a time: use 2026-11-22, 2026-11-22T08:00 or 2026-11-22T11:00:00Z")
}

pub fn telemetry(cli: &Cli, c: &TelemetryCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let tz = tc.zone();
    match c {
        TelemetryCmd::Latest { device, json } => {
            require(&tenant, &me, Permission::Read)?;
            let devs: std::collections::BTreeMap<String, Device> = tenant
                .list::<Device>()?
                .into_iter()
                .map(|d| (d.key, d.value))
                .collect();
            if let Some(d) = device
                && !devs.contains_key(d)
            {
                bail!("no device '{d}' in tenant '{}'", tc.name());
            }
            let now = crate::clock::now();
            let rows: Vec<_> = tenant
                .latest_readings()?
                .into_iter()
                .filter(|l| device.as_ref().is_none_or(|d| &l.device == d))
                .collect();
            if *json {
                let out: Vec<_> = rows
                    .iter()
                    .map(|l| {
                        json!({
                            "device": l.device,
                            "metric": l.metric,
                            "value": l.value,
                            "unit": devs.get(&l.device).map(|d| d.unit(&l.metric)).unwrap_or(""),
                            "ts": l.ts.to_string(),
                            "age_secs": now.duration_since(l.ts).as_secs(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("device\tmetric\tvalue\tunit\ttime");
                for l in rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        l.device,
                        l.metric,
                        l.value,
                        devs.get(&l.device).map(|d| d.unit(&l.metric)).unwrap_or(""),
                        l.ts.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M:%S")
                    );
                }
            }
            Ok(())
        }
        TelemetryCmd::Export {
            device,
            from,
            to,
            format,
            out,
        } => {
            require(&tenant, &me, Permission::Read)?;
            let Some(d) = tenant.get::<Device>(device)? else {
                bail!("no device '{device}' in tenant '{}'", tc.name());
            };
            let to = match to {
                Some(s) => parse_time(s, &tz).context("--to")?,
                None => crate::clock::now(),
            };
            let from = match from {
                Some(s) => parse_time(s, &tz).context("--from")?,
                None => to - SignedDuration::from_hours(24),
            };
            if from >= to {
                bail!("--from ({from}) must be before --to ({to})");
            }
            let metrics: Vec<(String, String)> = d
                .value
                .metrics
                .iter()
                .map(|(m, info)| (m.clone(), info.unit.clone()))
                .collect();
            let mut table = Table::new(device, metrics.clone());
            for (i, (m, _)) in metrics.iter().enumerate() {
                for (ts, v) in tenant.readings(device, m, from, to)? {
                    table.add(i, ts, v);
                }
            }
            match format {
                Format::Csv => match out {
                    Some(p) => {
                        let mut f = std::fs::File::create(p)
                            .with_context(|| format!("creating {}", p.display()))?;
                        write_csv(&table, &tz, &mut f)?;
                        eprintln!("{} rows written to {}", table.rows.len(), p.display());
                    }
                    None => write_csv(&table, &tz, &mut std::io::stdout().lock())?,
                },
                Format::Xlsx => {
                    let p = out.clone().unwrap_or_else(|| {
                        PathBuf::from(format!(
                            "{device}_{}.xlsx",
                            from.to_zoned(tz.clone()).strftime("%Y-%m-%d")
                        ))
                    });
                    write_xlsx(&table, &tz, &p)?;
                    eprintln!("{} rows written to {}", table.rows.len(), p.display());
                }
            }
            Ok(())
        }
        TelemetryCmd::Device {
            id,
            name,
            asset,
            units,
        } => {
            let mut parsed = Vec::new();
            for u in units {
                let Some((m, unit)) = u.split_once('=') else {
                    bail!("--unit '{u}': expected METRIC=UNIT, e.g. supply_temp_c=°C");
                };
                parsed.push((m.trim().to_owned(), unit.trim().to_owned()));
            }
            let d = devices::edit(
                &tenant,
                &me,
                id,
                None,
                &devices::DeviceEdit {
                    name: name.clone(),
                    asset: asset.clone(),
                    units: parsed,
                },
            )?;
            println!(
                "device {}: name '{}', asset '{}', metrics {}",
                d.id,
                d.name,
                d.asset,
                d.metrics
                    .iter()
                    .map(|(m, i)| format!("{m} [{}]", i.unit))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(())
        }
    }
}

pub fn alerts_cmd(cli: &Cli, c: &AlertsCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let tz = tc.zone();
    let local = |t: Timestamp| {
        t.to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    match c {
        AlertsCmd::List { all, json } => {
            require(&tenant, &me, Permission::Read)?;
            let list: Vec<_> = alerts::list(&tenant)?
                .into_iter()
                .filter(|a| *all || a.value.is_open())
                .collect();
            if *json {
                let out: Vec<_> = list
                    .iter()
                    .map(|a| {
                        let a = &a.value;
                        json!({
                            "id": a.id, "rule": a.rule, "device": a.device,
                            "severity": a.severity.as_str(), "status": a.status.as_str(),
                            "raised_at": a.raised_at.to_string(), "value": a.value,
                            "message": a.message,
                            "acked_by": a.acked_by, "acked_at": a.acked_at.map(|t| t.to_string()),
                            "resolved_at": a.resolved_at.map(|t| t.to_string()),
                            "resolved_by": a.resolved_by, "note": a.resolve_note,
                            "reopened": a.reopened,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("id\tseverity\tstatus\tdevice\trule\traised\tmessage");
                for a in list {
                    let a = a.value;
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        a.id,
                        a.severity,
                        a.status,
                        a.device,
                        a.rule,
                        local(a.raised_at),
                        a.message
                    );
                }
            }
            Ok(())
        }
        AlertsCmd::Ack { id } => {
            let key = Alert::key(*id);
            if tenant.get::<Alert>(&key)?.is_none() {
                bail!("no alert {id} in tenant '{}'", tc.name());
            }
            alerts::acknowledge(&tenant, &me, &key)?;
            println!("alert {id} acknowledged by {me}");
            Ok(())
        }
        AlertsCmd::Resolve { id, note } => {
            let key = Alert::key(*id);
            if tenant.get::<Alert>(&key)?.is_none() {
                bail!("no alert {id} in tenant '{}'", tc.name());
            }
            alerts::resolve(&tenant, &me, &key, note)?;
            println!("alert {id} resolved by {me}");
            Ok(())
        }
    }
}

pub fn rules_cmd(cli: &Cli, c: &RulesCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    match c {
        RulesCmd::Import { file } => {
            let src = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let r = rulebook::import(&tenant, &me, &file.display().to_string(), &src)?;
            println!(
                "rules imported into '{}': {} created, {} updated, {} unchanged",
                tc.name(),
                r.created,
                r.updated,
                r.unchanged
            );
            Ok(())
        }
        RulesCmd::List { json } => {
            require(&tenant, &me, Permission::Read)?;
            let rules: Vec<Rule> = tenant
                .list::<Rule>()?
                .into_iter()
                .map(|r| r.value)
                .collect();
            if *json {
                println!("{}", serde_json::to_string_pretty(&rules)?);
            } else {
                for r in rules {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        r.name,
                        if r.enabled { "enabled" } else { "disabled" },
                        r.severity,
                        r.devices,
                        r.kind.describe()
                    );
                }
            }
            Ok(())
        }
    }
}
