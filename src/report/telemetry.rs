//! Export of one device's readings: one row per time, one column per metric (wide, as people
//! open it in a spreadsheet), times in the tenant's zone and in UTC.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rust_xlsxwriter::{Format, Workbook};

pub struct Table {
    pub device: String,
    /// (metric, unit)
    pub metrics: Vec<(String, String)>,
    /// time -> value per metric (same order as `metrics`)
    pub rows: BTreeMap<Timestamp, Vec<Option<f64>>>,
}

impl Table {
    pub fn new(device: &str, metrics: Vec<(String, String)>) -> Table {
        Table {
            device: device.to_owned(),
            metrics,
            rows: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, metric_index: usize, ts: Timestamp, value: f64) {
        let n = self.metrics.len();
        let row = self.rows.entry(ts).or_insert_with(|| vec![None; n]);
        row[metric_index] = Some(value);
    }

    fn header(&self) -> Vec<String> {
        let mut h = vec!["time_local".to_owned(), "time_utc".to_owned()];
        for (m, unit) in &self.metrics {
            h.push(if unit.is_empty() {
                m.clone()
            } else {
                format!("{m} ({unit})")
            });
        }
        h
    }
}

pub fn write_csv(table: &Table, tz: &TimeZone, out: &mut dyn std::io::Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(table.header())?;
    for (ts, values) in &table.rows {
        let mut rec = vec![
            ts.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string(),
            ts.to_string(),
        ];
        rec.extend(
            values
                .iter()
                .map(|v| v.map(|x| x.to_string()).unwrap_or_default()),
        );
        w.write_record(rec)?;
    }
    w.flush()?;
    Ok(())
}

pub fn write_xlsx(table: &Table, tz: &TimeZone, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&table.device))?;
    let bold = Format::new().set_bold();
    let when = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    let number = Format::new().set_num_format("#,##0.00");
    for (c, h) in table.header().iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (i, (ts, values)) in table.rows.iter().enumerate() {
        let r = (i + 1) as u32;
        let local = ts.to_zoned(tz.clone()).datetime();
        let excel = rust_xlsxwriter::ExcelDateTime::parse_from_str(
            &local.strftime("%Y-%m-%d %H:%M:%S").to_string(),
        )?;
        sheet.write_datetime_with_format(r, 0, &excel, &when)?;
        sheet.write_string(r, 1, ts.to_string())?;
        for (c, v) in values.iter().enumerate() {
            if let Some(v) = v {
                sheet.write_number_with_format(r, (c + 2) as u16, *v, &number)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 22)?;
    for c in 0..table.metrics.len() {
        sheet.set_column_width((c + 2) as u16, 18)?;
    }
    book.save(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Excel sheet names: at most 31 characters, none of []:*?/\
fn sheet_name(device: &str) -> String {
    let s: String = device
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    if s.is_empty() { "readings".into() } else { s }
}
