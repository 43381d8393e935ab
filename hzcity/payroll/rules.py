"""The payroll row rules, declared once and compiled for both engines.

What a payroll row is (an employee, a total, a footer, a repeated header), which column the
premium is levied on, which cells a spreadsheet would change, and the amount syntax: the
reference engine applies them here in Python (``RowRules``, ``column_rank``, the compiled
patterns); the Arrow engine (hzcity/payroll/fast.py) gets them compiled to RE2 patterns
for pyarrow.compute (``arrow_*``), used to prove that a file holds none of the rows and cells
only the reference engine words, or to hand the file over. The premium items themselves are
declared in hzcity/calculators/premium.py (the single-salary answer, below the payroll in the
layer map, computes them too) and compiled for Arrow in whole fen by fast.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from typing import Any, NamedTuple

from hzcity.calculators.premium import SALARY
from hzcity.errors import BadInput
from hzcity.money import FEN, MAX_AMOUNT, PLAIN, parse_amount
from hzcity.payroll.extent import column_number

# ---- the amount syntax (declared in hzcity.money, shared with --salary) -------------------

# The usual cell, PLAIN with no leading zero and fewer digits than MAX_AMOUNT: within the
# limits without a comparison, its value Decimal(text) (tests/test_payroll_rules.py holds
# it to parse_amount's reading)
_WHOLE = len(str(int(MAX_AMOUNT))) - 1  # 9,999,999 has 7
_USUAL = re.compile(rf"[1-9][0-9]{{0,{_WHOLE - 1}}}(?:\.[0-9]{{1,2}})?\Z")


def amount(text: str) -> Decimal:
    """A salary cell's amount by the one syntax (BadInput why not): the usual cell at once,
    the rest (commas, a yuan sign, full-width digits, errors) through money.parse_amount."""
    if _USUAL.match(text):
        return Decimal(text).quantize(FEN)
    return parse_amount(text, SALARY)


def an_amount(text: str) -> bool:
    """Whether a cell holds an amount by the one syntax."""
    try:
        amount(text)
    except BadInput:
        return False
    return True


# ---- words: total rows, footers, header names --------------------------------------------

# A row is a total or subtotal when its label, spaces and punctuation removed, holds one of
# these (合计：, 本页小计, 部门合计, 办公室小计, Subtotal, 合计金额, 共 计...).
TOTAL_WORDS = ("合计", "小计", "总计", "共计", "累计", "total", "subtotal")
# A row whose label (or salary cell) starts with one of these, and whose salary cell holds
# no amount, is a signature or note under the table.
FOOTER_WORDS = ("制表", "审核", "复核", "审批", "批准", "负责人", "经办", "填表", "填报",
                "签字", "签名", "签章", "盖章", "日期", "备注", "说明", "注", "主管",
                "财务负责人", "单位负责人", "部门负责人", "单位盖章", "公司盖章",
                "preparedby", "checkedby", "approvedby", "signature", "date", "note")  # fmt: skip


class Rank(IntEnum):
    """What a column's name says it holds, best first: the premium is levied on the
    contribution base; gross pay stands in for it with a note; net pay and pay parts are
    never chosen unless named with --column."""

    base = 1
    gross = 2
    net = 8
    part = 9


# Names as compared (``name_key``: width, case, spaces, underscores and a unit folded away).
COLUMN_NAMES: dict[str, Rank] = {
    **dict.fromkeys(
        ("缴费基数", "社保基数", "社保缴费基数", "月缴费基数", "本月缴费基数", "缴费工资",
         "缴费工资基数", "社保缴费工资", "核定基数", "核定缴费基数", "申报基数", "申报缴费基数",
         "社会保险缴费基数", "参保基数", "失业保险缴费基数", "工伤保险缴费基数",
         "养老保险缴费基数", "养老缴费基数", "基数", "base", "contributionbase"),
        Rank.base,
    ),
    **dict.fromkeys(
        ("应发工资", "应发合计", "应发金额", "应发数", "应发", "应发薪资", "应发工资合计",
         "工资总额", "工资合计", "税前工资", "月工资", "本月工资", "工资", "工资额", "月薪",
         "薪资", "薪酬", "gross", "grosspay", "grosssalary", "salary", "wage", "wages",
         "pay", "monthlysalary"),
        Rank.gross,
    ),
    **dict.fromkeys(
        ("实发工资", "实发合计", "实发金额", "实发数", "实发", "实领工资", "实领", "实得工资",
         "到手工资", "税后工资", "net", "netpay", "takehomepay"),
        Rank.net,
    ),
    **dict.fromkeys(
        ("基本工资", "基础工资", "岗位工资", "薪级工资", "职务工资", "技能工资", "工龄工资",
         "绩效工资", "绩效", "绩效奖金", "奖金", "津贴", "补贴", "津补贴", "岗位津贴",
         "加班费", "加班工资", "全勤奖", "提成", "basicpay", "bonus", "allowance",
         "overtime"),
        Rank.part,
    ),
}  # fmt: skip
# Columns that name a person (a name, an ID; a row number names nobody): a row with none of
# them filled is no employee's, and may be a total by its sum.
IDENTITY_NAMES = frozenset({
    "姓名", "名字", "员工姓名", "职工姓名", "人员姓名", "员工", "职工", "name", "employee",
    "employeename", "身份证号", "身份证号码", "身份证", "公民身份号码", "证件号码", "证件号",
    "工号", "员工编号", "职工编号", "人员编号", "编号", "个人编号", "社保编号", "社会保障号",
    "社会保障号码", "个人社保号", "id", "employeeid", "staffid",
})  # fmt: skip
_UNIT = re.compile(r"\((元|yuan|rmb|元/月|元/人|月)\)\Z")  # 缴费基数(元): the unit is no name
_NAME_NOISE = re.compile(r"[\s_]+")
_NOT_WORD = re.compile(r"[\W_]+")  # spaces, punctuation and symbols, any width


def name_key(name: str) -> str:
    """A column name as compared: NFKC (full-width letters, digits, brackets), no spaces or
    underscores, any case, no unit in brackets."""
    return _UNIT.sub("", _NAME_NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold())


def folded(text: str) -> str:
    """A label as its words are looked for: NFKC, spaces and punctuation (half- and
    full-width) removed, any case."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).casefold()


