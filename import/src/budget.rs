//! Budget files: finance's planned amounts per month, cost center and category, as CSV or as a
//! workbook (XLSX, XLSM, XLS: the first worksheet). [`read`] turns one into [`BudgetRow`]s plus
//! per-cell [`RowError`]s; it never writes and never panics, whatever the bytes.
//!
//! # Layouts
//!
//! The header is the first non-empty row. Header names are matched ignoring case, accents,
//! spaces and punctuation (`Centro de Custo` = `centro_custo` = `CENTRO-CUSTO`):
//!
//! | column        | accepted headers                                                          |
//! |---------------|---------------------------------------------------------------------------|
//! | `month`       | `month`, `mes`, `mês`, `competencia`                                      |
//! | `cost_center` | `cost_center`, `centro_custo`, `centro de custo`, `centro de custos`, `cc` |
//! | `category`    | `category`, `categoria`                                                   |
//! | `planned`     | `planned`, `planejado`, `valor`, `valor planejado`, `orcado`, `amount`    |
//! | `note`        | `note`, `notes`, `obs`, `observacao`, `observacoes`, `descricao`, `description` |
//!
//! * **Long**: `month`, `cost_center`, `category`, `planned` (all required) and `note`. One row
//!   is one [`BudgetRow`].
//! * **Wide**: `cost_center`, `category` (required), `note`, and one column per month headed by
//!   the month (see below; in a workbook the header may also be a date cell). Each non-empty
//!   month cell is one [`BudgetRow`], carrying the row's note; empty cells give nothing, and a
//!   row with no amount at all (a section title) is skipped.
//!
//! A header with a `month` column is long; one without it but with month headers is wide; a
//! `month` column together with month headers, or a `planned` column in a wide file, is refused.
//! Columns headed `total...` are ignored (the sums a sheet keeps beside the months). Any other
//! unknown column is reported once at the header row and its values are not read; a value in a
//! column that has no header is reported once, at the first row that has one.
//!
//! # Months
//!
//! Month cells (long) and month headers (wide) accept `2026-01`, `01/2026`, `1/2026`,
//! `2026/01`, `01-2026`, `01.2026`, and a month name with a year: `jan/2026`, `fev/26`,
//! `Jan 2026`, `mar-26`, `março 2026`, `set. 2026`. Names are the Portuguese (`jan fev mar abr mai
//! jun jul ago set out nov dez`) and English (`jan feb mar apr may jun jul aug sep oct nov dec`)
//! abbreviations, `sept`, and the full names in both languages. A two-digit year is 20xx.
//! Years run from 1900 to 2999. In a workbook a date cell gives its year and month (the day is
//! dropped).
//!
//! # Amounts
//!
//! Workbook number cells are taken from their shortest decimal text and rounded to 2 places
//! (half away from zero), so `=1000/3` gives 333.33. Text amounts (all of CSV) are read as:
//!
//! * an optional `R$` and optional sign; spaces anywhere are ignored; `(12,00)` is negative;
//! * with both `,` and `.`: the last one is the decimal separator and the other one groups
//!   thousands (`12.345,67`, `12,345.67`);
//! * with one `,` only: it is the decimal separator (`1234,5`, `1,234` = 1.234);
//! * with one `.` only: a thousands separator when it has exactly 3 digits after it and 1 to 3
//!   digits (not starting with 0) before it (`1.234` = 1234, `12.345` = 12345), otherwise the
//!   decimal point (`12345.67`, `0.5`, `1234.567`). A 3-decimal reading would be refused below
//!   anyway, so the thousands reading is the only one that can be valid;
//! * the same separator more than once: thousands separators (`1.234.567`, `1,234,567`);
//! * thousands groups must have exactly 3 digits (`1.23,00` is refused).
//!
//! Amounts must be 0 or more and have at most 2 decimals (text); they come back with scale 2.
//!
//! # CSV
//!
//! UTF-8 (a BOM is skipped), or Latin-1/Windows-1252 when the bytes are not UTF-8. The delimiter
//! is `;` when the first non-blank line has more `;` than `,` (the usual Brazilian export), a tab
//! when it has more tabs than either, otherwise `,`. A row's number is the line where it starts.
//!
//! # Errors
//!
//! Every bad cell is a [`RowError`] with the file name, the 1-based row (the header is row 1 in
//! a file that starts with it), the column header as written (for a date header, its month as
//! `2026-01`) and a reason that quotes the value. Missing required columns are one error each at
//! the header row (column: the canonical name), listing the headers found; then nothing else is
//! read. A (month, cost center, category) seen before in the file (cost centers compared
//! ignoring case) is an error on the later row naming the earlier one. Problems with the file as
//! a whole (unsupported extension, not a workbook, no worksheet, empty) are one error at row 1.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::str::FromStr;

use calamine::{Data, Reader, SheetType};
use opsdeck_storage::records::ledger::Month;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::{Parsed, RowError};

/// One planned amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    pub month: Month,
    /// As written, trimmed.
    pub cost_center: String,
    /// Trimmed and lowercased.
    pub category: String,
    /// 0 or more, scale 2.
    pub planned: Decimal,
    /// Trimmed; empty when none.
    pub note: String,
}

/// Reads a budget file: `name` is its file name (decides CSV vs XLSX by extension .csv / .xlsx /
/// .xlsm / .xls; error for others), `bytes` its content.
pub fn read(name: &str, bytes: &[u8]) -> Parsed<BudgetRow> {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let grid = match ext.as_deref() {
        Some("csv") => Ok(csv_grid(name, bytes)),
        Some("xlsx" | "xlsm" | "xls") => workbook_grid(bytes),
        Some(other) => Err(format!(
            "unsupported file type '.{other}' (expected .csv, .xlsx, .xlsm or .xls)"
        )),
        None => Err("file name has no extension (expected .csv, .xlsx, .xlsm or .xls)".into()),
    };
    let mut out = match grid {
        Ok(grid) => parse_grid(name, grid),
        Err(reason) => Parsed {
            records: Vec::new(),
            errors: vec![error(name, 1, None, reason)],
        },
    };
    out.errors.sort_by_key(|e| e.row);
    out
}

