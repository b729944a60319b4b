//! The ledger's budget grid and its entries, as one XLSX workbook for people or two CSV files
//! for machines.
//!
//! XLSX, two sheets:
//! - "Orçamento": a title row, a header row (frozen), then one row per cost center x category
//!   for the leaf cost centers (`has_children == false`), in tree order: code, name, category,
//!   Planejado, Comprometido, Realizado, Savings, Disponível, % consumido. Disponível
//!   (`=D3-E3-F3`) and % consumido (`=IF(D3=0,"",(E3+F3)/D3)`) are formulas of their row. A
//!   parent with figures of its own (a budget or entries on the parent itself, beyond what its
//!   children hold) gets rows of its own too, named "<name> (próprio)", so that nothing is left
//!   out. After each top-level cost center's rows, a "Subtotal" row of `SUBTOTAL(9, …)` over
//!   them; at the bottom, a "Total" row of `SUBTOTAL(9, …)` over everything above (SUBTOTAL
//!   leaves the subtotal rows out, so nothing counts twice). Every formula is written with its
//!   computed result, for readers that do not recalculate; a finance user who edits a
//!   Planejado cell sees Disponível, the subtotal and the total follow. Money as numbers
//!   formatted `#,##0.00`, the share consumed as a percentage.
//! - "Lançamentos": one row per entry as the iterator yields it (written row by row in
//!   constant-memory mode, never collected): number, month, date, cost center, category, phase,
//!   amount, committed, realized, savings, source key, the commitment it acts against, original
//!   month, description, reason.
//!
//! CSV, for machines: UTF-8, comma separated, an English snake_case header, numbers with '.'
//! and no grouping (money exact as stored), months `YYYY-MM`, dates `YYYY-MM-DD`, phases as
//! their ids, empty for none.
//! - The grid: one row per cost center (every one, in tree order, with its parent and depth)
//!   x category, with the figures as the grid holds them (a parent's include its children's:
//!   the rows of depth 0 add up to the grid's total).
//! - The entries: the same columns as the sheet.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use opsdeck_storage::records::ledger::{Entry, Month, Phase};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    column_number_to_name,
};

use crate::domain::ledger::grid::{Figures, Grid, GridRow};

pub const GRID_SHEET: &str = "Orçamento";
pub const ENTRIES_SHEET: &str = "Lançamentos";

/// What a workbook holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cost center x category rows of the grid sheet (without the subtotal and total rows).
    pub rows: u64,
    /// Rows of the entries sheet.
    pub entries: u64,
}

/// The files' name without its suffix: `Orcamento_<tenant>_<from>_<to>`, or
/// `Orcamento_<tenant>_<month>` for one month.
pub fn base_name(tenant: &str, from: Month, to: Month) -> String {
    if from == to {
        format!("Orcamento_{tenant}_{from}")
    } else {
        format!("Orcamento_{tenant}_{from}_{to}")
    }
}

/// The Portuguese word for a phase (the sheet); the CSV writes `Phase::as_str`.
pub fn phase_pt(p: Phase) -> &'static str {
    match p {
        Phase::Commit => "compromisso",
        Phase::Realize => "realização",
        Phase::Release => "liberação",
        Phase::Void => "cancelamento",
        Phase::Consume => "consumo",
        Phase::Savings => "savings",
        Phase::Adjust => "ajuste",
    }
}

// ---------------------------------------------------------------------------------------------
// The grid's lines

/// One cost center's cost center x category rows on the grid sheet.
struct Line<'a> {
    row: &'a GridRow,
    /// The parent's own figures, not a leaf's.
    own: bool,
    cells: Vec<Figures>,
}

/// A top-level cost center and the lines of its subtree, in tree order.
struct Group<'a> {
    top: &'a GridRow,
    lines: Vec<Line<'a>>,
}

fn minus(a: &Figures, b: &Figures) -> Figures {
    Figures {
        planned: a.planned - b.planned,
        committed: a.committed - b.committed,
        realized: a.realized - b.realized,
        savings: a.savings - b.savings,
        entries: a.entries.saturating_sub(b.entries),
    }
}

fn is_zero(f: &Figures) -> bool {
    f.planned.is_zero() && f.committed.is_zero() && f.realized.is_zero() && f.savings.is_zero()
}

