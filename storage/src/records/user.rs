//! Who may do what in a tenant: an OS user name mapped to a role.

use serde::{Deserialize, Serialize};

use super::Record;
use crate::search_doc::SearchDoc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Operator,
    Supervisor,
    Finance,
    Auditor,
    Admin,
}

named_enum!(Role, "role", {
    Operator => "operator",
    Supervisor => "supervisor",
    Finance => "finance",
    Auditor => "auditor",
    Admin => "admin",
});

/// Keyed by the OS user name (the SSH login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub full_name: String,
}

impl Record for User {
    const KIND: &'static str = "user";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("{} ({})", self.name, self.role),
            body: self.full_name.clone(),
        })
    }
}
