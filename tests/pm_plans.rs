//! The preventive scheduler on a real redb tenant with fixed clocks: a fixed monthly plan
//! generates each occurrence exactly once (repeated runs, a reopened tenant, two threads at
//! once); catch-up after three months down generates each missed occurrence once; month ends
//! are clamped; a floating plan counts from the last completion; meter and threshold plans from
//! readings; roles and field errors.

mod common;

use std::path::Path;
use std::sync::Arc;

use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use opsdeck::domain::cmms::plans::{self, Generated, PlanInput, PmDenied};
use opsdeck::domain::gas::entries::FieldError;
use opsdeck::domain::users;
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::Reading;
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_storage::records::pm_plan::{CalendarMode, PeriodUnit, PmPlan, Schedule};
use opsdeck_storage::records::user::Role;
use opsdeck_storage::records::work_order::{
    ItemKind, Priority, Transition, WoKind, WoStatus, WorkOrder,
};
use rust_decimal::Decimal;

const SEAL: [u8; 32] = [9; 32];

const PROCEDURES: &str = r#"
[[procedure]]
code = "PMOC-SPLIT-M"
name = "PMOC mensal — split"
items = [
  { text = "Limpeza de filtros" },
  { text = "Verificação de dreno" },
  { text = "Corrente do compressor", unit = "A" },
  { text = "Temperatura de insuflamento", unit = "°C", required = false },
]
"#;

fn tz() -> TimeZone {
    TimeZone::get("America/Sao_Paulo").unwrap()
}

fn at(day: Date, h: i8, m: i8) -> Zoned {
    day.at(h, m, 0, 0).to_zoned(tz()).unwrap()
}

fn open(path: &Path) -> Tenant {
    Tenant::open("hospital", path, &SEAL).unwrap()
}

fn asset(t: &Tenant, tag: &str, sensors: &[&str]) {
    t.write("ana", |tx| {
        tx.insert(
            tag,
            Asset {
                tag: tag.into(),
                name: format!("Equipamento {tag}"),
                kind: "split".into(),
                site: "Hospital".into(),
                area: "CAG".into(),
                location: String::new(),
                make: String::new(),
                model: String::new(),
                serial: String::new(),
                installed: None,
                criticality: Criticality::Medium,
                sensors: sensors.iter().map(|s| s.to_string()).collect(),
                active: true,
                notes: String::new(),
            },
        )
    })
    .unwrap();
}

/// ana admin, caio supervisor, bia operator, dora finance; assets SPL-01, SPL-02; the split
/// PMOC procedure.
fn rig() -> (tempfile::TempDir, Tenant) {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir.path().join("t.redb"));
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "caio", Role::Supervisor, "Caio").unwrap();
    users::add(&t, "ana", "bia", Role::Operator, "Bia").unwrap();
    users::add(&t, "ana", "dora", Role::Finance, "Dora").unwrap();
    asset(&t, "SPL-01", &[]);
    asset(&t, "SPL-02", &[]);
    let procs = plans::parse_procedures("test.toml", PROCEDURES).unwrap();
    let r = plans::import_procedures(&t, "caio", procs.clone()).unwrap();
    assert_eq!(r.added, ["PMOC-SPLIT-M"]);
    let again = plans::import_procedures(&t, "caio", procs).unwrap();
    assert_eq!(again.unchanged, ["PMOC-SPLIT-M"]);
    (dir, t)
}

fn monthly(code: &str, assets: &[&str], start: Date, mode: CalendarMode) -> PlanInput {
    let mut p = PlanInput::calendar(code, "PMOC mensal", assets, 1, PeriodUnit::Month, start);
    if let Schedule::Calendar { mode: m, .. } = &mut p.schedule {
        *m = mode;
    }
    p.procedure = Some("PMOC-SPLIT-M".into());
    p.assignee = Some("bia".into());
    p.priority = Priority::High;
    p
}

fn run(t: &Tenant, now: Zoned) -> Vec<Generated> {
    let r = plans::run(t, plans::ACTOR, &now).unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    r.generated
}

fn occ(list: &[Generated]) -> Vec<String> {
    let mut v: Vec<String> = list
        .iter()
        .map(|g| format!("{}/{}", g.asset, g.occurrence))
        .collect();
    v.sort();
    v
}

