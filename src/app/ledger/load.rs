//! The worker's side of the Ledger pane's reads: the period grid with the year's chart, a
//! cell's entries, the close readiness.

use opsdeck_storage::Versioned;
use opsdeck_storage::records::ledger::{Entry, Month, SourceLink};
use opsdeck_views::state::ledger::{Chart, EntryRow, LedgerRights, PeriodSize, Readiness};

use super::protocol::{LedgerReply, Loaded};
use crate::app::io::Io;
use crate::domain::ledger::grid;
use crate::domain::ledger::periods::Issue;
use crate::domain::ledger::{LedgerAction, periods};
use crate::domain::service::{Guarded, require};

pub fn load(io: &Io, size: PeriodSize, anchor: Option<Month>) -> anyhow::Result<LedgerReply> {
    require(&io.tenant, &io.user, LedgerAction::View)?;
    let today = Month::of(io.today());
    let anchor = anchor.unwrap_or(today);
    let (from, to) = grid::range(size, anchor);
    let (g, months) = grid::grid_and_year(&io.tenant, from, to, anchor.year())?;
    // The projection counts the months that are over; the run rate is theirs.
    let through = if anchor.year() < today.year() {
        Month::new(anchor.year(), 12)
    } else {
        today.prev()
    };
    let chart = Chart {
        year: anchor.year(),
        planned_year: months.iter().map(|(_, f)| f.planned).sum(),
        projected_year: grid::forecast(&months, through),
        through: Some(through),
        months,
    };
    let closed = periods::closed(&io.tenant)?
        .into_iter()
        .map(|c| c.value.month)
        .collect();
    let role = crate::domain::access::role_of(&io.tenant, &io.user)?;
    let may = |a: LedgerAction| role.is_some_and(|r| a.allowed(r));
    Ok(LedgerReply::Loaded(Box::new(Loaded {
        rights: LedgerRights {
            post: may(LedgerAction::Post),
            budget: may(LedgerAction::Budget),
            close: may(LedgerAction::Close),
        },
        size,
        anchor,
        grid: g,
        chart,
        closed,
    })))
}

pub fn row(io: &Io, e: Versioned<Entry>) -> EntryRow {
    let v = e.value;
    EntryRow {
        key: e.key,
        date: io.locale.date(v.date),
        month: v.month,
        cost_center: v.cost_center,
        category: v.category,
        phase: v.phase.as_str().to_owned(),
        // An adjustment shows what it did (a late release lowers committed: negative).
        amount: if v.phase == opsdeck_storage::records::ledger::Phase::Adjust {
            v.committed + v.realized + v.savings
        } else {
            v.amount
        },
        source: v.source,
        description: v.description,
        reason: v.reason,
        original_month: v.original_month,
        by: v.by,
        order: match v.link {
            SourceLink::WorkOrder(id) => Some(id),
            _ => None,
        },
    }
}

pub fn entries(
    io: &Io,
    from: Month,
    to: Month,
    cost_centers: &[String],
    category: Option<&str>,
) -> anyhow::Result<Vec<EntryRow>> {
    require(&io.tenant, &io.user, LedgerAction::View)?;
    let ccs = (!cost_centers.is_empty()).then_some(cost_centers);
    Ok(grid::entries(&io.tenant, from, to, ccs, category)?
        .into_iter()
        .map(|e| row(io, e))
        .collect())
}

pub fn readiness(io: &Io, month: Month) -> anyhow::Result<Readiness> {
    require(&io.tenant, &io.user, LedgerAction::View)?;
    let issues = periods::readiness(&io.tenant, month, &io.tz, io.today())?;
    let closed = io
        .tenant
        .get::<opsdeck_storage::records::ledger::PeriodClose>(&month.to_string())?
        .map(|c| {
            let by = io.who(&c.changed_by, c.changed_at);
            let digest: String = c.value.digest.chars().take(12).collect();
            format!("{by} · sha256 {digest}…")
        });
    let w = opsdeck_views::panes::ledger::text::text(io.locale);
    let l = io.locale;
    let say = |i: &Issue| match i {
        Issue::OrderNotCosted { order, title } => w
            .issue_not_costed
            .replace("{order}", &order.to_string())
            .replace("{title}", title),
        Issue::PendingCommitment {
            source,
            month,
            open,
        } => w
            .issue_pending
            .replace("{source}", source)
            .replace("{month}", &l.month_year(month.first_day()))
            .replace("{amount}", &l.money(*open)),
        Issue::GasDayMissing { unit, date } => w
            .issue_gas_day
            .replace("{unit}", unit)
            .replace("{date}", &l.date(*date)),
        Issue::Conflict {
            source,
            description,
        } => w
            .issue_conflict
            .replace("{source}", source)
            .replace("{description}", description),
        Issue::Unposted { events } => w.issue_unposted.replace("{n}", &events.to_string()),
        Issue::Rejected { seq, source, why } => w
            .issue_rejected
            .replace("{source}", source)
            .replace("{seq}", &seq.to_string())
            .replace("{why}", why),
    };
    Ok(Readiness {
        month: Some(month),
        issues: issues.iter().map(say).collect(),
        closed,
    })
}

/// Times the pane's loads (`opsdeck bench ledger`): the grid of this month, this quarter, the
/// year and the year to date, and the entries of the busiest cost center over the year; the
/// median of `runs` each.
pub fn time_loads(
    site: &crate::site::Site,
    tenant: &str,
    user: &str,
    runs: usize,
) -> anyhow::Result<Vec<(String, std::time::Duration)>> {
    let tc = site.tenant_config(Some(tenant))?;
    let (t, index) = site.tenant(tenant)?;
    let io = Io {
        evidence: site.dir.evidence_dir(tenant),
        tenant: t,
        index,
        user: user.to_owned(),
        tz: tc.zone(),
        locale: opsdeck_views::i18n::Locale::PtBr,
    };
    let this = Month::of(io.today());
    let time = |f: &dyn Fn() -> anyhow::Result<()>| -> anyhow::Result<std::time::Duration> {
        let mut all = Vec::new();
        for _ in 0..runs.max(1) {
            let started = std::time::Instant::now();
            f()?;
            all.push(started.elapsed());
        }
        all.sort();
        Ok(all[all.len() / 2])
    };
    let mut out = Vec::new();
    for (name, size) in [
        ("grid: month", PeriodSize::Month),
        ("grid: quarter", PeriodSize::Quarter),
        ("grid: year", PeriodSize::Year),
        ("grid: year to date", PeriodSize::YearToDate),
    ] {
        out.push((
            name.to_owned(),
            time(&|| load(&io, size, Some(this)).map(|_| ()))?,
        ));
    }
    // The busiest cost center: the leaf with the most entries this year.
    let (from, to) = grid::range(PeriodSize::Year, this);
    let g = grid::grid(&io.tenant, from, to)?;
    if let Some(busiest) = g
        .rows
        .iter()
        .filter(|r| !r.has_children)
        .max_by_key(|r| r.total.entries)
    {
        let ccs = vec![busiest.code.clone()];
        let mut n = 0;
        let d = time(&|| {
            let rows = entries(&io, from, to, &ccs, None)?;
            let _ = rows.len();
            Ok(())
        })?;
        n += busiest.total.entries;
        out.push((
            format!("entries of {} over the year ({n})", busiest.code),
            d,
        ));
    }
    Ok(out)
}
