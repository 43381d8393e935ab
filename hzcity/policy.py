"""Dated policy parameters, OpenFisca style: the value at a date, its window and reference.

Convention: a value is in force from ``start`` to ``end`` inclusive (no end: until
a later value starts). A start may be a year ("2022") when the page gives no day.
"""

from datetime import date
from decimal import Decimal
from functools import cache, partial
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from hzcity.errors import InvalidData, NoRateInForce, NotFound, collect, suggest
from hzcity.loader import LineDict, fact_files, load_yaml, shipped_root
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

    @property
    def window(self) -> str:
        return f"{self.start_text}/{self.end.isoformat() if self.end else '..'}"

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


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
        windows = ", ".join(v.window for v in self.values)
        raise NoRateInForce(
            f"{self.label_en}: nothing in force on {day.isoformat()}; documented: {windows}"
        )

    def latest(self) -> DatedValue:
        return self.values[-1]


def parse_day(text: str, what: str = "date") -> date:
    """YYYY-MM-DD, or YYYY for the first day of a year."""
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 1, 1)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None


def _parse_value(raw: LineDict, path: Path) -> DatedValue:
    """One dated value of a schema-checked file: its dates, classes and reference."""
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
    )


def _day(raw: LineDict, key: str, path: Path) -> date:
    try:
        return parse_day(raw[key], key)
    except ValueError as exc:
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
    values = tuple(_parse_value(v, path) for v in spec["values"])
    for raw, (before, after) in zip(spec["values"][1:], pairwise(values), strict=True):
        if after.start <= before.start or (before.end and after.start <= before.end):
            where = f"{path}:{raw.line_of('start')}"
            raise InvalidData(f"{where}: windows of {name!r} overlap or are out of order")
    return Parameter(name, spec["label_en"], spec["label_zh"], spec["unit"], values)


@cache
def _all_parameters(root: Path) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for path in fact_files(root).parameters:
        for name, param in parse_parameters(path).items():
            if name in params:
                raise InvalidData(f"{path}: parameter {name!r} is defined twice")
            params[name] = param
    return params


def parameter(name: str, root: Path | None = None) -> Parameter:
    """One shipped parameter by name."""
    params = _all_parameters(root or shipped_root())
    if name not in params:
        raise NotFound(f"unknown parameter {name!r}{suggest(name, list(params))}")
    return params[name]


def all_parameters(root: Path | None = None) -> dict[str, Parameter]:
    return dict(_all_parameters(root or shipped_root()))
