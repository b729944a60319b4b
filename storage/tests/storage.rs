//! The storage contract on real redb files and a real tantivy index.

use opsdeck_storage::audit::Verdict;
use opsdeck_storage::records::user::{Role, User};
use opsdeck_storage::search::INDEXER;
use opsdeck_storage::{Error, SCHEMA_VERSION, SearchIndex, Tenant};
use redb::{ReadableDatabase, ReadableTable};

const KEY: &[u8] = b"test-seal-key-0123456789abcdef";

fn user(name: &str, role: Role) -> User {
    User {
        name: name.into(),
        role,
        full_name: format!("{name} da Silva"),
    }
}

fn open(dir: &tempfile::TempDir) -> Tenant {
    Tenant::open("t", &dir.path().join("opsdeck.redb"), KEY).unwrap()
}

#[test]
fn stale_edit_is_refused_with_who_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir);
    t.write("ana", |tx| {
        tx.insert("bruno", user("bruno", Role::Operator))
    })
    .unwrap();
    let read_by_both = t.get::<User>("bruno").unwrap().unwrap();
    assert_eq!(read_by_both.version, 1);

    t.write("carla", |tx| {
        tx.update(
            "bruno",
            read_by_both.version,
            user("bruno", Role::Supervisor),
        )
    })
    .unwrap();
    let err = t
        .write("davi", |tx| {
            tx.update("bruno", read_by_both.version, user("bruno", Role::Admin))
        })
        .unwrap_err();
    match &err {
        Error::Conflict {
            by,
            expected,
            current,
            ..
        } => {
            assert_eq!(by, "carla");
            assert_eq!((*expected, *current), (1, 2));
        }
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.to_string().contains("changed by carla at"), "{err}");
    let now = t.get::<User>("bruno").unwrap().unwrap();
    assert_eq!(
        now.value.role,
        Role::Supervisor,
        "the stale edit wrote nothing"
    );
    assert_eq!(now.version, 2);
}

#[test]
fn failed_closure_writes_nothing_not_even_audit() {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir);
    let before = t.change_counter().unwrap();
    let r: Result<(), _> = t.write("ana", |tx| {
        tx.insert("x", user("x", Role::Operator))?;
        Err(Error::NotFound {
            kind: "user".into(),
            key: "y".into(),
        })
    });
    assert!(r.is_err());
    assert!(t.get::<User>("x").unwrap().is_none());
    assert_eq!(t.change_counter().unwrap(), before);
    assert_eq!(t.outbox_head().unwrap(), 0);
    assert!(t.audit_recent(10).unwrap().is_empty());
}

#[test]
fn outbox_events_commit_with_the_change_and_replay_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir);
    for n in ["ana", "bruno", "carla"] {
        t.write("admin", |tx| tx.insert(n, user(n, Role::Operator)))
            .unwrap();
    }
    // each insert: the record event plus the audit entry's event
    assert_eq!(t.outbox_head().unwrap(), 6);
    let index = SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut w = index.writer().unwrap();
    assert_eq!(w.catch_up(&t, 1000).unwrap(), 6);
    assert_eq!(w.catch_up(&t, 1000).unwrap(), 0, "cursor moved");
    let docs = index.num_docs();
    assert_eq!(docs, 6);
    let hits_before = index.search("bruno", 10).unwrap();

    // Replay everything (as after a crash before the cursor moved): nothing doubles.
    t.rewind(INDEXER, 0).unwrap();
    assert_eq!(w.catch_up(&t, 1000).unwrap(), 6);
    assert_eq!(index.num_docs(), docs);
    assert_eq!(index.search("bruno", 10).unwrap().len(), hits_before.len());

    // A delete reaches the index through the outbox too.
    let v = t.get::<User>("bruno").unwrap().unwrap().version;
    t.write("admin", |tx| tx.delete::<User>("bruno", v))
        .unwrap();
    w.catch_up(&t, 1000).unwrap();
    assert!(
        index
            .search("bruno", 10)
            .unwrap()
            .iter()
            .all(|h| h.kind == "audit"),
        "the user doc is gone, only audit entries mention bruno"
    );
}

#[test]
fn search_returns_typed_hits_with_snippets_and_folds_accents() {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir);
    t.write("admin", |tx| {
        tx.insert(
            "jose",
            User {
                name: "jose".into(),
                role: Role::Supervisor,
                full_name: "José Criciúma Manutenção".into(),
            },
        )
    })
    .unwrap();
    let index = SearchIndex::open(&dir.path().join("index")).unwrap();
    index.writer().unwrap().catch_up(&t, 100).unwrap();
    let hits = index.search("criciuma manutencao", 10).unwrap();
    let hit = hits.iter().find(|h| h.kind == "user").expect("user hit");
    assert_eq!(hit.key, "jose");
    assert!(hit.title.contains("supervisor"));
    assert!(hit.snippet.contains("Criciúma"), "{hit:?}");
    assert!(!hit.highlights.is_empty());
    // junk query syntax is not an error
    assert!(index.search("\"unclosed :: (", 10).is_ok());
}

