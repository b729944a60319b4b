//! The audit trail as people read it: the newest entries, and the whole chain verified against
//! its seal (`opsdeck audit verify` names the first broken link).

use hmac::Mac;
use redb::{ReadableDatabase, ReadableTable};

use crate::audit::{AuditEntry, SEAL_BROKEN, Seal, Verdict, VerifyReport, seal_mac};
use crate::tables::{AUDIT, AUDIT_SEAL};
use crate::tenant::Tenant;
use crate::{Error, Result, codec};

impl Tenant {
    /// Entries newest first, at most `limit`.
    pub fn audit_recent(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(AUDIT)?;
        let mut out = Vec::new();
        for row in table.iter()?.rev().take(limit) {
            let (seq, bytes) = row?;
            out.push(
                codec::decode(bytes.value())
                    .map_err(|e| Error::codec(format!("audit entry {}", seq.value()), e))?,
            );
        }
        Ok(out)
    }

    /// Entries newest first that `keep` accepts, at most `limit`, reading back from the head.
    pub fn audit_matching(
        &self,
        limit: usize,
        keep: impl Fn(&AuditEntry) -> bool,
    ) -> Result<Vec<AuditEntry>> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(AUDIT)?;
        let mut out = Vec::new();
        for row in table.iter()?.rev() {
            if out.len() >= limit {
                break;
            }
            let (seq, bytes) = row?;
            let e: AuditEntry = codec::decode(bytes.value())
                .map_err(|e| Error::codec(format!("audit entry {}", seq.value()), e))?;
            if keep(&e) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Entries newest first with `from <= seq <= to`.
    pub fn audit_between(&self, from: u64, to: u64) -> Result<Vec<AuditEntry>> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(AUDIT)?;
        let mut out = Vec::new();
        for row in table.range(from..=to)?.rev() {
            let (seq, bytes) = row?;
            out.push(
                codec::decode(bytes.value())
                    .map_err(|e| Error::codec(format!("audit entry {}", seq.value()), e))?,
            );
        }
        Ok(out)
    }

    /// The newest entry `found` accepts, reading back from the head one entry at a time.
    pub fn audit_find(&self, found: impl Fn(&AuditEntry) -> bool) -> Result<Option<AuditEntry>> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(AUDIT)?;
        for row in table.iter()?.rev() {
            let (seq, bytes) = row?;
            let e: AuditEntry = codec::decode(bytes.value())
                .map_err(|e| Error::codec(format!("audit entry {}", seq.value()), e))?;
            if found(&e) {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }

    /// Walks the whole chain and checks the seal.
    pub fn audit_verify(&self) -> Result<VerifyReport> {
        let txn = self.db().begin_read()?;
        let table = txn.open_table(AUDIT)?;
        let mut prev = [0u8; 32];
        let mut count = 0u64;
        let broken = |seq: u64, reason: String, count: u64| {
            Ok(VerifyReport {
                entries: count,
                verdict: Verdict::Broken { seq, reason },
            })
        };
        for row in table.iter()? {
            let (k, bytes) = row?;
            let seq = k.value();
            let expected_seq = count + 1;
            let entry: AuditEntry = match codec::decode(bytes.value()) {
                Ok(e) => e,
                Err(e) => return broken(seq, format!("entry is unreadable: {e}"), count),
            };
            if seq != expected_seq || entry.seq != seq {
                return broken(
                    expected_seq,
                    format!("entry {expected_seq} is missing (found {seq} next)"),
                    count,
                );
            }
            if entry.prev != prev {
                return broken(seq, "does not link to the previous entry".into(), count);
            }
            if entry.compute_hash()? != entry.hash {
                return broken(
                    seq,
                    "content was altered after it was written".into(),
                    count,
                );
            }
            if entry.action == SEAL_BROKEN {
                return broken(
                    seq,
                    format!(
                        "tampering found before this entry was written: {}",
                        entry.detail
                    ),
                    count,
                );
            }
            prev = entry.hash;
            count += 1;
        }
        let seal_table = txn.open_table(AUDIT_SEAL)?;
        let seal: Option<Seal> = match seal_table.get("head")? {
            Some(b) => match codec::decode(b.value()) {
                Ok(s) => Some(s),
                Err(e) => return broken(count, format!("the seal is unreadable: {e}"), count),
            },
            None => None,
        };
        match seal {
            None if count == 0 => {}
            None => return broken(count, "the chain head has no seal".into(), count),
            Some(seal) => {
                if seal_mac(self.seal_key(), seal.seq, &seal.hash)
                    .verify_slice(&seal.mac)
                    .is_err()
                {
                    return broken(
                        seal.seq,
                        "the seal does not match the site key (seal forged or key changed)".into(),
                        count,
                    );
                }
                if seal.seq != count || seal.hash != prev {
                    return broken(
                        count.min(seal.seq).max(1),
                        format!(
                            "the sealed head is entry {} but the chain ends at {count} (entries removed or added)",
                            seal.seq
                        ),
                        count,
                    );
                }
            }
        }
        Ok(VerifyReport {
            entries: count,
            verdict: Verdict::Intact,
        })
    }
}
