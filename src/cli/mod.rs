//! The command line: `opsdeck` alone runs the console; subcommands serve scripts and admins.

mod admin;
mod asset;
mod audit;
mod bench;
mod bench_cmms;
mod bench_ledger;
mod bench_socket;
mod console;
mod gas;
mod ledger;
mod maintain;
mod pm;
pub mod remote;
mod serve;
mod site;
mod stock;
mod telemetry;
mod wo;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use opsdeck_views::i18n::Locale;

use crate::site::access;
use crate::site::paths::SiteDir;
use crate::site::{Site, demo};

#[derive(Debug, Parser)]
#[command(
    name = "opsdeck",
    version,
    about = "Keyboard-driven operations console for industrial and facility sites",
    long_about = "Keyboard-driven operations console for industrial and facility sites.\n\nWithout a command, opens the console on the site's default tenant."
)]
pub struct Cli {
    /// Site data dir [default: the platform data dir, or the demo dir with --demo]
    #[arg(long, global = true, value_name = "DIR", env = "OPSDECK_DATA")]
    pub data: Option<PathBuf>,
    /// Tenant to work in [default: the site's default tenant]
    #[arg(long, global = true, value_name = "NAME")]
    pub tenant: Option<String>,
    /// Use the demo site: loads sample data into the data dir when it is empty, reuses it after
    #[arg(long, global = true)]
    pub demo: bool,
    /// No colours (also NO_COLOR=1, or `color = false` under [ui] in opsdeck.toml)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// ASCII glyphs and borders only
    #[arg(long, global = true)]
    pub ascii: bool,
    /// UI language: pt-BR or en [default: [ui] locale, else LANG]
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the site services headless (for systemd); needs the services lock
    Serve,
    /// Create a site in the data dir: config, secrets, first tenant, you as admin
    Init(admin::InitArgs),
    /// A site run by its service: share an existing site with a group through the service
    #[command(subcommand)]
    Site(site::SiteCmd),
    /// Manage tenants
    #[command(subcommand)]
    Tenant(admin::TenantCmd),
    /// Manage who has which role in a tenant
    #[command(subcommand)]
    User(admin::UserCmd),
    /// Show the site configuration
    #[command(subcommand)]
    Config(admin::ConfigCmd),
    /// The audit trail
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// Rebuild a tenant's search index from its database
    Reindex,
    /// Check database integrity, the audit chain, the search index and the evidence files
    Check(maintain::CheckArgs),
    /// Sensor readings and devices
    #[command(subcommand)]
    Telemetry(telemetry::TelemetryCmd),
    /// Alerts raised by rules
    #[command(subcommand)]
    Alerts(telemetry::AlertsCmd),
    /// Alert rules
    #[command(subcommand)]
    Rules(telemetry::RulesCmd),
    /// Maintained assets: site -> area tree, QR labels, sensors, cost and downtime
    #[command(subcommand)]
    Asset(asset::AssetCmd),
    /// Work orders: create, move, checklist, parts, labor, services, cost
    #[command(subcommand)]
    Wo(wo::WoCmd),
    /// Spare-parts inventory: items, receiving, adjustments, below-minimum list
    #[command(subcommand)]
    Stock(stock::StockCmd),
    /// Preventive maintenance: plans (calendar, meter, threshold), the scheduler, procedures
    #[command(subcommand)]
    Pm(pm::PmCmd),
    /// Natural gas (RC): the monthly Petrobras workbook
    #[command(subcommand)]
    Gas(gas::GasCmd),
    /// The ledger (Orçamento Vivo): budget, entries, postings, closing months, exports
    #[command(subcommand)]
    Ledger(ledger::LedgerCmd),
    /// Measure this machine: ingest throughput and latency
    #[command(subcommand)]
    Bench(bench::BenchCmd),
    /// Run a local MQTT broker in the foreground (rumqttd), for tests and trials
    #[cfg(feature = "dev-broker")]
    #[command(hide = true)]
    DevBroker {
        #[arg(long, default_value = "127.0.0.1:1883")]
        listen: std::net::SocketAddr,
        /// Also a TLS listener here, with --cert and --key (PEM)
        #[arg(long, requires_all = ["cert", "key"])]
        tls_listen: Option<std::net::SocketAddr>,
        #[arg(long)]
        cert: Option<PathBuf>,
        #[arg(long)]
        key: Option<PathBuf>,
    },
}

