//! What the Work-orders pane's own keys ask for, with the names keymap.toml and the palette use
//! and what help says of each. Which record an act works on depends on the view.

use serde::{Deserialize, Serialize};

use crate::named::Named;

/// What the Work-orders pane's own keys ask for; which record it acts on depends on the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WoAct {
    Orders,
    Assets,
    Plans,
    Inventory,
    Kpis,
    NextView,
    /// Cycle the order list's status filter.
    StatusFilter,
    /// Cycle the order list's type filter.
    TypeFilter,
    /// Only overdue orders, or all again.
    Overdue,
    /// The filter form (status, type, asset, assignee, overdue).
    FilterForm,
    /// Start an open order or resume one on hold.
    Start,
    Hold,
    /// Complete (done), with a note; may resolve the alert it came from.
    Done,
    Cancel,
    Part,
    Labor,
    Service,
    Note,
    Estimate,
    Attach,
    /// Asset down now, or back up.
    Down,
    /// Answer the selected checklist item, or pause/resume the selected plan.
    Toggle,
    /// Orders or KPIs: write the XLSX and CSV; assets: the QR label sheet.
    Export,
    Receive,
    Adjust,
    /// Show the asset's QR code large.
    Qr,
}

pub const ACTIONS: &[Named<WoAct>] = &[
    Named {
        name: "wo.orders",
        act: WoAct::Orders,
        en: "Work orders: order list",
        pt: "OS: lista de ordens",
    },
    Named {
        name: "wo.assets",
        act: WoAct::Assets,
        en: "Work orders: assets",
        pt: "OS: ativos",
    },
    Named {
        name: "wo.plans",
        act: WoAct::Plans,
        en: "Work orders: preventive plans",
        pt: "OS: planos preventivos",
    },
    Named {
        name: "wo.inventory",
        act: WoAct::Inventory,
        en: "Work orders: inventory",
        pt: "OS: estoque",
    },
    Named {
        name: "wo.kpis",
        act: WoAct::Kpis,
        en: "Work orders: KPIs (backlog, PM compliance, MTTR/MTBF, cost)",
        pt: "OS: indicadores (backlog, PMOC em dia, MTTR/MTBF, custo)",
    },
    Named {
        name: "wo.view",
        act: WoAct::NextView,
        en: "Work orders: next view",
        pt: "OS: próxima vista",
    },
    Named {
        name: "wo.status",
        act: WoAct::StatusFilter,
        en: "Orders: next status filter",
        pt: "Ordens: próximo filtro de status",
    },
    Named {
        name: "wo.type",
        act: WoAct::TypeFilter,
        en: "Orders: next type filter",
        pt: "Ordens: próximo filtro de tipo",
    },
    Named {
        name: "wo.overdue",
        act: WoAct::Overdue,
        en: "Orders: only overdue, or all",
        pt: "Ordens: só as atrasadas, ou todas",
    },
    Named {
        name: "wo.filter",
        act: WoAct::FilterForm,
        en: "Orders: filter by status, type, asset, assignee",
        pt: "Ordens: filtrar por status, tipo, ativo, responsável",
    },
    Named {
        name: "wo.start",
        act: WoAct::Start,
        en: "Order: start it, or resume it from hold",
        pt: "OS: iniciar, ou retomar da espera",
    },
    Named {
        name: "wo.hold",
        act: WoAct::Hold,
        en: "Order: put on hold, with what it waits for",
        pt: "OS: pôr em espera, com o motivo",
    },
    Named {
        name: "wo.done",
        act: WoAct::Done,
        en: "Order: complete it (may resolve its alert)",
        pt: "OS: concluir (pode resolver o alerta de origem)",
    },
    Named {
        name: "wo.cancel",
        act: WoAct::Cancel,
        en: "Order: cancel it, with why",
        pt: "OS: cancelar, com o motivo",
    },
    Named {
        name: "wo.part",
        act: WoAct::Part,
        en: "Order: issue a part from stock",
        pt: "OS: baixar uma peça do estoque",
    },
    Named {
        name: "wo.labor",
        act: WoAct::Labor,
        en: "Order: book labor hours",
        pt: "OS: lançar horas de mão de obra",
    },
    Named {
        name: "wo.service",
        act: WoAct::Service,
        en: "Order: book a bought service",
        pt: "OS: lançar um serviço contratado",
    },
    Named {
        name: "wo.estimate",
        act: WoAct::Estimate,
        en: "Order: set its cost estimate (committed in the ledger when it starts)",
        pt: "OS: definir a estimativa de custo (comprometida no orçamento ao iniciar)",
    },
    Named {
        name: "wo.note",
        act: WoAct::Note,
        en: "Order: add a note",
        pt: "OS: adicionar uma nota",
    },
    Named {
        name: "wo.attach",
        act: WoAct::Attach,
        en: "Order: attach a file as evidence",
        pt: "OS: anexar um arquivo como evidência",
    },
    Named {
        name: "wo.down",
        act: WoAct::Down,
        en: "Order: the asset is down now, or back up",
        pt: "OS: ativo parado agora, ou de volta",
    },
    Named {
        name: "wo.toggle",
        act: WoAct::Toggle,
        en: "Answer the checklist item; pause or resume the plan",
        pt: "Responder o item do checklist; pausar/retomar o plano",
    },
    Named {
        name: "wo.export",
        act: WoAct::Export,
        en: "Export the orders and cost per asset (XLSX, CSV), or asset labels",
        pt: "Exportar ordens e custo por ativo (XLSX, CSV), ou etiquetas dos ativos",
    },
    Named {
        name: "wo.receive",
        act: WoAct::Receive,
        en: "Inventory: receive stock",
        pt: "Estoque: dar entrada",
    },
    Named {
        name: "wo.adjust",
        act: WoAct::Adjust,
        en: "Inventory: adjust stock after a count",
        pt: "Estoque: ajustar após contagem",
    },
    Named {
        name: "wo.qr",
        act: WoAct::Qr,
        en: "Asset: show its QR code large",
        pt: "Ativo: QR code grande",
    },
];
