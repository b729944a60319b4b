//! Assets on a real redb file: values refused by field and roles enforced (refusals audited),
//! look-up by tag, label text and accent-blind name, the site -> area tree, the summary's cost
//! and downtime from hand-made work orders, sensor links on both sides, the CSV import (all or
//! nothing, idempotent), and the QR code and label sheet.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use opsdeck::domain::cmms::assets::{self, AssetEdit, AssetInput};
use opsdeck::domain::users;
use opsdeck_storage::Tenant;
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::user::Role;
use opsdeck_storage::records::work_order::{
    Downtime, LaborEntry, PartUse, Priority, ServiceCost, Transition, WoKind, WoStatus, WorkOrder,
};
use rust_decimal::Decimal;

const TODAY: Date = date(2026, 11, 23);

fn tenant() -> (tempfile::TempDir, Tenant) {
    let dir = tempfile::tempdir().unwrap();
    let t = Tenant::open("hospital", &dir.path().join("t.redb"), &[3; 32]).unwrap();
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "sil", Role::Supervisor, "Silvia").unwrap();
    users::add(&t, "ana", "op", Role::Operator, "Otto").unwrap();
    (dir, t)
}

fn input(name: &str, kind: &str, area: &str) -> AssetInput {
    AssetInput::new(name, kind, "Hospital Santa Clara", area)
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn order(id: u64, asset: &str, status: WoStatus) -> WorkOrder {
    let created = ts("2026-11-01T12:00:00Z");
    let transitions = if status == WoStatus::Open {
        Vec::new()
    } else {
        vec![Transition {
            from: WoStatus::Open,
            to: status,
            by: "sil".into(),
            at: created + SignedDuration::from_hours(id as i64),
            reason: String::new(),
        }]
    };
    WorkOrder {
        id,
        title: format!("OS {id}"),
        description: String::new(),
        kind: WoKind::Corrective,
        priority: Priority::High,
        status,
        asset: Some(asset.into()),
        assignee: None,
        due: None,
        created_by: "sil".into(),
        created_at: created,
        transitions,
        procedure: None,
        checklist: Vec::new(),
        parts: Vec::new(),
        labor: Vec::new(),
        services: Vec::new(),
        evidence: Vec::new(),
        notes: Vec::new(),
        downtime: Vec::new(),
        alert: None,
        plan: None,
        extra: BTreeMap::new(),
    }
}

#[test]
fn values_are_checked_by_field_and_only_supervisors_and_admins_write() {
    let (_d, t) = tenant();
    let mut chiller = input("Chiller 1", "chiller", "Casa de máquinas");
    chiller.installed = Some(date(2016, 3, 14));
    chiller.criticality = Criticality::Critical;

    let e = assets::create(&t, "op", "CH-01", &chiller, TODAY).unwrap_err();
    assert!(
        e.to_string().contains("op (operator) may not asset.manage"),
        "{e}"
    );
    let e = assets::create(&t, "nobody", "CH-01", &chiller, TODAY).unwrap_err();
    assert!(e.to_string().contains("has no role"), "{e}");
    let denials: Vec<_> = t
        .audit_recent(50)
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "denied:asset.manage")
        .collect();
    assert_eq!(denials.len(), 2);
    assert!(assets::list(&t).unwrap().is_empty());

    // the tag is kept in upper case; a supervisor may create
    let a = assets::create(&t, "sil", "ch-01", &chiller, TODAY).unwrap();
    assert_eq!(a.key, "CH-01");
    assert_eq!(a.value.tag, "CH-01");
    assert!(a.value.active);

    let field = |e: anyhow::Error| {
        e.downcast_ref::<assets::FieldError>()
            .map(|f| (f.field.clone(), f.why.to_string()))
            .unwrap_or_else(|| panic!("not a field error: {e}"))
    };
    let (f, m) = field(assets::create(&t, "ana", "Ch-01", &chiller, TODAY).unwrap_err());
    assert_eq!(f, "tag");
    assert!(m.contains("already used by 'Chiller 1'"), "{m}");
    let (f, m) = field(assets::create(&t, "ana", "CH 02", &chiller, TODAY).unwrap_err());
    assert_eq!(f, "tag");
    assert!(m.contains("letters, digits"), "{m}");
    let (f, _) =
        field(assets::create(&t, "ana", "CH-02", &input(" ", "chiller", "x"), TODAY).unwrap_err());
    assert_eq!(f, "name");
    let (f, _) = field(
        assets::create(
            &t,
            "ana",
            "CH-02",
            &input("Chiller 2", "chiller", ""),
            TODAY,
        )
        .unwrap_err(),
    );
    assert_eq!(f, "area");
    let mut future = chiller.clone();
    future.installed = Some(date(2026, 11, 24));
    let (f, m) = field(assets::create(&t, "ana", "CH-02", &future, TODAY).unwrap_err());
    assert_eq!(f, "installed");
    assert!(m.contains("in the future"), "{m}");
    let (f, _) =
        field(assets::create(&t, "ana", "CH-02", &input("x", "chiller!", "x"), TODAY).unwrap_err());
    assert_eq!(f, "kind");
    assert_eq!(
        assets::list(&t).unwrap().len(),
        1,
        "no refusal wrote anything"
    );

    // kinds outside the known list are accepted, tidied
    let hp = assets::create(
        &t,
        "ana",
        "BC-01",
        &input("Bomba de calor", "Heat pump", "Casa de máquinas"),
        TODAY,
    )
    .unwrap();
    assert_eq!(hp.value.kind, "heat_pump");

    // edits: only the fields given; an edit that changes nothing writes nothing
    let change = AssetEdit {
        model: Some("30XA 0502".into()),
        ..AssetEdit::default()
    };
    let e = assets::edit(&t, "op", "CH-01", None, &change, TODAY).unwrap_err();
    assert!(e.to_string().contains("may not asset.manage"), "{e}");
    let v2 = assets::edit(&t, "sil", "ch-01", None, &change, TODAY).unwrap();
    assert_eq!((v2.version, v2.value.model.as_str()), (2, "30XA 0502"));
    assert_eq!(v2.value.name, "Chiller 1");
    let same = assets::edit(&t, "sil", "CH-01", None, &change, TODAY).unwrap();
    assert_eq!(same.version, 2);
    // an edit of a stale version is refused with who changed it
    let e = assets::edit(
        &t,
        "ana",
        "CH-01",
        Some(1),
        &AssetEdit {
            name: Some("Chiller A".into()),
            ..AssetEdit::default()
        },
        TODAY,
    )
    .unwrap_err();
    assert!(e.to_string().contains("changed by sil"), "{e}");
    let e = assets::edit(&t, "ana", "NOPE", None, &change, TODAY).unwrap_err();
    assert!(e.to_string().contains("no asset 'NOPE'"), "{e}");

    // retiring keeps the record, the tree leaves it out, look-up still finds it
    let r = assets::retire(&t, "sil", "BC-01").unwrap();
    assert!(!r.value.active);
    let tree = assets::tree(&t).unwrap();
    assert_eq!(tree.len(), 1);
    assert_eq!(tree[0].areas[0].assets.len(), 1);
    assert_eq!(assets::lookup(&t, "BC-01").unwrap().len(), 1);
    assert_eq!(assets::list(&t).unwrap().len(), 2);
}

