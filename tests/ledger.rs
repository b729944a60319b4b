//! The ledger on a real redb file: a work order's estimate is committed when it starts and its
//! cost realized against it when it closes; replaying the outbox changes nothing; a source
//! posted twice with other values is a reported conflict; a closed month is sealed (late
//! postings land in the first open month as adjustments, a user's posting into it is refused);
//! a budget import with a bad row writes nothing; gas estimates become the invoice; roles are
//! enforced; and, over random sequences of postings, replays and closes, every cell's totals,
//! the grid and every commitment agree with the entries.
//!
//! Every write happens at a fixed instant (`Tenant::as_of`) or carries its own date, and every
//! read passes `today` and the zone: nothing depends on when or where the tests run.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{d, sao_paulo};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use opsdeck::domain::cmms::inventory::{self, ItemInput};
use opsdeck::domain::cmms::work_orders::{self as wo, COST_POSTED, LaborInput, NewOrder, OrderRef};
use opsdeck::domain::gas::{entries as gas_entries, seed as gas_seed};
use opsdeck::domain::ledger::budget::{self, LineInput};
use opsdeck::domain::ledger::manual::{self, ManualInput};
use opsdeck::domain::ledger::periods::{self, Issue};
use opsdeck::domain::ledger::post::{self, Commitment, Totals, cell_key};
use opsdeck::domain::ledger::posting::{self, POSTING, Posting, estimate_key};
use opsdeck::domain::ledger::{LedgerAction, centers, consumer, gas, grid};
use opsdeck::domain::service::{Denied, FieldError, Guarded, require};
use opsdeck::domain::users;
use opsdeck_storage::Tenant;
use opsdeck_storage::codec;
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_storage::records::gas::QdrSource;
use opsdeck_storage::records::ledger::{
    BudgetLine, CcKind, CostCenter, Entry, Month, PeriodClose, Phase, SourceLink,
};
use opsdeck_storage::records::user::Role;
use opsdeck_storage::refusal::{Arg, Msg};
use proptest::prelude::*;
use rust_decimal::Decimal;

const OCT: Month = Month(202610);
const NOV: Month = Month(202611);
/// The "today" every readiness and close is asked with.
const TODAY: Date = date(2026, 11, 5);
const CASA: &str = "area:Hospital Central/Casa de máquinas";

// ---------------------------------------------------------------------------------------------
// The rig

/// ana admin, bia operator, caio supervisor, dora finance, edu auditor; asset CH-01 in
/// "Hospital Central / Casa de máquinas"; item FLT-G4 (10 un, R$ 45.50); cost centers HC (the
/// site) with HC-CAG (the machine room, covering CH-01's area) and HC-ADM under it.
struct Rig {
    _dir: tempfile::TempDir,
    t: Tenant,
}

