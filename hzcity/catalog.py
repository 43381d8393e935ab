"""Find, safe-load and check fact files; the Fact and Topic types.

A topic is one YAML file; the schema is documented in facts/README.md. Topic
files are parsed only when a command needs them, so ``facts education`` reads
one file, not all of them.
"""

import os
import re
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from hzcity.errors import InvalidData, NotFound, collect, suggest
from hzcity.loader import LineDict, load_yaml, shipped_root
from hzcity.money import to_decimal

KINDS = {
    "achievement": "成效",
    "target": "目标",
    "bound": "界限",
    "change": "增幅",
    "rate": "费率",
    "standard": "标准",
    "count": "数量",
    "date": "日期",
    "time": "时间",
    "price": "票价",
    "contact": "联系方式",
    "statement": "表述",
}
BOUNDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
TOPIC_KEYS = {"topic", "title_zh", "title_en", "headline", "stated_by", "page", "facts", "events"}
FACT_KEYS = {
    "id", "label_zh", "label_en", "value", "unit", "base_value", "kind", "period",
    "quote", "stated_by", "target_year", "bound", "note",
}  # fmt: skip
REQUIRED_FACT_KEYS = {"id", "label_zh", "label_en", "value", "kind", "period", "quote"}
EVENT_KEYS = {"id", "title_zh", "title_en", "date", "time", "end", "place", "details"}
NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
UNITS_FILE = "_units.yaml"


class Unit(NamedTuple):
    """A printed unit and how it converts to a base unit."""

    scale: Decimal
    base: str
    numeric: bool


class Fact(NamedTuple):
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

    def shown_value(self) -> str:
        """The value with its unit and bound, as a reader would say it."""
        prefix = BOUNDS.get(self.bound or "", "")
        return f"{prefix}{self.value}{self.unit}"

    def shown_kind(self, lang: str) -> str:
        name = KINDS[self.kind] if lang == "zh" else self.kind
        return f"{name} {self.target_year}" if self.target_year else name

    def as_record(self) -> dict[str, Any]:
        """Plain data for json/csv output; numbers stay Decimal (exact)."""
        record = {
            "id": self.id,
            "topic": self.topic,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "value": self.value,
            "unit": self.unit,
            "base_value": self.base_value,
            "base_unit": self.base_unit,
            "kind": self.kind,
            "target_year": self.target_year,
            "bound": self.bound,
            "period": self.period,
            "stated_by": self.stated_by,
            "source": self.source,
            "page": self.page,
            "quote": self.quote,
        }
        if self.note:
            record["note"] = self.note
        return record


class Event(NamedTuple):
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
            "date": str(self.date.base_value),
            "time": self.time.value if self.time else None,
            "end": str(self.end.base_value) if self.end else None,
            "place": self.place.value if self.place else None,
            "details": [f"{d.label(lang)}: {d.shown_value()}" for d in self.details],
            "source": self.date.source,
        }


