"""A payroll month by month: each row's month (a month column as clerks type it, or a sheet
named as a month), the rates in force on the first day of each month, what months lack
rates, and the month totals, as data.

Pricing a row is a look-up of its month in a small table of months: the reference engine
asks ``Months.rates`` per row (a dict look-up once the month is met), the fast engine joins
its rows on the same table (``hzcity.payroll.fast``). Both read a month by ``month_of``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING, Literal

from hzcity.calculators.premium import (
    AMOUNTS,
    InjuryRate,
    Rates,
    amounts,
    benchmark_rate,
    needs,
    rates_at,
)
from hzcity.errors import BadInput, NoRateInForce
from hzcity.i18n import Given, Phrase
from hzcity.money import percent
from hzcity.policy.dated import Parameter, parameter, template_command

if TYPE_CHECKING:
    from hzcity.payroll.source import PayrollSource, Row
    from hzcity.policy.dated import Parameters

# A column holding each row's month (费款所属期: the month a contribution is due for), in
# order of preference; compared as salary columns are (NFKC, no spaces, any case).
MONTH_COLUMNS = ("所属期", "费款所属期", "所属月份", "缴费月份", "月份", "期间", "month", "period")
EXTRA = ("month", "date")  # the columns a row priced by its month gains, before the amounts

_SPACES = re.compile(r"\s+")
# 2024-06, 2024-6, 2024/6, 2024.06, 2024年6月, 2024年06月份
_YEAR_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:月份?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})")  # 202406
# a day typed as text (any day of the month), with a time as a spreadsheet may add one
_DAY = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_MONTH_ONLY = re.compile(r"(\d{1,2})月份?")  # 6月: the year comes from elsewhere
_ONE_DECIMAL = re.compile(r"\d{4}\.\d")  # a number 2024.1: Excel shows 2024.10 so
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")  # 2024年12月工资表, 2024年度
CACHED = 4096  # distinct month texts remembered per source (a clerk's file has a few dozen)


def month_of(text: str, value: object = None, year: int | None = None) -> date:
    """The first day of the month a cell names: ``value`` as a workbook typed it (a date
    cell, any day of the month) or its ``text`` as clerks type it (2024-06, 2024年6月,
    202406, 2024/6, 2024.06, a date; 6月 with ``year``). BadInput says why not."""
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    shown = text.strip()
    if not shown:
        raise BadInput(Phrase("the month cell is empty"))
    if isinstance(value, float) and _ONE_DECIMAL.fullmatch(shown):
        raise BadInput(
            Phrase(
                "the number {text} may be the month {january} or {october} (a "
                "number cell drops a last zero): type the month as text, such "
                "as {october}",
                text=shown,
                january=f"{shown[:4]}-{shown[5:]:0>2}",
                october=f"{shown[:4]}-{shown[5:]}0",
            )
        )
    normal = _SPACES.sub("", unicodedata.normalize("NFKC", shown))
    found = _YEAR_MONTH.fullmatch(normal) or _COMPACT.fullmatch(normal) or _DAY.fullmatch(normal)
    try:
        if found is not None:
            first = date(int(found.group(1)), int(found.group(2)), 1)
            if found.re is _DAY:  # the day must exist: 2024-02-30 is a typing error
                first.replace(day=int(found.group(3)))
            return first
        only = _MONTH_ONLY.fullmatch(normal)
        if only is not None:
            if year is None:
                raise BadInput(
                    Phrase("the month {text!r} has no year: give it with --year", text=shown)
                )
            return date(year, int(only.group(1)), 1)
    except ValueError:
        pass  # month 13, day 32, year 0
    raise BadInput(
        Phrase("{text!r} is no month: write it as 2024-06, 2024年6月 or 202406", text=shown)
    )


def month_text(month: date) -> str:
    """2024-06: a month as every answer writes it."""
    return f"{month.year:04d}-{month.month:02d}"


def month_column(header: Sequence[str], wanted: str | None, salary: int, where: str) -> int | None:
    """The index of the month column: ``wanted`` (--month-column), which must exist, else
    the first of MONTH_COLUMNS the header names; None when there is none. The salary
    column is never the month."""
    from hzcity.payroll.rules import name_key  # the one rule for comparing column names

    names = [name_key(cell) for cell in header]
    for name in (wanted,) if wanted is not None else MONTH_COLUMNS:
        if name_key(name) in names:
            index = names.index(name_key(name))
            if index == salary:
                raise BadInput(
                    Phrase(
                        "the month column {column} is the salary column: name "
                        "another with --month-column",
                        column=header[index],
                    )
                )
            return index
    if wanted is not None:
        listed = [cell for cell in header if cell.strip()]
        raise BadInput(
            Phrase(
                "{where}: no column {column!r} in the header ({listed})",
                where=where,
                column=wanted,
                listed=listed,
            )
        )
    return None


def sheet_month(name: str, titles: Sequence[str], year: int | None) -> date | None:
    """The month a sheet's name gives (2024年12月, 2024-12, or 12月 with the year of the
    title rows above its header, else ``year``); None when the name is no month."""
    normal = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    if _MONTH_ONLY.fullmatch(normal):
        if year is None:
            found = next((m for t in titles if (m := _TITLE_YEAR.search(t))), None)
            year = int(found.group(1)) if found else None
        if year is None:
            raise BadInput(
                Phrase(
                    "sheet {sheet!r} is named as a month but no title row above "
                    "its header gives the year: give it with --year",
                    sheet=name,
                )
            )
    elif not (_YEAR_MONTH.fullmatch(normal) or _COMPACT.fullmatch(normal)):
        return None
    try:
        return month_of(name, year=year)
    except BadInput:
        return None  # 2024-13, 1999年15月: a name, not a month


def dated_rows(source: PayrollSource, index: int, year: int | None) -> Iterator[Row]:
    """``source``'s rows, each with the month of its cell in column ``index``; a row whose
    month cannot be read carries that problem at the month cell (its salary's own problem,
    if any, first), as a bad salary does. (The rows are taken now: the result may replace
    ``source.rows``.)"""
    return _dated(source.rows, source.cell, index, year)


def _dated(
    rows: Iterator[Row], cell: Callable[[int, int], str], index: int, year: int | None
) -> Iterator[Row]:
    known: dict[tuple[str, type], date | str] = {}
    for row in rows:
        cells, values = row.cells, row.values
        text = cells[index] if index < len(cells) else ""
        value = values[index] if values is not None and index < len(values) else None
        key = (text, value.__class__)
        month = known.get(key)
        if month is None:
            if len(known) >= CACHED:
                known.clear()
            try:
                month = known[key] = month_of(text, value, year)
            except BadInput as exc:
                month = known[key] = exc.message
        if isinstance(month, date):
            yield row._replace(month=month)
        elif row.error:
            yield row
        else:
            yield row._replace(where=cell(row.number, index), error=month)


class Months:
    """The month -> Rates map of a payroll priced month by month: each month's rates are
    those in force on its first day (as ``--date YYYY-MM-01`` would give), made once; a month
    lacking one is remembered with what it lacks, for one error at the end (``check``)."""

    def __init__(
        self,
        params: Parameters,
        *,
        industry_class: int | None = None,
        own_rate: Decimal | None = None,
        base_min: Decimal | None = None,
        base_max: Decimal | None = None,
        column: int | None = None,
        year: int | None = None,
    ) -> None:
        self.params, self.industry_class, self.own_rate = params, industry_class, own_rate
        self.base_min, self.base_max = base_min, base_max
        # the column giving each row's month, when one does (the fast engine reads it), and
        # the year of a month written without one
        self.column, self.year = column, year
        injury = industry_class is not None or own_rate is not None
        self.injury = injury  # whether the work-injury items are computed
        self.names = needs(
            industry_class=industry_class is not None,
            own_rate=own_rate is not None,
            every_class=False,
        )
        self._rates: dict[date, Rates] = {}
        self.missing: dict[date, list[Parameter]] = {}

    def rates(self, month: date) -> Rates | None:
        """The rates of ``month`` (its first day), None when one it needs is not in force
        (recorded in ``missing``). Safe on several threads: a month made twice is the same."""
        found = self._rates.get(month)
        if found is not None or month in self.missing:
            return found
        lacking = [
            p for p in (parameter(n, self.params) for n in self.names) if not p.in_force(month)
        ]
        if lacking:
            self.missing[month] = lacking
            return None
        injury: InjuryRate | None = None
        if self.industry_class is not None:
            injury = benchmark_rate(self.industry_class, month, self.params)
        elif self.own_rate is not None:
            injury = InjuryRate(current=self.own_rate, source="own")
        found = self._rates[month] = rates_at(
            month, injury, self.params, base_min=self.base_min, base_max=self.base_max
        )
        return found

    def used(self) -> dict[date, Rates]:
        """Every month met that has rates, in order."""
        return dict(sorted(self._rates.items()))

    def check(self) -> None:
        """NoRateInForce naming each month met without rates, what it lacks (as ``premium``
        names them for one day) and the command that writes a file to fill in."""
        if not self.missing:
            return
        groups: dict[tuple[str, ...], list[date]] = {}
        for month, lacking in sorted(self.missing.items()):
            groups.setdefault(tuple(p.name for p in lacking), []).append(month)
        said = []
        for names, months in groups.items():
            items = [_item(parameter(n, self.params)) for n in names]
            said.append(Phrase("{months}: {items}", months=spans(months), items=items))
        # a template holds one year from its --date: one per year, from its first month
        years: dict[int, tuple[date, set[str]]] = {}
        for month, lacking in sorted(self.missing.items()):
            names_ = years.setdefault(month.year, (month, set()))[1]
            names_.update(p.name for p in lacking)
        commands = [
            template_command(sorted(n, key=self.names.index), first) for first, n in years.values()
        ]
        raise NoRateInForce(
            Phrase(
                "no rates in force for {n} month of the payroll: {months}. To compute with a "
                "notice you cite, write a file to fill in: {command} (see 'User parameter "
                "files' in facts/README.md).",
                plural="no rates in force for {n} months of the payroll: {months}. To compute "
                "with a notice you cite, write a file to fill in: {command} (see 'User parameter "
                "files' in facts/README.md).",
                n=len(self.missing),
                months=_joined(said),
                command=_joined(commands),
            )
        )


def _item(param: Parameter) -> Phrase:
    """A parameter lacking, as ``premium``'s message for one day names it."""
    windows = [v.label for v in param.values] or Phrase("none")
    return Phrase("{name} ({label}; windows: {windows})", name=param.name,
                  label=Given(en=param.label_en, zh=param.label_zh), windows=windows)  # fmt: skip


