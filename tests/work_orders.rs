//! Work orders on a real redb file: the status machine refuses every move it does not have,
//! holding and cancelling need a reason, a preventive order with required items open cannot be
//! closed, parts never take stock below zero (and a refused issue writes nothing), cost is the
//! sum of parts, labor and services, closing posts each cost line once however often the outbox
//! is replayed, an alert gets one order and can be resolved by it, roles are enforced and
//! refusals audited, and the CLI drives it all.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use common::cli::stdout_of;
use common::d;
use jiff::SignedDuration;
use opsdeck::domain::cmms::inventory::{self, ItemInput};
use opsdeck::domain::cmms::work_orders::{
    self as wo, AlertOutcome, COST_POSTED, CmmsDenied, CostPosted, FieldError, Filter, LaborInput,
    NewOrder, OrderRef,
};
use opsdeck::domain::telemetry::alerts;
use opsdeck::domain::users;
use opsdeck_storage::locale::Locale;
use opsdeck_storage::records::alert::{Alert, AlertStatus};
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::inventory::{Item, Movement, MovementKind};
use opsdeck_storage::records::rule::Severity;
use opsdeck_storage::records::user::Role;
use opsdeck_storage::records::work_order::{
    EvidenceRef, ItemKind, ItemResult, Priority, Procedure, ProcedureItem, WoKind, WoStatus,
    WorkOrder,
};
use opsdeck_storage::{Tenant, Versioned};
use predicates::prelude::*;
use rust_decimal::Decimal;

