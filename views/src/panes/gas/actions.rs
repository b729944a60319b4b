//! What the Gas pane's own keys ask for, with the names keymap.toml and the palette use and what
//! help says of each.

use serde::{Deserialize, Serialize};

use crate::named::Named;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GasAct {
    Entry,
    Month,
    Plans,
    Report,
    Export,
    Admin,
    NextView,
    NextUnit,
    PrevUnit,
    Prev,
    Next,
    Today,
    Approve,
    ApproveMonth,
    Qdr,
}

pub const ACTIONS: &[Named<GasAct>] = &[
    Named {
        name: "gas.entry",
        act: GasAct::Entry,
        en: "Gas: the day's entry of the unit",
        pt: "Gás: lançamento do dia da unidade",
    },
    Named {
        name: "gas.month",
        act: GasAct::Month,
        en: "Gas: month grid and chart",
        pt: "Gás: grade e gráfico do mês",
    },
    Named {
        name: "gas.plans",
        act: GasAct::Plans,
        en: "Gas: plans (QDP) of the month",
        pt: "Gás: programação (QDP) do mês",
    },
    Named {
        name: "gas.report",
        act: GasAct::Report,
        en: "Gas: Petrobras report preview",
        pt: "Gás: prévia do relatório Petrobras",
    },
    Named {
        name: "gas.export",
        act: GasAct::Export,
        en: "Gas: write the month's Petrobras XLSX",
        pt: "Gás: gravar o XLSX Petrobras do mês",
    },
    Named {
        name: "gas.admin",
        act: GasAct::Admin,
        en: "Gas: equipment rates and contracts",
        pt: "Gás: taxas dos equipamentos e contratos",
    },
    Named {
        name: "gas.view",
        act: GasAct::NextView,
        en: "Gas: next view (entry, month, plans, report, admin)",
        pt: "Gás: próxima vista (lançamento, mês, programação, relatório, admin)",
    },
    Named {
        name: "gas.unit",
        act: GasAct::NextUnit,
        en: "Gas: next unit",
        pt: "Gás: próxima unidade",
    },
    Named {
        name: "gas.unit_prev",
        act: GasAct::PrevUnit,
        en: "Gas: previous unit",
        pt: "Gás: unidade anterior",
    },
    Named {
        name: "gas.prev",
        act: GasAct::Prev,
        en: "Gas: previous day or month",
        pt: "Gás: dia ou mês anterior",
    },
    Named {
        name: "gas.next",
        act: GasAct::Next,
        en: "Gas: next day or month",
        pt: "Gás: próximo dia ou mês",
    },
    Named {
        name: "gas.today",
        act: GasAct::Today,
        en: "Gas: back to today",
        pt: "Gás: voltar para hoje",
    },
    Named {
        name: "gas.approve",
        act: GasAct::Approve,
        en: "Gas: approve the selected day's plan",
        pt: "Gás: aprovar a programação do dia selecionado",
    },
    Named {
        name: "gas.approve_month",
        act: GasAct::ApproveMonth,
        en: "Gas: approve every plan of the unit's month",
        pt: "Gás: aprovar toda a programação do mês da unidade",
    },
    Named {
        name: "gas.qdr",
        act: GasAct::Qdr,
        en: "Gas: key the selected day's real consumption (QDR) by hand",
        pt: "Gás: digitar o consumo real (QDR) do dia selecionado",
    },
];
