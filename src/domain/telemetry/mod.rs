//! Telemetry: readings (stored by the ingest pipeline), devices, rules and alerts.

pub mod alerts;
pub mod devices;
pub mod engine;
pub mod rulebook;
pub mod rules;
pub mod series;
