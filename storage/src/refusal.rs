//! Why a service refused: a typed value (`Why`: which refusal, `Msg`, and the values it names)
//! that the views render in the user's language (`opsdeck_views::refusals`), and whose
//! `Display` is the English the CLI, the logs and the HTTP API print. A template names its
//! values `{0}`, `{1}` ...; a translation may ask for one to be translated too (`{1:status}`,
//! `{2:word}`), see the views.

use std::fmt;

macro_rules! refusals {
    ($($(#[$m:meta])* $name:ident => $en:literal,)+) => {
        /// Every refusal a service can give. Adding one makes the views' translation table
        /// incomplete until it says it in Portuguese too (a `match` without a wildcard).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($(#[$m])* $name,)+
        }

        impl Msg {
            pub const ALL: &[Msg] = &[$(Msg::$name),+];

            /// The English template.
            pub fn english(self) -> &'static str {
                match self {
                    $(Msg::$name => $en,)+
                }
            }
        }
    };
}

refusals! {
    // assets
    TagRequired => "is required (e.g. CH-01)",
    ValueTooLong => "'{0}' is longer than {1} characters",
    TagBadChar => "'{0}' has '{1}': use letters, digits, '-' and '_' only (e.g. CH-01)",
    RequiredExample => "is required (e.g. {0})",
    NotAKind => "'{0}' is not a kind: one word of letters, digits and '_' (known: {1})",
    IsRequired => "is required",
    IsTooLong => "is longer than {0} characters",
    DateInFuture => "{0} is in the future (today is {1})",
    NotADeviceId => "'{0}' is not a device id (one word, as the sensor sends it, e.g. AHU-01)",
    NoAssetInTenant => "no asset '{0}' in tenant '{1}' (try: opsdeck asset find {0})",
    TagUsedBy => "'{0}' is already used by '{1}'",
    NotADate => "'{0}' is not a date (YYYY-MM-DD)",
    TagOnRow => "'{0}' is also on row {1}",
    DeviceOnRow => "device '{0}' is also listed on row {1}",
    DeviceNotLinked => "'{0}' is not linked to asset '{1}' (its sensors: {2})",
    DeviceNotLinkedNoSensors => "'{0}' is not linked to asset '{1}' (its sensors: none)",
    UnknownValue => "unknown {0} '{1}' (expected one of: {2})",
    // inventory
    PartCodeRequired => "required: the part number people use",
    TooLong => "longer than {0} characters",
    CodeHasSpaces => "'{0}' has spaces; use e.g. FLT-G4-592",
    Required => "required",
    UnitRequired => "required: un, m, kg, L ...",
    MinStockNegative => "{0} is negative; the minimum is 0 or more",
    NoInventoryItem => "there is no inventory item '{0}'",
    ItemExists => "item {0} already exists ({1}); edit it instead",
    LocationRequired => "required: where the stock is (Almoxarifado ...)",
    StockBelowZero => "only {0} {1} of {2} at {3}; {4} {5} would take it below zero",
    ItemRetired => "{0} ({1}) is no longer used",
    NoStockAnywhere => "there is no {0} ({1}) in stock anywhere",
    SayWhichLocation => "{0} is stocked at {1}: say which location",
    ZeroChangesNothing => "0 changes nothing; give the difference counted",
    CountReasonRequired => "required: say why the count changes",
    // preventive plans
    NotAPlanCode => "'{0}' is not a plan code: 1 to 40 letters, digits, '-', '_' or '.' (e.g. PM-CH-TRIM)",
    RequiredAtMost => "required, at most {0} characters",
    AssetTagRequired => "at least one asset tag is required",
    ListedTwice => "'{0}' is listed twice",
    NotAnAssetTag => "'{0}' is not an asset tag",
    PeriodOutOfRange => "must be at least 1 and at most about 10 years, not {0} {1}",
    CounterRequired => "required (the counter, e.g. run_hours)",
    CounterStepPositive => "must be more than 0 units of the counter, not {0}",
    MetricRequired => "required (e.g. temp_c)",
    GiveALimit => "give a limit: above, below or both",
    NotANumber => "must be a number",
    BelowNotUnderAbove => "must be less than above ({0}): the plan fires outside [{1}, {0}]",
    AtMostNot => "at most {0}, not {1}",
    AtMostChars => "at most {0} characters",
    OneDevicePerPlan => "a plan of {0} assets reads each asset's own device: leave device empty, or make one plan per asset",
    NoAsset => "there is no asset '{0}'",
    AssetRetired => "asset '{0}' is retired",
    NoProcedureImport => "there is no procedure '{0}' (import it first: opsdeck pm procedures import FILE)",
    NoRoleHere => "'{0}' has no role in this tenant",
    PlanExists => "plan '{0}' already exists",
    PlanCodeFixed => "a plan's code cannot change",
    NoPlan => "there is no plan '{0}'",
    // work orders
    NoWorkOrder => "there is no work order {0}",
    AssetIsRetired => "{0} ({1}) is retired",
    NoAlert => "there is no alert '{0}'",
    NoProcedure => "there is no procedure '{0}'",
    AssigneeNoRole => "{0} has no role in this tenant (opsdeck user add {0} --role operator)",
    AlertResolved => "alert {0} is resolved; open an order from an open alert",
    ChecklistUnanswered => "OS {0} is preventive and required items are unanswered: {1}",
    EvidenceExists => "OS {0} already has this file, as '{1}' (attached by {2})",
    OrderHasNoAsset => "OS {0} is about no asset: there is nothing to mark down",
    AlreadyDown => "{0} is already down since {1} on OS {2}",
    InFuture => "{0} is in the future",
    BeforePreviousWindow => "{0} is before the end of the previous window ({1})",
    NoOpenDowntime => "OS {0} has no open downtime window (mark the asset down first)",
    BeforeWentDown => "{0} is before the asset went down ({1})",
    TitleRequired => "required: say what is to be done",
    NoteTextRequired => "required: a note needs some text",
    FileNameRequired => "required: the file's name",
    TechnicianRequired => "required: who did the work",
    HoursOverADay => "{0} h is more than 24 h in one entry; book each day apart",
    RateNegative => "{0} is negative; a rate is 0 or more",
    ServiceRequired => "required: what service was bought",
    WorkOnAssigned => "work on OS {0}, assigned to {1}",
    ClosedTakesNo => "OS {0} is {1}: a closed order takes no {2}",
    ClosedAtTakesNo => "OS {0} is {1} at {2}: a closed order takes no {3}",
    NotInStatus => "OS {0} is {1}, not {2}",
    NotInStatusResume => "OS {0} is {1}, not {2}; resume it instead",
    NotInStatusStart => "OS {0} is {1}, not {2}; start it instead",
    CannotMoveFinal => "cannot go from {0} to {1}: {0} is final",
    CannotMove => "cannot go from {0} to {1}; from {0} an order can go to: {2}",
    HoldReasonRequired => "required to put an order on hold: say what it waits for",
    CancelReasonRequired => "required to cancel an order: say why",
    NoChecklist => "OS {0} has no checklist",
    NoChecklistItem => "there is no item {0}: the checklist has items 1 to {1}",
    ItemRequiredNotNa => "item {0} '{1}' is required: it cannot be not applicable",
    ItemIsPassFail => "item {0} '{1}' is pass/fail, not a value",
    ItemWantsValue => "item {0} '{1}' asks for a value in {2}, not pass/fail",
    OnlyIssued => "only {0} of {1} were issued to OS {2}",
    OnlyIssuedFrom => "only {0} of {1} were issued to OS {2} from {3}",
    // gas
    NoGasUnit => "no gas unit '{0}' (units: {1})",
    UserNoRoleAddFirst => "'{0}' has no role in tenant '{1}'; add them first: opsdeck user add {0} --role operator",
    AfterTomorrow => "{0} is after tomorrow ({1}); a day can be entered at most one day ahead",
    HoursOutsideDay => "{0} h is outside 0 to 24 hours of operation",
    UnitInactive => "{0} ({1}) is not active",
    NoAtomizer => "{0} has no atomizer in service",
    NoRateInForce => "{0} has no rate in force on {1} ({2})",
    SecondAtomizerRequired => "required: {0} has a second atomizer ({1})",
    NoSecondAtomizer => "{0} has no second atomizer",
    NoLineOrDryer => "{0} has no line or dryer '{1}' (it has: {2})",
    AtomizerTakesHours => "{0} is an atomizer: enter its hours, not on/off (lines and dryers: {1})",
    OutOfService => "{0} ({1}) is out of service",
    QdcPositive => "{0} m³/d must be above 0",
    QdcTooLarge => "{0} m³/d is more than {1}; check the number",
    FactorPositive => "{0} must be above 0 (a factor of the plan, e.g. 0.8)",
    FactorAtMostOne => "{0} must be 1 or less (a factor of the plan, e.g. 0.8)",
    FactorAtLeastOne => "{0} must be 1 or more (a factor of the plan, e.g. 1.1)",
    MoleculeMinOutside => "{0} is below transport_min {1}: the molecule band lies inside the transport band",
    MoleculeMaxOutside => "{0} is above transport_max {1}: the molecule band lies inside the transport band",
    VolumeNegative => "{0} m³ is negative; {1} is 0 or more",
    VolumeTooLarge => "{0} m³ is more than {1} m³; check the number",
    NoPlanToApprove => "{0} has no plan (QDP) for {1} to approve",
    MustBePositive => "{0} must be above 0",
    TooLarge => "{0} is more than {1}; check the number",
    RateReasonRequired => "required: say why the rate changes",
    NoEquipment => "{0} has no equipment '{1}' (it has: {2})",
    RateExists => "{0} already has a rate from {1} ({2} {3}, set by {4}); pick another date",
    // amounts
    TooManyDecimals => "{0} has more than {1} decimal places",
    // alert rules
    MustNotBeEmpty => "must not be empty",
    DevicesEmpty => "must not be empty (a device id, a prefix like \"AHU-*\", or \"*\")",
    StarOnlyAtEnd => "'{0}': '*' is allowed only at the end (\"AHU-*\")",
    NotFinite => "must be a finite number (got {0})",
    NotNegative => "must be 0 or more (got {0})",
    MoreThanZero => "must be more than 0",
    WindowTooLong => "must be at most {0} (1 h), got {1}",
    StaleTooLong => "must be at most {0} (30 days), got {1}",
    MinNotBelowMax => "must be less than max ({0} is not less than {1})",
    HysteresisTooWide => "{0} is too wide for the band {1} to {2}: it could never clear (at most half of max - min)",
    ForTooLong => "must be at most {0} (1 day), got {1}",
    // roles
    MayNot => "{0} ({1}) may not {2} ({3}) in tenant '{4}'; {5}",
    MayNotAskAdmin => "{0} ({1}) may not {2} in tenant '{3}'; ask an admin",
    NoRoleIn => "{0} has no role in tenant '{1}'; an admin can add one: opsdeck user add {0} --role {2}",
    AskSupervisor => "ask a supervisor or an admin",
    AskAdmin => "ask an admin",
    MissingRate => "{0} {1}: no rate in force on {2} (the first rate starts later)",
    // files
    NoSuchFile => "{0}: no such file",
    // what a role check refused (Guarded::what)
    AssetManage => "create, edit, retire or link assets",
    StockReceive => "receive stock",
    StockManage => "create or edit inventory items and adjust counts",
    PmManagePlans => "create or change preventive plans",
    PmManageProcedures => "import or change procedures",
    PmRun => "run the preventive scheduler",
    WoCreate => "open a request or corrective work order",
    WoCreatePlanned => "open a preventive or predictive work order",
    WoWork => "work on a work order",
    WoManage => "assign, reprioritise, reschedule or cancel a work order",
    GasEnter => "enter daily gas data",
    GasEnterPast => "enter gas data for a day before today",
    GasPlan => "set a daily plan (QDP)",
    GasApprovePlan => "approve a daily plan (QDP)",
    GasEnterQdr => "key a real consumption (QDR)",
    GasConfigure => "change gas equipment rates or contracts",
    LedgerView => "see the ledger",
    LedgerPost => "post to the ledger",
    LedgerBudget => "change the budget",
    LedgerClose => "close a ledger month",
    LedgerConfigure => "change cost centers, categories or the gas tariff",
    // ledger
    PeriodClosed => "{0} is closed: nothing is written into a closed month; post an adjustment instead (type adjust, with its reason): it lands in {1} naming {0}",
    NoCostCenter => "no cost center '{0}' (cost centers: {1})",
    NoCategory => "no category '{0}' (categories: {1})",
    NoCommitment => "no open commitment '{0}'",
    SourceConflict => "'{0}' was already posted with other values ({1}); a posting key is posted once",
    AlreadyClosed => "{0} was closed by {1} at {2}",
    CloseNotReady => "{0} has {1} open issues ({2}); close with an override and its reason, or resolve them first",
    MustNotBeZero => "must not be 0",
    NoEntry => "no ledger entry '{0}'",
    DateOutOfRange => "{0} is out of range (1900-01-01 to 2999-12-31)",
    CloseNotOver => "{0} is not over yet (today is {1}): a month closes once it has ended",
    CodeBad => "'{0}' is not a code: letters, digits, '-' and '_' only (e.g. HC-CAG)",
    ParentLoop => "'{0}' cannot be under '{1}': '{1}' is under '{0}'",
}

