"""What a payroll answer holds (issues 22 and 26): headers that never collide with the
input's, in every format and language; bounds that clamp rows counted and named, and on the
rates sheet; .xlsx columns as wide as what they show; Excel's cell limit applied to every
cell; a line break of either kind in a CSV cell quoted; one registry of answer formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from hzcity.calculators.premium import AMOUNTS
from hzcity.errors import BadInput
from hzcity.i18n import said
from hzcity.labels import ANSWER_COLUMNS, PAYROLL_COLUMNS
from hzcity.output.render import FILES, Format, render
from hzcity.output.table import cells as display_cells
from hzcity.payroll.writers import open_output

FIXTURES = Path(__file__).parent / "fixtures"
USER_BOUNDS = Path(__file__).parent / "cases" / "user-params" / "bounds"
DAY = ("--industry-class", "4", "--date", "2024-06-01")

# Every header a computed column has in either language, for scripts and for people, and
# the names hzcity would rename them to: an input holding all of them at once.
COMPUTED = {said(words[key], lang) for key in AMOUNTS for lang in ("en", "zh")
            for words in (PAYROLL_COLUMNS, ANSWER_COLUMNS)}  # fmt: skip
TAKEN = [*sorted(COMPUTED), "hzcity_total", "hzcity_合计", "hzcity_计费基数",
         "hzcity_Contribution base"]  # fmt: skip
INPUT = ["姓名", "工资", *TAKEN]
VALUES = ["张三", "6000", *(f"in{i}" for i in range(len(TAKEN)))]


def _answer(hz, tmp_path: Path, lang: str, where: str) -> tuple[list[str], list[str]]:
    """The header and first row of the answer, from a file (by suffix) or standard output
    (by format), read as its reader would."""
    payroll = tmp_path / "in.csv"
    with payroll.open("w", encoding="utf-8", newline="") as file:  # headers hold commas
        csv.writer(file).writerows([INPUT, VALUES])
    args = ["--lang", lang, "premium", "--salaries", str(payroll), "--column", "工资", *DAY]
    if where.startswith("."):
        path = tmp_path / f"answer{where}"
        result = hz(*args, "--output", str(path))
        assert result.code == 0, result.err
        if where == ".xlsx":
            rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            header, first = rows.to_python()[:2]
            book = openpyxl.load_workbook(path).worksheets[0]
            assert [c.value for c in book[1]] == header
            return header, [f"{v:g}" if isinstance(v, float) else str(v) for v in first]
        text = path.read_text(encoding="utf-8-sig")
    else:
        result = hz(*args, "--format", where)
        assert result.code == 0, result.err
        text = result.out
    if where in (".jsonl", "json"):
        record = json.loads(text)[0] if where == "json" else json.loads(text.splitlines()[0])
        return list(record), [str(v) for v in record.values()]
    lines = list(
        csv.reader(io.StringIO(text, newline=""), delimiter="\t" if "tsv" in where else ",")
    )
    return lines[0], lines[1]


@pytest.mark.parametrize("where", [".xlsx", ".csv", ".tsv", ".jsonl", "csv", "tsv", "json"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headers_never_collide(hz, tmp_path, lang, where):
    """An input holding every header a computed column has, in both languages (and the
    renamed ones too): every answer header is distinct, the input's come first as they
    were, with their cells, and the computed columns follow with theirs."""
    header, first = _answer(hz, tmp_path, lang, where)
    assert len(header) == len(INPUT) + len(AMOUNTS)
    assert len(set(header)) == len(header), header
    assert header[: len(INPUT)] == INPUT
    assert first[: len(INPUT)] == VALUES
    computed = dict(zip(header[len(INPUT) :], first[len(INPUT) :], strict=True))
    assert not set(computed) & set(INPUT)
    assert [Decimal(v) for v in computed.values()] == [Decimal(v) for v in (
        "6000.00", "30.00", "30.00", "27.00", "27.00", "57.00", "30.00", "87.00")]  # fmt: skip
    people = {"zh": "hzcity_计费基数_2", "en": "hzcity_Contribution base_2"}
    wanted = people[lang] if where in (".xlsx", ".csv") else "hzcity_contribution_base"
    assert next(iter(computed)) == wanted


def test_a_renamed_column_is_said(hz, tmp_path):
    payroll = tmp_path / "in.csv"
    payroll.write_text("姓名,计费基数,单位合计\n张三,6000,x\n", encoding="utf-8")
    result = hz("--lang", "zh", "premium", "--salaries", str(payroll), *DAY, "--column",
                "计费基数", "--output", str(tmp_path / "a.xlsx"))  # fmt: skip
    assert (
        "输入已有列 计费基数、单位合计：计算结果列名为 hzcity_计费基数、hzcity_单位合计"
        in result.err
    )
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0][1]]
    assert header[:5] == ["姓名", "计费基数", "单位合计", "hzcity_计费基数", "失业保险 单位"]


def test_the_clerks_own_base_and_month_columns_stand_beside_the_computed_ones(hz, tmp_path):
    """A Harbin payroll's own 缴费基数 and 所属期 headers keep their names, and the base
    charged and the month priced get theirs: no hzcity_ prefix in the clerk's sheet."""
    payroll = tmp_path / "in.csv"
    payroll.write_text("姓名,所属期,缴费基数\n张三,2024-06,1001\n", encoding="utf-8")
    answer = tmp_path / "a.xlsx"
    result = hz("--lang", "zh", "premium", "--salaries", str(payroll), "--industry-class",
                "4", "--base-min", "4000", "--output", str(answer))  # fmt: skip
    assert result.code == 0, result.err
    header = [c.value for c in openpyxl.load_workbook(answer).worksheets[0][1]]
    assert header[:6] == ["姓名", "所属期", "缴费基数", "计费月份", "费率日期", "计费基数"]


