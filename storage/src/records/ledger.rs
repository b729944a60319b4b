//! The ledger ("Orçamento Vivo"): cost centers (a tree), categories, monthly budget lines, and
//! immutable entries, each with the source key that makes posting idempotent. Money is
//! `Decimal` BRL. A period is a month; a closed month keeps the digest of its totals.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

/// A calendar month, stored as yyyymm so that months sort as numbers and as keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month(pub u32);

impl Month {
    pub fn new(year: i16, month: i8) -> Month {
        Month(year as u32 * 100 + month as u32)
    }

    pub fn of(date: Date) -> Month {
        Month::new(date.year(), date.month())
    }

    pub fn year(self) -> i16 {
        (self.0 / 100) as i16
    }

    pub fn month(self) -> i8 {
        (self.0 % 100) as i8
    }

    pub fn first_day(self) -> Date {
        Date::new(self.year(), self.month(), 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn next(self) -> Month {
        if self.month() == 12 {
            Month::new(self.year() + 1, 1)
        } else {
            Month::new(self.year(), self.month() + 1)
        }
    }

    pub fn prev(self) -> Month {
        if self.month() == 1 {
            Month::new(self.year() - 1, 12)
        } else {
            Month::new(self.year(), self.month() - 1)
        }
    }

    /// "202610": the prefix of the month's keys.
    pub fn key(self) -> String {
        format!("{:06}", self.0)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl FromStr for Month {
    type Err = String;
    /// "2026-10" (or "10/2026", as Brazilian sheets write it).
    fn from_str(s: &str) -> Result<Month, String> {
        let s = s.trim();
        let bad = || format!("'{s}' is not a month (YYYY-MM, e.g. 2026-10)");
        let (y, m) = if let Some((y, m)) = s.split_once('-') {
            (y, m)
        } else if let Some((m, y)) = s.split_once('/') {
            (y, m)
        } else {
            return Err(bad());
        };
        let y: i16 = y.trim().parse().map_err(|_| bad())?;
        let m: i8 = m.trim().parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&y) || !(1..=12).contains(&m) {
            return Err(bad());
        }
        Ok(Month::new(y, m))
    }
}

/// How many months a period spans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodSize {
    #[default]
    Month,
    Quarter,
    Year,
    /// From January to the anchor month.
    YearToDate,
}

impl PeriodSize {
    /// The next size, as the pane's key cycles them.
    pub fn next(self) -> PeriodSize {
        match self {
            PeriodSize::Month => PeriodSize::Quarter,
            PeriodSize::Quarter => PeriodSize::Year,
            PeriodSize::Year => PeriodSize::YearToDate,
            PeriodSize::YearToDate => PeriodSize::Month,
        }
    }
}

/// `root` and every code under it, given each code's parent.
pub fn subtree<'a>(
    root: &str,
    parents: impl Iterator<Item = (&'a str, Option<&'a str>)> + Clone,
) -> Vec<String> {
    let mut keep = vec![root.to_owned()];
    let mut grew = true;
    while grew {
        grew = false;
        for (code, parent) in parents.clone() {
            if parent.is_some_and(|p| keep.iter().any(|k| k == p))
                && !keep.iter().any(|k| k == code)
            {
                keep.push(code.to_owned());
                grew = true;
            }
        }
    }
    keep
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CcKind {
    Site,
    Area,
    Unit,
    Fleet,
    Other,
}

named_enum!(CcKind, "cost center kind", {
    Site => "site",
    Area => "area",
    Unit => "unit",
    Fleet => "fleet",
    Other => "other",
});

/// A cost center, keyed by `code` ("HC-CAG"); `parent` makes the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostCenter {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub kind: CcKind,
    /// What the other panes' postings name that lands here: "site:Hospital Central",
    /// "area:Hospital Central/Casa de máquinas", "gas:CRI", "fleet:OBRAS" ...
    pub covers: Vec<String>,
    pub active: bool,
}

impl Record for CostCenter {
    const KIND: &'static str = "ledger_cost_center";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

/// A cost category, keyed by `code` ("labor", "parts" ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    /// One of the categories every tenant has (cannot be removed).
    pub builtin: bool,
}

impl Record for Category {
    const KIND: &'static str = "ledger_category";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

/// The planned amount of one month x cost center x category. Keyed by `BudgetLine::key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub month: Month,
    pub cost_center: String,
    pub category: String,
    pub planned: Decimal,
    pub note: String,
}

impl BudgetLine {
    pub fn key(month: Month, cost_center: &str, category: &str) -> String {
        format!("{}|{cost_center}|{category}", month.key())
    }
}

impl Record for BudgetLine {
    const KIND: &'static str = "ledger_budget";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Pending: an approved quote, a purchase order, a started order's estimate.
    Commit,
    /// Money spent, against a commitment (fully or partly) or standing alone.
    Realize,
    /// What was left of a commitment, let go (an order completed under its estimate).
    Release,
    /// A commitment cancelled before anything was spent.
    Void,
    /// The part of a commitment a realization used up (written beside the realization, in the
    /// commitment's cell).
    Consume,
    /// A negotiated discount or an avoided cost, with its reason.
    Savings,
    /// A correction of a closed month, or a posting that arrived after its month closed.
    Adjust,
}

named_enum!(Phase, "entry phase", {
    Commit => "commit",
    Realize => "realize",
    Release => "release",
    Void => "void",
    Consume => "consume",
    Savings => "savings",
    Adjust => "adjust",
});

/// Where an entry came from, so the pane can open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceLink {
    Manual,
    WorkOrder(u64),
    GasDay {
        unit: String,
        date: Date,
    },
    GasInvoice {
        unit: String,
        month: Month,
    },
    /// A pane's own record ("fuel_log/882").
    Record {
        kind: String,
        key: String,
    },
}