/// One value a refusal names: text as the service wrote it (a tag, a date, a number, or an
/// English word a translation may look up), or a refusal within it (what a role may not do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Why(Box<Why>),
}

impl Arg {
    pub fn text(v: &dyn fmt::Display) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<Why> for Arg {
    fn from(w: Why) -> Arg {
        Arg::Why(Box::new(w))
    }
}

/// A refusal: which one and the values it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub msg: Msg,
    pub args: Vec<Arg>,
}

impl Why {
    pub fn new(msg: Msg, args: Vec<Arg>) -> Why {
        Why { msg, args }
    }
}

impl From<Msg> for Why {
    fn from(msg: Msg) -> Why {
        Why::new(msg, Vec::new())
    }
}

/// `Why::new(Msg::$name, [each value as text])`.
#[macro_export]
macro_rules! why {
    ($name:ident $(, $arg:expr)* $(,)?) => {
        $crate::refusal::Why::new(
            $crate::refusal::Msg::$name,
            vec![$($crate::refusal::Arg::text(&$arg)),*],
        )
    };
}

/// Fills `template`'s `{n}` and `{n:kind}` with `arg(n, kind)`; a placeholder without its value
/// stays as written, so a wrong translation shows, it does not panic.
pub fn fill(template: &str, mut arg: impl FnMut(usize, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let (index, kind) = after[..close]
            .split_once(':')
            .unwrap_or((&after[..close], ""));
        match index.parse::<usize>().ok().and_then(|n| arg(n, kind)) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fill(self.msg.english(), |n, _| {
            self.args.get(n).map(|a| match a {
                Arg::Text(t) => t.clone(),
                Arg::Why(w) => w.to_string(),
            })
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_is_the_template_filled() {
        let w = why!(ValueTooLong, "CH-01-XXXXXXXX", 20);
        assert_eq!(
            w.to_string(),
            "'CH-01-XXXXXXXX' is longer than 20 characters"
        );
        let nested = Why::new(
            Msg::MayNot,
            vec![
                Arg::text(&"ana"),
                Arg::text(&"operator"),
                Arg::text(&"wo.manage"),
                Arg::from(Why::from(Msg::WoManage)),
            ],
        );
        assert_eq!(
            nested.to_string(),
            "ana (operator) may not wo.manage (assign, reprioritise, reschedule or cancel a \
             work order) in tenant '{4}'; {5}",
            "a missing value stays a placeholder instead of panicking"
        );
    }

    #[test]
    fn every_template_is_well_formed() {
        for m in Msg::ALL {
            let t = m.english();
            assert_eq!(t.matches('{').count(), t.matches('}').count(), "{m:?}: {t}");
        }
    }
}
