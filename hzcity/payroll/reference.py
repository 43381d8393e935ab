"""The reference payroll engine: one row at a time, pure Python, the rule the fast
engine must match byte for byte."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add, itemgetter

from hzcity.calculators.premium import AMOUNTS, Rates, amounts, contribution_base, evaluator
from hzcity.errors import BadInput
from hzcity.i18n import Phrase
from hzcity.payroll.rules import amount
from hzcity.payroll.source import PayrollSource, Row


@dataclass(kw_only=True)
class PayrollTotals:
    """What payroll mode reports on stderr once the rows are written."""

    rows: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    sums: dict[str, Decimal] = field(default_factory=dict)
    renamed: list[str] = field(default_factory=list)  # computed columns the input also named


def output_columns(header: list[str]) -> list[str]:
    """Names of the computed columns; one the input already has gets an ``hzcity_`` prefix,
    so no input field is ever overwritten (in JSON lines) or doubled (in CSV)."""
    taken = set(header)
    return [f"hzcity_{key}" if key in taken else key for key in AMOUNTS]


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
    totals.renamed = [n for n in names if n not in AMOUNTS]
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
    items = evaluator(rates)
    known = [i for i, v in enumerate(items(Decimal(1))) if v is not None]
    pick = itemgetter(*known)
    sums: tuple[Decimal, ...] = (Decimal(0),) * len(known)
    bounded = base_min is not None or base_max is not None
    for row in source.rows:
        try:
            if row.error:
                raise BadInput(row.error)
            # the row rules read the amount already; else it is read again to say why not
            salary = row.amount if row.amount is not None else amount(row.salary)
        except BadInput as exc:
            if not skip_bad:
                raise BadInput(Phrase("at", where=row.where, why=exc.message)) from None
            totals.skipped.append((row.where, exc.message))
            continue
        base = contribution_base(salary, base_min, base_max) if bounded else salary
        values = list(items(base))
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
