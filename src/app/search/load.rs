//! The worker's side of the Search pane: one tantivy query over every record of the tenant.

use opsdeck_views::state::search::HitRow;

use super::protocol::SearchReply;
use crate::app::io::Io;
use crate::domain::access::{Permission, require};

const SEARCH_LIMIT: usize = 200;

pub fn search(io: &Io, query: String) -> anyhow::Result<SearchReply> {
    require(&io.tenant, &io.user, Permission::Read)?;
    let hits = io.index.search(&query, SEARCH_LIMIT)?;
    Ok(SearchReply::Hits {
        query,
        docs: io.index.num_docs(),
        hits: hits
            .into_iter()
            .map(|h| HitRow {
                kind: h.kind,
                key: h.key,
                title: h.title,
                snippet: h.snippet,
                highlights: h.highlights,
            })
            .collect(),
    })
}
