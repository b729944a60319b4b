//! Opening a tenant's redb file: MultiWriter so `serve` and any number of TUI processes share it,
//! a schema version checked before anything is written, and the cheap change counter other
//! processes poll.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{ConcurrencyMode, Database, ReadableDatabase, ReadableTable};

use crate::records::Record;
use crate::tables::{self, META};
use crate::tx::{Tx, Versioned};
use crate::{Error, Result, codec};

/// Bump when a stored layout changes; older binaries then refuse newer files instead of
/// misreading them.
pub const SCHEMA_VERSION: u64 = 1;

pub struct Tenant {
    name: String,
    path: PathBuf,
    /// Shared with the handles [`Tenant::as_of`] makes.
    db: Arc<Database>,
    seal_key: Vec<u8>,
    /// The instant write transactions take as "now" instead of the clock; see `as_of`.
    clock: Option<jiff::Timestamp>,
}

impl Tenant {
    /// Opens (creating if missing) `path`. `seal_key` is the site's audit seal key, kept outside
    /// the database.
    pub fn open(name: &str, path: &Path, seal_key: &[u8]) -> Result<Tenant> {
        let db = Database::builder()
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            .set_cache_size(64 * 1024 * 1024)
            .create(path)
            .map_err(|e| Error::Database {
                path: path.to_owned(),
                source: e.into(),
            })?;
        let tenant = Tenant {
            name: name.to_owned(),
            path: path.to_owned(),
            db: Arc::new(db),
            seal_key: seal_key.to_vec(),
            clock: None,
        };
        tenant.check_or_init_schema()?;
        Ok(tenant)
    }

