//! UI strings in Portuguese (pt-BR, the default) and English, and locale formatting of numbers,
//! money and dates.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "pt-BR")]
    PtBr,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// "pt-BR", "pt_BR.UTF-8", "en_US.UTF-8", "en" ... ; anything else is pt-BR.
    pub fn parse(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("en") {
            Locale::En
        } else {
            Locale::PtBr
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::En => "en",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::PtBr => &PT_BR,
            Locale::En => &EN,
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Locale::PtBr => ('.', ','),
            Locale::En => (',', '.'),
        }
    }

    /// 1234.5 -> "1.234,50" (pt-BR) / "1,234.50" (en), rounded half away from zero.
    pub fn number(self, value: Decimal, places: u32) -> String {
        let (group, point) = self.separators();
        let v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        let s = format!("{:.*}", places as usize, v.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        if v.is_sign_negative() && !v.is_zero() {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// A measured value with `places` decimals in the locale: 12.4 -> "12,4" / "12.4". Not a
    /// finite number -> "—".
    pub fn float(self, value: f64, places: u32) -> String {
        if !value.is_finite() {
            return "—".to_owned();
        }
        match Decimal::try_from(value) {
            Ok(d) => self.number(d, places),
            Err(_) => format!("{value:.0e}"),
        }
    }

    /// A sensor reading with as many decimals as its size needs: 2 below 10, 1 below 1000, then
    /// none ("3,25", "12,4", "1.013").
    pub fn reading(self, value: f64) -> String {
        let a = value.abs();
        let places = if a < 10.0 {
            2
        } else if a < 1000.0 {
            1
        } else {
            0
        };
        self.float(value, places)
    }

    /// A count with thousands separators: 12.345 / 12,345.
    pub fn count(self, n: u64) -> String {
        self.number(Decimal::from(n), 0)
    }

    /// A quantity with the decimals it has: 1.50 -> "1,5" (pt-BR), "1.5" (en); 1200 -> "1.200".
    pub fn quantity(self, value: Decimal) -> String {
        let v = value.normalize();
        self.number(v, v.scale())
    }

    /// Brazilian reais in either language: "R$ 1.234,56" / "R$ 1,234.56".
    pub fn money(self, value: Decimal) -> String {
        let n = self.number(value.abs(), 2);
        if value.is_sign_negative() && !value.is_zero() {
            format!("-R$ {n}")
        } else {
            format!("R$ {n}")
        }
    }

    /// The Portuguese or the English text, for the one-off words a pane keeps beside its code.
    pub fn tr(self, pt: &'static str, en: &'static str) -> &'static str {
        match self {
            Locale::PtBr => pt,
            Locale::En => en,
        }
    }

    /// "novembro de 2026" / "November 2026": the month of `d`.
    pub fn month_year(self, d: jiff::civil::Date) -> String {
        const PT: [&str; 12] = [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let m = (d.month() as usize).clamp(1, 12) - 1;
        match self {
            Locale::PtBr => format!("{} de {}", PT[m], d.year()),
            Locale::En => format!("{} {}", EN[m], d.year()),
        }
    }

    /// dd/mm/aaaa (pt-BR) or yyyy-mm-dd (en).
    pub fn date(self, d: jiff::civil::Date) -> String {
        match self {
            Locale::PtBr => d.strftime("%d/%m/%Y").to_string(),
            Locale::En => d.strftime("%Y-%m-%d").to_string(),
        }
    }

    /// A zoned instant as date, time and zone abbreviation.
    pub fn datetime(self, z: &jiff::Zoned) -> String {
        format!("{} {}", self.date(z.date()), z.strftime("%H:%M %Z"))
    }

    pub fn datetime_secs(self, z: &jiff::Zoned) -> String {
        format!("{} {}", self.date(z.date()), z.strftime("%H:%M:%S"))
    }
}

/// A duration as people say it, the same in both languages: "45 min", "6 h 27 min", "2 d 4 h".
pub fn span(d: jiff::SignedDuration) -> String {
    let mins = d.as_secs().max(0) / 60;
    let (days, hours, mins) = (mins / 1440, mins / 60 % 24, mins % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} d {h} h"),
    }
}

/// Every user-facing string of the shell. A missing translation is a compile error.
pub struct Strings {
    pub pane_names: [&'static str; 8],
    /// What each domain pane arrives with (index as `pane_names`; Search and Audit unused).
    pub arrives_with: [&'static str; 8],
    pub arrives_prefix: &'static str,
    pub too_small: &'static str,
    pub help_title: &'static str,
    pub help_footer: &'static str,
    pub palette_title: &'static str,
    pub palette_hint: &'static str,
    pub filter_prompt: &'static str,
    pub search_prompt: &'static str,
    pub search_hint: &'static str,
    pub search_hint_idle: &'static str,
    pub search_empty: &'static str,
    pub search_none: &'static str,
    pub search_count: &'static str,
    pub search_indexed: &'static str,
    pub audit_title: &'static str,
    pub audit_hint: &'static str,
    pub audit_cols: [&'static str; 5],
    pub audit_empty: &'static str,
    pub verify_running: &'static str,
    pub verify_ok: &'static str,
    pub entries: &'static str,
    pub verify_broken: &'static str,
    pub verify_failed: &'static str,
    pub services: &'static str,
    pub services_short: &'static str,
    pub no_role: &'static str,
    pub error: &'static str,
    pub detail: &'static str,
    pub keymap_problems: &'static str,
    pub tel_devices: &'static str,
    pub tel_alerts: &'static str,
    pub tel_rules: &'static str,
    /// "3 abertos" / "1 aberto" (after the count).
    pub tel_open_one: &'static str,
    pub tel_open_many: &'static str,
    /// Health words, index as `Health` (critical, warning, info, stale, ok).
    pub health: [&'static str; 5],
    /// Alert states, index as `AlertState` (open, acknowledged, resolved).
    pub alert_states: [&'static str; 3],
    /// Marker of a device registered by its first reading and not yet confirmed.
    pub tel_new: &'static str,
    pub device_cols: [&'static str; 7],
    pub devices_empty: &'static str,
    pub devices_hint: &'static str,
    pub loading: &'static str,
    pub alert_cols: [&'static str; 6],
    pub alerts_empty: &'static str,
    pub alerts_hint: &'static str,
    pub acked: &'static str,
    pub not_acked: &'static str,
    pub resolved: &'static str,
    pub rule_cols: [&'static str; 6],
    pub rules_empty: &'static str,
    pub rules_hint: &'static str,
    pub firing: &'static str,
    pub rule_on: &'static str,
    pub rule_off: &'static str,
    pub asset: &'static str,
    pub window: &'static str,
    pub metrics: &'static str,
    /// Metric, last, min, avg, max.
    pub metric_cols: [&'static str; 5],
    pub no_points: &'static str,
    pub no_series: &'static str,
    pub device_rules: &'static str,
    pub device_no_rules: &'static str,
    pub device_hint: &'static str,
    pub form_hint: &'static str,
    pub form_hint_ascii: &'static str,
    pub discard_question: &'static str,
    pub prompt_hint: &'static str,
    // Filled in by the app (src/app/telemetry*.rs).
    pub readings_per_min: &'static str,
    pub last_reading: &'static str,
    pub no_readings_yet: &'static str,
    pub reopened: &'static str,
    pub auto: &'static str,
    pub ingest_label: &'static str,
    pub mqtt_label: &'static str,
    pub new_rule: &'static str,
    pub edit_rule: &'static str,
    pub edit_device: &'static str,
    pub resolve_alert: &'static str,
    pub delete_rule: &'static str,
    pub not_a_number: &'static str,
    pub yes_no: [&'static str; 2],
    /// Labels of the rule form, in the order of `RULE_FIELD_KEYS`.
    pub rule_field_labels: [&'static str; 16],
    pub device_name_label: &'static str,
    pub device_asset_label: &'static str,
    pub unit_of: &'static str,
    pub alert_acked: &'static str,
    pub alert_resolved: &'static str,
    pub rule_saved: &'static str,
    pub rule_deleted: &'static str,
    pub rule_enabled: &'static str,
    pub rule_disabled: &'static str,
    pub device_saved: &'static str,
    pub already_handled: &'static str,
}

/// The rule form's field keys (the TOML keys of a rule), in display order.
pub const RULE_FIELD_KEYS: [&str; 16] = [
    "name",
    "devices",
    "kind",
    "metric",
    "direction",
    "limit",
    "min",
    "max",
    "max_change",
    "window_secs",
    "minutes",
    "for_secs",
    "hysteresis",
    "severity",
    "enabled",
    "note",
];

pub static PT_BR: Strings = Strings {
    pane_names: [
        "Ordens",
        "Telemetria",
        "Orçamento",
        "Gás",
        "Frota",
        "Vendas",
        "Busca",
        "Auditoria",
    ],
    arrives_with: [
        "o módulo de manutenção (CMMS): ativos, ordens de serviço, planos preventivos, estoque, evidências e custos",
        "a ingestão de telemetria: leituras MQTT e HTTP assinadas, regras, alertas e gráficos ao vivo",
        "o orçamento vivo: planejado, comprometido, realizado e economia por período",
        "o relatório de consumo de gás: lançamentos diários, QDS/QDP/QDR, faixas contratuais e planilha Petrobras",
        "o controle de combustível da frota: abastecimentos, limites, regras de fraude e conciliação de notas",
        "a análise de vendas imobiliárias: importação CVCRM/CVDW, vendas por mês, empreendimento, corretor e VSO",
        "",
        "",
    ],
    arrives_prefix: "Chega com",
    too_small: "Terminal pequeno demais: aumente para pelo menos 80x24",
    help_title: "Ajuda — teclas em uso",
    help_footer: "j/k rolar · esc fechar",
    palette_title: "Comandos",
    palette_hint: "tab completa · enter executa · search <texto> busca",
    filter_prompt: "Filtro",
    search_prompt: "Busca",
    search_hint: "digite para buscar · enter/esc sai",
    search_hint_idle: "s ou ctrl-f para buscar",
    search_empty: "Busque em todos os registros deste tenant: pessoas, papéis, trilha de auditoria…",
    search_none: "Nada encontrado para",
    search_count: "resultados para",
    search_indexed: "documentos indexados",
    audit_title: "Trilha de auditoria",
    audit_hint: "v verifica a cadeia · / filtra",
    audit_cols: ["#", "Quando", "Quem", "Ação", "Registro"],
    audit_empty: "Nenhum registro de auditoria ainda",
    verify_running: "Verificando a cadeia…",
    verify_ok: "Cadeia íntegra e selo válido",
    entries: "registros verificados",
    verify_broken: "CADEIA ROMPIDA na entrada",
    verify_failed: "Verificação falhou",
    services: "serviços",
    services_short: "serv",
    no_role: "sem papel",
    error: "erro",
    detail: "Detalhe",
    keymap_problems: "Problemas no keymap (os padrões continuam valendo)",
    tel_devices: "Dispositivos",
    tel_alerts: "Alertas",
    tel_rules: "Regras",
    tel_open_one: "aberto",
    tel_open_many: "abertos",
    health: ["crítico", "aviso", "info", "sem sinal", "ok"],
    alert_states: ["aberto", "reconhecido", "resolvido"],
    tel_new: "novo",
    device_cols: [
        "Estado",
        "Dispositivo",
        "Nome",
        "Métrica",
        "Valor",
        "Há",
        "Última hora",
    ],
    devices_empty: "Nenhum dispositivo ainda: leituras chegam por POST /ingest ou MQTT opsdeck/<tenant>/devices/<id>/telemetry",
    devices_hint: "enter abre · v vista · / filtra",
    loading: "carregando…",
    alert_cols: [
        "Severidade",
        "Estado",
        "Dispositivo",
        "Regra",
        "Desde",
        "Mensagem",
    ],
    alerts_empty: "Nenhum alerta: quando uma regra disparar, ele aparece aqui",
    alerts_hint: "a reconhece · x resolve · / filtra",
    acked: "Reconhecido",
    not_acked: "Ainda não reconhecido",
    resolved: "Resolvido",
    rule_cols: [
        "",
        "Regra",
        "Dispositivos",
        "Severidade",
        "Condição",
        "Disparando",
    ],
    rules_empty: "Nenhuma regra: n cria uma, ou importe com opsdeck rules import <arquivo.toml>",
    rules_hint: "n nova · e edita · espaço liga/desliga · D apaga",
    firing: "disparando",
    rule_on: "ativa",
    rule_off: "desativada",
    asset: "ativo",
    window: "janela",
    metrics: "Métricas",
    metric_cols: ["Métrica", "Últ.", "Mín", "Méd", "Máx"],
    no_points: "Sem leituras nesta janela",
    no_series: "Nenhuma métrica recebida ainda",
    device_rules: "Regras aplicáveis",
    device_no_rules: "Nenhuma regra se aplica a este dispositivo",
    device_hint: "w janela · m métrica · esc volta",
    form_hint: "↑↓ campo · ←→ opção · enter salvar · esc cancelar",
    form_hint_ascii: "cima/baixo campo · esq/dir opção · enter salvar · esc cancelar",
    discard_question: "Descartar as alterações? s = sim · n = não",
    prompt_hint: "enter confirma · esc cancela",
    readings_per_min: "leituras/min",
    last_reading: "último dado há",
    no_readings_yet: "nenhuma leitura ainda",
    reopened: "reaberto",
    auto: "automático",
    ingest_label: "ingest",
    mqtt_label: "MQTT",
    new_rule: "Nova regra",
    edit_rule: "Editar regra",
    edit_device: "Editar dispositivo",
    resolve_alert: "Resolver alerta {id}: o que foi feito ou encontrado?",
    delete_rule: "Excluir a regra '{name}'? enter exclui · esc cancela",
    not_a_number: "não é um número",
    yes_no: ["sim", "não"],
    rule_field_labels: [
        "Nome",
        "Dispositivos",
        "Tipo",
        "Métrica",
        "Direção",
        "Limite",
        "Mínimo",
        "Máximo",
        "Variação máx.",
        "Janela (s)",
        "Minutos sem dado",
        "Duração mín. (s)",
        "Histerese",
        "Severidade",
        "Ativa",
        "Nota",
    ],
    device_name_label: "Nome",
    device_asset_label: "Ativo (tag)",
    unit_of: "Unidade de",
    alert_acked: "Alerta reconhecido",
    alert_resolved: "Alerta resolvido",
    rule_saved: "Regra salva",
    rule_deleted: "Regra excluída",
    rule_enabled: "Regra ativada",
    rule_disabled: "Regra desativada",
    device_saved: "Dispositivo salvo",
    already_handled: "Este alerta já foi tratado",
};

pub static EN: Strings = Strings {
    pane_names: [
        "Work orders",
        "Telemetry",
        "Ledger",
        "Gas",
        "Fuel",
        "Sales",
        "Search",
        "Audit",
    ],
    arrives_with: [
        "the maintenance (CMMS) capability: assets, work orders, preventive plans, inventory, evidence and cost",
        "telemetry ingest: signed MQTT and HTTP readings, rules, alerts and live charts",
        "the live budget: planned, committed, realized and savings per period",
        "the gas consumption report: daily entries, QDS/QDP/QDR, contract bands and the Petrobras sheet",
        "fleet fuel control: fuel logs, limits, fraud rules and invoice reconciliation",
        "real-estate sales analytics: CVCRM/CVDW import, sales by month, development, broker and VSO",
        "",
        "",
    ],
    arrives_prefix: "Arrives with",
    too_small: "Terminal too small: resize to at least 80x24",
    help_title: "Help — keys in effect",
    help_footer: "j/k scroll · esc close",
    palette_title: "Commands",
    palette_hint: "tab completes · enter runs · search <text> searches",
    filter_prompt: "Filter",
    search_prompt: "Search",
    search_hint: "type to search · enter/esc leave",
    search_hint_idle: "s or ctrl-f to search",
    search_empty: "Search every record of this tenant: people, roles, the audit trail…",
    search_none: "Nothing found for",
    search_count: "results for",
    search_indexed: "documents indexed",
    audit_title: "Audit trail",
    audit_hint: "v verifies the chain · / filters",
    audit_cols: ["#", "When", "Who", "Action", "Record"],
    audit_empty: "No audit entries yet",
    verify_running: "Verifying the chain…",
    verify_ok: "Chain intact and seal valid",
    entries: "entries verified",
    verify_broken: "CHAIN BROKEN at entry",
    verify_failed: "Verification failed",
    services: "services",
    services_short: "svc",
    no_role: "no role",
    error: "error",
    detail: "Detail",
    keymap_problems: "Keymap problems (the defaults still apply)",
    tel_devices: "Devices",
    tel_alerts: "Alerts",
    tel_rules: "Rules",
    tel_open_one: "open",
    tel_open_many: "open",
    health: ["critical", "warning", "info", "stale", "ok"],
    alert_states: ["open", "acknowledged", "resolved"],
    tel_new: "new",
    device_cols: [
        "Status",
        "Device",
        "Name",
        "Metric",
        "Value",
        "Age",
        "Last hour",
    ],
    devices_empty: "No devices yet: readings arrive by POST /ingest or MQTT opsdeck/<tenant>/devices/<id>/telemetry",
    devices_hint: "enter opens · v view · / filters",
    loading: "loading…",
    alert_cols: ["Severity", "State", "Device", "Rule", "Raised", "Message"],
    alerts_empty: "No alerts: when a rule fires, it shows here",
    alerts_hint: "a acknowledges · x resolves · / filters",
    acked: "Acknowledged",
    not_acked: "Not acknowledged yet",
    resolved: "Resolved",
    rule_cols: ["", "Rule", "Devices", "Severity", "Condition", "Firing"],
    rules_empty: "No rules: n creates one, or import them with opsdeck rules import <file.toml>",
    rules_hint: "n new · e edit · space on/off · D delete",
    firing: "firing",
    rule_on: "enabled",
    rule_off: "disabled",
    asset: "asset",
    window: "window",
    metrics: "Metrics",
    metric_cols: ["Metric", "Last", "Min", "Avg", "Max"],
    no_points: "No readings in this window",
    no_series: "No metrics received yet",
    device_rules: "Rules that apply",
    device_no_rules: "No rule applies to this device",
    device_hint: "w window · m metric · esc back",
    form_hint: "↑↓ field · ←→ option · enter save · esc cancel",
    form_hint_ascii: "up/down field · left/right option · enter save · esc cancel",
    discard_question: "Discard changes? y = yes · n = no",
    prompt_hint: "enter confirms · esc cancels",
    readings_per_min: "readings/min",
    last_reading: "last reading",
    no_readings_yet: "no readings yet",
    reopened: "reopened",
    auto: "auto",
    ingest_label: "ingest",
    mqtt_label: "MQTT",
    new_rule: "New rule",
    edit_rule: "Edit rule",
    edit_device: "Edit device",
    resolve_alert: "Resolve alert {id}: what was done or found?",
    delete_rule: "Delete rule '{name}'? enter deletes · esc cancels",
    not_a_number: "not a number",
    yes_no: ["yes", "no"],
    rule_field_labels: [
        "Name",
        "Devices",
        "Kind",
        "Metric",
        "Direction",
        "Limit",
        "Minimum",
        "Maximum",
        "Max change",
        "Window (s)",
        "Minutes silent",
        "Min duration (s)",
        "Hysteresis",
        "Severity",
        "Enabled",
        "Note",
    ],
    device_name_label: "Name",
    device_asset_label: "Asset (tag)",
    unit_of: "Unit of",
    alert_acked: "Alert acknowledged",
    alert_resolved: "Alert resolved",
    rule_saved: "Rule saved",
    rule_deleted: "Rule deleted",
    rule_enabled: "Rule enabled",
    rule_disabled: "Rule disabled",
    device_saved: "Device saved",
    already_handled: "This alert was already handled",
};

/// Help text of an action in the UI language (keymap `desc` texts are English).
pub fn action_desc(locale: Locale, action: crate::Action) -> &'static str {
    use crate::Action as A;
    use crate::PaneId as P;
    if locale == Locale::En {
        return action.description();
    }
    match action {
        A::Quit => "Sair do opsdeck",
        A::Help => "Mostrar as teclas em uso",
        A::Palette => "Paleta de comandos",
        A::Filter => "Filtrar a lista em foco",
        A::Search => "Busca global em todos os registros",
        A::Back => "Fechar, cancelar ou voltar",
        A::PaneNext => "Próximo painel",
        A::PanePrev => "Painel anterior",
        A::Pane(P::WorkOrders) => "Ir para Ordens de serviço",
        A::Pane(P::Telemetry) => "Ir para Telemetria",
        A::Pane(P::Ledger) => "Ir para Orçamento",
        A::Pane(P::Gas) => "Ir para Gás",
        A::Pane(P::Fuel) => "Ir para Frota",
        A::Pane(P::Sales) => "Ir para Vendas",
        A::Pane(P::Search) => "Ir para Busca",
        A::Pane(P::Audit) => "Ir para Auditoria",
        A::Up => "Subir",
        A::Down => "Descer",
        A::Top => "Ir ao início",
        A::Bottom => "Ir ao fim",
        A::PageUp => "Página acima",
        A::PageDown => "Página abaixo",
        A::Open => "Abrir o item selecionado",
        A::New => "Novo item",
        A::Edit => "Editar o item selecionado",
        A::Refresh => "Recarregar o painel",
        A::AuditVerify => "Verificar a cadeia de auditoria e o selo",
        A::ToggleLanguage => "Alternar Português / English",
        A::TelemetryDevices => "Telemetria: lista de dispositivos",
        A::TelemetryAlerts => "Telemetria: alertas",
        A::TelemetryRules => "Telemetria: regras de alerta",
        A::TelemetryNextView => "Telemetria: próxima vista (dispositivos, alertas, regras)",
        A::TelemetryWindow => "Janela do gráfico: 1 h, 24 h, 7 d, 30 d",
        A::TelemetryMetric => "Próxima métrica",
        A::AlertAck => "Reconhecer o alerta selecionado",
        A::AlertResolve => "Resolver o alerta selecionado com uma nota",
        A::RuleToggle => "Ativar ou desativar a regra selecionada",
        A::RuleDelete => "Apagar a regra selecionada (pergunta antes)",
        A::Notifications => "Suas notificações (lançamentos de gás em falta ...)",
        A::GasEntry => "Gás: lançamento do dia da unidade",
        A::GasMonth => "Gás: grade e gráfico do mês",
        A::GasPlans => "Gás: programação (QDP) do mês",
        A::GasReport => "Gás: prévia do relatório Petrobras",
        A::GasExport => "Gás: gravar o XLSX Petrobras do mês",
        A::GasAdmin => "Gás: taxas dos equipamentos e contratos",
        A::GasNextView => "Gás: próxima vista (lançamento, mês, programação, relatório, admin)",
        A::GasNextUnit => "Gás: próxima unidade",
        A::GasPrevUnit => "Gás: unidade anterior",
        A::GasPrev => "Gás: dia ou mês anterior",
        A::GasNext => "Gás: próximo dia ou mês",
        A::GasToday => "Gás: voltar para hoje",
        A::GasApprove => "Gás: aprovar a programação do dia selecionado",
        A::GasApproveMonth => "Gás: aprovar toda a programação do mês da unidade",
        A::GasQdr => "Gás: digitar o consumo real (QDR) do dia selecionado",
        A::AlertWorkOrder => "Abrir uma OS preditiva a partir do alerta selecionado",
        A::Wo(w) => wo_desc(w),
    }
}

fn wo_desc(w: crate::action::WoAct) -> &'static str {
    use crate::action::WoAct as W;
    match w {
        W::Orders => "OS: lista de ordens",
        W::Assets => "OS: ativos",
        W::Plans => "OS: planos preventivos",
        W::Inventory => "OS: estoque",
        W::Kpis => "OS: indicadores (backlog, PMOC em dia, MTTR/MTBF, custo)",
        W::NextView => "OS: próxima vista",
        W::StatusFilter => "Ordens: próximo filtro de status",
        W::TypeFilter => "Ordens: próximo filtro de tipo",
        W::Overdue => "Ordens: só as atrasadas, ou todas",
        W::FilterForm => "Ordens: filtrar por status, tipo, ativo, responsável",
        W::Start => "OS: iniciar, ou retomar da espera",
        W::Hold => "OS: pôr em espera, com o motivo",
        W::Done => "OS: concluir (pode resolver o alerta de origem)",
        W::Cancel => "OS: cancelar, com o motivo",
        W::Part => "OS: baixar uma peça do estoque",
        W::Labor => "OS: lançar horas de mão de obra",
        W::Service => "OS: lançar um serviço contratado",
        W::Note => "OS: adicionar uma nota",
        W::Attach => "OS: anexar um arquivo como evidência",
        W::Down => "OS: ativo parado agora, ou de volta",
        W::Toggle => "Responder o item do checklist; pausar/retomar o plano",
        W::Export => "Exportar ordens e custo por ativo (XLSX, CSV), ou etiquetas dos ativos",
        W::Receive => "Estoque: dar entrada",
        W::Adjust => "Estoque: ajustar após contagem",
        W::Qr => "Ativo: QR code grande",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers_and_money_follow_the_locale() {
        let d = Decimal::from_str("1234567.891").unwrap();
        assert_eq!(Locale::PtBr.number(d, 2), "1.234.567,89");
        assert_eq!(Locale::En.number(d, 2), "1,234,567.89");
        assert_eq!(
            Locale::PtBr.money(Decimal::from_str("-0.5").unwrap()),
            "-R$ 0,50"
        );
        assert_eq!(
            Locale::En.money(Decimal::from_str("999.995").unwrap()),
            "R$ 1,000.00"
        );
        assert_eq!(Locale::PtBr.number(Decimal::from(12), 0), "12");
        assert_eq!(Locale::PtBr.count(1234567), "1.234.567");
        assert_eq!(Locale::En.count(1234), "1,234");
    }

    #[test]
    fn readings_follow_the_locale() {
        assert_eq!(Locale::PtBr.reading(12.4), "12,4");
        assert_eq!(Locale::En.reading(12.4), "12.4");
        assert_eq!(Locale::PtBr.reading(3.25), "3,25");
        assert_eq!(Locale::PtBr.reading(-0.5), "-0,50");
        assert_eq!(Locale::PtBr.reading(1013.25), "1.013");
        assert_eq!(Locale::En.reading(123456.7), "123,457");
        assert_eq!(Locale::PtBr.float(0.1 + 0.2, 1), "0,3");
        assert_eq!(Locale::PtBr.float(f64::NAN, 1), "—");
    }

    #[test]
    fn dates_follow_the_locale() {
        let d = jiff::civil::date(2026, 11, 3);
        assert_eq!(Locale::PtBr.date(d), "03/11/2026");
        assert_eq!(Locale::En.date(d), "2026-11-03");
    }

    #[test]
    fn locale_tags_parse() {
        assert_eq!(Locale::parse("en_US.UTF-8"), Locale::En);
        assert_eq!(Locale::parse("pt_BR.UTF-8"), Locale::PtBr);
        assert_eq!(Locale::parse("C"), Locale::PtBr);
    }
}
