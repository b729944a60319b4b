//! The console: terminal lifecycle, the event loop, and wiring of the worker and site services.
//! Terminal event -> Action -> update -> render, drawing only when something changed.

pub(crate) mod audit;
pub(crate) mod gas;
pub(crate) mod io;
pub(crate) mod ledger;
mod link;
mod modal;
mod notifications;
pub mod outcome;
mod pane;
mod panes;
pub mod protocol;
pub mod remote;
mod search;
mod shell;
pub(crate) mod telemetry;
mod typed_input;
pub mod wire;
pub(crate) mod wo;
pub(crate) mod worker;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use opsdeck_storage::records::gas::GasUnit;
use opsdeck_views::i18n::Locale;
use opsdeck_views::keymap::Keymap;
use opsdeck_views::state::{PaneId, Runner, TenantRow};
use opsdeck_views::theme::Theme;
use opsdeck_views::{Shell, render};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEvent};

use io::Io;
pub use ledger::time_loads as time_ledger_loads;
use protocol::{Cmd, Reply};
pub use shell::App;
use wire::Opening;
pub use wo::time_loads as time_wo_loads;
use worker::Worker;

use crate::domain::access::role_of;
use crate::site::Site;
use crate::site::access::os_user;
use crate::site::lock::ServicesLock;
use crate::site::services::{ServiceOptions, Services};

pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");
/// Never draw more often than this (slow SSH links).
const FRAME: Duration = Duration::from_millis(10);

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    Tick,
    Services(Runner),
    Reply(Reply),
    /// Text pasted into the terminal at once (bracketed paste).
    Paste(String),
}

pub struct UiOptions {
    pub locale: Locale,
    pub theme: Theme,
    /// (file name, contents) of the user's keymap, if any.
    pub user_keymap: Option<(String, String)>,
}

/// The site services this console runs while it holds the lock.
pub struct HeldServices {
    _lock: ServicesLock,
    services: Services,
}

impl HeldServices {
    pub fn try_take(site: &Site, opts: ServiceOptions) -> Result<Option<HeldServices>> {
        let Some(lock) = ServicesLock::try_acquire(&site.dir.services_lock(), "console")? else {
            return Ok(None);
        };
        Ok(Some(HeldServices {
            _lock: lock,
            services: Services::start(site, opts)?,
        }))
    }

    pub fn stop(self) {
        self.services.stop();
    }
}

/// Where the console's data is: the site's files, opened here (a personal site), or the site
/// service, whose client it is (a shared site).
pub enum Target {
    Embedded(Arc<Site>),
    Remote(Box<remote::Connection>),
}

/// What the command line hands the console: the site, ready, and how to show it.
pub struct Console {
    pub target: Target,
    /// None: the site's default tenant.
    pub tenant: Option<String>,
    pub ui: UiOptions,
    pub services: ServiceOptions,
}

/// The tenants of the site `user` has a role in, in config order, and whether each has gas
/// units.
fn tenants_of(site: &Site, user: &str) -> Vec<TenantRow> {
    site.config
        .tenants
        .iter()
        .filter_map(|tc| {
            let row = site.open_tenant(tc.name()).and_then(|t| {
                let role = role_of(&t, user)?;
                let gas = !t.list::<GasUnit>()?.is_empty();
                Ok(role.map(|_| TenantRow {
                    name: tc.name().to_owned(),
                    display_name: tc.display_name.clone(),
                    gas,
                }))
            });
            row.unwrap_or_else(|e| {
                tracing::warn!("tenant {}: {e:#}", tc.name());
                None
            })
        })
        .collect()
}

