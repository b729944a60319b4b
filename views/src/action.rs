//! The vocabulary of things a user can ask for. Every action has a stable name, used in
//! keymap.toml and the command palette, and a description shown in help (English and
//! Portuguese). The shell's actions are listed here; each pane lists its own in its folder
//! (`panes/<pane>/actions.rs`) and is registered below with one variant and one table.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;
use crate::named::Named;
pub use crate::panes::gas::actions::GasAct;
pub use crate::panes::ledger::actions::LedgerAct;
pub use crate::panes::telemetry::actions::TmAct;
pub use crate::panes::wo::actions::WoAct;

use crate::panes::gas::actions as gas;
use crate::panes::ledger::actions as ledger;
use crate::panes::telemetry::actions as telemetry;
use crate::panes::wo::actions as wo;
use crate::state::pane_id::PaneId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Action {
    Quit,
    Help,
    Palette,
    Tenant,
    Filter,
    Search,
    Back,
    PaneNext,
    PanePrev,
    Pane(PaneId),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    New,
    Edit,
    Refresh,
    AuditVerify,
    ToggleLanguage,
    Notifications,
    Wo(WoAct),
    Telemetry(TmAct),
    Gas(GasAct),
    Ledger(LedgerAct),
}

const SHELL: &[Named<Action>] = &[
    Named {
        name: "quit",
        act: Action::Quit,
        en: "Quit opsdeck",
        pt: "Sair do opsdeck",
    },
    Named {
        name: "help",
        act: Action::Help,
        en: "Show the key bindings in effect",
        pt: "Mostrar as teclas em uso",
    },
    Named {
        name: "palette",
        act: Action::Palette,
        en: "Open the command palette",
        pt: "Paleta de comandos",
    },
    Named {
        name: "tenant",
        act: Action::Tenant,
        en: "Switch to another tenant of the site",
        pt: "Trocar para outro tenant do site",
    },
    Named {
        name: "filter",
        act: Action::Filter,
        en: "Filter the focused list",
        pt: "Filtrar a lista em foco",
    },
    Named {
        name: "search",
        act: Action::Search,
        en: "Global search over every record",
        pt: "Busca global em todos os registros",
    },
    Named {
        name: "back",
        act: Action::Back,
        en: "Close, cancel or go back",
        pt: "Fechar, cancelar ou voltar",
    },
    Named {
        name: "pane.next",
        act: Action::PaneNext,
        en: "Next pane",
        pt: "Próximo painel",
    },
    Named {
        name: "pane.prev",
        act: Action::PanePrev,
        en: "Previous pane",
        pt: "Painel anterior",
    },
    Named {
        name: "pane.work_orders",
        act: Action::Pane(PaneId::WorkOrders),
        en: "Go to Work orders",
        pt: "Ir para Ordens de serviço",
    },
    Named {
        name: "pane.telemetry",
        act: Action::Pane(PaneId::Telemetry),
        en: "Go to Telemetry",
        pt: "Ir para Telemetria",
    },
    Named {
        name: "pane.ledger",
        act: Action::Pane(PaneId::Ledger),
        en: "Go to Ledger",
        pt: "Ir para Orçamento",
    },
    Named {
        name: "pane.gas",
        act: Action::Pane(PaneId::Gas),
        en: "Go to Gas",
        pt: "Ir para Gás",
    },
    Named {
        name: "pane.fuel",
        act: Action::Pane(PaneId::Fuel),
        en: "Go to Fuel",
        pt: "Ir para Frota",
    },
    Named {
        name: "pane.sales",
        act: Action::Pane(PaneId::Sales),
        en: "Go to Sales",
        pt: "Ir para Vendas",
    },
    Named {
        name: "pane.search",
        act: Action::Pane(PaneId::Search),
        en: "Go to Search",
        pt: "Ir para Busca",
    },
    Named {
        name: "pane.audit",
        act: Action::Pane(PaneId::Audit),
        en: "Go to Audit",
        pt: "Ir para Auditoria",
    },
    Named {
        name: "list.up",
        act: Action::Up,
        en: "Move up",
        pt: "Subir",
    },
    Named {
        name: "list.down",
        act: Action::Down,
        en: "Move down",
        pt: "Descer",
    },
    Named {
        name: "list.top",
        act: Action::Top,
        en: "Go to top",
        pt: "Ir ao início",
    },
    Named {
        name: "list.bottom",
        act: Action::Bottom,
        en: "Go to bottom",
        pt: "Ir ao fim",
    },
    Named {
        name: "list.page_up",
        act: Action::PageUp,
        en: "Page up",
        pt: "Página acima",
    },
    Named {
        name: "list.page_down",
        act: Action::PageDown,
        en: "Page down",
        pt: "Página abaixo",
    },
    Named {
        name: "open",
        act: Action::Open,
        en: "Open the selected item",
        pt: "Abrir o item selecionado",
    },
    Named {
        name: "new",
        act: Action::New,
        en: "New item",
        pt: "Novo item",
    },
    Named {
        name: "edit",
        act: Action::Edit,
        en: "Edit the selected item",
        pt: "Editar o item selecionado",
    },
    Named {
        name: "refresh",
        act: Action::Refresh,
        en: "Reload the pane from the database",
        pt: "Recarregar o painel",
    },
    Named {
        name: "audit.verify",
        act: Action::AuditVerify,
        en: "Verify the audit chain and its seal",
        pt: "Verificar a cadeia de auditoria e o selo",
    },
    Named {
        name: "ui.language",
        act: Action::ToggleLanguage,
        en: "Switch between Português and English",
        pt: "Alternar Português / English",
    },
    Named {
        name: "notifications",
        act: Action::Notifications,
        en: "Your notifications (missing gas entries ...)",
        pt: "Suas notificações (lançamentos de gás em falta ...)",
    },
];

