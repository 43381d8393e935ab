"""Calculator commands end to end: payroll mode, the tables people read, and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest


@pytest.fixture
def payroll_file(tmp_path):
    path = tmp_path / "payroll.csv"
    path.write_text("name,salary\n张三,6000\nB,6001\nC,1\nD,12345.67\n", encoding="utf-8")
    return path


def test_payroll_rows_equal_single_mode(hz, payroll_file):
    result = hz(
        "premium", "--salaries", str(payroll_file), "--industry-class", "4", "--date", "2024-01-01"
    )
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["name"] for r in rows] == ["张三", "B", "C", "D"]
    for row in rows:
        single = json.loads(
            hz(
                "premium",
                "--salary",
                row["salary"],
                "--industry-class",
                "4",
                "--date",
                "2024-01-01",
                "-f",
                "json",
            ).out
        )
        for key in (
            "contribution_base",
            "unemployment_employer",
            "work_injury_employer",
            "employer_total",
            "individual_total",
            "total",
        ):
            assert row[key] == single[key], (row["name"], key)
    assert "rows: 4, skipped: 0" in result.err and "total=" in result.err
    assert "0.45% = 0.9%" in result.err  # the rates used are named


def test_payroll_bad_row_stops_with_line_number(hz, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("salary\n6000\nabc\n5000\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(path), "--industry-class", "1", "--date", "2024-01-01")
    assert result.code == 2
    assert f"{path}:3: salary 'abc'" in result.err


def test_payroll_skip_reports_every_skipped_line(hz, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,salary\n1,6000\n2,-5\n3\n4,5000\n", encoding="utf-8")
    result = hz(
        "premium",
        "--salaries",
        str(path),
        "--industry-class",
        "1",
        "--date",
        "2024-01-01",
        "--skip-bad-rows",
        "-f",
        "json",
    )
    assert result.code == 0
    assert [json.loads(line)["id"] for line in result.out.splitlines()] == ["1", "4"]
    assert f"skipped {path}:3:" in result.err and f"skipped {path}:4:" in result.err
    assert "rows: 2, skipped: 2" in result.err


def test_payroll_from_stdin_with_named_column(hz, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("who,pay\nx,6000\n"))
    result = hz(
        "premium",
        "--salaries",
        "-",
        "--column",
        "pay",
        "--injury-rate",
        "0.9",
        "--date",
        "2024-01-01",
        "-f",
        "tsv",
    )
    header, row = result.out.splitlines()
    assert header.split("\t")[:3] == ["who", "pay", "contribution_base"]
    assert row.split("\t")[-1] == "87.00"


def test_premium_table_shows_rates_windows_and_rule(hz):
    out = hz(
        "premium",
        "--salary",
        "6000",
        "--industry-class",
        "4",
        "--date",
        "2024-01-01",
        "-f",
        "table",
    ).out
    for text in ("0.45% = 0.9% - 50%", "2023-05-01/2024-12-31", "87.00", "half-up to the fen"):
        assert text in out


def test_default_date_past_the_window_is_said_on_stderr(hz):
    result = hz("premium", "--salary", "6000", "--industry-class", "4", "-f", "json")
    assert result.code == 0
    assert "outside the documented window 2023-05-01/2024-12-31" in result.err
    assert json.loads(result.out)["date"] == "2024-12-31"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--salary", "-6000"], 2, "not an amount"),
        (["--salary", "0"], 2, "greater than 0"),
        (["--salary", "abc"], 2, "not an amount"),
        (["--salary", "NaN"], 2, "not an amount"),
        (["--salary", "inf"], 2, "not an amount"),
        (["--salary", "1e400"], 2, "not an amount"),
        (["--salary", "99999999"], 2, "check the figure"),
        (["--salary", "6000", "--date", "2024-02-30"], 2, "not a date"),
        (["--salary", "6000", "--industry-class", "9"], 2, "1 to 8"),
        (["--salary", "6000", "--industry-class", "0"], 2, "1 to 8"),
        (["--salary", "6000", "--injury-rate", "150"], 2, "between 0 and 100"),
        (["--salary", "6000", "--industry-class", "1", "--injury-rate", "1"], 2, "not both"),
        (["--industry-class", "1"], 2, "either --salary"),
        (["--salary", "6000", "--base-min", "5000", "--base-max", "3000"], 2, "above --base-max"),
    ],
)
def test_premium_bad_input(hz, args, code, says):
    result = hz("premium", *args, "-f", "json")
    assert result.code == code
    assert says in result.err and "Traceback" not in result.err
    assert result.out == ""


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["allowance", "--care", "home"], "unknown care type 'home'"),
        (["allowance", "--care", "scattered", "--category", "adult"], "unknown category"),
        (["allowance", "--care", "scattered", "--months", "0"], "--months must be 1 to 240"),
        (["allowance", "--care", "scattered", "--growth", "3"], "go together"),
        (["allowance", "--care", "scattered", "--growth", "x", "--until", "2030"], "percentage"),
        (["allowance", "--care", "scattered", "--growth", "3", "--until", "2020"], "--until"),
        (["childcare", "--children", "0"], "--children must be"),
        (["childcare", "--children", "-3"], "--children must be"),
    ],
)
def test_allowance_and_childcare_bad_input(hz, args, says):
    result = hz(*args)
    assert result.code == 2 and says in result.err and "Traceback" not in result.err
