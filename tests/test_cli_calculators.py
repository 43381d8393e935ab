"""Calculator commands end to end: payroll mode, the tables people read, and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hzcity import __version__
from hzcity.output.table import cells


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
    assert "rows: 4, bad rows skipped: 0" in result.err and "total=" in result.err
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
    assert [row["id"] for row in json.loads(result.out)] == ["1", "4"]
    assert f"skipped {path}:3:" in result.err and f"skipped {path}:4:" in result.err
    assert "rows: 2, bad rows skipped: 2" in result.err


def test_payroll_from_stdin_with_named_column(hz, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"who,pay\nx,6000\n")))
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
    for text in ("0.45% = 0.9% × (1 − 50%)", "2023-05-01/2024-12-31", "87.00",
                 "half-up to the fen", "about (左右) the benchmark rate of industry class 4",
                 "--injury-rate"):  # fmt: skip
        assert text in out


def test_today_is_the_date_in_harbin_not_the_machines(monkeypatch):
    """23:30 UTC on 1 December is already 2 December in Harbin (UTC+8)."""
    import datetime

    from hzcity.policy.timeline import today

    utc = datetime.UTC
    monkeypatch.delenv("HZCITY_TODAY")
    assert today(datetime.datetime(2026, 12, 1, 23, 30, tzinfo=utc)) == datetime.date(2026, 12, 2)
    assert today(datetime.datetime(2026, 12, 1, 15, 59, tzinfo=utc)) == datetime.date(2026, 12, 1)
    monkeypatch.setenv("HZCITY_TODAY", "2025-03-04")
    assert today() == datetime.date(2025, 3, 4)


def test_today_costs_no_zone_database():
    """Every calculator asks for today: Harbin's fixed UTC+8 needs no zoneinfo import (a
    few ms of every run) and no tzdata."""
    import subprocess
    import sys

    code = (
        "import sys, os; os.environ.pop('HZCITY_TODAY', None); "
        "from hzcity.policy.timeline import today; today(); print('zoneinfo' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_without_a_date_the_page_rates_answer_today_in_both_modes(hz):
    """The design card's examples, on 2026-12-02: the page's reduced rates of 2024-12-31,
    one note saying so, exit 0; the table's last line names the day too."""
    result = hz("premium", "--salary", "6000", "-f", "table")
    assert result.code == 0, result.err
    assert result.out.rstrip().splitlines()[-1].startswith(" rates of 2024-12-31; each item")
    assert result.err.count("hzcity: note: rates of 2024-12-31: today (2026-12-02)") == 1
    result = hz("premium", "--salary", "6000", "--industry-class", "4", "--format", "json")
    assert json.loads(result.out)["date"] == "2024-12-31" and result.code == 0


def test_the_past_note_is_said_in_chinese_before_the_command_too(hz):
    result = hz("--lang", "zh", "premium", "--salary", "6000", "--industry-class", "4",
                "-f", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert "按2024-12-31的费率计算：今天（2026-12-02）已超出其执行期间" in result.err
    assert "如有新的通知，可生成待填写的参数文件：hzcity rates --template DIR" in result.err
    again = hz("--lang=zh", "--format", "json", "premium", "--salary", "6000",
               "--industry-class", "4")  # fmt: skip
    assert (again.out, again.err) == (result.out, result.err)


def test_payroll_notes_in_chinese_name_the_amounts_as_a_clerk_does(hz, payroll_file):
    """Chinese notes say the amounts by their column names, punctuated as every label; the
    English line, which scripts may parse, keeps its keys."""
    args = ("premium", "--salaries", str(payroll_file), "--industry-class", "4")
    zh = hz(*args, "--lang", "zh").err.splitlines()
    en = hz(*args, "--lang", "en").err.splitlines()
    totals = next(line for line in zh if "行数" in line)
    assert totals.startswith(
        "hzcity: note: 行数：4，跳过的错误行：0；各项合计（元）：失业保险 单位 "
    )
    assert "_" not in totals and "=" not in totals and ", " not in totals
    rates = next(line for line in zh if "的费率：失业保险" in line)
    assert "; " not in rates and "）；工伤保险" in rates
    sums = next(
        line for line in en if line.startswith("hzcity: note: rows: 4, bad rows skipped: 0")
    )
    assert sums.split("totals: ")[1].startswith("unemployment_employer=")
    assert "); work injury " in next(line for line in en if "unemployment 0.5% employer" in line)


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--lang", "zh", "premiun"], 2, "没有名为“premiun”的命令；是否要找“premium”？"),
        (["--lang=zh", "--facts-dir", "x", "--help"], 0, "用法：hzcity [选项] 命令 [参数]..."),
        (["--format", "json", "--version"], 0, f"hzcity {__version__}"),
        (["--lang", "zh"], 2, "哈尔滨一版报纸（2023年5月31日）的有出处的数据"),
    ],
)
def test_options_before_anything_but_a_command_are_read_not_refused(hz, args, code, expected):
    """Before --help, --version, nothing, or a mistyped command the shared options set the
    language and are otherwise dropped: never 'No such option: --lang'."""
    result = hz(*args)
    assert result.code == code
    assert expected in result.out + result.err
    assert "--lang" not in result.err and "--facts-dir" not in result.err