SALARIES = ["3000", "3100", "3200", "3300", "3400", "3500", "3600", "6000", "40000", "50000.5"]


def _bounded(tmp_path: Path) -> Path:
    payroll = tmp_path / "p.csv"
    rows = "".join(f"员工{i},{s}\n" for i, s in enumerate(SALARIES))
    payroll.write_text("姓名,缴费基数\n" + rows, encoding="utf-8")
    return payroll


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_answer_for_people_has_english_words(hz, tmp_path, suffix):
    """In English, an .xlsx or a .csv for Excel says its computed columns in words, as the
    premium table does (the stable keys stay for scripts: stdout, .tsv, .jsonl)."""
    answer = tmp_path / f"a{suffix}"
    result = hz("premium", "--salaries", str(_bounded(tmp_path)), *DAY, "--output", str(answer))
    assert result.code == 0, result.err
    if suffix == ".xlsx":
        header = [c.value for c in openpyxl.load_workbook(answer).worksheets[0][1]]
    else:
        header = next(csv.reader(io.StringIO(answer.read_text(encoding="utf-8-sig"))))
    assert header == ["姓名", "缴费基数", "Contribution base", "Unemployment, employer",
                      "Unemployment, individual", "Work injury, employer", "Saved by the cut",
                      "Employer total", "Individual total", "Total"]  # fmt: skip


def test_the_totals_row_sums_the_contribution_bases(hz, tmp_path):
    """The .xlsx totals row gives the sum of the bases charged (clamped ones at their
    bound) beside the items' sums; the input's salary column is left to the clerk's own."""
    answer = tmp_path / "a.xlsx"
    result = hz("premium", "--salaries", str(_bounded(tmp_path)), *DAY, "--base-min", "4000",
                "--base-max", "30000", "--output", str(answer))  # fmt: skip
    assert result.code == 0, result.err
    last = [c.value for c in openpyxl.load_workbook(answer).worksheets[0][len(SALARIES) + 2]]
    # 7 rows at the floor, 6000, 2 at the ceiling: 4000 × 7 + 6000 + 30000 × 2
    assert last[:3] == ["Total", None, 94000]
    assert last[-1] == 1363  # 1.45% of each base, every one a whole fen: 1.45% of 94000
    assert "contribution_base" not in result.err  # the notes give the premiums' totals


@pytest.mark.parametrize("engine", ["python", "fast"])
def test_rows_a_bound_clamps_are_counted_and_named(hz, tmp_path, monkeypatch, engine):
    if engine == "python":
        monkeypatch.setenv("HZCITY_ENGINE", "python")
    payroll = _bounded(tmp_path)
    result = hz("premium", "--salaries", str(payroll), *DAY, "--base-min", "4000",
                "--base-max", "30000")  # fmt: skip
    assert result.code == 0, result.err
    bases = [line.split(",")[2] for line in result.out.splitlines()[1:]]
    assert bases == ["4000.00"] * 7 + ["6000.00", "30000.00", "30000.00"]
    places = ", ".join(f"{payroll}:{n}" for n in range(2, 7))
    assert (
        f"hzcity: note: 7 rows charged at the contribution-base floor 4000.00 (--base-min): "
        f"{places}, …\n" in result.err
    )
    assert (
        f"hzcity: note: 2 rows charged at the contribution-base ceiling 30000.00 (--base-max): "
        f"{payroll}:10, {payroll}:11\n" in result.err
    )
    # the engines agree on the answer and on every note but the one naming the engine
    monkeypatch.setenv("HZCITY_ENGINE", "python")
    reference = hz("premium", "--salaries", str(payroll), *DAY, "--base-min", "4000",
                   "--base-max", "30000")  # fmt: skip
    assert reference.out == result.out
    notes = [n for n in result.err.splitlines() if "reference engine" not in n]
    assert notes == reference.err.splitlines()


