//! Closing a month: first the readiness view (what is still open), then the close, which seals
//! the month's totals (a digest of every cell and entry, also written in the audit chain).
//! Nothing is written into a closed month afterwards: corrections are adjustments.

use anyhow::Result;
use jiff::tz::TimeZone;
use opsdeck_storage::records::gas::{GasUnit, RealConsumption};
use opsdeck_storage::records::ledger::{BudgetLine, Entry, Month, PeriodClose};
use opsdeck_storage::records::work_order::{WoStatus, WorkOrder};
use opsdeck_storage::{Tenant, Tx, Versioned, codec, why};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::LedgerAction;
use super::post::{
    COMMITMENTS, CONFLICTS, Commitment, Conflict, REJECTED, Rejected, TOTALS, Totals, put, read,
};
use crate::domain::service::{FieldError, Step, require, write_checked};

/// One thing still open in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Issue {
    /// Done in the month with no cost booked.
    OrderNotCosted { order: u64, title: String },
    /// A commitment of the month or before with money still pending.
    PendingCommitment {
        source: String,
        month: Month,
        open: Decimal,
    },
    /// A gas unit's day without its real consumption.
    GasDayMissing {
        unit: String,
        date: jiff::civil::Date,
    },
    /// A posting refused because its key was posted with other values.
    Conflict { source: String, description: String },
    /// Outbox events the ledger has not posted yet.
    Unposted { events: u64 },
    /// A posting the ledger refused (unreadable, or wrong values).
    Rejected {
        seq: u64,
        source: String,
        why: String,
    },
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Issue::OrderNotCosted { order, title } => {
                write!(f, "order {order} done without cost ({title})")
            }
            Issue::PendingCommitment {
                source,
                month,
                open,
            } => {
                write!(f, "commitment {source} of {month} still pending: R$ {open}")
            }
            Issue::GasDayMissing { unit, date } => {
                write!(f, "gas {unit} {date}: no real consumption")
            }
            Issue::Conflict {
                source,
                description,
            } => {
                write!(f, "conflicting posting {source} ({description})")
            }
            Issue::Unposted { events } => write!(f, "{events} postings waiting for the ledger"),
            Issue::Rejected { seq, source, why } => {
                write!(f, "posting {source} refused (event {seq}): {why}")
            }
        }
    }
}

/// What a month has still open, for the readiness view. `today` bounds the gas days looked at.
pub fn readiness(
    tenant: &Tenant,
    month: Month,
    tz: &TimeZone,
    today: jiff::civil::Date,
) -> Result<Vec<Issue>> {
    let mut out = Vec::new();
    let behind = super::consumer::waiting(tenant)?;
    if behind > 0 {
        out.push(Issue::Unposted { events: behind });
    }
    for o in tenant.list::<WorkOrder>()? {
        let o = o.value;
        if o.status != WoStatus::Done || !o.cost().is_zero() {
            continue;
        }
        let closed = o.transitions.iter().rev().find(|t| t.to == WoStatus::Done);
        if closed.is_some_and(|t| Month::of(t.at.to_zoned(tz.clone()).date()) == month) {
            out.push(Issue::OrderNotCosted {
                order: o.id,
                title: o.title,
            });
        }
    }
    let mut pending: Vec<(String, Commitment)> = Vec::new();
    for (k, b) in tenant.states(COMMITMENTS)? {
        let c: Commitment = codec::decode(&b)?;
        if c.month <= month && c.open() > Decimal::ZERO {
            pending.push((k, c));
        }
    }
    pending.sort_by(|a, b| a.1.month.cmp(&b.1.month).then(a.0.cmp(&b.0)));
    for (source, c) in pending {
        out.push(Issue::PendingCommitment {
            source,
            month: c.month,
            open: c.open(),
        });
    }
    let units: Vec<_> = tenant
        .list::<GasUnit>()?
        .into_iter()
        .filter(|u| u.value.active)
        .collect();
    if !units.is_empty() {
        let last = month.last_day().min(today);
        for u in units {
            let mut d = month.first_day();
            while d <= last {
                let key = opsdeck_storage::records::gas::day_key(&u.key, d);
                if tenant.get::<RealConsumption>(&key)?.is_none() {
                    out.push(Issue::GasDayMissing {
                        unit: u.key.clone(),
                        date: d,
                    });
                }
                d = match d.tomorrow() {
                    Ok(n) => n,
                    Err(_) => break,
                };
            }
        }
    }
    // A conflict holds back its month and every later one, until a close goes over it.
    for (_, b) in tenant.states(CONFLICTS)? {
        let c: Conflict = codec::decode(&b)?;
        if c.month <= month && c.closed_over.is_none() {
            out.push(Issue::Conflict {
                source: c.source,
                description: c.description,
            });
        }
    }
    for (_, b) in tenant.states(REJECTED)? {
        let r: Rejected = codec::decode(&b)?;
        if r.month.is_none_or(|m| m <= month) && r.closed_over.is_none() {
            out.push(Issue::Rejected {
                seq: r.seq,
                source: r.source,
                why: r.why,
            });
        }
    }
    Ok(out)
}

