//! The console's loop on a real site (redb file, tantivy index, worker thread), driven by key
//! messages and drawn on ratatui's TestBackend.

mod common;
use common::console::Console;
use opsdeck_views::state::PaneId;
use opsdeck_views::state::audit::VerifyState;
use ratatui::crossterm::event::KeyCode;

#[test]
fn audit_pane_loads_verifies_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.key(KeyCode::Char('8'));
    assert_eq!(c.app.shell.pane, PaneId::Audit);
    c.until("audit rows", |a| !a.shell.audit.rows.is_empty());
    // The newest page of a longer trail; the filter below searches all of it.
    assert!(
        c.app.shell.audit.total >= c.app.shell.audit.rows.len() as u64,
        "{}",
        c.screen()
    );

    c.key(KeyCode::Char('v'));
    c.until("verification", |a| {
        matches!(a.shell.audit.verify, Some(VerifyState::Intact { .. }))
    });
    assert!(c.screen().contains("Cadeia íntegra"), "{}", c.screen());
    // the verification is itself audited, and the pane picks it up without a keypress
    // (The scheduler may write its own entries right after: a new day's preventive orders.)
    c.until("the audit.verify entry", |a| {
        a.shell
            .audit
            .rows
            .iter()
            .take(50)
            .any(|r| r.action == "audit.verify")
    });

    // (Bruno also works in the demo's maintenance history: filter on his user record, made
    // when the demo was loaded, long before the newest page: the filter searches the whole
    // trail.)
    c.key(KeyCode::Char('/'));
    c.typ("user/bruno");
    c.key(KeyCode::Enter);
    // A loaded machine may take longer than one key's pump to apply a key to the rows.
    c.until("the filter", |a| !a.shell.filtering);
    c.until("the whole trail filtered", |a| {
        a.shell.audit.visible().len() == 1 && a.shell.audit.rows.len() == 1
    });
    assert!(c.screen().contains("user/bruno.lima"));
    c.key(KeyCode::Esc);
    c.until("the filter cleared", |a| {
        a.shell.audit.list.filter.is_empty()
    });

    // g g / G move within the list
    c.key(KeyCode::Char('G'));
    c.until("the last row", |a| {
        a.shell.audit.list.selected + 1 == a.shell.audit.visible().len()
    });
    c.typ("gg");
    c.until("the first row", |a| a.shell.audit.list.selected == 0);
}

#[test]
fn global_search_finds_records_and_opens_audit_hits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.key(KeyCode::Char('1'));
    c.ctrl('f');
    assert_eq!(c.app.shell.pane, PaneId::Search);
    assert!(c.app.shell.search.editing);
    // The indexer commits about once a second; type, and retype until it has caught up.
    c.typ("supervisora");
    c.until("a hit", |a| !a.shell.search.hits.is_empty());
    let hit = &c.app.shell.search.hits[0];
    assert_eq!((hit.kind.as_str(), hit.key.as_str()), ("user", "ana.souza"));
    assert!(c.screen().contains("Ana Souza"));

    // an audit hit opens its entry in the audit pane
    c.ctrl('u');
    c.typ("user.create bruno");
    c.until("audit hit", |a| {
        a.shell.search.hits.iter().any(|h| h.kind == "audit")
    });
    let pos = c
        .app
        .shell
        .search
        .hits
        .iter()
        .position(|h| h.kind == "audit")
        .unwrap();
    let seq: u64 = c.app.shell.search.hits[pos].key.parse().unwrap();
    c.key(KeyCode::Enter); // leave the query line
    for _ in 0..pos {
        c.key(KeyCode::Char('j'));
    }
    c.key(KeyCode::Enter);
    assert_eq!(c.app.shell.pane, PaneId::Audit);
    c.until("audit rows", |a| !a.shell.audit.rows.is_empty());
    let sel = c.app.shell.audit.list.selected;
    assert_eq!(c.app.shell.audit.visible()[sel].seq, seq);
}

#[test]
fn palette_runs_actions_and_searches() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.key(KeyCode::Char(':'));
    c.typ("pane.aud");
    c.key(KeyCode::Tab);
    assert!(c.screen().contains(":pane.audit"), "{}", c.screen());
    c.key(KeyCode::Enter);
    assert_eq!(c.app.shell.pane, PaneId::Audit);
    assert!(c.app.shell.overlay.is_none());

    c.key(KeyCode::Char(':'));
    c.typ("search davi");
    c.key(KeyCode::Enter);
    assert_eq!(c.app.shell.pane, PaneId::Search);
    assert_eq!(c.app.shell.search.query, "davi");

    c.key(KeyCode::Char(':'));
    c.typ("no such thing");
    c.key(KeyCode::Enter);
    assert!(
        c.app
            .shell
            .status
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("nenhum comando")
    );
}

#[test]
fn help_shows_the_bindings_in_effect_including_the_users() {
    let dir = tempfile::tempdir().unwrap();
    let user = "[global]\nkeymap = [\n  { on = [\"Q\"], run = \"quit\", desc = \"Quit quickly\" },\n  { on = [\"x\"], run = \"explode\" },\n]\n";
    let (mut c, _held) = Console::start(dir.path(), Some(user));
    // the bad line is reported with its file and line, and the rest still works
    let err = c.app.shell.status.last_error.clone().unwrap_or_default();
    assert!(
        err.contains("my-keymap.toml:4") && err.contains("explode"),
        "{err}"
    );
    c.key(KeyCode::Char('?'));
    let screen = c.screen();
    assert!(screen.contains("Ajuda"), "{screen}");
    assert!(screen.contains("my-keymap.toml:4"), "{screen}");
    assert!(c.app.shell.help.iter().any(|h| h.keys == "Q"));
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('Q'));
    assert!(c.app.quit);
}
