"""Dated policy parameters, OpenFisca style: the value at a date, its window and reference.

Convention: a value is in force from ``start`` to ``end`` inclusive (no end: until
a later value starts). A start may be a year ("2022") when the page gives no day.
A value whose ``status`` is "stated" is the figure stated for one year, with no end
printed: no later day is covered by it. An "announced" value is not in force at all.
"""

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache, partial
from itertools import pairwise
from pathlib import Path

from hzcity.errors import BadInput, InvalidData, NoRateInForce, NotFound, collect, suggest
from hzcity.i18n import Given, Phrase
from hzcity.lines import LineDict
from hzcity.loader import fact_files, load_yaml, shipped_root
from hzcity.money import FEN, MAX_AMOUNT, to_decimal

# The values each unit of parameter may take, bounds included: the one range rule of
# shipped and user files alike (a rate of -0.5% or a cut of 200% is a typo, and an
# increase of -100% would divide by zero).
RANGES = {
    "percent": (Decimal(0), Decimal(100)),
    "yuan/month": (FEN, MAX_AMOUNT),
    "yuan/person/school-year": (FEN, MAX_AMOUNT),
    "yuan/person/month": (FEN, MAX_AMOUNT),
}

TODAY_VARIABLE = "HZCITY_TODAY"  # YYYY-MM-DD: pins "today" (tests, a rerun of a past day)
# Asia/Shanghai has kept UTC+8 without summer time since 1991, so the zone database would
# give the same day for any run; a fixed offset spares every run the zoneinfo import and a
# machine without tzdata (Windows) the fallback.
HARBIN = timezone(timedelta(hours=8), "Asia/Shanghai")


def today(now: datetime | None = None) -> date:
    """Today in Harbin (Asia/Shanghai), whatever the machine's zone: a run at 23:30 UTC is
    already tomorrow there. $HZCITY_TODAY pins it; ``now`` (aware) stands for the clock."""
    pinned = os.environ.get(TODAY_VARIABLE)
    if pinned and now is None:
        return parse_day(pinned, TODAY_VARIABLE)
    return (now or datetime.now(HARBIN)).astimezone(HARBIN).date()


@dataclass(frozen=True, kw_only=True, slots=True)
class Reference:
    """A page fact id, or another public source's title (and document number, address)."""

    fact: str = ""
    title: str = ""
    document: str = ""
    url: str = ""

    def __str__(self) -> str:
        if self.fact:
            return self.fact
        return f"{self.title} ({self.document})" if self.document else self.title

    @property
    def shown(self) -> str:
        """The reference as people read it: a notice's title in 书名号 in Chinese
        (《…》(人社部发〔2015〕71号)), in English as ``str`` writes it."""
        if self.fact:
            return self.fact
        if self.document:
            return Phrase("{title} ({document})", context="a notice", title=self.title,
                          document=self.document)  # fmt: skip
        return Phrase("{title}", context="a notice", title=self.title)


def cited(reference: str, *, source: str = "", url: str = "") -> str:
    """A value's reference as people read it: marked when the ``source`` is a user's file,
    its address after it when there is one."""
    text = reference
    if source.startswith("user:"):
        text = Phrase("{reference} [user-supplied: {file}]", reference=reference,
                      file=source.removeprefix("user:"))  # fmt: skip
    return Phrase("{reference} {url}", reference=text, url=url) if url else text


