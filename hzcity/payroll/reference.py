"""The reference payroll engine: one row at a time, pure Python, the rule the fast
engine must match byte for byte."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add, itemgetter

from hzcity.calculators.premium import AMOUNTS, SALARY, Rates, amounts, contribution_base
from hzcity.errors import BadInput
from hzcity.i18n import Phrase
from hzcity.money import FEN, MAX_AMOUNT, parse_amount
from hzcity.payroll.source import PayrollSource, Row

# A salary cell as most payrolls hold it: digits and at most two decimals, no sign, no
# leading zero, no comma, below MAX_AMOUNT; parse_amount takes it as Decimal(text) to the
# fen, and the rest (spaces, commas, a yuan sign, errors) still goes through parse_amount.
_WHOLE_DIGITS = len(str(int(MAX_AMOUNT))) - 1  # 9,999,999 has 7
_PLAIN = re.compile(rf"[1-9][0-9]{{0,{_WHOLE_DIGITS - 1}}}(?:\.[0-9]{{1,2}})?\Z")


@dataclass(kw_only=True)
class Clamped:
    """Rows whose salary is beyond a contribution-base bound, charged at the bound."""

    rows: int = 0
    first: list[str] = field(default_factory=list)  # where the first few are

    def add(self, where: str) -> None:
        self.rows += 1
        if len(self.first) < NAMED:
            self.first.append(where)


NAMED = 5  # clamped rows named, the others counted


@dataclass(kw_only=True)
class PayrollTotals:
    """What payroll mode reports on stderr once the rows are written."""

    rows: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    sums: dict[str, Decimal] = field(default_factory=dict)
    # computed columns the input also named: (the name wanted, the name written)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    below: Clamped = field(default_factory=Clamped)  # rows under the floor
    above: Clamped = field(default_factory=Clamped)  # rows over the ceiling


def output_columns(header: Sequence[str], wanted: Sequence[str] = AMOUNTS) -> list[str]:
    """Names of the computed columns (``wanted``: the stable keys, or their headers for
    people); one the input already has gets an ``hzcity_`` prefix (and a number, if the
    input has that too), so no input field is ever overwritten (in JSON lines) or doubled
    (in CSV, in a workbook)."""
    taken = set(header)
    names = []
    for name in wanted:
        given, number = name, 1
        while given in taken:  # name, hzcity_name, hzcity_name_2...
            given = f"hzcity_{name}" if number == 1 else f"hzcity_{name}_{number}"
            number += 1
        taken.add(given)
        names.append(given)
    return names


def renamings(wanted: Sequence[str], names: Sequence[str]) -> list[tuple[str, str]]:
    """The computed columns ``output_columns`` renamed: (the name wanted, the name given)."""
    return [(w, n) for w, n in zip(wanted, names, strict=True) if w != n]


def payroll(
    source: PayrollSource,
    rates: Rates,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
    skip_bad: bool = False,
    totals: PayrollTotals,
    keyed: bool = False,
) -> Iterator[list[str | None]]:
    """The reference engine as text: the header (as written, or with ``keyed`` the distinct
    keys JSON needs), then one row per employee row of ``source``: its cells, then the
    computed amounts (empty where no rate applies; None, JSON's null, with ``keyed``).
    Constant memory: a row is yielded as soon as it is read."""
    header = source.keys if keyed else source.header
    names = output_columns(header)
    totals.renamed = renamings(AMOUNTS, names)
    yield [*header, *names]
    rows = answers(source, rates, base_min, base_max, skip_bad, totals)
    if None not in amounts(Decimal(1), rates):  # every item has a rate: no empty cell
        for row, values in rows:
            # every value is quantized to the fen: str is "30.01"
            yield [*row.cells, *map(str, values)]
        return
    missing = None if keyed else ""  # JSON says null, as the single-salary answer does
    for row, values in rows:
        yield [*row.cells, *(str(v) if v is not None else missing for v in values)]


def answers(
    source: PayrollSource,
    rates: Rates,
    base_min: Decimal | None,
    base_max: Decimal | None,
    skip_bad: bool,
    totals: PayrollTotals,
) -> Iterator[tuple[Row, list[Decimal | None]]]:
    """The seam between readers and writers: each employee row as read (its location, its
    cells as text and as typed) and its exact amounts. A bad row stops the run with its
    location, or with ``skip_bad`` is listed in ``totals.skipped``. Totals are sums of the
    rounded items, like the single-salary totals."""
    # Which items are None depends on the rates alone: only the others are summed, by index.
    known = [i for i, v in enumerate(amounts(Decimal(1), rates)) if v is not None]
    pick = itemgetter(*known)
    sums: tuple[Decimal, ...] = (Decimal(0),) * len(known)
    bounded = base_min is not None or base_max is not None
    for row in source.rows:
        text = row.salary
        try:
            if row.error:
                raise BadInput(row.error)
            if _PLAIN.match(text):  # the usual cell: what parse_amount would return
                salary = Decimal(text).quantize(FEN)
            else:
                salary = parse_amount(text, SALARY)
        except BadInput as exc:
            if not skip_bad:
                raise BadInput(Phrase("{where}: {why}", where=row.where, why=exc.message)) from None
            totals.skipped.append((row.where, exc.message))
            continue
        base = salary
        if bounded:
            base = contribution_base(salary, base_min, base_max)
            if base != salary:
                (totals.below if salary < base else totals.above).add(row.where)
        values = list(amounts(base, rates))
        sums = tuple(map(add, sums, pick(values)))
        totals.rows += 1
        yield row, values
    full = [Decimal(0)] * len(AMOUNTS)
    for i, total in zip(known, sums, strict=True):
        full[i] = total
    totals.sums = summed(full, rates)


def summed(sums: list[Decimal], rates: Rates) -> dict[str, Decimal]:
    """The totals worth reporting: not the sum of bases, not items never computed."""
    known = [k for k, v in zip(AMOUNTS, amounts(Decimal(1), rates), strict=True) if v is not None]
    return {k: s for k, s in zip(AMOUNTS, sums, strict=True) if k in known[1:]}
