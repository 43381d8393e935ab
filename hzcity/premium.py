"""Unemployment and work-injury insurance premiums, exact to the fen, one salary or a payroll."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from operator import add
from pathlib import Path
from typing import Any, NamedTuple

from hzcity.errors import BadInput
from hzcity.money import parse_amount, round_fen, yuan
from hzcity.policy import DatedValue, parameter

HUNDRED = Decimal(100)
ITEMS = ("contribution_base", "unemployment_employer", "unemployment_individual",
         "work_injury_employer", "work_injury_saving", "employer_total", "individual_total",
         "total")  # fmt: skip
UNEMPLOYMENT_ITEMS = ("contribution_base", "unemployment_employer", "unemployment_individual",
                      "employer_total", "individual_total", "total")  # fmt: skip
SALARY_COLUMNS = ("salary", "contribution_base", "base", "wage", "工资", "缴费基数")


class InjuryRate(NamedTuple):
    """The employer's current work-injury rate (percent) and where it came from."""

    current: Decimal
    source: str
    industry_class: int | None = None


class Rates:
    """Every rate in force on one day, with its window and reference."""

    def __init__(
        self,
        day: date,
        unemployment_employer: DatedValue,
        unemployment_individual: DatedValue,
        injury_cut: DatedValue | None,
        injury: InjuryRate | None,
    ) -> None:
        self.day = day
        self.unemployment_employer = unemployment_employer
        self.unemployment_individual = unemployment_individual
        self.injury_cut = injury_cut
        self.injury = injury
        # fractions, computed once for payroll speed
        self.ue = unemployment_employer.value / HUNDRED
        self.ui = unemployment_individual.value / HUNDRED
        reduced = self.reduced_rate
        self.wi_current = injury.current / HUNDRED if injury else None
        self.wi_reduced = reduced / HUNDRED if reduced is not None else None

    @property
    def reduced_rate(self) -> Decimal | None:
        """The work-injury rate after the cut, in percent (exact: 0.9% cut 50% is 0.45%)."""
        if self.injury is None or self.injury_cut is None:
            return None
        return self.injury.current * (HUNDRED - self.injury_cut.value) / HUNDRED

    def summary(self) -> str:
        """One line naming every rate used and its window, for payroll mode's stderr."""
        text = (
            f"rates of {self.day}: unemployment {self.unemployment_employer.value}% employer + "
            f"{self.unemployment_individual.value}% individual "
            f"({self.unemployment_employer.window})"
        )
        if self.injury and self.injury_cut:
            text += (
                f"; work injury {self.reduced_rate.normalize()}% = {self.injury.current}% "
                f"({self.injury.source}) cut {self.injury_cut.value}% ({self.injury_cut.window})"
            )
        return text

    def as_record(self) -> dict[str, object]:
        record: dict[str, object] = {
            "date": self.day.isoformat(),
            "unemployment_employer_rate": str(self.unemployment_employer.value),
            "unemployment_individual_rate": str(self.unemployment_individual.value),
            "unemployment_window": self.unemployment_employer.window,
            "unemployment_reference": str(self.unemployment_employer.reference),
        }
        if self.injury and self.injury_cut:
            record |= {
                "industry_class": self.injury.industry_class,
                "work_injury_current_rate": str(self.injury.current),
                "work_injury_rate_source": self.injury.source,
                "work_injury_cut": str(self.injury_cut.value),
                "work_injury_reduced_rate": str(self.reduced_rate.normalize()),
                "work_injury_window": self.injury_cut.window,
                "work_injury_reference": str(self.injury_cut.reference),
            }
        return record


def industry_classes(day: date) -> list[int]:
    """The risk classes the benchmark table in force on ``day`` knows (1 to 8 since 2015)."""
    return sorted(parameter("work-injury-benchmark-rate").at(day).by_class)


