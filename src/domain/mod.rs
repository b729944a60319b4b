//! Domain rules and services: the only writers of their records.

pub mod access;
pub mod audit;
pub mod cmms;
pub mod gas;
pub mod ledger;
pub mod mail;
pub mod notifications;
pub mod service;
pub mod telemetry;
pub mod users;
