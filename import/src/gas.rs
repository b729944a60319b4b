//! The gas data layout (the "dados" sheet of the Petrobras report, or a CSV with the same
//! header): one row per unit and day that has a daily entry, a plan (QDP) or a real
//! consumption (QDR). This is the import contract; `opsdeck gas export` writes it and
//! `opsdeck gas import` reads it.
//!
//! | column                   | content                                                      |
//! |--------------------------|--------------------------------------------------------------|
//! | `unidade`                | unit code, e.g. `CRI` (required)                             |
//! | `data`                   | `YYYY-MM-DD` (also `DD/MM/YYYY` or a date cell) (required)   |
//! | `atomizador_programado`  | `S` or `N`: primary atomizer scheduled                       |
//! | `horas_atomizador`       | primary atomizer hours, 0 to 24 (empty means 0 when `N`)     |
//! | `atomizador2_programado` | `S`, `N` or empty: second atomizer (Botucatu) scheduled      |
//! | `horas_atomizador2`      | second atomizer hours, 0 to 24, or empty                     |
//! | `linhas_ligadas`         | codes of the lines and dryers that are on: `L0 L3 SEC2`      |
//! | `observacoes`            | free text                                                    |
//! | `qds_manual`             | hand-set QDS replacing the calculated one, m³, or empty      |
//! | `qdp`                    | the plan (QDP), m³, or empty                                 |
//! | `qdr`                    | the real consumption (QDR), m³, or empty                     |
//! | `fonte_qdr`              | `manual`, `api` or `import` (empty with a QDR means `import`) |
//!
//! Only `unidade` and `data` must be present; a file with just `unidade,data,qdp` is a plan
//! import. The columns may come in any order; header names are exact (lowercase). A row has a
//! daily entry when any of the entry columns (`atomizador_programado` to `qds_manual`) is filled,
//! and then `atomizador_programado` is required. Lines not listed in `linhas_ligadas` are off.
//! Numbers use a dot as decimal separator in CSV (`22.5`); XLSX number cells are read as they
//! are. `S`/`N` also accept `sim`/`não`/`nao`/`true`/`false` and boolean cells.
//!
//! Reading never writes: the caller checks unit and equipment codes against the tenant, and
//! decides whether a file with errors is committed.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use calamine::{Data, Reader};
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::{Parsed, RowError};

/// The sheet of the Petrobras workbook that holds the layout.
pub const DATA_SHEET: &str = "dados";

/// The layout's header, in the order the export writes it.
pub const COLUMNS: [&str; 12] = [
    "unidade",
    "data",
    "atomizador_programado",
    "horas_atomizador",
    "atomizador2_programado",
    "horas_atomizador2",
    "linhas_ligadas",
    "observacoes",
    "qds_manual",
    "qdp",
    "qdr",
    "fonte_qdr",
];

/// Columns that make a row a daily entry.
const ENTRY_COLUMNS: [&str; 7] = [
    "atomizador_programado",
    "horas_atomizador",
    "atomizador2_programado",
    "horas_atomizador2",
    "linhas_ligadas",
    "observacoes",
    "qds_manual",
];

const REQUIRED: [&str; 2] = ["unidade", "data"];

/// The QDR sources, as stored (`QdrSource::as_str`).
pub const QDR_SOURCES: [&str; 3] = ["manual", "api", "import"];

/// What the operator keyed for the unit and day.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub atomizer_scheduled: bool,
    pub atomizer_hours: Decimal,
    pub secondary_scheduled: Option<bool>,
    pub secondary_hours: Option<Decimal>,
    /// Codes (uppercase) of the lines and dryers that are on, as listed, without repeats.
    pub lines_on: Vec<String>,
    pub observations: String,
    pub qds_manual: Option<Decimal>,
}

/// One valid row of the layout.
#[derive(Debug, Clone, PartialEq)]
pub struct GasRow {
    /// Unit code, uppercase.
    pub unit: String,
    pub date: Date,
    /// None when the row carries only a plan and/or a QDR.
    pub entry: Option<EntryRow>,
    pub qdp: Option<Decimal>,
    /// The value and its source (one of `QDR_SOURCES`).
    pub qdr: Option<(Decimal, String)>,
}

/// Good rows with their row numbers (the header is row 1) and per-row errors.
pub type GasImport = Parsed<GasRow>;

