//! `opsdeck bench cmms`: how fast the Work-orders pane loads with a long history. A scratch copy
//! of the demo hospital gets N more closed orders (parts, labor, downtime on the failures) and as
//! many stock movements, spread over the past year, then the pane's loads are timed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use jiff::SignedDuration;
use opsdeck_storage::records::inventory::{Item, Movement, MovementKind};
use opsdeck_storage::records::work_order::{
    Downtime, LaborEntry, PartUse, Transition, WoKind, WoStatus, WorkOrder,
};
use rust_decimal::Decimal;

use crate::domain::cmms::work_orders::{NewOrder, create_in};
use crate::site::demo;
use crate::site::paths::SiteDir;

#[derive(Debug, Args)]
pub struct CmmsArgs {
    /// Closed orders added to the demo's history (and as many stock movements)
    #[arg(long, default_value_t = 5000)]
    pub orders: usize,
    /// Timed runs of each load (the median is printed)
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Where the scratch site goes [default: the system temp dir]
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

const TENANT: &str = "hospital";
/// Orders written per transaction.
const BATCH: usize = 500;

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn run(a: &CmmsArgs) -> Result<()> {
    let root = a.dir.clone().unwrap_or_else(std::env::temp_dir);
    let scratch = Scratch(root.join(format!("opsdeck-bench-cmms-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)
        .with_context(|| format!("creating {}", scratch.0.display()))?;
    let started = Instant::now();
    let site = demo::open_or_load(&SiteDir::new(&scratch.0))?;
    println!(
        "demo site loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (t, _) = site.tenant(TENANT)?;
    let assets: Vec<String> = t
        .list::<opsdeck_storage::records::asset::Asset>()?
        .into_iter()
        .map(|a| a.key)
        .collect();
    let items: Vec<(String, Decimal, String)> = t
        .list::<Item>()?
        .into_iter()
        .map(|i| {
            let loc = i.value.stock.keys().next().cloned().unwrap_or_default();
            (i.key, i.value.unit_cost, loc)
        })
        .collect();
    anyhow::ensure!(
        !assets.is_empty() && !items.is_empty(),
        "the demo has no assets or items"
    );
    let started = Instant::now();
    let now = crate::clock::now();
    let year = SignedDuration::from_hours(24 * 365);
    let mut written = 0;
    while written < a.orders {
        let n = BATCH.min(a.orders - written);
        t.write("bench", |tx| {
            for k in written..written + n {
                let created =
                    now - year + SignedDuration::from_secs((k as i64 * 6_151) % (365 * 86_400));
                let kind = match k % 10 {
                    0..=2 => WoKind::Corrective,
                    3 => WoKind::Request,
                    _ => WoKind::Preventive,
                };
                let asset = &assets[k % assets.len()];
                let new = NewOrder {
                    asset: Some(asset.clone()),
                    ..NewOrder::new(format!("Histórico {k} · {asset}"), kind)
                };
                let o = create_in(tx, new)?;
                let mut v: WorkOrder = o.value.clone();
                let (item, cost, loc) = &items[k % items.len()];
                let closed = created + SignedDuration::from_hours(4);
                v.created_at = created;
                v.status = WoStatus::Done;
                v.transitions = vec![Transition {
                    from: WoStatus::InProgress,
                    to: WoStatus::Done,
                    by: "bench".into(),
                    at: closed,
                    reason: String::new(),
                }];
                let movement = tx.next_id(<Movement as opsdeck_storage::Record>::KIND)?;
                tx.insert(
                    &Movement::key(movement),
                    Movement {
                        id: movement,
                        item: item.clone(),
                        location: loc.clone(),
                        kind: MovementKind::Issue,
                        qty: -Decimal::ONE,
                        unit_cost: *cost,
                        work_order: Some(v.id),
                        by: "bench".into(),
                        at: closed,
                        note: String::new(),
                    },
                )?;
                v.parts.push(PartUse {
                    item: item.clone(),
                    location: loc.clone(),
                    qty: Decimal::ONE,
                    unit_cost: *cost,
                    movement,
                });
                v.labor.push(LaborEntry {
                    technician: "bench".into(),
                    hours: Decimal::new(15, 1),
                    rate: Decimal::from(80),
                    note: String::new(),
                    by: "bench".into(),
                    at: closed,
                });
                if kind == WoKind::Corrective {
                    v.downtime.push(Downtime {
                        from: created,
                        to: Some(closed),
                    });
                }
                tx.update(&o.key, o.version, v)?;
            }
            Ok(())
        })?;
        written += n;
    }
    let total = t.list::<WorkOrder>()?.len();
    println!(
        "{} orders added in {:.1} s ({total} in all, {} stock movements)",
        a.orders,
        started.elapsed().as_secs_f64(),
        t.list::<Movement>()?.len()
    );
    println!("pane loads, median of {} runs:", a.runs.max(1));
    let me = crate::site::access::os_user();
    for (name, d) in crate::app::time_wo_loads(&site, TENANT, &me, a.runs)? {
        println!("  {name:<16} {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
    Ok(())
}