/// The digest of a month as it stands: its budget lines and every entry's source and effect,
/// in key order (ids and times left out, so the same postings give the same digest), with the
/// month's sums.
fn seal(
    month: Month,
    lines: &[Versioned<BudgetLine>],
    entries: &[Versioned<Entry>],
) -> (String, PeriodClose) {
    let mut sums = PeriodClose {
        month,
        digest: String::new(),
        entries: 0,
        committed: Decimal::ZERO,
        realized: Decimal::ZERO,
        savings: Decimal::ZERO,
        open_issues: Vec::new(),
        override_reason: String::new(),
    };
    let mut text: Vec<String> = lines
        .iter()
        .map(|b| format!("plan|{}|{}", b.key, b.value.planned.normalize()))
        .collect();
    let mut rows: Vec<String> = Vec::with_capacity(entries.len());
    for e in entries {
        let v = &e.value;
        sums.entries += 1;
        sums.committed += v.committed;
        sums.realized += v.realized;
        sums.savings += v.savings;
        rows.push(format!(
            "entry|{}|{}|{}|{}|{}|{}|{}|{}",
            v.cost_center,
            v.category,
            v.source,
            v.phase,
            v.amount.normalize(),
            v.committed.normalize(),
            v.realized.normalize(),
            v.savings.normalize()
        ));
    }
    rows.sort();
    text.extend(rows);
    let mut h = Sha256::new();
    for l in &text {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    sums.digest = hex::encode(h.finalize());
    (sums.digest.clone(), sums)
}

/// The digest of `month` as this transaction sees it (see `seal`).
pub fn digest_in(tx: &Tx, month: Month) -> opsdeck_storage::Result<(String, PeriodClose)> {
    let prefix = format!("{}|", month.key());
    let lines = tx.list_prefix::<BudgetLine>(&prefix)?;
    let entries = tx.list_prefix::<Entry>(&prefix)?;
    Ok(seal(month, &lines, &entries))
}

/// Closes `month` (finance or admin). With issues open it is refused unless `override_reason`
/// says why it closes anyway (kept with the close and audited).
pub fn close(
    tenant: &Tenant,
    user: &str,
    month: Month,
    tz: &TimeZone,
    today: jiff::civil::Date,
    override_reason: &str,
) -> Result<Versioned<PeriodClose>> {
    require(tenant, user, LedgerAction::Close)?;
    if month >= Month::of(today) {
        return Err(FieldError::new("month", why!(CloseNotOver, month, today)).into());
    }
    write_checked(tenant, user, |tx| {
        if let Some(cur) = tx.get::<PeriodClose>(&month.to_string())? {
            return Ok(Step::Refuse(FieldError::new(
                "month",
                why!(AlreadyClosed, month, cur.changed_by, cur.changed_at),
            )));
        }
        // Read while this transaction holds the writer's lock: nothing can commit between
        // what the close saw open and the seal.
        let issues = readiness(tenant, month, tz, today).map_err(|e| {
            opsdeck_storage::Error::Invalid(format!("close readiness of {month}: {e}"))
        })?;
        // Without open issues there is nothing to override.
        let reason = if issues.is_empty() {
            ""
        } else {
            override_reason.trim()
        };
        if !issues.is_empty() && reason.is_empty() {
            let first: Vec<String> = issues.iter().take(3).map(|i| i.to_string()).collect();
            return Ok(Step::Refuse(FieldError::new(
                "override",
                why!(CloseNotReady, month, issues.len(), first.join("; ")),
            )));
        }
        let (digest, mut rec) = digest_in(tx, month)?;
        // The conflicts and rejected postings this close went over, with its reason, hold no
        // later month back.
        for i in &issues {
            match i {
                Issue::Conflict { source, .. } => {
                    if let Some(mut c) = read::<Conflict>(tx, CONFLICTS, source)? {
                        c.closed_over = Some(month);
                        put(tx, CONFLICTS, source, &c)?;
                    }
                }
                Issue::Rejected { seq, .. } => {
                    let key = format!("{seq:012}");
                    if let Some(mut r) = read::<Rejected>(tx, REJECTED, &key)? {
                        r.closed_over = Some(month);
                        put(tx, REJECTED, &key, &r)?;
                    }
                }
                _ => {}
            }
        }
        rec.open_issues = issues.iter().map(|i| i.to_string()).collect();
        rec.override_reason = reason.to_owned();
        tx.audit(
            "ledger.close",
            &format!("ledger_period/{month}"),
            &format!(
                "sealed digest {digest}; {} entries; committed {} realized {} savings {}{}",
                rec.entries,
                rec.committed,
                rec.realized,
                rec.savings,
                if reason.is_empty() {
                    String::new()
                } else {
                    format!("; closed with {} open issues: {reason}", issues.len())
                }
            ),
        );
        Ok(Step::Write(tx.insert(&month.to_string(), rec)?))
    })
}

/// The closed months, oldest first.
pub fn closed(tenant: &Tenant) -> Result<Vec<Versioned<PeriodClose>>> {
    Ok(tenant.list::<PeriodClose>()?)
}

/// What `verify` found wrong with a closed month (empty: intact).
pub fn problems(tenant: &Tenant, month: Month) -> Result<Option<Vec<String>>> {
    let Some(sealed) = tenant.get::<PeriodClose>(&month.to_string())? else {
        return Ok(None);
    };
    let prefix = format!("{}|", month.key());
    let lines = tenant.list_prefix::<BudgetLine>(&prefix)?;
    let entries = tenant.list_prefix::<Entry>(&prefix)?;
    let (digest, sums) = seal(month, &lines, &entries);
    let mut out = Vec::new();
    if digest != sealed.value.digest {
        out.push(format!(
            "the month's entries and plan no longer give the sealed digest ({} now, {} sealed)",
            &digest[..12],
            sealed.value.digest.chars().take(12).collect::<String>()
        ));
    }
    // The seal is in the audit chain (whose own links `opsdeck audit verify` checks).
    let entity = format!("ledger_period/{month}");
    let in_trail = tenant
        .audit_find(|a| a.action == "ledger.close" && a.entity == entity)?
        .is_some_and(|a| a.detail.contains(&sealed.value.digest));
    if !in_trail {
        out.push("the sealed digest is not in the audit trail's ledger.close entry".into());
    }
    // What the grid shows (the cells' sums) is what the entries say.
    let mut shown = Totals::default();
    for (_, b) in tenant.states_range(TOTALS, &month.key(), &month.next().key())? {
        let t: Totals = codec::decode(&b)?;
        shown.add(&t);
    }
    if (
        shown.committed,
        shown.realized,
        shown.savings,
        shown.entries,
    ) != (sums.committed, sums.realized, sums.savings, sums.entries)
    {
        out.push(format!(
            "the grid's sums (committed {} realized {} savings {}, {} entries) differ from the entries' ({} {} {}, {})",
            shown.committed, shown.realized, shown.savings, shown.entries,
            sums.committed, sums.realized, sums.savings, sums.entries
        ));
    }
    Ok(Some(out))
}

/// Whether a closed month is intact: its entries and plan give the sealed digest, that digest
/// is the one in the audit chain, and the grid's sums are the entries'. None: not closed.
pub fn verify(tenant: &Tenant, month: Month) -> Result<Option<bool>> {
    Ok(problems(tenant, month)?.map(|p| p.is_empty()))
}

/// A cell's totals as stored (for tests and the bench's check).
pub fn totals(tenant: &Tenant) -> Result<Vec<(String, Totals)>> {
    let mut out = Vec::new();
    for (k, b) in tenant.states(TOTALS)? {
        out.push((k, codec::decode(&b)?));
    }
    Ok(out)
}