// ---------------------------------------------------------------------------------------------
// Cells and grids

/// A cell, from CSV text or a workbook.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    /// Trimmed, never empty.
    Text(String),
    Number(f64),
    Int(i64),
    Bool(bool),
    /// A date cell: year, month, day.
    Date(u16, u8, u8),
    /// An error cell (`#DIV/0!`, `#N/A` ...).
    Error(String),
    /// Anything else (durations, dates out of range), as text.
    Other(String),
}

impl Cell {
    fn text(s: &str) -> Cell {
        let s = s.trim();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_owned())
        }
    }

    fn is_empty(&self) -> bool {
        *self == Cell::Empty
    }

    /// The cell as a reader would see it, for quoting.
    fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Error(s) | Cell::Other(s) => s.clone(),
            Cell::Number(f) => f.to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl From<&Data> for Cell {
    fn from(d: &Data) -> Cell {
        match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::text(s),
            Data::Float(f) => Cell::Number(*f),
            Data::Int(i) => Cell::Int(*i),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => {
                let v = dt.as_f64();
                // calamine's conversion overflows on serials far outside Excel's range.
                if dt.is_datetime() && (0.0..3_000_000.0).contains(&v) {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    Cell::Date(y, m, d)
                } else {
                    Cell::Other(v.to_string())
                }
            }
            Data::DateTimeIso(s) => {
                let ymd = (
                    s.get(0..4).and_then(|y| y.parse::<u16>().ok()),
                    s.get(5..7).and_then(|m| m.parse::<u8>().ok()),
                    s.get(8..10).and_then(|d| d.parse::<u8>().ok()),
                );
                match ymd {
                    (Some(y), Some(m), Some(d)) => Cell::Date(y, m, d),
                    (Some(y), Some(m), None) => Cell::Date(y, m, 1),
                    _ => Cell::text(s),
                }
            }
            Data::DurationIso(s) => Cell::Other(s.clone()),
            Data::Error(e) => Cell::Error(e.to_string()),
        }
    }
}

/// The rows of a file (number, cells), and errors met while reading them.
#[derive(Default)]
struct Grid {
    rows: Vec<(u64, Vec<Cell>)>,
    errors: Vec<RowError>,
}

fn csv_grid(file: &str, bytes: &[u8]) -> Grid {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text: Cow<str> = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        // Latin-1 (and Windows-1252 for its letters): one byte, one char.
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    };
    // The csv crate counts lines by '\n' only, and a CRLF record would start "on" the line
    // before: make every line end a plain '\n' so that row numbers are line numbers.
    if text.contains('\r') {
        text = Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut grid = Grid::default();
    let mut record = ::csv::StringRecord::new();
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let row = lines.row_at(record.position().map_or(0, |p| p.byte()));
                grid.rows
                    .push((row, record.iter().map(Cell::text).collect()));
            }
            Err(e) => {
                // Cannot happen on text (the reader only fails on bad UTF-8 or I/O); stop.
                let row = lines.row_at(e.position().map_or(0, |p| p.byte()));
                grid.errors
                    .push(error(file, row, None, format!("unreadable CSV: {e}")));
                break;
            }
        }
    }
    grid
}

/// Line numbers of CSV records. The csv crate gives where it began reading a record, which is
/// before the blank lines it skips; the record's row is the line of its first character.
struct LineCounter<'a> {
    text: &'a [u8],
    counted_to: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            counted_to: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the first non-newline byte at or after `byte`.
    fn row_at(&mut self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self.text.get(at) == Some(&b'\n') {
            at += 1;
        }
        if at > self.counted_to {
            let seen = self.text.get(self.counted_to..at).unwrap_or_default();
            self.newlines += seen.iter().filter(|&&c| c == b'\n').count() as u64;
            self.counted_to = at;
        }
        self.newlines + 1
    }
}

fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| line.chars().filter(|&x| x == c).count();
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn workbook_grid(bytes: &[u8]) -> Result<Grid, String> {
    // calamine parses untrusted bytes; a panic in it must not take the caller down.
    std::panic::catch_unwind(|| workbook_grid_inner(bytes))
        .unwrap_or_else(|_| Err("the workbook could not be read (its content is malformed)".into()))
}

fn workbook_grid_inner(bytes: &[u8]) -> Result<Grid, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let sheet = book
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .ok_or("the workbook has no worksheet")?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| format!("reading sheet '{sheet}': {e}"))?;
    let mut grid = Grid::default();
    if let Some((first_row, _)) = range.start() {
        for (i, cells) in range.rows().enumerate() {
            let row = u64::from(first_row) + i as u64 + 1;
            grid.rows
                .push((row, cells.iter().map(Cell::from).collect()));
        }
    }
    Ok(grid)
}

// ---------------------------------------------------------------------------------------------
// Header

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Month,
    CostCenter,
    Category,
    Planned,
    Note,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Month => "month",
            Field::CostCenter => "cost_center",
            Field::Category => "category",
            Field::Planned => "planned",
            Field::Note => "note",
        }
    }

    /// Accepted headers, folded (lowercase, no accents, only letters and digits).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Month => &["month", "mes", "competencia"],
            Field::CostCenter => &[
                "costcenter",
                "centrocusto",
                "centrodecusto",
                "centrodecustos",
                "cc",
            ],
            Field::Category => &["category", "categoria"],
            Field::Planned => &[
                "planned",
                "planejado",
                "valor",
                "valorplanejado",
                "orcado",
                "amount",
            ],
            Field::Note => &[
                "note",
                "notes",
                "obs",
                "observacao",
                "observacoes",
                "descricao",
                "description",
            ],
        }
    }

    const ALL: [Field; 5] = [
        Field::Month,
        Field::CostCenter,
        Field::Category,
        Field::Planned,
        Field::Note,
    ];

    fn of_header(folded: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.aliases().contains(&folded))
    }
}

/// A column: its index in the row and its header as written.
#[derive(Debug, Clone)]
struct Col {
    index: usize,
    header: String,
}

