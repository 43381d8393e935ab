"""Payroll readers: the files HR keeps (GBK CSV from Excel, TSV on stdin, .xlsx), read as rows."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from hzcity.errors import BadInput
from hzcity.money import parse_amount
from hzcity.payroll.source import open_payroll

HEADER = "序号,姓名,部门,应发工资,社保缴费基数"
EXCEL_CSV = (  # as Excel on a Chinese Windows saves it: GBK, CRLF, a title and a total row
    f"2024年5月工资表,,,,\r\n{HEADER}\r\n"
    '1,张三,财务部,"6,001.50",6000\r\n2,李四,销售部,8000,"6,001.50"\r\n'
    ',,,,\r\n合计,,,"14,001.50","12,001.50"\r\n'
)


def read(source, **options):
    """Everything a caller sees of a payroll source, rows consumed."""
    with open_payroll(str(source), **options) as payroll:
        rows = list(payroll.rows)
        return payroll, rows


def stdin(data: bytes, **options):
    with open_payroll("-", stdin=io.BytesIO(data), **options) as payroll:
        return payroll, list(payroll.rows)


def workbook(path, *rows, title="工资"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_gbk_csv_saved_by_excel(tmp_path):
    path = tmp_path / "工资表.csv"
    path.write_bytes(EXCEL_CSV.encode("gbk"))
    payroll, rows = read(path)
    assert (payroll.format, payroll.encoding, payroll.delimiter) == ("csv", "gb18030", ",")
    assert payroll.header == HEADER.split(",")
    assert payroll.column_name == "社保缴费基数"  # the contribution base, not gross pay
    assert [(t.where, t.text) for t in payroll.titles] == [(f"{path}:1", "2024年5月工资表")]
    assert [(r.where, r.cells[1], r.salary, r.error) for r in rows] == [
        (f"{path}:3", "张三", "6000", None),
        (f"{path}:4", "李四", "6,001.50", None),
    ]
    assert parse_amount(rows[1].salary) == Decimal("6001.50")
    # the total row is named by its salary cell and the figure it carried
    assert [(n.where, n.message) for n in payroll.skipped] == [
        (f"{path}:6", "total row skipped: 合计; it carried 12,001.50")
    ]


def test_tsv_on_stdin():
    payroll, rows = stdin("姓名\t缴费基数\n张三\t6000\n".encode())
    assert (payroll.format, payroll.delimiter, payroll.column_name) == ("tsv", "\t", "缴费基数")
    assert rows[0].where == "<stdin>:2" and rows[0].cells == ["张三", "6000"]


def test_xlsx_numbers_as_excel_shows_them(tmp_path):
    path = workbook(
        tmp_path / "pay.xlsx",
        ["2024年5月工资表"],
        ["序号", "姓名", "缴费基数"],
        [1, "张三", 6600.000000000001],  # a float artefact of a formula
        [2, "李四", 13179.045],  # real decimals: refused, the cell named
        [3, "王五", 6001.5, None, None],
        [None, "合 计", 25780.545],  # first non-empty cell, spaces ignored
    )
    payroll, rows = read(path)
    assert (payroll.format, payroll.sheet, payroll.encoding) == ("xlsx", "工资", None)
    assert [(t.where, t.text) for t in payroll.titles] == [(f"{path}:工资!A1", "2024年5月工资表")]
    assert [(r.where, r.cells, r.error) for r in rows] == [
        (f"{path}:工资!C3", ["1", "张三", "6600"], None),
        (
            f"{path}:工资!C4",
            ["2", "李四", "13179.045"],
            "the cell holds 13179.045, more decimals than an amount in yuan (its format may show "
            "fewer); round it in the sheet, e.g. =ROUND(...,2)",
        ),
        (f"{path}:工资!C5", ["3", "王五", "6001.5"], None),
    ]
    assert [n.where for n in payroll.skipped] == [f"{path}:工资!C6"]


def test_sheet_by_name_or_number(tmp_path):
    path = workbook(tmp_path / "pay.xlsx", ["note"], title="说明")
    book = openpyxl.load_workbook(path)
    book.create_sheet("May 2024").append(["salary"])
    book["May 2024"].append([5000])
    book.save(path)
    for sheet in ("May 2024", "2"):
        _, rows = read(path, sheet=sheet)
        assert rows[0].where == f"{path}:'May 2024'!A2" and rows[0].salary == "5000"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("姓名,工资,缴费基数", "缴费基数"),  # the base wins over pay wherever it stands
        ("姓名,基本工资,应发工资", "应发工资"),
        ("name,Wage,Base", "Base"),  # the base wins over pay, in English too
        ("name,ｓａｌａｒｙ", "ｓａｌａｒｙ"),  # full-width letters
        ("姓名,缴费 基数", "缴费 基数"),
        ("姓名,缴费基数（元）", "缴费基数（元）"),  # the unit, in full-width brackets
        ("pay", "pay"),  # a single column is the salary
    ],
)
def test_salary_column_by_name(header, column):
    width = header.count(",") + 1
    payroll, _ = stdin(f"{header}\n{','.join(['6000'] * width)}\n".encode())
    assert payroll.column_name == column


def test_forced_options():
    data = "title;x\nid;pay;base\n1;6000;5000\n".encode("gbk")
    payroll, rows = stdin(data, delimiter=";", header_row=2, column="PAY", encoding="gbk")
    assert payroll.titles[0].text == "title x" and payroll.encoding == "gbk"
    assert (payroll.column_name, rows[0].salary, rows[0].where) == ("pay", "6000", "<stdin>:3")


def test_utf8_bom_and_blank_rows():
    payroll, rows = stdin("\ufeffsalary\r\n\r\n6000\r\n  \r\nTOTAL\r\n".encode())
    assert payroll.encoding == "utf-8-sig" and payroll.header == ["salary"]
    assert [r.salary for r in rows] == ["6000"] and payroll.skipped[0].where == "<stdin>:5"


def test_json_lines_keep_numbers_exact():
    data = b'{"name": "A", "salary": 6000.10}\n\n{"name": "B", "salary": "6,001"}\n'
    payroll, rows = stdin(data)
    assert payroll.format == "jsonl" and payroll.header == ["name", "salary"]
    assert [(r.where, r.salary) for r in rows] == [("<stdin>:1", "6000.10"), ("<stdin>:3", "6,001")]


def test_text_cells_stay_byte_faithful():
    _, rows = stdin(b'name,salary\n" =cmd|x ",6000\n')
    assert rows[0].cells == [" =cmd|x ", "6000"]


def test_files_are_closed_even_on_error(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("salary\n6000\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,pay\nA,6000\n")
    book = workbook(tmp_path / "pay.xlsx", ["salary"], [6000])
    script = (
        "import sys\nfrom hzcity.payroll.source import open_payroll\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        with open_payroll(path) as p: list(p.rows)\n"
        "    except Exception: pass\n"
    )
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", script, str(good), str(bad), str(book)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""


# Rows the reader already knows are bad: (file bytes or a workbook builder, options,
# where the error is, what it says)
def _xlsx(*rows):
    def make(path):
        return workbook(path.with_suffix(".xlsx"), *rows)

    return make


BAD_ROWS = [
    ("gbk bytes read as utf-8", "salary,name\n6000,张三\n".encode("gbk"), {"encoding": "utf-8"},
     ":2", "are not utf-8 text; name the file's encoding"),
    ("a byte no encoding has", b"name,salary\n\xe5\xbc\xa0\xe4\xb8\x89,6000\nB\xff,6000\n", {},
     ":3", "b'\\xff' at byte 2 are not utf-8 text"),
    ("wrong number of fields", b"name,salary\nA,6000,extra\n", {}, ":2",
     "expected 2 fields, found 3"),
    ("a line that is not JSON", b'{"salary": 1}\n{"salary": \n', {}, ":2", "not JSON"),
    ("JSON keys that differ", b'{"salary": 1}\n{"pay": 1}\n', {}, ":2", "differ"),
    ("formula without cached value", _xlsx(["name", "salary"], ["A", "=1+1"]), {}, ":工资!B2",
     "a formula saved without its result"),
    ("date in the salary column", _xlsx(["salary"], [date(2024, 5, 1)]), {}, ":工资!A2",
     "a date or time (2024-05-01)"),
    ("value right of the header", _xlsx(["name", "salary"], ["A", 1, "x"]), {}, ":工资!B2",
     "right of the header's 2 columns"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "options", "where", "says"), [b[1:] for b in BAD_ROWS], ids=[b[0] for b in BAD_ROWS]
)
def test_bad_rows_carry_their_location(tmp_path, content, options, where, says):
    path = tmp_path / "pay.txt"
    if callable(content):
        path = content(path)
    else:
        path.write_bytes(content)
    _, rows = read(path, **options)
    bad = [r for r in rows if r.error]
    assert len(bad) == 1 and bad[0].where == f"{path}{where}" and says in bad[0].error


def _zipped(name, data):
    def make(path):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(name, data)
        return path

    return make


def _two_sheets(path):
    book = openpyxl.Workbook()
    book.active.title = "一月"
    book.create_sheet("二月")
    book.save(path)
    return path


def _chart_sheet(path):
    book = openpyxl.Workbook()
    book.active.append([1])
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=1, min_row=1))
    book.create_chartsheet("chart", 0).add_chart(chart)
    book.save(path)
    return path


BAD_FILES = [
    ("empty file", b"", {}, "empty input"),
    ("only blank lines", b"\r\n,,,\r\n", {}, "empty input"),
    ("no salary column", b"title\nname,amount\nA,6000\n", {},
     ":2: which column holds the salary? none is named 缴费基数"),
    ("no salary column names the columns", b"name,amount\n", {},
     "use --column with one of: name, amount"),
    ("named column missing", b"name,pay\n", {"column": "base"}, "no column 'base'"),
    ("header row past the end", b"salary\n6000\n", {"header_row": 9}, "header row 9"),
    ("unclosed quote", b'salary\n"6000\n', {}, ":2: malformed CSV"),
    ("unknown encoding", b"salary\n", {"encoding": "klingon"}, "unknown encoding 'klingon'"),
    ("utf-16 forced", b"salary\n", {"encoding": "utf-16"}, "save it as UTF-8"),
    ("says xlsx, is text", b"salary\n6000\n", {"suffix": ".xlsx"}, "no zip signature"),
    ("encrypted workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), {},
     "encrypted (password-protected) workbook or a damaged .xls"),
    ("zip that is no workbook", _zipped("notes.txt", "hi"), {}, "not a readable workbook"),
    ("OpenDocument sheet with no content", _zipped("mimetype",
     "application/vnd.oasis.opendocument.spreadsheet"), {}, "not a readable workbook"),
    ("sheet expanding past the cap", _xlsx(["salary"], *[[6000]] * 200), {"max_unpacked": 4000},
     "above the 4,000-byte limit"),
    ("unknown sheet", _two_sheets, {"sheet": "三月"},
     "no sheet '三月' (sheets: 1 '一月', 2 '二月')"),
    ("sheet number too high", _two_sheets, {"sheet": "3"}, "no sheet '3'"),
    ("empty sheet", _two_sheets, {"sheet": "二月"}, "sheet '二月' is empty"),
    ("chart sheet", _chart_sheet, {"sheet": "1"}, "is a chart"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "options", "says"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_unreadable_payrolls_are_one_bad_input_line(tmp_path, content, options, says):
    path, options = _written(tmp_path, content, options)
    with pytest.raises(BadInput) as caught:
        read(path, **options)
    message = str(caught.value)
    assert message.startswith(str(path)) and says in message and "\n" not in message


def _written(tmp_path: Path, content, options: dict) -> tuple[Path, dict]:
    """The case's file, made in tmp_path, and its reader options (less the file suffix)."""
    options = dict(options)
    path = tmp_path / f"pay{options.pop('suffix', '.csv')}"
    if callable(content):
        return content(path), options
    path.write_bytes(content)
    return path, options


