"""A catalogue of bad input across every command: one clear stderr line, the right exit code."""

from __future__ import annotations

import pytest

W = ["--date", "2024-01-01"]  # a day inside the documented window
P = ["premium", "--industry-class", "4", *W]

BAD = [
    # (argv, exit code, words the one-line message must hold)
    (["premium", "--salary", "", *W], 2, "not an amount"),
    ([*P, "--salary", "-6000"], 2, "not an amount"),
    ([*P, "--salary", "-6000"], 2, "must be greater than 0"),
    ([*P, "--salary", "0"], 2, "greater than 0"),
    ([*P, "--salary", "0.00"], 2, "greater than 0"),
    ([*P, "--salary", "abc"], 2, "not an amount"),
    ([*P, "--salary", "６０００．５５５"], 2, "at most 2 decimals"),  # full-width, as a cell
    ([*P, "--salary", "NaN"], 2, "not an amount"),
    ([*P, "--salary", "inf"], 2, "not an amount"),
    ([*P, "--salary", "-Infinity"], 2, "not an amount"),
    ([*P, "--salary", "1e400"], 2, "not an amount"),
    ([*P, "--salary", "6000.001"], 2, "at most 2 decimals"),
    ([*P, "--salary", "6,0015"], 2, "not an amount"),  # commas group digits by three
    ([*P, "--salary", "6,00"], 2, "not an amount"),
    ([*P, "--salary", "60,00.50"], 2, "not an amount"),
    ([*P, "--salary", "0,600"], 2, "not an amount"),
    ([*P, "--salary", "6,000.505"], 2, "at most 2 decimals"),
    ([*P, "--salary", "６，０００，０"], 2, "not an amount"),  # full-width commas misplaced
    ([*P, "--salary", "?6,001.00"], 2, "a currency sign (¥) was, lost"),  # a GBK export's ¥
    ([*P, "--salary", "¥-6000"], 2, "must be greater than 0"),
    ([*P, "--salary", "¥¥6000"], 2, "not an amount"),
    ([*P, "--salary", "99,999,999"], 2, "check the figure"),
    ([*P, "--salary", "99999999"], 2, "check the figure"),
    (
        ["premium", "--salary", "6000", "--date", "2024-02-30"],
        2,
        "'2024-02-30' is no day of the calendar: 2024-02 has 29 days",
    ),
    (["premium", "--salary", "6000", "--date", "yesterday"], 2, "not a date"),
    (["premium", "--salary", "6000", "--date", "2023-04-30"], 4, "2023-05-01/2024-12-31"),
    (["premium", "--salary", "6000", "--date", "2025-01-01"], 4, "nothing in force"),
    (["premium", "--salary", "6000", "--industry-class", "9", *W], 2, "1 to 8"),
    (["premium", "--salary", "6000", "--industry-class", "0", *W], 2, "1 to 8"),
    (["premium", "--salary", "6000", "--industry-class", "x", *W], 2, "is not a valid int"),
    (["premium", "--salary", "6000", "--injury-rate", "150", *W], 2, "above 0 and below 100"),
    (["premium", "--salary", "6000", "--injury-rate", "0", *W], 2, "above 0 and below 100"),
    (["premium", "--salary", "6000", "--injury-rate", "abc%", *W], 2, "not a percentage"),
    # more decimals than any rate has: the product could outgrow Decimal's exact digits
    (["premium", "--salary", "9999999.99", "--injury-rate", "51.000000001", *W], 2, "4 decimals"),
    (["premium", "--salary", "6000", "--injury-rate", "1", *P[1:]], 2, "not both"),
    (["premium", *W], 2, "either --salary"),
    ([*P, "--salary", "6000", "--output", "x.xlsx"], 2, "--output does not apply to one --salary"),
    ([*P, "--salary", "6000", "--sheet", "2", "--skip-bad-rows"], 2, "--sheet, --skip-bad-rows do"),
    (["allowance", "--care", "scattered", "--school-years", "3"], 2, "without --student"),
    (["events", "--ics", "--format", "json"], 2, "--format does not apply with --ics"),
    ([*P, "--salary", "6000", "--base-min", "5000", "--base-max", "3000"], 2, "above its ceiling"),
    ([*P, "--salary", "6000", "--base-min", "-1"], 2, "--base-min"),
    ([*P, "--salary", "6000", "--format", "yaml"], 2, "'yaml' is not one of"),
    ([*P, "--salaries", "/no/such/file.csv"], 2, "cannot read"),
    ([*P, "--salaries", "/no/such/file.csv", "--format", "table"], 2, "csv, tsv, json (one array)"),
    (["facts", "educaton"], 1, "did you mean education"),
    (["facts", "../../etc/passwd"], 1, "unknown topic"),
    (["facts", "education", "--kind", "goal"], 2, "unknown kind 'goal'"),
    (["facts", "--lang", "fr"], 2, "'fr' is not one of"),
    (["facts", "--format", "xml"], 2, "'xml' is not one of"),
    (["show", "no-such-id"], 1, "unknown fact id"),
    (["show", "education.funding-2023"], 1, "education.funding-2022"),
    (["search", "   "], 2, "search needs a word"),
    (["topcis"], 2, "No such command"),
    (["allowance", "--care", "home"], 2, "unknown care type 'home'"),
    (["allowance"], 2, "Missing option '--care'"),
    (["allowance", "--care", "scattered", "--category", "adult"], 2, "unknown category"),
    (["allowance", "--care", "scattered", "--months", "0"], 2, "--months: must be 1 to 240"),
    (["allowance", "--care", "scattered", "--months", "1.5"], 2, "is not a valid int"),
    (["allowance", "--care", "scattered", "--year", "2019"], 4, "2022"),
    # years date() cannot hold (nor the year after them, for a derived standard)
    (["allowance", "--care", "institutional", "--year", "10000"], 2, "--year: must be 1 to"),
    (["allowance", "--care", "institutional", "--year", "9999"], 2, "--year: must be 1 to"),
    (["allowance", "--care", "institutional", "--year", "0"], 2, "--year: must be 1 to"),
    (["allowance", "--care", "institutional", "--year", "-1"], 2, "--year: must be 1 to"),
    (["allowance", "--care", "institutional", "--year", "9" * 23], 2, "--year: must be 1 to"),
    (["rates", "--date", "0000-01-01"], 2, "'0000-01-01' is no day of the calendar"),
    (["premium", "--salary", "6000", "--date", "99999-01-01"], 2, "not a date"),
    (["allowance", "--care", "scattered", "--growth", "3"], 2, "go together"),
    (["allowance", "--care", "scattered", "--growth", "x", "--until", "2030"], 2, "percentage"),
    (["allowance", "--care", "scattered", "--growth", "3", "--until", "2020"], 2, "--until"),
    (["allowance", "--care", "scattered", "--growth", "3", "--until", "99999"], 2, "--until"),
    (["childcare", "--children", "0"], 2, "--children: must be"),
    (["childcare", "--children", "-3"], 2, "--children: must be"),
    (["childcare", "--children", "5", "--months", "1000"], 2, "--months: must be"),
    (["validate", "/no/such/dir"], 3, "no such file"),
    (["topics", "--facts-dir", "/no/such/dir"], 3, "does not exist"),
]


