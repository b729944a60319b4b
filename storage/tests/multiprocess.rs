//! Two OS processes writing one tenant file at once (redb MultiWriter) lose no update: each does
//! read -> versioned update, retrying on conflict, and the final count is the sum.

use std::process::Command;

use opsdeck_storage::records::user::{Role, User};
use opsdeck_storage::{Error, Tenant};

const KEY: &[u8] = b"k";
const ROUNDS: usize = 60;
const CHILD_ENV: &str = "OPSDECK_STORAGE_TEST_CHILD_DB";

/// The counter lives in the `full_name` of one user record.
fn bump(t: &Tenant, who: &str) -> u32 {
    let mut conflicts = 0;
    loop {
        let cur = t.get::<User>("counter").unwrap().unwrap();
        let n: u64 = cur.value.full_name.parse().unwrap();
        let mut next = cur.value.clone();
        next.full_name = (n + 1).to_string();
        match t.write(who, |tx| tx.update("counter", cur.version, next)) {
            Ok(_) => return conflicts,
            Err(Error::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("{e}"),
        }
    }
}

#[test]
fn two_processes_writing_one_tenant_lose_no_update() {
    if let Ok(db) = std::env::var(CHILD_ENV) {
        // We are a child spawned by the parent run of this same test.
        let t = Tenant::open("t", std::path::Path::new(&db), KEY).unwrap();
        let who = format!("pid{}", std::process::id());
        for _ in 0..ROUNDS {
            bump(&t, &who);
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("opsdeck.redb");
    {
        let t = Tenant::open("t", &db, KEY).unwrap();
        t.write("setup", |tx| {
            tx.insert(
                "counter",
                User {
                    name: "counter".into(),
                    role: Role::Operator,
                    full_name: "0".into(),
                },
            )
        })
        .unwrap();
    }
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "two_processes_writing_one_tenant_lose_no_update",
                    "--test-threads=1",
                ])
                .env(CHILD_ENV, &db)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a writer process failed");
    }
    let t = Tenant::open("t", &db, KEY).unwrap();
    let v = t.get::<User>("counter").unwrap().unwrap();
    assert_eq!(v.value.full_name, (2 * ROUNDS).to_string());
    assert_eq!(v.version, 1 + 2 * ROUNDS as u64);
    // every write is in the audit chain, and the chain is intact
    let r = t.audit_verify().unwrap();
    assert_eq!(r.entries, 1 + 2 * ROUNDS as u64);
    assert_eq!(r.verdict, opsdeck_storage::audit::Verdict::Intact);
}
