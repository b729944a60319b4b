//! `opsdeck stock`: the spare-parts inventory for scripts and the storeroom: items, receiving,
//! count adjustments, the list with below-minimum flags and an item's movements. Decimals
//! accept "12,5" as well as "12.5".

use anyhow::{Result, bail};
use clap::Subcommand;
use opsdeck_storage::records::inventory::Item;
use opsdeck_views::i18n::Locale;
use serde_json::json;

use super::Cli;
use super::wo::parse_decimal;
use crate::domain::access::{Permission, require};
use crate::domain::cmms::inventory::{self, ItemInput};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum StockCmd {
    /// Create an item, or change the given fields of an existing one (supervisor, admin)
    Item {
        code: String,
        #[arg(long)]
        name: Option<String>,
        /// un, m, kg, L ...
        #[arg(long)]
        unit: Option<String>,
        /// Unit cost, R$
        #[arg(long)]
        cost: Option<String>,
        /// Minimum stock over all locations (below it the item is flagged)
        #[arg(long)]
        min: Option<String>,
    },
    /// Receive QTY of CODE at a location; --cost re-averages the unit cost
    Receive {
        code: String,
        qty: String,
        #[arg(long)]
        location: String,
        #[arg(long)]
        cost: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Correct the count of CODE at a location by QTY (e.g. -2), with the reason
    /// (supervisor, admin)
    Adjust {
        code: String,
        #[arg(allow_hyphen_values = true)]
        qty: String,
        #[arg(long)]
        location: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Items with stock on hand, minimum and a flag when below it
    List {
        /// Only items below their minimum
        #[arg(long)]
        below_min: bool,
        #[arg(long)]
        json: bool,
    },
    /// The movements of one item, oldest first
    Moves {
        code: String,
        #[arg(long)]
        json: bool,
    },
}

fn item_line(i: &Item, loc: Locale) -> String {
    let flag = if i.below_minimum() { " BELOW MIN" } else { "" };
    format!(
        "{} · {} · {} {} on hand (min {}) · {}/{}{flag}",
        i.code,
        i.name,
        loc.quantity(i.on_hand()),
        i.unit,
        loc.quantity(i.min_stock),
        loc.money(i.unit_cost),
        i.unit
    )
}

pub fn run(cli: &Cli, c: &StockCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    let t = &tenant;
    let tz = tc.zone();
    let loc = cli.locale(Some(&site));
    match c {
        StockCmd::Item {
            code,
            name,
            unit,
            cost,
            min,
        } => {
            let cost = cost
                .as_deref()
                .map(|c| parse_decimal("cost", c))
                .transpose()?;
            let min = min
                .as_deref()
                .map(|m| parse_decimal("min", m))
                .transpose()?;
            let current = t.get::<Item>(code.trim())?;
            let (input, version) = match current {
                Some(cur) => (
                    ItemInput {
                        code: cur.value.code.clone(),
                        name: name.clone().unwrap_or(cur.value.name),
                        unit: unit.clone().unwrap_or(cur.value.unit),
                        unit_cost: cost.unwrap_or(cur.value.unit_cost),
                        min_stock: min.unwrap_or(cur.value.min_stock),
                    },
                    Some(cur.version),
                ),
                None => {
                    let missing: Vec<&str> = [
                        ("--name", name.is_none()),
                        ("--unit", unit.is_none()),
                        ("--cost", cost.is_none()),
                    ]
                    .into_iter()
                    .filter(|(_, m)| *m)
                    .map(|(f, _)| f)
                    .collect();
                    if !missing.is_empty() {
                        bail!(
                            "there is no item '{}' yet; to create it give {}",
                            code.trim(),
                            missing.join(", ")
                        );
                    }
                    (
                        ItemInput {
                            code: code.clone(),
                            name: name.clone().unwrap_or_default(),
                            unit: unit.clone().unwrap_or_default(),
                            unit_cost: cost.unwrap_or_default(),
                            min_stock: min.unwrap_or_default(),
                        },
                        None,
                    )
                }
            };
            let saved = inventory::save_item(t, &me, input, version)?;
            println!("{}", item_line(&saved.value, loc));
        }
        StockCmd::Receive {
            code,
            qty,
            location,
            cost,
            note,
        } => {
            let qty = parse_decimal("qty", qty)?;
            let cost = cost
                .as_deref()
                .map(|c| parse_decimal("cost", c))
                .transpose()?;
            let m = inventory::receive(t, &me, code, location, qty, cost, note)?;
            println!(
                "movement {}: received {} {} at {}",
                m.id,
                loc.quantity(qty),
                m.item,
                m.location
            );
            println!("{}", item_line(&inventory::get(t, code)?.value, loc));
        }
        StockCmd::Adjust {
            code,
            qty,
            location,
            reason,
        } => {
            let qty = parse_decimal("qty", qty)?;
            let m = inventory::adjust(t, &me, code, location, qty, reason)?;
            println!(
                "movement {}: adjusted {} by {} at {}",
                m.id,
                m.item,
                loc.quantity(qty),
                m.location
            );
            println!("{}", item_line(&inventory::get(t, code)?.value, loc));
        }
        StockCmd::List { below_min, json } => {
            require(t, &me, Permission::Read)?;
            let items = inventory::list(t, *below_min)?;
            if *json {
                let rows: Vec<_> = items
                    .iter()
                    .map(|i| {
                        let v = &i.value;
                        json!({
                            "code": v.code,
                            "name": v.name,
                            "unit": v.unit,
                            "unit_cost": v.unit_cost.to_string(),
                            "min_stock": v.min_stock.to_string(),
                            "on_hand": v.on_hand().to_string(),
                            "stock": v.stock.iter().map(|(l, q)| (l.clone(), q.to_string())).collect::<std::collections::BTreeMap<_, _>>(),
                            "below_min": v.below_minimum(),
                            "active": v.active,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!("code\tname\tunit\ton_hand\tmin\tunit_cost\tflag\tlocations");
                for i in items {
                    let v = &i.value;
                    let places: Vec<String> = v
                        .stock
                        .iter()
                        .map(|(l, q)| format!("{l}: {}", loc.quantity(*q)))
                        .collect();
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        v.code,
                        v.name,
                        v.unit,
                        loc.quantity(v.on_hand()),
                        loc.quantity(v.min_stock),
                        loc.money(v.unit_cost),
                        if v.below_minimum() { "BELOW MIN" } else { "ok" },
                        places.join("; ")
                    );
                }
            }
        }
        StockCmd::Moves { code, json } => {
            require(t, &me, Permission::Read)?;
            inventory::get(t, code)?;
            let moves = inventory::movements(t, code)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&moves)?);
            } else {
                println!("id\ttime\tkind\tqty\tunit_cost\tlocation\twork_order\tby\tnote");
                for m in moves {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        m.id,
                        m.at.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M"),
                        m.kind,
                        loc.quantity(m.qty),
                        loc.money(m.unit_cost),
                        m.location,
                        m.work_order
                            .map(|w| w.to_string())
                            .unwrap_or_else(|| "-".into()),
                        m.by,
                        m.note
                    );
                }
            }
        }
    }
    Ok(())
}
