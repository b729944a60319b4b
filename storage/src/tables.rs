//! Fixed redb tables every tenant file has. Record tables are named by `Record::KIND`.

use redb::TableDefinition;

/// Counters and settings: schema_version, change_counter, next_id:<kind>, outbox_seq, audit_seq.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// seq -> Event
pub const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox");
/// consumer name -> last handled seq
pub const CURSORS: TableDefinition<&str, u64> = TableDefinition::new("outbox_cursors");
/// seq -> AuditEntry
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");
/// "head" -> Seal
pub const AUDIT_SEAL: TableDefinition<&str, &[u8]> = TableDefinition::new("audit_seal");
/// (kind, key) -> SearchDoc: the searchable projection the index is rebuilt from.
pub const SEARCH_DOCS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("search_docs");

pub fn record_table(kind: &'static str) -> TableDefinition<'static, &'static str, &'static [u8]> {
    TableDefinition::new(kind)
}

/// Opens a table for reading; None when no write has created it yet (a fresh file), which
/// readers treat as empty.
pub(crate) fn open_read<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &redb::ReadTransaction,
    def: TableDefinition<K, V>,
) -> crate::Result<Option<redb::ReadOnlyTable<K, V>>> {
    match txn.open_table(def) {
        Ok(t) => Ok(Some(t)),
        Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
