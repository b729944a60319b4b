//! Layout snapshots of the Ledger pane on ratatui's TestBackend: the period grid with its tree,
//! the category panel and the year's chart, the entries of a cell, the close-readiness view and
//! the posting form refused for a closed month, at 80x24 and 120x40, in both languages, with
//! colour off and ASCII glyphs. The figures are the demo hospital's chilled-water plant.

use std::collections::BTreeSet;

use opsdeck_storage::records::ledger::{Figures, Grid, GridRow, Month};
use opsdeck_views::i18n::Locale;
use opsdeck_views::render;
use opsdeck_views::state::ledger::{
    Chart, EntryRow, LedgerPane, LedgerView, PeriodSize, Readiness,
};
use opsdeck_views::state::{Form, FormField, ListView, PaneId, Shell};
use opsdeck_views::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn f(planned: &str, committed: &str, realized: &str, savings: &str) -> Figures {
    Figures {
        planned: d(planned),
        committed: d(committed),
        realized: d(realized),
        savings: d(savings),
        entries: 3,
    }
}

fn sum(cells: &[Figures]) -> Figures {
    let mut t = Figures::default();
    for c in cells {
        t.add(c);
    }
    t
}

fn row(
    code: &str,
    name: &str,
    depth: usize,
    parent: Option<&str>,
    kids: bool,
    cells: Vec<Figures>,
) -> GridRow {
    GridRow {
        code: code.into(),
        name: name.into(),
        depth,
        parent: parent.map(str::to_owned),
        has_children: kids,
        total: sum(&cells),
        cells,
    }
}

/// November: the plant over its budget (energy and the chiller 2 invoice), the wards under.
fn grid() -> Grid {
    let z = Figures::default();
    let cag = vec![
        f("1500", "0", "382.50", "0"),
        f("2400", "0", "255", "0"),
        f("3200", "1000", "2380", "0"),
        f("103000", "0", "114330", "0"),
        z,
    ];
    let crit = vec![
        f("1300", "0", "1210", "0"),
        f("2900", "200", "1655.33", "0"),
        f("900", "0", "980", "980"),
        z,
        z,
    ];
    let int = vec![
        f("2900", "0", "1530", "0"),
        f("2600", "0", "1120.66", "0"),
        f("1800", "0", "728", "0"),
        z,
        z,
    ];
    let hsc: Vec<Figures> = (0..5).map(|i| sum(&[cag[i], crit[i], int[i]])).collect();
    let rows = vec![
        row("HSC", "Hospital Santa Clara", 0, None, true, hsc.clone()),
        row(
            "HSC-CAG",
            "Central de água gelada",
            1,
            Some("HSC"),
            false,
            cag,
        ),
        row(
            "HSC-CRIT",
            "Áreas críticas (UTI, CC, PS)",
            1,
            Some("HSC"),
            false,
            crit,
        ),
        row("HSC-INT", "Internação e apoio", 1, Some("HSC"), false, int),
    ];
    Grid {
        from: Month::new(2026, 11),
        to: Month::new(2026, 11),
        categories: vec![
            ("labor".into(), "Mão de obra".into()),
            ("parts".into(), "Peças e materiais".into()),
            ("services".into(), "Serviços contratados".into()),
            ("energy".into(), "Energia elétrica".into()),
            ("other".into(), "Outros".into()),
        ],
        total: sum(&hsc),
        totals: hsc,
        rows,
    }
}

fn chart() -> Chart {
    let months: Vec<(Month, Figures)> = (1..=12)
        .map(|m| {
            let planned = 110_000 + (m as i64 % 5) * 4_000;
            let realized = if m <= 11 {
                planned + (m as i64 % 3) * 3_000
            } else {
                0
            };
            (
                Month::new(2026, m),
                Figures {
                    planned: Decimal::from(planned),
                    committed: if m == 12 {
                        Decimal::from(300)
                    } else {
                        Decimal::ZERO
                    },
                    realized: Decimal::from(realized),
                    savings: Decimal::ZERO,
                    entries: 10,
                },
            )
        })
        .collect();
    Chart {
        year: 2026,
        planned_year: months.iter().map(|(_, f)| f.planned).sum(),
        projected_year: d("1416000"),
        through: Some(Month::new(2026, 11)),
        months,
    }
}

fn shell(locale: Locale) -> Shell {
    let mut s = Shell::new(locale, Theme::default());
    s.pane = PaneId::Ledger;
    s.status.tenant = "hospital".into();
    s.status.tenant_display = "Hospital Santa Clara".into();
    s.status.user = "carla.mendes".into();
    s.status.role = Some("finance".into());
    s.status.services = opsdeck_views::state::Runner::ThisConsole;
    s.status.clock = "07/12/2026 10:05 -03".into();
    s.ledger = LedgerPane {
        view: LedgerView::Grid,
        size: PeriodSize::Month,
        anchor: Some(Month::new(2026, 11)),
        grid: Some(grid()),
        closed: vec![Month::new(2026, 10)],
        collapsed: BTreeSet::new(),
        list: ListView {
            selected: 1,
            filter: String::new(),
        },
        column: 3,
        chart: chart(),
        ..LedgerPane::default()
    };
    s
}

