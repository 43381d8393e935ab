"""Find, safe-load and check fact files; the Fact and Topic types.

A topic is one YAML file; the schema is documented in facts/README.md. Topic
files are parsed only when a command needs them, so ``facts education`` reads
one file, not all of them.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from hzcity.errors import InvalidData, NotFound, collect, suggest
from hzcity.i18n import Phrase, said, say
from hzcity.lines import LineDict
from hzcity.loader import (
    UNITS_FILE,
    check_root,
    fact_files,
    facts_roots,
    load_yaml,
    shipped_root,
)
from hzcity.output.screen import check_text

# The kinds of fact, in the schema's order, and their names for people.
KIND_NAMES = {
    "achievement": Phrase("achievement"),
    "target": Phrase("target"),
    "bound": Phrase("bound", context="fact kind"),
    "change": Phrase("change"),
    "rate": Phrase("rate"),
    "standard": Phrase("standard"),
    "count": Phrase("count"),
    "ordinal": Phrase("ordinal"),
    "date": Phrase("date"),
    "time": Phrase("time"),
    "price": Phrase("price"),
    "contact": Phrase("contact"),
    "statement": Phrase("statement"),
}
KINDS = tuple(KIND_NAMES)
BOUNDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
ORDINAL = "第"  # before an ordinal's value, as the page prints it: 第22个, 第五轮
NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
# A printed figure: digits, a decimal point and digits; no sign, exponent, NaN or
# Infinity (Decimal reads them all). At most FIGURE_DIGITS digits and a unit scale of at
# most SCALE_DIGITS significant ones, so value x scale stays exact in Decimal's 28 digits.
FIGURE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
FIGURE_DIGITS = 15
SCALE_DIGITS = 12
EVENT_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?\Z")
FIRST_CALENDAR_YEAR = 1900  # the first year of an event's date a calendar file may hold
TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])\Z")


@dataclass(frozen=True, kw_only=True)
class Unit:
    """A printed unit and how it converts to a base unit."""

    scale: Decimal
    base: str
    numeric: bool


@dataclass(frozen=True, kw_only=True)
class Fact:
    """One figure or statement of the page, with its qualifiers and citation."""

    id: str
    topic: str
    label_zh: str
    label_en: str
    value: str
    unit: str
    base_value: Decimal | str
    base_unit: str
    kind: str
    period: str
    stated_by: str
    source: str
    page: str
    quote: str
    target_year: int | None = None
    bound: str | None = None
    note: str = ""
    line: int = 0

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def search_text(self) -> str:
        """What a search matches (`hzcity search`, the HTML page's filter): id, labels,
        value and quote, in lower case."""
        return f"{self.id} {self.label_zh} {self.label_en} {self.value} {self.quote}".lower()

    def shown_value(self) -> str:
        """The value with its unit and bound, as a reader would say it: an ordinal with
        its 第 (第22个, where 22个 would read as a count)."""
        prefix = ORDINAL if self.kind == "ordinal" else BOUNDS.get(self.bound or "", "")
        if self.unit == "%" and not any(c.isdigit() for c in self.value):
            return f"{prefix}{self.value} ({self.base_value}%)"  # 双百 (100%), not 双百%
        return f"{prefix}{self.value}{self.unit}"

    def shown_kind(self, lang: str) -> str:
        name = said(KIND_NAMES[self.kind], lang)
        if self.kind == "bound" and self.bound:  # 95%以上 is a floor: 下限
            if ">" in self.bound:
                name = say("bound", lang, context="lower bound")
            else:
                name = say("bound", lang, context="upper bound")
        if not self.target_year:
            return name
        return say(
            "{kind} {year}", lang, context="a target's year", kind=name, year=self.target_year
        )

    @property
    def base_text(self) -> str:
        """The base value as text, exactly: 1995000000, 0.00000001 (never 1E-8), a date."""
        if isinstance(self.base_value, Decimal):
            return format(self.base_value, "f")
        return self.base_value

    def as_record(self) -> dict[str, Any]:
        """Plain data for json/csv output: the base value as exact decimal text, so a key
        has one type in every record."""
        record = {
            "id": self.id,
            "topic": self.topic,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "value": self.value,
            "unit": self.unit,
            "base_value": self.base_text,
            "base_unit": self.base_unit,
            "kind": self.kind,
            "target_year": self.target_year,
            "bound": self.bound,
            "period": self.period,
            "stated_by": self.stated_by,
            "source": self.source,
            "page": self.page,
            "quote": self.quote,
            "note": self.note or None,  # always there: every listing has the same columns
        }
        return record


@dataclass(frozen=True, kw_only=True)
class Event:
    """A dated item of the page, built from facts of its topic."""

    id: str
    title_zh: str
    title_en: str
    date: Fact
    time: Fact | None
    end: Fact | None
    place: Fact | None
    details: tuple[Fact, ...]

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def as_record(self, lang: str) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title(lang),
            "date": self.date.base_text,
            "time": self.time.value if self.time else None,
            "end": self.end.base_text if self.end else None,
            "place": self.place.value if self.place else None,
            "details": self.detail_texts(lang),
            "source": self.date.source,
        }

    def detail_texts(self, lang: str) -> list[str]:
        """Each further fact as label and value: 活动主题:人人讲安全、个个会应急."""
        return [say("{label}: {value}", lang, context="an event's detail", label=d.label(lang),
                    value=d.shown_value()) for d in self.details]  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Topic:
    """One fact file: an article (or a group of them) of the page."""

    name: str
    title_zh: str
    title_en: str
    headline: str
    page: str
    path: Path
    facts: tuple[Fact, ...]
    events: tuple[Event, ...] = ()

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


class Catalog:
    """All topic files under the shipped root and any user roots."""

    def __init__(self, user_roots: list[Path] | None = None, root: Path | None = None) -> None:
        self.user_roots = user_roots or []
        self.root = root or shipped_root()
        self._loaded: dict[str, Topic] = {}
        self._units: dict[Path, dict[str, Unit]] = {}

    @classmethod
    def from_env(cls, extra: list[Path] | None = None) -> "Catalog":
        """The shipped facts plus HZCITY_FACTS_PATH directories plus ``extra``."""
        return cls(user_roots=facts_roots(extra))

    @cached_property
    def units(self) -> dict[str, Unit]:
        """The shipped unit table."""
        return parse_units(self.root / UNITS_FILE)

    def units_for(self, folder: Path) -> dict[str, Unit]:
        """The units a topic in ``folder`` may use: the shipped ones and its own _units.yaml."""
        if folder == self.root:
            return self.units
        if folder not in self._units:
            own = fact_files(folder).units
            self._units[folder] = parse_units(own, self.units) if own else self.units
        return self._units[folder]

    @cached_property
    def files(self) -> dict[str, Path]:
        """Topic name -> file; a user topic may not reuse a shipped name."""
        found = {topic_name(p): p for p in fact_files(self.root).topics}
        for root in self.user_roots:
            check_root(root)
            for path in fact_files(root).topics:
                claim_topic(found, path)
        return dict(sorted(found.items()))

    def names(self) -> list[str]:
        return list(self.files)

    def topic(self, name: str) -> Topic:
        """Load one topic by name, or raise NotFound with the closest names."""
        key = name.strip().lower()
        if key not in self.files:
            raise NotFound(
                Phrase("unknown topic {name!r}{hint}", name=name, hint=suggest(key, self.names()))
            )
        if key not in self._loaded:
            path = self.files[key]
            self._loaded[key] = parse_topic(path, self.units_for(path.parent))
        return self._loaded[key]

    def topics(self, names: list[str] | None = None) -> list[Topic]:
        """The named topics once each, in the order given (all when none is named)."""
        chosen: dict[str, str] = {}
        for name in names or self.names():
            chosen.setdefault(name.strip().lower(), name)
        return [self.topic(n) for n in chosen.values()]

    def facts(self, names: list[str] | None = None) -> list[Fact]:
        return [f for t in self.topics(names) for f in t.facts]

    def fact(self, fact_id: str, topic: str | None = None) -> Fact:
        """One fact by id; only its topic's file is read. Without its topic (``topic.``),
        the id is read in ``topic``, else it must be unique among all topics."""
        key = fact_id.strip().lower()
        if topic and "." not in key:
            key = f"{topic.strip().lower()}.{key}"
        elif "." not in key:
            found = [f for f in self.facts() if f.id.endswith(f".{key}")]
            if len(found) > 1:
                topics = [f.topic for f in found]
                raise NotFound(
                    Phrase(
                        "{id!r} is a fact of {topics}: give the topic or the full id",
                        id=fact_id,
                        topics=topics,
                    )
                )
            if found:
                return found[0]
        topic_name = key.split(".", 1)[0]
        pool = self.topic(topic_name).facts if topic_name in self.files else self.facts()
        for fact in pool:
            if fact.id == key:
                return fact
        ids = [f.id for f in pool]
        holding = [i for i in ids if key in i]  # "funding" -> education.funding-2022
        hint = (
            Phrase("; did you mean {names}?", names=holding[:3]) if holding else suggest(key, ids)
        )
        raise NotFound(Phrase("unknown fact id {id!r}{hint}", id=fact_id, hint=hint))

    def search(self, words: list[str]) -> list[Fact]:
        """Facts whose id, labels, value or quote hold every word (case-insensitive)."""
        wanted = [w.lower() for w in words]
        return [f for f in self.facts() if all(w in f.search_text() for w in wanted)]

    def events(self) -> list[Event]:
        """Every dated item of every topic, in date order."""
        found = [e for t in self.topics() for e in t.events]
        return sorted(found, key=lambda e: str(e.date.base_value))


def topic_name(path: Path) -> str:
    """The topic a file holds: its name, if that is lower-case letters, digits and dashes."""
    if not NAME.match(path.stem):
        raise InvalidData(f"{path}:1: a topic file name is lower-case letters, digits and dashes")
    return path.stem


def claim_topic(found: dict[str, Path], path: Path) -> str:
    """Add ``path``'s topic to ``found`` (name -> file), or InvalidData when another file
    holds it already: a user topic may not reuse a shipped name, nor another user's."""
    name = topic_name(path)
    if found.setdefault(name, path) != path:
        raise InvalidData(f"{path}:1: topic {name!r} already exists in {found[name]}")
    return name


def figure_in(value: str, quote: str) -> bool:
    """Whether ``value`` is in ``quote`` as a whole figure: digits and a decimal point
    may not continue it, so "2585.1" is not in "2585.10", nor "58" in "2585"."""
    start = quote.find(value)
    while value and start != -1:
        end = start + len(value)
        if not (value[0].isdigit() and _figure_at(quote[max(start - 2, 0) : start][::-1])) and not (
            value[-1].isdigit() and _figure_at(quote[end : end + 2])
        ):
            return True
        start = quote.find(value, start + 1)
    return False


def _figure_at(text: str) -> bool:
    """Whether ``text`` (read away from a figure) would continue it: a digit, or a decimal
    point and a digit. (String tests, not a regular expression per fact: ~3 ms a topic.)"""
    return text[:1].isdigit() or (text[:1] == "." and text[1:2].isdigit())


def parse_units(path: Path, shipped: dict[str, Unit] | None = None) -> dict[str, Unit]:
    """The unit table at ``path`` added to ``shipped``, where a unit may repeat, not change."""
    data = load_yaml(path, "units")
    check_text(data, path)
    units = dict(shipped or {})
    for name, spec in data.items():
        where = f"{path}:{data.line_of(name)}"
        unit = Unit(
            scale=_scale(spec.get("scale", 1), where),
            base=spec["base"],
            numeric=spec.get("numeric", True),
        )
        if units.setdefault(str(name), unit) != unit:
            raise InvalidData(f"{where}: unit {name!r} differs from the shipped {UNITS_FILE}")
    return units


def _scale(raw: object, where: str) -> Decimal:
    """A unit's scale: a positive figure of at most SCALE_DIGITS significant digits."""
    scale = figure(str(raw), where, "scale")
    if scale <= 0 or len(scale.normalize().as_tuple().digits) > SCALE_DIGITS:
        raise InvalidData(
            f"{where}: scale {raw} must be more than 0, with at most {SCALE_DIGITS} "
            "significant digits"
        )
    return scale


def figure(text: str, where: str, what: str = "value") -> Decimal:
    """A figure as printed, exactly: digits with an optional decimal point and sign, at
    most FIGURE_DIGITS digits; InvalidData naming ``where`` otherwise."""
    if not FIGURE.match(text) or sum(c.isdigit() for c in text) > FIGURE_DIGITS:
        raise InvalidData(
            f"{where}: {what} {_short(text)} is not a figure of at most {FIGURE_DIGITS} "
            'digits such as "19.95"'
        )
    return Decimal(text)


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37]) + "..."


