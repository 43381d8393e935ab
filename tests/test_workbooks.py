"""A clerk's 工资表 as LibreOffice writes it (issue 16), as .xlsx, .ods and .xls: right totals
with no flag, footer and total rows named, the answer .xlsx read back as the clerk would see
it, and the answers opened again in LibreOffice.

Each test runs on the small workbooks checked in under tests/fixtures/ (made by LibreOffice
once, see tests/clerk_workbook.py) and, where soffice is installed, on workbooks LibreOffice
makes for this run: one LibreOffice start per format, with a profile and HOME of its own."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import clerk_workbook as clerk
import openpyxl
import pytest

COMPUTED = ["contribution_base", "unemployment_employer", "unemployment_individual",
            "work_injury_employer", "work_injury_saving", "employer_total",
            "individual_total", "total"]  # fmt: skip
COMPUTED_ZH = ["计费基数", "失业保险 单位", "失业保险 个人", "工伤保险 单位", "工伤保险 减征额",
               "单位合计", "个人合计", "合计"]  # fmt: skip
# the same columns as an answer for people shows them in English (.xlsx, .csv for Excel)
COMPUTED_EN = ["Contribution base", "Unemployment, employer", "Unemployment, individual",
               "Work injury, employer", "Saved by the cut", "Employer total",
               "Individual total", "Total"]  # fmt: skip
RUN = ("premium", "--industry-class", "4", "--date", "2024-05-31")
# the clerk's workbook holds employee rows on two sheets (工资表 and 4月): one is named
PAYROLL = ("--sheet", clerk.SHEET)
IDS = [row[clerk.ID_COLUMN] for row in clerk.EMPLOYEES]


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory for LibreOffice (its profile and HOME live there)."""
    if clerk.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the checked-in fixtures stand in")
    return tmp_path_factory.mktemp("libreoffice")


@pytest.fixture(scope="session")
def made_now(libreoffice: Path) -> dict[str, Path]:
    return clerk.made_by_libreoffice(libreoffice)


@pytest.fixture(params=["checked-in", pytest.param("made-now", marks=pytest.mark.office)])
def books(request: pytest.FixtureRequest) -> dict[str, Path]:
    """The clerk's workbook by format: the checked-in copies, or made by LibreOffice now."""
    if request.param == "checked-in":
        return {fmt: clerk.FIXTURES / f"clerk.{fmt}" for fmt in clerk.FORMATS}
    made: dict[str, Path] = request.getfixturevalue("made_now")
    return made


def single(hz, base: Decimal) -> dict[str, str]:
    """The premium of one salary, computed by the single-salary command (another path)."""
    result = hz(*RUN, "--salary", str(base), "--format", "json")
    assert result.code == 0, result.err
    answer: dict[str, str] = json.loads(result.out)
    return answer