def benchmark_rate(industry_class: int, day: date) -> InjuryRate:
    """The national benchmark rate of a risk class (人社部发〔2015〕71号)."""
    bench = parameter("work-injury-benchmark-rate").at(day)
    if industry_class not in bench.by_class:
        known = sorted(bench.by_class)
        raise BadInput(f"industry class must be {known[0]} to {known[-1]}, got {industry_class}")
    return InjuryRate(
        current=bench.by_class[industry_class],
        source=f"benchmark rate of industry class {industry_class} ({bench.reference.document})",
        industry_class=industry_class,
    )


def rates_at(day: date, injury: InjuryRate | None) -> Rates:
    """Rates in force on ``day``; raises NoRateInForce outside the documented window."""
    return Rates(
        day=day,
        unemployment_employer=parameter("unemployment-employer-rate").at(day),
        unemployment_individual=parameter("unemployment-individual-rate").at(day),
        injury_cut=parameter("work-injury-cut").at(day) if injury else None,
        injury=injury,
    )


def documented_window() -> tuple[date, date]:
    """First and last day of the reduced-rate window (for defaults and warnings)."""
    value = parameter("unemployment-employer-rate").latest()
    return value.start, value.end or value.start


def contribution_base(
    salary: Decimal, base_min: Decimal | None, base_max: Decimal | None
) -> Decimal:
    if base_min is not None and salary < base_min:
        return base_min
    if base_max is not None and salary > base_max:
        return base_max
    return salary


def amount_keys(rates: Rates) -> tuple[str, ...]:
    """Names of the amounts ``amounts`` returns, in order (no work injury without its rate)."""
    return ITEMS if rates.wi_reduced is not None else UNEMPLOYMENT_ITEMS


def amounts(base: Decimal, rates: Rates) -> tuple[Decimal, ...]:
    """Every amount for one contribution base, as in ``amount_keys``; the payroll hot path."""
    ue = round_fen(base * rates.ue)
    ui = round_fen(base * rates.ui)
    if rates.wi_reduced is None or rates.wi_current is None:
        return base, ue, ui, ue, ui, ue + ui
    wi = round_fen(base * rates.wi_reduced)
    saving = round_fen(base * rates.wi_current) - wi
    return base, ue, ui, wi, saving, ue + wi, ui, ue + wi + ui


def compute(
    salary: Decimal,
    rates: Rates,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
) -> dict[str, Decimal]:
    """All premium items for one monthly salary; every item rounded half-up to the fen."""
    base = contribution_base(salary, base_min, base_max)
    return {"salary": salary} | dict(zip(amount_keys(rates), amounts(base, rates), strict=True))


def as_text(values: dict[str, Decimal]) -> dict[str, str]:
    """Amounts as exact decimal strings with two places."""
    return {k: yuan(v) for k, v in values.items()}


class PayrollTotals:
    """What payroll mode reports on stderr once the rows are written."""

    def __init__(self) -> None:
        self.rows = 0
        self.skipped: list[tuple[int, str]] = []
        self.sums: dict[str, Decimal] = {}


def pick_column(header: list[str], wanted: str | None, source: str) -> int:
    """Index of the salary column: the one named, else a usual name, else the only column."""
    names = [h.strip() for h in header]
    if wanted:
        if wanted not in names:
            raise BadInput(f"{source}: no column {wanted!r} in header {', '.join(names)}")
        return names.index(wanted)
    lowered = [n.lower() for n in names]
    for name in SALARY_COLUMNS:
        if name in lowered:
            return lowered.index(name)
    if len(names) == 1:
        return 0
    raise BadInput(
        f"{source}: which column holds the salary? use --column (header: {', '.join(names)})"
    )


