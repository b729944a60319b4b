//! How well a device (or a gas day) is doing, worst first.

/// Device health, worst first. Colour never alone: each has a glyph/word too.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Health {
    Critical,
    Warning,
    Info,
    Stale,
    #[default]
    Ok,
}

impl Health {
    /// An alert or rule severity ("info" | "warning" | "critical") as a health level.
    pub fn from_severity(severity: &str) -> Option<Health> {
        match severity.trim().to_ascii_lowercase().as_str() {
            "critical" => Some(Health::Critical),
            "warning" => Some(Health::Warning),
            "info" => Some(Health::Info),
            _ => None,
        }
    }

    /// Index into `Strings::health`.
    pub fn index(self) -> usize {
        self as usize
    }
}
