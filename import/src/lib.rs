//! opsdeck-import: readers that turn source files into records plus per-row errors. Nothing here
//! writes; the caller decides whether a file with errors is committed.

pub mod budget;
pub mod csv;
pub mod gas;

use std::fmt;

/// Where a source row went wrong: file, 1-based row (the header is row 1), column, reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub row: u64,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(
                f,
                "{}: row {}, column '{}': {}",
                self.file, self.row, c, self.reason
            ),
            None => write!(f, "{}: row {}: {}", self.file, self.row, self.reason),
        }
    }
}

/// What a reader found: the good rows (with their row numbers) and the bad ones.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub records: Vec<(u64, T)>,
    pub errors: Vec<RowError>,
}

impl<T> Parsed<T> {
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}
