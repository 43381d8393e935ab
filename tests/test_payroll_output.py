"""Payroll answers in files: Excel-bound CSV, plain TSV and JSON lines, and .xlsx read back."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
import pytest

from hzcity.errors import BadInput
from hzcity.payroll.writers import neutralised, open_output

HEADER = ["姓名", "扣款", "缴费基数"]
COMPUTED = ["unemployment_employer", "total"]
ROWS = [
    ['=HYPERLINK("http://x","张三")', "-500", "6000"],
    ["+cmd|' /C calc'!A0", "-1,200.5", "6,001.50"],
    ["@SUM(A1:A2)", "\t-x", "#N/A"],
    ["bell\x07", "", ""],  # a control character no workbook may hold
]
AMOUNTS = [
    [Decimal("30.00"), Decimal("87.00")],
    [Decimal("30.01"), Decimal("87.02")],
    [Decimal("0.05"), Decimal("0.15")],
    [None, None],
]
RATES = [
    {"item": "Unemployment, employer", "rate": "0.5%", "window": "2023-05-01/2024-12-31",
     "reference": "insurance.unemployment-employer-rate"},
    {"item": "Work injury, employer", "rate": "0.45%", "window": "2023-05-01/2024-12-31",
     "reference": "人社部发〔2015〕71号"},
]  # fmt: skip


def write(path, rows=ROWS, amounts=AMOUNTS, values=None, **close):
    with open_output(str(path), HEADER, COMPUTED, source="/in/payroll.csv", salary=2,
                     hidden={1}) as out:  # fmt: skip
        for n, (row, computed) in enumerate(zip(rows, amounts, strict=True)):
            out.write_row(row, computed, values[n] if values else None)
        out.close(**close)
    return path


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|x", "'+cmd|x"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-500", "-500"),  # a negative number is data, not a formula
        ("-1,200.50", "-1,200.50"),
        ("+86", "+86"),
        ("张三", "张三"),
        ("a=b", "a=b"),
    ],
)
def test_neutralised(cell, safe):
    assert neutralised(cell) == safe


def test_csv_for_excel_on_chinese_windows(tmp_path):
    data = write(tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d,") and data.count(b"\r\n") == 5
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[1] == '"\'=HYPERLINK(""http://x"",""张三"")",-500,6000,30.00,87.00'
    assert lines[2].startswith('\'+cmd|\' /C calc\'!A0,"-1,200.5","6,001.50",30.01')
    assert lines[3] == "'@SUM(A1:A2),'\t-x,#N/A,0.05,0.15"


def test_csv_for_excel_keeps_an_ids_digits_and_says_so(tmp_path):
    path = tmp_path / "out.csv"
    with open_output(str(path), ["身份证号", "工号", "入职"], ["total"]) as out:
        out.write_row(["230102198001011234", "007", "1-2"], [Decimal("1.00")])
        out.close()
    assert (
        path.read_text("utf-8-sig").splitlines()[1]
        == '"=""230102198001011234""","=""007""",1-2,1.00'
    )
    kept, changed = (n.says("en") for n in out.notes)
    assert "written as" in kept and "230102198001011234" in kept and ".xlsx" in kept
    assert "'1-2'" in changed and "write .xlsx" in changed


