//! The monthly Petrobras report (RC, user story US-003): one formatted workbook per month,
//! `RC_<MM>_<YYYY>_Petrobras.xlsx`, with two sheets.
//!
//! "RC <MM>-<YYYY>" (Excel forbids `/` in sheet names; the title cell says "RC MM/YYYY"): one row
//! per day of the month — the date (a date cell, dd/mm/yyyy), the weekday in Portuguese, then
//! QDS, QDP and QDR of every unit (in `Month::units` order, the unit named in the row above), then
//! the consolidated QDS, QDP, QDR, the QDC, the transport and molecule bands (min/max), how far
//! the QDR is outside each band, the status (OK when QDP equals QDS), the band as a word
//! ("dentro" inside the molecule band, "transporte" inside the transport band only, "fora"
//! outside both) with a green/yellow/red fill, and notes: units with no entry
//! ("faltando: CRI"), a QDS that could not be computed, a manual QDS, no contract, no data.
//! A day without any entry, plan or QDR leaves its figures empty ("sem lançamentos"). The last
//! row holds the month totals as SUM formulas with their computed results cached.
//!
//! "dados": the rows behind the report in the import layout documented in
//! `opsdeck_import::gas` (one row per unit and day that has an entry, a plan or a QDR), so the
//! file read back by `opsdeck gas import` gives the same data. `write_data_csv` writes the same
//! rows as CSV.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use jiff::civil::{Date, Weekday};
use opsdeck_import::gas::COLUMNS;
use opsdeck_storage::records::gas::GasUnit;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    column_number_to_name,
};

use crate::domain::gas::calc::Band;
use crate::domain::gas::month::{DayRow, Month};

/// "RC_11_2026_Petrobras.xlsx" for any day of November 2026.
pub fn petrobras_file_name(first: Date) -> String {
    format!("RC_{:02}_{:04}_Petrobras.xlsx", first.month(), first.year())
}

/// "RC 11-2026": the report sheet's name.
pub fn petrobras_sheet_name(first: Date) -> String {
    format!("RC {:02}-{:04}", first.month(), first.year())
}

pub fn weekday_pt(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "segunda-feira",
        Weekday::Tuesday => "terça-feira",
        Weekday::Wednesday => "quarta-feira",
        Weekday::Thursday => "quinta-feira",
        Weekday::Friday => "sexta-feira",
        Weekday::Saturday => "sábado",
        Weekday::Sunday => "domingo",
    }
}

/// The word written for a band (the fill colour only repeats it).
pub fn band_word(b: Band) -> &'static str {
    match b {
        Band::Green => "dentro",
        Band::Yellow => "transporte",
        Band::Red => "fora",
    }
}

/// Header rows of the report sheet; days start below them.
const HEADER_ROWS: u32 = 2;
/// Date and weekday come before the units.
const LEAD_COLS: u16 = 2;
/// After the units: QDS, QDP, QDR, QDC, transport min/max, molecule min/max, delta transport,
/// delta molecule, status, band, notes.
const CONSOLIDATED_HEADERS: [&str; 13] = [
    "QDS",
    "QDP",
    "QDR",
    "QDC",
    "Transporte mín",
    "Transporte máx",
    "Molécula mín",
    "Molécula máx",
    "Δ transporte",
    "Δ molécula",
    "Status",
    "Faixa",
    "Observações",
];
const C_QDS: u16 = 0;
const C_QDP: u16 = 1;
const C_QDR: u16 = 2;
const C_QDC: u16 = 3;
const C_TMIN: u16 = 4;
const C_DT: u16 = 8;
const C_DM: u16 = 9;
const C_STATUS: u16 = 10;
const C_BAND: u16 = 11;
const C_NOTES: u16 = 12;
/// Consolidated columns summed in the totals row.
const SUMMED: [u16; 6] = [C_QDS, C_QDP, C_QDR, C_QDC, C_DT, C_DM];

struct Formats {
    title: Format,
    header: Format,
    date: Format,
    text: Format,
    number: Format,
    total_label: Format,
    total_number: Format,
    nok: Format,
    band: [Format; 3],
}