/// Reads the layout from `path`: CSV by the `.csv` extension, otherwise a workbook (XLSX, XLS,
/// ODS) whose "dados" sheet (or only sheet) holds it. `Err` only when the file cannot be read at
/// all; anything wrong inside it comes back as `RowError`s.
pub fn read_data_sheet(path: &Path) -> Result<GasImport, String> {
    let file = path.display().to_string();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let bytes = std::fs::read(path).map_err(|e| format!("reading {file}: {e}"))?;
        Ok(read_csv(&file, &bytes))
    } else {
        read_workbook(&file, path)
    }
}

/// The layout from CSV bytes (comma separated, header row first). `file` names the source in
/// errors.
pub fn read_csv(file: &str, bytes: &[u8]) -> GasImport {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header: Vec<String> = match ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .from_reader(bytes)
        .headers()
    {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            return only_errors(vec![error(
                file,
                1,
                None,
                format!("unreadable header: {e}"),
            )]);
        }
    };
    let header_errors = check_header(file, &header);
    if !header_errors.is_empty() {
        return only_errors(header_errors);
    }
    let raw = crate::csv::read::<RawRow>(file, bytes);
    let mut v = Validator::new(file);
    for (row, r) in raw.records {
        v.row(row, r);
    }
    let mut out = v.finish();
    out.errors.extend(raw.errors);
    out.errors.sort_by_key(|e| e.row);
    out
}

fn read_workbook(file: &str, path: &Path) -> Result<GasImport, String> {
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| format!("reading {file}: {e}"))?;
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(DATA_SHEET))
        .or(if names.len() == 1 {
            names.first()
        } else {
            None
        })
        .cloned()
        .ok_or_else(|| {
            format!(
                "{file}: no sheet named '{DATA_SHEET}' (sheets: {})",
                names.join(", ")
            )
        })?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| format!("reading sheet '{sheet}' of {file}: {e}"))?;
    let Some((first_row, _)) = range.start() else {
        return Ok(only_errors(vec![error(
            file,
            1,
            None,
            format!("sheet '{sheet}' is empty"),
        )]));
    };
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| cell_text(c).trim().to_owned()).collect())
        .unwrap_or_default();
    let header_row = u64::from(first_row) + 1;
    let header_errors: Vec<RowError> = check_header(file, &header)
        .into_iter()
        .map(|e| RowError {
            row: header_row,
            ..e
        })
        .collect();
    if !header_errors.is_empty() {
        return Ok(only_errors(header_errors));
    }
    let mut v = Validator::new(file);
    for (i, cells) in rows.enumerate() {
        let row = header_row + 1 + i as u64;
        if cells.iter().all(|c| cell_text(c).trim().is_empty()) {
            continue;
        }
        let mut raw = RawRow::default();
        for (name, cell) in header.iter().zip(cells) {
            if let Some(slot) = raw.slot(name) {
                *slot = cell_text(cell).trim().to_owned();
            }
        }
        v.row(row, raw);
    }
    Ok(v.finish())
}

/// A workbook cell as the text a CSV would hold.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "S" } else { "N" }.to_owned(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((day, _)) => day.to_owned(),
            None => s.clone(),
        },
        other => other.to_string(),
    }
}

fn only_errors(errors: Vec<RowError>) -> GasImport {
    Parsed {
        records: Vec::new(),
        errors,
    }
}

fn error(file: &str, row: u64, column: Option<&str>, reason: impl Into<String>) -> RowError {
    RowError {
        file: file.into(),
        row,
        column: column.map(str::to_owned),
        reason: reason.into(),
    }
}

/// Unknown, repeated and missing required columns, as row-1 errors.
fn check_header(file: &str, header: &[String]) -> Vec<RowError> {
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for name in header.iter().map(|h| h.trim()) {
        if name.is_empty() {
            continue;
        }
        if !COLUMNS.contains(&name) {
            errors.push(error(
                file,
                1,
                Some(name),
                format!("unknown column (expected: {})", COLUMNS.join(", ")),
            ));
        } else if seen.contains(&name) {
            errors.push(error(file, 1, Some(name), "column appears twice"));
        }
        seen.push(name);
    }
    for name in REQUIRED {
        if !seen.contains(&name) {
            errors.push(error(file, 1, Some(name), "required column missing"));
        }
    }
    errors
}

/// A row as text, before validation. Missing columns are empty.
#[derive(Debug, Default, Deserialize)]
struct RawRow {
    #[serde(default)]
    unidade: String,
    #[serde(default)]
    data: String,
    #[serde(default)]
    atomizador_programado: String,
    #[serde(default)]
    horas_atomizador: String,
    #[serde(default)]
    atomizador2_programado: String,
    #[serde(default)]
    horas_atomizador2: String,
    #[serde(default)]
    linhas_ligadas: String,
    #[serde(default)]
    observacoes: String,
    #[serde(default)]
    qds_manual: String,
    #[serde(default)]
    qdp: String,
    #[serde(default)]
    qdr: String,
    #[serde(default)]
    fonte_qdr: String,
}

