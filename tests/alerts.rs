//! The alert engine through the real pipeline and a real redb file: each rule kind raises and
//! clears, hysteresis and minimum duration hold, staleness raises on the clock, flapping reopens
//! instead of spamming, and people's acknowledgements and resolutions stick.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use opsdeck::domain::telemetry::engine::Engine;
use opsdeck::domain::telemetry::{alerts, rulebook};
use opsdeck::domain::users;
use opsdeck::ingest::metrics::Metrics;
use opsdeck::ingest::pipeline::{Outcome, Pipeline, Settings};
use opsdeck_storage::Tenant;
use opsdeck_storage::readings::Reading;
use opsdeck_storage::records::alert::{Alert, AlertStatus};
use opsdeck_storage::records::rule::{Direction, Rule, RuleKind, Severity};

struct Rig {
    _dir: tempfile::TempDir,
    tenant: Arc<Tenant>,
    pipeline: Arc<Pipeline>,
    base: Timestamp,
}

fn rule(name: &str, devices: &str, kind: RuleKind) -> Rule {
    Rule {
        name: name.into(),
        devices: devices.into(),
        kind,
        severity: Severity::Critical,
        enabled: true,
        note: String::new(),
    }
}

fn rig(rules: Vec<Rule>) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let tenant = Arc::new(Tenant::open("t", &dir.path().join("t.redb"), &[1; 32]).unwrap());
    users::bootstrap_admin(&tenant, "ana").unwrap();
    for r in rules {
        rulebook::save(&tenant, "ana", r, None).unwrap();
    }
    let pipeline = Pipeline::start(
        vec![tenant.clone()],
        Settings {
            tick: Duration::from_millis(50),
            ..Settings::default()
        },
        Arc::new(Metrics::default()),
    );
    Rig {
        _dir: dir,
        tenant,
        pipeline,
        // Readings run ahead of the clock, so ticks never see a duration rule's breach as
        // old enough on their own; the stale test sends an old reading on purpose.
        base: opsdeck_storage::clock::now(),
    }
}

impl Rig {
    /// One reading `secs` after the base time, durably committed (and evaluated) on return.
    fn send(&self, device: &str, metric: &str, secs: i64, value: f64) {
        let r = Reading {
            device: device.into(),
            metric: metric.into(),
            ts: self.base + SignedDuration::from_secs(secs),
            value,
        };
        let out = self.pipeline.submit_wait("t", vec![r], None).unwrap();
        assert!(matches!(out, Outcome::Stored(_)), "{out:?}");
    }

    fn alerts(&self) -> Vec<Alert> {
        self.tenant
            .list::<Alert>()
            .unwrap()
            .into_iter()
            .map(|a| a.value)
            .collect()
    }

    fn open(&self) -> Vec<Alert> {
        self.alerts().into_iter().filter(|a| a.is_open()).collect()
    }

    fn wait_for(&self, what: &str, f: impl Fn(&[Alert]) -> bool) -> Vec<Alert> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let a = self.alerts();
            if f(&a) {
                return a;
            }
            assert!(
                Instant::now() < until,
                "timed out waiting for {what}: {a:#?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn event_names(&self) -> Vec<String> {
        self.tenant
            .events_after(0, 10_000)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            // the domain events consumers act on (record events alert.create/update aside)
            .filter(|n| {
                [
                    "alert.raised",
                    "alert.resolved",
                    "alert.reopened",
                    "alert.acknowledged",
                ]
                .contains(&n.as_str())
            })
            .collect()
    }
}

fn cold_room() -> Rule {
    rule(
        "cold room",
        "CR-*",
        RuleKind::Threshold {
            metric: "temp_c".into(),
            direction: Direction::Above,
            limit: 8.0,
            for_secs: 60,
            hysteresis: 0.5,
        },
    )
}

#[test]
fn threshold_waits_its_duration_and_clears_only_past_the_hysteresis() {
    let r = rig(vec![cold_room()]);
    r.send("CR-01", "temp_c", 0, 9.0);
    r.send("CR-01", "temp_c", 30, 9.5);
    assert!(r.alerts().is_empty(), "raised before the 60 s duration");
    r.send("CR-01", "temp_c", 61, 9.2);
    let open = r.open();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].device, "CR-01");
    assert_eq!(open[0].severity, Severity::Critical);
    assert_eq!(open[0].value, Some(9.2));
    // another device, other readings of the wrong metric: no effect
    r.send("CR-02", "rh_pct", 61, 99.0);
    r.send("AHU-01", "temp_c", 61, 30.0);
    // still breaching: one alert, not one per reading
    r.send("CR-01", "temp_c", 90, 9.9);
    assert_eq!(r.alerts().len(), 1);
    // back under the limit but within the hysteresis: stays open
    r.send("CR-01", "temp_c", 120, 7.8);
    assert_eq!(r.open().len(), 1);
    r.send("CR-01", "temp_c", 150, 7.4);
    let all = r.alerts();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].status, AlertStatus::Resolved);
    assert_eq!(all[0].resolved_by, None, "resolved automatically");
    assert_eq!(r.event_names(), ["alert.raised", "alert.resolved"]);
}

