//! Layout snapshots of the Gas pane on ratatui's TestBackend: the day's entry, the month grid and
//! chart (one unit and consolidated), plans, the Petrobras preview, admin, the notification list,
//! at 80x24 up to 160x50, in both languages, with colour off and ASCII glyphs. The figures are
//! the RC spec's units (CRI, URU, BOT) and contract (QDC 134.800 m³/d, bands 80–110 % / 95–105 %).

use jiff::civil::{Date, date};
use opsdeck_views::i18n::Locale;
use opsdeck_views::render;
use opsdeck_views::state::gas::{
    ContractRow, EntryField, EntryForm, EntryValue, EquipmentRow, GasAdmin, GasBand, GasDayRow,
    GasMonth, GasPane, GasReport, GasRights, GasUnitTab, GasView, PlanRow, PlanSheet, QdsPreview,
    RateRow, ReportRow,
};
use opsdeck_views::state::{
    Form, FormField, ListView, NotificationRow, Notifications, Overlay, PaneId, Prompt, Shell,
};
use opsdeck_views::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use rust_decimal::Decimal;

const TODAY: Date = date(2026, 11, 23);

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn n(v: i64) -> Decimal {
    Decimal::from(v)
}

fn units() -> Vec<GasUnitTab> {
    [
        ("CRI", "Criciúma"),
        ("URU", "Urussanga"),
        ("BOT", "Botucatu"),
    ]
    .iter()
    .map(|(c, n)| GasUnitTab {
        code: (*c).into(),
        name: (*n).into(),
    })
    .collect()
}