def column_rank(name: str) -> Rank | None:
    """What a header cell names, by COLUMN_NAMES; None for any other column."""
    return COLUMN_NAMES.get(name_key(name))


_TOTAL = re.compile("|".join(TOTAL_WORDS))
_NUMERIC = re.compile(r"[\s0-9.,+\-]*\Z")  # a row number or a figure: no label


def label_of(cells: Sequence[str]) -> int | None:
    """The index of a row's label: its first cell that is not blank nor a figure (a row
    number, an amount); None for a row of figures."""
    for i, cell in enumerate(cells):
        if cell and not cell.isdigit() and not _NUMERIC.match(cell):
            return i
    return None


def a_total_label(text: str) -> bool:
    """Whether a label names a total or subtotal row."""
    return _TOTAL.search(folded(text)) is not None


def a_footer(text: str) -> bool:
    """Whether a label (or a salary cell's text) starts a signature or note line."""
    return folded(text).startswith(FOOTER_WORDS)


# A total's formula: SUM or SUBTOTAL (of:= in an .ods, _xlfn. from a newer Excel) of cells
_SUM_CALL = re.compile(r"\s*(?:of:)?=?\s*(?:_xlfn\.)?(?:SUM|SUBTOTAL)\s*\(", re.IGNORECASE)
# a cell reference, its sheet (before ! in .xlsx, before . inside [ ] in .ods) if named
_REFERENCE = re.compile(
    r"(?:('[^']*'|[^\s'!.\[\](),;:=+\-*/]+)[!.])?\.?\$?([A-Z]{1,3})\$?([0-9]{1,7})"
)