#[derive(Debug)]
struct Layout {
    fields: HashMap<Field, Col>,
    /// Wide layout: the month columns, in file order.
    months: Vec<(Col, Month)>,
    /// Whether column i has a header (any, known or not).
    headed: Vec<bool>,
}

impl Layout {
    fn col(&self, f: Field) -> Option<&Col> {
        self.fields.get(&f)
    }

    fn is_wide(&self) -> bool {
        !self.months.is_empty()
    }
}

/// The layout from the header row; `Err` when nothing can be read. Unknown columns are reported
/// into `errors` without stopping.
fn layout(
    file: &str,
    row: u64,
    cells: &[Cell],
    errors: &mut Vec<RowError>,
) -> Result<Layout, Vec<RowError>> {
    let mut fatal = Vec::new();
    let mut fields: HashMap<Field, Col> = HashMap::new();
    let mut months: Vec<(Col, Month)> = Vec::new();
    let mut found: Vec<String> = Vec::new();
    let mut headed = Vec::with_capacity(cells.len());
    for (index, cell) in cells.iter().enumerate() {
        headed.push(!cell.is_empty());
        let (header, month) = match cell {
            Cell::Empty => continue,
            Cell::Date(y, m, _) => match month_of(*y, *m) {
                Some(mo) => (mo.to_string(), Some(mo)),
                None => (cell.display(), None),
            },
            Cell::Text(s) => (s.clone(), None),
            other => (other.display(), None),
        };
        found.push(header.clone());
        let col = Col { index, header };
        let folded = fold(&col.header);
        if let Some(field) = Field::of_header(&folded) {
            if let Some(first) = fields.get(&field) {
                fatal.push(error(
                    file,
                    row,
                    Some(&col.header),
                    format!(
                        "column '{}' appears twice (also '{}'; both mean {})",
                        col.header,
                        first.header,
                        field.name()
                    ),
                ));
            } else {
                fields.insert(field, col);
            }
        } else if let Some(m) = month.or_else(|| parse_month(&col.header)) {
            if let Some((first, _)) = months.iter().find(|(_, x)| *x == m) {
                fatal.push(error(
                    file,
                    row,
                    Some(&col.header),
                    format!(
                        "month column '{}' appears twice (also '{}'; both mean {m})",
                        col.header, first.header
                    ),
                ));
            } else {
                months.push((col, m));
            }
        } else if !folded.starts_with("total") {
            errors.push(error(
                file,
                row,
                Some(&col.header),
                format!(
                    "unknown column '{}' (not a month like 2026-01 or jan/2026, nor one of \
                     month, cost_center, category, planned, note): its values are not read",
                    col.header
                ),
            ));
        }
    }
    let found = if found.is_empty() {
        "none".to_owned()
    } else {
        found
            .iter()
            .map(|h| format!("'{h}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wide = !months.is_empty();
    if wide {
        let mixed = fields
            .get(&Field::Month)
            .or_else(|| fields.get(&Field::Planned));
        if let Some(c) = mixed {
            fatal.push(error(
                file,
                row,
                Some(&c.header),
                format!(
                    "a '{}' column and month columns ('{}' ...) cannot be mixed: use either \
                     month, cost_center, category, planned (one row per amount) or \
                     cost_center, category and one column per month",
                    c.header, months[0].0.header
                ),
            ));
        }
    }
    let required: &[Field] = if wide {
        &[Field::CostCenter, Field::Category]
    } else {
        &[
            Field::Month,
            Field::CostCenter,
            Field::Category,
            Field::Planned,
        ]
    };
    for &f in required {
        if !fields.contains_key(&f) {
            let extra = if f == Field::Month {
                ", or one column per month headed like 2026-01 or jan/2026"
            } else {
                ""
            };
            fatal.push(error(
                file,
                row,
                Some(f.name()),
                format!(
                    "required column '{}' missing (headers accepted: {}{extra}; headers found: {found})",
                    f.name(),
                    f.aliases().join(", "),
                ),
            ));
        }
    }
    if fatal.is_empty() {
        Ok(Layout {
            fields,
            months,
            headed,
        })
    } else {
        Err(fatal)
    }
}

// ---------------------------------------------------------------------------------------------
// Rows

fn parse_grid(file: &str, grid: Grid) -> Parsed<BudgetRow> {
    let mut out = Parsed {
        records: Vec::new(),
        errors: grid.errors,
    };
    let mut rows = grid
        .rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((header_row, header)) = rows.next() else {
        out.errors.push(error(
            file,
            1,
            None,
            "the file is empty: no header row found",
        ));
        return out;
    };
    let layout = match layout(file, header_row, &header, &mut out.errors) {
        Ok(l) => l,
        Err(fatal) => {
            out.errors.extend(fatal);
            return out;
        }
    };
    let mut v = Validator {
        file,
        layout,
        seen: HashMap::new(),
        reported_headless: Vec::new(),
        out,
    };
    for (row, cells) in rows {
        v.row(row, &cells);
    }
    v.out
}

struct Validator<'a> {
    file: &'a str,
    layout: Layout,
    /// (month, COST CENTER, category) -> the first row that had it.
    seen: HashMap<(Month, String, String), u64>,
    /// Headerless columns already reported.
    reported_headless: Vec<usize>,
    out: Parsed<BudgetRow>,
}

impl Validator<'_> {
    fn err(&mut self, row: u64, column: Option<&str>, reason: impl Into<String>) {
        self.out
            .errors
            .push(error(self.file, row, column, reason.into()));
    }

    fn row(&mut self, row: u64, cells: &[Cell]) {
        self.headless(row, cells);
        if self.layout.is_wide() {
            self.wide_row(row, cells);
        } else {
            self.long_row(row, cells);
        }
    }

    /// Values in columns without a header: reported once per column.
    fn headless(&mut self, row: u64, cells: &[Cell]) {
        for (i, cell) in cells.iter().enumerate() {
            let headed = self.layout.headed.get(i).copied().unwrap_or(false);
            if headed || cell.is_empty() || self.reported_headless.contains(&i) {
                continue;
            }
            self.reported_headless.push(i);
            self.err(
                row,
                None,
                format!(
                    "value '{}' in column {} (no header): not read; give the column a header \
                     or clear it",
                    cell.display(),
                    i + 1
                ),
            );
        }
    }

    /// The cell of `f`'s column and its header (empty when the column is absent).
    fn field<'c>(&self, f: Field, cells: &'c [Cell]) -> (&'c Cell, String) {
        match self.layout.col(f) {
            Some(c) => (cells.get(c.index).unwrap_or(&Cell::Empty), c.header.clone()),
            None => (&Cell::Empty, f.name().to_owned()),
        }
    }

    /// Cost center, category and note; field errors go to `errs`.
    fn names(
        &self,
        cells: &[Cell],
        errs: &mut Vec<(String, String)>,
    ) -> Option<(String, String, String)> {
        let (cell, header) = self.field(Field::CostCenter, cells);
        let cc = required_text(cell).map_err(|e| errs.push((header, e)));
        let (cell, header) = self.field(Field::Category, cells);
        let category = required_text(cell)
            .map(|c| c.to_lowercase())
            .map_err(|e| errs.push((header, e)));
        let (cell, header) = self.field(Field::Note, cells);
        let note = optional_text(cell).map_err(|e| errs.push((header, e)));
        Some((cc.ok()?, category.ok()?, note.ok()?))
    }

    /// Checks for a repeat; `Err` carries the reason.
    fn first_time(
        &mut self,
        row: u64,
        month: Month,
        cc: &str,
        category: &str,
    ) -> Result<(), String> {
        let key = (month, cc.to_uppercase(), category.to_owned());
        match self.seen.get(&key) {
            Some(first) => Err(format!(
                "{month} / {cc} / {category} also on row {first} (repeated month, cost_center \
                 and category)"
            )),
            None => {
                self.seen.insert(key, row);
                Ok(())
            }
        }
    }

    fn long_row(&mut self, row: u64, cells: &[Cell]) {
        let mut errs = Vec::new();
        let (cell, header) = self.field(Field::Month, cells);
        let month = month_cell(cell).map_err(|e| errs.push((header, e)));
        let names = self.names(cells, &mut errs);
        let (cell, header) = self.field(Field::Planned, cells);
        let planned = match amount(cell) {
            Ok(Some(a)) => Some(a),
            Ok(None) => {
                errs.push((header, "required".to_owned()));
                None
            }
            Err(e) => {
                errs.push((header, e));
                None
            }
        };
        for (column, reason) in errs {
            self.err(row, Some(&column), reason);
        }
        let (Ok(month), Some((cost_center, category, note)), Some(planned)) =
            (month, names, planned)
        else {
            return;
        };
        if let Err(reason) = self.first_time(row, month, &cost_center, &category) {
            self.err(row, None, reason);
            return;
        }
        self.out.records.push((
            row,
            BudgetRow {
                month,
                cost_center,
                category,
                planned,
                note,
            },
        ));
    }

    fn wide_row(&mut self, row: u64, cells: &[Cell]) {
        let months = self.layout.months.clone();
        let values: Vec<(Col, Month, &Cell)> = months
            .into_iter()
            .map(|(c, m)| {
                let cell = cells.get(c.index).unwrap_or(&Cell::Empty);
                (c, m, cell)
            })
            .filter(|(_, _, cell)| !cell.is_empty())
            .collect();
        if values.is_empty() {
            // Nothing planned on this row (a section title, or cost center and category only).
            return;
        }
        let mut errs = Vec::new();
        let names = self.names(cells, &mut errs);
        for (column, reason) in errs {
            self.err(row, Some(&column), reason);
        }
        for (col, month, cell) in values {
            let planned = match amount(cell) {
                Ok(Some(a)) => a,
                Ok(None) => continue,
                Err(e) => {
                    self.err(row, Some(&col.header), e);
                    continue;
                }
            };
            let Some((cost_center, category, note)) = &names else {
                continue;
            };
            if let Err(reason) = self.first_time(row, month, cost_center, category) {
                self.err(row, Some(&col.header), reason);
                continue;
            }
            self.out.records.push((
                row,
                BudgetRow {
                    month,
                    cost_center: cost_center.clone(),
                    category: category.clone(),
                    planned,
                    note: note.clone(),
                },
            ));
        }
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

// ---------------------------------------------------------------------------------------------
// Values

fn required_text(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Empty => Err("required".into()),
        other => optional_text(other),
    }
}

fn optional_text(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Error(e) => Err(format!("cell error '{e}'")),
        other => Ok(other.display().trim().to_owned()),
    }
}

