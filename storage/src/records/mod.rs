//! The stored record types, shared by every crate. One module per domain.

pub mod rule;
pub mod user;

use serde::{Serialize, de::DeserializeOwned};

use crate::search::SearchDoc;

/// A value kept in its own redb table, one row per key.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// Table name and search kind, e.g. "user". Never change it once data exists.
    const KIND: &'static str;

    /// What the search index shows and matches for this record, if it is searchable.
    fn search_doc(&self, key: &str) -> Option<SearchDoc>;
}