fn orders(t: &Tenant) -> Vec<WorkOrder> {
    t.list::<WorkOrder>()
        .unwrap()
        .into_iter()
        .map(|o| o.value)
        .collect()
}

fn plan_keys(t: &Tenant) -> Vec<String> {
    let mut v: Vec<String> = orders(t).into_iter().filter_map(|o| o.plan).collect();
    v.sort();
    v
}

/// Closes order `id` at `when` as the work-order service would (a transition kept with it).
fn close(t: &Tenant, id: u64, to: WoStatus, when: Timestamp) {
    t.write("bia", |tx| {
        let key = WorkOrder::key(id);
        let cur = tx.get::<WorkOrder>(&key)?.unwrap();
        let mut o = cur.value;
        o.transitions.push(Transition {
            from: o.status,
            to,
            by: "bia".into(),
            at: when,
            reason: "feito".into(),
        });
        o.status = to;
        tx.update(&key, cur.version, o)
    })
    .unwrap();
}

#[test]
fn fixed_monthly_plan_generates_each_occurrence_once_across_runs_and_a_restart() {
    let (dir, t) = rig();
    let created = date(2026, 1, 10);
    let p = monthly(
        "PM-SPLIT",
        &["SPL-01", "SPL-02"],
        date(2026, 1, 15),
        CalendarMode::Fixed,
    );
    plans::create(&t, "caio", p, created).unwrap();

    // Jan 15 minus 7 days of lead: generated from Jan 8, so at once.
    let first = run(&t, at(created, 8, 0));
    assert_eq!(occ(&first), ["SPL-01/2026-01-15", "SPL-02/2026-01-15"]);
    let o = orders(&t);
    assert_eq!(o.len(), 2);
    let wo = &o[0];
    assert_eq!(wo.kind, WoKind::Preventive);
    assert_eq!(wo.status, WoStatus::Open);
    assert_eq!(wo.priority, Priority::High);
    assert_eq!(wo.assignee.as_deref(), Some("bia"));
    assert_eq!(wo.procedure.as_deref(), Some("PMOC-SPLIT-M"));
    assert_eq!(wo.checklist.len(), 4);
    assert_eq!(
        wo.checklist[2].item.kind,
        ItemKind::Value { unit: "A".into() }
    );
    assert_eq!(wo.created_by, plans::ACTOR);
    // Due at the end of Jan 15 in São Paulo (UTC-3).
    assert_eq!(
        wo.due,
        Some("2026-01-16T02:59:59Z".parse::<Timestamp>().unwrap())
    );
    assert_eq!(wo.title, "PMOC mensal — SPL-01");

    for h in [8, 9, 23] {
        assert!(run(&t, at(created, h, 30)).is_empty());
    }
    // A restart: the marks are in the file, not in memory.
    drop(t);
    let t = open(&dir.path().join("t.redb"));
    assert!(run(&t, at(date(2026, 1, 20), 0, 0)).is_empty());
    assert!(run(&t, at(date(2026, 2, 7), 23, 59)).is_empty());
    let feb = run(&t, at(date(2026, 2, 8), 0, 1));
    assert_eq!(occ(&feb), ["SPL-01/2026-02-15", "SPL-02/2026-02-15"]);
    assert!(run(&t, at(date(2026, 2, 8), 0, 2)).is_empty());
    assert_eq!(
        plan_keys(&t),
        [
            "PM-SPLIT/SPL-01/2026-01-15",
            "PM-SPLIT/SPL-01/2026-02-15",
            "PM-SPLIT/SPL-02/2026-01-15",
            "PM-SPLIT/SPL-02/2026-02-15",
        ]
    );
}

