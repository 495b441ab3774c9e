#!/usr/bin/env python3
"""Checks an .ics agenda with an independent parser (PyPI `icalendar`): it parses, carries a
Europe/Paris VTIMEZONE with DAYLIGHT and STANDARD rules, and every VEVENT starts and ends in it.
Usage: check_ics.py FILE  — exits 0 when valid, 1 with a message otherwise."""
import sys

import icalendar


def main(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    zones = [c for c in cal.walk("VTIMEZONE") if str(c.get("TZID")) == "Europe/Paris"]
    if not zones:
        sys.exit("no Europe/Paris VTIMEZONE")
    kinds = sorted(sub.name for sub in zones[0].subcomponents)
    if kinds != ["DAYLIGHT", "STANDARD"]:
        sys.exit(f"VTIMEZONE holds {kinds}")
    events = cal.walk("VEVENT")
    for event in events:
        for key in ("DTSTART", "DTEND"):
            prop = event.get(key)
            if prop is None or prop.params.get("TZID") != "Europe/Paris":
                sys.exit(f"{key} of {event.get('UID')} is not in Europe/Paris")
        if event.decoded("DTEND") <= event.decoded("DTSTART"):
            sys.exit(f"{event.get('UID')} ends before it starts")
    print(f"ok: {len(events)} events")


if __name__ == "__main__":
    main(sys.argv[1])
