//! CLI commands on a shared site: sent to the site service, which runs them for this user.
//! The file a command reads is read here (as the user) and sent along; the files it writes
//! come back and are written here. The command's own parse says which argument is which file:
//! the service's side sets that argument to the file it received or to its scratch dir, so no
//! path the user typed is ever opened by the service.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Parser;

use super::{Cli, Command};
use crate::app::remote::greet;
use crate::app::wire::{self, Request, Response, Upload, write_frame};

/// The one file argument of a command, if it has one.
pub enum FileArg<'a> {
    /// A file it reads.
    Input(&'a mut PathBuf),
    /// Where it writes: a file, or a dir when `dir`; None is its default (the current dir).
    Output { path: Out<'a>, dir: bool },
}

pub enum Out<'a> {
    Given(&'a mut PathBuf),
    Optional(&'a mut Option<PathBuf>),
}

pub fn file_arg(cmd: &mut Command) -> Option<FileArg<'_>> {
    use super::asset::AssetCmd as A;
    use super::gas::GasCmd as G;
    use super::ledger::{BudgetCmd, LedgerCmd as L};
    use super::pm::{PmCmd as P, ProceduresCmd};
    use super::telemetry::{RulesCmd, TelemetryCmd as T};
    use super::wo::WoCmd as W;
    let out = |path, dir| Some(FileArg::Output { path, dir });
    match cmd {
        Command::Asset(A::Import { file })
        | Command::Pm(P::Import { file })
        | Command::Pm(P::Procedures(ProceduresCmd::Import { file }))
        | Command::Rules(RulesCmd::Import { file })
        | Command::Gas(G::Import { file, .. })
        | Command::Wo(W::Attach { file, .. })
        | Command::Ledger(L::Budget(BudgetCmd::Import { file }))
        | Command::Gas(G::Setup { file: Some(file) }) => Some(FileArg::Input(file)),
        Command::Asset(A::Label { out: o, .. }) => out(Out::Given(o), false),
        Command::Gas(G::Export { out: o, .. }) => out(Out::Optional(o), true),
        Command::Ledger(L::Export { out: o, .. }) => out(Out::Optional(o), true),
        Command::Wo(W::Export { dir, .. }) => out(Out::Optional(dir), true),
        Command::Telemetry(T::Export { out: o, .. }) => out(Out::Optional(o), false),
        _ => None,
    }
}

/// Commands that only make sense on the site's own machine, as its owner.
pub fn local_only(cmd: &Option<Command>) -> Option<&'static str> {
    match cmd {
        None => Some("the console"),
        Some(Command::Serve) => Some("serve"),
        Some(Command::Init(_)) => Some("init"),
        Some(Command::Site(_)) => Some("site"),
        Some(Command::Bench(_)) => Some("bench"),
        #[cfg(feature = "dev-broker")]
        Some(Command::DevBroker { .. }) => Some("dev-broker"),
        _ => None,
    }
}

/// Runs the command through the service listening on `socket`; returns its exit code.
pub fn run(cli: &Cli, socket: &Path) -> Result<i32> {
    if let Some(name) = local_only(&cli.command) {
        bail!(
            "`opsdeck {name}` runs as the site's owner on its server; this site belongs to its service (run it as that user, e.g. sudo -u opsdeck opsdeck {name})"
        );
    }
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| anyhow::anyhow!("{}: not UTF-8", a.to_string_lossy()))
        })
        .collect::<Result<_>>()?;
    // Our own copy of the parse, to read its file argument.
    let mut parsed =
        Cli::try_parse_from(std::iter::once("opsdeck".to_owned()).chain(argv.clone()))?;
    let mut uploads = Vec::new();
    let mut into = PathBuf::from(".");
    match parsed.command.as_mut().and_then(file_arg) {
        Some(FileArg::Input(path)) => uploads.push(Upload::read(path)?),
        Some(FileArg::Output { path, dir }) => {
            let given = match path {
                Out::Given(p) => Some(p.clone()),
                Out::Optional(p) => p.clone(),
            };
            // What the command writes comes back here: into the dir it names, or next to
            // the file it names (FILE-1.svg, FILE-2.svg ... too).
            if let Some(p) = given {
                into = if dir {
                    p
                } else {
                    p.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .map(Path::to_owned)
                        .unwrap_or_else(|| PathBuf::from("."))
                };
            }
        }
        None => {}
    }
    let (mut s, _) = greet(socket)?;
    write_frame(&mut s, &Request::Cli { argv, uploads })?;
    let mut file: Option<std::fs::File> = None;
    let mut failed = false;
    loop {
        match wire::read_frame::<Response>(&s, 1 << 30)? {
            Response::Stdout(b) => std::io::stdout().write_all(&b)?,
            Response::Stderr(b) => std::io::stderr().write_all(&b)?,
            Response::File { name, bytes, last } => {
                // A file that cannot be written is said once; its other pieces are dropped.
                if file.is_none() && !failed {
                    match create_in(&into, &name) {
                        Ok(f) => file = Some(f),
                        Err(e) => {
                            eprintln!("opsdeck: {e:#}");
                            failed = true;
                        }
                    }
                }
                if let Some(f) = file.as_mut()
                    && let Err(e) = f.write_all(&bytes)
                {
                    eprintln!("opsdeck: writing {name}: {e}");
                    file = None;
                    failed = true;
                }
                if last {
                    file = None;
                    failed = false;
                }
            }
            Response::Exit(code) => return Ok(code),
            Response::Refused(why) => bail!("{why}"),
            other => bail!("the site service answered {other:?}"),
        }
    }
}