def test_bounds_are_on_the_rates_sheet_and_in_chinese(hz, tmp_path):
    payroll, answer = _bounded(tmp_path), tmp_path / "答案.xlsx"
    result = hz("--lang", "zh", "premium", "--salaries", str(payroll), *DAY, "--base-min",
                "4000", "--output", str(answer))  # fmt: skip
    assert result.code == 0, result.err
    assert f"7 行按缴费基数下限 4000.00（--base-min）计算：{payroll}:2、" in result.err
    rates = openpyxl.load_workbook(answer).worksheets[1]
    rows = [[c.value for c in row] for row in rates.iter_rows()]
    assert rows[0] == ["项目", "费率", "日期", "执行期间", "依据"]
    assert rows[-1] == ["缴费基数下限", "4000.00 元", "2024-06-01", None, "--base-min"]
    assert len(rows) == 5  # the three rates and the floor: no ceiling was given
    sheet = openpyxl.load_workbook(answer).worksheets[0]
    assert sum(1 for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == 4000) == 7


def test_bounds_from_a_users_file_are_cited(hz, tmp_path):
    payroll, answer = _bounded(tmp_path), tmp_path / "answer.xlsx"
    result = hz("premium", "--salaries", str(payroll), *DAY, "--facts-dir", str(USER_BOUNDS),
                "--output", str(answer))  # fmt: skip
    assert result.code == 0, result.err
    assert (
        "2 rows charged at the contribution-base ceiling 20000.00 (EXAMPLE — replace" in result.err
    )
    rates = [[c.value for c in row] for row in openpyxl.load_workbook(answer).worksheets[1].rows]
    floor, ceiling = rates[-2:]
    assert floor[:4] == ["Contribution-base floor", "3000.00 yuan", "2024-06-01",
                         "2024-01-01/2024-12-31"]  # fmt: skip
    assert ceiling[0] == "Contribution-base ceiling" and "[user-supplied: " in ceiling[4]


def _shown(cell: openpyxl.cell.Cell) -> int:
    """Display cells of what a spreadsheet shows in ``cell``."""
    if isinstance(cell.value, float | int) and cell.number_format == "#,##0.00":
        return len(f"{cell.value:,.2f}")
    if cell.is_date:  # yyyy-mm-dd: as long as its format
        return len(cell.number_format)
    return display_cells(str(cell.value)) if cell.value is not None else 0


def _fit(path: Path) -> None:
    """Every column of every sheet is at least as wide as what it shows (up to 60)."""
    for sheet in openpyxl.load_workbook(path).worksheets:
        for column in sheet.iter_cols():
            letter = column[0].column_letter
            widest = max(map(_shown, column))
            width = sheet.column_dimensions[letter].width
            assert min(widest, 58) + 2 <= width <= 60, (sheet.title, letter, widest, width)


def test_xlsx_columns_fit_what_they_show(hz, tmp_path):
    """The reproducer: an 18-digit ID column was written 10 characters wide."""
    answer = tmp_path / "answer.xlsx"
    result = hz("premium", "--salaries", str(FIXTURES / "clerk.xlsx"), "--sheet", "工资表",
                *DAY, "--output", str(answer))  # fmt: skip
    assert result.code == 0, result.err
    _fit(answer)
    sheet = openpyxl.load_workbook(answer).worksheets[0]
    assert sheet["C2"].value == "230102198001011234" and sheet.column_dimensions["C"].width >= 20
    payroll = tmp_path / "in.csv"  # text cells: Chinese takes two, a long remark is capped
    payroll.write_text("身份证号,姓名,备注,缴费基数\n230102198001011234,欧阳娜娜,"
                       f"{'很长的备注' * 20},1234567.5\n", encoding="utf-8")  # fmt: skip
    assert hz("premium", "--salaries", str(payroll), *DAY, "--output", str(answer)).code == 0
    _fit(answer)
    widths = openpyxl.load_workbook(answer).worksheets[0].column_dimensions
    assert (widths["A"].width, widths["B"].width, widths["C"].width) == (20, 10, 60)
    assert widths["D"].width == len("1,234,567.50") + 2


