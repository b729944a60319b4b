//! What the integration tests share: the binary run as a user would (`cli`), the console loop on
//! a demo site (`console`), and small fixtures. Each test file takes it with `mod common;` and
//! uses what it needs.

#![allow(dead_code)]

pub mod cli;
pub mod console;

use std::str::FromStr;

use rust_decimal::Decimal;

/// A Decimal from its text ("7626.50").
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("'{s}' is not a decimal: {e}"))
}

/// The demo's and most tests' zone.
pub fn sao_paulo() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("America/Sao_Paulo").expect("the tz database has America/Sao_Paulo")
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
    l.local_addr().expect("its address").port()
}

/// The OS user running the tests: the binary attributes actions to them (the demo's admin).
pub fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .expect("reading the user database")
        .expect("the test runs as a named user")
        .name
}