/// The grid's rows by top-level cost center (found by walking `parent`): the leaves, and the
/// parents' own figures (theirs minus their children's) where there are any.
fn groups(grid: &Grid) -> Vec<Group<'_>> {
    let index: BTreeMap<&str, usize> = grid
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();
    let top_of = |mut i: usize| {
        // At most one step per row: a cycle cannot loop forever.
        for _ in 0..grid.rows.len() {
            match grid.rows[i].parent.as_deref().and_then(|p| index.get(p)) {
                Some(&p) if p != i => i = p,
                _ => break,
            }
        }
        i
    };
    let mut by_top: BTreeMap<usize, Vec<Line>> = BTreeMap::new();
    for (i, row) in grid.rows.iter().enumerate() {
        let line = if !row.has_children {
            Some(Line {
                row,
                own: false,
                cells: row.cells.clone(),
            })
        } else {
            let children: Vec<&GridRow> = grid
                .rows
                .iter()
                .filter(|c| c.parent.as_deref() == Some(row.code.as_str()) && c.code != row.code)
                .collect();
            let cells: Vec<Figures> = row
                .cells
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    children.iter().fold(*f, |acc, c| {
                        c.cells.get(k).map_or(acc, |cf| minus(&acc, cf))
                    })
                })
                .collect();
            (!cells.iter().all(is_zero)).then_some(Line {
                row,
                own: true,
                cells,
            })
        };
        let lines = by_top.entry(top_of(i)).or_default();
        lines.extend(line);
    }
    by_top
        .into_iter()
        .map(|(top, lines)| Group {
            top: &grid.rows[top],
            lines,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// XLSX

/// Rows above the grid's first data row: the title and the header.
const GRID_HEADER_ROWS: u32 = 2;
const C_PLANNED: u16 = 3;
const C_COMMITTED: u16 = 4;
const C_REALIZED: u16 = 5;
const C_SAVINGS: u16 = 6;
const C_AVAILABLE: u16 = 7;
const C_PCT: u16 = 8;
const GRID_HEADERS: [(&str, f64); 9] = [
    ("Centro de custo", 14.0),
    ("Nome", 32.0),
    ("Categoria", 22.0),
    ("Planejado", 15.0),
    ("Comprometido", 15.0),
    ("Realizado", 15.0),
    ("Savings", 15.0),
    ("Disponível", 15.0),
    ("% consumido", 11.0),
];
const ENTRY_HEADERS: [(&str, f64); 15] = [
    ("Nº", 8.0),
    ("Mês", 9.0),
    ("Data", 11.0),
    ("Centro de custo", 14.0),
    ("Categoria", 20.0),
    ("Fase", 13.0),
    ("Valor", 14.0),
    ("Comprometido", 14.0),
    ("Realizado", 14.0),
    ("Savings", 14.0),
    ("Origem", 26.0),
    ("Contra", 26.0),
    ("Mês original", 11.0),
    ("Descrição", 40.0),
    ("Motivo", 30.0),
];

/// Rows of an Excel sheet.
const MAX_ROWS: u32 = 1_048_576;
const MONEY: &str = "#,##0.00";
const PERCENT: &str = "0.0%";

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    percent: Format,
    int: Format,
    month: Format,
    date: Format,
    sub_label: Format,
    sub_money: Format,
    sub_percent: Format,
    total_label: Format,
    total_money: Format,
    total_percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let sub = || {
            Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xEDEDED))
        };
        let total = || {
            Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9E1F2))
        };
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xF2F2F2)),
            money: Format::new().set_num_format(MONEY),
            percent: Format::new().set_num_format(PERCENT),
            int: Format::new().set_num_format("0"),
            month: Format::new().set_num_format("mm/yyyy"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            sub_label: sub(),
            sub_money: sub().set_num_format(MONEY),
            sub_percent: sub().set_num_format(PERCENT),
            total_label: total(),
            total_money: total().set_num_format(MONEY),
            total_percent: total().set_num_format(PERCENT),
        }
    }
}

/// Through the decimal text: the nearest f64, which `to_f64`'s arithmetic does not promise.
fn f64_of(d: Decimal) -> f64 {
    d.normalize().to_string().parse().unwrap_or(f64::NAN)
}

/// A formula's cached result for a money figure.
fn money_result(d: Decimal) -> String {
    d.normalize().to_string()
}

/// `(committed + realized) / planned`, the cached result of the % consumido formula ("" without
/// a plan, as the formula gives).
fn pct_result(f: &Figures) -> String {
    if f.planned.is_zero() {
        String::new()
    } else {
        (f64_of(f.committed + f.realized) / f64_of(f.planned)).to_string()
    }
}

fn excel_date(d: jiff::civil::Date) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// Writes the grid and its entries to an XLSX workbook at `path` (see the module doc).
/// `entries` is written as it comes; its first error stops the export and is returned.
pub fn write_xlsx(
    path: &Path,
    title: &str,
    grid: &Grid,
    entries: impl Iterator<Item = Result<Entry>>,
) -> Result<Summary> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(GRID_SHEET)?;
    let rows = write_grid_sheet(sheet, title, grid, &f)?;
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(ENTRIES_SHEET)?;
    let entries = write_entries_sheet(sheet, grid, entries, &f)?;
    book.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(Summary { rows, entries })
}

/// The money columns of a figure, with the column each goes in.
fn money_cols(f: &Figures) -> [(u16, Decimal); 4] {
    [
        (C_PLANNED, f.planned),
        (C_COMMITTED, f.committed),
        (C_REALIZED, f.realized),
        (C_SAVINGS, f.savings),
    ]
}

/// A1 reference of a 0-based cell.
fn cell(row: u32, col: u16) -> String {
    format!("{}{}", column_number_to_name(col), row + 1)
}

/// Disponível and % consumido of `row`, formulas over the row's own cells.
fn write_row_formulas(
    sheet: &mut Worksheet,
    row: u32,
    fig: &Figures,
    money: &Format,
    percent: &Format,
) -> Result<()> {
    let (p, c, r) = (
        cell(row, C_PLANNED),
        cell(row, C_COMMITTED),
        cell(row, C_REALIZED),
    );
    let available = Formula::new(format!("{p}-{c}-{r}")).set_result(money_result(fig.available()));
    sheet.write_formula_with_format(row, C_AVAILABLE, available, money)?;
    let pct = Formula::new(format!("IF({p}=0,\"\",({c}+{r})/{p})")).set_result(pct_result(fig));
    sheet.write_formula_with_format(row, C_PCT, pct, percent)?;
    Ok(())
}

/// A subtotal or total row: `SUBTOTAL(9, …)` over rows `first..=last` of the figure columns,
/// with `fig` as their results.
fn write_subtotal_row(
    sheet: &mut Worksheet,
    row: u32,
    span: Option<(u32, u32)>,
    fig: &Figures,
    money: &Format,
    percent: &Format,
) -> Result<()> {
    let mut cols = money_cols(fig).to_vec();
    cols.push((C_AVAILABLE, fig.available()));
    for (col, value) in cols {
        let formula = match span {
            Some((first, last)) => Formula::new(format!(
                "SUBTOTAL(9,{}:{})",
                cell(first, col),
                cell(last, col)
            )),
            None => Formula::new("0"),
        };
        sheet.write_formula_with_format(
            row,
            col,
            formula.set_result(money_result(value)),
            money,
        )?;
    }
    let (p, c, r) = (
        cell(row, C_PLANNED),
        cell(row, C_COMMITTED),
        cell(row, C_REALIZED),
    );
    let pct = Formula::new(format!("IF({p}=0,\"\",({c}+{r})/{p})")).set_result(pct_result(fig));
    sheet.write_formula_with_format(row, C_PCT, pct, percent)?;
    Ok(())
}

