//! The Search pane: one search over every record of the tenant, as you type; `enter` on a hit
//! opens the record in its pane.

mod load;
pub mod protocol;

pub use load::search;

use opsdeck_views::Action;
use opsdeck_views::state::{ListView, PaneId, Shell};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::link::Link;
use super::pane::{Cx, Pane, Reload};
use super::protocol::{Cmd, Reply};
use protocol::SearchReply;

#[derive(Debug, Default)]
pub struct Search;

impl Search {
    /// Search as you type: each keystroke asks; stale answers are dropped on arrival.
    fn search_now(cx: &mut Cx) {
        let q = cx.shell.search.query.trim().to_owned();
        if q.is_empty() {
            let s = &mut cx.shell.search;
            s.hits.clear();
            s.searched = None;
            s.list = ListView::default();
        } else {
            cx.shell.search.list.selected = 0;
            cx.send(Cmd::Search(q));
        }
    }

    /// `enter` on a hit: the record in its pane.
    fn open(cx: &mut Cx) {
        let s = &cx.shell.search;
        let Some((kind, key)) = s
            .visible()
            .get(s.list.selected)
            .map(|h| (h.kind.clone(), h.key.clone()))
        else {
            return;
        };
        let link = match kind.as_str() {
            "audit" => key.parse().ok().map(Link::AuditEntry),
            "work_order" => key.parse().ok().map(Link::Order),
            "asset" => Some(Link::Asset(key.clone())),
            "ledger_entry" => Some(Link::LedgerEntry(key.clone())),
            _ => None,
        };
        match link {
            Some(link) => cx.follow(link),
            None => cx.notice(format!("{kind} {key}")),
        }
    }
}

impl Pane for Search {
    fn id(&self) -> PaneId {
        PaneId::Search
    }

    /// Typing in the query line; keys it has no use for go to the keymap.
    fn key(&mut self, cx: &mut Cx, k: KeyEvent) -> bool {
        if !cx.shell.search.editing {
            return false;
        }
        let s = &mut cx.shell.search;
        match k.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Down | KeyCode::Tab => s.editing = false,
            KeyCode::Backspace => {
                s.query.pop();
                Self::search_now(cx);
            }
            KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                s.query.clear();
                Self::search_now(cx);
            }
            KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                s.query.push(c);
                Self::search_now(cx);
            }
            _ => return false,
        }
        true
    }

    fn act(&mut self, cx: &mut Cx, a: Action) -> bool {
        match a {
            Action::Search => cx.shell.search.editing = true,
            Action::Open => Self::open(cx),
            _ => return false,
        }
        true
    }

    fn reply(&mut self, cx: &mut Cx, r: Reply) {
        let Reply::Search(SearchReply::Hits { query, hits, docs }) = r else {
            return;
        };
        let s = &mut cx.shell.search;
        s.indexed_docs = docs;
        // A late answer to an older query is dropped.
        if query == s.query.trim() {
            s.hits = hits;
            s.searched = Some(query);
            let n = s.visible().len();
            s.list.selected = s.list.selected.min(n.saturating_sub(1));
        }
    }

    fn reload(&mut self, cx: &mut Cx, _why: Reload) {
        if let Some(q) = cx.shell.search.searched.clone() {
            cx.send(Cmd::Search(q));
        }
    }

    fn back(&mut self, cx: &mut Cx) -> bool {
        let s = &mut cx.shell.search;
        if s.editing {
            s.editing = false;
            return true;
        }
        false
    }

    fn paste(&mut self, cx: &mut Cx, text: &str) {
        if cx.shell.search.editing {
            let line = text.lines().next().unwrap_or("");
            cx.shell.search.query.push_str(line);
            Self::search_now(cx);
        }
    }

    /// A search asked for by name (the palette's `search <text>`).
    fn follow(&mut self, cx: &mut Cx, link: &Link) -> bool {
        let Link::Search(q) = link else {
            return false;
        };
        cx.go(PaneId::Search);
        cx.shell.search.query = q.trim().to_owned();
        cx.shell.search.editing = false;
        Self::search_now(cx);
        true
    }

    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)> {
        let n = shell.search.visible().len();
        Some((&mut shell.search.list, n))
    }
}