impl RawRow {
    fn slot(&mut self, column: &str) -> Option<&mut String> {
        Some(match column {
            "unidade" => &mut self.unidade,
            "data" => &mut self.data,
            "atomizador_programado" => &mut self.atomizador_programado,
            "horas_atomizador" => &mut self.horas_atomizador,
            "atomizador2_programado" => &mut self.atomizador2_programado,
            "horas_atomizador2" => &mut self.horas_atomizador2,
            "linhas_ligadas" => &mut self.linhas_ligadas,
            "observacoes" => &mut self.observacoes,
            "qds_manual" => &mut self.qds_manual,
            "qdp" => &mut self.qdp,
            "qdr" => &mut self.qdr,
            "fonte_qdr" => &mut self.fonte_qdr,
            _ => return None,
        })
    }

    fn get(&self, column: &str) -> &str {
        match column {
            "unidade" => &self.unidade,
            "data" => &self.data,
            "atomizador_programado" => &self.atomizador_programado,
            "horas_atomizador" => &self.horas_atomizador,
            "atomizador2_programado" => &self.atomizador2_programado,
            "horas_atomizador2" => &self.horas_atomizador2,
            "linhas_ligadas" => &self.linhas_ligadas,
            "observacoes" => &self.observacoes,
            "qds_manual" => &self.qds_manual,
            "qdp" => &self.qdp,
            "qdr" => &self.qdr,
            "fonte_qdr" => &self.fonte_qdr,
            _ => "",
        }
        .trim()
    }
}

struct Validator<'a> {
    file: &'a str,
    out: GasImport,
    /// (unit, date) -> the first row that had it
    seen: HashMap<(String, Date), u64>,
}

