//! Numbers and dates as a reader of the page's language expects them: "2 520,50" and 05/12/2026
//! in French, "2,520.50" and 2026-12-05 in English. Values stay exact; only their text changes.

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};

/// French groups thousands with a narrow no-break space (U+202F), as typographers and the
/// Imprimerie nationale do; it never breaks a number across lines.
const FR_GROUP: char = '\u{202F}';

/// `value` with exactly `places` decimals (rounded half up), thousands grouped, in `locale`
/// ("fr" or anything else for English).
pub fn decimal(value: Decimal, places: u32, locale: &str) -> String {
    let rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    let mut scaled = rounded;
    scaled.rescale(places);
    let text = scaled.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = if locale == "fr" {
        (FR_GROUP, ',')
    } else {
        (',', '.')
    };
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3 + 1);
    if scaled.is_sign_negative() && !scaled.is_zero() {
        grouped.push('-');
    }
    for (k, digit) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    if !fraction.is_empty() {
        grouped.push(point);
        grouped.push_str(fraction);
    }
    grouped
}

/// An amount of euros to the cent: "2 520,50 €" / "€2,520.50".
pub fn euros(value: Decimal, locale: &str) -> String {
    let amount = decimal(value, 2, locale);
    if locale == "fr" {
        format!("{amount}\u{A0}€")
    } else if let Some(positive) = amount.strip_prefix('-') {
        format!("-€{positive}")
    } else {
        format!("€{amount}")
    }
}

/// A calendar day: 05/12/2026 in French, 2026-12-05 in English.
pub fn date(day: Date, locale: &str) -> String {
    if locale == "fr" {
        day.strftime("%d/%m/%Y").to_string()
    } else {
        day.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        assert_eq!(decimal(d("2520.5"), 2, "fr"), "2\u{202F}520,50");
        assert_eq!(decimal(d("2520.5"), 2, "en"), "2,520.50");
        assert_eq!(decimal(d("1234567.891"), 2, "en"), "1,234,567.89");
        assert_eq!(decimal(d("0.12345"), 4, "fr"), "0,1235");
        assert_eq!(decimal(d("100"), 0, "fr"), "100");
        assert_eq!(decimal(d("-1000.005"), 2, "en"), "-1,000.01");
        assert_eq!(decimal(d("-0.001"), 2, "en"), "0.00");
    }

    #[test]
    fn euros_and_days() {
        assert_eq!(euros(d("60"), "fr"), "60,00\u{A0}€");
        assert_eq!(euros(d("-60"), "en"), "-€60.00");
        let day = jiff::civil::date(2026, 12, 5);
        assert_eq!(date(day, "fr"), "05/12/2026");
        assert_eq!(date(day, "en"), "2026-12-05");
    }
}
