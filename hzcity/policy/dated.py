"""Dated policy parameters, OpenFisca style: their values, windows and references, the
files they are read from, and the day a calculation's rates are of.

Convention: a value is in force from ``start`` to ``end`` inclusive (no end: until a later
value starts). A start may be a year ("2022") when the page gives no day. A value whose
``status`` is "stated" is the figure stated for one year, with no end printed: no later day
is covered by it. An "announced" value is not in force at all. Which value is in force on a
day is the timeline's answer (hzcity.policy.timeline), the one every caller asks.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache, partial
from itertools import pairwise
from pathlib import Path

from hzcity.errors import BadInput, InvalidData, NoRateInForce, NotFound, collect, suggest
from hzcity.i18n import Given, Phrase
from hzcity.lines import LineDict
from hzcity.loader import fact_files, load_yaml, shipped_root
from hzcity.money import FEN, MAX_AMOUNT, to_decimal
from hzcity.output.screen import check_text
from hzcity.policy import timeline
from hzcity.policy.timeline import asked_day, parse_day, today

# The values each unit of parameter may take, bounds included: the one range rule of
# shipped and user files alike (a rate of -0.5% or a cut of 200% is a typo, and an
# increase of -100% would divide by zero).
RANGES = {
    "percent": (Decimal(0), Decimal(100)),
    "yuan/month": (FEN, MAX_AMOUNT),
    "yuan/person/school-year": (FEN, MAX_AMOUNT),
    "yuan/person/month": (FEN, MAX_AMOUNT),
}
# The decimals a figure of each unit may have, and why: an amount in yuan is to the fen (a
# total of n people is n times it); a rate in percent has at most 4, as --injury-rate (a
# reduced rate, current x (100 - cut), then has 14 digits at most: premiums stay exact).
TO_THE_FEN = (2, "an amount in yuan is to the fen")
PLACES = {"percent": (4, "a rate in percent has at most 4, as --injury-rate"),
          "yuan/month": TO_THE_FEN, "yuan/person/school-year": TO_THE_FEN,
          "yuan/person/month": TO_THE_FEN}  # fmt: skip


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
    """One value of a parameter, its own window, and the days it stands on its timeline."""

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
    # set when its parameter is built (Parameter): its last day on the timeline (its own,
    # or the eve of the next start), and where the value starting the next day comes from
    until: date | None = None
    then: str = ""

    @property
    def superseded(self) -> bool:
        """A later start ends it before its own last day (an open value, mostly)."""
        return self.until is not None and self.until != self.last

    @property
    def window(self) -> str:
        """start/end (start/.. when open) in English and scripts, start至end in Chinese; a
        value a later one supersedes ends on the eve of that one's start."""
        end = self.until if self.superseded else self.end
        if end is None:
            return Phrase("{start}/..", start=self.start_text)
        return Phrase("{start}/{end}", start=self.start_text, end=end.isoformat())

    def cited(self, *, url: bool = False) -> str:
        """The reference as people read it, marked when a user file supplied it; with its
        address after it when ``url``."""
        return cited(self.reference.shown, source=self.source,
                     url=self.reference.url if url else "")  # fmt: skip

    @property
    def last(self) -> date | None:
        """Its own last day: the end, or the stated year's last day; None: open."""
        if self.stated_for is not None:
            return min(self.end or date.max, date(self.stated_for, 12, 31))
        return self.end

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
    """A named parameter and its dated values, oldest first: one timeline."""

    name: str
    label_en: str
    label_zh: str
    unit: str
    values: tuple[DatedValue, ...] = ()

    def __post_init__(self) -> None:
        # each value learns the days it stands once, when the timeline is whole
        placed = tuple(
            replace(s.value, until=s.last, then=s.then.where if s.then else "")
            for s in timeline.spans(self.values)
        )
        object.__setattr__(self, "values", placed)

    def at(self, day: date, *, announced: bool = False) -> DatedValue:
        """The value in force on ``day`` (``announced``: or announced and standing), or
        NoRateInForce naming the known windows."""
        found = timeline.in_force(self.values, day, announced=announced)
        if found is None:
            raise self.nothing(Phrase("on {day}", day=day.isoformat()), day)
        return found

    def in_year(self, year: int) -> DatedValue:
        """The value in force on the latest day of ``year`` that has one (a yearly
        standard's)."""
        found = timeline.in_year(self.values, year)
        if found is None:
            raise self.nothing(Phrase("in {year}", year=year), date(year, 1, 1))
        return found

    def nothing(self, when: str, day: date) -> NoRateInForce:
        """The error for a day no window of this parameter covers (see ``missing``)."""
        return missing([self], when, day)

    def in_force(self, day: date, *, announced: bool = False) -> bool:
        """Whether a value is in force on ``day`` (``announced``: or announced)."""
        return timeline.in_force(self.values, day, announced=announced) is not None


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


def require(
    params: "Parameters | None", names: Sequence[str], day: date, *, announced: bool = False
) -> None:
    """NoRateInForce naming every one of ``names`` with nothing in force on ``day``
    (``announced``: nor announced)."""
    needed = [parameter(n, params) for n in names]
    lacking = [p for p in needed if not p.in_force(day, announced=announced)]
    if lacking:
        raise missing(lacking, Phrase("on {day}", day=day.isoformat()), day)


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