fn entries() -> Vec<EntryRow> {
    let e =
        |phase: &str, amount: &str, description: &str, late: Option<Month>, order: Option<u64>| {
            EntryRow {
                key: format!("202611|HSC-CAG|services|{:09}", amount.len()),
                date: "18/11/2026".into(),
                month: Month::new(2026, 11),
                cost_center: "HSC-CAG".into(),
                category: "services".into(),
                phase: phase.into(),
                amount: d(amount),
                source: "wo:122:estimate".into(),
                description: description.into(),
                reason: String::new(),
                original_month: late,
                by: "bruno.lima".into(),
                order,
            }
        };
    vec![
        e(
            "commit",
            "1000",
            "OS 122 · estimativa: Chiller 2 — compressor do circuito A",
            None,
            Some(122),
        ),
        e(
            "consume",
            "382.50",
            "OS 122 · bruno.lima 4.5 h × 85/h (de wo:122:estimate)",
            None,
            Some(122),
        ),
        e(
            "release",
            "362.50",
            "OS 122 concluída: saldo da estimativa liberado",
            None,
            Some(122),
        ),
        e(
            "adjust",
            "2380",
            "NF complementar Refrigeração Sul: recolhimento e carga de R-134a",
            Some(Month::new(2026, 10)),
            None,
        ),
    ]
}

fn draw(shell: &Shell, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| render(f, shell)).expect("draw");
    t
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn grid_with_tree_categories_and_chart_at_120x40() {
    let s = shell(Locale::PtBr);
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("novembro de 2026 (mês)"), "{text}");
    assert!(
        text.contains("Comprometido"),
        "full headers when wide:\n{text}"
    );
    assert!(
        text.contains("▸Serviços"),
        "the picked category is marked:\n{text}"
    );
    assert!(
        text.contains("projeção no ritmo atual: R$ 1.416.000"),
        "{text}"
    );
}

#[test]
fn grid_at_80x24_keeps_every_figure_column() {
    let s = shell(Locale::PtBr);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    for h in [
        "Planej.", "Comprom.", "Realiz.", "Savings", "Dispon.", "Usado",
    ] {
        assert!(text.contains(h), "{h} missing at 80 columns:\n{text}");
    }
    assert!(
        text.contains("-11.330") || text.contains("-8.755"),
        "the plant over budget:\n{text}"
    );
}

#[test]
fn collapsed_parent_hides_its_children_in_english() {
    let mut s = shell(Locale::En);
    s.ledger.collapsed.insert("HSC".into());
    s.ledger.list.selected = 0;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("▸ HSC Hospital Santa Clara"), "{text}");
    assert!(!text.contains("HSC-CAG Central"), "{text}");
    assert!(text.contains("November 2026 (month)"), "{text}");
}

#[test]
fn entries_of_a_cell_with_a_late_adjustment() {
    let mut s = shell(Locale::PtBr);
    s.ledger.view = LedgerView::Entries;
    s.ledger.entries = entries();
    s.ledger.entries_title = "HSC-CAG · services · novembro de 2026".into();
    s.ledger.entries_list.selected = 3;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(
        text.contains("ajuste") && text.contains("referente a outubro de 2026"),
        "{text}"
    );
    assert!(
        text.contains("liberação") && text.contains("R$ 362,50"),
        "{text}"
    );
}

#[test]
fn readiness_with_open_issues_and_a_closed_month() {
    let mut s = shell(Locale::PtBr);
    s.ledger.view = LedgerView::Readiness;
    s.ledger.readiness = Readiness {
        month: Some(Month::new(2026, 11)),
        issues: vec![
            "OS 131 concluída sem custo lançado (Split do CPD com ruído)".into(),
            "compromisso wo:127:estimate de novembro de 2026 ainda pendente: R$ 100,00".into(),
        ],
        closed: None,
    };
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("2 pendências"));
    s.ledger.readiness = Readiness {
        month: Some(Month::new(2026, 10)),
        issues: Vec::new(),
        closed: Some("carla.mendes · 05/11/2026 17:00 -03 · sha256 864e49a45d5c…".into()),
    };
    let text = screen(&draw(&s, 80, 24));
    assert!(
        text.contains("sha256 864e49a45d5c") && text.contains("pronto para fechar"),
        "{text}"
    );
}

#[test]
fn posting_form_refused_for_a_closed_month() {
    let mut s = shell(Locale::PtBr);
    let mut date = FormField::text("date", "Data", "15/10/2026");
    date.error = Some(
        "2026-10 está fechado: nada é lançado num mês fechado; lance um ajuste (tipo ajuste, com o motivo): ele entra em 2026-11 indicando 2026-10"
            .into(),
    );
    s.ledger.form = Some(Form {
        title: "Novo lançamento".into(),
        fields: vec![
            FormField::choice(
                "phase",
                "Tipo",
                "realizado",
                vec!["realizado".into(), "ajuste".into()],
            ),
            date,
            FormField::text("cost_center", "Centro de custo", "HSC-CAG"),
            FormField::choice("category", "Categoria", "services", vec!["services".into()]),
            FormField::text("amount", "Valor (R$)", "350"),
            FormField::text("description", "Descrição", "Visita técnica extra"),
            FormField::text("reason", "Motivo", ""),
        ],
        focused: 1,
        message: None,
        confirm_discard: false,
    });
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("um ajuste (tipo ajuste, com o motivo)"));
}

#[test]
fn no_colour_and_ascii_glyphs() {
    let mut s = shell(Locale::PtBr);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    let t = draw(&s, 120, 40);
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, Color::Reset, "colour at {:?}", c.symbol());
        assert!(
            c.symbol().is_ascii()
                || c.symbol()
                    .chars()
                    .all(|ch| "·—×çãõáéíóúâêôàÁÉÍÓÚÇÃÕÂÊÔ".contains(ch)),
            "non-ASCII glyph {:?}",
            c.symbol()
        );
    }
    let text = screen(&t);
    assert!(text.contains("- HSC Hospital"), "{text}");
    assert!(text.contains("#"), "ASCII bars:\n{text}");
}