fn shell(locale: Locale) -> Shell {
    let mut s = Shell::new(locale, Theme::default());
    s.pane = PaneId::Gas;
    s.status.tenant = "ceramica".into();
    s.status.tenant_display = "Cerâmica Sul".into();
    s.status.user = "ana".into();
    s.status.role = Some("operator".into());
    s.status.services = opsdeck_views::state::Runner::ThisConsole;
    s.status.clock = "23/11/2026 10:05 -03".into();
    s.gas = GasPane {
        units: units(),
        today: Some(TODAY),
        rights: GasRights {
            enter: true,
            enter_past: false,
            approve: true,
            configure: true,
        },
        loaded: true,
        ..GasPane::default()
    };
    s
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

fn assert_no_colour(t: &Terminal<TestBackend>) {
    for c in t.backend().buffer().content() {
        assert_eq!(c.fg, Color::Reset, "colour at {:?}", c.symbol());
        assert_eq!(c.bg, Color::Reset, "colour at {:?}", c.symbol());
    }
}

fn assert_ascii(t: &Terminal<TestBackend>, allowed: &str) {
    for c in t.backend().buffer().content() {
        assert!(
            c.symbol().is_ascii() || c.symbol().chars().all(|ch| allowed.contains(ch)),
            "non-ASCII glyph {:?}",
            c.symbol()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Entry

fn toggle(key: &str, label: &str, on: bool, rate: &str, contributes: Option<i64>) -> EntryField {
    EntryField {
        key: key.into(),
        label: label.into(),
        value: EntryValue::Toggle(on),
        rate: rate.into(),
        contributes: contributes.map(n),
        error: None,
    }
}

fn typed(key: &str, label: &str, text: &str, rate: &str, contributes: Option<i64>) -> EntryField {
    EntryField {
        key: key.into(),
        label: label.into(),
        value: EntryValue::Text(text.into()),
        rate: rate.into(),
        contributes: contributes.map(n),
        error: None,
    }
}

/// Criciúma on 23/11: atomizer 16 h (21.600 m³), lines L1, L3, L6 on (24.500 m³): QDS 46.100.
fn cri_entry() -> EntryForm {
    let lines = [
        ("L0", "24.000", false, 24_000),
        ("L1", "5.500", true, 5_500),
        ("L2", "5.500", false, 5_500),
        ("L3", "6.500", true, 6_500),
        ("L4", "6.500", false, 6_500),
        ("L5", "7.000", false, 7_000),
        ("L6", "12.500", true, 12_500),
        ("L7", "12.500", false, 12_500),
    ];
    let mut fields = vec![
        toggle(
            "atomizer_scheduled",
            "Atomizador programado",
            true,
            "",
            None,
        ),
        typed(
            "atomizer_hours",
            "Atomizador horas",
            "16",
            "1.350 m³/h",
            Some(21_600),
        ),
    ];
    for (code, rate, on, r) in lines {
        fields.push(toggle(
            &format!("lines.{code}"),
            &format!("Linha {}", &code[1..]),
            on,
            &format!("{rate} m³/d"),
            Some(if on { r } else { 0 }),
        ));
    }
    fields.push(typed(
        "observations",
        "Observações",
        "L0 parada para manutenção do forno",
        "",
        None,
    ));
    fields.push(typed("qds_manual", "QDS manual (opcional)", "", "", None));
    EntryForm {
        unit: units()[0].clone(),
        date: TODAY,
        today: true,
        fields,
        editing: false,
        focused: 0,
        qds: QdsPreview::Calculated {
            atomizers: n(21_600),
            lines: n(24_500),
            calculated: n(46_100),
            effective: n(46_100),
            manual: false,
        },
        entered: None,
        manual_by: None,
        qdp: Some(n(46_000)),
        qdr: Some(n(45_210)),
        band: Some(GasBand::Green),
        dirty: false,
        saving: false,
        message: None,
        confirm_discard: false,
        read_only: None,
    }
}

/// Editing the hours with a typo: the field shows its error and the QDS cannot be computed.
fn entry_with_error() -> EntryForm {
    let mut e = cri_entry();
    e.editing = true;
    e.dirty = true;
    e.focused = 1;
    e.fields[1].value = EntryValue::Text("16,x".into());
    e.fields[1].error = Some("não é um número: 16,x".into());
    for f in &mut e.fields {
        f.contributes = None;
    }
    e.qds = QdsPreview::Invalid("Atomizador horas: não é um número: 16,x".into());
    e
}

#[test]
fn entry_editing_with_an_inline_error_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.gas.entry = Some(entry_with_error());
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("não é um número: 16,x"));
    assert!(text.contains("16,x▏"), "cursor after the typed text");
}

#[test]
fn entry_editing_with_an_inline_error_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.gas.entry = Some(entry_with_error());
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

#[test]
fn entry_with_manual_qds_and_who_entered() {
    let mut s = shell(Locale::PtBr);
    let mut e = cri_entry();
    let last = e.fields.len() - 1;
    e.fields[last].value = EntryValue::Text("50.000".into());
    e.qds = QdsPreview::Calculated {
        atomizers: n(21_600),
        lines: n(24_500),
        calculated: n(46_100),
        effective: n(50_000),
        manual: true,
    };
    e.entered = Some("ana · 23/11/2026 10:02 -03".into());
    e.manual_by = Some("bruno · 23/11/2026 11:40 -03".into());
    s.gas.entry = Some(e);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("50.000 m³"));
    assert!(text.contains("(manual; calculado 46.100)"));
    assert!(text.contains("verde"), "band as a word");
}

#[test]
fn entry_of_botucatu_in_english_saving() {
    let mut s = shell(Locale::En);
    s.gas.unit = 2;
    let fields = vec![
        toggle("atomizer_scheduled", "ATM 250 scheduled", true, "", None),
        typed(
            "atomizer_hours",
            "ATM 250 hours",
            "20",
            "1,300 m³/h",
            Some(26_000),
        ),
        toggle("secondary_scheduled", "ATM 052 scheduled", false, "", None),
        typed("secondary_hours", "ATM 052 hours", "0", "435 m³/h", Some(0)),
        toggle("lines.SEC2", "Secador 2", true, "2,750 m³/d", Some(2_750)),
        toggle("lines.L1", "Linha 1", false, "23,000 m³/d", Some(0)),
        toggle("lines.L2", "Linha 2", true, "25,500 m³/d", Some(25_500)),
        typed("observations", "Observations", "", "", None),
        typed("qds_manual", "Manual QDS (optional)", "", "", None),
    ];
    s.gas.entry = Some(EntryForm {
        unit: units()[2].clone(),
        date: date(2026, 11, 20),
        today: false,
        fields,
        editing: true,
        focused: 6,
        qds: QdsPreview::Calculated {
            atomizers: n(26_000),
            lines: n(28_250),
            calculated: n(54_250),
            effective: n(54_250),
            manual: false,
        },
        entered: Some("lucas · 2026-11-20 17:55 -03".into()),
        manual_by: None,
        qdp: Some(n(52_000)),
        qdr: Some(n(55_900)),
        band: Some(GasBand::Yellow),
        dirty: true,
        saving: true,
        message: Some("changed by lucas at 18:02, reload?".into()),
        confirm_discard: false,
        read_only: None,
    });
    let t = draw(&s, 100, 30);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("Friday, 2026-11-20"));
    assert!(text.contains("saving…"));
    assert!(text.contains("yellow"));
}

