//! The Petrobras export end to end: a real tenant file with the spec's seed units and contract and
//! a few days of entries, plans and QDR (a day outside the bands, a missing entry, a rate changed
//! mid-month, a manual QDS); the workbook read back with calamine, and its "dados" sheet read
//! back with the importer.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use calamine::{Data, Range, Reader};
use common::d;
use jiff::civil::{Date, date};
use opsdeck::domain::gas::month::month;
use opsdeck::report::gas::{petrobras_file_name, write_data_csv, write_petrobras};
use opsdeck_import::gas::{COLUMNS, EntryRow, GasRow, read_csv, read_data_sheet};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::gas::{
    Contract, DailyEntry, DailyPlan, Equipment, EquipmentKind, GasUnit, ManualQds, QdrSource,
    RateChange, RateUnit, RealConsumption, day_key,
};
use rust_decimal::Decimal;

const SEED: Date = date(2020, 1, 1);

fn rate(from: Date, r: &str) -> RateChange {
    RateChange {
        from,
        rate: d(r),
        by: "admin".into(),
        at: jiff::Timestamp::UNIX_EPOCH,
        note: String::new(),
    }
}

fn eq(code: &str, name: &str, kind: EquipmentKind, order: u32, r: &str) -> Equipment {
    Equipment {
        code: code.into(),
        name: name.into(),
        kind,
        rate_unit: if kind == EquipmentKind::Atomizer {
            RateUnit::PerHour
        } else {
            RateUnit::PerDay
        },
        order,
        active: true,
        rates: vec![rate(SEED, r)],
    }
}

fn unit(code: &str, name: &str, equipment: Vec<Equipment>) -> GasUnit {
    GasUnit {
        code: code.into(),
        name: name.into(),
        active: true,
        equipment,
        meter: None,
    }
}

/// The three units of the spec's seed tables (section 9). Urussanga's atomizer goes from 955 to
/// 1,000 m³/h on 2026-11-15.
fn seed_units() -> Vec<GasUnit> {
    use EquipmentKind::*;
    let cri_lines = [
        "24000", "5500", "5500", "6500", "6500", "7000", "12500", "12500",
    ];
    let mut cri = vec![eq("ATM", "Atomizador", Atomizer, 0, "1350")];
    for (i, r) in cri_lines.iter().enumerate() {
        cri.push(eq(
            &format!("L{i}"),
            &format!("Linha {i}"),
            ProductionLine,
            i as u32 + 1,
            r,
        ));
    }
    let mut uru_atm = eq("ATM", "Atomizador", Atomizer, 0, "955");
    uru_atm.rates.push(rate(date(2026, 11, 15), "1000"));
    vec![
        unit("CRI", "Criciúma", cri),
        unit(
            "URU",
            "Urussanga",
            vec![
                uru_atm,
                eq("L1", "Linha 1", ProductionLine, 1, "13000"),
                eq("L2", "Linha 2", ProductionLine, 2, "23000"),
            ],
        ),
        unit(
            "BOT",
            "Botucatu",
            vec![
                eq("ATM250", "ATM 250", Atomizer, 0, "1300"),
                eq("ATM052", "ATM 052", Atomizer, 1, "435"),
                eq("L1", "Linha 1", ProductionLine, 2, "23000"),
                eq("L2", "Linha 2", ProductionLine, 3, "25500"),
                eq("SEC2", "Secador 2", Dryer, 4, "2750"),
            ],
        ),
    ]
}

fn default_contract() -> Contract {
    Contract {
        effective_from: date(2026, 1, 1),
        qdc_limit: d("134800"),
        transport_min: d("0.8"),
        transport_max: d("1.1"),
        molecule_min: d("0.95"),
        molecule_max: d("1.05"),
        incentive_bonus: d("1.2"),
        incentive_penalty: d("0.7"),
        note: "contrato padrão".into(),
    }
}

