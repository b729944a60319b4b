//! The `opsdeck` binary end to end: real processes against temporary data dirs.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::cli::{opsdeck, stdout_of};
use common::me;
use predicates::prelude::*;

/// A fresh site: `opsdeck --data <tmp>/site init [extra...]`.
fn init_site(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    opsdeck(&dir).arg("init").args(extra).assert().success();
    (tmp, dir)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn seal_key(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("secrets.toml")).unwrap();
    let secrets: toml::Table = toml::from_str(&text).unwrap();
    secrets["audit_seal_key"].as_str().unwrap().to_owned()
}

#[test]
fn init_creates_site_with_private_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let config = dir.join("opsdeck.toml");
    let secrets = dir.join("secrets.toml");
    opsdeck(&dir)
        .args(["init", "--tenant", "plant"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "config:  {}",
            config.display()
        )))
        .stdout(predicate::str::contains(format!(
            "secrets: {}",
            secrets.display()
        )))
        .stdout(predicate::str::contains("tenant:  plant"));
    assert!(config.is_file(), "{} is missing", config.display());
    assert_eq!(mode(&secrets), 0o600, "secrets.toml must be private");

    let json = stdout_of(opsdeck(&dir).args(["user", "list", "--json"]));
    let users: serde_json::Value = serde_json::from_str(&json).unwrap();
    let users = users.as_array().expect("a JSON array of users");
    let me = me();
    assert!(
        users
            .iter()
            .any(|u| u["name"] == me.as_str() && u["role"] == "admin"),
        "{me} should be admin: {json}"
    );

    opsdeck(&dir)
        .args(["init", "--tenant", "plant"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("opsdeck.toml"));
}

#[test]
fn config_show_masks_secrets() {
    let (_tmp, dir) = init_site(&["--tenant", "plant"]);
    let key = seal_key(&dir);
    assert!(key.len() >= 64, "a generated key: {key}");
    let out = stdout_of(opsdeck(&dir).args(["config", "show"]));
    assert!(out.contains("default_tenant = \"plant\""), "{out}");
    assert!(out.contains("name = \"plant\""), "{out}");
    assert!(!out.contains(&key), "the seal key leaked:\n{out}");
    assert!(
        out.contains(&format!("{}…", &key[..4])),
        "no masked key:\n{out}"
    );
    // The ingest key is masked too.
    let text = std::fs::read_to_string(dir.join("secrets.toml")).unwrap();
    let secrets: toml::Table = toml::from_str(&text).unwrap();
    let ingest = secrets["ingest_keys"]["plant"].as_str().unwrap();
    assert!(!out.contains(ingest), "the ingest key leaked:\n{out}");
    assert!(out.contains(&format!("{}…", &ingest[..4])), "{out}");
}

