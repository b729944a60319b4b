//! Every word of the Work-orders pane, in Portuguese (the default) and English: the words for the
//! stable codes the view model carries, column heads, labels and key hints. A missing
//! translation is a compile error.

use crate::i18n::Locale;
use crate::state::wo::{KINDS, PRIORITIES, STATUSES, StatusFilter};

pub struct WoText {
    /// View names in tab order (orders, assets, plans, inventory, KPIs).
    pub views: [&'static str; 5],
    pub read_only: &'static str,

    // Words for codes, indexed as the code lists in state::wo.
    /// As `STATUSES`.
    pub statuses: [&'static str; 5],
    /// As `StatusFilter::ALL`.
    pub status_filters: [&'static str; 7],
    /// The active filter spelled out, when there is room.
    pub active_means: &'static str,
    /// As `KINDS`.
    pub kinds: [&'static str; 4],
    pub kinds_short: [&'static str; 4],
    /// As `PRIORITIES`.
    pub priorities: [&'static str; 4],
    /// low, medium, high, critical.
    pub criticalities: [&'static str; 4],
    /// Asset kinds the console knows; others show their code with spaces.
    pub asset_kinds: &'static [(&'static str, &'static str)],
    /// receive, issue, return, adjust.
    pub move_kinds: [&'static str; 4],

    // Orders
    /// Id, priority, status, type, asset, title, assignee, due, checklist, cost.
    pub order_cols: [&'static str; 10],
    pub orders_title: &'static str,
    pub kpi_backlog: &'static str,
    pub kpi_overdue: &'static str,
    pub kpi_pm: &'static str,
    pub kpi_below: &'static str,
    pub kpi_cost: &'static str,
    pub kpi_overdue_short: &'static str,
    pub kpi_pm_short: &'static str,
    pub kpi_below_short: &'static str,
    pub showing: &'static str,
    pub kind_label: &'static str,
    pub asset_label: &'static str,
    pub assignee_label: &'static str,
    pub unassigned: &'static str,
    pub overdue_only: &'static str,
    pub orders_empty: &'static str,
    pub orders_none: &'static str,
    pub filter_keys: &'static str,

    // Key words for hints (the key goes before each).
    pub k_open: &'static str,
    pub k_new: &'static str,
    pub k_edit: &'static str,
    pub k_export: &'static str,
    pub k_start: &'static str,
    pub k_resume: &'static str,
    pub k_hold: &'static str,
    pub k_done: &'static str,
    pub k_cancel: &'static str,
    pub k_answer: &'static str,
    pub k_part: &'static str,
    pub k_labor: &'static str,
    pub k_service: &'static str,
    pub k_note: &'static str,
    pub k_attach: &'static str,
    pub k_down: &'static str,
    pub k_up: &'static str,
    pub k_back: &'static str,
    pub k_qr: &'static str,
    pub k_labels: &'static str,
    pub k_pause: &'static str,
    pub k_receive: &'static str,
    pub k_adjust: &'static str,
    pub k_views: &'static str,
    /// The space bar, as hints name it.
    pub space: &'static str,

    // Order page
    pub f_priority: &'static str,
    pub f_asset: &'static str,
    pub f_assignee: &'static str,
    pub f_due: &'static str,
    pub f_created: &'static str,
    pub f_alert: &'static str,
    pub f_plan: &'static str,
    pub f_procedure: &'static str,
    pub overdue: &'static str,
    pub checklist: &'static str,
    pub answered: &'static str,
    pub required_legend: &'static str,
    pub no_checklist: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub na: &'static str,
    pub pending: &'static str,
    pub costs: &'static str,
    pub parts: &'static str,
    pub labor: &'static str,
    pub services: &'static str,
    pub total: &'static str,
    pub no_costs: &'static str,
    pub evidence: &'static str,
    pub downtime: &'static str,
    pub down_now: &'static str,
    pub notes: &'static str,
    pub history: &'static str,
    pub record_title: &'static str,
    pub more_below: &'static str,
    pub more_above: &'static str,

    // Assets
    /// Tag, name, type, criticality, open orders, sensors, state.
    pub asset_cols: [&'static str; 7],
    pub assets_title: &'static str,
    pub down: &'static str,
    pub inactive: &'static str,
    pub assets_empty: &'static str,
    pub assets_none: &'static str,

    // Asset page
    pub f_criticality: &'static str,
    pub f_location: &'static str,
    pub f_make: &'static str,
    pub serial: &'static str,
    pub f_installed: &'static str,
    pub f_notes: &'static str,
    pub f_cost: &'static str,
    pub f_downtime: &'static str,
    pub f_reliability: &'static str,
    pub sensors: &'static str,
    pub no_sensors: &'static str,
    pub no_readings: &'static str,
    pub since: &'static str,
    pub open_orders: &'static str,
    pub past_orders: &'static str,
    pub no_orders: &'static str,
    /// Id, priority, status, type, title, assignee, due, when, cost (asset page's orders).
    pub when_col: &'static str,
    pub orders_of: &'static str,
    pub k_open_order: &'static str,
    pub k_new_order: &'static str,
    pub qr_title: &'static str,
    pub qr_no_room: &'static str,
    pub qr_none: &'static str,
    pub qr_ascii: &'static str,

    // Plans
    /// Code, name, schedule, assets, next, state.
    pub plan_cols: [&'static str; 6],
    pub plans_title: &'static str,
    pub plan_active: &'static str,
    pub plan_paused: &'static str,
    pub assets_count: &'static str,
    pub outlook: &'static str,
    pub generated: &'static str,
    pub still_open: &'static str,
    pub plans_empty: &'static str,
    pub plans_none: &'static str,

    // Inventory
    /// Code, name, on hand, min, (mark), unit cost, value, locations.
    pub item_cols: [&'static str; 8],
    pub items_title: &'static str,
    pub below_min: &'static str,
    pub below_min_short: &'static str,
    pub moves: &'static str,
    /// At, kind, qty, location, order, by, note.
    pub move_cols: [&'static str; 7],
    pub no_moves: &'static str,
    pub items_empty: &'static str,
    pub items_none: &'static str,

    // KPIs
    pub backlog_sub: &'static str,
    pub overdue_sub: &'static str,
    pub pm_sub: &'static str,
    pub cost_sub: &'static str,
    pub none_due: &'static str,
    pub items_below: &'static str,
    /// Asset, name, failures, MTTR, MTBF, downtime, cost this month.
    pub kpi_cols: [&'static str; 7],
    pub reliability_title: &'static str,
    pub window: &'static str,
    pub kpi_rows_empty: &'static str,
}

pub fn text(locale: Locale) -> &'static WoText {
    match locale {
        Locale::PtBr => &PT_BR,
        Locale::En => &EN,
    }
}

impl WoText {
    pub fn status(&self, code: &str) -> String {
        word(&STATUSES, &self.statuses, code)
    }

    pub fn status_filter(&self, f: StatusFilter) -> &'static str {
        let i = StatusFilter::ALL.iter().position(|s| *s == f).unwrap_or(0);
        self.status_filters.get(i).copied().unwrap_or("")
    }

    pub fn kind(&self, code: &str) -> String {
        word(&KINDS, &self.kinds, code)
    }

    pub fn kind_short(&self, code: &str) -> String {
        word(&KINDS, &self.kinds_short, code)
    }

    pub fn priority(&self, code: &str) -> String {
        word(&PRIORITIES, &self.priorities, code)
    }

    pub fn criticality(&self, code: &str) -> String {
        word(&CRITICALITIES, &self.criticalities, code)
    }

    pub fn asset_kind(&self, code: &str) -> String {
        self.asset_kinds
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| code.replace('_', " "), |(_, w)| (*w).to_owned())
    }

    pub fn move_kind(&self, code: &str) -> String {
        word(&MOVE_KINDS, &self.move_kinds, code)
    }
}

pub const CRITICALITIES: [&str; 4] = ["low", "medium", "high", "critical"];
pub const MOVE_KINDS: [&str; 4] = ["receive", "issue", "return", "adjust"];

/// The word for `code` among `codes`; an unknown code shows as it came, so nothing is hidden.
fn word(codes: &[&str], words: &[&'static str], code: &str) -> String {
    codes
        .iter()
        .position(|c| *c == code)
        .and_then(|i| words.get(i))
        .map_or_else(|| code.to_owned(), |w| (*w).to_owned())
}

pub const PT_BR: WoText = WoText {
    views: ["Ordens", "Ativos", "Planos", "Estoque", "Indicadores"],
    read_only: "somente leitura",

    statuses: [
        "aberta",
        "em andamento",
        "em espera",
        "concluída",
        "cancelada",
    ],
    active_means: "ativas (abertas, em andamento, em espera)",
    status_filters: [
        "ativas",
        "abertas",
        "em andamento",
        "em espera",
        "concluídas",
        "canceladas",
        "todas",
    ],
    kinds: ["corretiva", "preventiva", "preditiva", "solicitação"],
    kinds_short: ["corr.", "prev.", "pred.", "solic."],
    priorities: ["baixa", "média", "alta", "urgente"],
    criticalities: ["baixa", "média", "alta", "crítica"],
    asset_kinds: &[
        ("chiller", "chiller"),
        ("ahu", "UTA"),
        ("fan_coil", "fan coil"),
        ("split", "split"),
        ("vrf", "VRF"),
        ("cold_room", "câmara fria"),
        ("pump", "bomba"),
        ("cooling_tower", "torre de resfr."),
        ("boiler", "caldeira"),
        ("exhaust_fan", "exaustor"),
        ("other", "outro"),
    ],
    move_kinds: ["entrada", "saída", "devolução", "ajuste"],

    order_cols: [
        "OS",
        "Prior.",
        "Status",
        "Tipo",
        "Ativo",
        "Título",
        "Responsável",
        "Prazo",
        "Itens",
        "Custo",
    ],
    orders_title: "Ordens",
    kpi_backlog: "Backlog",
    kpi_overdue: "Atrasadas",
    kpi_pm: "PMOC no mês",
    kpi_below: "Itens abaixo do mínimo",
    kpi_cost: "Custo no mês",
    kpi_overdue_short: "Atras.",
    kpi_pm_short: "PMOC",
    kpi_below_short: "Abaixo mín.",
    showing: "Mostrando",
    kind_label: "tipo",
    asset_label: "ativo",
    assignee_label: "responsável",
    unassigned: "sem responsável",
    overdue_only: "só atrasadas",
    orders_empty: "Nenhuma ordem com estes filtros. s status · t tipo · O atrasadas · f filtro · / texto",
    orders_none: "Nenhuma ordem ainda. n abre uma nova.",
    filter_keys: "s status · t tipo · O atrasadas · f filtro",

    k_open: "abre",
    k_new: "nova",
    k_edit: "editar",
    k_export: "exportar",
    k_start: "iniciar",
    k_resume: "retomar",
    k_hold: "em espera",
    k_done: "concluir",
    k_cancel: "cancelar",
    k_answer: "responder",
    k_part: "peça",
    k_labor: "horas",
    k_service: "serviço",
    k_note: "nota",
    k_attach: "anexo",
    k_down: "parado",
    k_up: "voltou",
    k_back: "volta",
    k_qr: "QR grande",
    k_labels: "etiquetas",
    k_pause: "pausar/retomar",
    k_receive: "entrada",
    k_adjust: "ajuste",
    k_views: "vistas",
    space: "espaço",

    f_priority: "Prioridade",
    f_asset: "Ativo",
    f_assignee: "Responsável",
    f_due: "Prazo",
    f_created: "Criada",
    f_alert: "Alerta",
    f_plan: "Plano",
    f_procedure: "Procedimento",
    overdue: "atrasada",
    checklist: "Checklist",
    answered: "respondidos",
    required_legend: "* obrigatório",
    no_checklist: "sem checklist",
    pass: "conforme",
    fail: "não conforme",
    na: "n/a",
    pending: "pendente",
    costs: "Custos",
    parts: "Peças",
    labor: "Mão de obra",
    services: "Serviços",
    total: "Total",
    no_costs: "nenhum custo lançado",
    evidence: "Evidências",
    downtime: "Paradas",
    down_now: "ATIVO PARADO",
    notes: "Notas",
    history: "Histórico",
    record_title: "Custos · evidências · histórico",
    more_below: "PgDn mais",
    more_above: "PgUp",

    asset_cols: [
        "Tag",
        "Nome",
        "Tipo",
        "Criticidade",
        "OS",
        "Sensores",
        "Estado",
    ],
    assets_title: "Ativos",
    down: "PARADO",
    inactive: "inativo",
    assets_empty: "Nenhum ativo com este filtro.",
    assets_none: "Nenhum ativo cadastrado. Importe com: opsdeck asset import ARQUIVO",

    f_criticality: "Criticidade",
    f_location: "Local",
    f_make: "Fabricante",
    serial: "série",
    f_installed: "Instalado",
    f_notes: "Notas",
    f_cost: "Custo total",
    f_downtime: "Parado",
    f_reliability: "Confiabilidade",
    sensors: "Sensores",
    no_sensors: "nenhum sensor",
    no_readings: "sem leituras",
    since: "desde",
    open_orders: "Abertas",
    past_orders: "Encerradas",
    no_orders: "nenhuma ordem para este ativo",
    when_col: "Quando",
    orders_of: "Ordens",
    k_open_order: "abre a OS",
    k_new_order: "nova OS",
    qr_title: "QR",
    qr_no_room: "O QR code não cabe nesta janela: aumente o terminal.",
    qr_none: "sem QR code",
    qr_ascii: "Q mostra o QR code grande",

    plan_cols: ["Código", "Nome", "Agenda", "Ativos", "Próxima", "Estado"],
    plans_title: "Planos preventivos",
    plan_active: "ativo",
    plan_paused: "pausado",
    assets_count: "ativos",
    outlook: "Próximas por ativo",
    generated: "geradas",
    still_open: "abertas",
    plans_empty: "Nenhum plano com este filtro.",
    plans_none: "Nenhum plano preventivo. Importe com: opsdeck pm import ARQUIVO",

    item_cols: [
        "Código",
        "Item",
        "Saldo",
        "Mín.",
        "",
        "Custo un.",
        "Valor",
        "Locais",
    ],
    items_title: "Estoque",
    below_min: "ABAIXO DO MÍNIMO",
    below_min_short: "ABAIXO MÍN.",
    moves: "Movimentos",
    move_cols: ["Quando", "Tipo", "Qtd.", "Local", "OS", "Por", "Nota"],
    no_moves: "sem movimentos",
    items_empty: "Nenhum item com este filtro.",
    items_none: "Nenhum item no estoque. Importe com: opsdeck stock import ARQUIVO",

    backlog_sub: "ordens ativas",
    overdue_sub: "com prazo vencido",
    pm_sub: "feitas no prazo",
    cost_sub: "custo no mês",
    none_due: "nada previsto",
    items_below: "itens do estoque abaixo do mínimo",
    kpi_cols: [
        "Ativo",
        "Nome",
        "Falhas",
        "MTTR",
        "MTBF",
        "Parado",
        "Custo no mês",
    ],
    reliability_title: "Confiabilidade e custo por ativo",
    window: "janela",
    kpi_rows_empty: "Nenhuma falha nem custo no período.",
};

pub const EN: WoText = WoText {
    views: ["Orders", "Assets", "Plans", "Inventory", "KPIs"],
    read_only: "read only",

    statuses: ["open", "in progress", "on hold", "done", "cancelled"],
    active_means: "active (open, in progress, on hold)",
    status_filters: [
        "active",
        "open",
        "in progress",
        "on hold",
        "done",
        "cancelled",
        "all",
    ],
    kinds: ["corrective", "preventive", "predictive", "request"],
    kinds_short: ["corr.", "prev.", "pred.", "req."],
    priorities: ["low", "medium", "high", "urgent"],
    criticalities: ["low", "medium", "high", "critical"],
    asset_kinds: &[
        ("chiller", "chiller"),
        ("ahu", "AHU"),
        ("fan_coil", "fan coil"),
        ("split", "split"),
        ("vrf", "VRF"),
        ("cold_room", "cold room"),
        ("pump", "pump"),
        ("cooling_tower", "cooling tower"),
        ("boiler", "boiler"),
        ("exhaust_fan", "exhaust fan"),
        ("other", "other"),
    ],
    move_kinds: ["receive", "issue", "return", "adjust"],

    order_cols: [
        "WO", "Priority", "Status", "Type", "Asset", "Title", "Assignee", "Due", "Items", "Cost",
    ],
    orders_title: "Orders",
    kpi_backlog: "Backlog",
    kpi_overdue: "Overdue",
    kpi_pm: "PM this month",
    kpi_below: "Items below minimum",
    kpi_cost: "Cost this month",
    kpi_overdue_short: "Overdue",
    kpi_pm_short: "PM",
    kpi_below_short: "Below min.",
    showing: "Showing",
    kind_label: "type",
    asset_label: "asset",
    assignee_label: "assignee",
    unassigned: "unassigned",
    overdue_only: "overdue only",
    orders_empty: "No orders with these filters. s status · t type · O overdue · f filter · / text",
    orders_none: "No orders yet. n opens a new one.",
    filter_keys: "s status · t type · O overdue · f filter",

    k_open: "open",
    k_new: "new",
    k_edit: "edit",
    k_export: "export",
    k_start: "start",
    k_resume: "resume",
    k_hold: "hold",
    k_done: "complete",
    k_cancel: "cancel",
    k_answer: "answer",
    k_part: "part",
    k_labor: "labor",
    k_service: "service",
    k_note: "note",
    k_attach: "attach",
    k_down: "down",
    k_up: "back up",
    k_back: "back",
    k_qr: "large QR",
    k_labels: "labels",
    k_pause: "pause/resume",
    k_receive: "receive",
    k_adjust: "adjust",
    k_views: "views",
    space: "space",

    f_priority: "Priority",
    f_asset: "Asset",
    f_assignee: "Assignee",
    f_due: "Due",
    f_created: "Created",
    f_alert: "Alert",
    f_plan: "Plan",
    f_procedure: "Procedure",
    overdue: "overdue",
    checklist: "Checklist",
    answered: "answered",
    required_legend: "* required",
    no_checklist: "no checklist",
    pass: "pass",
    fail: "fail",
    na: "n/a",
    pending: "pending",
    costs: "Costs",
    parts: "Parts",
    labor: "Labor",
    services: "Services",
    total: "Total",
    no_costs: "nothing booked",
    evidence: "Evidence",
    downtime: "Downtime",
    down_now: "ASSET DOWN",
    notes: "Notes",
    history: "History",
    record_title: "Costs · evidence · history",
    more_below: "PgDn more",
    more_above: "PgUp",

    asset_cols: [
        "Tag",
        "Name",
        "Type",
        "Criticality",
        "WOs",
        "Sensors",
        "State",
    ],
    assets_title: "Assets",
    down: "DOWN",
    inactive: "inactive",
    assets_empty: "No assets match this filter.",
    assets_none: "No assets yet. Import them with: opsdeck asset import FILE",

    f_criticality: "Criticality",
    f_location: "Location",
    f_make: "Make",
    serial: "serial",
    f_installed: "Installed",
    f_notes: "Notes",
    f_cost: "Total cost",
    f_downtime: "Downtime",
    f_reliability: "Reliability",
    sensors: "Sensors",
    no_sensors: "no sensors",
    no_readings: "no readings",
    since: "since",
    open_orders: "Open",
    past_orders: "Closed",
    no_orders: "no orders for this asset",
    when_col: "When",
    orders_of: "Orders",
    k_open_order: "open the order",
    k_new_order: "new order",
    qr_title: "QR",
    qr_no_room: "The QR code does not fit this window: make the terminal larger.",
    qr_none: "no QR code",
    qr_ascii: "Q shows the QR code large",

    plan_cols: ["Code", "Name", "Schedule", "Assets", "Next", "State"],
    plans_title: "Preventive plans",
    plan_active: "active",
    plan_paused: "paused",
    assets_count: "assets",
    outlook: "Next per asset",
    generated: "generated",
    still_open: "open",
    plans_empty: "No plans match this filter.",
    plans_none: "No preventive plans. Import them with: opsdeck pm import FILE",

    item_cols: [
        "Code",
        "Item",
        "On hand",
        "Min.",
        "",
        "Unit cost",
        "Value",
        "Locations",
    ],
    items_title: "Inventory",
    below_min: "BELOW MINIMUM",
    below_min_short: "BELOW MIN.",
    moves: "Movements",
    move_cols: ["When", "Kind", "Qty", "Location", "WO", "By", "Note"],
    no_moves: "no movements",
    items_empty: "No items match this filter.",
    items_none: "No stock items. Import them with: opsdeck stock import FILE",

    backlog_sub: "active orders",
    overdue_sub: "past due date",
    pm_sub: "done on time",
    cost_sub: "cost this month",
    none_due: "none due",
    items_below: "stock items below minimum",
    kpi_cols: [
        "Asset",
        "Name",
        "Failures",
        "MTTR",
        "MTBF",
        "Downtime",
        "Cost this month",
    ],
    reliability_title: "Reliability and cost per asset",
    window: "window",
    kpi_rows_empty: "No failures or costs in the period.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_words_and_unknown_codes_show_as_they_came() {
        assert_eq!(PT_BR.status("in_progress"), "em andamento");
        assert_eq!(EN.kind("request"), "request");
        assert_eq!(PT_BR.priority("urgent"), "urgente");
        assert_eq!(PT_BR.criticality("critical"), "crítica");
        assert_eq!(PT_BR.asset_kind("cold_room"), "câmara fria");
        assert_eq!(EN.asset_kind("heat_pump"), "heat pump");
        assert_eq!(PT_BR.status("weird"), "weird");
        assert_eq!(PT_BR.status_filter(StatusFilter::All), "todas");
    }
}