#[test]
fn entry_read_only_asks_before_discarding() {
    let mut s = shell(Locale::PtBr);
    let mut e = cri_entry();
    e.date = date(2026, 11, 19);
    e.today = false;
    e.editing = true;
    e.dirty = true;
    e.confirm_discard = true;
    e.read_only = Some("dias passados exigem um supervisor".into());
    e.entered = Some("ana · 19/11/2026 09:12 -03".into());
    s.gas.entry = Some(e);
    let t = draw(&s, 80, 24);
    let text = screen(&t);
    assert!(text.contains("Descartar alterações? s/n"));
    assert!(text.contains("dias passados exigem um supervisor"));
    assert!(text.contains("quinta-feira, 19/11/2026"));
}

// ---------------------------------------------------------------------------------------------
// Month

/// A day's band figures as the app computes them from the default contract.
fn day(date: Date, qds: i64, qdp: i64, qdr: i64) -> GasDayRow {
    let (qds, qdp, qdr) = (n(qds), n(qdp), n(qdr));
    let t = (qdp * d("0.8"), qdp * d("1.1"));
    let m = (qdp * d("0.95"), qdp * d("1.05"));
    let outside = |(lo, hi): (Decimal, Decimal)| {
        if qdr < lo {
            lo - qdr
        } else if qdr > hi {
            qdr - hi
        } else {
            Decimal::ZERO
        }
    };
    let (dt, dm) = (outside(t), outside(m));
    let band = if !dt.is_zero() {
        GasBand::Red
    } else if !dm.is_zero() {
        GasBand::Yellow
    } else {
        GasBand::Green
    };
    GasDayRow {
        date,
        qds: Some(qds),
        qdp: Some(qdp),
        qdp_approved: true,
        qdr: Some(qdr),
        transport: Some(t),
        molecule: Some(m),
        delta_transport: Some(dt),
        delta_molecule: Some(dm),
        percent_transport: Some(dt / qdp),
        percent_molecule: Some(dm / qdp),
        band: Some(band),
        ..GasDayRow::default()
    }
}

/// A unit's real consumption of day `i`: close to the plan, off on the yellow and red days.
fn wobble(i: i64) -> i64 {
    [0, 310, -420, 150, -90, 260, -300, 80][(i % 8) as usize]
}

/// November 2026 of one unit around `base` m³/d: the entry of day `missing` not made, 9 a
/// manual QDS, 12 yellow, 17 red, every fourth day planned below the QDS, 20-23 and 28-30 plans
/// not approved, 24-30 to come (with plans).
fn unit_month(unit: usize, base: i64, missing: Option<i64>) -> GasMonth {
    let code = units()[unit].code.clone();
    let mut rows = Vec::new();
    for i in 1..=30i64 {
        let date = date(2026, 11, i as i8);
        let qds = base + (i % 5) * 350;
        let qdp = if i % 4 == 0 { (qds / 500) * 500 } else { qds };
        let qdr = match i {
            12 => qdp * 108 / 100,
            17 => qdp * 115 / 100,
            _ => qdp + wobble(i),
        };
        let mut r = day(date, qds, qdp, qdr);
        r.qdr_source = ["manual", "api", "import"][(i % 3) as usize].into();
        if Some(i) == missing {
            r = GasDayRow {
                date,
                missing: vec![code.clone()],
                qdp: Some(n(qdp)),
                qdp_approved: true,
                ..GasDayRow::default()
            };
        }
        if i == 9 {
            r.qds_manual = true;
        }
        if (20..=23).contains(&i) {
            r.qdp_approved = false;
        }
        if i > 23 {
            r = GasDayRow {
                date,
                future: true,
                qdp: Some(n(qdp)),
                qdp_approved: i <= 27,
                ..GasDayRow::default()
            };
        }
        rows.push(r);
    }
    totals(GasMonth {
        first: date(2026, 11, 1),
        unit: units().get(unit).cloned(),
        rows,
        ..GasMonth::default()
    })
}