fn bare_rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("hospital", &dir.path().join("t.redb"), &[7; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    for (name, role) in [
        ("bia", Role::Operator),
        ("caio", Role::Supervisor),
        ("dora", Role::Finance),
        ("edu", Role::Auditor),
    ] {
        users::add(&t, "ana", name, role, name).unwrap();
    }
    Rig { _dir: dir, t }
}

fn cost_center(code: &str, parent: Option<&str>, kind: CcKind, covers: &[&str]) -> CostCenter {
    CostCenter {
        code: code.into(),
        name: format!("Centro {code}"),
        parent: parent.map(str::to_owned),
        kind,
        covers: covers.iter().map(|s| (*s).to_owned()).collect(),
        active: true,
    }
}

fn rig() -> Rig {
    let r = bare_rig();
    r.t.write("ana", |tx| {
        tx.insert(
            "CH-01",
            Asset {
                tag: "CH-01".into(),
                name: "Chiller 1".into(),
                kind: "chiller".into(),
                site: "Hospital Central".into(),
                area: "Casa de máquinas".into(),
                location: String::new(),
                make: String::new(),
                model: String::new(),
                serial: String::new(),
                installed: None,
                criticality: Criticality::Critical,
                sensors: vec![],
                active: true,
                notes: String::new(),
            },
        )?;
        Ok(())
    })
    .unwrap();
    inventory::save_item(
        &r.t,
        "ana",
        ItemInput {
            code: "FLT-G4".into(),
            name: "Filtro G4 592x592".into(),
            unit: "un".into(),
            unit_cost: d("45.50"),
            min_stock: d("2"),
        },
        None,
    )
    .unwrap();
    inventory::receive(
        &r.t,
        "ana",
        "FLT-G4",
        "Almoxarifado",
        d("10"),
        None,
        "NF 123",
    )
    .unwrap();
    for cc in [
        cost_center("HC", None, CcKind::Site, &["site:Hospital Central"]),
        cost_center("HC-CAG", Some("HC"), CcKind::Area, &[CASA]),
        cost_center("HC-ADM", Some("HC"), CcKind::Area, &[]),
    ] {
        centers::set_cost_center(&r.t, "dora", cc).unwrap();
    }
    r
}

fn ts(s: &str) -> Timestamp {
    s.parse()
        .unwrap_or_else(|e| panic!("'{s}' is not an instant: {e}"))
}

fn now(id: u64) -> OrderRef {
    OrderRef::now(id)
}

impl Rig {
    /// A handle writing at `at` (RFC 3339).
    fn at(&self, at: &str) -> Tenant {
        self.t.as_of(ts(at))
    }

    fn run(&self) -> consumer::Report {
        consumer::run(&self.t, &sao_paulo()).unwrap()
    }

    fn entries(&self) -> Vec<Entry> {
        self.t
            .list::<Entry>()
            .unwrap()
            .into_iter()
            .map(|v| v.value)
            .collect()
    }

    fn entries_of(&self, f: impl Fn(&Entry) -> bool) -> Vec<Entry> {
        self.entries().into_iter().filter(|e| f(e)).collect()
    }

    fn totals(&self) -> BTreeMap<String, Totals> {
        periods::totals(&self.t).unwrap().into_iter().collect()
    }

    fn cell(&self, month: Month, cc: &str, cat: &str) -> Totals {
        self.totals()
            .get(&cell_key(month, cc, cat))
            .copied()
            .unwrap_or_default()
    }

    fn commitment(&self, source: &str) -> Option<Commitment> {
        commitments(&self.t).remove(source)
    }

    fn digest(&self, month: Month) -> String {
        self.t
            .write_if("test", |tx| Ok((false, periods::digest_in(tx, month)?.0)))
            .unwrap()
    }

    fn counter(&self) -> u64 {
        self.t.change_counter().unwrap()
    }

    fn emit(&self, p: &Posting) {
        self.t
            .write("ana", |tx| posting::emit(tx, "test", &p.source, p))
            .unwrap();
    }

    fn events_named(&self, name: &str) -> usize {
        self.t
            .events_after(0, 100_000)
            .unwrap()
            .iter()
            .filter(|e| e.name == name)
            .count()
    }

    /// A corrective order on CH-01, opened (and given `estimate`) by ana through `t`.
    fn order(&self, t: &Tenant, title: &str, estimate: Option<Decimal>) -> u64 {
        let mut new = NewOrder::new(
            title,
            opsdeck_storage::records::work_order::WoKind::Corrective,
        );
        new.asset = Some("CH-01".into());
        let id = wo::open_order(t, "ana", new).unwrap().value.id;
        if estimate.is_some() {
            wo::set_estimate(t, "caio", now(id), estimate).unwrap();
        }
        id
    }

    fn close(&self, month: Month, reason: &str) -> anyhow::Result<PeriodClose> {
        periods::close(&self.t, "dora", month, &sao_paulo(), TODAY, reason).map(|v| v.value)
    }
}

fn commitments(t: &Tenant) -> BTreeMap<String, Commitment> {
    t.states(post::COMMITMENTS)
        .unwrap()
        .into_iter()
        .map(|(k, b)| (k, codec::decode::<Commitment>(&b).unwrap()))
        .collect()
}

fn field(e: &anyhow::Error) -> &FieldError {
    e.downcast_ref::<FieldError>()
        .unwrap_or_else(|| panic!("not a field error: {e:#}"))
}

fn denied(e: &anyhow::Error) -> &Denied<LedgerAction> {
    e.downcast_ref::<Denied<LedgerAction>>()
        .unwrap_or_else(|| panic!("not a ledger denial: {e:#}"))
}

fn arg(e: &FieldError, i: usize) -> String {
    match e.why.args.get(i) {
        Some(Arg::Text(t)) => t.clone(),
        other => panic!("argument {i} of {e}: {other:?}"),
    }
}

fn sum(entries: &[Entry], f: impl Fn(&Entry) -> Decimal) -> Decimal {
    entries.iter().map(f).sum()
}

/// A posting of `phase` to cost center `cc`, dated `day`.
fn posting(source: &str, phase: Phase, cc: &str, cat: &str, amount: &str, day: Date) -> Posting {
    let mut p = Posting::new(source, phase, cat, d(amount));
    p.cost_center = Some(cc.into());
    p.date = day;
    p.description = format!("{phase} {source}");
    p
}

fn manual_input(phase: Phase, day: Date, cc: &str, cat: &str, amount: &str) -> ManualInput {
    ManualInput {
        phase,
        date: day,
        cost_center: cc.into(),
        category: cat.into(),
        amount: d(amount),
        description: format!("{phase} manual"),
        reason: "conferido com a nota".into(),
        evidence: String::new(),
        against: None,
        corrects: None,
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The work-order loop

/// Order 1 (estimate R$ 5000): started Oct 10, 3 h labor at R$ 80, a service of R$ 1800 and
/// 2 x FLT-G4 (R$ 91) booked, completed Oct 20. Returns its id and cost.
fn costed_order(r: &Rig) -> (u64, Decimal) {
    let oct10 = r.at("2026-10-10T12:00:00-03:00");
    let id = r.order(&oct10, "Vazamento no condensador", Some(d("5000")));
    wo::start(&oct10, "ana", now(id)).unwrap();
    let oct15 = r.at("2026-10-15T09:00:00-03:00");
    wo::add_labor(
        &oct15,
        "ana",
        now(id),
        LaborInput {
            technician: "Beto".into(),
            hours: d("3"),
            rate: d("80"),
            note: String::new(),
        },
    )
    .unwrap();
    wo::add_service(&oct15, "ana", now(id), "Recarga de gás R-134a", d("1800")).unwrap();
    wo::issue_part(&oct15, "ana", now(id), "FLT-G4", None, d("2")).unwrap();
    let oct20 = r.at("2026-10-20T16:00:00-03:00");
    let done = wo::complete(&oct20, "ana", now(id), "", false).unwrap();
    (id, done.order.value.cost())
}

#[test]
fn a_work_order_commits_its_estimate_and_realizes_its_cost() {
    let r = rig();
    let oct10 = r.at("2026-10-10T12:00:00-03:00");
    let id = r.order(&oct10, "Vazamento no condensador", Some(d("5000")));
    // Nothing reaches the ledger before the order starts.
    assert_eq!(r.run().entries, 0);
    assert!(r.entries().is_empty());

    wo::start(&oct10, "ana", now(id)).unwrap();
    // Posted by the consumer, not by the order's write.
    assert!(r.entries().is_empty());
    let rep = r.run();
    assert_eq!((rep.entries, rep.conflicts, rep.invalid), (1, 0, 0));
    let svc = r.cell(OCT, "HC-CAG", "services");
    assert_eq!(
        (svc.committed, svc.realized, svc.entries),
        (d("5000"), d("0"), 1)
    );
    let c = r
        .commitment(&estimate_key(id))
        .expect("the estimate is a commitment");
    assert_eq!(
        (
            c.month,
            c.cost_center.as_str(),
            c.category.as_str(),
            c.amount,
            c.open()
        ),
        (OCT, "HC-CAG", "services", d("5000"), d("5000"))
    );
    // The order's estimate cannot change once committed.
    let e = wo::set_estimate(&oct10, "caio", now(id), Some(d("9000"))).unwrap_err();
    assert_eq!(field(&e).field, "estimate");

    let oct15 = r.at("2026-10-15T09:00:00-03:00");
    wo::add_labor(
        &oct15,
        "ana",
        now(id),
        LaborInput {
            technician: "Beto".into(),
            hours: d("3"),
            rate: d("80"),
            note: String::new(),
        },
    )
    .unwrap();
    wo::add_service(&oct15, "ana", now(id), "Recarga de gás R-134a", d("1800")).unwrap();
    wo::issue_part(&oct15, "ana", now(id), "FLT-G4", None, d("2")).unwrap();
    let oct20 = r.at("2026-10-20T16:00:00-03:00");
    let done = wo::complete(&oct20, "ana", now(id), "", false).unwrap();
    let cost = done.order.value.cost();
    assert_eq!(cost, d("2131"));

    let rep = r.run();
    // 3 realizations, 3 consumes, 1 release.
    assert_eq!((rep.entries, rep.conflicts, rep.invalid), (7, 0, 0));
    let labor = r.cell(OCT, "HC-CAG", "labor");
    let parts = r.cell(OCT, "HC-CAG", "parts");
    let svc = r.cell(OCT, "HC-CAG", "services");
    assert_eq!((labor.realized, labor.committed), (d("240"), d("0")));
    assert_eq!((parts.realized, parts.committed), (d("91"), d("0")));
    assert_eq!((svc.realized, svc.committed), (d("1800"), d("0")));
    assert_eq!(labor.realized + parts.realized + svc.realized, cost);

    let c = r.commitment(&estimate_key(id)).unwrap();
    assert_eq!(
        (c.consumed, c.released, c.open()),
        (cost, d("5000") - cost, d("0"))
    );
    let against = r.entries_of(|e| e.against.as_deref() == Some(estimate_key(id).as_str()));
    let consumes: Vec<&Entry> = against
        .iter()
        .filter(|e| e.phase == Phase::Consume)
        .collect();
    let releases: Vec<&Entry> = against
        .iter()
        .filter(|e| e.phase == Phase::Release)
        .collect();
    assert_eq!((consumes.len(), releases.len()), (3, 1));
    // Consumes are written in the commitment's cell.
    assert!(
        consumes
            .iter()
            .all(|e| (e.cost_center.as_str(), e.category.as_str()) == ("HC-CAG", "services"))
    );
    let consumed: Decimal = consumes.iter().map(|e| e.amount).sum();
    assert_eq!(consumed + releases[0].amount, d("5000"));
    assert_eq!(consumed, cost);
    assert!(
        r.entries()
            .iter()
            .all(|e| e.link == SourceLink::WorkOrder(id))
    );
    assert!(r.entries().iter().all(|e| e.month == OCT));

    // The grid: the machine room has it all, the site (its parent) too, and so does the total.
    let g = grid::grid(&r.t, OCT, OCT).unwrap();
    let row = |code: &str| g.rows.iter().find(|r| r.code == code).unwrap().clone();
    let col = |code: &str| g.categories.iter().position(|(c, _)| c == code).unwrap();
    let cag = row("HC-CAG");
    assert_eq!((cag.total.realized, cag.total.committed), (cost, d("0")));
    assert_eq!(cag.cells[col("services")].realized, d("1800"));
    assert_eq!(cag.cells[col("labor")].realized, d("240"));
    assert_eq!(cag.cells[col("parts")].realized, d("91"));
    let hc = row("HC");
    assert!(hc.has_children);
    assert_eq!(hc.total, cag.total);
    assert_eq!(row("HC-ADM").total.entries, 0);
    assert_eq!((g.total.realized, g.total.committed), (cost, d("0")));
    assert_eq!(g.total.entries, 8);
    assert_eq!(g.total.entries as usize, r.entries().len());
    let series = grid::monthly(&r.t, 2026, Some("HC")).unwrap();
    let oct = series.iter().find(|(m, _)| *m == OCT).unwrap().1;
    assert_eq!(oct.realized, cost);
    assert_eq!(
        series.iter().map(|(_, f)| f.realized).sum::<Decimal>(),
        cost
    );
    // Through October: 2131 spent, the last three months' rate (2131 / 3) for the two left.
    assert_eq!(grid::forecast(&series, OCT), d("3551.67"));
    assert_eq!(
        grid::monthly(&r.t, 2026, Some("HC-ADM")).unwrap()[9]
            .1
            .entries,
        0
    );
}

#[test]
fn a_cancelled_started_order_voids_its_estimate() {
    let r = rig();
    let oct10 = r.at("2026-10-10T12:00:00-03:00");
    let id = r.order(&oct10, "Troca do compressor", Some(d("1200")));
    wo::start(&oct10, "ana", now(id)).unwrap();
    r.run();
    assert_eq!(r.cell(OCT, "HC-CAG", "services").committed, d("1200"));

    let oct12 = r.at("2026-10-12T08:00:00-03:00");
    wo::cancel(&oct12, "caio", now(id), "duplicada da OS 7").unwrap();
    let rep = r.run();
    assert_eq!(rep.entries, 1);
    let svc = r.cell(OCT, "HC-CAG", "services");
    assert_eq!(
        (svc.committed, svc.realized, svc.entries),
        (d("0"), d("0"), 2)
    );
    let voids = r.entries_of(|e| e.phase == Phase::Void);
    assert_eq!(voids.len(), 1);
    assert_eq!(voids[0].amount, d("1200"));
    assert_eq!(voids[0].against.as_deref(), Some(estimate_key(id).as_str()));
    let c = r.commitment(&estimate_key(id)).unwrap();
    assert_eq!(
        (c.consumed, c.released, c.open()),
        (d("0"), d("1200"), d("0"))
    );

    // An order cancelled before it started never reached the ledger.
    let other = r.order(&oct12, "Inspeção", Some(d("800")));
    wo::cancel(&oct12, "caio", now(other), "não precisa").unwrap();
    r.run();
    assert!(r.commitment(&estimate_key(other)).is_none());
    assert!(
        r.entries()
            .iter()
            .all(|e| e.link != SourceLink::WorkOrder(other))
    );
}

#[test]
fn an_order_without_estimate_realizes_standalone() {
    let r = rig();
    let oct10 = r.at("2026-10-10T12:00:00-03:00");
    let id = r.order(&oct10, "Limpeza de filtros", None);
    wo::start(&oct10, "ana", now(id)).unwrap();
    wo::add_service(&oct10, "ana", now(id), "Limpeza química", d("300")).unwrap();
    wo::complete(
        &r.at("2026-10-11T10:00:00-03:00"),
        "ana",
        now(id),
        "",
        false,
    )
    .unwrap();
    assert_eq!(
        r.events_named(POSTING),
        0,
        "no estimate, nothing to commit or release"
    );
    let rep = r.run();
    assert_eq!((rep.entries, rep.conflicts, rep.invalid), (1, 0, 0));
    let all = r.entries();
    assert_eq!(all.len(), 1);
    let e = &all[0];
    assert_eq!(
        (e.phase, e.amount, e.realized, e.committed, e.month, e.date),
        (
            Phase::Realize,
            d("300"),
            d("300"),
            d("0"),
            OCT,
            date(2026, 10, 11)
        )
    );
    assert_eq!(
        (e.cost_center.as_str(), e.category.as_str()),
        ("HC-CAG", "services")
    );
    assert!(r.commitment(&estimate_key(id)).is_none());
    let svc = r.cell(OCT, "HC-CAG", "services");
    assert_eq!((svc.committed, svc.realized), (d("0"), d("300")));
}

// ---------------------------------------------------------------------------------------------
// 2. Idempotence

#[test]
fn replaying_the_outbox_closing_twice_and_completing_twice_change_nothing() {
    let r = rig();
    let (id, cost) = costed_order(&r);
    let oct10 = r.at("2026-10-10T12:00:00-03:00");
    let cancelled = r.order(&oct10, "Troca do compressor", Some(d("1200")));
    wo::start(&oct10, "ana", now(cancelled)).unwrap();
    wo::cancel(&oct10, "caio", now(cancelled), "duplicada").unwrap();
    let first = r.run();
    assert_eq!(first.conflicts, 0);
    assert!(first.entries > 0);

    let entries = r.entries();
    let totals = r.totals();
    let digest = r.digest(OCT);
    let postings = r.events_named(POSTING) + r.events_named(COST_POSTED);

    r.t.rewind(consumer::CONSUMER, 0).unwrap();
    assert!(consumer::behind(&r.t).unwrap());
    let again = r.run();
    assert_eq!(
        (again.entries, again.replays, again.conflicts, again.invalid),
        (0, postings, 0, 0)
    );
    assert_eq!(r.entries(), entries);
    assert_eq!(r.totals(), totals);
    assert_eq!(r.digest(OCT), digest);
    assert!(!consumer::behind(&r.t).unwrap());

    // Closing: once, then refused.
    assert_eq!(
        periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap(),
        vec![]
    );
    let closed = r.close(OCT, "").unwrap();
    assert_eq!(closed.digest, digest);
    assert_eq!(closed.realized, cost);
    let before = r.counter();
    let e = r.close(OCT, "de novo").unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::AlreadyClosed, "{e}");
    assert_eq!(r.counter(), before, "the refused close wrote something");
    assert_eq!(periods::closed(&r.t).unwrap().len(), 1);
    assert_eq!(periods::verify(&r.t, OCT).unwrap(), Some(true));

    // Completing twice: the second is refused and posts nothing.
    let cost_events = r.events_named(COST_POSTED);
    let e = wo::complete(
        &r.at("2026-10-21T10:00:00-03:00"),
        "ana",
        now(id),
        "",
        false,
    )
    .unwrap_err();
    assert!(e.downcast_ref::<FieldError>().is_some(), "{e:#}");
    assert_eq!(r.events_named(COST_POSTED), cost_events);
    assert_eq!(r.run().entries, 0);
    assert_eq!(r.entries(), entries);
    let labor = r.entries_of(|e| e.source == format!("wo:{id}:labor:0"));
    let phases: Vec<Phase> = labor.iter().map(|e| e.phase).collect();
    assert_eq!(phases, [Phase::Realize, Phase::Consume]);
}

/// A replay is decided by what the source emitted, not by what the consumer derives from it
/// now: replaying a `cost.posted` after its asset moved areas (another scope) is still a
/// replay, not a conflict.
#[test]

fn replaying_after_the_asset_moved_is_still_a_replay() {
    use opsdeck::domain::cmms::assets::{self, AssetEdit};
    let r = rig();
    costed_order(&r);
    r.run();
    let entries = r.entries();
    assets::edit(
        &r.t,
        "ana",
        "CH-01",
        None,
        &AssetEdit {
            area: Some("Subsolo".into()),
            ..AssetEdit::default()
        },
        TODAY,
    )
    .unwrap();
    r.t.rewind(consumer::CONSUMER, 0).unwrap();
    let again = r.run();
    assert_eq!((again.entries, again.conflicts), (0, 0), "{again:?}");
    assert_eq!(r.entries(), entries);
    assert_eq!(
        periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap(),
        vec![]
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Conflicts

#[test]
fn the_same_source_with_other_values_is_a_reported_conflict() {
    let r = rig();
    let p = posting(
        "fuel:log:882",
        Phase::Realize,
        "HC-ADM",
        "fuel",
        "350",
        date(2026, 10, 5),
    );
    let mut q = p.clone();
    q.amount = d("390");
    r.emit(&p);
    r.emit(&q);
    r.emit(&p); // the same again: a replay
    let rep = r.run();
    assert_eq!((rep.entries, rep.conflicts, rep.replays), (1, 1, 1));
    let posted = r.entries_of(|e| e.source == "fuel:log:882");
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].amount, d("350"));
    assert_eq!(r.cell(OCT, "HC-ADM", "fuel").realized, d("350"));

    let issues = periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap();
    assert!(
        issues
            .iter()
            .any(|i| matches!(i, Issue::Conflict { source, .. } if source == "fuel:log:882")),
        "{issues:?}"
    );
    let audit = r.t.audit_recent(200).unwrap();
    let conflict = audit
        .iter()
        .find(|a| a.action == "ledger.conflict")
        .expect("the conflict is audited");
    assert_eq!(conflict.entity, "ledger_source/fuel:log:882");
    assert!(conflict.detail.contains("390"), "{}", conflict.detail);
    // It blocks a plain close.
    let e = r.close(OCT, "").unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::CloseNotReady);
}

/// A conflict holds back its month (and later ones) until a close goes over it with a
/// reason: a conflict of October closed over does not block November.
#[test]

fn a_conflict_closed_over_in_october_does_not_block_november() {
    let r = rig();
    let p = posting(
        "fuel:log:882",
        Phase::Realize,
        "HC-ADM",
        "fuel",
        "350",
        date(2026, 10, 5),
    );
    let mut q = p.clone();
    q.amount = d("390");
    r.emit(&p);
    r.emit(&q);
    r.run();
    r.close(OCT, "conflito da nota 882 conferido à mão")
        .unwrap();
    r.run();
    assert_eq!(
        periods::readiness(&r.t, NOV, &sao_paulo(), TODAY).unwrap(),
        vec![]
    );
}

/// `readiness` counts the postings waiting for the ledger, not every outbox event after its
/// cursor (every record write emits one: the close's own record, a user's edit, ingest), or a
/// live site would never be ready.
#[test]
fn readiness_counts_only_events_for_the_ledger() {
    let r = rig();
    r.emit(&posting(
        "nf:1",
        Phase::Realize,
        "HC-ADM",
        "parts",
        "10",
        date(2026, 10, 5),
    ));
    assert_eq!(
        periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap(),
        vec![Issue::Unposted { events: 1 }]
    );
    let e = r.close(OCT, "").unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::CloseNotReady);
    r.run();
    assert_eq!(
        periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap(),
        vec![]
    );
    r.close(OCT, "").unwrap();
    // A record write that has nothing to do with money.
    users::add(&r.t, "ana", "fabio", Role::Operator, "Fábio").unwrap();
    assert_eq!(
        periods::readiness(&r.t, NOV, &sao_paulo(), TODAY).unwrap(),
        vec![]
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Closed months

#[test]
fn a_closed_month_is_sealed_and_late_postings_become_adjustments() {
    let r = rig();
    r.emit(&posting(
        "po:55",
        Phase::Commit,
        "HC-ADM",
        "services",
        "700",
        date(2026, 10, 3),
    ));
    r.emit(&posting(
        "nf:900",
        Phase::Realize,
        "HC-ADM",
        "parts",
        "120",
        date(2026, 10, 9),
    ));
    r.run();

    // A pending commitment: a plain close is refused, naming how many issues.
    let issues = periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    let before = r.counter();
    let e = r.close(OCT, "  ").unwrap_err();
    let fe = field(&e);
    assert_eq!(fe.why.msg, Msg::CloseNotReady);
    assert_eq!(arg(fe, 1), "1");
    assert!(e.to_string().contains("1 open issues"), "{e}");
    assert!(e.to_string().contains("po:55"), "{e}");
    assert_eq!(r.counter(), before, "the refused close wrote something");
    assert_eq!(periods::verify(&r.t, OCT).unwrap(), None);

    let sealed = r
        .close(OCT, "OC 55 segue aberta; fechamento do trimestre")
        .unwrap();
    assert_eq!(sealed.open_issues.len(), 1);
    assert_eq!(
        sealed.override_reason,
        "OC 55 segue aberta; fechamento do trimestre"
    );
    assert_eq!(
        (sealed.entries, sealed.committed, sealed.realized),
        (2, d("700"), d("120"))
    );
    assert_eq!(periods::verify(&r.t, OCT).unwrap(), Some(true));
    let oct_totals: BTreeMap<String, Totals> = r
        .totals()
        .into_iter()
        .filter(|(k, _)| k.starts_with("202610|"))
        .collect();
    assert!(
        r.t.audit_recent(50)
            .unwrap()
            .iter()
            .any(|a| a.action == "ledger.close" && a.detail.contains(&sealed.digest))
    );

    // A posting for October, arriving now: November, as an adjustment naming October.
    r.emit(&posting(
        "nf:901",
        Phase::Realize,
        "HC-ADM",
        "parts",
        "300",
        date(2026, 10, 28),
    ));
    // A realization of the October commitment: its consume lands in November too.
    let mut against = posting(
        "nf:902",
        Phase::Realize,
        "HC-ADM",
        "services",
        "200",
        date(2026, 10, 30),
    );
    against.against = Some("po:55".into());
    r.emit(&against);
    // An instant late on Oct 31 in São Paulo (Nov 1 in UTC): October's, so late too.
    let mut by_instant = posting("nf:903", Phase::Realize, "HC-ADM", "parts", "10", Date::MIN);
    by_instant.at = Some(ts("2026-11-01T01:30:00Z"));
    r.emit(&by_instant);
    assert_eq!(r.run().entries, 4);

    let late = r.entries_of(|e| e.source == "nf:901");
    assert_eq!(late.len(), 1);
    let e = &late[0];
    assert_eq!(
        (e.month, e.phase, e.original_month, e.date, e.realized),
        (NOV, Phase::Adjust, Some(OCT), date(2026, 10, 28), d("300"))
    );
    let consume = r.entries_of(|e| e.source == "nf:902" && e.phase == Phase::Consume);
    assert_eq!(consume.len(), 1);
    assert_eq!((consume[0].month, consume[0].committed), (NOV, d("-200")));
    let e = &r.entries_of(|e| e.source == "nf:903")[0];
    assert_eq!(
        (e.month, e.phase, e.original_month, e.date),
        (NOV, Phase::Adjust, Some(OCT), date(2026, 10, 31))
    );
    assert_eq!(r.commitment("po:55").unwrap().consumed, d("200"));

    // A user's posting dated in October is refused, offering the adjustment in November.
    let before = r.counter();
    let e = manual::post(
        &r.t,
        "dora",
        manual_input(Phase::Realize, date(2026, 10, 15), "HC-ADM", "parts", "80"),
    )
    .unwrap_err();
    let fe = field(&e);
    assert_eq!(fe.why.msg, Msg::PeriodClosed);
    assert_eq!(
        (arg(fe, 0), arg(fe, 1)),
        ("2026-10".to_owned(), "2026-11".to_owned())
    );
    let text = e.to_string();
    assert!(
        text.contains("adjustment") && text.contains("2026-11"),
        "{text}"
    );
    assert_eq!(r.counter(), before, "the refused posting wrote something");

    // The same as an adjustment: in November, naming October.
    let mut adj = manual_input(Phase::Adjust, date(2026, 10, 15), "HC-ADM", "parts", "-50");
    adj.reason = "NF 901 lançada em duplicidade".into();
    let written = manual::post(&r.t, "dora", adj).unwrap();
    assert_eq!(written.len(), 1);
    let e = &written[0].value;
    assert_eq!(
        (e.month, e.phase, e.original_month, e.realized),
        (NOV, Phase::Adjust, Some(OCT), d("-50"))
    );
    // It keeps the day it is for; the month it counts in is the open one.
    assert_eq!(e.date, date(2026, 10, 15));
    assert_eq!(r.cell(NOV, "HC-ADM", "parts").realized, d("260"));

    // Budget lines of October are sealed too.
    let e = budget::set_line(
        &r.t,
        "dora",
        LineInput {
            month: OCT,
            cost_center: "HC-ADM".into(),
            category: "parts".into(),
            planned: d("1000"),
            note: String::new(),
        },
    )
    .unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::PeriodClosed);

    // October did not move.
    assert!(r.entries().iter().filter(|e| e.month == OCT).count() == 2);
    let now_oct: BTreeMap<String, Totals> = r
        .totals()
        .into_iter()
        .filter(|(k, _)| k.starts_with("202610|"))
        .collect();
    assert_eq!(now_oct, oct_totals);
    assert_eq!(r.digest(OCT), sealed.digest);
    assert_eq!(periods::verify(&r.t, OCT).unwrap(), Some(true));
}

// ---------------------------------------------------------------------------------------------
// 5. Budget import

#[test]
fn a_budget_import_with_bad_rows_writes_nothing_and_lists_every_one() {
    let r = rig();
    let line = |cc: &str, cat: &str, planned: &str| LineInput {
        month: NOV,
        cost_center: cc.into(),
        category: cat.into(),
        planned: d(planned),
        note: String::new(),
    };
    let rows = vec![
        (2, line("HC-CAG", "parts", "1500")),
        (3, line("XX-99", "parts", "100")),
        (4, line("HC-ADM", "labor", "-10")),
        (5, line("HC-CAG", "labor", "2500")),
        (6, line("NOPE", "nada", "-1")),
    ];
    let before = r.counter();
    let rep = budget::import(&r.t, "dora", &rows).unwrap();
    assert_eq!((rep.written, rep.unchanged), (0, 0));
    assert_eq!(r.counter(), before, "a refused import wrote something");
    assert!(r.t.list::<BudgetLine>().unwrap().is_empty());
    let bad: Vec<(u64, &str, Msg)> = rep
        .bad
        .iter()
        .map(|b| (b.row, b.error.field.as_str(), b.error.why.msg))
        .collect();
    assert_eq!(
        bad,
        vec![
            (3, "cost_center", Msg::NoCostCenter),
            (4, "planned", Msg::NotNegative),
            (6, "planned", Msg::NotNegative),
            (6, "cost_center", Msg::NoCostCenter),
            (6, "category", Msg::NoCategory),
        ]
    );
    // The unknown cost center's refusal names the known ones.
    assert!(
        rep.bad[0].error.to_string().contains("HC-CAG"),
        "{}",
        rep.bad[0].error
    );

    // Only the good rows: all written, and the grid shows them.
    let good = vec![rows[0].clone(), rows[3].clone()];
    let rep = budget::import(&r.t, "dora", &good).unwrap();
    assert_eq!((rep.written, rep.bad.len()), (2, 0));
    let g = grid::grid(&r.t, NOV, NOV).unwrap();
    let hc = g.rows.iter().find(|r| r.code == "HC").unwrap();
    assert_eq!(hc.total.planned, d("4000"));
    assert_eq!(g.total.planned, d("4000"));
    // Again: unchanged.
    let rep = budget::import(&r.t, "dora", &good).unwrap();
    assert_eq!((rep.written, rep.unchanged), (0, 2));
}

// ---------------------------------------------------------------------------------------------
// 6. Gas

/// The gas units of the seed and a cost center covering Criciúma.
fn gas_rig() -> Rig {
    let r = bare_rig();
    gas_seed::load(&r.t, "ana").unwrap();
    centers::set_cost_center(
        &r.t,
        "dora",
        cost_center("GAS-CRI", None, CcKind::Unit, &["gas:CRI"]),
    )
    .unwrap();
    r
}

#[test]
fn gas_estimates_follow_the_qdr_and_give_way_to_the_invoice() {
    let r = gas_rig();
    // Finance plans the month first (this also gives the tenant its categories: see
    // `gas_estimates_on_a_fresh_tenant_post_to_the_gas_category` for a tenant without them).
    budget::set_line(
        &r.t,
        "dora",
        LineInput {
            month: NOV,
            cost_center: "GAS-CRI".into(),
            category: "gas".into(),
            planned: d("6000"),
            note: "contrato".into(),
        },
    )
    .unwrap();
    // No tariff: nothing is estimated.
    let (d3, d4) = (date(2026, 11, 3), date(2026, 11, 4));
    gas_entries::set_qdr(&r.t, "ana", "CRI", d3, d("1000"), QdrSource::Manual).unwrap();
    gas_entries::set_qdr(&r.t, "ana", "CRI", d4, d("1200"), QdrSource::Manual).unwrap();
    assert_eq!(gas::post_estimates(&r.t, date(2026, 11, 1)).unwrap(), 0);

    gas::set_tariff(&r.t, "dora", date(2026, 1, 1), d("2.5"), "contrato 2026").unwrap();
    assert_eq!(gas::post_estimates(&r.t, date(2026, 11, 1)).unwrap(), 2);
    let cell = r.cell(NOV, "GAS-CRI", "gas");
    assert_eq!((cell.committed, cell.realized), (d("5500"), d("0")));
    // Unchanged days are left alone.
    assert_eq!(gas::post_estimates(&r.t, date(2026, 11, 1)).unwrap(), 0);

    // A corrected QDR: the old estimate voided, the new one committed.
    gas_entries::set_qdr(&r.t, "ana", "CRI", d4, d("1300"), QdrSource::Manual).unwrap();
    assert_eq!(gas::post_estimates(&r.t, date(2026, 11, 1)).unwrap(), 2);
    assert_eq!(r.cell(NOV, "GAS-CRI", "gas").committed, d("5750"));
    let void = r.entries_of(|e| e.phase == Phase::Void);
    assert_eq!(void.len(), 1);
    assert_eq!(
        (void[0].amount, void[0].against.as_deref()),
        (d("3000"), Some("gas:CRI:2026-11-04"))
    );
    assert_eq!(
        r.commitment("gas:CRI:2026-11-04#2").unwrap().amount,
        d("3250")
    );
    assert_eq!(r.commitment("gas:CRI:2026-11-04").unwrap().open(), d("0"));
    let summary = gas::month_summary(&r.t, NOV).unwrap();
    assert_eq!(summary.get("CRI"), Some(&(d("5750"), None)));

    // The invoice: realized, and the month's estimates released.
    let (estimated, invoiced) =
        gas::set_invoice(&r.t, "dora", "CRI", NOV, "NF 7781", d("2300"), d("5900")).unwrap();
    assert_eq!((estimated, invoiced), (d("5750"), d("5900")));
    let cell = r.cell(NOV, "GAS-CRI", "gas");
    assert_eq!((cell.committed, cell.realized), (d("0"), d("5900")));
    assert!(commitments(&r.t).values().all(|c| c.open().is_zero()));
    let summary = gas::month_summary(&r.t, NOV).unwrap();
    assert_eq!(summary.get("CRI"), Some(&(d("5750"), Some(d("5900")))));
    // Keyed again: refused; a QDR changed after the invoice changes nothing.
    let e = gas::set_invoice(&r.t, "dora", "CRI", NOV, "NF 7782", d("1"), d("1")).unwrap_err();
    assert_eq!(field(&e).field, "number");
    gas_entries::set_qdr(&r.t, "ana", "CRI", d3, d("900"), QdrSource::Manual).unwrap();
    assert_eq!(gas::post_estimates(&r.t, date(2026, 11, 1)).unwrap(), 0);
    assert_eq!(r.cell(NOV, "GAS-CRI", "gas").committed, d("0"));
    // Every gas entry is in the gas column, against the plan.
    assert!(r.entries().iter().all(|e| e.category == "gas"));
    let g = grid::grid(&r.t, NOV, NOV).unwrap();
    let gas_col = g.categories.iter().position(|(c, _)| c == "gas").unwrap();
    let row = g.rows.iter().find(|r| r.code == "GAS-CRI").unwrap();
    let cell = row.cells[gas_col];
    assert_eq!(
        (cell.planned, cell.realized, cell.committed),
        (d("6000"), d("5900"), d("0"))
    );
    assert_eq!(cell.available(), d("100"));
    check_invariants(&r.t);
}

/// On a tenant whose ledger has seen nothing else yet (a gas-only tenant), gas estimates and
/// invoices still land in the built-in "gas" category, not in "other" (entries are immutable:
/// a wrong category would stay).
#[test]

fn gas_estimates_on_a_fresh_tenant_post_to_the_gas_category() {
    let r = gas_rig();
    gas::set_tariff(&r.t, "dora", date(2026, 1, 1), d("2.5"), "contrato 2026").unwrap();
    gas_entries::set_qdr(
        &r.t,
        "ana",
        "CRI",
        date(2026, 11, 3),
        d("1000"),
        QdrSource::Manual,
    )
    .unwrap();
    assert_eq!(gas::post_estimates(&r.t, date(2026, 11, 1)).unwrap(), 1);
    gas::set_invoice(&r.t, "dora", "CRI", NOV, "NF 1", d("1000"), d("2600")).unwrap();
    let cats: Vec<(String, Phase)> = r
        .entries()
        .into_iter()
        .map(|e| (e.category, e.phase))
        .collect();
    assert_eq!(
        cats,
        [
            ("gas".to_owned(), Phase::Commit),
            ("gas".to_owned(), Phase::Release),
            ("gas".to_owned(), Phase::Realize),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Roles

#[test]
fn operators_may_not_touch_the_ledger_and_supervisors_only_look() {
    let r = rig();
    let ops = |user: &str| {
        let post = manual::post(
            &r.t,
            user,
            manual_input(Phase::Realize, date(2026, 10, 2), "HC-ADM", "parts", "10"),
        );
        let close = periods::close(&r.t, user, OCT, &sao_paulo(), TODAY, "motivo");
        (post.map(|_| ()), close.map(|_| ()))
    };

    // bia, operator: no view, no post, no close.
    let e = require(&r.t, "bia", LedgerAction::View).unwrap_err();
    assert_eq!(denied(&e).action, LedgerAction::View);
    assert!(!LedgerAction::View.allowed(Role::Operator));
    let (p, c) = ops("bia");
    let (p, c) = (p.unwrap_err(), c.unwrap_err());
    assert_eq!(denied(&p).action, LedgerAction::Post);
    assert_eq!(denied(&c).action, LedgerAction::Close);
    assert_eq!(denied(&p).role, Some(Role::Operator));

    // caio, supervisor: views, but neither posts, closes, budgets nor keys invoices.
    assert_eq!(
        require(&r.t, "caio", LedgerAction::View).unwrap(),
        Role::Supervisor
    );
    let (p, c) = ops("caio");
    assert_eq!(denied(&p.unwrap_err()).action, LedgerAction::Post);
    assert_eq!(denied(&c.unwrap_err()).action, LedgerAction::Close);
    let line = LineInput {
        month: NOV,
        cost_center: "HC-ADM".into(),
        category: "parts".into(),
        planned: d("1"),
        note: String::new(),
    };
    let e = budget::set_line(&r.t, "caio", line.clone()).unwrap_err();
    assert_eq!(denied(&e).action, LedgerAction::Budget);
    let e = gas::set_invoice(&r.t, "caio", "CRI", NOV, "1", d("1"), d("1")).unwrap_err();
    assert_eq!(denied(&e).action, LedgerAction::Post);
    let e = centers::set_cost_center(&r.t, "caio", cost_center("X", None, CcKind::Other, &[]))
        .unwrap_err();
    assert_eq!(denied(&e).action, LedgerAction::Configure);
    // edu, auditor: views only.
    assert!(require(&r.t, "edu", LedgerAction::View).is_ok());
    assert!(require(&r.t, "edu", LedgerAction::Post).is_err());
    assert!(r.entries().is_empty());
    assert!(periods::closed(&r.t).unwrap().is_empty());

    // Every refusal is audited.
    let denials: Vec<(String, String)> =
        r.t.audit_recent(200)
            .unwrap()
            .into_iter()
            .filter(|a| a.action.starts_with("denied:ledger."))
            .map(|a| (a.actor, a.action))
            .collect();
    for (who, what) in [
        ("bia", "denied:ledger.view"),
        ("bia", "denied:ledger.post"),
        ("bia", "denied:ledger.close"),
        ("caio", "denied:ledger.post"),
        ("caio", "denied:ledger.close"),
        ("caio", "denied:ledger.budget"),
    ] {
        assert!(
            denials.iter().any(|(a, b)| a == who && b == what),
            "{who} {what} not audited: {denials:?}"
        );
    }

    // dora, finance: all of it.
    let (p, c) = ops("dora");
    p.unwrap();
    c.unwrap();
    budget::set_line(&r.t, "dora", line).unwrap();
}

// ---------------------------------------------------------------------------------------------
// 8. Properties

/// What must hold whatever was posted: cells, grid and commitments agree with the entries.
fn check_invariants(t: &Tenant) {
    let entries: Vec<Entry> = t
        .list::<Entry>()
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect();

    // (a) every cell's totals are the sums of its entries.
    let mut expect: BTreeMap<String, Totals> = BTreeMap::new();
    for e in &entries {
        let t = expect
            .entry(cell_key(e.month, &e.cost_center, &e.category))
            .or_default();
        t.committed += e.committed;
        t.realized += e.realized;
        t.savings += e.savings;
        t.entries += 1;
    }
    let stored: BTreeMap<String, Totals> = periods::totals(t).unwrap().into_iter().collect();
    assert_eq!(stored, expect, "cell totals differ from their entries");

    // ... and so is the grid, at every level.
    let centers: Vec<CostCenter> = t
        .list::<CostCenter>()
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect();
    let subtree = |root: &str| {
        let mut keep: BTreeSet<String> = [root.to_owned()].into();
        loop {
            let more: Vec<String> = centers
                .iter()
                .filter(|c| {
                    c.parent.as_ref().is_some_and(|p| keep.contains(p)) && !keep.contains(&c.code)
                })
                .map(|c| c.code.clone())
                .collect();
            if more.is_empty() {
                return keep;
            }
            keep.extend(more);
        }
    };
    let fig = |f: &dyn Fn(&Entry) -> bool| {
        let sel: Vec<Entry> = entries.iter().filter(|e| f(e)).cloned().collect();
        (
            sum(&sel, |e| e.committed),
            sum(&sel, |e| e.realized),
            sum(&sel, |e| e.savings),
            sel.len() as u64,
        )
    };
    let of = |f: &grid::Figures| (f.committed, f.realized, f.savings, f.entries);
    let g = grid::grid(t, Month(202601), Month(202712)).unwrap();
    for row in &g.rows {
        let sub = subtree(&row.code);
        assert_eq!(
            of(&row.total),
            fig(&|e| sub.contains(&e.cost_center)),
            "row {}",
            row.code
        );
        for ((cat, _), cell) in g.categories.iter().zip(&row.cells) {
            assert_eq!(
                of(cell),
                fig(&|e| sub.contains(&e.cost_center) && &e.category == cat),
                "cell {} {cat}",
                row.code
            );
        }
    }
    for ((cat, _), tot) in g.categories.iter().zip(&g.totals) {
        assert_eq!(of(tot), fig(&|e| &e.category == cat), "total of {cat}");
    }
    assert_eq!(of(&g.total), fig(&|_| true), "grand total");

    // (b) every commitment: consumed + released + open = amount, and its entries say so.
    for (k, c) in commitments(t) {
        let (consumed, released, open) = (c.consumed, c.released, c.open());
        assert!(
            consumed >= Decimal::ZERO && released >= Decimal::ZERO && open >= Decimal::ZERO,
            "{k}: {c:?}"
        );
        assert_eq!(consumed + released + open, c.amount, "{k}");
        let commit: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.source == k && !e.committed.is_zero())
            .collect();
        assert_eq!(commit.len(), 1, "{k}: its commit entry");
        assert_eq!(commit[0].committed, c.amount, "{k}");
        let against: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.against.as_deref() == Some(k.as_str()))
            .collect();
        let consumes: Decimal = against
            .iter()
            .filter(|e| e.phase == Phase::Consume)
            .map(|e| e.amount)
            .sum();
        assert_eq!(consumes, consumed, "{k}: consumes");
        // Releases and voids (stored as adjustments when late) take what was left.
        let let_go: Vec<&&Entry> = against
            .iter()
            .filter(|e| e.phase != Phase::Consume && !e.committed.is_zero())
            .collect();
        assert!(
            let_go
                .iter()
                .all(|e| matches!(e.phase, Phase::Release | Phase::Void | Phase::Adjust))
        );
        assert_eq!(
            let_go.iter().map(|e| e.amount).sum::<Decimal>(),
            released,
            "{k}: releases"
        );
        assert_eq!(
            let_go.iter().map(|e| -e.committed).sum::<Decimal>(),
            released,
            "{k}: releases' effect"
        );
        let effect: Decimal =
            commit[0].committed + against.iter().map(|e| e.committed).sum::<Decimal>();
        assert_eq!(effect, open, "{k}: what is still committed");
        assert!(against.iter().all(|e| e.phase != Phase::Consume
            || (e.cost_center == c.cost_center && e.category == c.category)));
    }
}

const PCCS: [&str; 3] = ["CC-A", "CC-B", "CC-C"];
const PCATS: [&str; 3] = ["labor", "parts", "services"];
const PMONTHS: [Month; 3] = [Month(202609), OCT, NOV];

#[derive(Debug, Clone)]
struct Spot {
    cc: usize,
    cat: usize,
    month: usize,
    day: i8,
    /// Sent as an instant late that evening in São Paulo (the next day in UTC).
    by_instant: bool,
}

#[derive(Debug, Clone)]
enum Op {
    Commit {
        i: u8,
        at: Spot,
        cents: i64,
    },
    Realize {
        j: u8,
        against: Option<u8>,
        at: Spot,
        cents: i64,
    },
    Release {
        i: u8,
        at: Spot,
    },
    Void {
        i: u8,
        at: Spot,
    },
    Savings {
        j: u8,
        at: Spot,
        cents: i64,
    },
    Replay {
        k: usize,
    },
    Close {
        month: usize,
    },
    Manual {
        phase: usize,
        against: Option<u8>,
        at: Spot,
        cents: i64,
    },
    Run,
}

fn spot() -> impl Strategy<Value = Spot> {
    (
        0..3usize,
        0..3usize,
        0..3usize,
        1..=30i8,
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(cc, cat, month, day, by_instant)| Spot {
            cc,
            cat,
            month,
            day,
            by_instant,
        })
}

fn op() -> impl Strategy<Value = Op> {
    let cents = 1i64..=500_000;
    prop_oneof![
        4 => (0..5u8, spot(), cents.clone()).prop_map(|(i, at, cents)| Op::Commit { i, at, cents }),
        4 => (0..8u8, proptest::option::of(0..5u8), spot(), cents.clone())
            .prop_map(|(j, against, at, cents)| Op::Realize { j, against, at, cents }),
        2 => (0..5u8, spot()).prop_map(|(i, at)| Op::Release { i, at }),
        1 => (0..5u8, spot()).prop_map(|(i, at)| Op::Void { i, at }),
        1 => (0..4u8, spot(), cents.clone()).prop_map(|(j, at, cents)| Op::Savings { j, at, cents }),
        2 => (0..64usize).prop_map(|k| Op::Replay { k }),
        1 => (0..3usize).prop_map(|month| Op::Close { month }),
        2 => (0..4usize, proptest::option::of(0..5u8), spot(), cents)
            .prop_map(|(phase, against, at, cents)| Op::Manual { phase, against, at, cents }),
        3 => Just(Op::Run),
    ]
}

impl Spot {
    fn date(&self) -> Date {
        let m = PMONTHS[self.month];
        let day = self.day.min(m.last_day().day());
        date(m.year(), m.month(), day)
    }

    fn posting(&self, source: String, phase: Phase, cents: i64) -> Posting {
        let mut p = Posting::new(source, phase, PCATS[self.cat], Decimal::new(cents, 2));
        p.cost_center = Some(PCCS[self.cc].into());
        p.date = self.date();
        if self.by_instant {
            // 22:30 in São Paulo (UTC-3): already the next day in UTC.
            let evening = self.date().at(22, 30, 0, 0).to_zoned(sao_paulo()).unwrap();
            p.at = Some(evening.timestamp());
            p.date = Date::MIN;
        }
        p.description = format!("{phase} {}", p.source);
        p
    }
}

/// A tenant with ana (admin) and the cost centers CC-A > CC-B, CC-C.
fn prop_rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("prop", &dir.path().join("t.redb"), &[9; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    for cc in [
        cost_center("CC-A", None, CcKind::Site, &[]),
        cost_center("CC-B", Some("CC-A"), CcKind::Area, &[]),
        cost_center("CC-C", None, CcKind::Fleet, &[]),
    ] {
        centers::set_cost_center(&t, "ana", cc).unwrap();
    }
    Rig { _dir: dir, t }
}

/// Runs `ops`, checking the invariants after every step, and that no entry lands in a month
/// after it closed, closed months keep verifying, and entries never change once written.
fn run_ops(ops: &[Op]) {
    let r = prop_rig();
    let tz = sao_paulo();
    let mut emitted: Vec<Posting> = Vec::new();
    // Per closed month: the ids of the entries that existed when it closed.
    let mut sealed: BTreeMap<Month, BTreeSet<u64>> = BTreeMap::new();
    let mut seen: BTreeMap<u64, Entry> = BTreeMap::new();
    fn emit(r: &Rig, p: Posting, emitted: &mut Vec<Posting>) {
        r.emit(&p);
        emitted.push(p);
    }
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Commit { i, at, cents } => emit(
                &r,
                at.posting(format!("c:{i}"), Phase::Commit, *cents),
                &mut emitted,
            ),
            Op::Realize {
                j,
                against,
                at,
                cents,
            } => {
                let mut p = at.posting(format!("r:{j}"), Phase::Realize, *cents);
                p.against = against.map(|i| format!("c:{i}"));
                emit(&r, p, &mut emitted);
            }
            Op::Release { i, at } | Op::Void { i, at } => {
                let (phase, tag) = match op {
                    Op::Release { .. } => (Phase::Release, "release"),
                    _ => (Phase::Void, "void"),
                };
                let mut p = at.posting(format!("c:{i}:{tag}"), phase, 0);
                p.against = Some(format!("c:{i}"));
                emit(&r, p, &mut emitted);
            }
            Op::Savings { j, at, cents } => {
                let mut p = at.posting(format!("s:{j}"), Phase::Savings, *cents);
                p.reason = "desconto negociado".into();
                emit(&r, p, &mut emitted);
            }
            Op::Replay { k } => {
                if !emitted.is_empty() {
                    let p = emitted[k % emitted.len()].clone();
                    emit(&r, p, &mut emitted);
                }
            }
            Op::Close { month } => {
                let m = PMONTHS[*month];
                let ids: BTreeSet<u64> = r.entries().iter().map(|e| e.id).collect();
                match periods::close(
                    &r.t,
                    "ana",
                    m,
                    &tz,
                    date(2026, 12, 15),
                    "teste de propriedade",
                ) {
                    Ok(_) => {
                        sealed.insert(m, ids);
                    }
                    Err(e) => {
                        assert!(
                            sealed.contains_key(&m),
                            "step {step}: close {m} refused: {e:#}"
                        );
                        assert_eq!(field(&e).why.msg, Msg::AlreadyClosed);
                    }
                }
            }
            Op::Manual {
                phase,
                against,
                at,
                cents,
            } => {
                let phase = [Phase::Commit, Phase::Realize, Phase::Savings, Phase::Adjust][*phase];
                let mut input = ManualInput {
                    phase,
                    date: at.date(),
                    cost_center: PCCS[at.cc].into(),
                    category: PCATS[at.cat].into(),
                    amount: Decimal::new(*cents, 2),
                    description: format!("manual {phase}"),
                    reason: "conferido".into(),
                    evidence: String::new(),
                    against: None,
                    corrects: None,
                };
                if phase == Phase::Realize {
                    input.against = against.map(|i| format!("c:{i}"));
                }
                let before = r.counter();
                match manual::post(&r.t, "ana", input) {
                    Ok(v) => {
                        assert!(!v.is_empty());
                        for e in &v {
                            assert!(!sealed.contains_key(&e.value.month), "step {step}: {e:?}");
                        }
                    }
                    Err(e) => {
                        let msg = field(&e).why.msg;
                        assert!(
                            matches!(msg, Msg::PeriodClosed | Msg::NoCommitment),
                            "step {step}: {e:#}"
                        );
                        if msg == Msg::PeriodClosed {
                            assert!(
                                sealed.contains_key(&Month::of(at.date())),
                                "step {step}: {e:#}"
                            );
                        }
                        assert_eq!(
                            r.counter(),
                            before,
                            "step {step}: a refusal wrote something"
                        );
                    }
                }
            }
            Op::Run => {
                let rep = consumer::run(&r.t, &tz).unwrap();
                assert_eq!(rep.invalid, 0, "step {step}: {rep:?}");
            }
        }
        check_invariants(&r.t);
        let entries = r.entries();
        for e in &entries {
            if let Some(old) = seen.get(&e.id) {
                assert_eq!(old, e, "step {step}: entry {} changed", e.id);
            }
            if let Some(ids) = sealed.get(&e.month) {
                assert!(
                    ids.contains(&e.id),
                    "step {step}: {e:?} written into closed {}",
                    e.month
                );
            }
        }
        seen = entries.into_iter().map(|e| (e.id, e)).collect();
        for m in sealed.keys() {
            assert_eq!(
                periods::verify(&r.t, *m).unwrap(),
                Some(true),
                "step {step}: {m}"
            );
        }
    }
    // Everything posted in the end, and a replay of the whole outbox changes nothing (the
    // conflicts found the first time are found again, and still not posted).
    consumer::run(&r.t, &tz).unwrap();
    check_invariants(&r.t);
    let (entries, totals) = (r.entries(), r.totals());
    let conflicts = r.t.states(post::CONFLICTS).unwrap().len();
    r.t.rewind(consumer::CONSUMER, 0).unwrap();
    let again = consumer::run(&r.t, &tz).unwrap();
    assert_eq!(again.entries, 0, "{again:?}");
    assert!(again.conflicts >= conflicts, "{again:?}");
    assert_eq!(r.entries(), entries);
    assert_eq!(r.totals(), totals);
    for m in sealed.keys() {
        assert_eq!(periods::verify(&r.t, *m).unwrap(), Some(true), "{m}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn totals_grid_commitments_and_closes_agree_with_the_entries(ops in proptest::collection::vec(op(), 1..40)) {
        run_ops(&ops);
    }
}

// ---------------------------------------------------------------------------------------------
// What the review found

/// Sources compute money with more than two decimals (4.5 h x R$ 47.3333, 2.5 x an average
/// cost): the ledger keeps it in cents and posts it, it does not refuse the cost line.
#[test]
fn cost_with_more_than_two_decimals_is_posted_in_cents() {
    let r = rig();
    let mut p = posting(
        "wo:9:labor:0",
        Phase::Realize,
        "HC-CAG",
        "labor",
        "212.99985",
        date(2026, 11, 3),
    );
    r.emit(&p);
    // Labor at rate 0: nothing to post, and nothing refused.
    p.source = "wo:9:labor:1".into();
    p.amount = Decimal::ZERO;
    r.emit(&p);
    let report = r.run();
    assert_eq!((report.entries, report.invalid), (1, 0), "{report:?}");
    let e = r.entries_of(|e| e.source == "wo:9:labor:0");
    assert_eq!(e[0].realized, d("213.00"));
    assert!(
        periods::readiness(&r.t, NOV, &sao_paulo(), date(2026, 12, 5))
            .unwrap()
            .is_empty()
    );
}

/// A posting the ledger cannot take is kept for the close-readiness view (not only a log
/// line), holds the month back, and a close that goes over it with its reason lets the next
/// month close.
#[test]
fn a_refused_posting_is_listed_until_a_close_goes_over_it() {
    let r = rig();
    let mut p = posting(
        "fuel:log:1",
        Phase::Realize,
        "HC-ADM",
        "fuel",
        "10",
        date(2026, 10, 8),
    );
    p.amount = d("-10");
    r.emit(&p);
    assert_eq!(r.run().invalid, 1);
    let issues = periods::readiness(&r.t, OCT, &sao_paulo(), TODAY).unwrap();
    assert!(
        matches!(&issues[..], [Issue::Rejected { source, .. }] if source == "fuel:log:1"),
        "{issues:?}"
    );
    // Replaying the outbox does not report it twice.
    r.t.rewind(consumer::CONSUMER, 0).unwrap();
    r.run();
    let rejected =
        r.t.audit_recent(10_000)
            .unwrap()
            .into_iter()
            .filter(|a| a.action == "ledger.rejected")
            .count();
    assert_eq!(rejected, 1);
    r.close(OCT, "nota com valor negativo devolvida ao posto")
        .unwrap();
    assert!(
        periods::readiness(&r.t, NOV, &sao_paulo(), date(2026, 12, 5))
            .unwrap()
            .is_empty()
    );
}

/// Replaying a conflicting posting changes nothing: no second audit entry, and a conflict a
/// close went over stays gone.
#[test]
fn replaying_a_conflict_reports_it_once() {
    let r = rig();
    let p = posting(
        "nf:7",
        Phase::Realize,
        "HC-ADM",
        "parts",
        "70",
        date(2026, 10, 2),
    );
    let mut q = p.clone();
    q.amount = d("77");
    r.emit(&p);
    r.emit(&q);
    r.run();
    r.close(OCT, "conflito conferido").unwrap();
    r.t.rewind(consumer::CONSUMER, 0).unwrap();
    let again = r.run();
    assert_eq!((again.entries, again.conflicts), (0, 1));
    let audits =
        r.t.audit_recent(10_000)
            .unwrap()
            .into_iter()
            .filter(|a| a.action == "ledger.conflict")
            .count();
    assert_eq!(audits, 1);
    assert!(
        periods::readiness(&r.t, NOV, &sao_paulo(), date(2026, 12, 5))
            .unwrap()
            .is_empty()
    );
}

/// A month closes once it is over: not the current month, not a month to come.
#[test]
fn a_month_that_is_not_over_does_not_close() {
    let r = rig();
    let e = r.close(NOV, "fim do mês").unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::CloseNotOver);
    let e = r.close(Month(206211), "erro de digitação").unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::CloseNotOver);
    assert!(r.t.list::<PeriodClose>().unwrap().is_empty());
}