/// Every action: the shell's, then each pane's. The palette lists them in this order.
pub fn all() -> impl Iterator<Item = Named<Action>> {
    SHELL
        .iter()
        .copied()
        .chain(wo::ACTIONS.iter().map(|n| n.map(|a| Action::Wo(*a))))
        .chain(
            telemetry::ACTIONS
                .iter()
                .map(|n| n.map(|a| Action::Telemetry(*a))),
        )
        .chain(gas::ACTIONS.iter().map(|n| n.map(|a| Action::Gas(*a))))
        .chain(
            ledger::ACTIONS
                .iter()
                .map(|n| n.map(|a| Action::Ledger(*a))),
        )
}

impl Action {
    fn named(self) -> Option<Named<Action>> {
        all().find(|n| n.act == self)
    }

    pub fn name(self) -> &'static str {
        self.named().map_or("?", |n| n.name)
    }

    pub fn from_name(name: &str) -> Option<Action> {
        all().find(|n| n.name == name).map(|n| n.act)
    }

    /// What help says of it, in English (keymap.toml's `desc` texts are English too).
    pub fn description(self) -> &'static str {
        self.named().map_or("", |n| n.en)
    }

    /// What help says of it in the UI language.
    pub fn help(self, locale: Locale) -> &'static str {
        match locale {
            Locale::PtBr => self.named().map_or("", |n| n.pt),
            Locale::En => self.description(),
        }
    }

    /// The pane an action belongs to: the shell focuses it before the pane acts.
    pub fn pane(self) -> Option<PaneId> {
        match self {
            Action::Wo(_) => Some(PaneId::WorkOrders),
            Action::Telemetry(_) => Some(PaneId::Telemetry),
            Action::Gas(_) => Some(PaneId::Gas),
            Action::Ledger(_) => Some(PaneId::Ledger),
            Action::AuditVerify => Some(PaneId::Audit),
            Action::Search => Some(PaneId::Search),
            _ => None,
        }
    }
}

impl TryFrom<String> for Action {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Action::from_name(&s).ok_or_else(|| format!("unknown action '{s}'"))
    }
}

impl From<Action> for String {
    fn from(a: Action) -> String {
        a.name().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_unique_name_that_round_trips_and_both_descriptions() {
        let mut names: Vec<_> = all().map(|n| n.name).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "action names are unique");
        for n in all() {
            assert_eq!(Action::from_name(n.name), Some(n.act));
            assert_eq!(n.act.name(), n.name);
            assert!(
                !n.en.is_empty() && !n.pt.is_empty(),
                "{} has both descriptions",
                n.name
            );
        }
    }
}
