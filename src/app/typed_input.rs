//! Numbers and dates as people type or paste them in the console: "48200", "48.200" or
//! "48.200,5" in pt-BR, "48,200.5" in English, with or without "m³" and spaces (a copied
//! spreadsheet cell); dates as 23/11/2026 or 2026-11-23. What cannot be read is said in the
//! user's language, with an example.

use std::str::FromStr;

use opsdeck_views::i18n::{Locale, Texts};
use rust_decimal::Decimal;

/// Parses `text` in `locale`: the locale's group separator only between groups of three
/// digits, its decimal separator once. A comma typed in English or a point in pt-BR that is not
/// a valid group separator is taken as the decimal point, since "7,5" or "7.5" hours mean the
/// same to everyone.
pub fn parse(locale: Locale, text: &str) -> Result<Decimal, String> {
    let t: String = text
        .trim()
        .trim_end_matches("m³/d")
        .trim_end_matches("m³/h")
        .trim_end_matches("m³")
        .trim_end_matches('h')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if t.is_empty() {
        return Err(locale.strings().input_empty.into());
    }
    let (group, point) = match locale {
        Locale::PtBr => ('.', ','),
        Locale::En => (',', '.'),
    };
    let s = locale.strings();
    let bad = || {
        s.input_not_number
            .replace("{text}", text.trim())
            .replace("{example}", s.input_number_example)
    };
    let (int, frac) = match t.rsplit_once(point) {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (t.clone(), None),
    };
    let int = if int.contains(group) {
        let parts: Vec<&str> = int.trim_start_matches('-').split(group).collect();
        // "0.500" is not five hundred in any language: a first group never starts with 0.
        let grouped = parts.len() > 1
            && !parts[0].is_empty()
            && !parts[0].starts_with('0')
            && parts[0].len() <= 3
            && parts[1..].iter().all(|p| p.len() == 3);
        match (grouped, &frac) {
            (true, _) => int.replace(group, ""),
            // "7.5" in pt-BR / "7,5" in English: one separator, not groups of three.
            (false, None) if parts.len() == 2 => return plain(&int.replace(group, "."), &bad),
            _ => return Err(bad()),
        }
    } else {
        int
    };
    let s = match frac {
        Some(f) => format!("{int}.{f}"),
        None => int,
    };
    plain(&s, &bad)
}

/// "23/11/2026" or "2026-11-23".
pub fn parse_date(locale: Locale, text: &str) -> Result<jiff::civil::Date, String> {
    let t = text.trim();
    let bad = || locale.strings().input_not_date.replace("{text}", t);
    let parts: Vec<&str> = t.split(['/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(bad());
    };
    let n = |s: &str| s.parse::<i16>().map_err(|_| bad());
    // Four-digit years only: "01/12/26" must not become the year 26.
    let (y, m, d) = if t.contains('/') {
        (c, b, a)
    } else {
        (a, b, c)
    };
    if y.len() != 4 {
        return Err(bad());
    }
    let (y, m, d) = (n(y)?, n(m)?, n(d)?);
    let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else {
        return Err(bad());
    };
    jiff::civil::Date::new(y, m, d).map_err(|_| bad())
}

/// "23/11/2026 14:05" or "2026-11-23 14:05" (also with a "T"): a local date and time.
pub fn parse_datetime(locale: Locale, text: &str) -> Result<jiff::civil::DateTime, String> {
    let t = text.trim();
    let bad = || locale.strings().input_not_datetime.replace("{text}", t);
    let (date, time) = t
        .split_once([' ', 'T'])
        .map(|(d, h)| (d, h.trim()))
        .ok_or_else(bad)?;
    let date = parse_date(locale, date).map_err(|_| bad())?;
    let (h, m) = time.split_once(':').ok_or_else(bad)?;
    let (Ok(h), Ok(m)) = (h.parse::<i8>(), m.parse::<i8>()) else {
        return Err(bad());
    };
    let time = jiff::civil::Time::new(h, m, 0, 0).map_err(|_| bad())?;
    Ok(date.to_datetime(time))
}

fn plain(s: &str, bad: &dyn Fn() -> String) -> Result<Decimal, String> {
    let digits_ok = s
        .trim_start_matches('-')
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|c| *c == '.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit());
    if !digits_ok {
        return Err(bad());
    }
    Decimal::from_str(s).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(s: &str) -> Result<Decimal, String> {
        parse(Locale::PtBr, s)
    }

    fn en(s: &str) -> Result<Decimal, String> {
        parse(Locale::En, s)
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn brazilian_and_english_numbers_read_as_typed() {
        assert_eq!(pt("48200"), Ok(d("48200")));
        assert_eq!(pt("48.200"), Ok(d("48200")));
        assert_eq!(pt("1.048.200,5"), Ok(d("1048200.5")));
        assert_eq!(pt("7,5"), Ok(d("7.5")));
        assert_eq!(pt("7.5"), Ok(d("7.5")));
        assert_eq!(pt("0.500"), Ok(d("0.5")));
        assert_eq!(pt(" 48.200 m³ "), Ok(d("48200")));
        assert_eq!(pt("18 h"), Ok(d("18")));
        assert_eq!(en("48,200.5"), Ok(d("48200.5")));
        assert_eq!(en("7,5"), Ok(d("7.5")));
        assert_eq!(en("-3"), Ok(d("-3")));
    }

    #[test]
    fn dates_read_both_ways_and_refuse_impossible_days() {
        let nov23 = jiff::civil::date(2026, 11, 23);
        assert_eq!(parse_date(Locale::En, "23/11/2026"), Ok(nov23));
        assert_eq!(parse_date(Locale::En, " 2026-11-23 "), Ok(nov23));
        for bad in [
            "31/11/2026",
            "2026-13-01",
            "23/11",
            "ontem",
            "1/1/99999",
            "01/12/26",
        ] {
            assert!(
                parse_date(Locale::En, bad)
                    .unwrap_err()
                    .contains("not a date"),
                "{bad}"
            );
            assert!(
                parse_date(Locale::PtBr, bad)
                    .unwrap_err()
                    .contains("não é uma data")
            );
        }
    }

    #[test]
    fn anything_else_is_refused_with_an_example() {
        for bad in [
            "",
            "abc",
            "4.82.00",
            "1,2,3",
            "--1",
            "1.2.3,4,5",
            "12a",
            ".",
        ] {
            let e = en(bad).unwrap_err();
            assert!(e.contains("number") || e.contains("empty"), "{bad}: {e}");
            let e = pt(bad).unwrap_err();
            assert!(e.contains("número"), "{bad}: {e}");
        }
        assert!(pt("x").unwrap_err().contains("48.200 ou 7,5"));
    }

    #[test]
    fn dates_with_a_time_as_people_write_them() {
        let want = jiff::civil::date(2026, 11, 23).at(14, 5, 0, 0);
        for ok in [
            "23/11/2026 14:05",
            "2026-11-23 14:05",
            "2026-11-23T14:05",
            " 23/11/2026  14:05 ",
        ] {
            assert_eq!(parse_datetime(Locale::PtBr, ok), Ok(want), "{ok}");
        }
        for bad in [
            "23/11/2026",
            "23/11/2026 25:00",
            "14:05",
            "ontem 14:05",
            "23/11/2026 14h",
        ] {
            assert!(
                parse_datetime(Locale::En, bad)
                    .unwrap_err()
                    .contains("not a date and time"),
                "{bad}"
            );
        }
    }
}
