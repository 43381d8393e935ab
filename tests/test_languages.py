"""Every sentence hzcity writes for people exists in Chinese: a run with --lang zh (or a
Chinese locale) prints no English sentence, on stdout or stderr."""

from __future__ import annotations

import re

import pytest

from hzcity.cli import MODULES

# Per command, runs that reach each kind of output a person reads (tables, cards, notes).
RUNS = {
    "topics": [[]],
    "facts": [[], ["civil-affairs"], ["education", "--kind", "price"]],
    "show": [["civil-affairs.school-grant"], ["plan.plans-since", "--context"]],
    "search": [["孤儿"], ["no-such-word"]],
    "events": [[]],
    "page": [["concert"]],
    "validate": [[]],
    "premium": [
        ["--salary", "6000", "--industry-class", "4", "--date", "2024-06-01"],
        ["--salary", "6000", "--date", "2024-06-01"],
        ["--salaries", "{payroll}", "--injury-rate", "0.9", "-f", "csv", "--date", "2024-06-01"],
        ["--salaries", "{payroll}", "-f", "csv", "--date", "2024-06-01"],
    ],
    "allowance": [
        ["--care", "scattered", "--category", "hiv", "--student"],
        ["--care", "institutional", "--year", "2021"],
        ["--care", "scattered", "--category", "unsupported", "--student", "-f", "json"],
        ["--care", "scattered", "--growth", "3", "--until", "2025"],
    ],
    "childcare": [["--children", "3"]],
    "rates": [[], ["--date", "2026-06-01"], ["childcare-subsidy"]],
}  # a new command gets its runs here, or the test below fails
WORD = re.compile(r"\(?[A-Za-z]{2,}[,.;:)]?")  # a word, not an id, option, code or figure


def english_sentence(text: str) -> str:
    """The first line holding three English words in a row, else ''."""
    for line in text.splitlines():
        run = 0
        for token in line.split():
            run = run + 1 if WORD.fullmatch(token) else 0
            if run == 3:
                return line
    return ""


def test_every_command_is_run_in_chinese():
    assert set(MODULES) == set(RUNS)


@pytest.mark.parametrize(
    "args", [[name, *args] for name, runs in RUNS.items() for args in runs], ids=" ".join
)
def test_chinese_output_holds_no_english_sentence(hz, monkeypatch, tmp_path, args):
    payroll = tmp_path / "工资.csv"
    payroll.write_text("姓名,工资\n李,6000\n", encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # for a command without --lang (validate)
    chosen = [a.format(payroll=payroll) for a in args]
    if "-f" not in chosen and args[0] not in ("validate", "page"):
        chosen += ["-f", "table"]
    if args[0] != "validate":
        chosen += ["--lang", "zh"]
    result = hz(*chosen)
    assert result.code == 0, result.err
    assert english_sentence(result.out + result.err) == ""


def test_the_check_catches_an_english_sentence():
    assert english_sentence("合计 55.00\nhzcity: note: each item is rounded") != ""
    assert english_sentence("依据 insurance.work-injury-cut 0.5% --industry-class or x") == ""