@pytest.mark.parametrize("fmt", clerk.FORMATS)
def test_the_clerks_workbook_gives_the_right_totals_with_no_flag(hz, books, fmt):
    book = books[fmt]
    result = hz(*RUN, "--salaries", str(book), *PAYROLL, "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [Decimal(r["contribution_base"]) for r in rows] == clerk.bases()
    assert [r["身份证号"] for r in rows] == IDS and rows[1]["姓名"] == "=李四"
    for row, base in zip(rows, clerk.bases(), strict=True):
        one = single(hz, base)
        assert {k: row[k] for k in COMPUTED} == {k: one[k] for k in COMPUTED}
    sums = ", ".join(f"{k}={sum(Decimal(r[k]) for r in rows)}" for k in COMPUTED[1:])
    assert f"rows: {len(clerk.EMPLOYEES)}, bad rows skipped: 0; totals: {sums}" in result.err
    # the =SUM() row and the signature line are named, not taken for employees: the total
    # by its salary cell and the figure it carried
    where = f"{book}:{clerk.SHEET}!"
    carried = sum(clerk.bases())  # as the sheet's General format shows it
    assert f"{where}G{clerk.TOTAL_ROW}: total row skipped: 合计; it carried {carried}" in result.err
    assert f"{where}A{clerk.FOOTER_ROW}: footer row skipped: {clerk.FOOTER}" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("fmt", clerk.FORMATS)
def test_two_sheets_of_employees_are_refused_naming_each_with_its_rows(hz, books, fmt):
    result = hz(*RUN, "--salaries", str(books[fmt]))
    assert result.code == 2 and result.out == ""
    (line,) = [x for x in result.err.splitlines() if "error" in x]
    assert f"2 sheets hold employee rows: '{clerk.SHEET}' (3 rows), '{clerk.OTHER}' (1 row); " \
        "choose one with --sheet NAME" in line  # fmt: skip


@pytest.mark.parametrize("fmt", clerk.FORMATS)
def test_a_notes_sheet_is_refused_naming_the_sheets_with_a_salary_column(hz, books, fmt):
    result = hz(*RUN, "--salaries", str(books[fmt]), "--sheet", clerk.NOTES)
    assert result.code == 2 and result.out == ""
    (line,) = [x for x in result.err.splitlines() if "error" in x]
    assert f"{clerk.NOTES!r} has no salary column" in line
    assert f"sheets with one: {clerk.SHEET}, {clerk.OTHER};" in line


def number(value: object) -> Decimal:
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return Decimal(str(value))


@pytest.mark.parametrize("fmt", clerk.FORMATS)
def test_the_xlsx_answer_keeps_the_clerks_data_as_it_was(hz, books, fmt, tmp_path):
    answer = tmp_path / "答案.xlsx"
    result = hz(*RUN, "--salaries", str(books[fmt]), *PAYROLL, "--lang", "zh",
                "--output", str(answer))  # fmt: skip
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(answer).worksheets[0]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == clerk.HEADER + COMPUTED_ZH
    employees, totals = rows[1:-1], rows[-1]
    assert len(employees) == len(clerk.EMPLOYEES)
    for cells, typed in zip(employees, clerk.EMPLOYEES, strict=True):
        the_id, hired = cells[clerk.ID_COLUMN], cells[clerk.DATE_COLUMN]
        assert (the_id.data_type, the_id.value) == ("s", typed[clerk.ID_COLUMN])
        assert hired.is_date and hired.value == datetime.combine(typed[clerk.DATE_COLUMN],
                                                                 datetime.min.time())  # fmt: skip
        assert "yy" in hired.number_format and "dd" in hired.number_format
        assert (cells[1].data_type, cells[1].value) == ("s", typed[1])  # "=李四" stays text
        amounts = cells[5:]  # gross pay, the base and the computed columns
        assert all(c.number_format == "#,##0.00" for c in amounts)
        assert [number(c.value) for c in amounts[:3]] == [
            Decimal(str(typed[5])), Decimal(str(typed[6])), Decimal(str(typed[6]))]  # fmt: skip
    # the totals row is the sum of the rows above it, column by column
    assert totals[0].value == "合计"
    for column in range(len(clerk.HEADER) + 1, len(rows[0])):
        assert number(totals[column].value) == sum(number(r[column].value) for r in employees)
    # the ID column the clerk hid stays hidden (an .xls's hidden columns are read by xlrd)
    assert sheet.column_dimensions["C"].hidden
    assert not sheet.column_dimensions["B"].hidden
    import python_calamine

    read = python_calamine.CalamineWorkbook.from_path(str(answer))
    got = read.get_sheet_by_index(0).to_python()
    assert [r[clerk.ID_COLUMN] for r in got[1:-1]] == IDS
    assert [r[clerk.DATE_COLUMN] for r in got[1:-1]] == [r[4] for r in clerk.EMPLOYEES]
    assert [Decimal(str(r[clerk.SALARY_COLUMN])) for r in got[1:-1]] == clerk.bases()


@pytest.fixture(scope="session")
def answers_opened_in_libreoffice(libreoffice: Path, made_now: dict[str, Path]):
    """The clerk's LibreOffice .xlsx answered as .xlsx and as .csv for Excel, each opened
    by LibreOffice again and saved as UTF-8 CSV: what the clerk's office suite reads."""
    work = libreoffice / "answers"
    work.mkdir()
    made: dict[str, Path] = {}
    for suffix in ("xlsx", "csv"):
        answer = work / f"answer-{suffix}.{suffix}"
        subprocess.run([sys.executable, "-m", "hzcity", *RUN, "--salaries",
                        str(made_now["xlsx"]), *PAYROLL, "--output", str(answer)],
                       check=True, capture_output=True, timeout=60)  # fmt: skip
        made[suffix] = answer
    json_rows = subprocess.run([sys.executable, "-m", "hzcity", *RUN, "--salaries",
                                str(made_now["xlsx"]), *PAYROLL, "--format", "json"],
                               check=True, capture_output=True, timeout=60).stdout  # fmt: skip
    read_back = {}
    for suffix, infilter in (("xlsx", None), ("csv", clerk.CSV_UTF8_IN)):
        out = work / f"from-{suffix}"
        out.mkdir()
        (read_back[suffix],) = clerk.convert([made[suffix]], clerk.CSV_UTF8, out, libreoffice,
                                             infilter=infilter)  # fmt: skip
    expected = json.loads(json_rows)
    return read_back, expected


@pytest.mark.parametrize("answer", ["xlsx", "csv"])
def test_libreoffice_reads_the_answers_ids_digit_for_digit(answers_opened_in_libreoffice,
                                                           answer):  # fmt: skip
    read_back, expected = answers_opened_in_libreoffice
    with open(read_back[answer], encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    header = clerk.HEADER + COMPUTED_EN
    assert rows[0] == header
    employees = rows[1 : 1 + len(clerk.EMPLOYEES)]
    assert [r[clerk.ID_COLUMN] for r in employees] == IDS
    for row, want in zip(employees, expected, strict=True):
        keys = ["应发工资", "社保缴费基数", *COMPUTED]
        for name, key in zip(["应发工资", "社保缴费基数", *COMPUTED_EN], keys, strict=True):
            shown = row[header.index(name)].replace(",", "").lstrip("¥")
            assert Decimal(shown) == Decimal(want[key]), (name, row)
        # the CSV for Excel writes a cell starting with "=" behind a quote, as OWASP advises
        quoted = answer == "csv" and want["姓名"].startswith("=")
        assert row[1] == ("'" if quoted else "") + want["姓名"]
        assert date.fromisoformat(row[clerk.DATE_COLUMN]) == date.fromisoformat(want["入职日期"])
