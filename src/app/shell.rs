//! The console's shell: a message in, state changed, maybe commands out to the worker. It owns
//! what is not any pane's (help, the palette, notifications, the `/` filter, switching panes and
//! tenants) and hands the rest to the focused pane through the `Pane` trait. No drawing and no
//! I/O here beyond sending commands.

use opsdeck_views::i18n::Texts;
use std::path::PathBuf;

use crossbeam_channel::Sender;
use opsdeck_views::action::Action;
use opsdeck_views::i18n::Locale;
use opsdeck_views::keymap::{Key, Keymap, Resolved};
use opsdeck_views::state::{HelpRow, Overlay, Palette, PaneId, Shell, TenantPicker};
use opsdeck_views::widgets::palette;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::Msg;
use super::link::Link;
use super::pane::{Cx, Effect, Pane, Reload};
use super::panes;
use super::protocol::{Cmd, Reply, TenantOpened};
use crate::site::services::Services;

pub struct App {
    pub shell: Shell,
    pub keymap: Keymap,
    pub quit: bool,
    /// Where exports from the console go: the directory it was started in, like the CLI's.
    pub export_dir: PathBuf,
    pending: Vec<Key>,
    cmds: Sender<Cmd>,
    tz: jiff::tz::TimeZone,
    /// Rows on one page of the focused list, for PgUp/PgDn (kept from the last terminal size).
    page: usize,
    panes: Vec<Box<dyn Pane>>,
}

impl App {
    pub fn new(shell: Shell, keymap: Keymap, cmds: Sender<Cmd>, tz: jiff::tz::TimeZone) -> App {
        let mut app = App {
            shell,
            keymap,
            quit: false,
            export_dir: std::env::current_dir().unwrap_or_else(|_| ".".into()),
            pending: Vec::new(),
            cmds,
            tz,
            page: 10,
            panes: panes::all(),
        };
        app.send(Cmd::UnreadCount);
        app.rebuild_help();
        app.tick_clock();
        app
    }

    fn send(&self, cmd: Cmd) {
        // The worker only stops when we do.
        let _ = self.cmds.send(cmd);
    }

    /// Runs `f` on pane `id` (if it has a component), then what it asked of the shell.
    fn with_pane<R>(
        &mut self,
        id: PaneId,
        f: impl FnOnce(&mut dyn Pane, &mut Cx) -> R,
    ) -> Option<R> {
        let mut effects = Vec::new();
        let focused = self.shell.pane;
        let busy = self.shell.overlay.is_some()
            || self
                .panes
                .iter()
                .any(|p| p.id() == focused && p.busy(&self.shell));
        let r = {
            let pane = self.panes.iter_mut().find(|p| p.id() == id)?;
            let mut cx = Cx::new(
                &mut self.shell,
                &self.tz,
                self.page,
                &self.export_dir,
                busy,
                &self.cmds,
                &mut effects,
            );
            f(pane.as_mut(), &mut cx)
        };
        for e in effects {
            match e {
                Effect::Go(p) => self.go(p),
                Effect::Follow(link) => self.follow(link),
            }
        }
        Some(r)
    }

    fn focused<R>(&mut self, f: impl FnOnce(&mut dyn Pane, &mut Cx) -> R) -> Option<R> {
        self.with_pane(self.shell.pane, f)
    }

    /// Shows `link` in the pane that owns it.
    fn follow(&mut self, link: Link) {
        self.with_pane(link.pane(), |p, cx| p.follow(cx, &link));
    }

    /// This process now runs the site services (or not).
    pub fn attach_services(&mut self, services: Option<&Services>) {
        for p in &mut self.panes {
            p.services(services);
        }
    }

