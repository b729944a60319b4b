//! The ledger ("Orçamento Vivo"): the source of truth for money. Budget lines say what is
//! planned per month x cost center x category; entries, immutable and posted once per source
//! key, say what is committed, realized and saved. Panes post through the outbox (`posting`),
//! the consumer writes entries (`consumer`, `post`), closed months are sealed (`periods`).

pub mod budget;
pub mod centers;
pub mod consumer;
pub mod gas;
pub mod grid;
pub mod manual;
pub mod periods;
pub mod post;
pub mod posting;

use opsdeck_storage::records::user::Role;
use opsdeck_storage::refusal::Msg;

use crate::domain::service::Guarded;

/// The actor the consumer and the ledger's jobs write as.
pub const ACTOR: &str = "ledger";

/// What a ledger call asks to do, for the role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerAction {
    View,
    Post,
    Budget,
    Close,
    Configure,
}

impl Guarded for LedgerAction {
    fn name(self) -> &'static str {
        match self {
            LedgerAction::View => "ledger.view",
            LedgerAction::Post => "ledger.post",
            LedgerAction::Budget => "ledger.budget",
            LedgerAction::Close => "ledger.close",
            LedgerAction::Configure => "ledger.configure",
        }
    }

    fn what(self) -> Msg {
        match self {
            LedgerAction::View => Msg::LedgerView,
            LedgerAction::Post => Msg::LedgerPost,
            LedgerAction::Budget => Msg::LedgerBudget,
            LedgerAction::Close => Msg::LedgerClose,
            LedgerAction::Configure => Msg::LedgerConfigure,
        }
    }

    fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            // The maintenance manager sees where the money goes; operators key data, not money.
            LedgerAction::View => matches!(role, Supervisor | Finance | Auditor | Admin),
            _ => matches!(role, Finance | Admin),
        }
    }

    fn ask(self) -> Msg {
        Msg::AskAdmin
    }

    fn suggested_role(self) -> Role {
        Role::Finance
    }
}
