//! `opsdeck wo`: work orders for scripts and the plant workstation: create, list, show, move
//! through the status flow, answer the checklist, book parts, labor and services, notes,
//! downtime, and open one from an alert. Decimals accept "12,5" as well as "12.5".

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use opsdeck_storage::Versioned;
use opsdeck_storage::records::alert::Alert;
use opsdeck_storage::records::work_order::{
    EvidenceRef, ItemKind, ItemResult, Priority, WoKind, WoStatus, WorkOrder,
};
use opsdeck_views::i18n::Locale;
use rust_decimal::Decimal;
use serde_json::json;

use super::Cli;
use super::telemetry::parse_time;
use crate::domain::access::{Permission, require};
use crate::domain::cmms::evidence;
use crate::domain::cmms::work_orders::{
    self as wo, AlertOutcome, Filter, LaborInput, NewOrder, OrderRef,
};
use crate::report::cmms::{ExportFormat, WoExport};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum WoCmd {
    /// Open a work order (preventive and predictive: supervisor, admin)
    Create {
        #[arg(long)]
        title: String,
        /// corrective, preventive, predictive or request
        #[arg(long = "type", value_parser = parse_kind)]
        kind: WoKind,
        /// Tag of the asset it is about
        #[arg(long)]
        asset: Option<String>,
        /// low, medium, high or urgent
        #[arg(long, value_parser = parse_priority, default_value = "medium")]
        priority: Priority,
        /// OS user it is assigned to
        #[arg(long)]
        assignee: Option<String>,
        /// Due date (SLA), YYYY-MM-DD: by the end of that day in the tenant's zone
        #[arg(long)]
        due: Option<String>,
        /// Procedure code: its items become the checklist
        #[arg(long)]
        procedure: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Work orders, by id
    List {
        /// open, in_progress, on_hold, done or cancelled
        #[arg(long, value_parser = parse_status)]
        status: Option<WoStatus>,
        #[arg(long)]
        asset: Option<String>,
        /// Only those assigned to this user ("-": to nobody)
        #[arg(long)]
        assignee: Option<String>,
        /// Only orders past their due date and not closed
        #[arg(long)]
        overdue: bool,
        /// Only orders not closed (open, in progress, on hold)
        #[arg(long, conflicts_with = "status")]
        active: bool,
        #[arg(long)]
        json: bool,
    },
    /// One order: checklist, parts, labor, services, cost, history
    Show {
        id: u64,
        #[arg(long)]
        json: bool,
    },
    /// open -> in_progress
    Start {
        id: u64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Put on hold (a reason is required: what it waits for)
    Hold {
        id: u64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// on_hold -> in_progress
    Resume {
        id: u64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// in_progress -> done: posts the order's cost to the ledger
    Done {
        id: u64,
        #[arg(long, default_value = "")]
        reason: String,
        /// Also resolve the alert the order came from ("OS <id> concluída")
        #[arg(long)]
        resolve_alert: bool,
    },
    /// Cancel (supervisor, admin; a reason is required)
    Cancel {
        id: u64,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Answer checklist item ITEM (from 1): pass, fail, na, or a value (12,5)
    Check {
        id: u64,
        item: usize,
        #[arg(allow_hyphen_values = true)]
        answer: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Issue QTY of inventory item ITEM to the order
    Part {
        id: u64,
        item: String,
        qty: String,
        /// Stock location [default: the only one holding the item]
        #[arg(long)]
        location: Option<String>,
    },
    /// Give back QTY of ITEM issued to the order
    Return {
        id: u64,
        item: String,
        qty: String,
        #[arg(long)]
        location: Option<String>,
    },
    /// Book labor: TECH worked HOURS at RATE (R$/h)
    Labor {
        id: u64,
        tech: String,
        hours: String,
        rate: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Book a bought service (contractor, rental) of AMOUNT R$
    Service {
        id: u64,
        description: String,
        amount: String,
    },
    /// Add a note
    Note { id: u64, text: String },
    /// Set the cost estimate in R$ (supervisor, admin), before the order starts: it is
    /// committed in the ledger when it starts; --none clears it
    Estimate {
        id: u64,
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        amount: Option<rust_decimal::Decimal>,
        #[arg(long)]
        none: bool,
    },
    /// Assign to USER, or to nobody with --none (supervisor, admin)
    Assign {
        id: u64,
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        user: Option<String>,
        #[arg(long)]
        none: bool,
    },
    /// Change the priority (supervisor, admin)
    Priority {
        id: u64,
        #[arg(value_parser = parse_priority)]
        priority: Priority,
    },
    /// Change the due date, YYYY-MM-DD, or clear it with --none (supervisor, admin)
    Due {
        id: u64,
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        date: Option<String>,
        #[arg(long)]
        none: bool,
    },
    /// The order's asset went down [--at TIME, default now]
    Down {
        id: u64,
        /// 2026-11-22T08:00 (tenant zone) or RFC 3339
        #[arg(long)]
        at: Option<String>,
    },
    /// The order's asset is back up [--at TIME, default now]
    Up {
        id: u64,
        #[arg(long)]
        at: Option<String>,
    },
    /// Open a predictive order from an open alert (or show the one it already has), with the
    /// sensor's readings since 6 h before the alert attached as evidence
    FromAlert { alert_id: u64 },
    /// Write the orders and the cost per asset of a period: one XLSX workbook (sheets "Ordens"
    /// and "Custo por ativo") or two CSV files, named OS_<tenant>_<from>_<to>; prints each file
    Export {
        /// xlsx or csv
        #[arg(long, value_parser = parse_format, default_value = "xlsx")]
        format: ExportFormat,
        /// Directory to write into [default: the current one]
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Orders: open, in_progress, on_hold, done or cancelled
        #[arg(long, value_parser = parse_status)]
        status: Option<WoStatus>,
        /// Orders: corrective, preventive, predictive or request
        #[arg(long = "type", value_parser = parse_kind)]
        kind: Option<WoKind>,
        /// Orders and cost: only this asset's
        #[arg(long)]
        asset: Option<String>,
        /// Orders: only those assigned to this user ("-": to nobody)
        #[arg(long)]
        assignee: Option<String>,
        /// Orders: only those past their due date and not closed
        #[arg(long)]
        overdue: bool,
        /// Orders: only those not closed (open, in progress, on hold)
        #[arg(long, conflicts_with = "status")]
        active: bool,
        /// First day, YYYY-MM-DD: orders created from it, cost of orders done from it
        /// [cost default: the first of the month]
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD, included [cost default: the end of the month, or today]
        #[arg(long)]
        to: Option<String>,
    },
    /// Attach a file (photo, report) as evidence: copied into the evidence store under its
    /// SHA-256, which is shown and checked by `opsdeck check`
    Attach {
        id: u64,
        file: std::path::PathBuf,
        /// The name to show [default: the file's name]
        #[arg(long)]
        name: Option<String>,
    },
}

fn parse_kind(s: &str) -> Result<WoKind, String> {
    s.parse()
}

fn parse_priority(s: &str) -> Result<Priority, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<WoStatus, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    s.parse()
}

/// A day given to `flag` ("--from"), YYYY-MM-DD.
fn parse_day(flag: &str, s: &str) -> Result<Date> {
    s.trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("{flag} '{s}': expected YYYY-MM-DD, e.g. 2026-11-01"))
}

/// A decimal as people type it: "12,5", "12.5", "1.234,56" or "1,234.56".
pub fn parse_decimal(what: &str, s: &str) -> Result<Decimal> {
    let t = s.trim();
    let normalized = match (t.rfind(','), t.rfind('.')) {
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) => t.replace(',', "."),
        _ => t.to_owned(),
    };
    normalized
        .parse::<Decimal>()
        .map_err(|_| anyhow::anyhow!("{what}: '{s}' is not a number (e.g. 12,5 or 12.5)"))
}

/// "2026-11-30" -> the end of that day in `tz` (a due date is met during the whole day).
pub fn parse_due(s: &str, tz: &TimeZone) -> Result<Timestamp> {
    let d: Date = s
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("--due '{s}': expected YYYY-MM-DD, e.g. 2026-11-30"))?;
    wo::due_at(d, tz)
}

fn parse_answer(s: &str) -> Result<ItemResult> {
    Ok(match s.trim().to_lowercase().as_str() {
        "pass" | "ok" | "p" => ItemResult::Pass,
        "fail" | "f" => ItemResult::Fail,
        "na" | "n/a" => ItemResult::NotApplicable,
        _ => ItemResult::Value(
            parse_decimal("answer", s)
                .context("expected pass, fail, na or a value such as 12,5")?,
        ),
    })
}

fn when(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

fn line(o: &Versioned<WorkOrder>) -> String {
    format!(
        "OS {} {} · {} (version {})",
        o.value.id, o.value.status, o.value.title, o.version
    )
}

pub fn run(cli: &Cli, c: &WoCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let tz = tc.zone();
    let loc = cli.locale(Some(&site));
    let t = &tenant;
    match c {
        WoCmd::Create {
            title,
            kind,
            asset,
            priority,
            assignee,
            due,
            procedure,
            description,
        } => {
            let due = due.as_deref().map(|d| parse_due(d, &tz)).transpose()?;
            let new = NewOrder {
                description: description.clone(),
                priority: *priority,
                asset: asset.clone(),
                assignee: assignee.clone(),
                due,
                procedure: procedure.clone(),
                ..NewOrder::new(title.clone(), *kind)
            };
            let o = wo::open_order(t, &me, new)?;
            println!("{}", line(&o));
        }
        WoCmd::List {
            status,
            asset,
            assignee,
            overdue,
            active,
            json,
        } => {
            require(t, &me, Permission::Read)?;
            let now = crate::clock::now();
            let filter = Filter {
                status: *status,
                active: *active,
                unassigned: assignee.as_deref() == Some("-"),
                asset: asset.as_ref().map(|a| a.trim().to_ascii_uppercase()),
                assignee: assignee.clone().filter(|a| a != "-"),
                overdue_at: overdue.then_some(now),
            };
            let orders = wo::list(t, &filter)?;
            if *json {
                let rows: Vec<_> = orders
                    .iter()
                    .map(|o| {
                        let v = &o.value;
                        json!({
                            "id": v.id,
                            "status": v.status.as_str(),
                            "kind": v.kind.as_str(),
                            "priority": v.priority.as_str(),
                            "title": v.title,
                            "asset": v.asset,
                            "assignee": v.assignee,
                            "due": v.due.map(|d| d.to_string()),
                            "overdue": wo::is_overdue(v, now),
                            "cost": v.cost().to_string(),
                            "version": o.version,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!("id\tstatus\tpriority\ttype\tasset\tassignee\tdue\tcost\ttitle");
                for o in orders {
                    let v = &o.value;
                    let due = v.due.map(|d| when(d, &tz)).unwrap_or_default();
                    let late = if wo::is_overdue(v, now) { " !late" } else { "" };
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{due}{late}\t{}\t{}",
                        v.id,
                        v.status,
                        v.priority,
                        v.kind,
                        v.asset.as_deref().unwrap_or("-"),
                        v.assignee.as_deref().unwrap_or("-"),
                        loc.money(v.cost()),
                        v.title
                    );
                }
            }
        }
        WoCmd::Show { id, json } => {
            require(t, &me, Permission::Read)?;
            let o = wo::get(t, *id)?;
            if *json {
                let mut j = serde_json::to_value(&o)?;
                j["cost"] = json!(o.value.cost().to_string());
                println!("{}", serde_json::to_string_pretty(&j)?);
            } else {
                print!("{}", show(&o, &tz, loc));
            }
        }
        WoCmd::Start { id, reason } => {
            let o = wo::transition_from(
                t,
                &me,
                OrderRef::now(*id),
                WoStatus::Open,
                WoStatus::InProgress,
                reason,
            )?;
            println!("{}", line(&o));
        }
        WoCmd::Resume { id, reason } => {
            let o = wo::transition_from(
                t,
                &me,
                OrderRef::now(*id),
                WoStatus::OnHold,
                WoStatus::InProgress,
                reason,
            )?;
            println!("{}", line(&o));
        }
        WoCmd::Hold { id, reason } => {
            println!("{}", line(&wo::hold(t, &me, OrderRef::now(*id), reason)?));
        }
        WoCmd::Cancel { id, reason } => {
            println!("{}", line(&wo::cancel(t, &me, OrderRef::now(*id), reason)?));
        }
        WoCmd::Done {
            id,
            reason,
            resolve_alert,
        } => {
            let done = wo::complete(t, &me, OrderRef::now(*id), reason, *resolve_alert)?;
            println!(
                "{} · cost {}",
                line(&done.order),
                loc.money(done.order.value.cost())
            );
            match done.alert {
                AlertOutcome::NotAsked => {}
                AlertOutcome::NoAlert => println!("OS {id} came from no alert: nothing to resolve"),
                AlertOutcome::Resolved => println!("alert resolved"),
                AlertOutcome::AlreadyResolved => println!("the alert was already resolved"),
                AlertOutcome::Failed(why) => {
                    bail!("OS {id} is done, but its alert was not resolved: {why}")
                }
            }
        }
        WoCmd::Check {
            id,
            item,
            answer,
            note,
        } => {
            let o = wo::answer(
                t,
                &me,
                OrderRef::now(*id),
                *item,
                parse_answer(answer)?,
                note,
            )?;
            println!("{}", line(&o));
        }
        WoCmd::Part {
            id,
            item,
            qty,
            location,
        } => {
            let qty = parse_decimal("qty", qty)?;
            let (o, m) =
                wo::issue_part(t, &me, OrderRef::now(*id), item, location.as_deref(), qty)?;
            println!(
                "{} · issued {} {} from {} at {} (movement {})",
                line(&o),
                loc.quantity(qty),
                m.item,
                m.location,
                loc.money(m.unit_cost),
                m.id
            );
        }
        WoCmd::Return {
            id,
            item,
            qty,
            location,
        } => {
            let qty = parse_decimal("qty", qty)?;
            let (o, moves) =
                wo::return_part(t, &me, OrderRef::now(*id), item, location.as_deref(), qty)?;
            let ids: Vec<String> = moves.iter().map(|m| m.id.to_string()).collect();
            println!(
                "{} · returned {} {item} (movements {})",
                line(&o),
                loc.quantity(qty),
                ids.join(", ")
            );
        }
        WoCmd::Labor {
            id,
            tech,
            hours,
            rate,
            note,
        } => {
            let labor = LaborInput {
                technician: tech.clone(),
                hours: parse_decimal("hours", hours)?,
                rate: parse_decimal("rate", rate)?,
                note: note.clone(),
            };
            println!(
                "{}",
                line(&wo::add_labor(t, &me, OrderRef::now(*id), labor)?)
            );
        }
        WoCmd::Service {
            id,
            description,
            amount,
        } => {
            let amount = parse_decimal("amount", amount)?;
            let o = wo::add_service(t, &me, OrderRef::now(*id), description, amount)?;
            println!("{}", line(&o));
        }
        WoCmd::Estimate { id, amount, none } => {
            let value = if *none { None } else { *amount };
            let o = wo::set_estimate(t, &me, OrderRef::now(*id), value)?;
            let estimate = o
                .value
                .estimate()
                .map(|e| format!("estimate R$ {e}"))
                .unwrap_or_else(|| "no estimate".into());
            println!("{} · {estimate}", line(&o));
        }
        WoCmd::Note { id, text } => {
            println!("{}", line(&wo::add_note(t, &me, OrderRef::now(*id), text)?));
        }
        WoCmd::Assign { id, user, none } => {
            let user = if *none { None } else { user.as_deref() };
            println!("{}", line(&wo::assign(t, &me, OrderRef::now(*id), user)?));
        }
        WoCmd::Priority { id, priority } => {
            let o = wo::set_priority(t, &me, OrderRef::now(*id), *priority)?;
            println!("{}", line(&o));
        }
        WoCmd::Due { id, date, none } => {
            let due = match (date, none) {
                (_, true) | (None, _) => None,
                (Some(d), false) => Some(parse_due(d, &tz)?),
            };
            println!("{}", line(&wo::set_due(t, &me, OrderRef::now(*id), due)?));
        }
        WoCmd::Down { id, at } => {
            let at = match at {
                Some(s) => parse_time(s, &tz).context("--at")?,
                None => crate::clock::now(),
            };
            println!("{}", line(&wo::asset_down(t, &me, OrderRef::now(*id), at)?));
        }
        WoCmd::Up { id, at } => {
            let at = match at {
                Some(s) => parse_time(s, &tz).context("--at")?,
                None => crate::clock::now(),
            };
            println!("{}", line(&wo::asset_up(t, &me, OrderRef::now(*id), at)?));
        }
        WoCmd::Export {
            format,
            dir,
            status,
            kind,
            asset,
            assignee,
            overdue,
            active,
            from,
            to,
        } => {
            let from = from
                .as_deref()
                .map(|s| parse_day("--from", s))
                .transpose()?;
            let to = to.as_deref().map(|s| parse_day("--to", s)).transpose()?;
            if let (Some(f), Some(t)) = (from, to)
                && f > t
            {
                bail!("--from {f} is after --to {t}");
            }
            let opts = WoExport {
                filter: Filter {
                    status: *status,
                    active: *active,
                    unassigned: assignee.as_deref() == Some("-"),
                    asset: asset.as_ref().map(|a| a.trim().to_ascii_uppercase()),
                    assignee: assignee.clone().filter(|a| a != "-"),
                    overdue_at: overdue.then(crate::clock::now),
                },
                kind: *kind,
                from,
                to,
            };
            let dir = dir.clone().unwrap_or_else(|| PathBuf::from("."));
            for path in crate::report::cmms::export(t, &me, &tz, &opts, *format, &dir)? {
                println!("{}", path.display());
            }
        }
        WoCmd::Attach { id, file, name } => {
            let (sha256, size) = evidence::store_file(&site.dir.evidence_dir(tc.name()), file)?;
            let name = name.clone().unwrap_or_else(|| {
                file.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| file.display().to_string())
            });
            let e = EvidenceRef {
                sha256: sha256.clone(),
                name: name.clone(),
                size,
                by: me.clone(),
                at: crate::clock::now(),
            };
            let o = wo::attach_evidence(t, &me, OrderRef::now(*id), e)?;
            println!("{} · {name} · {size} bytes · sha256 {sha256}", line(&o));
        }
        WoCmd::FromAlert { alert_id } => {
            let key = Alert::key(*alert_id);
            let made = wo::from_alert_with_readings(
                &site.dir.evidence_dir(t.name()),
                t,
                &me,
                &key,
                crate::clock::now(),
            )?;
            if made.created {
                println!("{}", line(&made.order));
            } else {
                println!("{} (already open for alert {alert_id})", line(&made.order));
            }
        }
    }
    Ok(())
}

/// The order as text, for `wo show`.
fn show(o: &Versioned<WorkOrder>, tz: &TimeZone, loc: Locale) -> String {
    use std::fmt::Write;
    let v = &o.value;
    let mut s = String::new();
    let _ = writeln!(s, "OS {} · {}", v.id, v.title);
    let _ = writeln!(
        s,
        "type {} · priority {} · status {} · version {}",
        v.kind, v.priority, v.status, o.version
    );
    let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(
        s,
        "asset {} · assignee {} · due {}",
        opt(&v.asset),
        opt(&v.assignee),
        v.due.map(|d| when(d, tz)).unwrap_or_else(|| "-".into())
    );
    let _ = writeln!(
        s,
        "created by {} at {}",
        v.created_by,
        when(v.created_at, tz)
    );
    if let Some(a) = &v.alert {
        let _ = writeln!(s, "from alert {a}");
    }
    if let Some(p) = &v.plan {
        let _ = writeln!(s, "from plan {p}");
    }
    if !v.description.is_empty() {
        let _ = writeln!(s, "\n{}", v.description);
    }
    if !v.checklist.is_empty() {
        let _ = writeln!(
            s,
            "\nchecklist ({}):",
            v.procedure.as_deref().unwrap_or("-")
        );
        for (i, c) in v.checklist.iter().enumerate() {
            let answer = match &c.result {
                None => "·".to_owned(),
                Some(ItemResult::Pass) => "pass".into(),
                Some(ItemResult::Fail) => "FAIL".into(),
                Some(ItemResult::NotApplicable) => "n/a".into(),
                Some(ItemResult::Value(x)) => match &c.item.kind {
                    ItemKind::Value { unit } => format!("{} {unit}", loc.quantity(*x)),
                    ItemKind::PassFail => loc.quantity(*x),
                },
            };
            let req = if c.item.required { "*" } else { " " };
            let note = if c.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", c.note)
            };
            // A measured item says its unit, so the technician knows what to type.
            let unit = match &c.item.kind {
                ItemKind::Value { unit } if c.result.is_none() => format!(" ({unit})"),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "  {:>2}{req} [{answer}] {}{unit}{note}",
                i + 1,
                c.item.text
            );
        }
    }
    if !v.parts.is_empty() {
        let _ = writeln!(s, "\nparts:");
        for p in &v.parts {
            let _ = writeln!(
                s,
                "  {} × {} @ {} from {} = {} (movement {})",
                loc.quantity(p.qty),
                p.item,
                loc.money(p.unit_cost),
                p.location,
                loc.money(p.qty * p.unit_cost),
                p.movement
            );
        }
    }
    if !v.labor.is_empty() {
        let _ = writeln!(s, "\nlabor:");
        for l in &v.labor {
            let _ = writeln!(
                s,
                "  {} {} h × {}/h = {}",
                l.technician,
                loc.quantity(l.hours),
                loc.money(l.rate),
                loc.money(l.hours * l.rate)
            );
        }
    }
    if !v.services.is_empty() {
        let _ = writeln!(s, "\nservices:");
        for x in &v.services {
            let _ = writeln!(s, "  {} = {}", x.description, loc.money(x.amount));
        }
    }
    let _ = writeln!(s, "\ncost {}", loc.money(v.cost()));
    if !v.downtime.is_empty() {
        let _ = writeln!(s, "\ndowntime:");
        for d in &v.downtime {
            let to =
                d.to.map(|t| when(t, tz))
                    .unwrap_or_else(|| "still down".into());
            let _ = writeln!(s, "  {} -> {to}", when(d.from, tz));
        }
    }
    if !v.evidence.is_empty() {
        let _ = writeln!(s, "\nevidence:");
        for e in &v.evidence {
            let _ = writeln!(s, "  {} ({} bytes, {})", e.name, e.size, e.sha256);
        }
    }
    if !v.notes.is_empty() {
        let _ = writeln!(s, "\nnotes:");
        for n in &v.notes {
            let _ = writeln!(s, "  {} {}: {}", when(n.at, tz), n.by, n.text);
        }
    }
    if !v.transitions.is_empty() {
        let _ = writeln!(s, "\nhistory:");
        for tr in &v.transitions {
            let why = if tr.reason.is_empty() {
                String::new()
            } else {
                format!(" — {}", tr.reason)
            };
            let _ = writeln!(
                s,
                "  {} {} {} -> {}{why}",
                when(tr.at, tz),
                tr.by,
                tr.from,
                tr.to
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_as_people_type_them() {
        let d = |s: &str| parse_decimal("x", s).unwrap();
        assert_eq!(d("12,5"), Decimal::new(125, 1));
        assert_eq!(d("12.5"), Decimal::new(125, 1));
        assert_eq!(d("1.234,56"), Decimal::new(123456, 2));
        assert_eq!(d("1,234.56"), Decimal::new(123456, 2));
        assert_eq!(d("-2"), Decimal::new(-2, 0));
        let e = parse_decimal("qty", "abc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "qty: 'abc' is not a number (e.g. 12,5 or 12.5)"
        );
    }
}
