//! The spare-parts inventory on a real redb file: items are checked field by field, receiving
//! re-averages the cost, adjustments need a reason and never take stock below zero, items under
//! their minimum are flagged, every movement has an id and an audit entry, and roles hold.

mod common;

use common::d;
use opsdeck::domain::cmms::inventory::{self, ItemInput};
use opsdeck::domain::cmms::work_orders::FieldError;
use opsdeck::domain::users;
use opsdeck_storage::Tenant;
use opsdeck_storage::records::inventory::{Item, MovementKind};
use opsdeck_storage::records::user::Role;

/// ana admin, bia operator, caio supervisor, dora finance.
fn tenant() -> (tempfile::TempDir, Tenant) {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("hospital", &dir.path().join("t.redb"), &[9; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "bia", Role::Operator, "Bia").unwrap();
    users::add(&t, "ana", "caio", Role::Supervisor, "Caio").unwrap();
    users::add(&t, "ana", "dora", Role::Finance, "Dora").unwrap();
    (dir, t)
}

fn input(code: &str, cost: &str, min: &str) -> ItemInput {
    ItemInput {
        code: code.into(),
        name: "Correia A-42".into(),
        unit: "un".into(),
        unit_cost: d(cost),
        min_stock: d(min),
    }
}

fn field_of(e: anyhow::Error) -> FieldError {
    e.downcast::<FieldError>().expect("a field error")
}

fn item(t: &Tenant, code: &str) -> Item {
    t.get::<Item>(code).unwrap().unwrap().value
}

#[test]
fn items_are_checked_field_by_field_and_edits_keep_the_stock() {
    let (_d, t) = tenant();
    let bad = |i: ItemInput| field_of(inventory::save_item(&t, "caio", i, None).unwrap_err());
    let e = bad(input("COR-A42", "0", "1"));
    assert_eq!(e.to_string(), "unit_cost: 0 must be above 0");
    let e = bad(input("COR-A42", "10", "-1"));
    assert_eq!(
        e.to_string(),
        "min_stock: -1 is negative; the minimum is 0 or more"
    );
    assert_eq!(bad(input(" ", "10", "1")).field, "code");
    assert_eq!(bad(input("COR A42", "10", "1")).field, "code");
    assert_eq!(
        bad(input("COR-A42", "10.12345", "1")).to_string(),
        "unit_cost: 10.12345 has more than 4 decimal places"
    );
    let mut no_unit = input("COR-A42", "10", "1");
    no_unit.unit = String::new();
    assert_eq!(bad(no_unit).field, "unit");

    let created = inventory::save_item(&t, "caio", input("COR-A42", "10", "1"), None).unwrap();
    let e = bad(input("COR-A42", "12", "1"));
    assert!(
        e.to_string()
            .starts_with("code: item COR-A42 already exists"),
        "{e}"
    );

    inventory::receive(&t, "bia", "COR-A42", "Almoxarifado", d("4"), None, "").unwrap();
    let mut edit = input("COR-A42", "11", "2");
    edit.name = "Correia A-42 (Gates)".into();
    // Editing the version read before the receipt is a conflict, naming who received.
    let e = inventory::save_item(&t, "caio", edit.clone(), Some(created.version)).unwrap_err();
    assert!(e.to_string().contains("was changed by bia"), "{e}");
    let cur = inventory::get(&t, "COR-A42").unwrap();
    let saved = inventory::save_item(&t, "caio", edit, Some(cur.version)).unwrap();
    assert_eq!(saved.value.name, "Correia A-42 (Gates)");
    assert_eq!(saved.value.at("Almoxarifado"), d("4"));
    assert_eq!(saved.value.unit_cost, d("11"));
}

#[test]
fn receiving_with_a_cost_re_averages_it() {
    let (_d, t) = tenant();
    inventory::save_item(&t, "ana", input("COR-A42", "5", "0"), None).unwrap();
    inventory::receive(&t, "bia", "COR-A42", "Almoxarifado", d("10"), None, "").unwrap();
    assert_eq!(item(&t, "COR-A42").unit_cost, d("5"));
    let m = inventory::receive(
        &t,
        "bia",
        "COR-A42",
        "Oficina",
        d("10"),
        Some(d("7")),
        "NF 88",
    )
    .unwrap();
    assert_eq!(
        (m.kind, m.qty, m.unit_cost),
        (MovementKind::Receive, d("10"), d("7"))
    );
    let i = item(&t, "COR-A42");
    assert_eq!(i.unit_cost, d("6"), "(10 × 5 + 10 × 7) / 20");
    assert_eq!(i.on_hand(), d("20"));

    let e = field_of(
        inventory::receive(&t, "bia", "COR-A42", "Oficina", d("0"), None, "").unwrap_err(),
    );
    assert_eq!(e.to_string(), "qty: 0 must be above 0");
    let e = field_of(inventory::receive(&t, "bia", "COR-A42", " ", d("1"), None, "").unwrap_err());
    assert_eq!(e.field, "location");
    let e =
        field_of(inventory::receive(&t, "bia", "NOPE", "Oficina", d("1"), None, "").unwrap_err());
    assert_eq!(e.to_string(), "item: there is no inventory item 'NOPE'");
}

#[test]
fn adjustments_need_a_reason_and_never_go_below_zero() {
    let (_d, t) = tenant();
    inventory::save_item(&t, "ana", input("COR-A42", "10", "2"), None).unwrap();
    inventory::receive(&t, "bia", "COR-A42", "Almoxarifado", d("3"), None, "").unwrap();
    let counter = t.change_counter().unwrap();

    let e = field_of(
        inventory::adjust(&t, "caio", "COR-A42", "Almoxarifado", d("-5"), "contagem").unwrap_err(),
    );
    assert_eq!(
        e.to_string(),
        "qty: only 3 un of COR-A42 at Almoxarifado; adjust 5 would take it below zero"
    );
    let e = field_of(
        inventory::adjust(&t, "caio", "COR-A42", "Oficina", d("-1"), "contagem").unwrap_err(),
    );
    assert!(
        e.to_string()
            .starts_with("qty: only 0 un of COR-A42 at Oficina"),
        "{e}"
    );
    let e = field_of(
        inventory::adjust(&t, "caio", "COR-A42", "Almoxarifado", d("-1"), " ").unwrap_err(),
    );
    assert_eq!(e.to_string(), "reason: required: say why the count changes");
    let e = field_of(
        inventory::adjust(&t, "caio", "COR-A42", "Almoxarifado", d("0"), "x").unwrap_err(),
    );
    assert_eq!(e.field, "qty");
    assert_eq!(
        t.change_counter().unwrap(),
        counter,
        "refusals wrote nothing"
    );
    assert_eq!(item(&t, "COR-A42").at("Almoxarifado"), d("3"));
    assert!(!item(&t, "COR-A42").below_minimum());

    let m = inventory::adjust(&t, "caio", "COR-A42", "Almoxarifado", d("-2"), "perda").unwrap();
    assert_eq!(
        (m.kind, m.qty, m.note.as_str()),
        (MovementKind::Adjust, d("-2"), "perda")
    );
    assert!(item(&t, "COR-A42").below_minimum());
    inventory::save_item(&t, "ana", input("FLT-G4", "45", "0"), None).unwrap();
    let below: Vec<String> = inventory::list(&t, true)
        .unwrap()
        .into_iter()
        .map(|i| i.key)
        .collect();
    assert_eq!(below, vec!["COR-A42"]);
    assert_eq!(inventory::list(&t, false).unwrap().len(), 2);
    inventory::adjust(&t, "caio", "COR-A42", "Almoxarifado", d("-1"), "perda").unwrap();
    assert_eq!(item(&t, "COR-A42").on_hand(), d("0"));
}

#[test]
fn every_movement_has_an_id_and_an_audit_entry() {
    let (_d, t) = tenant();
    inventory::save_item(&t, "ana", input("COR-A42", "10", "2"), None).unwrap();
    inventory::receive(&t, "bia", "COR-A42", "Almoxarifado", d("3"), None, "").unwrap();
    inventory::adjust(&t, "caio", "COR-A42", "Almoxarifado", d("1"), "achada").unwrap();
    inventory::save_item(&t, "ana", input("FLT-G4", "45", "0"), None).unwrap();
    inventory::receive(&t, "bia", "FLT-G4", "Almoxarifado", d("1"), None, "").unwrap();
    let moves = inventory::movements(&t, "COR-A42").unwrap();
    let ids: Vec<(u64, MovementKind, String)> =
        moves.iter().map(|m| (m.id, m.kind, m.by.clone())).collect();
    assert_eq!(
        ids,
        vec![
            (1, MovementKind::Receive, "bia".into()),
            (2, MovementKind::Adjust, "caio".into())
        ]
    );
    let audited: Vec<(String, String)> = t
        .audit_recent(100)
        .unwrap()
        .into_iter()
        .filter(|a| a.action.starts_with("inventory_movement."))
        .map(|a| (a.actor, a.entity))
        .collect();
    assert_eq!(audited.len(), 3);
    assert!(audited.contains(&("caio".into(), "inventory_movement/0000000002".into())));
}

#[test]
fn operators_receive_supervisors_manage_finance_reads() {
    let (_d, t) = tenant();
    let e = inventory::save_item(&t, "bia", input("COR-A42", "10", "2"), None).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("bia (operator) may not stock.manage"),
        "{e}"
    );
    inventory::save_item(&t, "caio", input("COR-A42", "10", "2"), None).unwrap();
    inventory::receive(&t, "bia", "COR-A42", "Almoxarifado", d("3"), None, "").unwrap();
    let e = inventory::adjust(&t, "bia", "COR-A42", "Almoxarifado", d("-1"), "x").unwrap_err();
    assert!(e.to_string().contains("may not stock.manage"), "{e}");
    let e =
        inventory::receive(&t, "dora", "COR-A42", "Almoxarifado", d("1"), None, "").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("dora (finance) may not stock.receive"),
        "{e}"
    );
    assert_eq!(item(&t, "COR-A42").on_hand(), d("3"));
    let denied: Vec<(String, String)> = t
        .audit_recent(100)
        .unwrap()
        .into_iter()
        .filter(|a| a.action.starts_with("denied:"))
        .map(|a| (a.actor, a.action))
        .collect();
    assert_eq!(denied.len(), 3);
    assert!(denied.contains(&("dora".into(), "denied:stock.receive".into())));
}
