//! Files people take away: XLSX (formatted) and CSV.

pub mod gas;
pub mod telemetry;