def test_payroll_tsv_has_no_quoting_so_tabs_in_cells_become_spaces(hz, tmp_path):
    payroll = tmp_path / "p.csv"
    payroll.write_text('who,salary\n"Li\tMing",6000\n"two\nlines",5000\n', encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4",
                "--date", "2024-01-01", "-f", "tsv")  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) == 3 and all(line.count("\t") == 9 for line in lines)
    assert lines[1].startswith("Li Ming\t6000\t") and lines[2].startswith("two lines\t5000\t")


def test_payroll_pauses_the_cycle_collector_only_while_streaming(hz, tmp_path):
    import gc

    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n6000\nabc\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4",
                "--date", "2024-01-01")  # fmt: skip
    assert result.code == 2 and "p.csv:3:" in result.err  # stopped by a bad row...
    assert gc.isenabled()  # ...and the collector is back on


DAY = ("--date", "2024-01-01")


def test_one_salary_every_class_and_payroll_share_one_record(hz, tmp_path):
    """The three premium modes drifted apart once; they now print the same keys."""
    one = json.loads(hz("premium", "--salary", "6000", "--industry-class", "4", *DAY,
                        "-f", "json").out)  # fmt: skip
    by_class = json.loads(hz("premium", "--salary", "6000", *DAY, "-f", "json").out)
    assert len(by_class) == 8 and all(list(r) == list(one) for r in by_class)
    assert by_class[3] == one
    assert {"base_min", "base_max", "rounding"} <= set(one)
    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n6000\n", encoding="utf-8")
    (row,) = json.loads(hz("premium", "--salaries", str(payroll), "--industry-class", "4", *DAY,
                           "-f", "json").out)  # fmt: skip
    assert {k: row[k] for k in row if k != "salary"} == {k: one[k] for k in row if k != "salary"}


def test_payroll_without_an_injury_rate_keeps_its_columns_empty_not_missing(hz, tmp_path):
    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n6000\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), *DAY)
    header, row = list(csv.reader(io.StringIO(result.out)))
    record = dict(zip(header, row, strict=True))
    assert record["work_injury_employer"] == record["employer_total"] == record["total"] == ""
    assert record["individual_total"] == "30.00"
    assert "left empty" in result.err and " total=" not in result.err


def test_an_input_column_named_like_a_computed_one_is_never_overwritten(hz, tmp_path):
    payroll = tmp_path / "p.csv"
    payroll.write_text("name,salary,total\nLi,6000,keep me\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4", *DAY, "-f", "json")
    (row,) = json.loads(result.out)
    assert row["total"] == "keep me" and row["hzcity_total"] == "87.00"
    assert "hzcity_total" in result.err


def test_rates_never_print_in_scientific_notation(hz):
    result = hz("premium", "--salary", "6000", "--injury-rate", "20", *DAY, "-f", "json")
    assert json.loads(result.out)["work_injury_reduced_rate"] == "10"
    table = hz("premium", "--salary", "6000", "--injury-rate", "20", *DAY, "-f", "table").out
    assert "10% = 20% × (1 − 50%)" in table and "E+" not in table


@pytest.mark.parametrize(
    "extra",
    [
        ["--category", "hiv"],
        ["--year", "2021"],
        ["--months", "6"],
        ["--student"],
        ["--school-years", "2"],
    ],
)
def test_a_projection_refuses_options_it_would_ignore(hz, extra):
    result = hz("allowance", "--care", "scattered", "--growth", "3", "--until", "2024", *extra)
    assert result.code == 2 and extra[0] in result.err and result.out == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("engine", ["python", "fast"])
def test_a_long_payroll_shows_progress_on_a_terminal_only(hz, tmp_path, monkeypatch, engine):
    from hzcity.cli import progress

    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n" + "6000\n" * 10_000, encoding="utf-8")
    args = ("premium", "--salaries", str(payroll), "--industry-class", "4", *DAY)
    monkeypatch.setenv("HZCITY_ENGINE", engine)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    plain = hz(*args)
    assert "rows/s" not in plain.err  # stderr is not a terminal here: no bar
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert hz(*args).out == plain.out
    assert (
        "hzcity: 8,192 rows" in terminal.getvalue() or "hzcity: 10,000 rows" in terminal.getvalue()
    )