impl Formats {
    fn new() -> Formats {
        let number = "#,##0.00";
        let band = |c: u32| {
            Format::new()
                .set_background_color(Color::RGB(c))
                .set_align(FormatAlign::Center)
        };
        Formats {
            title: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xD9E1F2)),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xF2F2F2)),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            text: Format::new(),
            number: Format::new().set_num_format(number),
            total_label: Format::new().set_bold().set_border(FormatBorder::Thin),
            total_number: Format::new()
                .set_bold()
                .set_num_format(number)
                .set_border(FormatBorder::Thin),
            nok: Format::new()
                .set_bold()
                .set_font_color(Color::RGB(0x9C0006))
                .set_align(FormatAlign::Center),
            band: [band(0xC6EFCE), band(0xFFEB9C), band(0xFFC7CE)],
        }
    }

    fn band(&self, b: Band) -> &Format {
        match b {
            Band::Green => &self.band[0],
            Band::Yellow => &self.band[1],
            Band::Red => &self.band[2],
        }
    }
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

fn excel_date(d: Date) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// Whether anything was recorded for the day (any unit's entry, plan or QDR).
fn has_data(day: &DayRow) -> bool {
    day.units
        .iter()
        .any(|c| c.entry.is_some() || c.qdp.is_some() || c.qdr.is_some())
}

/// The notes column of a day.
fn notes(units: &[GasUnit], day: &DayRow) -> String {
    if !has_data(day) {
        return "sem lançamentos".into();
    }
    let mut notes = Vec::new();
    let missing: Vec<&str> = units
        .iter()
        .zip(&day.units)
        .filter(|(_, c)| c.entry.is_none())
        .map(|(u, _)| u.code.as_str())
        .collect();
    if !missing.is_empty() {
        notes.push(format!("faltando: {}", missing.join(", ")));
    }
    for (u, c) in units.iter().zip(&day.units) {
        match &c.qds {
            Some(Err(e)) => notes.push(format!("{}: QDS não calculado ({e})", u.code)),
            Some(Ok(q)) if q.manual => notes.push(format!("{}: QDS manual", u.code)),
            _ => {}
        }
    }
    if day.contract.is_none() {
        notes.push("sem contrato em vigor".into());
    }
    notes.join("; ")
}

