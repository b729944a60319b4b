//! Every word of the Search pane, in Portuguese (the default) and English: the query line, the
//! counts, and what each kind of record is called in a hit. A missing translation is a compile
//! error.

use crate::i18n::Locale;

pub struct SearchText {
    /// What each kind of record is called in a hit, by its stable code.
    pub kinds: &'static [(&'static str, &'static str)],
    pub search_prompt: &'static str,
    pub search_hint: &'static str,
    pub search_hint_idle: &'static str,
    pub search_empty: &'static str,
    pub search_none: &'static str,
    pub search_count: &'static str,
    pub search_indexed: &'static str,
}

pub fn text(locale: Locale) -> &'static SearchText {
    match locale {
        Locale::PtBr => &PT_BR,
        Locale::En => &EN,
    }
}

pub const PT_BR: SearchText = SearchText {
    kinds: &[
        ("work_order", "OS"),
        ("work_order_alert", "OS do alerta"),
        ("asset", "Ativo"),
        ("procedure", "Procedimento"),
        ("pm_plan", "Plano"),
        ("inventory_item", "Item"),
        ("inventory_movement", "Movimento"),
        ("ledger_entry", "Lançamento"),
        ("ledger_gas_invoice", "Fatura de gás"),
        ("alert", "Alerta"),
        ("device", "Dispositivo"),
        ("rule", "Regra"),
        ("gas_unit", "Unidade de gás"),
        ("gas_entry", "Lançamento de gás"),
        ("gas_plan", "Programação"),
        ("gas_qdr", "QDR"),
        ("gas_contract", "Contrato de gás"),
        ("gas_operator", "Operador de gás"),
        ("notification", "Notificação"),
        ("gas.missing_entry", "Lembrete de gás"),
        ("user", "Usuário"),
        ("audit", "Auditoria"),
    ],
    search_prompt: "Busca",
    search_hint: "digite para buscar · enter/esc sai",
    search_hint_idle: "s ou ctrl-f para buscar",
    search_empty: "Busque em todos os registros deste tenant: pessoas, papéis, trilha de auditoria…",
    search_none: "Nada encontrado para",
    search_count: "resultados para",
    search_indexed: "documentos indexados",
};

pub const EN: SearchText = SearchText {
    kinds: &[
        ("work_order", "WO"),
        ("work_order_alert", "Alert's WO"),
        ("asset", "Asset"),
        ("procedure", "Procedure"),
        ("pm_plan", "Plan"),
        ("inventory_item", "Item"),
        ("inventory_movement", "Movement"),
        ("ledger_entry", "Ledger entry"),
        ("ledger_gas_invoice", "Gas invoice"),
        ("alert", "Alert"),
        ("device", "Device"),
        ("rule", "Rule"),
        ("gas_unit", "Gas unit"),
        ("gas_entry", "Gas entry"),
        ("gas_plan", "Gas plan"),
        ("gas_qdr", "QDR"),
        ("gas_contract", "Gas contract"),
        ("gas_operator", "Gas operator"),
        ("notification", "Notification"),
        ("gas.missing_entry", "Gas reminder"),
        ("user", "User"),
        ("audit", "Audit"),
    ],
    search_prompt: "Search",
    search_hint: "type to search · enter/esc leave",
    search_hint_idle: "s or ctrl-f to search",
    search_empty: "Search every record of this tenant: people, roles, the audit trail…",
    search_none: "Nothing found for",
    search_count: "results for",
    search_indexed: "documents indexed",
};

impl SearchText {
    /// A record as people name it: "OS #127", "Ativo CH-01", "Lançamento de gás CRI 23/11/2026".
    pub fn record(&self, locale: Locale, kind: &str, key: &str) -> String {
        let word = self
            .kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(kind, |(_, w)| *w);
        format!("{word} {}", record_id(locale, kind, key))
    }
}

/// A record's own id from its key: numbers without their padding ("#127"), a unit's day as a
/// date of the locale ("CRI 23/11/2026"), anything else as it is.
fn record_id(locale: Locale, kind: &str, key: &str) -> String {
    if matches!(
        kind,
        "work_order"
            | "work_order_alert"
            | "alert"
            | "audit"
            | "notification"
            | "inventory_movement"
    ) && let Ok(n) = key.parse::<u64>()
    {
        return format!("#{n}");
    }
    if kind == "ledger_entry" {
        let parts: Vec<&str> = key.split('|').collect();
        if let [month, cc, cat, id] = parts[..]
            && let (Ok(m), Ok(n)) = (month.parse::<u32>(), id.parse::<u64>())
        {
            return format!("{:04}-{:02} {cc} {cat} #{n}", m / 100, m % 100);
        }
    }
    if let Some((unit, day)) = key.split_once('/')
        && let Ok(date) = day.parse::<jiff::civil::Date>()
    {
        return format!("{unit} {}", locale.date(date));
    }
    key.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_like_the_product_in_both_languages() {
        let pt = text(Locale::PtBr);
        assert_eq!(pt.record(Locale::PtBr, "work_order", "00000127"), "OS #127");
        assert_eq!(pt.record(Locale::PtBr, "asset", "CH-01"), "Ativo CH-01");
        assert_eq!(
            pt.record(Locale::PtBr, "gas_entry", "CRI/2026-11-23"),
            "Lançamento de gás CRI 23/11/2026"
        );
        assert_eq!(pt.record(Locale::PtBr, "audit", "45"), "Auditoria #45");
        let en = text(Locale::En);
        assert_eq!(en.record(Locale::En, "work_order", "00000127"), "WO #127");
        assert_eq!(
            en.record(Locale::En, "gas_plan", "URU/2026-11-02"),
            "Gas plan URU 2026-11-02"
        );
        // A kind no table names yet still shows, with its key.
        assert_eq!(en.record(Locale::En, "fuel_log", "7"), "fuel_log 7");
        // A ledger entry by its month, cost center, category and number.
        assert_eq!(
            en.record(
                Locale::En,
                "ledger_entry",
                "202611|HSC-CAG|services|000000308"
            ),
            "Ledger entry 2026-11 HSC-CAG services #308"
        );
    }
}
