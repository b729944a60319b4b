//! Maintenance KPIs from work orders, as a supervisor reads them every day: backlog, overdue,
//! preventive compliance of a period, MTTR and MTBF per asset (from corrective and predictive
//! orders: failures), cost per asset. Pure functions over the orders, so the pane, the CLI and
//! the tests compute them the same way.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::records::work_order::{WoKind, WoStatus, WorkOrder};
use rust_decimal::Decimal;

/// Orders not closed yet (open, in progress, on hold).
pub fn backlog(orders: &[WorkOrder]) -> usize {
    orders.iter().filter(|o| !o.status.is_closed()).count()
}

/// Orders not closed whose due time has passed.
pub fn overdue(orders: &[WorkOrder], now: Timestamp) -> usize {
    orders
        .iter()
        .filter(|o| !o.status.is_closed() && o.due.is_some_and(|d| d < now))
        .count()
}

/// Preventive compliance of `[from, to)`: of the preventive orders due in the period (cancelled
/// ones left out), how many were done by their due time. None when none was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compliance {
    pub due: usize,
    pub done_on_time: usize,
}

impl Compliance {
    /// 0..=100, rounded down.
    pub fn percent(&self) -> Option<u32> {
        (self.due > 0).then(|| (self.done_on_time * 100 / self.due) as u32)
    }
}

pub fn pm_compliance(orders: &[WorkOrder], from: Timestamp, to: Timestamp) -> Compliance {
    let due: Vec<&WorkOrder> = orders
        .iter()
        .filter(|o| o.kind == WoKind::Preventive && o.status != WoStatus::Cancelled)
        .filter(|o| o.due.is_some_and(|d| d >= from && d < to))
        .collect();
    let done_on_time = due
        .iter()
        .filter(|o| {
            o.status == WoStatus::Done
                && matches!((o.closed_at(), o.due), (Some(c), Some(d)) if c <= d)
        })
        .count();
    Compliance {
        due: due.len(),
        done_on_time,
    }
}

/// A failure: a corrective or predictive order that was not cancelled.
fn is_failure(o: &WorkOrder) -> bool {
    matches!(o.kind, WoKind::Corrective | WoKind::Predictive) && o.status != WoStatus::Cancelled
}

/// How long the asset was down for an order, within `[from, to)`: its downtime windows (an open
/// one counts up to `to`).
fn downtime_within(o: &WorkOrder, from: Timestamp, to: Timestamp) -> SignedDuration {
    o.downtime
        .iter()
        .map(|d| {
            let start = d.from.max(from);
            let end = d.to.unwrap_or(to).min(to);
            if end > start {
                end.duration_since(start)
            } else {
                SignedDuration::ZERO
            }
        })
        .sum()
}

/// Reliability of one asset over `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reliability {
    /// Failures that started (order created) in the period.
    pub failures: usize,
    /// Of them, those that stopped the asset (a downtime window recorded).
    pub repairs: usize,
    pub downtime: SignedDuration,
    /// Mean time to repair: downtime of the failures / failures that had downtime (None when
    /// none did: a thermostat swapped with the unit running says nothing about repair time).
    pub mttr: Option<SignedDuration>,
    /// Mean time between failures: time up in the period / failures (None without failures).
    pub mtbf: Option<SignedDuration>,
}

/// MTTR and MTBF of `asset` over `[from, to)`, from its failure orders. Downtime is what the
/// orders recorded (asset down from/to); a failure without a downtime window counts as a
/// failure with no downtime.
pub fn reliability(
    orders: &[WorkOrder],
    asset: &str,
    from: Timestamp,
    to: Timestamp,
) -> Reliability {
    let failures: Vec<&WorkOrder> = orders
        .iter()
        .filter(|o| o.asset.as_deref() == Some(asset) && is_failure(o))
        .filter(|o| o.created_at >= from && o.created_at < to)
        .collect();
    let downs: Vec<SignedDuration> = failures
        .iter()
        .map(|o| downtime_within(o, from, to))
        .collect();
    let downtime: SignedDuration = downs.iter().copied().sum();
    let repairs = downs.iter().filter(|d| !d.is_zero()).count();
    let n = failures.len() as i32;
    let period = if to > from {
        to.duration_since(from)
    } else {
        SignedDuration::ZERO
    };
    Reliability {
        failures: failures.len(),
        repairs,
        downtime,
        mttr: (repairs > 0).then(|| downtime / repairs as i32),
        mtbf: (n > 0).then(|| (period - downtime) / n),
    }
}