fn totals(mut m: GasMonth) -> GasMonth {
    let past: Vec<&GasDayRow> = m.rows.iter().filter(|r| !r.future).collect();
    m.total_qds = past.iter().filter_map(|r| r.qds).sum();
    m.total_qdp = m.rows.iter().filter_map(|r| r.qdp).sum();
    m.total_qdr = past.iter().filter_map(|r| r.qdr).sum();
    m.days_missing = past.iter().filter(|r| !r.missing.is_empty()).count();
    m.days_yellow = past
        .iter()
        .filter(|r| r.band == Some(GasBand::Yellow))
        .count();
    m.days_red = past.iter().filter(|r| r.band == Some(GasBand::Red)).count();
    m
}

/// The three units summed, against the QDC; URU missing on the 5th, BOT's rate missing on the
/// 3rd (a problem), NOK where the plans do not match the QDS.
fn consolidated_month() -> GasMonth {
    let parts = [
        unit_month(0, 46_000, None),
        unit_month(1, 40_000, Some(5)),
        unit_month(2, 48_000, None),
    ];
    let mut rows = Vec::new();
    for i in 0..30 {
        let date = parts[0].rows[i].date;
        let sum = |f: fn(&GasDayRow) -> Option<Decimal>| -> Decimal {
            parts.iter().filter_map(|p| f(&p.rows[i])).sum()
        };
        if parts[0].rows[i].future {
            rows.push(GasDayRow {
                date,
                future: true,
                qdp: Some(sum(|r| r.qdp)),
                qdp_approved: parts.iter().all(|p| p.rows[i].qdp_approved),
                qdc: Some(n(134_800)),
                ..GasDayRow::default()
            });
            continue;
        }
        let qds = sum(|r| r.qds);
        let qdp = sum(|r| r.qdp);
        let qdr = sum(|r| r.qdr);
        let to_i = |v: Decimal| -> i64 { v.trunc().to_string().parse().unwrap_or(0) };
        let mut r = day(date, to_i(qds), to_i(qdp), to_i(qdr));
        r.qdc = Some(n(134_800));
        r.ok = Some(qdp == qds);
        r.qdp_approved = parts.iter().all(|p| p.rows[i].qdp_approved);
        if i == 4 {
            r.missing = vec!["URU".into()];
        }
        if i == 2 {
            r.problem = Some("BOT: ATM 052 sem taxa em 03/11/2026".into());
        }
        rows.push(r);
    }
    totals(GasMonth {
        first: date(2026, 11, 1),
        unit: None,
        rows,
        ..GasMonth::default()
    })
}

fn month_shell(locale: Locale, consolidated: bool, selected: usize) -> Shell {
    let mut s = shell(locale);
    s.gas.view = GasView::Month;
    if consolidated {
        s.gas.unit = 3;
        s.gas.month = Some(consolidated_month());
    } else {
        s.gas.month = Some(unit_month(0, 46_000, Some(5)));
    }
    s.gas.month_list = ListView {
        selected,
        filter: String::new(),
    };
    s
}

#[test]
fn month_of_one_unit_at_80x24() {
    let s = month_shell(Locale::PtBr, false, 11);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("falta"), "the missing day says so");
    // the band word is drawn in its colour
    let buf = t.backend().buffer();
    let yellow = buf
        .content()
        .iter()
        .any(|c| c.symbol() == "▲" && c.fg == Color::Yellow);
    assert!(yellow, "yellow band glyph in yellow");
}

#[test]
fn month_of_one_unit_at_120x40() {
    let s = month_shell(Locale::PtBr, false, 16);
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("vermelho"));
    assert!(text.contains("Gráfico"), "the chart beside the table");
}