def test_missing_file():
    with pytest.raises(BadInput, match=r"/no/such\.csv: cannot read"):
        open_payroll("/no/such.csv")


def test_workbook_on_stdin(tmp_path):
    data = workbook(tmp_path / "pay.xlsx", ["缴费基数"], [6000]).read_bytes()
    payroll, rows = stdin(data)
    assert payroll.format == "xlsx" and rows[0].where == "<stdin>:工资!A2"


def _flags(options: dict, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reader's options as the premium command's flags."""
    from hzcity.payroll import workbook as payroll_workbook

    flags = []
    for key, value in options.items():
        if key == "max_unpacked":
            monkeypatch.setattr(payroll_workbook, "MAX_UNPACKED", value)
        else:
            flags += [f"--{key.replace('_', '-')}", str(value)]
    return flags


@pytest.mark.parametrize(
    ("content", "options", "says"),
    [(b[1], b[2], b[-1]) for b in BAD_FILES + BAD_ROWS],
    ids=[b[0] for b in BAD_FILES + BAD_ROWS],
)
def test_the_premium_command_reports_each_bad_payroll_in_one_line(
    hz, tmp_path, monkeypatch, content, options, says
):
    path, options = _written(tmp_path, content, options)
    result = hz("premium", "--salaries", str(path), "--industry-class", "4",
                "--date", "2024-01-01", *_flags(options, monkeypatch))  # fmt: skip
    errors = [line for line in result.err.splitlines() if not line.startswith("hzcity: note:")]
    assert result.code == 2 and len(errors) == 1 and "Traceback" not in result.err
    assert errors[0].startswith(f"hzcity: error: {path}") and says in errors[0]
