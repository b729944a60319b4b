//! Layout snapshots of the shell on ratatui's TestBackend, at the sizes people use.

use opsdeck_views::i18n::Locale;
use opsdeck_views::state::audit::{AuditRow, VerifyState};
use opsdeck_views::state::search::HitRow;
use opsdeck_views::state::{HelpRow, Overlay, Palette, PaneId, Shell};
use opsdeck_views::theme::Theme;
use opsdeck_views::{Action, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

fn shell(locale: Locale) -> Shell {
    let mut s = Shell::new(locale, Theme::default());
    s.status.tenant = "hospital".into();
    s.status.tenant_display = "Hospital Santa Clara".into();
    s.status.user = "ana.souza".into();
    s.status.role = Some("supervisor".into());
    s.status.services = opsdeck_views::state::Runner::ThisConsole;
    s.status.clock = "23/11/2026 09:30 -03".into();
    s.help = vec![
        HelpRow {
            section: "global".into(),
            keys: "?".into(),
            action: Action::Help,
            desc: "Show the keys in effect".into(),
        },
        HelpRow {
            section: "global".into(),
            keys: "q".into(),
            action: Action::Quit,
            desc: "Quit".into(),
        },
        HelpRow {
            section: "list".into(),
            keys: "g g".into(),
            action: Action::Top,
            desc: "Go to top".into(),
        },
    ];
    s
}

fn audit_rows() -> Vec<AuditRow> {
    (1..=3u64)
        .rev()
        .map(|i| AuditRow {
            seq: i,
            at: format!("23/11/2026 09:0{i}:00"),
            actor: "root".into(),
            action: "user.create".into(),
            entity: format!("user/u{i}"),
            detail: format!("version {i}"),
            hash: format!("{i:064x}"),
            prev: format!("{:064x}", i - 1),
        })
        .collect()
}

fn draw(shell: &Shell, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, shell)).unwrap();
    t
}

#[test]
fn pending_pane_at_80x24() {
    // Fuel has not landed yet: its pane says what it arrives with.
    let mut s = shell(Locale::PtBr);
    s.pane = PaneId::Fuel;
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn search_with_hits_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.pane = PaneId::Search;
    s.search.query = "criciuma".into();
    s.search.searched = Some("criciuma".into());
    s.search.indexed_docs = 42;
    s.search.hits = vec![
        HitRow {
            kind: "user".into(),
            key: "fabio.costa".into(),
            title: "fabio.costa (supervisor)".into(),
            snippet: "Fábio Costa — supervisor de utilidades Criciúma".into(),
            highlights: std::iter::once(42..51).collect(),
        },
        HitRow {
            kind: "audit".into(),
            key: "7".into(),
            title: "user.create user/fabio.costa by root".into(),
            snippet: "version 1".into(),
            highlights: vec![],
        },
    ];
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    // the matched word is styled, so it shows without colour too
    let buf = t.backend().buffer();
    let cell = buf
        .content()
        .iter()
        .find(|c| c.symbol() == "C" && c.modifier.contains(Modifier::UNDERLINED))
        .expect("highlighted match");
    assert!(cell.modifier.contains(Modifier::BOLD));
}

#[test]
fn audit_with_broken_chain_in_english() {
    let mut s = shell(Locale::En);
    s.pane = PaneId::Audit;
    s.audit.rows = audit_rows();
    s.audit.total = 3;
    s.audit.list.selected = 1;
    s.audit.verify = Some(VerifyState::Broken {
        seq: 2,
        reason: "content was altered after it was written".into(),
        at: "2026-11-23 09:31:00".into(),
    });
    insta::assert_snapshot!(draw(&s, 100, 30).backend());
}

#[test]
fn audit_filter_narrows_the_list() {
    let mut s = shell(Locale::PtBr);
    s.pane = PaneId::Audit;
    s.audit.rows = audit_rows();
    s.audit.total = 3;
    s.filtering = true;
    s.audit.list.filter = "u2".into();
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_overlay() {
    let mut s = shell(Locale::PtBr);
    s.overlay = Some(Overlay::Help { scroll: 0 });
    s.keymap_warnings =
        vec!["/home/ana/.config/opsdeck/keymap.toml:4: unknown action 'fly'".into()];
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn palette_overlay() {
    let mut s = shell(Locale::En);
    s.overlay = Some(Overlay::Palette(Palette {
        input: "pane".into(),
        selected: 1,
    }));
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn too_small_terminal_says_so() {
    let s = shell(Locale::PtBr);
    insta::assert_snapshot!(draw(&s, 60, 20).backend());
}

#[test]
fn no_color_theme_uses_no_colours() {
    let mut s = shell(Locale::PtBr);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    s.pane = PaneId::Audit;
    s.audit.rows = audit_rows();
    s.audit.verify = Some(VerifyState::Intact {
        entries: 3,
        at: "x".into(),
    });
    s.status.last_error = Some("boom".into());
    let t = draw(&s, 80, 24);
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, Color::Reset, "colour at {:?}", c.symbol());
        assert_eq!(c.bg, Color::Reset);
    }
    insta::assert_snapshot!(t.backend());
}

#[test]
fn a_long_value_shows_its_end_while_typed_and_its_start_otherwise() {
    use opsdeck_views::state::{Form, FormField};
    let mut s = shell(Locale::PtBr);
    s.pane = PaneId::WorkOrders;
    s.wo.loaded = true;
    let long = "Bombas de água gelada primárias e secundária — inspeção a cada 500 h de operação";
    let field = |key: &'static str, label: &str, value: &str| FormField {
        key,
        label: label.into(),
        value: value.into(),
        choices: Vec::new(),
        error: None,
    };
    s.wo.form = Some(Form {
        title: "Editar plano".into(),
        fields: vec![field("name", "Nome", long), field("title", "Título", long)],
        focused: 0,
        message: None,
        confirm_discard: false,
    });
    let t = draw(&s, 80, 24);
    let buf = t.backend().buffer();
    let rows: Vec<String> = (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect();
    let name = rows.iter().find(|r| r.contains("Nome:")).unwrap();
    let title = rows.iter().find(|r| r.contains("Título:")).unwrap();
    assert!(name.contains("…") && name.contains("de operação"), "{name}");
    assert!(
        title.contains("Bombas de água") && title.contains('…'),
        "{title}"
    );
}
