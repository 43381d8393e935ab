"""Dated policy parameters, OpenFisca style: the value at a date, its window and reference.

Convention: a value is in force from ``start`` to ``end`` inclusive (no end: until
a later value starts). A start may be a year ("2022") when the page gives no day.
A value whose ``status`` is "stated" is the figure stated for one year, with no end
printed: no later day is covered by it. An "announced" value is not in force at all.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache, partial
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from hzcity.errors import BadInput, InvalidData, NoRateInForce, NotFound, collect, suggest
from hzcity.labels import Phrase
from hzcity.loader import LineDict, check_root, fact_files, load_yaml, shipped_root
from hzcity.money import to_decimal


class Reference(NamedTuple):
    """A page fact id, or another public source's title (and document number, address)."""

    fact: str = ""
    title: str = ""
    document: str = ""
    url: str = ""

    def __str__(self) -> str:
        if self.fact:
            return self.fact
        return f"{self.title} ({self.document})" if self.document else self.title


class DatedValue(NamedTuple):
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
            return Phrase("window.open", start=self.start_text)
        return Phrase("window.span", start=self.start_text, end=self.end.isoformat())

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
            return Phrase("window.stated", window=self.window, year=self.stated_for)
        return Phrase("window.announced", window=self.window) if self.status else self.window


class Parameter(NamedTuple):
    name: str
    label_en: str
    label_zh: str
    unit: str
    values: tuple[DatedValue, ...]

    def at(self, day: date) -> DatedValue:
        """The value in force on ``day``, or NoRateInForce naming the known windows."""
        for value in reversed(self.values):
            if value.covers(day):
                return value
        raise self.nothing(Phrase("when.on", day=day.isoformat()), day)

    def in_year(self, year: int) -> DatedValue:
        """The latest value covering some day of ``year`` (a yearly standard's)."""
        for value in reversed(self.values):
            if value.meets(year):
                return value
        raise self.nothing(Phrase("when.in", year=year), date(year, 1, 1))

    def nothing(self, when: str, day: date) -> NoRateInForce:
        """The error for a day no window covers: the windows known, why the last one
        started stops short (its note), and how to supply a window."""
        windows = [v.label for v in self.values] or Phrase("windows.none")
        began = [v for v in self.values if v.start <= day and v.status and v.note]
        why = f" {began[-1].note.rstrip('.')}." if began else ""
        return NoRateInForce(Phrase("nothing_in_force", name_en=self.label_en,
                                    name_zh=self.label_zh, when=when, windows=windows,
                                    why=why))  # fmt: skip

    def latest(self) -> DatedValue:
        return self.values[-1]


RECORD_KEYS = ("start", "end", "value", "unit", "reference", "source", "status", "stated_for")


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
    """A window of ``param`` as plain data (``value`` None: nothing in force)."""
    head = {"name": param.name, "label_en": param.label_en, "label_zh": param.label_zh}
    if value is None:
        return head | dict.fromkeys(RECORD_KEYS) | {"status": "none"}
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(value.by_class.items()))
    return head | {
        "start": value.start_text,
        "end": value.end.isoformat() if value.end else None,
        "value": shown or str(value.value),
        "unit": param.unit,
        "reference": str(value.reference),
        "source": value.source,
        "status": value.status or "dated",
        "stated_for": value.stated_for,
    }


def parse_day(text: str, what: str = Phrase("what.date")) -> date:
    """YYYY-MM-DD, or YYYY for the first day of a year."""
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1)
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(Phrase("date.malformed", what=what, text=text)) from None


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
        stated_for=int(raw["stated_for"]) if "stated_for" in raw else None,
        source=source or ("page" if reference.fact else "national"),
        where=f"{path}:{raw.line}",
    )


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
    for raw, (before, after) in zip(spec["values"][1:], pairwise(values), strict=True):
        if before.overlaps(after):
            where = f"{path}:{raw.line_of('start')}"
            raise InvalidData(f"{where}: windows of {name!r} overlap or are out of order")
    return Parameter(name, spec["label_en"], spec["label_zh"], spec["unit"], values)


Parameters = Mapping[str, Parameter]


@cache
def _all_parameters(root: Path) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for path in fact_files(root).parameters:
        for name, param in parse_parameters(path).items():
            if name in params:
                raise InvalidData(f"{path}: parameter {name!r} is defined twice")
            params[name] = param
    return params


def load_parameters(user_roots: Sequence[Path] = ()) -> Parameters:
    """The shipped parameters, with the windows of the users' parameter files added."""
    shipped = _all_parameters(shipped_root())
    for root in user_roots:
        check_root(root)
    files = [path for root in user_roots for path in fact_files(root).parameters]
    if not files:
        return shipped
    from hzcity.user_parameters import merge

    return merge(shipped, files)


def parameter(name: str, params: Parameters | None = None) -> Parameter:
    """One parameter by name: shipped, or of ``params`` (see load_parameters)."""
    known = _all_parameters(shipped_root()) if params is None else params
    if name not in known:
        raise NotFound(Phrase("parameter.unknown", name=name, hint=suggest(name, list(known))))
    return known[name]


def all_parameters(root: Path | None = None) -> dict[str, Parameter]:
    return dict(_all_parameters(root or shipped_root()))
