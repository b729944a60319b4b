//! The worker's telemetry writes: acknowledging and resolving alerts, rules, and what a device
//! is called and linked to. Every one goes through the domain services, which check the role.

use opsdeck_views::panes::telemetry::text::text;
use opsdeck_views::state::PaneId;

use super::protocol::TmCmd;
use crate::app::io::Io;
use crate::app::outcome::{Failed, Saved};
use crate::app::protocol::Reply;
use crate::domain::telemetry::{alerts, devices, rulebook};

pub fn write(io: &Io, cmd: TmCmd) -> Reply {
    let tm = text(io.locale);
    let t = &io.tenant;
    let u = &io.user;
    let (generation, done) = match cmd {
        TmCmd::Ack { key } => (0, alerts::acknowledge(t, u, &key).map(|()| tm.alert_acked)),
        TmCmd::Resolve {
            key,
            note,
            generation,
        } => (
            generation,
            alerts::resolve(t, u, &key, &note).map(|()| tm.alert_resolved),
        ),
        TmCmd::SaveRule {
            rule,
            existing,
            generation,
        } => {
            let existing = existing.as_ref().map(|(n, v)| (n.as_str(), *v));
            (
                generation,
                rulebook::save(t, u, rule, existing).map(|()| tm.rule_saved),
            )
        }
        TmCmd::ToggleRule { name, enabled } => (
            0,
            rulebook::set_enabled(t, u, &name, enabled).map(|()| {
                if enabled {
                    tm.rule_enabled
                } else {
                    tm.rule_disabled
                }
            }),
        ),
        TmCmd::DeleteRule {
            name,
            version,
            generation,
        } => (
            generation,
            rulebook::delete(t, u, &name, version).map(|()| tm.rule_deleted),
        ),
        TmCmd::SaveDevice {
            id,
            version,
            edit,
            generation,
        } => (
            generation,
            devices::edit(t, u, &id, Some(version), &edit).map(|_| tm.device_saved),
        ),
        TmCmd::Load | TmCmd::LoadDevice { .. } => {
            return Reply::Error("not a write".into());
        }
    };
    match done {
        Ok(notice) => Reply::Saved(PaneId::Telemetry, Saved::new(generation, notice)),
        Err(e) => Reply::Failed(PaneId::Telemetry, Failed::of(io, &e, generation)),
    }
}
