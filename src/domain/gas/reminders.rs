//! The missing-entry reminder (RC spec 4.3, US-004): at 18:00 in the tenant's time zone, every
//! active gas unit with no daily entry for today raises a notification for the unit's operators
//! (the users of the operator role assigned to it, see `assign`; every operator of the tenant
//! when none is); at 20:00, if the entry is still missing, it escalates to the supervisors and
//! admins. Notifications go to the console's list (`Notification` records, see `domain::notifications`)
//! and, when `[smtp]` is configured, by e-mail to each recipient (address convention in
//! `notify`).
//!
//! Once per (unit, day, stage): the stage is marked in the consumer state
//! `gas.missing/<date>` key `<unit>/<stage>` in the same transaction that stores the
//! notification, and checked again inside that transaction, so restarts and other processes
//! never raise it twice. A service started after 20:00 raises both stages. E-mail is sent after
//! the commit (never inside a write transaction) and at most once: what the server accepted is
//! recorded in `emailed_to`, failures per address in `email_error`; the notification itself is
//! kept either way.

use std::collections::BTreeSet;

use anyhow::Result;
use jiff::Zoned;
use jiff::civil::{Date, Time, time};
use opsdeck_storage::records::gas::{DailyEntry, GasOperator, GasUnit, day_key};
use opsdeck_storage::records::notification::Notification;
use opsdeck_storage::records::user::{Role, User};
use opsdeck_storage::{Record, Tenant, codec};
use serde::{Deserialize, Serialize};

use crate::domain::mail::Mailer;

/// Who the reminders are written by, in the audit trail.
pub const ACTOR: &str = "scheduler";
/// `Notification::kind`, and the name of the outbox event raised with each.
pub const MISSING_ENTRY: &str = "gas.missing_entry";

