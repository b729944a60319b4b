//! The audit trail: append-only, each entry chained to the previous one by SHA-256, the head
//! sealed with HMAC-SHA256 under a key kept outside the database. Altering, removing or
//! reordering any entry, or the seal, breaks verification at a named entry.

use hmac::{Hmac, Mac};
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::outbox::{Event, SearchOp};
use crate::search_doc::SearchDoc;
use crate::tables::{AUDIT, AUDIT_SEAL, META, SEARCH_DOCS};
use crate::{Error, Result, codec};

type HmacSha256 = Hmac<Sha256>;

pub(crate) struct AuditDraft {
    pub action: String,
    pub entity: String,
    pub detail: String,
    pub digest: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: jiff::Timestamp,
    pub actor: String,
    /// e.g. "user.create", "audit.verify", "denied:user.manage"
    pub action: String,
    /// e.g. "user/alice"
    pub entity: String,
    pub detail: String,
    /// SHA-256 of the change (the new stored value, or the detail text).
    pub digest: [u8; 32],
    pub prev: [u8; 32],
    pub hash: [u8; 32],
}

/// The fields the chain hash covers: everything but the hash itself.
#[derive(Serialize)]
struct Chained<'a> {
    seq: u64,
    at: &'a jiff::Timestamp,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    detail: &'a str,
    digest: &'a [u8; 32],
}

