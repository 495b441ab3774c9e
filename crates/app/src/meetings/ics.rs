//! A personal agenda as an iCalendar document (RFC 5545): one VEVENT per published meeting, with
//! times in Europe/Paris described by a VTIMEZONE carrying the EU daylight-saving rules.

use super::agenda::Agenda;
use super::programme;
use icalendar::{Calendar, CalendarComponent, Component, EventLike, Property};
use std::str::FromStr;

pub const TZID: &str = "Europe/Paris";

/// Europe/Paris since 1996 (EU rules): CEST from the last Sunday of March at 02:00 local time,
/// CET from the last Sunday of October at 03:00 local time. Calendar clients need the VTIMEZONE
/// to place TZID-qualified times without a time-zone database of their own.
pub const PARIS_VTIMEZONE: &str = "BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
X-LIC-LOCATION:Europe/Paris\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
";

fn local_time(ms: i64) -> String {
    programme::local(ms, "%Y%m%dT%H%M%S")
}

fn zoned(key: &str, ms: i64) -> Property {
    let mut property = Property::new(key, local_time(ms));
    property.add_parameter("TZID", TZID);
    property
}

/// The agenda as an `.ics` text. `host` names this installation in the UIDs.
pub fn render(agenda: &Agenda, host: &str) -> String {
    let mut calendar = Calendar::new();
    calendar
        .name(&agenda.event.title)
        .append_property(Property::new("X-WR-TIMEZONE", TZID));
    if let Ok(timezone) = CalendarComponent::from_str(PARIS_VTIMEZONE) {
        calendar.push(timezone);
    }
    for item in &agenda.items {
        let mut event = icalendar::Event::new();
        let place = match (agenda.event.online != 0, agenda.event.venue.is_empty()) {
            (true, _) => format!("En ligne — table {}", item.table + 1),
            (false, true) => format!("Table {}", item.table + 1),
            (false, false) => format!("{} — table {}", agenda.event.venue, item.table + 1),
        };
        event
            .uid(&format!("meeting-{}@{host}", item.meeting_id))
            .summary(&format!("Rendez-vous : {}", item.with))
            .location(&place)
            .description(&format!("{} — {}", agenda.event.title, item.with))
            .append_property(zoned("DTSTART", item.starts_at))
            .append_property(zoned("DTEND", item.ends_at));
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
