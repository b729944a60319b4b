//! `opsdeck ledger`: the period grid, entries, manual postings, budget lines and their import,
//! cost centers and categories, the gas tariff and invoices, close readiness and the close,
//! and exports (XLSX with formulas, CSV).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use opsdeck_storage::locale::Locale;
use opsdeck_storage::records::ledger::{CcKind, CostCenter, Month, Phase};
use rust_decimal::Decimal;

use super::Cli;
use crate::domain::ledger::budget::{self, LineInput};
use crate::domain::ledger::grid::{self, Grid};
use crate::domain::ledger::manual::{self, ManualInput};
use crate::domain::ledger::{LedgerAction, centers, consumer, gas, periods};
use crate::domain::service::require;
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum LedgerCmd {
    /// The period grid: planned, committed, realized, savings and available per cost center
    Grid {
        /// 2026-10 (month), 2026-Q4 (quarter), 2026 (year) or 2026-10:ytd
        period: String,
    },
    /// Entries of a period, oldest first (optionally one cost center's subtree and a category)
    Entries {
        period: String,
        #[arg(long)]
        cost_center: Option<String>,
        #[arg(long)]
        category: Option<String>,
        /// CSV on stdout instead of a table
        #[arg(long)]
        csv: bool,
    },
    /// Post by hand (finance): commit, realize, release, savings or adjust
    Post {
        #[arg(long)]
        phase: Phase,
        /// The day it happened, YYYY-MM-DD (an adjustment lands in the first open month)
        #[arg(long)]
        date: jiff::civil::Date,
        #[arg(long)]
        cost_center: String,
        #[arg(long)]
        category: String,
        /// R$ (e.g. 1234.56); a release takes what is left of the commitment
        #[arg(long, default_value = "0")]
        amount: Decimal,
        #[arg(long)]
        description: String,
        /// Required for savings and adjustments
        #[arg(long, default_value = "")]
        reason: String,
        /// A document or evidence for a saving
        #[arg(long, default_value = "")]
        evidence: String,
        /// The commitment's source key (a realization or release against it)
        #[arg(long)]
        against: Option<String>,
        /// An adjustment: the entry key it corrects
        #[arg(long)]
        corrects: Option<String>,
    },
    /// Budget lines: set one, or import a CSV/XLSX file (all rows or none)
    #[command(subcommand)]
    Budget(BudgetCmd),
    /// Cost centers (a tree) and what other panes' postings they cover
    #[command(subcommand)]
    CostCenter(CostCenterCmd),
    /// Add a category of the tenant's own
    Category { code: String, name: String },
    /// A procedure's standard cost in R$: orders made with it get it as their estimate
    /// (committed when they start); --none clears it
    StandardCost {
        procedure: String,
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        amount: Option<Decimal>,
        #[arg(long)]
        none: bool,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// What is still open in a month before it closes
    Readiness { month: Month },
    /// Close a month: its totals are sealed (digest in the audit chain); with open issues only
    /// with --override and its reason
    Close {
        month: Month,
        #[arg(long = "override")]
        override_reason: Option<String>,
    },
    /// Recompute a closed month's digest and compare it with the sealed one
    Verify { month: Month },
    /// Post what the outbox brought now (the site service does it every second)
    Sync,
    /// The gas tariff (R$/m³) from a date on
    Tariff {
        #[arg(long)]
        from: jiff::civil::Date,
        #[arg(long)]
        price: Decimal,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Key a month's gas supply invoice for a unit: realized, the estimates released
    GasInvoice {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        month: Month,
        #[arg(long)]
        number: String,
        #[arg(long)]
        volume: Decimal,
        #[arg(long)]
        amount: Decimal,
    },
    /// Write the period's grid and entries: Orcamento_<tenant>_<from>[_<to>].xlsx (with
    /// formulas), or two CSVs
    Export {
        period: String,
        /// Directory to write into [default: the current one]
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BudgetCmd {
    Set {
        #[arg(long)]
        month: Month,
        #[arg(long)]
        cost_center: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        planned: Decimal,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A CSV or XLSX: one line per row (month, cost center, category, planned) or one column
    /// per month
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum CostCenterCmd {
    /// Create or change one
    Set {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        parent: Option<String>,
        #[arg(long, default_value = "area")]
        kind: CcKind,
        /// What it covers: site:NAME, area:SITE/AREA, gas:UNIT, fleet:NAME (repeatable)
        #[arg(long)]
        covers: Vec<String>,
    },
    /// The tree
    List,
}

fn range_of(period: &str) -> Result<(Month, Month)> {
    let (size, anchor) = grid::parse_period(period).map_err(anyhow::Error::msg)?;
    Ok(grid::range(size, anchor))
}

pub fn run(cli: &Cli, c: &LedgerCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let tz = tc.zone();
    let me = os_user();
    let today = crate::clock::now().to_zoned(tz.clone()).date();
    let l = Locale::En;
    match c {
        LedgerCmd::Grid { period } => {
            require(&tenant, &me, LedgerAction::View)?;
            let (from, to) = range_of(period)?;
            print_grid(&grid::grid(&tenant, from, to)?, l);
        }
        LedgerCmd::Entries {
            period,
            cost_center,
            category,
            csv,
        } => {
            require(&tenant, &me, LedgerAction::View)?;
            let (from, to) = range_of(period)?;
            let ccs = match cost_center {
                Some(cc) => Some(grid::subtree(&tenant, cc)?),
                None => None,
            };
            let list = grid::entries(&tenant, from, to, ccs.as_deref(), category.as_deref())?;
            if *csv {
                crate::report::ledger::write_entries_csv(
                    std::io::stdout().lock(),
                    list.into_iter().map(|e| Ok(e.value)),
                )?;
            } else {
                for e in list {
                    let v = e.value;
                    let late = v
                        .original_month
                        .map(|m| format!(" (late, for {m})"))
                        .unwrap_or_default();
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}{late}\t{}\t{}",
                        e.key,
                        v.date,
                        v.cost_center,
                        v.category,
                        v.phase,
                        l.money(v.amount),
                        v.source,
                        v.description,
                        v.by
                    );
                }
            }
        }
        LedgerCmd::Post {
            phase,
            date,
            cost_center,
            category,
            amount,
            description,
            reason,
            evidence,
            against,
            corrects,
        } => {
            let written = manual::post(
                &tenant,
                &me,
                ManualInput {
                    phase: *phase,
                    date: *date,
                    cost_center: cost_center.clone(),
                    category: category.clone(),
                    amount: *amount,
                    description: description.clone(),
                    reason: reason.clone(),
                    evidence: evidence.clone(),
                    against: against.clone(),
                    corrects: corrects.clone(),
                },
            )
            .context("ledger post")?;
            for e in written {
                let late = e
                    .value
                    .original_month
                    .map(|m| format!(", for {m}"))
                    .unwrap_or_default();
                println!(
                    "posted {} ({} {} in {}{late})",
                    e.key,
                    e.value.phase,
                    l.money(e.value.amount),
                    e.value.month
                );
            }
        }
        LedgerCmd::Budget(BudgetCmd::Set {
            month,
            cost_center,
            category,
            planned,
            note,
        }) => {
            let r = budget::set_line(
                &tenant,
                &me,
                LineInput {
                    month: *month,
                    cost_center: cost_center.clone(),
                    category: category.clone(),
                    planned: *planned,
                    note: note.clone(),
                },
            )
            .context("ledger budget set")?;
            match r {
                Some(v) => println!("{}: planned {}", v.key, l.money(v.value.planned)),
                None => println!("unchanged"),
            }
        }
        LedgerCmd::Budget(BudgetCmd::Import { file }) => {
            let label = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.display().to_string());
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let parsed = opsdeck_import::budget::read(&label, &bytes);
            if !parsed.errors.is_empty() {
                for e in &parsed.errors {
                    eprintln!("{e}");
                }
                bail!(
                    "{label}: {} bad rows, nothing imported",
                    parsed.errors.len()
                );
            }
            let lines: Vec<(u64, LineInput)> = parsed
                .records
                .into_iter()
                .map(|(row, r)| {
                    (
                        row,
                        LineInput {
                            month: r.month,
                            cost_center: r.cost_center,
                            category: r.category,
                            planned: r.planned,
                            note: r.note,
                        },
                    )
                })
                .collect();
            let r = budget::import(&tenant, &me, &lines)?;
            if !r.bad.is_empty() {
                for b in &r.bad {
                    eprintln!("{label}: row {}, {}", b.row, b.error);
                }
                bail!("{label}: {} bad rows, nothing imported", r.bad.len());
            }
            println!(
                "{label}: {} budget lines written, {} unchanged",
                r.written, r.unchanged
            );
        }
        LedgerCmd::CostCenter(CostCenterCmd::Set {
            code,
            name,
            parent,
            kind,
            covers,
        }) => {
            let v = centers::set_cost_center(
                &tenant,
                &me,
                CostCenter {
                    code: code.clone(),
                    name: name.clone(),
                    parent: parent.clone(),
                    kind: *kind,
                    covers: covers.clone(),
                    active: true,
                },
            )?;
            println!("{} {} (version {})", v.key, v.value.name, v.version);
        }
        LedgerCmd::CostCenter(CostCenterCmd::List) => {
            require(&tenant, &me, LedgerAction::View)?;
            for (c, depth) in centers::tree(&tenant)? {
                println!(
                    "{}{}\t{}\t{}\t{}",
                    "  ".repeat(depth),
                    c.code,
                    c.name,
                    c.kind,
                    c.covers.join(" ")
                );
            }
        }
        LedgerCmd::StandardCost {
            procedure,
            amount,
            none,
            note,
        } => {
            let amount = if *none { None } else { *amount };
            match centers::set_standard_cost(&tenant, &me, procedure, amount, note)? {
                Some(v) => println!(
                    "{procedure}: standard cost {} (orders made with it get it as their estimate)",
                    l.money(v.value.amount)
                ),
                None => println!("{procedure}: no standard cost"),
            }
        }
        LedgerCmd::Category { code, name } => {
            let v = centers::add_category(&tenant, &me, code, name)?;
            println!("{} {}", v.key, v.value.name);
        }
        LedgerCmd::Readiness { month } => {
            require(&tenant, &me, LedgerAction::View)?;
            let issues = periods::readiness(&tenant, *month, &tz, today)?;
            if issues.is_empty() {
                println!("{month}: ready to close");
            }
            for i in issues {
                println!("{i}");
            }
        }
        LedgerCmd::Close {
            month,
            override_reason,
        } => {
            let v = periods::close(
                &tenant,
                &me,
                *month,
                &tz,
                today,
                override_reason.as_deref().unwrap_or(""),
            )
            .context("ledger close")?;
            println!(
                "{month} closed: {} entries, digest {}",
                v.value.entries, v.value.digest
            );
        }
        LedgerCmd::Verify { month } => {
            require(&tenant, &me, LedgerAction::View)?;
            match periods::problems(&tenant, *month)? {
                None => bail!("{month} is not closed"),
                Some(p) if p.is_empty() => println!(
                    "{month}: intact (its entries and plan give the sealed digest, which is in the audit chain; the grid's sums are the entries')"
                ),
                Some(p) => bail!("{month}: {}", p.join("; ")),
            }
        }
        LedgerCmd::Sync => {
            require(&tenant, &me, LedgerAction::Post)?;
            let r = consumer::run(&tenant, &tz)?;
            println!(
                "{} events: {} entries, {} replays, {} conflicts, {} refused",
                r.events, r.entries, r.replays, r.conflicts, r.invalid
            );
        }
        LedgerCmd::Tariff { from, price, note } => {
            let v = gas::set_tariff(&tenant, &me, *from, *price, note)?;
            println!(
                "gas tariff from {}: R$ {}/m³",
                v.value.from, v.value.price_per_m3
            );
        }
        LedgerCmd::GasInvoice {
            unit,
            month,
            number,
            volume,
            amount,
        } => {
            let (estimated, invoiced) =
                gas::set_invoice(&tenant, &me, unit, *month, number, *volume, *amount)?;
            println!(
                "{unit} {month}: invoiced {}, estimated {}, difference {}",
                l.money(invoiced),
                l.money(estimated),
                l.money(invoiced - estimated)
            );
        }
        LedgerCmd::Export { period, out, csv } => {
            require(&tenant, &me, LedgerAction::View)?;
            let (from, to) = range_of(period)?;
            let dir = out.clone().unwrap_or_else(|| PathBuf::from("."));
            for p in crate::report::ledger::export(&tenant, &me, from, to, &dir, *csv)? {
                println!("{}", p.display());
            }
        }
    }
    Ok(())
}

/// The grid as a table: one line per cost center (indented), then the total.
fn print_grid(g: &Grid, l: Locale) {
    println!(
        "{} .. {}\t{:>16}\t{:>16}\t{:>16}\t{:>16}\t{:>16}\t{:>8}",
        g.from, g.to, "planned", "committed", "realized", "savings", "available", "used"
    );
    let line = |name: String, f: &grid::Figures| {
        println!(
            "{name}\t{:>16}\t{:>16}\t{:>16}\t{:>16}\t{:>16}\t{:>8}",
            l.money(f.planned),
            l.money(f.committed),
            l.money(f.realized),
            l.money(f.savings),
            l.money(f.available()),
            f.consumed_pct()
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "-".into())
        );
    };
    for r in &g.rows {
        line(
            format!("{}{} {}", "  ".repeat(r.depth), r.code, r.name),
            &r.total,
        );
    }
    line("TOTAL".into(), &g.total);
}