def column_sum(formula: str, column: int, row: int) -> bool:
    """Whether a formula in the cell at ``column`` (0-based) and ``row`` is a total's: a SUM
    or SUBTOTAL whose cells are all in its own column, above it, two at least (=SUM(G3:G55),
    =SUBTOTAL(9,G3:G10), =SUM(G12,G30)); not a row's own sum across its parts
    (=SUM(D5:F5)), nor one reaching into another sheet."""
    if not _SUM_CALL.match(formula):
        return False
    rows = []
    for sheet, letters, number in _REFERENCE.findall(formula):
        if sheet or column_number(letters) - 1 != column or not 0 < int(number) < row:
            return False
        rows.append(int(number))
    return (len(rows) > 1 and max(rows) > min(rows)) or len(rows) > 2


# ---- rows -----------------------------------------------------------------------------


class Kind(IntEnum):
    employee = 0
    blank = 1
    header = 2  # the header repeated (a printed sheet's every page)
    total = 3
    footer = 4


class Why(IntEnum):
    """How a total row was known."""

    label = 1  # its label: 合计, 小计, Subtotal...
    formula = 2  # a SUM or SUBTOTAL of the cells above it in its column
    sum = 3  # no name or ID, and the sum of the employee rows above it


class Verdict(NamedTuple):
    """What a row is, and for an employee its salary when it is an amount (None: the
    engine words why not). A NamedTuple: one is made per row."""

    kind: Kind
    amount: Decimal | None = None
    why: Why | None = None
    rows: int = 0  # a total by its sum: the employee rows it sums


@dataclass(frozen=True, kw_only=True)
class Layout:
    """What a header says about its rows: the salary column, the columns naming a person,
    and the header as compared (to know it repeated)."""

    salary: int
    identity: tuple[int, ...]
    header: tuple[str, ...]
    numeric_salary: bool  # the salary column's name is a figure (--column 6000)

    @classmethod
    def of(cls, header: Sequence[str], salary: int) -> Layout:
        keys = tuple(name_key(h) for h in header)
        identity = tuple(i for i, k in enumerate(keys) if k in IDENTITY_NAMES and i != salary)
        return cls(salary=salary, identity=identity, header=keys,
                   numeric_salary=an_amount(header[salary]))  # fmt: skip