#[test]
fn month_of_one_unit_at_160x50() {
    let s = month_shell(Locale::PtBr, false, 8);
    insta::assert_snapshot!(draw(&s, 160, 50).backend());
}

#[test]
fn month_consolidated_at_80x24() {
    let s = month_shell(Locale::PtBr, true, 4);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("falta URU"));
}

#[test]
fn month_consolidated_at_120x40() {
    let s = month_shell(Locale::PtBr, true, 16);
    insta::assert_snapshot!(draw(&s, 120, 40).backend());
}

#[test]
fn month_consolidated_at_160x50() {
    let s = month_shell(Locale::PtBr, true, 2);
    let t = draw(&s, 160, 50);
    insta::assert_snapshot!(t.backend());
    assert!(
        screen(&t).contains("sem taxa"),
        "the day's problem in the detail"
    );
}

#[test]
fn month_consolidated_ascii_no_color() {
    let mut s = month_shell(Locale::PtBr, true, 11);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    let t = draw(&s, 120, 40);
    assert_no_colour(&t);
    assert_ascii(&t, "áâãçéêíóôõúÁÉÍÓÚ·—…³Δ");
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(
        text.contains("R QDR"),
        "the chart's lines are told apart by letters"
    );
}

#[test]
fn month_in_english_at_120x40() {
    let s = month_shell(Locale::En, false, 16);
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("November 2026"));
    assert!(text.contains("missing"));
}

// ---------------------------------------------------------------------------------------------
// Plans

fn plans() -> PlanSheet {
    let rows = (1..=30i64)
        .map(|i| {
            let qds = 46_000 + (i % 5) * 350;
            PlanRow {
                date: date(2026, 11, i as i8),
                qdp: (i != 24 && i < 28).then(|| n((qds / 500) * 500)),
                qds: (i <= 23 && i != 5).then(|| n(qds)),
                approved: (i < 20).then(|| "bruno · 18/11/2026 17:40 -03".to_owned()),
            }
        })
        .collect();
    PlanSheet {
        first: date(2026, 11, 1),
        unit: Some(units()[0].clone()),
        rows,
        list: ListView {
            selected: 23,
            filter: String::new(),
        },
        input: Some("47500".into()),
        error: None,
    }
}

#[test]
fn plans_with_the_input_open_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Plans;
    s.gas.plans = Some(plans());
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("47500▏"));
    assert!(text.contains("pendente"));
}

#[test]
fn plans_with_an_error_in_english_at_120x40() {
    let mut s = shell(Locale::En);
    s.gas.view = GasView::Plans;
    let mut p = plans();
    p.input = Some("47.5x".into());
    p.error = Some("not a number: 47.5x".into());
    s.gas.plans = Some(p);
    s.gas.rights.approve = false;
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("not a number: 47.5x"));
}

// ---------------------------------------------------------------------------------------------
// Report

fn report() -> GasReport {
    let parts = [
        unit_month(0, 46_000, None),
        unit_month(1, 40_000, Some(5)),
        unit_month(2, 48_000, None),
    ];
    let cons = consolidated_month();
    let rows: Vec<ReportRow> = cons
        .rows
        .iter()
        .enumerate()
        .map(|(i, day)| ReportRow {
            date: day.date,
            units: parts
                .iter()
                .map(|p| {
                    let r = &p.rows[i];
                    (r.qds, r.qdp, r.qdr)
                })
                .collect(),
            day: day.clone(),
        })
        .collect();
    let sum = |f: &dyn Fn(&ReportRow) -> Option<Decimal>| -> Option<Decimal> {
        Some(rows.iter().filter_map(f).sum())
    };
    let totals = ReportRow {
        date: date(2026, 11, 1),
        units: (0..3)
            .map(|u| {
                (
                    sum(&|r| r.units[u].0),
                    sum(&|r| r.units[u].1),
                    sum(&|r| r.units[u].2),
                )
            })
            .collect(),
        day: GasDayRow {
            qds: sum(&|r| r.day.qds.filter(|_| !r.day.future)),
            qdp: sum(&|r| r.day.qdp),
            qdr: sum(&|r| r.day.qdr),
            qdc: sum(&|r| r.day.qdc.filter(|_| !r.day.future)),
            delta_transport: sum(&|r| r.day.delta_transport),
            delta_molecule: sum(&|r| r.day.delta_molecule),
            ..GasDayRow::default()
        },
    };
    GasReport {
        first: date(2026, 11, 1),
        rows,
        list: ListView {
            selected: 16,
            filter: String::new(),
        },
        file_name: "RC_11_2026_Petrobras.xlsx".into(),
        written: Some("/home/ana/RC_11_2026_Petrobras.xlsx".into()),
        column: 0,
        totals: Some(totals),
    }
}

