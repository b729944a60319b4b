//! Importing past months from the layout of the Petrobras workbook's "dados" sheet (or the same
//! columns as CSV). Every row is checked against the tenant first (unit, its lines, its second
//! atomizer, dates, QDR source); a file with any problem writes nothing, unless the caller asks
//! to skip the bad rows. Rows then go through the entry, plan and QDR services, so an import
//! follows the same rules and leaves the same audit trail as keying.

use std::collections::BTreeMap;
use std::str::FromStr;

use anyhow::Result;
use jiff::civil::Date;
use opsdeck_import::RowError;
use opsdeck_import::gas::{GasImport, GasRow};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::gas::{DailyEntry, GasUnit, QdrSource, day_key};

use super::entries::{self, EntryInput, GasAction, QdrOutcome};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Imported {
    pub entries_written: usize,
    pub entries_unchanged: usize,
    pub plans: usize,
    pub qdrs: usize,
    /// QDR rows not applied because a hand-keyed value exists.
    pub qdrs_kept_manual: usize,
    pub skipped_rows: usize,
}

/// A row checked against the tenant, ready to write.
struct Checked<'a> {
    row: &'a GasRow,
    entry: Option<EntryInput>,
    qdr: Option<QdrSource>,
}

fn problem(file: &str, row: u64, column: &str, reason: impl Into<String>) -> RowError {
    RowError {
        file: file.into(),
        row,
        column: Some(column.into()),
        reason: reason.into(),
    }
}

/// The rows that passed the checks (with their row numbers), and the problems of the others.
type Checks<'a> = (Vec<(u64, Checked<'a>)>, Vec<RowError>);

/// Checks every row; nothing is written yet.
fn check<'a>(
    tenant: &Tenant,
    file: &str,
    rows: &'a [(u64, GasRow)],
    today: Date,
) -> Result<Checks<'a>> {
    let units: BTreeMap<String, GasUnit> = tenant
        .list::<GasUnit>()?
        .into_iter()
        .map(|u| (u.key, u.value))
        .collect();
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (n, row) in rows {
        let Some(unit) = units.get(&row.unit).filter(|u| u.active) else {
            bad.push(problem(
                file,
                *n,
                "unidade",
                format!(
                    "no active unit '{}' (units: {})",
                    row.unit,
                    units.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        };
        let mut row_ok = true;
        let entry = row.entry.as_ref().map(|e| {
            let toggled: Vec<&str> = unit.toggled().iter().map(|x| x.code.as_str()).collect();
            for code in &e.lines_on {
                if !toggled.contains(&code.as_str()) {
                    bad.push(problem(
                        file,
                        *n,
                        "linhas_ligadas",
                        format!(
                            "{} has no line or dryer '{code}' (it has: {})",
                            unit.code,
                            toggled.join(" ")
                        ),
                    ));
                    row_ok = false;
                }
            }
            EntryInput {
                date: row.date,
                atomizer_scheduled: e.atomizer_scheduled,
                atomizer_hours: e.atomizer_hours,
                secondary_scheduled: e.secondary_scheduled,
                secondary_hours: e.secondary_hours,
                lines: e.lines_on.iter().map(|c| (c.clone(), true)).collect(),
                observations: e.observations.clone(),
                qds_manual: e.qds_manual,
            }
        });
        if let Some(input) = &entry
            && row_ok
        {
            for e in entries::check_entry(unit, input, today) {
                let column = match e.field.as_str() {
                    "atomizer_hours" => "horas_atomizador",
                    "secondary_hours" => "horas_atomizador2",
                    "secondary_scheduled" => "atomizador2_programado",
                    "date" => "data",
                    f if f.starts_with("lines") => "linhas_ligadas",
                    _ => "unidade",
                };
                bad.push(problem(file, *n, column, e.why.to_string()));
                row_ok = false;
            }
        }
        // Checked here too, so a bad value refuses the file before anything is written.
        let quantities = [
            ("qdp", row.qdp, "a plan"),
            ("qdr", row.qdr.as_ref().map(|q| q.0), "a real consumption"),
        ];
        for (column, value, what) in quantities {
            if let Some(e) = value.and_then(|v| entries::check_quantity(column, v, what)) {
                bad.push(problem(file, *n, column, e.why.to_string()));
                row_ok = false;
            }
        }
        let qdr = match &row.qdr {
            Some((_, source)) => match QdrSource::from_str(source) {
                Ok(s) => Some(s),
                Err(e) => {
                    bad.push(problem(file, *n, "fonte_qdr", e));
                    row_ok = false;
                    None
                }
            },
            None => None,
        };
        if row_ok {
            ok.push((*n, Checked { row, entry, qdr }));
        }
    }
    Ok((ok, bad))
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The tenant's local date (entries after tomorrow are refused, past ones need a
    /// supervisor).
    pub today: Date,
    /// Import the good rows of a file with errors instead of refusing it.
    pub skip_bad_rows: bool,
}

/// Imports what the reader found in `file`. With any error (the reader's or the tenant checks)
/// and `skip_bad_rows` off, nothing is written and every error is returned.
pub fn import(
    tenant: &Tenant,
    user: &str,
    file: &str,
    parsed: &GasImport,
    opts: Options,
    mut progress: impl FnMut(usize),
) -> Result<std::result::Result<Imported, Vec<RowError>>> {
    let (rows, read_errors, today) = (&parsed.records, &parsed.errors, opts.today);
    // Past days need a supervisor: say so once, before anything is written.
    if rows.iter().any(|(_, r)| r.date < today) {
        entries::require(tenant, user, GasAction::EnterPast)?;
    }
    let (ok, mut bad) = check(tenant, file, rows, today)?;
    let mut errors: Vec<RowError> = read_errors.to_vec();
    errors.append(&mut bad);
    if !errors.is_empty() && !opts.skip_bad_rows {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    let mut out = Imported {
        skipped_rows: errors.len(),
        ..Imported::default()
    };
    for (i, (_, c)) in ok.iter().enumerate() {
        let unit = &c.row.unit;
        if let Some(input) = c.entry.clone() {
            // An import restates the day: it replaces what was keyed, as the current version.
            let current = tenant
                .get::<DailyEntry>(&day_key(unit, c.row.date))?
                .map(|e| e.version);
            let before = current;
            let saved = entries::save_entry(tenant, user, unit, input, current, today)?;
            if before == Some(saved.version) {
                out.entries_unchanged += 1;
            } else {
                out.entries_written += 1;
            }
        }
        if let Some(qdp) = c.row.qdp {
            entries::save_plan(tenant, user, unit, c.row.date, qdp)?;
            out.plans += 1;
        }
        if let (Some((qdr, _)), Some(source)) = (&c.row.qdr, c.qdr) {
            match entries::set_qdr(tenant, user, unit, c.row.date, *qdr, source)? {
                QdrOutcome::KeptManual(_) => out.qdrs_kept_manual += 1,
                _ => out.qdrs += 1,
            }
        }
        progress(i + 1);
    }
    Ok(Ok(out))
}
