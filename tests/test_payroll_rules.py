"""The payroll row rules (hzcity/payroll/rules.py): amounts, totals, footers, the salary
column, as pure functions; tests/test_payroll_corpus.py runs them on whole payrolls."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hzcity.errors import BadInput
from hzcity.money import parse_amount
from hzcity.payroll import rules
from hzcity.payroll.rules import Kind, Layout, RowRules, Why
from hzcity.payroll.source import salary_column


def _either(read, text):
    try:
        return read(text)
    except BadInput as exc:
        return str(exc)


@given(st.one_of(st.from_regex(r"[0-9０-９]{1,9}([.．][0-9]{0,3})?", fullmatch=True),
                 st.from_regex(r"[ ¥?0-9,.\-]{1,12}", fullmatch=True)))  # fmt: skip
def test_the_payroll_shortcut_reads_a_cell_as_salary_does(text: str) -> None:
    """One amount syntax: the engines' shortcut for plain cells is parse_amount's reading."""
    assert _either(rules.amount, text) == _either(lambda t: parse_amount(t, "salary"), text)


@pytest.mark.parametrize("text", ["６０００", "６，００１．５０", "￥６０００", "　6000　"])
def test_full_width_digits_are_an_amount_in_a_cell_and_on_the_command_line(hz, text):
    wanted = parse_amount(text.translate({0xFFE5: None}).replace("　", ""))
    assert rules.amount(text) == wanted
    result = hz("premium", "--salary", text, "--industry-class", "4", "--date", "2024-06-01",
                "--format", "json")  # fmt: skip
    assert result.code == 0 and f'"salary": "{wanted}"' in result.out


def test_a_currency_sign_lost_to_a_gbk_export_is_said_so():
    said = r"'\?6,001\.00' is not an amount: the '\?' stands where a currency sign \(¥\) was"
    with pytest.raises(BadInput, match=said + ", lost when the file was saved as GBK"):
        rules.amount("?6,001.00")


HEADER = ["序号", "姓名", "部门", "缴费基数"]


def _sorted(rows: list[list[str]], header: list[str] = HEADER) -> list[tuple[Kind, Why | None]]:
    sorter = RowRules(Layout.of(header, len(header) - 1))
    return [(v.kind, v.why) for v in map(sorter.sort, rows)]


EMPLOYEE = (Kind.employee, None)


@pytest.mark.parametrize(
    "label", ["合计", "合计：", "小计：", "本页小计", "部门合计", "办公室小计", "Subtotal",
              "合计金额", "总计：", "共 计", "累计", "TOTAL", "(合计)", "合 计:"],
)  # fmt: skip
def test_a_label_naming_a_total_makes_a_total_row_wherever_it_stands(label):
    rows = [["1", "张三", "办公室", "6000"], ["", "", label, "6000"], [label, "", "", ""]]
    assert _sorted(rows) == [EMPLOYEE, (Kind.total, Why.label), (Kind.total, Why.label)]


def test_a_row_with_no_name_is_a_total_when_it_is_the_sum_of_the_rows_above():
    rows = [["1", "张三", "办公室", "6000"], ["2", "李四", "办公室", "7000.50"],
            ["", "", "办公室", "13,000.50"],  # the department's subtotal
            ["3", "王五", "财务部", "5000"], ["", "", "", "5000"],  # one employee's subtotal
            ["", "", "", "18000.50"],  # the grand total: every employee, not the subtotals
            ["4", "赵六", "", "18000.50"]]  # fmt: skip  # a name: an employee, whatever the sum
    assert _sorted(rows) == [EMPLOYEE, EMPLOYEE, (Kind.total, Why.sum), EMPLOYEE,
                             (Kind.total, Why.sum), (Kind.total, Why.sum), EMPLOYEE]  # fmt: skip


def test_a_row_with_no_name_and_another_figure_is_charged():
    rows = [["1", "张三", "", "6000"], ["", "", "", "6500"]]
    assert _sorted(rows) == [EMPLOYEE, EMPLOYEE]


def test_without_a_name_column_one_figure_equal_to_the_one_above_is_no_sum():
    rows = [["6000"], ["6000"], ["12000"]]
    assert _sorted(rows, ["缴费基数"]) == [EMPLOYEE, EMPLOYEE, (Kind.total, Why.sum)]


@pytest.mark.parametrize(
    "row", [["制表人：王丽", "", "", ""], ["", "", "", "制表日期：2024年6月28日"],
            ["审核:", "", "复核:", ""], ["张会计", "", "", "日期：2024-06-28"],
            ["备注：基数以核定为准", "", "", ""], ["单位盖章", "", "", ""]],
)  # fmt: skip
def test_footers_under_any_column_are_footers(row):
    assert _sorted([["1", "张三", "", "6000"], row]) == [EMPLOYEE, (Kind.footer, None)]


def test_a_footer_word_with_an_amount_in_the_salary_cell_is_an_employee():
    """A department named like a footer word is no footer when the row has its salary."""
    assert _sorted([["1", "日期部", "", "6000"]], ["序号", "部门", "x", "缴费基数"]) == [EMPLOYEE]


def test_the_header_repeated_is_skipped():
    assert _sorted([["序号", "姓名", "部门", "缴费 基数"]]) == [(Kind.header, None)]


@pytest.mark.parametrize(
    ("formula", "row", "total"),
    [("SUM(G3:G55)", 56, True), ("SUBTOTAL(9,G3:G10)", 11, True), ("SUM(G12,G30)", 31, True),
     ("SUM($G$3:$G$6)", 7, True), ("of:=SUM([.G3:.G6])", 7, True),
     ("of:=SUBTOTAL(9;[.G3:.G6])", 7, True),
     ("SUM(D5:F5)", 5, False),  # a row's own parts: an employee's base
     ("SUM(G3:G55)", 40, False), ("SUM(G5)", 7, False), ("G3+G4", 5, False),
     ("SUM(Sheet2!G3:G5)", 9, False), ("of:=SUM([$Sheet2.G3:.G6])", 7, False)],
)  # fmt: skip
def test_a_total_formula_sums_the_cells_above_it_in_its_column(formula, row, total):
    assert rules.column_sum(formula, 6, row) is total


@pytest.mark.parametrize(
    ("header", "column", "rank"),
    [("姓名,应发工资,社保基数", "社保基数", rules.Rank.base),
     ("姓名,基本工资,绩效工资,应发合计,实发工资", "应发合计", rules.Rank.gross),
     ("姓名,工资,缴费基数", "缴费基数", rules.Rank.base),
     ("name,Wage,Base", "Base", rules.Rank.base),
     ("姓名,社保缴费基数（元）", "社保缴费基数（元）", rules.Rank.base)],
)  # fmt: skip
def test_the_column_the_premium_is_levied_on(header, column, rank):
    named = header.split(",")
    index, found = salary_column(named, None, "p.csv:1")
    assert index is not None and (named[index], found) == (column, rank)


@pytest.mark.parametrize(
    ("header", "says"),
    [("姓名,缴费基数,社保缴费基数", "p.csv:1: 2 columns could be the contribution base: "
      "缴费基数, 社保缴费基数; name the one to use with --column"),
     ("姓名,应发工资,工资总额", "p.csv:1: 2 columns could be gross pay: 应发工资, 工资总额; "
      "name the one the premium is levied on with --column"),
     ("姓名,基本工资,岗位工资,绩效工资,实发工资", "p.csv:1: no column holds the contribution "
      "base or gross pay; 基本工资, 岗位工资, 绩效工资, 实发工资: net pay or parts of pay, never "
      "the base by themselves; name the column to use with --column")],
)  # fmt: skip
def test_a_column_the_header_does_not_decide_is_refused_naming_the_candidates(header, says):
    with pytest.raises(BadInput) as caught:
        salary_column(header.split(","), None, "p.csv:1")
    assert str(caught.value) == says


def test_a_named_column_is_taken_whatever_it_holds():
    assert salary_column(["姓名", "基本工资", "实发工资"], "实发工资", "p:1") == (2, None)


def test_the_amount_a_total_carried_is_never_charged():
    """The sums a total is compared with are the employees', not an earlier total's."""
    sorter = RowRules(Layout.of(HEADER, 3))
    verdicts = [sorter.sort(r) for r in (["1", "张三", "", "100"], ["合计", "", "", "100"],
                                         ["", "", "", "100"])]  # fmt: skip
    assert [v.kind for v in verdicts] == [Kind.employee, Kind.total, Kind.total]
    assert verdicts[0].amount == Decimal("100.00") and verdicts[1].amount is None


def test_a_grand_total_summing_the_subtotals_too_is_a_total():
    """=SUM(G3:G9) over a column holding subtotals: in an .xls, whose formulas calamine does
    not give, only its figure tells."""
    rows = [["1", "张三", "办公室", "6000"], ["", "", "办公室小计", "6000"],
            ["2", "李四", "财务部", "7000"], ["", "", "", "7000"],
            ["", "", "", "26000"]]  # fmt: skip
    assert _sorted(rows) == [EMPLOYEE, (Kind.total, Why.label), EMPLOYEE, (Kind.total, Why.sum),
                             (Kind.total, Why.sum)]  # fmt: skip


def test_an_ods_cell_after_repeated_blank_rows_is_placed_on_its_own_row(tmp_path):
    """LibreOffice writes two blank rows as one row element repeated: the rows below count
    both (an error cell, a total's formula)."""
    import zipfile

    from hzcity.payroll import workbook

    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    calcext = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    cell = "<table:table-cell{}><text:p>{}</text:p></table:table-cell>"
    rows = [
        cell.format("", "姓名") + cell.format("", "缴费基数"),
        cell.format("", "a") + cell.format("", "6000"),
        None,  # two blank rows, one element
        cell.format("", "b") + cell.format(' calcext:value-type="error"', "#DIV/0!"),
        cell.format("", "") + cell.format(' table:formula="of:=SUM([.B2:.B5])"', "6000"),
    ]
    body = "".join(
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        if r is None
        else f"<table:table-row>{r}</table:table-row>"
        for r in rows
    )
    content = (
        f'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        f' xmlns:table="{table}" xmlns:calcext="{calcext}" xmlns:text="{text}"><office:body>'
        f'<office:spreadsheet><table:table table:name="工资表">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "p.ods"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("content.xml", content)
    with zipfile.ZipFile(path) as book:
        assert workbook._ods_errors(book, 0) == {5: {1: "#DIV/0!"}}
        assert workbook._ods_column_sums(book, 0) == {6: {1}}
