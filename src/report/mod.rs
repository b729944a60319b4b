//! Files people take away: XLSX (formatted) and CSV.

pub mod cmms;
pub mod gas;
pub mod ledger;
pub mod telemetry;
