//! The transactional outbox: events written in the same transaction as the change they
//! describe, read by consumers that keep a durable cursor. Consumers must be idempotent: after a
//! crash between their work and the cursor move, the same events come again.

use redb::{ReadableDatabase, ReadableTable};
use serde::{Deserialize, Serialize};

use crate::search::SearchDoc;
use crate::tables::{CURSORS, META, OUTBOX};
use crate::tenant::Tenant;
use crate::{Error, Result, codec};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SearchOp {
    None,
    Upsert(SearchDoc),
    Delete { kind: String, key: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the outbox, from 1; assigned at commit.
    pub seq: u64,
    /// e.g. "user.create", "audit.append", "alert.raised"
    pub name: String,
    pub kind: String,
    pub key: String,
    pub actor: String,
    pub at: jiff::Timestamp,
    pub search: SearchOp,
    /// Domain payload (codec-encoded), empty when the event says all.
    pub payload: Vec<u8>,
}

impl Event {
    pub(crate) fn new(
        name: &str,
        kind: &str,
        key: &str,
        actor: &str,
        at: jiff::Timestamp,
        search: SearchOp,
    ) -> Event {
        Event {
            seq: 0,
            name: name.into(),
            kind: kind.into(),
            key: key.into(),
            actor: actor.into(),
            at,
            search,
            payload: Vec::new(),
        }
    }
}

impl Tenant {
    /// Seq of the newest event (0 when none).
    pub fn outbox_head(&self) -> Result<u64> {
        Ok(self.meta("outbox_seq")?.unwrap_or(0))
    }

    pub fn cursor(&self, consumer: &str) -> Result<u64> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(CURSORS)?;
        Ok(table.get(consumer)?.map(|v| v.value()).unwrap_or(0))
    }

    /// Up to `limit` events after `consumer`'s cursor, oldest first.
    pub fn pending(&self, consumer: &str, limit: usize) -> Result<Vec<Event>> {
        let after = self.cursor(consumer)?;
        self.events_after(after, limit)
    }

    pub fn events_after(&self, after: u64, limit: usize) -> Result<Vec<Event>> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(OUTBOX)?;
        let mut out = Vec::new();
        for row in table.range(after + 1..)?.take(limit) {
            let (seq, bytes) = row?;
            out.push(
                codec::decode(bytes.value())
                    .map_err(|e| Error::codec(format!("outbox event {}", seq.value()), e))?,
            );
        }
        Ok(out)
    }

    /// Moves a consumer's cursor forward to `seq` (never backwards: a slow duplicate consumer
    /// cannot undo a faster one's progress).
    pub fn advance(&self, consumer: &str, seq: u64) -> Result<()> {
        let txn = self.db().begin_write()?;
        {
            let mut table = txn.open_table(CURSORS)?;
            let current = table.get(consumer)?.map(|v| v.value()).unwrap_or(0);
            if seq > current {
                table.insert(consumer, seq)?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// Sets a cursor back, so the consumer replays from `seq + 1` (reindex, recovery).
    pub fn rewind(&self, consumer: &str, seq: u64) -> Result<()> {
        let txn = self.db().begin_write()?;
        {
            txn.open_table(CURSORS)?.insert(consumer, seq)?;
            let mut meta = txn.open_table(META)?;
            let counter = meta.get("change_counter")?.map(|v| v.value()).unwrap_or(0);
            meta.insert("change_counter", counter + 1)?;
        }
        txn.commit()?;
        Ok(())
    }
}
