//! Work-order exports (`opsdeck wo export`, and the console's export): the order list and the
//! cost per asset of a period, as one XLSX workbook for people or two CSV files for machines.
//!
//! What goes in:
//! - "Ordens" (`<base>_ordens.csv`): the orders `WoExport::filter` selects (as `wo list` does:
//!   status, asset, assignee, overdue now), of `kind` when given, created on a day of
//!   `[from, to]` in the tenant's zone (a missing side is open). By id. Cost split into parts,
//!   labor and services, labor hours, and downtime hours (a window still open counts up to the
//!   export instant); "Atrasada" as `wo list` flags it: past due and not closed at the export.
//! - "Custo por ativo" (`<base>_custo_por_ativo.csv`): every order of the tenant (the list's
//!   filter does not apply, except the asset, which keeps that asset's row only) over the period
//!   `[from, to]` in the tenant's zone: the current month without `from`/`to`, from the first of
//!   `to`'s month with only `to`, up to today with only `from`. The period ends at the export
//!   instant if that comes first (time not lived yet is not up time). Cost and orders: the orders
//!   done (closed as done) in the period, as `kpi::cost_per_asset` sums them; failures,
//!   downtime, MTTR and MTBF: `kpi::reliability`. One row per asset with done orders or failures
//!   in the period, by tag; then the done orders about no asset, as "(sem ativo)" (no failure
//!   figures: an order without an asset records no downtime).
//!
//! The base name is `OS_<tenant>_<from>_<to>` (the cost period), or `OS_<tenant>_<today>`
//! when neither `from` nor `to` was given.
//!
//! XLSX: pt-BR headers, bold on a grey fill, the header row frozen (and the order id); money as
//! numbers formatted `"R$" #,##0.00`, instants as date-times in the tenant's zone, hours as
//! numbers; below the data, when there is any, a "Total" row of SUM formulas with their results
//! cached (readers that do not recalculate still see them).
//!
//! CSV, for machines: UTF-8, comma separated, a header row in English snake_case; instants in
//! RFC 3339 with the tenant's offset (`2026-11-03T08:00:00-03:00`); numbers with '.' and no
//! grouping, money exact as stored, hours to 4 places; type, priority and status as their ids
//! (`in_progress`); booleans `true`/`false`; empty for none; the checklist as two columns
//! (answered, total); no totals row; the no-asset row has an empty `asset`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::asset::Asset;
use opsdeck_storage::records::work_order::{Priority, WoKind, WoStatus, WorkOrder};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    column_number_to_name,
};

use crate::domain::access::{Permission, require};
use crate::domain::cmms::kpi;
use crate::domain::cmms::work_orders::{Filter, is_overdue};

/// What to export (see the module doc).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WoExport {
    pub filter: Filter,
    pub kind: Option<WoKind>,
    /// Inclusive, by created date in the tenant's zone for the list; the cost per asset uses
    /// the orders closed as done in `[from, to]`.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(ExportFormat::Xlsx),
            "csv" => Ok(ExportFormat::Csv),
            _ => Err(format!("'{s}': expected xlsx or csv")),
        }
    }
}

pub const ORDERS_SHEET: &str = "Ordens";
pub const COST_SHEET: &str = "Custo por ativo";
/// The cost row of the orders about no asset.
pub const NO_ASSET: &str = "(sem ativo)";

/// The cost sheet's period, inclusive days (see the module doc); `from` after `to` is refused.
pub fn cost_period(opts: &WoExport, today: Date) -> Result<(Date, Date)> {
    let (from, to) = match (opts.from, opts.to) {
        (Some(f), Some(t)) => (f, t),
        (Some(f), None) => (f, today.max(f)),
        (None, Some(t)) => (t.first_of_month(), t),
        (None, None) => (today.first_of_month(), today.last_of_month()),
    };
    if from > to {
        bail!("from: {from} is after to ({to})");
    }
    Ok((from, to))
}