#[test]
fn report_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Report;
    s.gas.unit = 3;
    s.gas.report = Some(report());
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    assert!(screen(&t).contains("gravado em /home/ana/RC_11_2026_Petrobras.xlsx"));
}

#[test]
fn report_scrolled_to_the_status_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Report;
    s.gas.unit = 3;
    let mut r = report();
    r.column = 5;
    r.written = None;
    s.gas.report = Some(r);
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("NOK") || text.contains("OK"));
}

#[test]
fn report_at_160x50() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Report;
    s.gas.unit = 3;
    s.gas.report = Some(report());
    insta::assert_snapshot!(draw(&s, 160, 50).backend());
}

// ---------------------------------------------------------------------------------------------
// Admin

fn rate(from: Date, rate: &str, set: &str, note: &str) -> RateRow {
    RateRow {
        from,
        rate: rate.into(),
        set: set.into(),
        note: note.into(),
    }
}

fn equipment(unit: &str, code: &str, name: &str, kind: &str, r: &str) -> EquipmentRow {
    EquipmentRow {
        unit: unit.into(),
        code: code.into(),
        name: name.into(),
        kind: kind.into(),
        rate: r.into(),
        active: true,
        history: vec![rate(
            date(2026, 1, 1),
            r,
            "admin · 01/01/2026 08:00 -03",
            "carga inicial (especificação RC)",
        )],
    }
}

fn admin() -> GasAdmin {
    let mut eq = vec![equipment(
        "CRI",
        "ATM",
        "Atomizador",
        "atomizador",
        "1.400 m³/h",
    )];
    eq[0].history.push(rate(
        date(2026, 6, 1),
        "1.380 m³/h",
        "carla · 28/05/2026 14:10 -03",
        "bicos trocados",
    ));
    eq[0].history.push(rate(
        date(2026, 11, 15),
        "1.400 m³/h",
        "carla · 14/11/2026 09:30 -03",
        "medição de outubro",
    ));
    eq[0].history.push(rate(
        date(2026, 12, 1),
        "1.420 m³/h",
        "carla · 20/11/2026 16:00 -03",
        "nova curva do queimador a partir de dezembro",
    ));
    for (c, r) in [
        ("L0", "24.000"),
        ("L1", "5.500"),
        ("L2", "5.500"),
        ("L3", "6.500"),
        ("L4", "6.500"),
        ("L5", "7.000"),
        ("L6", "12.500"),
        ("L7", "12.500"),
    ] {
        eq.push(equipment(
            "CRI",
            c,
            &format!("Linha {}", &c[1..]),
            "linha",
            &format!("{r} m³/d"),
        ));
    }
    eq.push(equipment(
        "URU",
        "ATM",
        "Atomizador",
        "atomizador",
        "955 m³/h",
    ));
    eq.push(equipment("URU", "L1", "Linha 1", "linha", "13.000 m³/d"));
    eq.push(equipment("URU", "L2", "Linha 2", "linha", "23.000 m³/d"));
    eq.push(equipment(
        "BOT",
        "ATM250",
        "ATM 250",
        "atomizador",
        "1.300 m³/h",
    ));
    eq.push(equipment(
        "BOT",
        "ATM052",
        "ATM 052",
        "atomizador",
        "435 m³/h",
    ));
    eq.push(equipment(
        "BOT",
        "SEC2",
        "Secador 2",
        "secador",
        "2.750 m³/d",
    ));
    eq.push(equipment("BOT", "L1", "Linha 1", "linha", "23.000 m³/d"));
    let mut l2 = equipment("BOT", "L2", "Linha 2", "linha", "25.500 m³/d");
    l2.active = false;
    eq.push(l2);
    GasAdmin {
        equipment: eq,
        contracts: vec![
            ContractRow {
                from: date(2026, 1, 1),
                qdc: n(134_800),
                transport: (d("0.8"), d("1.1")),
                molecule: (d("0.95"), d("1.05")),
                bonus: d("1.2"),
                penalty: d("0.7"),
                note: "contrato padrão".into(),
                current: true,
            },
            ContractRow {
                from: date(2027, 1, 1),
                qdc: n(140_000),
                transport: (d("0.8"), d("1.1")),
                molecule: (d("0.975"), d("1.025")),
                bonus: d("1.2"),
                penalty: d("0.7"),
                note: "aditivo 2027".into(),
                current: false,
            },
        ],
        list: ListView::default(),
    }
}