#[test]
fn catch_up_after_three_months_down_generates_each_missed_occurrence_once() {
    let (_dir, t) = rig();
    let created = date(2026, 1, 10);
    let p = monthly(
        "PM-SPLIT",
        &["SPL-01", "SPL-02"],
        date(2026, 1, 15),
        CalendarMode::Fixed,
    );
    plans::create(&t, "caio", p, created).unwrap();
    assert_eq!(run(&t, at(created, 8, 0)).len(), 2);
    // Down from January 10 to April 20: Feb 15, Mar 15 and Apr 15 were missed; May 15 is not
    // yet in its lead window.
    let back = run(&t, at(date(2026, 4, 20), 9, 0));
    assert_eq!(
        occ(&back),
        [
            "SPL-01/2026-02-15",
            "SPL-01/2026-03-15",
            "SPL-01/2026-04-15",
            "SPL-02/2026-02-15",
            "SPL-02/2026-03-15",
            "SPL-02/2026-04-15",
        ]
    );
    // Each marked by its own due date.
    let due: Vec<Date> = back
        .iter()
        .filter(|g| g.asset == "SPL-01")
        .map(|g| g.due.to_zoned(tz()).date())
        .collect();
    assert_eq!(
        due,
        [date(2026, 2, 15), date(2026, 3, 15), date(2026, 4, 15)]
    );
    assert!(run(&t, at(date(2026, 4, 20), 9, 1)).is_empty());
    assert_eq!(orders(&t).len(), 8);
    let next = run(&t, at(date(2026, 5, 8), 0, 0));
    assert_eq!(occ(&next), ["SPL-01/2026-05-15", "SPL-02/2026-05-15"]);
}

#[test]
fn an_old_start_date_does_not_flood_the_backlog_and_a_pause_is_not_back_filled() {
    let (_dir, t) = rig();
    let mut p = monthly("PM-OLD", &["SPL-01"], date(2024, 3, 5), CalendarMode::Fixed);
    p.lead_days = 0;
    plans::create(&t, "caio", p, date(2026, 6, 1)).unwrap();
    assert!(run(&t, at(date(2026, 6, 1), 8, 0)).is_empty());
    assert_eq!(
        occ(&run(&t, at(date(2026, 6, 5), 8, 0))),
        ["SPL-01/2026-06-05"]
    );
    plans::set_active(&t, "caio", "PM-OLD", false, date(2026, 6, 6)).unwrap();
    assert!(run(&t, at(date(2026, 9, 10), 8, 0)).is_empty());
    plans::set_active(&t, "caio", "PM-OLD", true, date(2026, 9, 10)).unwrap();
    assert!(run(&t, at(date(2026, 9, 10), 8, 0)).is_empty());
    assert_eq!(
        occ(&run(&t, at(date(2026, 10, 5), 8, 0))),
        ["SPL-01/2026-10-05"]
    );
}

#[test]
fn months_are_clamped_to_the_month_end() {
    let (_dir, t) = rig();
    let mut p = monthly(
        "PM-FIM",
        &["SPL-01"],
        date(2026, 1, 31),
        CalendarMode::Fixed,
    );
    p.lead_days = 0;
    plans::create(&t, "caio", p, date(2026, 1, 31)).unwrap();
    let got = run(&t, at(date(2026, 4, 30), 12, 0));
    assert_eq!(
        occ(&got),
        [
            "SPL-01/2026-01-31",
            "SPL-01/2026-02-28",
            "SPL-01/2026-03-31",
            "SPL-01/2026-04-30",
        ]
    );
}