#[test]
fn a_short_breach_cancels_and_flapping_reopens_the_same_alert() {
    let r = rig(vec![cold_room()]);
    r.send("CR-01", "temp_c", 0, 9.0);
    r.send("CR-01", "temp_c", 30, 7.0); // back inside before 60 s: nothing
    r.send("CR-01", "temp_c", 100, 7.0);
    assert!(r.alerts().is_empty());
    // raise, clear, raise again within the flap window
    r.send("CR-01", "temp_c", 200, 9.0);
    r.send("CR-01", "temp_c", 261, 9.0);
    r.send("CR-01", "temp_c", 300, 7.0);
    assert!(r.open().is_empty());
    r.send("CR-01", "temp_c", 400, 9.0);
    r.send("CR-01", "temp_c", 461, 9.0);
    let all = r.alerts();
    assert_eq!(all.len(), 1, "flapping reopens instead of raising anew");
    assert_eq!(all[0].status, AlertStatus::Open);
    assert_eq!(all[0].reopened, 1);
    assert_eq!(
        r.event_names(),
        ["alert.raised", "alert.resolved", "alert.reopened"]
    );
}

#[test]
fn band_and_rate_of_change_raise_and_clear() {
    let r = rig(vec![
        rule(
            "supply band",
            "AHU-*",
            RuleKind::Band {
                metric: "supply_temp_c".into(),
                min: 10.0,
                max: 16.0,
                for_secs: 0,
                hysteresis: 1.0,
            },
        ),
        rule(
            "power jump",
            "CH-01",
            RuleKind::RateOfChange {
                metric: "power_kw".into(),
                max_change: 50.0,
                window_secs: 300,
            },
        ),
    ]);
    r.send("AHU-01", "supply_temp_c", 0, 13.0);
    assert!(r.alerts().is_empty());
    r.send("AHU-01", "supply_temp_c", 10, 9.5);
    assert_eq!(r.open().len(), 1, "below the band");
    r.send("AHU-01", "supply_temp_c", 20, 10.5);
    assert_eq!(
        r.open().len(),
        1,
        "inside the band but not past the hysteresis"
    );
    r.send("AHU-01", "supply_temp_c", 30, 11.5);
    assert!(r.open().is_empty());

    r.send("CH-01", "power_kw", 0, 150.0);
    r.send("CH-01", "power_kw", 60, 180.0);
    assert!(r.open().is_empty());
    r.send("CH-01", "power_kw", 120, 210.0);
    let open = r.open();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].rule, "power jump");
    // 400 s later the window holds only steady readings
    r.send("CH-01", "power_kw", 520, 211.0);
    assert!(r.open().is_empty());
}

#[test]
fn a_silent_device_raises_on_the_clock_and_clears_on_its_next_reading() {
    // The engine on its own, with the clock in the test's hands: silence is measured from when
    // readings arrive, not from the device's timestamps.
    let dir = tempfile::tempdir().unwrap();
    let tenant = Tenant::open("t", &dir.path().join("t.redb"), &[1; 32]).unwrap();
    users::bootstrap_admin(&tenant, "ana").unwrap();
    rulebook::save(
        &tenant,
        "ana",
        rule("silent", "*", RuleKind::Stale { minutes: 5 }),
        None,
    )
    .unwrap();
    let mut engine = Engine::new();
    // A device whose clock is an hour behind is not silent: its reading arrived just now.
    let late_clock = Reading {
        device: "FC-01".into(),
        metric: "room_temp_c".into(),
        ts: opsdeck_storage::clock::now() - SignedDuration::from_hours(1),
        value: 23.0,
    };
    tenant
        .write("ingest", |tx| {
            engine.on_readings(&tenant, tx, &[&late_clock])
        })
        .unwrap();
    let tick = |engine: &mut Engine, after: SignedDuration| {
        tenant
            .write("ingest", |tx| {
                engine.on_tick(&tenant, tx, opsdeck_storage::clock::now() + after)
            })
            .unwrap()
    };
    assert_eq!(tick(&mut engine, SignedDuration::from_secs(10)), 0);
    assert_eq!(tick(&mut engine, SignedDuration::from_mins(4)), 0);
    assert_eq!(
        tick(&mut engine, SignedDuration::from_mins(6)),
        1,
        "5 minutes of silence"
    );
    assert_eq!(
        tick(&mut engine, SignedDuration::from_mins(7)),
        0,
        "raised once"
    );
    let all: Vec<Alert> = tenant
        .list::<Alert>()
        .unwrap()
        .into_iter()
        .map(|a| a.value)
        .collect();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].device, "FC-01");
    assert!(
        all[0].message.contains("no reading for"),
        "{}",
        all[0].message
    );
    // The next reading clears it.
    tenant
        .write("ingest", |tx| {
            engine.on_readings(&tenant, tx, &[&late_clock])
        })
        .unwrap();
    let all: Vec<Alert> = tenant
        .list::<Alert>()
        .unwrap()
        .into_iter()
        .map(|a| a.value)
        .collect();
    assert_eq!(all[0].status, AlertStatus::Resolved);
}