def test_a_header_longer_than_a_cell_is_refused(hz, tmp_path):
    """The reproducer: a 40,000-character header was written into an .xlsx, though a data
    cell that long was refused."""
    payroll, answer = tmp_path / "in.csv", tmp_path / "answer.xlsx"
    payroll.write_text(f"姓名,{'备' * 40_000},缴费基数\n张三,x,6000\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), *DAY, "--output", str(answer))
    assert result.code == 2
    assert "cell B1 holds 40,000 characters, beyond the 32,767 an .xlsx cell holds" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    assert hz("premium", "--salaries", str(payroll), *DAY, "--output",
              str(tmp_path / "answer.csv")).code == 0  # fmt: skip


@pytest.mark.parametrize(
    ("close", "says"),
    [
        ({"label": "合" * 32_768}, "cell A3 holds 32,768 characters"),
        ({"rates": [{"item": "x", "reference": "y" * 40_000}]}, "cell rates!B2 holds 40,000"),
    ],
)
def test_every_cell_of_an_xlsx_has_excels_limit(tmp_path, close, says):
    path = tmp_path / "out.xlsx"
    with pytest.raises(BadInput, match=says), open_output(str(path), ["a"], ["total"]) as out:
        out.write_row(["x"], [Decimal(1)])
        out.close(totals=[Decimal(1)], **close)
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_name_excel_cannot_hold_is_refused(tmp_path):
    for name in ("保险费" * 11, "a/b", ""):
        with pytest.raises(BadInput, match="cannot be named"):
            open_output(str(tmp_path / "out.xlsx"), ["a"], ["total"], sheet_titles=(name, "r"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("engine", ["python", "fast"])
def test_a_lone_cr_in_a_cell_is_quoted_in_csv(hz, tmp_path, monkeypatch, engine):
    """The reproducer: a cell holding a lone CR was written to CSV unquoted, so hzcity's own
    reader then split the row."""
    if engine == "python":
        monkeypatch.setenv("HZCITY_ENGINE", "python")
    payroll = tmp_path / "in.csv"
    payroll.write_text('姓名,备注,缴费基数\n张三,"甲\r乙",6000\n', encoding="utf-8", newline="")
    result = hz("premium", "--salaries", str(payroll), *DAY)
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out, newline="")))
    assert len(rows) == 2 and rows[1][:3] == ["张三", "甲\r乙", "6000"]
    assert '"甲\r乙"' in result.out
    again = tmp_path / "again.csv"  # hzcity reads its own answer back: one row
    again.write_text(result.out, encoding="utf-8", newline="")
    reread = hz("premium", "--salaries", str(again), "--column", "缴费基数", *DAY)
    assert reread.code == 0 and "rows: 1," in reread.err


def test_records_in_csv_quote_a_lone_cr():
    out = io.StringIO()
    render([{"note": "a\rb", "n": "1"}, {"note": "c\nd", "n": "2"}], [], Format.csv, out=out)
    assert out.getvalue() == 'note,n\n"a\rb",1\n"c\nd",2\n'


@pytest.mark.parametrize("suffix", list(FILES))
def test_every_answer_format_of_the_registry_is_written(hz, tmp_path, suffix):
    """render.FILES is the one list of answer files: each is written, in upper case too,
    and the files for scripts hold exactly what standard output holds in their format."""
    payroll = tmp_path / "in.csv"
    payroll.write_text("姓名,缴费基数\n张三,6000\n", encoding="utf-8")
    answer = tmp_path / f"ANSWER{suffix.upper()}"
    result = hz("premium", "--salaries", str(payroll), *DAY, "--output", str(answer))
    assert result.code == 0, result.err
    kind = FILES[suffix]
    if kind.rows is None:
        assert openpyxl.load_workbook(answer).worksheets[0]["A2"].value == "张三"
    elif not kind.people:
        shown = hz("premium", "--salaries", str(payroll), *DAY, "--format", kind.rows)
        assert answer.read_text(encoding="utf-8") == shown.out
    else:
        assert answer.read_bytes().startswith(b"\xef\xbb\xbf")  # for Excel
    wrong = hz("premium", "--salaries", str(payroll), "--output", str(tmp_path / "a.ods"))
    assert wrong.code == 2 and "must end in " + ", ".join(FILES) in wrong.err