#[test]
fn lookup_by_tag_label_text_and_accent_blind_name() {
    let (_d, t) = tenant();
    for (tag, name, area) in [
        (
            "CF-VAC-01",
            "Câmara fria — Vacinas (sala de imunização)",
            "Farmácia",
        ),
        ("CF-FARM-01", "Câmara fria — Farmácia", "Farmácia"),
        ("UTA-UTIN-01", "UTA 2 — UTI neonatal", "UTI"),
        ("UTA-UTI-01", "UTA 1 — UTI adulto", "UTI"),
    ] {
        assets::create(&t, "ana", tag, &input(name, "ahu", area), TODAY).unwrap();
    }
    let tags = |text: &str| -> Vec<String> {
        assets::lookup(&t, text)
            .unwrap()
            .into_iter()
            .map(|a| a.tag)
            .collect()
    };
    // an exact tag, any case: that one only (not UTA-UTIN-01, which contains it)
    assert_eq!(tags("uta-uti-01"), ["UTA-UTI-01"]);
    // the label's QR text
    let qr = Asset::qr_text("hospital", "CF-VAC-01");
    assert_eq!(qr, "opsdeck:hospital:asset:CF-VAC-01");
    assert_eq!(tags(&qr), ["CF-VAC-01"]);
    let e = assets::lookup(&t, "opsdeck:ceramica:asset:GM-CRI").unwrap_err();
    assert!(e.to_string().contains("tenant 'ceramica'"), "{e}");
    // words of the name, accents and case ignored
    assert_eq!(tags("camara VACINAS"), ["CF-VAC-01"]);
    assert_eq!(tags("câmara"), ["CF-FARM-01", "CF-VAC-01"]);
    assert_eq!(tags("uti neo"), ["UTA-UTIN-01"]);
    assert_eq!(tags("uta-uti"), ["UTA-UTI-01", "UTA-UTIN-01"]);
    assert!(tags("caldeira").is_empty());
    assert!(assets::lookup(&t, "  ").is_err());

    let tree = assets::tree(&t).unwrap();
    let areas: Vec<(&str, usize)> = tree[0]
        .areas
        .iter()
        .map(|a| (a.area.as_str(), a.assets.len()))
        .collect();
    assert_eq!(areas, [("Farmácia", 2), ("UTI", 2)]);
}

