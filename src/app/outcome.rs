//! The answer to a write, one shape for every pane: saved (a notice, maybe something to show,
//! the record's new version) or failed (why, on which field, who changed the record first). A
//! form or prompt sends its write under its generation, and only the answer of that generation
//! closes it or marks it: a late answer about an earlier form leaves the current one alone.

use jiff::Timestamp;
use opsdeck_storage::locale::Locale;
use opsdeck_storage::refusal::Why;
use opsdeck_views::i18n::Texts;
use opsdeck_views::refusals;

use super::io::Io;
use super::link::Link;
use crate::domain::access;
use crate::domain::cmms::work_orders::WoAction;
use crate::domain::cmms::{assets::AssetAction, inventory::StockAction, plans::PmAction};
use crate::domain::gas::calc::MissingRate;
use crate::domain::gas::entries::GasAction;
use crate::domain::ledger::LedgerAction;
use crate::domain::service::{Denied, FieldError, Guarded};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    /// The form or prompt that sent the write; 0 for a write without one.
    pub generation: u64,
    pub notice: String,
    /// What to show now, e.g. the order just made from an alert.
    pub open: Option<Link>,
    /// (id, version) of the record as written, so the page's next write does not conflict
    /// with its own last one.
    pub version: Option<(u64, u64)>,
}

impl Saved {
    pub fn new(generation: u64, notice: impl Into<String>) -> Saved {
        Saved {
            generation,
            notice: notice.into(),
            open: None,
            version: None,
        }
    }
}

/// Someone else saved the record first.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    pub by: String,
    pub at: Timestamp,
    /// The record's version now: Enter again applies the form over it, knowingly.
    pub version: u64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Failed {
    pub generation: u64,
    pub error: String,
    /// The field the service named, when it named one.
    pub field: Option<String>,
    pub conflict: Option<Conflict>,
}

impl Failed {
    /// A refusal or an error of a service, worded for the user: a refusal in the user's
    /// language, "changed by X at T", or the error as it is.
    pub fn of(io: &Io, e: &anyhow::Error, generation: u64) -> Failed {
        let field = e.downcast_ref::<FieldError>();
        let conflict = match e.downcast_ref::<opsdeck_storage::Error>() {
            Some(opsdeck_storage::Error::Conflict {
                by, at, current, ..
            }) => Some(Conflict {
                by: by.clone(),
                at: *at,
                version: *current,
            }),
            _ => None,
        };
        let error = match (field, &conflict) {
            (Some(f), _) => refusals::say(io.locale, &f.why),
            (None, Some(c)) => io
                .locale
                .strings()
                .changed_by_at
                .replace("{by}", &c.by)
                .replace("{at}", &io.when(c.at)),
            (None, None) => words(io.locale, e),
        };
        Failed {
            generation,
            error,
            field: field.map(|f| f.field.clone()),
            conflict,
        }
    }
}

/// An error of a service worded for the user: a refusal in the user's language ("field: why"
/// when it names a field), or the error as it is.
pub fn words(locale: Locale, e: &anyhow::Error) -> String {
    if let Some(f) = e.downcast_ref::<FieldError>() {
        return format!("{}: {}", f.field, refusals::say(locale, &f.why));
    }
    match refusal_of(e) {
        Some(why) => refusals::say(locale, &why),
        None => e.to_string(),
    }
}

/// A role refusal of any service, as a typed value. A service with a new action type adds it
/// here.
fn refusal_of(e: &anyhow::Error) -> Option<Why> {
    fn denied<A: Guarded>(e: &anyhow::Error) -> Option<Why> {
        e.downcast_ref::<Denied<A>>().map(Denied::why)
    }
    e.downcast_ref::<access::Denied>()
        .map(access::Denied::why)
        .or_else(|| denied::<WoAction>(e))
        .or_else(|| denied::<GasAction>(e))
        .or_else(|| denied::<LedgerAction>(e))
        .or_else(|| denied::<StockAction>(e))
        .or_else(|| denied::<AssetAction>(e))
        .or_else(|| denied::<PmAction>(e))
        .or_else(|| e.downcast_ref::<MissingRate>().map(MissingRate::why))
}
