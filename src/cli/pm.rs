//! `opsdeck pm`: preventive maintenance plans (calendar, meter, threshold), the scheduler run by
//! hand, and the procedures (checklist templates) the plans' orders follow.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use opsdeck_storage::records::pm_plan::{CalendarMode, PeriodUnit, PmPlan, Schedule};
use opsdeck_storage::records::work_order::{ItemKind, Priority, Procedure};
use rust_decimal::Decimal;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::cmms::plans::{self, Imported, PlanInput};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum PmCmd {
    /// Create a calendar plan: every N days, weeks or months (supervisor, admin)
    Add {
        code: String,
        #[command(flatten)]
        common: Common,
        /// The interval, in --unit
        #[arg(long)]
        every: u32,
        /// day, week or month
        #[arg(long, value_parser = PeriodUnit::from_str)]
        unit: PeriodUnit,
        /// First occurrence, YYYY-MM-DD [default: today]
        #[arg(long)]
        start: Option<String>,
        /// Count each next occurrence from the last completion instead of the start date
        #[arg(long)]
        floating: bool,
    },
    /// Create a meter plan: an order every N units of increase of a counter, e.g. run hours
    /// (supervisor, admin)
    AddMeter {
        code: String,
        #[command(flatten)]
        common: Common,
        /// Device id [default: each asset's own linked sensor reporting --metric]
        #[arg(long)]
        device: Option<String>,
        /// The counter, e.g. run_hours
        #[arg(long)]
        metric: String,
        /// The increase that calls for an order, e.g. 500
        #[arg(long)]
        every: Decimal,
    },
    /// Create a threshold plan: an order when a reading goes above or below a limit
    /// (supervisor, admin)
    AddThreshold {
        code: String,
        #[command(flatten)]
        common: Common,
        /// Device id [default: each asset's own linked sensor reporting --metric]
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        metric: String,
        #[arg(long, allow_negative_numbers = true)]
        above: Option<f64>,
        #[arg(long, allow_negative_numbers = true)]
        below: Option<f64>,
    },
    /// Pause a plan: it generates nothing until resumed (supervisor, admin)
    Pause { code: String },
    /// Resume a paused plan, counting from today (supervisor, admin)
    Resume { code: String },
    /// Create the plans of a TOML file that are not there yet (format:
    /// sample-data/cmms/plans.toml); nothing is written if any plan is wrong
    Import { file: PathBuf },
    /// The plans
    List {
        #[arg(long)]
        json: bool,
    },
    /// One plan and when it is next due for each of its assets
    Show { code: String },
    /// Run the scheduler once and print the orders it generated (supervisor, admin)
    Run {
        /// Local time to run at, YYYY-MM-DDTHH:MM [default: now]
        #[arg(long)]
        now: Option<String>,
    },
    /// Procedures: the checklist templates of preventive orders
    #[command(subcommand)]
    Procedures(ProceduresCmd),
}

#[derive(Debug, Subcommand)]
pub enum ProceduresCmd {
    /// Add or update procedures from a TOML file (format: sample-data/cmms/procedures.toml);
    /// nothing is written if any is wrong (supervisor, admin)
    Import { file: PathBuf },
    /// The procedures and their items
    List {
        #[arg(long)]
        json: bool,
    },
}

/// What every plan has.
#[derive(Debug, Args)]
pub struct Common {
    #[arg(long)]
    name: String,
    /// Asset tag; repeat for a group (one order per asset)
    #[arg(long = "asset", required = true)]
    assets: Vec<String>,
    /// Procedure code: the orders' checklist
    #[arg(long)]
    procedure: Option<String>,
    /// Calendar: days before the due date the order is generated; meter and threshold: days
    /// given to do it
    #[arg(long, default_value_t = 7)]
    lead_days: u32,
    #[arg(long, value_parser = Priority::from_str, default_value = "medium")]
    priority: Priority,
    /// OS user name the orders are assigned to
    #[arg(long)]
    assignee: Option<String>,
    /// Orders' title; {name} {plan} {asset} {asset_name} {date} are replaced
    #[arg(long, default_value = "")]
    title: String,
    #[arg(long, default_value = "")]
    note: String,
}