/// One ledger entry: immutable once written. Its effect on its cell is `committed`, `realized`
/// and `savings` (each may be negative: a release lowers committed); the cell's totals are the
/// sums of its entries' effects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: u64,
    /// The month it counts in (the first open one for a late posting).
    pub month: Month,
    /// The day it happened (the source's date).
    pub date: Date,
    pub cost_center: String,
    pub category: String,
    pub phase: Phase,
    /// The amount as posted (for a release or void: what was left).
    pub amount: Decimal,
    pub committed: Decimal,
    pub realized: Decimal,
    pub savings: Decimal,
    /// The idempotency key: "wo:131:part:7", "gas:CRI:2026-11-04", "manual:12" ...
    pub source: String,
    /// The commitment's source key a realization, consume, release or void acts on.
    pub against: Option<String>,
    /// A late posting: the date it was for, in a month that was closed when it arrived.
    pub original_month: Option<Month>,
    /// An adjustment: the entry it corrects (its key), if it names one.
    pub corrects: Option<String>,
    pub description: String,
    /// Why (savings, adjustments, manual postings).
    pub reason: String,
    /// Evidence of a saving (an evidence store digest or a document number).
    pub evidence: String,
    pub link: SourceLink,
    /// Who made the change it comes from (who closed the order, who keyed the posting); the
    /// record itself is written by the ledger.
    pub by: String,
}

impl Entry {
    /// "202610|HC-CAG|parts|000000123": a cell's entries are one key range.
    pub fn key(month: Month, cost_center: &str, category: &str, id: u64) -> String {
        format!("{}|{cost_center}|{category}|{id:09}", month.key())
    }
}

impl Record for Entry {
    const KIND: &'static str = "ledger_entry";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!(
                "{} · {} · {} {}",
                self.month, self.cost_center, self.phase, self.amount
            ),
            body: format!(
                "{} {} {} {} {} {}",
                self.description,
                self.source,
                self.category,
                self.reason,
                self.against.as_deref().unwrap_or(""),
                self.date
            ),
        })
    }
}