#[test]
fn reindex_rebuilds_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir);
    for i in 0..50 {
        let n = format!("u{i}");
        t.write("admin", |tx| tx.insert(&n, user(&n, Role::Finance)))
            .unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("index")).ok();
    let index = SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut calls = 0;
    let n = index
        .writer()
        .unwrap()
        .rebuild(&t, |_, _| calls += 1)
        .unwrap();
    assert_eq!(n, 100);
    assert!(calls >= 1);
    assert_eq!(index.num_docs(), t.search_row_count().unwrap());
    assert_eq!(t.cursor(INDEXER).unwrap(), t.outbox_head().unwrap());
}

#[test]
fn only_one_index_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let a = SearchIndex::open(&dir.path().join("index")).unwrap();
    let b = SearchIndex::open(&dir.path().join("index")).unwrap();
    let _w = a.writer().unwrap();
    assert!(matches!(b.writer(), Err(Error::IndexLocked)));
}

#[test]
fn audit_chain_detects_an_altered_entry_and_a_forged_seal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("opsdeck.redb");
    {
        let t = open(&dir);
        for n in ["ana", "bruno", "carla", "davi"] {
            t.write("admin", |tx| tx.insert(n, user(n, Role::Operator)))
                .unwrap();
        }
        t.write("admin", |tx| {
            tx.audit("audit.verify", "audit", "ok");
            Ok(())
        })
        .unwrap();
        let r = t.audit_verify().unwrap();
        assert_eq!(r.entries, 5);
        assert_eq!(r.verdict, Verdict::Intact);
    }
    // Alter entry 3 directly in the file, as someone with write access to it could.
    tamper(&path, 3, |e| e.actor = "mallory".into());
    let t = Tenant::open("t", &path, KEY).unwrap();
    match t.audit_verify().unwrap().verdict {
        Verdict::Broken { seq, reason } => {
            assert_eq!(seq, 3);
            assert!(reason.contains("altered"), "{reason}");
        }
        v => panic!("tampering not detected: {v:?}"),
    }
    drop(t);

    // A different key (a forged seal) is caught as well.
    let dir2 = tempfile::tempdir().unwrap();
    let t = open(&dir2);
    t.write("admin", |tx| tx.insert("a", user("a", Role::Operator)))
        .unwrap();
    drop(t);
    let t = Tenant::open("t", &dir2.path().join("opsdeck.redb"), b"another key").unwrap();
    assert!(matches!(
        t.audit_verify().unwrap().verdict,
        Verdict::Broken { .. }
    ));
}

#[test]
fn audit_chain_detects_a_removed_tail_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("opsdeck.redb");
    {
        let t = open(&dir);
        for n in ["ana", "bruno", "carla"] {
            t.write("admin", |tx| tx.insert(n, user(n, Role::Operator)))
                .unwrap();
        }
    }
    {
        let db = redb::Database::builder()
            .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
            .open(&path)
            .unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn
                .open_table(redb::TableDefinition::<u64, &[u8]>::new("audit"))
                .unwrap();
            table.remove(3).unwrap();
            // a careful attacker also rewinds the counter, so no gap shows
            txn.open_table(redb::TableDefinition::<&str, u64>::new("meta"))
                .unwrap()
                .insert("audit_seq", 2)
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let t = Tenant::open("t", &path, KEY).unwrap();
    assert!(matches!(
        t.audit_verify().unwrap().verdict,
        Verdict::Broken { .. }
    ));
    // A later legitimate write reseals the head; the removal must stay visible all the same.
    t.write("admin", |tx| {
        tx.insert("davi", user("davi", Role::Operator))
    })
    .unwrap();
    match t.audit_verify().unwrap().verdict {
        Verdict::Broken { seq, reason } => {
            assert_eq!(seq, 3, "{reason}");
            assert!(
                reason.contains("sealed head was entry 3 but the chain ended at 2"),
                "{reason}"
            );
        }
        v => panic!("removal hidden by a reseal: {v:?}"),
    }
}

fn tamper(
    path: &std::path::Path,
    seq: u64,
    f: impl FnOnce(&mut opsdeck_storage::audit::AuditEntry),
) {
    let def = redb::TableDefinition::<u64, &[u8]>::new("audit");
    let db = redb::Database::builder()
        .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
        .open(path)
        .unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut table = txn.open_table(def).unwrap();
        let bytes = table.get(seq).unwrap().unwrap().value().to_vec();
        let mut entry: opsdeck_storage::audit::AuditEntry =
            opsdeck_storage::codec::decode(&bytes).unwrap();
        f(&mut entry);
        let new = opsdeck_storage::codec::encode(&entry).unwrap();
        table.insert(seq, new.as_slice()).unwrap();
    }
    txn.commit().unwrap();
}

