//! opsdeck-storage: a tenant's redb file (typed versioned records, outbox, audit chain) and its
//! tantivy search index. Only `src/` decides what to write; this crate makes writes atomic,
//! attributed and traceable.

pub mod audit;
pub mod clock;
pub mod codec;
mod consumers;
mod error;
pub mod locale;
pub mod outbox;
pub mod readings;
pub mod records;
pub mod refusal;
pub mod search;
pub mod search_doc;
mod tables;
pub mod tenant;
pub mod text;
mod trail;
pub mod tx;

pub use error::{Error, Result};
pub use outbox::Event;
pub use records::Record;
pub use search::{Hit, SearchIndex};
pub use search_doc::SearchDoc;
pub use tenant::{SCHEMA_VERSION, Tenant};
pub use tx::{Tx, Versioned};