def test_tsv_and_jsonl_are_plain_and_faithful(tmp_path):
    tsv = write(tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert tsv.splitlines()[0] == "\t".join(HEADER + COMPUTED)
    assert tsv.splitlines()[1].startswith('=HYPERLINK("http://x","张三")\t-500\t')
    assert "'" not in tsv.replace("' /C calc'", "")
    lines = write(tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    expected = [
        dict(
            zip(HEADER + COMPUTED, r + [str(a) if a is not None else None for a in am], strict=True)
        )
        for r, am in zip(ROWS, AMOUNTS, strict=True)
    ]
    assert [json.loads(line) for line in lines] == expected


def test_xlsx_read_back(tmp_path):
    totals = [Decimal("60.06"), Decimal("174.17")]
    path = write(tmp_path / "out.xlsx", totals=totals, label="合计", rates=RATES)
    book = openpyxl.load_workbook(path)  # formulas, if any, would come back as '=...'
    sheet, rates = book.worksheets
    assert (sheet.title, rates.title, sheet.freeze_panes) == ("premiums", "rates", "A2")
    assert [c.value for c in sheet[1]] == HEADER + COMPUTED and all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["B"].hidden and not sheet.column_dimensions["A"].hidden
    name, deduction, base, employer, total = sheet[2]
    assert (name.data_type, name.value) == ("s", '=HYPERLINK("http://x","张三")')
    # input cells that are plain numbers stay numbers, so a clerk's SUM over them works;
    # amounts, the salary column's and the computed ones, share one grouped format
    assert (deduction.value, base.value, base.number_format) == (-500, 6000, "#,##0.00")
    assert (employer.value, employer.number_format, total.value) == (30, "#,##0.00", 87)
    assert [(c.data_type, c.value) for c in sheet[4][:3]] == [
        ("s", "@SUM(A1:A2)"), ("s", "\t-x"), ("s", "#N/A")]  # fmt: skip
    assert sheet["A5"].value == "bell\ufffd"
    assert [c.value for c in sheet[6]] == ["合计", None, None, 60.06, 174.17]
    assert sheet[6][0].font.b and sheet.max_row == 6
    # the totals row is the sum of the rows above it
    assert sum(Decimal(str(r[3].value)) for r in sheet.iter_rows(2, 5) if r[3].value) == totals[0]
    assert [[c.value for c in row] for row in rates.iter_rows()] == [
        list(RATES[0]), *[list(r.values()) for r in RATES]]  # fmt: skip


def test_xlsx_keeps_a_workbooks_cells_as_typed(tmp_path):
    values = [
        ["张三", date(2009, 7, 6), 6001.5],
        ["230102198001011234", datetime(2010, 1, 2, 8, 30), 8000],
        [True, time(9, 0), 6500.25],
        ["", "", 1],
    ]
    rows = [[str(v) for v in r] for r in values]
    path = write(tmp_path / "out.xlsx", rows=rows, values=values)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    _, b, c = sheet[2][:3]
    assert b.value == datetime(2009, 7, 6) and b.number_format == "yyyy-mm-dd"
    assert (c.value, c.number_format) == (6001.5, "#,##0.00")
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "230102198001011234"
    assert sheet["B3"].value == datetime(2010, 1, 2, 8, 30)
    assert sheet["A4"].value is True and sheet["B4"].value == time(9, 0)
    import python_calamine

    read = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    got = read.to_python()
    assert got[1][:3] == ["张三", date(2009, 7, 6), 6001.5] and got[2][0] == "230102198001011234"


def test_xlsx_refuses_what_it_cannot_hold(tmp_path):
    path = tmp_path / "out.xlsx"
    with pytest.raises(BadInput, match="32,767"), open_output(str(path), ["a"], ["total"]) as out:
        out.write_row(["x" * 40_000], [Decimal(1)])
    with pytest.raises(BadInput, match="16,384"):
        open_output(str(path), [str(i) for i in range(20_000)], ["total"])
    assert list(tmp_path.iterdir()) == []


def test_overwrite_is_all_or_nothing(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_text("the previous answer")
    with pytest.raises(ZeroDivisionError), open_output(str(path), HEADER, COMPUTED) as out:
        out.write_row(ROWS[0], AMOUNTS[0])
        raise ZeroDivisionError  # the engine failing halfway
    assert path.read_text() == "the previous answer"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no draft left behind
    write(path)
    assert openpyxl.load_workbook(path).active.max_row == 5


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing/out.csv", "no such directory"),
        ("in.csv", "is the input file"),
        ("link.csv", "is the input file"),  # the same file by another path
        ("out.xls", "must end in .csv, .tsv, .json, .jsonl, .xlsx"),
    ],
)
def test_bad_output_paths(tmp_path, name, says):
    (tmp_path / "in.csv").write_text("salary\n6000\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "in.csv")
    with pytest.raises(BadInput, match=says):
        open_output(str(tmp_path / name), HEADER, COMPUTED, source=str(tmp_path / "in.csv"))
    assert (tmp_path / "in.csv").read_text() == "salary\n6000\n"


@pytest.mark.parametrize(
    ("cell", "kept", "layout"),
    [("6500", 6500, "0"), ("6001.5", 6001.5, "0.0"), ("-500", -500, "0"),
     ("6,500.00", 6500, "#,##0.00"), ("1.50", 1.5, "0.00"),
     ("007", "007", None), ("13812345678", "13812345678", None), ("-0", "-0", None),
     ("1234567890.123456", "1234567890.123456", None), ("=1+1", "=1+1", None),
     ("1e3", "1e3", None), ("6,0015", "6,0015", None)],
)  # fmt: skip
def test_an_input_cell_is_a_number_only_when_it_shows_exactly_as_read(tmp_path, cell, kept,
                                                                       layout):  # fmt: skip
    path = tmp_path / "out.xlsx"
    with open_output(str(path), ["name"], ["total"]) as out:
        out.write_row([cell], [Decimal("1.00")])
        out.close()
    written = openpyxl.load_workbook(path).worksheets[0]["A2"]
    assert written.value == kept
    if layout:
        assert written.number_format == layout