#[test]
fn a_floating_plan_schedules_from_the_last_completion() {
    let (_dir, t) = rig();
    let mut p = PlanInput::calendar(
        "PM-FLOAT",
        "Limpeza do condensador",
        &["SPL-01"],
        30,
        PeriodUnit::Day,
        date(2026, 1, 10),
    );
    if let Schedule::Calendar { mode, .. } = &mut p.schedule {
        *mode = CalendarMode::Floating;
    }
    p.lead_days = 5;
    plans::create(&t, "caio", p, date(2026, 1, 1)).unwrap();
    assert!(run(&t, at(date(2026, 1, 4), 8, 0)).is_empty());
    let first = run(&t, at(date(2026, 1, 5), 8, 0));
    assert_eq!(occ(&first), ["SPL-01/2026-01-10"]);
    // Open: nothing more, however late.
    assert!(run(&t, at(date(2026, 3, 1), 8, 0)).is_empty());
    let id = first[0].order;
    let done = date(2026, 1, 20).at(15, 0, 0, 0).to_zoned(tz()).unwrap();
    close(&t, id, WoStatus::Done, done.timestamp());
    // Next: Jan 20 + 30 days = Feb 19, generated from Feb 14.
    let plan = t.get::<PmPlan>("PM-FLOAT").unwrap().unwrap().value;
    let outlook = plans::outlook(&t, &plan, date(2026, 2, 1), &tz()).unwrap();
    assert_eq!(
        outlook[0].1,
        plans::Outlook::Due {
            date: date(2026, 2, 19),
            generated_on: date(2026, 2, 14)
        }
    );
    assert!(run(&t, at(date(2026, 2, 13), 23, 0)).is_empty());
    let second = run(&t, at(date(2026, 2, 14), 0, 30));
    assert_eq!(occ(&second), ["SPL-01/2026-02-19"]);
    assert!(run(&t, at(date(2026, 2, 14), 0, 31)).is_empty());
    // A cancelled order closes its occurrence too: the next counts from the cancellation.
    let cancelled = date(2026, 2, 16).at(9, 0, 0, 0).to_zoned(tz()).unwrap();
    close(
        &t,
        second[0].order,
        WoStatus::Cancelled,
        cancelled.timestamp(),
    );
    let third = run(&t, at(date(2026, 3, 15), 8, 0));
    assert_eq!(occ(&third), ["SPL-01/2026-03-18"]);
}

fn readings(t: &Tenant, device: &str, metric: &str, points: &[(Timestamp, f64)]) {
    let rs: Vec<Reading> = points
        .iter()
        .map(|(ts, v)| Reading {
            device: device.into(),
            metric: metric.into(),
            ts: *ts,
            value: *v,
        })
        .collect();
    t.write("ingest", |tx| tx.append_readings(&rs)).unwrap();
}

#[test]
fn a_meter_plan_generates_every_500_run_hours_from_the_readings() {
    let (_dir, t) = rig();
    asset(&t, "BAG-01", &["PMP-01"]);
    let mut p = PlanInput::with_schedule(
        "PM-BAG-500H",
        "Bomba — 500 h",
        &["BAG-01"],
        Schedule::Meter {
            device: String::new(),
            metric: "run_hours".into(),
            every: Decimal::from(500),
        },
    );
    p.lead_days = 10;
    plans::create(&t, "caio", p, date(2026, 1, 1)).unwrap();
    let day = date(2026, 1, 2);
    let mut clock = day.at(8, 0, 0, 0).to_zoned(tz()).unwrap().timestamp();
    let mut feed = |v: f64| {
        clock += jiff::SignedDuration::from_mins(10);
        readings(&t, "PMP-01", "run_hours", &[(clock, v)]);
    };
    // No reading: nothing. The first one is the baseline.
    assert!(run(&t, at(day, 8, 0)).is_empty());
    feed(1000.0);
    assert!(run(&t, at(day, 9, 0)).is_empty());
    feed(1499.5);
    assert!(run(&t, at(day, 10, 0)).is_empty());
    feed(1500.0);
    let g = run(&t, at(day, 11, 0));
    assert_eq!(occ(&g), ["BAG-01/meter-1500"]);
    assert_eq!(g[0].due.to_zoned(tz()).date(), date(2026, 1, 12));
    let o = t
        .get::<WorkOrder>(&WorkOrder::key(g[0].order))
        .unwrap()
        .unwrap()
        .value;
    assert_eq!(o.plan.as_deref(), Some("PM-BAG-500H/BAG-01/meter-1500"));
    assert_eq!(
        o.extra.get("pm.meter_since").map(String::as_str),
        Some("1000")
    );
    assert!(run(&t, at(day, 11, 1)).is_empty());
    feed(1999.0);
    assert!(run(&t, at(day, 12, 0)).is_empty());
    // Far past the next mark after a stop: one order for the wear since the last.
    feed(2900.0);
    assert_eq!(occ(&run(&t, at(day, 13, 0))), ["BAG-01/meter-2900"]);
    assert!(run(&t, at(day, 13, 1)).is_empty());
    // The counter was replaced: count again from its new value.
    feed(3.0);
    assert!(run(&t, at(day, 14, 0)).is_empty());
    feed(480.0);
    assert!(run(&t, at(day, 15, 0)).is_empty());
    feed(503.0);
    assert_eq!(occ(&run(&t, at(day, 16, 0))), ["BAG-01/meter-503"]);
    assert_eq!(orders(&t).len(), 3);
}

