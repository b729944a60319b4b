//! The gas services on a real redb file: the seed holds exactly the spec's constants and loads
//! once; every refusal says which field and why and writes nothing; past days need a supervisor;
//! stale edits conflict; a manual QDS keeps who set it; plan approval resets on change; a manual
//! QDR beats the meter; rate changes keep their history.

mod common;

use std::collections::BTreeMap;

use common::d;
use jiff::civil::{Date, date};
use opsdeck::domain::gas::entries::{
    self, EntryInput, FieldError, GasAction, GasDenied, QdrOutcome,
};
use opsdeck::domain::gas::seed;
use opsdeck::domain::service::Guarded;
use opsdeck::domain::users;
use opsdeck_storage::Tenant;
use opsdeck_storage::records::gas::{
    Contract, DailyEntry, DailyPlan, EquipmentKind, GasUnit, QdrSource, RateUnit, RealConsumption,
    contract_on, day_key,
};
use opsdeck_storage::records::user::Role;
use rust_decimal::Decimal;

const TODAY: Date = date(2026, 11, 23);
const START: Date = date(2020, 1, 1);

/// ana admin, bia operator, caio supervisor, dora finance; the seed loaded by ana.
struct Rig {
    _dir: tempfile::TempDir,
    t: Tenant,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("ceramica", &dir.path().join("t.redb"), &[3; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "bia", Role::Operator, "Bia").unwrap();
    users::add(&t, "ana", "caio", Role::Supervisor, "Caio").unwrap();
    users::add(&t, "ana", "dora", Role::Finance, "Dora").unwrap();
    seed::load(&t, "ana").unwrap();
    Rig { _dir: dir, t }
}

impl Rig {
    fn unit(&self, code: &str) -> GasUnit {
        self.t.get::<GasUnit>(code).unwrap().unwrap().value
    }

    fn counter(&self) -> u64 {
        self.t.change_counter().unwrap()
    }

    fn entry(&self, unit: &str, day: Date) -> Option<opsdeck_storage::Versioned<DailyEntry>> {
        self.t.get::<DailyEntry>(&day_key(unit, day)).unwrap()
    }