/// Cost of the orders closed in `[from, to)`, per asset tag (orders without an asset under "").
/// A cancelled order counts too: the parts and hours booked on it were spent, and closing it
/// posted them to the ledger like a done one.
pub fn cost_per_asset(
    orders: &[WorkOrder],
    from: Timestamp,
    to: Timestamp,
) -> BTreeMap<String, Decimal> {
    let mut out: BTreeMap<String, Decimal> = BTreeMap::new();
    for o in orders.iter().filter(|o| o.status.is_closed()) {
        if let Some(closed) = o.closed_at()
            && closed >= from
            && closed < to
        {
            *out.entry(o.asset.clone().unwrap_or_default()).or_default() += o.cost();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::str::FromStr;

    use opsdeck_storage::records::work_order::{
        Downtime, LaborEntry, Priority, ServiceCost, Transition,
    };

    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::from_str(s).unwrap()
    }

    fn order(id: u64, kind: WoKind, asset: &str, created: &str) -> WorkOrder {
        WorkOrder {
            id,
            title: format!("OS {id}"),
            description: String::new(),
            kind,
            priority: Priority::Medium,
            status: WoStatus::Open,
            asset: Some(asset.into()),
            assignee: None,
            due: None,
            created_by: "ana".into(),
            created_at: ts(created),
            transitions: Vec::new(),
            procedure: None,
            checklist: Vec::new(),
            parts: Vec::new(),
            labor: Vec::new(),
            services: Vec::new(),
            evidence: Vec::new(),
            notes: Vec::new(),
            downtime: Vec::new(),
            alert: None,
            plan: None,
            extra: BTreeMap::new(),
        }
    }

    fn close(mut o: WorkOrder, status: WoStatus, at: &str) -> WorkOrder {
        o.transitions.push(Transition {
            from: o.status,
            to: status,
            by: "ana".into(),
            at: ts(at),
            reason: String::new(),
        });
        o.status = status;
        o
    }

    fn down(mut o: WorkOrder, from: &str, to: Option<&str>) -> WorkOrder {
        o.downtime.push(Downtime {
            from: ts(from),
            to: to.map(ts),
        });
        o
    }

    /// Chiller CH-01 in November 2026 (30 days = 720 h): three failures, down 4 h, 10 h and
    /// 6 h (20 h in all). MTTR = 20 h / 3 = 6 h 40 min; MTBF = (720 h - 20 h) / 3 = 233 h 20 min.
    #[test]
    fn mttr_and_mtbf_on_a_hand_computed_history() {
        let orders = vec![
            close(
                down(
                    order(1, WoKind::Corrective, "CH-01", "2026-11-03T08:00:00Z"),
                    "2026-11-03T08:00:00Z",
                    Some("2026-11-03T12:00:00Z"),
                ),
                WoStatus::Done,
                "2026-11-03T12:30:00Z",
            ),
            close(
                down(
                    order(2, WoKind::Predictive, "CH-01", "2026-11-10T20:00:00Z"),
                    "2026-11-10T20:00:00Z",
                    Some("2026-11-11T06:00:00Z"),
                ),
                WoStatus::Done,
                "2026-11-11T07:00:00Z",
            ),
            // Still down at the end of the period: counts up to it (6 h).
            down(
                order(3, WoKind::Corrective, "CH-01", "2026-11-30T18:00:00Z"),
                "2026-11-30T18:00:00Z",
                None,
            ),
            // Not failures: a preventive order, a cancelled corrective, another asset.
            down(
                order(4, WoKind::Preventive, "CH-01", "2026-11-15T08:00:00Z"),
                "2026-11-15T08:00:00Z",
                Some("2026-11-15T10:00:00Z"),
            ),
            close(
                order(5, WoKind::Corrective, "CH-01", "2026-11-16T08:00:00Z"),
                WoStatus::Cancelled,
                "2026-11-16T09:00:00Z",
            ),
            order(6, WoKind::Corrective, "CH-02", "2026-11-16T08:00:00Z"),
        ];
        let r = reliability(
            &orders,
            "CH-01",
            ts("2026-11-01T00:00:00Z"),
            ts("2026-12-01T00:00:00Z"),
        );
        assert_eq!((r.failures, r.repairs), (3, 3));
        assert_eq!(r.downtime, SignedDuration::from_hours(20));
        assert_eq!(r.mttr, Some(SignedDuration::from_mins(6 * 60 + 40)));
        assert_eq!(r.mtbf, Some(SignedDuration::from_mins(233 * 60 + 20)));
        let none = reliability(
            &orders,
            "AHU-09",
            ts("2026-11-01T00:00:00Z"),
            ts("2026-12-01T00:00:00Z"),
        );
        assert_eq!((none.failures, none.mttr, none.mtbf), (0, None, None));
    }

    #[test]
    fn backlog_overdue_compliance_and_cost_per_asset() {
        let now = ts("2026-11-23T12:00:00Z");
        let mut pm1 = order(1, WoKind::Preventive, "FC-01", "2026-11-01T08:00:00Z");
        pm1.due = Some(ts("2026-11-10T23:00:00Z"));
        let pm1 = close(pm1, WoStatus::Done, "2026-11-09T15:00:00Z");
        let mut pm2 = order(2, WoKind::Preventive, "FC-02", "2026-11-01T08:00:00Z");
        pm2.due = Some(ts("2026-11-10T23:00:00Z"));
        let pm2 = close(pm2, WoStatus::Done, "2026-11-12T15:00:00Z"); // late
        let mut pm3 = order(3, WoKind::Preventive, "FC-03", "2026-11-01T08:00:00Z");
        pm3.due = Some(ts("2026-11-20T23:00:00Z")); // still open: overdue
        let mut pm4 = order(4, WoKind::Preventive, "FC-04", "2026-11-01T08:00:00Z");
        pm4.due = Some(ts("2026-11-20T23:00:00Z"));
        let pm4 = close(pm4, WoStatus::Cancelled, "2026-11-02T08:00:00Z"); // left out
        let mut c1 = order(5, WoKind::Corrective, "FC-01", "2026-11-05T08:00:00Z");
        c1.labor.push(LaborEntry {
            technician: "joao".into(),
            hours: Decimal::from(3),
            rate: Decimal::from_str("85.50").unwrap(),
            note: String::new(),
            by: "joao".into(),
            at: ts("2026-11-05T11:00:00Z"),
        });
        c1.services.push(ServiceCost {
            description: "guindaste".into(),
            amount: Decimal::from(400),
            by: "ana".into(),
            at: ts("2026-11-05T11:00:00Z"),
        });
        let c1 = close(c1, WoStatus::Done, "2026-11-05T12:00:00Z");
        let orders = vec![pm1, pm2, pm3, pm4, c1];

        assert_eq!(backlog(&orders), 1);
        assert_eq!(overdue(&orders, now), 1);
        let c = pm_compliance(
            &orders,
            ts("2026-11-01T00:00:00Z"),
            ts("2026-12-01T00:00:00Z"),
        );
        assert_eq!(
            c,
            Compliance {
                due: 3,
                done_on_time: 1
            }
        );
        assert_eq!(c.percent(), Some(33));
        let cost = cost_per_asset(
            &orders,
            ts("2026-11-01T00:00:00Z"),
            ts("2026-12-01T00:00:00Z"),
        );
        // 3 h x R$ 85,50 + R$ 400,00 = R$ 656,50 on FC-01; the preventive orders cost nothing.
        assert_eq!(
            cost.get("FC-01"),
            Some(&Decimal::from_str("656.50").unwrap())
        );
        assert_eq!(cost.get("FC-02"), Some(&Decimal::ZERO));
        assert_eq!(cost.get("FC-03"), None);
    }
}
