//! Ingest: signed HTTP and MQTT readings into one pipeline with group commit.

#[cfg(feature = "dev-broker")]
pub mod broker;
pub mod client;
pub mod http;
pub mod metrics;
pub mod mqtt;
pub mod payload;
pub mod pipeline;
pub mod retention;
pub mod signing;
