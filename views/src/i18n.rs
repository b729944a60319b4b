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
};

/// Help text of an action in the UI language (keymap `desc` texts are English).
pub fn action_desc(locale: Locale, action: crate::Action) -> &'static str {
    let named = crate::action::all().find(|n| n.act == action);
    match locale {
        Locale::PtBr => named.map_or("", |n| n.pt),
        Locale::En => named.map_or("", |n| n.en),
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
