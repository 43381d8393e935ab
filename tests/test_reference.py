"""The reference engine's shortcut for plain salary cells gives what parse_amount gives."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hzcity.money import parse_amount
from hzcity.payroll.reference import _PLAIN, FEN


@given(st.from_regex(r"[0-9]{1,9}(\.[0-9]{0,3})?", fullmatch=True))
def test_plain_cells_read_as_parse_amount_reads_them(text: str) -> None:
    if _PLAIN.match(text):
        fast = Decimal(text).quantize(FEN)
        assert str(fast) == str(parse_amount(text))


def test_what_is_not_plain_goes_the_long_way() -> None:
    for text in ("0", "01", "1,000", " 6000", "6000\n", "10000000", "6000.555", "¥6000", "-5"):
        assert not _PLAIN.match(text)
    assert _PLAIN.match("9999999.99")
