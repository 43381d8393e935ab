"""How a fact's period, unit and curator note, and rates by industry class, read in each
language."""

from __future__ import annotations

from hzcity.i18n import Phrase, said, say, translate
from hzcity.labels import class_numeral

# the periods the fact files give as words
PERIODS = {
    "annual": Phrase("annual"),
    "planned": Phrase("planned"),
    "current plan": Phrase("current plan"),
    "no year printed": Phrase("no year printed"),
}

# units as people write them after a figure: the parameters' (`rates`) and the base units
# of the fact files (facts/_units.yaml) after a normalised figure
UNITS = {
    "percent": Phrase("%"),
    "yuan/month": Phrase("yuan/month"),
    "yuan/person/month": Phrase("yuan/person/month"),
    "yuan/person/school-year": Phrase("yuan/person/school year"),
    "yuan": Phrase("yuan"),
    "m2": Phrase("m2"),
    "student": Phrase("student"),
    "case": Phrase("case"),
    "day": Phrase("day"),
    "item": Phrase("item"),
    "level": Phrase("level"),
    "person": Phrase("person"),
    "place/1000 people": Phrase("place/1000 people"),
    "round": Phrase("round"),
    "school": Phrase("school"),
    "year": Phrase("year"),
}


def period_words(period: str, lang: str) -> str:
    """A fact's period: a date as it is, a window as windows are written (2023-05-01至
    2024-12-31 in Chinese), a span of years up to a day (the fact files' ISO 8601
    P3Y/2023-05-31) or a phrase of the fact files in ``lang``."""
    if period in PERIODS:
        return said(PERIODS[period], lang)
    years, _, day = period.partition("/")
    if years.startswith("P") and years.endswith("Y") and years[1:-1].isdigit() and day:
        return say("{years} years to {day}", lang, years=int(years[1:-1]), day=day)
    if _iso(years) and _iso(day):  # the window DatedValue.window says
        return say("{start}/{end}", lang, start=years, end=day)
    return period


def _iso(text: str) -> bool:
    """Whether ``text`` is an ISO year, month or day (1995, 2023-05, 2023-05-31)."""
    return text[:4].isdigit() and text.replace("-", "").isdigit()


def note_words(note: str, lang: str) -> str:
    """A fact's curator note (English, in the fact file) in ``lang``: a user's note that the
    catalog does not hold is shown as written."""
    return translate(note, lang, context="curator note")


def unit_words(unit: str, lang: str) -> str:
    """A base unit of the fact files (yuan, m2) in ``lang``; none after a date (an ISO date
    says what it is); one without words as it is."""
    if unit == "date":
        return ""
    return said(UNITS[unit], lang) if unit in UNITS else unit


def class_rates(rates: dict[int, object], lang: str) -> str:
    """Rates by industry class: 1: 0.2%, 2: 0.4% or 一类0.2%、二类0.4%."""
    return say(", ", lang).join(
        say("{number}: {rate}%", lang, number=class_numeral(n), rate=rate)
        for n, rate in sorted(rates.items())
    )
