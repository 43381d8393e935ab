"""Validate is the loader's judge (issue 23): for each rule in tests/cases/rules/validate.yaml,
a file just inside it passes validate and every command answers from it; the same file off
by one fails validate at its file:line, and every command refuses it with the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from hzcity.loader import load_yaml

RULES = load_yaml(Path(__file__).parent / "cases" / "rules" / "validate.yaml")
# The rules the issue names, each of which must be proved here (a rule's name starts so).
NAMED = (
    "a rate is not negative",
    "a rate is not negative zero",
    "a per-person amount has at most 2 decimals",
    "the base floor is not above the ceiling",
    "an event's date is in 1900",
    "an event's date is in 9998",
    "no control character",
    "no escape character",
)
# Commands that read a user's parameter files, or its topic files: without --date, a run
# reaches the latest day up to today, as a user's first run does.
READ_PARAMETERS = [
    ["rates"],
    ["premium", "--salary", "6000", "--industry-class", "4"],
    ["premium", "--salary", "6000", "--date", "2025-06-01", "--injury-rate", "1"],
    ["childcare", "--children", "2"],
    ["allowance", "--care", "scattered"],
]
READ_TOPICS = [["topics"], ["facts"], ["search", "x"], ["events"], ["events", "--ics"], ["page"]]


def test_every_rule_the_issue_names_is_proved():
    rules = [r["rule"] for r in RULES]
    assert [n for n in NAMED if not any(r.startswith(n) for r in rules)] == []
    assert len(set(rules)) == len(rules)


def _commands(file: str) -> list[list[str]]:
    return READ_PARAMETERS if file.startswith("parameters/") else READ_TOPICS


def _folder(tmp_path: Path, rule: dict, which: str) -> tuple[Path, Path]:
    folder = tmp_path / which
    path = folder / rule["file"]
    path.parent.mkdir(parents=True)
    path.write_text(rule[which], encoding="utf-8")
    return folder, path


@pytest.mark.parametrize("rule", RULES, ids=[r["rule"] for r in RULES])
def test_a_file_just_inside_a_rule_passes_validate_and_every_command_answers(hz, tmp_path, rule):
    folder, path = _folder(tmp_path, rule, "passes")
    checked = hz("validate", str(folder))
    assert checked.code == 0 and checked.out.endswith(": no problems\n"), checked.out
    for args in _commands(rule["file"]):
        result = hz(*args, "--facts-dir", str(folder))
        assert result.code in (0, 4), (args, result.err)  # an answer, or no rate that day
        assert str(path) not in result.err, (args, result.err)


@pytest.mark.parametrize("rule", RULES, ids=[r["rule"] for r in RULES])
def test_a_file_off_by_one_fails_validate_at_its_line_and_every_command_refuses_it(
    hz, tmp_path, rule
):
    folder, path = _folder(tmp_path, rule, "fails")
    said = f"{path}:{rule['line']}: {rule['says'].format(file=path)}"
    checked = hz("validate", str(folder))
    assert checked.code == 1 and checked.out.startswith(said), checked.out
    for args in _commands(rule["file"]):
        result = hz(*args, "--facts-dir", str(folder))
        assert result.code == 3, (args, result.err)
        assert result.err.startswith(f"hzcity: error: {said}"), (args, result.err)
