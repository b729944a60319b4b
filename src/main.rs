use std::process::ExitCode;

use clap::Parser;
use opsdeck::cli::{self, Cli};
use opsdeck::site::access::os_user;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Log only into a site that exists and is ours alone (or the demo site about to be made),
    // never create one: a client of a site's service cannot write there, and nobody (root
    // least) may write into a dir others could have planted links in.
    let dir = cli.site_dir();
    opsdeck::site::access::apply_umask(dir.root());
    let logs = dir.logs();
    let private = |d: &std::path::Path| opsdeck::site::access::private_dir(d);
    let ours = private(dir.root()) && dir.config().exists() && (!logs.exists() || private(&logs));
    let _log = (cli.demo || ours)
        .then(|| opsdeck::logging::init(&dir.logs(), &os_user()))
        .flatten();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A command the site service ran has said why itself.
        Err(e) if e.downcast_ref::<cli::Exit>().is_some() => {
            let code = e.downcast_ref::<cli::Exit>().map_or(1, |x| x.0);
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("opsdeck: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