@dataclass(frozen=True, kw_only=True, slots=True)
class DatedValue:
    """One value of a parameter and the window it is in force."""

    start: date
    start_text: str
    end: date | None
    value: Decimal
    by_class: dict[int, Decimal]
    reference: Reference
    note: str = ""
    status: str = ""  # "" (in force over its window) | stated | announced
    stated_for: int | None = None  # with status stated: the year the figure is for
    source: str = ""  # page | national | user:FILE
    where: str = ""  # file:line, for messages

    @property
    def window(self) -> str:
        """start/end (start/.. when open) in English and scripts, start至end in Chinese."""
        if self.end is None:
            return Phrase("{start}/..", start=self.start_text)
        return Phrase("{start}/{end}", start=self.start_text, end=self.end.isoformat())

    def cited(self, *, url: bool = False) -> str:
        """The reference as people read it, marked when a user file supplied it; with its
        address after it when ``url``."""
        return cited(self.reference.shown, source=self.source,
                     url=self.reference.url if url else "")  # fmt: skip

    @property
    def last(self) -> date | None:
        """The last day covered: the end, or the stated year's last day; None: open."""
        if self.stated_for is not None:
            return min(self.end or date.max, date(self.stated_for, 12, 31))
        return self.end

    def covers(self, day: date) -> bool:
        last = self.last
        return self.status != "announced" and self.start <= day and (last is None or day <= last)

    def meets(self, year: int) -> bool:
        """Whether the value covers some day of ``year``."""
        last = self.last
        first_day, last_day = date(year, 1, 1), date(year, 12, 31)
        return (
            self.status != "announced"
            and self.start <= last_day
            and (last is None or first_day <= last)
        )

    def overlaps(self, later: "DatedValue") -> bool:
        """Whether ``later`` (starting no earlier) starts inside this window."""
        return later.start <= self.start or (self.last is not None and later.start <= self.last)

    @property
    def label(self) -> str:
        """The window with what it is, for messages: 2022/.. (stated for 2022)."""
        if self.status == "stated":
            return Phrase("{window} (stated for {year})", window=self.window, year=self.stated_for)
        return (
            Phrase("{window} (announced, not in force)", window=self.window)
            if self.status
            else self.window
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Parameter:
    """A named parameter and its dated values, oldest first."""

    name: str
    label_en: str
    label_zh: str
    unit: str
    values: tuple[DatedValue, ...] = ()

    def at(self, day: date) -> DatedValue:
        """The value in force on ``day``, or NoRateInForce naming the known windows."""
        for value in reversed(self.values):
            if value.covers(day):
                return value
        raise self.nothing(Phrase("on {day}", day=day.isoformat()), day)

    def in_year(self, year: int) -> DatedValue:
        """The latest value covering some day of ``year`` (a yearly standard's)."""
        for value in reversed(self.values):
            if value.meets(year):
                return value
        raise self.nothing(Phrase("in {year}", year=year), date(year, 1, 1))

    def nothing(self, when: str, day: date) -> NoRateInForce:
        """The error for a day no window of this parameter covers (see ``missing``)."""
        return missing([self], when, day)

    def in_force(self, day: date) -> bool:
        return any(value.covers(day) for value in self.values)

    def latest(self) -> DatedValue:
        return self.values[-1]


def missing(params: Sequence[Parameter], when: str, day: date) -> NoRateInForce:
    """One error for every parameter with nothing in force ``when``: each by its key and
    label with the windows known, why the last one started stops short (its note), and the
    command that writes a file to fill in with a later notice."""
    items = [Phrase("{name} ({label}; windows: {windows})", name=p.name,
                    label=Given(en=p.label_en, zh=p.label_zh),
                    windows=[v.label for v in p.values] or Phrase("none"))
             for p in params]  # fmt: skip
    began = [v for p in params for v in p.values if v.start <= day and v.status and v.note]
    why = f" {began[-1].note.rstrip('.')}." if began else ""
    command = template_command([p.name for p in params], day)
    return NoRateInForce(Phrase("nothing in force {when} for {items}.{why} To compute with a "
                                "notice you cite, write a file to fill in: {command} (see "
                                "'User parameter files' in facts/README.md).", when=when,
                                items=items, why=Given(en=why), command=command))  # fmt: skip


# What ``premium`` needs beside the national benchmark table (open since 2015): what a
# template holds when no parameter is named (hzcity.policy.template).
TEMPLATED = ("unemployment-employer-rate", "unemployment-individual-rate", "work-injury-cut")


def template_command(names: Sequence[str], day: date) -> str:
    """The command that writes a file to fill in for ``names`` (premium's by default)."""
    extra = [name for name in names if name not in TEMPLATED]
    return " ".join(["hzcity rates --template DIR", *extra, f"--date {day.isoformat()}"])


def require(params: "Parameters | None", names: Sequence[str], day: date) -> None:
    """NoRateInForce naming every one of ``names`` with nothing in force on ``day``."""
    lacking = [p for p in (parameter(n, params) for n in names) if not p.in_force(day)]
    if lacking:
        raise missing(lacking, Phrase("on {day}", day=day.isoformat()), day)


def latest_day(params: "Parameters | None", names: Sequence[str], until: date) -> date | None:
    """The latest day on or before ``until`` on which every one of ``names`` is in force
    (None: no such day). Where the windows' common days end, one of them ends: only
    ``until`` and the last days of windows need trying."""
    needed = [parameter(name, params) for name in names]
    ends = {v.last for p in needed for v in p.values if v.last is not None and v.last < until}
    for day in sorted({until, *ends}, reverse=True):
        if all(p.in_force(day) for p in needed):
            return day
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class Day:
    """The day whose rates a calculation uses, and the day it was run (in Harbin)."""

    day: date
    today: date
    asked: bool  # --date given: that day strictly

    @property
    def past(self) -> bool:
        """Today has no rates for it: the latest day before today that has them was taken."""
        return not self.asked and self.day != self.today


TODAY_WORD = "today"  # --date today: today strictly


def pick_day(params: "Parameters | None", names: Sequence[str], asked: str | None) -> Day:
    """The day of the rates ``names``: the day asked (YYYY-MM-DD, or "today"), strictly;
    none asked: today if all are in force today, else the latest day before on which they
    all are. NoRateInForce names every parameter missing on the day asked (or today)."""
    now = today()
    if asked is not None:
        day = asked_day(asked, now)
        require(params, names, day)
        return Day(day=day, today=now, asked=True)
    found = latest_day(params, names, now)
    if found is None:
        require(params, names, now)
        raise AssertionError("a day with nothing missing")  # pragma: no cover (require raised)
    return Day(day=found, today=now, asked=False)


RECORD_KEYS = ("start", "end", "value", "by_class", "unit", "reference", "reference_url",
               "source", "status", "stated_for")  # fmt: skip


def timeline(
    params: "Parameters", names: Sequence[str] = (), day: date | None = None
) -> list[dict[str, object]]:
    """One record per window of each parameter named (all when none), as codes; with
    ``day``, only the values that matter that day: in force, or announced by then, or a
    record of status "none" for a parameter with neither."""
    records = []
    for name in names or sorted(params):
        param = parameter(name, params)
        if day is None:
            records += [_record(param, v) for v in param.values]
            continue
        in_force = [v for v in param.values if v.covers(day)]
        announced = [v for v in param.values if v.status == "announced" and v.start <= day]
        shown = in_force or announced[-1:]
        records += [_record(param, v) for v in shown] or [_record(param, None)]
    return records


def _record(param: Parameter, value: DatedValue | None) -> dict[str, object]:
    """A window of ``param`` as plain data (``value`` None: nothing in force): a single
    value as decimal text, a table per class as {class: decimal text}."""
    head = {"name": param.name, "label_en": param.label_en, "label_zh": param.label_zh}
    if value is None:
        return head | dict.fromkeys(RECORD_KEYS) | {"status": "none"}
    by_class = {str(k): str(v) for k, v in sorted(value.by_class.items())}
    return head | {
        "start": value.start_text,
        "end": value.end.isoformat() if value.end else None,
        "value": None if by_class else str(value.value),
        "by_class": by_class or None,
        "unit": param.unit,
        "reference": value.reference.shown,  # its English text is str(reference)
        "reference_url": value.reference.url or None,
        "source": value.source,
        "status": value.status or "dated",
        "stated_for": value.stated_for,
    }


def parse_day(text: str, what: str = Phrase("date"), *, field: str | None = None) -> date:
    """YYYY-MM-DD, or YYYY for the first day of a year; ``field``: the option it was given
    to, which the error names."""
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1)
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(
            Phrase("{what} {text!r} is not a date (YYYY-MM-DD)", what=what, text=text), field=field
        ) from None


