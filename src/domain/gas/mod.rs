//! Natural gas (the RC spreadsheets): the calculations, and the services that are the only
//! writers of units, entries, plans, real consumption, contracts and who runs which unit.

pub mod assign;
pub mod calc;
pub mod entries;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod import;
pub mod meter;
pub mod month;
pub mod reminders;
pub mod seed;