/// The field errors of one row: (column, reason).
type FieldErrors = Vec<(&'static str, String)>;

impl<'a> Validator<'a> {
    fn new(file: &'a str) -> Self {
        Validator {
            file,
            out: only_errors(Vec::new()),
            seen: HashMap::new(),
        }
    }

    fn finish(self) -> GasImport {
        self.out
    }

    fn row(&mut self, row: u64, raw: RawRow) {
        let mut errs: FieldErrors = Vec::new();
        let unit = parse_unit(raw.get("unidade")).map_err(|e| errs.push(("unidade", e)));
        let date = parse_date(raw.get("data")).map_err(|e| errs.push(("data", e)));
        let entry = parse_entry(&raw, &mut errs);
        let qdp = quantity(&raw, "qdp", &mut errs);
        let qdr = quantity(&raw, "qdr", &mut errs);
        let source = match raw.get("fonte_qdr") {
            "" => Ok("import".to_owned()),
            s => QDR_SOURCES
                .iter()
                .find(|v| v.eq_ignore_ascii_case(s))
                .map(|v| (*v).to_owned())
                .ok_or_else(|| {
                    errs.push((
                        "fonte_qdr",
                        format!(
                            "unknown source '{s}' (expected: {})",
                            QDR_SOURCES.join(", ")
                        ),
                    ))
                }),
        };
        if !raw.get("fonte_qdr").is_empty() && raw.get("qdr").is_empty() {
            errs.push(("fonte_qdr", "given without a qdr".into()));
        }
        let mut duplicate = None;
        if let (Ok(u), Ok(d)) = (&unit, &date) {
            match self.seen.get(&(u.clone(), *d)) {
                Some(first) => duplicate = Some(*first),
                None => {
                    self.seen.insert((u.clone(), *d), row);
                }
            }
        }
        let mut row_errors: Vec<RowError> = errs
            .into_iter()
            .map(|(c, reason)| error(self.file, row, Some(c), reason))
            .collect();
        if let Some(first) = duplicate {
            row_errors.push(error(
                self.file,
                row,
                None,
                format!("same unidade and data as row {first}"),
            ));
        }
        let (Ok(unit), Ok(date), Ok(entry), Ok(qdp), Ok(qdr), Ok(source)) =
            (unit, date, entry, qdp, qdr, source)
        else {
            self.out.errors.extend(row_errors);
            return;
        };
        if entry.is_none() && qdp.is_none() && qdr.is_none() {
            row_errors.push(error(
                self.file,
                row,
                None,
                "nothing to import: no entry fields, qdp or qdr",
            ));
        }
        if !row_errors.is_empty() {
            self.out.errors.extend(row_errors);
            return;
        }
        self.out.records.push((
            row,
            GasRow {
                unit,
                date,
                entry,
                qdp,
                qdr: qdr.map(|q| (q, source)),
            },
        ));
    }
}

/// The entry part of a row: None when no entry column is filled.
fn parse_entry(raw: &RawRow, errs: &mut FieldErrors) -> Result<Option<EntryRow>, ()> {
    if ENTRY_COLUMNS.iter().all(|c| raw.get(c).is_empty()) {
        return Ok(None);
    }
    let before = errs.len();
    let scheduled = match raw.get("atomizador_programado") {
        "" => {
            errs.push((
                "atomizador_programado",
                "required when the row has daily-entry fields (S or N)".into(),
            ));
            None
        }
        s => parse_yes_no(s)
            .map_err(|e| errs.push(("atomizador_programado", e)))
            .ok(),
    };
    let hours = match raw.get("horas_atomizador") {
        "" if scheduled == Some(true) => {
            errs.push((
                "horas_atomizador",
                "required when atomizador_programado is S".into(),
            ));
            None
        }
        "" => Some(Decimal::ZERO),
        s => parse_hours(s)
            .map_err(|e| errs.push(("horas_atomizador", e)))
            .ok(),
    };
    let secondary_scheduled = match raw.get("atomizador2_programado") {
        "" => None,
        s => parse_yes_no(s)
            .map_err(|e| errs.push(("atomizador2_programado", e)))
            .ok(),
    };
    let secondary_hours = match raw.get("horas_atomizador2") {
        "" => None,
        s => parse_hours(s)
            .map_err(|e| errs.push(("horas_atomizador2", e)))
            .ok(),
    };
    let lines_on = parse_lines(raw.get("linhas_ligadas"))
        .map_err(|e| errs.push(("linhas_ligadas", e)))
        .unwrap_or_default();
    let qds_manual = quantity(raw, "qds_manual", errs)?;
    if errs.len() > before {
        return Err(());
    }
    Ok(Some(EntryRow {
        atomizer_scheduled: scheduled.unwrap_or(false),
        atomizer_hours: hours.unwrap_or(Decimal::ZERO),
        secondary_scheduled,
        secondary_hours,
        lines_on,
        observations: raw.get("observacoes").to_owned(),
        qds_manual,
    }))
}

/// An optional non-negative quantity in m³.
fn quantity(
    raw: &RawRow,
    column: &'static str,
    errs: &mut FieldErrors,
) -> Result<Option<Decimal>, ()> {
    match raw.get(column) {
        "" => Ok(None),
        s => match parse_decimal(s) {
            Ok(v) if v.is_sign_negative() && !v.is_zero() => {
                errs.push((column, format!("negative quantity '{s}'")));
                Err(())
            }
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                errs.push((column, e));
                Err(())
            }
        },
    }
}

fn parse_unit(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("unit code missing".into());
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "'{s}' is not a unit code (letters, digits, '_' or '-')"
        ));
    }
    Ok(s.to_ascii_uppercase())
}

/// `YYYY-MM-DD` or `DD/MM/YYYY`.
fn parse_date(s: &str) -> Result<Date, String> {
    let bad = || format!("'{s}' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)");
    if s.is_empty() {
        return Err("date missing".into());
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [d, m, y] = parts[..] {
        let (Ok(d), Ok(m), Ok(y)) = (d.parse::<i8>(), m.parse::<i8>(), y.parse::<i16>()) else {
            return Err(bad());
        };
        if y < 1000 {
            return Err(bad());
        }
        return Date::new(y, m, d).map_err(|_| bad());
    }
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    Date::from_str(s).map_err(|_| bad())
}

fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "s" | "sim" | "true" | "verdadeiro" => Ok(true),
        "n" | "não" | "nao" | "false" | "falso" => Ok(false),
        _ => Err(format!("'{s}' is not S or N")),
    }
}

fn parse_decimal(s: &str) -> Result<Decimal, String> {
    if s.contains(',') {
        return Err(format!(
            "'{s}' is not a number (use a dot as decimal separator and no thousands separator)"
        ));
    }
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .map_err(|_| format!("'{s}' is not a number"))
}

fn parse_hours(s: &str) -> Result<Decimal, String> {
    let h = parse_decimal(s)?;
    if h < Decimal::ZERO || h > Decimal::from(24) {
        return Err(format!("{s} hours is outside 0 to 24"));
    }
    Ok(h)
}

