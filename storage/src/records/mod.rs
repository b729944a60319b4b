//! The stored record types, shared by every crate. One module per domain.

/// `ALL`, `as_str`, `Display` and `FromStr` (case-insensitive, naming the valid values on error)
/// for a plain enum stored by its lowercase name.
macro_rules! named_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: [$ty; [$($name),+].len()] = [$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .into_iter()
                    .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
                    .ok_or_else(|| {
                        format!(
                            "unknown {} '{s}' (expected one of: {})",
                            $what,
                            [$($name),+].join(", ")
                        )
                    })
            }
        }
    };
}

pub mod alert;
pub mod asset;
pub mod device;
pub mod gas;
pub mod inventory;
pub mod ledger;
pub mod notification;
pub mod pm_plan;
pub mod rule;
pub mod user;
pub mod work_order;

use serde::{Serialize, de::DeserializeOwned};

use crate::search_doc::SearchDoc;

/// A value kept in its own redb table, one row per key.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// Table name and search kind, e.g. "user". Never change it once data exists.
    const KIND: &'static str;

    /// What the search index shows and matches for this record, if it is searchable.
    fn search_doc(&self, key: &str) -> Option<SearchDoc>;
}