/// A step of the reminder: who is told, from what local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// From 18:00: the operators.
    Operators,
    /// From 20:00: the supervisors and admins.
    Supervisors,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Operators, Stage::Supervisors];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Operators => "operators",
            Stage::Supervisors => "supervisors",
        }
    }

    /// The local time it is due from.
    pub fn starts_at(self) -> Time {
        match self {
            Stage::Operators => time(18, 0, 0, 0),
            Stage::Supervisors => time(20, 0, 0, 0),
        }
    }

    /// `Notification::to_role`.
    pub fn role(self) -> Role {
        match self {
            Stage::Operators => Role::Operator,
            Stage::Supervisors => Role::Supervisor,
        }
    }

    /// Whether users of `role` are told at this stage.
    pub fn tells(self, role: Role) -> bool {
        match self {
            Stage::Operators => role == Role::Operator,
            Stage::Supervisors => matches!(role, Role::Supervisor | Role::Admin),
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The payload of a "gas.missing_entry" outbox event (codec-encoded); the event's key is the
/// notification's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingEntry {
    pub unit: String,
    pub date: Date,
    pub stage: Stage,
}

/// The latest stage due at local time `now`: None before 18:00, `Operators` from 18:00,
/// `Supervisors` from 20:00 (until midnight, when a new day starts).
pub fn due(now: &Zoned) -> Option<Stage> {
    let t = now.time();
    Stage::ALL.into_iter().rev().find(|s| t >= s.starts_at())
}

/// The consumer-state namespace marking the stages raised for a day.
pub fn state_namespace(date: Date) -> String {
    format!("gas.missing/{date}")
}

fn state_key(unit: &str, stage: Stage) -> String {
    format!("{unit}/{stage}")
}

/// "23/11/2026"
fn br_date(date: Date) -> String {
    date.strftime("%d/%m/%Y").to_string()
}

fn names(list: &[&opsdeck_storage::records::gas::Equipment]) -> String {
    list.iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Subject and body of the notification (and of the e-mail, after a greeting).
pub fn message(tenant: &str, unit: &GasUnit, date: Date, stage: Stage) -> (String, String) {
    let day = br_date(date);
    let escalated = match stage {
        Stage::Operators => "",
        Stage::Supervisors => " (escalonado)",
    };
    let subject = format!(
        "⚠️ [RC] Entrada diária pendente{escalated} - {} - {day}",
        unit.name
    );
    let mut body = String::new();
    if stage == Stage::Supervisors {
        body.push_str(
            "Escalonamento: os operadores foram avisados a partir das 18:00 e a entrada \
             continua pendente.\n\n",
        );
    }
    body.push_str(&format!(
        "A entrada diária de consumo de gás da unidade {} ({}) ainda não foi registrada para \
         o dia {day}.\n\nDados necessários:\n",
        unit.name, unit.code
    ));
    let atomizers = unit.atomizers();
    if atomizers.is_empty() {
        body.push_str("• Status do atomizador (programado ou não)\n");
        body.push_str("• Horas de funcionamento do atomizador\n");
    } else {
        let list = names(&atomizers);
        body.push_str(&format!(
            "• Status do atomizador (programado ou não): {list}\n"
        ));
        body.push_str(&format!("• Horas de funcionamento do atomizador: {list}\n"));
    }
    let toggled = unit.toggled();
    if toggled.is_empty() {
        body.push_str("• Status das linhas de produção (ligada/desligada)\n");
    } else {
        body.push_str(&format!(
            "• Status das linhas de produção (ligada/desligada): {}\n",
            names(&toggled)
        ));
    }
    body.push_str(&format!(
        "\nPara registrar: no console opsdeck (tenant {tenant}), painel Gás, unidade {}, \
         dia {day}.\n\nSistema RC - Gestão de Consumo de Gás\n",
        unit.name
    ));
    (subject, body)
}

/// Who is told about `unit` at `stage`, in name order: at `Operators`, the operators assigned
/// to the unit, or every operator when none is (a unit must never go untold); at
/// `Supervisors`, every supervisor and admin.
pub fn recipients(
    users: &[User],
    assigned: &[GasOperator],
    unit: &str,
    stage: Stage,
) -> Vec<String> {
    let told: Vec<&User> = users.iter().filter(|u| stage.tells(u.role)).collect();
    let runs_unit = |u: &User| {
        assigned
            .iter()
            .any(|a| a.user == u.name && a.units.iter().any(|c| c == unit))
    };
    let mine: Vec<&User> = match stage {
        Stage::Operators => told.iter().copied().filter(|u| runs_unit(u)).collect(),
        Stage::Supervisors => Vec::new(),
    };
    let chosen = if mine.is_empty() { told } else { mine };
    chosen.into_iter().map(|u| u.name.clone()).collect()
}

/// Raises what is due at local time `now_local` for `tenant` (see the module doc) and, with a
/// mailer, e-mails each recipient. Returns the notifications raised by this call (none when
/// nothing was due or all were raised before), with their e-mail outcome.
pub fn run(
    tenant: &Tenant,
    now_local: &Zoned,
    mailer: Option<&dyn Mailer>,
) -> Result<Vec<Notification>> {
    let Some(latest) = due(now_local) else {
        return Ok(Vec::new());
    };
    let today = now_local.date();
    let ns = state_namespace(today);
    let raised: BTreeSet<String> = tenant.states(&ns)?.into_iter().map(|(k, _)| k).collect();
    let mut todo: Vec<(GasUnit, Stage)> = Vec::new();
    for unit in tenant.list::<GasUnit>()? {
        let unit = unit.value;
        if !unit.active {
            continue;
        }
        let stages: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|s| *s <= latest && !raised.contains(&state_key(&unit.code, *s)))
            .collect();
        if stages.is_empty()
            || tenant
                .get::<DailyEntry>(&day_key(&unit.code, today))?
                .is_some()
        {
            continue;
        }
        todo.extend(stages.into_iter().map(|s| (unit.clone(), s)));
    }
    if todo.is_empty() {
        return Ok(Vec::new());
    }
    let users: Vec<User> = tenant
        .list::<User>()?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let assigned: Vec<GasOperator> = tenant
        .list::<GasOperator>()?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let mut drafts = Vec::new();
    for (unit, stage) in &todo {
        let (subject, body) = message(tenant.name(), unit, today, *stage);
        let payload = codec::encode(&MissingEntry {
            unit: unit.code.clone(),
            date: today,
            stage: *stage,
        })?;
        let to_users = recipients(&users, &assigned, &unit.code, *stage);
        drafts.push((unit.code.clone(), *stage, subject, body, to_users, payload));
    }

    let created = tenant.write_if(ACTOR, |tx| {
        let mut out = Vec::new();
        for (unit, stage, subject, body, to_users, payload) in drafts {
            let key = state_key(&unit, stage);
            // Checked again here: another process, or a save since the look above.
            if tx.state(&ns, &key)?.is_some()
                || tx.get::<DailyEntry>(&day_key(&unit, today))?.is_some()
            {
                continue;
            }
            let id = tx.next_id(Notification::KIND)?;
            let n = Notification {
                id,
                to_role: stage.role(),
                to_users,
                kind: MISSING_ENTRY.into(),
                subject,
                body,
                unit,
                date: today,
                created_at: tx.now(),
                emailed_to: Vec::new(),
                email_error: None,
                read_by: Vec::new(),
            };
            let nkey = Notification::key(id);
            tx.insert(&nkey, n.clone())?;
            tx.set_state(&ns, &key, &id.to_le_bytes())?;
            tx.emit(MISSING_ENTRY, Notification::KIND, &nkey, payload);
            out.push(n);
        }
        Ok((!out.is_empty(), out))
    })?;
    for n in &created {
        tracing::info!(
            tenant = tenant.name(),
            unit = n.unit.as_str(),
            date = %n.date,
            to = n.to_users.join(","),
            "gas entry missing: notification {}",
            n.id
        );
    }

    let Some(mailer) = mailer else {
        return Ok(created);
    };
    let mut out = Vec::with_capacity(created.len());
    for n in created {
        out.push(email(tenant, mailer, &users, n));
    }
    Ok(out)
}

/// Sends `n` to each of its recipients and records the outcome on the stored notification.
fn email(
    tenant: &Tenant,
    mailer: &dyn Mailer,
    users: &[User],
    mut n: Notification,
) -> Notification {
    let mut sent = Vec::new();
    let mut failed = Vec::new();
    for name in &n.to_users {
        let addr = mailer.address_of(name);
        let who = users
            .iter()
            .find(|u| &u.name == name)
            .map(|u| u.full_name.trim())
            .filter(|f| !f.is_empty())
            .unwrap_or(name);
        let body = format!("Olá {who},\n\n{}", n.body);
        match mailer.send(&addr, &n.subject, &body) {
            Ok(()) => sent.push(addr),
            Err(e) => {
                tracing::warn!(
                    tenant = tenant.name(),
                    "e-mail of notification {} to {addr}: {e:#}",
                    n.id
                );
                failed.push(format!("{addr}: {e:#}"));
            }
        }
    }
    n.emailed_to = sent;
    n.email_error = (!failed.is_empty()).then(|| failed.join("; "));
    if n.emailed_to.is_empty() && n.email_error.is_none() {
        return n;
    }
    let key = Notification::key(n.id);
    let recorded = tenant.write(ACTOR, |tx| {
        // Re-read: a recipient may have marked it read meanwhile.
        let Some(cur) = tx.get::<Notification>(&key)? else {
            return Ok(());
        };
        let mut value = cur.value;
        value.emailed_to = n.emailed_to.clone();
        value.email_error = n.email_error.clone();
        tx.update(&key, cur.version, value)?;
        Ok(())
    });
    if let Err(e) = recorded {
        tracing::error!(
            tenant = tenant.name(),
            "recording the e-mail outcome of notification {}: {e}",
            n.id
        );
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(h: i8, m: i8) -> Zoned {
        date(2026, 11, 23)
            .at(h, m, 0, 0)
            .to_zoned(jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap())
            .unwrap()
    }

    #[test]
    fn stages_follow_the_local_clock() {
        assert_eq!(due(&at(0, 0)), None);
        assert_eq!(due(&at(17, 59)), None);
        assert_eq!(due(&at(18, 0)), Some(Stage::Operators));
        assert_eq!(due(&at(19, 59)), Some(Stage::Operators));
        assert_eq!(due(&at(20, 0)), Some(Stage::Supervisors));
        assert_eq!(due(&at(23, 59)), Some(Stage::Supervisors));
        assert!(Stage::Supervisors.tells(Role::Admin) && !Stage::Operators.tells(Role::Admin));
        assert!(!Stage::Supervisors.tells(Role::Finance));
    }

    #[test]
    fn assigned_operators_are_told_and_every_operator_when_none_is() {
        let user = |name: &str, role| User {
            name: name.into(),
            role,
            full_name: String::new(),
        };
        let users = [
            user("ana", Role::Admin),
            user("beto", Role::Operator),
            user("bia", Role::Operator),
            user("caio", Role::Supervisor),
        ];
        let op = |name: &str, unit: &str| GasOperator {
            user: name.into(),
            units: vec![unit.into()],
        };
        let assigned = [op("bia", "CRI"), op("ana", "URU")];
        let to = |unit, stage| recipients(&users, &assigned, unit, stage);
        assert_eq!(to("CRI", Stage::Operators), ["bia"]);
        // Only an admin runs URU: the operators' stage still reaches operators.
        assert_eq!(to("URU", Stage::Operators), ["beto", "bia"]);
        assert_eq!(to("BOT", Stage::Operators), ["beto", "bia"]);
        assert_eq!(to("CRI", Stage::Supervisors), ["ana", "caio"]);
    }

    #[test]
    fn the_message_names_unit_date_and_what_is_needed() {
        let unit = GasUnit {
            code: "CRI".into(),
            name: "Criciúma".into(),
            active: true,
            equipment: Vec::new(),
            meter: None,
        };
        let (subject, body) = message("rc", &unit, date(2026, 11, 23), Stage::Operators);
        assert_eq!(
            subject,
            "⚠️ [RC] Entrada diária pendente - Criciúma - 23/11/2026"
        );
        for needed in [
            "Criciúma (CRI)",
            "23/11/2026",
            "Status do atomizador",
            "Horas de funcionamento",
            "Status das linhas",
        ] {
            assert!(body.contains(needed), "{needed} in {body}");
        }
        let (subject, body) = message("rc", &unit, date(2026, 11, 23), Stage::Supervisors);
        assert!(subject.contains("escalonado") && body.starts_with("Escalonamento"));
    }
}