/// The files' name without its suffix: `OS_<tenant>_<from>_<to>`, or `OS_<tenant>_<today>`.
pub fn base_name(tenant: &str, opts: &WoExport, today: Date) -> Result<String> {
    if opts.from.is_none() && opts.to.is_none() {
        return Ok(format!("OS_{tenant}_{today}"));
    }
    let (from, to) = cost_period(opts, today)?;
    Ok(format!("OS_{tenant}_{from}_{to}"))
}

/// Writes into `dir`, returns the files written. XLSX: one workbook `OS_<tenant>_<from>_<to>.xlsx`
/// (or with today's date when no period) with two sheets "Ordens" and "Custo por ativo". CSV: two
/// files `..._ordens.csv` and `..._custo_por_ativo.csv`. Checks Permission::Read, audits one
/// "wo.export" entry.
pub fn export(
    tenant: &Tenant,
    user: &str,
    tz: &TimeZone,
    opts: &WoExport,
    format: ExportFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    require(tenant, user, Permission::Read)?;
    let now = crate::clock::now();
    let today = now.to_zoned(tz.clone()).date();
    let (from, to) = cost_period(opts, today)?;
    // One read, so both sheets see the same orders.
    let all: Vec<WorkOrder> = tenant
        .list::<WorkOrder>()?
        .into_iter()
        .map(|v| v.value)
        .collect();
    let assets: BTreeMap<String, Asset> = tenant
        .list::<Asset>()?
        .into_iter()
        .map(|v| (v.key, v.value))
        .collect();

    let orders: Vec<Vec<Cell>> = all
        .iter()
        .filter(|o| opts.filter.matches(o) && opts.kind.is_none_or(|k| o.kind == k))
        .filter(|o| {
            let day = o.created_at.to_zoned(tz.clone()).date();
            opts.from.is_none_or(|f| day >= f) && opts.to.is_none_or(|t| day <= t)
        })
        .map(|o| order_row(o, now))
        .collect();
    let start = start_of(from, tz)?;
    let end = start_of(to.tomorrow()?, tz)?.min(now).max(start);
    let costs = cost_rows(&all, &assets, opts.filter.asset.as_deref(), start, end);

    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let base = base_name(tenant.name(), opts, today)?;
    let files = match format {
        ExportFormat::Xlsx => {
            let path = dir.join(format!("{base}.xlsx"));
            write_xlsx(&path, tz, &orders, &costs)?;
            vec![path]
        }
        ExportFormat::Csv => {
            let o = dir.join(format!("{base}_ordens.csv"));
            write_csv(&o, tz, &ORDER_COLS, &orders)?;
            let c = dir.join(format!("{base}_custo_por_ativo.csv"));
            write_csv(&c, tz, &COST_COLS, &costs)?;
            vec![o, c]
        }
    };
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let detail = format!(
        "{} · {} orders · {} cost rows · period {from}..{to}",
        names.join(", "),
        orders.len(),
        costs.len()
    );
    tenant.write(user, |tx| {
        tx.audit("wo.export", "work_order", &detail);
        Ok(())
    })?;
    Ok(files)
}

fn start_of(d: Date, tz: &TimeZone) -> Result<Timestamp> {
    Ok(d.to_zoned(tz.clone())?.timestamp())
}

// ---------------------------------------------------------------------------------------------
// Rows

/// One cell, written by each format in its own way.
enum Cell {
    Text(String),
    /// Portuguese word for people, id for machines.
    Word(&'static str, &'static str),
    Int(u64),
    Money(Decimal),
    Hours(Decimal),
    Time(Timestamp),
    YesNo(bool),
    /// Answered and total checklist items (two CSV columns).
    Checklist(usize, usize),
    Empty,
}

impl Cell {
    fn opt_text(s: &Option<String>) -> Cell {
        s.clone().map_or(Cell::Empty, Cell::Text)
    }

