"""How a fact's period, unit and curator note, and rates by industry class, read in each
language."""

from __future__ import annotations

from hzcity.i18n import say
from hzcity.labels import NOTES_ZH, NUMERALS, TEXT


def period_words(period: str, lang: str) -> str:
    """A fact's period: a date or window as it is, a span of years up to a day (the fact
    files' ISO 8601 P3Y/2023-05-31) or a phrase of the fact files in ``lang``."""
    key = f"period.{period}"
    if key in TEXT:
        return say(key, lang)
    years, _, day = period.partition("/")
    if years.startswith("P") and years.endswith("Y") and years[1:-1].isdigit() and day:
        return say("{years} years to {day}", lang, years=int(years[1:-1]), day=day)
    return period


def note_words(note: str, lang: str) -> str:
    """A fact's curator note in ``lang``."""
    return NOTES_ZH.get(note, note) if lang == "zh" else note


def unit_words(unit: str, lang: str) -> str:
    """A base unit of the fact files (yuan, m2) in ``lang``; one without words as it is."""
    key = f"unit.{unit}"
    return say(key, lang) if key in TEXT else unit


def class_rates(rates: dict[int, object], lang: str) -> str:
    """Rates by industry class: 1: 0.2%, 2: 0.4% or 一类0.2%、二类0.4%."""
    return say(", ", lang).join(
        say("class.rate", lang, number=n, numeral=NUMERALS[n] if n < 10 else n, rate=rate)
        for n, rate in sorted(rates.items())
    )
