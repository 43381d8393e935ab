"""A clerk's 工资表 as LibreOffice Calc writes it (issue 16), and LibreOffice run headless.

The source is made with openpyxl; LibreOffice opens it, recalculates the =SUM() row and
saves it as .xlsx, .ods and .xls: those are the workbooks a clerk sends. The tests build
them afresh where soffice is installed (tests/test_workbooks.py); the small copies in
tests/fixtures/ were made by this module's __main__ once, for machines without it:

    .venv/bin/python tests/clerk_workbook.py    # rewrites tests/fixtures/clerk.{xlsx,ods,xls}

(Not a test module: pytest never runs it.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = ("xlsx", "ods", "xls")
SHEET, NOTES, OTHER = "工资表", "说明", "4月"
HEADER = ["序号", "姓名", "身份证号", "部门", "入职日期", "应发工资", "社保缴费基数"]
ID_COLUMN, DATE_COLUMN, SALARY_COLUMN = 2, 4, 6
# (number, name, ID, department, hired, gross pay, contribution base): one ID ends in X, one
# name starts with "=" and stays text, amounts in yuan and fen
EMPLOYEES = [
    (1, "张三", "230102198001011234", "办公室", date(2009, 7, 6), 6500, 6001.5),
    (2, "=李四", "33010619900307002X", "财务部", date(2015, 3, 1), 8200, 8000),
    (3, "王五", "110105197612310021", "仓库", date(2020, 11, 30), 5000.25, 4462.05),
]
FOOTER = "制表人:张会计 审核:"
# where each row lands in the sheet: title 1, header 2, employees 3-4, blank 5, then 6
TOTAL_ROW, FOOTER_ROW = 7, 8
# LibreOffice's own CSV export, in UTF-8: comma, double quote, UTF-8 (76), from line 1
CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1"
CSV_UTF8_IN = "CSV:44,34,76,1"


def bases() -> list[Decimal]:
    """The contribution bases as the clerk typed them."""
    return [Decimal(str(row[SALARY_COLUMN])) for row in EMPLOYEES]


def build_source(path: Path) -> Path:
    """The workbook as openpyxl writes it: LibreOffice then makes it its own."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(["2024年5月工资表"])
    sheet.merge_cells("A1:G1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADER)
    for number, row in enumerate(EMPLOYEES):
        if number == 2:
            sheet.append([])  # a blank row the clerk left
        sheet.append(list(row))
    last = sheet.max_row
    for cells in sheet.iter_rows(min_row=3, max_row=last):
        cells[1].data_type = "s"  # "=李四" is a name, not a formula
        cells[DATE_COLUMN].number_format = "yyyy-mm-dd"
        cells[5].number_format = "¥#,##0.00"
        cells[SALARY_COLUMN].number_format = "#,##0.00"
    sheet.append(["合计", None, None, None, None, f"=SUM(F3:F{last})", f"=SUM(G3:G{last})"])
    sheet.append([FOOTER])
    assert (sheet.max_row, sheet.cell(TOTAL_ROW, 1).value) == (FOOTER_ROW, "合计")
    sheet.column_dimensions["C"].hidden = True
    other = book.create_sheet(OTHER)
    other.append(["序号", "姓名", "社保缴费基数"])
    other.append([1, "张三", 6001.5])
    book.create_sheet(NOTES).append(["本表由人事部编制,缴费基数以社保核定为准。"])
    book.save(path)
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    files: list[Path], to: str, outdir: Path, home: Path, infilter: str | None = None
) -> list[Path]:
    """Every file converted by one LibreOffice start (it takes seconds), with its own
    profile and HOME under ``home``, so nothing is written under the real home."""
    program = soffice()
    assert program is not None
    env = {**os.environ, "HOME": str(home)}
    command = [program, f"-env:UserInstallation=file://{home}/profile", "--headless",
               "--norestore", "--convert-to", to, "--outdir", str(outdir)]  # fmt: skip
    if infilter:
        command.append(f"--infilter={infilter}")
    subprocess.run([*command, *map(str, files)], env=env, capture_output=True, timeout=120,
                   check=True)  # fmt: skip
    suffix = to.partition(":")[0]
    made = [outdir / f"{f.stem}.{suffix}" for f in files]
    missing = [str(m) for m in made if not m.is_file()]
    assert not missing, f"LibreOffice made no {missing}"
    return made


def made_by_libreoffice(work: Path) -> dict[str, Path]:
    """The clerk's workbook saved by LibreOffice as each of FORMATS: one start per format."""
    source = build_source(work / "clerk.xlsx")
    books = {}
    for fmt in FORMATS:
        out = work / fmt
        out.mkdir()
        (books[fmt],) = convert([source], fmt, out, work)
    return books


if __name__ == "__main__":
    import tempfile

    if soffice() is None:
        sys.exit("soffice is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, path in made_by_libreoffice(Path(tmp)).items():
            shutil.copyfile(path, FIXTURES / f"clerk.{fmt}")
            print(FIXTURES / f"clerk.{fmt}", path.stat().st_size)
