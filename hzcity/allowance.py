"""Orphan basic living allowance (stated, derived, projected) and the childcare subsidy."""

from decimal import Decimal
from typing import NamedTuple

from hzcity.errors import BadInput, NoRateInForce
from hzcity.money import round_fen, yuan
from hzcity.policy import parameter

HUNDRED = Decimal(100)
CARE_TYPES = ("institutional", "scattered")
CATEGORIES = ("orphan", "unsupported", "hiv")
SAME_STANDARD_RULE = (
    "HIV-infected children and de facto unsupported children are covered at the orphan "
    "standard (civil-affairs.same-standard-for-others)"
)
GRANT_CATEGORY = "unsupported"  # the page states the school grant for these children only


class Standard(NamedTuple):
    """A monthly standard for one year and how it is known."""

    year: int
    monthly: Decimal
    basis: str  # stated | derived | projected
    how: str


def _check_care(care: str) -> None:
    if care not in CARE_TYPES:
        raise BadInput(f"unknown care type {care!r}; choose from {', '.join(CARE_TYPES)}")


def stated_standard(care: str) -> Standard:
    """The standard the page states (2022), with its reference."""
    _check_care(care)
    value = parameter(f"orphan-standard-{care}").latest()
    return Standard(value.start.year, value.value, "stated", str(value.reference))


def standard_for(care: str, year: int) -> Standard:
    """The stated year's standard, or the year before derived from the stated increase."""
    stated = stated_standard(care)
    if year == stated.year:
        return stated
    if year == stated.year - 1:
        increase = parameter(f"orphan-increase-{care}").latest()
        factor = 1 + increase.value / HUNDRED
        return Standard(
            year,
            round_fen(stated.monthly / factor),
            "derived",
            f"{stated.monthly} / {factor} ({increase.reference}); approximate: "
            "the page rounds the increase",
        )
    raise NoRateInForce(
        f"the page gives the {stated.year} standard (and {stated.year - 1} derived from its "
        f"increase), not {year}; use --growth PCT --until YEAR to project later years"
    )


def project(care: str, growth: Decimal, until: int) -> list[Standard]:
    """Standards from the stated year to ``until``, each year rounded to the fen."""
    current = stated_standard(care)
    if not current.year < until <= 2100:
        raise BadInput(f"--until must be a year after {current.year} and at most 2100, got {until}")
    rows = [current]
    for year in range(current.year + 1, until + 1):
        monthly = round_fen(rows[-1].monthly * (1 + growth / HUNDRED))
        how = f"{rows[-1].monthly} x (1 + {growth}%), natural-growth mechanism, assumed rate"
        rows.append(Standard(year, monthly, "projected", how))
    return rows


def allowance(
    *,
    care: str,
    category: str,
    months: int,
    year: int | None = None,
    student: bool = False,
    school_years: int = 1,
) -> dict[str, object]:
    """Monthly standard, period total, school grant and total for one child."""
    if category not in CATEGORIES:
        raise BadInput(f"unknown category {category!r}; choose from {', '.join(CATEGORIES)}")
    if not 1 <= months <= 240:
        raise BadInput(f"--months must be 1 to 240, got {months}")
    if not 1 <= school_years <= 20:
        raise BadInput(f"--school-years must be 1 to 20, got {school_years}")
    std = standard_for(care, year if year is not None else stated_standard(care).year)
    grant_value = parameter("school-grant").latest()
    eligible = student and category == GRANT_CATEGORY
    grant = grant_value.value * school_years if eligible else Decimal(0)
    period_total = std.monthly * months
    if not student:
        grant_rule = "no grant asked (--student not given)"
    elif eligible:
        grant_rule = (
            f"{yuan(grant_value.value)} yuan per school year for eligible de facto "
            f"unsupported children while enrolled ({grant_value.reference})"
        )
    else:
        grant_rule = (
            "the page states the school grant only for eligible de facto unsupported "
            f"children ({grant_value.reference}); none added for category {category!r}"
        )
    return {
        "care": care,
        "category": category,
        "year": std.year,
        "basis": std.basis,
        "monthly_standard": yuan(std.monthly),
        "how": std.how,
        "months": months,
        "period_total": yuan(period_total),
        "school_years": school_years if eligible else 0,
        "school_grant": yuan(grant),
        "total": yuan(period_total + grant),
        "standard_rule": SAME_STANDARD_RULE if category != "orphan" else "orphan standard",
        "grant_rule": grant_rule,
    }


def childcare(*, children: int, months: int) -> dict[str, object]:
    """The operating subsidy an inclusive childcare institution receives."""
    if not 1 <= children <= 100_000:
        raise BadInput(f"--children must be 1 to 100000, got {children}")
    if not 1 <= months <= 240:
        raise BadInput(f"--months must be 1 to 240, got {months}")
    rate = parameter("childcare-subsidy").latest()
    return {
        "children": children,
        "months": months,
        "per_child_per_month": yuan(rate.value),
        "monthly_total": yuan(rate.value * children),
        "total": yuan(rate.value * children * months),
        "rule": f"{yuan(rate.value)} yuan a month for each child actually enrolled in an "
        f"inclusive childcare institution ({rate.reference})",
        "note": rate.note,
    }