@pytest.mark.parametrize(
    ("lang", "words", "codes"),
    [
        ("zh", ["月标准（元）", "期间合计（元）", "散居养育", "事实无人抚养儿童", "助学金（元）"],
         ["monthly_standard", "period_total", "institutional", "unsupported", "granted"]),
        ("en", ["Monthly standard", "scattered (family) care", "de facto unsupported child"],
         ["monthly_standard", "period_total", "same-as-orphan", "granted"]),
    ],
)  # fmt: skip
def test_allowance_card_reads_in_the_language_asked(hz, monkeypatch, lang, words, codes):
    monkeypatch.setenv("COLUMNS", "80")
    args = ("allowance", "--care", "scattered", "--category", "unsupported", "--student")
    result = hz(*args, "-f", "table", "--lang", lang)
    assert all(w in result.out for w in words) and not any(c in result.out for c in codes)
    lines = result.out.splitlines()
    # amounts end in one column, grouped alike from four digits on (2,255.00 over
    # 27,060.00); the rules follow as sentences, the school grant's included
    amounts = ("2,255.00", "27,060.00", "10,000.00", "37,060.00")
    ends = {cells(line) for line in lines if line.endswith(amounts)}
    assert len(ends) == 1 and sum(line.endswith(amounts) for line in lines) == 4
    assert "civil-affairs.school-grant" in result.out and all(cells(x) <= 80 for x in lines)
    record = json.loads(hz(*args, "-f", "json").out)
    assert (record["standard_rule"], record["grant_rule"]) == ("same-as-orphan", "granted")


def test_childcare_card_names_its_rule_and_standing(hz):
    out = hz("childcare", "--children", "3", "-f", "table", "--lang", "zh").out
    assert "在托人数" in out and "7,200.00" in out and "将建立" in out
    assert "per_child_per_month" not in out
    assert json.loads(hz("childcare", "--children", "3", "-f", "json").out)["total"] == "7200.00"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_premium_items_keep_one_line_with_their_references_as_notes(hz, monkeypatch, lang):
    monkeypatch.setenv("COLUMNS", "80")
    args = ("premium", "--salary", "6000", "--industry-class", "4", "--date", "2024-06-01")
    lines = hz(*args, "-f", "table", "--lang", lang).out.splitlines()
    assert all(cells(line) <= 80 for line in lines)
    items = [line for line in lines if "]  " in line]
    assert [line.split()[-1] for line in items] == ["30.00", "30.00", "27.00"]  # one line each
    notes = [line for line in lines if line.startswith(" [")]
    window = "2023-05-01至2024-12-31" if lang == "zh" else "2023-05-01/2024-12-31"
    for note, fact_id in zip(notes, ("insurance.unemployment-employer-rate",
                                     "insurance.unemployment-individual-rate",
                                     "insurance.work-injury-cut"), strict=True):  # fmt: skip
        assert f"{fact_id} —" in note and window in note  # ids whole


def test_a_base_raised_to_a_floor_is_said_under_the_table(hz):
    out = hz("premium", "--salary", "2500", "--industry-class", "4", *DAY, "--base-min", "3000",
             "-f", "table").out  # fmt: skip
    assert "Contribution base[1]" in out and "3000.00" in out
    assert "[1] the salary 2500.00 is below the contribution-base floor: 3000.00" in out


def test_every_class_says_why_the_base_is_not_the_salary(hz):
    out = hz("premium", "--salary", "3000", "--base-min", "4000", *DAY, "-f", "table").out
    assert "the salary 3000.00 is below the contribution-base floor: 4000.00" in out


def test_a_bad_json_line_is_never_lost_while_the_header_is_sought(hz, monkeypatch):
    data = b'{"a":1}\n[1]\n{"b":2}\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = hz("premium", "--salaries", "-", "--industry-class", "4", *DAY)
    assert result.code == 2 and "<stdin>:2: not a JSON object" in result.err


@pytest.mark.parametrize(
    ("content", "flag", "value"),
    [("salary\n6000\n", "--sheet", "2"), ('{"salary": 6000}\n', "--delimiter", ";"),
     ('{"salary": 6000}\n', "--header-row", "1")],
)  # fmt: skip
def test_an_option_the_file_cannot_use_is_refused(hz, tmp_path, content, flag, value):
    path = tmp_path / "p.txt"
    path.write_text(content, encoding="utf-8")
    result = hz("premium", "--salaries", str(path), "--industry-class", "4", *DAY, flag, value)
    assert result.code == 2 and f"{flag} does not apply to this file" in result.err


def test_a_projection_writes_its_growth_with_the_times_sign_as_premium_does(hz):
    result = hz("allowance", "--care", "institutional", "--growth", "3", "--until", "2024",
                "-f", "tsv")  # fmt: skip
    how = [line.split("\t")[-1] for line in result.out.splitlines()[2:]]
    assert how == ["2585 × (1 + 3%)", "2662.55 × (1 + 3%)"]


def test_a_payroll_format_it_cannot_write_is_refused_before_any_note(hz, payroll_file):
    """A usage mistake is said alone: no note about the day's rates before it."""
    result = hz("premium", "--salaries", str(payroll_file), "-f", "table")
    assert result.code == 2
    assert result.err.startswith("hzcity: error: payroll mode writes csv, tsv, json (one array)")