class Topic(NamedTuple):
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

    @classmethod
    def from_env(cls, extra: list[Path] | None = None) -> "Catalog":
        """The shipped facts plus HZCITY_FACTS_PATH directories plus ``extra``."""
        env = os.environ.get("HZCITY_FACTS_PATH", "")
        roots = [Path(p) for p in env.split(os.pathsep) if p]
        return cls(user_roots=roots + list(extra or []))

    @cached_property
    def units(self) -> dict[str, Unit]:
        return parse_units(self.root / UNITS_FILE)

    @cached_property
    def files(self) -> dict[str, Path]:
        """Topic name -> file; a user topic may not reuse a shipped name."""
        found = {p.stem: p for p in _topic_files(self.root)}
        for root in self.user_roots:
            if not root.is_dir():
                raise InvalidData(f"{root}: facts directory does not exist")
            for path in _topic_files(root):
                if path.stem in found:
                    raise InvalidData(
                        f"{path}: topic {path.stem!r} already exists in {found[path.stem]}"
                    )
                found[path.stem] = path
        return dict(sorted(found.items()))

    def names(self) -> list[str]:
        return list(self.files)

    def topic(self, name: str) -> Topic:
        """Load one topic by name, or raise NotFound with the closest names."""
        key = name.strip().lower()
        if key not in self.files:
            raise NotFound(f"unknown topic {name!r}{suggest(key, self.names())}")
        if key not in self._loaded:
            self._loaded[key] = parse_topic(self.files[key], self.units)
        return self._loaded[key]

    def topics(self, names: list[str] | None = None) -> list[Topic]:
        """The named topics once each, in the order given (all when none is named)."""
        chosen: dict[str, str] = {}
        for name in names or self.names():
            chosen.setdefault(name.strip().lower(), name)
        return [self.topic(n) for n in chosen.values()]

    def facts(self, names: list[str] | None = None) -> list[Fact]:
        return [f for t in self.topics(names) for f in t.facts]

    def fact(self, fact_id: str) -> Fact:
        """One fact by id; only its topic's file is read."""
        key = fact_id.strip().lower()
        topic_name = key.split(".", 1)[0]
        pool = self.topic(topic_name).facts if topic_name in self.files else self.facts()
        for fact in pool:
            if fact.id == key:
                return fact
        ids = [f.id for f in pool]
        raise NotFound(f"unknown fact id {fact_id!r}{suggest(key, ids)}")

    def search(self, words: list[str]) -> list[Fact]:
        """Facts whose id, labels, value or quote hold every word (case-insensitive)."""
        wanted = [w.lower() for w in words]

        def text(f: Fact) -> str:
            return f"{f.id} {f.label_zh} {f.label_en} {f.value} {f.quote}".lower()

        return [f for f in self.facts() if all(w in text(f) for w in wanted)]

    def events(self) -> list[Event]:
        """Every dated item of every topic, in date order."""
        found = [e for t in self.topics() for e in t.events]
        return sorted(found, key=lambda e: str(e.date.base_value))


def _topic_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.glob("*.yaml") if not p.name.startswith("_") and NAME.match(p.stem)
    )


def parse_units(path: Path) -> dict[str, Unit]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InvalidData(f"{path}: expected a mapping of units")
    units = {}
    for name, spec in data.items():
        where = f"{path}:{getattr(spec, 'line', 0)}"
        if (
            not isinstance(spec, dict)
            or "base" not in spec
            or set(spec) - {"scale", "base", "numeric"}
        ):
            raise InvalidData(
                f"{where}: unit {name!r} needs a base (and optionally scale, numeric)"
            )
        units[str(name)] = Unit(
            scale=to_decimal(spec.get("scale", 1), where),
            base=str(spec["base"]),
            numeric=bool(spec.get("numeric", True)),
        )
    return units


def parse_topic(path: Path, units: dict[str, Unit], problems: list[str] | None = None) -> Topic:
    """Build a Topic from its file, checking the schema; errors name file:line.

    With ``problems``, a bad fact or event is recorded there and skipped, so one
    run of ``validate`` reports every problem of the file.
    """
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise InvalidData(f"{path}:1: a topic file must be a mapping")
    _check_keys(data, TOPIC_KEYS, {"topic", "title_zh", "title_en", "headline", "facts"}, path)
    if data["topic"] != path.stem:
        raise InvalidData(f"{path}:{data.line}: topic {data['topic']!r} must match file name")
    if not isinstance(data["facts"], list) or not data["facts"]:
        raise InvalidData(f"{path}:{data.line}: facts must be a non-empty list")
    name = path.stem
    by_id: dict[str, Fact] = {}
    for raw in data["facts"]:
        fact = collect(problems, lambda raw=raw: _parse_fact(raw, name, data, units, path))
        if fact is None:
            continue
        if fact.id in by_id:
            message = f"{path}:{fact.line}: duplicate fact id {fact.id!r}"
            if problems is None:
                raise InvalidData(message)
            problems.append(message)
        by_id.setdefault(fact.id, fact)
    facts = tuple(by_id.values())
    events = tuple(
        e
        for raw in data.get("events") or []
        if (e := collect(problems, lambda raw=raw: _parse_event(raw, name, by_id, path)))
    )
    return Topic(
        name=name,
        title_zh=str(data["title_zh"]),
        title_en=str(data["title_en"]),
        headline=str(data["headline"]),
        page=str(data.get("page", "")),
        path=path,
        facts=facts,
        events=events,
    )


