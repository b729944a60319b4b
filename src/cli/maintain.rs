//! `opsdeck reindex` and `opsdeck check`.

use anyhow::{Result, bail};
use clap::Args;
use opsdeck_storage::audit::Verdict;
use opsdeck_storage::records::work_order::WorkOrder;
use opsdeck_storage::search::INDEXER;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::cmms::evidence;
use crate::site::access::os_user;
use crate::site::lock::ServicesLock;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also compact the database files (returns freed space; needs no other process attached)
    #[arg(long)]
    pub compact: bool,
}

pub fn reindex(cli: &Cli) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    require(&tenant, &os_user(), Permission::Maintain)?;
    // The services holder owns the index writer; rebuild only while nobody runs them.
    let Some(_lock) = ServicesLock::try_acquire(&site.dir.services_lock(), "reindex")? else {
        bail!(
            "the site services are running ({}); stop that process, then run reindex again",
            ServicesLock::holder(&site.dir.services_lock())
                .unwrap_or_else(|| "another process".into())
        );
    };
    let index = site.open_index(tc.name())?;
    let mut writer = index.writer()?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")?
            .progress_chars("=> "),
    );
    bar.set_message(format!("reindexing {}", tc.name()));
    let n = writer.rebuild(&tenant, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    tenant.write(&os_user(), |tx| {
        tx.audit("search.reindex", "search", &format!("{n} documents"));
        Ok(())
    })?;
    // index that audit entry too, so the index is complete when we return
    writer.catch_up(&tenant, usize::MAX)?;
    println!("reindexed tenant '{}': {n} documents", tc.name());
    Ok(())
}

pub fn check(cli: &Cli, a: &CheckArgs) -> Result<()> {
    let site = cli.open_site()?;
    let names: Vec<String> = match &cli.tenant {
        Some(t) => vec![site.tenant_config(Some(t))?.name().to_owned()],
        None => site.config.tenant_names(),
    };
    let me = os_user();
    let mut problems = 0;
    for name in names {
        println!("tenant '{name}':");
        let tenant = site.open_tenant(&name)?;
        require(&tenant, &me, Permission::VerifyAudit)?;
        // audit chain
        let report = tenant.audit_verify()?;
        match &report.verdict {
            Verdict::Intact => {
                println!("  audit chain: ok, {} entries, seal valid", report.entries)
            }
            Verdict::Broken { seq, reason } => {
                problems += 1;
                println!("  audit chain: BROKEN at entry {seq}: {reason}");
            }
        }
        // evidence files against the hashes their work orders recorded
        problems += check_evidence(&site, &tenant)?;
        // search index against the database
        let index = site.open_index(&name)?;
        index.reload()?;
        let head = tenant.outbox_head()?;
        let cursor = tenant.cursor(INDEXER)?;
        let rows = tenant.search_row_count()?;
        let docs = index.num_docs();
        if cursor < head {
            println!(
                "  search index: {} events not yet indexed (the indexer runs with the site services)",
                head - cursor
            );
        } else if docs != rows {
            problems += 1;
            println!(
                "  search index: {docs} documents but the database has {rows}; run `opsdeck reindex --tenant {name}`"
            );
        } else {
            println!("  search index: ok, {docs} documents");
        }
        // redb page checksums (needs a handle with no transaction open)
        drop(tenant);
        let mut tenant = site.open_tenant_file(&name)?;
        match tenant.check_integrity() {
            Ok(true) => println!("  database: ok"),
            Ok(false) => println!("  database: was damaged and has been repaired"),
            Err(e) => {
                problems += 1;
                println!("  database: CORRUPT: {e}");
            }
        }
        if a.compact {
            match tenant.compact() {
                Ok(_) => println!("  database: compacted"),
                Err(e) => println!("  database: not compacted: {e}"),
            }
        }
    }
    if problems > 0 {
        bail!("{problems} problem(s) found");
    }
    Ok(())
}

/// Re-hashes every evidence file the tenant's work orders reference; prints each problem with
/// its order and returns how many there were.
fn check_evidence(site: &crate::site::Site, tenant: &opsdeck_storage::Tenant) -> Result<usize> {
    let orders = tenant.list::<WorkOrder>()?;
    let mut files = 0;
    let mut problems = 0;
    for o in &orders {
        let o = &o.value;
        files += o.evidence.len();
        for p in evidence::verify(&site.dir.evidence_dir(tenant.name()), &o.evidence) {
            problems += 1;
            println!("  evidence: BAD in work order {}: {p}", o.id);
        }
    }
    if problems == 0 {
        println!("  evidence: ok, {files} file reference(s) verified");
    }
    Ok(problems)
}