/// An entry as the import layout carries it, turned into the stored record.
fn entry(u: &str, day: Date, e: &EntryRow) -> DailyEntry {
    DailyEntry {
        unit: u.into(),
        date: day,
        atomizer_scheduled: e.atomizer_scheduled,
        atomizer_hours: e.atomizer_hours,
        secondary_scheduled: e.secondary_scheduled,
        secondary_hours: e.secondary_hours,
        lines: e.lines_on.iter().map(|c| (c.clone(), true)).collect(),
        observations: e.observations.clone(),
        qds_manual: e.qds_manual.map(|value| ManualQds {
            value,
            by: "bruno".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
        }),
    }
}

fn entry_row(hours: &str, lines: &[&str]) -> EntryRow {
    EntryRow {
        atomizer_scheduled: true,
        atomizer_hours: d(hours),
        secondary_scheduled: None,
        secondary_hours: None,
        lines_on: lines.iter().map(|s| s.to_string()).collect(),
        observations: String::new(),
        qds_manual: None,
    }
}

fn row(
    u: &str,
    day: Date,
    e: Option<EntryRow>,
    qdp: Option<&str>,
    qdr: Option<(&str, QdrSource)>,
) -> GasRow {
    GasRow {
        unit: u.into(),
        date: day,
        entry: e,
        qdp: qdp.map(d),
        qdr: qdr.map(|(v, s)| (d(v), s.as_str().to_owned())),
    }
}

/// What the test stores, in the import layout's terms (so it doubles as the expected read-back).
fn month_rows() -> Vec<GasRow> {
    use QdrSource::*;
    let cri = || entry_row("22.5", &["L0", "L3", "L6"]);
    let uru = || entry_row("20", &["L2"]);
    let bot = || EntryRow {
        secondary_scheduled: Some(true),
        secondary_hours: Some(d("6.5")),
        observations: "forno 2 parado, volta amanhã".into(),
        ..entry_row("20", &["L2", "SEC2"])
    };
    let (d2, d3, d4, d16) = (
        date(2026, 11, 2),
        date(2026, 11, 3),
        date(2026, 11, 4),
        date(2026, 11, 16),
    );
    vec![
        // Monday 2: plans equal QDS, QDR inside the molecule band.
        row(
            "CRI",
            d2,
            Some(cri()),
            Some("73375"),
            Some(("73000", Manual)),
        ),
        row("URU", d2, Some(uru()), Some("42100"), Some(("42000", Api))),
        row(
            "BOT",
            d2,
            Some(bot()),
            Some("57077.5"),
            Some(("57000", Import)),
        ),
        // Tuesday 3: plan below QDS (NOK) and QDR outside both bands.
        row(
            "CRI",
            d3,
            Some(cri()),
            Some("70000"),
            Some(("50000", Manual)),
        ),
        row("URU", d3, Some(uru()), Some("42100"), Some(("30000", Api))),
        row(
            "BOT",
            d3,
            Some(bot()),
            Some("57077.5"),
            Some(("40000", Api)),
        ),
        // Wednesday 4: Criciúma has a plan but no entry.
        row("CRI", d4, None, Some("73375"), None),
        row("URU", d4, Some(uru()), Some("42100"), Some(("42000", Api))),
        row(
            "BOT",
            d4,
            Some(bot()),
            Some("57077.5"),
            Some(("57000", Api)),
        ),
        // Monday 16: Urussanga's new rate; Botucatu's QDS set by hand; QDR in transport only.
        row(
            "URU",
            d16,
            Some(uru()),
            Some("43000"),
            Some(("40000", Manual)),
        ),
        row(
            "BOT",
            d16,
            Some(EntryRow {
                qds_manual: Some(d("50000")),
                ..entry_row("20", &[])
            }),
            Some("50000"),
            Some(("48000", Api)),
        ),
    ]
}

