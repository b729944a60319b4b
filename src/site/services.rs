//! Site services, run by the one process holding the services lock: the search indexer (an
//! outbox consumer per tenant committing in batches about once a second), ingest (the
//! group-commit pipeline with the alert engine, the HTTP endpoint, the MQTT subscriber), and per
//! tenant the gas reminders and QDR sync and the preventive-plan scheduler (every minute).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use jiff::SignedDuration;
use opsdeck_storage::{Error as StorageError, SearchIndex, Tenant};

use super::Site;
use super::config::Config;
use super::demo::simulator::Simulator;
use super::jobs;
use super::scheduler::{Running, Scheduler};
use crate::ingest::http::{HttpServer, HttpSettings};
use crate::ingest::metrics::Metrics;
use crate::ingest::mqtt::{MqttSettings, MqttSubscriber};
use crate::ingest::pipeline::{Pipeline, Settings as PipelineSettings};
use crate::ingest::retention::Retention;
use crate::notify::{Mailer, SmtpMailer};

/// The site's mailer when `[smtp]` is configured; a bad `[smtp]` (or its password missing from
/// secrets.toml) is logged and mail is off: the notifications still reach the console.
fn site_mailer(site: &Site) -> Option<Arc<dyn Mailer>> {
    let cfg = site.config.smtp.as_ref()?;
    let mailer = site
        .secrets
        .password_for("smtp", &cfg.password_secret)
        .map_err(|e| anyhow::anyhow!(e))
        .and_then(|password| SmtpMailer::from_config(cfg, password));
    match mailer {
        Ok(m) => {
            tracing::info!("e-mail via [smtp] server {}", m.server());
            Some(Arc::new(m))
        }
        Err(e) => {
            tracing::error!("e-mail is off: {e:#}");
            None
        }
    }
}

/// How often the indexer commits: batched, never per document.
pub const INDEX_INTERVAL: Duration = Duration::from_millis(1000);
const BATCH: usize = 5000;

/// How the services run beyond the site config.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceOptions {
    /// The demo site: if the configured port is taken (another demo), listen on a free one, and
    /// run the simulator that posts live readings like real devices.
    pub demo: bool,
}

pub struct Services {
    stop: Arc<AtomicBool>,
    simulator: Option<Simulator>,
    mqtt: Option<MqttSubscriber>,
    threads: Vec<JoinHandle<()>>,
    /// Every periodic job of every tenant, on one thread.
    scheduler: Option<Running>,
    pipeline: Arc<Pipeline>,
    http: Option<HttpServer>,
    /// Why the HTTP endpoint is not running, when it is not.
    pub ingest_error: Option<String>,
}

