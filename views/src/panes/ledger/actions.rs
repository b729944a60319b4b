//! What the Ledger pane's own keys ask for, with the names keymap.toml and the palette use and
//! what help says of each.

use serde::{Deserialize, Serialize};

use crate::named::Named;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LedgerAct {
    Prev,
    Next,
    Size,
    Toggle,
    ColumnLeft,
    ColumnRight,
    Readiness,
    Close,
    Savings,
    Adjust,
    Budget,
    Export,
}

pub const ACTIONS: &[Named<LedgerAct>] = &[
    Named {
        name: "ledger.prev",
        act: LedgerAct::Prev,
        en: "Ledger: previous period",
        pt: "Orçamento: período anterior",
    },
    Named {
        name: "ledger.next",
        act: LedgerAct::Next,
        en: "Ledger: next period",
        pt: "Orçamento: próximo período",
    },
    Named {
        name: "ledger.size",
        act: LedgerAct::Size,
        en: "Ledger: period size (month, quarter, year, year to date)",
        pt: "Orçamento: tamanho do período (mês, trimestre, ano, acumulado no ano)",
    },
    Named {
        name: "ledger.toggle",
        act: LedgerAct::Toggle,
        en: "Ledger: expand or collapse the cost center",
        pt: "Orçamento: expandir ou recolher o centro de custo",
    },
    Named {
        name: "ledger.column_left",
        act: LedgerAct::ColumnLeft,
        en: "Ledger: previous category",
        pt: "Orçamento: categoria anterior",
    },
    Named {
        name: "ledger.column_right",
        act: LedgerAct::ColumnRight,
        en: "Ledger: next category",
        pt: "Orçamento: próxima categoria",
    },
    Named {
        name: "ledger.readiness",
        act: LedgerAct::Readiness,
        en: "Ledger: what is still open before the month closes",
        pt: "Orçamento: pendências antes de fechar o mês",
    },
    Named {
        name: "ledger.close",
        act: LedgerAct::Close,
        en: "Ledger: close the month (seals its totals)",
        pt: "Orçamento: fechar o mês (sela os totais)",
    },
    Named {
        name: "ledger.savings",
        act: LedgerAct::Savings,
        en: "Ledger: record a saving",
        pt: "Orçamento: registrar um saving",
    },
    Named {
        name: "ledger.adjust",
        act: LedgerAct::Adjust,
        en: "Ledger: post an adjustment (corrects a closed month)",
        pt: "Orçamento: lançar um ajuste (corrige um mês fechado)",
    },
    Named {
        name: "ledger.budget",
        act: LedgerAct::Budget,
        en: "Ledger: set the planned amount of the cell",
        pt: "Orçamento: definir o planejado da célula",
    },
    Named {
        name: "ledger.export",
        act: LedgerAct::Export,
        en: "Ledger: write the period's XLSX (grid with formulas, entries)",
        pt: "Orçamento: gravar o XLSX do período (grade com fórmulas, lançamentos)",
    },
];
