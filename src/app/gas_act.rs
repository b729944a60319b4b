//! The worker's gas writes (entries, plans, approvals, rates, contracts, the Petrobras export)
//! and the notification list. Each answer names the form generation it belongs to, so a late
//! answer never closes a newer form.

use opsdeck_storage::records::gas::QdrSource;
use opsdeck_views::i18n::Locale;
use opsdeck_views::state::NotificationRow;

use super::gas_entry::decimals;
use super::worker::{Cmd, Reply, Worker};
use crate::domain::gas::entries::{self, FieldError};
use crate::notify;

/// A refusal as the form shows it: on its field when the domain named one.
fn failed(e: anyhow::Error, generation: u64) -> Reply {
    let field = e.downcast_ref::<FieldError>().map(|f| f.field.clone());
    let error = match e.downcast_ref::<FieldError>() {
        Some(f) => f.message.clone(),
        None => e.to_string(),
    };
    let conflict = match e.downcast_ref::<opsdeck_storage::Error>() {
        Some(opsdeck_storage::Error::Conflict {
            by, at, current, ..
        }) => Some((by.clone(), *at, *current)),
        _ => None,
    };
    Reply::GasFailed {
        error,
        field,
        generation,
        conflict,
    }
}

impl Worker {
    fn words(&self) -> &'static GasNotices {
        match self.locale {
            Locale::PtBr => &PT,
            Locale::En => &EN,
        }
    }

    pub(super) fn gas_act(&self, cmd: Cmd) -> Reply {
        let t = &self.tenant;
        let u = &self.user;
        let l = self.locale;
        let w = self.words();
        let today = self.today();
        match cmd {
            Cmd::SaveGasEntry {
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
                            .and_then(|g| {
                                crate::domain::gas::calc::qds(&g.value, &saved.value).ok()
                            })
                            .map(|q| {
                                format!(
                                    " · QDS {} m³",
                                    l.number(q.effective, decimals(q.effective))
                                )
                            })
                            .unwrap_or_default();
                        Reply::GasSaved(
                            format!("{unit} {}: {}{qds}", l.date(date), w.entry_saved),
                            generation,
                        )
                    }
                    Err(e) => failed(e, generation),
                }
            }
            Cmd::SaveGasPlans {
                unit,
                plans,
                generation,
            } => match entries::save_plans(t, u, &unit, &plans) {
                Ok(n) => Reply::GasSaved(format!("{unit}: {n} {}", w.plans_saved), generation),
                Err(e) => failed(e, generation),
            },
            Cmd::ApproveGasPlans {
                unit,
                from,
                to,
                generation,
            } => match entries::approve_plans(t, u, &unit, from, to) {
                Ok(n) => Reply::GasSaved(format!("{unit}: {n} {}", w.plans_approved), generation),
                Err(e) => failed(e, generation),
            },
            Cmd::ChangeGasRate {
                unit,
                equipment,
                from,
                rate,
                note,
                generation,
            } => match entries::change_rate(t, u, &unit, &equipment, from, rate, &note) {
                Ok(_) => Reply::GasSaved(
                    format!("{unit} {equipment}: {} {}", w.rate_changed, l.date(from)),
                    generation,
                ),
                Err(e) => failed(e, generation),
            },
            Cmd::SetGasContract {
                contract,
                generation,
            } => {
                let from = contract.effective_from;
                match entries::set_contract(t, u, contract) {
                    Ok(_) => Reply::GasSaved(
                        format!("{} {}", w.contract_saved, l.date(from)),
                        generation,
                    ),
                    Err(e) => failed(e, generation),
                }
            }
            Cmd::SetGasQdr {
                unit,
                date,
                qdr,
                generation,
            } => match entries::set_qdr(t, u, &unit, date, qdr, QdrSource::Manual) {
                Ok(_) => Reply::GasSaved(
                    format!(
                        "{unit} {}: QDR {} m³ ({})",
                        l.date(date),
                        l.number(qdr, decimals(qdr)),
                        w.qdr_manual
                    ),
                    generation,
                ),
                Err(e) => failed(e, generation),
            },
            Cmd::ExportGas { first, dir } => {
                match crate::report::gas::export_month(t, u, first, &dir) {
                    Ok(path) => {
                        let shown = std::path::absolute(&path).unwrap_or(path);
                        Reply::GasExported(first, shown.display().to_string())
                    }
                    Err(e) => Reply::Error(format!("{}: {e:#}", w.export_failed)),
                }
            }
            _ => Reply::Error("not an action".into()),
        }
    }

    /// The user's notifications, newest first, as the overlay lists them.
    pub(super) fn notifications(&self) -> anyhow::Result<Vec<NotificationRow>> {
        let w = self.words();
        Ok(notify::for_user(&self.tenant, &self.user)?
            .into_iter()
            .map(|n| NotificationRow {
                id: n.id,
                at: self
                    .locale
                    .datetime(&n.created_at.to_zoned(self.tz.clone())),
                read: n.is_read_by(&self.user),
                email: match (&n.email_error, n.emailed_to.is_empty()) {
                    (Some(e), _) => format!("{}: {e}", w.email_failed),
                    (None, false) => format!("e-mail: {}", n.emailed_to.join(", ")),
                    (None, true) => String::new(),
                },
                subject: n.subject,
                body: n.body,
            })
            .collect())
    }
}

/// Notices of the gas writes.
struct GasNotices {
    entry_saved: &'static str,
    plans_saved: &'static str,
    plans_approved: &'static str,
    rate_changed: &'static str,
    contract_saved: &'static str,
    export_failed: &'static str,
    email_failed: &'static str,
    qdr_manual: &'static str,
}

const PT: GasNotices = GasNotices {
    entry_saved: "lançamento salvo",
    plans_saved: "programação(ões) alterada(s)",
    plans_approved: "programação(ões) aprovada(s)",
    rate_changed: "nova taxa a partir de",
    contract_saved: "contrato salvo, vigente a partir de",
    export_failed: "exportação Petrobras falhou",
    email_failed: "e-mail falhou",
    qdr_manual: "digitado; o medidor não o substitui",
};

const EN: GasNotices = GasNotices {
    entry_saved: "entry saved",
    plans_saved: "plan(s) changed",
    plans_approved: "plan(s) approved",
    rate_changed: "new rate from",
    contract_saved: "contract saved, in force from",
    export_failed: "Petrobras export failed",
    email_failed: "e-mail failed",
    qdr_manual: "keyed; the meter will not replace it",
};