/// What a console of `user` opens on `tenant` of `site`, and the worker's handles for it: the
/// same for a console on its own files and for the site service serving a client.
pub(crate) fn opening(
    site: &Site,
    tenant: Option<&str>,
    user: &str,
    locale: Locale,
) -> Result<(Opening, Io)> {
    let tc = site.tenant_config(tenant)?;
    let (t, index) = site.tenant(tc.name())?;
    let role = role_of(&t, user)?;
    let opening = Opening {
        tenant: protocol::TenantOpened {
            name: tc.name().to_owned(),
            display_name: tc.display_name.clone(),
            role: role.map(|r| r.to_string()),
            tz: tc.zone(),
            docs: index.num_docs(),
        },
        user: user.to_owned(),
        tenants: tenants_of(site, user),
        locale: site.config.ui.locale,
        color: site.config.ui.color,
        ascii: site.config.ui.ascii,
    };
    let io = Io {
        evidence: site.dir.evidence_dir(tc.name()),
        tenant: t,
        index,
        user: user.to_owned(),
        tz: tc.zone(),
        locale,
    };
    Ok((opening, io))
}

/// Builds the console for `tenant` of `site`, working on its files: state, keymap, and the
/// worker thread.
pub fn start(
    site: &Arc<Site>,
    tenant: Option<&str>,
    opts: UiOptions,
) -> Result<(App, Sender<Msg>, Receiver<Msg>)> {
    let (opening, io) = opening(site, tenant, &os_user(), opts.locale)?;
    let (cmd_tx, cmd_rx) = crossbeam_channel::unbounded::<Cmd>();
    let (msg_tx, msg_rx) = crossbeam_channel::unbounded::<Msg>();
    Worker::new(site.clone(), io).spawn(cmd_rx, msg_tx.clone());
    let mut app = app_for(&opening, opts, cmd_tx);
    app.shell.status.services = services_label(site, false);
    Ok((app, msg_tx, msg_rx))
}

/// Builds the console as a client of the site service on `conn`.
pub fn start_remote(
    conn: remote::Connection,
    opts: UiOptions,
) -> Result<(App, Sender<Msg>, Receiver<Msg>)> {
    let (cmd_tx, cmd_rx) = crossbeam_channel::unbounded::<Cmd>();
    let (msg_tx, msg_rx) = crossbeam_channel::unbounded::<Msg>();
    let opening = conn.opening.clone();
    let service = conn.welcome.service.clone();
    let _ = cmd_tx.send(Cmd::SetLocale(opts.locale));
    conn.spawn(cmd_rx, msg_tx.clone())?;
    let mut app = app_for(&opening, opts, cmd_tx);
    app.shell.status.services = Runner::SiteService(service);
    Ok((app, msg_tx, msg_rx))
}

/// The console's state as `opening` says, with the keymap, talking to a worker on `cmd_tx`.
fn app_for(opening: &Opening, opts: UiOptions, cmd_tx: Sender<Cmd>) -> App {
    let t = &opening.tenant;
    let (km, problems) = Keymap::load(
        ("keymap.toml (built in)", DEFAULT_KEYMAP),
        opts.user_keymap
            .as_ref()
            .map(|(f, s)| (f.as_str(), s.as_str())),
    );
    let mut shell = Shell::new(opts.locale, opts.theme);
    shell.status.tenant = t.name.clone();
    if t.display_name != t.name {
        shell.status.tenant_display = t.display_name.clone();
    }
    shell.status.user = opening.user.clone();
    shell.status.role = t.role.clone();
    shell.search.indexed_docs = t.docs;
    shell.keymap_warnings = problems.iter().map(ToString::to_string).collect();
    if let Some(p) = problems.first() {
        tracing::warn!("keymap: {}", shell.keymap_warnings.join("; "));
        shell.status.last_error = Some(format!("keymap: {p} (? shows all)"));
    }
    if t.role.is_none() {
        shell.status.last_error = Some(worker::no_role(&opening.user, &t.name));
    }
    shell.pane = PaneId::WorkOrders;
    shell.tenants = opening.tenants.clone();
    let mut app = App::new(shell, km, cmd_tx, t.tz.clone());
    app.apply(opsdeck_views::Action::Pane(PaneId::WorkOrders));
    app
}

/// Who runs the site services, for the status bar.
pub fn services_label(site: &Site, held_here: bool) -> Runner {
    if held_here {
        return Runner::ThisConsole;
    }
    match ServicesLock::holder(&site.dir.services_lock()) {
        Some(h) => Runner::Other(h.split(" since ").next().unwrap_or(&h).to_owned()),
        None => Runner::Stopped,
    }
}