/// Returns the cost center x category rows written.
fn write_grid_sheet(sheet: &mut Worksheet, title: &str, grid: &Grid, f: &Formats) -> Result<u64> {
    let last_col = GRID_HEADERS.len() as u16 - 1;
    // An empty result ("" from % consumido without a plan) stays empty, not the default "0".
    sheet.set_formula_result_default("");
    sheet.merge_range(0, 0, 0, last_col, title, &f.title)?;
    sheet.set_row_height(0, 22)?;
    for (c, (h, width)) in GRID_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &f.header)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_row_height(1, 30)?;

    let mut row = GRID_HEADER_ROWS;
    let mut written = 0u64;
    let mut total = Figures::default();
    for group in groups(grid) {
        let first = row;
        let mut sub = Figures::default();
        for line in &group.lines {
            let name = if line.own {
                format!("{} (próprio)", line.row.name)
            } else {
                line.row.name.clone()
            };
            for (k, fig) in line.cells.iter().enumerate() {
                let category = grid.categories.get(k).map_or("", |(_, n)| n.as_str());
                sheet.write_string(row, 0, &line.row.code)?;
                sheet.write_string(row, 1, &name)?;
                sheet.write_string(row, 2, category)?;
                for (col, value) in money_cols(fig) {
                    sheet.write_number_with_format(row, col, f64_of(value), &f.money)?;
                }
                write_row_formulas(sheet, row, fig, &f.money, &f.percent)?;
                sub.add(fig);
                row += 1;
                written += 1;
            }
        }
        if row == first {
            continue;
        }
        sheet.write_string_with_format(row, 0, &group.top.code, &f.sub_label)?;
        sheet.write_string_with_format(
            row,
            1,
            format!("Subtotal {}", group.top.name),
            &f.sub_label,
        )?;
        sheet.write_blank(row, 2, &f.sub_label)?;
        write_subtotal_row(
            sheet,
            row,
            Some((first, row - 1)),
            &sub,
            &f.sub_money,
            &f.sub_percent,
        )?;
        total.add(&sub);
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Total", &f.total_label)?;
    sheet.write_blank(row, 1, &f.total_label)?;
    sheet.write_blank(row, 2, &f.total_label)?;
    let span = (row > GRID_HEADER_ROWS).then(|| (GRID_HEADER_ROWS, row - 1));
    write_subtotal_row(sheet, row, span, &total, &f.total_money, &f.total_percent)?;
    sheet.set_freeze_panes(GRID_HEADER_ROWS, 0)?;
    Ok(written)
}

