//! CLI commands on a shared site: sent to the site service, which runs them for this user.
//! The files a command reads are read here (as the user) and sent along; the files it writes
//! come back and are written here. Both sides know a command's files from the same list.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Cli, Command};
use crate::app::remote::greet;
use crate::app::wire::{self, Request, Response, Upload, write_frame};
use crate::service::MARK;

/// The files a command reads and the one path it writes to (a file, or a dir when `dir`).
#[derive(Default)]
pub struct Files {
    pub inputs: Vec<PathBuf>,
    pub output: Option<(PathBuf, bool)>,
}

pub fn files(cmd: &Command) -> Files {
    use super::asset::AssetCmd as A;
    use super::gas::GasCmd as G;
    use super::pm::{PmCmd as P, ProceduresCmd};
    use super::telemetry::{RulesCmd, TelemetryCmd as T};
    use super::wo::WoCmd as W;
    let input = |p: &PathBuf| Files {
        inputs: vec![p.clone()],
        output: None,
    };
    let output = |p: &Option<PathBuf>, dir: bool| Files {
        inputs: vec![],
        output: p.clone().map(|p| (p, dir)),
    };
    match cmd {
        Command::Asset(A::Import { file })
        | Command::Pm(P::Import { file })
        | Command::Pm(P::Procedures(ProceduresCmd::Import { file }))
        | Command::Rules(RulesCmd::Import { file })
        | Command::Gas(G::Import { file, .. })
        | Command::Wo(W::Attach { file, .. }) => input(file),
        Command::Gas(G::Setup { file: Some(file) }) => input(file),
        Command::Asset(A::Label { out, .. }) => output(&Some(out.clone()), false),
        Command::Gas(G::Export { out, .. }) => output(out, true),
        Command::Wo(W::Export { dir, .. }) => output(dir, true),
        Command::Telemetry(T::Export { out, .. }) => output(out, false),
        _ => Files::default(),
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
    let cmd = cli.command.as_ref().context("no command")?;
    if let Some(name) = local_only(&cli.command) {
        bail!(
            "`opsdeck {name}` runs as the site's owner on its server; this site belongs to its service (run it as that user, e.g. sudo -u opsdeck opsdeck {name})"
        );
    }
    let mut argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| anyhow::anyhow!("{}: not UTF-8", a.to_string_lossy()))
        })
        .collect::<Result<_>>()?;
    let f = files(cmd);
    let mut uploads = Vec::new();
    for (i, path) in f.inputs.iter().enumerate() {
        let bytes = std::fs::read(path).map_err(|e| {
            anyhow::anyhow!(
                "{}: {}",
                path.display(),
                crate::site::access::explain_io(path, &e)
            )
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        replace_arg(&mut argv, path, &format!("{MARK}{i}"))?;
        uploads.push(Upload { name, bytes });
    }
    // The command writes where the service says; what it wrote comes back here.
    let into = match &f.output {
        Some((path, true)) => {
            replace_arg(&mut argv, path, ".")?;
            path.clone()
        }
        Some((path, false)) => {
            let name = path.file_name().context("an output file name")?;
            replace_arg(&mut argv, path, &name.to_string_lossy())?;
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(Path::to_owned)
                .unwrap_or_else(|| PathBuf::from("."))
        }
        None => PathBuf::from("."),
    };
    let (mut s, _) = greet(socket)?;
    write_frame(&mut s, &Request::Cli { argv, uploads })?;
    let mut file: Option<(std::fs::File, PathBuf)> = None;
    loop {
        match wire::read_frame::<Response>(&s, 1 << 30)? {
            Response::Stdout(b) => std::io::stdout().write_all(&b)?,
            Response::Stderr(b) => std::io::stderr().write_all(&b)?,
            Response::File { name, bytes, last } => {
                if file.is_none() {
                    let safe = Path::new(&name).file_name().context("a file name")?;
                    let path = into.join(safe);
                    let f = std::fs::File::create(&path)
                        .with_context(|| format!("writing {}", path.display()))?;
                    file = Some((f, path));
                }
                if let Some((f, _)) = file.as_mut() {
                    f.write_all(&bytes)?;
                }
                if last {
                    file = None;
                }
            }
            Response::Exit(code) => return Ok(code),
            Response::Refused(why) => bail!("{why}"),
            other => bail!("the site service answered {other:?}"),
        }
    }
}

/// Replaces the argument that is `path` (alone, or after `--flag=`) with `with`.
fn replace_arg(argv: &mut [String], path: &Path, with: &str) -> Result<()> {
    let p = path.to_string_lossy();
    for a in argv.iter_mut().rev() {
        if *a == p {
            *a = with.to_owned();
            return Ok(());
        }
        if let Some((flag, value)) = a.split_once('=')
            && value == p
            && flag.starts_with("--")
        {
            *a = format!("{flag}={with}");
            return Ok(());
        }
    }
    bail!("{p}: not found among the arguments")
}

/// In a command the service runs for a client: every file it names is in the request's scratch
/// dir, so a client cannot make the service read or write anything else.
pub fn check_delegated(cli: &Cli, scratch: &Path) -> Result<()> {
    if let Some(name) = local_only(&cli.command) {
        bail!("`opsdeck {name}` cannot be run through the site service");
    }
    if cli.demo {
        bail!("--demo cannot be run through the site service");
    }
    let Some(cmd) = &cli.command else {
        return Ok(());
    };
    let f = files(cmd);
    for p in &f.inputs {
        if !p.starts_with(scratch) || p.components().any(|c| c.as_os_str() == "..") {
            bail!("{}: a file is sent by the client, not named", p.display());
        }
    }
    if let Some((p, _)) = &f.output
        && (p.is_absolute() || p.components().any(|c| c.as_os_str() == ".."))
    {
        bail!(
            "{}: an output goes back to the client, not to a path",
            p.display()
        );
    }
    Ok(())
}
