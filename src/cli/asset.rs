//! `opsdeck asset`: maintained assets for scripts and the plant workstation: add, edit, retire,
//! list (site -> area tree), show (work orders, sensors, cost, downtime), find (tag, label text
//! or name), QR code in the terminal, printable label sheets, sensor links and CSV import.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use jiff::Timestamp;
use jiff::civil::Date;
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_views::i18n::span;
use serde_json::json;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::cmms::assets::{self, AssetEdit, AssetInput};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum AssetCmd {
    /// Register an asset (supervisor, admin)
    Add {
        /// Unique tag printed on its label: letters, digits, '-', '_' (e.g. CH-01)
        tag: String,
        #[arg(long)]
        name: String,
        /// chiller, ahu, fan_coil, split, vrf, cold_room, pump, cooling_tower, boiler,
        /// exhaust_fan, other (others are accepted)
        #[arg(long)]
        kind: String,
        #[arg(long)]
        site: String,
        #[arg(long)]
        area: String,
        #[command(flatten)]
        details: Details,
    },
    /// Change an asset's fields; those not given stay as they are (supervisor, admin)
    Edit {
        tag: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        area: Option<String>,
        #[command(flatten)]
        details: Details,
        /// Forget the installation date
        #[arg(long, conflicts_with = "installed")]
        clear_installed: bool,
    },
    /// Retire an asset: kept with its history, left out of lists (supervisor, admin)
    Retire { tag: String },
    /// Put a retired asset back in service (supervisor, admin)
    Reinstate { tag: String },
    /// Assets as a site -> area tree (active ones; --all adds the retired)
    List {
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        area: Option<String>,
        /// Include retired assets
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// One asset: details, sensors, open and past work orders, total cost and downtime
    Show {
        tag: String,
        #[arg(long)]
        json: bool,
    },
    /// Find assets by tag, label (QR) text, or words of the name (case and accents ignored)
    Find { text: Vec<String> },
    /// Print the asset's QR label code in the terminal
    Qr { tag: String },
    /// Write print-ready A4 label sheets (SVG, 3 x 8 labels of 70 x 37 mm)
    Label {
        /// Tags to print, in order
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        tags: Vec<String>,
        /// Every active asset, by site, area and tag
        #[arg(long)]
        all: bool,
        /// Output file; with more than 24 labels, FILE-1.svg, FILE-2.svg ...
        #[arg(long, value_name = "FILE.svg")]
        out: PathBuf,
    },
    /// Link a telemetry device to the asset (supervisor, admin)
    Link { tag: String, device: String },
    /// Unlink a telemetry device from the asset (supervisor, admin)
    Unlink { tag: String, device: String },
    /// Create or update assets from CSV (columns as sample-data/cmms/assets.csv); a file with
    /// any problem imports nothing
    Import { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct Details {
    /// Where exactly ("Cobertura, ala B")
    #[arg(long)]
    location: Option<String>,
    #[arg(long)]
    make: Option<String>,
    #[arg(long)]
    model: Option<String>,
    #[arg(long)]
    serial: Option<String>,
    /// Installation date, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    installed: Option<String>,
    /// low, medium, high, critical
    #[arg(long)]
    criticality: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

impl Details {
    fn installed(&self) -> Result<Option<Date>> {
        self.installed
            .as_deref()
            .map(|s| {
                s.trim()
                    .parse::<Date>()
                    .map_err(|_| anyhow::anyhow!("--installed '{s}': expected YYYY-MM-DD"))
            })
            .transpose()
    }

    fn criticality(&self) -> Result<Option<Criticality>> {
        self.criticality
            .as_deref()
            .map(|s| {
                s.parse::<Criticality>()
                    .map_err(|e| anyhow::anyhow!("--criticality: {e}"))
            })
            .transpose()
    }
}

pub fn run(cli: &Cli, c: &AssetCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let now = crate::clock::now();
    let today = now.to_zoned(tc.zone()).date();
    match c {
        AssetCmd::Add {
            tag,
            name,
            kind,
            site: s,
            area,
            details,
        } => {
            let mut input = AssetInput::new(name, kind, s, area);
            input.location = details.location.clone().unwrap_or_default();
            input.make = details.make.clone().unwrap_or_default();
            input.model = details.model.clone().unwrap_or_default();
            input.serial = details.serial.clone().unwrap_or_default();
            input.notes = details.notes.clone().unwrap_or_default();
            input.installed = details.installed()?;
            if let Some(c) = details.criticality()? {
                input.criticality = c;
            }
            let a = assets::create(&tenant, &me, tag, &input, today)?;
            println!("asset {} created: {}", a.key, a.value.name);
        }
        AssetCmd::Edit {
            tag,
            name,
            kind,
            site: s,
            area,
            details,
            clear_installed,
        } => {
            let change = AssetEdit {
                name: name.clone(),
                kind: kind.clone(),
                site: s.clone(),
                area: area.clone(),
                location: details.location.clone(),
                make: details.make.clone(),
                model: details.model.clone(),
                serial: details.serial.clone(),
                installed: if *clear_installed {
                    Some(None)
                } else {
                    details.installed()?.map(Some)
                },
                criticality: details.criticality()?,
                notes: details.notes.clone(),
            };
            let before = assets::get(&tenant, tag)?.version;
            let a = assets::edit(&tenant, &me, tag, None, &change, today)?;
            if a.version == before {
                println!("asset {}: nothing to change", a.key);
            } else {
                println!("asset {} saved (version {})", a.key, a.version);
            }
        }
        AssetCmd::Retire { tag } => {
            let a = assets::set_active(&tenant, &me, tag, false)?;
            println!("asset {} retired (kept with its history)", a.key);
        }
        AssetCmd::Reinstate { tag } => {
            let a = assets::set_active(&tenant, &me, tag, true)?;
            println!("asset {} back in service", a.key);
        }
        AssetCmd::List {
            site: s,
            area,
            all,
            json,
        } => {
            require(&tenant, &me, Permission::Read)?;
            let contains = |f: &Option<String>, v: &str| {
                f.as_deref().is_none_or(|f| {
                    opsdeck_storage::text::fold(v).contains(&opsdeck_storage::text::fold(f))
                })
            };
            let shown: Vec<Asset> = assets::list(&tenant)?
                .into_iter()
                .filter(|a| (*all || a.active) && contains(s, &a.site) && contains(area, &a.area))
                .collect();
            if *json {
                let out: Vec<_> = shown.iter().map(asset_json).collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
                return Ok(());
            }
            if shown.is_empty() {
                println!("no assets in tenant '{}'", tc.name());
                return Ok(());
            }
            for site in assets::group(shown) {
                println!("{}", site.site);
                let n = site.areas.len();
                for (i, area) in site.areas.iter().enumerate() {
                    let (branch, stem) = if i + 1 == n {
                        ("└─", "   ")
                    } else {
                        ("├─", "│  ")
                    };
                    println!("{branch} {} ({})", area.area, area.assets.len());
                    for a in &area.assets {
                        println!("{stem}  {}", line(a));
                    }
                }
            }
        }
        AssetCmd::Show { tag, json } => {
            require(&tenant, &me, Permission::Read)?;
            show(&tenant, tag, now, *json, tc.zone(), cli.locale(Some(&site)))?;
        }
        AssetCmd::Find { text } => {
            require(&tenant, &me, Permission::Read)?;
            let found = assets::lookup(&tenant, &text.join(" "))?;
            if found.is_empty() {
                bail!("no asset matches '{}'", text.join(" "));
            }
            for a in &found {
                println!("{}", line(a));
            }
        }
        AssetCmd::Qr { tag } => {
            require(&tenant, &me, Permission::Read)?;
            let a = assets::get(&tenant, tag)?.value;
            let text = Asset::qr_text(tc.name(), &a.tag);
            print!("{}", assets::qr_unicode(&text)?);
            println!();
            println!("{} · {}", a.tag, a.name);
            println!("{} / {}", a.site, a.area);
            println!("{text}");
        }
        AssetCmd::Label { tags, all, out } => {
            require(&tenant, &me, Permission::Read)?;
            let chosen: Vec<Asset> = if *all {
                assets::tree(&tenant)?
                    .into_iter()
                    .flat_map(|s| s.areas)
                    .flat_map(|a| a.assets)
                    .collect()
            } else {
                tags.iter()
                    .map(|t| assets::get(&tenant, t).map(|a| a.value))
                    .collect::<Result<_>>()?
            };
            if chosen.is_empty() {
                bail!("no active assets in tenant '{}' to label", tc.name());
            }
            let pages = assets::label_pages_svg(tc.name(), &chosen)?;
            let files = assets::label_files(out, pages.len());
            for (file, page) in files.iter().zip(&pages) {
                std::fs::write(file, page)
                    .with_context(|| format!("writing {}", file.display()))?;
            }
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            println!(
                "{} label(s) on {} A4 sheet(s): {} (print at 100 % scale)",
                chosen.len(),
                pages.len(),
                names.join(", ")
            );
        }
        AssetCmd::Link { tag, device } => {
            let a = assets::link_sensor(&tenant, &me, tag, device)?;
            println!(
                "device {} linked to asset {} (sensors: {})",
                device.trim(),
                a.key,
                a.value.sensors.join(", ")
            );
        }
        AssetCmd::Unlink { tag, device } => {
            let a = assets::unlink_sensor(&tenant, &me, tag, device)?;
            println!("device {} unlinked from asset {}", device.trim(), a.key);
        }
        AssetCmd::Import { file } => {
            let label = file.display().to_string();
            let data = std::fs::read(file).with_context(|| format!("reading {label}"))?;
            match assets::import(&tenant, &me, &label, &data, today)? {
                Ok(r) => println!(
                    "{label}: {} created, {} updated, {} unchanged, {} sensor link(s)",
                    r.created, r.updated, r.unchanged, r.links
                ),
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    bail!("{label}: {} problem(s), nothing imported", errors.len());
                }
            }
        }
    }
    Ok(())
}

/// "CH-01  Chiller 1 (chiller, critical)", retired ones marked.
fn line(a: &Asset) -> String {
    format!(
        "{:<14} {} ({}, {}){}",
        a.tag,
        a.name,
        a.kind,
        a.criticality,
        if a.active { "" } else { " [retired]" }
    )
}

fn asset_json(a: &Asset) -> serde_json::Value {
    json!({
        "tag": a.tag,
        "name": a.name,
        "kind": a.kind,
        "site": a.site,
        "area": a.area,
        "location": a.location,
        "make": a.make,
        "model": a.model,
        "serial": a.serial,
        "installed": a.installed.map(|d| d.to_string()),
        "criticality": a.criticality.as_str(),
        "sensors": a.sensors,
        "active": a.active,
        "notes": a.notes,
    })
}

fn show(
    tenant: &opsdeck_storage::Tenant,
    tag: &str,
    now: Timestamp,
    json: bool,
    tz: jiff::tz::TimeZone,
    loc: opsdeck_views::i18n::Locale,
) -> Result<()> {
    let s = assets::summary(tenant, tag, now)?;
    let a = &s.asset.value;
    if json {
        let order = |o: &opsdeck_storage::records::work_order::WorkOrder| {
            json!({
                "id": o.id,
                "title": o.title,
                "kind": o.kind.as_str(),
                "status": o.status.as_str(),
                "priority": o.priority.as_str(),
                "cost": o.cost().to_string(),
                "created_at": o.created_at.to_string(),
                "closed_at": o.closed_at().map(|t| t.to_string()),
            })
        };
        let out = json!({
            "asset": asset_json(a),
            "qr_text": Asset::qr_text(tenant.name(), &a.tag),
            "sensors": s.sensors.iter().map(|l| json!({
                "device": l.device, "name": l.name, "registered": l.registered,
            })).collect::<Vec<_>>(),
            "open_orders": s.open_orders.iter().map(order).collect::<Vec<_>>(),
            "past_orders": s.past_orders.iter().map(order).collect::<Vec<_>>(),
            "total_cost": s.total_cost.to_string(),
            "downtime_secs": s.downtime.as_secs(),
            "down_since": s.down_since.map(|t| t.to_string()),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let local = |t: Timestamp| {
        t.to_zoned(tz.clone())
            .strftime("%d/%m/%Y %H:%M")
            .to_string()
    };
    println!(
        "{} · {}{}",
        a.tag,
        a.name,
        if a.active { "" } else { " [retired]" }
    );
    println!("  kind:        {}", a.kind);
    println!("  criticality: {}", a.criticality);
    println!("  site / area: {} / {}", a.site, a.area);
    for (k, v) in [
        ("location", &a.location),
        ("make", &a.make),
        ("model", &a.model),
        ("serial", &a.serial),
        ("notes", &a.notes),
    ] {
        if !v.is_empty() {
            println!("  {:<12} {v}", format!("{k}:"));
        }
    }
    if let Some(d) = a.installed {
        println!("  installed:   {}", d.strftime("%d/%m/%Y"));
    }
    println!("  label:       {}", Asset::qr_text(tenant.name(), &a.tag));
    if s.sensors.is_empty() {
        println!("sensors: none");
    } else {
        println!("sensors:");
        for l in &s.sensors {
            let note = if l.registered {
                ""
            } else {
                " (no reading yet)"
            };
            println!("  {:<10} {}{note}", l.device, l.name);
        }
    }
    println!("open work orders: {}", s.open_orders.len());
    for o in &s.open_orders {
        println!(
            "  #{:<6} {:<12} {:<8} {}",
            o.id,
            o.status.as_str(),
            o.priority.as_str(),
            o.title
        );
    }
    println!("past work orders: {}", s.past_orders.len());
    for o in s.past_orders.iter().take(20) {
        println!(
            "  #{:<6} {:<10} {} {:>14}  {}",
            o.id,
            o.status.as_str(),
            o.closed_at().map(local).unwrap_or_default(),
            loc.money(o.cost()),
            o.title
        );
    }
    if s.past_orders.len() > 20 {
        println!("  ... and {} more", s.past_orders.len() - 20);
    }
    println!("total cost (done orders): {}", loc.money(s.total_cost));
    match s.down_since {
        Some(t) => println!("downtime: {} (DOWN since {})", span(s.downtime), local(t)),
        None => println!("downtime: {}", span(s.downtime)),
    }
    Ok(())
}