#[test]
fn a_threshold_plan_fires_on_a_crossing_and_not_while_its_order_is_open() {
    let (_dir, t) = rig();
    asset(&t, "CF-01", &["CR-01"]);
    let p = PlanInput::with_schedule(
        "PM-CF-TEMP",
        "Câmara fria — inspeção por temperatura",
        &["CF-01"],
        Schedule::Threshold {
            device: "CR-01".into(),
            metric: "temp_c".into(),
            above: Some(8.0),
            below: Some(2.0),
        },
    );
    plans::create(&t, "caio", p, date(2026, 1, 1)).unwrap();
    let day = date(2026, 1, 2);
    let ts = |h: i8| day.at(h, 0, 0, 0).to_zoned(tz()).unwrap().timestamp();
    readings(&t, "CR-01", "temp_c", &[(ts(8), 5.0)]);
    assert!(run(&t, at(day, 8, 1)).is_empty());
    readings(&t, "CR-01", "temp_c", &[(ts(9), 9.2)]);
    let g = run(&t, at(day, 9, 1));
    assert_eq!(occ(&g), ["CF-01/threshold-2026-01-02T09:00"]);
    readings(&t, "CR-01", "temp_c", &[(ts(10), 9.5)]);
    assert!(run(&t, at(day, 10, 1)).is_empty());
    // Back inside, out again while the order is open: still one order.
    readings(&t, "CR-01", "temp_c", &[(ts(11), 4.0)]);
    assert!(run(&t, at(day, 11, 1)).is_empty());
    readings(&t, "CR-01", "temp_c", &[(ts(12), 1.5)]);
    assert!(run(&t, at(day, 12, 1)).is_empty());
    // Closed, and still out: a new order for the new crossing.
    close(&t, g[0].order, WoStatus::Done, ts(13));
    let again = run(&t, at(day, 13, 1));
    assert_eq!(occ(&again), ["CF-01/threshold-2026-01-02T12:00"]);
    assert!(run(&t, at(day, 14, 1)).is_empty());
    assert_eq!(orders(&t).len(), 2);
}

#[test]
fn two_concurrent_schedulers_generate_each_occurrence_once() {
    let (_dir, t) = rig();
    let tags: Vec<String> = (1..=12).map(|i| format!("FC-{i:02}")).collect();
    for tag in &tags {
        asset(&t, tag, &[]);
    }
    let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let mut p = PlanInput::calendar(
        "PM-FC-D",
        "Inspeção diária",
        &refs,
        1,
        PeriodUnit::Day,
        date(2026, 1, 1),
    );
    p.lead_days = 0;
    plans::create(&t, "caio", p, date(2026, 1, 1)).unwrap();
    let t = Arc::new(t);
    let now = at(date(2026, 1, 20), 8, 0);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (t, now) = (t.clone(), now.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                for _ in 0..3 {
                    n += plans::run(&t, plans::ACTOR, &now).unwrap().generated.len();
                }
                n
            })
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    // 12 assets x 20 days (Jan 1 to Jan 20).
    assert_eq!(total, 240);
    let keys = plan_keys(&t);
    let unique: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!((keys.len(), unique.len()), (240, 240));
}

