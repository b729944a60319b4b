//! One write transaction: versioned record writes, their outbox events and audit entries, all
//! committed together with the bumped change counter.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditDraft};
use crate::outbox::{Event, SearchOp};
use crate::records::Record;
use crate::tables::{self, META};
use crate::{Error, Result, codec};

/// A stored record with who changed it last and when; `version` grows by one per write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versioned<T> {
    pub key: String,
    pub version: u64,
    pub changed_by: String,
    pub changed_at: jiff::Timestamp,
    pub value: T,
}

pub struct Tx<'a> {
    pub(crate) txn: WriteTransaction,
    actor: String,
    now: jiff::Timestamp,
    /// Set when `now` is not the clock (`Tenant::as_of`): the audit keeps the real time.
    backdated: bool,
    seal_key: &'a [u8],
    events: Vec<Event>,
    audits: Vec<AuditDraft>,
}

impl<'a> Tx<'a> {
    /// `clock`: the instant to take as now (`Tenant::as_of`), None for the clock.
    pub(crate) fn new(
        txn: WriteTransaction,
        actor: &str,
        seal_key: &'a [u8],
        clock: Option<jiff::Timestamp>,
    ) -> Self {
        Tx {
            txn,
            actor: actor.to_owned(),
            now: clock.unwrap_or_else(crate::clock::now),
            backdated: clock.is_some(),
            seal_key,
            events: Vec::new(),
            audits: Vec::new(),
        }
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The transaction's "now": the clock when it began, or the instant of a `Tenant::as_of`
    /// handle.
    pub fn now(&self) -> jiff::Timestamp {
        self.now
    }

    /// Next id of a kind (1, 2, ...), unique across processes because writes are serialised.
    pub fn next_id(&mut self, kind: &str) -> Result<u64> {
        let mut meta = self.txn.open_table(META)?;
        let name = format!("next_id:{kind}");
        let id = meta.get(name.as_str())?.map(|v| v.value()).unwrap_or(1);
        meta.insert(name.as_str(), id + 1)?;
        Ok(id)
    }

    pub fn get<T: Record>(&self, key: &str) -> Result<Option<Versioned<T>>> {
        let table = self.txn.open_table(tables::record_table(T::KIND))?;
        let found = table.get(key)?;
        match found {
            Some(v) => {
                Ok(Some(codec::decode(v.value()).map_err(|e| {
                    Error::codec(format!("{} {key}", T::KIND), e)
                })?))
            }
            None => Ok(None),
        }
    }

    /// Every record of a kind, in key order, as this transaction sees them.
    pub fn list<T: Record>(&self) -> Result<Vec<Versioned<T>>> {
        let table = self.txn.open_table(tables::record_table(T::KIND))?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (k, v) = row?;
            out.push(
                codec::decode(v.value())
                    .map_err(|e| Error::codec(format!("{} {}", T::KIND, k.value()), e))?,
            );
        }
        Ok(out)
    }

    /// The records of a kind whose keys start with `prefix`, in key order.
    pub fn list_prefix<T: Record>(&self, prefix: &str) -> Result<Vec<Versioned<T>>> {
        let table = self.txn.open_table(tables::record_table(T::KIND))?;
        let mut out = Vec::new();
        for row in table.range(prefix..)? {
            let (k, v) = row?;
            if !k.value().starts_with(prefix) {
                break;
            }
            out.push(
                codec::decode(v.value())
                    .map_err(|e| Error::codec(format!("{} {}", T::KIND, k.value()), e))?,
            );
        }
        Ok(out)
    }

    /// Creates a record; refuses a key that exists.
    pub fn insert<T: Record>(&mut self, key: &str, value: T) -> Result<Versioned<T>> {
        if self.get::<T>(key)?.is_some() {
            return Err(Error::AlreadyExists {
                kind: T::KIND.into(),
                key: key.into(),
            });
        }
        self.put(key, 1, value, "create")
    }

    /// Replaces a record read at `expected_version`. If anyone wrote it since, nothing is
    /// written and the conflict names who and when.
    pub fn update<T: Record>(
        &mut self,
        key: &str,
        expected_version: u64,
        value: T,
    ) -> Result<Versioned<T>> {
        let current = self.require::<T>(key)?;
        self.check_version(&current, expected_version)?;
        self.put(key, current.version + 1, value, "update")
    }

    pub fn delete<T: Record>(&mut self, key: &str, expected_version: u64) -> Result<()> {
        let current = self.require::<T>(key)?;
        self.check_version(&current, expected_version)?;
        self.txn
            .open_table(tables::record_table(T::KIND))?
            .remove(key)?;
        self.txn
            .open_table(tables::SEARCH_DOCS)?
            .remove((T::KIND, key))?;
        let digest =
            Sha256::digest(codec::encode(&current.value).map_err(|e| Error::codec(T::KIND, e))?);
        self.record_change(
            T::KIND,
            key,
            "delete",
            SearchOp::Delete {
                kind: T::KIND.into(),
                key: key.into(),
            },
            digest.into(),
            String::new(),
        );
        Ok(())
    }