#[test]
fn summary_sums_closed_costs_and_merges_downtime_windows() {
    let (_d, t) = tenant();
    assets::create(
        &t,
        "ana",
        "CH-01",
        &input("Chiller 1", "chiller", "CAG"),
        TODAY,
    )
    .unwrap();

    let mut done = order(1, "CH-01", WoStatus::Done);
    done.parts.push(PartUse {
        item: "FILTRO-01".into(),
        location: "almox".into(),
        qty: dec("2"),
        unit_cost: dec("150.25"),
        movement: 1,
    });
    done.labor.push(LaborEntry {
        technician: "joao".into(),
        hours: dec("3.5"),
        rate: dec("80"),
        note: String::new(),
        by: "sil".into(),
        at: ts("2026-11-02T12:00:00Z"),
    });
    done.services.push(ServiceCost {
        description: "guindaste".into(),
        amount: dec("1200"),
        by: "sil".into(),
        at: ts("2026-11-02T12:00:00Z"),
    });
    done.downtime.push(Downtime {
        from: ts("2026-11-02T08:00:00Z"),
        to: Some(ts("2026-11-02T12:00:00Z")),
    });
    let mut cancelled = order(2, "CH-01", WoStatus::Cancelled);
    cancelled.services.push(ServiceCost {
        description: "crane booked, then the job was called off".into(),
        amount: dec("999"),
        by: "sil".into(),
        at: ts("2026-11-02T12:00:00Z"),
    });
    // overlaps the first window by 2 h: counted once
    cancelled.downtime.push(Downtime {
        from: ts("2026-11-02T10:00:00Z"),
        to: Some(ts("2026-11-02T13:00:00Z")),
    });
    let mut open = order(3, "CH-01", WoStatus::InProgress);
    open.labor.push(LaborEntry {
        technician: "joao".into(),
        hours: dec("1"),
        rate: dec("80"),
        note: String::new(),
        by: "sil".into(),
        at: ts("2026-11-03T12:00:00Z"),
    });
    // still down: counts up to `now`
    open.downtime.push(Downtime {
        from: ts("2026-11-03T06:00:00Z"),
        to: None,
    });
    let other = {
        let mut o = order(4, "CH-02", WoStatus::Done);
        o.services.push(ServiceCost {
            description: "other asset".into(),
            amount: dec("5000"),
            by: "sil".into(),
            at: ts("2026-11-02T12:00:00Z"),
        });
        o
    };
    t.write("sil", |tx| {
        for o in [done, cancelled, open, other] {
            tx.insert(&WorkOrder::key(o.id), o)?;
        }
        Ok(())
    })
    .unwrap();

    let now = ts("2026-11-03T10:30:00Z");
    let s = assets::summary(&t, "ch-01", now).unwrap();
    assert_eq!(s.asset.key, "CH-01");
    let ids = |v: &[WorkOrder]| v.iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(ids(&s.open_orders), [3]);
    // most recently closed first
    assert_eq!(ids(&s.past_orders), [2, 1]);
    // 2 x 150.25 + 3.5 x 80 + 1200, + 999 booked on the cancelled order (closing it posted
    // that cost to the ledger too); the open order does not count yet
    assert_eq!(s.total_cost, dec("2779.50"));
    // 08:00-13:00 (two overlapping windows) + 06:00-10:30 still open
    assert_eq!(
        s.downtime,
        SignedDuration::from_hours(5) + SignedDuration::from_mins(270)
    );
    assert_eq!(s.down_since, Some(ts("2026-11-03T06:00:00Z")));
    assert!(s.sensors.is_empty());
    assert!(assets::summary(&t, "CH-09", now).is_err());
}

