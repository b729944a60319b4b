//! A pane is a component: it owns what it knows beyond what it shows, turns keys and actions
//! into changes of its view state (`Shell`'s part for it) and commands to the worker, and takes
//! the worker's replies. The shell dispatches through this trait and knows no pane's insides.

use std::path::Path;

use crossbeam_channel::Sender;
use opsdeck_views::Action;
use opsdeck_views::state::{ListView, PaneId, Shell};
use ratatui::crossterm::event::KeyEvent;

use super::link::Link;
use super::protocol::{Cmd, Reply};
use crate::site::services::Services;

/// Why a pane loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// It is shown, or the user asked: load now.
    Shown,
    /// Something was committed somewhere (any process): load if what it shows may have changed.
    Changed,
}

/// What a pane gets for one call: the screen's state, the worker, and the shell's services.
pub struct Cx<'a> {
    pub shell: &'a mut Shell,
    pub tz: &'a jiff::tz::TimeZone,
    /// Rows on one page of the focused list (PgUp/PgDn), from the terminal's height.
    pub page: usize,
    /// Where exports from the console go: the directory it was started in, like the CLI's.
    pub export_dir: &'a Path,
    /// The user is in the middle of something (an overlay, the focused pane's form or prompt):
    /// an answer arriving now must not move them elsewhere.
    pub busy: bool,
    cmds: &'a Sender<Cmd>,
    effects: &'a mut Vec<Effect>,
}

/// What a pane asks of the shell, done once the pane's call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Go(PaneId),
    Follow(Link),
}

impl<'a> Cx<'a> {
    pub fn new(
        shell: &'a mut Shell,
        tz: &'a jiff::tz::TimeZone,
        page: usize,
        export_dir: &'a Path,
        busy: bool,
        cmds: &'a Sender<Cmd>,
        effects: &'a mut Vec<Effect>,
    ) -> Cx<'a> {
        Cx {
            shell,
            tz,
            page,
            export_dir,
            busy,
            cmds,
            effects,
        }
    }

    pub fn send(&self, cmd: Cmd) {
        // The worker only stops when the console does.
        let _ = self.cmds.send(cmd);
    }

    /// A short-lived confirmation on the status line.
    pub fn notice(&mut self, text: impl Into<String>) {
        self.shell.status.notice = Some(text.into());
    }

    /// An error on the status line (until the next action).
    pub fn error(&mut self, text: impl Into<String>) {
        self.shell.status.last_error = Some(text.into());
    }

    /// Focus another pane (it loads what it shows).
    pub fn go(&mut self, pane: PaneId) {
        self.effects.push(Effect::Go(pane));
    }

    /// Ask the pane that owns `link` to show it.
    pub fn follow(&mut self, link: Link) {
        self.effects.push(Effect::Follow(link));
    }
}

pub trait Pane {
    fn id(&self) -> PaneId;

    /// Keys for what the pane has open (a form, a prompt, typing), before the keymap: true when
    /// taken, so that typing "c" in a note never completes an order.
    fn key(&mut self, _cx: &mut Cx, _k: KeyEvent) -> bool {
        false
    }

    /// An action for this pane: its own, or one the shell offers first (open, new, edit,
    /// page up/down ...). False leaves it to the shell (list moves) or to nobody.
    fn act(&mut self, cx: &mut Cx, a: Action) -> bool;

    /// A reply of the worker addressed to this pane.
    fn reply(&mut self, cx: &mut Cx, r: Reply);

    /// Load what the pane shows.
    fn reload(&mut self, cx: &mut Cx, why: Reload);

    /// Esc: leave a page or a large view; false when there is nothing to go back from.
    fn back(&mut self, _cx: &mut Cx) -> bool {
        false
    }

    /// Text pasted into the terminal at once (bracketed paste).
    fn paste(&mut self, _cx: &mut Cx, _text: &str) {}

    /// Show what another pane asks for (see `Link`); false when the pane has no such thing.
    fn follow(&mut self, _cx: &mut Cx, _link: &Link) -> bool {
        false
    }

    /// The worker failed a command (a bug caught, a database error): stop waiting for an
    /// answer that will not come.
    fn unstick(&mut self, _cx: &mut Cx, _error: &str) {}

    /// A form or prompt is open: the shell does not move the user away from it.
    fn busy(&self, _shell: &Shell) -> bool {
        false
    }

    /// This process started or stopped running the site services.
    fn services(&mut self, _services: Option<&Services>) {}

    /// The list the user moves in and filters, and how many rows it shows after the filter.
    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)>;

    /// The `/` filter was set (Enter) or cleared (Esc): a pane that shows a page of a longer
    /// list asks for what matches.
    fn filtered(&mut self, _cx: &mut Cx) {}

    /// Whether `/` filters what is shown (some lists, like a month's days, have nothing to
    /// filter).
    fn filterable(&self, shell: &mut Shell) -> bool {
        self.list(shell).is_some()
    }
}
