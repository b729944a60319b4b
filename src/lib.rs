//! opsdeck: the application. Domain services, site services, the console loop and the CLI.

pub mod app;
pub mod cli;
pub mod domain;
pub mod ingest;
pub mod logging;
pub mod notify;
pub mod report;
pub mod service;
pub mod site;

/// "Now" everywhere: the system clock, or the instant `OPSDECK_NOW` sets (see the module).
pub use opsdeck_storage::clock;