def parse_topic(path: Path, units: dict[str, Unit], problems: list[str] | None = None) -> Topic:
    """Build a Topic from its file, checked against the topic schema and then the rules a
    schema cannot state; errors name file:line.

    With ``problems``, a bad fact or event is recorded there and skipped, so one
    run of ``validate`` reports every problem of the file.
    """
    data = load_yaml(path, "topic")
    check_text(data, path)
    if data["topic"] != path.stem:
        where = f"{path}:{data.line_of('topic')}"
        raise InvalidData(f"{where}: topic {data['topic']!r} must match the file name")
    name = path.stem
    by_id: dict[str, Fact] = {}
    for raw in data["facts"]:
        fact = collect(problems, partial(_parse_fact, raw, name, data, units, path))
        if fact is None:
            continue
        if fact.id in by_id:
            message = f"{path}:{raw.line_of('id')}: duplicate fact id {fact.id!r}"
            if problems is None:
                raise InvalidData(message)
            problems.append(message)
        by_id.setdefault(fact.id, fact)
    facts = tuple(by_id.values())
    events = tuple(
        e
        for raw in data.get("events", [])
        if (e := collect(problems, partial(_parse_event, raw, name, by_id, path)))
    )
    return Topic(
        name=name,
        title_zh=data["title_zh"],
        title_en=data["title_en"],
        headline=data["headline"],
        page=data.get("page", ""),
        path=path,
        facts=facts,
        events=events,
    )