impl AuditEntry {
    pub(crate) fn compute_hash(&self) -> Result<[u8; 32]> {
        let body = codec::encode(&Chained {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            entity: &self.entity,
            detail: &self.detail,
            digest: &self.digest,
        })
        .map_err(|e| Error::codec("audit entry", e))?;
        let mut h = Sha256::new();
        h.update(self.prev);
        h.update(&body);
        Ok(h.finalize().into())
    }

    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Seal {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
    pub(crate) mac: Vec<u8>,
}

pub(crate) fn seal_mac(key: &[u8], seq: u64, hash: &[u8; 32]) -> HmacSha256 {
    // HMAC takes keys of any length; new_from_slice cannot fail for HMAC.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(&seq.to_be_bytes());
    mac.update(hash);
    mac
}

/// Appends drafts to the chain inside `txn` and reseals the head. Returns the outbox events that
/// index the new entries for search.
pub(crate) fn append(
    txn: &WriteTransaction,
    actor: &str,
    at: jiff::Timestamp,
    key: &[u8],
    drafts: Vec<AuditDraft>,
) -> Result<Vec<Event>> {
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let mut table = txn.open_table(AUDIT)?;
    let mut docs = txn.open_table(SEARCH_DOCS)?;
    let mut meta = txn.open_table(META)?;
    let mut seq = meta.get("audit_seq")?.map(|v| v.value()).unwrap_or(0);
    let last = match table.last()? {
        Some((_, bytes)) => Some(
            codec::decode::<AuditEntry>(bytes.value())
                .map_err(|e| Error::codec("audit entry", e))?,
        ),
        None => None,
    };
    let mut prev = last.as_ref().map_or([0u8; 32], |e| e.hash);
    // Resealing a head that no longer matches its seal would hide removed entries: record the
    // mismatch in the chain itself first, where verification will always find it.
    let mut drafts = drafts;
    if let Some(problem) = head_problem(txn, key, last.as_ref())? {
        let digest = Sha256::digest(problem.as_bytes()).into();
        drafts.insert(
            0,
            AuditDraft {
                action: SEAL_BROKEN.into(),
                entity: "audit".into(),
                detail: problem,
                digest,
            },
        );
    }
    let mut events = Vec::with_capacity(drafts.len());
    for d in drafts {
        seq += 1;
        let mut entry = AuditEntry {
            seq,
            at,
            actor: actor.to_owned(),
            action: d.action,
            entity: d.entity,
            detail: d.detail,
            digest: d.digest,
            prev,
            hash: [0; 32],
        };
        entry.hash = entry.compute_hash()?;
        prev = entry.hash;
        let bytes = codec::encode(&entry).map_err(|e| Error::codec("audit entry", e))?;
        table.insert(seq, bytes.as_slice())?;
        let key_str = seq.to_string();
        let doc = search_doc(&entry);
        let doc_bytes = codec::encode(&doc).map_err(|e| Error::codec("search doc", e))?;
        docs.insert(("audit", key_str.as_str()), doc_bytes.as_slice())?;
        events.push(Event::new(
            "audit.append",
            "audit",
            &key_str,
            actor,
            at,
            SearchOp::Upsert(doc),
        ));
    }
    meta.insert("audit_seq", seq)?;
    let seal = Seal {
        seq,
        hash: prev,
        mac: seal_mac(key, seq, &prev).finalize().into_bytes().to_vec(),
    };
    let seal_bytes = codec::encode(&seal).map_err(|e| Error::codec("audit seal", e))?;
    txn.open_table(AUDIT_SEAL)?
        .insert("head", seal_bytes.as_slice())?;
    Ok(events)
}

/// The action of the entry a seal-key rotation writes, sealed under the new key.
pub const SEAL_ROTATED: &str = "audit.seal_rotated";

/// Moves the chain's seal from `old` to `new` inside `txn`: the head must match its seal under
/// the old key (a broken chain is not resealed over), is resealed under the new one, and the
/// rotation itself is appended as an entry. A chain sealed under `new` already is left as it is,
/// so a rotation cut short can be run again. Returns the entry's search events.
pub(crate) fn rotate(
    txn: &WriteTransaction,
    actor: &str,
    at: jiff::Timestamp,
    old: &[u8],
    new: &[u8],
    why: &str,
) -> Result<Vec<Event>> {
    let last = match txn.open_table(AUDIT)?.last()? {
        Some((_, bytes)) => Some(
            codec::decode::<AuditEntry>(bytes.value())
                .map_err(|e| Error::codec("audit entry", e))?,
        ),
        None => None,
    };
    if let Some(problem) = head_problem(txn, old, last.as_ref())? {
        // Moved already (a rotation that stopped before the key was saved, run again).
        if last.is_some() && head_problem(txn, new, last.as_ref())?.is_none() {
            return Ok(Vec::new());
        }
        return Err(Error::Invalid(format!(
            "the audit chain's head does not match its seal ({problem}): run `opsdeck audit verify` before rotating the key"
        )));
    }
    let (seq, hash) = last.as_ref().map_or((0, [0u8; 32]), |e| (e.seq, e.hash));
    if last.is_some() {
        let seal = Seal {
            seq,
            hash,
            mac: seal_mac(new, seq, &hash).finalize().into_bytes().to_vec(),
        };
        let bytes = codec::encode(&seal).map_err(|e| Error::codec("audit seal", e))?;
        txn.open_table(AUDIT_SEAL)?
            .insert("head", bytes.as_slice())?;
    }
    let digest = Sha256::digest(why.as_bytes()).into();
    append(
        txn,
        actor,
        at,
        new,
        vec![AuditDraft {
            action: SEAL_ROTATED.into(),
            entity: "audit".into(),
            detail: why.to_owned(),
            digest,
        }],
    )
}

/// The action of the entry written when an append finds the head not matching its seal.
pub const SEAL_BROKEN: &str = "audit.seal_broken";

/// Why the current head does not match its seal, if it does not.
fn head_problem(
    txn: &WriteTransaction,
    key: &[u8],
    last: Option<&AuditEntry>,
) -> Result<Option<String>> {
    let seal: Option<Seal> = match txn.open_table(AUDIT_SEAL)?.get("head")? {
        Some(b) => codec::decode(b.value()).ok(),
        None => None,
    };
    Ok(match (last, seal) {
        (None, None) => None,
        (Some(e), None) => Some(format!("entry {} is the head but nothing is sealed", e.seq)),
        (last, Some(seal)) => {
            let (seq, hash) = last.map_or((0, [0u8; 32]), |e| (e.seq, e.hash));
            if seal_mac(key, seal.seq, &seal.hash)
                .verify_slice(&seal.mac)
                .is_err()
            {
                Some("the seal does not match the site key".into())
            } else if seal.seq != seq || seal.hash != hash {
                Some(format!(
                    "the sealed head was entry {} but the chain ended at {seq}",
                    seal.seq
                ))
            } else {
                None
            }
        }
    })
}

fn search_doc(e: &AuditEntry) -> SearchDoc {
    SearchDoc {
        kind: "audit".into(),
        key: e.seq.to_string(),
        title: format!("{} {} by {}", e.action, e.entity, e.actor),
        body: e.detail.clone(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact,
    /// The first entry (by seq) that does not verify, and why.
    Broken {
        seq: u64,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: u64,
    pub verdict: Verdict,
}
