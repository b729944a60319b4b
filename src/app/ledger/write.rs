//! The worker's Ledger writes: manual postings, budget lines, closing a month, the export. Each
//! answer names the form generation it belongs to.

use opsdeck_storage::records::ledger::Month;
use opsdeck_views::panes::ledger::text::text as ledger_text;
use opsdeck_views::state::PaneId;

use super::protocol::{LedgerCmd, PostInput};
use crate::app::io::Io;
use crate::app::outcome::{Failed, Saved};
use crate::app::protocol::Reply;
use crate::domain::ledger::budget::{self, LineInput};
use crate::domain::ledger::manual::{self, ManualInput};
use crate::domain::ledger::periods;

fn failed(io: &Io, e: anyhow::Error, generation: u64) -> Reply {
    Reply::Failed(PaneId::Ledger, Failed::of(io, &e, generation))
}

fn done(generation: u64, notice: String) -> Reply {
    Reply::Saved(PaneId::Ledger, Saved::new(generation, notice))
}

pub fn manual_input(i: PostInput) -> ManualInput {
    ManualInput {
        phase: i.phase,
        date: i.date,
        cost_center: i.cost_center,
        category: i.category,
        amount: i.amount,
        description: i.description,
        reason: i.reason,
        evidence: i.evidence,
        against: i.against,
        corrects: i.corrects,
    }
}

pub fn write(io: &Io, cmd: LedgerCmd) -> Reply {
    let t = &io.tenant;
    let u = &io.user;
    let l = io.locale;
    let w = ledger_text(l);
    match cmd {
        LedgerCmd::Post { input, generation } => match manual::post(t, u, manual_input(input)) {
            Ok(written) => {
                let first = written.first();
                let what = first
                    .map(|e| {
                        let late = e
                            .value
                            .original_month
                            .map(|m| format!(" ({} {})", w.late_for, l.month_year(m.first_day())))
                            .unwrap_or_default();
                        format!(
                            "{} {} · {} · {}{late}",
                            w.phase(e.value.phase.as_str()),
                            l.money(e.value.amount),
                            e.value.cost_center,
                            l.month_year(e.value.month.first_day())
                        )
                    })
                    .unwrap_or_default();
                done(generation, format!("{}: {what}", w.posted))
            }
            Err(e) => failed(io, e, generation),
        },
        LedgerCmd::Budget {
            month,
            cost_center,
            category,
            planned,
            note,
            generation,
        } => match budget::set_line(
            t,
            u,
            LineInput {
                month,
                cost_center: cost_center.clone(),
                category: category.clone(),
                planned,
                note,
            },
        ) {
            Ok(_) => done(
                generation,
                format!(
                    "{}: {cost_center} · {category} · {} = {}",
                    w.budget_saved,
                    l.month_year(month.first_day()),
                    l.money(planned)
                ),
            ),
            Err(e) => failed(io, e, generation),
        },
        LedgerCmd::Close {
            month,
            reason,
            generation,
        } => match periods::close(t, u, month, &io.tz, io.today(), &reason) {
            Ok(c) => done(
                generation,
                format!(
                    "{} {}: {} · sha256 {}…",
                    l.month_year(month.first_day()),
                    w.closed_notice,
                    c.value.entries,
                    c.value.digest.chars().take(12).collect::<String>()
                ),
            ),
            Err(e) => failed(io, e, generation),
        },
        LedgerCmd::Export {
            from,
            to,
            dir,
            generation,
        } => match export(io, from, to, &dir) {
            Ok(path) => done(generation, format!("{} {path}", w.exported)),
            Err(e) => failed(io, e, generation),
        },
        // Reads are served by `load`.
        LedgerCmd::Load { .. } | LedgerCmd::Entries { .. } | LedgerCmd::Readiness { .. } => {
            Reply::Error("ledger: a read sent as a write".into())
        }
    }
}

fn export(io: &Io, from: Month, to: Month, dir: &std::path::Path) -> anyhow::Result<String> {
    let paths = crate::report::ledger::export(&io.tenant, &io.user, from, to, dir, false)?;
    Ok(paths
        .first()
        .map(|p| p.display().to_string())
        .unwrap_or_default())
}