    /// What a totals row adds up.
    fn number(&self) -> Option<Decimal> {
        match self {
            Cell::Int(n) => Some(Decimal::from(*n)),
            Cell::Money(v) | Cell::Hours(v) => Some(*v),
            _ => None,
        }
    }
}

/// Exact to the millisecond, as hours.
fn hours(d: SignedDuration) -> Decimal {
    Decimal::from_i128_with_scale(d.as_millis(), 3) / Decimal::from(3600)
}

fn kind_word(k: WoKind) -> Cell {
    let pt = match k {
        WoKind::Corrective => "corretiva",
        WoKind::Preventive => "preventiva",
        WoKind::Predictive => "preditiva",
        WoKind::Request => "solicitação",
    };
    Cell::Word(pt, k.as_str())
}

fn priority_word(p: Priority) -> Cell {
    let pt = match p {
        Priority::Low => "baixa",
        Priority::Medium => "média",
        Priority::High => "alta",
        Priority::Urgent => "urgente",
    };
    Cell::Word(pt, p.as_str())
}

fn status_word(s: WoStatus) -> Cell {
    let pt = match s {
        WoStatus::Open => "aberta",
        WoStatus::InProgress => "em andamento",
        WoStatus::OnHold => "em espera",
        WoStatus::Done => "concluída",
        WoStatus::Cancelled => "cancelada",
    };
    Cell::Word(pt, s.as_str())
}

/// In `ORDER_COLS` order.
fn order_row(o: &WorkOrder, now: Timestamp) -> Vec<Cell> {
    let answered = o.checklist.iter().filter(|c| c.result.is_some()).count();
    let down: SignedDuration = o
        .downtime
        .iter()
        .map(|d| d.to.unwrap_or(now).duration_since(d.from))
        .filter(|d| d.is_positive())
        .sum();
    vec![
        Cell::Int(o.id),
        Cell::Text(o.title.clone()),
        kind_word(o.kind),
        priority_word(o.priority),
        status_word(o.status),
        Cell::opt_text(&o.asset),
        Cell::opt_text(&o.assignee),
        Cell::Time(o.created_at),
        o.due.map_or(Cell::Empty, Cell::Time),
        o.closed_at().map_or(Cell::Empty, Cell::Time),
        Cell::YesNo(is_overdue(o, now)),
        Cell::Checklist(answered, o.checklist.len()),
        Cell::Money(o.parts_cost()),
        Cell::Money(o.labor_cost()),
        Cell::Money(o.services_cost()),
        Cell::Money(o.cost()),
        Cell::Hours(o.labor_hours()),
        Cell::Hours(hours(down)),
        Cell::opt_text(&o.alert),
        Cell::opt_text(&o.plan),
    ]
}

/// Done orders, and parts, labor, services of the closed ones, of one cost row.
#[derive(Default)]
struct Split {
    done: u64,
    parts: Decimal,
    labor: Decimal,
    services: Decimal,
}

