"""Unemployment and work-injury insurance premiums, exact to the fen, one salary or a payroll.

One result type, ``Premium``, serves the three modes (one salary, every industry class,
a payroll): its amounts always have the same eight keys, ``None`` where a rate is
missing, so no mode can drift from another.
"""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from hzcity.errors import BadInput, NoRateInForce
from hzcity.labels import Phrase
from hzcity.money import percent, round_fen, yuan
from hzcity.policy.dated import DatedValue, Parameters, parameter

HUNDRED = Decimal(100)
AMOUNTS = ("contribution_base", "unemployment_employer", "unemployment_individual",
           "work_injury_employer", "work_injury_saving", "employer_total", "individual_total",
           "total")  # fmt: skip
# Machine-readable name of the rounding rule (the sentence people read is in hzcity.labels).
ROUNDING = "half-up to 0.01 yuan per item; totals are sums of rounded items"


class InjuryRate(NamedTuple):
    """The employer's current work-injury rate (percent) and where it came from."""

    current: Decimal
    source: str  # "benchmark" (a class's national benchmark rate) or "own" (--injury-rate)
    industry_class: int | None = None
    document: str = ""  # the benchmark table's document number


class Bound(NamedTuple):
    """A contribution-base floor or ceiling and where it came from."""

    value: Decimal
    source: str  # option (--base-min/--base-max) | user:FILE
    dated: DatedValue | None = None  # the user's window, when it came from one


class Rates:
    """Every rate in force on one day, with its window and reference."""

    def __init__(
        self,
        day: date,
        unemployment_employer: DatedValue,
        unemployment_individual: DatedValue,
        injury_cut: DatedValue | None,
        injury: InjuryRate | None,
        bounds: tuple[Bound | None, Bound | None] = (None, None),
    ) -> None:
        self.day = day
        self.bounds = bounds
        self.unemployment_employer = unemployment_employer
        self.unemployment_individual = unemployment_individual
        self.injury_cut = injury_cut if injury else None
        self.injury = injury if injury_cut else None
        # fractions, computed once for payroll speed
        self.ue = unemployment_employer.value / HUNDRED
        self.ui = unemployment_individual.value / HUNDRED
        self.reduced_rate: Decimal | None = None
        self.wi_current: Decimal | None = None
        self.wi_reduced: Decimal | None = None
        if self.injury and self.injury_cut:
            cut = self.injury_cut.value
            # exact: 0.9% cut by 50% is 0.45%
            self.reduced_rate = self.injury.current * (HUNDRED - cut) / HUNDRED
            self.wi_current = self.injury.current / HUNDRED
            self.wi_reduced = self.reduced_rate / HUNDRED
        for rate in (self.ue, self.ui, self.wi_current, self.wi_reduced):
            _check_exact(rate)

    def dated(self, item: str) -> DatedValue | None:
        """The dated value an item's rate comes from (the cut, for work injury), if any."""
        if item == "work_injury_employer":
            return self.injury_cut
        if item == "unemployment_employer":
            return self.unemployment_employer
        if item == "unemployment_individual":
            return self.unemployment_individual
        return None

    def as_record(self) -> dict[str, object]:
        """The rules used, for JSON: rates in percent as plain decimal text."""
        injury, cut, reduced = self.injury, self.injury_cut, self.reduced_rate
        return {
            "date": self.day.isoformat(),
            "unemployment_employer_rate": percent(self.unemployment_employer.value),
            "unemployment_individual_rate": percent(self.unemployment_individual.value),
            "unemployment_window": self.unemployment_employer.window,
            "unemployment_reference": str(self.unemployment_employer.reference),
            "unemployment_source": self.unemployment_employer.source,
            "unemployment_individual_reference": str(self.unemployment_individual.reference),
            "industry_class": injury.industry_class if injury else None,
            "work_injury_current_rate": percent(injury.current) if injury else None,
            "work_injury_rate_source": injury.source if injury else None,
            "work_injury_rate_reference": injury.document or None if injury else None,
            "work_injury_cut": percent(cut.value) if cut else None,
            "work_injury_reduced_rate": percent(reduced) if reduced is not None else None,
            "work_injury_window": cut.window if cut else None,
            "work_injury_reference": str(cut.reference) if cut else None,
            "work_injury_source": cut.source if cut else None,
        } | self._bounds_record()

    def _bounds_record(self) -> dict[str, object]:
        low, high = self.bounds
        return {
            "base_min_source": low.source if low else None,
            "base_min_reference": str(low.dated.reference) if low and low.dated else None,
            "base_max_source": high.source if high else None,
            "base_max_reference": str(high.dated.reference) if high and high.dated else None,
        }

    def user_values(self) -> list[tuple[str, DatedValue]]:
        """(parameter name, value) of every value used that a user file supplied."""
        low, high = self.bounds
        used = {
            "unemployment-employer-rate": self.unemployment_employer,
            "unemployment-individual-rate": self.unemployment_individual,
            "work-injury-cut": self.injury_cut,
            "contribution-base-min": low.dated if low else None,
            "contribution-base-max": high.dated if high else None,
        }
        return [(k, v) for k, v in used.items() if v and v.source.startswith("user:")]

    def limits(self) -> tuple[Decimal | None, Decimal | None]:
        """The contribution-base floor and ceiling that apply (None: none)."""
        low, high = self.bounds
        return (low.value if low else None, high.value if high else None)


