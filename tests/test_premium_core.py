"""The premium rules a script using the core needs, without the command layer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hzcity.calculators import premium as pm
from hzcity.errors import BadInput
from hzcity.policy.user import load_parameters

DAY = "2024-06-01"


@pytest.fixture(scope="module")
def params():
    return load_parameters(())


@pytest.mark.parametrize(
    ("given", "every"),
    [
        ({}, True),  # one salary, neither class nor rate: every class side by side
        ({"industry_class": 4}, False),
        ({"own_rate": Decimal("0.9")}, False),
        ({"payroll": True}, False),  # a payroll without a rate computes no work injury
    ],
)
def test_the_plan_says_which_mode_applies(params, given, every):
    plan = pm.prepare(params, on=DAY, **given)
    assert plan.every_class is every
    assert plan.rates.injury is None or not every


def test_a_class_and_an_own_rate_are_refused_before_any_day_is_looked_up(params):
    with pytest.raises(BadInput) as caught:  # 1999 has no rates: the usage error comes first
        pm.prepare(params, on="1999-01-01", industry_class=4, own_rate=Decimal("0.9"))
    assert caught.value.args[0].key == (
        "give an industry class (--industry-class) or the employer's own rate, not both"
    )


@pytest.mark.parametrize(
    ("salary", "applied", "value"),
    [("2000", "floor", "3000"), ("50000", "ceiling", "30000"), ("6000", None, None)],
)
def test_the_result_says_which_bound_the_salary_met_and_whose(params, salary, applied, value):
    rates = pm.prepare(params, on=DAY, industry_class=4, base_min=Decimal(3000),
                       base_max=Decimal(30000)).rates  # fmt: skip
    result = pm.compute(Decimal(salary), rates)
    assert result.bound_applied == applied
    if value is None:
        assert result.bound is None
    else:
        assert result.bound is not None
        assert (result.bound.value, result.bound.source) == (Decimal(value), "option")
        assert result.amount("contribution_base") == Decimal(value)


def test_crossed_bounds_are_refused_naming_the_options(params):
    with pytest.raises(BadInput) as caught:
        pm.rates_at(pm.prepare(params, on=DAY).rates.day, None, params,
                    base_min=Decimal(5000), base_max=Decimal(3000))  # fmt: skip
    assert caught.value.args[0].values["low_source"] == "--base-min"


def test_the_items_table_and_the_amounts_record_name_one_list():
    """ITEMS declares the premium items for every engine; Amounts is their typed record."""
    import dataclasses

    assert tuple(f.name for f in dataclasses.fields(pm.Amounts)) == pm.AMOUNTS
