//! The period grid: cost center (tree) x category, with planned / committed / realized /
//! savings per cell, parents summing their children, and the monthly series for the chart.
//! Read from the cells' totals and the budget lines, never from the entries.

use std::collections::BTreeMap;

use anyhow::Result;
use opsdeck_storage::records::ledger::{Category, CostCenter, Month};
pub use opsdeck_storage::records::ledger::{Figures, Grid, GridRow, PeriodSize};
use opsdeck_storage::{Tenant, codec};
use rust_decimal::Decimal;

use super::centers;
use super::post::{PLANNED, TOTALS, Totals};

/// Per month of a range: the whole tenant's (or one cost center's subtree) figures.
pub type Series = Vec<(Month, Figures)>;

/// Every cell's totals and planned, keyed (month, cost center, category).
/// (month, cost center, category) -> figures.
type Cells = BTreeMap<(Month, String, String), Figures>;

/// "202610|HC-CAG|parts" -> its parts.
fn cell_of(key: &str) -> Option<(Month, String, String)> {
    let mut parts = key.splitn(3, '|');
    let (m, cc, cat) = (parts.next()?, parts.next()?, parts.next()?);
    Some((
        m.parse::<u32>().ok().map(Month)?,
        cc.to_owned(),
        cat.to_owned(),
    ))
}

/// Every cell of months `from..=to`: the sums kept beside the entries and the planned amount
/// kept beside the budget lines, one key range each.
fn cells(tenant: &Tenant, from: Month, to: Month) -> Result<Cells> {
    let (lo, hi) = (from.key(), to.next().key());
    let mut out = Cells::new();
    for (key, bytes) in tenant.states_range(TOTALS, &lo, &hi)? {
        let Some(cell) = cell_of(&key) else {
            continue;
        };
        let t: Totals = codec::decode(&bytes)?;
        let f = out.entry(cell).or_default();
        f.committed += t.committed;
        f.realized += t.realized;
        f.savings += t.savings;
        f.entries += t.entries;
    }
    for (key, bytes) in tenant.states_range(PLANNED, &lo, &hi)? {
        let Some(cell) = cell_of(&key) else {
            continue;
        };
        let planned: Decimal = codec::decode(&bytes)?;
        out.entry(cell).or_default().planned += planned;
    }
    Ok(out)
}

/// The grid of months `from..=to`.
pub fn grid(tenant: &Tenant, from: Month, to: Month) -> Result<Grid> {
    let categories: Vec<Category> = centers::categories(tenant)?;
    let tree = centers::tree(tenant)?;
    let cells = cells(tenant, from, to)?;
    Ok(assemble(from, to, &categories, &tree, &cells))
}

/// The grid of months `from..=to` and the months of `year` for the chart, from one read.
pub fn grid_and_year(tenant: &Tenant, from: Month, to: Month, year: i16) -> Result<(Grid, Series)> {
    let categories: Vec<Category> = centers::categories(tenant)?;
    let tree = centers::tree(tenant)?;
    let (jan, dec) = (Month::new(year, 1), Month::new(year, 12));
    let all = cells(tenant, from.min(jan), to.max(dec))?;
    let period: Cells = all
        .iter()
        .filter(|((m, _, _), _)| *m >= from && *m <= to)
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    let grid = assemble(from, to, &categories, &tree, &period);
    Ok((grid, series(&all, jan, dec, None)))
}

/// The months `from..=to` summed over every cell (or a subtree's).
fn series(cells: &Cells, from: Month, to: Month, only: Option<&[String]>) -> Series {
    let mut out: Vec<(Month, Figures)> = Vec::new();
    let mut m = from;
    while m <= to {
        out.push((m, Figures::default()));
        m = m.next();
    }
    for ((m, cc, _), f) in cells {
        if only.is_some_and(|s| !s.contains(cc)) || *m < from || *m > to {
            continue;
        }
        let i = (m.year() - from.year()) as i64 * 12 + (m.month() - from.month()) as i64;
        if let Some((_, acc)) = usize::try_from(i).ok().and_then(|i| out.get_mut(i)) {
            acc.add(f);
        }
    }
    out
}