SALARY = Phrase("what.salary")  # what a payroll row's amount is, in its errors
EXACT_DIGITS = 16  # a base has at most 11 digits; Decimal's context keeps 28 exactly


def _check_exact(rate: Decimal | None) -> None:
    """A rate whose product with any base would outgrow Decimal's 28 digits (and be rounded
    half-even before the half-up rule) is refused rather than computed inexactly."""
    if rate is not None and len(rate.normalize().as_tuple().digits) > EXACT_DIGITS:
        raise BadInput(Phrase("rate.inexact", rate=percent(rate * HUNDRED)))


class Premium(NamedTuple):
    """Every premium item for one monthly salary, and the rules that produced them."""

    salary: Decimal
    amounts: tuple[Decimal | None, ...]  # as AMOUNTS; None where no rate applies
    rates: Rates
    base_min: Decimal | None = None
    base_max: Decimal | None = None

    def amount(self, key: str) -> Decimal | None:
        return self.amounts[AMOUNTS.index(key)]

    def as_record(self) -> dict[str, object]:
        """Amounts as exact two-place strings, then the rules; the same keys in every mode."""
        limits = {"base_min": self.base_min, "base_max": self.base_max}
        return (
            {"salary": yuan(self.salary)}
            | as_text(dict(zip(AMOUNTS, self.amounts, strict=True)))
            | self.rates.as_record()
            | as_text(limits)
            | {"rounding": ROUNDING}
        )


def industry_classes(day: date, params: Parameters | None = None) -> list[int]:
    """The risk classes the benchmark table in force on ``day`` knows (1 to 8 since 2015)."""
    return sorted(parameter("work-injury-benchmark-rate", params).at(day).by_class)


def benchmark_rate(industry_class: int, day: date, params: Parameters | None = None) -> InjuryRate:
    """The benchmark rate of a risk class in force on ``day`` (人社部发〔2015〕71号)."""
    bench = parameter("work-injury-benchmark-rate", params).at(day)
    if industry_class not in bench.by_class:
        known = sorted(bench.by_class)
        raise BadInput(
            Phrase("industry_class.range", low=known[0], high=known[-1], got=industry_class),
            field="industry_class",
        )
    return InjuryRate(
        current=bench.by_class[industry_class],
        source="benchmark",
        industry_class=industry_class,
        document=bench.reference.document,
    )