def _parse_fact(
    raw: LineDict, topic: str, head: LineDict, units: dict[str, Unit], path: Path
) -> Fact:
    unit_name = raw.get("unit", "")
    if unit_name not in units:
        where = f"{path}:{raw.line_of('unit')}"
        raise InvalidData(f"{where}: unknown unit {unit_name!r}; add it to {UNITS_FILE}")
    unit = units[unit_name]
    value = raw["value"]
    if not figure_in(value, raw["quote"]):
        where = f"{path}:{raw.line_of('value')}"
        raise InvalidData(f"{where}: value {value!r} does not occur in its quote")
    if raw["kind"] == "ordinal" and not figure_in(ORDINAL + value, raw["quote"]):
        where = f"{path}:{raw.line_of('kind')}"
        raise InvalidData(f"{where}: an ordinal's quote prints {ORDINAL} before its value")
    return Fact(
        id=f"{topic}.{raw['id']}",
        topic=topic,
        label_zh=raw["label_zh"],
        label_en=raw["label_en"],
        value=value,
        unit=unit_name if unit.numeric else "",  # 日期/电话 name a type, not a printed unit
        base_value=_base_value(raw, value, unit, path),
        base_unit=unit.base,
        kind=raw["kind"],
        period=raw["period"],
        stated_by=raw.get("stated_by", head.get("stated_by", "")),
        source=head["headline"],
        page=head.get("page", ""),
        quote=raw["quote"],
        target_year=raw.get("target_year"),
        bound=raw.get("bound"),
        note=raw.get("note", ""),
        line=raw.line,
    )


