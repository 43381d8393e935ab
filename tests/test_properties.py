"""Properties of the money rules, checked on generated salaries."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from sizes import examples

from hzcity.calculators import premium as pm
from hzcity.money import round_fen, yuan
from hzcity.payroll import reference
from hzcity.payroll.source import open_payroll

DAY = date(2024, 1, 1)
fen = st.integers(min_value=1, max_value=10_000_000 * 100)  # 0.01 .. 10 million yuan
klass = st.integers(min_value=1, max_value=8)


def _salary(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _rates(industry_class: int) -> pm.Rates:
    return pm.rates_at(DAY, pm.benchmark_rate(industry_class, DAY))


def _exact_half_up(amount: Fraction) -> Fraction:
    """Half-up to the fen, done with exact fractions: the reference the Decimal code must match."""
    hundredths = amount * 100
    whole = hundredths.numerator // hundredths.denominator
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6))
def test_round_fen_is_half_up(units, places):
    amount = Decimal(units).scaleb(-places)
    assert Fraction(round_fen(amount)) == _exact_half_up(Fraction(amount))
    assert Fraction(yuan(amount)) == _exact_half_up(Fraction(amount))  # text follows the rule


@given(fen, klass)
def test_each_item_is_the_exact_product_rounded_half_up(cents, industry_class):
    rates = _rates(industry_class)
    got = pm.compute(_salary(cents), rates)
    base = Fraction(cents, 100)
    reduced = Fraction(rates.reduced_rate) / 100
    assert Fraction(got.amount("unemployment_employer")) == _exact_half_up(base * Fraction(5, 1000))
    assert Fraction(got.amount("work_injury_employer")) == _exact_half_up(base * reduced)


@given(fen, klass)
def test_totals_are_sums_of_items(cents, industry_class):
    got = pm.compute(_salary(cents), _rates(industry_class))
    assert got.amount("employer_total") == got.amount("unemployment_employer") + got.amount(
        "work_injury_employer"
    )
    assert got.amount("individual_total") == got.amount("unemployment_individual")
    assert got.amount("total") == got.amount("employer_total") + got.amount("individual_total")
    assert got.amount("work_injury_saving") >= 0


@given(fen, fen, klass)
def test_premiums_never_decrease_as_the_salary_grows(a, b, industry_class):
    rates = _rates(industry_class)
    low, high = (pm.compute(_salary(c), rates) for c in sorted((a, b)))
    for key in pm.AMOUNTS:
        if key != "work_injury_saving":  # a difference of two roundings may wobble by a fen
            assert low.amount(key) <= high.amount(key), key


@settings(max_examples=examples(50))
@given(st.lists(fen, min_size=1, max_size=30), klass)
def test_payroll_equals_single_mode_row_by_row(salaries, industry_class):
    rates = _rates(industry_class)
    text = "salary\n" + "".join(f"{_salary(c)}\n" for c in salaries)
    totals = reference.PayrollTotals()
    with open_payroll("-", stdin=io.BytesIO(text.encode())) as source:
        rows = list(reference.payroll(source, rates, totals=totals))
    header = rows[0]
    for cents, row in zip(salaries, rows[1:], strict=True):
        single = pm.compute(_salary(cents), rates).as_record()
        assert dict(zip(header[1:], row[1:], strict=True)) == {k: single[k] for k in header[1:]}
    assert totals.rows == len(salaries)
    assert totals.sums["total"] == sum(
        (pm.compute(_salary(c), rates).amount("total") for c in salaries), Decimal(0)
    )
