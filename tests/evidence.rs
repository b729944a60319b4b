//! The evidence store on disk: files copied under their SHA-256 (same content stored once, no
//! temp file left behind), refusals that name the path (missing, a directory, over the size
//! limit), verification that notices missing, truncated and altered files, the readings
//! snapshot CSV, and `opsdeck check` failing on a tampered evidence file.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::cli::opsdeck;
use jiff::Timestamp;
use opsdeck::domain::cmms::evidence::{self, Fault};
use opsdeck::site::Site;
use opsdeck::site::paths::SiteDir;
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::Reading;
use opsdeck_storage::records::work_order::{EvidenceRef, Priority, WoKind, WoStatus, WorkOrder};
use predicates::prelude::*;
use sha2::{Digest, Sha256};

fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_in(&p));
        } else {
            out.push(p.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

/// Makes a stored file writable again, as someone tampering with it would.
fn writable(p: &Path) {
    let mut perm = std::fs::metadata(p).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(p, perm).unwrap();
}

fn reference(sha: &str, size: u64, name: &str) -> EvidenceRef {
    EvidenceRef {
        sha256: sha.into(),
        name: name.into(),
        size,
        by: "ana".into(),
        at: opsdeck_storage::clock::now(),
    }
}

#[test]
fn files_are_stored_by_hash_once_and_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let site = SiteDir::new(tmp.path().join("site"));
    let photo = tmp.path().join("foto-condensador.jpg");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&photo, &content).unwrap();
    let expected = hex::encode(Sha256::digest(&content));

    let (sha, size) = evidence::store_file(&site.evidence_dir("plant"), &photo).unwrap();
    assert_eq!(sha, expected);
    assert_eq!(size, content.len() as u64);
    let stored = evidence::path_of(&site.evidence_dir("plant"), &sha).unwrap();
    assert_eq!(
        stored,
        tmp.path()
            .join("site/tenants/plant/evidence")
            .join(&sha[..2])
            .join(&sha)
    );
    assert_eq!(std::fs::read(&stored).unwrap(), content);
    assert!(
        std::fs::metadata(&stored).unwrap().permissions().readonly(),
        "stored evidence is read-only"
    );

    // the same content again, from a file or from memory: one file, no temp file left
    assert_eq!(
        evidence::store_file(&site.evidence_dir("plant"), &photo).unwrap(),
        (sha.clone(), size)
    );
    assert_eq!(
        evidence::store_bytes(&site.evidence_dir("plant"), &content).unwrap(),
        (sha.clone(), size)
    );
    let (other, _) = evidence::store_bytes(&site.evidence_dir("plant"), b"relatorio").unwrap();
    let store = site.evidence_dir("plant");
    let mut want = vec![sha.clone(), other.clone()];
    want.sort();
    assert_eq!(
        files_in(&store),
        want,
        "only the stored files, no .incoming-*"
    );

    // verification
    let refs = vec![
        reference(&sha, size, "foto-condensador.jpg"),
        reference(&other, 9, "relatorio.txt"),
    ];
    assert!(evidence::verify(&site.evidence_dir("plant"), &refs).is_empty());

    // altered, same size
    writable(&stored);
    let mut altered = content.clone();
    altered[1000] ^= 0xff;
    std::fs::write(&stored, &altered).unwrap();
    let problems = evidence::verify(&site.evidence_dir("plant"), &refs);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].name, "foto-condensador.jpg");
    assert!(matches!(problems[0].fault, Fault::Hash { .. }));
    assert!(problems[0].to_string().contains("was altered"));

    // storing the true content again repairs the damaged copy
    evidence::store_file(&site.evidence_dir("plant"), &photo).unwrap();
    assert!(evidence::verify(&site.evidence_dir("plant"), &refs).is_empty());

    // truncated, then missing
    writable(&stored);
    std::fs::write(&stored, &content[..10]).unwrap();
    let problems = evidence::verify(&site.evidence_dir("plant"), &refs);
    assert_eq!(problems[0].fault, Fault::Size { found: 10 });
    std::fs::remove_file(&stored).unwrap();
    let problems = evidence::verify(&site.evidence_dir("plant"), &refs);
    assert_eq!(problems[0].fault, Fault::Missing);
    assert!(problems[0].to_string().contains(&sha));

    // a damaged reference never reads outside the store
    let bad = [reference("../../secrets.toml", 1, "x")];
    assert_eq!(
        evidence::verify(&site.evidence_dir("plant"), &bad)[0].fault,
        Fault::BadHash
    );
}

