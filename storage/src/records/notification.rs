//! Notifications for people of a tenant: the console's notification list, and what was e-mailed.
//! One is addressed to the users of a role at the time it was raised (e.g. the operators, when a
//! gas unit has no entry for today at 18:00; the supervisors and admins at 20:00). Each
//! recipient marks it read for themselves.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Record;
use super::user::Role;
use crate::search_doc::SearchDoc;

/// Keyed by `Notification::key(id)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: u64,
    /// The role it was raised for: `Operator`, or `Supervisor` (supervisors and admins).
    pub to_role: Role,
    /// User names it was addressed to when raised, in name order.
    pub to_users: Vec<String>,
    /// What it is about, e.g. "gas.missing_entry".
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// The gas unit code it is about ("CRI"), empty when about no unit.
    pub unit: String,
    /// The (local) day it is about.
    pub date: Date,
    pub created_at: jiff::Timestamp,
    /// Addresses an e-mail was accepted for by the SMTP server.
    pub emailed_to: Vec<String>,
    /// Why some or all e-mails were not sent (per address), when they were not.
    pub email_error: Option<String>,
    /// User names that have read it.
    pub read_by: Vec<String>,
}

impl Notification {
    /// Zero-padded so keys sort by id.
    pub fn key(id: u64) -> String {
        format!("{id:010}")
    }

    /// Whether it was addressed to `user`.
    pub fn is_for(&self, user: &str) -> bool {
        self.to_users.iter().any(|u| u == user)
    }

    pub fn is_read_by(&self, user: &str) -> bool {
        self.read_by.iter().any(|u| u == user)
    }
}

impl Record for Notification {
    const KIND: &'static str = "notification";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("aviso {} · {} · {}", self.id, self.unit, self.subject),
            body: format!("{} {}", self.body, self.to_users.join(" ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_id_and_recipients_are_named() {
        assert!(Notification::key(9) < Notification::key(10));
        let n = Notification {
            id: 3,
            to_role: Role::Operator,
            to_users: vec!["bia".into()],
            kind: "gas.missing_entry".into(),
            subject: "Entrada diária pendente - Criciúma".into(),
            body: "Status do atomizador".into(),
            unit: "CRI".into(),
            date: jiff::civil::date(2026, 11, 23),
            created_at: jiff::Timestamp::UNIX_EPOCH,
            emailed_to: Vec::new(),
            email_error: None,
            read_by: Vec::new(),
        };
        assert!(n.is_for("bia") && !n.is_for("caio"));
        assert!(!n.is_read_by("bia"));
        let doc = n.search_doc(&Notification::key(3)).unwrap();
        assert!(doc.title.contains("CRI") && doc.body.contains("atomizador"));
    }
}