#[test]
fn admin_with_a_rate_history_at_120x40() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Admin;
    s.gas.admin = Some(admin());
    let t = draw(&s, 120, 40);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("nova curva do queimador"));
    assert!(text.contains("vigente"));
}

#[test]
fn admin_contract_at_80x24_without_rights() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Admin;
    let mut a = admin();
    a.list.selected = a.equipment.len() + 1;
    s.gas.admin = Some(a);
    s.gas.rights.configure = false;
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("exige um administrador"));
    assert!(text.contains("97,5 %"));
}

#[test]
fn rate_form_over_admin_at_80x24() {
    let mut s = shell(Locale::PtBr);
    s.gas.view = GasView::Admin;
    s.gas.admin = Some(admin());
    let field = |key: &'static str, label: &str, value: &str| FormField {
        key,
        label: label.into(),
        value: value.into(),
        choices: Vec::new(),
        error: None,
    };
    let mut fields = vec![
        field("from", "A partir de", "01/12/2026"),
        field("rate", "Taxa (m³/h)", "1.42o"),
        field("note", "Nota", "nova curva do queimador"),
    ];
    fields[1].error = Some("não é um número: 1.42o".into());
    s.gas.form = Some(Form {
        title: "Nova taxa · CRI ATM Atomizador".into(),
        fields,
        focused: 1,
        message: None,
        confirm_discard: false,
    });
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn export_prompt_over_the_report() {
    let mut s = shell(Locale::En);
    s.gas.view = GasView::Report;
    s.gas.report = Some(report());
    s.gas.prompt = Some(Prompt {
        title: "Export RC_11_2026_Petrobras.xlsx to".into(),
        input: "/home/ana/relatorios".into(),
        error: Some("no such directory".into()),
    });
    let text = screen(&draw(&s, 80, 24));
    assert!(text.contains("/home/ana/relatorios"));
    assert!(text.contains("no such directory"));
}

// ---------------------------------------------------------------------------------------------
// Notifications, empty states

fn notifications() -> Notifications {
    Notifications {
        rows: vec![
            NotificationRow {
                id: 7,
                at: "23/11/2026 18:00".into(),
                subject: "Entrada diária pendente - Urussanga - 23/11/2026".into(),
                body: "A entrada diária de consumo de gás para a unidade Urussanga ainda não \
                       foi registrada para o dia 23/11/2026. Dados necessários: status do \
                       atomizador, horas de funcionamento, status das linhas de produção."
                    .into(),
                read: false,
                email: "e-mail: ana@ceramica.example".into(),
            },
            NotificationRow {
                id: 6,
                at: "22/11/2026 20:00".into(),
                subject: "Escalonamento: Criciúma sem entrada em 22/11/2026".into(),
                body: "Criciúma continua sem lançamento do dia 22/11/2026 duas horas após o \
                       aviso ao operador."
                    .into(),
                read: false,
                email: "e-mail failed: connection refused (smtp.ceramica.example:587)".into(),
            },
            NotificationRow {
                id: 3,
                at: "18/11/2026 18:00".into(),
                subject: "Entrada diária pendente - Botucatu - 18/11/2026".into(),
                body: "Resolvida: lançada por lucas às 18:40.".into(),
                read: true,
                email: String::new(),
            },
        ],
        list: ListView::default(),
        loaded: true,
    }
}

