//! Posting inside one transaction: a `Posting` becomes immutable entries, once per source key.
//! Every entry's effect is added to its cell's totals (month x cost center x category) in the
//! same transaction, so the grid reads a few thousand totals, never the entries.
//!
//! Effects: a commitment adds to committed; a realization adds to realized and, against a
//! commitment, writes a `Consume` entry in the commitment's cell that takes what it used (up to
//! what is left) off committed; a release or void takes what is left off committed; savings add
//! to savings; an adjustment to realized. A posting dated in a closed month lands in the first
//! open month as an adjustment naming its original month.

use jiff::civil::Date;
use opsdeck_storage::records::ledger::{Category, CostCenter, Entry, Month, PeriodClose, Phase};
use opsdeck_storage::{Tx, Versioned, codec, why};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::posting::Posting;
use crate::domain::service::{FieldError, check_decimal};

/// Consumer-state namespaces, written in the same transaction as the entries they describe.
pub const TOTALS: &str = "ledger.totals";
/// A cell's planned amount, kept beside its budget line (the grid reads states only).
pub const PLANNED: &str = "ledger.planned";
pub const SOURCES: &str = "ledger.source";
pub const COMMITMENTS: &str = "ledger.commitment";
pub const CONFLICTS: &str = "ledger.conflict";

/// The cost center postings land in when nothing they name is covered by one.
pub const UNASSIGNED: &str = "SEM-CC";
/// The category unknown category codes post to.
pub const OTHER: &str = "other";

/// One cell's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub committed: Decimal,
    pub realized: Decimal,
    pub savings: Decimal,
    pub entries: u64,
}

impl Totals {
    pub fn add(&mut self, o: &Totals) {
        self.committed += o.committed;
        self.realized += o.realized;
        self.savings += o.savings;
        self.entries += o.entries;
    }

    fn of(e: &Entry) -> Totals {
        Totals {
            committed: e.committed,
            realized: e.realized,
            savings: e.savings,
            entries: 1,
        }
    }
}

/// The key of a cell's totals.
pub fn cell_key(month: Month, cost_center: &str, category: &str) -> String {
    // A cell is keyed like its budget line: one key names both.
    opsdeck_storage::records::ledger::BudgetLine::key(month, cost_center, category)
}

/// A commitment and what became of it: `amount = consumed + released + open`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub entry: String,
    pub month: Month,
    pub cost_center: String,
    pub category: String,
    pub amount: Decimal,
    pub consumed: Decimal,
    pub released: Decimal,
}

impl Commitment {
    pub fn open(&self) -> Decimal {
        self.amount - self.consumed - self.released
    }
}

/// What was posted under a source key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    pub digest: String,
    pub entries: Vec<String>,
}

/// A posting refused because its key was posted with other content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub source: String,
    pub description: String,
    /// The outbox event it came in (0: typed by a user).
    pub seq: u64,
    pub at: jiff::Timestamp,
    /// The month the refused posting was for.
    pub month: Month,
    /// The close that went over it with its reason (it no longer holds later months back).
    pub closed_over: Option<Month>,
    /// The refused posting's digest (its replay is not reported again).
    pub digest: String,
}

/// A posting from the outbox the ledger could not take (unreadable, or wrong values): kept
/// until a close goes over it, like a conflict. Keyed by its event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub seq: u64,
    pub source: String,
    /// Why, in English (the audit entry says the same).
    pub why: String,
    /// The month it was for, when it could be read.
    pub month: Option<Month>,
    pub closed_over: Option<Month>,
}

/// Consumer-state namespace of rejected postings, keyed by event seq (zero-padded).
pub const REJECTED: &str = "ledger.rejected";

/// Keeps a rejected posting for the close-readiness view (once per event).
pub fn reject(
    tx: &mut Tx,
    seq: u64,
    source: &str,
    month: Option<Month>,
    why: &str,
) -> opsdeck_storage::Result<()> {
    let key = format!("{seq:012}");
    if read::<Rejected>(tx, REJECTED, &key)?.is_some() {
        return Ok(());
    }
    tx.audit(
        "ledger.rejected",
        &format!("outbox/{seq}"),
        &format!("{source}: {why}"),
    );
    put(
        tx,
        REJECTED,
        &key,
        &Rejected {
            seq,
            source: source.to_owned(),
            why: why.to_owned(),
            month,
            closed_over: None,
        },
    )
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Posted(Vec<Versioned<Entry>>),
    /// Posted before with the same content: nothing written.
    Replay,
    /// Posted before with other content: nothing written, the conflict kept.
    Conflict,
    /// The posting itself is wrong (an event from a bug): nothing written.
    Invalid(FieldError),
}

