"""A corpus of payroll layouts as clerks keep them (issue 22), written by LibreOffice.

Each case is built here as an .xlsx with XlsxWriter (formulas, text and numbers as a clerk
types them), then LibreOffice opens it, recalculates and saves it as .xlsx, .ods and .xls
(one LibreOffice start per format, tests/clerk_workbook.convert): those are the workbooks
tests/test_payroll_corpus.py runs. Each case knows its employee rows' contribution bases,
so the test computes the rows and the total it expects on its own, and the rows hzcity
must name (totals, footers, repeated headers).

The small copies in tests/fixtures/corpus/ were made by this module's __main__, for
machines without LibreOffice:

    .venv/bin/python tests/payroll_corpus.py    # rewrites tests/fixtures/corpus/

(Not a test module: pytest never runs it.)
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import clerk_workbook as clerk

FIXTURES = clerk.FIXTURES / "corpus"
FORMATS = ("xlsx", "ods", "xls")
# cases whose totals are formulas only: checked in as every format, the rest as .xlsx
FORMULA_CASES = ("subtotals_unlabelled", "grand_sum_over_subtotals", "subtotal_function",
                 "formula_only_total")  # fmt: skip
# LibreOffice's CSV export in GBK (its encoding 67), cells as shown: what a clerk sends
CSV_GBK = "csv:Text - txt - csv (StarCalc):44,34,67,1,,0,false,true,true"

NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑一", "冯二", "陈明",
         "褚亮", "卫东", "蒋红", "沈阳", "韩梅", "杨帆", "朱丽", "秦川", "尤佳"]  # fmt: skip
# bases in yuan and fen, several on the half fen after 0.5% and 0.45%
BASES = ["6001.50", "4462.05", "8000", "5237.33", "3300", "12345.67", "7001", "4999.99",
         "6100.10", "3511", "9000.5", "5555.55", "4100", "6666.67", "3899.2"]  # fmt: skip
DEPARTMENTS = ["办公室", "财务部", "仓库", "销售部"]
CLERK = ["序号", "姓名", "身份证号", "部门", "应发工资", "社保缴费基数"]


@dataclass(frozen=True, kw_only=True)
class Formula:
    """A cell's formula, written as such (LibreOffice computes its value)."""

    text: str


@dataclass(kw_only=True)
class Sheet:
    """One sheet of a case: its rows as typed, the employee rows' bases in order, and the
    kinds of the rows hzcity must skip and name."""

    name: str
    hidden: bool = False
    rows: list[list[object]] = field(default_factory=list)
    bases: list[Decimal] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def next_row(self) -> int:
        """The sheet row number (1-based) the next row lands on."""
        return len(self.rows) + 1

    def put(self, *cells: object, kind: str | None = None) -> int:
        """A row that is no employee's (``kind``: what hzcity names it, if anything)."""
        self.rows.append(list(cells))
        if kind:
            self.skipped[kind] += 1
        return len(self.rows)

    def employee(self, *cells: object, base: object) -> int:
        """An employee's row; ``base`` is the contribution base the row holds."""
        self.rows.append(list(cells))
        self.bases.append(Decimal(str(base)))
        return len(self.rows)


@dataclass(frozen=True, kw_only=True)
class Run:
    """One run of a case: its options, then the sheet whose employees it must charge, or
    the words of its one error line (exit 2)."""

    args: tuple[str, ...] = ()
    sheet: str | None = None
    refused: str | None = None
    says: str | None = None  # a note the run must give


@dataclass(frozen=True, kw_only=True)
class Case:
    name: str
    sheets: list[Sheet]
    runs: list[Run]
    csv: bool = False  # sent as LibreOffice's GBK CSV export, not as a workbook
    formats: tuple[str, ...] = FORMATS

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


def _clerk_rows(sheet: Sheet, count: int, start: int = 0, department: str | None = None,
                number: int = 1) -> tuple[int, int]:  # fmt: skip
    """``count`` employees in the clerk's six columns; the first and last sheet rows."""
    first = sheet.next_row
    for i in range(start, start + count):
        base = BASES[i % len(BASES)]
        gross = Decimal(base) + 500
        dept = department or DEPARTMENTS[i % len(DEPARTMENTS)]
        sheet.employee(number + i - start, NAMES[i % len(NAMES)], f"2301021980{i:08d}", dept,
                       float(gross), float(base), base=base)  # fmt: skip
    return first, sheet.next_row - 1


def _sums(first: int, last: int) -> list[object]:
    """The total row's formulas under the two amount columns (E, F)."""
    return [Formula(text=f"=SUM(E{first}:E{last})"), Formula(text=f"=SUM(F{first}:F{last})")]


