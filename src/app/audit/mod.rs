//! The Audit pane: the newest entries of the tamper-evident trail, and its verification (`v`).

mod load;
pub mod protocol;

pub use load::serve;

use opsdeck_views::Action;
use opsdeck_views::state::audit::VerifyState;
use opsdeck_views::state::{ListView, PaneId, Shell};

use super::link::Link;
use super::pane::{Cx, Pane, Reload};
use super::protocol::{Cmd, Reply};
use protocol::{AuditCmd, AuditReply};

#[derive(Debug, Default)]
pub struct Audit {
    /// After following a link to an entry: select it once the trail is loaded.
    focus_seq: Option<u64>,
    /// Showing the page around this entry (a link to an old one), until Esc.
    around: Option<u64>,
}

impl Audit {
    fn load(&self, cx: &mut Cx) {
        let filter = cx.shell.audit.list.filter.clone();
        cx.send(Cmd::Audit(AuditCmd::Load {
            filter,
            around: self.around,
        }));
    }
}

impl Pane for Audit {
    fn id(&self) -> PaneId {
        PaneId::Audit
    }

    fn act(&mut self, cx: &mut Cx, a: Action) -> bool {
        match a {
            Action::AuditVerify => {
                cx.shell.audit.verify = Some(VerifyState::Running);
                cx.send(Cmd::Audit(AuditCmd::Verify));
                true
            }
            _ => false,
        }
    }

    fn reply(&mut self, cx: &mut Cx, r: Reply) {
        let a = &mut cx.shell.audit;
        match r {
            Reply::Audit(AuditReply::Loaded { rows, total }) => {
                a.rows = rows;
                a.total = total;
                if let Some(seq) = self.focus_seq.take() {
                    a.list.filter.clear();
                    a.list.selected = a.rows.iter().position(|r| r.seq == seq).unwrap_or(0);
                }
                let n = a.visible().len();
                a.list.selected = a.list.selected.min(n.saturating_sub(1));
            }
            Reply::Audit(AuditReply::Verified(v)) => a.verify = Some(v),
            _ => {}
        }
    }

    fn reload(&mut self, cx: &mut Cx, _why: Reload) {
        self.load(cx);
    }

    fn filtered(&mut self, cx: &mut Cx) {
        self.around = None;
        self.load(cx);
    }

    fn back(&mut self, cx: &mut Cx) -> bool {
        if self.around.take().is_some() {
            self.load(cx);
            return true;
        }
        false
    }

    fn follow(&mut self, cx: &mut Cx, link: &Link) -> bool {
        let Link::AuditEntry(seq) = link else {
            return false;
        };
        self.focus_seq = Some(*seq);
        self.around = Some(*seq);
        cx.shell.audit.list.filter.clear();
        cx.go(PaneId::Audit);
        true
    }

    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)> {
        let n = shell.audit.visible().len();
        Some((&mut shell.audit.list, n))
    }
}
