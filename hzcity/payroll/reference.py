"""The reference payroll engine: one row at a time, pure Python, the rule the fast
engine must match byte for byte."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import add, itemgetter

from hzcity.calculators.premium import AMOUNTS, SALARY, Rates, amounts, contribution_base
from hzcity.errors import BadInput
from hzcity.i18n import Phrase
from hzcity.money import FEN, MAX_AMOUNT, parse_amount
from hzcity.payroll.months import EXTRA, Months, Tally, month_text
from hzcity.payroll.source import PayrollSource, Row

# A salary cell as most payrolls hold it: digits and at most two decimals, no sign, no
# leading zero, no comma, below MAX_AMOUNT; parse_amount takes it as Decimal(text) to the
# fen, and the rest (spaces, commas, a yuan sign, errors) still goes through parse_amount.
_WHOLE_DIGITS = len(str(int(MAX_AMOUNT))) - 1  # 9,999,999 has 7
_PLAIN = re.compile(rf"[1-9][0-9]{{0,{_WHOLE_DIGITS - 1}}}(?:\.[0-9]{{1,2}})?\Z")


@dataclass(kw_only=True)
class PayrollTotals:
    """What payroll mode reports on stderr once the rows are written."""

    rows: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    sums: dict[str, Decimal] = field(default_factory=dict)
    renamed: list[str] = field(default_factory=list)  # computed columns the input also named
    by_month: dict[date, Tally] = field(default_factory=dict)  # rows priced by their month


def output_columns(header: list[str], keys: Sequence[str] = AMOUNTS) -> list[str]:
    """Names of the computed columns (``keys``); one the input already has gets an
    ``hzcity_`` prefix, so no input field is ever overwritten (in JSON lines) or doubled
    (in CSV)."""
    taken = set(header)
    return [f"hzcity_{key}" if key in taken else key for key in keys]


def dated(row: Row) -> list[str]:
    """The cells a row priced by its month gains: its month and the day of its rates."""
    month = row.month
    assert month is not None  # every row of a payroll priced by month has one
    return [month_text(month), month.isoformat()]


def payroll(
    source: PayrollSource,
    rates: Rates | Months,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
    skip_bad: bool = False,
    totals: PayrollTotals,
    keyed: bool = False,
) -> Iterator[list[str | None]]:
    """The reference engine as text: the header (as written, or with ``keyed`` the distinct
    keys JSON needs), then one row per employee row of ``source``: its cells (priced by
    ``Months``: then its month and the day of its rates), then the computed amounts (empty
    where no rate applies; None, JSON's null, with ``keyed``). Constant memory: a row is
    yielded as soon as it is read."""
    header = source.keys if keyed else source.header
    names = output_columns(header)
    by_month = isinstance(rates, Months)
    extra = output_columns(header, EXTRA) if by_month else []
    totals.renamed = [n for n in [*extra, *names] if n not in (*EXTRA, *AMOUNTS)]
    yield [*header, *extra, *names]
    rows = answers(source, rates, base_min, base_max, skip_bad, totals)
    if by_month:
        missing = None if keyed else ""
        for row, values in rows:
            yield [*row.cells, *dated(row), *(str(v) if v is not None else missing for v in values)]
        return
    assert isinstance(rates, Rates)
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
    rates: Rates | Months,
    base_min: Decimal | None,
    base_max: Decimal | None,
    skip_bad: bool,
    totals: PayrollTotals,
) -> Iterator[tuple[Row, list[Decimal | None]]]:
    """The seam between readers and writers: each employee row as read (its location, its
    cells as text and as typed) and its exact amounts. A bad row stops the run with its
    location, or with ``skip_bad`` is listed in ``totals.skipped``. Totals are sums of the
    rounded items, like the single-salary totals. Priced by ``Months``, each row at the
    rates of its month (and the bounds of that month, ``base_min``/``base_max`` unused),
    and the run ends in one error naming every month met without rates."""
    if isinstance(rates, Months):
        yield from _by_month(source, rates, skip_bad, totals)
        return
    # Which items are None depends on the rates alone: only the others are summed, by index.
    known = [i for i, v in enumerate(amounts(Decimal(1), rates)) if v is not None]
    pick = itemgetter(*known)
    sums: tuple[Decimal, ...] = (Decimal(0),) * len(known)
    bounded = base_min is not None or base_max is not None
    for row in source.rows:
        salary = _salary(row, skip_bad, totals)
        if salary is None:
            continue
        base = contribution_base(salary, base_min, base_max) if bounded else salary
        values = list(amounts(base, rates))
        sums = tuple(map(add, sums, pick(values)))
        totals.rows += 1
        yield row, values
    full = [Decimal(0)] * len(AMOUNTS)
    for i, total in zip(known, sums, strict=True):
        full[i] = total
    totals.sums = summed(full, rates)


def _salary(row: Row, skip_bad: bool, totals: PayrollTotals) -> Decimal | None:
    """The salary of a row; None for a bad row skipped (``skip_bad``), else its error."""
    text = row.salary
    try:
        if row.error:
            raise BadInput(row.error)
        if _PLAIN.match(text):  # the usual cell: what parse_amount would return
            return Decimal(text).quantize(FEN)
        return parse_amount(text, SALARY)
    except BadInput as exc:
        if not skip_bad:
            raise BadInput(Phrase("{where}: {why}", where=row.where, why=exc.message)) from None
        totals.skipped.append((row.where, exc.message))
        return None


def _by_month(
    source: PayrollSource, months: Months, skip_bad: bool, totals: PayrollTotals
) -> Iterator[tuple[Row, list[Decimal | None]]]:
    """``answers`` for rows priced at the rates of their month: a look-up per row."""
    tallies = totals.by_month
    for row in source.rows:
        salary = _salary(row, skip_bad, totals)
        if salary is None:
            continue
        month = row.month
        assert month is not None  # dated by the reader or hzcity.payroll.months
        rates = months.rates(month)
        if rates is None:  # named with every other such month at the end
            continue
        low, high = rates.limits()
        values = list(amounts(contribution_base(salary, low, high), rates))
        tally = tallies.get(month)
        if tally is None:
            tally = tallies[month] = Tally()
        tally.add(1, values)
        totals.rows += 1
        yield row, values
    months.check()
    totals.sums = month_sums(totals.by_month, months)


def month_sums(tallies: dict[date, Tally], months: Months) -> dict[str, Decimal]:
    """The file's totals of a payroll priced by month: the months' sums, summed."""
    whole = Tally()
    for tally in tallies.values():
        whole.add(tally.rows, tally.sums)
    sample = next(iter(months.used().values()), None)
    return summed(whole.sums, sample) if sample is not None else {}


def summed(sums: list[Decimal], rates: Rates) -> dict[str, Decimal]:
    """The totals worth reporting: not the sum of bases, not items never computed."""
    known = [k for k, v in zip(AMOUNTS, amounts(Decimal(1), rates), strict=True) if v is not None]
    return {k: s for k, s in zip(AMOUNTS, sums, strict=True) if k in known[1:]}
