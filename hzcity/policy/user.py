"""Users' parameter files: dated values they cite, merged with the shipped ones.

A user file (``parameters/*.yaml`` or ``*.yml`` in a ``--facts-dir`` directory) lists only
``values`` for a parameter hzcity ships, or for one the calculators know but hzcity does
not ship (``KNOWN``). Shipped and user values make one timeline per parameter
(hzcity.policy.timeline): a user window may not overlap a shipped one or another user's,
so the page's figures are never shadowed silently, but it may start after an open value,
which it then supersedes for good.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from hzcity.errors import InvalidData, collect, suggest
from hzcity.lines import LineDict
from hzcity.loader import check_root, fact_files, load_yaml, shipped_root
from hzcity.output.screen import check_text
from hzcity.policy import timeline
from hzcity.policy.dated import (
    DatedValue,
    Parameter,
    Parameters,
    check_value,
    parse_value,
    plain,
    read_parameters,
)

# Parameters the calculators use when a user supplies them; no cited figure is shipped.
BOUNDS = ("contribution-base-min", "contribution-base-max")  # optional: premium applies them
KNOWN = {
    BOUNDS[0]: Parameter(
        name=BOUNDS[0],
        label_en="Contribution base floor",
        label_zh="缴费基数下限",
        unit="yuan/month",
    ),
    BOUNDS[1]: Parameter(
        name=BOUNDS[1],
        label_en="Contribution base ceiling",
        label_zh="缴费基数上限",
        unit="yuan/month",
    ),
}


def merge(
    shipped: Parameters, files: Sequence[Path], problems: list[str] | None = None
) -> dict[str, Parameter]:
    """``shipped`` with every user file's windows added, in file order, then the rules
    across parameters checked (with ``problems``: every bad file or window recorded and
    left out)."""
    params = dict(shipped)
    for path in files:
        data: LineDict = collect(problems, partial(_read, path)) or LineDict()
        for name, spec in data.items():
            added = collect(problems, partial(_add, params, name, spec, data, path))
            if added is not None:
                params[name] = added
    collect(problems, partial(check_bounds, params))
    return params


def _read(path: Path) -> LineDict:
    """A user parameter file, schema-checked, its text free of what a terminal obeys."""
    data: LineDict = load_yaml(path, "user-parameters")
    check_text(data, path)
    return data


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
        check_value(new, base.unit, raw, path)
        values = _insert(values, new, name)
    return replace(base, values=tuple(values))


def check_bounds(params: Parameters) -> None:
    """InvalidData naming both values when the contribution-base floor is above the
    ceiling on some day both are in force: premium could apply neither."""
    low, high = (params.get(name) for name in BOUNDS)
    if low is None or high is None:
        return
    for floor in timeline.spans(low.values):
        for ceiling in timeline.spans(high.values):
            first = max(floor.value.start, ceiling.value.start)
            ends = [s.last for s in (floor, ceiling) if s.last is not None]
            crossed = floor.value.value > ceiling.value.value
            announced = timeline.ANNOUNCED in (floor.value.status, ceiling.value.status)
            if crossed and not announced and (not ends or first <= min(ends)):
                raise InvalidData(
                    f"{floor.value.where}: {BOUNDS[0]} {plain(floor.value.value)} is above "
                    f"{BOUNDS[1]} {plain(ceiling.value.value)} at {ceiling.value.where} from "
                    f"{first}"
                )


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
    clash = [o for o in before if timeline.clash(o, new)]
    clash += [o for o in after if timeline.clash(new, o)]
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