/// How a write into a closed month is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Late {
    /// Automatic postings: into the first open month, as an adjustment.
    Adjust,
    /// A user's posting: refused, the refusal offers the adjustment.
    Refuse,
}

pub(crate) fn read<T: serde::de::DeserializeOwned>(
    tx: &Tx,
    ns: &str,
    key: &str,
) -> opsdeck_storage::Result<Option<T>> {
    match tx.state(ns, key)? {
        Some(b) => Ok(Some(codec::decode(&b).map_err(|e| {
            opsdeck_storage::Error::codec(format!("{ns} {key}"), e)
        })?)),
        None => Ok(None),
    }
}

pub(crate) fn put<T: Serialize>(
    tx: &mut Tx,
    ns: &str,
    key: &str,
    v: &T,
) -> opsdeck_storage::Result<()> {
    let b = codec::encode(v).map_err(|e| opsdeck_storage::Error::codec(ns.to_owned(), e))?;
    tx.set_state(ns, key, &b)
}

pub fn is_closed(tx: &Tx, m: Month) -> opsdeck_storage::Result<bool> {
    Ok(tx.get::<PeriodClose>(&m.to_string())?.is_some())
}

/// The first month from `m` on that is open.
pub fn first_open(tx: &Tx, mut m: Month) -> opsdeck_storage::Result<Month> {
    // Months close in order, so this walks at most the closed tail.
    while is_closed(tx, m)? {
        m = m.next();
    }
    Ok(m)
}

/// The cost center a posting lands in: the one it names, else the first that covers its
/// scope, else `UNASSIGNED` (made when first needed, so finance sees what has no home).
fn cost_center_of(tx: &mut Tx, p: &Posting) -> opsdeck_storage::Result<String> {
    if let Some(cc) = &p.cost_center
        && tx.get::<CostCenter>(cc)?.is_some()
    {
        return Ok(cc.clone());
    }
    if !p.scope.is_empty() {
        let centers = super::centers::all_in(tx)?;
        for s in &p.scope {
            if let Some(c) = centers.iter().find(|c| c.covers.iter().any(|v| v == s)) {
                return Ok(c.code.clone());
            }
        }
    }
    if tx.get::<CostCenter>(UNASSIGNED)?.is_none() {
        tx.insert(
            UNASSIGNED,
            CostCenter {
                code: UNASSIGNED.into(),
                name: "Sem centro de custo".into(),
                parent: None,
                kind: opsdeck_storage::records::ledger::CcKind::Other,
                covers: Vec::new(),
                active: true,
            },
        )?;
    }
    Ok(UNASSIGNED.into())
}

/// The category a posting lands in: its own, else "other". The built-in categories are made
/// when first needed (a tenant that only ever posted gas has them too).
fn category_of(tx: &mut Tx, code: &str) -> opsdeck_storage::Result<String> {
    if tx.get::<Category>(code)?.is_some() {
        return Ok(code.to_owned());
    }
    if tx.get::<Category>(OTHER)?.is_none() {
        super::centers::ensure_builtin(tx)?;
        if tx.get::<Category>(code)?.is_some() {
            return Ok(code.to_owned());
        }
    }
    Ok(OTHER.to_owned())
}

/// The days a posting may be for.
pub const FIRST_DAY: jiff::civil::Date = jiff::civil::date(1900, 1, 1);
pub const LAST_DAY: jiff::civil::Date = jiff::civil::date(2999, 12, 31);

