//! The periodic jobs of each tenant, registered with the site scheduler: preventive-plan
//! generation and the gas missing-entry reminders at the start of every minute of the tenant's
//! clock, the gas meters' QDR every ten minutes, readings retention every minute. Every job
//! keeps what it did in the database, so a late or repeated run does nothing twice.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use jiff::tz::TimeZone;
use opsdeck_storage::Tenant;

use super::scheduler::{Every, Scheduler};
use crate::domain::cmms::plans;
use crate::domain::gas::{meter, reminders};
use crate::domain::ledger::{consumer, gas as ledger_gas};
use crate::domain::mail::Mailer;
use crate::ingest::retention::{self, Retention};

/// How often gas meters' readings are turned into the units' QDR.
const GAS_QDR_EVERY: Duration = Duration::from_secs(600);
/// How often the ledger posts what the outbox brought (a closed order's cost shows this soon).
const LEDGER_EVERY: Duration = Duration::from_secs(1);
/// Retention runs at most this long at a time (it goes on at the next run).
const RETENTION_BUDGET: Duration = Duration::from_secs(10);

/// Registers the jobs of `tenant` (in zone `tz`).
pub fn register(
    s: &mut Scheduler,
    tenant: &Arc<Tenant>,
    tz: &TimeZone,
    mailer: Option<Arc<dyn Mailer>>,
    keep: Retention,
) {
    let name = tenant.name().to_owned();

    // Preventive orders, once per occurrence; a plan that keeps failing is logged once.
    let (t, z) = (tenant.clone(), tz.clone());
    let mut failing: BTreeSet<(String, String)> = BTreeSet::new();
    s.add(
        format!("pm.generate {name}"),
        Every::Minute,
        Duration::ZERO,
        move || {
            let report = plans::run(&t, plans::ACTOR, &crate::clock::now_in(&z))?;
            let failed: BTreeSet<(String, String)> = report.failed.into_iter().collect();
            for (plan, why) in failed.difference(&failing) {
                tracing::warn!(
                    tenant = t.name(),
                    plan = plan.as_str(),
                    "preventive plan cannot run: {why}"
                );
            }
            failing = failed;
            Ok(format!("{} orders generated", report.generated.len()))
        },
    );

    // 18:00 to the unit's operators, 20:00 to the supervisors.
    let (t, z) = (tenant.clone(), tz.clone());
    s.add(
        format!("gas.reminders {name}"),
        Every::Minute,
        Duration::ZERO,
        move || {
            let raised = reminders::run(&t, &crate::clock::now_in(&z), mailer.as_deref())?;
            Ok(format!("{} notifications raised", raised.len()))
        },
    );

    // The QDR of units linked to a gas meter, from its readings.
    let (t, z) = (tenant.clone(), tz.clone());
    s.add(
        format!("gas.qdr {name}"),
        Every::Interval(GAS_QDR_EVERY),
        Duration::from_secs(5),
        move || {
            let today = crate::clock::now_in(&z).date();
            let n = meter::sync_qdr(&t, crate::ingest::pipeline::ACTOR, today, &z)?;
            if n > 0 {
                tracing::info!(tenant = t.name(), values = n, "gas QDR from meters");
            }
            Ok(format!("{n} QDR values written"))
        },
    );

    // The ledger's outbox consumer: every posting once, in order.
    let (t, z) = (tenant.clone(), tz.clone());
    s.add(
        format!("ledger.post {name}"),
        Every::Interval(LEDGER_EVERY),
        Duration::ZERO,
        move || {
            let r = consumer::run(&t, &z)?;
            if r.conflicts > 0 || r.invalid > 0 {
                tracing::warn!(
                    tenant = t.name(),
                    conflicts = r.conflicts,
                    invalid = r.invalid,
                    "ledger postings refused (see the close-readiness view)"
                );
            }
            Ok(format!("{} entries from {} events", r.entries, r.events))
        },
    );

    // Gas cost: each day's QDR x tariff, estimated until the month's invoice is keyed.
    let (t, z) = (tenant.clone(), tz.clone());
    s.add(
        format!("ledger.gas {name}"),
        Every::Interval(GAS_QDR_EVERY),
        Duration::from_secs(10),
        move || {
            let today = crate::clock::now_in(&z).date();
            let from = today
                .first_of_month()
                .checked_sub(jiff::Span::new().months(2))?;
            let n = ledger_gas::post_estimates(&t, from)?;
            Ok(format!("{n} gas estimate entries"))
        },
    );

    let t = tenant.clone();
    s.add(
        format!("telemetry.retention {name}"),
        Every::Interval(Duration::from_secs(60)),
        Duration::from_secs(5),
        move || {
            let (n, more) = retention::run(&t, &keep, RETENTION_BUDGET)?;
            Ok(format!(
                "{n} rows deleted{}",
                if more { ", more left" } else { "" }
            ))
        },
    );
}
