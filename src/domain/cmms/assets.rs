//! Assets: the only writer of `Asset` records. Creating and editing them (every value checked,
//! a refusal names the field and writes nothing), retiring them (kept for their history),
//! linking telemetry sensors, importing a CSV (all or nothing), looking one up by tag, label
//! (QR text) or name, the site -> area -> asset tree, an asset's summary (work orders, sensors,
//! cost, downtime) and its QR label, in the terminal and on a printable A4 sheet.
//!
//! Who may do what (roles of `access::role_of`, no new `Permission` variant):
//! - create, edit, retire, link sensors, import: supervisor, admin (a refusal is audited);
//! - read (list, find, summary, labels): everyone with a role in the tenant; the read
//!   functions here take no user, their callers check `Permission::Read`.
//!
//! Values:
//! - tag: ASCII letters, digits, '-' and '_', at most [`MAX_TAG`] characters, unique; kept in
//!   upper case ("ch-01" is stored as "CH-01") so a tag typed either way finds the same asset.
//! - kind: lower-case words joined by '_' ("Fan coil" is stored as "fan_coil"). [`KINDS`] are the
//!   kinds the console knows (icons, filters); others are accepted, because a site always has
//!   equipment nobody listed, and a refusal would only push people to "other".
//! - name, site and area are required; installed may not be after the tenant's today.
//!
//! Linking a sensor also sets the telemetry `Device.asset` of that device (when the device is
//! registered), in the same transaction, so the two sides never disagree; a device moves from
//! its previous asset. This is the one writer of `Device` outside `domain::telemetry::devices`,
//! for that reason.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use opsdeck_import::RowError;
use opsdeck_storage::records::asset::{Asset, Criticality};
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::user::Role;
use opsdeck_storage::records::work_order::WorkOrder;
use opsdeck_storage::refusal::Msg;
use opsdeck_storage::text::fold;
use opsdeck_storage::why;
use opsdeck_storage::{Tenant, Tx, Versioned};
use rust_decimal::Decimal;
use serde::Deserialize;

pub use crate::domain::service::FieldError;
use crate::domain::service::{Denied, Guarded, Step, require, write_checked};

/// The kinds the console knows; others are accepted (see the module doc).
pub const KINDS: &[&str] = &[
    "chiller",
    "ahu",
    "fan_coil",
    "split",
    "vrf",
    "cold_room",
    "pump",
    "cooling_tower",
    "boiler",
    "exhaust_fan",
    "other",
];
pub const MAX_TAG: usize = 32;
const MAX_KIND: usize = 32;
const MAX_TEXT: usize = 120;
const MAX_NOTES: usize = 2000;

// ---------------------------------------------------------------------------------------------
// Roles

/// What an asset call asks to do, for the role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetAction {
    /// Create, edit, retire, link sensors, import.
    Manage,
}

impl Guarded for AssetAction {
    fn name(self) -> &'static str {
        "asset.manage"
    }

    fn what(self) -> Msg {
        Msg::AssetManage
    }

    fn allowed(self, role: Role) -> bool {
        matches!(role, Role::Supervisor | Role::Admin)
    }
}

/// A refused asset write.
pub type AssetDenied = Denied<AssetAction>;

/// Checks `user` may write assets; a refusal is audited.
pub fn require_manage(tenant: &Tenant, user: &str) -> Result<Role> {
    require(tenant, user, AssetAction::Manage)
}

// ---------------------------------------------------------------------------------------------
// Values

/// What a person keys for a new asset (the add form, a CSV row).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AssetInput {
    pub name: String,
    pub kind: String,
    pub site: String,
    pub area: String,
    pub location: String,
    pub make: String,
    pub model: String,
    pub serial: String,
    pub installed: Option<Date>,
    pub criticality: Criticality,
    pub notes: String,
}

impl AssetInput {
    /// Everything else empty, criticality medium.
    pub fn new(name: &str, kind: &str, site: &str, area: &str) -> AssetInput {
        AssetInput {
            name: name.into(),
            kind: kind.into(),
            site: site.into(),
            area: area.into(),
            location: String::new(),
            make: String::new(),
            model: String::new(),
            serial: String::new(),
            installed: None,
            criticality: Criticality::Medium,
            notes: String::new(),
        }
    }
}

/// An edit: None leaves a field as it is. `installed: Some(None)` clears the date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssetEdit {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub site: Option<String>,
    pub area: Option<String>,
    pub location: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub installed: Option<Option<Date>>,
    pub criticality: Option<Criticality>,
    pub notes: Option<String>,
}