fn assemble(
    from: Month,
    to: Month,
    categories: &[Category],
    tree: &[(CostCenter, usize)],
    cells: &BTreeMap<(Month, String, String), Figures>,
) -> Grid {
    let col_of: BTreeMap<&str, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.as_str(), i))
        .collect();
    let other = col_of
        .get("other")
        .copied()
        .unwrap_or(categories.len().saturating_sub(1));
    let ncat = categories.len();
    // Own figures per cost center.
    let mut own: BTreeMap<&str, Vec<Figures>> = BTreeMap::new();
    for ((_, cc, cat), f) in cells {
        let col = col_of.get(cat.as_str()).copied().unwrap_or(other);
        let row = own
            .entry(cc.as_str())
            .or_insert_with(|| vec![Figures::default(); ncat]);
        if let Some(cell) = row.get_mut(col) {
            cell.add(f);
        }
    }
    let mut rows: Vec<GridRow> = tree
        .iter()
        .map(|(c, depth)| GridRow {
            code: c.code.clone(),
            name: c.name.clone(),
            depth: *depth,
            parent: c.parent.clone(),
            has_children: tree
                .iter()
                .any(|(o, _)| o.parent.as_deref() == Some(&c.code)),
            cells: own
                .get(c.code.as_str())
                .cloned()
                .unwrap_or_else(|| vec![Figures::default(); ncat]),
            total: Figures::default(),
        })
        .collect();
    // Figures of cost centers that no longer exist still count: under their own code.
    for (cc, figs) in &own {
        if !rows.iter().any(|r| r.code == *cc) {
            rows.push(GridRow {
                code: (*cc).to_owned(),
                name: (*cc).to_owned(),
                depth: 0,
                parent: None,
                has_children: false,
                cells: figs.clone(),
                total: Figures::default(),
            });
        }
    }
    // Children follow their parent in tree order: add each row into its ancestors, deepest
    // first, so a parent has its whole subtree.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(rows[*i].depth));
    for i in order {
        if let Some(p) = rows[i].parent.clone()
            && let Some(pi) = rows.iter().position(|r| r.code == p)
            && pi != i
        {
            let cells = rows[i].cells.clone();
            for (dst, src) in rows[pi].cells.iter_mut().zip(cells.iter()) {
                dst.add(src);
            }
        }
    }
    let mut totals = vec![Figures::default(); ncat];
    for r in &mut rows {
        let mut t = Figures::default();
        for c in &r.cells {
            t.add(c);
        }
        r.total = t;
        if r.depth == 0 {
            for (dst, src) in totals.iter_mut().zip(r.cells.iter()) {
                dst.add(src);
            }
        }
    }
    let mut total = Figures::default();
    for t in &totals {
        total.add(t);
    }
    Grid {
        from,
        to,
        categories: categories
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        rows,
        totals,
        total,
    }
}

/// The months of `year` with their figures, for the whole tenant or for the subtree of one
/// cost center.
pub fn monthly(tenant: &Tenant, year: i16, cost_center: Option<&str>) -> Result<Series> {
    let (from, to) = (Month::new(year, 1), Month::new(year, 12));
    let cells = cells(tenant, from, to)?;
    let only = match cost_center {
        Some(root) => Some(subtree(tenant, root)?),
        None => None,
    };
    Ok(series(&cells, from, to, only.as_deref()))
}

/// Year-end projection at the run rate: what is realized and committed up to `through`
/// (inclusive), plus the months after it at the average of the last three months up to it.
pub fn forecast(series: &Series, through: Month) -> Decimal {
    let done: Vec<&Figures> = series
        .iter()
        .filter(|(m, _)| *m <= through)
        .map(|(_, f)| f)
        .collect();
    if done.is_empty() {
        return Decimal::ZERO;
    }
    let spent: Decimal = done.iter().map(|f| f.realized + f.committed).sum();
    let recent: Vec<&&Figures> = done.iter().rev().take(3).collect();
    let rate = recent
        .iter()
        .map(|f| f.realized + f.committed)
        .sum::<Decimal>()
        / Decimal::from(recent.len() as i64);
    let left = (series.len() - done.len()) as i64;
    (spent + rate * Decimal::from(left)).round_dp(2)
}

/// The months of the period of `size` that holds `anchor`.
pub fn range(size: PeriodSize, anchor: Month) -> (Month, Month) {
    let (y, m) = (anchor.year(), anchor.month());
    match size {
        PeriodSize::Month => (anchor, anchor),
        PeriodSize::Quarter => {
            let first = (m - 1) / 3 * 3 + 1;
            (Month::new(y, first), Month::new(y, first + 2))
        }
        PeriodSize::Year => (Month::new(y, 1), Month::new(y, 12)),
        PeriodSize::YearToDate => (Month::new(y, 1), anchor),
    }
}

/// The anchor one period later (`forward`) or earlier.
pub fn step(size: PeriodSize, anchor: Month, forward: bool) -> Month {
    let n = match size {
        PeriodSize::Month | PeriodSize::YearToDate => 1,
        PeriodSize::Quarter => 3,
        PeriodSize::Year => 12,
    };
    let mut m = anchor;
    for _ in 0..n {
        m = if forward { m.next() } else { m.prev() };
    }
    m
}

