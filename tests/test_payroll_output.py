"""Payroll answers in files: Excel-bound CSV, plain TSV and JSON lines, and .xlsx read back."""

from __future__ import annotations

import json

import openpyxl
import pytest

from hzcity.errors import BadInput
from hzcity.payroll.writers import neutralised, open_output

HEADER = ["姓名", "扣款", "缴费基数", "unemployment_employer", "total"]
AMOUNTS = {3, 4}
ROWS = [
    ['=HYPERLINK("http://x","张三")', "-500", "6000", "30.00", "87.00"],
    ["+cmd|' /C calc'!A0", "-1,200.5", "6,001.50", "30.01", "87.02"],
    ["@SUM(A1:A2)", "\t-x", "#N/A", "0.05", "0.15"],
    ["bell\x07", "", "", "", ""],  # a control character no workbook may hold
]
RATES = [
    {"item": "Unemployment, employer", "rate": "0.5%", "window": "2023-05-01/2024-12-31",
     "reference": "insurance.unemployment-employer-rate"},
    {"item": "Work injury, employer", "rate": "0.45%", "window": "2023-05-01/2024-12-31",
     "reference": "人社部发〔2015〕71号"},
]  # fmt: skip


def write(path, rows=ROWS, **close):
    with open_output(str(path), HEADER, AMOUNTS, source="/in/payroll.csv") as out:
        for row in rows:
            out.write_row(row)
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


def test_tsv_and_jsonl_are_plain_and_faithful(tmp_path):
    tsv = write(tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert tsv.splitlines()[0] == "\t".join(HEADER)
    assert tsv.splitlines()[1].startswith('=HYPERLINK("http://x","张三")\t-500\t')
    assert "'" not in tsv.replace("' /C calc'", "")
    lines = write(tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [dict(zip(HEADER, r, strict=True)) for r in ROWS]


def test_xlsx_read_back(tmp_path):
    totals = ["合计", "", "", "30.06", "174.17"]
    path = write(tmp_path / "out.xlsx", totals=totals, rates=RATES)
    book = openpyxl.load_workbook(path)  # formulas, if any, would come back as '=...'
    sheet, rates = book.worksheets
    assert (sheet.title, rates.title, sheet.freeze_panes, rates.freeze_panes) == (
        "premiums", "rates", "A2", "A2")  # fmt: skip
    assert [c.value for c in sheet[1]] == HEADER and all(c.font.b for c in sheet[1])
    name, deduction, base, employer, total = sheet[2]
    assert (name.data_type, name.value) == ("s", '=HYPERLINK("http://x","张三")')
    # input cells that are plain numbers stay numbers, so a clerk's SUM over them works
    assert (deduction.value, base.value) == (-500, 6000)
    assert (employer.value, employer.number_format, total.value) == (30, "0.00", 87)
    assert [(c.data_type, c.value) for c in sheet[4][:3]] == [
        ("s", "@SUM(A1:A2)"), ("s", "\t-x"), ("s", "#N/A")]  # fmt: skip
    assert sheet["A5"].value == "bell\ufffd"
    assert [c.value for c in sheet[6]] == ["合计", None, None, 30.06, 174.17]
    assert sheet[6][0].font.b and sheet.max_row == 6
    assert [[c.value for c in row] for row in rates.iter_rows()] == [
        list(RATES[0]), *[list(r.values()) for r in RATES]]  # fmt: skip


def test_overwrite_is_all_or_nothing(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_text("the previous answer")
    with pytest.raises(ZeroDivisionError), open_output(str(path), HEADER, AMOUNTS) as out:
        out.write_row(ROWS[0])
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
        ("out.xls", "must end in .csv, .tsv, .jsonl, .xlsx"),
    ],
)
def test_bad_output_paths(tmp_path, name, says):
    (tmp_path / "in.csv").write_text("salary\n6000\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "in.csv")
    with pytest.raises(BadInput, match=says):
        open_output(str(tmp_path / name), HEADER, AMOUNTS, source=str(tmp_path / "in.csv"))
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
    with open_output(str(path), ["name", "total"], [1]) as out:
        out.write_row([cell, "1.00"])
        out.close()
    written = openpyxl.load_workbook(path).worksheets[0]["A2"]
    assert written.value == kept
    if layout:
        assert written.number_format == layout