/// Writes row by row (the sheet is in constant-memory mode). Returns the entries written.
fn write_entries_sheet(
    sheet: &mut Worksheet,
    grid: &Grid,
    entries: impl Iterator<Item = Result<Entry>>,
    f: &Formats,
) -> Result<u64> {
    let category_names: BTreeMap<&str, &str> = grid
        .categories
        .iter()
        .map(|(code, name)| (code.as_str(), name.as_str()))
        .collect();
    for (c, (h, width)) in ENTRY_HEADERS.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut n = 0u64;
    for entry in entries {
        let e = entry?;
        let r = n as u32 + 1;
        if r >= MAX_ROWS {
            bail!(
                "more than {} entries: too many for one sheet (export CSV)",
                MAX_ROWS - 1
            );
        }
        sheet.write_number_with_format(r, 0, e.id as f64, &f.int)?;
        sheet.write_datetime_with_format(r, 1, excel_date(e.month.first_day())?, &f.month)?;
        sheet.write_datetime_with_format(r, 2, excel_date(e.date)?, &f.date)?;
        sheet.write_string(r, 3, &e.cost_center)?;
        let category = category_names
            .get(e.category.as_str())
            .copied()
            .unwrap_or(&e.category);
        sheet.write_string(r, 4, category)?;
        sheet.write_string(r, 5, phase_pt(e.phase))?;
        let money = [e.amount, e.committed, e.realized, e.savings];
        for (k, v) in money.into_iter().enumerate() {
            sheet.write_number_with_format(r, 6 + k as u16, f64_of(v), &f.money)?;
        }
        let text = |sheet: &mut Worksheet, col: u16, s: &str| -> Result<()> {
            if !s.is_empty() {
                sheet.write_string(r, col, s)?;
            }
            Ok(())
        };
        text(sheet, 10, &e.source)?;
        text(sheet, 11, e.against.as_deref().unwrap_or(""))?;
        if let Some(m) = e.original_month {
            sheet.write_datetime_with_format(r, 12, excel_date(m.first_day())?, &f.month)?;
        }
        text(sheet, 13, &e.description)?;
        text(sheet, 14, &e.reason)?;
        n += 1;
    }
    if n > 0 {
        sheet.autofilter(0, 0, n as u32, ENTRY_HEADERS.len() as u16 - 1)?;
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// CSV

pub const GRID_CSV_HEADER: [&str; 14] = [
    "cost_center",
    "name",
    "parent",
    "depth",
    "has_children",
    "category",
    "category_name",
    "planned",
    "committed",
    "realized",
    "savings",
    "available",
    "consumed_pct",
    "entries",
];

pub const ENTRIES_CSV_HEADER: [&str; 15] = [
    "id",
    "month",
    "date",
    "cost_center",
    "category",
    "phase",
    "amount",
    "committed",
    "realized",
    "savings",
    "source",
    "against",
    "original_month",
    "description",
    "reason",
];

fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The grid as CSV: one row per cost center (tree order) x category (see the module doc).
/// `consumed_pct` is the percentage to one place (`Figures::consumed_pct`), empty without a
/// plan.
pub fn write_grid_csv(w: impl Write, grid: &Grid) -> Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(GRID_CSV_HEADER)?;
    for row in &grid.rows {
        for (k, fig) in row.cells.iter().enumerate() {
            let (code, name) = grid
                .categories
                .get(k)
                .map_or(("", ""), |(c, n)| (c.as_str(), n.as_str()));
            w.write_record([
                row.code.clone(),
                row.name.clone(),
                row.parent.clone().unwrap_or_default(),
                row.depth.to_string(),
                row.has_children.to_string(),
                code.to_owned(),
                name.to_owned(),
                dec(fig.planned),
                dec(fig.committed),
                dec(fig.realized),
                dec(fig.savings),
                dec(fig.available()),
                fig.consumed_pct().map(dec).unwrap_or_default(),
                fig.entries.to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The entries as CSV, written as they come; returns how many. The iterator's first error
/// stops the export and is returned.
pub fn write_entries_csv(
    w: impl Write,
    entries: impl Iterator<Item = Result<Entry>>,
) -> Result<u64> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(ENTRIES_CSV_HEADER)?;
    let mut n = 0u64;
    for entry in entries {
        let e = entry?;
        w.write_record([
            e.id.to_string(),
            e.month.to_string(),
            e.date.to_string(),
            e.cost_center,
            e.category,
            e.phase.as_str().to_owned(),
            dec(e.amount),
            dec(e.committed),
            dec(e.realized),
            dec(e.savings),
            e.source,
            e.against.unwrap_or_default(),
            e.original_month.map(|m| m.to_string()).unwrap_or_default(),
            e.description,
            e.reason,
        ])?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// The entries of months `from..=to`, read one month at a time (a month's key range), so an
/// export holds one month of entries at most.
pub fn entries_of<'a>(
    tenant: &'a opsdeck_storage::Tenant,
    from: Month,
    to: Month,
) -> impl Iterator<Item = Result<Entry>> + 'a {
    let mut months = Vec::new();
    let mut m = from;
    while m <= to {
        months.push(m);
        m = m.next();
    }
    months.into_iter().flat_map(move |m| {
        let batch: Vec<Result<Entry>> = match tenant.list_prefix::<Entry>(&format!("{}|", m.key()))
        {
            Ok(list) => list.into_iter().map(|e| Ok(e.value)).collect(),
            Err(e) => vec![Err(e.into())],
        };
        batch
    })
}

/// Writes the grid of months `from..=to` and its entries into `dir`: one workbook
/// (`<base>.xlsx`), or two CSVs (`<base>_grade.csv`, `<base>_lancamentos.csv`). Audited.
pub fn export(
    tenant: &opsdeck_storage::Tenant,
    user: &str,
    from: Month,
    to: Month,
    dir: &Path,
    csv: bool,
) -> Result<Vec<std::path::PathBuf>> {
    use crate::domain::ledger::LedgerAction;
    crate::domain::service::require(tenant, user, LedgerAction::View)?;
    let grid = crate::domain::ledger::grid::grid(tenant, from, to)?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let base = base_name(tenant.name(), from, to);
    let paths = if csv {
        let grid_path = dir.join(format!("{base}_grade.csv"));
        let entries_path = dir.join(format!("{base}_lancamentos.csv"));
        let f = std::fs::File::create(&grid_path)
            .with_context(|| format!("creating {}", grid_path.display()))?;
        write_grid_csv(std::io::BufWriter::new(f), &grid)?;
        let f = std::fs::File::create(&entries_path)
            .with_context(|| format!("creating {}", entries_path.display()))?;
        write_entries_csv(std::io::BufWriter::new(f), entries_of(tenant, from, to))?;
        vec![grid_path, entries_path]
    } else {
        let path = dir.join(format!("{base}.xlsx"));
        let title = format!("Orçamento {} · {from} a {to}", tenant.name());
        write_xlsx(&path, &title, &grid, entries_of(tenant, from, to))?;
        vec![path]
    };
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    tenant.write(user, |tx| {
        tx.audit("ledger.export", "ledger", &list.join(", "));
        Ok(())
    })?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
    use jiff::civil::date;
    use opsdeck_storage::records::ledger::SourceLink;
    use rust_decimal::prelude::ToPrimitive;

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn fig(planned: &str, committed: &str, realized: &str, savings: &str) -> Figures {
        Figures {
            planned: d(planned),
            committed: d(committed),
            realized: d(realized),
            savings: d(savings),
            entries: 1,
        }
    }

    fn sum(rows: &[&[Figures]]) -> Vec<Figures> {
        let mut out = vec![Figures::default(); rows[0].len()];
        for r in rows {
            for (o, f) in out.iter_mut().zip(r.iter()) {
                o.add(f);
            }
        }
        out
    }

    fn row(code: &str, parent: Option<&str>, has_children: bool, cells: Vec<Figures>) -> GridRow {
        let mut total = Figures::default();
        for c in &cells {
            total.add(c);
        }
        GridRow {
            code: code.into(),
            name: format!("Nome {code}"),
            depth: usize::from(parent.is_some()),
            parent: parent.map(Into::into),
            has_children,
            cells,
            total,
        }
    }

    /// HC (own figures `hc_own`) with children HC-CAG and HC-LAV; ADM, a top-level leaf. Three
    /// categories; some cells all zero.
    fn grid_with(hc_own: Vec<Figures>) -> Grid {
        let z = Figures::default;
        let cag = vec![
            fig("1000.10", "200.20", "300.30", "0"),
            z(),
            fig("0", "0", "45.67", "5"),
        ];
        let lav = vec![
            fig("500", "0", "125.25", "0"),
            fig("80.8", "20", "0", "1.5"),
            z(),
        ];
        let hc = sum(&[&cag, &lav, &hc_own]);
        let adm = vec![z(), fig("2500", "1000", "999.99", "12.34"), z()];
        let rows = vec![
            row("HC", None, true, hc.clone()),
            row("HC-CAG", Some("HC"), false, cag),
            row("HC-LAV", Some("HC"), false, lav),
            row("ADM", None, false, adm.clone()),
        ];
        let totals = sum(&[&hc, &adm]);
        let mut total = Figures::default();
        for t in &totals {
            total.add(t);
        }
        Grid {
            from: Month::new(2026, 1),
            to: Month::new(2026, 3),
            categories: vec![
                ("labor".into(), "Mão de obra".into()),
                ("parts".into(), "Peças e materiais".into()),
                ("services".into(), "Serviços contratados".into()),
            ],
            rows,
            totals,
            total,
        }
    }

    fn grid() -> Grid {
        grid_with(vec![Figures::default(); 3])
    }

    fn entry(id: u64, phase: Phase, amount: &str) -> Entry {
        let a = d(amount);
        Entry {
            id,
            month: Month::new(2026, 2),
            date: date(2026, 2, 10),
            cost_center: "HC-CAG".into(),
            category: "labor".into(),
            phase,
            amount: a,
            committed: if phase == Phase::Commit { a } else { -a },
            realized: if phase == Phase::Realize {
                a
            } else {
                Decimal::ZERO
            },
            savings: Decimal::ZERO,
            source: format!("wo:{id}:labor"),
            against: (phase == Phase::Realize).then(|| "wo:1:labor".to_owned()),
            original_month: (id == 3).then(|| Month::new(2026, 1)),
            corrects: None,
            description: format!("Lançamento {id}, \"com aspas\""),
            reason: String::new(),
            evidence: String::new(),
            link: SourceLink::WorkOrder(id),
            by: "dora".into(),
        }
    }

    fn entries() -> Vec<Entry> {
        vec![
            entry(1, Phase::Commit, "300.30"),
            entry(2, Phase::Realize, "200.20"),
            entry(3, Phase::Adjust, "0.01"),
        ]
    }

    // -----------------------------------------------------------------------------------------
    // A small evaluator of the formulas the grid sheet holds, over the values read back.

    #[derive(Debug, Clone, PartialEq)]
    enum V {
        Num(f64),
        Text(String),
    }

    impl V {
        fn num(&self) -> f64 {
            match self {
                V::Num(n) => *n,
                V::Text(_) => 0.0,
            }
        }
    }

    struct Sheet {
        /// Formulas by (row, col), 0-based, without the '='.
        formulas: HashMap<(u32, u32), String>,
        /// The constants (and the cached results of the formulas, which `eval` ignores).
        values: HashMap<(u32, u32), V>,
    }

    impl Sheet {
        fn read(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Sheet {
            let range = book.worksheet_range(name).unwrap();
            let (r0, c0) = range.start().unwrap();
            let mut values = HashMap::new();
            for (r, c, v) in range.used_cells() {
                let v = match v {
                    Data::Float(f) => V::Num(*f),
                    Data::Int(i) => V::Num(*i as f64),
                    Data::String(s) => V::Text(s.clone()),
                    Data::DateTime(dt) => V::Num(dt.as_f64()),
                    other => panic!("unexpected cell {other:?}"),
                };
                values.insert((r0 + r as u32, c0 + c as u32), v);
            }
            let range = book.worksheet_formula(name).unwrap();
            // No formula at all: an empty range, without a start.
            let (r0, c0) = range.start().unwrap_or_default();
            let mut formulas = HashMap::new();
            for (r, c, f) in range.used_cells() {
                if !f.is_empty() {
                    formulas.insert((r0 + r as u32, c0 + c as u32), f.clone());
                }
            }
            Sheet { formulas, values }
        }

        /// The cell's value: a constant as read, a formula computed from the cells it names.
        fn eval(&self, at: (u32, u32)) -> V {
            match self.formulas.get(&at) {
                Some(f) => {
                    let mut p = Parser {
                        s: f.as_bytes(),
                        i: 0,
                        sheet: self,
                    };
                    let v = p.expr();
                    assert_eq!(p.i, f.len(), "formula {f} not parsed to its end");
                    v
                }
                None => self.values.get(&at).cloned().unwrap_or(V::Num(0.0)),
            }
        }

        fn num(&self, at: (u32, u32)) -> f64 {
            self.eval(at).num()
        }

        fn text(&self, at: (u32, u32)) -> String {
            match self.values.get(&at) {
                Some(V::Text(s)) => s.clone(),
                other => panic!("{at:?}: not text: {other:?}"),
            }
        }

        fn rows(&self) -> u32 {
            self.values.keys().map(|(r, _)| r + 1).max().unwrap_or(0)
        }
    }

    /// expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
    /// factor := number | "text" | ref | FUNC(args) | (expr) | -factor.
    /// Functions: SUBTOTAL(9, range) (leaves out cells holding SUBTOTAL, as Excel does),
    /// SUM(range), IF(a=b, x, y).
    struct Parser<'a> {
        s: &'a [u8],
        i: usize,
        sheet: &'a Sheet,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<u8> {
            self.s.get(self.i).copied()
        }

        fn eat(&mut self, c: u8) {
            assert_eq!(self.peek(), Some(c), "at {} of {:?}", self.i, self.s);
            self.i += 1;
        }

        fn expr(&mut self) -> V {
            let mut v = self.term();
            while let Some(op @ (b'+' | b'-')) = self.peek() {
                self.i += 1;
                let r = self.term().num();
                v = V::Num(if op == b'+' { v.num() + r } else { v.num() - r });
            }
            v
        }

        fn term(&mut self) -> V {
            let mut v = self.factor();
            while let Some(op @ (b'*' | b'/')) = self.peek() {
                self.i += 1;
                let r = self.factor().num();
                v = V::Num(if op == b'*' { v.num() * r } else { v.num() / r });
            }
            v
        }

        fn word(&mut self) -> String {
            let start = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
                self.i += 1;
            }
            String::from_utf8(self.s[start..self.i].to_vec()).unwrap()
        }

        /// "D12" -> (11, 3).
        fn reference(word: &str) -> (u32, u32) {
            let split = word.find(|c: char| c.is_ascii_digit()).unwrap();
            let (letters, digits) = word.split_at(split);
            let col = letters
                .bytes()
                .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1))
                - 1;
            (digits.parse::<u32>().unwrap() - 1, col)
        }

        fn range(&mut self) -> Vec<(u32, u32)> {
            let a = Self::reference(&self.word());
            self.eat(b':');
            let b = Self::reference(&self.word());
            assert_eq!(a.1, b.1, "ranges here are one column");
            (a.0..=b.0).map(|r| (r, a.1)).collect()
        }

        fn factor(&mut self) -> V {
            match self.peek() {
                Some(b'(') => {
                    self.i += 1;
                    let v = self.expr();
                    self.eat(b')');
                    v
                }
                Some(b'-') => {
                    self.i += 1;
                    V::Num(-self.factor().num())
                }
                Some(b'"') => {
                    self.i += 1;
                    let start = self.i;
                    while self.peek() != Some(b'"') {
                        self.i += 1;
                    }
                    let s = String::from_utf8(self.s[start..self.i].to_vec()).unwrap();
                    self.i += 1;
                    V::Text(s)
                }
                Some(c) if c.is_ascii_digit() => {
                    let start = self.i;
                    while self.peek().is_some_and(|c| c.is_ascii_digit() || c == b'.') {
                        self.i += 1;
                    }
                    let s = std::str::from_utf8(&self.s[start..self.i]).unwrap();
                    V::Num(s.parse().unwrap())
                }
                _ => {
                    let w = self.word();
                    if self.peek() != Some(b'(') {
                        return self.sheet.eval(Self::reference(&w));
                    }
                    self.i += 1;
                    let v = match w.as_str() {
                        "SUBTOTAL" => {
                            let kind = self.expr();
                            assert_eq!(kind, V::Num(9.0), "SUBTOTAL 9 (sum) only");
                            self.eat(b',');
                            let cells = self.range();
                            let sheet = self.sheet;
                            V::Num(
                                cells
                                    .into_iter()
                                    .filter(|at| {
                                        !sheet
                                            .formulas
                                            .get(at)
                                            .is_some_and(|f| f.contains("SUBTOTAL("))
                                    })
                                    .map(|at| sheet.num(at))
                                    .sum(),
                            )
                        }
                        "SUM" => {
                            let cells = self.range();
                            V::Num(cells.into_iter().map(|at| self.sheet.num(at)).sum())
                        }
                        "IF" => {
                            let a = self.expr();
                            self.eat(b'=');
                            let b = self.expr();
                            self.eat(b',');
                            let yes = self.expr();
                            self.eat(b',');
                            let no = self.expr();
                            if a == b { yes } else { no }
                        }
                        other => panic!("unknown function {other}"),
                    };
                    self.eat(b')');
                    v
                }
            }
        }
    }

    fn f(d: Decimal) -> f64 {
        d.to_f64().unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    /// The first row whose column A holds `code` and column B starts with `label`.
    fn find_row(s: &Sheet, code: &str, label: &str) -> u32 {
        (0..s.rows())
            .find(|r| {
                matches!(s.values.get(&(*r, 0)), Some(V::Text(t)) if t == code)
                    && (label.is_empty()
                        || matches!(s.values.get(&(*r, 1)), Some(V::Text(t)) if t.starts_with(label)))
            })
            .unwrap_or_else(|| panic!("no row {code} {label}"))
    }

    /// Planned, committed, realized, savings, available of a row, recomputed.
    fn figures_at(s: &Sheet, r: u32) -> [f64; 5] {
        [3, 4, 5, 6, 7].map(|c| s.num((r, c)))
    }

    fn expected(fg: &Figures) -> [f64; 5] {
        [
            f(fg.planned),
            f(fg.committed),
            f(fg.realized),
            f(fg.savings),
            f(fg.available()),
        ]
    }

    fn assert_close(got: [f64; 5], want: [f64; 5], what: &str) {
        for (g, w) in got.iter().zip(want.iter()) {
            assert!(close(*g, *w), "{what}: got {got:?}, want {want:?}");
        }
    }

    /// Every formula's cached result is what the formula computes.
    fn assert_cached_results(s: &Sheet) {
        for at in s.formulas.keys() {
            let computed = s.eval(*at);
            match (s.values.get(at), &computed) {
                (Some(V::Num(cached)), V::Num(n)) => {
                    assert!(close(*cached, *n), "{at:?}: cached {cached}, computed {n}")
                }
                (Some(V::Text(t)), V::Text(u)) => assert_eq!(t, u, "{at:?}"),
                // An empty string result reads back as no value.
                (None, V::Text(u)) => assert_eq!(u, "", "{at:?}"),
                (cached, _) => panic!("{at:?}: cached {cached:?}, computed {computed:?}"),
            }
        }
    }

    #[test]
    fn the_workbook_holds_live_formulas_that_add_up_to_the_grid() {
        let grid = grid();
        let dir = tempfile::tempdir().unwrap();
        let path = dir
            .path()
            .join(format!("{}.xlsx", base_name("h", grid.from, grid.to)));
        assert!(path.ends_with("Orcamento_h_2026-01_2026-03.xlsx"));
        let summary = write_xlsx(
            &path,
            "Orçamento 2026",
            &grid,
            entries().into_iter().map(Ok),
        )
        .unwrap();
        // Leaves only: HC-CAG, HC-LAV, ADM x 3 categories.
        assert_eq!(
            summary,
            Summary {
                rows: 9,
                entries: 3
            }
        );

        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names(), vec![GRID_SHEET, ENTRIES_SHEET]);
        let mut s = Sheet::read(&mut book, GRID_SHEET);
        assert_eq!(s.text((0, 0)), "Orçamento 2026");
        let header: Vec<String> = (0..9).map(|c| s.text((1, c))).collect();
        assert_eq!(header, GRID_HEADERS.map(|(h, _)| h.to_owned()));

        // Layout: 6 HC leaf rows, HC subtotal, 3 ADM rows, ADM subtotal, total.
        let codes: Vec<String> = (2..s.rows()).map(|r| s.text((r, 0))).collect();
        assert_eq!(
            codes,
            [
                "HC-CAG", "HC-CAG", "HC-CAG", "HC-LAV", "HC-LAV", "HC-LAV", "HC", "ADM", "ADM",
                "ADM", "ADM", "Total"
            ]
        );
        assert_eq!(s.text((2, 2)), "Mão de obra");
        assert_eq!(s.text((8, 1)), "Subtotal Nome HC");

        // The formulas are there, as written.
        let formula = |r: u32, c: u32| s.formulas.get(&(r, c)).cloned().unwrap_or_default();
        assert_eq!(formula(2, 7), "D3-E3-F3");
        assert_eq!(formula(2, 8), "IF(D3=0,\"\",(E3+F3)/D3)");
        assert_eq!(formula(8, 3), "SUBTOTAL(9,D3:D8)");
        assert_eq!(formula(8, 7), "SUBTOTAL(9,H3:H8)");
        assert_eq!(formula(12, 6), "SUBTOTAL(9,G10:G12)");
        assert_eq!(formula(13, 3), "SUBTOTAL(9,D3:D13)");
        assert_eq!(formula(13, 8), "IF(D14=0,\"\",(E14+F14)/D14)");
        // The figures are constants (no formula), the share consumed a fraction.
        assert!(!s.formulas.contains_key(&(2, 3)));
        assert!(close(s.num((2, 8)), (200.20 + 300.30) / 1000.10));
        // No plan: the formula's "" (and its cached result is empty).
        assert_eq!(s.eval((3, 8)), V::Text(String::new()));
        assert_cached_results(&s);

        // Recomputed from the values read back: each top-level cost center's subtotal is its
        // row's total, the total row is the grid's total.
        let hc = &grid.rows[0];
        let adm = &grid.rows[3];
        let (hc_sub, adm_sub, total) = (
            find_row(&s, "HC", "Subtotal"),
            find_row(&s, "ADM", "Subtotal"),
            find_row(&s, "Total", ""),
        );
        assert_close(figures_at(&s, hc_sub), expected(&hc.total), "HC");
        assert_close(figures_at(&s, adm_sub), expected(&adm.total), "ADM");
        assert_close(figures_at(&s, total), expected(&grid.total), "total");
        let consumed = f(grid.total.committed + grid.total.realized) / f(grid.total.planned);
        assert!(close(s.num((total, 8)), consumed));
        // A leaf's row: its own cells.
        let lav_parts = find_row(&s, "HC-LAV", "Nome") + 1;
        assert_close(
            figures_at(&s, lav_parts),
            expected(&grid.rows[2].cells[1]),
            "HC-LAV parts",
        );

        // A finance user edits one Planejado cell: its Disponível, the subtotal and the total
        // follow by the same amount; the other group does not move.
        let before = figures_at(&s, total);
        let adm_before = figures_at(&s, adm_sub);
        let at = (lav_parts, 3);
        let old = s.num(at);
        s.values.insert(at, V::Num(old + 1234.5));
        let after = figures_at(&s, total);
        assert!(
            close(after[0] - before[0], 1234.5),
            "total planned {before:?} -> {after:?}"
        );
        assert!(close(after[4] - before[4], 1234.5), "total available");
        assert!(close(after[1], before[1]) && close(after[2], before[2]));
        assert!(close(
            figures_at(&s, hc_sub)[0],
            f(hc.total.planned) + 1234.5
        ));
        assert!(close(
            s.num((lav_parts, 7)),
            f(grid.rows[2].cells[1].available()) + 1234.5
        ));
        assert_eq!(figures_at(&s, adm_sub), adm_before);

        // The entries, one row each under the header, in the order given.
        let e = Sheet::read(&mut book, ENTRIES_SHEET);
        assert!(e.formulas.is_empty());
        assert_eq!(e.rows(), 4);
        let header: Vec<String> = (0..15).map(|c| e.text((0, c))).collect();
        assert_eq!(header, ENTRY_HEADERS.map(|(h, _)| h.to_owned()));
        let range = book.worksheet_range(ENTRIES_SHEET).unwrap();
        assert_eq!(range.get_value((1, 0)), Some(&Data::Float(1.0)));
        let month = range.get_value((1, 1)).unwrap();
        assert!(month.is_datetime());
        // Excel's serial day: days since 1899-12-30.
        let serial = |d: jiff::civil::Date| (d - date(1899, 12, 30)).get_days() as f64;
        assert_eq!(
            month.get_datetime().unwrap().as_f64(),
            serial(date(2026, 2, 1))
        );
        assert_eq!(e.num((1, 2)), serial(date(2026, 2, 10)));
        assert_eq!(e.text((1, 3)), "HC-CAG");
        assert_eq!(e.text((1, 4)), "Mão de obra");
        assert_eq!(e.text((1, 5)), "compromisso");
        assert_eq!(e.text((2, 5)), "realização");
        assert_eq!(e.num((1, 6)), 300.30);
        assert_eq!(e.num((2, 7)), -200.20);
        assert_eq!(e.num((2, 8)), 200.20);
        assert_eq!(e.text((1, 10)), "wo:1:labor");
        assert_eq!(e.text((2, 11)), "wo:1:labor");
        assert!(!e.values.contains_key(&(1, 11)));
        assert!(range.get_value((3, 12)).unwrap().is_datetime());
        assert_eq!(e.text((3, 13)), "Lançamento 3, \"com aspas\"");
    }

    #[test]
    fn a_parents_own_figures_get_their_own_rows_and_still_add_up() {
        let z = Figures::default;
        let grid = grid_with(vec![fig("700", "0", "50.05", "0"), z(), z()]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.xlsx");
        let summary = write_xlsx(&path, "t", &grid, std::iter::empty()).unwrap();
        assert_eq!(
            summary,
            Summary {
                rows: 12,
                entries: 0
            }
        );
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let s = Sheet::read(&mut book, GRID_SHEET);
        // HC's own rows come first, in tree order, and hold only what is not its children's.
        let own = find_row(&s, "HC", "Nome HC (próprio)");
        assert_eq!(own, 2);
        assert_close(
            figures_at(&s, own),
            [700.0, 0.0, 50.05, 0.0, 649.95],
            "HC own",
        );
        assert_close(figures_at(&s, own + 1), [0.0; 5], "HC own parts");
        assert_cached_results(&s);
        let hc_sub = find_row(&s, "HC", "Subtotal");
        assert_close(figures_at(&s, hc_sub), expected(&grid.rows[0].total), "HC");
        assert_close(
            figures_at(&s, find_row(&s, "Total", "")),
            expected(&grid.total),
            "total",
        );
        // The entries sheet: the header only.
        let e = Sheet::read(&mut book, ENTRIES_SHEET);
        assert_eq!(e.rows(), 1);
    }

    #[test]
    fn an_empty_grid_still_has_its_total_row() {
        let grid = Grid {
            from: Month::new(2026, 1),
            to: Month::new(2026, 1),
            categories: vec![],
            rows: vec![],
            totals: vec![],
            total: Figures::default(),
        };
        assert_eq!(base_name("h", grid.from, grid.to), "Orcamento_h_2026-01");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.xlsx");
        let summary = write_xlsx(&path, "t", &grid, std::iter::empty()).unwrap();
        assert_eq!(summary, Summary::default());
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let s = Sheet::read(&mut book, GRID_SHEET);
        assert_eq!(s.text((2, 0)), "Total");
        assert_eq!(s.formulas.get(&(2, 3)).map(String::as_str), Some("0"));
        assert_cached_results(&s);
    }

    #[test]
    fn an_entry_that_cannot_be_read_stops_the_export() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.xlsx");
        let broken = entries()
            .into_iter()
            .map(Ok)
            .chain([Err(anyhow::anyhow!("entry 4 unreadable"))]);
        let err = write_xlsx(&path, "t", &grid(), broken).unwrap_err();
        assert_eq!(err.to_string(), "entry 4 unreadable");
        assert!(!path.exists());
        let broken = [Err(anyhow::anyhow!("no"))].into_iter();
        assert_eq!(
            write_entries_csv(Vec::new(), broken)
                .unwrap_err()
                .to_string(),
            "no"
        );
    }

    #[test]
    fn the_csv_files() {
        let grid = grid();
        let mut out = Vec::new();
        write_grid_csv(&mut out, &grid).unwrap();
        let mut r = csv::Reader::from_reader(out.as_slice());
        assert_eq!(r.headers().unwrap(), GRID_CSV_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        // Every cost center (parents too) x 3 categories, in tree order.
        assert_eq!(rows.len(), 12);
        let line = |i: usize| rows[i].iter().collect::<Vec<_>>();
        assert_eq!(
            line(0),
            [
                "HC",
                "Nome HC",
                "",
                "0",
                "true",
                "labor",
                "Mão de obra",
                "1500.1",
                "200.2",
                "425.55",
                "0",
                "874.35",
                "41.7",
                "2"
            ]
        );
        assert_eq!(
            line(4),
            [
                "HC-CAG",
                "Nome HC-CAG",
                "HC",
                "1",
                "false",
                "parts",
                "Peças e materiais",
                "0",
                "0",
                "0",
                "0",
                "0",
                "",
                "0"
            ]
        );
        // The depth-0 rows add up to the grid's total.
        let planned: Decimal = rows
            .iter()
            .filter(|r| &r[3] == "0")
            .map(|r| r[7].parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(planned, grid.total.planned);

        let mut out = Vec::new();
        let n = write_entries_csv(&mut out, entries().into_iter().map(Ok)).unwrap();
        assert_eq!(n, 3);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], ENTRIES_CSV_HEADER.join(","));
        assert_eq!(
            lines[2],
            "2,2026-02,2026-02-10,HC-CAG,labor,realize,200.2,-200.2,200.2,0,wo:2:labor,\
             wo:1:labor,,\"Lançamento 2, \"\"com aspas\"\"\","
        );
        assert_eq!(
            lines[3],
            "3,2026-02,2026-02-10,HC-CAG,labor,adjust,0.01,-0.01,0,0,wo:3:labor,,2026-01,\
             \"Lançamento 3, \"\"com aspas\"\"\","
        );
    }
}