/// In `COST_COLS` order, over `[from, to)`; `only` keeps that asset's row.
fn cost_rows(
    all: &[WorkOrder],
    assets: &BTreeMap<String, Asset>,
    only: Option<&str>,
    from: Timestamp,
    to: Timestamp,
) -> Vec<Vec<Cell>> {
    let cost = kpi::cost_per_asset(all, from, to);
    // The split of the same orders cost_per_asset sums (closed in the period: done or
    // cancelled, both posted their cost), by the same key ("" for no asset).
    let mut split: BTreeMap<&str, Split> = BTreeMap::new();
    for o in all.iter().filter(|o| o.status.is_closed()) {
        if o.closed_at().is_some_and(|c| c >= from && c < to) {
            let s = split.entry(o.asset.as_deref().unwrap_or("")).or_default();
            s.done += u64::from(o.status == WoStatus::Done);
            s.parts += o.parts_cost();
            s.labor += o.labor_cost();
            s.services += o.services_cost();
        }
    }
    // The cells of a row after its name: orders done, failures, parts, labor, services, total,
    // downtime, MTTR, MTBF (no reliability for the orders about no asset).
    let figures = |key: &str, total: Decimal, r: Option<kpi::Reliability>| {
        let s = split.get(key);
        let part = |f: fn(&Split) -> Decimal| Cell::Money(s.map(f).unwrap_or_default());
        let h = |d: Option<SignedDuration>| d.map_or(Cell::Empty, |d| Cell::Hours(hours(d)));
        vec![
            Cell::Int(s.map_or(0, |s| s.done)),
            r.map_or(Cell::Empty, |r| Cell::Int(r.failures as u64)),
            part(|s| s.parts),
            part(|s| s.labor),
            part(|s| s.services),
            Cell::Money(total),
            h(r.map(|r| r.downtime)),
            h(r.and_then(|r| r.mttr)),
            h(r.and_then(|r| r.mtbf)),
        ]
    };

    let tags: BTreeSet<&str> = all.iter().filter_map(|o| o.asset.as_deref()).collect();
    let mut rows = Vec::new();
    for tag in tags.into_iter().filter(|t| only.is_none_or(|a| a == *t)) {
        let r = kpi::reliability(all, tag, from, to);
        let total = cost.get(tag).copied();
        if total.is_none() && r.failures == 0 {
            continue;
        }
        let a = assets.get(tag);
        let mut row = vec![
            Cell::Text(tag.to_owned()),
            Cell::opt_text(&a.map(|a| a.name.clone())),
            Cell::opt_text(&a.map(|a| a.area.clone())),
        ];
        row.extend(figures(tag, total.unwrap_or_default(), Some(r)));
        rows.push(row);
    }
    if only.is_none()
        && let Some(total) = cost.get("")
    {
        let mut row = vec![Cell::Word(NO_ASSET, ""), Cell::Empty, Cell::Empty];
        row.extend(figures("", *total, None));
        rows.push(row);
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Columns

#[derive(Clone, Copy)]
enum Total {
    None,
    Sum,
}

struct Col {
    title: &'static str,
    /// The CSV header(s) of the column.
    csv: &'static [&'static str],
    width: f64,
    total: Total,
}

const fn col(title: &'static str, csv: &'static [&'static str], width: f64, total: Total) -> Col {
    Col {
        title,
        csv,
        width,
        total,
    }
}

const ORDER_COLS: [Col; 20] = [
    col("OS", &["id"], 7.0, Total::None),
    col("Título", &["title"], 40.0, Total::None),
    col("Tipo", &["type"], 12.0, Total::None),
    col("Prioridade", &["priority"], 10.0, Total::None),
    col("Status", &["status"], 13.0, Total::None),
    col("Ativo", &["asset"], 12.0, Total::None),
    col("Responsável", &["assignee"], 14.0, Total::None),
    col("Criada em", &["created_at"], 16.0, Total::None),
    col("Prazo", &["due"], 16.0, Total::None),
    col("Concluída/cancelada em", &["closed_at"], 16.0, Total::None),
    col("Atrasada", &["overdue"], 9.0, Total::None),
    col(
        "Checklist",
        &["checklist_answered", "checklist_total"],
        9.0,
        Total::None,
    ),
    col("Peças R$", &["parts"], 13.0, Total::Sum),
    col("Mão de obra R$", &["labor"], 13.0, Total::Sum),
    col("Serviços R$", &["services"], 13.0, Total::Sum),
    col("Custo total R$", &["total"], 14.0, Total::Sum),
    col("Horas", &["labor_hours"], 9.0, Total::Sum),
    col("Parada (h)", &["downtime_hours"], 10.0, Total::Sum),
    col("Alerta", &["alert"], 14.0, Total::None),
    col("Plano", &["plan"], 24.0, Total::None),
];

const COST_COLS: [Col; 12] = [
    col("Ativo", &["asset"], 14.0, Total::None),
    col("Nome", &["name"], 32.0, Total::None),
    col("Área", &["area"], 20.0, Total::None),
    col("Ordens concluídas", &["orders_done"], 11.0, Total::Sum),
    col("Falhas", &["failures"], 8.0, Total::Sum),
    col("Peças", &["parts"], 13.0, Total::Sum),
    col("Mão de obra", &["labor"], 13.0, Total::Sum),
    col("Serviços", &["services"], 13.0, Total::Sum),
    col("Total", &["total"], 14.0, Total::Sum),
    col("Parada (h)", &["downtime_hours"], 10.0, Total::Sum),
    col("MTTR (h)", &["mttr_hours"], 10.0, Total::None),
    col("MTBF (h)", &["mtbf_hours"], 10.0, Total::None),
];

// ---------------------------------------------------------------------------------------------
// XLSX

struct Formats {
    header: Format,
    int: Format,
    money: Format,
    hours: Format,
    time: Format,
    total_label: Format,
    total_int: Format,
    total_money: Format,
    total_hours: Format,
}

const MONEY: &str = "\"R$\" #,##0.00";
const HOURS: &str = "#,##0.00";

impl Formats {
    fn new() -> Formats {
        let total = || Format::new().set_bold().set_border(FormatBorder::Thin);
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xF2F2F2)),
            int: Format::new().set_num_format("0"),
            money: Format::new().set_num_format(MONEY),
            hours: Format::new().set_num_format(HOURS),
            time: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            total_label: total(),
            total_int: total().set_num_format("0"),
            total_money: total().set_num_format(MONEY),
            total_hours: total().set_num_format(HOURS),
        }
    }
}

