use std::process::ExitCode;

use clap::Parser;
use opsdeck::cli::{self, Cli};
use opsdeck::site::access::os_user;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Log only into a site that exists (or the demo site about to be made), never create one.
    let dir = cli.site_dir();
    opsdeck::site::access::apply_umask(dir.root());
    let _log = (cli.demo || dir.config().exists())
        .then(|| opsdeck::logging::init(&dir.logs(), &os_user()))
        .flatten();
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("opsdeck: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