    fn require<T: Record>(&self, key: &str) -> Result<Versioned<T>> {
        self.get::<T>(key)?.ok_or_else(|| Error::NotFound {
            kind: T::KIND.into(),
            key: key.into(),
        })
    }

    fn check_version<T: Record>(&self, current: &Versioned<T>, expected: u64) -> Result<()> {
        if current.version == expected {
            return Ok(());
        }
        Err(Error::Conflict {
            kind: T::KIND.into(),
            key: current.key.clone(),
            by: current.changed_by.clone(),
            at: current.changed_at,
            expected,
            current: current.version,
        })
    }

    fn put<T: Record>(
        &mut self,
        key: &str,
        version: u64,
        value: T,
        verb: &str,
    ) -> Result<Versioned<T>> {
        let stored = Versioned {
            key: key.to_owned(),
            version,
            changed_by: self.actor.clone(),
            changed_at: self.now,
            value,
        };
        let bytes = codec::encode(&stored).map_err(|e| Error::codec(T::KIND, e))?;
        self.txn
            .open_table(tables::record_table(T::KIND))?
            .insert(key, bytes.as_slice())?;
        let search = match stored.value.search_doc(key) {
            Some(doc) => {
                let doc_bytes = codec::encode(&doc).map_err(|e| Error::codec("search doc", e))?;
                self.txn
                    .open_table(tables::SEARCH_DOCS)?
                    .insert((T::KIND, key), doc_bytes.as_slice())?;
                SearchOp::Upsert(doc)
            }
            None => SearchOp::None,
        };
        let digest = Sha256::digest(&bytes);
        self.record_change(
            T::KIND,
            key,
            verb,
            search,
            digest.into(),
            format!("version {version}"),
        );
        Ok(stored)
    }

    fn record_change(
        &mut self,
        kind: &str,
        key: &str,
        verb: &str,
        search: SearchOp,
        digest: [u8; 32],
        detail: String,
    ) {
        let action = format!("{kind}.{verb}");
        self.events.push(Event::new(
            &action,
            kind,
            key,
            &self.actor,
            self.now,
            search,
        ));
        self.audits.push(AuditDraft {
            action,
            entity: format!("{kind}/{key}"),
            detail,
            digest,
        });
    }

    /// A domain event with no record change of its own (e.g. "alert.raised"), for consumers.
    pub fn emit(&mut self, name: &str, kind: &str, key: &str, payload: Vec<u8>) {
        let mut event = Event::new(name, kind, key, &self.actor, self.now, SearchOp::None);
        event.payload = payload;
        self.events.push(event);
    }

    /// An audit entry for something that changed no record: a refused action, a verification,
    /// an export.
    pub fn audit(&mut self, action: &str, entity: &str, detail: &str) {
        let digest = Sha256::digest(detail.as_bytes());
        self.audits.push(AuditDraft {
            action: action.to_owned(),
            entity: entity.to_owned(),
            detail: detail.to_owned(),
            digest: digest.into(),
        });
    }

    /// Events made outside the usual path (a seal rotation's audit entry) go out with the commit.
    pub(crate) fn push_events(&mut self, events: Vec<Event>) {
        self.events.extend(events);
    }

    pub(crate) fn abort(self) -> Result<()> {
        self.txn.abort()?;
        Ok(())
    }

    pub(crate) fn commit(mut self) -> Result<()> {
        let mut audits = std::mem::take(&mut self.audits);
        // The trail is never backdated: real time, and the instant the records were given.
        let audit_at = if self.backdated {
            for a in &mut audits {
                let sep = if a.detail.is_empty() { "" } else { "; " };
                a.detail = format!("{}{sep}as of {}", a.detail, self.now);
            }
            crate::clock::now()
        } else {
            self.now
        };
        let audit_events = audit::append(&self.txn, &self.actor, audit_at, self.seal_key, audits)?;
        self.events.extend(audit_events);
        {
            let mut outbox = self.txn.open_table(tables::OUTBOX)?;
            let mut meta = self.txn.open_table(META)?;
            let mut seq = meta.get("outbox_seq")?.map(|v| v.value()).unwrap_or(0);
            for mut event in self.events.drain(..) {
                seq += 1;
                event.seq = seq;
                let bytes = codec::encode(&event).map_err(|e| Error::codec("outbox event", e))?;
                outbox.insert(seq, bytes.as_slice())?;
            }
            meta.insert("outbox_seq", seq)?;
            let counter = meta.get("change_counter")?.map(|v| v.value()).unwrap_or(0);
            meta.insert("change_counter", counter + 1)?;
        }
        self.txn.commit()?;
        Ok(())
    }
}
