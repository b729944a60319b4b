//! Readings storage on a real redb file: rollups across commits, duplicates kept once, the
//! latest value by time (not arrival), anti-replay ids, and retention that leaves rollups.

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::{Reading, Resolution};

fn open(dir: &tempfile::TempDir) -> Tenant {
    Tenant::open("t", &dir.path().join("t.redb"), &[3; 32]).unwrap()
}

fn r(device: &str, ts: Timestamp, value: f64) -> Reading {
    Reading {
        device: device.into(),
        metric: "temp_c".into(),
        ts,
        value,
    }
}

#[test]
fn rollups_duplicates_latest_and_retention() {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir);
    let h: Timestamp = "2026-11-20T10:00:00Z".parse().unwrap();
    let at = |secs: i64| h + SignedDuration::from_secs(secs);

    // Two commits into the same minute and hour; the second repeats a point with another value.
    let a = t
        .write("test", |tx| {
            tx.append_readings(&[r("A", at(0), 1.0), r("A", at(30), 3.0)])
        })
        .unwrap();
    assert_eq!((a.stored, a.duplicates), (2, 0));
    let b = t
        .write("test", |tx| {
            tx.append_batches(&[
                &[r("A", at(30), 99.0)],
                &[r("A", at(45), 2.0), r("A", at(90), 8.0)],
            ])
        })
        .unwrap();
    assert_eq!((b[0].stored, b[0].duplicates), (0, 1));
    assert_eq!((b[1].stored, b[1].duplicates), (2, 0));
    assert_eq!(
        t.readings("A", "temp_c", at(0), at(3600)).unwrap(),
        [(at(0), 1.0), (at(30), 3.0), (at(45), 2.0), (at(90), 8.0)],
        "the first value of a repeated point stays"
    );
    let minutes = t
        .rollups("A", "temp_c", Resolution::Minute, at(0), at(3600))
        .unwrap();
    assert_eq!(minutes.len(), 2);
    assert_eq!(
        (
            minutes[0].min,
            minutes[0].max,
            minutes[0].sum,
            minutes[0].count
        ),
        (1.0, 3.0, 6.0, 3)
    );
    assert_eq!(minutes[0].avg(), 2.0);
    let hours = t
        .rollups("A", "temp_c", Resolution::Hour, at(0), at(3600))
        .unwrap();
    assert_eq!((hours[0].count, hours[0].sum, hours[0].max), (4, 14.0, 8.0));

    // A late point (older than the newest) does not become the latest value.
    t.write("test", |tx| tx.append_readings(&[r("A", at(60), 5.0)]))
        .unwrap();
    let latest = t.latest_readings().unwrap();
    assert_eq!((latest[0].ts, latest[0].value), (at(90), 8.0));

    // Anti-replay: an id is new once, also within one list, and survives reopening the file.
    let fresh = t
        .write("test", |tx| {
            tx.mark_seen_many(&[Some("m1"), None, Some("m1")], at(0))
        })
        .unwrap();
    assert_eq!(fresh, [true, true, false]);
    drop(t);
    let t = open(&dir);
    assert!(t.was_seen("m1").unwrap());
    let pruned = t.write("test", |tx| tx.prune_seen(at(1), 100)).unwrap();
    assert_eq!(pruned, 1);
    assert!(!t.was_seen("m1").unwrap());

    // Retention: raw points before the cut go, in bounded steps; rollups stay.
    let cut = at(50);
    let first = t.write("test", |tx| tx.prune_raw(cut, 2)).unwrap();
    let second = t.write("test", |tx| tx.prune_raw(cut, 2)).unwrap();
    let third = t.write("test", |tx| tx.prune_raw(cut, 2)).unwrap();
    assert_eq!((first, second, third), (2, 1, 0));
    assert_eq!(
        t.readings("A", "temp_c", at(0), at(3600)).unwrap(),
        [(at(60), 5.0), (at(90), 8.0)]
    );
    assert_eq!(
        t.rollups("A", "temp_c", Resolution::Hour, at(0), at(3600))
            .unwrap()[0]
            .count,
        5
    );
    let gone = t
        .write("test", |tx| tx.prune_minute_rollups(at(60), 100))
        .unwrap();
    assert_eq!(gone, 1);
    assert_eq!(t.raw_reading_count().unwrap(), 2);
}