fn device(id: &str, asset: &str) -> Device {
    let mut d = Device::first_seen(id, ts("2026-11-01T00:00:00Z"));
    d.name = format!("sensor {id}");
    d.asset = asset.into();
    d
}

#[test]
fn sensors_link_on_both_sides_and_move_between_assets() {
    let (_d, t) = tenant();
    for tag in ["CH-01", "CH-02"] {
        assets::create(&t, "ana", tag, &input(tag, "chiller", "CAG"), TODAY).unwrap();
    }
    t.write("ingest", |tx| {
        tx.insert("CH-01", device("CH-01", ""))?;
        // a device that names the asset from its side only
        tx.insert("T-9", device("T-9", "CH-02"))?;
        Ok(())
    })
    .unwrap();
    let e = assets::link_sensor(&t, "op", "CH-01", "CH-01").unwrap_err();
    assert!(e.to_string().contains("may not asset.manage"), "{e}");

    let a = assets::link_sensor(&t, "sil", "CH-01", "CH-01").unwrap();
    assert_eq!(a.value.sensors, ["CH-01"]);
    assert_eq!(
        t.get::<Device>("CH-01").unwrap().unwrap().value.asset,
        "CH-01"
    );
    // a device with no reading yet can be linked too
    let a = assets::link_sensor(&t, "sil", "CH-01", "NEW-1").unwrap();
    assert_eq!(a.value.sensors, ["CH-01", "NEW-1"]);
    let s = assets::summary(&t, "CH-01", opsdeck_storage::clock::now()).unwrap();
    let sensors: Vec<(&str, bool)> = s
        .sensors
        .iter()
        .map(|l| (l.device.as_str(), l.registered))
        .collect();
    assert_eq!(sensors, [("CH-01", true), ("NEW-1", false)]);
    let s2 = assets::summary(&t, "CH-02", opsdeck_storage::clock::now()).unwrap();
    assert_eq!(s2.sensors.len(), 1);
    assert_eq!(s2.sensors[0].name, "sensor T-9");

    // linking to another asset moves it
    assets::link_sensor(&t, "sil", "CH-02", "CH-01").unwrap();
    assert_eq!(
        assets::get(&t, "CH-01").unwrap().value.sensors,
        ["NEW-1"],
        "taken off the asset it was on"
    );
    assert_eq!(
        t.get::<Device>("CH-01").unwrap().unwrap().value.asset,
        "CH-02"
    );

    let a = assets::unlink_sensor(&t, "sil", "CH-02", "CH-01").unwrap();
    assert!(a.value.sensors.is_empty());
    assert_eq!(t.get::<Device>("CH-01").unwrap().unwrap().value.asset, "");
    let e = assets::unlink_sensor(&t, "sil", "CH-02", "CH-01").unwrap_err();
    assert!(e.to_string().contains("not linked"), "{e}");
}

const HEADER: &str =
    "tag,name,kind,site,area,location,make,model,serial,installed,criticality,sensors,notes\n";