fn month_of(year: u16, month: u8) -> Option<Month> {
    ((1900..=2999).contains(&year) && (1..=12).contains(&month))
        .then(|| Month::new(year as i16, month as i8))
}

/// A long layout month cell.
fn month_cell(cell: &Cell) -> Result<Month, String> {
    let bad = |v: &str| format!("'{v}' is not a month (e.g. 2026-01, 01/2026 or jan/2026)");
    match cell {
        Cell::Empty => Err("required".into()),
        Cell::Error(e) => Err(format!("cell error '{e}'")),
        Cell::Date(y, m, _) => month_of(*y, *m).ok_or_else(|| bad(&cell.display())),
        Cell::Text(s) => parse_month(s).ok_or_else(|| bad(s)),
        other => Err(bad(&other.display())),
    }
}

/// Month names, folded, and their numbers.
const MONTH_NAMES: &[(&str, u8)] = &[
    ("jan", 1),
    ("janeiro", 1),
    ("january", 1),
    ("fev", 2),
    ("feb", 2),
    ("fevereiro", 2),
    ("february", 2),
    ("mar", 3),
    ("marco", 3),
    ("march", 3),
    ("abr", 4),
    ("apr", 4),
    ("abril", 4),
    ("april", 4),
    ("mai", 5),
    ("may", 5),
    ("maio", 5),
    ("jun", 6),
    ("junho", 6),
    ("june", 6),
    ("jul", 7),
    ("julho", 7),
    ("july", 7),
    ("ago", 8),
    ("aug", 8),
    ("agosto", 8),
    ("august", 8),
    ("set", 9),
    ("sep", 9),
    ("sept", 9),
    ("setembro", 9),
    ("september", 9),
    ("out", 10),
    ("oct", 10),
    ("outubro", 10),
    ("october", 10),
    ("nov", 11),
    ("novembro", 11),
    ("november", 11),
    ("dez", 12),
    ("dec", 12),
    ("dezembro", 12),
    ("december", 12),
];