/// `opsdeck` with no command: the console on a real terminal.
pub fn run(c: Console) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the console needs a terminal; for scripts use the subcommands (opsdeck --help)");
    }
    let Console {
        target,
        tenant,
        ui,
        services: service_opts,
    } = c;
    // A client of the site service runs no services of its own: the service does.
    let (mut app, tx, rx, site) = match target {
        Target::Embedded(site) => {
            let (app, tx, rx) = start(&site, tenant.as_deref(), ui)?;
            (app, tx, rx, Some(site))
        }
        Target::Remote(conn) => {
            let (app, tx, rx) = start_remote(*conn, ui)?;
            (app, tx, rx, None)
        }
    };
    let mut held = match &site {
        Some(site) => {
            HeldServices::try_take(site, service_opts).context("starting the site services")?
        }
        None => None,
    };
    if let Some(site) = &site {
        app.shell.status.services = services_label(site, held.is_some());
    }
    app.attach_services(held.as_ref().map(|h| &h.services));
    spawn_ticker(tx.clone());
    spawn_input(tx.clone());

    let mut terminal = ratatui::try_init().context("setting up the terminal")?;
    // ratatui's hook restores the terminal on a panic; a panic the worker survives (it is
    // caught and reported) must leave the screen alone.
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("worker") {
            tracing::error!("worker: {info}");
        } else {
            let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
            restore_and_report(info);
        }
    }));
    // A column pasted from a spreadsheet arrives as one text, not as keys (plans).
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    if let Ok(size) = terminal.size() {
        app.handle(Msg::Resize(size.width, size.height));
    }
    let mut last_try = Instant::now();
    // Take over the services when their holder goes away; report who holds them otherwise.
    let result = loop {
        let r = event_loop(
            &mut terminal,
            &mut app,
            &rx,
            Some(Instant::now() + Duration::from_secs(5)),
        );
        if r.is_err() || app.quit {
            break r;
        }
        if let Some(site) = &site
            && held.is_none()
            && last_try.elapsed() >= Duration::from_secs(5)
        {
            last_try = Instant::now();
            match HeldServices::try_take(site, service_opts) {
                Ok(h) => {
                    held = h;
                    app.attach_services(held.as_ref().map(|h| &h.services));
                }
                Err(e) => tracing::warn!("site services: {e}"),
            }
            let _ = tx.send(Msg::Services(services_label(site, held.is_some())));
        }
    };
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    if let Some(h) = held {
        h.stop();
    }
    result
}

/// The loop: wait for a message, update, draw when something changed (at most every FRAME).
/// Returns when the user quits, the channel closes, or `until` passes.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rx: &Receiver<Msg>,
    until: Option<Instant>,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    loop {
        let since = last_draw.elapsed();
        if dirty && (since >= FRAME || app.quit) {
            terminal.draw(|f| render(f, &app.shell))?;
            dirty = false;
            last_draw = Instant::now();
        }
        let now = Instant::now();
        if app.quit {
            return Ok(());
        }
        if until.is_some_and(|u| now >= u) {
            // Whoever reads the screen next sees the state as it is now.
            if dirty {
                terminal.draw(|f| render(f, &app.shell))?;
            }
            return Ok(());
        }
        let idle = until.map_or(Duration::from_secs(1), |u| u.saturating_duration_since(now));
        let wait = if dirty {
            FRAME.saturating_sub(since)
        } else {
            idle
        };
        match rx.recv_timeout(wait) {
            Ok(msg) => dirty |= app.handle(msg),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => app.quit = true,
        }
    }
}

fn spawn_ticker(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        while tx.send(Msg::Tick).is_ok() {
            std::thread::sleep(Duration::from_secs(1));
        }
    });
}

fn spawn_input(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(k)) => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(Event::Paste(text)) => Msg::Paste(text),
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("terminal input: {e}");
                    break;
                }
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
}
