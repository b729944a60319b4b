//! The user's language and how figures read in it: numbers, money, quantities and dates in
//! pt-BR (1.234,56 · 23/11/2026) or English (1,234.56 · 2026-11-23). Below views so that the
//! domain and the reports format the same way the screen does; the screen's words are views'.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "pt-BR")]
    PtBr,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// "pt-BR", "pt_BR.UTF-8", "en_US.UTF-8", "en" ... ; anything else is pt-BR.
    pub fn parse(tag: &str) -> Locale {
        if tag.to_ascii_lowercase().starts_with("en") {
            Locale::En
        } else {
            Locale::PtBr
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::En => "en",
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Locale::PtBr => ('.', ','),
            Locale::En => (',', '.'),
        }
    }

    /// 1234.5 -> "1.234,50" (pt-BR) / "1,234.50" (en), rounded half away from zero.
    pub fn number(self, value: Decimal, places: u32) -> String {
        let (group, point) = self.separators();
        let v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        let s = format!("{:.*}", places as usize, v.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        if v.is_sign_negative() && !v.is_zero() {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// A measured value with `places` decimals in the locale: 12.4 -> "12,4" / "12.4". Not a
    /// finite number -> "—".
    pub fn float(self, value: f64, places: u32) -> String {
        if !value.is_finite() {
            return "—".to_owned();
        }
        match Decimal::try_from(value) {
            Ok(d) => self.number(d, places),
            Err(_) => format!("{value:.0e}"),
        }
    }

    /// A sensor reading with as many decimals as its size needs: 2 below 10, 1 below 1000, then
    /// none ("3,25", "12,4", "1.013").
    pub fn reading(self, value: f64) -> String {
        let a = value.abs();
        let places = if a < 10.0 {
            2
        } else if a < 1000.0 {
            1
        } else {
            0
        };
        self.float(value, places)
    }

    /// A count with thousands separators: 12.345 / 12,345.
    pub fn count(self, n: u64) -> String {
        self.number(Decimal::from(n), 0)
    }

    /// A quantity with the decimals it has: 1.50 -> "1,5" (pt-BR), "1.5" (en); 1200 -> "1.200".
    pub fn quantity(self, value: Decimal) -> String {
        let v = value.normalize();
        self.number(v, v.scale())
    }

    /// Brazilian reais in either language: "R$ 1.234,56" / "R$ 1,234.56".
    pub fn money(self, value: Decimal) -> String {
        let n = self.number(value.abs(), 2);
        if value.is_sign_negative() && !value.is_zero() {
            format!("-R$ {n}")
        } else {
            format!("R$ {n}")
        }
    }

    /// "novembro de 2026" / "November 2026": the month of `d`.
    pub fn month_year(self, d: jiff::civil::Date) -> String {
        const PT: [&str; 12] = [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let m = (d.month() as usize).clamp(1, 12) - 1;
        match self {
            Locale::PtBr => format!("{} de {}", PT[m], d.year()),
            Locale::En => format!("{} {}", EN[m], d.year()),
        }
    }

    /// dd/mm/aaaa (pt-BR) or yyyy-mm-dd (en).
    pub fn date(self, d: jiff::civil::Date) -> String {
        match self {
            Locale::PtBr => d.strftime("%d/%m/%Y").to_string(),
            Locale::En => d.strftime("%Y-%m-%d").to_string(),
        }
    }

    /// A zoned instant as date, time and zone abbreviation.
    pub fn datetime(self, z: &jiff::Zoned) -> String {
        format!("{} {}", self.date(z.date()), z.strftime("%H:%M %Z"))
    }

    pub fn datetime_secs(self, z: &jiff::Zoned) -> String {
        format!("{} {}", self.date(z.date()), z.strftime("%H:%M:%S"))
    }
}

/// A duration as people say it, the same in both languages: "45 min", "6 h 27 min", "2 d 4 h".
pub fn span(d: jiff::SignedDuration) -> String {
    let mins = d.as_secs().max(0) / 60;
    let (days, hours, mins) = (mins / 1440, mins / 60 % 24, mins % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers_and_money_follow_the_locale() {
        let d = Decimal::from_str("1234567.891").unwrap();
        assert_eq!(Locale::PtBr.number(d, 2), "1.234.567,89");
        assert_eq!(Locale::En.number(d, 2), "1,234,567.89");
        assert_eq!(
            Locale::PtBr.money(Decimal::from_str("-0.5").unwrap()),
            "-R$ 0,50"
        );
        assert_eq!(
            Locale::En.money(Decimal::from_str("999.995").unwrap()),
            "R$ 1,000.00"
        );
        assert_eq!(Locale::PtBr.number(Decimal::from(12), 0), "12");
        assert_eq!(Locale::PtBr.count(1234567), "1.234.567");
        assert_eq!(Locale::En.count(1234), "1,234");
    }

    #[test]
    fn readings_follow_the_locale() {
        assert_eq!(Locale::PtBr.reading(12.4), "12,4");
        assert_eq!(Locale::En.reading(12.4), "12.4");
        assert_eq!(Locale::PtBr.reading(3.25), "3,25");
        assert_eq!(Locale::PtBr.reading(-0.5), "-0,50");
        assert_eq!(Locale::PtBr.reading(1013.25), "1.013");
        assert_eq!(Locale::En.reading(123456.7), "123,457");
        assert_eq!(Locale::PtBr.float(0.1 + 0.2, 1), "0,3");
        assert_eq!(Locale::PtBr.float(f64::NAN, 1), "—");
    }

    #[test]
    fn dates_follow_the_locale() {
        let d = jiff::civil::date(2026, 11, 3);
        assert_eq!(Locale::PtBr.date(d), "03/11/2026");
        assert_eq!(Locale::En.date(d), "2026-11-03");
    }

    #[test]
    fn locale_tags_parse() {
        assert_eq!(Locale::parse("en_US.UTF-8"), Locale::En);
        assert_eq!(Locale::parse("pt_BR.UTF-8"), Locale::PtBr);
        assert_eq!(Locale::parse("C"), Locale::PtBr);
    }
}
