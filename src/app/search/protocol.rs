//! What the Search pane asks the worker for and what comes back.

use opsdeck_views::state::search::HitRow;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum SearchReply {
    /// The hits of `query`, and how many documents the index holds.
    Hits {
        query: String,
        hits: Vec<HitRow>,
        docs: u64,
    },
}