#[test]
fn rules_changed_while_no_engine_ran_resolve_their_alerts_at_start() {
    let r = rig(vec![cold_room()]);
    r.send("CR-01", "temp_c", 0, 9.0);
    r.send("CR-01", "temp_c", 61, 9.0);
    assert_eq!(r.open().len(), 1);
    // the services stop; someone deletes the rule; the services start again
    r.pipeline.stop();
    let v = r.tenant.get::<Rule>("cold room").unwrap().unwrap().version;
    rulebook::delete(&r.tenant, "ana", "cold room", v).unwrap();
    let pipeline = Pipeline::start(
        vec![r.tenant.clone()],
        Settings {
            tick: Duration::from_millis(50),
            ..Settings::default()
        },
        Arc::new(Metrics::default()),
    );
    let all = r.wait_for("the orphaned alert to resolve", |a| {
        a.iter().all(|x| !x.is_open())
    });
    assert_eq!(all[0].resolve_note, "rule deleted");
    pipeline.stop();
}

#[test]
fn people_acknowledge_and_resolve_and_a_disabled_rule_resolves_its_alerts() {
    let r = rig(vec![cold_room()]);
    users::add(
        &r.tenant,
        "ana",
        "bia",
        opsdeck_storage::records::user::Role::Operator,
        "Bia",
    )
    .unwrap();
    users::add(
        &r.tenant,
        "ana",
        "caio",
        opsdeck_storage::records::user::Role::Auditor,
        "",
    )
    .unwrap();
    r.send("CR-01", "temp_c", 0, 9.0);
    r.send("CR-01", "temp_c", 61, 9.0);
    let a = r.tenant.list::<Alert>().unwrap().remove(0);
    // an auditor may look but not act
    let e = alerts::acknowledge(&r.tenant, "caio", &a.key).unwrap_err();
    assert!(e.to_string().contains("may not alert.handle"), "{e}");
    alerts::acknowledge(&r.tenant, "bia", &a.key).unwrap();
    let acked = r.tenant.get::<Alert>(&a.key).unwrap().unwrap();
    assert_eq!(acked.value.status, AlertStatus::Acknowledged);
    assert_eq!(acked.value.acked_by.as_deref(), Some("bia"));
    // acknowledging twice changes nothing
    alerts::acknowledge(&r.tenant, "ana", &a.key).unwrap();
    assert_eq!(
        r.tenant.get::<Alert>(&a.key).unwrap().unwrap().version,
        acked.version
    );
    let e = alerts::resolve(&r.tenant, "bia", &a.key, "  ").unwrap_err();
    assert!(e.to_string().contains("note is required"));
    alerts::resolve(&r.tenant, "bia", &a.key, "porta mal fechada").unwrap();
    // resolving again is refused, naming who did it
    let e = alerts::resolve(&r.tenant, "ana", &a.key, "eu também").unwrap_err();
    assert!(e.to_string().contains("already resolved by bia"), "{e}");
    let done = r.tenant.get::<Alert>(&a.key).unwrap().unwrap().value;
    assert_eq!(done.status, AlertStatus::Resolved);
    assert_eq!(done.resolved_by.as_deref(), Some("bia"));
    assert_eq!(done.resolve_note, "porta mal fechada");
    // resolved by hand while still breaching: quiet until it clears and breaches again
    r.send("CR-01", "temp_c", 90, 9.5);
    assert_eq!(r.alerts().len(), 1);
    r.send("CR-01", "temp_c", 120, 7.0);
    r.send("CR-01", "temp_c", 130, 9.0);
    r.send("CR-01", "temp_c", 200, 9.0);
    let all = r.alerts();
    assert_eq!(
        all.len(),
        2,
        "a new alert, not a reopened hand-resolved one"
    );
    // disabling the rule resolves what it raised
    rulebook::set_enabled(&r.tenant, "ana", "cold room", false).unwrap();
    let all = r.wait_for("the open alert to resolve", |a| {
        a.iter().all(|x| !x.is_open())
    });
    let last = all.iter().max_by_key(|a| a.id).unwrap();
    assert_eq!(last.resolve_note, "rule disabled");
}