def asked_day(text: str, now: date | None = None) -> date:
    """The day a ``--date`` option asks: "today" (``now``, else today in Harbin) or a date,
    the one check of it every command shares."""
    if text.strip().lower() == TODAY_WORD:
        return now or today()
    return parse_day(text, field="date")


def parse_value(raw: LineDict, path: Path, source: str = "") -> DatedValue:
    """One dated value of a schema-checked file: its dates, classes and reference;
    ``source`` is where it comes from (page or national by its reference if not given)."""
    start = _day(raw, "start", path)
    end = _day(raw, "end", path) if "end" in raw else None
    if end and end < start:
        raise InvalidData(f"{path}:{raw.line_of('end')}: end {end} is before start {start}")
    ref = raw["reference"]
    if isinstance(ref, dict):
        reference = Reference(
            title=ref["title"], document=ref.get("document", ""), url=ref.get("url", "")
        )
    else:
        reference = Reference(fact=ref)
    by_class: dict[int, Decimal] = {}
    classes = raw.get("by_class", LineDict())
    for key, value in classes.items():
        if type(key) is not int:  # the schema lets "1" through: JSON names every key as text
            raise InvalidData(
                f"{path}:{classes.line_of(key)}: by_class key {key!r} must be a bare class "
                f'number, not text (1: "0.2")'
            )
        by_class[key] = to_decimal(value, f"{path}:{classes.line_of(key)}")
    return DatedValue(
        start=start,
        start_text=raw["start"],
        end=end,
        value=to_decimal(raw["value"], f"{path}:{raw.line_of('value')}")
        if "value" in raw
        else Decimal(0),
        by_class=by_class,
        reference=reference,
        note=raw.get("note", ""),
        status=raw.get("status", ""),
        stated_for=_year(raw, path) if "stated_for" in raw else None,
        source=source or ("page" if reference.fact else "national"),
        where=f"{path}:{raw.line}",
    )


