//! `opsdeck bench ledger`: the Ledger pane's grid over a large ledger, and the consumer's
//! posting throughput. A scratch site of a hospital network (`--sites` hospitals of 20 areas
//! each, six categories, a budget line per month and cell) lives twelve months: each month the
//! panes post about `--entries`/12 entries' worth the way they do (`ledger.posting` events in
//! the outbox: order estimates committed, cost lines realized against them, the rest released,
//! bills, savings), the real consumer posts them, and finance closes the month before last.
//! Then the whole outbox is replayed (nothing may change) and the pane's loads are timed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use opsdeck_storage::records::ledger::{CcKind, CostCenter, Month, Phase, SourceLink};
use rust_decimal::Decimal;

use crate::domain::ledger::budget::{self, LineInput};
use crate::domain::ledger::posting::{self, Posting};
use crate::domain::ledger::{centers, consumer, periods};
use crate::site::init::{self, InitOptions};
use crate::site::paths::SiteDir;
use opsdeck_storage::locale::Locale;

#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// Ledger entries added (realizations against commitments write two)
    #[arg(long, default_value_t = 100_000)]
    pub entries: usize,
    /// Hospitals of 20 areas each (the cost centers postings spread over)
    #[arg(long, default_value_t = 10)]
    pub sites: usize,
    /// Timed runs of each load (the median is printed)
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Where the scratch site goes [default: the system temp dir]
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