/// "L0 L3 SEC2" (spaces, commas or semicolons between codes) -> ["L0", "L3", "SEC2"].
fn parse_lines(s: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for token in s
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
    {
        if !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!("'{token}' is not an equipment code"));
        }
        let code = token.to_ascii_uppercase();
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const HEADER: &str = "unidade,data,atomizador_programado,horas_atomizador,\
        atomizador2_programado,horas_atomizador2,linhas_ligadas,observacoes,qds_manual,qdp,qdr,\
        fonte_qdr";

    #[test]
    fn a_full_row_and_a_plan_only_row() {
        let csv = format!(
            "\u{feff}{HEADER}\n\
             cri,2026-11-23,S,22.5,,,L0 l3;L6,\"forno 2, parada\",,73375,72000.5,api\n\
             BOT,23/11/2026,,,,,,,,57077.5,,\n"
        );
        let p = read_csv("x.csv", csv.as_bytes());
        assert!(p.is_clean(), "{:?}", p.errors);
        assert_eq!(p.records.len(), 2);
        let (row, cri) = &p.records[0];
        assert_eq!(*row, 2);
        assert_eq!(cri.unit, "CRI");
        assert_eq!(cri.date, date(2026, 11, 23));
        let e = cri.entry.as_ref().unwrap();
        assert!(e.atomizer_scheduled);
        assert_eq!(e.atomizer_hours, d("22.5"));
        assert_eq!((e.secondary_scheduled, e.secondary_hours), (None, None));
        assert_eq!(e.lines_on, ["L0", "L3", "L6"]);
        assert_eq!(e.observations, "forno 2, parada");
        assert_eq!(cri.qdp, Some(d("73375")));
        assert_eq!(cri.qdr, Some((d("72000.5"), "api".to_owned())));
        let (_, bot) = &p.records[1];
        assert_eq!(bot.entry, None);
        assert_eq!(bot.qdp, Some(d("57077.5")));
        assert_eq!(bot.qdr, None);
    }

    #[test]
    fn bad_fields_are_named_by_row_and_column() {
        let csv = format!(
            "{HEADER}\n\
             CRI,2026-02-30,S,10,,,,,,,,\n\
             CRI,2026-11-01,talvez,25,,,,,,,,\n\
             URU,2026-11-01,N,,S,abc,,,,\"1,000\",5,medidor\n\
             URU,2026-11-01,N,0,,,,,,100,,\n\
             BOT,2026-11-01,,,,,L1,,,,,\n\
             BOT,2026-11-02,,,,,,,,,,\n"
        );
        let p = read_csv("bad.csv", csv.as_bytes());
        assert!(p.records.is_empty(), "{:?}", p.records);
        let got: Vec<(u64, Option<&str>)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, Some("data")),
                (3, Some("atomizador_programado")),
                (3, Some("horas_atomizador")),
                (4, Some("horas_atomizador2")),
                (4, Some("qdp")),
                (4, Some("fonte_qdr")),
                (5, None),
                (6, Some("atomizador_programado")),
                (7, None),
            ]
        );
        assert!(p.errors[2].reason.contains("outside 0 to 24"));
        assert!(
            p.errors[6]
                .reason
                .contains("same unidade and data as row 4")
        );
        assert!(
            p.errors[1]
                .to_string()
                .starts_with("bad.csv: row 3, column 'atomizador_programado'")
        );
    }

    #[test]
    fn header_problems_stop_the_file() {
        let p = read_csv("h.csv", b"unidade,dia,qdp,qdp\nCRI,2026-11-01,1,1\n");
        assert!(p.records.is_empty());
        let got: Vec<(u64, Option<&str>)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_deref()))
            .collect();
        assert_eq!(got, [(1, Some("dia")), (1, Some("qdp")), (1, Some("data"))]);
    }

    #[test]
    fn a_short_csv_row_is_an_error_not_a_panic() {
        let p = read_csv(
            "s.csv",
            b"unidade,data,qdp\nCRI,2026-11-01\nURU,2026-11-01,5\n",
        );
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].row, 2);
    }

    #[test]
    fn line_codes_and_yes_no() {
        assert_eq!(parse_lines(" l0, SEC2 ;L0 ").unwrap(), ["L0", "SEC2"]);
        assert!(parse_lines("L0 L/3").is_err());
        assert_eq!(parse_yes_no("Não"), Ok(false));
        assert_eq!(parse_yes_no("sim"), Ok(true));
        assert!(parse_hours("24").is_ok());
        assert!(parse_hours("-0.5").is_err());
        assert!(parse_decimal("1,5").is_err());
    }
}