/// `2026-01`, `01/2026`, `2026/01`, `01-2026`, `01.2026`, `jan/2026`, `fev/26`, `Jan 2026`,
/// `março 2026`, `dezembro de 2026` ... (see the module docs).
fn parse_month(s: &str) -> Option<Month> {
    let s = s.trim();
    if let Ok(m) = Month::from_str(s) {
        return Some(m);
    }
    let numeric = |sep: char| {
        let (a, b) = s.split_once(sep)?;
        let (a, b) = (a.trim(), b.trim());
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
        if !digits(a) || !digits(b) {
            return None;
        }
        let (y, m) = match (a.len(), b.len()) {
            (4, 1 | 2) => (a, b),
            (1 | 2, 4) => (b, a),
            _ => return None,
        };
        month_of(y.parse().ok()?, m.parse().ok()?)
    };
    if let Some(m) = ['-', '/', '.'].into_iter().find_map(numeric) {
        return Some(m);
    }
    let folded = fold_accents(s);
    let name_end = folded
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(folded.len());
    let (name, rest) = folded.split_at(name_end);
    let number = MONTH_NAMES.iter().find(|(n, _)| *n == name)?.1;
    let rest = rest.trim_start_matches(|c: char| " /-._".contains(c));
    let rest = rest.strip_prefix("de ").unwrap_or(rest).trim();
    if !rest.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: u16 = match rest.len() {
        2 => 2000 + rest.parse::<u16>().ok()?,
        4 => rest.parse().ok()?,
        _ => return None,
    };
    month_of(year, number)
}

