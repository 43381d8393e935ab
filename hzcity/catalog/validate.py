"""Check fact, unit and parameter files against their schemas and rules; report every problem.

Which files count is decided by ``loader.fact_files``, and each file is read by the same
functions every other command uses, so what validate passes the others accept. Problems
come back as data (``Problem``: file, line, message and the check that found it); the
command layer renders them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from hzcity.catalog.model import Catalog, Unit, claim_topic, parse_topic
from hzcity.errors import BadInput, HzError, InvalidData, SchemaViolations
from hzcity.i18n import Phrase
from hzcity.loader import PARAMETERS_DIR, FactFiles, Unreadable, fact_files, load_yaml
from hzcity.policy.dated import Parameter, all_parameters, parse_parameters
from hzcity.policy.user import merge

T = TypeVar("T")
# The checks a problem can come from: the file could not be read as YAML, it breaks its
# JSON Schema, or a rule beyond the schema (units, figures, windows, references...).
RULES = ("file", "schema", "rule")


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One problem of a fact or parameter file; ``line`` 0 when it is the whole file's."""

    file: str
    line: int
    message: str
    rule: str

    def __str__(self) -> str:
        """As curators and editors read it: ``file:line: message``."""
        if not self.file:
            return self.message
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else (f"{self.file}: {self.message}")
        )

    def as_record(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line or None, "rule": self.rule,
                "message": self.message}  # fmt: skip

    @classmethod
    def parse(cls, text: str, rule: str, files: Iterable[Path]) -> Problem:
        """A ``file:line: message`` text of InvalidData split at one of ``files`` (the
        checked files, longest name first, so a path holding ':' splits right)."""
        for name in sorted({str(f) for f in files}, key=len, reverse=True):
            if text.startswith(f"{name}:"):
                rest = text[len(name) + 1 :]
                number, sep, message = rest.partition(": ")
                if sep and number.isdigit():
                    return cls(file=name, line=int(number), message=message, rule=rule)
                return cls(file=name, line=0, message=rest.lstrip(), rule=rule)
        return cls(file="", line=0, message=text, rule=rule)


def file_groups(paths: list[Path]) -> list[FactFiles]:
    """The fact files of each directory named, and each file named that hzcity would read
    (a file in ``parameters/`` is a parameter file, ``_units.yaml`` a unit table). A path
    validate would not read (another suffix, a FIFO, a directory without a fact or
    parameter file) is BadInput naming it: checking nothing is no "no problems"."""
    groups = []
    for path in paths:
        if path.is_dir():
            group = fact_files(path)
            if not group.all():
                raise BadInput(Phrase("{path}: no fact or parameter file (*.yaml, *.yml) in "
                                      "this directory", path=str(path)))  # fmt: skip
        elif path.is_file():
            group = _only(path)
            if not group.all():
                raise BadInput(Phrase("{path}: not a file validate reads: a topic (*.yaml, "
                                      "*.yml), _units.yaml or parameters/*.yaml",
                                      path=str(path)))  # fmt: skip
        elif path.exists():
            raise BadInput(Phrase("{path}: not a regular file (a FIFO, device or socket); "
                                  "validate reads files and directories",
                                  path=str(path)))  # fmt: skip
        else:
            raise InvalidData(f"{path}: no such file or directory")
        groups.append(group)
    return groups


def _only(path: Path) -> FactFiles:
    """The listing of the directory ``path`` belongs to, narrowed to ``path``."""
    in_parameters = path.parent.name == PARAMETERS_DIR
    found = fact_files(path.parent.parent if in_parameters else path.parent)
    return FactFiles(
        root=found.root,
        topics=tuple(p for p in found.topics if p.name == path.name and not in_parameters),
        units=found.units if found.units and found.units.name == path.name else None,
        parameters=tuple(p for p in found.parameters if p.name == path.name and in_parameters),
    )


@dataclass(frozen=True, kw_only=True)
class Report:
    """What ``validate`` found: every problem, how many files of each kind it read, and
    the files of a ``parameters/`` folder it did not read (no file is skipped unsaid)."""

    problems: list[Problem]
    topics: int
    units: int
    parameters: int
    unread: tuple[Path, ...] = ()

    @property
    def files(self) -> int:
        return self.topics + self.units + self.parameters