#[test]
fn notifications_over_the_entry() {
    let mut s = shell(Locale::PtBr);
    s.gas.entry = Some(cri_entry());
    s.status.unread = 2;
    s.overlay = Some(Overlay::Notifications(notifications()));
    let t = draw(&s, 80, 24);
    insta::assert_snapshot!(t.backend());
    let text = screen(&t);
    assert!(text.contains("✉ 2"), "unread badge in the status bar");
    assert!(text.contains("Enter marcar como lida"));
}

#[test]
fn notifications_empty_in_english_ascii() {
    let mut s = shell(Locale::En);
    s.theme = Theme {
        color: false,
        ascii: true,
    };
    s.status.unread = 1;
    s.overlay = Some(Overlay::Notifications(Notifications {
        loaded: true,
        ..Notifications::default()
    }));
    let t = draw(&s, 80, 24);
    assert_no_colour(&t);
    assert_ascii(&t, "·—…");
    let text = screen(&t);
    assert!(text.contains("No notifications"));
    assert!(text.contains("N:1"));
}

#[test]
fn no_units_configured() {
    let mut s = shell(Locale::PtBr);
    s.gas.units.clear();
    insta::assert_snapshot!(draw(&s, 80, 24).backend());
}

#[test]
fn entry_loading() {
    let mut s = shell(Locale::En);
    s.gas.loaded = false;
    assert!(screen(&draw(&s, 80, 24)).contains("loading…"));
}

// ---------------------------------------------------------------------------------------------
// Robustness

fn every_view() -> [GasView; 5] {
    [
        GasView::Entry,
        GasView::Month,
        GasView::Plans,
        GasView::Report,
        GasView::Admin,
    ]
}

/// Every view, empty and full, with selections and the scroll past the end, in both themes and
/// languages, at the smallest size, one past it, and a large one: nothing panics.
#[test]
fn every_view_renders_at_any_size_without_panicking() {
    let sizes = [(80, 24), (81, 25), (200, 60)];
    for locale in [Locale::PtBr, Locale::En] {
        for theme in [
            Theme::default(),
            Theme {
                color: false,
                ascii: true,
            },
        ] {
            for view in every_view() {
                let mut empty = Shell::new(locale, theme);
                empty.pane = PaneId::Gas;
                empty.gas.view = view;
                empty.gas.unit = 7;
                empty.gas.month_list.selected = 99;

                let mut loaded_empty = empty.clone();
                loaded_empty.gas.loaded = true;
                loaded_empty.gas.units = units();
                loaded_empty.gas.month = Some(GasMonth::default());
                loaded_empty.gas.plans = Some(PlanSheet::default());
                loaded_empty.gas.report = Some(GasReport {
                    column: 40,
                    ..GasReport::default()
                });
                loaded_empty.gas.admin = Some(GasAdmin::default());
                loaded_empty.gas.entry = Some(EntryForm {
                    fields: Vec::new(),
                    focused: 5,
                    ..cri_entry()
                });
                loaded_empty.overlay = Some(Overlay::Notifications(Notifications::default()));

                let mut full = shell(locale);
                full.theme = theme;
                full.gas.view = view;
                full.gas.unit = 3;
                full.gas.entry = Some(EntryForm {
                    focused: 99,
                    ..entry_with_error()
                });
                full.gas.month = Some(consolidated_month());
                full.gas.month_list.selected = 99;
                let mut p = plans();
                p.list.selected = 99;
                full.gas.plans = Some(p);
                let mut r = report();
                r.column = 99;
                r.list.selected = 99;
                full.gas.report = Some(r);
                let mut a = admin();
                a.list.selected = 99;
                full.gas.admin = Some(a);
                let mut n = notifications();
                n.list.selected = 99;
                full.overlay = Some(Overlay::Notifications(n));
                full.status.unread = 12;

                for s in [&empty, &loaded_empty, &full] {
                    for (w, h) in sizes {
                        draw(s, w, h);
                    }
                }
                let mut no_overlay = full.clone();
                no_overlay.overlay = None;
                for (w, h) in sizes {
                    draw(&no_overlay, w, h);
                }
            }
        }
    }
}