#[test]
fn refusals_name_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let site = SiteDir::new(tmp.path().join("site"));
    let missing = tmp.path().join("nao-existe.jpg");
    let e = evidence::store_file(&site.evidence_dir("plant"), &missing).unwrap_err();
    assert!(
        e.to_string().contains("nao-existe.jpg: no such file"),
        "{e}"
    );

    let e = evidence::store_file(&site.evidence_dir("plant"), tmp.path()).unwrap_err();
    assert!(e.to_string().contains("is a directory"), "{e}");

    // a sparse file just over the limit: refused before anything is copied
    let big = tmp.path().join("video.mp4");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(evidence::MAX_BYTES + 1).unwrap();
    let e = evidence::store_file(&site.evidence_dir("plant"), &big).unwrap_err();
    assert!(e.to_string().contains("video.mp4"), "{e}");
    assert!(e.to_string().contains("at most 50 MiB"), "{e}");
    assert!(files_in(&site.evidence_dir("plant")).is_empty());
}

#[test]
fn readings_snapshot_is_csv_of_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    let t = Tenant::open("plant", &tmp.path().join("t.redb"), &[1; 32]).unwrap();
    let at = |s: &str| -> Timestamp { s.parse().unwrap() };
    let r = |metric: &str, ts: &str, value: f64| Reading {
        device: "CR-03".into(),
        metric: metric.into(),
        ts: at(ts),
        value,
    };
    t.write("ingest", |tx| {
        tx.append_readings(&[
            r("temp_c", "2026-11-22T10:00:00Z", 4.5),
            r("rh_pct", "2026-11-22T10:00:00Z", 80.0),
            r("temp_c", "2026-11-22T10:01:00Z", 8.6),
            r("temp_c", "2026-11-22T11:00:00Z", 9.0),
        ])?;
        Ok(())
    })
    .unwrap();
    let csv = evidence::readings_snapshot_csv(
        &t,
        "CR-03",
        at("2026-11-22T10:00:00Z"),
        at("2026-11-22T11:00:00Z"),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "time,metric,value\n\
         2026-11-22T10:00:00Z,rh_pct,80\n\
         2026-11-22T10:00:00Z,temp_c,4.5\n\
         2026-11-22T10:01:00Z,temp_c,8.6\n"
    );
    assert!(
        evidence::readings_snapshot_csv(
            &t,
            "NOPE",
            at("2026-11-22T10:00:00Z"),
            at("2026-11-22T11:00:00Z")
        )
        .is_err()
    );
}

#[test]
fn check_fails_on_a_tampered_evidence_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    opsdeck(&dir)
        .args(["init", "--tenant", "plant"])
        .assert()
        .success();
    let sha;
    {
        let site = Site::open(SiteDir::new(&dir)).unwrap();
        let (s, size) =
            evidence::store_bytes(&site.dir.evidence_dir("plant"), b"laudo tecnico").unwrap();
        sha = s;
        let tenant = site.open_tenant("plant").unwrap();
        tenant
            .write("ana", |tx| {
                let order = WorkOrder {
                    id: 7,
                    title: "Troca do compressor".into(),
                    description: String::new(),
                    kind: WoKind::Corrective,
                    priority: Priority::High,
                    status: WoStatus::Open,
                    asset: Some("CH-01".into()),
                    assignee: None,
                    due: None,
                    created_by: "ana".into(),
                    created_at: opsdeck_storage::clock::now(),
                    transitions: Vec::new(),
                    procedure: None,
                    checklist: Vec::new(),
                    parts: Vec::new(),
                    labor: Vec::new(),
                    services: Vec::new(),
                    evidence: vec![reference(&sha, size, "laudo.pdf")],
                    notes: Vec::new(),
                    downtime: Vec::new(),
                    alert: None,
                    plan: None,
                    extra: BTreeMap::new(),
                };
                tx.insert(&WorkOrder::key(7), order)?;
                Ok(())
            })
            .unwrap();
    }
    opsdeck(&dir)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "evidence: ok, 1 file reference(s)",
        ));

    let stored = evidence::path_of(&SiteDir::new(&dir).evidence_dir("plant"), &sha).unwrap();
    writable(&stored);
    std::fs::write(&stored, b"laudo TECNICO").unwrap();
    opsdeck(&dir)
        .arg("check")
        .assert()
        .failure()
        .stdout(predicate::str::contains(format!(
            "evidence: BAD in work order 7: 'laudo.pdf' (sha256 {sha})"
        )))
        .stdout(predicate::str::contains("was altered"))
        .stderr(predicate::str::contains("1 problem(s) found"));
}

