"""Check fact, unit and parameter files against their schemas and rules; report every problem.

Which files count is decided by ``loader.fact_files``, as when the catalog loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from hzcity.catalog.model import Catalog, Unit, parse_topic, topic_name
from hzcity.errors import HzError, InvalidData, SchemaViolations
from hzcity.loader import PARAMETERS_DIR, FactFiles, fact_files
from hzcity.policy.dated import Parameter, all_parameters, parse_parameters
from hzcity.policy.user import merge

T = TypeVar("T")


def file_groups(paths: list[Path]) -> list[FactFiles]:
    """The fact files of each directory named, and each file named that hzcity would read
    (a file in ``parameters/`` is a parameter file, ``_units.yaml`` a unit table)."""
    groups = []
    for path in paths:
        if path.is_dir():
            groups.append(fact_files(path))
        elif path.exists():
            groups.append(_only(path))
        else:
            raise InvalidData(f"{path}: no such file or directory")
    return groups


def _only(path: Path) -> FactFiles:
    """The listing of the directory ``path`` belongs to, narrowed to ``path``."""
    in_parameters = path.parent.name == PARAMETERS_DIR
    found = fact_files(path.parent.parent if in_parameters else path.parent)
    return FactFiles(
        found.root,
        topics=tuple(p for p in found.topics if p.name == path.name and not in_parameters),
        units=found.units if found.units and found.units.name == path.name else None,
        parameters=tuple(p for p in found.parameters if p.name == path.name and in_parameters),
    )


def yaml_files(paths: list[Path]) -> list[Path]:
    """The files ``validate`` checks for ``paths``."""
    return [p for group in file_groups(paths) for p in group.all()]


def validate(paths: list[Path], catalog: Catalog) -> list[str]:
    """Problems as ``file:line: message``; empty when every file is sound."""
    problems: list[str] = []
    topics: dict[str, Path] = {}
    params: dict[str, Parameter] = {}
    users: dict[str, Parameter] = {}  # the users' windows pile up: one may clash with another
    for group in file_groups(paths):
        units = _units(group, catalog, problems)
        for path in group.topics:
            topic = _gather(problems, partial(_topic, path, units, problems))
            if topic and topic in topics and topics[topic] != path:
                problems.append(f"{path}:1: topic {topic!r} also in {topics[topic]}")
            elif topic:
                topics[topic] = path
        if group.root.resolve() == catalog.root.resolve():
            for path in group.parameters:
                params |= _gather(problems, partial(parse_parameters, path, problems)) or {}
        elif group.parameters:  # a user's: windows added to the shipped parameters
            users = users or _gather(problems, lambda: all_parameters(catalog.root)) or {}
            users = merge(users, group.parameters, problems)
    problems += _check_references(params, catalog)
    return problems


def _units(group: FactFiles, catalog: Catalog, problems: list[str]) -> dict[str, Unit]:
    """The units of the group's directory: its own table over the shipped one."""
    found = _gather(problems, lambda: catalog.units_for(group.root))
    if found is None and group.root != catalog.root:  # its own table is broken (and reported)
        found = _gather([], lambda: catalog.units)
    return found or {}


def _topic(path: Path, units: dict[str, Unit], problems: list[str]) -> str:
    name = topic_name(path)
    parse_topic(path, units, problems)
    return name


def _gather(problems: list[str], make: Callable[[], T]) -> T | None:
    """Run ``make``, recording its InvalidData (every problem of a schema violation)."""
    try:
        return make()
    except SchemaViolations as exc:
        problems += exc.problems
    except InvalidData as exc:
        problems.append(str(exc))
    return None


def _check_references(params: dict[str, Parameter], catalog: Catalog) -> list[str]:
    """A parameter citing a page fact must exist and equal that fact's base value."""
    problems = []
    for param in params.values():
        for value in param.values:
            if not value.reference.fact:
                continue
            try:
                fact = catalog.fact(value.reference.fact)
            except HzError as exc:  # an unknown id or a broken topic file
                problems.append(f"parameter {param.name!r}: reference: {exc}")
                continue
            if fact.base_value != value.value:
                problems.append(
                    f"parameter {param.name!r}: value {value.value} differs from "
                    f"{fact.id} ({fact.base_value})"
                )
    return problems