#[test]
fn bad_config_names_file_line_and_key() {
    let (_tmp, dir) = init_site(&[]);
    let path = dir.join("opsdeck.toml");
    let original = std::fs::read_to_string(&path).unwrap();

    std::fs::write(&path, format!("{original}colour = 3\n")).unwrap();
    let line = original.lines().count() + 1;
    opsdeck(&dir)
        .args(["user", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("opsdeck.toml"))
        .stderr(predicate::str::contains(format!("line {line}")))
        .stderr(predicate::str::contains("key 'colour'"))
        .stderr(predicate::str::contains("panicked").not());

    assert!(
        original.contains("time_zone = \"America/Sao_Paulo\""),
        "{original}"
    );
    std::fs::write(
        &path,
        original.replace(
            "time_zone = \"America/Sao_Paulo\"",
            "time_zone = \"Mars/Base\"",
        ),
    )
    .unwrap();
    opsdeck(&dir)
        .args(["user", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("opsdeck.toml"))
        .stderr(predicate::str::contains("line "))
        .stderr(predicate::str::contains("key 'time_zone'"))
        .stderr(predicate::str::contains("Mars/Base"));

    // Fixed again, it works.
    std::fs::write(&path, &original).unwrap();
    opsdeck(&dir).args(["user", "list"]).assert().success();
}

#[test]
fn tenant_and_user_management() {
    let (_tmp, dir) = init_site(&[]);
    let me = me();
    opsdeck(&dir)
        .args(["tenant", "add", "lab", "--time-zone", "America/Manaus"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added tenant 'lab'"));
    let list = stdout_of(opsdeck(&dir).args(["tenant", "list"]));
    assert!(
        list.lines()
            .any(|l| l.starts_with("lab\t") && l.contains("America/Manaus")),
        "{list}"
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("main\t") && l.contains("(default)")),
        "{list}"
    );

    opsdeck(&dir)
        .args([
            "--tenant",
            "lab",
            "user",
            "add",
            "maria",
            "--role",
            "supervisor",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "maria is now supervisor in tenant 'lab'",
        ));
    let users = stdout_of(opsdeck(&dir).args(["--tenant", "lab", "user", "list"]));
    assert!(
        users.lines().any(|l| l.starts_with("maria\tsupervisor")),
        "{users}"
    );
    assert!(
        users
            .lines()
            .any(|l| l.starts_with(&format!("{me}\tadmin"))),
        "{users}"
    );
    // Roles are per tenant.
    let main_users = stdout_of(opsdeck(&dir).args(["user", "list"]));
    assert!(!main_users.contains("maria"), "{main_users}");

    opsdeck(&dir)
        .args(["--tenant", "lab", "user", "add", "x", "--role", "boss"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("boss"))
        .stderr(predicate::str::contains(
            "operator, supervisor, finance, auditor, admin",
        ));

    opsdeck(&dir)
        .args(["--tenant", "lab", "user", "remove", "maria"])
        .assert()
        .success()
        .stdout(predicate::str::contains("maria no longer has a role"));
    let users = stdout_of(opsdeck(&dir).args(["--tenant", "lab", "user", "list"]));
    assert!(!users.contains("maria"), "{users}");

    opsdeck(&dir)
        .args(["--tenant", "lab", "user", "remove", &me])
        .assert()
        .failure()
        .stderr(predicate::str::contains("last admin"));
    let users = stdout_of(opsdeck(&dir).args(["--tenant", "lab", "user", "list"]));
    assert!(
        users
            .lines()
            .any(|l| l.starts_with(&format!("{me}\tadmin"))),
        "{users}"
    );
}

/// Rewrites audit entry `seq` of the redb file behind the app's back.
fn tamper_actor(db_path: &Path, seq: u64, actor: &str) {
    use redb::ReadableTable;
    let def = redb::TableDefinition::<u64, &[u8]>::new("audit");
    let db = redb::Database::builder()
        .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
        .open(db_path)
        .unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut table = txn.open_table(def).unwrap();
        let bytes = table
            .get(seq)
            .unwrap()
            .expect("the entry exists")
            .value()
            .to_vec();
        let mut entry: opsdeck_storage::audit::AuditEntry =
            opsdeck_storage::codec::decode(&bytes).unwrap();
        assert_eq!(entry.seq, seq);
        assert_ne!(entry.actor, actor);
        entry.actor = actor.to_owned();
        let new = opsdeck_storage::codec::encode(&entry).unwrap();
        table.insert(seq, new.as_slice()).unwrap();
    }
    txn.commit().unwrap();
}

#[test]
fn audit_verify_detects_tampering() {
    let (_tmp, dir) = init_site(&[]);
    for (name, role) in [
        ("ana", "operator"),
        ("bruno", "supervisor"),
        ("carla", "auditor"),
    ] {
        opsdeck(&dir)
            .args(["user", "add", name, "--role", role])
            .assert()
            .success();
    }
    opsdeck(&dir)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicate::str::contains("intact"))
        .stdout(predicate::str::contains("4 entries"));
    opsdeck(&dir)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("audit chain: ok"));

    tamper_actor(&dir.join("tenants/main/opsdeck.redb"), 2, "mallory");

    opsdeck(&dir)
        .args(["audit", "verify"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("BROKEN at entry 2"))
        .stdout(predicate::str::contains("intact").not());
    opsdeck(&dir)
        .arg("check")
        .assert()
        .failure()
        .stdout(predicate::str::contains("audit chain: BROKEN at entry 2"))
        .stderr(predicate::str::contains("problem(s) found"));
}

#[test]
fn reindex_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    opsdeck(&dir)
        .args(["--demo", "user", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ana.souza\tsupervisor"));

    let out = stdout_of(opsdeck(&dir).arg("reindex"));
    let rest = out
        .split("reindexed tenant 'hospital': ")
        .nth(1)
        .unwrap_or_else(|| panic!("no reindex line in {out:?}"));
    let n: u64 = rest
        .split(" documents")
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no document count in {out:?}"));
    assert!(n > 0, "{out}");

    opsdeck(&dir)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("tenant 'hospital':"))
        .stdout(predicate::str::contains("search index: ok"))
        .stdout(predicate::str::contains("database: ok"));
}

/// Kills the child if the test ends before it does.
struct Reaper(Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn config_show(dir: &Path) -> String {
    stdout_of(opsdeck(dir).args(["config", "show"]))
}

#[test]
fn serve_holds_the_services_lock() {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;

    let (_tmp, dir) = init_site(&[]);
    // Any free port: the default one may be in use by another test's console or a real site.
    let cfg = dir.join("opsdeck.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("127.0.0.1:8787", "127.0.0.1:0")).unwrap();
    assert!(config_show(&dir).contains("site services: not running"));
    let child = common::cli::process()
        .env_remove("OPSDECK_DATA")
        .arg("--data")
        .arg(&dir)
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Reaper(child);
    let pid = child.0.id();
    let holder = format!("site services: serve pid {pid}");

    let start = Instant::now();
    loop {
        if config_show(&dir).contains(&holder) {
            break;
        }
        if let Some(status) = child.0.try_wait().unwrap() {
            panic!("serve exited early: {status}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "serve never took the lock"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    opsdeck(&dir)
        .arg("serve")
        .assert()
        .failure()
        .stderr(predicate::str::contains("already run in another process"))
        .stderr(predicate::str::contains(format!("serve pid {pid}")));
    opsdeck(&dir)
        .arg("reindex")
        .assert()
        .failure()
        .stderr(predicate::str::contains("the site services are running"))
        .stderr(predicate::str::contains(format!("serve pid {pid}")));

    kill(Pid::from_raw(pid as i32), Signal::SIGTERM).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "serve ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "serve exited with {status}");
    let after = config_show(&dir);
    assert!(after.contains("site services: not running"), "{after}");
}

#[test]
fn every_command_has_help() {
    let commands: &[&[&str]] = &[
        &[],
        &["serve"],
        &["init"],
        &["tenant"],
        &["tenant", "add"],
        &["user"],
        &["user", "add"],
        &["config"],
        &["audit"],
        &["audit", "verify"],
        &["reindex"],
        &["check"],
    ];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("none");
    for args in commands {
        opsdeck(&dir)
            .args(*args)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
    assert!(!dir.exists(), "help must not create a site");
}

#[test]
fn no_site_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nothing");
    opsdeck(&dir)
        .args(["user", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no opsdeck site at"))
        .stderr(predicate::str::contains(dir.display().to_string()))
        .stderr(predicate::str::contains("opsdeck init"));
    assert!(
        !dir.exists(),
        "a failed command must not create the data dir"
    );

    // An existing but empty dir is no site either.
    std::fs::create_dir(&dir).unwrap();
    opsdeck(&dir)
        .args(["user", "list"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no opsdeck site at"))
        .stderr(predicate::str::contains("opsdeck init"));
}

#[test]
fn bench_cmms_times_the_work_orders_pane_on_a_longer_history() {
    let dir = tempfile::tempdir().unwrap();
    let out = opsdeck(dir.path())
        .args(["bench", "cmms", "--orders", "60", "--runs", "1", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("60 orders added"), "{text}");
    for load in [
        "orders + KPIs",
        "order page",
        "plans view",
        "inventory view",
    ] {
        assert!(
            text.lines()
                .any(|l| l.contains(load) && l.trim_end().ends_with("ms")),
            "{load}: {text}"
        );
    }
    // The scratch site is removed afterwards.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("opsdeck-bench-cmms")
        })
        .collect();
    assert!(left.is_empty());
}