def _joined(parts: Sequence[str]) -> str:
    """Parts that are lists themselves, one after another: a; b; c."""
    return reduce(
        lambda before, after: Phrase("{before}; {after}", before=before, after=after), parts
    )


def spans(months: Sequence[date]) -> list[str]:
    """Months as runs: [2024-11…2025-01, 2025-03] for 2024-11, 2024-12, 2025-01, 2025-03."""
    runs: list[list[date]] = []
    for month in sorted(months):
        if runs and _next(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return [
        month_text(r[0]) if len(r) == 1 else f"{month_text(r[0])}…{month_text(r[-1])}" for r in runs
    ]


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(kw_only=True)
class Tally:
    """A running head count and sum of each amount (AMOUNTS order; an item without a rate
    sums to 0) of one month's rows: the rounded items, summed."""

    rows: int = 0
    sums: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * len(AMOUNTS))

    def add(self, count: int, sums: Sequence[Decimal | None]) -> None:
        self.rows += count
        self.sums = [s + v if v is not None else s for s, v in zip(self.sums, sums, strict=True)]


@dataclass(frozen=True, kw_only=True)
class MonthTotal:
    """A line of the month totals: one month (with its rates), one calendar year of a
    payroll spanning several, or the whole file."""

    kind: Literal["month", "year", "total"]
    month: date | None  # a month's first day; a year's 1 January
    rows: int
    amounts: dict[str, Decimal | None]  # AMOUNTS; None: no rate for the item
    rates: Rates | None = None  # a month's

    def as_record(self) -> dict[str, object]:
        """Keys for scripts: the month (2024-06, a year 2024, the file null), the day of its
        rates, the head count, each sum as two-place text, the rates in percent."""
        month = self.month
        label = (
            None
            if month is None
            else month_text(month)
            if self.kind == "month"
            else str(month.year)
        )
        rates = self.rates
        injury, cut = (rates.injury, rates.injury_cut) if rates else (None, None)
        return {
            "kind": self.kind,
            "month": label,
            "date": rates.day.isoformat() if rates else None,
            "rows": self.rows,
            **{k: None if v is None else f"{v:.2f}" for k, v in self.amounts.items()},
            "unemployment_employer_rate": percent(rates.unemployment_employer.value)
            if rates
            else None,
            "unemployment_individual_rate": percent(rates.unemployment_individual.value)
            if rates
            else None,
            "work_injury_current_rate": percent(injury.current) if injury else None,
            "work_injury_cut": percent(cut.value) if cut else None,
            "work_injury_reduced_rate": percent(rates.reduced_rate)
            if rates and rates.reduced_rate is not None
            else None,
        }