def payroll(
    lines: Iterable[str],
    rates: Rates,
    *,
    column: str | None = None,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
    skip_bad: bool = False,
    totals: PayrollTotals,
    source: str = "<stdin>",
) -> Iterator[list[str]]:
    """Stream the header, then one row per input row: its fields, then the computed amounts.

    Constant memory: a row is yielded as soon as it is read. Totals are kept as
    sums of the rounded items, like the single-salary totals.
    """
    reader = csv.reader(lines, strict=True)
    try:
        yield from _payroll_rows(
            reader, rates, column, base_min, base_max, skip_bad, totals, source
        )
    except csv.Error as exc:  # an unclosed quote, a NUL byte...: the rest cannot be trusted
        raise BadInput(f"{source}:{reader.line_num}: malformed CSV: {exc}") from None


def _payroll_rows(
    reader: Any,
    rates: Rates,
    column: str | None,
    base_min: Decimal | None,
    base_max: Decimal | None,
    skip_bad: bool,
    totals: PayrollTotals,
    source: str,
) -> Iterator[list[str]]:
    header = next(reader, None)
    if not header:
        raise BadInput(f"{source}: empty input; expected a CSV header line")
    index, width = pick_column(header, column, source), len(header)
    keys = amount_keys(rates)
    yield header + list(keys)
    sums = [Decimal(0)] * len(keys)
    for row in reader:
        if not row:
            continue
        try:
            if len(row) != width:
                raise BadInput(f"expected {width} fields, found {len(row)}")
            salary = parse_amount(row[index], "salary")
        except BadInput as exc:
            if not skip_bad:
                raise BadInput(f"{source}:{reader.line_num}: {exc}") from None
            totals.skipped.append((reader.line_num, str(exc)))
            continue
        values = amounts(contribution_base(salary, base_min, base_max), rates)
        sums = list(map(add, sums, values))
        totals.rows += 1
        row.extend(map(str, values))  # every value is quantized to the fen: str is "30.01"
        yield row
    totals.sums = dict(zip(keys[1:], sums[1:], strict=True))  # a sum of bases means nothing


def open_lines(path: str) -> Iterable[str]:
    """Lines of a payroll file, '-' for standard input; a clear error if it cannot be read."""
    import sys

    if path == "-":
        return sys.stdin
    try:
        return Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror or exc}") from None


def line_items(amounts: dict[str, Decimal], rates: Rates, lang: str) -> list[dict[str, str]]:
    """Rows for people: each item with its rate, amount, window and reference."""
    zh = lang == "zh"
    unemp = rates.unemployment_employer
    rows = [
        ("缴费基数", "Contribution base", "", amounts["contribution_base"], "", ""),
        (
            "失业保险(单位)",
            "Unemployment, employer",
            f"{unemp.value}%",
            amounts["unemployment_employer"],
            unemp.window,
            str(unemp.reference),
        ),
        (
            "失业保险(个人)",
            "Unemployment, individual",
            f"{rates.unemployment_individual.value}%",
            amounts["unemployment_individual"],
            rates.unemployment_individual.window,
            str(rates.unemployment_individual.reference),
        ),
    ]
    if rates.injury and rates.injury_cut and "work_injury_employer" in amounts:
        cut = rates.injury_cut
        rate = f"{rates.reduced_rate.normalize()}% = {rates.injury.current}% - {cut.value}%"
        rows += [
            (
                "工伤保险(单位)",
                "Work injury, employer",
                rate,
                amounts["work_injury_employer"],
                cut.window,
                f"{cut.reference}; {rates.injury.source}",
            ),
            ("下调节省", "Saved by the cut", "", amounts["work_injury_saving"], "", ""),
        ]
    rows += [
        ("单位合计", "Employer total", "", amounts["employer_total"], "", ""),
        ("个人合计", "Individual total", "", amounts["individual_total"], "", ""),
        ("合计", "Total", "", amounts["total"], "", ""),
    ]
    return [
        {
            "item": z if zh else e,
            "rate": r,
            "amount": yuan(a) if a is not None else "",
            "window": w,
            "reference": ref,
        }
        for z, e, r, a, w, ref in rows
    ]