/// A closed month: who closed it, the digest of its totals (also in the audit chain), and
/// what was still open when it closed (an override names its reason).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodClose {
    pub month: Month,
    pub digest: String,
    pub entries: u64,
    pub committed: Decimal,
    pub realized: Decimal,
    pub savings: Decimal,
    /// The readiness issues it was closed with.
    pub open_issues: Vec<String>,
    pub override_reason: String,
}

impl Record for PeriodClose {
    const KIND: &'static str = "ledger_period";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

/// A procedure's standard cost (R$), keyed by the procedure's code: an order made with the
/// procedure gets it as its estimate (committed when the order starts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardCost {
    pub procedure: String,
    pub amount: Decimal,
    pub note: String,
}

impl Record for StandardCost {
    const KIND: &'static str = "ledger_standard_cost";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

/// The gas tariff from `from` on (R$ per m³), keyed by the date ("2026-01-01").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasTariff {
    pub from: Date,
    pub price_per_m3: Decimal,
    pub note: String,
}

impl Record for GasTariff {
    const KIND: &'static str = "ledger_gas_tariff";

    fn search_doc(&self, _key: &str) -> Option<SearchDoc> {
        None
    }
}

/// A month's gas supply invoice for one unit, keyed "<unit>|<yyyymm>".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasInvoice {
    pub unit: String,
    pub month: Month,
    pub number: String,
    pub volume_m3: Decimal,
    pub amount: Decimal,
}

impl GasInvoice {
    pub fn key(unit: &str, month: Month) -> String {
        format!("{unit}|{}", month.key())
    }
}

impl Record for GasInvoice {
    const KIND: &'static str = "ledger_gas_invoice";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("{} · {} · {}", self.unit, self.month, self.number),
            body: format!("{} m³ R$ {}", self.volume_m3, self.amount),
        })
    }
}

/// One cell's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub planned: Decimal,
    pub committed: Decimal,
    pub realized: Decimal,
    pub savings: Decimal,
    pub entries: u64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.planned += o.planned;
        self.committed += o.committed;
        self.realized += o.realized;
        self.savings += o.savings;
        self.entries += o.entries;
    }

    /// Planned minus what is committed and realized.
    pub fn available(&self) -> Decimal {
        self.planned - self.committed - self.realized
    }

    /// Committed and realized as a % of planned (None without a plan).
    pub fn consumed_pct(&self) -> Option<Decimal> {
        (!self.planned.is_zero()).then(|| {
            ((self.committed + self.realized) * Decimal::ONE_HUNDRED / self.planned).round_dp(1)
        })
    }
}

/// One cost center's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    pub code: String,
    pub name: String,
    pub depth: usize,
    pub parent: Option<String>,
    pub has_children: bool,
    /// One per category of `Grid::categories`.
    pub cells: Vec<Figures>,
    pub total: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub from: Month,
    pub to: Month,
    /// (code, name)
    pub categories: Vec<(String, String)>,
    /// Tree order; a parent's figures include its children's.
    pub rows: Vec<GridRow>,
    /// Every cost center together, per category, and in all.
    pub totals: Vec<Figures>,
    pub total: Figures,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_step_and_sort() {
        let m: Month = "2026-10".parse().unwrap();
        assert_eq!(m, "10/2026".parse().unwrap());
        assert_eq!(m.to_string(), "2026-10");
        assert_eq!(Month::new(2026, 12).next(), Month::new(2027, 1));
        assert_eq!(Month::new(2027, 1).prev(), Month::new(2026, 12));
        assert_eq!(m.last_day(), jiff::civil::date(2026, 10, 31));
        assert!("2026-13".parse::<Month>().is_err());
        assert!("outubro".parse::<Month>().is_err());
        assert!(Entry::key(m, "A", "b", 2) < Entry::key(m.next(), "A", "b", 1));
    }
}