def choose_injury(
    day: date,
    industry_class: int | None = None,
    own_rate: Decimal | None = None,
    params: Parameters | None = None,
) -> InjuryRate | None:
    """The employer's current work-injury rate: a class's benchmark, its own, or none given."""
    if industry_class is not None and own_rate is not None:
        raise BadInput(Phrase("injury.both"))
    if industry_class is not None:
        return benchmark_rate(industry_class, day, params)
    if own_rate is not None:
        return InjuryRate(own_rate, "own")
    return None


def rates_at(
    day: date,
    injury: InjuryRate | None,
    params: Parameters | None = None,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
) -> Rates:
    """Rates in force on ``day``; raises NoRateInForce outside every window. A base
    bound not given is the user's contribution-base-min/max in force, if any."""
    low = _bound("contribution-base-min", base_min, day, params)
    high = _bound("contribution-base-max", base_max, day, params)
    if low and high and low.value > high.value:
        raise BadInput(Phrase("base.crossed", low=low.value, low_source=low.source,
                              high=high.value, high_source=high.source))  # fmt: skip
    return Rates(
        day=day,
        unemployment_employer=parameter("unemployment-employer-rate", params).at(day),
        unemployment_individual=parameter("unemployment-individual-rate", params).at(day),
        injury_cut=parameter("work-injury-cut", params).at(day) if injury else None,
        injury=injury,
        bounds=(low, high),
    )


def with_injury(rates: Rates, injury: InjuryRate, params: Parameters | None = None) -> Rates:
    """The same day's rates and bounds with another current work-injury rate."""
    cut = parameter("work-injury-cut", params).at(rates.day)
    return Rates(rates.day, rates.unemployment_employer, rates.unemployment_individual, cut,
                 injury, rates.bounds)  # fmt: skip


def _bound(name: str, given: Decimal | None, day: date, params: Parameters | None) -> Bound | None:
    """The option's value, else the user's window in force on ``day``, else none."""
    if given is not None:
        return Bound(given, "option")
    if params is None or name not in params:
        return None
    try:
        value = params[name].at(day)
    except NoRateInForce:
        return None
    return Bound(value.value, value.source, value)


def contribution_base(
    salary: Decimal, base_min: Decimal | None, base_max: Decimal | None
) -> Decimal:
    if base_min is not None and salary < base_min:
        return base_min
    if base_max is not None and salary > base_max:
        return base_max
    return salary


def amounts(base: Decimal, rates: Rates) -> tuple[Decimal | None, ...]:
    """Every amount of AMOUNTS for one contribution base; the payroll hot path."""
    ue = round_fen(base * rates.ue)
    ui = round_fen(base * rates.ui)
    if rates.wi_reduced is None or rates.wi_current is None:
        return base, ue, ui, None, None, None, ui, None
    wi = round_fen(base * rates.wi_reduced)
    saving = round_fen(base * rates.wi_current) - wi
    return base, ue, ui, wi, saving, ue + wi, ui, ue + wi + ui


def compute(
    salary: Decimal,
    rates: Rates,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
) -> Premium:
    """All premium items for one monthly salary; every item rounded half-up to the fen.
    A bound not given is the one ``rates`` carries (an option's or a user's)."""
    low, high = rates.limits()
    base_min = low if base_min is None else base_min
    base_max = high if base_max is None else base_max
    base = contribution_base(salary, base_min, base_max)
    return Premium(salary, amounts(base, rates), rates, base_min, base_max)


def as_text(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    """Amounts as exact decimal strings with two places (None stays None)."""
    return {k: yuan(v) if v is not None else None for k, v in values.items()}


def line_items(premium: Premium) -> list[tuple[str, Decimal | None, DatedValue | None]]:
    """The items people read, as (item code, amount, the dated rate it comes from); the
    words for each are the caller's."""
    return [
        (key, amount, premium.rates.dated(key))
        for key, amount in zip(AMOUNTS, premium.amounts, strict=True)
        if amount is not None
    ]