/// Money is kept in cents: what a source computes (hours x rate, quantity x average cost) is
/// rounded half away from zero.
pub fn cents(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// What is wrong with a posting, if anything (before anything is read).
pub fn check(p: &Posting) -> Option<FieldError> {
    if p.source.trim().is_empty() {
        return Some(FieldError::new("source", why!(IsRequired)));
    }
    if p.date < FIRST_DAY || p.date > LAST_DAY {
        return Some(FieldError::new("date", why!(DateOutOfRange, p.date)));
    }
    if let Some(e) = check_decimal("amount", cents(p.amount)) {
        return Some(e);
    }
    let p = &Posting {
        amount: cents(p.amount),
        ..p.clone()
    };
    match p.phase {
        Phase::Commit | Phase::Realize | Phase::Savings if p.amount <= Decimal::ZERO => {
            Some(FieldError::new("amount", why!(MustBePositive, p.amount)))
        }
        Phase::Adjust if p.amount.is_zero() => Some(FieldError::new("amount", why!(MustNotBeZero))),
        Phase::Release | Phase::Void if p.against.is_none() => {
            Some(FieldError::new("against", why!(IsRequired)))
        }
        Phase::Consume => Some(FieldError::new(
            "phase",
            why!(
                UnknownValue,
                "phase",
                "consume",
                "commit, realize, release, void, savings, adjust"
            ),
        )),
        _ => None,
    }
}

/// Posts `p` in `tx` as made by the transaction's actor. `seq` is the outbox event it came in
/// (0 when typed by a user).
pub fn post(tx: &mut Tx, p: &Posting, seq: u64, late: Late) -> opsdeck_storage::Result<Outcome> {
    let origin = Origin {
        seq,
        by: tx.actor().to_owned(),
        digest: p.digest(),
    };
    post_from(tx, p, &origin, late)
}

/// Where a posting comes from: its outbox event, who made the change, and what decides "the
/// same posting" for its key.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The outbox event (0: typed by a user).
    pub seq: u64,
    /// The user whose change it is (who closed the order, who keyed it).
    pub by: String,
    /// A digest of the posting as its source emitted it: for an event, its payload, not what
    /// the consumer derived from it (an asset that moved areas since, another zone), so that a
    /// replay is a replay whatever changed around it.
    pub digest: String,
}

