"""One model of dated values, openfisca-core's: a parameter's values ordered by start, each
standing from its start to its own last day or to the day before the next start, whichever
comes first. A value a later start supersedes never returns, and an announced value stands
without being in force. ``in_force`` is the one answer to "the value in force on day D",
for every calculator, ``rates`` and the payroll engines.

The days people ask for are read here too, by one parser: ``asked_day`` (``--date``:
YYYY-MM-DD, YYYY-MM for a month's first day, or "today") and ``month_start`` (a month's
first day: the day whose rates a month's contributions are priced at).
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import zip_longest
from typing import Generic, Protocol, TypeVar

from hzcity.errors import BadInput
from hzcity.i18n import Phrase

ANNOUNCED = "announced"  # a measure to be set up: it stands on the timeline, never in force


class Dated(Protocol):
    """What the timeline reads of a value: its first day, its own last day (None: open,
    until a later value starts) and its status."""

    @property
    def start(self) -> date: ...

    @property
    def last(self) -> date | None: ...

    @property
    def status(self) -> str: ...


V = TypeVar("V", bound=Dated)


@dataclass(frozen=True, kw_only=True, slots=True)
class Span(Generic[V]):
    """A value and the days it stands: from its start to ``last`` (None: no end)."""

    value: V
    last: date | None
    then: V | None = None  # the value starting the day after ``last``, when one does


def spans(values: Sequence[V]) -> list[Span[V]]:
    """Each of ``values`` (ordered by start, none clashing) with the days it stands: to its
    own last day, or to the eve of the next start when that comes first or next."""
    found = []
    for value, after in zip_longest(values, values[1:]):
        own = value.last
        if after is not None:
            eve = after.start - timedelta(days=1)  # a later start: never date.min
            if own is None or own >= eve:
                found.append(Span(value=value, last=eve, then=after))
                continue
        found.append(Span(value=value, last=own))
    return found


def standing(values: Sequence[V], day: date) -> Span[V] | None:
    """The span holding ``day``: the last value starting on or before it, unless ``day`` is
    past its last day (its own end, or superseded)."""
    at = bisect_right([v.start for v in values], day)
    if at == 0:
        return None
    span = spans(values[at - 1 : at + 1])[0]
    return span if span.last is None or day <= span.last else None


def in_force(values: Sequence[V], day: date, *, announced: bool = False) -> V | None:
    """The value in force on ``day``, or None. With ``announced``, an announced value
    standing that day counts too (the childcare subsidy is reported as announced)."""
    span = standing(values, day)
    if span is None or (span.value.status == ANNOUNCED and not announced):
        return None
    return span.value


def latest_day(
    timelines: Sequence[Sequence[V]], until: date, *, announced: bool = False
) -> date | None:
    """The latest day on or before ``until`` on which every timeline has a value in force
    (None: no such day). Where their common days end, one of their spans ends: only
    ``until`` and the spans' last days need trying."""
    ends = {s.last for t in timelines for s in spans(t) if s.last is not None and s.last < until}
    for day in sorted({until, *ends}, reverse=True):
        if all(in_force(t, day, announced=announced) is not None for t in timelines):
            return day
    return None


def in_year(values: Sequence[V], year: int) -> V | None:
    """The value in force on the latest day of ``year`` that has one (a yearly standard's)."""
    day = latest_day([values], date(year, 12, 31))
    return in_force(values, day) if day is not None and day.year == year else None


def clash(before: Dated, after: Dated) -> bool:
    """Whether ``after`` (starting no earlier) starts inside ``before``'s own window: on
    the same day, or by its own last day. An open ``before`` does not clash: the later start
    supersedes it."""
    return after.start <= before.start or (before.last is not None and after.start <= before.last)


TODAY_VARIABLE = "HZCITY_TODAY"  # YYYY-MM-DD: pins "today" (tests, a rerun of a past day)
TODAY_WORD = "today"  # --date today: today strictly
# Asia/Shanghai has kept UTC+8 without summer time since 1991, so the zone database would
# give the same day for any run; a fixed offset spares every run the zoneinfo import and a
# machine without tzdata (Windows) the fallback.
HARBIN = timezone(timedelta(hours=8), "Asia/Shanghai")
# the shapes of a day, a month and a year as written: ASCII digits (int() would read others)
DAY, MONTH, YEAR = "0000-00-00", "0000-00", "0000"


def _shaped(text: str, shape: str) -> bool:
    """Whether ``text`` is written as ``shape``: a digit for each 0, the rest as it is."""
    return len(text) == len(shape) and all(
        "0" <= c <= "9" if s == "0" else c == s for c, s in zip(text, shape, strict=True)
    )


def today(now: datetime | None = None) -> date:
    """Today in Harbin (Asia/Shanghai), whatever the machine's zone: a run at 23:30 UTC is
    already tomorrow there. $HZCITY_TODAY pins it; ``now`` (aware) stands for the clock."""
    pinned = os.environ.get(TODAY_VARIABLE)
    if pinned and now is None:
        return parse_day(pinned, TODAY_VARIABLE)
    return (now or datetime.now(HARBIN)).astimezone(HARBIN).date()


def asked_day(text: str, now: date | None = None) -> date:
    """The day a ``--date`` option asks, the one reading every command shares:
    YYYY-MM-DD, YYYY-MM (the month's first day) or "today" (``now``, else today in
    Harbin); anything else is BadInput naming the forms."""
    if text.strip().lower() == TODAY_WORD:
        return now or today()
    if _shaped(text, MONTH):
        return month_start(text)
    if not _shaped(text, DAY):
        raise BadInput(Phrase("{text!r} is not a date: give YYYY-MM-DD, YYYY-MM (a month: its "
                              "first day) or today", text=text), field="date")  # fmt: skip
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    if year < 1 or not 1 <= month <= 12:
        raise BadInput(Phrase("{text!r} is no day of the calendar", text=text), field="date")
    import calendar  # only to say why: a day past its month's last

    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise BadInput(Phrase("{text!r} is no day of the calendar: {month} has {days} days",
                              text=text, month=text[:7], days=days), field="date")  # fmt: skip
    return date(year, month, day)


def month_start(text: str) -> date:
    """The first day of the month ``text`` names as YYYY-MM: the day whose rates that
    month's contributions are priced at."""
    if not _shaped(text, MONTH):
        raise BadInput(Phrase("{text!r} is not a month: give YYYY-MM", text=text), field="date")
    year, month = int(text[:4]), int(text[5:])
    if year < 1 or not 1 <= month <= 12:
        raise BadInput(Phrase("{text!r} is no month of the calendar", text=text), field="date")
    return date(year, month, 1)


def parse_day(text: str, what: str = Phrase("date"), *, field: str | None = None) -> date:
    """A day of a file or $HZCITY_TODAY: YYYY-MM-DD, or YYYY for the first day of a year;
    ``field``: the option it was given to, which the error names."""
    try:
        if _shaped(text, YEAR):
            return date(int(text), 1, 1)
        if _shaped(text, DAY):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise BadInput(Phrase("{what} {text!r} is not a date (YYYY-MM-DD)", what=what, text=text),
                   field=field)  # fmt: skip
