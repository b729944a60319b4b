//! `opsdeck wo export` end to end: a month of maintenance history written through the real
//! services (backdated with `Tenant::as_of`): orders opened, parts issued, labor and services
//! booked, downtime, some closed, one cancelled, one still open and late, one in the next month.
//! The workbook read back with calamine (cells, money as numbers, totals, the cost sheet equal
//! to `kpi::cost_per_asset` and `kpi::reliability`), the CSV files read back with the csv crate,
//! an empty tenant (headers only), the filter, the audit entry, and the command line.

mod common;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use calamine::{Data, Range, Reader};
use common::cli::{opsdeck, stdout_of};
use common::d;
use jiff::civil::{DateTime, date};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use opsdeck::domain::cmms::inventory::{self, ItemInput};
use opsdeck::domain::cmms::kpi;
use opsdeck::domain::cmms::work_orders::{self as wo, Filter, LaborInput, NewOrder, OrderRef};
use opsdeck::domain::users;
use opsdeck::report::cmms::{ExportFormat, WoExport, export};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_storage::records::user::Role;
use opsdeck_storage::records::work_order::{
    ItemKind, ItemResult, Procedure, ProcedureItem, WoKind, WorkOrder,
};
use predicates::prelude::*;
use rust_decimal::Decimal;

fn tz() -> TimeZone {
    TimeZone::get("America/Sao_Paulo").unwrap()
}

/// "2026-10-03T08:00" in São Paulo.
fn at(s: &str) -> Timestamp {
    DateTime::from_str(s)
        .unwrap()
        .to_zoned(tz())
        .unwrap()
        .timestamp()
}

fn asset(tag: &str, name: &str, area: &str) -> Asset {
    Asset {
        tag: tag.into(),
        name: name.into(),
        kind: "chiller".into(),
        site: "Hospital Central".into(),
        area: area.into(),
        location: String::new(),
        make: String::new(),
        model: String::new(),
        serial: String::new(),
        installed: None,
        criticality: Criticality::Critical,
        sensors: vec![],
        active: true,
        notes: String::new(),
    }
}