    /// Runs a call that must be refused: returns its message and checks nothing was written
    /// (a refused permission only adds its audit entry, which moves the counter once).
    fn refused<T: std::fmt::Debug>(
        &self,
        audited: bool,
        f: impl FnOnce(&Tenant) -> anyhow::Result<T>,
    ) -> anyhow::Error {
        let before = self.counter();
        let err = f(&self.t).unwrap_err();
        assert_eq!(
            self.counter(),
            before + u64::from(audited),
            "a refusal wrote something: {err}"
        );
        err
    }
}

/// Criciúma: the atomizer 22.5 h, L0 and L3 on.
fn cri(day: Date) -> EntryInput {
    EntryInput {
        date: day,
        atomizer_scheduled: true,
        atomizer_hours: d("22.5"),
        secondary_scheduled: None,
        secondary_hours: None,
        lines: [("L0".to_owned(), true), ("L3".to_owned(), true)]
            .into_iter()
            .collect(),
        observations: "forno 2 em manutenção".into(),
        qds_manual: None,
    }
}

fn bot(day: Date) -> EntryInput {
    EntryInput {
        secondary_scheduled: Some(true),
        secondary_hours: Some(d("6.5")),
        lines: [("SEC2".to_owned(), true), ("L2".to_owned(), true)]
            .into_iter()
            .collect(),
        ..cri(day)
    }
}

fn field_error(e: &anyhow::Error) -> &FieldError {
    e.downcast_ref::<FieldError>()
        .unwrap_or_else(|| panic!("not a field error: {e}"))
}

#[test]
fn the_seed_holds_the_spec_constants_and_loads_once() {
    let r = rig();
    let units = r.t.list::<GasUnit>().unwrap();
    let codes: Vec<&str> = units.iter().map(|u| u.key.as_str()).collect();
    assert_eq!(codes, ["BOT", "CRI", "URU"]);

    let expect =
        |code: &str, name: &str, meter: &str, rows: &[(&str, &str, EquipmentKind, &str)]| {
            let u = r.unit(code);
            assert_eq!((u.code.as_str(), u.name.as_str()), (code, name));
            assert!(u.active);
            assert_eq!(u.meter.as_deref(), Some(meter));
            assert_eq!(u.equipment.len(), rows.len(), "{code}");
            for (i, (e, (ecode, ename, kind, rate))) in u.equipment.iter().zip(rows).enumerate() {
                assert_eq!(
                    (e.code.as_str(), e.name.as_str(), e.kind, e.order),
                    (*ecode, *ename, *kind, i as u32),
                    "{code}"
                );
                let unit = if *kind == EquipmentKind::Atomizer {
                    RateUnit::PerHour
                } else {
                    RateUnit::PerDay
                };
                assert_eq!(e.rate_unit, unit, "{code} {ecode}");
                assert!(e.active);
                assert_eq!(e.rates.len(), 1);
                assert_eq!(e.rates[0].from, START);
                assert_eq!(e.rates[0].by, "ana");
                // exact decimals, as written in the spec
                assert_eq!(e.rates[0].rate.to_string(), *rate, "{code} {ecode}");
                assert_eq!(e.rate_on(date(2019, 12, 31)), None);
                assert_eq!(e.rate_on(TODAY), Some(d(rate)));
            }
            u
        };
    use EquipmentKind::{Atomizer as A, Dryer as D, ProductionLine as L};
    let cri = expect(
        "CRI",
        "Criciúma",
        "GM-CRI",
        &[
            ("ATM", "Atomizador", A, "1350"),
            ("L0", "Linha 0", L, "24000"),
            ("L1", "Linha 1", L, "5500"),
            ("L2", "Linha 2", L, "5500"),
            ("L3", "Linha 3", L, "6500"),
            ("L4", "Linha 4", L, "6500"),
            ("L5", "Linha 5", L, "7000"),
            ("L6", "Linha 6", L, "12500"),
            ("L7", "Linha 7", L, "12500"),
        ],
    );
    assert!(!cri.has_secondary_atomizer());
    let uru = expect(
        "URU",
        "Urussanga",
        "GM-URU",
        &[
            ("ATM", "Atomizador", A, "955"),
            ("L1", "Linha 1", L, "13000"),
            ("L2", "Linha 2", L, "23000"),
        ],
    );
    assert!(!uru.has_secondary_atomizer());
    let bot = expect(
        "BOT",
        "Botucatu",
        "GM-BOT",
        &[
            ("ATM250", "ATM 250", A, "1300"),
            ("ATM052", "ATM 052", A, "435"),
            ("SEC2", "Secador 2", D, "2750"),
            ("L1", "Linha 1", L, "23000"),
            ("L2", "Linha 2", L, "25500"),
        ],
    );
    let atm: Vec<&str> = bot.atomizers().iter().map(|e| e.code.as_str()).collect();
    assert_eq!(atm, ["ATM250", "ATM052"]);
    let toggled: Vec<&str> = bot.toggled().iter().map(|e| e.code.as_str()).collect();
    assert_eq!(toggled, ["SEC2", "L1", "L2"]);

    let contracts: Vec<Contract> =
        r.t.list::<Contract>()
            .unwrap()
            .into_iter()
            .map(|c| c.value)
            .collect();
    assert_eq!(contracts.len(), 1);
    let c = contract_on(&contracts, TODAY).unwrap();
    assert_eq!(c.effective_from, START);
    assert_eq!(
        [
            c.qdc_limit,
            c.transport_min,
            c.transport_max,
            c.molecule_min,
            c.molecule_max,
            c.incentive_bonus,
            c.incentive_penalty
        ],
        ["134800", "0.8", "1.1", "0.95", "1.05", "1.2", "0.7"].map(d)
    );
    assert!(contract_on(&contracts, date(2019, 12, 31)).is_none());
    assert!(r.t.get::<Contract>("2020-01-01").unwrap().is_some());

    // a second load changes nothing, not even the change counter...
    let before = r.counter();
    seed::load(&r.t, "ana").unwrap();
    let again = seed::load_toml(&r.t, "ana", "units.toml", seed::UNITS_TOML).unwrap();
    assert_eq!(again, seed::Loaded::default());
    assert_eq!(r.counter(), before);
    // ...and keeps what an admin changed since
    entries::change_rate(&r.t, "ana", "URU", "ATM", TODAY, d("990"), "novo queimador").unwrap();
    seed::load(&r.t, "ana").unwrap();
    assert_eq!(r.unit("URU").equipment[0].rates.len(), 2);
}

#[test]
fn seed_errors_name_the_key_at_fault() {
    let parse = |src: &str| {
        seed::parse("units.toml", src, "ana", jiff::Timestamp::UNIX_EPOCH)
            .unwrap_err()
            .to_string()
    };
    let bad = |from: &str, to: &str| {
        assert!(seed::UNITS_TOML.contains(from), "{from}");
        parse(&seed::UNITS_TOML.replacen(from, to, 1))
    };
    assert_eq!(
        bad(r#"rate = "435""#, r#"rate = "4,35""#),
        "units.toml: unit BOT, equipment ATM052, key 'rate': '4,35' is not a decimal number (e.g. \"1350\" or \"0.95\")"
    );
    assert_eq!(
        bad(r#"rate = "955""#, "rate = 955.5"),
        "units.toml: unit URU, equipment ATM, key 'rate': write 955.5 as a string (\"955.5\") so it is read exactly, not as a binary float"
    );
    // integers are exact and allowed
    let ok = seed::parse(
        "units.toml",
        &seed::UNITS_TOML.replacen(r#"rate = "955""#, "rate = 955", 1),
        "ana",
        jiff::Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    assert_eq!(ok.units[1].equipment[0].rates[0].rate, d("955"));
    assert_eq!(
        bad(r#"rate = "2750""#, r#"rate = "0""#),
        "units.toml: unit BOT, equipment SEC2, key 'rate': 0 must be above 0"
    );
    assert_eq!(
        bad(r#"kind = "dryer""#, r#"kind = "oven""#),
        "units.toml: unit BOT, equipment SEC2, key 'kind': unknown equipment kind 'oven' (expected one of: atomizer, production_line, dryer)"
    );
    assert_eq!(
        bad(
            r#"kind = "dryer", rate = "2750", unit = "m3/d""#,
            r#"kind = "dryer", rate = "2750", unit = "m3/h""#
        ),
        "units.toml: unit BOT, equipment SEC2, key 'unit': a dryer is rated in m3/d, not m3/h"
    );
    assert_eq!(
        bad(r#"{ code = "L7""#, r#"{ code = "L6""#),
        "units.toml: unit CRI, equipment L6, key 'code': L6 appears twice in unit CRI"
    );
    assert_eq!(
        bad(r#"code = "URU""#, r#"code = "CRI""#),
        "units.toml: unit CRI, key 'code': CRI appears twice"
    );
    assert_eq!(
        bad(r#"molecule_min = "0.95""#, r#"molecule_min = "0.75""#),
        "units.toml: contract, key 'molecule_min': 0.75 is below transport_min 0.8: the molecule band lies inside the transport band"
    );
    let e = bad(
        r#"rates_from = "2020-01-01""#,
        r#"rates_from = "2020-13-01""#,
    );
    assert!(
        e.starts_with("units.toml, key 'rates_from': '2020-13-01' is not a date (YYYY-MM-DD): "),
        "{e}"
    );
    let e = bad("incentive_penalty", "incentive_malus");
    assert!(e.starts_with("units.toml, line "), "{e}");
    assert!(e.contains("incentive_malus"), "{e}");

    // nothing of a bad file is loaded
    let r = tempfile::tempdir().unwrap();
    let t = Tenant::open("x", &r.path().join("t.redb"), &[3; 32]).unwrap();
    let src = seed::UNITS_TOML.replacen(r#"rate = "435""#, r#"rate = "x""#, 1);
    assert!(seed::load_toml(&t, "ana", "units.toml", &src).is_err());
    assert!(t.list::<GasUnit>().unwrap().is_empty());
    assert!(t.list::<Contract>().unwrap().is_empty());
}

#[test]
fn an_entry_is_saved_with_every_line_and_audited() {
    let r = rig();
    let saved = entries::save_entry(&r.t, "bia", "CRI", cri(TODAY), None, TODAY).unwrap();
    assert_eq!(saved.key, "CRI/2026-11-23");
    assert_eq!((saved.version, saved.changed_by.as_str()), (1, "bia"));
    let e = &saved.value;
    assert_eq!((e.unit.as_str(), e.date), ("CRI", TODAY));
    assert_eq!(e.atomizer_hours, d("22.5"));
    // every line of the unit is stored; the ones left out are off
    let on: Vec<&str> = e
        .lines
        .iter()
        .filter(|(_, on)| **on)
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(e.lines.len(), 8);
    assert_eq!(on, ["L0", "L3"]);
    assert_eq!(r.entry("CRI", TODAY).unwrap(), saved);
    let audit = r.t.audit_recent(5).unwrap();
    assert!(
        audit.iter().any(|a| a.actor == "bia"
            && a.action == "gas_entry.create"
            && a.entity == "gas_entry/CRI/2026-11-23"),
        "{audit:?}"
    );

    // tomorrow is allowed; Botucatu with both atomizers and the dryer
    let tomorrow = TODAY.tomorrow().unwrap();
    let b = entries::save_entry(&r.t, "bia", "BOT", bot(tomorrow), None, TODAY).unwrap();
    assert_eq!(b.value.secondary_hours, Some(d("6.5")));
    assert_eq!(b.value.lines.len(), 3);
    assert!(b.value.lines["SEC2"]);

    // saving it again unchanged writes nothing
    let before = r.counter();
    let same =
        entries::save_entry(&r.t, "bia", "BOT", bot(tomorrow), Some(b.version), TODAY).unwrap();
    assert_eq!(same, b);
    assert_eq!(r.counter(), before);

    // the blank form and the edit form
    let blank = EntryInput::blank(&r.unit("BOT"), TODAY);
    assert_eq!(blank.secondary_hours, Some(Decimal::ZERO));
    assert_eq!(blank.lines.keys().collect::<Vec<_>>(), ["L1", "L2", "SEC2"]);
    assert!(entries::check_entry(&r.unit("BOT"), &blank, TODAY).is_empty());
    let edit = EntryInput::from_entry(&b.value);
    let mut expected = bot(tomorrow);
    expected.lines.insert("L1".into(), false);
    assert_eq!(edit, expected);
}

#[test]
fn bad_entries_are_refused_with_field_and_reason_and_write_nothing() {
    let r = rig();
    let cases: Vec<(&str, EntryInput, &str, &str)> = vec![
        (
            "XYZ",
            cri(TODAY),
            "unit",
            "no gas unit 'XYZ' (units: BOT, CRI, URU)",
        ),
        (
            "CRI",
            EntryInput {
                atomizer_hours: d("24.5"),
                ..cri(TODAY)
            },
            "atomizer_hours",
            "24.5 h is outside 0 to 24 hours of operation",
        ),
        (
            "CRI",
            EntryInput {
                atomizer_hours: d("-1"),
                ..cri(TODAY)
            },
            "atomizer_hours",
            "-1 h is outside 0 to 24 hours of operation",
        ),
        (
            "CRI",
            EntryInput {
                secondary_hours: Some(d("3")),
                ..cri(TODAY)
            },
            "secondary_hours",
            "CRI has no second atomizer",
        ),
        (
            "URU",
            EntryInput {
                secondary_scheduled: Some(false),
                lines: BTreeMap::new(),
                ..cri(TODAY)
            },
            "secondary_scheduled",
            "URU has no second atomizer",
        ),
        (
            "BOT",
            EntryInput {
                secondary_hours: None,
                ..bot(TODAY)
            },
            "secondary_hours",
            "required: BOT has a second atomizer (ATM 052)",
        ),
        (
            "BOT",
            EntryInput {
                secondary_scheduled: None,
                ..bot(TODAY)
            },
            "secondary_scheduled",
            "required: BOT has a second atomizer (ATM 052)",
        ),
        (
            "BOT",
            EntryInput {
                secondary_hours: Some(d("25")),
                ..bot(TODAY)
            },
            "secondary_hours",
            "25 h is outside 0 to 24 hours of operation",
        ),
        (
            "URU",
            EntryInput {
                lines: [("L0".to_owned(), true)].into_iter().collect(),
                ..cri(TODAY)
            },
            "lines.L0",
            "URU has no line or dryer 'L0' (it has: L1, L2)",
        ),
        (
            "BOT",
            EntryInput {
                lines: [("ATM052".to_owned(), true)].into_iter().collect(),
                ..bot(TODAY)
            },
            "lines.ATM052",
            "ATM052 is an atomizer: enter its hours, not on/off (lines and dryers: SEC2, L1, L2)",
        ),
        (
            "CRI",
            cri(date(2026, 11, 25)),
            "date",
            "2026-11-25 is after tomorrow (2026-11-24); a day can be entered at most one day ahead",
        ),
        (
            "CRI",
            EntryInput {
                qds_manual: Some(d("-5")),
                ..cri(TODAY)
            },
            "qds_manual",
            "-5 m³ is negative; a QDS is 0 or more",
        ),
        (
            "CRI",
            EntryInput {
                observations: "x".repeat(2001),
                ..cri(TODAY)
            },
            "observations",
            "longer than 2000 characters",
        ),
    ];
    for (unit, input, field, message) in cases {
        let e = r.refused(false, |t| {
            entries::save_entry(t, "caio", unit, input.clone(), None, TODAY)
        });
        let fe = field_error(&e);
        assert_eq!(
            (fe.field.as_str(), fe.why.to_string().as_str()),
            (field, message)
        );
        assert_eq!(e.to_string(), format!("{field}: {message}"));
        assert!(r.entry(unit, input.date).is_none(), "{unit} {field}");
    }

    // a day before the equipment had a rate cannot be computed, so it is refused (even by
    // an admin, who may enter past days)
    let e = r.refused(false, |t| {
        entries::save_entry(t, "ana", "CRI", cri(date(2019, 6, 3)), None, TODAY)
    });
    assert_eq!(
        e.to_string(),
        "atomizer_hours: Atomizador has no rate in force on 2019-06-03 (its first rate starts 2020-01-01)"
    );
    // check_entry lists every problem at once for the form
    let all = entries::check_entry(
        &r.unit("CRI"),
        &EntryInput {
            atomizer_hours: d("30"),
            secondary_hours: Some(d("1")),
            lines: [("L9".to_owned(), true)].into_iter().collect(),
            ..cri(TODAY)
        },
        TODAY,
    );
    let fields: Vec<&str> = all.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["atomizer_hours", "secondary_hours", "lines.L9"]);
}

#[test]
fn past_days_need_a_supervisor_and_finance_enters_nothing() {
    let r = rig();
    let yesterday = TODAY.yesterday().unwrap();
    let e = r.refused(true, |t| {
        entries::save_entry(t, "bia", "CRI", cri(yesterday), None, TODAY)
    });
    assert_eq!(
        e.to_string(),
        "bia (operator) may not gas.entry.past (enter gas data for a day before today) in tenant 'ceramica'; ask a supervisor or an admin"
    );
    let denied = e.downcast_ref::<GasDenied>().unwrap();
    assert_eq!(denied.action, GasAction::EnterPast);
    assert!(r.entry("CRI", yesterday).is_none());
    let audit = r.t.audit_recent(1).unwrap();
    assert_eq!(
        (audit[0].actor.as_str(), audit[0].action.as_str()),
        ("bia", "denied:gas.entry.past")
    );

    // the supervisor and the admin may; the operator may then edit today only
    let s = entries::save_entry(&r.t, "caio", "CRI", cri(yesterday), None, TODAY).unwrap();
    assert_eq!(s.changed_by, "caio");
    let a = entries::save_entry(
        &r.t,
        "ana",
        "URU",
        cri_like_uru(date(2026, 11, 1)),
        None,
        TODAY,
    )
    .unwrap();
    assert_eq!(a.changed_by, "ana");
    let e = r.refused(true, |t| {
        let mut edit = cri(yesterday);
        edit.atomizer_hours = d("20");
        entries::save_entry(t, "bia", "CRI", edit, Some(s.version), TODAY)
    });
    assert!(e.to_string().contains("may not gas.entry.past"), "{e}");
    assert_eq!(r.entry("CRI", yesterday).unwrap(), s);

    // finance, an auditor or a stranger do not key entries at all
    let e = r.refused(true, |t| {
        entries::save_entry(t, "dora", "CRI", cri(TODAY), None, TODAY)
    });
    assert_eq!(
        e.to_string(),
        "dora (finance) may not gas.entry (enter daily gas data) in tenant 'ceramica'; ask an admin"
    );
    let e = r.refused(true, |t| {
        entries::save_entry(t, "zeca", "CRI", cri(TODAY), None, TODAY)
    });
    assert!(
        e.to_string()
            .contains("zeca has no role in tenant 'ceramica'"),
        "{e}"
    );
    assert!(GasAction::EnterPast.allowed(Role::Supervisor));
    assert!(!GasAction::EnterPast.allowed(Role::Operator));
}

fn cri_like_uru(day: Date) -> EntryInput {
    EntryInput {
        lines: [("L2".to_owned(), true)].into_iter().collect(),
        ..cri(day)
    }
}

#[test]
fn a_stale_version_conflicts_and_names_who_changed_it() {
    let r = rig();
    let v1 = entries::save_entry(&r.t, "bia", "CRI", cri(TODAY), None, TODAY).unwrap();
    // caio edits what he read
    let mut caio = EntryInput::from_entry(&v1.value);
    caio.atomizer_hours = d("20");
    let v2 = entries::save_entry(&r.t, "caio", "CRI", caio, Some(v1.version), TODAY).unwrap();
    assert_eq!(v2.version, 2);

    // bia saves over her stale version 1
    let mut bia = cri(TODAY);
    bia.observations = "linha 3 parou às 14h".into();
    let e = r.refused(false, |t| {
        entries::save_entry(t, "bia", "CRI", bia.clone(), Some(1), TODAY)
    });
    let msg = e.to_string();
    assert!(
        msg.starts_with("gas_entry 'CRI/2026-11-23' was changed by caio at "),
        "{msg}"
    );
    assert!(msg.ends_with("(version 2, you edited version 1); reload and apply your edit again"));
    assert!(matches!(
        e.downcast_ref::<opsdeck_storage::Error>(),
        Some(opsdeck_storage::Error::Conflict {
            current: 2,
            expected: 1,
            ..
        })
    ));
    // a "new" entry for a day someone entered meanwhile is a conflict too, never an overwrite
    let e = r.refused(false, |t| {
        entries::save_entry(t, "bia", "CRI", bia.clone(), None, TODAY)
    });
    assert!(e.to_string().contains("was changed by caio at"), "{e}");
    assert_eq!(r.entry("CRI", TODAY).unwrap(), v2);
    // after reloading, her edit goes in
    let v3 = entries::save_entry(&r.t, "bia", "CRI", bia, Some(2), TODAY).unwrap();
    assert_eq!((v3.version, v3.value.atomizer_hours), (3, d("22.5")));
}

#[test]
fn a_manual_qds_records_who_set_it_and_none_clears_it() {
    let r = rig();
    let mut input = cri(TODAY);
    input.qds_manual = Some(d("70000"));
    let v1 = entries::save_entry(&r.t, "bia", "CRI", input.clone(), None, TODAY).unwrap();
    let m = v1.value.qds_manual.clone().unwrap();
    assert_eq!(
        (m.value, m.by.as_str(), m.at),
        (d("70000"), "bia", v1.changed_at)
    );

    // caio fixes the observations: the override keeps its author
    input.observations = "revisado".into();
    let v2 = entries::save_entry(&r.t, "caio", "CRI", input.clone(), Some(1), TODAY).unwrap();
    assert_eq!(v2.value.qds_manual, Some(m));
    assert_eq!(v2.changed_by, "caio");

    // a new value is caio's
    input.qds_manual = Some(d("71250.5"));
    let v3 = entries::save_entry(&r.t, "caio", "CRI", input.clone(), Some(2), TODAY).unwrap();
    let m3 = v3.value.qds_manual.clone().unwrap();
    assert_eq!((m3.value, m3.by.as_str()), (d("71250.5"), "caio"));

    // None clears it
    input.qds_manual = None;
    let v4 = entries::save_entry(&r.t, "bia", "CRI", input, Some(3), TODAY).unwrap();
    assert_eq!(v4.value.qds_manual, None);
}

#[test]
fn plans_are_approved_by_a_supervisor_and_a_change_clears_the_approval() {
    let r = rig();
    let key = day_key("CRI", TODAY);
    let p = entries::save_plan(&r.t, "bia", "CRI", TODAY, d("72000")).unwrap();
    assert_eq!(
        (p.value.qdp, p.value.approved_by.clone()),
        (d("72000"), None)
    );

    let e = r.refused(true, |t| entries::approve_plan(t, "bia", "CRI", TODAY));
    assert_eq!(
        e.to_string(),
        "bia (operator) may not gas.plan.approve (approve a daily plan (QDP)) in tenant 'ceramica'; ask a supervisor or an admin"
    );
    assert_eq!(r.t.get::<DailyPlan>(&key).unwrap().unwrap(), p);

    let a = entries::approve_plan(&r.t, "caio", "CRI", TODAY).unwrap();
    assert_eq!(a.value.approved_by.as_deref(), Some("caio"));
    assert_eq!(a.value.approved_at, Some(a.changed_at));
    // approving again or setting the same value changes nothing
    let before = r.counter();
    assert_eq!(entries::approve_plan(&r.t, "ana", "CRI", TODAY).unwrap(), a);
    assert_eq!(
        entries::save_plan(&r.t, "bia", "CRI", TODAY, d("72000")).unwrap(),
        a
    );
    assert_eq!(r.counter(), before);

    // a new value needs a new approval
    let changed = entries::save_plan(&r.t, "bia", "CRI", TODAY, d("75000")).unwrap();
    assert_eq!(changed.value.qdp, d("75000"));
    assert_eq!(
        (
            changed.value.approved_by.as_deref(),
            changed.value.approved_at
        ),
        (None, None)
    );
    assert_eq!(changed.version, 3);

    // refusals
    let e = r.refused(false, |t| {
        entries::save_plan(t, "bia", "CRI", TODAY, d("-1"))
    });
    assert_eq!(e.to_string(), "qdp: -1 m³ is negative; a plan is 0 or more");
    // A pasted value with too many digits is refused, so month sums can never overflow.
    let e = r.refused(false, |t| {
        entries::save_plans(
            t,
            "bia",
            "CRI",
            &[(TODAY, d("1")), (TODAY, d("9000000000000"))],
        )
    });
    assert_eq!(
        e.to_string(),
        format!("qdp ({TODAY}): 9000000000000 m³ is more than 1000000000 m³; check the number")
    );
    let e = r.refused(false, |t| {
        entries::save_plan(t, "bia", "ABC", TODAY, d("1"))
    });
    assert_eq!(
        e.to_string(),
        "unit: no gas unit 'ABC' (units: BOT, CRI, URU)"
    );
    let e = r.refused(false, |t| entries::approve_plan(t, "caio", "URU", TODAY));
    assert_eq!(
        e.to_string(),
        "date: URU has no plan (QDP) for 2026-11-23 to approve"
    );
    let e = r.refused(true, |t| {
        entries::save_plan(t, "dora", "CRI", TODAY, d("1"))
    });
    assert!(e.to_string().contains("may not gas.plan"), "{e}");
    assert_eq!(r.t.get::<DailyPlan>(&key).unwrap().unwrap(), changed);
}

#[test]
fn a_manual_qdr_is_never_replaced_by_the_meter() {
    let r = rig();
    let key = day_key("BOT", TODAY);
    let get = || r.t.get::<RealConsumption>(&key).unwrap().unwrap();

    // the meter (no role: the site services' actor) sets and corrects it
    let w = entries::set_qdr(&r.t, "ingest", "BOT", TODAY, d("51000"), QdrSource::Api).unwrap();
    assert!(matches!(w, QdrOutcome::Written(_)));
    assert_eq!(w.record().changed_by, "ingest");
    let w = entries::set_qdr(&r.t, "ingest", "BOT", TODAY, d("51200"), QdrSource::Api).unwrap();
    assert!(matches!(&w, QdrOutcome::Written(v) if v.version == 2));
    // replaying the same value writes nothing
    let before = r.counter();
    let u = entries::set_qdr(&r.t, "ingest", "BOT", TODAY, d("51200"), QdrSource::Api).unwrap();
    assert!(matches!(u, QdrOutcome::Unchanged(_)));
    assert_eq!(r.counter(), before);
    // an import replaces an API value and the other way round
    entries::set_qdr(&r.t, "bia", "BOT", TODAY, d("51300"), QdrSource::Import).unwrap();
    assert_eq!(get().value.source, QdrSource::Import);
    entries::set_qdr(&r.t, "ingest", "BOT", TODAY, d("51250"), QdrSource::Api).unwrap();
    assert_eq!(
        (get().value.qdr, get().value.source),
        (d("51250"), QdrSource::Api)
    );

    // a person's value wins, and stays
    let m = entries::set_qdr(&r.t, "caio", "BOT", TODAY, d("50800"), QdrSource::Manual).unwrap();
    assert!(matches!(m, QdrOutcome::Written(_)));
    let manual = get();
    for source in [QdrSource::Api, QdrSource::Import] {
        let before = r.counter();
        let k = entries::set_qdr(&r.t, "bia", "BOT", TODAY, d("52000"), source).unwrap();
        assert_eq!(k, QdrOutcome::KeptManual(manual.clone()));
        assert_eq!(r.counter(), before);
    }
    assert_eq!(get(), manual);
    // another manual value replaces it
    entries::set_qdr(&r.t, "bia", "BOT", TODAY, d("50900"), QdrSource::Manual).unwrap();
    assert_eq!(
        (get().value.qdr, get().changed_by.as_str()),
        (d("50900"), "bia")
    );

    // refusals
    let e = r.refused(false, |t| {
        entries::set_qdr(t, "bia", "BOT", TODAY, d("-3"), QdrSource::Manual)
    });
    assert_eq!(
        e.to_string(),
        "qdr: -3 m³ is negative; a real consumption is 0 or more"
    );
    let e = r.refused(true, |t| {
        entries::set_qdr(t, "dora", "BOT", TODAY, d("3"), QdrSource::Manual)
    });
    assert!(
        e.to_string().contains("dora (finance) may not gas.qdr"),
        "{e}"
    );
    let e = r.refused(false, |t| {
        entries::set_qdr(t, "ingest", "SAO", TODAY, d("3"), QdrSource::Api)
    });
    assert_eq!(
        e.to_string(),
        "unit: no gas unit 'SAO' (units: BOT, CRI, URU)"
    );
}

#[test]
fn a_rate_change_keeps_the_history() {
    let r = rig();
    let from = date(2026, 11, 15);
    let original = r.unit("CRI").equipment("ATM").unwrap().rates[0].clone();
    let u = entries::change_rate(
        &r.t,
        "ana",
        "CRI",
        "ATM",
        from,
        d("1400"),
        " queimador novo ",
    )
    .unwrap();
    let atm = u.value.equipment("ATM").unwrap();
    assert_eq!(atm.rates.len(), 2);
    assert_eq!(atm.rates[0], original);
    let change = &atm.rates[1];
    assert_eq!(
        (
            change.from,
            change.rate,
            change.by.as_str(),
            change.note.as_str()
        ),
        (from, d("1400"), "ana", "queimador novo")
    );
    assert_eq!(atm.rate_on(date(2026, 11, 14)), Some(d("1350")));
    assert_eq!(atm.rate_on(from), Some(d("1400")));
    assert_eq!(atm.rate_on(TODAY), Some(d("1400")));
    // the other equipment is untouched
    assert_eq!(u.value.equipment("L0").unwrap().rates.len(), 1);

    // a correction dated earlier goes in date order; nothing existing is edited
    let u = entries::change_rate(
        &r.t,
        "ana",
        "CRI",
        "ATM",
        date(2024, 3, 1),
        d("1375"),
        "aferição",
    )
    .unwrap();
    let atm = u.value.equipment("ATM").unwrap();
    let froms: Vec<Date> = atm.rates.iter().map(|r| r.from).collect();
    assert_eq!(froms, [START, date(2024, 3, 1), from]);
    assert_eq!(atm.rate_on(date(2023, 12, 31)), Some(d("1350")));
    assert_eq!(atm.rate_on(date(2025, 1, 1)), Some(d("1375")));
    assert_eq!(atm.rate_on(TODAY), Some(d("1400")));

    // refusals
    let cases: Vec<(&str, &str, Date, &str, &str, bool, &str)> = vec![
        (
            "caio",
            "ATM",
            TODAY,
            "1500",
            "x",
            true,
            "caio (supervisor) may not gas.configure (change gas equipment rates or contracts) in tenant 'ceramica'; ask an admin",
        ),
        (
            "ana",
            "ATM",
            TODAY,
            "0",
            "x",
            false,
            "rate: 0 must be above 0",
        ),
        (
            "ana",
            "ATM",
            TODAY,
            "1500",
            "  ",
            false,
            "note: required: say why the rate changes",
        ),
        (
            "ana",
            "ATM",
            from,
            "1500",
            "x",
            false,
            "from: Atomizador already has a rate from 2026-11-15 (1400 m3/h, set by ana); pick another date",
        ),
        (
            "ana",
            "L9",
            TODAY,
            "1500",
            "x",
            false,
            "equipment: CRI has no equipment 'L9' (it has: ATM, L0, L1, L2, L3, L4, L5, L6, L7)",
        ),
    ];
    let stored = r.unit("CRI");
    for (user, code, day, rate, note, audited, message) in cases {
        let e = r.refused(audited, |t| {
            entries::change_rate(t, user, "CRI", code, day, d(rate), note)
        });
        assert_eq!(e.to_string(), message);
    }
    assert_eq!(r.unit("CRI"), stored);
}

#[test]
fn contracts_are_checked_and_dated() {
    let r = rig();
    let base = r.t.get::<Contract>("2020-01-01").unwrap().unwrap().value;
    let new = Contract {
        effective_from: date(2027, 1, 1),
        qdc_limit: d("140000"),
        note: "aditivo 2027".into(),
        ..base.clone()
    };
    let e = r.refused(true, |t| entries::set_contract(t, "caio", new.clone()));
    assert!(
        e.to_string()
            .contains("caio (supervisor) may not gas.configure"),
        "{e}"
    );

    let bad = |f: fn(&mut Contract)| {
        let mut c = new.clone();
        f(&mut c);
        c
    };
    let cases: Vec<(Contract, &str)> = vec![
        (
            bad(|c| c.qdc_limit = d("0")),
            "qdc_limit: 0 m³/d must be above 0",
        ),
        (
            bad(|c| c.transport_min = d("0")),
            "transport_min: 0 must be above 0 (a factor of the plan, e.g. 0.8)",
        ),
        (
            bad(|c| c.transport_min = d("1.01")),
            "transport_min: 1.01 must be 1 or less (a factor of the plan, e.g. 0.8)",
        ),
        (
            bad(|c| c.transport_max = d("0.99")),
            "transport_max: 0.99 must be 1 or more (a factor of the plan, e.g. 1.1)",
        ),
        (
            bad(|c| c.molecule_max = d("0.9")),
            "molecule_max: 0.9 must be 1 or more (a factor of the plan, e.g. 1.1)",
        ),
        (
            bad(|c| c.molecule_min = d("-0.95")),
            "molecule_min: -0.95 must be above 0 (a factor of the plan, e.g. 0.8)",
        ),
        (
            bad(|c| c.molecule_min = d("0.75")),
            "molecule_min: 0.75 is below transport_min 0.8: the molecule band lies inside the transport band",
        ),
        (
            bad(|c| c.molecule_max = d("1.15")),
            "molecule_max: 1.15 is above transport_max 1.1: the molecule band lies inside the transport band",
        ),
        (
            bad(|c| c.incentive_penalty = d("1.1")),
            "incentive_penalty: 1.1 must be 1 or less (a factor of the plan, e.g. 0.8)",
        ),
        (
            bad(|c| c.incentive_bonus = d("0.9")),
            "incentive_bonus: 0.9 must be 1 or more (a factor of the plan, e.g. 1.1)",
        ),
    ];
    for (c, message) in cases {
        let e = r.refused(false, |t| entries::set_contract(t, "ana", c));
        assert_eq!(e.to_string(), message);
    }
    assert_eq!(r.t.list::<Contract>().unwrap().len(), 1);

    let saved = entries::set_contract(&r.t, "ana", new.clone()).unwrap();
    assert_eq!(saved.key, "2027-01-01");
    let all: Vec<Contract> =
        r.t.list::<Contract>()
            .unwrap()
            .into_iter()
            .map(|c| c.value)
            .collect();
    assert_eq!(
        contract_on(&all, date(2026, 12, 31)).unwrap().qdc_limit,
        d("134800")
    );
    assert_eq!(
        contract_on(&all, date(2027, 1, 1)).unwrap().qdc_limit,
        d("140000")
    );
    // the same date replaces; an identical one writes nothing
    let fixed = entries::set_contract(
        &r.t,
        "ana",
        Contract {
            qdc_limit: d("141000"),
            ..new
        },
    )
    .unwrap();
    assert_eq!((fixed.key.as_str(), fixed.version), ("2027-01-01", 2));
    let before = r.counter();
    assert_eq!(
        entries::set_contract(&r.t, "ana", fixed.value.clone()).unwrap(),
        fixed
    );
    assert_eq!(r.counter(), before);
    // the seed's contract is untouched
    assert_eq!(
        r.t.get::<Contract>("2020-01-01").unwrap().unwrap().value,
        base
    );
}
