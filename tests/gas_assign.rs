//! Who runs which gas unit, on a real redb file: an admin sets, replaces and removes a user's
//! units (stored in unit order, audited, an unchanged list writes nothing); unknown units and
//! users are refused naming the field, other roles are refused, and nothing is written then;
//! removing a user drops their units. Then `opsdeck gas assign` / `gas operators` with the real
//! binary on the demo site, whose operators come assigned.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::cli::stdout_of;
use common::me;
use opsdeck::domain::gas::assign::{self, Assignment};
use opsdeck::domain::gas::entries::{FieldError, GasAction, GasDenied};
use opsdeck::domain::gas::seed;
use opsdeck::domain::users;
use opsdeck_storage::Tenant;
use opsdeck_storage::records::gas::GasOperator;
use opsdeck_storage::records::user::Role;
use predicates::prelude::*;

/// ana admin, bia and beto operators, caio supervisor; the seeded units BOT, CRI, URU.
fn rig() -> (tempfile::TempDir, Tenant) {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("ceramica", &dir.path().join("t.redb"), &[9; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "bia", Role::Operator, "Bia").unwrap();
    users::add(&t, "ana", "beto", Role::Operator, "Beto").unwrap();
    users::add(&t, "ana", "caio", Role::Supervisor, "Caio").unwrap();
    seed::load(&t, "ana").unwrap();
    (dir, t)
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn set(t: &Tenant, user: &str, units: &[&str]) -> anyhow::Result<Assignment> {
    assign::set_units(t, "ana", user, &codes(units))
}

fn counter(t: &Tenant) -> u64 {
    t.change_counter().unwrap()
}

fn field_error(e: &anyhow::Error) -> &FieldError {
    e.downcast_ref::<FieldError>()
        .unwrap_or_else(|| panic!("not a field error: {e}"))
}

/// The newest audit entry's (actor, action, entity).
fn last_audit(t: &Tenant) -> (String, String, String) {
    let a = t.audit_recent(1).unwrap().remove(0);
    (a.actor, a.action, a.entity)
}

fn audit(actor: &str, action: &str, entity: &str) -> (String, String, String) {
    (actor.into(), action.into(), entity.into())
}

/// `opsdeck --data DIR --tenant ceramica ...`
fn opsdeck(dir: &Path) -> Command {
    let mut cmd = common::cli::opsdeck(dir);
    cmd.args(["--tenant", "ceramica"]);
    cmd
}
#[test]
fn set_replace_and_remove_in_unit_order_audited_and_unchanged_writes_nothing() {
    let (_dir, t) = rig();
    assert!(assign::units_of(&t, "bia").unwrap().is_empty());

    let before = counter(&t);
    let a = set(&t, "bia", &["uru", "CRI", " cri "]).unwrap();
    assert_eq!(
        a.units,
        ["CRI", "URU"],
        "codes as stored, in unit order, once"
    );
    assert!(a.changed);
    assert_eq!(counter(&t), before + 1);
    assert_eq!(
        last_audit(&t),
        audit("ana", "gas_operator.create", "gas_operator/bia")
    );
    assert_eq!(assign::units_of(&t, "bia").unwrap(), ["CRI", "URU"]);
    let stored = t.get::<GasOperator>("bia").unwrap().unwrap();
    assert_eq!(stored.changed_by, "ana");
    assert_eq!(stored.value.user, "bia");

    // The same list, in another order: nothing written.
    let before = counter(&t);
    let a = set(&t, "bia", &["URU", "CRI"]).unwrap();
    assert!(!a.changed);
    assert_eq!(a.units, ["CRI", "URU"]);
    assert_eq!(counter(&t), before);

    // Replaced, not merged.
    let a = set(&t, "bia", &["BOT"]).unwrap();
    assert!(a.changed);
    assert_eq!(assign::units_of(&t, "bia").unwrap(), ["BOT"]);
    assert!(assign::operators_of(&t, "CRI").unwrap().is_empty());
    assert_eq!(
        last_audit(&t),
        audit("ana", "gas_operator.update", "gas_operator/bia")
    );

    // An empty list removes the assignment; removing it again writes nothing.
    let a = set(&t, "bia", &[]).unwrap();
    assert!(a.changed && a.units.is_empty());
    assert!(t.get::<GasOperator>("bia").unwrap().is_none());
    assert!(assign::units_of(&t, "bia").unwrap().is_empty());
    assert_eq!(
        last_audit(&t),
        audit("ana", "gas_operator.delete", "gas_operator/bia")
    );
    let before = counter(&t);
    let a = set(&t, "bia", &[]).unwrap();
    assert!(!a.changed && a.units.is_empty());
    assert_eq!(counter(&t), before);
}

#[test]
fn an_unknown_unit_is_refused_naming_it_and_the_units_there_are() {
    let (_dir, t) = rig();
    set(&t, "bia", &["CRI"]).unwrap();
    let before = counter(&t);
    let e = set(&t, "bia", &["URU", "XYZ"]).unwrap_err();
    let f = field_error(&e);
    assert_eq!(f.field, "units");
    assert_eq!(
        f.why.to_string(),
        "no gas unit 'XYZ' (units: BOT, CRI, URU)"
    );
    let e = set(&t, "bia", &[""]).unwrap_err();
    assert_eq!(field_error(&e).field, "units");
    assert_eq!(counter(&t), before, "a refusal writes nothing");
    assert_eq!(
        assign::units_of(&t, "bia").unwrap(),
        ["CRI"],
        "kept as it was"
    );
}

#[test]
fn a_user_without_a_role_is_refused() {
    let (_dir, t) = rig();
    let before = counter(&t);
    for units in [&["CRI"][..], &[]] {
        let e = set(&t, "zeca", units).unwrap_err();
        let f = field_error(&e);
        assert_eq!(f.field, "user");
        assert_eq!(
            f.why.to_string(),
            "'zeca' has no role in tenant 'ceramica'; add them first: opsdeck user add zeca --role operator"
        );
    }
    assert_eq!(counter(&t), before);
    assert!(t.list::<GasOperator>().unwrap().is_empty());
}

#[test]
fn only_an_admin_assigns_and_a_refusal_is_audited_only() {
    let (_dir, t) = rig();
    for who in ["caio", "bia", "nobody"] {
        let before = counter(&t);
        let e = assign::set_units(&t, who, "bia", &codes(&["CRI"])).unwrap_err();
        let denied = e
            .downcast_ref::<GasDenied>()
            .unwrap_or_else(|| panic!("not a denial: {e}"));
        assert_eq!(denied.action, GasAction::Configure);
        assert_eq!(denied.user, who);
        assert_eq!(counter(&t), before + 1, "only the refusal's audit entry");
        assert_eq!(last_audit(&t), audit(who, "denied:gas.configure", "access"));
    }
    let e = assign::set_units(&t, "caio", "bia", &codes(&["CRI"])).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("caio (supervisor) may not gas.configure"),
        "{e}"
    );
    assert!(t.list::<GasOperator>().unwrap().is_empty());
}

#[test]
fn units_of_and_operators_of_read_both_ways_and_a_removed_user_leaves_none() {
    let (_dir, t) = rig();
    set(&t, "bia", &["URU", "CRI"]).unwrap();
    set(&t, "beto", &["CRI"]).unwrap();
    set(&t, "ana", &["CRI"]).unwrap();
    assert_eq!(assign::units_of(&t, "bia").unwrap(), ["CRI", "URU"]);
    assert_eq!(assign::units_of(&t, "beto").unwrap(), ["CRI"]);
    assert!(assign::units_of(&t, "caio").unwrap().is_empty());
    assert!(assign::units_of(&t, "nobody").unwrap().is_empty());
    assert_eq!(
        assign::operators_of(&t, "CRI").unwrap(),
        ["ana", "beto", "bia"]
    );
    assert_eq!(assign::operators_of(&t, "URU").unwrap(), ["bia"]);
    assert!(assign::operators_of(&t, "BOT").unwrap().is_empty());
    assert!(assign::operators_of(&t, "XYZ").unwrap().is_empty());
    let by_unit: Vec<(String, Vec<String>)> = assign::operators_by_unit(&t)
        .unwrap()
        .into_iter()
        .map(|u| (u.unit, u.operators))
        .collect();
    assert_eq!(
        by_unit,
        [
            ("BOT".to_owned(), codes(&[])),
            ("CRI".to_owned(), codes(&["ana", "beto", "bia"])),
            ("URU".to_owned(), codes(&["bia"])),
        ]
    );

    // The assignment goes with the role, in the same write.
    users::remove(&t, "ana", "beto").unwrap();
    assert!(assign::units_of(&t, "beto").unwrap().is_empty());
    assert_eq!(assign::operators_of(&t, "CRI").unwrap(), ["ana", "bia"]);
}

// ---- the command line, on the demo site ----

/// The operators column of unit `code` in `gas operators`.
fn operators_column(listing: &str, code: &str) -> String {
    listing
        .lines()
        .find(|l| l.starts_with(&format!("{code}\t")))
        .and_then(|l| l.split('\t').nth(2))
        .unwrap_or_else(|| panic!("no {code} row in {listing:?}"))
        .to_owned()
}

#[test]
fn cli_assigns_lists_and_refuses_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let me = me();

    // The demo comes with one operator per unit, and its admin (me) on Criciúma.
    let listing = stdout_of(opsdeck(&dir).args(["--demo", "gas", "operators"]));
    assert_eq!(listing.lines().count(), 3, "{listing}");
    assert!(listing.contains("CRI\tCriciúma\t"), "{listing}");
    let mut cri = codes(&["lucas.martins", &me]);
    cri.sort();
    assert_eq!(operators_column(&listing, "CRI"), cri.join(", "));
    assert_eq!(operators_column(&listing, "URU"), "gabriela.nunes");
    assert_eq!(operators_column(&listing, "BOT"), "heitor.alves");
    // Reopening the demo (gas catch-up included) keeps them.
    let again = stdout_of(opsdeck(&dir).args(["--demo", "gas", "operators"]));
    assert_eq!(again, listing);

    let out = stdout_of(opsdeck(&dir).args(["gas", "assign", "gabriela.nunes", "uru", "CRI"]));
    assert_eq!(
        out.trim(),
        "gabriela.nunes runs CRI, URU in tenant 'ceramica'"
    );
    let out = stdout_of(opsdeck(&dir).args(["gas", "assign", "gabriela.nunes", "CRI", "URU"]));
    assert!(out.trim().ends_with("(unchanged)"), "{out}");
    let listing = stdout_of(opsdeck(&dir).args(["gas", "operators"]));
    assert!(
        operators_column(&listing, "CRI").contains("gabriela.nunes"),
        "{listing}"
    );

    opsdeck(&dir)
        .args(["gas", "assign", "gabriela.nunes", "XYZ"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "gas assign gabriela.nunes in tenant 'ceramica': units: no gas unit 'XYZ' (units: BOT, CRI, URU)",
        ));
    opsdeck(&dir)
        .args(["gas", "assign", "zeca", "CRI"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "user: 'zeca' has no role in tenant 'ceramica'",
        ));
    opsdeck(&dir)
        .args(["gas", "assign", "gabriela.nunes"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("<UNITS>"));
    opsdeck(&dir)
        .args(["gas", "assign", "gabriela.nunes", "CRI", "--none"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot be used with"));

    let out = stdout_of(opsdeck(&dir).args(["gas", "assign", "gabriela.nunes", "--none"]));
    assert_eq!(
        out.trim(),
        "gabriela.nunes runs no gas unit in tenant 'ceramica'"
    );
    let listing = stdout_of(opsdeck(&dir).args(["gas", "operators"]));
    assert_eq!(
        operators_column(&listing, "URU"),
        "(none assigned: reminders go to every operator)"
    );

    // Not an admin any more: refused, saying what is needed.
    opsdeck(&dir)
        .args(["user", "add", &me, "--role", "supervisor"])
        .assert()
        .success();
    opsdeck(&dir)
        .args(["gas", "assign", "heitor.alves", "CRI"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!(
            "{me} (supervisor) may not gas.configure"
        )));
    assert_eq!(
        operators_column(&stdout_of(opsdeck(&dir).args(["gas", "operators"])), "BOT"),
        "heitor.alves"
    );
}