/// ana admin, dora finance; assets CH-01 and AHU-02, procedure PMOC-SPLIT (3 items), item
/// FLT-G4 (10 un at R$ 45.50), all on 2026-09-30.
fn tenant(dir: &Path, name: &str) -> Tenant {
    let t = Tenant::open(name, &dir.join(format!("{name}.redb")), &[5; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "dora", Role::Finance, "Dora").unwrap();
    t
}

fn seeded(dir: &Path) -> Tenant {
    let t = tenant(dir, "hospital");
    let early = t.as_of(at("2026-09-30T08:00"));
    early
        .write("ana", |tx| {
            tx.insert("CH-01", asset("CH-01", "Chiller 1", "Casa de máquinas"))?;
            tx.insert("AHU-02", asset("AHU-02", "Fancoil UTI", "Cobertura"))?;
            let item = |text: &str, kind| ProcedureItem {
                text: text.into(),
                kind,
                required: true,
            };
            tx.insert(
                "PMOC-SPLIT",
                Procedure {
                    code: "PMOC-SPLIT".into(),
                    name: "PMOC mensal".into(),
                    items: vec![
                        item("Limpar filtros", ItemKind::PassFail),
                        item("Corrente", ItemKind::Value { unit: "A".into() }),
                        ProcedureItem {
                            required: false,
                            ..item("Dreno", ItemKind::PassFail)
                        },
                    ],
                },
            )?;
            Ok(())
        })
        .unwrap();
    inventory::save_item(
        &early,
        "ana",
        ItemInput {
            code: "FLT-G4".into(),
            name: "Filtro G4".into(),
            unit: "un".into(),
            unit_cost: d("45.50"),
            min_stock: d("2"),
        },
        None,
    )
    .unwrap();
    inventory::receive(
        &early,
        "ana",
        "FLT-G4",
        "Almoxarifado",
        d("10"),
        None,
        "NF 1",
    )
    .unwrap();
    drop(early);
    history(&t);
    t
}

/// Opens an order at `when` (local time); returns its id.
fn open(t: &Tenant, when: &str, title: &str, kind: WoKind, asset: Option<&str>) -> u64 {
    let mut new = NewOrder::new(title, kind);
    new.asset = asset.map(str::to_owned);
    if kind == WoKind::Preventive {
        new.procedure = Some("PMOC-SPLIT".into());
    }
    wo::open_order(&t.as_of(at(when)), "ana", new)
        .unwrap()
        .value
        .id
}

fn labor(t: &Tenant, when: &str, id: u64, hours: &str, rate: &str) {
    let l = LaborInput {
        technician: "João".into(),
        hours: d(hours),
        rate: d(rate),
        note: String::new(),
    };
    wo::add_labor(&t.as_of(at(when)), "ana", OrderRef::now(id), l).unwrap();
}

fn start(t: &Tenant, when: &str, id: u64) {
    wo::start(&t.as_of(at(when)), "ana", OrderRef::now(id)).unwrap();
}

fn done(t: &Tenant, when: &str, id: u64) {
    wo::complete(&t.as_of(at(when)), "ana", OrderRef::now(id), "", false).unwrap();
}

fn down(t: &Tenant, id: u64, from: &str, to: &str) {
    wo::asset_down(&t.as_of(at(from)), "ana", OrderRef::now(id), at(from)).unwrap();
    wo::asset_up(&t.as_of(at(to)), "ana", OrderRef::now(id), at(to)).unwrap();
}

/// October 2026 (and one order in November):
/// 1. corrective CH-01, 03/10 08:00: 2 × FLT-G4 (91.00) + 3 h × 85.50 (256.50) + crane 400.00
///    = 747.50, down 4 h, done 03/10 12:30;
/// 2. predictive CH-01, 10/10 20:00: 2 h × 100 = 200.00, down 10 h, done 11/10 07:00;
/// 3. preventive AHU-02, 05/10 09:00: 1 × FLT-G4 + 1.5 h × 80 = 165.50, checklist 2 of 3,
///    done 06/10 10:00;
/// 4. request without asset, 12/10 14:00: locksmith 150.75, done 12/10 16:00;
/// 5. corrective AHU-02, 20/10 09:00, due 25/10, 1 h × 50, still in progress (late);
/// 6. corrective CH-01, 02/11 08:00: 1 h × 90, done 02/11 10:00 (outside October);
/// 7. corrective CH-01, 15/10 08:00: service 300, cancelled 15/10 09:00.
fn history(t: &Tenant) {
    let o1 = open(
        t,
        "2026-10-03T08:00",
        "Vazamento no condensador",
        WoKind::Corrective,
        Some("CH-01"),
    );
    start(t, "2026-10-03T08:05", o1);
    wo::issue_part(
        &t.as_of(at("2026-10-03T09:00")),
        "ana",
        OrderRef::now(o1),
        "FLT-G4",
        None,
        d("2"),
    )
    .unwrap();
    labor(t, "2026-10-03T11:00", o1, "3", "85.50");
    wo::add_service(
        &t.as_of(at("2026-10-03T11:30")),
        "ana",
        OrderRef::now(o1),
        "Guindaste",
        d("400"),
    )
    .unwrap();
    down(t, o1, "2026-10-03T08:00", "2026-10-03T12:00");
    done(t, "2026-10-03T12:30", o1);

    let o2 = open(
        t,
        "2026-10-10T20:00",
        "Corrente alta no compressor",
        WoKind::Predictive,
        Some("CH-01"),
    );
    start(t, "2026-10-10T20:05", o2);
    labor(t, "2026-10-11T05:00", o2, "2", "100");
    down(t, o2, "2026-10-10T20:00", "2026-10-11T06:00");
    done(t, "2026-10-11T07:00", o2);

    let o3 = open(
        t,
        "2026-10-05T09:00",
        "PMOC mensal fancoil",
        WoKind::Preventive,
        Some("AHU-02"),
    );
    start(t, "2026-10-06T08:00", o3);
    wo::answer(
        &t.as_of(at("2026-10-06T08:30")),
        "ana",
        OrderRef::now(o3),
        1,
        ItemResult::Pass,
        "",
    )
    .unwrap();
    wo::answer(
        &t.as_of(at("2026-10-06T08:40")),
        "ana",
        OrderRef::now(o3),
        2,
        ItemResult::Value(d("12.5")),
        "",
    )
    .unwrap();
    wo::issue_part(
        &t.as_of(at("2026-10-06T09:00")),
        "ana",
        OrderRef::now(o3),
        "FLT-G4",
        None,
        d("1"),
    )
    .unwrap();
    labor(t, "2026-10-06T09:30", o3, "1.5", "80");
    done(t, "2026-10-06T10:00", o3);

    let o4 = open(
        t,
        "2026-10-12T14:00",
        "Trocar fechadura da sala",
        WoKind::Request,
        None,
    );
    start(t, "2026-10-12T14:30", o4);
    wo::add_service(
        &t.as_of(at("2026-10-12T15:00")),
        "ana",
        OrderRef::now(o4),
        "Chaveiro",
        d("150.75"),
    )
    .unwrap();
    done(t, "2026-10-12T16:00", o4);

    let o5 = open(
        t,
        "2026-10-20T09:00",
        "Ruído no ventilador",
        WoKind::Corrective,
        Some("AHU-02"),
    );
    wo::set_due(
        &t.as_of(at("2026-10-20T09:10")),
        "ana",
        OrderRef::now(o5),
        Some(at("2026-10-25T23:59:59")),
    )
    .unwrap();
    start(t, "2026-10-20T10:00", o5);
    labor(t, "2026-10-20T11:00", o5, "1", "50");

    let o6 = open(
        t,
        "2026-11-02T08:00",
        "Sensor de fluxo",
        WoKind::Corrective,
        Some("CH-01"),
    );
    start(t, "2026-11-02T08:10", o6);
    labor(t, "2026-11-02T09:00", o6, "1", "90");
    done(t, "2026-11-02T10:00", o6);

    let o7 = open(
        t,
        "2026-10-15T08:00",
        "Alarme falso",
        WoKind::Corrective,
        Some("CH-01"),
    );
    wo::add_service(
        &t.as_of(at("2026-10-15T08:30")),
        "ana",
        OrderRef::now(o7),
        "Visita técnica",
        d("300"),
    )
    .unwrap();
    wo::cancel(
        &t.as_of(at("2026-10-15T09:00")),
        "ana",
        OrderRef::now(o7),
        "era um teste",
    )
    .unwrap();
}

fn october() -> WoExport {
    WoExport {
        from: Some(date(2026, 10, 1)),
        to: Some(date(2026, 10, 31)),
        ..WoExport::default()
    }
}

fn cell(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(range: &Range<Data>, row: u32, col: u32) -> f64 {
    match cell(range, row, col) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

/// A money cell: a number, equal to the decimal.
fn money(range: &Range<Data>, row: u32, col: u32) -> Decimal {
    Decimal::from_str(&number(range, row, col).to_string()).unwrap()
}

fn hours(dur: SignedDuration) -> f64 {
    dur.as_secs_f64() / 3600.0
}

fn row_of(range: &Range<Data>, first_col: &str) -> u32 {
    (1..range.height() as u32)
        .find(|r| match cell(range, *r, 0) {
            Data::String(s) => s == first_col,
            Data::Float(f) => f.to_string() == first_col,
            Data::Int(i) => i.to_string() == first_col,
            _ => false,
        })
        .unwrap_or_else(|| panic!("no row {first_col}"))
}

const ORDER_HEADER: [&str; 20] = [
    "OS",
    "Título",
    "Tipo",
    "Prioridade",
    "Status",
    "Ativo",
    "Responsável",
    "Criada em",
    "Prazo",
    "Concluída/cancelada em",
    "Atrasada",
    "Checklist",
    "Peças R$",
    "Mão de obra R$",
    "Serviços R$",
    "Custo total R$",
    "Horas",
    "Parada (h)",
    "Alerta",
    "Plano",
];

const COST_HEADER: [&str; 12] = [
    "Ativo",
    "Nome",
    "Área",
    "Ordens concluídas",
    "Falhas",
    "Peças",
    "Mão de obra",
    "Serviços",
    "Total",
    "Parada (h)",
    "MTTR (h)",
    "MTBF (h)",
];

fn header(range: &Range<Data>, n: u32) -> Vec<String> {
    (0..n).map(|c| text(range, 0, c)).collect()
}

#[test]
fn the_workbook_has_the_orders_and_the_cost_per_asset_of_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let t = seeded(dir.path());
    let out = dir.path().join("out");
    let files = export(&t, "dora", &tz(), &october(), ExportFormat::Xlsx, &out).unwrap();
    assert_eq!(files, [out.join("OS_hospital_2026-10-01_2026-10-31.xlsx")]);

    let mut book = calamine::open_workbook_auto(&files[0]).unwrap();
    assert_eq!(book.sheet_names(), ["Ordens", "Custo por ativo"]);
    let os = book.worksheet_range("Ordens").unwrap();
    assert_eq!(header(&os, 20), ORDER_HEADER);
    // Header, the six orders created in October (not OS 6, of November), totals.
    assert_eq!(os.height(), 8);
    let ids: Vec<f64> = (1..7).map(|r| number(&os, r, 0)).collect();
    assert_eq!(ids, [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]);

    let r = row_of(&os, "1");
    assert_eq!(text(&os, r, 1), "Vazamento no condensador");
    assert_eq!(text(&os, r, 2), "corretiva");
    assert_eq!(text(&os, r, 3), "média");
    assert_eq!(text(&os, r, 4), "concluída");
    assert_eq!(text(&os, r, 5), "CH-01");
    match cell(&os, r, 7) {
        Data::DateTime(dt) => {
            let (y, mo, da, h, mi, ..) = dt.to_ymd_hms_milli();
            assert_eq!((y, mo, da, h, mi), (2026, 10, 3, 8, 0), "local time");
        }
        other => panic!("Criada em is not a date-time: {other:?}"),
    }
    match cell(&os, r, 9) {
        Data::DateTime(dt) => {
            let (y, mo, da, h, mi, ..) = dt.to_ymd_hms_milli();
            assert_eq!((y, mo, da, h, mi), (2026, 10, 3, 12, 30));
        }
        other => panic!("Concluída em is not a date-time: {other:?}"),
    }
    assert_eq!(cell(&os, r, 8), Data::Empty, "no due date");
    assert_eq!(text(&os, r, 10), "não");
    assert_eq!(text(&os, r, 11), "", "no checklist");
    assert_eq!(money(&os, r, 12), d("91"));
    assert_eq!(money(&os, r, 13), d("256.5"));
    assert_eq!(money(&os, r, 14), d("400"));
    assert_eq!(money(&os, r, 15), d("747.50"));
    assert_eq!(number(&os, r, 16), 3.0);
    assert_eq!(number(&os, r, 17), 4.0);

    let r = row_of(&os, "3");
    assert_eq!(text(&os, r, 2), "preventiva");
    assert_eq!(text(&os, r, 11), "2/3");
    assert_eq!(money(&os, r, 15), d("165.50"));
    assert_eq!(number(&os, r, 16), 1.5);
    let r = row_of(&os, "4");
    assert_eq!(text(&os, r, 5), "", "no asset");
    assert_eq!(text(&os, r, 2), "solicitação");
    let r = row_of(&os, "5");
    assert_eq!(text(&os, r, 4), "em andamento");
    assert_eq!(text(&os, r, 10), "sim", "late");
    assert!(matches!(cell(&os, r, 8), Data::DateTime(_)));
    assert_eq!(cell(&os, r, 9), Data::Empty, "not closed");
    let r = row_of(&os, "7");
    assert_eq!(text(&os, r, 4), "cancelada");
    assert_eq!(
        money(&os, r, 15),
        d("300"),
        "money spent on a cancelled order"
    );

    // Totals: SUM formulas whose cached results calamine reads.
    let total = 7;
    assert_eq!(text(&os, total, 0), "Total");
    // 747.50 + 200 + 165.50 + 150.75 + 50 + 300
    assert_eq!(money(&os, total, 15), d("1613.75"));
    assert_eq!(money(&os, total, 12), d("136.5"));
    assert_eq!(number(&os, total, 17), 14.0);
    let formulas = book.worksheet_formula("Ordens").unwrap();
    assert_eq!(
        formulas.get_value((total, 15)).map(String::as_str),
        Some("SUM(P2:P7)")
    );

    // The cost sheet: the figures of kpi over October in São Paulo.
    let cost = book.worksheet_range("Custo por ativo").unwrap();
    assert_eq!(header(&cost, 12), COST_HEADER);
    assert_eq!(
        cost.height(),
        5,
        "header, CH-01, AHU-02... by tag, no asset, total"
    );
    let all: Vec<WorkOrder> = t
        .list::<WorkOrder>()
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect();
    let (from, to) = (at("2026-10-01T00:00"), at("2026-11-01T00:00"));
    let by_asset = kpi::cost_per_asset(&all, from, to);
    let tags: Vec<String> = (1..4).map(|r| text(&cost, r, 0)).collect();
    assert_eq!(tags, ["AHU-02", "CH-01", "(sem ativo)"]);
    for (tag, name, area, done, parts, labor, services) in [
        (
            "CH-01",
            "Chiller 1",
            "Casa de máquinas",
            2.0,
            "91",
            "456.5",
            // 400 done + 300 booked on the cancelled order (posted when it was closed)
            "700",
        ),
        (
            "AHU-02",
            "Fancoil UTI",
            "Cobertura",
            1.0,
            "45.5",
            "120",
            "0",
        ),
    ] {
        let r = row_of(&cost, tag);
        let rel = kpi::reliability(&all, tag, from, to);
        assert_eq!(text(&cost, r, 1), name);
        assert_eq!(text(&cost, r, 2), area);
        assert_eq!(number(&cost, r, 3), done, "{tag}");
        assert_eq!(number(&cost, r, 4), rel.failures as f64, "{tag}");
        assert_eq!(money(&cost, r, 5), d(parts), "{tag}");
        assert_eq!(money(&cost, r, 6), d(labor), "{tag}");
        assert_eq!(money(&cost, r, 7), d(services), "{tag}");
        assert_eq!(money(&cost, r, 8), by_asset[tag], "{tag}");
        assert!((number(&cost, r, 9) - hours(rel.downtime)).abs() < 1e-9);
        match rel.mttr {
            Some(mttr) => assert!((number(&cost, r, 10) - hours(mttr)).abs() < 1e-9),
            // Failures that never stopped the asset say nothing about repair time.
            None => assert_eq!(cell(&cost, r, 10), Data::Empty, "{tag}"),
        }
        assert!((number(&cost, r, 11) - hours(rel.mtbf.unwrap())).abs() < 1e-9);
    }
    // By hand: CH-01 failed twice (the cancelled order is no failure), down 4 h + 10 h;
    // October has 744 h: MTTR 7 h, MTBF (744 - 14) / 2 = 365 h. Its cost: 947.50 done + the
    // 300 spent on the cancelled order.
    let r = row_of(&cost, "CH-01");
    assert_eq!(money(&cost, r, 8), d("1247.50"));
    assert_eq!(number(&cost, r, 4), 2.0);
    assert_eq!(
        (
            number(&cost, r, 9),
            number(&cost, r, 10),
            number(&cost, r, 11)
        ),
        (14.0, 7.0, 365.0)
    );
    // AHU-02: the late corrective is a failure without downtime.
    let r = row_of(&cost, "AHU-02");
    assert_eq!((number(&cost, r, 4), number(&cost, r, 9)), (1.0, 0.0));
    let r = row_of(&cost, "(sem ativo)");
    assert_eq!(money(&cost, r, 8), by_asset[""]);
    assert_eq!(money(&cost, r, 8), d("150.75"));
    assert_eq!(cell(&cost, r, 10), Data::Empty);
    assert_eq!(text(&cost, 4, 0), "Total");
    assert_eq!(money(&cost, 4, 8), by_asset.values().sum::<Decimal>());
    assert_eq!(number(&cost, 4, 3), 4.0);

    // One audit entry, by the finance user who only reads.
    let audit = t.audit_recent(5).unwrap();
    let e = audit.iter().find(|a| a.action == "wo.export").unwrap();
    assert_eq!(e.actor, "dora");
    assert!(
        e.detail.contains("OS_hospital_2026-10-01_2026-10-31.xlsx"),
        "{}",
        e.detail
    );
}

#[test]
fn the_csv_files_are_for_machines_and_the_filter_applies_to_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let t = seeded(dir.path());
    let files = export(&t, "ana", &tz(), &october(), ExportFormat::Csv, dir.path()).unwrap();
    let base = dir.path().join("OS_hospital_2026-10-01_2026-10-31");
    let name = |suffix: &str| PathBuf::from(format!("{}{suffix}", base.display()));
    assert_eq!(files, [name("_ordens.csv"), name("_custo_por_ativo.csv")]);

    let mut r = csv::Reader::from_path(&files[0]).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        headers,
        [
            "id",
            "title",
            "type",
            "priority",
            "status",
            "asset",
            "assignee",
            "created_at",
            "due",
            "closed_at",
            "overdue",
            "checklist_answered",
            "checklist_total",
            "parts",
            "labor",
            "services",
            "total",
            "labor_hours",
            "downtime_hours",
            "alert",
            "plan"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6, "no totals row");
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let first = &rows[0];
    assert_eq!(&first[col("id")], "1");
    assert_eq!(&first[col("type")], "corrective");
    assert_eq!(&first[col("status")], "done");
    assert_eq!(&first[col("created_at")], "2026-10-03T08:00:00-03:00");
    assert_eq!(&first[col("closed_at")], "2026-10-03T12:30:00-03:00");
    assert_eq!(&first[col("due")], "");
    assert_eq!(&first[col("overdue")], "false");
    assert_eq!(d(&first[col("total")]), d("747.50"));
    assert_eq!(&first[col("labor")], "256.5");
    assert_eq!(&first[col("downtime_hours")], "4");
    let pm = &rows[2];
    assert_eq!(
        (&pm[col("checklist_answered")], &pm[col("checklist_total")]),
        ("2", "3")
    );
    assert_eq!(&pm[col("labor_hours")], "1.5");
    assert_eq!(&rows[4][col("status")], "in_progress");
    assert_eq!(&rows[4][col("overdue")], "true");

    let mut r = csv::Reader::from_path(&files[1]).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        headers,
        [
            "asset",
            "name",
            "area",
            "orders_done",
            "failures",
            "parts",
            "labor",
            "services",
            "total",
            "downtime_hours",
            "mttr_hours",
            "mtbf_hours"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let assets: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(assets, ["AHU-02", "CH-01", ""]);
    assert_eq!(
        rows[1].iter().collect::<Vec<_>>(),
        [
            "CH-01",
            "Chiller 1",
            "Casa de máquinas",
            "2",
            "2",
            "91",
            "456.5",
            "700",
            "1247.5",
            "14",
            "7",
            "365"
        ]
    );
    assert_eq!(&rows[2][8], "150.75");

    // The filter: corrective orders of CH-01; the cost sheet keeps CH-01's row only.
    let opts = WoExport {
        filter: Filter {
            asset: Some("CH-01".into()),
            ..Filter::default()
        },
        kind: Some(WoKind::Corrective),
        ..october()
    };
    let out = dir.path().join("ch01");
    let files = export(&t, "ana", &tz(), &opts, ExportFormat::Csv, &out).unwrap();
    let ids: Vec<String> = csv::Reader::from_path(&files[0])
        .unwrap()
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .collect();
    assert_eq!(ids, ["1", "7"]);
    let tags: Vec<String> = csv::Reader::from_path(&files[1])
        .unwrap()
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .collect();
    assert_eq!(tags, ["CH-01"]);
}

#[test]
fn an_empty_tenant_exports_headers_only_and_a_stranger_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant(dir.path(), "vazio");
    let today = opsdeck_storage::clock::now().to_zoned(tz()).date();
    let files = export(
        &t,
        "ana",
        &tz(),
        &WoExport::default(),
        ExportFormat::Xlsx,
        dir.path(),
    )
    .unwrap();
    assert_eq!(files, [dir.path().join(format!("OS_vazio_{today}.xlsx"))]);
    let mut book = calamine::open_workbook_auto(&files[0]).unwrap();
    let os = book.worksheet_range("Ordens").unwrap();
    assert_eq!(os.height(), 1);
    assert_eq!(header(&os, 20), ORDER_HEADER);
    let cost = book.worksheet_range("Custo por ativo").unwrap();
    assert_eq!(cost.height(), 1);
    assert_eq!(header(&cost, 12), COST_HEADER);

    let files = export(
        &t,
        "ana",
        &tz(),
        &WoExport::default(),
        ExportFormat::Csv,
        dir.path(),
    )
    .unwrap();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
    }

    let err = export(
        &t,
        "zeca",
        &tz(),
        &WoExport::default(),
        ExportFormat::Csv,
        dir.path(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("zeca has no role"), "{err}");
    let bad = WoExport {
        from: Some(date(2026, 11, 2)),
        to: Some(date(2026, 11, 1)),
        ..WoExport::default()
    };
    let err = export(&t, "ana", &tz(), &bad, ExportFormat::Csv, dir.path()).unwrap_err();
    assert_eq!(err.to_string(), "from: 2026-11-02 is after to (2026-11-01)");
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn cli_exports_xlsx_and_csv_and_names_a_bad_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    opsdeck(&dir).arg("init").assert().success();
    stdout_of(opsdeck(&dir).args([
        "asset",
        "add",
        "CH-01",
        "--name",
        "Chiller 1",
        "--kind",
        "chiller",
        "--site",
        "Hospital",
        "--area",
        "Casa de máquinas",
    ]));
    stdout_of(opsdeck(&dir).args([
        "wo",
        "create",
        "--title",
        "Vazamento",
        "--type",
        "corrective",
        "--asset",
        "CH-01",
    ]));
    stdout_of(opsdeck(&dir).args(["wo", "start", "1"]));
    stdout_of(opsdeck(&dir).args(["wo", "labor", "1", "Bia", "2", "3813,25"]));
    stdout_of(opsdeck(&dir).args(["wo", "done", "1"]));
    stdout_of(opsdeck(&dir).args(["wo", "create", "--title", "Pintura", "--type", "request"]));

    // XLSX by default, into --dir; this month (today's date in the name).
    let out = tmp.path().join("out");
    let printed = stdout_of(opsdeck(&dir).args(["wo", "export", "--dir"]).arg(&out));
    let paths: Vec<&str> = printed.lines().collect();
    assert_eq!(paths.len(), 1, "{printed}");
    assert!(
        paths[0].ends_with(".xlsx") && paths[0].contains("OS_"),
        "{printed}"
    );
    let mut book = calamine::open_workbook_auto(paths[0]).unwrap();
    let os = book.worksheet_range("Ordens").unwrap();
    assert_eq!(os.height(), 4, "header, two orders, totals");
    assert_eq!(money(&os, 1, 15), d("7626.50"));
    let cost = book.worksheet_range("Custo por ativo").unwrap();
    assert_eq!(text(&cost, 1, 0), "CH-01");
    assert_eq!(money(&cost, 1, 8), d("7626.50"));

    // CSV with a filter and a period.
    let printed = stdout_of(
        opsdeck(&dir)
            .args([
                "wo",
                "export",
                "--format",
                "csv",
                "--type",
                "request",
                "--from",
                "2020-01-01",
                "--dir",
            ])
            .arg(&out),
    );
    let paths: Vec<&str> = printed.lines().collect();
    assert_eq!(paths.len(), 2, "{printed}");
    assert!(
        paths[0].ends_with("_ordens.csv") && paths[0].contains("OS_"),
        "{printed}"
    );
    assert!(paths[1].ends_with("_custo_por_ativo.csv"), "{printed}");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(paths[0])
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "Pintura");

    opsdeck(&dir)
        .args(["wo", "export", "--from", "2026-13-01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--from '2026-13-01': expected YYYY-MM-DD",
        ));
    opsdeck(&dir)
        .args(["wo", "export", "--to", "ontem"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--to 'ontem'"));
    opsdeck(&dir)
        .args(["wo", "export", "--from", "2026-11-10", "--to", "2026-11-01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--from 2026-11-10 is after --to 2026-11-01",
        ));
    opsdeck(&dir)
        .args(["wo", "export", "--format", "pdf"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("expected xlsx or csv"));

    // Amounts in the locale.
    let show = stdout_of(opsdeck(&dir).args(["--lang", "pt-BR", "wo", "show", "1"]));
    assert!(
        show.contains("Bia 2 h × R$ 3.813,25/h = R$ 7.626,50"),
        "{show}"
    );
    assert!(show.contains("cost R$ 7.626,50"), "{show}");
    let list = stdout_of(opsdeck(&dir).args(["--lang", "en", "wo", "list"]));
    assert!(list.contains("\tR$ 7,626.50\t"), "{list}");
    let json = stdout_of(opsdeck(&dir).args(["--lang", "pt-BR", "wo", "list", "--json"]));
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["cost"], "7626.50");
    let asset = stdout_of(opsdeck(&dir).args(["--lang", "pt-BR", "asset", "show", "CH-01"]));
    assert!(
        asset.contains("total cost (done orders): R$ 7.626,50"),
        "{asset}"
    );
}
