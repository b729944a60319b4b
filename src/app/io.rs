//! What the worker reads and writes through for one user of one tenant: the database, the search
//! index, the site directory (evidence), and the zone and language figures are formatted in.
//! Each pane's `load.rs` and `write.rs` take it.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use opsdeck_storage::{SearchIndex, Tenant};
use opsdeck_views::i18n::Locale;

pub struct Io {
    pub tenant: Arc<Tenant>,
    pub index: Arc<SearchIndex>,
    /// Where the tenant's evidence files are kept.
    pub evidence: PathBuf,
    pub user: String,
    pub tz: jiff::tz::TimeZone,
    /// F2 changes it: what the worker formats follows the UI language.
    pub locale: Locale,
}

impl Io {
    /// "23/11/2026 14:05" in the tenant's zone.
    pub fn when(&self, t: Timestamp) -> String {
        self.locale.datetime(&t.to_zoned(self.tz.clone()))
    }

    /// "23/11/2026 14:05:09".
    pub fn when_secs(&self, t: Timestamp) -> String {
        self.locale.datetime_secs(&t.to_zoned(self.tz.clone()))
    }

    /// "23/11/2026": the tenant's date of an instant.
    pub fn day(&self, t: Timestamp) -> String {
        self.locale.date(t.to_zoned(self.tz.clone()).date())
    }

    /// The tenant's date now.
    pub fn today(&self) -> Date {
        crate::clock::now_in(&self.tz).date()
    }

    /// "ana · 23/11/2026 14:05": who did something and when.
    pub fn who(&self, by: &str, at: Timestamp) -> String {
        format!("{by} · {}", self.when(at))
    }
}
