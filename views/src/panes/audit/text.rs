//! Every word of the Audit pane, in Portuguese (the default) and English. A missing translation
//! is a compile error.

use crate::i18n::Locale;

pub struct AuditText {
    pub audit_title: &'static str,
    pub audit_hint: &'static str,
    pub audit_cols: [&'static str; 5],
    pub audit_empty: &'static str,
    pub verify_running: &'static str,
    pub verify_ok: &'static str,
    pub entries: &'static str,
    pub verify_broken: &'static str,
    pub verify_failed: &'static str,
}

pub fn text(locale: Locale) -> &'static AuditText {
    match locale {
        Locale::PtBr => &PT_BR,
        Locale::En => &EN,
    }
}

pub const PT_BR: AuditText = AuditText {
    audit_title: "Trilha de auditoria",
    audit_hint: "v verifica a cadeia · / filtra",
    audit_cols: ["#", "Quando", "Quem", "Ação", "Registro"],
    audit_empty: "Nenhum registro de auditoria ainda",
    verify_running: "Verificando a cadeia…",
    verify_ok: "Cadeia íntegra e selo válido",
    entries: "registros verificados",
    verify_broken: "CADEIA ROMPIDA na entrada",
    verify_failed: "Verificação falhou",
};

pub const EN: AuditText = AuditText {
    audit_title: "Audit trail",
    audit_hint: "v verifies the chain · / filters",
    audit_cols: ["#", "When", "Who", "Action", "Record"],
    audit_empty: "No audit entries yet",
    verify_running: "Verifying the chain…",
    verify_ok: "Chain intact and seal valid",
    entries: "entries verified",
    verify_broken: "CHAIN BROKEN at entry",
    verify_failed: "Verification failed",
};
