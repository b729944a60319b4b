//! Files people take away: XLSX (formatted) and CSV.

pub mod telemetry;
