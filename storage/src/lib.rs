//! opsdeck-storage: a tenant's redb file (typed versioned records, outbox, audit chain) and its
//! tantivy search index. Only `src/` decides what to write; this crate makes writes atomic,
//! attributed and traceable.

pub mod audit;
pub mod clock;
pub mod codec;
mod error;
pub mod outbox;
pub mod readings;
pub mod records;
pub mod search;
mod tables;
pub mod tenant;
pub mod tx;

pub use error::{Error, Result};
pub use outbox::Event;
pub use records::Record;
pub use search::{Hit, SearchDoc, SearchIndex};
pub use tenant::{SCHEMA_VERSION, Tenant};
pub use tx::{Tx, Versioned};
