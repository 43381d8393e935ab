"""Dated policy parameters, OpenFisca style: the value at a date, its window and reference.

Convention: a value is in force from ``start`` to ``end`` inclusive (no end: until
a later value starts). A start may be a year ("2022") when the page gives no day.
"""

from datetime import date
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from hzcity.errors import InvalidData, NoRateInForce, NotFound, collect, suggest
from hzcity.loader import load_yaml, shipped_root
from hzcity.money import to_decimal

PARAMETER_KEYS = {"label_en", "label_zh", "unit", "values"}
VALUE_KEYS = {"start", "end", "value", "by_class", "reference", "note"}
UNITS = {"percent", "yuan/month", "yuan/school-year", "yuan/person/month"}


class Reference(NamedTuple):
    """A page fact id, or another public source's title and document number."""

    fact: str = ""
    title: str = ""
    document: str = ""

    def __str__(self) -> str:
        return self.fact or f"{self.title} ({self.document})"


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


def _parse_value(raw: Any, where: str) -> DatedValue:
    if not isinstance(raw, dict) or set(map(str, raw)) - VALUE_KEYS:
        raise InvalidData(f"{where}: a value takes only {', '.join(sorted(VALUE_KEYS))}")
    if ("value" in raw) == ("by_class" in raw) or "start" not in raw or "reference" not in raw:
        raise InvalidData(f"{where}: a value needs start, reference and one of value, by_class")
    try:
        start = parse_day(str(raw["start"]), "start")
        end = parse_day(str(raw["end"]), "end") if raw.get("end") else None
    except ValueError as exc:
        raise InvalidData(f"{where}: {exc}") from None
    if end and end < start:
        raise InvalidData(f"{where}: end {end} is before start {start}")
    ref = raw["reference"]
    if isinstance(ref, dict):
        if set(ref) != {"title", "document"}:
            raise InvalidData(f"{where}: an outside reference needs title and document")
        reference = Reference(title=str(ref["title"]), document=str(ref["document"]))
    else:
        reference = Reference(fact=str(ref))
    by_class = raw.get("by_class") or {}
    # keys are ints from YAML, strings once through the JSON cache
    if not isinstance(by_class, dict) or not all(str(k).isdecimal() for k in by_class):
        raise InvalidData(f"{where}: by_class maps whole class numbers to values (1: 0.2)")
    by_class = {int(k): to_decimal(v, where) for k, v in by_class.items()}
    return DatedValue(
        start=start,
        start_text=str(raw["start"]),
        end=end,
        value=to_decimal(raw["value"], where) if "value" in raw else Decimal(0),
        by_class=by_class,
        reference=reference,
        note=str(raw.get("note", "")),
    )


def parse_parameters(path: Path, problems: list[str] | None = None) -> dict[str, Parameter]:
    """All parameters of one file (with ``problems``: every bad one recorded and skipped)."""
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InvalidData(f"{path}:1: a parameter file must be a mapping of parameters")
    params = {}
    for name, spec in data.items():
        param = collect(problems, lambda name=name, spec=spec: _parse_parameter(name, spec, path))
        if param is not None:
            params[param.name] = param
    return params


def _parse_parameter(name: Any, spec: Any, path: Path) -> Parameter:
    """One parameter, checked: keys, unit, ordered non-overlapping windows."""
    where = f"{path}:{getattr(spec, 'line', 0)}"
    if not isinstance(spec, dict) or set(spec) != PARAMETER_KEYS:
        raise InvalidData(f"{where}: parameter {name!r} needs exactly {sorted(PARAMETER_KEYS)}")
    if spec["unit"] not in UNITS:
        raise InvalidData(
            f"{where}: unknown unit {spec['unit']!r}{suggest(spec['unit'], sorted(UNITS))}"
        )
    if not isinstance(spec["values"], list) or not spec["values"]:
        raise InvalidData(f"{where}: values must be a non-empty list")
    values = tuple(_parse_value(v, f"{path}:{getattr(v, 'line', 0)}") for v in spec["values"])
    for before, after in pairwise(values):
        if after.start <= before.start or (before.end and after.start <= before.end):
            raise InvalidData(f"{where}: windows of {name!r} overlap or are out of order")
    return Parameter(
        str(name), str(spec["label_en"]), str(spec["label_zh"]), str(spec["unit"]), values
    )


@cache
def _all_parameters(root: Path) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for path in sorted((root / "parameters").glob("*.yaml")):
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
