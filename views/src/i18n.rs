//! The shell's words in Portuguese (pt-BR, the default) and English. How figures read in each
//! language (`Locale`) lives below views, in opsdeck-storage, for the domain and reports too.

pub use opsdeck_storage::locale::{Locale, span};

/// The shell's words in a language.
pub trait Texts {
    fn strings(self) -> &'static Strings;
}

impl Texts for Locale {
    fn strings(self) -> &'static Strings {
        match self {
            Locale::PtBr => &PT_BR,
            Locale::En => &EN,
        }
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
    pub services: &'static str,
    pub services_short: &'static str,
    /// Who runs the services: this console, or nobody.
    pub this_console: &'static str,
    /// Before "pid 812 (opsdeck)": this console is a client of the site's service.
    pub site_service: &'static str,
    /// The site service went away ({0}: why); the console reconnects by itself.
    pub service_lost: &'static str,
    /// A command while the console is not connected to the site service.
    pub service_away: &'static str,
    /// The console is connected to the site service again.
    pub service_back: &'static str,
    pub stopped: &'static str,
    pub no_role: &'static str,
    pub error: &'static str,
    pub detail: &'static str,
    pub keymap_problems: &'static str,
    pub loading: &'static str,
    pub form_hint: &'static str,
    pub form_hint_ascii: &'static str,
    pub discard_question: &'static str,
    pub prompt_hint: &'static str,
    /// The palette found no action for what was typed.
    pub no_command: &'static str,
    pub no_tenant: &'static str,
    /// `n` or `e` where nothing can be created or edited.
    pub nothing_to_edit: &'static str,
    pub tenants_title: &'static str,
    pub tenants_hint: &'static str,
    pub tenant_current: &'static str,
    /// On a prompt with text, after one Esc.
    pub discard_text: &'static str,
    /// After "changed by X at T" on a form: what Enter does now.
    pub apply_over: &'static str,
    pub input_empty: &'static str,
    pub input_not_number: &'static str,
    pub input_number_example: &'static str,
    pub input_not_date: &'static str,
    pub input_not_datetime: &'static str,
    pub email_failed: &'static str,
    pub changed_by_at: &'static str,
    pub tenant_word: &'static str,
    pub opening: &'static str,
}

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
    services: "serviços",
    services_short: "serv",
    this_console: "este console",
    site_service: "serviço do site",
    service_lost: "o serviço do site saiu do ar ({0}); reconectando… (o que você digitou fica)",
    service_away: "sem conexão com o serviço do site; reconectando… tente de novo em instantes",
    service_back: "reconectado ao serviço do site",
    stopped: "parados",
    no_role: "sem papel",
    error: "erro",
    detail: "Detalhe",
    keymap_problems: "Problemas no keymap (os padrões continuam valendo)",
    loading: "carregando…",
    form_hint: "↑↓ campo · ←→ opção · enter salvar · esc cancelar",
    form_hint_ascii: "cima/baixo campo · esq/dir opção · enter salvar · esc cancelar",
    discard_question: "Descartar as alterações? s = sim · n = não",
    prompt_hint: "enter confirma · esc cancela",
    no_command: "nenhum comando corresponde a",
    no_tenant: "não há o tenant",
    nothing_to_edit: "nada a criar ou editar neste painel",
    tenants_title: "Tenants",
    tenants_hint: "enter abre · esc fecha",
    tenant_current: "atual",
    discard_text: "esc de novo descarta o texto; enter salva",
    apply_over: "enter aplica a sua sobre a atual",
    input_empty: "vazio: digite um número",
    input_not_number: "'{text}' não é um número (ex.: {example})",
    input_number_example: "48.200 ou 7,5",
    input_not_date: "'{text}' não é uma data (ex.: 23/11/2026 ou 2026-11-23)",
    input_not_datetime: "'{text}' não é uma data com hora (ex.: 23/11/2026 14:05)",
    email_failed: "e-mail falhou",
    changed_by_at: "alterada por {by} em {at}",
    tenant_word: "tenant",
    opening: "abrindo",
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
    services: "services",
    services_short: "svc",
    this_console: "this console",
    site_service: "site service",
    service_lost: "the site service went away ({0}); reconnecting… (what you typed is kept)",
    service_away: "not connected to the site service; reconnecting… try again in a moment",
    service_back: "reconnected to the site service",
    stopped: "stopped",
    no_role: "no role",
    error: "error",
    detail: "Detail",
    keymap_problems: "Keymap problems (the defaults still apply)",
    loading: "loading…",
    form_hint: "↑↓ field · ←→ option · enter save · esc cancel",
    form_hint_ascii: "up/down field · left/right option · enter save · esc cancel",
    discard_question: "Discard changes? y = yes · n = no",
    prompt_hint: "enter confirms · esc cancels",
    no_command: "no command matches",
    no_tenant: "there is no tenant",
    nothing_to_edit: "nothing to create or edit in this pane",
    tenants_title: "Tenants",
    tenants_hint: "enter opens · esc closes",
    tenant_current: "current",
    discard_text: "esc again discards the text; enter saves",
    apply_over: "enter applies yours over it",
    input_empty: "empty: type a number",
    input_not_number: "'{text}' is not a number (e.g. {example})",
    input_number_example: "48,200 or 7.5",
    input_not_date: "'{text}' is not a date (e.g. 23/11/2026 or 2026-11-23)",
    input_not_datetime: "'{text}' is not a date and time (e.g. 23/11/2026 14:05)",
    email_failed: "e-mail failed",
    changed_by_at: "changed by {by} at {at}",
    tenant_word: "tenant",
    opening: "opening",
};

impl Strings {
    /// Who runs the site services, in words.
    pub fn runner(&self, r: &crate::state::Runner) -> String {
        use crate::state::Runner;
        match r {
            Runner::Unknown => "…".into(),
            Runner::ThisConsole => self.this_console.into(),
            Runner::Stopped => self.stopped.into(),
            Runner::Other(who) => who.clone(),
            Runner::SiteService(who) => format!("{} {who}", self.site_service),
        }
    }
}
