//! The telemetry commands scripts use, on the demo site with the real binary: latest readings,
//! CSV and XLSX exports read back, device naming, rules import (all or nothing) and alerts.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::cli::{opsdeck, stdout_of};
use predicates::prelude::*;

#[test]
fn latest_export_devices_rules_and_alerts_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    // --demo loads the sample site, with its devices, rules and three days of readings.
    let latest = stdout_of(opsdeck(&dir).args(["--demo", "telemetry", "latest", "--json"]));
    let rows: serde_json::Value = serde_json::from_str(&latest).unwrap();
    let rows = rows.as_array().unwrap();
    let devices: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["device"].as_str().unwrap()).collect();
    assert_eq!(
        devices.len(),
        40,
        "the hospital's 40 HVAC devices: {devices:?}"
    );
    let cr03 = rows
        .iter()
        .find(|r| r["device"] == "CR-03" && r["metric"] == "temp_c")
        .expect("the vaccine cold room's temperature");
    assert_eq!(cr03["unit"], "°C");
    assert!(cr03["age_secs"].as_i64().unwrap() < 600, "{cr03}");

    let one = stdout_of(opsdeck(&dir).args(["telemetry", "latest", "--device", "CH-01"]));
    assert!(
        one.lines().count() == 4,
        "a header and three chiller metrics:\n{one}"
    );
    opsdeck(&dir)
        .args(["telemetry", "latest", "--device", "NOPE"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no device 'NOPE'"));

    // CSV and XLSX exports of the same window hold the same rows.
    let csv_path = tmp.path().join("cr03.csv");
    let xlsx_path = tmp.path().join("cr03.xlsx");
    let window = [
        "--device",
        "CR-03",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
    ];
    opsdeck(&dir)
        .args(["telemetry", "export"])
        .args(window)
        .arg("--out")
        .arg(&csv_path)
        .assert()
        .success();
    opsdeck(&dir)
        .args(["telemetry", "export", "--format", "xlsx"])
        .args(window)
        .arg("--out")
        .arg(&xlsx_path)
        .assert()
        .success()
        .stderr(predicate::str::contains("rows written"));
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    let mut csv_lines = csv_text.lines();
    assert_eq!(
        csv_lines.next().unwrap(),
        "time_local,time_utc,rh_pct (%),temp_c (°C)"
    );
    let csv_rows: Vec<&str> = csv_lines.collect();
    assert!(
        csv_rows.len() > 900,
        "three days of readings: {}",
        csv_rows.len()
    );

    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let sheet = book.worksheet_range("CR-03").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        ["time_local", "time_utc", "rh_pct (%)", "temp_c (°C)"]
    );
    assert_eq!(
        sheet.height() - 1,
        csv_rows.len(),
        "same rows in XLSX and CSV"
    );
    let first = &sheet.rows().nth(1).unwrap().to_vec();
    assert!(
        matches!(first[0], Data::DateTime(_)),
        "a real date cell: {:?}",
        first[0]
    );
    let csv_first: Vec<&str> = csv_rows[0].split(',').collect();
    assert_eq!(first[1].to_string(), csv_first[1], "the UTC time");
    let temp: f64 = csv_first[3].parse().unwrap();
    assert_eq!(first[3], Data::Float(temp), "the same value");
    opsdeck(&dir)
        .args([
            "telemetry",
            "export",
            "--device",
            "CR-03",
            "--from",
            "ontem",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("'ontem' is not a time"));

    // Naming a device confirms it and sets units.
    let out = stdout_of(opsdeck(&dir).args([
        "telemetry",
        "device",
        "CR-03",
        "--name",
        "Vacinas — farmácia",
        "--asset",
        "CF-VAC-01",
        "--unit",
        "rh_pct=% UR",
    ]));
    assert!(
        out.contains("Vacinas — farmácia") && out.contains("rh_pct [% UR]"),
        "{out}"
    );
    opsdeck(&dir)
        .args(["telemetry", "device", "CR-03", "--unit", "pressure=bar"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no metric 'pressure'"));

    // Rules: a file with a mistake imports nothing and names the line; a good one imports.
    let before = stdout_of(opsdeck(&dir).args(["rules", "list"]));
    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[rule]]\nname = \"ok\"\ndevices = \"*\"\nkind = \"stale\"\nminutes = 10\nseverity = \"info\"\n\n\
         [[rule]]\nname = \"broken\"\ndevices = \"AHU-*\"\nkind = \"threshold\"\nmetric = \"t\"\n\
         direction = \"sideways\"\nlimit = 1.0\nfor_secs = 0\nhysteresis = 0.0\nseverity = \"warning\"\n",
    )
    .unwrap();
    opsdeck(&dir)
        .args(["rules", "import"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("line 13"))
        .stderr(predicate::str::contains("nothing imported"));
    assert_eq!(stdout_of(opsdeck(&dir).args(["rules", "list"])), before);
    let good = tmp.path().join("good.toml");
    std::fs::write(
        &good,
        "[[rule]]\nname = \"UTI muito fria\"\ndevices = \"AHU-01\"\nkind = \"threshold\"\n\
         metric = \"supply_temp_c\"\ndirection = \"below\"\nlimit = 9.0\nfor_secs = 120\n\
         hysteresis = 0.5\nseverity = \"warning\"\n",
    )
    .unwrap();
    opsdeck(&dir)
        .args(["rules", "import"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 created, 0 updated"));
    let listed = stdout_of(opsdeck(&dir).args(["rules", "list", "--json"]));
    assert!(listed.contains("UTI muito fria"), "{listed}");

    // No alert yet: the history stays inside the rules.
    let alerts = stdout_of(opsdeck(&dir).args(["alerts", "list", "--json"]));
    assert_eq!(alerts.trim(), "[]");
    opsdeck(&dir)
        .args(["alerts", "ack", "7"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no alert 7"));
}