/// Exports the month starting at `first` of `tenant` into `dir` as `petrobras_file_name`, for
/// `user` (who needs to read the tenant), and audits it. Returns the file written.
pub fn export_month(
    tenant: &opsdeck_storage::Tenant,
    user: &str,
    first: Date,
    dir: &Path,
) -> Result<std::path::PathBuf> {
    use crate::domain::access::{Permission, require};
    require(tenant, user, Permission::Read)?;
    let data = crate::domain::gas::month::month(tenant, first)?;
    if data.units.is_empty() {
        anyhow::bail!("tenant '{}' has no gas units", tenant.name());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(petrobras_file_name(data.first));
    write_petrobras(&data, &path)?;
    tenant.write(user, |tx| {
        tx.audit("gas.export", "gas", &path.display().to_string());
        Ok(())
    })?;
    Ok(path)
}

/// Writes the month's Petrobras workbook to `path` (see the module doc for the layout).
pub fn write_petrobras(month: &Month, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let report = book.add_worksheet();
    report.set_name(petrobras_sheet_name(month.first))?;
    write_report(report, month, &f)?;
    let data = book.add_worksheet();
    data.set_name(opsdeck_import::gas::DATA_SHEET)?;
    write_data_sheet(data, month, &f)?;
    book.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_report(sheet: &mut Worksheet, month: &Month, f: &Formats) -> Result<()> {
    let n_units = month.units.len() as u16;
    let base = LEAD_COLS + 3 * n_units;
    let last_col = base + C_NOTES;

    // Two header rows: group names above, column names below.
    let title = format!("RC {:02}/{:04}", month.first.month(), month.first.year());
    sheet.merge_range(0, 0, 0, LEAD_COLS - 1, &title, &f.title)?;
    sheet.write_string_with_format(1, 0, "Data", &f.header)?;
    sheet.write_string_with_format(1, 1, "Dia", &f.header)?;
    for (i, u) in month.units.iter().enumerate() {
        let c = LEAD_COLS + 3 * i as u16;
        let name = format!("{} ({})", u.name, u.code);
        sheet.merge_range(0, c, 0, c + 2, &name, &f.title)?;
        for (k, h) in ["QDS", "QDP", "QDR"].iter().enumerate() {
            sheet.write_string_with_format(1, c + k as u16, *h, &f.header)?;
        }
    }
    sheet.merge_range(0, base, 0, last_col, "Consolidado (m³/dia)", &f.title)?;
    for (k, h) in CONSOLIDATED_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(1, base + k as u16, *h, &f.header)?;
    }

    // Running column sums for the totals row's cached results.
    let mut sums = vec![Decimal::ZERO; (last_col + 1) as usize];
    let mut counts = [0usize; 5]; // OK, NOK, dentro, transporte, fora
    for (i, day) in month.days.iter().enumerate() {
        let r = HEADER_ROWS + i as u32;
        sheet.write_datetime_with_format(r, 0, excel_date(day.date)?, &f.date)?;
        sheet.write_string_with_format(r, 1, weekday_pt(day.weekday), &f.text)?;
        let mut num = |sheet: &mut Worksheet, col: u16, v: Option<Decimal>| -> Result<()> {
            if let Some(v) = v {
                sheet.write_number_with_format(r, col, f64_of(v), &f.number)?;
                sums[col as usize] += v;
            }
            Ok(())
        };
        for (k, cell) in day.units.iter().enumerate() {
            let c = LEAD_COLS + 3 * k as u16;
            num(sheet, c, cell.qds_value())?;
            num(sheet, c + 1, cell.qdp)?;
            num(sheet, c + 2, cell.qdr.map(|(v, _)| v))?;
        }
        let data = has_data(day);
        if let Some(c) = &day.consolidated {
            if data {
                num(sheet, base + C_QDS, Some(c.qds))?;
                num(sheet, base + C_QDP, Some(c.qdp))?;
                num(sheet, base + C_QDR, Some(c.qdr))?;
            }
            num(sheet, base + C_QDC, Some(c.qdc))?;
            if let Some(d) = &c.deviations {
                let bands = [
                    d.transport_min,
                    d.transport_max,
                    d.molecule_min,
                    d.molecule_max,
                ];
                for (k, v) in bands.into_iter().enumerate() {
                    num(sheet, base + C_TMIN + k as u16, Some(v))?;
                }
                num(sheet, base + C_DT, Some(d.delta_transport))?;
                num(sheet, base + C_DM, Some(d.delta_molecule))?;
                let b = crate::domain::gas::calc::band(d);
                sheet.write_string_with_format(r, base + C_BAND, band_word(b), f.band(b))?;
                counts[2 + b as usize] += 1;
            }
            if data {
                if c.ok {
                    sheet.write_string_with_format(r, base + C_STATUS, "OK", &f.text)?;
                    counts[0] += 1;
                } else {
                    sheet.write_string_with_format(r, base + C_STATUS, "NOK", &f.nok)?;
                    counts[1] += 1;
                }
            }
        }
        sheet.write_string_with_format(r, base + C_NOTES, notes(&month.units, day), &f.text)?;
    }

    // Totals: SUM formulas with their results cached, so readers without recalculation see them.
    let total_row = HEADER_ROWS + month.days.len() as u32;
    sheet.write_string_with_format(total_row, 0, "Total", &f.total_label)?;
    sheet.write_blank(total_row, 1, &f.total_label)?;
    let summed: Vec<u16> = (LEAD_COLS..base)
        .chain(SUMMED.iter().map(|c| base + c))
        .collect();
    for col in summed {
        let letter = column_number_to_name(col);
        let formula = if month.days.is_empty() {
            Formula::new("0")
        } else {
            Formula::new(format!(
                "SUM({letter}{}:{letter}{})",
                HEADER_ROWS + 1,
                total_row
            ))
        };
        let result = sums[col as usize].normalize().to_string();
        sheet.write_formula_with_format(
            total_row,
            col,
            formula.set_result(result),
            &f.total_number,
        )?;
    }
    sheet.write_string_with_format(
        total_row,
        base + C_NOTES,
        format!(
            "dias OK: {}, NOK: {}; dentro: {}, transporte: {}, fora: {}",
            counts[0], counts[1], counts[2], counts[3], counts[4]
        ),
        &f.total_label,
    )?;

    sheet.set_freeze_panes(HEADER_ROWS, LEAD_COLS)?;
    sheet.set_row_height(1, 30)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 14)?;
    for c in LEAD_COLS..base + C_STATUS {
        sheet.set_column_width(c, 13)?;
    }
    sheet.set_column_width(base + C_STATUS, 8)?;
    sheet.set_column_width(base + C_BAND, 12)?;
    sheet.set_column_width(base + C_NOTES, 48)?;
    Ok(())
}