@pytest.mark.parametrize(("argv", "code", "says"), BAD, ids=[" ".join(a) for a, _, _ in BAD])
def test_bad_input_gets_one_clear_line(hz, argv, code, says):
    result = hz(*argv)
    assert result.code == code, result.err
    assert says in result.err
    assert "Traceback" not in result.err and result.out == ""
    if code != 2:  # our own errors are one line; Typer's usage errors add a usage hint
        assert result.err.count("\n") == 1 and result.err.startswith("hzcity: error: ")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("", "empty input"),
        ("name,amount\nA,6000\n", "which column holds the salary"),
        ("name,基本工资,实发工资\nA,6000,5000\n", "never the base by themselves"),
        ("salary\n6000\n6000,extra\n", ":3: expected 1 fields, found 2"),
        ('salary\n"6000\n', ":2:"),  # an unclosed quote swallows the rest
        ("salary\n6000.5.5\n", ":2: salary '6000.5.5'"),
    ],
)
def test_malformed_payroll(hz, tmp_path, content, says):
    path = tmp_path / "payroll.csv"
    path.write_text(content, encoding="utf-8")
    result = hz(*P, "--salaries", str(path))
    assert result.code == 2 and says in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "argv",
    [
        ["premium", "--salary"],  # an option missing its value
        ["rates", "--lang"],
        ["events", "--ics=yes"],  # a flag given a value
        ["--version=3"],
        ["premium", "--bogus"],
    ],
    ids=" ".join,
)
def test_every_usage_error_carries_the_usage_hint(hz, argv):
    result = hz(*argv)
    command = "hzcity" if argv[0].startswith("-") else f"hzcity {argv[0]}"
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(f"Usage: {command} ")
    assert f"Try '{command} --help' for help." in result.err


@pytest.mark.parametrize(
    "argv",
    [
        ["premium", "--salary", "6000"],
        ["premium", "--salary", "6000", "--industry-class", "4"],
        ["rates"],
        ["rates", "--template", "-"],
        ["allowance", "--care", "scattered"],
        ["childcare", "--children", "2"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("bad", ["yesterday", "20240601", "2024-W22-6", "2024", "2024-6-1"])
def test_a_bad_date_is_one_message_naming_the_option_in_every_command(hz, argv, bad):
    result = hz(*argv, "--date", bad)
    assert result.code == 2 and result.out == ""
    assert result.err == (f"hzcity: error: --date: '{bad}' is not a date: give YYYY-MM-DD, "
                          "YYYY-MM (a month: its first day) or today\n")  # fmt: skip
