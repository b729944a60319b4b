//! `opsdeck serve`: the site services without a console, for systemd.

use std::sync::Arc;

use anyhow::{Result, bail};

use super::Cli;
use crate::app::telemetry::protocol::ServiceHealth;
use crate::ingest::metrics::MqttState;
use crate::service::Listener;
use crate::site::lock::ServicesLock;
use crate::site::services::{ServiceOptions, Services};

pub fn run(cli: &Cli) -> Result<()> {
    let site = cli.open_site()?;
    let Some(_lock) = ServicesLock::try_acquire(&site.dir.services_lock(), "serve")? else {
        bail!(
            "the site services already run in another process: {}",
            ServicesLock::holder(&site.dir.services_lock()).unwrap_or_else(|| "unknown".into())
        );
    };
    // Signals are blocked before any thread starts, so only sigwait below receives them.
    let signals = block_signals()?;
    let services = Services::start(&site, ServiceOptions { demo: cli.demo })?;
    if let Some(e) = services.ingest_error.clone() {
        services.stop();
        bail!("{e}");
    }
    let site = Arc::new(site);
    // Other users' consoles and commands come in here, on a site run by its service; a personal
    // site has no other users.
    let health = {
        let ingest = services.http_addr().map(|a| a.to_string());
        let ingest_error = services.ingest_error.clone();
        let metrics = services.pipeline().metrics.clone();
        Box::new(move || ServiceHealth {
            ingest: ingest.clone(),
            ingest_error: ingest_error.clone(),
            mqtt: (metrics.mqtt() != MqttState::Disabled).then(|| metrics.mqtt().as_str().into()),
        })
    };
    let listener = crate::site::share::is_service_owned(site.dir.root())
        .then(|| Listener::start(site.clone(), health))
        .transpose()?;
    eprintln!(
        "opsdeck serve: site services running for {} (tenants: {}); ingest on http://{}; clients on {}; stop with Ctrl-C or SIGTERM",
        site.dir.root().display(),
        site.config.tenant_names().join(", "),
        services
            .http_addr()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        listener.as_ref().map_or_else(
            || "none (a personal site)".into(),
            |l| l.path().display().to_string()
        )
    );
    tracing::info!("serve started");
    signals.wait()?;
    drop(listener);
    services.stop();
    tracing::info!("serve stopped");
    eprintln!("opsdeck serve: stopped");
    Ok(())
}

fn block_signals() -> Result<nix::sys::signal::SigSet> {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    set.add(Signal::SIGTERM);
    set.thread_block()?;
    Ok(set)
}
