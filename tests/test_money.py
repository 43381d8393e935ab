"""parse_amount, the one parser for --salary and payroll cells: what HR sheets write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hzcity.money import MAX_AMOUNT, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6000", "6000.00"),
        ("6,001.50", "6001.50"),  # Excel's thousands separators
        ("6,001", "6001.00"),
        ("1,234,567.8", "1234567.80"),
        ("¥6,001.50", "6001.50"),
        ("￥ 6000", "6000.00"),  # full-width yuan sign, space after it
        ("  6000.5 \t", "6000.50"),
        ("\u30006000\u3000", "6000.00"),  # full-width spaces around
        ("10,000,000", "10000000.00"),  # the maximum itself
        ("6000元", "6000.00"),  # the unit written after the figure
        ("6,001.50 元", "6001.50"),
    ],
)
def test_amounts_as_hr_sheets_write_them(text, value):
    assert str(parse_amount(text)) == value


fen = st.integers(min_value=1, max_value=int(MAX_AMOUNT) * 100)


@given(fen, st.sampled_from(["", "¥", "￥", " ¥ "]))
def test_grouped_amount_parses_to_the_same_decimal(cents, sign):
    amount = Decimal(cents).scaleb(-2)
    assert parse_amount(f"{sign}{amount:,}") == amount
    assert parse_amount(f"{sign}{amount:,.2f}") == amount
    if amount == amount.to_integral_value():
        assert parse_amount(f"{sign}{int(amount):,}") == amount


def test_salary_option_takes_grouped_amounts(hz):
    result = hz("premium", "--salary", "6,001.50", "--industry-class", "4",
                "--date", "2024-06-01", "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert '"salary": "6001.50"' in result.out