/// `verify` checks the seal against the audit chain and the grid's sums against the entries.
#[test]
fn verify_names_what_no_longer_matches() {
    let r = rig();
    r.emit(&posting(
        "nf:1",
        Phase::Realize,
        "HC-ADM",
        "parts",
        "10",
        date(2026, 10, 5),
    ));
    r.run();
    r.close(OCT, "").unwrap();
    assert_eq!(periods::problems(&r.t, OCT).unwrap(), Some(vec![]));
    // Tamper with the grid's sums of October.
    let key = cell_key(OCT, "HC-ADM", "parts");
    r.t.write("ana", |tx| {
        let mut t: Totals =
            codec::decode(&tx.state(post::TOTALS, &key)?.expect("the cell")).expect("totals");
        t.realized += d("1000");
        tx.set_state(post::TOTALS, &key, &codec::encode(&t).expect("encode"))
    })
    .unwrap();
    let p = periods::problems(&r.t, OCT).unwrap().unwrap();
    assert!(p.len() == 1 && p[0].contains("grid's sums"), "{p:?}");
    assert_eq!(periods::verify(&r.t, OCT).unwrap(), Some(false));
}

/// Dates a posting may not have (a pane that forgot to set one, a typo of a year).
#[test]
fn a_posting_out_of_any_sane_date_is_refused() {
    let r = rig();
    let mut p = Posting::new("x:1", Phase::Realize, "parts", d("5"));
    p.cost_center = Some("HC-ADM".into());
    r.emit(&p);
    assert_eq!(r.run().invalid, 1);
    let e = manual::post(
        &r.t,
        "dora",
        manual_input(Phase::Realize, date(3026, 1, 5), "HC-ADM", "parts", "5"),
    )
    .unwrap_err();
    assert_eq!(field(&e).why.msg, Msg::DateOutOfRange);
    assert!(r.entries().is_empty());
}

