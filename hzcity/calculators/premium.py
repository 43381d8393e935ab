"""Unemployment and work-injury insurance premiums, exact to the fen, one salary or a payroll.

One result type, ``Premium``, serves the three modes (one salary, every industry class,
a payroll): its amounts always have the same eight keys, ``None`` where a rate is
missing, so no mode can drift from another.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from hzcity.errors import BadInput, NoRateInForce
from hzcity.i18n import Phrase
from hzcity.labels import class_numeral
from hzcity.money import FEN, HALF_UP, percent, round_fen, yuan
from hzcity.policy.dated import DatedValue, Day, Parameters, parameter, pick_day, require

HUNDRED = Decimal(100)
# The rounding rule as a record states it, said in the reader's language in every format
# (the caption under a table: hzcity/cli/calculators.py).
ROUNDING = Phrase("half-up to 0.01 yuan per item; totals are sums of rounded items")
UNEMPLOYMENT = ("unemployment-employer-rate", "unemployment-individual-rate")
CUT, BENCHMARK = "work-injury-cut", "work-injury-benchmark-rate"


@dataclass(frozen=True, kw_only=True, slots=True)
class Amounts:
    """Every amount of one contribution base, by name; None where no rate applies."""

    contribution_base: Decimal
    unemployment_employer: Decimal
    unemployment_individual: Decimal
    work_injury_employer: Decimal | None
    work_injury_saving: Decimal | None
    employer_total: Decimal | None
    individual_total: Decimal
    total: Decimal | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Item:
    """One premium item, declared once for every engine: the base times a fraction of
    ``Rates`` rounded half-up to the fen (less an earlier item: the saving), or the sum of
    earlier items; no rate, or an item it takes missing, makes it None."""

    name: str
    rate: str | None = None  # a fraction of Rates: ue, ui, wi_reduced, wi_current
    less: str | None = None  # an earlier item taken from the rounded product
    plus: tuple[str, ...] = ()  # earlier items summed (a total of rounded items)


# The premium items in the order of the answer's columns: the single-salary answer and the
# reference engine evaluate them here (``evaluator``), the Arrow engine compiles the same
# table (hzcity/payroll/fast.py, in whole fen).
ITEMS = (
    Item(name="contribution_base"),
    Item(name="unemployment_employer", rate="ue"),
    Item(name="unemployment_individual", rate="ui"),
    Item(name="work_injury_employer", rate="wi_reduced"),
    Item(name="work_injury_saving", rate="wi_current", less="work_injury_employer"),
    Item(name="employer_total", plus=("unemployment_employer", "work_injury_employer")),
    Item(name="individual_total", plus=("unemployment_individual",)),
    Item(name="total", plus=("employer_total", "individual_total")),
)
# The amounts' names in order: the columns of a payroll answer (and the fields of Amounts,
# the typed record of one salary's: tests/test_premium_core.py holds the two equal).
AMOUNTS = tuple(item.name for item in ITEMS)


@dataclass(frozen=True, kw_only=True, slots=True)
class InjuryRate:
    """The employer's current work-injury rate (percent) and where it came from."""

    current: Decimal
    source: str  # "benchmark" (a class's national benchmark rate) or "own" (--injury-rate)
    industry_class: int | None = None
    document: str = ""  # the benchmark table's document number

    @property
    def origin(self) -> str:
        """Where the current rate came from, in words."""
        if self.source == "own" or self.industry_class is None:
            return Phrase("the employer's own current rate (--injury-rate)")
        return Phrase(
            "about (左右) the benchmark rate of industry class {industry_class} ({document}); "
            "the employer's actual rate may differ: give it with --injury-rate",
            industry_class=class_numeral(self.industry_class),
            document=self.document,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Bound:
    """A contribution-base floor or ceiling and where it came from."""

    value: Decimal
    source: str  # option (--base-min/--base-max) | user:FILE
    dated: DatedValue | None = None  # the user's window, when it came from one


@dataclass(frozen=True, kw_only=True, slots=True)
class Rates:
    """Every rate in force on one day, with its window and reference; the fractions the
    amounts are computed with are worked out once, for payroll speed."""

    day: date
    unemployment_employer: DatedValue
    unemployment_individual: DatedValue
    injury_cut: DatedValue | None = None  # None unless ``injury`` is given
    injury: InjuryRate | None = None
    bounds: tuple[Bound | None, Bound | None] = (None, None)
    today: date | None = None  # set when no day was asked: the day of the run, in Harbin
    ue: Decimal = field(init=False)
    ui: Decimal = field(init=False)
    reduced_rate: Decimal | None = field(init=False, default=None)
    wi_current: Decimal | None = field(init=False, default=None)
    wi_reduced: Decimal | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if (self.injury is None) != (self.injury_cut is None):
            raise ValueError("a work-injury rate goes with its cut")
        worked = {"ue": self.unemployment_employer.value / HUNDRED,
                  "ui": self.unemployment_individual.value / HUNDRED}  # fmt: skip
        if self.injury and self.injury_cut:
            # exact: 0.9% cut by 50% is 0.45%
            reduced = self.injury.current * (HUNDRED - self.injury_cut.value) / HUNDRED
            worked |= {"reduced_rate": reduced, "wi_current": self.injury.current / HUNDRED,
                       "wi_reduced": reduced / HUNDRED}  # fmt: skip
        for name, value in worked.items():
            _check_exact(value)
            object.__setattr__(self, name, value)

    @property
    def past(self) -> bool:
        """No day was asked and today has no rates: those of an earlier day are used."""
        return self.today is not None and self.day != self.today

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

    def used(self) -> list["RateUsed"]:
        """Each rate used, as data: what a rates sheet or a note lists, one per item."""
        rows = []
        for item in ("unemployment_employer", "unemployment_individual", "work_injury_employer"):
            dated = self.dated(item)
            if dated is None:
                continue
            injury = self.injury if item == "work_injury_employer" else None
            rate = self.reduced_rate if injury else dated.value
            rows.append(RateUsed(item=item, day=self.day, rate=rate or Decimal(0),
                                 current=injury.current if injury else None,
                                 cut=dated.value if injury else None, injury=injury,
                                 dated=dated))  # fmt: skip
        return rows

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


@dataclass(frozen=True, kw_only=True, slots=True)
class RateUsed:
    """One rate of a premium item on the day used, its window and reference (and url)."""

    item: str  # unemployment_employer | unemployment_individual | work_injury_employer
    day: date
    rate: Decimal  # percent; for work injury the reduced rate
    current: Decimal | None  # work injury: the current rate the cut applies to
    cut: Decimal | None  # work injury: the cut, percent
    injury: InjuryRate | None
    dated: DatedValue  # the window and reference (the cut's, for work injury)

    @property
    def text(self) -> str:
        """The rate as people write it: 0.5%, or 0.45% = 0.9% × (1 − 50%) for work injury."""
        if self.current is None or self.cut is None:
            return f"{percent(self.rate)}%"
        return f"{percent(self.rate)}% = {percent(self.current)}% × (1 − {percent(self.cut)}%)"

    def as_record(self) -> dict[str, object]:
        reference = self.dated.reference
        return {
            "item": self.item,
            "date": self.day.isoformat(),
            "rate": percent(self.rate),
            "current_rate": percent(self.current) if self.current is not None else None,
            "cut": percent(self.cut) if self.cut is not None else None,
            "window": self.dated.window,
            "reference": str(reference),
            "reference_url": reference.url or None,
            "source": self.dated.source,
        }


SALARY = Phrase("salary")  # what a payroll row's amount is, in its errors
EXACT_DIGITS = 16  # a base has at most 11 digits; Decimal's context keeps 28 exactly


def _check_exact(rate: Decimal | None) -> None:
    """A rate whose product with any base would outgrow Decimal's 28 digits (and be rounded
    half-even before the half-up rule) is refused rather than computed inexactly."""
    if rate is not None and len(rate.normalize().as_tuple().digits) > EXACT_DIGITS:
        raise BadInput(
            Phrase(
                "a rate of {rate}% has too many digits to compute to the fen exactly",
                rate=percent(rate * HUNDRED),
            )
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Premium:
    """Every premium item for one monthly salary, and the rules that produced them."""

    salary: Decimal
    amounts: Amounts
    rates: Rates
    base_min: Decimal | None = None
    base_max: Decimal | None = None
    # the contribution-base bound the salary met, if any, and that bound (with its source)
    bound_applied: Literal["floor", "ceiling"] | None = None
    bound: Bound | None = None

    def amount(self, key: str) -> Decimal | None:
        value: Decimal | None = getattr(self.amounts, key)
        return value

    def as_record(self) -> dict[str, object]:
        """Amounts as exact two-place strings, then the rules; the same keys in every mode."""
        limits = {"base_min": self.base_min, "base_max": self.base_max}
        return (
            {"salary": yuan(self.salary)}
            | as_text(asdict(self.amounts))
            | self.rates.as_record()
            | as_text(limits)
            | {"rounding": ROUNDING}
        )


def industry_classes(day: date, params: Parameters | None = None) -> list[int]:
    """The risk classes the benchmark table in force on ``day`` knows (1 to 8 since 2015)."""
    return sorted(parameter(BENCHMARK, params).at(day).by_class)


def benchmark_rate(industry_class: int, day: date, params: Parameters | None = None) -> InjuryRate:
    """The benchmark rate of a risk class in force on ``day`` (人社部发〔2015〕71号)."""
    bench = parameter(BENCHMARK, params).at(day)
    if industry_class not in bench.by_class:
        known = sorted(bench.by_class)
        raise BadInput(
            Phrase(
                "industry class must be {low} to {high}, got {got}",
                low=known[0],
                high=known[-1],
                got=industry_class,
            ),
            field="industry_class",
        )
    return InjuryRate(
        current=bench.by_class[industry_class],
        source="benchmark",
        industry_class=industry_class,
        document=bench.reference.document,
    )


def _injury(
    day: date,
    industry_class: int | None = None,
    own_rate: Decimal | None = None,
    params: Parameters | None = None,
) -> InjuryRate | None:
    """The employer's current work-injury rate: a class's benchmark, its own, or none given
    (``prepare`` has refused both)."""
    if industry_class is not None:
        return benchmark_rate(industry_class, day, params)
    if own_rate is not None:
        return InjuryRate(current=own_rate, source="own")
    return None


def needs(*, industry_class: bool, own_rate: bool, every_class: bool) -> tuple[str, ...]:
    """The parameters a calculation needs in force: unemployment always; the cut with any
    work-injury rate; the benchmark table for a class or every class."""
    injury = (CUT,) if industry_class or own_rate or every_class else ()
    table = (BENCHMARK,) if industry_class or every_class else ()
    return UNEMPLOYMENT + injury + table


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan:
    """What a premium calculation will do: its rates, and whether every industry class is
    to be shown side by side (one salary, neither a class nor the employer's own rate)."""

    rates: Rates
    every_class: bool


def prepare(
    params: Parameters,
    *,
    on: str | None = None,
    industry_class: int | None = None,
    own_rate: Decimal | None = None,
    payroll: bool = False,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
) -> Plan:
    """The plan of a premium calculation: the rates of the day asked (a --date:
    YYYY-MM-DD, YYYY-MM or "today"), strictly, or with none the latest day up to today on
    which every rate needed is in force (``Rates.past`` says when that is not today), and
    the mode: one salary with no class or rate shows every class; a payroll without one
    computes no work injury. Every bad combination fails here, before any output."""
    if industry_class is not None and own_rate is not None:
        raise BadInput(
            Phrase(
                "give an industry class (--industry-class) or the employer's own rate, not both"
            ),
            field="injury_rate",
        )
    every = not payroll and industry_class is None and own_rate is None
    names = needs(industry_class=industry_class is not None, own_rate=own_rate is not None,
                  every_class=every)  # fmt: skip
    picked = pick_day(params, names, on)
    injury = _injury(picked.day, industry_class, own_rate, params)
    rates = rates_at(picked, injury, params, base_min=base_min, base_max=base_max)
    return Plan(rates=rates, every_class=every)


def rates_at(
    day: date | Day,
    injury: InjuryRate | None,
    params: Parameters | None = None,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
) -> Rates:
    """Rates in force on ``day``; NoRateInForce names every rate missing that day. A base
    bound not given is the user's contribution-base-min/max in force, if any. A payroll
    priced by month asks it for each month's first day (policy.timeline.month_start)."""
    picked = day if isinstance(day, Day) else None
    on = picked.day if picked else day
    assert isinstance(on, date)
    low = _bound("contribution-base-min", base_min, on, params)
    high = _bound("contribution-base-max", base_max, on, params)
    if low and high and low.value > high.value:  # the one check, options or user files
        # two options crossed are named by their flags; otherwise each by its source
        flags = low.source == high.source == "option"
        raise BadInput(
            Phrase(
                "the contribution-base floor {low} ({low_source}) is above its "
                "ceiling {high} ({high_source})",
                low=yuan(low.value),
                low_source="--base-min" if flags else low.source,
                high=yuan(high.value),
                high_source="--base-max" if flags else high.source,
            )
        )
    names = needs(industry_class=False, own_rate=injury is not None, every_class=False)
    if picked is None:  # (a picked day has been checked for every rate it needs)
        require(params, names, on)
    return Rates(
        day=on,
        unemployment_employer=parameter(UNEMPLOYMENT[0], params).at(on),
        unemployment_individual=parameter(UNEMPLOYMENT[1], params).at(on),
        injury_cut=parameter(CUT, params).at(on) if injury else None,
        injury=injury,
        bounds=(low, high),
        today=picked.today if picked and not picked.asked else None,
    )


def with_injury(rates: Rates, injury: InjuryRate, params: Parameters | None = None) -> Rates:
    """The same day's rates and bounds with another current work-injury rate."""
    cut = parameter(CUT, params).at(rates.day)
    return replace(rates, injury_cut=cut, injury=injury)


def every_class(salary: Decimal, rates: Rates, params: Parameters | None = None) -> list[Premium]:
    """One premium per industry class of the benchmark table in force on the rates' day."""
    day = rates.day
    return [
        compute(salary, with_injury(rates, benchmark_rate(klass, day, params), params))
        for klass in industry_classes(day, params)
    ]


def _bound(name: str, given: Decimal | None, day: date, params: Parameters | None) -> Bound | None:
    """The option's value, else the user's window in force on ``day``, else none."""
    if given is not None:
        return Bound(value=given, source="option")
    if params is None or name not in params:
        return None
    try:
        value = params[name].at(day)
    except NoRateInForce:
        return None
    # to the fen (validated) with both places, as an option's: a payroll writes the base
    return Bound(value=round_fen(value.value), source=value.source, dated=value)


def contribution_base(
    salary: Decimal, base_min: Decimal | None, base_max: Decimal | None
) -> Decimal:
    if base_min is not None and salary < base_min:
        return base_min
    if base_max is not None and salary > base_max:
        return base_max
    return salary


def evaluator(rates: Rates) -> Callable[[Decimal], tuple[Decimal | None, ...]]:
    """ITEMS compiled for ``rates``: a function of the base giving every amount in AMOUNTS
    order (the payroll hot path: a tuple, no record per row). An item whose rate is missing
    is None, and so is every item taking it; which ones is known here, once.

    The function is written as Python source and compiled (as dataclasses writes __init__):
    one line per item, a product shared by the items of one rate, money.round_fen's rule
    written out; an interpreter of the table cost half as much again per row. The rates
    are the arguments of a maker compiled once per shape (which items, which rates equal):
    the eight industry classes share one."""
    lines: list[str] = []
    names: dict[str, str] = {}  # item -> its variable
    fractions: dict[Decimal, str] = {}  # rate -> its variable
    for number, item in enumerate(ITEMS):
        fraction = getattr(rates, item.rate) if item.rate else None
        wanted = (item.less,) if item.less else item.plus
        if (item.rate and fraction is None) or not all(n in names for n in wanted):
            continue
        taken = [names[n] for n in wanted]
        name = names[item.name] = f"v{number}"
        if fraction is not None:
            if fraction not in fractions:
                fractions[fraction] = f"r{len(fractions)}"
                lines.append(f"p{fractions[fraction]} = (base * {fractions[fraction]})"
                             ".quantize(FEN, HALF_UP)")  # fmt: skip
            product = f"p{fractions[fraction]}"
            lines.append(f"{name} = {product} - {taken[0]}" if item.less else f"{name} = {product}")
        else:
            lines.append(f"{name} = {' + '.join(taken)}" if taken else f"{name} = base")
    shown = ", ".join(names.get(item.name, "None") for item in ITEMS)
    source = f"def make({', '.join(fractions.values())}):\n    def amounts(base):\n"
    source += "".join(f"        {line}\n" for line in lines)
    source += f"        return ({shown},)\n    return amounts\n"
    compiled: Callable[[Decimal], tuple[Decimal | None, ...]] = _maker(source)(*fractions)
    return compiled


@cache
def _maker(source: str) -> Callable[..., Any]:
    """The maker ``evaluator`` wrote, compiled (the table's own code, no input)."""
    scope: dict[str, Any] = {"FEN": FEN, "HALF_UP": HALF_UP}
    exec(compile(source, "<premium items>", "exec"), scope)
    return scope["make"]  # type: ignore[no-any-return]


def amounts(base: Decimal, rates: Rates) -> tuple[Decimal | None, ...]:
    """Every amount of one contribution base in AMOUNTS order (``evaluator`` once per run
    is faster for many bases)."""
    return evaluator(rates)(base)


def compute(
    salary: Decimal,
    rates: Rates,
    *,
    base_min: Decimal | None = None,
    base_max: Decimal | None = None,
) -> Premium:
    """All premium items for one monthly salary; every item rounded half-up to the fen.
    A bound not given is the one ``rates`` carries (an option's or a user's)."""
    low, high = rates.bounds
    low = low if base_min is None else Bound(value=base_min, source="option")
    high = high if base_max is None else Bound(value=base_max, source="option")
    base_min, base_max = (low.value if low else None), (high.value if high else None)
    base = contribution_base(salary, base_min, base_max)
    named = Amounts(**dict(zip(AMOUNTS, amounts(base, rates), strict=True)))  # type: ignore[arg-type]
    applied: Literal["floor", "ceiling"] | None = None
    if base != salary:
        applied = "floor" if base > salary else "ceiling"
    met = low if applied == "floor" else high if applied == "ceiling" else None
    return Premium(salary=salary, amounts=named, rates=rates, base_min=base_min,
                   base_max=base_max, bound_applied=applied, bound=met)  # fmt: skip


def as_text(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    """Amounts as exact decimal strings with two places (None stays None)."""
    return {k: yuan(v) if v is not None else None for k, v in values.items()}


def line_items(premium: Premium) -> list[tuple[str, Decimal | None, DatedValue | None]]:
    """The items people read, as (item code, amount, the dated rate it comes from); the
    words for each are the caller's."""
    return [
        (key, premium.amount(key), premium.rates.dated(key))
        for key in AMOUNTS
        if premium.amount(key) is not None
    ]