#[test]
fn cli_attaches_files_and_an_alert_order_gets_the_readings_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    opsdeck(&dir)
        .args(["init", "--tenant", "plant"])
        .assert()
        .success();
    let raised = opsdeck_storage::clock::now() - jiff::SignedDuration::from_mins(30);
    {
        let site = Site::open(SiteDir::new(&dir)).unwrap();
        let tenant = site.open_tenant("plant").unwrap();
        tenant
            .write("ingest", |tx| {
                tx.insert(
                    "CR-03",
                    opsdeck_storage::records::device::Device::first_seen("CR-03", raised),
                )?;
                tx.append_readings(&[
                    Reading {
                        device: "CR-03".into(),
                        metric: "temp_c".into(),
                        ts: raised - jiff::SignedDuration::from_mins(5),
                        value: 7.9,
                    },
                    Reading {
                        device: "CR-03".into(),
                        metric: "temp_c".into(),
                        ts: raised,
                        value: 8.6,
                    },
                ])?;
                tx.insert(
                    &opsdeck_storage::records::alert::Alert::key(1),
                    opsdeck_storage::records::alert::Alert {
                        id: 1,
                        rule: "camara-fria".into(),
                        device: "CR-03".into(),
                        severity: opsdeck_storage::records::rule::Severity::Critical,
                        status: opsdeck_storage::records::alert::AlertStatus::Open,
                        raised_at: raised,
                        value: Some(8.6),
                        message: "Câmara fria acima de 8 °C".into(),
                        last_value: Some(8.6),
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
    }
    let out = opsdeck(&dir)
        .args(["wo", "from-alert", "1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("OS 1 open"), "{out}");
    let photo = tmp.path().join("condensador.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff foto do condensador").unwrap();
    let out = opsdeck(&dir)
        .args(["wo", "attach", "1"])
        .arg(&photo)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let (sha, _) = evidence::hash_file(&photo).unwrap();
    assert!(
        out.contains(&format!("condensador.jpg · 23 bytes · sha256 {sha}")),
        "{out}"
    );
    // Both files are in the store and verified; the snapshot holds the readings.
    let site = Site::open(SiteDir::new(&dir)).unwrap();
    let order = site
        .open_tenant("plant")
        .unwrap()
        .get::<WorkOrder>(&WorkOrder::key(1))
        .unwrap()
        .unwrap()
        .value;
    assert_eq!(order.kind, WoKind::Predictive);
    assert_eq!(order.evidence.len(), 2);
    let snap = &order.evidence[0];
    assert!(snap.name.starts_with("leituras-CR-03-"), "{}", snap.name);
    let csv = std::fs::read_to_string(
        evidence::path_of(&site.dir.evidence_dir("plant"), &snap.sha256).unwrap(),
    )
    .unwrap();
    assert!(
        csv.starts_with("time,metric,value\n") && csv.contains(",temp_c,8.6"),
        "{csv}"
    );
    opsdeck(&dir)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "evidence: ok, 2 file reference(s)",
        ));
}