impl Cli {
    /// The data dir, absolute (the service and its commands run elsewhere than the caller).
    pub fn site_dir(&self) -> SiteDir {
        match (&self.data, self.demo) {
            (Some(d), _) => SiteDir::new(std::path::absolute(d).unwrap_or_else(|_| d.clone())),
            (None, true) => SiteDir::new(SiteDir::default_demo_root()),
            (None, false) => SiteDir::new(SiteDir::default_root()),
        }
    }

    /// The site, loading the demo first when asked for and the dir is empty.
    pub fn open_site(&self) -> Result<Site> {
        if self.demo {
            demo::open_or_load(&self.site_dir())
        } else {
            Site::open(self.site_dir())
        }
    }

    pub fn locale(&self, site: Option<&Site>) -> Locale {
        if let Some(l) = &self.lang {
            return Locale::parse(l);
        }
        if let Some(l) = site.and_then(|s| s.config.ui.locale) {
            return l;
        }
        std::env::var("LC_ALL")
            .or_else(|_| std::env::var("LANG"))
            .map(|l| Locale::parse(&l))
            .unwrap_or_default()
    }
}

/// A command the site service ran for us ended with this exit code (its output is shown).
#[derive(Debug)]
pub struct Exit(pub i32);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit code {}", self.0)
    }
}

impl std::error::Error for Exit {}

pub fn run(mut cli: Cli) -> Result<()> {
    let dir = cli.site_dir();
    if std::env::var_os(access::ACTOR_ENV).is_some() {
        // The site service runs this for a client: on its site, with the file the client sent,
        // writing only into the request's scratch dir.
        let scratch = std::env::var_os(access::SCRATCH_ENV)
            .map(PathBuf::from)
            .ok_or_else(|| {
                anyhow::anyhow!("{} without {}", access::ACTOR_ENV, access::SCRATCH_ENV)
            })?;
        let root = scratch
            .parent()
            .and_then(Path::parent)
            .map(Path::to_owned)
            .context("the scratch dir is not in a site")?;
        access::act_for_client(&root)?;
        let upload = std::env::var_os(access::UPLOAD_ENV).map(PathBuf::from);
        if upload.as_ref().is_some_and(|u| !u.starts_with(&scratch)) {
            anyhow::bail!("a file sent by a client is in its request's scratch dir");
        }
        remote::delegate(&mut cli, &root, upload)?;
    } else if !cli.demo
        && remote::local_only(&cli.command).is_none()
        && let Some(socket) = access::service_socket(&dir)?
    {
        return match remote::run(&cli, &socket)? {
            0 => Ok(()),
            code => Err(Exit(code).into()),
        };
    }
    match &cli.command {
        None => crate::app::run(console::ready(&cli)?),
        Some(Command::Serve) => serve::run(&cli),
        Some(Command::Init(a)) => admin::init(&cli, a),
        Some(Command::Site(c)) => site::run(&cli, c),
        Some(Command::Tenant(c)) => admin::tenant(&cli, c),
        Some(Command::User(c)) => admin::user(&cli, c),
        Some(Command::Config(c)) => admin::config(&cli, c),
        Some(Command::Audit(c)) => audit::run(&cli, c),
        Some(Command::Reindex) => maintain::reindex(&cli),
        Some(Command::Check(a)) => maintain::check(&cli, a),
        Some(Command::Telemetry(c)) => telemetry::telemetry(&cli, c),
        Some(Command::Alerts(c)) => telemetry::alerts_cmd(&cli, c),
        Some(Command::Rules(c)) => telemetry::rules_cmd(&cli, c),
        Some(Command::Asset(c)) => asset::run(&cli, c),
        Some(Command::Wo(c)) => wo::run(&cli, c),
        Some(Command::Stock(c)) => stock::run(&cli, c),
        Some(Command::Pm(c)) => pm::run(&cli, c),
        Some(Command::Gas(c)) => gas::run(&cli, c),
        Some(Command::Ledger(c)) => ledger::run(&cli, c),
        Some(Command::Bench(c)) => bench::run(c),
        #[cfg(feature = "dev-broker")]
        Some(Command::DevBroker {
            listen,
            tls_listen,
            cert,
            key,
        }) => {
            let tls = match (tls_listen, cert, key) {
                (Some(listen), Some(cert), Some(key)) => Some(crate::ingest::broker::TlsListener {
                    listen: *listen,
                    cert: cert.clone(),
                    key: key.clone(),
                }),
                _ => None,
            };
            crate::ingest::broker::run(*listen, tls)
        }
    }
}
