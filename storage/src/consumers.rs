//! Reading the outbox: consumers with a durable cursor. Consumers must be idempotent: after a
//! crash between their work and the cursor move, the same events come again.

use redb::{ReadableDatabase, ReadableTable};

use crate::outbox::Event;
use crate::tables::{CURSORS, META, OUTBOX};
use crate::tenant::Tenant;
use crate::tx::Tx;
use crate::{Error, Result, codec};

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

impl Tx<'_> {
    /// A consumer's cursor, read inside this transaction.
    pub fn cursor(&self, consumer: &str) -> Result<u64> {
        let table = self.txn.open_table(CURSORS)?;
        Ok(table.get(consumer)?.map(|v| v.value()).unwrap_or(0))
    }

    /// Moves a consumer's cursor in the same transaction as the work it did: the work and
    /// the cursor commit together, so a crash between them cannot happen.
    pub fn set_cursor(&mut self, consumer: &str, seq: u64) -> Result<()> {
        self.txn.open_table(CURSORS)?.insert(consumer, seq)?;
        Ok(())
    }
}
