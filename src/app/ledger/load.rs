//! The worker's side of the Ledger pane's reads: the period grid with the year's chart, a
//! cell's entries, the close readiness.

use opsdeck_storage::Versioned;
use opsdeck_storage::records::ledger::{Entry, Month, SourceLink};
use opsdeck_views::state::ledger::{Chart, EntryRow, PeriodSize, Readiness};

use super::protocol::{LedgerReply, Loaded};
use crate::app::io::Io;
use crate::domain::ledger::grid::{self, Size};
use crate::domain::ledger::{LedgerAction, periods};
use crate::domain::service::require;

pub fn size_of(s: PeriodSize) -> Size {
    match s {
        PeriodSize::Month => Size::Month,
        PeriodSize::Quarter => Size::Quarter,
        PeriodSize::Year => Size::Year,
        PeriodSize::YearToDate => Size::YearToDate,
    }
}

pub fn load(io: &Io, size: PeriodSize, anchor: Option<Month>) -> anyhow::Result<LedgerReply> {
    require(&io.tenant, &io.user, LedgerAction::View)?;
    let today = Month::of(io.today());
    let anchor = anchor.unwrap_or(today);
    let (from, to) = grid::range(size_of(size), anchor);
    let g = grid::grid(&io.tenant, from, to)?;
    let months = grid::monthly(&io.tenant, anchor.year(), None)?;
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
    Ok(LedgerReply::Loaded(Box::new(Loaded {
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
        amount: v.amount,
        source: v.source,
        description: v.description,
        reason: v.reason,
        original_month: v.original_month,
        by: e.changed_by,
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
    Ok(Readiness {
        month: Some(month),
        issues: issues.iter().map(|i| i.to_string()).collect(),
        closed,
    })
}
