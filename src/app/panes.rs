//! The panes the console has, in no particular order (tabs follow `PaneId::ALL`). A pane is
//! registered here with one line; the Fuel and Sales tabs say what they arrive with
//! until theirs is.

use super::pane::Pane;
use super::{audit, gas, ledger, search, telemetry, wo};

pub fn all() -> Vec<Box<dyn Pane>> {
    vec![
        Box::new(wo::WorkOrders::default()),
        Box::new(telemetry::Telemetry::default()),
        Box::new(ledger::Ledger::default()),
        Box::new(gas::Gas::default()),
        Box::new(search::Search),
        Box::new(audit::Audit::default()),
    ]
}