def _check_keys(raw: Any, allowed: set[str], required: set[str], path: Path) -> None:
    line = getattr(raw, "line", 0)
    if not isinstance(raw, dict):
        raise InvalidData(f"{path}:{line}: expected a mapping, got {type(raw).__name__}")
    unknown = sorted(set(map(str, raw)) - allowed)
    if unknown:
        raise InvalidData(
            f"{path}:{line}: unknown key {unknown[0]!r}{suggest(unknown[0], sorted(allowed))}"
        )
    missing = sorted(required - set(raw))
    if missing:
        raise InvalidData(f"{path}:{line}: missing key {missing[0]!r}")


def _parse_fact(
    raw: Any, topic: str, head: dict[str, Any], units: dict[str, Unit], path: Path
) -> Fact:
    _check_keys(raw, FACT_KEYS, REQUIRED_FACT_KEYS, path)
    where = f"{path}:{raw.line}"
    slug = str(raw["id"])
    if not NAME.match(slug):
        raise InvalidData(f"{where}: id {slug!r} must be lower-case letters, digits and dashes")
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise InvalidData(f"{where}: unknown kind {kind!r}{suggest(kind, list(KINDS))}")
    unit_name = str(raw.get("unit", ""))
    if unit_name not in units:
        raise InvalidData(f"{where}: unknown unit {unit_name!r}; add it to {UNITS_FILE}")
    unit = units[unit_name]
    value = str(raw["value"])
    quote = str(raw["quote"])
    if value not in quote:
        raise InvalidData(f"{where}: value {value!r} does not occur in its quote")
    bound = raw.get("bound")
    if bound is not None and bound not in BOUNDS:
        raise InvalidData(f"{where}: bound must be one of {', '.join(BOUNDS)}")
    if (bound is None) == (kind == "bound"):
        raise InvalidData(f"{where}: kind 'bound' and a bound key go together")
    target_year = raw.get("target_year")
    if target_year is not None and kind != "target":
        raise InvalidData(f"{where}: only a target has a target_year")
    return Fact(
        id=f"{topic}.{slug}",
        topic=topic,
        label_zh=str(raw["label_zh"]),
        label_en=str(raw["label_en"]),
        value=value,
        unit=unit_name if unit.numeric else "",  # 日期/电话 name a type, not a printed unit
        base_value=_base_value(raw, value, unit, where),
        base_unit=unit.base,
        kind=kind,
        period=str(raw["period"]),
        stated_by=str(raw.get("stated_by", head.get("stated_by", ""))),
        source=str(head["headline"]),
        page=str(head.get("page", "")),
        quote=quote,
        target_year=int(target_year) if target_year is not None else None,
        bound=bound,
        note=str(raw.get("note", "")),
        line=raw.line,
    )


def _base_value(raw: dict[str, Any], value: str, unit: Unit, where: str) -> Decimal | str:
    """value x scale for numeric units; given base_value must agree with it."""
    given = raw.get("base_value")
    if not unit.numeric:
        return str(given) if given is not None else value
    try:
        computed = Decimal(value) * unit.scale
    except InvalidOperation:
        if given is None:
            raise InvalidData(f"{where}: {value!r} is not a number; give base_value") from None
        return to_decimal(given, where)
    if given is not None and to_decimal(given, where) != computed:
        raise InvalidData(f"{where}: base_value {given} is not {value} x {unit.scale}")
    # normalize() turns 19.95E+8 into a plain integer when it is one
    return (
        computed.quantize(Decimal(1))
        if computed == computed.to_integral()
        else computed.normalize()
    )


def _parse_event(raw: Any, topic: str, facts: dict[str, Fact], path: Path) -> Event:
    _check_keys(raw, EVENT_KEYS, {"id", "title_zh", "title_en", "date"}, path)

    def ref(key: str) -> Fact:
        fact_id = f"{topic}.{key}"
        if fact_id not in facts:
            raise InvalidData(f"{path}:{raw.line}: event refers to unknown fact {key!r}")
        return facts[fact_id]

    def opt(key: str) -> Fact | None:
        return ref(raw[key]) if raw.get(key) else None

    date = ref(raw["date"])
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(date.base_value)):
        raise InvalidData(f"{path}:{raw.line}: event date {date.id} needs an ISO base_value")
    return Event(
        id=f"{topic}.{raw['id']}",
        title_zh=str(raw["title_zh"]),
        title_en=str(raw["title_en"]),
        date=date,
        time=opt("time"),
        end=opt("end"),
        place=opt("place"),
        details=tuple(ref(k) for k in raw.get("details") or []),
    )