fn seeded_tenant(dir: &std::path::Path) -> Tenant {
    let tenant = Tenant::open("t", &dir.join("t.redb"), &[7; 32]).unwrap();
    tenant
        .write("test", |tx| {
            for u in seed_units() {
                tx.insert(&u.code.clone(), u)?;
            }
            tx.insert("2026-01-01", default_contract())?;
            for r in month_rows() {
                let key = day_key(&r.unit, r.date);
                if let Some(e) = &r.entry {
                    // Lines explicitly off are stored too; they must not show as on.
                    let mut stored = entry(&r.unit, r.date, e);
                    stored.lines.insert("L1".into(), false);
                    tx.insert(&key, stored)?;
                }
                if let Some(qdp) = r.qdp {
                    tx.insert(
                        &key,
                        DailyPlan {
                            unit: r.unit.clone(),
                            date: r.date,
                            qdp,
                            approved_by: None,
                            approved_at: None,
                        },
                    )?;
                }
                if let Some((qdr, source)) = &r.qdr {
                    tx.insert(
                        &key,
                        RealConsumption {
                            unit: r.unit.clone(),
                            date: r.date,
                            qdr: *qdr,
                            source: source.parse().unwrap(),
                        },
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
    tenant
}

fn cell(range: &Range<Data>, row: u32, col: u16) -> Data {
    range
        .get_value((row, u32::from(col)))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn text(range: &Range<Data>, row: u32, col: u16) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(range: &Range<Data>, row: u32, col: u16) -> Decimal {
    match cell(range, row, col) {
        Data::Float(f) => Decimal::from_str(&f.to_string()).unwrap(),
        Data::Int(i) => Decimal::from(i),
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

/// Sheet row of a day of November (headers take rows 0 and 1).
fn day_row(day: i8) -> u32 {
    1 + day as u32
}

#[test]
fn the_petrobras_workbook_has_the_report_and_the_data_that_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = seeded_tenant(dir.path());
    let m = month(&tenant, date(2026, 11, 20)).unwrap();
    let name = petrobras_file_name(m.first);
    assert_eq!(name, "RC_11_2026_Petrobras.xlsx");
    let path = dir.path().join(&name);
    write_petrobras(&m, &path).unwrap();

    let mut book = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(book.sheet_names(), ["RC 11-2026", "dados"]);
    let rc = book.worksheet_range("RC 11-2026").unwrap();

    // Units in Month::units order, three columns each, then the consolidated block.
    let codes: Vec<&str> = m.units.iter().map(|u| u.code.as_str()).collect();
    let col_of = |code: &str| 2 + 3 * codes.iter().position(|c| *c == code).unwrap() as u16;
    let base = 2 + 3 * codes.len() as u16;
    assert_eq!(text(&rc, 0, 0), "RC 11/2026");
    assert_eq!(text(&rc, 0, col_of("CRI")), "Criciúma (CRI)");
    assert_eq!(text(&rc, 0, col_of("BOT")), "Botucatu (BOT)");
    assert_eq!(text(&rc, 0, base), "Consolidado (m³/dia)");
    let header: Vec<String> = (0..base + 13).map(|c| text(&rc, 1, c)).collect();
    let mut expected = vec!["Data", "Dia"];
    for _ in &codes {
        expected.extend(["QDS", "QDP", "QDR"]);
    }
    expected.extend([
        "QDS",
        "QDP",
        "QDR",
        "QDC",
        "Transporte mín",
        "Transporte máx",
        "Molécula mín",
        "Molécula máx",
        "Δ transporte",
        "Δ molécula",
        "Status",
        "Faixa",
        "Observações",
    ]);
    assert_eq!(header, expected);
    let (status, band, notes) = (base + 10, base + 11, base + 12);

    // One row per day: a real date cell and the weekday in Portuguese.
    assert_eq!(m.days.len(), 30);
    match cell(&rc, day_row(2), 0) {
        Data::DateTime(dt) => {
            let (y, mo, da, ..) = dt.to_ymd_hms_milli();
            assert_eq!((y, mo, da), (2026, 11, 2));
        }
        other => panic!("the date is not a date cell: {other:?}"),
    }
    assert_eq!(text(&rc, day_row(2), 1), "segunda-feira");
    assert_eq!(text(&rc, day_row(1), 1), "domingo");

    // Monday 2, by hand. Criciúma: 22.5 h x 1,350 = 30,375 + L0 24,000 + L3 6,500 + L6 12,500.
    let r = day_row(2);
    assert_eq!(number(&rc, r, col_of("CRI")), d("73375"));
    // Urussanga at the old rate: 20 h x 955 + L2 23,000.
    assert_eq!(number(&rc, r, col_of("URU")), d("42100"));
    // Botucatu: 20 h x 1,300 + 6.5 h x 435 + L2 25,500 + Secador 2 2,750.
    assert_eq!(number(&rc, r, col_of("BOT")), d("57077.5"));
    assert_eq!(number(&rc, r, col_of("BOT") + 1), d("57077.5"));
    assert_eq!(number(&rc, r, col_of("BOT") + 2), d("57000"));
    assert_eq!(number(&rc, r, base), d("172552.5"));
    assert_eq!(number(&rc, r, base + 1), d("172552.5"));
    assert_eq!(number(&rc, r, base + 2), d("172000"));
    assert_eq!(number(&rc, r, base + 3), d("134800"));
    assert_eq!(number(&rc, r, base + 6), d("163924.875")); // molecule min, 95%
    assert_eq!(number(&rc, r, base + 8), Decimal::ZERO);
    assert_eq!(text(&rc, r, status), "OK");
    assert_eq!(text(&rc, r, band), "dentro");
    assert_eq!(text(&rc, r, notes), "");

    // Tuesday 3: QDP 169,177.5 differs from QDS; QDR 120,000 is below 80% (135,342).
    let r = day_row(3);
    assert_eq!(text(&rc, r, status), "NOK");
    assert_eq!(text(&rc, r, band), "fora");
    assert_eq!(number(&rc, r, base + 4), d("135342"));
    assert_eq!(number(&rc, r, base + 8), d("15342"));
    assert_eq!(number(&rc, r, base + 9), d("40718.625"));

    // Wednesday 4: Criciúma's QDS is empty and named; its plan still counts.
    let r = day_row(4);
    assert_eq!(cell(&rc, r, col_of("CRI")), Data::Empty);
    assert_eq!(number(&rc, r, col_of("CRI") + 1), d("73375"));
    assert_eq!(number(&rc, r, base), d("99177.5"));
    assert_eq!(text(&rc, r, notes), "faltando: CRI");
    assert_eq!(text(&rc, r, status), "NOK");

    // Monday 16: Urussanga at the new rate, 20 h x 1,000 + 23,000; Botucatu's manual QDS.
    let r = day_row(16);
    assert_eq!(number(&rc, r, col_of("URU")), d("43000"));
    assert_eq!(number(&rc, r, col_of("BOT")), d("50000"));
    assert_eq!(text(&rc, r, status), "OK");
    assert_eq!(text(&rc, r, band), "transporte");
    assert_eq!(text(&rc, r, notes), "faltando: CRI; BOT: QDS manual");

    // A day without anything: the QDC only, no status or band.
    let r = day_row(10);
    assert_eq!(cell(&rc, r, base), Data::Empty);
    assert_eq!(number(&rc, r, base + 3), d("134800"));
    assert_eq!(text(&rc, r, status), "");
    assert_eq!(text(&rc, r, band), "");
    assert_eq!(text(&rc, r, notes), "sem lançamentos");

    // The totals row: SUM formulas whose cached results are the month's totals.
    let t = day_row(30) + 1;
    assert_eq!(text(&rc, t, 0), "Total");
    let (qds, qdp, qdr) = m.totals();
    assert_eq!((qds, qdp, qdr), (d("537282.5"), d("607282.5"), d("479000")));
    assert_eq!(number(&rc, t, base), qds);
    assert_eq!(number(&rc, t, base + 1), qdp);
    assert_eq!(number(&rc, t, base + 2), qdr);
    assert_eq!(number(&rc, t, base + 3), d("4044000")); // 30 x 134,800
    assert_eq!(number(&rc, t, col_of("CRI")), d("146750"));
    assert_eq!(number(&rc, t, col_of("URU")), d("169300"));
    assert_eq!(
        text(&rc, t, notes),
        "dias OK: 2, NOK: 2; dentro: 1, transporte: 1, fora: 2"
    );
    let formulas = book.worksheet_formula("RC 11-2026").unwrap();
    let f = formulas
        .get_value((t, u32::from(base)))
        .cloned()
        .unwrap_or_default();
    assert!(f.contains("SUM("), "totals are formulas: {f:?}");

    // The data sheet has the import header and reads back as what was stored.
    let dados = book.worksheet_range("dados").unwrap();
    let header: Vec<String> = (0..COLUMNS.len() as u16)
        .map(|c| text(&dados, 0, c))
        .collect();
    assert_eq!(header, COLUMNS);
    let imported = read_data_sheet(&path).unwrap();
    assert!(imported.is_clean(), "{:?}", imported.errors);
    let rows: Vec<u64> = imported.records.iter().map(|(r, _)| *r).collect();
    assert_eq!(rows, (2..=12).collect::<Vec<u64>>());
    let by_key = |rows: Vec<GasRow>| -> BTreeMap<(String, Date), GasRow> {
        rows.into_iter()
            .map(|r| ((r.unit.clone(), r.date), r))
            .collect()
    };
    let want = by_key(month_rows());
    // Lines come back in each unit's form order (as listed in month_rows).
    let bot_lines = &want[&("BOT".to_owned(), date(2026, 11, 2))]
        .entry
        .as_ref()
        .unwrap()
        .lines_on;
    assert_eq!(bot_lines, &["L2", "SEC2"]);
    let got = by_key(imported.records.into_iter().map(|(_, r)| r).collect());
    assert_eq!(
        got.keys().collect::<BTreeSet<_>>(),
        want.keys().collect::<BTreeSet<_>>()
    );
    for (k, w) in &want {
        assert_eq!(&got[k], w, "row {k:?}");
    }

    // The same rows as CSV read back the same way.
    let mut csv = Vec::new();
    write_data_csv(&m, &mut csv).unwrap();
    let from_csv = read_csv("dados.csv", &csv);
    assert!(from_csv.is_clean(), "{:?}", from_csv.errors);
    assert_eq!(
        by_key(from_csv.records.into_iter().map(|(_, r)| r).collect()),
        got
    );
}

#[test]
fn a_broken_csv_in_the_same_layout_reports_each_bad_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gas.csv");
    let header = COLUMNS.join(",");
    let body = [
        "CRI,2026-11-02,S,22.5,,,L0 L3 L6,,,73375,73000,manual", // row 2: fine
        "CRI,2026-11-31,S,10,,,,,,,,",                           // row 3: no such day
        "URU,2026-11-02,S,25,,,L2,,,,,",                         // row 4: 25 hours
        "URU,2026-11-03,S,dez,,,L2,,,,,",                        // row 5: hours not a number
        "BOT,2026-11-02,X,20,,,,,,,,",                           // row 6: not S/N
        "CRI,2026-11-02,N,0,,,,,,,,",                            // row 7: duplicate of row 2
        "BOT,2026-11-03,N,0,,,,,,,5,medidor",                    // row 8: unknown source
    ];
    std::fs::write(&path, format!("{header}\n{}\n", body.join("\n"))).unwrap();
    let p = read_data_sheet(&path).unwrap();
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.records[0].0, 2);
    let got: Vec<(u64, Option<&str>)> = p
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("data")),
            (4, Some("horas_atomizador")),
            (5, Some("horas_atomizador")),
            (6, Some("atomizador_programado")),
            (7, None),
            (8, Some("fonte_qdr")),
        ]
    );
    let file = path.display().to_string();
    assert!(p.errors.iter().all(|e| e.file == file));
    assert_eq!(
        p.errors[1].to_string(),
        format!("{file}: row 4, column 'horas_atomizador': 25 hours is outside 0 to 24")
    );
    assert!(p.errors[4].reason.contains("row 2"));
}
