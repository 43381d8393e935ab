"""Orphan basic living allowance (stated, derived, projected) and the childcare subsidy.

Results are data: Decimals and codes. The words people read are in hzcity.labels.
"""

from decimal import Decimal
from typing import NamedTuple

from hzcity.errors import BadInput, NoRateInForce
from hzcity.money import percent, round_fen, yuan
from hzcity.policy import parameter

HUNDRED = Decimal(100)
CARE_TYPES = ("institutional", "scattered")
CATEGORIES = ("orphan", "unsupported", "hiv")
GRANT_CATEGORY = "unsupported"  # the page states the school grant for these children only
SAME_STANDARD_FACT = "civil-affairs.same-standard-for-others"


class Standard(NamedTuple):
    """A monthly standard for one year and how it is known."""

    year: int
    monthly: Decimal
    basis: str  # stated | derived | projected
    how: str  # the arithmetic, e.g. "2585 / (1 + 10%)"; empty when stated
    reference: str  # the fact ids it rests on


class Allowance(NamedTuple):
    """What one child receives over a number of months, with the rules applied."""

    care: str
    category: str
    standard: Standard
    months: int
    school_years: int  # years of grant granted (0 when none)
    school_grant: Decimal
    grant_rule: str  # not-asked | granted | not-stated-for-category
    grant_reference: str

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
            "months": self.months,
            "period_total": yuan(self.period_total),
            "school_years": self.school_years,
            "school_grant": yuan(self.school_grant),
            "total": yuan(self.total),
            "standard_rule": "orphan" if self.category == "orphan" else "same-as-orphan",
            "grant_rule": self.grant_rule,
            "grant_reference": self.grant_reference,
        }


class Childcare(NamedTuple):
    """The operating subsidy an inclusive childcare institution receives."""

    children: int
    months: int
    per_child_per_month: Decimal
    reference: str
    note: str

    def as_record(self) -> dict[str, object]:
        monthly = self.per_child_per_month * self.children
        return {
            "children": self.children,
            "months": self.months,
            "per_child_per_month": yuan(self.per_child_per_month),
            "monthly_total": yuan(monthly),
            "total": yuan(monthly * self.months),
            "reference": self.reference,
            "note": self.note,
        }


def check_care(care: str) -> None:
    if care not in CARE_TYPES:
        raise BadInput(
            f"unknown care type {care!r}; choose from {', '.join(CARE_TYPES)}", field="care"
        )


def stated_standard(care: str) -> Standard:
    """The standard the page states (2022), with its reference."""
    check_care(care)
    value = parameter(f"orphan-standard-{care}").latest()
    return Standard(value.start.year, value.value, "stated", "", str(value.reference))


def standard_for(care: str, year: int) -> Standard:
    """The stated year's standard, or the year before derived from the stated increase
    (approximate: the page rounds the increase)."""
    stated = stated_standard(care)
    if year == stated.year:
        return stated
    if year == stated.year - 1:
        increase = parameter(f"orphan-increase-{care}").latest()
        monthly = round_fen(stated.monthly / (1 + increase.value / HUNDRED))
        how = f"{stated.monthly} / (1 + {percent(increase.value)}%)"
        return Standard(year, monthly, "derived", how, f"{stated.reference} {increase.reference}")
    raise NoRateInForce(
        f"the page gives the {stated.year} standard (and {stated.year - 1} derived from its "
        f"increase), not {year}; use --growth PCT --until YEAR to project later years"
    )


def project(care: str, growth: Decimal, until: int) -> list[Standard]:
    """Standards from the stated year to ``until``, each year rounded to the fen."""
    current = stated_standard(care)
    if not current.year < until <= 2100:
        raise BadInput(
            f"must be a year after {current.year} and at most 2100, got {until}", field="until"
        )
    rows = [current]
    for year in range(current.year + 1, until + 1):
        before = rows[-1].monthly
        monthly = round_fen(before * (1 + growth / HUNDRED))
        how = f"{before} x (1 + {percent(growth)}%)"
        rows.append(Standard(year, monthly, "projected", how, current.reference))
    return rows


def allowance(
    *,
    care: str,
    category: str = "orphan",
    months: int = 12,
    year: int | None = None,
    student: bool = False,
    school_years: int = 1,
) -> Allowance:
    """Monthly standard, period total, school grant and total for one child."""
    if category not in CATEGORIES:
        raise BadInput(
            f"unknown category {category!r}; choose from {', '.join(CATEGORIES)}",
            field="category",
        )
    if not 1 <= months <= 240:
        raise BadInput(f"must be 1 to 240, got {months}", field="months")
    if not 1 <= school_years <= 20:
        raise BadInput(f"must be 1 to 20, got {school_years}", field="school_years")
    std = standard_for(care, year if year is not None else stated_standard(care).year)
    grant = parameter("school-grant").latest()
    eligible = student and category == GRANT_CATEGORY
    rule = "granted" if eligible else "not-stated-for-category" if student else "not-asked"
    return Allowance(
        care=care,
        category=category,
        standard=std,
        months=months,
        school_years=school_years if eligible else 0,
        school_grant=grant.value * school_years if eligible else Decimal(0),
        grant_rule=rule,
        grant_reference=str(grant.reference),
    )


def childcare(*, children: int, months: int = 12) -> Childcare:
    """The operating subsidy of an inclusive childcare institution for a number of children."""
    if not 1 <= children <= 100_000:
        raise BadInput(f"must be 1 to 100000, got {children}", field="children")
    if not 1 <= months <= 240:
        raise BadInput(f"must be 1 to 240, got {months}", field="months")
    rate = parameter("childcare-subsidy").latest()
    return Childcare(children, months, rate.value, str(rate.reference), rate.note)