/// Lowercase, without accents; other characters kept.
fn fold_accents(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// A header as compared: lowercase, no accents, letters and digits only.
fn fold(s: &str) -> String {
    fold_accents(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// An amount cell: `None` when empty.
fn amount(cell: &Cell) -> Result<Option<Decimal>, String> {
    let d = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(s) => parse_amount(s)?,
        Cell::Number(f) => amount_of_f64(*f)?,
        Cell::Int(i) => {
            if *i < 0 {
                return Err(format!("planned must be 0 or more: '{i}'"));
            }
            Decimal::from(*i)
        }
        Cell::Error(e) => return Err(format!("cell error '{e}'")),
        Cell::Date(..) => {
            return Err(format!("'{}' is a date, not an amount", cell.display()));
        }
        Cell::Bool(_) | Cell::Other(_) => {
            return Err(format!("'{}' is not an amount", cell.display()));
        }
    };
    Ok(Some(money(d)))
}

/// Scale 2, and no negative zero.
fn money(mut d: Decimal) -> Decimal {
    if d.is_zero() {
        d = Decimal::ZERO;
    }
    d.rescale(2);
    d
}

/// A workbook number: from its shortest decimal text, rounded to 2 places.
fn amount_of_f64(f: f64) -> Result<Decimal, String> {
    if !f.is_finite() {
        return Err(format!("'{f}' is not an amount"));
    }
    if f < 0.0 {
        return Err(format!("planned must be 0 or more: '{f}'"));
    }
    let d = Decimal::from_str(&f.to_string()).map_err(|_| format!("'{f}' is too large"))?;
    Ok(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// A text amount (see the module docs for the separator rules).
fn parse_amount(text: &str) -> Result<Decimal, String> {
    let quoted = text.trim();
    let bad = || format!("'{quoted}' is not an amount (e.g. 12345.67, 12.345,67 or R$ 12.345,67)");
    let mut t: String = quoted.chars().filter(|c| !c.is_whitespace()).collect();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        t = inner.to_owned();
    }
    let mut signed = false;
    for _ in 0..2 {
        if !signed {
            if let Some(r) = t.strip_prefix('-') {
                negative = true;
                signed = true;
                t = r.to_owned();
            } else if let Some(r) = t.strip_prefix('+') {
                signed = true;
                t = r.to_owned();
            }
        }
        if let Some(r) = t.strip_prefix("R$").or_else(|| t.strip_prefix("r$")) {
            t = r.to_owned();
        }
    }
    if t.is_empty()
        || !t
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b',')
    {
        return Err(bad());
    }
    let (int, frac) = split_amount(&t).ok_or_else(bad)?;
    if negative && (int.bytes().any(|c| c != b'0') || frac.bytes().any(|c| c != b'0')) {
        return Err(format!("planned must be 0 or more: '{quoted}'"));
    }
    if frac.len() > 2 {
        return Err(format!("'{quoted}' has more than 2 decimals"));
    }
    let int = if int.is_empty() { "0" } else { &int };
    let s = if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    };
    Decimal::from_str(&s).map_err(|_| format!("'{quoted}' is too large"))
}

/// Digits before and after the decimal separator, or `None` when the separators do not fit.
fn split_amount(t: &str) -> Option<(String, String)> {
    let commas = t.matches(',').count();
    let dots = t.matches('.').count();
    let (int, frac): (&str, &str) = match (commas, dots) {
        (0, 0) => (t, ""),
        (0, 1) => {
            let (a, b) = t.split_once('.')?;
            let thousands = b.len() == 3 && (1..=3).contains(&a.len()) && !a.starts_with('0');
            if thousands {
                return Some((format!("{a}{b}"), String::new()));
            }
            (a, b)
        }
        (1, 0) => t.split_once(',')?,
        (_, 0) => return Some((grouped(t, ',')?, String::new())),
        (0, _) => return Some((grouped(t, '.')?, String::new())),
        _ => {
            let (dec, thousands) = if t.rfind(',') > t.rfind('.') {
                (',', '.')
            } else {
                ('.', ',')
            };
            let (a, b) = t.rsplit_once(dec)?;
            if a.contains(dec) || b.contains(thousands) {
                return None;
            }
            let int = grouped(a, thousands)?;
            if b.is_empty() {
                return None;
            }
            return Some((int, b.to_owned()));
        }
    };
    if frac.is_empty() && t.len() != int.len() {
        // "12," or "12."
        return None;
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    Some((int.to_owned(), frac.to_owned()))
}

/// `1.234.567` with `.` as `sep`: the digits, when every group after the first has 3 digits and
/// the first has 1 to 3.
fn grouped(s: &str, sep: char) -> Option<String> {
    let mut groups = s.split(sep);
    let first = groups.next()?;
    if !(1..=3).contains(&first.len()) {
        return None;
    }
    let mut out = first.to_owned();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn month(s: &str) -> Month {
        Month::from_str(s).unwrap()
    }

    fn row(m: &str, cc: &str, cat: &str, planned: &str, note: &str) -> BudgetRow {
        BudgetRow {
            month: month(m),
            cost_center: cc.into(),
            category: cat.into(),
            planned: dec(planned),
            note: note.into(),
        }
    }

    /// (row, column, reason) of each error.
    fn errs(p: &Parsed<BudgetRow>) -> Vec<(u64, Option<String>, String)> {
        p.errors
            .iter()
            .map(|e| (e.row, e.column.clone(), e.reason.clone()))
            .collect()
    }

    #[test]
    fn long_csv_good_rows() {
        let data = "Mês,Centro de Custo,Categoria,Planejado,Obs\n\
                    2026-01, HC-CAG ,Energia,1500.00,contrato novo\n\
                    02/2026,HC-CAG,ENERGIA,\"1.500,50\",\n\
                    jan/2026,HC-CAG,Água,300,\n";
        let p = read("orcamento.csv", data.as_bytes());
        assert!(p.is_clean(), "{:?}", p.errors);
        assert_eq!(
            p.records,
            vec![
                (
                    2,
                    row("2026-01", "HC-CAG", "energia", "1500", "contrato novo")
                ),
                (3, row("2026-02", "HC-CAG", "energia", "1500.5", "")),
                (4, row("2026-01", "HC-CAG", "água", "300", "")),
            ]
        );
        assert_eq!(p.records[0].1.planned.scale(), 2);
        assert_eq!(p.records[2].1.planned.to_string(), "300.00");

        // English headers, semicolons, no note column, CRLF, a BOM, a blank line (rows are lines).
        let data = "\u{feff}month;cost_center;category;planned\r\n\r\n2026-03;X1;Fuel;10,5\r\n";
        let p = read("budget.CSV", data.as_bytes());
        assert!(p.is_clean(), "{:?}", p.errors);
        assert_eq!(
            p.records,
            vec![(3, row("2026-03", "X1", "fuel", "10.50", ""))]
        );
    }

    #[test]
    fn latin1_csv_is_read() {
        let mut data = b"M\xeas;CC;Categoria;Valor;Observa\xe7\xe3o\n".to_vec();
        data.extend_from_slice(b"mar\xe7o/2026;A;Manuten\xe7\xe3o;1.000,00;sem reajuste\n");
        let p = read("b.csv", &data);
        assert!(p.is_clean(), "{:?}", p.errors);
        assert_eq!(
            p.records,
            vec![(2, row("2026-03", "A", "manutenção", "1000", "sem reajuste"))]
        );
    }

    #[test]
    fn wide_csv_with_portuguese_month_headers() {
        let names = [
            "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez",
        ];
        let header: Vec<String> = names.iter().map(|n| format!("{n}/2026")).collect();
        let data = format!(
            "centro_custo;categoria;{};Total;obs\n\
             HC-CAG;Energia;100;110;120;130;140;150;160;170;180;190;200;210;1860;base\n\
             Manutenção;;;;;;;;;;;;;;;\n\
             HC-CAG;Gás;;;\"1.234,56\";;;;;;;;;0;;\n",
            header.join(";")
        );
        let p = read("wide.csv", data.as_bytes());
        assert!(p.is_clean(), "{:?}", p.errors);
        assert_eq!(p.records.len(), 14);
        assert_eq!(
            p.records[0],
            (2, row("2026-01", "HC-CAG", "energia", "100", "base"))
        );
        assert_eq!(
            p.records[11],
            (2, row("2026-12", "HC-CAG", "energia", "210", "base"))
        );
        assert_eq!(
            p.records[12],
            (4, row("2026-03", "HC-CAG", "gás", "1234.56", ""))
        );
        assert_eq!(p.records[13], (4, row("2026-12", "HC-CAG", "gás", "0", "")));
        for (i, (_, r)) in p.records[..12].iter().enumerate() {
            assert_eq!(r.month, Month::new(2026, i as i8 + 1));
        }
    }

    #[test]
    fn month_headers() {
        for (text, want) in [
            ("2026-01", "2026-01"),
            ("01/2026", "2026-01"),
            ("1/2026", "2026-01"),
            ("2026/02", "2026-02"),
            ("03-2026", "2026-03"),
            ("04.2026", "2026-04"),
            ("jan/2026", "2026-01"),
            ("fev/26", "2026-02"),
            ("Jan 2026", "2026-01"),
            ("MAR-26", "2026-03"),
            ("março 2026", "2026-03"),
            ("Abr/2026", "2026-04"),
            ("may 26", "2026-05"),
            ("Set. 2026", "2026-09"),
            ("Sept 2026", "2026-09"),
            ("out/25", "2025-10"),
            ("Oct 2025", "2025-10"),
            ("dez/2026", "2026-12"),
            ("December 2026", "2026-12"),
            ("dezembro de 2026", "2026-12"),
        ] {
            assert_eq!(parse_month(text), Some(month(want)), "{text}");
        }
        for text in [
            "",
            "jan",
            "2026",
            "13/2026",
            "00/2026",
            "foo/2026",
            "jan/202",
            "jan/20266",
            "12/26",
            "2026-01-15",
            "jan/2026x",
            "total",
        ] {
            assert_eq!(parse_month(text), None, "{text}");
        }
    }

    #[test]
    fn brazilian_amounts() {
        for (text, want) in [
            ("R$ 12.345,67", "12345.67"),
            ("R$12.345,67", "12345.67"),
            ("12.345,67", "12345.67"),
            ("12345,67", "12345.67"),
            ("12345.67", "12345.67"),
            ("12,345.67", "12345.67"),
            ("1.234", "1234"),
            ("12.345", "12345"),
            ("123.456", "123456"),
            ("1.234.567", "1234567"),
            ("1,234,567", "1234567"),
            ("1.234.567,8", "1234567.8"),
            ("1234.5", "1234.5"),
            ("0.5", "0.5"),
            ("0,05", "0.05"),
            ("1 234,56", "1234.56"),
            ("+10", "10"),
            ("-0,00", "0"),
            ("0", "0"),
        ] {
            assert_eq!(parse_amount(text), Ok(dec(want)), "{text}");
        }
        for (text, reason) in [
            ("1,234", "'1,234' has more than 2 decimals"),
            ("0.500", "'0.500' has more than 2 decimals"),
            ("1234.567", "'1234.567' has more than 2 decimals"),
            ("-5,00", "planned must be 0 or more: '-5,00'"),
            ("R$ -5,00", "planned must be 0 or more: 'R$ -5,00'"),
            ("(1.000,00)", "planned must be 0 or more: '(1.000,00)'"),
        ] {
            assert_eq!(parse_amount(text), Err(reason.to_owned()), "{text}");
        }
        for text in [
            "abc",
            "12a",
            "1.23,00",
            "1,2.00,00",
            "12,",
            "12.",
            ",",
            ".",
            "R$",
            "--5",
            "1.2.3",
            "1.234,5.6",
            "1e5",
            "٣",
        ] {
            let e = parse_amount(text).unwrap_err();
            assert!(
                e.starts_with(&format!("'{}' is not an amount", text.trim())),
                "{text}: {e}"
            );
        }
        assert!(
            parse_amount("99999999999999999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        assert_eq!(amount_of_f64(1.005), Ok(dec("1.01")));
        assert_eq!(amount_of_f64(1000.0 / 3.0), Ok(dec("333.33")));
        assert_eq!(amount_of_f64(-0.0), Ok(dec("0")));
        assert!(amount_of_f64(-1.0).is_err());
        assert!(amount_of_f64(f64::NAN).is_err());
        assert!(amount_of_f64(1e300).unwrap_err().contains("too large"));
    }

    #[test]
    fn every_bad_row_reported_and_nothing_else_lost() {
        let data = "month,cost_center,category,planned,note\n\
                    2026-01,A,energia,10,\n\
                    2026-13,A,energia,10,\n\
                    2026-02,,energia,10,\n\
                    2026-02,A,  ,10,\n\
                    2026-02,A,energia,-3,\n\
                    2026-02,A,energia,1.2345,\n\
                    2026-02,A,energia,dez reais,\n\
                    2026-02,A,energia,,\n\
                    ,A,energia,5,\n\
                    2026-02,A,água,20,ok\n\
                    2026-01,a,Energia,11,\n\
                    foo,,x,bar,\n\
                    2026-03,A,energia,30,,extra\n";
        let p = read("b.csv", data.as_bytes());
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            errs(&p),
            vec![
                (3, some("month"), "'2026-13' is not a month (e.g. 2026-01, 01/2026 or jan/2026)".into()),
                (4, some("cost_center"), "required".into()),
                (5, some("category"), "required".into()),
                (6, some("planned"), "planned must be 0 or more: '-3'".into()),
                (7, some("planned"), "'1.2345' has more than 2 decimals".into()),
                (8, some("planned"), "'dez reais' is not an amount (e.g. 12345.67, 12.345,67 or R$ 12.345,67)".into()),
                (9, some("planned"), "required".into()),
                (10, some("month"), "required".into()),
                (12, None, "2026-01 / a / energia also on row 2 (repeated month, cost_center and category)".into()),
                (13, some("month"), "'foo' is not a month (e.g. 2026-01, 01/2026 or jan/2026)".into()),
                (13, some("cost_center"), "required".into()),
                (13, some("planned"), "'bar' is not an amount (e.g. 12345.67, 12.345,67 or R$ 12.345,67)".into()),
                (14, None, "value 'extra' in column 6 (no header): not read; give the column a header or clear it".into()),
            ]
        );
        assert_eq!(
            p.records,
            vec![
                (2, row("2026-01", "A", "energia", "10", "")),
                (11, row("2026-02", "A", "água", "20", "ok")),
                (14, row("2026-03", "A", "energia", "30", "")),
            ]
        );
        assert_eq!(
            p.errors[0].to_string(),
            "b.csv: row 3, column 'month': '2026-13' is not a month (e.g. 2026-01, 01/2026 or jan/2026)"
        );
    }

    #[test]
    fn wide_bad_cells_keep_the_good_ones() {
        let data = "CC,Categoria,Jan/2026,Fev/2026,Mar/2026,Resumo\n\
                    A,energia,10,-1,x,qualquer\n\
                    ,energia,10,,,\n\
                    A,Energia,,,30,\n";
        let p = read("w.csv", data.as_bytes());
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            errs(&p),
            vec![
                (1, some("Resumo"), "unknown column 'Resumo' (not a month like 2026-01 or jan/2026, nor one of month, cost_center, category, planned, note): its values are not read".into()),
                (2, some("Fev/2026"), "planned must be 0 or more: '-1'".into()),
                (2, some("Mar/2026"), "'x' is not an amount (e.g. 12345.67, 12.345,67 or R$ 12.345,67)".into()),
                (3, some("CC"), "required".into()),
            ]
        );
        assert_eq!(
            p.records,
            vec![
                (2, row("2026-01", "A", "energia", "10", "")),
                (4, row("2026-03", "A", "energia", "30", "")),
            ]
        );
    }

    #[test]
    fn missing_columns_and_bad_headers() {
        let p = read("b.csv", b"Mes,CC,Valor,Obs\n2026-01,A,10,\n");
        assert!(p.records.is_empty());
        assert_eq!(p.errors.len(), 1);
        let e = &p.errors[0];
        assert_eq!((e.row, e.column.as_deref()), (1, Some("category")));
        assert!(
            e.reason.contains("required column 'category' missing"),
            "{}",
            e.reason
        );
        assert!(
            e.reason
                .contains("headers found: 'Mes', 'CC', 'Valor', 'Obs'"),
            "{}",
            e.reason
        );

        let p = read("b.csv", b"foo,bar\n1,2\n");
        let missing: Vec<_> = p
            .errors
            .iter()
            .filter_map(|e| e.column.as_deref())
            .collect();
        assert_eq!(
            missing,
            ["foo", "bar", "month", "cost_center", "category", "planned"]
        );
        assert!(p.errors.iter().all(|e| e.row == 1));

        // Two columns for one field; a month repeated; mixed layouts.
        for (data, column, says) in [
            (
                "mes,cc,centro de custo,categoria,valor\n",
                "centro de custo",
                "appears twice",
            ),
            (
                "cc,categoria,jan/2026,2026-01\n",
                "2026-01",
                "both mean 2026-01",
            ),
            (
                "mes,cc,categoria,valor,jan/2026\n",
                "mes",
                "cannot be mixed",
            ),
            ("cc,categoria,valor,jan/2026\n", "valor", "cannot be mixed"),
        ] {
            let p = read("h.csv", format!("{data}x,y,z,1,2\n").as_bytes());
            assert!(p.records.is_empty(), "{data}");
            assert_eq!(p.errors.len(), 1, "{data}: {:?}", p.errors);
            assert_eq!(p.errors[0].column.as_deref(), Some(column), "{data}");
            assert!(
                p.errors[0].reason.contains(says),
                "{data}: {}",
                p.errors[0].reason
            );
        }
    }

    #[test]
    fn whole_file_problems_are_errors_not_panics() {
        for (name, bytes) in [
            ("b.pdf", &b"%PDF"[..]),
            ("budget", b"a,b"),
            ("b.csv", b""),
            ("b.csv", b"\n\n ,, \n"),
            ("b.xlsx", b""),
            ("b.xlsx", b"garbage \x00\xff bytes"),
            ("b.xls", b"PK\x03\x04 not really a zip"),
            ("b.xlsm", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated ole"),
        ] {
            let p = read(name, bytes);
            assert!(p.records.is_empty(), "{name}");
            assert_eq!(p.errors.len(), 1, "{name}: {:?}", p.errors);
            assert_eq!((p.errors[0].row, &p.errors[0].file[..]), (1, name));
        }
        // Garbage as CSV: whatever it says, it is errors.
        let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let p = read("g.csv", &garbage);
        assert!(p.records.is_empty());
        assert!(!p.errors.is_empty());
    }

    fn sample_xlsx() -> Vec<u8> {
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Orçamento").unwrap();
        let month_fmt = Format::new().set_num_format("mmm/yy");
        // Row 1 left empty: the header is the first non-empty row (row 2).
        sheet.write_string(1, 0, "Centro de Custo").unwrap();
        sheet.write_string(1, 1, "Categoria").unwrap();
        let jan = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
        sheet
            .write_datetime_with_format(1, 2, &jan, &month_fmt)
            .unwrap();
        sheet.write_string(1, 3, "fev/2026").unwrap();
        sheet.write_string(1, 4, "Mar 2026").unwrap();
        sheet.write_string(1, 5, "Observação").unwrap();

        sheet.write_string(2, 0, "HC-CAG").unwrap();
        sheet.write_string(2, 1, "Energia").unwrap();
        sheet.write_number(2, 2, 1234.5).unwrap();
        sheet.write_string(2, 3, "R$ 2.000,00").unwrap();
        sheet
            .write_formula(2, 4, Formula::new("=C3*2").set_result("2469"))
            .unwrap();
        sheet.write_string(2, 5, "contrato").unwrap();

        sheet.write_number(3, 0, 1001).unwrap();
        sheet.write_string(3, 1, "Água").unwrap();
        sheet.write_number(3, 2, 1000.0 / 3.0).unwrap();
        sheet.write_number(3, 3, -5).unwrap();
        sheet
            .write_datetime_with_format(3, 4, &jan, &month_fmt)
            .unwrap();

        let second = book.add_worksheet();
        second.write_string(0, 0, "not read").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_written_and_read_back() {
        let bytes = sample_xlsx();
        let p = read("orcamento.xlsx", &bytes);
        assert_eq!(
            p.records,
            vec![
                (
                    3,
                    row("2026-01", "HC-CAG", "energia", "1234.50", "contrato")
                ),
                (
                    3,
                    row("2026-02", "HC-CAG", "energia", "2000.00", "contrato")
                ),
                (
                    3,
                    row("2026-03", "HC-CAG", "energia", "2469.00", "contrato")
                ),
                (4, row("2026-01", "1001", "água", "333.33", "")),
            ]
        );
        assert_eq!(
            errs(&p),
            vec![
                (
                    4,
                    Some("fev/2026".into()),
                    "planned must be 0 or more: '-5'".into()
                ),
                (
                    4,
                    Some("Mar 2026".into()),
                    "'2026-01-01' is a date, not an amount".into()
                ),
            ]
        );
        // The same bytes under another accepted extension are read the same way.
        assert_eq!(read("o.XLSM", &bytes).records, p.records);
    }

    #[test]
    fn truncated_xlsx_never_panics() {
        let bytes = sample_xlsx();
        for len in (0..bytes.len()).step_by(97) {
            let p = read("cut.xlsx", &bytes[..len]);
            assert!(!p.errors.is_empty() || !p.records.is_empty());
        }
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(13) {
            flipped[i] ^= 0x5a;
        }
        let _ = read("flipped.xlsx", &flipped);
    }
}