def month_totals(tallies: dict[date, Tally], months: Months) -> list[MonthTotal]:
    """One line per month in order, then one per calendar year when the months span
    several, then the file's: every figure a sum of the rows' rounded items."""
    used = months.used()
    sample = next(iter(used.values()), None)
    # the items without a rate (no work-injury rate given) are none, as on each row
    known = (
        [v is not None for v in amounts(Decimal(1), sample)] if sample else [True] * len(AMOUNTS)
    )

    def line(
        kind: Literal["month", "year", "total"],
        month: date | None,
        parts: list[Tally],
        rates: Rates | None = None,
    ) -> MonthTotal:
        whole = Tally()
        for tally in parts:
            whole.add(tally.rows, tally.sums)
        sums = {k: s if ok else None for k, s, ok in zip(AMOUNTS, whole.sums, known, strict=True)}
        return MonthTotal(kind=kind, month=month, rows=whole.rows, amounts=sums, rates=rates)

    lines = [line("month", m, [t], used.get(m)) for m, t in sorted(tallies.items())]
    years = sorted({month.year for month in tallies})
    if len(years) > 1:
        lines += [
            line("year", date(y, 1, 1), [t for m, t in tallies.items() if m.year == y])
            for y in years
        ]
    return [*lines, line("total", None, list(tallies.values()))]
