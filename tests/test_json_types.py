"""Stable JSON (issue 23): every key of every JSON or JSON-lines record a command writes has
one type across its records, exact amounts and decimals as strings, or null; --format json is
one document, and --format jsonl the same records a line each. Runs reach
each kind of record: every fact, every class, a payroll, problems with and without a line,
windows with and without an end."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases" / "user-params"
D = ["--date", "2024-06-01"]
# command -> runs whose records must agree with each other, key by key
RUNS: dict[str, list[list[str]]] = {
    "topics": [[]],
    "facts": [[]],
    "show": [["education.funding-2022"], ["concert.date"], ["plan.plans-since"]],
    "search": [["孤儿"], ["2023"]],
    "events": [[]],
    "validate": [["{bad}"]],
    "premium": [
        ["--salary", "6000", "--industry-class", "4", *D],
        ["--salary", "6000", *D],
        ["--salary", "2000", "--industry-class", "4", *D, "--facts-dir", str(CASES / "bounds")],
        ["--salary", "6000", "--injury-rate", "0.9", *D],
    ],
    "payroll": [
        ["--salaries", "{payroll}", "--industry-class", "4", *D],
        ["--salaries", "{payroll}", *D],
    ],
    "allowance": [
        ["--care", "scattered"],
        ["--care", "scattered", "--category", "unsupported", "--student"],
        ["--care", "institutional", "--year", "2021"],
        ["--care", "scattered", "--growth", "3", "--until", "2025"],
    ],
    "childcare": [["--children", "3"]],
    "rates": [[], ["--date", "2025-06-01"], ["--facts-dir", str(CASES / "benchmark-2024")]],
}


def _types(value: object, path: str, found: dict[str, set[str]]) -> None:
    """The type of ``value`` at ``path`` (and of what it holds) added to ``found``."""
    found[path].add(type(value).__name__)
    if isinstance(value, dict):
        for key, item in value.items():
            _types(item, f"{path}.{key}", found)
    elif isinstance(value, list):
        for item in value:
            _types(item, f"{path}[]", found)


def _records(text: str) -> list[object]:
    """The records of one JSON document: an array of them, or one object."""
    data = json.loads(text)  # `| python -m json.tool` reads every --format json whole
    return data if isinstance(data, list) else [data]


def test_every_command_is_walked():
    from hzcity.cli import MODULES

    assert set(MODULES) - {"page"} <= set(RUNS)  # page writes text or HTML, no JSON


@pytest.mark.parametrize("name", sorted(RUNS))
def test_every_key_has_one_type_across_a_commands_records(hz, tmp_path, name):
    payroll = tmp_path / "pay.csv"
    payroll.write_text("姓名,工资\n张三,6000\n李四,7000.5\n", encoding="utf-8")
    bad = tmp_path / "bad"
    (bad / "parameters").mkdir(parents=True)
    (bad / "mine.yaml").write_text("topic: [\n", encoding="utf-8")  # a problem without a line
    (bad / "parameters" / "x.yaml").write_text(
        "work-injury-cut:\n  values:\n    - {start: '2025-01-01', value: '-0', "
        "reference: {title: X}}\n",
        encoding="utf-8",
    )
    found: dict[str, set[str]] = defaultdict(set)
    records = 0
    for args in RUNS[name]:
        argv = [a.format(payroll=payroll, bad=bad) for a in args]
        command = "premium" if name == "payroll" else name
        result = hz(command, *argv, "--format", "json")
        assert result.code in (0, 1), (argv, result.err)
        lines = hz(command, *argv, "--format", "jsonl").out.splitlines()
        assert [json.loads(line) for line in lines] == _records(result.out)  # a record a line
        for record in _records(result.out):
            records += 1
            _types(record, "", found)
    assert records >= 1
    drifting = {path: kinds - {"NoneType"} for path, kinds in found.items()}
    assert {path: kinds for path, kinds in drifting.items() if len(kinds) > 1} == {}