impl Common {
    fn input(&self, code: &str, schedule: Schedule) -> PlanInput {
        PlanInput {
            code: code.to_owned(),
            name: self.name.clone(),
            assets: self.assets.clone(),
            procedure: self.procedure.clone(),
            schedule,
            lead_days: self.lead_days,
            priority: self.priority,
            assignee: self.assignee.clone(),
            title: self.title.clone(),
            note: self.note.clone(),
        }
    }
}

fn parse_date(flag: &str, s: &str) -> Result<Date> {
    Date::from_str(s.trim())
        .map_err(|_| anyhow::anyhow!("{flag} '{s}': expected YYYY-MM-DD, e.g. 2026-12-01"))
}

/// "2026-11-23T08:00" (or a date: its midnight) in the tenant's zone.
fn parse_now(s: &str, tz: &TimeZone) -> Result<Zoned> {
    let s = s.trim();
    let dt = match s.parse::<jiff::civil::DateTime>() {
        Ok(dt) => dt,
        Err(_) => match s.parse::<Date>() {
            Ok(d) => d.to_datetime(jiff::civil::Time::midnight()),
            Err(_) => bail!("--now '{s}': expected YYYY-MM-DDTHH:MM, e.g. 2026-11-23T08:00"),
        },
    };
    Ok(dt.to_zoned(tz.clone())?)
}

fn imported_line(what: &str, tenant: &str, r: &Imported) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.join(", ")
        }
    };
    format!(
        "{what} in '{tenant}': added: {}; updated: {}; unchanged: {}",
        list(&r.added),
        list(&r.updated),
        list(&r.unchanged)
    )
}

