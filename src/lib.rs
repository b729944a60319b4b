//! opsdeck: the application. Domain services, site services, the console loop and the CLI.

pub mod app;
pub mod cli;
pub mod domain;
pub mod ingest;
pub mod logging;
pub mod notify;
pub mod report;
pub mod site;