    fn check_or_init_schema(&self) -> Result<()> {
        if let Some(found) = self.meta("schema_version")? {
            if found > SCHEMA_VERSION {
                return Err(Error::NewerSchema {
                    path: self.path.clone(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            return Ok(());
        }
        let txn = self.db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            // Another process may have initialised the file between our read and this write.
            let current = meta.get("schema_version")?.map(|v| v.value());
            if current.is_none() {
                meta.insert("schema_version", SCHEMA_VERSION)?;
                meta.insert("change_counter", 0)?;
            }
            txn.open_table(tables::OUTBOX)?;
            txn.open_table(tables::CURSORS)?;
            txn.open_table(tables::AUDIT)?;
            txn.open_table(tables::AUDIT_SEAL)?;
            txn.open_table(tables::SEARCH_DOCS)?;
        }
        txn.commit()?;
        Ok(())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A handle on the same file whose write transactions take `at` as "now" (`Tx::now`: the
    /// records' times, `changed_at`, the outbox events) instead of the clock. For loading past
    /// history through the domain services, so every rule applies as it did at `at` (the demo's
    /// maintenance history, an import of past records); never for a person's edit. The audit
    /// trail is not backdated: its entries keep the real time of the write and say "as of
    /// `at`" in their detail. Cheap (the database is shared); drop it when done, as
    /// `compact` and `check_integrity` need the only handle.
    pub fn as_of(&self, at: jiff::Timestamp) -> Tenant {
        Tenant {
            name: self.name.clone(),
            path: self.path.clone(),
            db: Arc::clone(&self.db),
            seal_key: self.seal_key.clone(),
            clock: Some(at),
        }
    }

    /// The instant writes are stamped with when this handle was made by `as_of`.
    pub fn clock(&self) -> Option<jiff::Timestamp> {
        self.clock
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn db(&self) -> &Database {
        &self.db
    }

    pub(crate) fn seal_key(&self) -> &[u8] {
        &self.seal_key
    }

    /// A meta counter, None when the file has not been initialised.
    pub fn meta(&self, key: &str) -> Result<Option<u64>> {
        let txn = self.db.begin_read()?;
        let Some(table) = tables::open_read(&txn, META)? else {
            return Ok(None);
        };
        Ok(table.get(key)?.map(|v| v.value()))
    }

    /// Incremented by every committed write, in any process: poll it to notice new data.
    pub fn change_counter(&self) -> Result<u64> {
        Ok(self.meta("change_counter")?.unwrap_or(0))
    }

    /// Runs `f` in one write transaction. Records, their outbox events, audit entries and the
    /// audit seal commit together or not at all; an `Err` from `f` writes nothing.
    pub fn write<R>(&self, actor: &str, f: impl FnOnce(&mut Tx) -> Result<R>) -> Result<R> {
        let txn = self.db.begin_write()?;
        let mut tx = Tx::new(txn, actor, self.seal_key(), self.clock);
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Moves the audit chain's seal to `new_key` (the old one may have been read by others): the
    /// head is checked under the current key, resealed under the new one, and the rotation is an
    /// entry of the chain, all in one transaction. The handle keeps the old key: reopen it.
    pub fn rotate_seal(&self, actor: &str, new_key: &[u8], why: &str) -> Result<()> {
        let txn = self.db.begin_write()?;
        let events = crate::audit::rotate(
            &txn,
            actor,
            crate::clock::now(),
            &self.seal_key,
            new_key,
            why,
        )?;
        let mut tx = Tx::new(txn, actor, new_key, None);
        tx.push_events(events);
        tx.commit()
    }

    /// Like `write`, but `f` says whether there is anything to commit; when not, the transaction
    /// is rolled back and nothing (not even the change counter) moves. For periodic work.
    pub fn write_if<R>(
        &self,
        actor: &str,
        f: impl FnOnce(&mut Tx) -> Result<(bool, R)>,
    ) -> Result<R> {
        let txn = self.db.begin_write()?;
        let mut tx = Tx::new(txn, actor, self.seal_key(), self.clock);
        let (commit, out) = f(&mut tx)?;
        if commit {
            tx.commit()?;
        } else {
            tx.abort()?;
        }
        Ok(out)
    }

    pub fn get<T: Record>(&self, key: &str) -> Result<Option<Versioned<T>>> {
        let txn = self.db.begin_read()?;
        let Some(table) = tables::open_read(&txn, tables::record_table(T::KIND))? else {
            return Ok(None);
        };
        match table.get(key)? {
            Some(v) => {
                Ok(Some(codec::decode(v.value()).map_err(|e| {
                    Error::codec(format!("{} {key}", T::KIND), e)
                })?))
            }
            None => Ok(None),
        }
    }

    /// Every record of a kind, in key order.
    pub fn list<T: Record>(&self) -> Result<Vec<Versioned<T>>> {
        let txn = self.db.begin_read()?;
        let Some(table) = tables::open_read(&txn, tables::record_table(T::KIND))? else {
            return Ok(Vec::new());
        };
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
        let txn = self.db.begin_read()?;
        let Some(table) = tables::open_read(&txn, tables::record_table(T::KIND))? else {
            return Ok(Vec::new());
        };
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

    /// redb's own integrity check (page checksums). Needs no other handle in this process.
    pub fn check_integrity(&mut self) -> Result<bool> {
        self.exclusive_db()?
            .check_integrity()
            .map_err(|e| Error::Database {
                path: self.path.clone(),
                source: e.into(),
            })
    }

    /// Returns freed pages to the file system. Only worth it when no other process is attached.
    pub fn compact(&mut self) -> Result<bool> {
        self.exclusive_db()?.compact().map_err(|e| Error::Database {
            path: self.path.clone(),
            source: e.into(),
        })
    }

    /// The database, when no `as_of` handle shares it.
    fn exclusive_db(&mut self) -> Result<&mut Database> {
        let path = self.path.clone();
        Arc::get_mut(&mut self.db).ok_or_else(|| {
            Error::Invalid(format!(
                "{}: a backdated (as_of) handle is still open on this file",
                path.display()
            ))
        })
    }
}