const TENANT: &str = "rede";
/// Events emitted per transaction (a busy site's outbox fills this way, many writers).
const EMIT_BATCH: usize = 1000;
const CATEGORIES: [&str; 6] = ["labor", "parts", "services", "energy", "fuel", "other"];

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A small deterministic generator (the same load on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

pub fn run(a: &LedgerArgs) -> Result<()> {
    let root = a.dir.clone().unwrap_or_else(std::env::temp_dir);
    let scratch = Scratch(root.join(format!("opsdeck-bench-ledger-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)
        .with_context(|| format!("creating {}", scratch.0.display()))?;
    let site = init::init(
        &SiteDir::new(&scratch.0),
        &InitOptions {
            site_name: "Bench".into(),
            tenant: TENANT.into(),
            display_name: "Rede de hospitais (bench)".into(),
            time_zone: "America/Sao_Paulo".into(),
            locale: Locale::PtBr,
            group: None,
            owner: None,
        },
    )?;
    let (t, _) = site.tenant(TENANT)?;
    let tz = site.tenant_config(Some(TENANT))?.zone();
    let me = crate::site::access::os_user();

    // The network's cost centers: `--sites` hospitals of 20 areas each.
    let mut leaves: Vec<String> = Vec::new();
    for s in 0..a.sites {
        let site_code = format!("H{s:02}");
        centers::set_cost_center(
            &t,
            &me,
            center(&site_code, &format!("Hospital {s}"), None, CcKind::Site),
        )?;
        for area in 0..20 {
            let code = format!("{site_code}-A{area:02}");
            centers::set_cost_center(
                &t,
                &me,
                center(
                    &code,
                    &format!("Área {area} do hospital {s}"),
                    Some(&site_code),
                    CcKind::Area,
                ),
            )?;
            leaves.push(code);
        }
    }
    // The last twelve months, this one included; a budget line per cell.
    let today = crate::clock::now_in(&tz).date();
    let this = Month::of(today);
    let mut months = vec![this];
    while months.len() < 12 {
        let first = months[0].prev();
        months.insert(0, first);
    }
    let mut lines = Vec::new();
    for (i, m) in months.iter().enumerate() {
        for (j, cc) in leaves.iter().enumerate() {
            for (k, cat) in CATEGORIES.iter().enumerate() {
                let row = ((i * leaves.len() + j) * CATEGORIES.len() + k) as u64 + 2;
                lines.push((
                    row,
                    LineInput {
                        month: *m,
                        cost_center: cc.clone(),
                        category: (*cat).into(),
                        planned: Decimal::from(20_000 + (j as i64 % 7) * 5_000),
                        note: String::new(),
                    },
                ));
            }
        }
    }
    budget::import(&t, &me, &lines)?;
    println!(
        "{} cost centers, {} budget lines over {}..{}",
        centers::tree(&t)?.len(),
        lines.len(),
        months[0],
        this
    );

    // Month by month, the way a site lives: the panes post (events in the outbox), the
    // consumer posts them, finance closes the month before last.
    let mut rng = Lcg(0x5eed);
    let per_month = a.entries.div_ceil(months.len());
    let (mut emit_time, mut post_time) = (0f64, 0f64);
    let (mut events, mut postings, mut entries) = (0usize, 0usize, 0usize);
    let mut n = 0u64;
    for (i, m) in months.iter().enumerate() {
        let mut open: Vec<(String, String, String, Decimal)> = Vec::new();
        let mut expected = 0usize;
        let mut batch: Vec<Posting> = Vec::new();
        while expected < per_month {
            n += 1;
            let day = m
                .first_day()
                .checked_add(jiff::Span::new().days(rng.next(28) as i64))?;
            let cc = leaves[rng.next(leaves.len() as u64) as usize].clone();
            let cat = CATEGORIES[rng.next(CATEGORIES.len() as u64) as usize];
            let amount = Decimal::new(5_000 + rng.next(2_000_000) as i64, 2);
            let roll = rng.next(100);
            let mut p = if roll < 30 || open.is_empty() {
                // An order's estimate, committed when it starts.
                let mut p = Posting::new(format!("bench:{n}:commit"), Phase::Commit, cat, amount);
                p.cost_center = Some(cc.clone());
                open.push((p.source.clone(), cc, cat.to_owned(), amount));
                expected += 1;
                p
            } else if roll < 75 {
                // A cost line of it, realized against it (and the part of it consumed).
                let k = rng.next(open.len() as u64) as usize;
                let (src, occ, ocat, left) = open[k].clone();
                let part = (amount * Decimal::new(20 + rng.next(50) as i64, 2)).round_dp(2);
                // It consumes what is left of the estimate, up to its amount.
                let take = part.min(left);
                open[k].3 -= take;
                let mut p = Posting::new(format!("bench:{n}:realize"), Phase::Realize, &ocat, part);
                p.against = Some(src);
                p.cost_center = Some(occ);
                expected += if take > Decimal::ZERO { 2 } else { 1 };
                p
            } else if roll < 85 {
                // The order closes: what is left is released.
                let k = rng.next(open.len() as u64) as usize;
                let (src, occ, ocat, left) = open.swap_remove(k);
                let mut p = Posting::new(
                    format!("bench:{n}:release"),
                    Phase::Release,
                    &ocat,
                    Decimal::ZERO,
                );
                p.against = Some(src);
                p.cost_center = Some(occ);
                expected += usize::from(left > Decimal::ZERO);
                p
            } else if roll < 96 {
                // A bill (energy, a contract).
                let mut p = Posting::new(format!("bench:{n}:bill"), Phase::Realize, cat, amount);
                p.cost_center = Some(cc);
                expected += 1;
                p
            } else {
                let mut p = Posting::new(format!("bench:{n}:saving"), Phase::Savings, cat, amount);
                p.cost_center = Some(cc);
                p.reason = "negociado".into();
                expected += 1;
                p
            };
            p.date = day;
            p.description = format!("Lançamento de bench {n}");
            p.link = SourceLink::Record {
                kind: "bench".into(),
                key: n.to_string(),
            };
            batch.push(p);
        }
        let started = Instant::now();
        for chunk in batch.chunks(EMIT_BATCH) {
            t.write(&me, |tx| {
                for p in chunk {
                    posting::emit(tx, "bench", &p.source, p)?;
                }
                Ok(())
            })?;
        }
        emit_time += started.elapsed().as_secs_f64();
        let started = Instant::now();
        let r = consumer::run(&t, &tz)?;
        post_time += started.elapsed().as_secs_f64();
        events += r.events;
        entries += r.entries;
        postings += batch.len();
        if i + 2 < months.len() {
            periods::close(&t, &me, *m, &tz, today, "bench: monthly close")?;
        }
    }
    println!(
        "{postings} postings emitted in {emit_time:.1} s ({EMIT_BATCH} per transaction); consumer: {entries} entries in {post_time:.1} s = {:.0} postings/s, {:.0} entries/s ({} events read, {} per transaction)",
        postings as f64 / post_time,
        entries as f64 / post_time,
        events,
        consumer::BATCH
    );
    let started = Instant::now();
    t.rewind(consumer::CONSUMER, 0)?;
    let again = consumer::run(&t, &tz)?;
    println!(
        "replay of the whole outbox: {} events, {} entries written, {} replays, {} conflicts in {:.1} s",
        again.events,
        again.entries,
        again.replays,
        again.conflicts,
        started.elapsed().as_secs_f64()
    );
    println!(
        "pane loads over {entries} entries, median of {} runs:",
        a.runs.max(1)
    );
    for (name, d) in crate::app::time_ledger_loads(&site, TENANT, &me, a.runs)? {
        println!("  {name:<44} {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
    let started = Instant::now();
    let issues = periods::readiness(&t, this.prev(), &tz, today)?;
    println!(
        "  {:<44} {:>8.1} ms",
        format!(
            "close readiness of {} ({} issues)",
            this.prev(),
            issues.len()
        ),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let closed = months[months.len() - 3];
    let started = Instant::now();
    let ok = periods::verify(&t, closed)?;
    println!(
        "  {:<44} {:>8.1} ms",
        format!(
            "verify the sealed digest of {closed} ({})",
            if ok == Some(true) { "intact" } else { "BROKEN" }
        ),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

fn center(code: &str, name: &str, parent: Option<&str>, kind: CcKind) -> CostCenter {
    CostCenter {
        code: code.into(),
        name: name.into(),
        parent: parent.map(str::to_owned),
        kind,
        covers: Vec::new(),
        active: true,
    }
}