def pick_day(
    params: "Parameters | None",
    names: Sequence[str],
    asked: str | None,
    *,
    announced: bool = False,
) -> Day:
    """The day of the values ``names``, the one rule of every calculator: the day asked
    (``--date``), strictly; none asked: today if all are in force today, else the latest
    day before on which they all are (``Day.past``). NoRateInForce names every parameter
    missing on the day asked (or today). ``announced``: an announced value counts."""
    now = today()
    if asked is not None:
        day = asked_day(asked, now)
        require(params, names, day, announced=announced)
        return Day(day=day, today=now, asked=True)
    timelines = [parameter(name, params).values for name in names]
    found = timeline.latest_day(timelines, now, announced=announced)
    if found is None:
        require(params, names, now, announced=announced)
        raise AssertionError("a day with nothing missing")  # pragma: no cover (require raised)
    return Day(day=found, today=now, asked=False)


RECORD_KEYS = ("start", "end", "until", "then", "value", "by_class", "unit", "reference",
               "reference_url", "source", "status", "stated_for")  # fmt: skip


def windows(
    params: "Parameters", names: Sequence[str] = (), day: date | None = None
) -> list[dict[str, object]]:
    """One record per window of each parameter named (all when none), as codes; with
    ``day``, the value standing that day (in force, or announced and not superseded), or
    a record of status "none" for a parameter with neither."""
    records = []
    for name in names or sorted(params):
        param = parameter(name, params)
        if day is None:
            records += [_record(param, v) for v in param.values]
        else:
            records.append(_record(param, timeline.in_force(param.values, day, announced=True)))
    return records


def _record(param: Parameter, value: DatedValue | None) -> dict[str, object]:
    """A window of ``param`` as plain data (``value`` None: nothing in force): a single
    value as decimal text, a table per class as {class: decimal text}; ``until`` is its
    last day on the timeline, ``then`` the file:line of the value starting the next day."""
    head = {"name": param.name, "label_en": param.label_en, "label_zh": param.label_zh}
    if value is None:
        return head | dict.fromkeys(RECORD_KEYS) | {"status": "none"}
    by_class = {str(k): plain(v) for k, v in sorted(value.by_class.items())}
    return head | {
        "start": value.start_text,
        "end": value.end.isoformat() if value.end else None,
        "until": value.until.isoformat() if value.until else None,
        "then": value.then or None,
        "value": None if by_class else plain(value.value),
        "by_class": by_class or None,
        "unit": param.unit,
        "reference": value.reference.shown,  # its English text is str(reference)
        "reference_url": value.reference.url or None,
        "source": value.source,
        "status": value.status or "dated",
        "stated_for": value.stated_for,
    }


def plain(figure: Decimal) -> str:
    """A figure as decimal text, as written: 0.00000001, never 1E-8."""
    return format(figure, "f")


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
    stated_for = _year(raw, path) if "stated_for" in raw else None
    if stated_for is not None and stated_for < start.year:  # it would stand on no day
        where = f"{path}:{raw.line_of('stated_for')}"
        raise InvalidData(f"{where}: stated_for {stated_for} is before start {start}")
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
        stated_for=stated_for,
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
    check_text(data, path)
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
        check_value(value, spec["unit"], raw, path)
    for raw, (before, after) in zip(spec["values"][1:], pairwise(values), strict=True):
        if timeline.clash(before, after):
            where = f"{path}:{raw.line_of('start')}"
            raise InvalidData(f"{where}: windows of {name!r} overlap or are out of order")
    return Parameter(name=name, label_en=spec["label_en"], label_zh=spec["label_zh"],
                     unit=spec["unit"], values=values)  # fmt: skip


def check_value(value: DatedValue, unit: str, raw: LineDict, path: Path) -> None:
    """InvalidData at the figure's line unless each figure of ``value`` is one the
    calculators can use: unsigned (no -0), in its unit's range (RANGES), with no more
    decimals than its unit's (PLACES). The one check of shipped and user files, at load and in
    validate alike."""
    low, high = RANGES[unit]
    classes = raw.get("by_class", LineDict())
    figures = [(raw.line_of("value"), "value", value.value)] if not value.by_class else []
    figures += [(classes.line_of(k), f"by_class {k}", v) for k, v in value.by_class.items()]
    for line, name, figure in figures:
        where, text = f"{path}:{line}", plain(figure)
        if figure.is_zero() and figure.is_signed():
            raise InvalidData(f"{where}: {name} {text} has a minus sign: write {text[1:]}")
        if not low <= figure <= high:
            raise InvalidData(
                f"{where}: {name} {text} is out of range: a {unit} value is {low} to {high:,}"
            )
        exponent = figure.as_tuple().exponent  # an int: the figure is finite (to_decimal)
        places, why = PLACES[unit]
        if isinstance(exponent, int) and -exponent > places:
            raise InvalidData(f"{where}: {name} {text} has more than {places} decimals: {why}")


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
