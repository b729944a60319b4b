//! What one record contributes to search, as records make it and the outbox and the index carry
//! it.

use serde::{Deserialize, Serialize};

use crate::{Error, Result, codec};

/// What one record contributes to search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    pub kind: String,
    pub key: String,
    pub title: String,
    pub body: String,
}

/// The searchable projection rows, for `reindex` and `check`.
pub(crate) fn decode_search_doc(bytes: &[u8]) -> Result<SearchDoc> {
    codec::decode(bytes).map_err(|e| Error::codec("search doc", e))
}