/// ana admin, bia and beto operators, caio supervisor, dora finance, edu auditor; asset CH-01,
/// procedure PMOC-SPLIT, item FLT-G4 (3 un at Almoxarifado, R$ 45.50).
struct Rig {
    _dir: tempfile::TempDir,
    t: Tenant,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("hospital", &dir.path().join("t.redb"), &[5; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    for (name, role) in [
        ("bia", Role::Operator),
        ("beto", Role::Operator),
        ("caio", Role::Supervisor),
        ("dora", Role::Finance),
        ("edu", Role::Auditor),
    ] {
        users::add(&t, "ana", name, role, name).unwrap();
    }
    t.write("ana", |tx| {
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
        tx.insert(
            "PMOC-SPLIT",
            Procedure {
                code: "PMOC-SPLIT".into(),
                name: "PMOC mensal — split".into(),
                items: vec![
                    ProcedureItem {
                        text: "Limpar filtros".into(),
                        kind: ItemKind::PassFail,
                        required: true,
                    },
                    ProcedureItem {
                        text: "Corrente do compressor".into(),
                        kind: ItemKind::Value { unit: "A".into() },
                        required: true,
                    },
                    ProcedureItem {
                        text: "Verificar dreno".into(),
                        kind: ItemKind::PassFail,
                        required: false,
                    },
                ],
            },
        )?;
        Ok(())
    })
    .unwrap();
    inventory::save_item(
        &t,
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
    inventory::receive(&t, "ana", "FLT-G4", "Almoxarifado", d("3"), None, "NF 123").unwrap();
    Rig { _dir: dir, t }
}

impl Rig {
    fn counter(&self) -> u64 {
        self.t.change_counter().unwrap()
    }

    fn order(&self, id: u64) -> Versioned<WorkOrder> {
        wo::get(&self.t, id).unwrap()
    }

    fn item(&self, code: &str) -> Item {
        self.t.get::<Item>(code).unwrap().unwrap().value
    }

    /// A corrective order on CH-01 opened by ana.
    fn corrective(&self) -> u64 {
        let mut new = NewOrder::new("Vazamento no condensador", WoKind::Corrective);
        new.asset = Some("ch-01".into());
        wo::open_order(&self.t, "ana", new).unwrap().value.id
    }

    /// Runs a call that must be refused; checks nothing was written (a denial adds only its
    /// audit entry) and returns the message.
    fn refused<T: std::fmt::Debug>(
        &self,
        audited: bool,
        f: impl FnOnce(&Tenant) -> anyhow::Result<T>,
    ) -> String {
        let before = self.counter();
        let err = f(&self.t).unwrap_err();
        assert_eq!(
            self.counter(),
            before + u64::from(audited),
            "the refusal wrote something: {err}"
        );
        err.to_string()
    }

    fn denials(&self) -> Vec<(String, String)> {
        self.t
            .audit_recent(1000)
            .unwrap()
            .into_iter()
            .filter(|a| a.action.starts_with("denied:"))
            .map(|a| (a.actor, a.action))
            .collect()
    }
}

fn now(id: u64) -> OrderRef {
    OrderRef::now(id)
}

/// The path from open to each status.
fn path_to(status: WoStatus) -> &'static [WoStatus] {
    use WoStatus::*;
    match status {
        Open => &[],
        InProgress => &[InProgress],
        OnHold => &[OnHold],
        Done => &[InProgress, Done],
        Cancelled => &[Cancelled],
    }
}

/// `opsdeck --data DIR --lang pt-BR ...`
fn opsdeck(dir: &Path) -> Command {
    let mut cmd = common::cli::opsdeck(dir);
    cmd.args(["--lang", "pt-BR"]);
    cmd
}
#[test]
fn status_machine_allows_exactly_its_moves() {
    use WoStatus::*;
    let r = rig();
    let allowed: BTreeSet<(&str, &str)> = [
        (Open, InProgress),
        (Open, OnHold),
        (Open, Cancelled),
        (InProgress, OnHold),
        (InProgress, Done),
        (InProgress, Cancelled),
        (OnHold, InProgress),
        (OnHold, Cancelled),
    ]
    .into_iter()
    .map(|(a, b)| (a.as_str(), b.as_str()))
    .collect();
    for from in WoStatus::ALL {
        for to in WoStatus::ALL {
            let id = r.corrective();
            for step in path_to(from) {
                wo::transition(&r.t, "ana", now(id), *step, "motivo").unwrap();
            }
            assert_eq!(r.order(id).value.status, from);
            if allowed.contains(&(from.as_str(), to.as_str())) {
                let o = wo::transition(&r.t, "ana", now(id), to, "motivo").unwrap();
                assert_eq!(o.value.status, to, "{from} -> {to}");
                let last = o.value.transitions.last().unwrap();
                assert_eq!((last.from, last.to), (from, to));
                assert_eq!(last.by, "ana");
                assert_eq!(last.reason, "motivo");
            } else {
                let msg = r.refused(false, |t| wo::transition(t, "ana", now(id), to, "motivo"));
                assert!(
                    msg.starts_with(&format!("status: cannot go from {from} to {to}")),
                    "{msg}"
                );
                if from.is_closed() {
                    assert!(msg.ends_with(&format!("{from} is final")), "{msg}");
                } else {
                    assert!(msg.contains("an order can go to: "), "{msg}");
                }
                assert_eq!(r.order(id).value.status, from);
            }
        }
    }
}

#[test]
fn hold_and_cancel_need_a_reason_and_every_move_is_kept() {
    let r = rig();
    let id = r.corrective();
    let msg = r.refused(false, |t| wo::hold(t, "ana", now(id), "  "));
    assert_eq!(
        msg,
        "reason: required to put an order on hold: say what it waits for"
    );
    let msg = r.refused(false, |t| wo::cancel(t, "ana", now(id), ""));
    assert_eq!(msg, "reason: required to cancel an order: say why");

    let msg = r.refused(false, |t| wo::resume(t, "bia", now(id)));
    assert_eq!(
        msg,
        format!("status: OS {id} is open, not on_hold; start it instead")
    );
    wo::start(&r.t, "bia", now(id)).unwrap();
    wo::hold(&r.t, "bia", now(id), "aguardando peça").unwrap();
    let msg = r.refused(false, |t| wo::start(t, "bia", now(id)));
    assert_eq!(
        msg,
        format!("status: OS {id} is on_hold, not open; resume it instead")
    );
    wo::resume(&r.t, "bia", now(id)).unwrap();
    let o = wo::cancel(&r.t, "caio", now(id), "duplicada da OS 7").unwrap();
    let moves: Vec<(WoStatus, WoStatus, &str, &str)> = o
        .value
        .transitions
        .iter()
        .map(|t| (t.from, t.to, t.by.as_str(), t.reason.as_str()))
        .collect();
    assert_eq!(
        moves,
        vec![
            (WoStatus::Open, WoStatus::InProgress, "bia", ""),
            (
                WoStatus::InProgress,
                WoStatus::OnHold,
                "bia",
                "aguardando peça"
            ),
            (WoStatus::OnHold, WoStatus::InProgress, "bia", ""),
            (
                WoStatus::InProgress,
                WoStatus::Cancelled,
                "caio",
                "duplicada da OS 7"
            ),
        ]
    );
    assert_eq!(o.value.closed_at(), Some(o.value.transitions[3].at));
}

#[test]
fn a_stale_edit_names_who_changed_the_order() {
    let r = rig();
    let id = r.corrective();
    let seen = r.order(id);
    wo::add_note(&r.t, "caio", now(id), "liguei para o fornecedor").unwrap();
    let msg = r.refused(false, |t| wo::start(t, "ana", OrderRef::from(&seen)));
    assert!(msg.contains("was changed by caio at"), "{msg}");
    assert!(msg.contains("reload"), "{msg}");
    let fresh = r.order(id);
    wo::start(&r.t, "ana", OrderRef::from(&fresh)).unwrap();
}

#[test]
fn a_preventive_order_closes_only_with_its_required_items_answered() {
    let r = rig();
    let mut new = NewOrder::new("PMOC mensal split sala 12", WoKind::Preventive);
    new.procedure = Some("PMOC-SPLIT".into());
    let id = wo::open_order(&r.t, "caio", new).unwrap().value.id;
    assert_eq!(r.order(id).value.checklist.len(), 3);
    wo::start(&r.t, "bia", now(id)).unwrap();

    let msg = r.refused(false, |t| wo::complete(t, "bia", now(id), "", false));
    assert_eq!(
        msg,
        format!(
            "checklist: OS {id} is preventive and required items are unanswered: 1 'Limpar filtros', 2 'Corrente do compressor'"
        )
    );

    // Answers must fit their item.
    let msg = r.refused(false, |t| {
        wo::answer(t, "bia", now(id), 1, ItemResult::Value(d("3")), "")
    });
    assert_eq!(
        msg,
        "result: item 1 'Limpar filtros' is pass/fail, not a value"
    );
    let msg = r.refused(false, |t| {
        wo::answer(t, "bia", now(id), 2, ItemResult::Pass, "")
    });
    assert_eq!(
        msg,
        "result: item 2 'Corrente do compressor' asks for a value in A, not pass/fail"
    );
    let msg = r.refused(false, |t| {
        wo::answer(t, "bia", now(id), 1, ItemResult::NotApplicable, "")
    });
    assert!(
        msg.contains("is required: it cannot be not applicable"),
        "{msg}"
    );
    let msg = r.refused(false, |t| {
        wo::answer(t, "bia", now(id), 4, ItemResult::Pass, "")
    });
    assert_eq!(
        msg,
        "item: there is no item 4: the checklist has items 1 to 3"
    );
    let msg = r.refused(false, |t| {
        wo::answer(t, "bia", now(id), 0, ItemResult::Pass, "")
    });
    assert!(msg.starts_with("item: there is no item 0"), "{msg}");

    wo::answer(
        &r.t,
        "bia",
        now(id),
        1,
        ItemResult::Pass,
        "filtro sujo, lavado",
    )
    .unwrap();
    let msg = r.refused(false, |t| wo::complete(t, "bia", now(id), "", false));
    assert!(
        msg.ends_with("unanswered: 2 'Corrente do compressor'"),
        "{msg}"
    );
    wo::answer(&r.t, "bia", now(id), 2, ItemResult::Value(d("7.8")), "").unwrap();
    // The optional item may stay open (or be marked not applicable).
    wo::answer(
        &r.t,
        "bia",
        now(id),
        3,
        ItemResult::NotApplicable,
        "sem dreno",
    )
    .unwrap();
    let done = wo::complete(&r.t, "bia", now(id), "", false).unwrap();
    assert_eq!(done.order.value.status, WoStatus::Done);
    let c = &done.order.value.checklist[0];
    assert_eq!(
        (c.result.clone(), c.note.as_str(), c.by.as_deref()),
        (Some(ItemResult::Pass), "filtro sujo, lavado", Some("bia"))
    );
    // Closed: no more answers.
    let msg = r.refused(false, |t| {
        wo::answer(t, "bia", now(id), 3, ItemResult::Pass, "")
    });
    assert!(
        msg.contains("a closed order takes no checklist answers"),
        "{msg}"
    );

    // Only preventive orders are gated: a corrective one with the same checklist closes.
    let mut new = NewOrder::new("Split sala 3 pingando", WoKind::Corrective);
    new.procedure = Some("PMOC-SPLIT".into());
    let id = wo::open_order(&r.t, "bia", new).unwrap().value.id;
    wo::start(&r.t, "bia", now(id)).unwrap();
    wo::complete(&r.t, "bia", now(id), "", false).unwrap();
}

#[test]
fn a_checklist_answered_at_once_is_all_or_nothing() {
    let r = rig();
    let mut new = NewOrder::new("PMOC mensal split sala 14", WoKind::Preventive);
    new.procedure = Some("PMOC-SPLIT".into());
    let id = wo::open_order(&r.t, "caio", new).unwrap().value.id;
    wo::start(&r.t, "bia", now(id)).unwrap();
    // The second answer does not fit its item: nothing is written.
    let msg = r.refused(false, |t| {
        wo::answer_all(
            t,
            "bia",
            now(id),
            vec![
                (1, ItemResult::Pass, String::new()),
                (2, ItemResult::Pass, String::new()),
            ],
        )
    });
    assert_eq!(
        msg,
        "result: item 2 'Corrente do compressor' asks for a value in A, not pass/fail"
    );
    assert!(r.order(id).value.checklist[0].result.is_none());
    let o = wo::answer_all(
        &r.t,
        "bia",
        now(id),
        vec![
            (1, ItemResult::Pass, " filtro lavado ".into()),
            (2, ItemResult::Value(d("9.6")), String::new()),
        ],
    )
    .unwrap();
    assert_eq!(o.value.checklist[0].note, "filtro lavado");
    assert_eq!(
        o.value.checklist[1].result,
        Some(ItemResult::Value(d("9.6")))
    );
    assert_eq!(o.value.checklist[1].by.as_deref(), Some("bia"));
    wo::complete(&r.t, "bia", now(id), "", false).unwrap();
}

#[test]
fn parts_never_take_stock_below_zero_and_a_refused_issue_writes_nothing() {
    let r = rig();
    let id = r.corrective();
    let moves_before = r.t.list::<Movement>().unwrap().len();
    let msg = r.refused(false, |t| {
        wo::issue_part(t, "bia", now(id), "FLT-G4", Some("Almoxarifado"), d("5"))
    });
    assert_eq!(
        msg,
        "qty: only 3 un of FLT-G4 at Almoxarifado; issue 5 would take it below zero"
    );
    assert_eq!(r.t.list::<Movement>().unwrap().len(), moves_before);
    assert!(r.order(id).value.parts.is_empty());
    assert_eq!(r.item("FLT-G4").at("Almoxarifado"), d("3"));

    let msg = r.refused(false, |t| {
        wo::issue_part(t, "bia", now(id), "FLT-G4", Some("Almoxarifado"), d("0"))
    });
    assert_eq!(msg, "qty: 0 must be above 0");
    let msg = r.refused(false, |t| {
        wo::issue_part(t, "bia", now(id), "NOPE", None, d("1"))
    });
    assert_eq!(msg, "item: there is no inventory item 'NOPE'");

    // The only location holding it is taken when none is given.
    let (o, m) = wo::issue_part(&r.t, "bia", now(id), "FLT-G4", None, d("2")).unwrap();
    assert_eq!(
        (
            m.kind,
            m.qty,
            m.unit_cost,
            m.work_order,
            m.location.as_str()
        ),
        (
            MovementKind::Issue,
            d("-2"),
            d("45.50"),
            Some(id),
            "Almoxarifado"
        )
    );
    assert_eq!(o.value.parts.len(), 1);
    assert_eq!(o.value.parts[0].movement, m.id);
    assert_eq!(r.item("FLT-G4").at("Almoxarifado"), d("1"));

    // With two locations holding it, the location must be said.
    inventory::receive(&r.t, "bia", "FLT-G4", "Oficina", d("4"), None, "").unwrap();
    let msg = r.refused(false, |t| {
        wo::issue_part(t, "bia", now(id), "FLT-G4", None, d("1"))
    });
    assert_eq!(
        msg,
        "location: FLT-G4 is stocked at Almoxarifado (1 un), Oficina (4 un): say which location"
    );
    wo::issue_part(&r.t, "bia", now(id), "FLT-G4", Some("Oficina"), d("4")).unwrap();
    assert_eq!(r.item("FLT-G4").on_hand(), d("1"));
}

#[test]
fn returned_parts_go_back_to_stock_and_off_the_order() {
    let r = rig();
    let id = r.corrective();
    let (_, issued) = wo::issue_part(&r.t, "bia", now(id), "FLT-G4", None, d("3")).unwrap();
    assert_eq!(r.item("FLT-G4").on_hand(), d("0"));
    let msg = r.refused(false, |t| {
        wo::return_part(t, "bia", now(id), "FLT-G4", None, d("4"))
    });
    assert_eq!(msg, format!("qty: only 3 of FLT-G4 were issued to OS {id}"));

    let (o, moves) = wo::return_part(&r.t, "bia", now(id), "FLT-G4", None, d("1")).unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(
        (moves[0].kind, moves[0].qty, moves[0].work_order),
        (MovementKind::Return, d("1"), Some(id))
    );
    assert_eq!(o.value.parts[0].qty, d("2"));
    assert_eq!(o.value.parts[0].movement, issued.id);
    assert_eq!(r.item("FLT-G4").at("Almoxarifado"), d("1"));
    let (o, _) = wo::return_part(&r.t, "bia", now(id), "FLT-G4", None, d("2")).unwrap();
    assert!(o.value.parts.is_empty());
    assert_eq!(o.value.cost(), d("0"));
    assert_eq!(r.item("FLT-G4").on_hand(), d("3"));
    assert_eq!(r.item("FLT-G4").unit_cost, d("45.50"));
}

/// 2 filters at 45.50, 3.5 h at 80 and 1.25 h at 120, a crane for 350: 871.00.
fn book_case(r: &Rig, id: u64) {
    wo::issue_part(&r.t, "bia", now(id), "FLT-G4", None, d("2")).unwrap();
    for (tech, hours, rate) in [("bia", "3.5", "80"), ("Refrigeração Sul", "1.25", "120")] {
        wo::add_labor(
            &r.t,
            "bia",
            now(id),
            LaborInput {
                technician: tech.into(),
                hours: d(hours),
                rate: d(rate),
                note: String::new(),
            },
        )
        .unwrap();
    }
    wo::add_service(&r.t, "bia", now(id), "Guindaste", d("350.00")).unwrap();
}

#[test]
fn cost_is_parts_plus_labor_plus_services_and_closed_orders_take_no_bookings() {
    let r = rig();
    let id = r.corrective();
    book_case(&r, id);
    assert_eq!(r.order(id).value.cost(), d("871.00"));

    let labor = |hours: &str, rate: &str| LaborInput {
        technician: "bia".into(),
        hours: d(hours),
        rate: d(rate),
        note: String::new(),
    };
    let msg = r.refused(false, |t| {
        wo::add_labor(t, "bia", now(id), labor("0", "80"))
    });
    assert_eq!(msg, "hours: 0 must be above 0");
    let msg = r.refused(false, |t| {
        wo::add_labor(t, "bia", now(id), labor("25", "80"))
    });
    assert!(msg.starts_with("hours: 25 h is more than 24 h"), "{msg}");
    let msg = r.refused(false, |t| {
        wo::add_labor(t, "bia", now(id), labor("1", "-1"))
    });
    assert_eq!(msg, "rate: -1 is negative; a rate is 0 or more");
    let msg = r.refused(false, |t| wo::add_service(t, "bia", now(id), "x", d("0")));
    assert_eq!(msg, "amount: 0 must be above 0");
    let msg = r.refused(false, |t| wo::add_service(t, "bia", now(id), " ", d("1")));
    assert!(msg.starts_with("description: required"), "{msg}");

    wo::start(&r.t, "bia", now(id)).unwrap();
    wo::complete(&r.t, "bia", now(id), "trocado", false).unwrap();
    let msg = r.refused(false, |t| {
        wo::add_labor(t, "bia", now(id), labor("1", "80"))
    });
    assert!(
        msg.contains("is done at") && msg.ends_with("takes no labor"),
        "{msg}"
    );
    let msg = r.refused(false, |t| {
        wo::issue_part(t, "bia", now(id), "FLT-G4", None, d("1"))
    });
    assert!(msg.ends_with("a closed order takes no parts"), "{msg}");
    let msg = r.refused(false, |t| wo::add_service(t, "bia", now(id), "x", d("1")));
    assert!(msg.ends_with("a closed order takes no services"), "{msg}");
    // Notes are still welcome.
    wo::add_note(
        &r.t,
        "bia",
        now(id),
        "voltou a pingar? verificar em 30 dias",
    )
    .unwrap();
}

/// A ledger consumer: posts each idempotency key once.
#[derive(Default)]
struct Ledger {
    posted: BTreeMap<String, Decimal>,
}

impl Ledger {
    fn consume(&mut self, t: &Tenant, after: u64) {
        for e in t.events_after(after, 100_000).unwrap() {
            if e.name != COST_POSTED {
                continue;
            }
            let c: CostPosted = serde_json::from_slice(&e.payload).unwrap();
            self.posted.entry(c.idempotency_key).or_insert(c.amount);
        }
    }

    fn total(&self) -> Decimal {
        self.posted.values().copied().sum()
    }
}

#[test]
fn closing_posts_each_cost_line_once_however_often_the_outbox_is_replayed() {
    let r = rig();
    let id = r.corrective();
    book_case(&r, id);
    wo::start(&r.t, "bia", now(id)).unwrap();
    let before = r.t.outbox_head().unwrap();
    let done = wo::complete(&r.t, "bia", now(id), "", false).unwrap();
    let order = done.order.value;
    let movement = order.parts[0].movement;

    let events: Vec<_> =
        r.t.events_after(0, 100_000)
            .unwrap()
            .into_iter()
            .filter(|e| e.name == COST_POSTED)
            .collect();
    assert!(events.iter().all(|e| e.seq > before));
    assert!(
        events
            .iter()
            .all(|e| e.kind == "work_order" && e.key == WorkOrder::key(id))
    );
    let raw: serde_json::Value = serde_json::from_slice(&events[0].payload).unwrap();
    assert_eq!(raw["amount"], "91.00", "amounts are decimal strings: {raw}");
    assert_eq!(raw["category"], "parts");
    assert_eq!(raw["asset"], "CH-01");
    assert_eq!(raw["work_order"], id);
    let keys: Vec<String> = events
        .iter()
        .map(|e| {
            serde_json::from_slice::<CostPosted>(&e.payload)
                .unwrap()
                .idempotency_key
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            format!("wo:{id}:part:{movement}"),
            format!("wo:{id}:labor:0"),
            format!("wo:{id}:labor:1"),
            format!("wo:{id}:service:0"),
        ]
    );

    // Replaying from the start, twice, and from the middle: each key once, the order's cost.
    let mut ledger = Ledger::default();
    ledger.consume(&r.t, 0);
    ledger.consume(&r.t, 0);
    ledger.consume(&r.t, before);
    assert_eq!(ledger.posted.len(), 4);
    assert_eq!(ledger.total(), order.cost());
    assert_eq!(ledger.total(), d("871.00"));

    // A replayed close is refused and posts nothing more.
    let head = r.t.outbox_head().unwrap();
    let msg = r.refused(false, |t| wo::complete(t, "bia", now(id), "", false));
    assert_eq!(msg, "status: cannot go from done to done: done is final");
    assert_eq!(r.t.outbox_head().unwrap(), head);
}

fn raise_alert(r: &Rig, severity: Severity) -> String {
    let key = Alert::key(41);
    r.t.write("engine", |tx| {
        let mut dev = Device::first_seen("CH-01-SENS", opsdeck_storage::clock::now());
        dev.asset = "CH-01".into();
        tx.insert("CH-01-SENS", dev)?;
        tx.insert(
            &key,
            Alert {
                id: 41,
                rule: "supply-temp-high".into(),
                device: "CH-01-SENS".into(),
                severity,
                status: AlertStatus::Open,
                raised_at: opsdeck_storage::clock::now(),
                value: Some(14.2),
                message: "Temperatura de insuflamento 14.2 °C acima de 12 °C".into(),
                last_value: Some(14.8),
                acked_by: None,
                acked_at: None,
                resolved_at: None,
                resolved_by: None,
                resolve_note: String::new(),
                reopened: 0,
            },
        )?;
        Ok(())
    })
    .unwrap();
    key
}

#[test]
fn an_alert_gets_one_order_which_can_resolve_it() {
    let r = rig();
    let key = raise_alert(&r, Severity::Critical);
    let snapshot = EvidenceRef {
        sha256: "ab".repeat(32),
        name: "CH-01-SENS_supply.csv".into(),
        size: 1200,
        by: "caio".into(),
        at: opsdeck_storage::clock::now(),
    };
    let msg = r.refused(true, |t| wo::from_alert(t, "bia", &key, None));
    assert!(
        msg.contains("bia (operator) may not wo.create.planned"),
        "{msg}"
    );

    let made = wo::from_alert(&r.t, "caio", &key, Some(snapshot.clone())).unwrap();
    assert!(made.created);
    let o = &made.order.value;
    assert_eq!(o.kind, WoKind::Predictive);
    assert_eq!(o.priority, Priority::Urgent);
    assert_eq!(o.asset.as_deref(), Some("CH-01"));
    assert_eq!(o.alert.as_deref(), Some(key.as_str()));
    assert_eq!(
        o.title,
        "Temperatura de insuflamento 14.2 °C acima de 12 °C"
    );
    assert_eq!(o.evidence, vec![snapshot]);
    assert_eq!(o.extra["alert_value"], "14.8");

    let before = r.counter();
    let again = wo::from_alert(&r.t, "ana", &key, None).unwrap();
    assert!(!again.created);
    assert_eq!(again.order.value.id, o.id);
    assert_eq!(r.counter(), before, "the second press wrote nothing");

    let id = o.id;
    wo::start(&r.t, "bia", now(id)).unwrap();
    let done = wo::complete(&r.t, "bia", now(id), "", true).unwrap();
    assert_eq!(done.alert, AlertOutcome::Resolved);
    let alert = r.t.get::<Alert>(&key).unwrap().unwrap().value;
    assert_eq!(alert.status, AlertStatus::Resolved);
    assert_eq!(alert.resolved_by.as_deref(), Some("bia"));
    assert_eq!(alert.resolve_note, format!("OS {id} concluída"));

    // A resolved alert whose order is closed gets no new order.
    let msg = r.refused(false, |t| wo::from_alert(t, "caio", &key, None));
    assert_eq!(
        msg,
        "alert: alert 41 is resolved; open an order from an open alert"
    );

    // Resolving an alert already resolved is no error, and an order without alert says so.
    let other = r.corrective();
    wo::start(&r.t, "ana", now(other)).unwrap();
    let done = wo::complete(&r.t, "ana", now(other), "", true).unwrap();
    assert_eq!(done.alert, AlertOutcome::NoAlert);
}

#[test]
fn severity_sets_priority_and_an_alert_resolved_meanwhile_is_left_alone() {
    let r = rig();
    let key = raise_alert(&r, Severity::Warning);
    let made = wo::from_alert(&r.t, "caio", &key, None).unwrap();
    assert_eq!(made.order.value.priority, Priority::High);
    assert!(made.order.value.evidence.is_empty());
    let id = made.order.value.id;
    alerts::resolve(&r.t, "caio", &key, "religado").unwrap();
    wo::start(&r.t, "bia", now(id)).unwrap();
    let done = wo::complete(&r.t, "bia", now(id), "", true).unwrap();
    assert_eq!(done.alert, AlertOutcome::AlreadyResolved);
    assert_eq!(
        wo::priority_of(Severity::Info),
        Priority::Medium,
        "info -> medium"
    );
}

#[test]
fn roles_are_enforced_and_refusals_audited() {
    let r = rig();
    // Operators open requests and corrective orders, not preventive ones.
    wo::open_order(
        &r.t,
        "bia",
        NewOrder::new("Lâmpada queimada", WoKind::Request),
    )
    .unwrap();
    let msg = r.refused(true, |t| {
        wo::open_order(t, "bia", NewOrder::new("PMOC", WoKind::Preventive))
    });
    assert_eq!(
        msg,
        "bia (operator) may not wo.create.planned (open a preventive or predictive work order) in tenant 'hospital'; ask a supervisor or an admin"
    );

    let id = r.corrective();
    // An operator may not cancel, even with a reason; the missing reason is not what they hear.
    let msg = r.refused(true, |t| wo::cancel(t, "bia", now(id), "não precisa"));
    assert!(msg.starts_with("bia (operator) may not wo.manage"), "{msg}");
    let msg = r.refused(true, |t| wo::cancel(t, "bia", now(id), ""));
    assert!(msg.starts_with("bia (operator) may not wo.manage"), "{msg}");
    let msg = r.refused(true, |t| wo::assign(t, "bia", now(id), Some("bia")));
    assert!(msg.contains("may not wo.manage"), "{msg}");

    // Finance and auditors write nothing.
    let msg = r.refused(true, |t| {
        wo::open_order(t, "dora", NewOrder::new("x", WoKind::Request))
    });
    assert!(msg.starts_with("dora (finance) may not wo.create"), "{msg}");
    let msg = r.refused(true, |t| wo::add_note(t, "edu", now(id), "olhei"));
    assert!(msg.starts_with("edu (auditor) may not wo.work"), "{msg}");
    let msg = r.refused(true, |t| wo::start(t, "nobody", now(id)));
    assert!(
        msg.contains("nobody has no role in tenant 'hospital'"),
        "{msg}"
    );
    assert_eq!(
        wo::list(&r.t, &Filter::default()).unwrap().len(),
        2,
        "nothing was created by a refused call"
    );

    // An operator works on their own orders and unassigned ones, not on someone else's.
    wo::assign(&r.t, "caio", now(id), Some("beto")).unwrap();
    let msg = r.refused(true, |t| wo::start(t, "bia", now(id)));
    assert_eq!(
        msg,
        format!(
            "bia (operator) may not wo.work (work on OS {id}, assigned to beto) in tenant 'hospital'; ask a supervisor or an admin"
        )
    );
    let e = wo::start(&r.t, "bia", now(id)).unwrap_err();
    assert!(e.downcast_ref::<CmmsDenied>().is_some());
    assert_eq!(
        opsdeck::app::outcome::words(Locale::PtBr, &e),
        format!(
            "bia (operador) não pode trabalhar na OS {id}, atribuída a beto (wo.work) no tenant 'hospital'; peça a um supervisor ou a um admin"
        ),
        "the console says the refusal in Portuguese"
    );
    wo::start(&r.t, "beto", now(id)).unwrap();
    wo::start(&r.t, "caio", now(r.corrective())).unwrap();
    let msg = r.refused(false, |t| wo::assign(t, "caio", now(id), Some("zé")));
    assert!(
        msg.starts_with("assignee: zé has no role in this tenant"),
        "{msg}"
    );
    let e = wo::assign(&r.t, "caio", now(id), Some("zé")).unwrap_err();
    assert_eq!(
        opsdeck::app::outcome::words(Locale::PtBr, &e),
        "assignee: zé não tem papel neste tenant (opsdeck user add zé --role operator)",
        "a field's refusal in Portuguese names the field"
    );

    let denials = r.denials();
    assert_eq!(denials.len(), 9, "{denials:?}");
    assert!(denials.contains(&("bia".into(), "denied:wo.manage".into())));
    assert!(denials.contains(&("dora".into(), "denied:wo.create".into())));
    assert!(denials.contains(&("edu".into(), "denied:wo.work".into())));
}

#[test]
fn new_orders_are_checked_and_listed_by_filter() {
    let r = rig();
    let bad = |f: &dyn Fn(&mut NewOrder)| {
        let mut n = NewOrder::new("Troca de correia", WoKind::Corrective);
        f(&mut n);
        let e = wo::open_order(&r.t, "ana", n).unwrap_err();
        e.downcast::<FieldError>().unwrap()
    };
    assert_eq!(bad(&|n| n.title = "  ".into()).field, "title");
    assert_eq!(
        bad(&|n| n.asset = Some("AHU-9".into())).to_string(),
        "asset: there is no asset 'AHU-9'"
    );
    assert_eq!(bad(&|n| n.assignee = Some("zé".into())).field, "assignee");
    assert_eq!(
        bad(&|n| n.procedure = Some("NOPE".into())).to_string(),
        "procedure: there is no procedure 'NOPE'"
    );

    let past = opsdeck_storage::clock::now() - SignedDuration::from_hours(2);
    let mut late = NewOrder::new("Atrasada", WoKind::Corrective);
    late.due = Some(past);
    late.assignee = Some("bia".into());
    let late = wo::open_order(&r.t, "ana", late).unwrap().value.id;
    let other = r.corrective();
    wo::start(&r.t, "ana", now(other)).unwrap();
    let ids = |f: Filter| -> Vec<u64> {
        wo::list(&r.t, &f)
            .unwrap()
            .into_iter()
            .map(|o| o.value.id)
            .collect()
    };
    assert_eq!(
        ids(Filter {
            overdue_at: Some(opsdeck_storage::clock::now()),
            ..Filter::default()
        }),
        vec![late]
    );
    assert_eq!(
        ids(Filter {
            assignee: Some("bia".into()),
            ..Filter::default()
        }),
        vec![late]
    );
    assert_eq!(
        ids(Filter {
            status: Some(WoStatus::InProgress),
            asset: Some("CH-01".into()),
            ..Filter::default()
        }),
        vec![other]
    );
    wo::set_priority(&r.t, "caio", now(late), Priority::Urgent).unwrap();
    let o = wo::set_due(&r.t, "caio", now(late), None).unwrap();
    assert_eq!((o.value.priority, o.value.due), (Priority::Urgent, None));
}

#[test]
fn downtime_windows_are_recorded_and_closed_with_the_order() {
    let r = rig();
    let id = r.corrective();
    let t0 = opsdeck_storage::clock::now() - SignedDuration::from_hours(5);
    let t1 = opsdeck_storage::clock::now() - SignedDuration::from_hours(3);
    wo::asset_down(&r.t, "bia", now(id), t0).unwrap();
    let msg = r.refused(false, |t| wo::asset_down(t, "bia", now(id), t1));
    assert!(
        msg.starts_with("from: CH-01 is already down since"),
        "{msg}"
    );
    let msg = r.refused(false, |t| {
        wo::asset_up(t, "bia", now(id), t0 - SignedDuration::from_hours(1))
    });
    assert!(msg.contains("is before the asset went down"), "{msg}");
    let o = wo::asset_up(&r.t, "bia", now(id), t1).unwrap();
    assert_eq!(o.value.downtime[0].to, Some(t1));
    let msg = r.refused(false, |t| wo::asset_up(t, "bia", now(id), t1));
    assert!(msg.contains("has no open downtime window"), "{msg}");

    // A window still open when the order closes ends then, with a note saying so.
    wo::asset_down(
        &r.t,
        "bia",
        now(id),
        opsdeck_storage::clock::now() - SignedDuration::from_hours(1),
    )
    .unwrap();
    wo::start(&r.t, "bia", now(id)).unwrap();
    let o = wo::complete(&r.t, "bia", now(id), "", false)
        .unwrap()
        .order
        .value;
    assert!(o.open_downtime().is_none());
    assert_eq!(o.downtime[1].to, o.closed_at());
    assert!(o.notes.last().unwrap().text.starts_with("Parada encerrada"));
    // One failure (the corrective order) with both windows as its downtime.
    let rel = opsdeck::domain::cmms::kpi::reliability(
        &[o],
        "CH-01",
        t0 - SignedDuration::from_hours(1),
        opsdeck_storage::clock::now(),
    );
    assert_eq!(rel.failures, 1);
    assert!(
        rel.downtime >= SignedDuration::from_hours(2),
        "{:?}",
        rel.downtime
    );

    // An order about no asset has nothing to mark down.
    let plain = wo::open_order(&r.t, "bia", NewOrder::new("Porta", WoKind::Request))
        .unwrap()
        .value
        .id;
    let msg = r.refused(false, |t| wo::asset_down(t, "bia", now(plain), t1));
    assert!(msg.starts_with("asset: OS"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn cli_creates_books_closes_and_shows_an_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    opsdeck(&dir).arg("init").assert().success();

    let out = stdout_of(opsdeck(&dir).args([
        "stock",
        "item",
        "FLT-G4",
        "--name",
        "Filtro G4",
        "--unit",
        "un",
        "--cost",
        "45,50",
        "--min",
        "2",
    ]));
    assert!(out.contains("FLT-G4 · Filtro G4"), "{out}");
    stdout_of(opsdeck(&dir).args([
        "stock",
        "receive",
        "FLT-G4",
        "3",
        "--location",
        "Almoxarifado",
    ]));

    let out = stdout_of(opsdeck(&dir).args([
        "wo",
        "create",
        "--title",
        "Troca de filtros do fancoil",
        "--type",
        "corrective",
        "--priority",
        "high",
        "--due",
        "2099-12-31",
    ]));
    assert!(out.starts_with("OS 1 open"), "{out}");

    opsdeck(&dir)
        .args(["wo", "part", "1", "FLT-G4", "5"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "only 3 un of FLT-G4 at Almoxarifado",
        ));
    stdout_of(opsdeck(&dir).args(["wo", "part", "1", "FLT-G4", "2"]));
    stdout_of(opsdeck(&dir).args(["wo", "labor", "1", "Bia", "1,5", "80"]));
    stdout_of(opsdeck(&dir).args(["wo", "service", "1", "Içamento", "100"]));
    opsdeck(&dir)
        .args(["wo", "hold", "1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("reason: required"));
    opsdeck(&dir)
        .args(["wo", "done", "1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot go from open to done"));
    stdout_of(opsdeck(&dir).args(["wo", "start", "1"]));
    let out = stdout_of(opsdeck(&dir).args(["wo", "done", "1"]));
    // 2 × 45.50 + 1.5 × 80 + 100 = 311.00, in pt-BR.
    assert!(
        out.contains("OS 1 done") && out.contains("cost R$ 311,00"),
        "{out}"
    );

    let show = stdout_of(opsdeck(&dir).args(["wo", "show", "1"]));
    for want in [
        "OS 1 · Troca de filtros do fancoil",
        "status done",
        "2 × FLT-G4 @ R$ 45,50 from Almoxarifado = R$ 91,00",
        "Bia 1,5 h × R$ 80,00/h = R$ 120,00",
        "Içamento = R$ 100,00",
        "cost R$ 311,00",
        "open -> in_progress",
        "in_progress -> done",
    ] {
        assert!(show.contains(want), "missing {want:?} in:\n{show}");
    }
    let list = stdout_of(opsdeck(&dir).args(["wo", "list", "--status", "done", "--json"]));
    let rows: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(rows[0]["cost"], "311.00");
    let stock = stdout_of(opsdeck(&dir).args(["stock", "list", "--below-min"]));
    assert!(
        stock.contains("FLT-G4") && stock.contains("BELOW MIN"),
        "{stock}"
    );
    let moves = stdout_of(opsdeck(&dir).args(["stock", "moves", "FLT-G4"]));
    assert_eq!(
        moves.lines().count(),
        3,
        "a header, receive and issue:\n{moves}"
    );
}
