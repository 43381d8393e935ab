"""The reference payroll engine: one row at a time, pure Python, the rule the fast
engine must match byte for byte."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import add, itemgetter

from hzcity.calculators.premium import (
    AMOUNTS,
    Bound,
    Rates,
    amounts,
    contribution_base,
    evaluator,
)
from hzcity.errors import BadInput
from hzcity.i18n import Phrase
from hzcity.payroll.months import EXTRA, Months, Tally, month_text
from hzcity.payroll.rules import amount
from hzcity.payroll.source import PayrollSource, Row


@dataclass(kw_only=True)
class Clamped:
    """Rows whose salary is beyond one contribution-base bound, charged at the bound."""

    side: int  # 0: under a floor, 1: over a ceiling (the order of Rates.bounds)
    bound: Bound
    rows: int = 0
    first: list[str] = field(default_factory=list)  # where the first few are


NAMED = 5  # clamped rows named, the others counted


@dataclass(kw_only=True)
class PayrollTotals:
    """What payroll mode reports on stderr once the rows are written."""

    rows: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    sums: dict[str, Decimal] = field(default_factory=dict)
    # computed columns the input also named: (the name wanted, the name written)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    # the rows each bound clamped (priced by month, each month's bounds may be others)
    clamped: dict[tuple[int, Decimal, str, date | None], Clamped] = field(default_factory=dict)
    by_month: dict[date, Tally] = field(default_factory=dict)  # rows priced by their month

    def clamp(self, side: int, bound: Bound | None, where: Sequence[str], rows: int = 1) -> None:
        """Count ``rows`` rows ``bound`` clamped (``side``: Rates.bounds' order), the first of
        them at ``where`` (in file order)."""
        assert bound is not None  # a base that differs from its salary met a bound
        key = (side, *bound_key(bound))
        if key not in self.clamped:
            self.clamped[key] = Clamped(side=side, bound=bound)
        clamped = self.clamped[key]
        clamped.rows += rows
        clamped.first.extend(where[: NAMED - len(clamped.first)])


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
    totals.renamed = renamings([*(EXTRA if by_month else ()), *AMOUNTS], [*extra, *names])
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
    items = evaluator(rates)
    known = [i for i, v in enumerate(items(Decimal(1))) if v is not None]
    pick = itemgetter(*known)
    sums: tuple[Decimal, ...] = (Decimal(0),) * len(known)
    bounded = base_min is not None or base_max is not None
    low, high = rates.bounds  # where the bounds came from, for the rows they clamp
    bounds = (bound_of(base_min, low), bound_of(base_max, high))
    for row in source.rows:
        salary = _salary(row, skip_bad, totals)
        if salary is None:
            continue
        base = salary
        if bounded:
            base = contribution_base(salary, base_min, base_max)
            if base != salary:
                side = 0 if salary < base else 1
                totals.clamp(side, bounds[side], [row.where])
        values = list(items(base))
        sums = tuple(map(add, sums, pick(values)))
        totals.rows += 1
        yield row, values
    full = [Decimal(0)] * len(AMOUNTS)
    for i, total in zip(known, sums, strict=True):
        full[i] = total
    totals.sums = summed(full, rates)


def bound_key(bound: Bound) -> tuple[Decimal, str, date | None]:
    """What tells one bound from another in the notes: its value, its source, its window."""
    return bound.value, bound.source, bound.dated.start if bound.dated else None


def bound_of(value: Decimal | None, carried: Bound | None) -> Bound | None:
    """The bound of ``value``: the one the rates carry, else an option's."""
    if value is None:
        return None
    return carried if carried is not None and carried.value == value else (
        Bound(value=value, source="option"))  # fmt: skip


def _salary(row: Row, skip_bad: bool, totals: PayrollTotals) -> Decimal | None:
    """The salary of a row; None for a bad row skipped (``skip_bad``), else its error."""
    try:
        if row.error:
            raise BadInput(row.error)
        # the row rules read the amount already; else it is read again to say why not
        return row.amount if row.amount is not None else amount(row.salary)
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
        base = contribution_base(salary, low, high)
        if base != salary:
            side = 0 if salary < base else 1
            totals.clamp(side, rates.bounds[side], [row.where])
        values = list(amounts(base, rates))
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
    """The totals worth reporting: the contribution bases' and each item's, not those of
    items never computed (no rate)."""
    known = [k for k, v in zip(AMOUNTS, amounts(Decimal(1), rates), strict=True) if v is not None]
    return {k: s for k, s in zip(AMOUNTS, sums, strict=True) if k in known}
