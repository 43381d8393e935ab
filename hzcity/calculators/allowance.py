"""Orphan basic living allowance (stated, derived, projected) and the childcare subsidy.

Results are data: Decimals and codes; the command layer words them (hzcity/cli/cards.py).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hzcity.errors import BadInput, NoRateInForce
from hzcity.i18n import Phrase
from hzcity.money import percent, round_fen, yuan
from hzcity.policy import timeline
from hzcity.policy.dated import DatedValue, Day, Parameters, parameter, pick_day

HUNDRED = Decimal(100)
LAST_YEAR = 2100  # the last year --year and --until take (a date() needs year + 1 <= 9999)
CARE_TYPES = ("institutional", "scattered")
CATEGORIES = ("orphan", "unsupported", "hiv")
GRANT_CATEGORY = "unsupported"  # the page states the school grant for these children only
SAME_STANDARD_FACT = "civil-affairs.same-standard-for-others"
GRANT, SUBSIDY = "school-grant", "childcare-subsidy"


@dataclass(frozen=True, kw_only=True, slots=True)
class Standard:
    """A monthly standard for one year and how it is known."""

    year: int
    monthly: Decimal
    basis: str  # stated | derived | projected
    how: str  # the arithmetic, e.g. "2585 / (1 + 10%)"; empty when stated
    reference: str  # the fact ids it rests on
    source: str  # where the stated figure comes from: page | national | user:FILE


@dataclass(frozen=True, kw_only=True, slots=True)
class Allowance:
    """What one child receives over a number of months, with the rules applied."""

    care: str
    category: str
    standard: Standard
    months: int
    school_years: int  # years of grant granted (0 when none)
    school_grant: Decimal
    grant_rule: str  # not-asked | granted | not-stated-for-category
    grant: DatedValue | None  # the school grant in force on ``day``, if any
    day: Day  # the day of the grant: --date, else today or the latest day before it with one
    today: date | None = None  # set when no year or day was asked: the day of the run

    @property
    def past(self) -> bool:
        """No year was asked and none is stated for this one: an earlier year's is used."""
        return self.today is not None and self.standard.year != self.today.year

    @property
    def grant_reference(self) -> str | None:
        return str(self.grant.reference) if self.grant else None

    @property
    def period_total(self) -> Decimal:
        return self.standard.monthly * self.months

    @property
    def total(self) -> Decimal:
        return self.period_total + self.school_grant

    def as_record(self) -> dict[str, object]:
        std = self.standard
        return {
            "care": self.care,
            "category": self.category,
            "year": std.year,
            "basis": std.basis,
            "monthly_standard": yuan(std.monthly),
            "how": std.how,
            "reference": std.reference,
            "source": std.source,
            "months": self.months,
            "period_total": yuan(self.period_total),
            "school_years": self.school_years,
            "school_grant": yuan(self.school_grant),
            "total": yuan(self.total),
            "standard_rule": "orphan" if self.category == "orphan" else "same-as-orphan",
            "grant_rule": self.grant_rule,
            "grant_reference": self.grant_reference,
            "grant_source": self.grant.source if self.grant else None,
            "date": self.day.day.isoformat(),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Childcare:
    """The operating subsidy an inclusive childcare institution receives."""

    children: int
    months: int
    rate: DatedValue  # in force, or announced, on ``day``
    day: Day

    @property
    def per_child_per_month(self) -> Decimal:
        return self.rate.value

    def as_record(self) -> dict[str, object]:
        monthly = self.per_child_per_month * self.children
        return {
            "children": self.children,
            "months": self.months,
            "per_child_per_month": yuan(self.per_child_per_month),
            "monthly_total": yuan(monthly),
            "total": yuan(monthly * self.months),
            "status": self.rate.status or "in-force",
            "reference": str(self.rate.reference),
            "source": self.rate.source,
            "note": self.rate.note,
            "date": self.day.day.isoformat(),
        }


def check_care(care: str) -> None:
    if care not in CARE_TYPES:
        raise BadInput(
            Phrase(
                "unknown care type {care!r}; choose from {names}", care=care, names=list(CARE_TYPES)
            ),
            field="care",
        )


def _stated(value: DatedValue, year: int) -> Standard:
    return Standard(year=year, monthly=value.value, basis="stated", how="",
                    reference=str(value.reference), source=value.source)  # fmt: skip


def latest_year(care: str, until: int, params: Parameters | None = None) -> int:
    """The latest year up to ``until`` for which a standard is stated (this year if one is):
    the year a run without --year uses, that of the latest day up to the end of ``until``
    with a standard in force. NoRateInForce when there is none."""
    standards = parameter(f"orphan-standard-{care}", params)
    found = timeline.latest_day([standards.values], date(until, 12, 31))
    if found is None:
        standards.in_year(until)  # raises, naming the windows known
        raise AssertionError("a stated year")  # pragma: no cover (in_year raised)
    return found.year


def stated_standard(care: str, params: Parameters | None = None) -> Standard:
    """The standard a run without --year takes (the latest stated up to this year: the
    page's is for 2022), with its reference: where a projection starts."""
    check_care(care)
    return standard_for(care, latest_year(care, timeline.today().year, params), params)


def standard_for(care: str, year: int, params: Parameters | None = None) -> Standard:
    """The standard stated for ``year``, or the year before a stated one derived from
    that year's stated increase (approximate: the page rounds the increase)."""
    check_care(care)
    standards = parameter(f"orphan-standard-{care}", params)
    try:
        return _stated(standards.in_year(year), year)
    except NoRateInForce as missing:
        try:
            stated = standards.in_year(year + 1)
            increase = parameter(f"orphan-increase-{care}", params).in_year(year + 1)
        except NoRateInForce:
            raise NoRateInForce(
                Phrase(
                    "{missing} The year before a stated standard is derived "
                    "from its increase; --growth PCT --until YEAR projects "
                    "later years.",
                    missing=missing.message,
                )
            ) from None
    monthly = round_fen(stated.value / (1 + increase.value / HUNDRED))
    how = f"{stated.value} / (1 + {percent(increase.value)}%)"
    reference = f"{stated.reference} {increase.reference}"
    return Standard(year=year, monthly=monthly, basis="derived", how=how, reference=reference,
                    source=stated.source)  # fmt: skip


def project(
    care: str, growth: Decimal, until: int, params: Parameters | None = None
) -> list[Standard]:
    """Standards from the latest stated year to ``until``, each year rounded to the fen."""
    current = stated_standard(care, params)
    if not current.year < until <= 2100:
        raise BadInput(
            Phrase(
                "must be a year after {year} and at most 2100, got {got}",
                year=current.year,
                got=until,
            ),
            field="until",
        )
    rows = [current]
    for year in range(current.year + 1, until + 1):
        before = rows[-1].monthly
        monthly = round_fen(before * (1 + growth / HUNDRED))
        how = f"{before} × (1 + {percent(growth)}%)"
        rows.append(Standard(year=year, monthly=monthly, basis="projected", how=how,
                             reference=current.reference, source=current.source))  # fmt: skip
    return rows


def allowance(
    *,
    care: str,
    category: str = "orphan",
    months: int = 12,
    year: int | None = None,
    student: bool = False,
    school_years: int = 1,
    params: Parameters | None = None,
    on: str | None = None,
) -> Allowance:
    """Monthly standard, period total, school grant and total for one child: the standard
    of ``year`` (else of the year of ``on``, the day asked, else the latest stated up to
    this year), the grant in force on ``on`` (else today, or the latest day before it with
    one)."""
    if category not in CATEGORIES:
        raise BadInput(
            Phrase(
                "unknown category {category!r}; choose from {names}",
                category=category,
                names=list(CATEGORIES),
            ),
            field="category",
        )
    if not 1 <= months <= 240:
        raise BadInput(
            Phrase("must be {low} to {high}, got {got}", low=1, high=240, got=months),
            field="months",
        )
    if not 1 <= school_years <= 20:
        raise BadInput(
            Phrase("must be {low} to {high}, got {got}", low=1, high=20, got=school_years),
            field="school_years",
        )
    check_care(care)
    if year is not None and not 1 <= year <= LAST_YEAR:  # date() and year + 1 stay in range
        raise BadInput(
            Phrase("must be {low} to {high}, got {got}", low=1, high=LAST_YEAR, got=year),
            field="year",
        )
    eligible = student and category == GRANT_CATEGORY
    day = pick_day(params, [GRANT] if eligible else [], on)  # only a grant granted must be
    now = None
    if year is None and day.asked:  # the standard of that day's year, strictly
        year = day.day.year
        if year > LAST_YEAR:
            raise BadInput(Phrase("its year must be {low} to {high} for a standard, got {got}",
                                  low=1, high=LAST_YEAR, got=year), field="date")  # fmt: skip
    elif year is None:  # this year's standard, else the latest stated before it
        now = day.today
        year = latest_year(care, now.year, params)
    std = standard_for(care, year, params)
    grant = timeline.in_force(parameter(GRANT, params).values, day.day)
    rule = "granted" if eligible else "not-stated-for-category" if student else "not-asked"
    return Allowance(
        care=care,
        category=category,
        standard=std,
        months=months,
        school_years=school_years if eligible else 0,
        school_grant=grant.value * school_years if eligible and grant else Decimal(0),
        grant_rule=rule,
        grant=grant,
        day=day,
        today=now,
    )


def childcare(
    *, children: int, months: int = 12, params: Parameters | None = None, on: str | None = None
) -> Childcare:
    """The operating subsidy of an inclusive childcare institution for a number of children,
    at the rate standing on ``on`` (the day asked; else today, or the latest day before it
    with one): in force, or announced, which its ``status`` says."""
    if not 1 <= children <= 100_000:
        raise BadInput(
            Phrase("must be {low} to {high}, got {got}", low=1, high=100000, got=children),
            field="children",
        )
    if not 1 <= months <= 240:
        raise BadInput(
            Phrase("must be {low} to {high}, got {got}", low=1, high=240, got=months),
            field="months",
        )
    day = pick_day(params, [SUBSIDY], on, announced=True)
    rate = parameter(SUBSIDY, params).at(day.day, announced=True)
    return Childcare(children=children, months=months, rate=rate, day=day)
