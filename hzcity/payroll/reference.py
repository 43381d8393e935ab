"""The reference payroll engine: one row at a time, pure Python, the rule the fast
engine must match byte for byte."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from hzcity.calculators.premium import AMOUNTS, SALARY, Rates, amounts, contribution_base
from hzcity.errors import BadInput
from hzcity.labels import Phrase
from hzcity.money import parse_amount
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
    missing = None if keyed else ""  # JSON says null, as the single-salary answer does
    for row, values in answers(source, rates, base_min, base_max, skip_bad, totals):
        # every value is quantized to the fen: str is "30.01"; a missing one is an empty cell
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
    sums = [Decimal(0)] * len(AMOUNTS)
    for row in source.rows:
        try:
            if row.error:
                raise BadInput(row.error)
            salary = parse_amount(row.salary, SALARY)
        except BadInput as exc:
            if not skip_bad:
                raise BadInput(Phrase("at", where=row.where, why=exc.message)) from None
            totals.skipped.append((row.where, exc.message))
            continue
        values = list(amounts(contribution_base(salary, base_min, base_max), rates))
        sums = [s + v if v is not None else s for s, v in zip(sums, values, strict=True)]
        totals.rows += 1
        yield row, values
    totals.sums = summed(sums, rates)


def summed(sums: list[Decimal], rates: Rates) -> dict[str, Decimal]:
    """The totals worth reporting: not the sum of bases, not items never computed."""
    known = [k for k, v in zip(AMOUNTS, amounts(Decimal(1), rates), strict=True) if v is not None]
    return {k: s for k, s in zip(AMOUNTS, sums, strict=True) if k in known[1:]}
