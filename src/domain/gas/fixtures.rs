//! Equipment built the way the unit tests need it (rates from dates, per hour for atomizers,
//! per day for lines and dryers), shared by the calculation and form tests.

use std::str::FromStr;

use jiff::civil::Date;
use opsdeck_storage::records::gas::{Equipment, EquipmentKind, RateChange, RateUnit};
use rust_decimal::Decimal;

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Active equipment with a rate from each date of `rates`.
pub fn eq(
    code: &str,
    name: &str,
    kind: EquipmentKind,
    order: u32,
    rates: &[(Date, &str)],
) -> Equipment {
    Equipment {
        code: code.into(),
        name: name.into(),
        kind,
        rate_unit: if kind == EquipmentKind::Atomizer {
            RateUnit::PerHour
        } else {
            RateUnit::PerDay
        },
        order,
        active: true,
        rates: rates
            .iter()
            .map(|(from, r)| RateChange {
                from: *from,
                rate: d(r),
                by: "admin".into(),
                at: jiff::Timestamp::UNIX_EPOCH,
                note: String::new(),
            })
            .collect(),
    }
}