#[test]
fn csv_import_is_all_or_nothing_and_idempotent() {
    let (_d, t) = tenant();
    t.write("ingest", |tx| {
        tx.insert("CH-01", device("CH-01", ""))?;
        Ok(())
    })
    .unwrap();
    let bad = format!(
        "{HEADER}\
CAG-CH-01,Chiller 1,chiller,Hospital,Casa de máquinas,\"Subsolo 2, CAG\",Carrier,30XA,S1,2016-03-14,critical,CH-01,\n\
CAG-CH-02,Chiller 2,chiller,Hospital,Casa de máquinas,,Trane,RTAC,S2,14/03/2016,critical,,\n\
cag-ch-01,Chiller 1 again,chiller,Hospital,Casa de máquinas,,,,,,,,\n\
BAG-01,,pump,Hospital,Casa de máquinas,,KSB,Meganorm,S3,,high,,\n"
    );
    let errors = assets::import(&t, "ana", "assets.csv", bad.as_bytes(), TODAY)
        .unwrap()
        .unwrap_err();
    let got: Vec<(u64, Option<&str>)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        got,
        [(3, Some("installed")), (4, Some("tag")), (5, Some("name"))]
    );
    assert!(
        errors[0]
            .to_string()
            .starts_with("assets.csv: row 3, column 'installed'")
    );
    assert!(assets::list(&t).unwrap().is_empty(), "nothing imported");
    assert_eq!(t.get::<Device>("CH-01").unwrap().unwrap().value.asset, "");

    let e = assets::import(&t, "op", "assets.csv", HEADER.as_bytes(), TODAY).unwrap_err();
    assert!(e.to_string().contains("may not asset.manage"), "{e}");

    let good = format!(
        "{HEADER}\
CAG-CH-01,Chiller 1,chiller,Hospital,Casa de máquinas,\"Subsolo 2, CAG\",Carrier,30XA,S1,2016-03-14,critical,CH-01,\n\
BAG-01,Bomba 1,pump,Hospital,Casa de máquinas,,KSB,Meganorm,S3,,,,\n"
    );
    let r = assets::import(&t, "ana", "assets.csv", good.as_bytes(), TODAY)
        .unwrap()
        .unwrap();
    assert_eq!((r.created, r.updated, r.unchanged, r.links), (2, 0, 0, 1));
    let ch = assets::get(&t, "CAG-CH-01").unwrap().value;
    assert_eq!(ch.location, "Subsolo 2, CAG");
    assert_eq!(ch.installed, Some(date(2016, 3, 14)));
    assert_eq!(ch.criticality, Criticality::Critical);
    assert_eq!(ch.sensors, ["CH-01"]);
    assert_eq!(
        t.get::<Device>("CH-01").unwrap().unwrap().value.asset,
        "CAG-CH-01"
    );
    assert_eq!(
        assets::get(&t, "BAG-01").unwrap().value.criticality,
        Criticality::Medium
    );

    let counter = t.change_counter().unwrap();
    let again = assets::import(&t, "ana", "assets.csv", good.as_bytes(), TODAY)
        .unwrap()
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(t.change_counter().unwrap(), counter, "nothing written");
}

#[test]
fn qr_code_and_label_sheet() {
    let text = Asset::qr_text("hospital", "CAG-CH-01");
    let qr = assets::qr_unicode(&text).unwrap();
    let lines: Vec<&str> = qr.lines().collect();
    assert!(lines.len() > 10, "{qr}");
    // a quiet zone: the first row is all light modules (drawn as full blocks)
    assert!(lines[0].chars().all(|c| c == '█'), "{qr}");
    assert!(
        lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count())
    );

    let (_d, t) = tenant();
    let mut all = Vec::new();
    for i in 0..30 {
        let a = assets::create(
            &t,
            "ana",
            &format!("FC-{i:02}"),
            &input(
                &format!("Fan coil <{i}> & \"quarto\" — ala B"),
                "fan_coil",
                "Internação",
            ),
            TODAY,
        )
        .unwrap();
        all.push(a.value);
    }
    let svg = assets::label_sheet_svg("hospital", &all[..3]).unwrap();
    assert!(svg.contains("<svg"), "{svg}");
    assert!(svg.contains(r#"width="210mm" height="297mm""#));
    assert_eq!(svg.matches("<text").count(), 3);
    assert_eq!(svg.matches("</text>").count(), 3);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains(">Fan coil &lt;1&gt; &amp;<"), "escaped: {svg}");
    assert!(svg.contains("&quot;quarto&quot;"), "escaped: {svg}");
    assert!(!svg.contains("<1>"));
    assert!(svg.contains(">FC-02<"));

    assert!(assets::label_sheet_svg("hospital", &all).is_err());
    let pages = assets::label_pages_svg("hospital", &all).unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].matches("<text").count(), assets::LABELS_PER_PAGE);
    assert_eq!(pages[1].matches("<text").count(), 6);
}