/// The stored form of a tag ("ch-01" -> "CH-01"), or why it is not one.
pub fn normalize_tag(tag: &str) -> Result<String, FieldError> {
    let t = tag.trim();
    if t.is_empty() {
        return Err(FieldError::new("tag", why!(TagRequired)));
    }
    if t.chars().count() > MAX_TAG {
        return Err(FieldError::new("tag", why!(ValueTooLong, t, MAX_TAG)));
    }
    if let Some(c) = t
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(FieldError::new("tag", why!(TagBadChar, t, c)));
    }
    Ok(t.to_ascii_uppercase())
}

/// The stored form of a kind ("Fan coil" -> "fan_coil"), or why it is not one.
pub fn normalize_kind(kind: &str) -> Result<String, FieldError> {
    let k: String = kind
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if k.is_empty() {
        return Err(FieldError::new(
            "kind",
            why!(RequiredExample, KINDS.join(", ")),
        ));
    }
    let ok = k.len() <= MAX_KIND
        && k.starts_with(|c: char| c.is_ascii_lowercase())
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(FieldError::new(
            "kind",
            why!(NotAKind, kind.trim(), KINDS.join(", ")),
        ));
    }
    Ok(k)
}

fn text(field: &str, value: &str, required: bool, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(FieldError::new(field, why!(IsRequired)));
    }
    if v.chars().count() > max {
        return Err(FieldError::new(field, why!(IsTooLong, max)));
    }
    Ok(v.to_owned())
}

/// Checks and tidies (trims, normalises the kind) every field of `a`; the first problem wins.
fn checked(mut a: Asset, today: Date) -> Result<Asset, FieldError> {
    a.tag = normalize_tag(&a.tag)?;
    a.name = text("name", &a.name, true, MAX_TEXT)?;
    a.kind = normalize_kind(&a.kind)?;
    a.site = text("site", &a.site, true, MAX_TEXT)?;
    a.area = text("area", &a.area, true, MAX_TEXT)?;
    a.location = text("location", &a.location, false, MAX_TEXT)?;
    a.make = text("make", &a.make, false, MAX_TEXT)?;
    a.model = text("model", &a.model, false, MAX_TEXT)?;
    a.serial = text("serial", &a.serial, false, MAX_TEXT)?;
    a.notes = text("notes", &a.notes, false, MAX_NOTES)?;
    if let Some(d) = a.installed
        && d > today
    {
        return Err(FieldError::new("installed", why!(DateInFuture, d, today)));
    }
    Ok(a)
}

/// A device id as sensors send it (one word), or why `device` is not one.
pub fn device_id(device: &str) -> Result<String, FieldError> {
    let d = device.trim();
    if d.is_empty() || d.chars().any(char::is_whitespace) || d.len() > 128 {
        return Err(FieldError::new("device", why!(NotADeviceId, d)));
    }
    Ok(d.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Writes

fn not_found(tenant: &Tenant, tag: &str) -> FieldError {
    FieldError::new("tag", why!(NoAssetInTenant, tag, tenant.name()))
}

/// Creates an asset. `today` is the tenant's local date (installed may not be after it).
pub fn create(
    tenant: &Tenant,
    user: &str,
    tag: &str,
    input: &AssetInput,
    today: Date,
) -> Result<Versioned<Asset>> {
    require_manage(tenant, user)?;
    let asset = checked(
        Asset {
            tag: tag.to_owned(),
            name: input.name.clone(),
            kind: input.kind.clone(),
            site: input.site.clone(),
            area: input.area.clone(),
            location: input.location.clone(),
            make: input.make.clone(),
            model: input.model.clone(),
            serial: input.serial.clone(),
            installed: input.installed,
            criticality: input.criticality,
            sensors: Vec::new(),
            active: true,
            notes: input.notes.clone(),
        },
        today,
    )?;
    write_checked(tenant, user, |tx| {
        if let Some(existing) = tx.get::<Asset>(&asset.tag)? {
            return Ok(Step::Refuse(FieldError::new(
                "tag",
                why!(TagUsedBy, asset.tag, existing.value.name),
            )));
        }
        let key = asset.tag.clone();
        Ok(Step::Write(tx.insert(&key, asset)?))
    })
}

/// Applies `change` to the asset as read at `version` (None: as it is now). An edit that
/// changes nothing writes nothing.
pub fn edit(
    tenant: &Tenant,
    user: &str,
    tag: &str,
    version: Option<u64>,
    change: &AssetEdit,
    today: Date,
) -> Result<Versioned<Asset>> {
    require_manage(tenant, user)?;
    let tag = normalize_tag(tag)?;
    write_checked(tenant, user, |tx| {
        let Some(current) = tx.get::<Asset>(&tag)? else {
            return Ok(Step::Refuse(not_found(tenant, &tag)));
        };
        let mut a = current.value.clone();
        let set = |field: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *field = v.clone();
            }
        };
        set(&mut a.name, &change.name);
        set(&mut a.kind, &change.kind);
        set(&mut a.site, &change.site);
        set(&mut a.area, &change.area);
        set(&mut a.location, &change.location);
        set(&mut a.make, &change.make);
        set(&mut a.model, &change.model);
        set(&mut a.serial, &change.serial);
        set(&mut a.notes, &change.notes);
        if let Some(i) = change.installed {
            a.installed = i;
        }
        if let Some(c) = change.criticality {
            a.criticality = c;
        }
        let a = match checked(a, today) {
            Ok(a) => a,
            Err(e) => return Ok(Step::Refuse(e)),
        };
        if a == current.value {
            return Ok(Step::Keep(current));
        }
        Ok(Step::Write(tx.update(
            &tag,
            version.unwrap_or(current.version),
            a,
        )?))
    })
}