pub fn run(cli: &Cli, c: &PmCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let tz = tc.zone();
    let now = crate::clock::now().to_zoned(tz.clone());
    let today = now.date();
    match c {
        PmCmd::Add {
            code,
            common,
            every,
            unit,
            start,
            floating,
        } => {
            let start = match start {
                Some(s) => parse_date("--start", s)?,
                None => today,
            };
            let mode = if *floating {
                CalendarMode::Floating
            } else {
                CalendarMode::Fixed
            };
            let schedule = Schedule::Calendar {
                every: *every,
                unit: *unit,
                start,
                mode,
            };
            let p = plans::create(&tenant, &me, common.input(code, schedule), today)?;
            println!("plan {} created: {}", p.key, p.value.schedule.describe());
            Ok(())
        }
        PmCmd::AddMeter {
            code,
            common,
            device,
            metric,
            every,
        } => {
            let schedule = Schedule::Meter {
                device: device.clone().unwrap_or_default(),
                metric: metric.clone(),
                every: *every,
            };
            let p = plans::create(&tenant, &me, common.input(code, schedule), today)?;
            println!("plan {} created: {}", p.key, p.value.schedule.describe());
            Ok(())
        }
        PmCmd::AddThreshold {
            code,
            common,
            device,
            metric,
            above,
            below,
        } => {
            let schedule = Schedule::Threshold {
                device: device.clone().unwrap_or_default(),
                metric: metric.clone(),
                above: *above,
                below: *below,
            };
            let p = plans::create(&tenant, &me, common.input(code, schedule), today)?;
            println!("plan {} created: {}", p.key, p.value.schedule.describe());
            Ok(())
        }
        PmCmd::Pause { code } | PmCmd::Resume { code } => {
            let active = matches!(c, PmCmd::Resume { .. });
            let p = plans::set_active(&tenant, &me, code, active, today)?;
            println!(
                "plan {} {}",
                p.key,
                if p.value.active { "active" } else { "paused" }
            );
            Ok(())
        }
        PmCmd::Import { file } => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let inputs = plans::parse_plans(&file.display().to_string(), &text, today)?;
            let r = plans::import_plans(&tenant, &me, inputs, today)?;
            println!("{}", imported_line("plans", tc.name(), &r));
            Ok(())
        }
        PmCmd::List { json } => {
            require(&tenant, &me, Permission::Read)?;
            let list: Vec<PmPlan> = tenant
                .list::<PmPlan>()?
                .into_iter()
                .map(|p| p.value)
                .collect();
            if *json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            if list.is_empty() {
                println!("tenant '{}' has no preventive plans", tc.name());
            }
            for p in list {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    p.code,
                    if p.active { "active" } else { "paused" },
                    p.name,
                    p.assets.join(" "),
                    p.schedule.describe()
                );
            }
            Ok(())
        }
        PmCmd::Show { code } => {
            require(&tenant, &me, Permission::Read)?;
            let Some(p) = tenant.get::<PmPlan>(code)? else {
                bail!("there is no plan '{code}' in tenant '{}'", tc.name());
            };
            let p = p.value;
            println!("{} · {}", p.code, p.name);
            println!("  schedule:  {}", p.schedule.describe());
            println!(
                "  status:    {} (counting from {})",
                if p.active { "active" } else { "paused" },
                p.since
            );
            println!("  procedure: {}", p.procedure.as_deref().unwrap_or("-"));
            println!(
                "  orders:    priority {}, assignee {}, lead {} days",
                p.priority,
                p.assignee.as_deref().unwrap_or("-"),
                p.lead_days
            );
            if !p.note.is_empty() {
                println!("  note:      {}", p.note);
            }
            for (asset, o) in plans::outlook(&tenant, &p, today, &tz)? {
                println!("  {asset}\t{o}");
            }
            Ok(())
        }
        PmCmd::Run { now: at } => {
            let at = match at {
                Some(s) => parse_now(s, &tz)?,
                None => now,
            };
            let r = plans::run_as(&tenant, &me, &at)?;
            for g in &r.generated {
                println!(
                    "OS {}\t{}\t{}\t{}\tdue {}\t{}",
                    g.order,
                    g.plan,
                    g.asset,
                    g.occurrence,
                    g.due.to_zoned(tz.clone()).date(),
                    g.title
                );
            }
            for (plan, why) in &r.failed {
                eprintln!("plan {plan}: {why}");
            }
            println!(
                "{} preventive orders generated in '{}'{}",
                r.generated.len(),
                tc.name(),
                if r.failed.is_empty() {
                    String::new()
                } else {
                    format!("; {} plans could not run", r.failed.len())
                }
            );
            if !r.failed.is_empty() && r.generated.is_empty() {
                bail!("no plan could run");
            }
            Ok(())
        }
        PmCmd::Procedures(ProceduresCmd::Import { file }) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let procs = plans::parse_procedures(&file.display().to_string(), &text)?;
            let r = plans::import_procedures(&tenant, &me, procs)?;
            println!("{}", imported_line("procedures", tc.name(), &r));
            Ok(())
        }
        PmCmd::Procedures(ProceduresCmd::List { json }) => {
            require(&tenant, &me, Permission::Read)?;
            let list: Vec<Procedure> = tenant
                .list::<Procedure>()?
                .into_iter()
                .map(|p| p.value)
                .collect();
            if *json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(());
            }
            if list.is_empty() {
                println!("tenant '{}' has no procedures", tc.name());
            }
            for p in list {
                println!("{} · {} ({} items)", p.code, p.name, p.items.len());
                for (i, item) in p.items.iter().enumerate() {
                    let kind = match &item.kind {
                        ItemKind::PassFail => "ok/falha".to_owned(),
                        ItemKind::Value { unit } => format!("valor ({unit})"),
                    };
                    let req = if item.required { "" } else { ", opcional" };
                    println!("  {:>2}. {} [{kind}{req}]", i + 1, item.text);
                }
            }
            Ok(())
        }
    }
}