/// "2026-10" (a month), "2026-Q4" (a quarter), "2026" (a year), "2026-10:ytd" (January to
/// October): the size and the anchor month.
pub fn parse_period(s: &str) -> std::result::Result<(PeriodSize, Month), String> {
    let t = s.trim();
    let bad = || {
        format!(
            "'{s}' is not a period: 2026-10 (month), 2026-Q4 (quarter), 2026 (year) or 2026-10:ytd"
        )
    };
    if let Some(m) = t.strip_suffix(":ytd").or_else(|| t.strip_suffix(":YTD")) {
        return Ok((PeriodSize::YearToDate, m.parse().map_err(|_| bad())?));
    }
    if let Some((y, q)) = t
        .split_once(['-', ' '])
        .filter(|(_, q)| q.starts_with(['Q', 'q', 'T', 't']))
    {
        let y: i16 = y.parse().map_err(|_| bad())?;
        let q: i8 = q[1..].parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) || !(1900..=2999).contains(&y) {
            return Err(bad());
        }
        return Ok((PeriodSize::Quarter, Month::new(y, (q - 1) * 3 + 3)));
    }
    if t.len() == 4 {
        let y: i16 = t.parse().map_err(|_| bad())?;
        if !(1900..=2999).contains(&y) {
            return Err(bad());
        }
        return Ok((PeriodSize::Year, Month::new(y, 12)));
    }
    Ok((PeriodSize::Month, t.parse().map_err(|_| bad())?))
}

/// The entries of months `from..=to`, optionally of some cost centers and one category, in key
/// order (month, cost center, category, id). Reads one key range per month and cost center.
pub fn entries(
    tenant: &Tenant,
    from: Month,
    to: Month,
    cost_centers: Option<&[String]>,
    category: Option<&str>,
) -> Result<Vec<opsdeck_storage::Versioned<opsdeck_storage::records::ledger::Entry>>> {
    use opsdeck_storage::records::ledger::Entry;
    let mut out = Vec::new();
    let mut m = from;
    while m <= to {
        match cost_centers {
            Some(ccs) => {
                for cc in ccs {
                    let prefix = match category {
                        Some(cat) => format!("{}|{cc}|{cat}|", m.key()),
                        None => format!("{}|{cc}|", m.key()),
                    };
                    out.extend(tenant.list_prefix::<Entry>(&prefix)?);
                }
            }
            None => {
                for e in tenant.list_prefix::<Entry>(&format!("{}|", m.key()))? {
                    if category.is_none_or(|c| e.value.category == c) {
                        out.push(e);
                    }
                }
            }
        }
        m = m.next();
    }
    Ok(out)
}

/// A cost center and every one under it.
pub fn subtree(tenant: &Tenant, root: &str) -> Result<Vec<String>> {
    let tree = centers::tree(tenant)?;
    Ok(opsdeck_storage::records::ledger::subtree(
        root,
        tree.iter()
            .map(|(c, _)| (c.code.as_str(), c.parent.as_deref())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_step() {
        let oct = Month::new(2026, 10);
        assert_eq!(parse_period("2026-10").unwrap(), (PeriodSize::Month, oct));
        assert_eq!(
            parse_period("2026-Q4").unwrap(),
            (PeriodSize::Quarter, Month::new(2026, 12))
        );
        assert_eq!(
            parse_period("2026").unwrap(),
            (PeriodSize::Year, Month::new(2026, 12))
        );
        assert_eq!(
            parse_period("2026-10:ytd").unwrap(),
            (PeriodSize::YearToDate, oct)
        );
        assert!(parse_period("2026-Q5").is_err());
        assert!(parse_period("outubro").is_err());
        assert_eq!(range(PeriodSize::Quarter, oct), (oct, Month::new(2026, 12)));
        assert_eq!(
            range(PeriodSize::YearToDate, oct),
            (Month::new(2026, 1), oct)
        );
        assert_eq!(step(PeriodSize::Quarter, oct, true), Month::new(2027, 1));
        assert_eq!(
            step(PeriodSize::Month, Month::new(2026, 1), false),
            Month::new(2025, 12)
        );
    }

    #[test]
    fn run_rate_forecast_projects_the_months_left() {
        let mut s: Series = (1..=12)
            .map(|m| (Month::new(2026, m), Figures::default()))
            .collect();
        for (_, f) in s.iter_mut().take(6) {
            f.realized = Decimal::from(100);
        }
        assert_eq!(forecast(&s, Month::new(2026, 6)), Decimal::from(1200));
    }
}