class RowRules:
    """The row rules over one table, in order: each row an employee, a blank, a repeated
    header, a total or a footer. Holds the sums of the employee rows since the last total
    and since the start, and of every figure above (subtotals too, as a =SUM over the whole
    column adds them), for a total known only by its sum."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        # a total by its sum needs one employee above it when rows name people, else two:
        # with no name or ID column every row is anonymous, and one figure equal to the
        # one above it is no sum
        self._least = 1 if layout.identity else 2
        self._all, self._rows = Decimal(0), 0  # the employee rows so far
        self._mark, self._mark_rows = Decimal(0), 0  # the same at the last total
        self._totals, self._carried = 0, Decimal(0)  # the totals so far and their figures

    def sort(self, cells: Sequence[str], column_sum: bool = False) -> Verdict:
        """What the row of ``cells`` is (``column_sum``: its salary cell holds a SUM or
        SUBTOTAL of the cells above it, as the workbook says)."""
        layout = self.layout
        salary = cells[layout.salary] if layout.salary < len(cells) else ""
        try:
            value: Decimal | None = amount(salary)
        except BadInput:
            value = None
        # the common row, an employee's amount, its label holding no word of the rules:
        # nothing more to look at (may_be_worded is folded() and the words, made cheap)
        worded = value is None or column_sum or layout.numeric_salary
        if not worded:
            at = label_of(cells)
            worded = at is not None and may_be_worded(cells[at])
        if worded:
            verdict = self._worded(cells, salary, value, column_sum)
            if verdict is not None:
                return verdict
        if value is not None:
            if self._anonymous(cells) and (rows := self._sums(value)):
                return self._total(Kind.total, Why.sum, rows, figure=value)
            self._all += value
        self._rows += 1
        return Verdict(Kind.employee, value)

    def _worded(
        self, cells: Sequence[str], salary: str, value: Decimal | None, column_sum: bool
    ) -> Verdict | None:
        """A blank, footer, repeated header or total row by its label or its formula; None
        for a row that may be an employee's."""
        at = label_of(cells)
        label = "" if at is None else cells[at]
        if not label and value is None and not any(c.strip() for c in cells):
            return Verdict(Kind.blank)
        if label:
            key = folded(label)
            if value is None and (key.startswith(FOOTER_WORDS) or a_footer(salary)):
                return self._total(Kind.footer)
            if (value is None or self.layout.numeric_salary) and self._repeats_header(cells):
                return Verdict(Kind.header)
            if _TOTAL.search(key):
                return self._total(Kind.total, Why.label, figure=value)
        if column_sum:
            return self._total(Kind.total, Why.formula, figure=value)
        return None

    def _total(
        self, kind: Kind, why: Why | None = None, rows: int = 0, figure: Decimal | None = None
    ) -> Verdict:
        if kind is Kind.total:
            self._mark, self._mark_rows = self._all, self._rows
            self._totals += 1
            self._carried += figure or 0
        return Verdict(kind, None, why, rows)

    def _sums(self, value: Decimal) -> int:
        """The employee rows ``value`` is the sum of (those since the last total, or with
        totals above, all of them, or all of them and the totals above), 0 when it is no
        such sum."""
        since = self._rows - self._mark_rows
        if since >= self._least and value == self._all - self._mark:
            return since
        if (
            self._totals
            and self._rows >= self._least
            and value
            in (
                self._all,
                self._all + self._carried,
            )
        ):
            return self._rows
        return 0

    def _anonymous(self, cells: Sequence[str]) -> bool:
        """No cell naming a person is filled (with no such column: no text but figures)."""
        identity = self.layout.identity
        if not identity:
            return all(_NUMERIC.match(c) for c in cells)
        first = identity[0]  # (most rows have it: no generator for them)
        if first < len(cells) and cells[first].strip():
            return False
        return all(i >= len(cells) or not cells[i].strip() for i in identity)

    def _repeats_header(self, cells: Sequence[str]) -> bool:
        header = self.layout.header
        return all(name_key(c) == h for c, h in zip(cells, header, strict=False)) and not any(
            c.strip() for c in cells[len(header) :]
        )


# ---- cells a spreadsheet would change (the .csv for Excel) ------------------------------

# OWASP, CSV injection: a cell starting with one of these is a formula to a spreadsheet...
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...unless it is a number, which a spreadsheet reads as one ("-500" is a deduction).
NUMBER = r"[-+]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?"
# Digits a spreadsheet would turn into a number and lose: an ID, a leading zero.
LONG_DIGITS = r"[0-9]{12,}|0[0-9]+"
# Text a spreadsheet reads as another value, which CSV has no way to protect: a date, an
# exponent (1E5), a leading-zero decimal, more digits than a double keeps.
CHANGED = (
    r"[0-9]{1,4}[-/][0-9]{1,2}(?:[-/][0-9]{1,4})?|[-+]?[0-9.]+[eE][-+]?[0-9]+"
    r"|0[0-9]*\.[0-9]+|[-+]?[0-9]{16,}(?:\.[0-9]*)?|[0-9]+\.[0-9]{16,}"
)
NUMBER_CELL = re.compile(f"(?:{NUMBER})\\Z")
LONG_DIGITS_CELL = re.compile(f"(?:{LONG_DIGITS})\\Z")
CHANGED_CELL = re.compile(f"(?:{CHANGED})\\Z")
# Any cell of comma-separated unquoted lines (each cell after a comma) that one of the rules
# above would touch (a formula sign, even before a number: the reference engine decides):
# the rows the fast engine made for a .csv for Excel hold none, or the reference engine
# writes the file, with its notes.
EXCEL_UNSAFE_BYTES = re.compile(
    (
        ",(?:["
        + re.escape("".join(FORMULA_START))
        + f"]|(?:{LONG_DIGITS})(?=,|$)|(?:{CHANGED})(?=,|$))"
    ).encode(),
    re.MULTILINE,
)