/// One cell of the data layout.
enum Cell {
    Text(String),
    Number(Decimal),
    Empty,
}

fn yes_no(b: bool) -> Cell {
    Cell::Text(if b { "S" } else { "N" }.into())
}

/// The data layout's rows, in `COLUMNS` order: per day, per unit (Month::units order), the ones
/// with an entry, a plan or a QDR.
fn data_rows(month: &Month) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for day in &month.days {
        for (unit, cell) in month.units.iter().zip(&day.units) {
            if cell.entry.is_none() && cell.qdp.is_none() && cell.qdr.is_none() {
                continue;
            }
            let mut row = vec![
                Cell::Text(unit.code.clone()),
                Cell::Text(day.date.to_string()),
            ];
            match cell.entry.as_ref().map(|e| &e.value) {
                Some(e) => {
                    // Lines on, in form order, then any other code marked on.
                    let mut on: Vec<&str> = unit
                        .toggled()
                        .iter()
                        .map(|eq| eq.code.as_str())
                        .filter(|code| e.lines.get(*code).copied().unwrap_or(false))
                        .collect();
                    for (code, is_on) in &e.lines {
                        if *is_on && !on.contains(&code.as_str()) {
                            on.push(code);
                        }
                    }
                    row.extend([
                        yes_no(e.atomizer_scheduled),
                        Cell::Number(e.atomizer_hours),
                        e.secondary_scheduled.map_or(Cell::Empty, yes_no),
                        e.secondary_hours.map_or(Cell::Empty, Cell::Number),
                        Cell::Text(on.join(" ")),
                        Cell::Text(e.observations.clone()),
                        e.qds_manual
                            .as_ref()
                            .map_or(Cell::Empty, |m| Cell::Number(m.value)),
                    ]);
                }
                None => row.extend((0..7).map(|_| Cell::Empty)),
            }
            row.push(cell.qdp.map_or(Cell::Empty, Cell::Number));
            match cell.qdr {
                Some((v, source)) => {
                    row.push(Cell::Number(v));
                    row.push(Cell::Text(source.as_str().into()));
                }
                None => row.extend([Cell::Empty, Cell::Empty]),
            }
            debug_assert_eq!(row.len(), COLUMNS.len());
            rows.push(row);
        }
    }
    rows
}

fn write_data_sheet(sheet: &mut Worksheet, month: &Month, f: &Formats) -> Result<()> {
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    for (i, row) in data_rows(month).iter().enumerate() {
        let r = i as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) if !s.is_empty() => {
                    sheet.write_string(r, c as u16, s)?;
                }
                Cell::Number(v) => {
                    sheet.write_number(r, c as u16, f64_of(*v))?;
                }
                _ => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let widths = [9, 12, 12, 10, 12, 10, 24, 36, 12, 12, 12, 10];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The "dados" rows as CSV with the same header, for machines.
pub fn write_data_csv(month: &Month, out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for row in data_rows(month) {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(v) => v.normalize().to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    w.flush()?;
    Ok(())
}
