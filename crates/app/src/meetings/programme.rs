//! An event's programme — days, sessions, slot length, breaks — turned into slots with start and
//! end instants. Times are wall-clock times in Europe/Paris, so a slot keeps its hour across DST.

use jiff::civil::{Date, Time};
use store::meetings::Slot;

/// Largest number of slots an event may have (a week of short slots); keeps forms honest.
pub const MAX_EVENT_SLOTS: usize = 200;

/// The one Europe/Paris of the product (with its built-in rule when the system has no time-zone
/// database, rather than a silent fall-back to UTC).
pub use domain::committee::paris::paris;

/// Parses "09:00-12:30,14:00-17:30" into (start, end) pairs.
pub fn parse_sessions(text: &str) -> Result<Vec<(Time, Time)>, String> {
    let mut sessions = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (start, end) = part
            .split_once('-')
            .ok_or_else(|| format!("'{part}' is not a session like 09:00-12:30"))?;
        let parse = |t: &str| {
            Time::strptime("%H:%M", t.trim()).map_err(|_| format!("'{}' is not a time like 09:00", t.trim()))
        };
        let (start, end) = (parse(start)?, parse(end)?);
        if end <= start {
            return Err(format!("session '{part}' ends before it starts"));
        }
        if let Some(&(_, previous_end)) = sessions.last()
            && start < previous_end
        {
            return Err(format!("session '{part}' overlaps the one before"));
        }
        sessions.push((start, end));
    }
    if sessions.is_empty() {
        return Err("at least one session is needed, e.g. 09:00-12:30".into());
    }
    Ok(sessions)
}

/// The slots of the programme, numbered from 0 in time order.
pub fn slots(
    first_day: Date,
    days: i64,
    sessions: &[(Time, Time)],
    slot_minutes: i64,
    break_minutes: i64,
) -> Result<Vec<Slot>, String> {
    let tz = paris();
    let mut slots = Vec::new();
    for day in 0..days {
        let date = first_day
            .checked_add(jiff::Span::new().days(day))
            .map_err(|e| e.to_string())?;
        for &(start, end) in sessions {
            let end_at = date.to_datetime(end);
            let mut at = date.to_datetime(start);
            loop {
                let slot_end = at
                    .checked_add(jiff::Span::new().minutes(slot_minutes))
                    .map_err(|e| e.to_string())?;
                if slot_end > end_at {
                    break;
                }
                let instant = |dt: jiff::civil::DateTime| {
                    tz.to_ambiguous_timestamp(dt)
                        .compatible()
                        .map(|t| t.as_millisecond())
                        .map_err(|e| e.to_string())
                };
                slots.push(Slot {
                    slot_index: slots.len() as i64,
                    starts_at: instant(at)?,
                    ends_at: instant(slot_end)?,
                });
                if slots.len() > MAX_EVENT_SLOTS {
                    return Err(format!("the programme makes more than {MAX_EVENT_SLOTS} slots"));
                }
                at = slot_end
                    .checked_add(jiff::Span::new().minutes(break_minutes))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    if slots.is_empty() {
        return Err("the sessions are too short for one slot".into());
    }
    Ok(slots)
}

/// "2027-03-16T18:00" (Paris wall-clock time) as Unix milliseconds.
pub fn parse_local_instant(text: &str) -> Result<i64, String> {
    let dt = jiff::civil::DateTime::strptime("%Y-%m-%dT%H:%M", text.trim())
        .map_err(|_| format!("'{}' is not a date and time like 2027-03-15T18:00", text.trim()))?;
    paris()
        .to_ambiguous_timestamp(dt)
        .compatible()
        .map(|t| t.as_millisecond())
        .map_err(|e| e.to_string())
}

/// Unix milliseconds as Paris wall-clock time, in the form `parse_local_instant` reads.
pub fn local_input(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| paris().to_datetime(t).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// Unix milliseconds as Paris wall-clock time with a given strftime format.
pub fn local(ms: i64, format: &str) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| paris().to_datetime(t).strftime(format).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_morning_and_an_afternoon_make_slots_with_breaks() {
        let sessions = parse_sessions("09:00-10:00, 14:00-15:00").unwrap();
        let day = Date::new(2027, 3, 16).unwrap();
        let slots = slots(day, 2, &sessions, 25, 5).unwrap();
        // 09:00, 09:30 (ends 09:55), then 14:00, 14:30 — two per session, two sessions, two days.
        assert_eq!(slots.len(), 8);
        assert_eq!(local(slots[0].starts_at, "%H:%M"), "09:00");
        assert_eq!(local(slots[1].starts_at, "%H:%M"), "09:30");
        assert_eq!(local(slots[1].ends_at, "%H:%M"), "09:55");
        assert_eq!(local(slots[2].starts_at, "%H:%M"), "14:00");
        assert_eq!(local(slots[4].starts_at, "%Y-%m-%d %H:%M"), "2027-03-17 09:00");
        assert!(slots.windows(2).all(|w| w[0].ends_at <= w[1].starts_at));
    }

    #[test]
    fn paris_time_follows_daylight_saving() {
        let winter = parse_local_instant("2027-01-15T09:00").unwrap();
        let summer = parse_local_instant("2027-07-15T09:00").unwrap();
        // 09:00 in Paris is 08:00 UTC in winter (CET) and 07:00 UTC in summer (CEST).
        assert_eq!(winter % 86_400_000, 8 * 3_600_000);
        assert_eq!(summer % 86_400_000, 7 * 3_600_000);
    }

    #[test]
    fn bad_sessions_are_explained() {
        assert!(parse_sessions("").is_err());
        assert!(parse_sessions("10:00-09:00").unwrap_err().contains("ends before"));
        assert!(
            parse_sessions("09:00-12:00,11:00-13:00")
                .unwrap_err()
                .contains("overlaps")
        );
        assert!(parse_sessions("9h-12h").is_err());
    }
}
