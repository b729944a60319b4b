//! The worker's gas writes (entries, plans, approvals, rates, contracts, the Petrobras export)
//! and the notification list. Each answer names the form generation it belongs to, so a late
//! answer never closes a newer form.

use opsdeck_storage::records::gas::QdrSource;

use opsdeck_views::panes::gas::text::{GasText, text as gas_text};
use opsdeck_views::state::PaneId;

use super::entry::decimals;
use super::protocol::{GasCmd, GasReply};
use crate::app::io::Io;
use crate::app::outcome::{Failed, Saved};
use crate::app::protocol::Reply;
use crate::domain::gas::entries;

/// A refusal as the form shows it: on its field when the domain named one.
fn failed(io: &Io, e: anyhow::Error, generation: u64) -> Reply {
    Reply::Failed(PaneId::Gas, Failed::of(io, &e, generation))
}

fn done(generation: u64, notice: String) -> Reply {
    Reply::Saved(PaneId::Gas, Saved::new(generation, notice))
}

fn words(io: &Io) -> &'static GasText {
    gas_text(io.locale)
}

pub fn write(io: &Io, cmd: GasCmd) -> Reply {
    let t = &io.tenant;
    let u = &io.user;
    let l = io.locale;
    let w = words(io);
    let today = io.today();
    match cmd {
        GasCmd::SaveEntry {
            unit,
            input,
            version,
            generation,
        } => {
            let date = input.date;
            match entries::save_entry(t, u, &unit, input, version, today) {
                Ok(saved) => {
                    let qds = t
                        .get::<opsdeck_storage::records::gas::GasUnit>(&unit)
                        .ok()
                        .flatten()
                        .and_then(|g| crate::domain::gas::calc::qds(&g.value, &saved.value).ok())
                        .map(|q| {
                            format!(" · QDS {} m³", l.number(q.effective, decimals(q.effective)))
                        })
                        .unwrap_or_default();
                    done(
                        generation,
                        format!("{unit} {}: {}{qds}", l.date(date), w.entry_saved),
                    )
                }
                Err(e) => failed(io, e, generation),
            }
        }
        GasCmd::SavePlans {
            unit,
            plans,
            generation,
        } => match entries::save_plans(t, u, &unit, &plans) {
            Ok(n) => done(generation, format!("{unit}: {n} {}", w.plans_saved)),
            Err(e) => failed(io, e, generation),
        },
        GasCmd::ApprovePlans {
            unit,
            from,
            to,
            generation,
        } => match entries::approve_plans(t, u, &unit, from, to) {
            Ok(n) => done(generation, format!("{unit}: {n} {}", w.plans_approved)),
            Err(e) => failed(io, e, generation),
        },
        GasCmd::ChangeRate {
            unit,
            equipment,
            from,
            rate,
            note,
            generation,
        } => match entries::change_rate(t, u, &unit, &equipment, from, rate, &note) {
            Ok(_) => done(
                generation,
                format!("{unit} {equipment}: {} {}", w.rate_changed, l.date(from)),
            ),
            Err(e) => failed(io, e, generation),
        },
        GasCmd::SetContract {
            contract,
            generation,
        } => {
            let from = contract.effective_from;
            match entries::set_contract(t, u, contract) {
                Ok(_) => done(generation, format!("{} {}", w.contract_saved, l.date(from))),
                Err(e) => failed(io, e, generation),
            }
        }
        GasCmd::SetQdr {
            unit,
            date,
            qdr,
            generation,
        } => match entries::set_qdr(t, u, &unit, date, qdr, QdrSource::Manual) {
            Ok(_) => done(
                generation,
                format!(
                    "{unit} {}: QDR {} m³ ({})",
                    l.date(date),
                    l.number(qdr, decimals(qdr)),
                    w.qdr_manual
                ),
            ),
            Err(e) => failed(io, e, generation),
        },
        GasCmd::Export { first, dir } => {
            match crate::report::gas::export_month(t, u, first, &dir) {
                Ok(path) => {
                    let shown = std::path::absolute(&path).unwrap_or(path);
                    Reply::Gas(GasReply::Exported(first, shown.display().to_string()))
                }
                Err(e) => Reply::Error(format!("{}: {e:#}", w.export_failed)),
            }
        }
        GasCmd::Load(_) => Reply::Error("not a write".into()),
    }
}
