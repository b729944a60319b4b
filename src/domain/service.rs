//! What every domain service does the same way: refusing a value (`FieldError`), one write
//! transaction that may refuse after reading (`write_checked`), and checking a role for one of
//! the service's actions (`Guarded`, `require`), the refusal worded like `access::Denied` and
//! audited. Each service keeps its own action enum: it is that service's vocabulary.

use std::fmt;

use anyhow::Result;
use opsdeck_storage::records::user::Role;
use opsdeck_storage::refusal::{Arg, Msg, Why};
use opsdeck_storage::why;
use opsdeck_storage::{Record, Tenant, Tx, Versioned};
use rust_decimal::Decimal;

use crate::domain::access::role_of;

/// A refused value: which field (as the service's input or argument names it; "lines.L3" for
/// one line) and why. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// Rendered in the user's language by the views; `Display` is English.
    pub why: Why,
}

impl FieldError {
    pub fn new(field: impl Into<String>, why: Why) -> Self {
        FieldError {
            field: field.into(),
            why,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.why)
    }
}

impl std::error::Error for FieldError {}

/// The largest quantity or amount accepted: far above any real order, small enough that
/// products and sums of `Decimal`s never overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// Quantities and money keep at most this many decimal places.
pub const MAX_DECIMALS: u32 = 4;

/// Size and precision limits shared by every quantity and amount (either sign).
pub(crate) fn check_decimal(field: &str, v: Decimal) -> Option<FieldError> {
    if v.normalize().scale() > MAX_DECIMALS {
        return Some(FieldError::new(
            field,
            why!(TooManyDecimals, v, MAX_DECIMALS),
        ));
    }
    (v.abs() > MAX_AMOUNT).then(|| FieldError::new(field, why!(TooLarge, v, MAX_AMOUNT)))
}

/// `v` above 0, within the limits.
pub(crate) fn check_positive(field: &str, v: Decimal) -> Option<FieldError> {
    if v <= Decimal::ZERO {
        return Some(FieldError::new(field, why!(MustBePositive, v)));
    }
    check_decimal(field, v)
}

/// An action a service checks the caller's role for (the UI may ask `allowed` too, e.g. to
/// offer only what the user may do).
pub trait Guarded: Copy + fmt::Debug + Send + Sync + 'static {
    /// Its name in refusals and in the audit trail ("denied:<name>"): "gas.entry", "wo.manage" ...
    fn name(self) -> &'static str;
    /// What it does, in words, for the refusal.
    fn what(self) -> Msg;
    fn allowed(self, role: Role) -> bool;
    /// Whom the refusal sends the user to.
    fn ask(self) -> Msg {
        Msg::AskSupervisor
    }
    /// The role the refusal suggests an admin gives a user who has none.
    fn suggested_role(self) -> Role {
        Role::Operator
    }
}

/// A refused action, worded like `access::Denied`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied<A> {
    pub user: String,
    pub tenant: String,
    pub role: Option<Role>,
    pub action: A,
    /// What was asked, in words: `action.what()`, or more precise where the record read decides
    /// (an operator and someone else's work order).
    pub what: Why,
}

impl<A: Guarded> Denied<A> {
    pub fn new(tenant: &Tenant, user: &str, role: Option<Role>, action: A) -> Self {
        Denied {
            user: user.into(),
            tenant: tenant.name().into(),
            role,
            action,
            what: action.what().into(),
        }
    }
}

impl<A: Guarded> Denied<A> {
    /// The refusal as a typed value, for the views to say in the user's language.
    pub fn why(&self) -> Why {
        let text = |v: &dyn fmt::Display| Arg::text(v);
        match self.role {
            Some(r) => Why::new(
                Msg::MayNot,
                vec![
                    text(&self.user),
                    text(&r),
                    text(&self.action.name()),
                    self.what.clone().into(),
                    text(&self.tenant),
                    Why::from(self.action.ask()).into(),
                ],
            ),
            None => Why::new(
                Msg::NoRoleIn,
                vec![
                    text(&self.user),
                    text(&self.tenant),
                    text(&self.action.suggested_role()),
                ],
            ),
        }
    }
}

impl<A: Guarded> fmt::Display for Denied<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.why().fmt(f)
    }
}

impl<A: Guarded> std::error::Error for Denied<A> {}

/// Checks `user` may do `action`; a refusal is audited (best effort), like `access::require`.
pub fn require<A: Guarded>(tenant: &Tenant, user: &str, action: A) -> Result<Role> {
    let role = role_of(tenant, user)?;
    match role.filter(|r| action.allowed(*r)) {
        Some(r) => Ok(r),
        None => Err(deny(tenant, Denied::new(tenant, user, role, action))),
    }
}

/// Audits a refusal as "denied:<name>" (best effort: a failed audit write does not turn the
/// refusal into a success) and returns it as the error.
pub fn deny<A: Guarded>(tenant: &Tenant, denied: Denied<A>) -> anyhow::Error {
    let detail = denied.to_string();
    if let Err(e) = tenant.write(&denied.user, |tx| {
        tx.audit(
            &format!("denied:{}", denied.action.name()),
            "access",
            &detail,
        );
        Ok(())
    }) {
        tracing::warn!("could not audit a refused action: {e}");
    }
    denied.into()
}

/// What a write closure decided.
pub(crate) enum Step<R> {
    /// Commit, and return R.
    Write(R),
    /// Nothing to change: roll back (not even the change counter moves), return R.
    Keep(R),
    Refuse(FieldError),
    /// A permission that depends on the record read: audited once the transaction has rolled
    /// back (the audit is a write of its own). Built by `Step::deny`.
    Deny(Box<dyn FnOnce(&Tenant) -> anyhow::Error>),
}

impl<R> Step<R> {
    pub(crate) fn deny<A: Guarded>(denied: Denied<A>) -> Step<R> {
        Step::Deny(Box::new(move |tenant| deny(tenant, denied)))
    }
}

/// One write transaction that may refuse after reading: a refusal or an error writes nothing
/// (a denial only its audit entry).
pub(crate) fn write_checked<R>(
    tenant: &Tenant,
    actor: &str,
    f: impl FnOnce(&mut Tx) -> opsdeck_storage::Result<Step<R>>,
) -> Result<R> {
    let step = tenant.write_if(actor, |tx| {
        let step = f(tx)?;
        Ok((matches!(step, Step::Write(_)), step))
    })?;
    match step {
        Step::Write(r) | Step::Keep(r) => Ok(r),
        Step::Refuse(e) => Err(e.into()),
        Step::Deny(audit) => Err(audit(tenant)),
    }
}

/// The storage conflict error ("changed by X at T"), for a record read at another version than
/// the caller expected.
pub(crate) fn conflict<T: Record>(current: &Versioned<T>, expected: u64) -> opsdeck_storage::Error {
    opsdeck_storage::Error::Conflict {
        kind: T::KIND.into(),
        key: current.key.clone(),
        by: current.changed_by.clone(),
        at: current.changed_at,
        expected,
        current: current.version,
    }
}