def _base_value(raw: LineDict, value: str, unit: Unit, path: Path) -> Decimal | str:
    """value x scale for numeric units; given base_value must agree with it."""
    given = raw.get("base_value")
    where = f"{path}:{raw.line_of('base_value')}"
    if not unit.numeric:
        return str(given) if given is not None else value
    if not FIGURE.match(value):  # a Chinese numeral (五, 双百): its figure is given
        if given is None:
            where = f"{path}:{raw.line_of('value')}"
            raise InvalidData(f"{where}: {value!r} is not a number; give base_value")
        return figure(str(given), where, "base_value")
    computed = figure(value, f"{path}:{raw.line_of('value')}") * unit.scale
    if given is not None and figure(str(given), where, "base_value") != computed:
        raise InvalidData(f"{where}: base_value {given} is not {value} x {unit.scale}")
    # normalize() turns 19.95E+8 into a plain integer when it is one
    return (
        computed.quantize(Decimal(1))
        if computed == computed.to_integral()
        else computed.normalize()
    )


def _parse_event(raw: LineDict, topic: str, facts: dict[str, Fact], path: Path) -> Event:
    def ref(key: str, slug: str) -> Fact:
        fact_id = f"{topic}.{slug}"
        if fact_id not in facts:
            where = f"{path}:{raw.line_of(key)}"
            raise InvalidData(f"{where}: event refers to unknown fact {slug!r}")
        return facts[fact_id]

    def opt(key: str) -> Fact | None:
        return ref(key, raw[key]) if key in raw else None

    day = ref("date", raw["date"])
    first = _event_day(day, f"{path}:{raw.line_of('date')}", "date")
    end = opt("end")
    if end is not None:
        where = f"{path}:{raw.line_of('end')}"
        last = _event_day(end, where, "end")
        if len(str(end.base_value)) != len("2023-06-09"):
            raise InvalidData(f"{where}: event end {end.id} must be a day, YYYY-MM-DD")
        if last < first:
            raise InvalidData(f"{where}: event end {end.id} is before its date {day.id}")
    time = opt("time")
    if time is not None:
        where = f"{path}:{raw.line_of('time')}"
        if time.kind != "time" or not TIME.match(str(time.base_value)):
            raise InvalidData(f"{where}: event time {time.id} must be a time fact, HH:MM")
        if len(str(day.base_value)) != len("2023-06-09"):
            raise InvalidData(f"{where}: an event with a time needs a day, not a month")
    return Event(
        id=f"{topic}.{raw['id']}",
        title_zh=raw["title_zh"],
        title_en=raw["title_en"],
        date=day,
        time=time,
        end=end,
        place=opt("place"),
        details=tuple(ref("details", k) for k in raw.get("details", [])),
    )


def _event_day(fact: Fact, where: str, what: str) -> date:
    """The first day of an event's date fact (a day, or a month: its first day), which
    must be a real calendar day with a day after its month (a calendar ends an all-day
    event the next day)."""
    text = str(fact.base_value)
    try:
        if not EVENT_DATE.match(text):
            raise ValueError
        first = date.fromisoformat(text if len(text) == 10 else f"{text}-01")
        # calendar programs read years of four digits from 1900 on; 9999 has no next
        # year for the end of an all-day event
        if not FIRST_CALENDAR_YEAR <= first.year < date.max.year:
            raise ValueError
    except ValueError:
        raise InvalidData(
            f"{where}: event {what} {fact.id} needs an ISO base_value: a real day "
            f"(YYYY-MM-DD) or month (YYYY-MM) from {FIRST_CALENDAR_YEAR} to 9998"
        ) from None
    return first