def _clerk_sheet(name: str = "工资表", title: bool = True) -> Sheet:
    sheet = Sheet(name=name)
    if title:
        sheet.put("2024年5月工资表", kind="title")
    sheet.put(*CLERK)
    return sheet


def labelled(name: str, label: str, column: int) -> Case:
    """Five employees, then a total row labelled ``label`` in ``column`` and a footer."""
    sheet = _clerk_sheet()
    first, last = _clerk_rows(sheet, 5)
    cells: list[object] = [""] * 4 + _sums(first, last)
    cells[column] = label
    sheet.put(*cells, kind="total")
    sheet.put("制表人：王丽", "", "审核：", kind="footer")
    return Case(name=name, sheets=[sheet], runs=[Run(sheet="工资表")])


def departments(name: str, people: int, per: int, label: str, grand: str) -> Case:
    """Departments of ``per`` employees, each closed by a subtotal row labelled in the
    department column, then a grand total and a footer: the issue's 60-person sheet."""
    sheet = _clerk_sheet()
    subtotals = []
    for start in range(0, people, per):
        dept = DEPARTMENTS[start // per % len(DEPARTMENTS)]
        first, last = _clerk_rows(sheet, min(per, people - start), start, dept, start + 1)
        subtotals.append(sheet.put("", "", "", f"{dept}{label}" if label != "小计：" else label,
                                   *_sums(first, last), kind="total"))  # fmt: skip
    cells = ",".join(f"F{r}" for r in subtotals)
    sheet.put(grand, "", "", "", "", Formula(text=f"=SUM({cells})"), kind="total")
    sheet.put("制表人：王丽", "", "", "", "", "制表日期：2024年6月28日", kind="footer")
    return Case(name=name, sheets=[sheet], runs=[Run(sheet="工资表")])


def subtotals_unlabelled() -> Case:
    """Department subtotals and a grand total with no label at all: formulas only."""
    sheet = _clerk_sheet()
    cells = []
    for n, dept in enumerate(DEPARTMENTS[:3]):
        first, last = _clerk_rows(sheet, 3, n * 3, dept, n * 3 + 1)
        cells.append(sheet.put("", "", "", "", *_sums(first, last), kind="total"))
    grand = ",".join(f"F{r}" for r in cells)
    sheet.put("", "", "", "", "", Formula(text=f"=SUM({grand})"), kind="total")
    return Case(name="subtotals_unlabelled", sheets=[sheet], runs=[Run(sheet="工资表")])


def grand_sum_over_subtotals() -> Case:
    """Labelled subtotals, then an unlabelled =SUM over the whole column, subtotals and all:
    its figure is twice the employees'."""
    sheet = _clerk_sheet()
    top = sheet.next_row
    for n, dept in enumerate(DEPARTMENTS[:2]):
        first, last = _clerk_rows(sheet, 4, n * 4, dept, n * 4 + 1)
        sheet.put("", "", "", "小计", *_sums(first, last), kind="total")
    sheet.put("", "", "", "", "", Formula(text=f"=SUM(F{top}:F{sheet.next_row - 1})"),
              kind="total")  # fmt: skip
    return Case(name="grand_sum_over_subtotals", sheets=[sheet], runs=[Run(sheet="工资表")])


def subtotal_function() -> Case:
    """=SUBTOTAL(9, ...) rows with no label."""
    sheet = _clerk_sheet()
    first, last = _clerk_rows(sheet, 6)
    sheet.put("", "", "", "", "", Formula(text=f"=SUBTOTAL(9,F{first}:F{last})"), kind="total")
    return Case(name="subtotal_function", sheets=[sheet], runs=[Run(sheet="工资表")])


def numbered_total() -> Case:
    """A total row the clerk numbered like the employees, no name, no label: its sum."""
    sheet = _clerk_sheet()
    first, last = _clerk_rows(sheet, 5)
    sheet.put(6, "", "", "", *_sums(first, last), kind="total")
    return Case(name="numbered_total", sheets=[sheet], runs=[Run(sheet="工资表")])


def formula_only_total() -> Case:
    """A total row whose only sign is its =SUM over the column: a word in the name column
    that is no total's, and a figure that is no sum of the rows (one employee's base is
    typed as text the =SUM leaves out). An .xls keeps no formula calamine gives: it is
    left out (its .xls would charge the row)."""
    sheet = _clerk_sheet()
    first, last = _clerk_rows(sheet, 4)
    sheet.employee(5, "孙八", "230102198000000099", "仓库", "", "3000", base="3000")
    sheet.put("", "全体职工", "", "", *_sums(first, last + 1), kind="total")
    return Case(name="formula_only_total", sheets=[sheet], runs=[Run(sheet="工资表")],
                formats=("xlsx", "ods"))  # fmt: skip


def typed_total() -> Case:
    """A total typed as a number, with no label and no formula: known by its sum."""
    sheet = _clerk_sheet()
    _clerk_rows(sheet, 4)
    sheet.put("", "", "", "", "", float(sum(sheet.bases)), kind="total")
    return Case(name="typed_total", sheets=[sheet], runs=[Run(sheet="工资表")])


def footers(name: str, lines: list[list[object]]) -> Case:
    """Employees, a 合计 row, then footer ``lines`` (cells at any column)."""
    sheet = _clerk_sheet()
    first, last = _clerk_rows(sheet, 5)
    sheet.put("合计", "", "", "", *_sums(first, last), kind="total")
    for line in lines:
        sheet.put(*line, kind="footer")
    return Case(name=name, sheets=[sheet], runs=[Run(sheet="工资表")])


def notes_sheet(name: str, table: list[str], payroll: list[str], runs: list[Run],
                after: bool = False) -> Case:  # fmt: skip
    """A 说明 sheet with a small table of ``table`` columns, and a payroll of ``payroll``
    columns (the last the salary), the notes sheet first unless ``after``."""
    notes = Sheet(name="说明")
    notes.put("本表由人事部编制，缴费基数以社保核定为准。")
    if table:
        notes.put(*table)
        notes.put("科员", 5000)
        notes.put("科长", 8000)
    sheet = Sheet(name="工资表")
    sheet.put(*payroll)
    for i in range(10):
        base = BASES[i]
        sheet.employee(i + 1, NAMES[i], *[float(Decimal(base) + 300)] * (len(payroll) - 3),
                       float(base), base=base)  # fmt: skip
    return Case(name=name, sheets=[sheet, notes] if after else [notes, sheet], runs=runs)


def month_sheets() -> Case:
    """Two months of one payroll, a sheet each."""
    sheets = []
    for month, count in (("5月", 4), ("6月", 6)):
        sheet = _clerk_sheet(month)
        first, last = _clerk_rows(sheet, count, number=1)
        sheet.put("合计", "", "", "", *_sums(first, last), kind="total")
        sheets.append(sheet)
    return Case(name="month_sheets", sheets=sheets, runs=[
        Run(refused="2 sheets hold employee rows: '5月' (4 rows), '6月' (6 rows); choose one "
                    "with --sheet NAME"),
        Run(args=("--sheet", "6月"), sheet="6月")])  # fmt: skip


def hidden_sheet() -> Case:
    """A hidden sheet of last year's payroll before the visible one."""
    old = _clerk_sheet("旧表")
    old.hidden = True
    _clerk_rows(old, 3)
    sheet = _clerk_sheet()
    _clerk_rows(sheet, 5, 3)
    return Case(name="hidden_sheet", sheets=[old, sheet], runs=[Run(sheet="工资表")])


def columns(name: str, header: list[str], salary: int, runs: list[Run]) -> Case:
    """Ten employees under ``header``; the column ``salary`` holds the bases expected."""
    sheet = Sheet(name="工资表")
    sheet.put(*header)
    for i in range(10):
        base = Decimal(BASES[i])
        cells: list[object] = [i + 1, NAMES[i]]
        for column in range(2, len(header)):
            cells.append(float(base) if column == salary else float(base / 2 + column))
        sheet.employee(*cells, base=base)
    return Case(name=name, sheets=[sheet], runs=runs)


def repeated_headers() -> Case:
    """A sheet printed in pages: the header again on every page, 本页小计 at each page's end."""
    sheet = _clerk_sheet()
    for page in range(3):
        if page:
            sheet.put(*CLERK, kind="header")
        first, last = _clerk_rows(sheet, 4, page * 4, number=page * 4 + 1)
        sheet.put("本页小计", "", "", "", *_sums(first, last), kind="total")
    sheet.put("合计", kind="total")
    return Case(name="repeated_headers", sheets=[sheet], runs=[Run(sheet="工资表")])


def text_amounts(name: str, texts: list[tuple[str, str]]) -> Case:
    """Salary cells typed as text (a yuan sign, commas, full-width digits), each with the
    base it says."""
    sheet = _clerk_sheet()
    for i, (text, base) in enumerate(texts):
        sheet.employee(i + 1, NAMES[i], f"2301021980{i:08d}", "办公室", "", text, base=base)
    sheet.put("合计", kind="total")
    return Case(name=name, sheets=[sheet], runs=[Run(sheet="工资表")])


def blank_rows() -> Case:
    """A merged title, blank rows between departments and before the total."""
    sheet = _clerk_sheet()
    for n, dept in enumerate(DEPARTMENTS[:3]):
        _clerk_rows(sheet, 3, n * 3, dept, n * 3 + 1)
        sheet.put()
        sheet.put()
    sheet.put("合 计", "", "", "", "", float(sum(sheet.bases)), kind="total")
    return Case(name="blank_rows", sheets=[sheet], runs=[Run(sheet="工资表")])


def english() -> Case:
    sheet = Sheet(name="Payroll")
    sheet.put("No.", "Name", "Employee ID", "Gross pay", "Contribution base")
    for i in range(6):
        base = BASES[i]
        sheet.employee(i + 1, f"Emp {i}", f"E{i:04d}", float(Decimal(base) + 400), float(base),
                       base=base)  # fmt: skip
    sheet.put("Total", "", "", Formula(text="=SUM(D2:D7)"), Formula(text="=SUM(E2:E7)"),
              kind="total")  # fmt: skip
    sheet.put("Prepared by: Li", kind="footer")
    return Case(name="english", sheets=[sheet], runs=[Run(sheet="Payroll")])


def gbk_csv() -> Case:
    """LibreOffice's GBK CSV export of a sheet whose bases are shown with ¥: the sign is
    lost as '?'."""
    sheet = _clerk_sheet(title=False)
    _clerk_rows(sheet, 3)
    return Case(name="gbk_csv", sheets=[sheet], csv=True, runs=[Run(
        refused="salary '?6,001.50' is not an amount: the '?' stands where a currency sign "
                "(¥) was, lost when the file was saved as GBK text")])  # fmt: skip


TWO_BASES = ["序号", "姓名", "缴费基数", "社保缴费基数"]
PARTS = ["序号", "姓名", "基本工资", "岗位工资", "绩效工资", "实发工资"]
PARTS_AND_GROSS = ["序号", "姓名", "基本工资", "岗位工资", "绩效工资", "应发合计", "实发工资"]

# fmt: off
CASES: list[Callable[[], Case]] = [
    lambda: labelled("label_heji_colon", "合计：", 0),
    lambda: labelled("label_xiaoji_colon", "小计：", 0),
    lambda: labelled("label_page_subtotal", "本页小计", 1),
    lambda: labelled("label_department_total", "部门合计", 3),
    lambda: labelled("label_office_subtotal", "办公室小计", 3),
    lambda: labelled("label_subtotal_en", "Subtotal", 0),
    lambda: labelled("label_total_amount", "合计金额", 0),
    lambda: labelled("label_zongji_colon", "总计：", 0),
    lambda: labelled("label_gong_ji", "共 计", 0),
    lambda: labelled("label_in_name_column", "合计", 1),
    lambda: departments("departments_60", 60, 15, "小计：", "合计："),
    lambda: departments("department_subtotals", 12, 4, "小计", "总计"),
    subtotals_unlabelled,
    grand_sum_over_subtotals,
    subtotal_function,
    numbered_total,
    formula_only_total,
    typed_total,
    lambda: footers("footer_every_column", [
        ["制表人：王丽", "", "审核：李", "", "复核：", "制表日期：2024年6月28日"]]),
    lambda: footers("footer_salary_column", [["", "", "", "", "", "制表日期：2024年6月28日"]]),
    lambda: footers("footer_date_cell", [["日期：", "", "", "", "", date(2024, 6, 28)]]),
    lambda: footers("footer_lines", [["负责人：张"], ["", "", "经办人：", "", "签字："],
                                     ["", "", "", "单位盖章"]]),
    lambda: notes_sheet("notes_before_base", ["岗位", "工资"], ["序号", "姓名", "应发工资",
                        "社保缴费基数"], [Run(sheet="工资表", says="sheet '工资表' computed: its "
                        "salary column is the contribution base, which no other sheet has; not "
                        "computed: 说明")]),
    lambda: notes_sheet("notes_before_gross", ["岗位", "应发工资"], ["序号", "姓名", "应发工资"], [
        Run(refused="2 sheets hold employee rows: '说明' (2 rows), '工资表' (10 rows)"),
        Run(args=("--sheet", "工资表"), sheet="工资表")]),
    lambda: notes_sheet("notes_after", [], ["序号", "姓名", "应发工资", "缴费基数"],
                        [Run(sheet="工资表")], after=True),
    hidden_sheet,
    month_sheets,
    lambda: columns("two_bases", TWO_BASES, 3, [
        Run(refused="2 columns could be the contribution base: 缴费基数, 社保缴费基数"),
        Run(args=("--column", "社保缴费基数"), sheet="工资表")]),
    lambda: columns("parts_only", PARTS, 2, [
        Run(refused="no column holds the contribution base or gross pay; 基本工资, 岗位工资, "
                    "绩效工资, 实发工资"),
        Run(args=("--column", "基本工资"), sheet="工资表")]),
    lambda: columns("gross_beside_base", ["序号", "姓名", "应发工资", "社保基数"], 3,
                    [Run(sheet="工资表")]),
    lambda: columns("parts_and_gross", PARTS_AND_GROSS, 5, [Run(
        sheet="工资表", says="salary column '应发合计' is gross pay: the contribution base the "
        "premium is levied on is normally a separate figure")]),
    repeated_headers,
    lambda: text_amounts("text_amounts", [("¥6,001.50", "6001.50"), ("4,462.05", "4462.05"),
                                          ("￥8,000.00", "8000"), ("5237.33", "5237.33")]),
    lambda: text_amounts("full_width_digits", [
        ("６０００", "6000"), ("６，００１．５０", "6001.50"), ("４４６２．０５", "4462.05")]),
    blank_rows,
    english,
    gbk_csv,
]
# fmt: on


def cases() -> list[Case]:
    return [make() for make in CASES]


def build_source(case: Case, folder: Path) -> Path:
    """The case as XlsxWriter writes it: LibreOffice then makes it its own."""
    import xlsxwriter

    path = folder / f"{case.name}.xlsx"
    book = xlsxwriter.Workbook(str(path))
    money = book.add_format({"num_format": "¥#,##0.00" if case.csv else "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    shown = next(s for s in case.sheets if not s.hidden)
    for sheet in case.sheets:
        out = book.add_worksheet(sheet.name)
        if sheet is shown:  # (XlsxWriter hides no sheet that is active)
            out.activate()
        if sheet.hidden:
            out.hide()
        for r, cells in enumerate(sheet.rows):
            for c, value in enumerate(cells):
                if isinstance(value, Formula):
                    out.write_formula(r, c, value.text, money)
                elif isinstance(value, str):
                    out.write_string(r, c, value)
                elif isinstance(value, date):
                    out.write_datetime(r, c, value, day)
                elif isinstance(value, float):
                    out.write_number(r, c, value, money)
                elif isinstance(value, int):
                    out.write_number(r, c, value)
    book.close()
    return path


# LibreOffice's profile setting to recalculate every formula when it loads a file (XlsxWriter
# saves each formula's value as 0): the totals then carry what a clerk's Calc shows.
RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def made_by_libreoffice(work: Path) -> dict[tuple[str, str], Path]:
    """Every case saved by LibreOffice in every format ((case, format) -> path; the GBK CSV
    case as 'csv'): one LibreOffice start per format, its profile (under ``work``) set to
    recalculate formulas on load."""
    (work / "profile" / "user").mkdir(parents=True)
    (work / "profile" / "user" / "registrymodifications.xcu").write_text(RECALCULATE, "utf-8")
    sources = work / "sources"
    sources.mkdir()
    made: dict[tuple[str, str], Path] = {}
    every = cases()
    for fmt in FORMATS:
        out = work / fmt
        out.mkdir()
        wanted = [c for c in every if not c.csv and fmt in c.formats]
        books = [build_source(c, sources) for c in wanted]
        for case, path in zip(wanted, clerk.convert(books, fmt, out, work), strict=True):
            made[case.name, fmt] = path
    texts = [build_source(c, sources) for c in every if c.csv]
    (work / "csv").mkdir()
    exported = clerk.convert(texts, CSV_GBK, work / "csv", work)
    for case, path in zip([c for c in every if c.csv], exported, strict=True):
        made[case.name, "csv"] = path
    return made


def checked_in() -> dict[tuple[str, str], Path]:
    """The copies in tests/fixtures/corpus/, by (case, format)."""
    return {(p.stem, p.suffix[1:]): p for p in sorted(FIXTURES.iterdir()) if p.stem != "README"}


if __name__ == "__main__":
    import tempfile

    if clerk.soffice() is None:
        sys.exit("soffice is not installed")
    FIXTURES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for old in FIXTURES.iterdir():
            if old.name != "README.md":
                old.unlink()
        for (name, fmt), path in made_by_libreoffice(Path(tmp)).items():
            if fmt in ("xlsx", "csv") or name in FORMULA_CASES:
                shutil.copyfile(path, FIXTURES / f"{name}.{fmt}")
                print(FIXTURES / f"{name}.{fmt}", path.stat().st_size)
