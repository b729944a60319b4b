//! Telemetry: sensor readings, rules and alerts. So far the rule evaluator; ingest, storage of
//! readings and the pane arrive with the telemetry issue.

pub mod rules;
