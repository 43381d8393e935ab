"""Check fact, unit and parameter files against the documented schema; report every problem."""

from __future__ import annotations

from pathlib import Path

from hzcity.catalog import NAME, UNITS_FILE, Catalog, parse_topic, parse_units
from hzcity.errors import HzError, InvalidData, collect
from hzcity.policy import Parameter, parse_parameters


def yaml_files(paths: list[Path]) -> list[Path]:
    """The YAML files named, and those below each directory named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.rglob("*.yaml"))
        elif path.exists():
            found.append(path)
        else:
            raise InvalidData(f"{path}: no such file or directory")
    return found


def validate(paths: list[Path], catalog: Catalog) -> list[str]:
    """Problems as ``file:line: message``; empty when every file is sound.

    A file named _units.yaml is a unit table, one in a directory named
    ``parameters`` holds policy parameters, any other is a topic.
    """
    problems: list[str] = []
    units = collect(problems, lambda: catalog.units) or {}
    topics: dict[str, Path] = {}
    params: dict[str, Parameter] = {}
    for path in yaml_files(paths):
        if path.name == UNITS_FILE:
            collect(problems, lambda path=path: parse_units(path))
        elif path.parent.name == "parameters":
            found = collect(problems, lambda path=path: parse_parameters(path, problems)) or {}
            params |= found
        elif not NAME.match(path.stem):
            problems.append(f"{path}:1: a topic file name is lower-case letters, digits and dashes")
        else:
            topic = collect(problems, lambda path=path: parse_topic(path, units, problems))
            if topic and topic.name in topics and topics[topic.name] != path:
                problems.append(f"{path}:1: topic {topic.name!r} also in {topics[topic.name]}")
            elif topic:
                topics[topic.name] = path
    problems += _check_references(params, catalog)
    return problems


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