/// An order made with a procedure gets the procedure's standard cost as its estimate (finance
/// sets it), committed when the order starts; an estimate keyed on the order wins.
#[test]
fn a_procedure_s_standard_cost_is_the_estimate_of_its_orders() {
    use opsdeck_storage::records::work_order::{
        ItemKind, Procedure, ProcedureItem, WoKind, WorkOrder,
    };
    let r = rig();
    r.t.write("ana", |tx| {
        tx.insert(
            "PMOC-CH",
            Procedure {
                code: "PMOC-CH".into(),
                name: "Inspeção do chiller".into(),
                items: vec![ProcedureItem {
                    text: "Pressões".into(),
                    kind: ItemKind::PassFail,
                    required: false,
                }],
            },
        )?;
        Ok(())
    })
    .unwrap();
    let e = centers::set_standard_cost(&r.t, "bia", "PMOC-CH", Some(d("2800")), "").unwrap_err();
    assert!(e.downcast_ref::<Denied<LedgerAction>>().is_some(), "{e:#}");
    let e = centers::set_standard_cost(&r.t, "dora", "NOPE", Some(d("1")), "").unwrap_err();
    assert_eq!(field(&e).field, "procedure");
    centers::set_standard_cost(&r.t, "dora", "PMOC-CH", Some(d("2800")), "com o fabricante")
        .unwrap();
    let at = r.at("2026-11-03T12:00:00Z");
    let mut new = NewOrder::new("Inspeção trimestral CH-01", WoKind::Preventive);
    new.asset = Some("CH-01".into());
    new.procedure = Some("PMOC-CH".into());
    let id = wo::open_order(&at, "ana", new).unwrap().value.id;
    assert_eq!(wo::get(&r.t, id).unwrap().value.estimate(), Some(d("2800")));
    wo::start(&at, "ana", now(id)).unwrap();
    r.run();
    assert_eq!(
        r.cell(NOV, "HC-CAG", "services").committed,
        d("2800"),
        "the standard cost committed when it started"
    );
    // Keyed on the order, the estimate is the supervisor's.
    let mut new = NewOrder::new("Inspeção extra CH-01", WoKind::Preventive);
    new.procedure = Some("PMOC-CH".into());
    new.extra.insert(WorkOrder::ESTIMATE.into(), "1500".into());
    let id = wo::open_order(&at, "ana", new).unwrap().value.id;
    assert_eq!(wo::get(&r.t, id).unwrap().value.estimate(), Some(d("1500")));
}