/// Retires an asset (false) or puts it back in service (true). A retired asset keeps its
/// history and label; lists leave it out unless asked.
pub fn set_active(
    tenant: &Tenant,
    user: &str,
    tag: &str,
    active: bool,
) -> Result<Versioned<Asset>> {
    require_manage(tenant, user)?;
    let tag = normalize_tag(tag)?;
    write_checked(tenant, user, |tx| {
        let Some(current) = tx.get::<Asset>(&tag)? else {
            return Ok(Step::Refuse(not_found(tenant, &tag)));
        };
        if current.value.active == active {
            return Ok(Step::Keep(current));
        }
        let mut a = current.value.clone();
        a.active = active;
        Ok(Step::Write(tx.update(&tag, current.version, a)?))
    })
}

pub fn retire(tenant: &Tenant, user: &str, tag: &str) -> Result<Versioned<Asset>> {
    set_active(tenant, user, tag, false)
}

/// Adds `device` to `asset.sensors` and points the registered device (if any) at the asset,
/// taking it off the asset it was on. The caller writes `asset` afterwards.
fn attach(tx: &mut Tx, asset: &mut Asset, device: &str) -> opsdeck_storage::Result<bool> {
    let mut changed = false;
    if !asset.sensors.iter().any(|s| s == device) {
        asset.sensors.push(device.to_owned());
        changed = true;
    }
    if let Some(d) = tx.get::<Device>(device)?
        && d.value.asset != asset.tag
    {
        let previous = d.value.asset.clone();
        if !previous.is_empty()
            && let Some(p) = tx.get::<Asset>(&previous)?
            && p.value.sensors.iter().any(|s| s == device)
        {
            let mut pv = p.value.clone();
            pv.sensors.retain(|s| s != device);
            tx.update(&previous, p.version, pv)?;
        }
        let mut dv = d.value.clone();
        dv.asset = asset.tag.clone();
        tx.update(device, d.version, dv)?;
        changed = true;
    }
    Ok(changed)
}

/// Links a telemetry device to the asset (the device need not have sent a reading yet).
pub fn link_sensor(
    tenant: &Tenant,
    user: &str,
    tag: &str,
    device: &str,
) -> Result<Versioned<Asset>> {
    require_manage(tenant, user)?;
    let tag = normalize_tag(tag)?;
    let device = device_id(device)?;
    write_checked(tenant, user, |tx| {
        let Some(current) = tx.get::<Asset>(&tag)? else {
            return Ok(Step::Refuse(not_found(tenant, &tag)));
        };
        let mut a = current.value.clone();
        if !attach(tx, &mut a, &device)? {
            return Ok(Step::Keep(current));
        }
        if a == current.value {
            // Only the device side moved.
            return Ok(Step::Write(current));
        }
        Ok(Step::Write(tx.update(&tag, current.version, a)?))
    })
}

/// Unlinks a device from the asset (and clears the device's asset when it names this one).
pub fn unlink_sensor(
    tenant: &Tenant,
    user: &str,
    tag: &str,
    device: &str,
) -> Result<Versioned<Asset>> {
    require_manage(tenant, user)?;
    let tag = normalize_tag(tag)?;
    let device = device_id(device)?;
    write_checked(tenant, user, |tx| {
        let Some(current) = tx.get::<Asset>(&tag)? else {
            return Ok(Step::Refuse(not_found(tenant, &tag)));
        };
        let listed = current.value.sensors.contains(&device);
        let dev = tx.get::<Device>(&device)?;
        let pointed = dev.as_ref().is_some_and(|d| d.value.asset == tag);
        if !listed && !pointed {
            return Ok(Step::Refuse(FieldError::new(
                "device",
                if current.value.sensors.is_empty() {
                    why!(DeviceNotLinkedNoSensors, device, tag)
                } else {
                    why!(
                        DeviceNotLinked,
                        device,
                        tag,
                        current.value.sensors.join(", ")
                    )
                },
            )));
        }
        if let Some(d) = dev.filter(|_| pointed) {
            let mut dv = d.value.clone();
            dv.asset.clear();
            tx.update(&device, d.version, dv)?;
        }
        if !listed {
            return Ok(Step::Write(current));
        }
        let mut a = current.value.clone();
        a.sensors.retain(|s| *s != device);
        Ok(Step::Write(tx.update(&tag, current.version, a)?))
    })
}

