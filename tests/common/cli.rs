//! The `opsdeck` binary as a user or a script runs it: a clean environment (no `OPSDECK_DATA`,
//! no colours), and the tests' clock handed on, so that every process of a test reads the same
//! "now" (`OPSDECK_NOW`, see opsdeck_storage::clock).

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_opsdeck");

/// `opsdeck --data DIR ...`, failing the test after two minutes.
pub fn opsdeck(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("OPSDECK_DATA")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120))
        .arg("--data")
        .arg(dir);
    if let Some(spec) = opsdeck_storage::clock::spec() {
        cmd.env(opsdeck_storage::clock::ENV, spec);
    }
    cmd
}

/// The binary as a plain process (to start in the background, kill, or wait for), with the
/// tests' clock.
pub fn process() -> std::process::Command {
    let mut cmd = std::process::Command::new(BIN);
    if let Some(spec) = opsdeck_storage::clock::spec() {
        cmd.env(opsdeck_storage::clock::ENV, spec);
    }
    cmd
}

/// Runs `cmd`, which must succeed, and returns what it printed.
pub fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("the output is UTF-8")
}
