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

    /// A count with thousands separators: 12.345 / 12,345.
    pub fn count(self, n: u64) -> String {
        self.number(Decimal::from(n), 0)
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
