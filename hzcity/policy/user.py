"""Users' parameter files: dated values they cite, merged with the shipped ones.

A user file (``parameters/*.yaml`` in a ``--facts-dir`` directory) lists only ``values``
for a parameter hzcity ships, or for one the calculators know but hzcity does not ship
(``KNOWN``). A user window may not overlap a shipped one or another user's: the page's
figures are never shadowed silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path

from hzcity.errors import BadInput, InvalidData, collect, suggest
from hzcity.lines import LineDict
from hzcity.loader import check_root, fact_files, load_yaml, shipped_root
from hzcity.money import parse_amount
from hzcity.policy.dated import (
    DatedValue,
    Parameter,
    Parameters,
    check_range,
    parse_value,
    read_parameters,
)

# Parameters the calculators use when a user supplies them; no cited figure is shipped.
KNOWN = {
    "contribution-base-min": Parameter(
        name="contribution-base-min",
        label_en="Contribution base floor",
        label_zh="缴费基数下限",
        unit="yuan/month",
    ),
    "contribution-base-max": Parameter(
        name="contribution-base-max",
        label_en="Contribution base ceiling",
        label_zh="缴费基数上限",
        unit="yuan/month",
    ),
}


def merge(
    shipped: Parameters, files: Sequence[Path], problems: list[str] | None = None
) -> dict[str, Parameter]:
    """``shipped`` with every user file's windows added, in file order (with ``problems``:
    every bad file or window recorded and left out)."""
    params = dict(shipped)
    for path in files:
        data: LineDict = (
            collect(problems, partial(load_yaml, path, "user-parameters")) or LineDict()
        )
        for name, spec in data.items():
            added = collect(problems, partial(_add, params, name, spec, data, path))
            if added is not None:
                params[name] = added
    return params


def _add(
    params: dict[str, Parameter], name: str, spec: LineDict, data: LineDict, path: Path
) -> Parameter:
    base = params.get(name) or KNOWN.get(name)
    if base is None:
        choices = sorted({*params, *KNOWN})
        raise InvalidData(f"{path}:{data.line_of(name)}: unknown parameter {name!r}"
                          f"{suggest(name, choices)}")  # fmt: skip
    values = list(base.values)
    for raw in spec["values"]:
        new = parse_value(raw, path, source=f"user:{path}")
        _check_shape(base, new, raw, path)
        check_range(new, base.unit, raw, path)
        if base.unit == "yuan/month":  # a contribution base: the amount rule, to the fen
            new = replace(new, value=_amount(new, raw, path))
        values = _insert(values, new, name)
    return replace(base, values=tuple(values))


def _amount(new: DatedValue, raw: LineDict, path: Path) -> Decimal:
    """A bound in yuan, as any amount hzcity reads: above 0, at most two decimals."""
    try:
        return parse_amount(str(new.value), "value")
    except BadInput as exc:
        raise InvalidData(f"{path}:{raw.line_of('value')}: {exc}") from None


def _check_shape(base: Parameter, new: DatedValue, raw: LineDict, path: Path) -> None:
    """A table per class where the parameter has one, a single value where it has that."""
    by_class = any(v.by_class for v in base.values)
    if by_class != bool(new.by_class):
        wanted = "by_class (one value per class)" if by_class else "a single value"
        raise InvalidData(f"{path}:{raw.line}: {base.name!r} takes {wanted}")


def _insert(values: list[DatedValue], new: DatedValue, name: str) -> list[DatedValue]:
    """``values`` with ``new`` in date order, or InvalidData naming both windows' files."""
    merged = sorted([*values, new], key=lambda v: v.start)
    at = merged.index(new)
    before, after = merged[:at][-1:], merged[at + 1 :][:1]
    clash = [o for o in before if o.overlaps(new)] + [o for o in after if new.overlaps(o)]
    if clash:
        raise InvalidData(
            f"{new.where}: window {new.label} of {name!r} overlaps "
            f"{clash[0].label} at {clash[0].where}"
        )
    return merged


def load_parameters(user_roots: Sequence[Path] = ()) -> Parameters:
    """The shipped parameters, with the windows of the users' parameter files added."""
    shipped = read_parameters(shipped_root())
    for root in user_roots:
        check_root(root)
    files = [path for root in user_roots for path in fact_files(root).parameters]
    if not files:
        return shipped
    return merge(shipped, files)