impl Services {
    /// Starts the indexer and ingest for every tenant of the site.
    pub fn start(site: &Site, opts: ServiceOptions) -> anyhow::Result<Services> {
        let mut tenants = Vec::new();
        for name in site.config.tenant_names() {
            tenants.push(site.tenant(&name)?);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<JoinHandle<()>> = tenants
            .iter()
            .cloned()
            .map(|(tenant, index)| {
                let stop = stop.clone();
                std::thread::Builder::new()
                    .name(format!("indexer-{}", tenant.name()))
                    .spawn(move || indexer_loop(&tenant, &index, &stop))
                    .expect("spawning the indexer thread")
            })
            .collect();
        let mailer = site_mailer(site);
        let keep = Retention::from(&pipeline_settings(&site.config));
        let mut scheduler = Scheduler::new();
        for (tenant, _) in &tenants {
            let Some(tc) = site.config.tenant(tenant.name()) else {
                continue;
            };
            jobs::register(&mut scheduler, tenant, &tc.zone(), mailer.clone(), keep);
        }
        let metrics = Arc::new(Metrics::default());
        let pipeline = Pipeline::start(
            tenants.iter().map(|(t, _)| t.clone()).collect(),
            pipeline_settings(&site.config),
            metrics,
        );
        let mut services = Services {
            stop,
            scheduler: Some(scheduler.start()),
            simulator: None,
            mqtt: None,
            threads,
            pipeline,
            http: None,
            ingest_error: None,
        };
        let settings = http_settings(&site.config);
        let bind = settings.bind.clone();
        let keys: std::collections::HashMap<String, String> =
            site.secrets.ingest_keys.clone().into_iter().collect();
        let mut started =
            HttpServer::start(settings.clone(), services.pipeline.clone(), keys.clone());
        if opts.demo
            && let Err(e) = &started
            && e.kind() == std::io::ErrorKind::AddrInUse
        {
            tracing::warn!("demo: {bind} is taken, listening on a free port instead");
            let fallback = HttpSettings {
                bind: "127.0.0.1:0".into(),
                ..settings
            };
            started = HttpServer::start(fallback, services.pipeline.clone(), keys);
        }
        match started {
            Ok(server) => {
                tracing::info!("ingest listening on http://{}", server.addr());
                if opts.demo {
                    let keys = site
                        .secrets
                        .ingest_keys
                        .iter()
                        .map(|(t, k)| (t.clone(), k.clone()))
                        .collect();
                    services.simulator = Some(Simulator::start(server.addr(), keys));
                }
                services.http = Some(server);
            }
            Err(e) => {
                let msg = format!("ingest cannot listen on {bind}: {e}");
                tracing::error!("{msg}");
                services.ingest_error = Some(msg);
            }
        }
        if let Err(e) = services.start_mqtt(site) {
            let msg = format!("mqtt: {e:#}");
            tracing::error!("{msg}");
            services.ingest_error.get_or_insert(msg);
        }
        Ok(services)
    }

    /// Subscribes to the broker of the site's `[mqtt]` section, if there is one. A broker that
    /// is down is not an error (the subscriber keeps reconnecting); a wrong setting is.
    fn start_mqtt(&mut self, site: &Site) -> anyhow::Result<()> {
        let Some(cfg) = &site.config.mqtt else {
            return Ok(());
        };
        let password = site
            .secrets
            .password_for("mqtt", &cfg.password_secret)
            .map_err(|e| anyhow::anyhow!(e))
            .and_then(|p| {
                MqttSettings::from_config(
                    cfg,
                    p,
                    &site.config.site.name,
                    site.config.tenant_names(),
                )
            });
        let settings = password.with_context(|| format!("{}", site.dir.config().display()))?;
        tracing::info!(
            "mqtt: subscribing at {} as {}",
            settings.url,
            settings.client_id
        );
        self.mqtt = Some(MqttSubscriber::start(settings, self.pipeline.clone()));
        Ok(())
    }

    pub fn pipeline(&self) -> &Arc<Pipeline> {
        &self.pipeline
    }

    /// Where the HTTP endpoint listens, when it does.
    pub fn http_addr(&self) -> Option<std::net::SocketAddr> {
        self.http.as_ref().map(|h| h.addr())
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // Ingest first: no new messages, then the queued ones commit, then the indexer stops.
        if let Some(sim) = self.simulator.take() {
            sim.stop();
        }
        if let Some(m) = self.mqtt.take() {
            m.stop();
        }
        if let Some(mut h) = self.http.take() {
            h.stop();
        }
        if let Some(s) = self.scheduler.take() {
            s.stop();
        }
        self.pipeline.stop();
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn days(d: u32) -> Option<SignedDuration> {
    (d > 0).then(|| SignedDuration::from_hours(24 * i64::from(d)))
}

pub fn pipeline_settings(config: &Config) -> PipelineSettings {
    let tolerance = config.ingest.timestamp_tolerance_secs as i64;
    PipelineSettings {
        queue: config.ingest.queue.max(1),
        raw_retention: days(config.telemetry.raw_retention_days),
        minute_retention: days(config.telemetry.minute_rollup_retention_days),
        seen_window: SignedDuration::from_secs(2 * tolerance + 60),
        ..PipelineSettings::default()
    }
}

pub fn http_settings(config: &Config) -> HttpSettings {
    HttpSettings {
        bind: config.ingest.bind.get_ref().clone(),
        max_body: config.ingest.max_body_bytes,
        tolerance: SignedDuration::from_secs(config.ingest.timestamp_tolerance_secs as i64),
        max_connections: config.ingest.max_connections.max(1),
        ..HttpSettings::default()
    }
}

impl Drop for Services {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn indexer_loop(tenant: &Tenant, index: &SearchIndex, stop: &AtomicBool) {
    let mut writer = None;
    while !stop.load(Ordering::SeqCst) {
        if writer.is_none() {
            match index.writer() {
                Ok(w) => writer = Some(w),
                // `reindex` may hold it for a moment; try again next round.
                Err(StorageError::IndexLocked) => {}
                Err(e) => tracing::error!(tenant = tenant.name(), "search index: {e}"),
            }
        }
        if let Some(w) = writer.as_mut() {
            loop {
                match w.catch_up(tenant, BATCH) {
                    Ok(0) => break,
                    Ok(n) => tracing::debug!(tenant = tenant.name(), events = n, "indexed"),
                    Err(e) => {
                        tracing::error!(tenant = tenant.name(), "indexing: {e}");
                        break;
                    }
                }
            }
        }
        sleep_unless_stopped(INDEX_INTERVAL, stop);
    }
}

fn sleep_unless_stopped(d: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut left = d;
    while !left.is_zero() && !stop.load(Ordering::SeqCst) {
        let s = left.min(step);
        std::thread::sleep(s);
        left -= s;
    }
}