def validate(paths: list[Path], catalog: Catalog) -> Report:
    """Every problem of the files at ``paths``, in the order found (none when all are
    sound), each file read by the functions every command reads it with."""
    groups = file_groups(paths)
    whole = [g for g, p in zip(groups, paths, strict=True) if p.is_dir()]  # not one file named
    found = _Found(files=[p for group in groups for p in group.all()])
    topics: dict[str, Path] = {}
    seeded = False  # with the shipped topics, once a user's directory is met
    params: dict[str, Parameter] = {}
    users: list[Path] = []  # the users' parameter files: one timeline with the shipped ones
    for group in groups:
        units = _units(group, catalog, found)
        shipped = group.root.resolve() == catalog.root.resolve()
        if not shipped and not seeded:  # a user topic may not reuse a shipped name
            topics |= found.gather(lambda: Catalog(root=catalog.root).files) or {}
            seeded = True
        for path in group.topics:
            if found.gather(partial(claim_topic, topics, path)):
                found.gather(partial(_topic, path, units, found))
        if shipped:
            for path in group.parameters:
                params |= found.gather(partial(_parameters, path, found)) or {}
        else:
            users += [p for p in group.parameters if found.gather(partial(_user_schema, p))]
    if users:
        rules: list[str] = []
        merge(found.gather(lambda: all_parameters(catalog.root)) or {}, users, rules)
        found.add(rules, "rule")
    found.problems += _check_references(params, catalog)
    return Report(problems=found.problems, topics=sum(len(g.topics) for g in groups),
                  units=sum(g.units is not None for g in groups),
                  parameters=sum(len(g.parameters) for g in groups),
                  unread=tuple(p for g in groups if g in whole for p in _unread(g)))  # fmt: skip


def _unread(group: FactFiles) -> list[Path]:
    """The entries of the group's ``parameters/`` folder that are no parameter file."""
    folder = group.root / PARAMETERS_DIR
    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    return [p for p in entries if p not in group.parameters]


@dataclass(kw_only=True)
class _Found:
    """The problems found so far, and the files they may name."""

    files: list[Path]
    problems: list[Problem] = field(default_factory=list)

    def add(self, texts: list[str], rule: str) -> None:
        self.problems += [Problem.parse(t, rule, self.files) for t in texts]

    def gather(self, make: Callable[[], T]) -> T | None:
        """Run ``make``, recording its InvalidData (every problem of a schema violation)."""
        try:
            return make()
        except SchemaViolations as exc:
            self.add(exc.problems, "schema")
        except Unreadable as exc:
            self.add([str(exc)], "file")
        except InvalidData as exc:
            self.add([str(exc)], "rule")
        return None


def _units(group: FactFiles, catalog: Catalog, found: _Found) -> dict[str, Unit]:
    """The units of the group's directory: its own table over the shipped one."""
    units = found.gather(lambda: catalog.units_for(group.root))
    if units is None and group.root != catalog.root:  # its own table is broken (and reported)
        units = _Found(files=[]).gather(lambda: catalog.units)
    return units or {}


def _topic(path: Path, units: dict[str, Unit], found: _Found) -> bool:
    rules: list[str] = []
    parse_topic(path, units, rules)
    found.add(rules, "rule")
    return True


def _parameters(path: Path, found: _Found) -> dict[str, Parameter]:
    rules: list[str] = []
    params = parse_parameters(path, rules)
    found.add(rules, "rule")
    return params


def _user_schema(path: Path) -> bool:
    """Whether a user parameter file reads and meets its schema (raising if not)."""
    load_yaml(path, "user-parameters")
    return True


def _check_references(params: dict[str, Parameter], catalog: Catalog) -> list[Problem]:
    """A parameter citing a page fact must exist and equal that fact's base value."""
    problems = []
    for param in params.values():
        for value in param.values:
            if not value.reference.fact:
                continue
            file, _, line = value.where.rpartition(":")
            try:
                fact = catalog.fact(value.reference.fact)
            except HzError as exc:  # an unknown id or a broken topic file
                message = f"parameter {param.name!r}: reference: {exc}"
            else:
                if fact.base_value == value.value:
                    continue
                message = (
                    f"parameter {param.name!r}: value {value.value} differs from "
                    f"{fact.id} ({fact.base_value})"
                )
            problems.append(Problem(file=file, line=int(line), message=message, rule="rule"))
    return problems
