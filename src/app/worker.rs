//! The console's I/O thread: database reads, writes, searches and verification run here and
//! come back to the UI loop as replies, so the screen never waits on disk. Each pane's commands
//! go to that pane's `load.rs` / `write.rs`.

use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};

use super::Msg;
use super::io::Io;
use super::protocol::{Cmd, Reply, TenantOpened};
use super::{audit, gas, ledger, notifications, search, telemetry, wo};
use crate::app::outcome::words;
use crate::domain::access::role_of;
use crate::site::Site;

pub struct Worker {
    site: Arc<Site>,
    io: Io,
    /// The change counter and index generation at the last poll.
    seen: (u64, u64),
    wo: wo::Freshness,
}

impl Worker {
    pub fn new(site: Arc<Site>, io: Io) -> Worker {
        let seen = (
            io.tenant.change_counter().unwrap_or(0),
            io.index.generation(),
        );
        Worker {
            site,
            io,
            seen,
            wo: Default::default(),
        }
    }

    pub fn spawn(self, rx: Receiver<Cmd>, tx: Sender<Msg>) -> std::thread::JoinHandle<()> {
        std::thread::Builder::new()
            .name("worker".into())
            .spawn(move || self.run(rx, tx))
            .expect("spawning the worker thread")
    }

    fn run(mut self, rx: Receiver<Cmd>, tx: Sender<Msg>) {
        while let Ok(cmd) = rx.recv() {
            if let Some(r) = self.answer(cmd)
                && tx.send(Msg::Reply(r)).is_err()
            {
                break;
            }
        }
    }

    /// Runs one command. A bug in one command must not take the console's I/O (or the site
    /// service's session) down with it: the panic is reported like an error and the next
    /// command runs.
    pub(crate) fn answer(&mut self, cmd: Cmd) -> Option<Reply> {
        let what = format!("{cmd:?}");
        let run = std::panic::AssertUnwindSafe(|| self.one(cmd));
        std::panic::catch_unwind(run).unwrap_or_else(|p| {
            let why = p
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| p.downcast_ref::<&str>().copied())
                .unwrap_or("panic");
            let head: String = what.chars().take(80).collect();
            tracing::error!("worker: {head}: {why}");
            Some(Reply::Error(format!("internal error ({why}); see the log")))
        })
    }

    /// The tenant the worker works on now.
    pub(crate) fn tenant(&self) -> &str {
        self.io.tenant.name()
    }

    fn one(&mut self, cmd: Cmd) -> Option<Reply> {
        let locale = self.io.locale;
        let error = move |e: anyhow::Error| Reply::Error(words(locale, &e));
        let io = &self.io;
        match cmd {
            Cmd::Poll => self.poll(),
            Cmd::SetLocale(l) => {
                self.io.locale = l;
                None
            }
            Cmd::Tenant(name) => Some(self.switch(&name).unwrap_or_else(error)),
            Cmd::LoadNotifications => Some(
                notifications::list(io)
                    .map(Reply::Notifications)
                    .unwrap_or_else(error),
            ),
            Cmd::MarkRead(id) => Some(
                notifications::mark_read(io, id)
                    .map(Reply::Notifications)
                    .unwrap_or_else(error),
            ),
            Cmd::UnreadCount => notifications::unread(io).ok().map(Reply::Unread),
            Cmd::Search(q) => Some(
                search::search(io, q)
                    .map(Reply::Search)
                    .unwrap_or_else(error),
            ),
            Cmd::Audit(c) => Some(audit::serve(io, c).map(Reply::Audit).unwrap_or_else(error)),
            Cmd::Wo(c) => wo::serve(io, &mut self.wo, c),
            Cmd::Telemetry(c) => Some(telemetry::serve(io, c)),
            Cmd::Gas(c) => Some(gas::serve(io, c)),
            Cmd::Ledger(c) => Some(ledger::serve(io, c)),
        }
    }

    /// A commit to the database or to the search index (indexing runs behind the database,
    /// possibly in another process): both change what panes show.
    fn poll(&mut self) -> Option<Reply> {
        match self.io.tenant.change_counter() {
            Ok(c) => {
                let g = self.io.index.generation();
                let changed = (c, g) != self.seen;
                self.seen = (c, g);
                changed.then(|| Reply::Changed {
                    docs: self.io.index.num_docs(),
                })
            }
            Err(e) => Some(Reply::Error(e.to_string())),
        }
    }

    /// Works on `name` from now on, if the user has a role in it.
    fn switch(&mut self, name: &str) -> anyhow::Result<Reply> {
        let tc = self.site.tenant_config(Some(name))?;
        let (tenant, index) = self.site.tenant(tc.name())?;
        let role = role_of(&tenant, &self.io.user)?;
        let Some(role) = role else {
            anyhow::bail!("{}", no_role(&self.io.user, tc.name()));
        };
        let opened = TenantOpened {
            name: tc.name().to_owned(),
            display_name: tc.display_name.clone(),
            role: Some(role.to_string()),
            tz: tc.zone(),
            docs: index.num_docs(),
        };
        self.seen = (tenant.change_counter().unwrap_or(0), index.generation());
        self.wo = Default::default();
        self.io = Io {
            evidence: self.site.dir.evidence_dir(tc.name()),
            tenant,
            index,
            user: self.io.user.clone(),
            tz: tc.zone(),
            locale: self.io.locale,
        };
        Ok(Reply::Tenant(Box::new(opened)))
    }
}

/// What a user without a role in a tenant is told, and what an admin can do about it.
pub(crate) fn no_role(user: &str, tenant: &str) -> String {
    format!(
        "{user}: no role in tenant '{tenant}'; an admin can run: opsdeck user add {user} --role operator --tenant {tenant}"
    )
}