fn create_in(dir: &Path, name: &str) -> Result<std::fs::File> {
    let safe = Path::new(name).file_name().context("a file name")?;
    let path = dir.join(safe);
    std::fs::File::create(&path).with_context(|| format!("writing {}", path.display()))
}

/// In a command the service runs for a client: the data dir is the service's, the file the
/// command reads is the one the client sent (`upload`, in the request's scratch dir), and what
/// it writes goes to its working dir (the scratch dir's `out`, sent back), whatever the client
/// typed.
pub fn delegate(cli: &mut Cli, root: &Path, upload: Option<PathBuf>) -> Result<()> {
    if let Some(name) = local_only(&cli.command) {
        bail!("`opsdeck {name}` cannot be run through the site service");
    }
    if cli.demo {
        bail!("--demo cannot be run through the site service");
    }
    cli.data = Some(root.to_owned());
    let Some(cmd) = cli.command.as_mut() else {
        return Ok(());
    };
    match file_arg(cmd) {
        Some(FileArg::Input(path)) => match upload {
            Some(u) => *path = u,
            None => bail!(
                "{}: a file is sent by the client, not named",
                path.display()
            ),
        },
        Some(FileArg::Output { path, dir }) => {
            let here = |p: &Path| -> PathBuf {
                if dir {
                    PathBuf::from(".")
                } else {
                    PathBuf::from(p.file_name().unwrap_or_else(|| "out".as_ref()))
                }
            };
            match path {
                Out::Given(p) => *p = here(p),
                Out::Optional(Some(p)) => *p = here(p),
                Out::Optional(None) => {}
            }
        }
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every path argument of a command a client may run is its file argument (set by the
    /// service's side) or one of these: a new one must be classified before it builds, or the
    /// service would open a path a user typed.
    const NOT_FILES: &[&str] = &["opsdeck data"];

    #[test]
    fn every_path_argument_a_client_can_send_is_handled() {
        fn walk(cmd: &clap::Command, path: String, out: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                if a.get_value_parser().type_id() == std::any::TypeId::of::<PathBuf>() {
                    out.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, format!("{path} {}", sub.get_name()), out);
            }
        }
        let mut found = Vec::new();
        walk(&Cli::command(), "opsdeck".into(), &mut found);
        let local = [
            "opsdeck bench",
            "opsdeck dev-broker",
            "opsdeck site",
            "opsdeck init",
        ];
        let handled = [
            "opsdeck asset import file",
            "opsdeck asset label out",
            "opsdeck pm import file",
            "opsdeck pm procedures import file",
            "opsdeck rules import file",
            "opsdeck gas import file",
            "opsdeck gas setup file",
            "opsdeck gas export out",
            "opsdeck wo attach file",
            "opsdeck wo export dir",
            "opsdeck telemetry export out",
            "opsdeck ledger budget import file",
            "opsdeck ledger export out",
        ];
        for f in &found {
            let known = NOT_FILES.contains(&f.as_str())
                || handled.contains(&f.as_str())
                || local.iter().any(|l| f.starts_with(l));
            assert!(
                known,
                "{f}: a path a client may send; add it to file_arg (and to this test)"
            );
        }
        for h in handled {
            assert!(
                found.iter().any(|f| f == h),
                "{h} is not an argument any more"
            );
        }
    }
}
