//! Wall-clock time in Europe/Paris, the time every call is published in: buyers type "closes on
//! 9 January at 12:00" and mean Paris time, whatever the season. Instants are `jiff::Timestamp`.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};

/// The form of a local date-time as forms send it (`<input type="datetime-local">`).
pub const INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The EU rule in force in France since 1996: CET, and CEST from the last Sunday of March at 02:00
/// to the last Sunday of October at 03:00. Used only when the system has no time-zone database, so
/// that deadlines stay right instead of silently falling back to UTC.
const PARIS_RULE: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

pub fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris")
        .or_else(|_| TimeZone::posix(PARIS_RULE))
        .expect("the built-in Europe/Paris rule parses")
}

/// Why a typed local date-time names no instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("'{0}' is not a date and time like 2027-01-09T12:00")]
    Malformed(String),
    /// The hour skipped when clocks go forward (last Sunday of March, 02:00 to 03:00).
    #[error(
        "{0} does not exist in Paris: clocks go forward from 02:00 to 03:00 that night; choose another time"
    )]
    Skipped(String),
}

/// Reads `YYYY-MM-DDTHH:MM` as Paris wall-clock time.
///
/// A time in the hour skipped in spring is refused rather than shifted, since a deadline nobody
/// typed is worse than a question. A time in the hour repeated in autumn (02:00 to 03:00 happens
/// twice) is read as its first occurrence, still in summer time: the earlier instant is the one a
/// reader of the call sees first on the clock, and a deadline read early is never missed.
pub fn parse_local(text: &str) -> Result<Timestamp, LocalTimeError> {
    let text = text.trim();
    let datetime =
        DateTime::strptime(INPUT_FORMAT, text).map_err(|_| LocalTimeError::Malformed(excerpt(text)))?;
    let ambiguous = paris().to_ambiguous_timestamp(datetime);
    let offset = match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { offset } => offset,
        AmbiguousOffset::Fold { before, .. } => before,
        AmbiguousOffset::Gap { .. } => return Err(LocalTimeError::Skipped(text.to_owned())),
    };
    offset
        .to_timestamp(datetime)
        .map_err(|_| LocalTimeError::Malformed(excerpt(text)))
}

/// The instant as Paris wall-clock time in the form [`parse_local`] reads.
pub fn input(at: Timestamp) -> String {
    paris().to_datetime(at).strftime(INPUT_FORMAT).to_string()
}

/// The day it is in Paris at that instant: renewal dates, subscriptions and the directory's
/// credential expiries all turn at Paris midnight.
pub fn date(at: Timestamp) -> jiff::civil::Date {
    paris().to_datetime(at).date()
}

/// The instant as people read it in messages: `2027-01-09 12:00 (Paris time)`.
pub fn display(at: Timestamp) -> String {
    format!(
        "{} (Paris time)",
        paris().to_datetime(at).strftime("%Y-%m-%d %H:%M")
    )
}

/// Keeps messages about pasted garbage short.
fn excerpt(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn winter_and_summer_times_have_their_offsets() {
        assert_eq!(
            parse_local("2027-01-09T12:00").unwrap(),
            utc("2027-01-09T11:00:00Z")
        );
        assert_eq!(
            parse_local(" 2027-07-14T12:00 ").unwrap(),
            utc("2027-07-14T10:00:00Z")
        );
    }

    #[test]
    fn the_skipped_spring_hour_is_refused_and_its_edges_are_not() {
        // 2027-03-28: clocks go from 02:00 CET straight to 03:00 CEST.
        let err = parse_local("2027-03-28T02:30").unwrap_err();
        assert_eq!(err, LocalTimeError::Skipped("2027-03-28T02:30".into()));
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(
            parse_local("2027-03-28T02:00").is_err(),
            "02:00 itself is skipped"
        );
        assert_eq!(
            parse_local("2027-03-28T01:59").unwrap(),
            utc("2027-03-28T00:59:00Z")
        );
        assert_eq!(
            parse_local("2027-03-28T03:00").unwrap(),
            utc("2027-03-28T01:00:00Z")
        );
    }

    #[test]
    fn the_repeated_autumn_hour_reads_as_its_first_occurrence() {
        // 2027-10-31: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
        assert_eq!(
            parse_local("2027-10-31T02:30").unwrap(),
            utc("2027-10-31T00:30:00Z")
        );
        assert_eq!(
            parse_local("2027-10-31T03:00").unwrap(),
            utc("2027-10-31T02:00:00Z")
        );
        assert_eq!(input(utc("2027-10-31T01:30:00Z")), "2027-10-31T02:30");
    }

    #[test]
    fn malformed_input_is_named_briefly() {
        for bad in [
            "",
            "2027-01-09",
            "09/01/2027 12:00",
            "2027-02-30T12:00",
            "2027-01-09T25:00",
        ] {
            assert!(
                matches!(parse_local(bad), Err(LocalTimeError::Malformed(_))),
                "{bad}"
            );
        }
        let long = "x".repeat(500);
        assert!(parse_local(&long).unwrap_err().to_string().len() < 120);
    }

    #[test]
    fn the_fallback_rule_agrees_with_the_time_zone_database() {
        let rule = TimeZone::posix(PARIS_RULE).unwrap();
        let Ok(tzdb) = TimeZone::get("Europe/Paris") else {
            return; // no database here: the rule is all there is
        };
        for instant in [
            "2026-03-29T00:59:59Z",
            "2026-03-29T01:00:00Z",
            "2026-10-25T00:59:59Z",
            "2026-10-25T01:00:00Z",
            "2027-06-01T12:00:00Z",
            "2030-12-31T23:00:00Z",
        ] {
            let t = utc(instant);
            assert_eq!(rule.to_offset(t), tzdb.to_offset(t), "{instant}");
        }
    }

    #[test]
    fn messages_show_paris_time() {
        assert_eq!(
            display(utc("2027-01-09T11:00:00Z")),
            "2027-01-09 12:00 (Paris time)"
        );
    }

    proptest! {
        /// A typed local time is refused exactly when it falls in the spring gap (02:00 to 02:59
        /// on the last Sunday of March); every other one reads back as itself.
        #[test]
        fn only_the_spring_gap_is_refused(day in 0i32..(366 * 12), hour in 0i8..24, minute in 0i8..60) {
            let date = jiff::civil::date(2026, 1, 1).checked_add(jiff::Span::new().days(day)).unwrap();
            let text = date.at(hour, minute, 0, 0).strftime(INPUT_FORMAT).to_string();
            let in_gap = date.month() == 3
                && date.day() > 24
                && date.weekday() == jiff::civil::Weekday::Sunday
                && hour == 2;
            match parse_local(&text) {
                Ok(t) => {
                    prop_assert!(!in_gap, "{text} should not exist");
                    prop_assert_eq!(input(t), text);
                }
                Err(e) => prop_assert!(in_gap && matches!(e, LocalTimeError::Skipped(_)), "{text}: {e}"),
            }
        }

        /// Every instant on a minute reads back from its own local form, except the second pass
        /// through the repeated autumn hour, which reads as the first.
        #[test]
        fn local_input_round_trips(minutes in 0i64..(60 * 24 * 365 * 10)) {
            let t = Timestamp::from_second(1_767_225_600 + minutes * 60).unwrap(); // from 2026-01-01
            let back = parse_local(&input(t)).unwrap();
            prop_assert!(back == t || back == t - jiff::SignedDuration::from_hours(1), "{t} -> {back}");
        }
    }
}