#[test]
fn only_supervisors_and_admins_manage_plans_and_errors_name_the_field() {
    let (_dir, t) = rig();
    let today = date(2026, 1, 10);
    let p = monthly("PM-X", &["SPL-01"], today, CalendarMode::Fixed);
    for who in ["bia", "dora", "nobody"] {
        let e = plans::create(&t, who, p.clone(), today).unwrap_err();
        let d = e.downcast_ref::<PmDenied>().expect("a PmDenied");
        assert_eq!(d.user, who);
    }
    let e = plans::run_as(&t, "bia", &at(today, 8, 0)).unwrap_err();
    assert!(e.to_string().contains("may not pm.run"), "{e}");
    let procs = plans::parse_procedures("x.toml", PROCEDURES).unwrap();
    assert!(plans::import_procedures(&t, "dora", procs).is_err());

    let field = |input: PlanInput| {
        let e = plans::create(&t, "ana", input, today).unwrap_err();
        let f = e
            .downcast_ref::<FieldError>()
            .expect("a FieldError")
            .clone();
        (f.field, f.why.to_string())
    };
    let mut bad = p.clone();
    bad.assets = vec!["NOPE-1".into()];
    assert_eq!(
        field(bad),
        ("assets".into(), "there is no asset 'NOPE-1'".into())
    );
    let mut bad = p.clone();
    bad.procedure = Some("NOPE".into());
    assert_eq!(field(bad).0, "procedure");
    let mut bad = p.clone();
    bad.assignee = Some("zeca".into());
    assert_eq!(field(bad).0, "assignee");
    let mut bad = p.clone();
    bad.schedule = Schedule::Meter {
        device: "X".into(),
        metric: "run_hours".into(),
        every: Decimal::ZERO,
    };
    assert_eq!(field(bad).0, "every");

    plans::create(&t, "ana", p.clone(), today).unwrap();
    assert_eq!(field(p.clone()).0, "code");
    // The supervisor edits: the lead alone keeps the plan's `since`; a new schedule counts
    // from the day of the edit.
    let later = date(2026, 2, 1);
    let cur = t.get::<PmPlan>("PM-X").unwrap().unwrap();
    let mut edited = PlanInput::from_plan(&cur.value);
    edited.lead_days = 3;
    let v = plans::edit(&t, "caio", "PM-X", cur.version, edited.clone(), later).unwrap();
    assert_eq!((v.value.lead_days, v.value.since), (3, today));
    edited.schedule = Schedule::Calendar {
        every: 2,
        unit: PeriodUnit::Month,
        start: today,
        mode: CalendarMode::Fixed,
    };
    let v = plans::edit(&t, "caio", "PM-X", v.version, edited.clone(), later).unwrap();
    assert_eq!(v.value.since, later);
    // A stale version is refused, naming who changed it.
    let e = plans::edit(&t, "ana", "PM-X", cur.version, edited, later).unwrap_err();
    assert!(e.to_string().contains("changed by caio"), "{e}");
    // A plan whose procedure disappeared is reported; the others still run.
    t.write("ana", |tx| {
        let p = tx
            .get::<opsdeck_storage::records::work_order::Procedure>("PMOC-SPLIT-M")?
            .unwrap();
        tx.delete::<opsdeck_storage::records::work_order::Procedure>("PMOC-SPLIT-M", p.version)
    })
    .unwrap();
    let mut other = PlanInput::calendar("PM-Y", "Y", &["SPL-02"], 1, PeriodUnit::Week, today);
    other.lead_days = 0;
    plans::create(&t, "ana", other, today).unwrap();
    let r = plans::run(&t, plans::ACTOR, &at(today, 9, 0)).unwrap();
    assert_eq!(occ(&r.generated), ["SPL-02/2026-01-10"]);
    assert_eq!(r.failed.len(), 1);
    assert!(
        r.failed[0].1.contains("procedure 'PMOC-SPLIT-M'"),
        "{:?}",
        r.failed
    );
}

#[test]
fn plans_import_from_toml_once() {
    let (_dir, t) = rig();
    let today = date(2026, 1, 10);
    let text = r#"
[[plan]]
code = "PM-A"
name = "Split mensal"
assets = ["SPL-01", "SPL-02"]
procedure = "PMOC-SPLIT-M"
every = 1
unit = "month"
start = "+3"

[[plan]]
code = "PM-B"
name = "Bomba"
assets = ["SPL-01"]
schedule = "meter"
metric = "run_hours"
every = "250.5"
"#;
    let list = plans::parse_plans("p.toml", text, today).unwrap();
    assert_eq!(
        list[0].schedule,
        Schedule::Calendar {
            every: 1,
            unit: PeriodUnit::Month,
            start: date(2026, 1, 13),
            mode: CalendarMode::Fixed
        }
    );
    let r = plans::import_plans(&t, "caio", list.clone(), today).unwrap();
    assert_eq!(r.added, ["PM-A", "PM-B"]);
    let r = plans::import_plans(&t, "caio", list, today).unwrap();
    assert_eq!(r.unchanged, ["PM-A", "PM-B"]);
    let e = plans::parse_plans("p.toml", &text.replace("\"month\"", "\"year\""), today)
        .unwrap_err()
        .to_string();
    assert!(e.contains("plan 1 ('PM-A'), key 'unit'"), "{e}");
}

