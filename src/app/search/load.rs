//! The worker's side of the Search pane: one tantivy query over every record of the tenant.

use opsdeck_views::state::search::HitRow;

use super::protocol::SearchReply;
use crate::app::io::Io;
use crate::domain::access::{Permission, require};
use crate::domain::ledger::LedgerAction;
use crate::domain::service::Guarded;

const SEARCH_LIMIT: usize = 200;

pub fn search(io: &Io, query: String) -> anyhow::Result<SearchReply> {
    let role = require(&io.tenant, &io.user, Permission::Read)?;
    // The ledger's money is for those who may see the ledger.
    let ledger = LedgerAction::View.allowed(role);
    let hits = io.index.search(&query, SEARCH_LIMIT)?;
    let hits: Vec<_> = hits
        .into_iter()
        .filter(|h| ledger || !h.kind.starts_with("ledger_"))
        .collect();
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use opsdeck_storage::records::ledger::{CcKind, CostCenter, Phase};
    use opsdeck_storage::records::user::Role;
    use opsdeck_storage::{SearchIndex, Tenant};
    use opsdeck_views::i18n::Locale;

    use super::*;
    use crate::domain::ledger::{centers, manual};
    use crate::domain::users;

    /// The ledger's money shows in search only to those who may see the ledger.
    #[test]
    fn ledger_entries_are_found_only_by_who_may_see_the_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let t = Tenant::open("h", &dir.path().join("t.redb"), &[3; 32]).unwrap();
        users::bootstrap_admin(&t, "ana").unwrap();
        users::add(&t, "ana", "bia", Role::Operator, "Bia").unwrap();
        centers::set_cost_center(
            &t,
            "ana",
            CostCenter {
                code: "CAG".into(),
                name: "Central de água gelada".into(),
                parent: None,
                kind: CcKind::Unit,
                covers: Vec::new(),
                active: true,
            },
        )
        .unwrap();
        manual::post(
            &t,
            "ana",
            manual::ManualInput {
                phase: Phase::Realize,
                date: jiff::civil::date(2026, 11, 3),
                cost_center: "CAG".into(),
                category: "services".into(),
                amount: "9870".parse().unwrap(),
                description: "Revisão do compressor Bitzer".into(),
                reason: String::new(),
                evidence: String::new(),
                against: None,
                corrects: None,
            },
        )
        .unwrap();
        let index = SearchIndex::open(&dir.path().join("index")).unwrap();
        index.writer().unwrap().catch_up(&t, 1000).unwrap();
        index.reload().unwrap();
        let t = Arc::new(t);
        let index = Arc::new(index);
        let io = |user: &str| Io {
            tenant: t.clone(),
            index: index.clone(),
            evidence: dir.path().join("evidence"),
            user: user.into(),
            tz: jiff::tz::TimeZone::UTC,
            locale: Locale::PtBr,
        };
        let kinds = |user: &str| {
            let SearchReply::Hits { hits, .. } = search(&io(user), "Bitzer".into()).unwrap();
            hits.into_iter().map(|h| h.kind).collect::<Vec<_>>()
        };
        assert!(kinds("ana").iter().any(|k| k == "ledger_entry"));
        assert!(kinds("bia").iter().all(|k| !k.starts_with("ledger_")));
    }
}