// ---------------------------------------------------------------------------------------------
// CSV import

/// One row of the assets CSV (sample-data/cmms/assets.csv). `installed` may be empty,
/// `criticality` empty means medium, `sensors` holds device ids separated by spaces.
#[derive(Debug, Clone, Deserialize)]
pub struct AssetRow {
    pub tag: String,
    pub name: String,
    pub kind: String,
    pub site: String,
    pub area: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub make: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub installed: String,
    #[serde(default)]
    pub criticality: String,
    #[serde(default)]
    pub sensors: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Devices newly linked (their `Device.asset` or the asset's sensor list changed).
    pub links: usize,
}

fn row_error(file: &str, row: u64, e: FieldError) -> RowError {
    RowError {
        file: file.into(),
        row,
        column: Some(e.field),
        reason: e.why.to_string(),
    }
}

/// Checks one row into an asset value (sensors included), or the row's problem.
fn check_row(row: &AssetRow, today: Date) -> Result<Asset, FieldError> {
    let installed = match row.installed.trim() {
        "" => None,
        s => Some(
            s.parse::<Date>()
                .map_err(|_| FieldError::new("installed", why!(NotADate, s)))?,
        ),
    };
    let criticality = match row.criticality.trim() {
        "" => Criticality::Medium,
        s => s.parse::<Criticality>().map_err(|_| {
            let known: Vec<&str> = Criticality::ALL.iter().map(|c| c.as_str()).collect();
            FieldError::new(
                "criticality",
                why!(UnknownValue, "criticality", s, known.join(", ")),
            )
        })?,
    };
    let mut sensors = Vec::new();
    for s in row.sensors.split_whitespace() {
        let s = device_id(s).map_err(|e| FieldError::new("sensors", e.why))?;
        if !sensors.contains(&s) {
            sensors.push(s);
        }
    }
    checked(
        Asset {
            tag: row.tag.clone(),
            name: row.name.clone(),
            kind: row.kind.clone(),
            site: row.site.clone(),
            area: row.area.clone(),
            location: row.location.clone(),
            make: row.make.clone(),
            model: row.model.clone(),
            serial: row.serial.clone(),
            installed,
            criticality,
            sensors,
            active: true,
            notes: row.notes.clone(),
        },
        today,
    )
}

/// Imports the assets CSV `data` (named `file` in errors). Every row is checked first (values,
/// a tag or sensor twice in the file); with any problem nothing is written and every problem is
/// returned. Otherwise one transaction creates the new assets, restates the fields of existing
/// ones (keeping their active flag) and links the listed sensors; an import never unlinks a
/// sensor. Importing the same file again changes nothing.
pub fn import(
    tenant: &Tenant,
    user: &str,
    file: &str,
    data: &[u8],
    today: Date,
) -> Result<std::result::Result<Imported, Vec<RowError>>> {
    require_manage(tenant, user)?;
    let parsed = opsdeck_import::csv::read::<AssetRow>(file, data);
    let mut errors = parsed.errors.clone();
    let mut rows: Vec<Asset> = Vec::new();
    let mut tags: BTreeMap<String, u64> = BTreeMap::new();
    let mut devices: BTreeMap<String, u64> = BTreeMap::new();
    for (n, row) in &parsed.records {
        match check_row(row, today) {
            Ok(a) => {
                if let Some(first) = tags.insert(a.tag.clone(), *n) {
                    errors.push(row_error(
                        file,
                        *n,
                        FieldError::new("tag", why!(TagOnRow, a.tag, first)),
                    ));
                    continue;
                }
                let mut twice = None;
                for s in &a.sensors {
                    if let Some(first) = devices.insert(s.clone(), *n) {
                        twice = Some((s.clone(), first));
                    }
                }
                if let Some((s, first)) = twice {
                    errors.push(row_error(
                        file,
                        *n,
                        FieldError::new("sensors", why!(DeviceOnRow, s, first)),
                    ));
                    continue;
                }
                rows.push(a);
            }
            Err(e) => errors.push(row_error(file, *n, e)),
        }
    }
    if parsed.records.is_empty() && errors.is_empty() {
        errors.push(RowError {
            file: file.into(),
            row: 1,
            column: None,
            reason: "no asset rows".into(),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok(Err(errors));
    }
    let out = tenant.write_if(user, |tx| {
        let mut out = Imported::default();
        for mut a in rows {
            let sensors = std::mem::take(&mut a.sensors);
            let current = tx.get::<Asset>(&a.tag)?;
            let mut next = match &current {
                Some(c) => Asset {
                    sensors: c.value.sensors.clone(),
                    active: c.value.active,
                    ..a
                },
                None => a,
            };
            for s in &sensors {
                if attach(tx, &mut next, s)? {
                    out.links += 1;
                }
            }
            match current {
                None => {
                    let key = next.tag.clone();
                    tx.insert(&key, next)?;
                    out.created += 1;
                }
                Some(c) if c.value == next => out.unchanged += 1,
                Some(c) => {
                    let key = next.tag.clone();
                    tx.update(&key, c.version, next)?;
                    out.updated += 1;
                }
            }
        }
        Ok((out.created + out.updated + out.links > 0, out))
    })?;
    Ok(Ok(out))
}

// ---------------------------------------------------------------------------------------------
// Reads

/// Every asset (retired ones too), by tag.
pub fn list(tenant: &Tenant) -> Result<Vec<Asset>> {
    Ok(tenant
        .list::<Asset>()?
        .into_iter()
        .map(|v| v.value)
        .collect())
}

/// The asset with this tag (any case), or an error naming it.
pub fn get(tenant: &Tenant, tag: &str) -> Result<Versioned<Asset>> {
    let tag = normalize_tag(tag)?;
    match tenant.get::<Asset>(&tag)? {
        Some(a) => Ok(a),
        None => Err(not_found(tenant, &tag).into()),
    }
}

/// Finds assets from what someone typed or scanned: a label's QR text (`Asset::qr_text`) or an
/// exact tag give that one asset; otherwise every asset whose tag and name together contain
/// each word of `text`, ignoring case and accents ("uti neo" finds "UTA 2 — UTI neonatal").
/// Retired assets are found too (a label may outlive its asset). A label of another tenant is an
/// error that says which.
pub fn lookup(tenant: &Tenant, text: &str) -> Result<Vec<Asset>> {
    let text = text.trim();
    if text.is_empty() {
        bail!("type a tag, part of a name, or scan an asset label");
    }
    if let Some(rest) = text.strip_prefix("opsdeck:") {
        let Some((t, tag)) = rest.split_once(":asset:") else {
            bail!("'{text}' is an opsdeck label, but not an asset's");
        };
        if t != tenant.name() {
            bail!(
                "this label is asset '{tag}' of tenant '{t}'; you are in tenant '{}' (use --tenant {t})",
                tenant.name()
            );
        }
        return Ok(tenant
            .get::<Asset>(&tag.to_ascii_uppercase())?
            .map(|a| vec![a.value])
            .unwrap_or_default());
    }
    if let Ok(tag) = normalize_tag(text)
        && let Some(a) = tenant.get::<Asset>(&tag)?
    {
        return Ok(vec![a.value]);
    }
    let words: Vec<String> = fold(text).split_whitespace().map(str::to_owned).collect();
    Ok(list(tenant)?
        .into_iter()
        .filter(|a| {
            let hay = fold(&format!("{} {}", a.tag, a.name));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect())
}

/// One area of a site, its assets by tag.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaNode {
    pub area: String,
    pub assets: Vec<Asset>,
}

/// One site, its areas by name.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteNode {
    pub site: String,
    pub areas: Vec<AreaNode>,
}

/// Groups `assets` into site -> area -> assets, each level sorted (accent-blind, so
/// "Área técnica" sorts with the A's).
pub fn group(assets: impl IntoIterator<Item = Asset>) -> Vec<SiteNode> {
    // Keyed by (folded name, name): sorted accent-blind, shown as typed.
    type Areas = BTreeMap<(String, String), Vec<Asset>>;
    let mut sites: BTreeMap<(String, String), Areas> = BTreeMap::new();
    for a in assets {
        sites
            .entry((fold(&a.site), a.site.clone()))
            .or_default()
            .entry((fold(&a.area), a.area.clone()))
            .or_default()
            .push(a);
    }
    sites
        .into_iter()
        .map(|((_, site), areas)| SiteNode {
            site,
            areas: areas
                .into_iter()
                .map(|((_, area), mut assets)| {
                    assets.sort_by(|x, y| x.tag.cmp(&y.tag));
                    AreaNode { area, assets }
                })
                .collect(),
        })
        .collect()
}

/// The tenant's active assets as site -> area -> assets.
pub fn tree(tenant: &Tenant) -> Result<Vec<SiteNode>> {
    Ok(group(list(tenant)?.into_iter().filter(|a| a.active)))
}

/// A device linked to the asset, from either side of the link.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorLink {
    pub device: String,
    /// The device's name, empty when it is not registered (no reading yet) or unnamed.
    pub name: String,
    /// A `Device` record exists (it has sent readings).
    pub registered: bool,
    /// In the asset's `sensors` list.
    pub listed: bool,
    /// The device's `asset` names this asset.
    pub pointed: bool,
}

/// What the asset page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetSummary {
    pub asset: Versioned<Asset>,
    /// Orders not done or cancelled, oldest first.
    pub open_orders: Vec<WorkOrder>,
    /// Done and cancelled orders, most recently closed first.
    pub past_orders: Vec<WorkOrder>,
    pub sensors: Vec<SensorLink>,
    /// Sum of `WorkOrder::cost()` over closed orders (done or cancelled: both posted their cost
    /// to the ledger; open ones have not yet).
    pub total_cost: Decimal,
    /// Time the asset was down, from every order's downtime windows (cancelled orders too:
    /// the asset was down all the same), overlaps counted once, open windows up to `now`.
    pub downtime: SignedDuration,
    /// Start of the open downtime window, when the asset is down now.
    pub down_since: Option<Timestamp>,
}

/// Total length of the union of `[from, to)` windows, and the start of the earliest window still
/// open at `now` (its `to` is None). Windows starting after `now` are ignored; reversed ones
/// count as empty.
pub fn downtime_total(
    windows: impl IntoIterator<Item = (Timestamp, Option<Timestamp>)>,
    now: Timestamp,
) -> (SignedDuration, Option<Timestamp>) {
    let mut down_since: Option<Timestamp> = None;
    let mut spans: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (from, to) in windows {
        if from > now {
            continue;
        }
        if to.is_none() {
            down_since = Some(down_since.map_or(from, |d| d.min(from)));
        }
        let end = to.unwrap_or(now).min(now);
        if end > from {
            spans.push((from, end));
        }
    }
    spans.sort();
    let mut total = SignedDuration::ZERO;
    let mut current: Option<(Timestamp, Timestamp)> = None;
    for (from, to) in spans {
        current = match current {
            Some((s, e)) if from <= e => Some((s, e.max(to))),
            Some((s, e)) => {
                total += e.duration_since(s);
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    if let Some((s, e)) = current {
        total += e.duration_since(s);
    }
    (total, down_since)
}

/// The asset's work orders, sensors, cost and downtime as of `now`.
pub fn summary(tenant: &Tenant, tag: &str, now: Timestamp) -> Result<AssetSummary> {
    let orders: Vec<WorkOrder> = tenant
        .list::<WorkOrder>()?
        .into_iter()
        .map(|v| v.value)
        .collect();
    summary_among(tenant, tag, &orders, now)
}

/// `summary` from orders already read (any orders: the asset's are picked out), for a caller
/// that has them all in hand, like the console's pane.
pub fn summary_among(
    tenant: &Tenant,
    tag: &str,
    all: &[WorkOrder],
    now: Timestamp,
) -> Result<AssetSummary> {
    let asset = get(tenant, tag)?;
    let tag = asset.key.clone();
    let orders: Vec<WorkOrder> = all
        .iter()
        .filter(|o| o.asset.as_deref() == Some(tag.as_str()))
        .cloned()
        .collect();
    let total_cost = orders
        .iter()
        .filter(|o| o.status.is_closed())
        .map(WorkOrder::cost)
        .sum();
    let (downtime, down_since) = downtime_total(
        orders
            .iter()
            .flat_map(|o| o.downtime.iter().map(|d| (d.from, d.to))),
        now,
    );
    let (mut past_orders, open_orders): (Vec<WorkOrder>, Vec<WorkOrder>) =
        orders.into_iter().partition(|o| o.status.is_closed());
    past_orders.sort_by_key(|o| std::cmp::Reverse((o.closed_at(), o.id)));

    let mut sensors: BTreeMap<String, SensorLink> = BTreeMap::new();
    for s in &asset.value.sensors {
        sensors.insert(
            s.clone(),
            SensorLink {
                device: s.clone(),
                name: String::new(),
                registered: false,
                listed: true,
                pointed: false,
            },
        );
    }
    let listed: BTreeSet<&String> = asset.value.sensors.iter().collect();
    for d in tenant.list::<Device>()? {
        let d = d.value;
        let pointed = d.asset == tag;
        if !pointed && !listed.contains(&d.id) {
            continue;
        }
        let e = sensors.entry(d.id.clone()).or_insert(SensorLink {
            device: d.id.clone(),
            name: String::new(),
            registered: false,
            listed: false,
            pointed: false,
        });
        e.name = d.name;
        e.registered = true;
        e.pointed = pointed;
    }
    Ok(AssetSummary {
        asset,
        open_orders,
        past_orders,
        sensors: sensors.into_values().collect(),
        total_cost,
        downtime,
        down_since,
    })
}

// ---------------------------------------------------------------------------------------------
// QR labels

/// Modules of white border around a QR code: the 4 the standard asks for, so phones read it.
const QUIET: usize = 4;

fn qr(text: &str) -> Result<qrcode::QrCode> {
    // M: survives a scratched or dirty label (15 %) and keeps tags' codes small.
    qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| anyhow::anyhow!("cannot make a QR code of '{text}': {e}"))
}

/// The QR code of `text` in half-block characters (two modules per character row), quiet zone
/// included. Light modules are drawn as blocks: terminals draw text light on dark, so the code
/// comes out dark on light, as scanners expect.
pub fn qr_unicode(text: &str) -> Result<String> {
    use qrcode::render::unicode::Dense1x2;
    Ok(qr(text)?
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Labels on one A4 sheet: 3 columns x 8 rows of 70 x 37 mm, the common A4 label stock
/// (sheets of 24 self-adhesive labels), so the page prints straight onto it at 100 % scale.
pub const LABEL_COLS: usize = 3;
pub const LABEL_ROWS: usize = 8;
pub const LABELS_PER_PAGE: usize = LABEL_COLS * LABEL_ROWS;
const PAGE_W: f64 = 210.0;
const PAGE_H: f64 = 297.0;
const LABEL_W: f64 = 70.0;
const LABEL_H: f64 = 37.0;
/// Side of the printed QR code, quiet zone included: > 25 mm scans from arm's length.
const QR_MM: f64 = 31.0;

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to `max` characters with an ellipsis, so text stays on its label.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Splits `s` into at most `n` lines of `max` characters at spaces, clipping the rest.
fn wrap(s: &str, max: usize, n: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in s.split_whitespace() {
        let last = lines.last().map(|l| l.chars().count()).unwrap_or(0);
        if last > 0 && last + 1 + word.chars().count() > max {
            if lines.len() == n {
                if let Some(l) = lines.last_mut() {
                    l.push(' ');
                    l.push_str(word);
                }
                break;
            }
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            if !l.is_empty() {
                l.push(' ');
            }
            l.push_str(word);
        }
    }
    lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(|l| clip(&l, max))
        .collect()
}

/// One label's SVG: QR at the left; at the right the tag (whole, its size fitted to the
/// width), the name (up to three lines) and site / area; a hairline border to cut along when
/// printing on plain paper.
fn label_svg(out: &mut String, tenant: &str, a: &Asset, x: f64, y: f64) -> Result<()> {
    let code = qr(&Asset::qr_text(tenant, &a.tag))?;
    let n = code.width();
    let modules = n + 2 * QUIET;
    let m = QR_MM / modules as f64;
    // 4 mm in: most printers cannot print the outer 3 mm of the sheet.
    let (qx, qy) = (x + 4.0, y + (LABEL_H - QR_MM) / 2.0);
    let _ = write!(
        out,
        r##"<g><rect x="{x:.2}" y="{y:.2}" width="{LABEL_W}" height="{LABEL_H}" fill="#fff" stroke="#ccc" stroke-width="0.1"/>"##
    );
    let _ = write!(
        out,
        r##"<path transform="translate({qx:.3} {qy:.3}) scale({m:.4})" fill="#000" d=""##
    );
    // One rectangle per horizontal run of dark modules: fewer seams when rasterised.
    let colors = code.to_colors();
    for (y, row) in colors.chunks(n).enumerate() {
        let mut x = 0;
        while x < n {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && row[x] == qrcode::Color::Dark {
                x += 1;
            }
            let run = x - start;
            let _ = write!(out, "M{} {}h{run}v1h-{run}z", start + QUIET, y + QUIET);
        }
    }
    out.push_str(r#""/>"#);
    let tx = qx + QR_MM + 1.0;
    // What is left of the label's width, less 2 mm at its right edge.
    let width = x + LABEL_W - 2.0 - tx;
    // A bold sans glyph is about 0.68 em wide: the tag is never cut, it gets smaller.
    let tag_size = (width / (a.tag.chars().count().max(1) as f64 * 0.68)).min(5.0);
    let _ = write!(
        out,
        r##"<text x="{tx:.2}" y="{:.2}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" fill="#000"><tspan x="{tx:.2}" font-size="{tag_size:.2}" font-weight="bold">{}</tspan>"##,
        y + 9.5,
        xml_escape(&a.tag)
    );
    for (i, line) in wrap(&a.name, 20, 3).iter().enumerate() {
        let _ = write!(
            out,
            r#"<tspan x="{tx:.2}" dy="{}" font-size="2.6">{}</tspan>"#,
            if i == 0 { "4.2" } else { "3.3" },
            xml_escape(line)
        );
    }
    for (i, line) in [&a.site, &a.area].into_iter().enumerate() {
        let _ = write!(
            out,
            r##"<tspan x="{tx:.2}" dy="{}" font-size="2.3" fill="#444">{}</tspan>"##,
            if i == 0 { "3.9" } else { "3.0" },
            xml_escape(&clip(line, 24))
        );
    }
    out.push_str("</text></g>\n");
    Ok(())
}

/// One A4 page (SVG, millimetres) of QR labels for up to [`LABELS_PER_PAGE`] assets, in the
/// order given. Each label encodes `Asset::qr_text(tenant, tag)`.
pub fn label_sheet_svg(tenant: &str, assets: &[Asset]) -> Result<String> {
    if assets.len() > LABELS_PER_PAGE {
        bail!(
            "{} labels do not fit on one A4 sheet ({LABELS_PER_PAGE} at most): use label_pages_svg",
            assets.len()
        );
    }
    let margin_x = (PAGE_W - LABEL_COLS as f64 * LABEL_W) / 2.0;
    let margin_y = (PAGE_H - LABEL_ROWS as f64 * LABEL_H) / 2.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W}mm" height="{PAGE_H}mm" viewBox="0 0 {PAGE_W} {PAGE_H}">"#
    );
    for (i, a) in assets.iter().enumerate() {
        let (col, row) = (i % LABEL_COLS, i / LABEL_COLS);
        let x = margin_x + col as f64 * LABEL_W;
        let y = margin_y + row as f64 * LABEL_H;
        label_svg(&mut out, tenant, a, x, y)?;
    }
    out.push_str("</svg>\n");
    Ok(out)
}

/// As many A4 pages as `assets` need, [`LABELS_PER_PAGE`] labels each.
/// Where `pages` label sheets go: `out` itself for one page, else out-1.svg, out-2.svg ...
pub fn label_files(out: &std::path::Path, pages: usize) -> Vec<std::path::PathBuf> {
    if pages <= 1 {
        return vec![out.to_owned()];
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "labels".into());
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "svg".into());
    (1..=pages)
        .map(|i| out.with_file_name(format!("{stem}-{i}.{ext}")))
        .collect()
}

pub fn label_pages_svg(tenant: &str, assets: &[Asset]) -> Result<Vec<String>> {
    assets
        .chunks(LABELS_PER_PAGE)
        .map(|page| label_sheet_svg(tenant, page))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn tags_and_kinds_are_normalised_or_refused_by_field() {
        assert_eq!(normalize_tag(" ch-01 ").unwrap(), "CH-01");
        assert_eq!(normalize_tag("AHU_2").unwrap(), "AHU_2");
        let e = normalize_tag("CH 01").unwrap_err();
        assert_eq!(e.field, "tag");
        assert!(e.why.to_string().contains("' '"), "{e}");
        assert_eq!(normalize_tag("").unwrap_err().field, "tag");
        assert!(normalize_tag("ÇH-1").is_err());
        assert_eq!(normalize_kind("Fan coil").unwrap(), "fan_coil");
        assert_eq!(normalize_kind("heat-pump").unwrap(), "heat_pump");
        assert_eq!(normalize_kind("2x").unwrap_err().field, "kind");
    }

    #[test]
    fn downtime_merges_overlaps_and_counts_open_windows_to_now() {
        let now = ts("2026-01-02T00:00:00Z");
        let (total, since) = downtime_total(
            [
                (ts("2026-01-01T00:00:00Z"), Some(ts("2026-01-01T02:00:00Z"))),
                // overlaps the first by an hour
                (ts("2026-01-01T01:00:00Z"), Some(ts("2026-01-01T03:00:00Z"))),
                // open: 2 h to now
                (ts("2026-01-01T22:00:00Z"), None),
                // in the future: ignored
                (ts("2026-01-03T00:00:00Z"), None),
            ],
            now,
        );
        assert_eq!(total, SignedDuration::from_hours(5));
        assert_eq!(since, Some(ts("2026-01-01T22:00:00Z")));
    }

    #[test]
    fn names_wrap_and_clip() {
        assert_eq!(
            wrap("UTA 1 — UTI adulto", 19, 2),
            vec!["UTA 1 — UTI adulto"]
        );
        let l = wrap(
            "Fan coil — Posto de enfermagem — 1º andar do bloco B",
            19,
            2,
        );
        assert_eq!(l.len(), 2);
        assert!(l.iter().all(|x| x.chars().count() <= 19), "{l:?}");
        assert!(l[1].ends_with('…'), "{l:?}");
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
