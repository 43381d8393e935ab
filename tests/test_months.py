"""A payroll month by month (issue 24): months read as clerks type them, sheets named as
months, the months lacking rates, and the month totals against sums of the rows."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from hzcity.errors import BadInput, NoRateInForce
from hzcity.payroll.months import Months, month_of, sheet_month, spans
from hzcity.policy.user import load_parameters

CASES = Path(__file__).parent / "cases" / "user-params"
AMOUNTS = (
    "contribution_base",
    "unemployment_employer",
    "unemployment_individual",
    "work_injury_employer",
    "work_injury_saving",
    "employer_total",
    "individual_total",
    "total",
)


@pytest.mark.parametrize(
    ("text", "value", "year", "month"),
    [
        ("2024-06", None, None, date(2024, 6, 1)),
        ("2024-6", None, None, date(2024, 6, 1)),
        ("2024年6月", None, None, date(2024, 6, 1)),
        ("2024年06月", None, None, date(2024, 6, 1)),
        ("2024 年 6 月", None, None, date(2024, 6, 1)),
        ("202406", 202406, None, date(2024, 6, 1)),
        ("2024/6", None, None, date(2024, 6, 1)),
        ("2024.06", None, None, date(2024, 6, 1)),
        ("2024.06", 2024.06, None, date(2024, 6, 1)),
        ("2024.1", None, None, date(2024, 1, 1)),  # typed as text: January, as written
        ("2024-06-30", None, None, date(2024, 6, 1)),
        ("2024/6/30", None, None, date(2024, 6, 1)),
        ("2024-06-30 08:00:00", None, None, date(2024, 6, 1)),
        ("", date(2024, 6, 30), None, date(2024, 6, 1)),
        ("", datetime(2024, 12, 31, 23, 59), None, date(2024, 12, 1)),
        ("２０２４年１２月", None, None, date(2024, 12, 1)),
        ("12月", None, 2024, date(2024, 12, 1)),
        ("6月份", None, 2025, date(2025, 6, 1)),
    ],
)
def test_a_month_as_clerks_type_it(text, value, year, month):
    assert month_of(text, value, year) == month


@pytest.mark.parametrize(
    ("text", "value", "why"),
    [
        ("", None, "the month cell is empty"),
        ("2024-13", None, "'2024-13' is no month"),
        ("2024-02-30", None, "'2024-02-30' is no month"),
        ("24-06", None, "'24-06' is no month"),
        ("六月", None, "'六月' is no month"),
        ("6月", None, "the month '6月' has no year: give it with --year"),
        ("2024.1", 2024.1, "the number 2024.1 may be the month 2024-01 or 2024-10"),
    ],
)
def test_what_is_no_month_says_why(text, value, why):
    with pytest.raises(BadInput) as caught:
        month_of(text, value)
    assert why in caught.value.message


@pytest.mark.parametrize(
    ("name", "titles", "year", "month"),
    [
        ("2024年12月", [], None, date(2024, 12, 1)),
        ("2024-12", [], None, date(2024, 12, 1)),
        ("202412", [], None, date(2024, 12, 1)),
        ("12月", ["2024年度工资表"], None, date(2024, 12, 1)),
        ("12月", ["2023年12月工资表"], 2024, date(2024, 12, 1)),  # --year is asked: it wins
        ("1月份", ["哈尔滨某公司 2025 年工资"], None, date(2025, 1, 1)),
        ("销售部", [], None, None),
        ("Sheet1", [], None, None),
        ("2024", [], None, None),
        ("2024-13", [], None, None),
    ],
)
def test_a_sheet_named_as_a_month(name, titles, year, month):
    assert sheet_month(name, titles, year) == month


def test_a_sheet_named_as_a_month_without_a_year_asks_for_one():
    with pytest.raises(BadInput, match="give it with --year"):
        sheet_month("12月", ["工资表"], None)


def test_months_are_said_as_runs():
    months = [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 3, 1)]
    assert spans(months) == ["2024-11…2025-01", "2025-03"]


def test_each_month_takes_the_rates_of_its_first_day():
    params = load_parameters([CASES / "months-2025"])
    months = Months(params, industry_class=4)
    june, july = months.rates(date(2025, 6, 1)), months.rates(date(2025, 7, 1))
    assert june is not None and july is not None
    assert (june.ue, june.ui, june.reduced_rate) == (
        Decimal("0.006"),
        Decimal("0.004"),
        Decimal("0.72"),
    )
    assert (july.ue, july.reduced_rate, july.limits()) == (
        Decimal("0.007"),
        Decimal("0.81"),
        (Decimal(3000), Decimal(20000)),
    )
    assert june.limits() == (None, None) and july.day == date(2025, 7, 1)
    assert months.rates(date(2024, 12, 1)) is not None  # the page's window, beside the user's
    months.check()  # nothing missing


def test_months_without_rates_make_one_error():
    months = Months(load_parameters([]), own_rate=Decimal("0.9"))
    for month in (date(2025, 2, 1), date(2024, 6, 1), date(2025, 1, 1), date(2022, 3, 1)):
        months.rates(month)
    with pytest.raises(NoRateInForce) as caught:
        months.check()
    said = caught.value.message
    assert said.startswith("no rates in force for 3 months of the payroll: ")
    assert "payroll: 2022-03, 2025-01…2025-02: unemployment-employer-rate" in said
    assert "--date 2022-03-01; hzcity rates --template DIR --date 2025-01-01" in said
    assert caught.value.exit_code == 4


def _run_json(hz, *args: str) -> list[dict]:
    result = hz("premium", *args, "--format", "json")
    assert result.code == 0, result.err
    text = result.out.strip()
    return json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines()]


MONTHS = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 13)]


def _payroll(path: Path, rows: int = 300) -> None:
    """A year and a half of salaries, months in every form, shuffled: 2024-07 to 2025-12."""
    import random

    draw = random.Random(24)
    forms = ("{y}-{m:02d}", "{y}年{m}月", "{y}{m:02d}", "{y}/{m}", "{y}.{m:02d}", "{y}-{m:02d}-15")
    lines = ["序号,姓名,所属期,缴费基数"]
    for n in range(rows):
        year, month = draw.choice(MONTHS)
        fen = draw.randint(100000, 3000000) / 100
        salary = draw.choice([f"{draw.randint(1000, 30000)}", f"{fen:.2f}"])
        lines.append(f"{n + 1},员工{n},{draw.choice(forms).format(y=year, m=month)},{salary}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _class4(hz, path: Path, *extra: str):
    """premium at industry class 4 on the payroll ``path``."""
    return hz("premium", "--salaries", str(path), "--industry-class", "4", *extra)


def test_month_totals_are_the_sums_of_the_rows(hz, tmp_path):
    """Summed here from the rows' JSON, independently of hzcity's month totals: --by month,
    the summary notes and the .xlsx month-totals sheet all agree with these sums."""
    import openpyxl

    path = tmp_path / "p.csv"
    _payroll(path)
    args = (
        "--salaries",
        str(path),
        "--industry-class",
        "5",
        "--facts-dir",
        str(CASES / "months-2025"),
    )
    rows = _run_json(hz, *args)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    heads: dict[str, int] = defaultdict(int)
    for row in rows:
        for key in AMOUNTS:
            sums[row["month"]][key] += Decimal(row[key])
            sums[row["month"][:4]][key] += Decimal(row[key])
            sums["total"][key] += Decimal(row[key])
        for label in (row["month"], row["month"][:4], "total"):
            heads[label] += 1
        assert row["date"] == row["month"] + "-01"
    totals = _run_json(hz, *args, "--by", "month")
    months = sorted({r["month"] for r in rows})
    assert [t["month"] for t in totals] == [*months, "2024", "2025", None]
    for line in totals:
        label = line["month"] or "total"
        assert line["rows"] == heads[label]
        assert {k: Decimal(line[k]) for k in AMOUNTS} == sums[label], label
    # the same figures in the month-totals sheet of the .xlsx answer
    answer = tmp_path / "answer.xlsx"
    assert hz("premium", *args, "--output", str(answer)).code == 0
    book = openpyxl.load_workbook(answer)
    assert book.sheetnames == ["premiums", "month totals", "rates"]
    sheet = list(book["month totals"].iter_rows(values_only=True))
    assert sheet[0][:4] == ("Month", "Date of the rates", "Employees", "Contribution base")
    by_label = {r[0]: r for r in sheet[1:]}
    assert set(by_label) == {
        *(t["month"] for t in totals if t["kind"] == "month"),
        "2024 total",
        "2025 total",
        "Total",
    }
    saving = AMOUNTS.index("work_injury_saving") + 3
    assert Decimal(str(by_label["Total"][saving])) == sums["total"]["work_injury_saving"]
    assert by_label["2025-07"][-2:] == ("0.7% + 0.3%", "0.99% = 1.1% × (1 − 10%)")
    # every row carries its month and the day of its rates in the answer too (as text, as
    # a CSV's dates are: a workbook's rows get a date cell)
    premiums = list(book["premiums"].iter_rows(values_only=True))
    assert premiums[0][4:6] == ("Month", "Date of the rates")
    assert premiums[1][4:6] == (rows[0]["month"], rows[0]["date"])
    # and the summary note says the file's totals
    result = hz("premium", *args)
    (summary,) = [n for n in result.err.splitlines() if n.startswith("hzcity: note: rows: ")]
    assert f"total={sums['total']['total']:.2f}" in summary
    assert f"note: 2025-07: rows: {heads['2025-07']};" in result.err


def test_the_rates_sheet_lists_every_window_used(hz, tmp_path):
    import openpyxl

    path = tmp_path / "p.csv"
    path.write_text(
        "姓名,所属期,缴费基数\na,2024-12,6000\nb,2025-01,6000\nc,2025-07,6000\nd,2025-08,6000\n",
        encoding="utf-8",
    )
    answer = tmp_path / "a.xlsx"
    result = _class4(
        hz, path, "--output", str(answer), "--facts-dir", str(CASES / "months-2025"), "--lang", "zh"
    )
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(answer)
    assert book.sheetnames == ["保险费", "月度汇总", "费率"]
    rates = list(book["费率"].iter_rows(values_only=True))
    assert rates[0][:4] == ("项目", "费率", "适用月份", "执行期间")  # months, not one day
    # the month totals' day of the rates is a date cell, as the premiums sheet's
    first = next(book["月度汇总"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[:2] == ("2024-12", datetime(2024, 12, 1))
    windows = [(r[0], r[1], r[2], r[3]) for r in rates[1:]]
    assert windows == [
        ("失业保险（单位）", "0.5%", "2024-12", "2023-05-01至2024-12-31"),
        ("失业保险（个人）", "0.5%", "2024-12", "2023-05-01至2024-12-31"),
        ("工伤保险（单位）", "0.45% = 0.9% × (1 − 50%)", "2024-12", "2023-05-01至2024-12-31"),
        ("失业保险（单位）", "0.6%", "2025-01", "2025-01-01至2025-06-30"),
        ("失业保险（个人）", "0.4%", "2025-01", "2025-01-01至2025-06-30"),
        ("工伤保险（单位）", "0.72% = 0.9% × (1 − 20%)", "2025-01", "2025-01-01至2025-06-30"),
        ("失业保险（单位）", "0.7%", "2025-07…2025-08", "2025-07-01至2025-12-31"),
        ("失业保险（个人）", "0.3%", "2025-07…2025-08", "2025-07-01至2025-12-31"),
        (
            "工伤保险（单位）",
            "0.81% = 0.9% × (1 − 10%)",
            "2025-07…2025-08",
            "2025-07-01至2025-12-31",
        ),
        # the user file's contribution-base bounds of those months (issue 22: bounds listed)
        ("缴费基数下限", "3000.00 元", "2025-07…2025-08", "2025-07-01至2025-12-31"),
        ("缴费基数上限", "20000.00 元", "2025-07…2025-08", "2025-07-01至2025-12-31"),
    ]
    header = next(book["保险费"].iter_rows(values_only=True))
    # the input has 所属期 already: the month hzcity adds has a name of its own (issue 22, 5)
    assert header[3:5] == ("计费月份", "费率日期")


def test_months_without_rates_write_nothing(hz, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("姓名,所属期,缴费基数\na,2024-12,6000\nb,2025-01,6000\n", encoding="utf-8")
    answer = tmp_path / "a.xlsx"
    for extra in ((), ("--output", str(answer)), ("--format", "json"), ("--by", "month")):
        result = _class4(hz, path, *extra)
        assert result.code == 4 and result.out == "", extra
        assert result.err.splitlines()[-1].startswith(
            "hzcity: error: no rates in force for 1 month of the payroll: 2025-01: "
        )
    assert list(tmp_path.iterdir()) == [path]


def test_the_summary_in_chinese(hz, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("姓名,所属期,缴费基数\na,2024-11,6001\nb,2024-12,6001\n", encoding="utf-8")
    result = _class4(hz, path, "--lang", "zh")
    assert result.code == 0
    assert "hzcity: note: 2024-11：行数 1；各项合计（元）：" in result.err
    result = _class4(hz, path, "--lang", "zh", "--date", "2024-06-01")
    assert result.code == 2 and "--date 与所属期列“所属期”都指定了" in result.err


def test_by_month_for_people(hz, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "姓名,所属期,缴费基数\na,2024-11,6001\nb,2024-12,6001\nc,2024-12,8000\n", "utf-8"
    )
    args = ("premium", "--salaries", str(path), "--industry-class", "4", "--by", "month")
    result = hz(*args, "--format", "table")
    assert result.code == 0, result.err
    lines = {line.split()[0]: line.split() for line in result.out.splitlines()}
    assert lines["Month"][:2] == ["Month", "Employees"]
    assert " ".join(lines["2024-12"]) == "2024-12 2 14,001.00 70.01 70.01 63.00 63.01 203.02"
    assert " ".join(lines["Total"]) == "Total 3 20,002.00 100.02 100.02 90.00 90.02 290.04"
    tsv = hz(*args, "--format", "tsv")
    assert tsv.out.splitlines()[0].startswith("kind\tmonth\tdate\trows\tcontribution_base\t")


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (("--by", "year"), "--by year: the totals are grouped by month only"),
        (("--by", "month", "--output", "x.xlsx"), "--output does not apply with --by month"),
        (("--year", "2024"), "--year does not apply to a payroll without months"),
    ],
)
def test_month_options_that_do_not_fit(hz, tmp_path, extra, says):
    path = tmp_path / "p.csv"
    path.write_text("姓名,缴费基数\na,6000\n", encoding="utf-8")
    result = _class4(hz, path, *extra)
    assert result.code == 2 and says in result.err and result.out == ""


def test_one_salary_takes_no_month_option(hz):
    result = hz("premium", "--salary", "6000", "--by", "month")
    assert result.code == 2 and "--by does not apply to one --salary" in result.err


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".xlsx"])
def test_every_answer_file_says_the_totals_of_stdout(hz, tmp_path, suffix):
    """The fast engine hands an answer for Excel to the reference engine (the months would
    change in Excel): the totals are counted once, as on stdout."""
    path = tmp_path / "p.csv"
    path.write_text("姓名,所属期,缴费基数\na,2024-11,6001\nb,2024-12,8000\n", encoding="utf-8")
    to_stdout = _class4(hz, path)
    to_file = _class4(hz, path, "--output", str(tmp_path / f"answer{suffix}"))
    assert to_file.code == to_stdout.code == 0
    totals = [line for line in to_stdout.err.splitlines() if "note: rows: 2," in line]
    assert totals == [line for line in to_file.err.splitlines() if "note: rows: 2," in line]
    assert "total=203.02" in totals[0]


CITED = (  # the bounds' reference in tests/cases/user-params/months-2025, as notes cite it
    "EXAMPLE — replace with the notice you rely on (a later one) [user-supplied: "
    f"{CASES / 'months-2025' / 'parameters' / 'rates.yaml'}]"
)


@pytest.mark.parametrize("engine", ["python", "fast"])
def test_rows_a_months_bound_clamps_are_counted_and_named(hz, tmp_path, monkeypatch, engine):
    """The floor and ceiling of July 2025 on clamp July's rows only (June has none), and the
    clerk is told which rows, as a payroll at one day's rates tells; both engines alike."""
    if engine == "python":
        monkeypatch.setenv("HZCITY_ENGINE", "python")
    path = tmp_path / "p.csv"
    rows = [
        "a,2025-06,2000",
        "b,2025-07,2000",
        "c,2025-07,2500",
        "d,2025-08,25000",
        "e,2025-08,9000",
    ]
    path.write_text("姓名,所属期,缴费基数\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = _class4(hz, path, "--facts-dir", str(CASES / "months-2025"))
    assert result.code == 0, result.err
    bases = [line.split(",")[5] for line in result.out.splitlines()[1:]]
    assert bases == ["2000.00", "3000.00", "3000.00", "20000.00", "9000.00"]
    charged = [line for line in result.err.splitlines() if "charged" in line]
    assert charged == [
        f"hzcity: note: 2 rows charged at the contribution-base floor 3000.00 ({CITED}): "
        f"{path}:3, {path}:4",
        f"hzcity: note: 1 row charged at the contribution-base ceiling 20000.00 ({CITED}): "
        f"{path}:5",
    ]
    monkeypatch.setenv("HZCITY_ENGINE", "python")
    reference = _class4(hz, path, "--facts-dir", str(CASES / "months-2025"), "--by", "month")
    assert [line for line in reference.err.splitlines() if "charged" in line] == charged


@pytest.mark.parametrize("engine", ["python", "fast"])
def test_a_clamped_row_after_a_blank_line_is_named_by_its_own_line(
    hz, tmp_path, monkeypatch, engine
):
    """The fast engine names rows by line only in a file without blank lines (its reader
    skips them); with one, the reference names them, so line numbers stay true."""
    if engine == "python":
        monkeypatch.setenv("HZCITY_ENGINE", "python")
    path = tmp_path / "p.csv"
    path.write_text("姓名,所属期,缴费基数\na,2025-07,6000\n\nb,2025-07,2000\n", encoding="utf-8")
    result = _class4(hz, path, "--facts-dir", str(CASES / "months-2025"))
    assert result.code == 0, result.err
    assert f"1 row charged at the contribution-base floor 3000.00 ({CITED}): {path}:4" in result.err


def test_the_first_note_names_the_month_column_as_it_names_the_salary_column(hz, tmp_path):
    """A clerk sees which column dated the rows, as which was charged."""
    path = tmp_path / "p.csv"
    path.write_text("姓名,费款所属期,缴费基数\na,2024-11,6001\n", encoding="utf-8")
    first = _class4(hz, path).err.splitlines()[0]
    assert first.endswith("; salary column: 缴费基数; month column: 费款所属期")
    first = _class4(hz, path, "--lang", "zh").err.splitlines()[0]
    assert first.endswith("；工资列：缴费基数；所属期列：费款所属期")
