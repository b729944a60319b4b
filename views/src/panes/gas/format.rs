//! How the Gas pane writes its figures, days and bands: m³ without decimals, deviations as a
//! percent with one, bands as glyph + word + colour (never colour alone).

use jiff::civil::{Date, Weekday};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use rust_decimal::Decimal;

use super::text::GasText;
use crate::i18n::Locale;
use crate::state::Health;
use crate::state::gas::GasBand;
use crate::theme::Theme;
use crate::widgets::text::text_width;

/// What a figure that is not there shows.
pub const NONE: &str = "—";

/// 52625 -> "52.625" (pt-BR) / "52,625" (en).
pub fn m3(locale: Locale, v: Decimal) -> String {
    locale.number(v, 0)
}

pub fn opt_m3(locale: Locale, v: Option<Decimal>) -> String {
    v.map_or_else(|| NONE.to_owned(), |v| m3(locale, v))
}

/// "52.625 m³"
pub fn with_unit(locale: Locale, v: Decimal) -> String {
    format!("{} m³", m3(locale, v))
}

/// A fraction of QDP as a percent with one decimal: 0.0523 -> "5,2".
pub fn percent(locale: Locale, fraction: Decimal) -> String {
    locale.number(fraction * Decimal::ONE_HUNDRED, 1)
}

/// A contract factor as a percent with the decimals it has: 0.95 -> "95 %", 0.975 -> "97,5 %".
pub fn factor(locale: Locale, f: Decimal) -> String {
    let p = (f * Decimal::ONE_HUNDRED).normalize();
    format!("{} %", locale.number(p, p.scale().min(2)))
}

/// "107.840–148.280"
pub fn range(locale: Locale, (lo, hi): (Decimal, Decimal), t: Theme) -> String {
    let dash = if t.ascii { "-" } else { "–" };
    format!("{}{dash}{}", m3(locale, lo), m3(locale, hi))
}

fn weekday_index(d: Date) -> usize {
    match d.weekday() {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
    }
}

/// "segunda-feira, 23/11/2026" / "Monday, 2026-11-23"
pub fn long_date(locale: Locale, g: &GasText, d: Date) -> String {
    format!("{}, {}", g.weekdays[weekday_index(d)], locale.date(d))
}

/// "23 seg": the day of the month and its short weekday, for a row of a month.
pub fn short_day(g: &GasText, d: Date) -> String {
    format!("{:02} {}", d.day(), g.weekdays_short[weekday_index(d)])
}

/// The health level a band is drawn with (its glyph and colour).
fn band_health(b: GasBand) -> Health {
    match b {
        GasBand::Green => Health::Ok,
        GasBand::Yellow => Health::Warning,
        GasBand::Red => Health::Critical,
    }
}

pub fn band_style(t: Theme, b: GasBand) -> Style {
    t.health_style(band_health(b))
}

/// "✓ verde", "▲ amarelo", "✗ vermelho" in the band's colour.
pub fn band_span(t: Theme, g: &GasText, b: GasBand) -> Span<'static> {
    Span::styled(
        format!("{} {}", t.health_glyph(band_health(b)), g.bands[b.index()]),
        band_style(t, b),
    )
}

/// The widest band cell, for column widths.
pub fn band_width(t: Theme, g: &GasText) -> usize {
    [GasBand::Green, GasBand::Yellow, GasBand::Red]
        .iter()
        .map(|b| band_span(t, g, *b).width())
        .max()
        .unwrap_or(0)
}

/// A label on the left and a value on the right of a line `width` cells wide.
pub fn label_value(label: Span<'static>, value: Span<'static>, width: usize) -> Line<'static> {
    let gap = width.saturating_sub(label.width() + value.width()).max(1);
    Line::from(vec![label, Span::raw(" ".repeat(gap)), value])
}

/// A right-aligned table cell.
pub fn right(s: impl Into<String>) -> Line<'static> {
    Line::from(s.into()).right_aligned()
}

/// A right-aligned styled table cell.
pub fn right_styled(s: impl Into<String>, style: Style) -> Line<'static> {
    Line::from(Span::styled(s.into(), style)).right_aligned()
}

/// Width of a column: its heading or its widest cell.
pub fn col_width<'a>(heading: &str, cells: impl Iterator<Item = &'a str>) -> u16 {
    cells
        .map(text_width)
        .max()
        .unwrap_or(0)
        .max(text_width(heading)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panes::gas::text::{EN, PT_BR};
    use jiff::civil::date;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn figures_follow_the_locale() {
        assert_eq!(m3(Locale::PtBr, dec("52625.4")), "52.625");
        assert_eq!(m3(Locale::En, dec("134800")), "134,800");
        assert_eq!(percent(Locale::PtBr, dec("0.0523")), "5,2");
        assert_eq!(factor(Locale::PtBr, dec("0.95")), "95 %");
        assert_eq!(factor(Locale::En, dec("0.975")), "97.5 %");
        assert_eq!(factor(Locale::PtBr, dec("1.2")), "120 %");
    }

    #[test]
    fn days_have_weekday_names() {
        let d = date(2026, 11, 23);
        assert_eq!(
            long_date(Locale::PtBr, &PT_BR, d),
            "segunda-feira, 23/11/2026"
        );
        assert_eq!(long_date(Locale::En, &EN, d), "Monday, 2026-11-23");
        assert_eq!(short_day(&PT_BR, date(2026, 11, 3)), "03 ter");
        assert_eq!(Locale::PtBr.month_year(d), "novembro de 2026");
        assert_eq!(Locale::En.month_year(d), "November 2026");
    }
}
