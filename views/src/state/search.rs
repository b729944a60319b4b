//! The Search pane's view model: the query being typed and the hits of the last search.

use super::{ListView, matches_filter};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HitRow {
    pub kind: String,
    pub key: String,
    pub title: String,
    pub snippet: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchPane {
    pub query: String,
    /// True while the query line has the cursor.
    pub editing: bool,
    /// The query the hits belong to (None before the first search).
    pub searched: Option<String>,
    pub hits: Vec<HitRow>,
    pub list: ListView,
    pub indexed_docs: u64,
}

impl SearchPane {
    pub fn visible(&self) -> Vec<&HitRow> {
        self.hits
            .iter()
            .filter(|h| matches_filter(&self.list.filter, &[&h.kind, &h.title, &h.snippet]))
            .collect()
    }
}
