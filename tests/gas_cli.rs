//! `opsdeck gas export` and `gas import` on the demo's ceramica tenant with the real binary:
//! the exported workbook imports back unchanged, and a file with a bad row imports nothing
//! unless asked to skip bad rows.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::cli::stdout_of;
use predicates::prelude::*;

/// `opsdeck --data DIR --tenant ceramica ...`
fn opsdeck(dir: &Path) -> Command {
    let mut cmd = common::cli::opsdeck(dir);
    cmd.args(["--tenant", "ceramica"]);
    cmd
}
#[test]
fn export_imports_back_and_a_bad_file_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let out = tmp.path().join("out");
    let tz = jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap();
    let today = opsdeck_storage::clock::now().to_zoned(tz).date();
    let last_month = today.first_of_month().yesterday().unwrap();
    let month = format!("{:04}-{:02}", last_month.year(), last_month.month());

    let path = stdout_of(
        opsdeck(&dir)
            .arg("--demo")
            .args(["gas", "export", "--month", &month, "--out"])
            .arg(&out),
    );
    let path = path.trim();
    assert!(
        path.ends_with(&format!(
            "RC_{:02}_{:04}_Petrobras.xlsx",
            last_month.month(),
            last_month.year()
        )),
        "{path}"
    );

    // What was exported is what is stored: importing it changes nothing.
    let report = stdout_of(opsdeck(&dir).args(["gas", "import", path]));
    assert!(report.contains("0 entries written"), "{report}");
    assert!(!report.contains("(0 unchanged)"), "{report}");

    // A row with a line Criciúma does not have, and one with 25 hours: nothing imported.
    let day = last_month.first_of_month();
    let csv = tmp.path().join("bad.csv");
    std::fs::write(
        &csv,
        format!(
            "unidade,data,atomizador_programado,horas_atomizador,atomizador2_programado,horas_atomizador2,linhas_ligadas,observacoes,qds_manual,qdp,qdr,fonte_qdr\n\
             CRI,{day},S,20,,,L0 L9,,,,,\n\
             URU,{day},S,25,,,L1,,,,,\n\
             URU,{},S,12,,,L1 L2,reimportado,,,,\n",
            day.tomorrow().unwrap()
        ),
    )
    .unwrap();
    let before = stdout_of(
        opsdeck(&dir)
            .args(["gas", "export", "--month", &month, "--out"])
            .arg(tmp.path().join("before")),
    );
    opsdeck(&dir)
        .args(["gas", "import"])
        .arg(&csv)
        .assert()
        .failure()
        .stderr(predicate::str::contains("row 2, column 'linhas_ligadas'"))
        .stderr(predicate::str::contains("L9"))
        .stderr(predicate::str::contains("row 3, column 'horas_atomizador'"))
        .stderr(predicate::str::contains("nothing imported"));
    let unchanged = stdout_of(opsdeck(&dir).args(["gas", "import", before.trim()]));
    assert!(
        unchanged.contains("0 entries written"),
        "still as before: {unchanged}"
    );

    // Skipping the bad rows imports the good one.
    let report = stdout_of(
        opsdeck(&dir)
            .args(["gas", "import", "--skip-bad-rows"])
            .arg(&csv),
    );
    assert!(report.contains("1 entries written"), "{report}");
    assert!(report.contains("2 bad rows skipped"), "{report}");
}

#[test]
fn a_new_site_sets_up_its_gas_units_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    common::cli::opsdeck(&dir)
        .args(["init", "--tenant", "ceramica"])
        .assert()
        .success();
    let out = stdout_of(opsdeck(&dir).args(["gas", "setup"]));
    assert!(
        out.contains("units added: CRI, URU, BOT") && out.contains("contract from: 2020-01-01"),
        "{out}"
    );
    // Again: nothing new.
    let out = stdout_of(opsdeck(&dir).args(["gas", "setup"]));
    assert!(out.contains("nothing new"), "{out}");
    let out = stdout_of(opsdeck(&dir).args(["gas", "operators"]));
    assert!(out.contains("CRI") && out.contains("Criciúma"), "{out}");
    // A site's own file with a mistake says where.
    let bad = tmp.path().join("units.toml");
    std::fs::write(&bad, "rates_from = \"2026-13-01\"\n").unwrap();
    opsdeck(&dir)
        .args(["gas", "setup"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("units.toml"));
}
