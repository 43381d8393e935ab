"""Write the page's dated items as an RFC 5545 iCalendar file."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import UTC, date, datetime

from hzcity.catalog.model import Event

ZONE = "Asia/Shanghai"
# China has kept UTC+8 without daylight saving since 1992, so one STANDARD rule
# describes every date on the page.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{ZONE}",
    "BEGIN:STANDARD",
    "DTSTART:19920101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _escape(text: str) -> str:
    """TEXT as RFC 5545 writes it: a backslash, semicolon and comma escaped, every line
    break (CR LF, LF or a bare CR) as \\n; a CR written raw would end the content line."""
    escaped = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _day(day: date) -> str:
    """A DATE value, YYYYMMDD with four digits of year (strftime's %Y gives 999 for 999)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines start with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _dates(event: Event) -> list[str]:
    """DTSTART/DTEND lines: a timed start, an all-day day, or a whole month."""
    start = str(event.date.base_value).split("/")[0]
    end = str(event.end.base_value) if event.end else ""
    if len(start) == 7:  # a month, e.g. 2023-06: all of it
        year, month = map(int, start.split("-"))
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        return [f"DTSTART;VALUE=DATE:{_day(first)}", f"DTEND;VALUE=DATE:{_next_day(last)}"]
    day = date.fromisoformat(start)
    if event.time:
        hour, minute = map(int, str(event.time.base_value).split(":"))
        # Harbin wall-clock time: a floating time would move with the reader's zone
        return [f"DTSTART;TZID={ZONE}:{_day(day)}T{hour:02d}{minute:02d}00"]
    last = date.fromisoformat(end) if end else day
    return [f"DTSTART;VALUE=DATE:{_day(day)}", f"DTEND;VALUE=DATE:{_next_day(last)}"]


def _next_day(day: date) -> str:
    return _day(date.fromordinal(day.toordinal() + 1))


def to_ics(events: Iterable[Event], lang: str, now: datetime | None = None) -> str:
    """The whole calendar as text with CRLF line ends."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//hzcity//hzcity events//EN",
        "CALSCALE:GREGORIAN",
        *VTIMEZONE,
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{event.id}@hzcity", f"DTSTAMP:{stamp}"]
        lines += _dates(event)
        lines.append(f"SUMMARY:{_escape(event.title(lang))}")
        if event.place:
            lines.append(f"LOCATION:{_escape(event.place.value)}")
        details = [f"{f.label(lang)}: {f.shown_value()}" for f in event.details]
        details.append(f"{event.date.source} ({event.date.quote})")
        lines.append(f"DESCRIPTION:{_escape(chr(10).join(details))}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