# ---- rows that may be worded, and the Arrow engine's rules (RE2, as pyarrow takes them) --

# The alphabet on which a pattern sees what ``folded`` and str.strip() see: ASCII, CJK
# punctuation and CJK ideographs, which NFKC and casefold leave as they are (but for ASCII
# case). A text holding another character is looked at whole (by the reference engine).
_ARROW_ALPHABET = ((0x00, 0x7F), (0x3001, 0x303F), (0x4E00, 0x9FFF))


def _ranges(codes: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending code points as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def _re2(code: int) -> str:
    return f"\\x{{{code:x}}}"


def _python(code: int) -> str:
    return f"\\u{code:04x}"


def _class(runs: Iterable[tuple[int, int]], escape: Callable[[int], str], *, but: bool) -> str:
    """A character class of code point ``runs`` (``but``: every other character)."""
    return "[" + "^" * but + "".join(f"{escape(a)}-{escape(b)}" for a, b in runs) + "]"


# What ``folded`` removes between a word's letters, among the alphabet: the very characters
# its pattern matches, as runs
_REMOVED = _ranges(
    c for a, b in _ARROW_ALPHABET for c in range(a, b + 1) if _NOT_WORD.match(chr(c))
)
_WORDS = (*TOTAL_WORDS, *FOOTER_WORDS)
# For the Arrow engine: a line that may hold a word (its letters with anything folded()
# removes between them), or a character outside the alphabet. RE2's \pL and \pN classes
# would cost ten times the listed runs.
_BETWEEN = _class(_REMOVED, _re2, but=False) + "*"
ARROW_SUSPECT = (
    "(?i:"
    + "|".join(_BETWEEN.join(_re2(ord(c)) for c in word) for word in _WORDS)
    + ")|"
    + _class(_ARROW_ALPHABET, _re2, but=True)
)
# For the reference: the same on a label, the removed characters dropped at C speed
_DROP = dict.fromkeys(c for a, b in _REMOVED for c in range(a, b + 1))
_FOREIGN = re.compile(_class(_ARROW_ALPHABET, _python, but=True))
_ANY_WORD = re.compile("|".join(map(re.escape, _WORDS)))


def may_be_worded(text: str) -> bool:
    """Whether ``folded(text)`` may hold a total or footer word (True for any text outside
    the alphabet): what spares the reference engine folding every row's label."""
    return bool(_FOREIGN.search(text) or _ANY_WORD.search(text.translate(_DROP).lower()))


ARROW_PLAIN = f"^{PLAIN}$"
# Python's str.strip() on ASCII: every ASCII character str.isspace() takes
_ASCII_SPACE = "".join(chr(c) for c in range(128) if chr(c).isspace())


def arrow_blank(texts: Any) -> Any:
    """Which of a block's cells are blank as str.strip() sees them (the other characters
    there are are no spaces, or foreign: the line is handed over)."""
    import pyarrow.compute as pc

    return pc.equal(pc.ascii_trim(texts, characters=_ASCII_SPACE), "")


def arrow_salaries(texts: Any) -> Any:
    """A block's salary texts as decimal128 amounts, or None when one is not a plain amount
    within the limits of the one syntax (the reference engine reads or words it)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.all(pc.match_substring_regex(texts, ARROW_PLAIN)).as_py():
        return None
    try:
        base = pc.cast(texts, pa.decimal128(12, 2))
    except pa.ArrowInvalid:  # more digits than a base has
        return None
    low, high = pc.min_max(base).values()
    if low.as_py() <= 0 or high.as_py() > MAX_AMOUNT:
        return None
    return base