/// Posts `p` in `tx` (see `Origin`).
pub fn post_from(
    tx: &mut Tx,
    p: &Posting,
    origin: &Origin,
    late: Late,
) -> opsdeck_storage::Result<Outcome> {
    let (seq, by) = (origin.seq, origin.by.as_str());
    let digest = origin.digest.clone();
    // A cost line of nothing (labor at rate 0): nothing to post, its key remembered.
    if p.phase == Phase::Realize && cents(p.amount).is_zero() && seq != 0 {
        if read::<Posted>(tx, SOURCES, &p.source)?.is_none() {
            put(
                tx,
                SOURCES,
                &p.source,
                &Posted {
                    digest,
                    entries: Vec::new(),
                },
            )?;
        }
        return Ok(Outcome::Posted(Vec::new()));
    }
    if let Some(e) = check(p) {
        return Ok(Outcome::Invalid(e));
    }
    if let Some(prev) = read::<Posted>(tx, SOURCES, &p.source)? {
        if prev.digest == digest {
            return Ok(Outcome::Replay);
        }
        // The same conflicting posting again (a replay): already reported.
        if read::<Conflict>(tx, CONFLICTS, &p.source)?.is_some_and(|c| c.digest == digest) {
            return Ok(Outcome::Conflict);
        }
        let conflict = Conflict {
            digest: digest.clone(),
            source: p.source.clone(),
            description: p.description.clone(),
            seq,
            at: tx.now(),
            month: Month::of(p.date),
            closed_over: None,
        };
        let detail = format!(
            "{} posted again with other values (event {seq}): {} {} {}; not posted",
            p.source, p.phase, p.amount, p.description
        );
        put(tx, CONFLICTS, &p.source, &conflict)?;
        tx.audit(
            "ledger.conflict",
            &format!("ledger_source/{}", p.source),
            &detail,
        );
        return Ok(Outcome::Conflict);
    }
    let wanted = Month::of(p.date);
    let month = first_open(tx, wanted)?;
    let is_late = month != wanted;
    if is_late && late == Late::Refuse {
        return Ok(Outcome::Invalid(closed(wanted, month)));
    }
    let commitment = match &p.against {
        Some(k) => read::<Commitment>(tx, COMMITMENTS, k)?,
        None => None,
    };
    if matches!(p.phase, Phase::Release | Phase::Void)
        && commitment
            .as_ref()
            .is_none_or(|c| c.open() <= Decimal::ZERO)
    {
        // Nothing committed (an order without an estimate) or nothing left: remember the key.
        put(
            tx,
            SOURCES,
            &p.source,
            &Posted {
                digest,
                entries: Vec::new(),
            },
        )?;
        return Ok(Outcome::Posted(Vec::new()));
    }
    // A release or void lands where its commitment is; anything else where it says.
    let (cost_center, category) = match (&commitment, p.phase) {
        (Some(c), Phase::Release | Phase::Void) => (c.cost_center.clone(), c.category.clone()),
        _ => (cost_center_of(tx, p)?, category_of(tx, &p.category)?),
    };
    let amount = cents(p.amount);
    let mut entry = Entry {
        id: 0,
        month,
        date: p.date,
        cost_center,
        category,
        phase: if is_late { Phase::Adjust } else { p.phase },
        amount,
        committed: Decimal::ZERO,
        realized: Decimal::ZERO,
        savings: Decimal::ZERO,
        source: p.source.clone(),
        against: p.against.clone(),
        original_month: match (&p.corrects, is_late) {
            (_, true) => Some(wanted),
            (Some(k), false) => tx.get::<Entry>(k)?.map(|e| e.value.month),
            (None, false) => None,
        },
        corrects: p.corrects.clone(),
        description: p.description.clone(),
        reason: p.reason.clone(),
        evidence: p.evidence.clone(),
        link: p.link.clone(),
        by: by.to_owned(),
    };
    let mut written = Vec::new();
    match p.phase {
        Phase::Commit => entry.committed = amount,
        Phase::Realize => {
            entry.realized = amount;
            if let (Some(mut c), Some(k)) = (commitment, &p.against) {
                let take = amount.min(c.open()).max(Decimal::ZERO);
                if !take.is_zero() {
                    c.consumed += take;
                    put(tx, COMMITMENTS, k, &c)?;
                    let consume = Entry {
                        phase: Phase::Consume,
                        amount: take,
                        committed: -take,
                        realized: Decimal::ZERO,
                        cost_center: c.cost_center.clone(),
                        category: c.category.clone(),
                        description: format!("{} (de {})", p.description, k),
                        ..entry.clone()
                    };
                    written.push(consume);
                }
            }
        }
        Phase::Release | Phase::Void => {
            // There is an open commitment (checked above).
            if let (Some(mut c), Some(k)) = (commitment, &p.against) {
                let open = c.open();
                c.released += open;
                put(tx, COMMITMENTS, k, &c)?;
                entry.amount = open;
                entry.committed = -open;
            }
        }
        Phase::Savings => entry.savings = amount,
        Phase::Adjust => entry.realized = amount,
        // Refused by `check`.
        Phase::Consume => {}
    }
    written.insert(0, entry);
    let mut stored = Vec::new();
    for mut e in written {
        e.id = tx.next_id(<Entry as opsdeck_storage::Record>::KIND)?;
        let key = Entry::key(e.month, &e.cost_center, &e.category, e.id);
        let cell = cell_key(e.month, &e.cost_center, &e.category);
        let mut t = read::<Totals>(tx, TOTALS, &cell)?.unwrap_or_default();
        t.add(&Totals::of(&e));
        put(tx, TOTALS, &cell, &t)?;
        stored.push(tx.insert(&key, e)?);
    }
    if p.phase == Phase::Commit {
        let first = &stored[0];
        put(
            tx,
            COMMITMENTS,
            &p.source,
            &Commitment {
                entry: first.key.clone(),
                month: first.value.month,
                cost_center: first.value.cost_center.clone(),
                category: first.value.category.clone(),
                amount,
                consumed: Decimal::ZERO,
                released: Decimal::ZERO,
            },
        )?;
    }
    put(
        tx,
        SOURCES,
        &p.source,
        &Posted {
            digest,
            entries: stored.iter().map(|e| e.key.clone()).collect(),
        },
    )?;
    Ok(Outcome::Posted(stored))
}

/// The refusal of a write into closed `month`, offering the adjustment in `open`.
pub fn closed(month: Month, open: Month) -> FieldError {
    FieldError::new("date", why!(PeriodClosed, month, open))
}

/// A refusal for the date of a user's posting, if its month is closed.
pub fn check_open(tx: &Tx, date: Date) -> opsdeck_storage::Result<Option<FieldError>> {
    let m = Month::of(date);
    if is_closed(tx, m)? {
        return Ok(Some(closed(m, first_open(tx, m)?)));
    }
    Ok(None)
}