/// Through the decimal text: the nearest f64, which `to_f64`'s arithmetic does not promise.
fn f64_of(d: Decimal) -> f64 {
    d.normalize().to_string().parse().unwrap_or(f64::NAN)
}

fn excel_time(t: Timestamp, tz: &TimeZone) -> Result<ExcelDateTime> {
    let l = t.to_zoned(tz.clone()).datetime();
    Ok(
        ExcelDateTime::from_ymd(l.year() as u16, l.month() as u8, l.day() as u8)?.and_hms(
            l.hour() as u16,
            l.minute() as u8,
            l.second(),
        )?,
    )
}

fn write_xlsx(path: &Path, tz: &TimeZone, orders: &[Vec<Cell>], costs: &[Vec<Cell>]) -> Result<()> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(ORDERS_SHEET)?;
    write_sheet(sheet, tz, &ORDER_COLS, orders, &f)?;
    let sheet = book.add_worksheet();
    sheet.set_name(COST_SHEET)?;
    write_sheet(sheet, tz, &COST_COLS, costs, &f)?;
    book.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Header, rows, and a totals row when there are rows.
fn write_sheet(
    sheet: &mut Worksheet,
    tz: &TimeZone,
    cols: &[Col],
    rows: &[Vec<Cell>],
    f: &Formats,
) -> Result<()> {
    for (c, col) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, col.title, &f.header)?;
        sheet.set_column_width(c as u16, col.width)?;
    }
    // The totals' formats and cached results follow the column's cells.
    let mut sums = vec![Decimal::ZERO; cols.len()];
    let mut totals: Vec<&Format> = vec![&f.total_label; cols.len()];
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(r, c16, s)?;
                }
                Cell::Word(pt, _) => {
                    sheet.write_string(r, c16, *pt)?;
                }
                Cell::Int(n) => {
                    sheet.write_number_with_format(r, c16, *n as f64, &f.int)?;
                    totals[c] = &f.total_int;
                }
                Cell::Money(v) => {
                    sheet.write_number_with_format(r, c16, f64_of(*v), &f.money)?;
                    totals[c] = &f.total_money;
                }
                Cell::Hours(v) => {
                    sheet.write_number_with_format(r, c16, f64_of(*v), &f.hours)?;
                    totals[c] = &f.total_hours;
                }
                Cell::Time(t) => {
                    sheet.write_datetime_with_format(r, c16, excel_time(*t, tz)?, &f.time)?;
                }
                Cell::YesNo(b) => {
                    sheet.write_string(r, c16, if *b { "sim" } else { "não" })?;
                }
                Cell::Checklist(_, 0) | Cell::Empty => {}
                Cell::Checklist(a, n) => {
                    sheet.write_string(r, c16, format!("{a}/{n}"))?;
                }
            }
            if let Some(v) = cell.number() {
                sums[c] = sums[c].saturating_add(v);
            }
        }
    }
    if !rows.is_empty() {
        let total_row = rows.len() as u32 + 1;
        for (c, col) in cols.iter().enumerate() {
            let c16 = c as u16;
            match col.total {
                Total::None if c == 0 => {
                    sheet.write_string_with_format(total_row, 0, "Total", &f.total_label)?;
                }
                Total::None => {
                    sheet.write_blank(total_row, c16, &f.total_label)?;
                }
                Total::Sum => {
                    let l = column_number_to_name(c16);
                    let formula = Formula::new(format!("SUM({l}2:{l}{total_row})"))
                        .set_result(sums[c].normalize().to_string());
                    sheet.write_formula_with_format(total_row, c16, formula, totals[c])?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.set_row_height(0, 30)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// CSV

fn write_csv(path: &Path, tz: &TimeZone, cols: &[Col], rows: &[Vec<Cell>]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    w.write_record(cols.iter().flat_map(|c| c.csv.iter()))?;
    for row in rows {
        let mut rec: Vec<String> = Vec::with_capacity(cols.len() + 1);
        for cell in row {
            match cell {
                Cell::Text(s) => rec.push(s.clone()),
                Cell::Word(_, id) => rec.push((*id).to_owned()),
                Cell::Int(n) => rec.push(n.to_string()),
                Cell::Money(v) => rec.push(v.normalize().to_string()),
                Cell::Hours(v) => rec.push(v.round_dp(4).normalize().to_string()),
                Cell::Time(t) => rec.push(
                    t.to_zoned(tz.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string(),
                ),
                Cell::YesNo(b) => rec.push(b.to_string()),
                Cell::Checklist(a, n) => rec.extend([a.to_string(), n.to_string()]),
                Cell::Empty => rec.push(String::new()),
            }
        }
        w.write_record(&rec)?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn the_cost_period_and_the_file_name() {
        let today = date(2026, 11, 23);
        let p = |from, to| {
            let o = WoExport {
                from,
                to,
                ..WoExport::default()
            };
            (
                cost_period(&o, today).unwrap(),
                base_name("h", &o, today).unwrap(),
            )
        };
        assert_eq!(
            p(None, None),
            (
                (date(2026, 11, 1), date(2026, 11, 30)),
                "OS_h_2026-11-23".into()
            )
        );
        assert_eq!(
            p(Some(date(2026, 10, 5)), None).0,
            (date(2026, 10, 5), today)
        );
        assert_eq!(
            p(None, Some(date(2026, 9, 20))),
            (
                (date(2026, 9, 1), date(2026, 9, 20)),
                "OS_h_2026-09-01_2026-09-20".into()
            )
        );
        let bad = WoExport {
            from: Some(date(2026, 11, 2)),
            to: Some(date(2026, 11, 1)),
            ..WoExport::default()
        };
        assert_eq!(
            cost_period(&bad, today).unwrap_err().to_string(),
            "from: 2026-11-02 is after to (2026-11-01)"
        );
    }

    #[test]
    fn hours_are_exact_and_money_converts_to_the_nearest_f64() {
        assert_eq!(hours(SignedDuration::from_mins(90)), Decimal::new(15, 1));
        assert_eq!(f64_of(Decimal::new(762650, 2)), 7626.5);
        assert_eq!(f64_of(Decimal::new(1, 1)), 0.1);
    }
}