/// `opsdeck pm` end to end on a fresh site (the binary, as the OS user, its admin).
#[test]
fn the_pm_commands_end_to_end() {
    use opsdeck::site::Site;
    use opsdeck::site::paths::SiteDir;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let bin = || common::cli::opsdeck(&dir);
    let out = |args: &[&str]| {
        let o = bin().args(args).assert().success().get_output().clone();
        String::from_utf8(o.stdout).unwrap()
    };
    let fails = |args: &[&str]| {
        let o = bin().args(args).assert().failure().get_output().clone();
        String::from_utf8(o.stderr).unwrap()
    };
    bin().args(["init", "--tenant", "plant"]).assert().success();
    {
        let site = Site::open(SiteDir::new(&dir)).unwrap();
        let t = site.open_tenant("plant").unwrap();
        asset(&t, "SPL-01", &[]);
    }
    let procs = tmp.path().join("procedures.toml");
    std::fs::write(&procs, PROCEDURES).unwrap();
    let p = procs.to_str().unwrap();
    assert!(out(&["pm", "procedures", "import", p]).contains("added: PMOC-SPLIT-M"));
    assert!(out(&["pm", "procedures", "import", p]).contains("unchanged: PMOC-SPLIT-M"));
    assert!(out(&["pm", "procedures", "list"]).contains("Corrente do compressor [valor (A)]"));

    // The plan counts from the day it is created (the real today): start it then.
    let today = opsdeck_storage::clock::now().to_zoned(tz()).date();
    let next = today.checked_add(jiff::Span::new().months(1)).unwrap();
    let today_s = today.to_string();
    let add = [
        "pm",
        "add",
        "PM-S",
        "--name",
        "PMOC mensal",
        "--asset",
        "SPL-01",
        "--every",
        "1",
        "--unit",
        "month",
        "--start",
        &today_s,
        "--lead-days",
        "0",
        "--procedure",
        "PMOC-SPLIT-M",
    ];
    assert!(out(&add).contains(&format!(
        "plan PM-S created: every 1 month (fixed, from {today})"
    )));
    assert!(fails(&add).contains("code: plan 'PM-S' already exists"));
    let mut bad = add;
    bad[2] = "PM-T";
    bad[6] = "NOPE";
    assert!(fails(&bad).contains("assets: there is no asset 'NOPE'"));
    bad[6] = "SPL-01";
    bad[10] = "fortnight";
    assert!(fails(&bad).contains("unknown period unit 'fortnight'"));

    let ran = out(&["pm", "run", "--now", &format!("{today}T23:00")]);
    assert!(ran.contains("1 preventive orders generated"), "{ran}");
    assert!(ran.contains(&format!("PM-S\tSPL-01\t{today}")), "{ran}");
    let again = out(&["pm", "run", "--now", &format!("{today}T23:05")]);
    assert!(again.contains("0 preventive orders generated"), "{again}");
    let show = out(&["pm", "show", "PM-S"]);
    assert!(show.contains(&format!("SPL-01\tnext due {next}")), "{show}");
    let later = out(&["pm", "run", "--now", &format!("{next}T08:00")]);
    assert!(later.contains(&format!("PM-S\tSPL-01\t{next}")), "{later}");
    let list: serde_json::Value = serde_json::from_str(&out(&["pm", "list", "--json"])).unwrap();
    assert_eq!(list[0]["code"], "PM-S");
    assert!(out(&["pm", "pause", "PM-S"]).contains("paused"));
    let far = next.checked_add(jiff::Span::new().months(2)).unwrap();
    let paused = out(&["pm", "run", "--now", &format!("{far}T08:00")]);
    assert!(paused.contains("0 preventive orders generated"), "{paused}");
}