def _year(raw: LineDict, path: Path) -> int:
    """stated_for: a year of four digits, 1000 to 9998 (its last day has a next day)."""
    text = str(raw["stated_for"])
    if not (len(text) == 4 and text.isdigit() and "1000" <= text <= "9998"):
        where = f"{path}:{raw.line_of('stated_for')}"
        raise InvalidData(f"{where}: stated_for {text!r} must be a year, 1000 to 9998")
    return int(text)


def _day(raw: LineDict, key: str, path: Path) -> date:
    try:
        return parse_day(raw[key], key)
    except BadInput as exc:
        raise InvalidData(f"{path}:{raw.line_of(key)}: {exc}") from None


def parse_parameters(path: Path, problems: list[str] | None = None) -> dict[str, Parameter]:
    """All parameters of one file (with ``problems``: every bad one recorded and skipped)."""
    data = load_yaml(path, "parameters")
    params = {}
    for name, spec in data.items():
        param = collect(problems, partial(_parse_parameter, name, spec, path))
        if param is not None:
            params[param.name] = param
    return params


def _parse_parameter(name: str, spec: LineDict, path: Path) -> Parameter:
    """One parameter of a schema-checked file, its windows ordered and not overlapping."""
    values = tuple(parse_value(v, path) for v in spec["values"])
    for raw, value in zip(spec["values"], values, strict=True):
        check_range(value, spec["unit"], raw, path)
    for raw, (before, after) in zip(spec["values"][1:], pairwise(values), strict=True):
        if before.overlaps(after):
            where = f"{path}:{raw.line_of('start')}"
            raise InvalidData(f"{where}: windows of {name!r} overlap or are out of order")
    return Parameter(name=name, label_en=spec["label_en"], label_zh=spec["label_zh"],
                     unit=spec["unit"], values=values)  # fmt: skip


def check_range(value: DatedValue, unit: str, raw: LineDict, path: Path) -> None:
    """InvalidData at the figure's line unless each figure of ``value`` is in its unit's
    range (RANGES)."""
    low, high = RANGES[unit]
    classes = raw.get("by_class", LineDict())
    figures = [(raw.line_of("value"), "value", value.value)] if not value.by_class else []
    figures += [(classes.line_of(k), f"by_class {k}", v) for k, v in value.by_class.items()]
    for line, name, figure in figures:
        if not low <= figure <= high:
            raise InvalidData(
                f"{path}:{line}: {name} {figure} is out of range: a {unit} value is "
                f"{low} to {high:,}"
            )


Parameters = Mapping[str, Parameter]


@cache
def read_parameters(root: Path) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for path in fact_files(root).parameters:
        for name, param in parse_parameters(path).items():
            if name in params:
                raise InvalidData(f"{path}: parameter {name!r} is defined twice")
            params[name] = param
    return params


def parameter(name: str, params: Parameters | None = None) -> Parameter:
    """One parameter by name: shipped, or of ``params`` (see load_parameters)."""
    known = read_parameters(shipped_root()) if params is None else params
    if name not in known:
        raise NotFound(
            Phrase("unknown parameter {name!r}{hint}", name=name, hint=suggest(name, list(known)))
        )
    return known[name]


def all_parameters(root: Path | None = None) -> dict[str, Parameter]:
    return dict(read_parameters(root or shipped_root()))