#[test]
fn a_newer_schema_is_a_clear_error_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("opsdeck.redb");
    drop(open(&dir));
    {
        let db = redb::Database::builder()
            .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
            .open(&path)
            .unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<&str, u64>::new("meta"))
            .unwrap()
            .insert("schema_version", SCHEMA_VERSION + 1)
            .unwrap();
        txn.commit().unwrap();
    }
    let err = Tenant::open("t", &path, KEY).err().expect("must refuse");
    let msg = err.to_string();
    assert!(
        msg.contains("schema version 2") && msg.contains("upgrade opsdeck"),
        "{msg}"
    );
    // redb may touch its own header on open, but nothing of ours was written
    let db = redb::Database::builder()
        .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
        .open(&path)
        .unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn
        .open_table(redb::TableDefinition::<&str, u64>::new("meta"))
        .unwrap();
    assert_eq!(
        meta.get("schema_version").unwrap().unwrap().value(),
        SCHEMA_VERSION + 1
    );
    assert_eq!(meta.get("change_counter").unwrap().unwrap().value(), 0);
}

#[test]
fn an_as_of_handle_backdates_records_and_events_but_not_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = open(&dir);
    let at: jiff::Timestamp = "2026-08-03T11:30:00Z".parse().unwrap();
    let before = opsdeck_storage::clock::now();
    {
        let past = t.as_of(at);
        assert_eq!(past.clock(), Some(at));
        past.write("ana", |tx| {
            assert_eq!(tx.now(), at);
            tx.insert("bruno", user("bruno", Role::Operator))
        })
        .unwrap();
        // Compaction needs the only handle.
        assert!(t.compact().is_err());
    }
    let stored = t.get::<User>("bruno").unwrap().unwrap();
    assert_eq!((stored.changed_by.as_str(), stored.changed_at), ("ana", at));
    let events = t.events_after(0, 100).unwrap();
    let create = events.iter().find(|e| e.name == "user.create").unwrap();
    assert_eq!(create.at, at);
    let audit = t.audit_recent(10).unwrap();
    let entry = audit.iter().find(|e| e.action == "user.create").unwrap();
    assert!(
        entry.at >= before,
        "the trail keeps the real time: {}",
        entry.at
    );
    assert!(
        entry.detail.ends_with(&format!("as of {at}")),
        "{}",
        entry.detail
    );
    assert_eq!(t.audit_verify().unwrap().verdict, Verdict::Intact);
    // A plain handle writes at the clock again.
    t.write("ana", |tx| {
        assert!(tx.now() >= before);
        tx.insert("carla", user("carla", Role::Finance))
    })
    .unwrap();
    assert!(t.compact().is_ok());
}

#[test]
fn the_seal_moves_to_a_new_key_inside_the_chain_and_a_cut_short_rotation_finishes() {
    const NEW: &[u8] = b"another-seal-key-0123456789abcd";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("opsdeck.redb");
    {
        let t = open(&dir);
        t.write("ana", |tx| {
            tx.insert("bruno", user("bruno", Role::Operator))
        })
        .unwrap();
        t.rotate_seal("root", NEW, "the old key was readable")
            .unwrap();
        // Run again (as after a crash before the key was saved): nothing more is written.
        t.rotate_seal("root", NEW, "the old key was readable")
            .unwrap();
        // The old key no longer verifies the chain.
        assert!(matches!(
            t.audit_verify().unwrap().verdict,
            Verdict::Broken { .. }
        ));
    }
    let t = Tenant::open("t", &path, NEW).unwrap();
    assert_eq!(t.audit_verify().unwrap().verdict, Verdict::Intact);
    let rotations: Vec<_> = t
        .audit_recent(10)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == opsdeck_storage::audit::SEAL_ROTATED)
        .collect();
    assert_eq!(rotations.len(), 1, "one rotation entry");
    assert_eq!(rotations[0].actor, "root");
    // A write under the new key keeps the chain intact.
    t.write("ana", |tx| tx.insert("carla", user("carla", Role::Finance)))
        .unwrap();
    assert_eq!(t.audit_verify().unwrap().verdict, Verdict::Intact);
    // A chain whose seal does not match the key in hand is not resealed over.
    let wrong = Tenant::open("t", &path, KEY).unwrap();
    assert!(
        wrong
            .rotate_seal("root", b"yet-another-key-0123456789abcdef", "x")
            .is_err()
    );
}
