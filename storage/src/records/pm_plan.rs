//! Preventive maintenance plans (CMMS): which assets get which procedure, and when: by the
//! calendar (every N days, weeks or months, fixed from the schedule or floating from the last
//! completion), by a counter's increase (run hours, cycles) or when a reading leaves a band.
//! The scheduler turns them into preventive work orders (`WorkOrder::plan` names the plan, the
//! asset and the occurrence).

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Record;
use super::work_order::Priority;
use crate::search_doc::SearchDoc;

/// The calendar unit of a calendar plan's interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodUnit {
    Day,
    Week,
    /// Calendar months: the day of month of the start, clamped to the month's end (Jan 31 ->
    /// Feb 28 -> Mar 31).
    Month,
}

named_enum!(PeriodUnit, "period unit", {
    Day => "day",
    Week => "week",
    Month => "month",
});

/// Where the next calendar occurrence counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarMode {
    /// From the start date: start, start + N, start + 2N ... whatever happened to the orders.
    Fixed,
    /// From the last completion: the next is N after the previous order was closed.
    Floating,
}

named_enum!(CalendarMode, "calendar mode", {
    Fixed => "fixed",
    Floating => "floating",
});

/// When a plan is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Schedule {
    Calendar {
        every: u32,
        unit: PeriodUnit,
        /// The first occurrence (fixed: the anchor of every later one).
        start: Date,
        mode: CalendarMode,
    },
    /// Every `every` units of increase of a counter (run hours, cycles). An empty `device`
    /// means each asset's own device (its linked sensor reporting `metric`, or its tag).
    Meter {
        device: String,
        metric: String,
        every: Decimal,
    },
    /// When the latest value goes above `above` or below `below` (at least one is set). An
    /// empty `device` means each asset's own, as for `Meter`.
    Threshold {
        device: String,
        metric: String,
        above: Option<f64>,
        below: Option<f64>,
    },
}

impl Schedule {
    /// "every 1 month (fixed, from 2026-11-01)", "every 500 run_hours of PMP-01" ...
    pub fn describe(&self) -> String {
        let dev = |d: &str| {
            if d.is_empty() {
                "each asset's device".to_owned()
            } else {
                d.to_owned()
            }
        };
        match self {
            Schedule::Calendar {
                every,
                unit,
                start,
                mode,
            } => {
                let plural = if *every == 1 { "" } else { "s" };
                format!("every {every} {unit}{plural} ({mode}, from {start})")
            }
            Schedule::Meter {
                device,
                metric,
                every,
            } => format!("every {every} {metric} of {}", dev(device)),
            Schedule::Threshold {
                device,
                metric,
                above,
                below,
            } => {
                let mut when = Vec::new();
                if let Some(a) = above {
                    when.push(format!("above {a}"));
                }
                if let Some(b) = below {
                    when.push(format!("below {b}"));
                }
                format!("when {metric} of {} is {}", dev(device), when.join(" or "))
            }
        }
    }
}

/// Keyed by `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PmPlan {
    /// "PM-CH-TRI": unique in the tenant, part of every generated order's `plan`.
    pub code: String,
    pub name: String,
    /// Asset tags; several make a group (one order per asset and occurrence).
    pub assets: Vec<String>,
    /// Procedure code: the generated orders' checklist.
    pub procedure: Option<String>,
    pub schedule: Schedule,
    /// Calendar plans: generate this many days before the due date. Meter and threshold
    /// plans: the days given to do it (due = generation day + lead_days).
    pub lead_days: u32,
    pub priority: Priority,
    pub assignee: Option<String>,
    /// The orders' title; `{name}`, `{plan}`, `{asset}`, `{asset_name}` and `{date}` are
    /// replaced. Empty: "{name} — {asset}".
    pub title: String,
    /// False: generates nothing (kept for its history).
    pub active: bool,
    /// Local date the plan was created or last (re)activated or rescheduled: calendar
    /// occurrences due before it are never generated, so a plan with an old start date or a
    /// plan back from a pause does not flood the backlog.
    pub since: Date,
    pub note: String,
}

impl Record for PmPlan {
    const KIND: &'static str = "pm_plan";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("{} · {}", self.code, self.name),
            body: format!(
                "{} {} {} {}",
                self.assets.join(" "),
                self.procedure.as_deref().unwrap_or_default(),
                self.schedule.describe(),
                self.note
            ),
        })
    }
}