    /// Handles one message; true when the screen must be redrawn.
    pub fn handle(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Key(k) => {
                if k.kind != KeyEventKind::Press {
                    return false;
                }
                self.key(k);
                true
            }
            Msg::Resize(_, h) => {
                self.page = (h as usize).saturating_sub(12).max(1);
                true
            }
            Msg::Tick => {
                self.send(Cmd::Poll);
                self.tick_clock()
            }
            Msg::Services(s) => {
                let changed = self.shell.status.services != s;
                self.shell.status.services = s;
                changed
            }
            Msg::Reply(r) => {
                self.reply(r);
                true
            }
            Msg::Paste(text) => {
                if self.shell.overlay.is_none() {
                    self.focused(|p, cx| p.paste(cx, &text));
                }
                true
            }
        }
    }

    fn tick_clock(&mut self) -> bool {
        let now = crate::clock::now_in(&self.tz);
        let clock = self.shell.locale.datetime(&now);
        let changed = clock != self.shell.status.clock;
        self.shell.status.clock = clock;
        changed
    }

    fn reply(&mut self, r: Reply) {
        if let Some(pane) = r.pane() {
            self.with_pane(pane, |p, cx| p.reply(cx, r));
            return;
        }
        match r {
            Reply::Reconnected { docs, service } => {
                let st = &mut self.shell.status;
                st.services = opsdeck_views::state::Runner::SiteService(service);
                st.last_error = None;
                st.notice = Some(self.shell.locale.strings().service_back.to_owned());
                self.reply(Reply::Changed { docs });
            }
            Reply::Changed { docs } => {
                self.shell.search.indexed_docs = docs;
                self.send(Cmd::UnreadCount);
                if let Some(Overlay::Notifications(_)) = self.shell.overlay {
                    self.send(Cmd::LoadNotifications);
                }
                self.focused(|p, cx| p.reload(cx, Reload::Changed));
            }
            Reply::Notifications(rows) => {
                self.shell.status.unread = rows.iter().filter(|r| !r.read).count();
                if let Some(Overlay::Notifications(n)) = &mut self.shell.overlay {
                    n.list.selected = n.list.selected.min(rows.len().saturating_sub(1));
                    n.rows = rows;
                    n.loaded = true;
                }
            }
            Reply::Unread(n) => self.shell.status.unread = n,
            Reply::Tenant(t) => self.tenant_opened(*t),
            Reply::Error(e) => {
                let ids: Vec<PaneId> = self.panes.iter().map(|p| p.id()).collect();
                for id in ids {
                    self.with_pane(id, |p, cx| p.unstick(cx, &e));
                }
                tracing::warn!("{e}");
                self.shell.status.last_error = Some(e);
            }
            // Routed to their pane above.
            Reply::Saved(..)
            | Reply::Failed(..)
            | Reply::Search(_)
            | Reply::Audit(_)
            | Reply::Ledger(_)
            | Reply::Wo(_)
            | Reply::Telemetry(_)
            | Reply::Gas(_) => {}
        }
    }

    /// The worker works on another tenant now: every pane starts over on it.
    fn tenant_opened(&mut self, t: TenantOpened) {
        let keep = (self.shell.locale, self.shell.theme, self.shell.pane);
        let status = std::mem::take(&mut self.shell.status);
        let help = std::mem::take(&mut self.shell.help);
        let warnings = std::mem::take(&mut self.shell.keymap_warnings);
        let tenants = std::mem::take(&mut self.shell.tenants);
        self.shell = Shell::new(keep.0, keep.1);
        self.shell.pane = keep.2;
        self.shell.help = help;
        self.shell.keymap_warnings = warnings;
        self.shell.tenants = tenants;
        self.shell.status = status;
        let st = &mut self.shell.status;
        st.tenant = t.name.clone();
        st.tenant_display = if t.display_name != t.name {
            t.display_name.clone()
        } else {
            String::new()
        };
        st.role = t.role;
        st.unread = 0;
        st.last_error = None;
        st.notice = Some(format!(
            "{}: {}",
            self.shell.locale.strings().tenant_word,
            t.name
        ));
        self.shell.search.indexed_docs = t.docs;
        self.tz = t.tz;
        self.panes = panes::all();
        self.send(Cmd::UnreadCount);
        self.tick_clock();
        self.go(self.shell.pane);
    }

    fn key(&mut self, k: KeyEvent) {
        self.shell.status.notice = None;
        match &mut self.shell.overlay {
            Some(Overlay::Palette(p)) => {
                let mut p = std::mem::take(p);
                let keep = self.palette_key(&mut p, k);
                // The palette may have opened another overlay (`:tenant`): that one stays.
                if matches!(self.shell.overlay, Some(Overlay::Palette(_))) {
                    self.shell.overlay = keep.then_some(Overlay::Palette(p));
                }
                return;
            }
            Some(Overlay::Tenants(t)) => {
                let mut t = std::mem::take(t);
                let keep = self.tenant_key(&mut t, k);
                self.shell.overlay = keep.then_some(Overlay::Tenants(t));
                return;
            }
            Some(Overlay::Help { scroll }) => {
                match k.code {
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::F(1) => {
                        self.shell.overlay = None
                    }
                    KeyCode::Char('j') | KeyCode::Down => *scroll += 1,
                    KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => *scroll += 10,
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    KeyCode::Char('g') | KeyCode::Home => *scroll = 0,
                    KeyCode::Char('G') | KeyCode::End => *scroll = usize::MAX,
                    _ => {}
                }
                // Never scroll past the last binding into an empty box.
                let last = self.shell.help.len() + self.shell.keymap_warnings.len();
                if let Some(Overlay::Help { scroll }) = &mut self.shell.overlay {
                    *scroll = (*scroll).min(last.saturating_sub(self.page));
                }
                return;
            }
            Some(Overlay::Notifications(n)) => {
                let len = n.rows.len();
                match k.code {
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('N') => {
                        self.shell.overlay = None
                    }
                    KeyCode::Char('j') | KeyCode::Down => {
                        n.list.selected = (n.list.selected + 1).min(len.saturating_sub(1))
                    }
                    KeyCode::Char('k') | KeyCode::Up => {
                        n.list.selected = n.list.selected.saturating_sub(1)
                    }
                    KeyCode::Enter | KeyCode::Char('r') => {
                        if let Some(row) = n.rows.get(n.list.selected).filter(|r| !r.read) {
                            let id = row.id;
                            self.send(Cmd::MarkRead(id));
                        }
                    }
                    _ => {}
                }
                return;
            }
            None => {}
        }
        if self.shell.filtering {
            self.filter_key(k);
            return;
        }
        if self.focused(|p, cx| p.key(cx, k)) == Some(true) {
            return;
        }
        self.pending.push(Key::from_event(&k));
        let section = self.shell.pane.section();
        let has_list = self.focused(|p, cx| p.list(cx.shell).is_some()) == Some(true);
        let ctx: &[&str] = if has_list {
            &[section, "list", "global"]
        } else {
            &[section, "global"]
        };
        match self.keymap.resolve(ctx, &self.pending) {
            Resolved::Action(a) => {
                self.pending.clear();
                self.shell.pending_keys.clear();
                self.shell.status.last_error = None;
                self.apply(a);
            }
            Resolved::Pending => {
                self.shell.pending_keys = self
                    .pending
                    .iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            Resolved::None => {
                self.pending.clear();
                self.shell.pending_keys.clear();
            }
        }
    }

    fn filter_key(&mut self, k: KeyEvent) {
        let done = matches!(k.code, KeyCode::Esc | KeyCode::Enter);
        let typed = self.focused(|p, cx| {
            let (list, _) = p.list(cx.shell)?;
            match k.code {
                KeyCode::Esc => {
                    list.filter.clear();
                    cx.shell.filtering = false;
                }
                KeyCode::Enter => cx.shell.filtering = false,
                KeyCode::Backspace => {
                    list.filter.pop();
                    list.selected = 0;
                }
                KeyCode::Up => list.selected = list.selected.saturating_sub(1),
                KeyCode::Down => list.selected += 1,
                KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                    list.filter.push(c);
                    list.selected = 0;
                }
                _ => {}
            }
            // The row count changes with the filter: clamp with the new count.
            if let Some((list, n)) = p.list(cx.shell) {
                list.selected = list.selected.min(n.saturating_sub(1));
            }
            Some(())
        });
        if typed.flatten().is_none() {
            self.shell.filtering = false;
        }
        if done {
            self.focused(|p, cx| p.filtered(cx));
        }
    }

    /// Returns whether the palette stays open.
    fn palette_key(&mut self, p: &mut Palette, k: KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Esc => return false,
            KeyCode::Enter => {
                let input = p.input.trim().to_owned();
                if let Some(q) = input.strip_prefix("search ") {
                    self.follow(Link::Search(q.to_owned()));
                    return false;
                }
                if input == "tenant" || input.starts_with("tenant ") {
                    self.tenant_command(input["tenant".len()..].trim());
                    return false;
                }
                let found = palette::matches(&input);
                if let Some(n) = found.get(p.selected.min(found.len().saturating_sub(1))) {
                    self.apply(n.act);
                } else {
                    self.shell.status.last_error = Some(format!(
                        "{} '{input}'",
                        self.shell.locale.strings().no_command
                    ));
                }
                return false;
            }
            KeyCode::Tab => {
                if let Some(rest) = p.input.strip_prefix("tenant ") {
                    // Completes a tenant's name.
                    let typed = rest.trim();
                    if let Some(t) = self
                        .shell
                        .tenants
                        .iter()
                        .find(|t| t.name.starts_with(typed))
                    {
                        p.input = format!("tenant {}", t.name);
                    }
                } else {
                    let found = palette::matches(&p.input);
                    if let Some(n) = found.get(p.selected) {
                        p.input = n.name.to_owned();
                        p.selected = 0;
                    }
                }
            }
            KeyCode::Up => p.selected = p.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => p.selected = p.selected.saturating_sub(1),
            KeyCode::Down => p.selected += 1,
            KeyCode::Char('n') if ctrl => p.selected += 1,
            KeyCode::Backspace => {
                p.input.pop();
                p.selected = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                p.input.push(c);
                p.selected = 0;
            }
            _ => {}
        }
        let n = palette::matches(&p.input).len();
        p.selected = p.selected.min(n.saturating_sub(1));
        true
    }

    /// `:tenant NAME` switches; `:tenant` alone lists the tenants to pick from.
    fn tenant_command(&mut self, name: &str) {
        if name.is_empty() {
            self.open_tenant_picker();
            return;
        }
        match self.shell.tenants.iter().find(|t| t.name == name) {
            Some(t) if t.name == self.shell.status.tenant => {}
            Some(t) => {
                let n = t.name.clone();
                self.shell.status.notice =
                    Some(format!("{} {n}…", self.shell.locale.strings().opening));
                self.send(Cmd::Tenant(n));
            }
            None => {
                let names: Vec<&str> = self.shell.tenants.iter().map(|t| t.name.as_str()).collect();
                self.shell.status.last_error = Some(format!(
                    "{} '{name}' ({})",
                    self.shell.locale.strings().no_tenant,
                    names.join(", ")
                ));
            }
        }
    }

    fn open_tenant_picker(&mut self) {
        let current = self
            .shell
            .tenants
            .iter()
            .position(|t| t.name == self.shell.status.tenant)
            .unwrap_or(0);
        let mut t = TenantPicker {
            rows: self.shell.tenants.clone(),
            current: self.shell.status.tenant.clone(),
            ..TenantPicker::default()
        };
        t.list.selected = current;
        self.shell.overlay = Some(Overlay::Tenants(t));
    }

    /// Keys of the tenant picker; returns whether it stays open.
    fn tenant_key(&mut self, t: &mut TenantPicker, k: KeyEvent) -> bool {
        let n = t.rows.len();
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') => return false,
            KeyCode::Char('j') | KeyCode::Down => {
                t.list.selected = (t.list.selected + 1).min(n.saturating_sub(1))
            }
            KeyCode::Char('k') | KeyCode::Up => t.list.selected = t.list.selected.saturating_sub(1),
            KeyCode::Enter => {
                if let Some(row) = t.rows.get(t.list.selected) {
                    let name = row.name.clone();
                    self.tenant_command(&name);
                }
                return false;
            }
            _ => {}
        }
        true
    }

    /// Focuses `pane`; it loads what it shows.
    fn go(&mut self, pane: PaneId) {
        self.shell.pane = pane;
        self.shell.filtering = false;
        self.with_pane(pane, |p, cx| p.reload(cx, Reload::Shown));
    }

    pub fn apply(&mut self, a: Action) {
        match a {
            Action::Quit => self.quit = true,
            Action::Help => {
                self.rebuild_help();
                self.shell.overlay = Some(Overlay::Help { scroll: 0 })
            }
            Action::Palette => self.shell.overlay = Some(Overlay::Palette(Palette::default())),
            Action::Tenant => self.open_tenant_picker(),
            Action::Filter => {
                self.shell.filtering = self.focused(|p, cx| p.filterable(cx.shell)) == Some(true);
            }
            Action::Notifications => {
                self.shell.overlay = Some(Overlay::Notifications(Default::default()));
                self.send(Cmd::LoadNotifications);
            }
            Action::Back => {
                // The pane's own Esc first (a page, a large view), unless a filter is typed on
                // its list: Esc clears that first.
                let filtered = self
                    .focused(|p, cx| p.list(cx.shell).is_some_and(|(l, _)| !l.filter.is_empty()))
                    == Some(true);
                let pane_back = !filtered && self.focused(|p, cx| p.back(cx)) == Some(true);
                if !pane_back && filtered {
                    self.focused(|p, cx| {
                        if let Some((l, _)) = p.list(cx.shell) {
                            l.filter.clear();
                        }
                    });
                }
                self.shell.status.last_error = None;
            }
            Action::PaneNext => self.go(self.shell.pane.next()),
            Action::PanePrev => self.go(self.shell.pane.prev()),
            Action::Pane(p) => self.go(p),
            Action::Refresh => {
                self.focused(|p, cx| p.reload(cx, Reload::Shown));
            }
            Action::ToggleLanguage => {
                self.shell.locale = match self.shell.locale {
                    Locale::PtBr => Locale::En,
                    Locale::En => Locale::PtBr,
                };
                self.send(Cmd::SetLocale(self.shell.locale));
                self.tick_clock();
                self.rebuild_help();
                self.focused(|p, cx| p.reload(cx, Reload::Shown));
            }
            other => {
                // A pane's own action focuses it first (from the palette, or a global key).
                if let Some(pane) = other.pane()
                    && pane != self.shell.pane
                {
                    self.go(pane);
                }
                if self.focused(|p, cx| p.act(cx, other)) != Some(true) {
                    self.list_action(other);
                }
            }
        }
    }

    /// What no pane took: moves in the focused list, or a word that it does nothing here.
    fn list_action(&mut self, a: Action) {
        let page = self.page;
        let moved = self.focused(|p, cx| {
            let (l, n) = p.list(cx.shell)?;
            l.selected = match a {
                Action::Up => l.selected.saturating_sub(1),
                Action::Down => l.selected + 1,
                Action::Top => 0,
                Action::Bottom => usize::MAX,
                Action::PageUp => l.selected.saturating_sub(page),
                Action::PageDown => l.selected.saturating_add(page),
                _ => return None,
            };
            l.selected = l.selected.min(n.saturating_sub(1));
            Some(())
        });
        if moved.flatten().is_none() && matches!(a, Action::New | Action::Edit) {
            self.shell.status.notice = Some(format!(
                "{}: {}",
                a.name(),
                self.shell.locale.strings().nothing_to_edit
            ));
        }
    }

    /// The help overlay's rows, from the bindings in effect: the focused pane's first, then the
    /// lists', then the rest.
    pub fn rebuild_help(&mut self) {
        let focused = self.shell.pane.section();
        let mut sections: Vec<&str> = vec![focused, "list", "global"];
        for s in opsdeck_views::keymap::SECTIONS {
            if !sections.contains(s) {
                sections.push(s);
            }
        }
        let mut rows = Vec::new();
        for section in sections {
            for b in self.keymap.section(section) {
                rows.push(HelpRow {
                    section: section.to_owned(),
                    keys: b
                        .on
                        .iter()
                        .map(Key::to_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                    action: b.action,
                    desc: b.desc.clone(),
                });
            }
        }
        self.shell.help = rows;
    }
}
