"""Exact money: parsing user amounts and the one rounding rule (half-up to the fen)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from hzcity.errors import BadInput, InvalidData
from hzcity.i18n import Phrase

FEN = Decimal("0.01")
HALF_UP = ROUND_HALF_UP  # the one rounding rule (round_fen); the hot paths quantize with it
MAX_AMOUNT = Decimal(10_000_000)  # a monthly base above 10 million yuan is a typo, not a salary
# The amount syntax, one for --salary, payroll cells and user files (the payroll engines take
# it from hzcity/payroll/rules.py, which compiles PLAIN for the Arrow engine): digits, or
# digits grouped by commas in threes as Excel writes them (6,001.50), at most two decimals.
# PLAIN is the usual cell, a part of GROUPED whose value is Decimal(text) as it stands.
PLAIN = r"[0-9]+(?:\.[0-9]{1,2})?"
GROUPED = r"(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]{1,2})?"
_AMOUNT = re.compile(GROUPED + r"\Z")
_YUAN_SIGNS = ("¥", "￥")  # the half- and full-width yuan signs HR sheets put before amounts
# Full-width forms as a Chinese input method types them (６,０００．５０): folded to ASCII
# before the syntax applies. Only these: NFKC would also read ² or ① as digits.
WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]{1,4})?)%?\Z")  # no real rate has more decimals


def round_fen(amount: Decimal) -> Decimal:
    """The rounding rule: half-up to the fen, so 30.005 -> 30.01 and 30.004 -> 30.00."""
    return amount.quantize(FEN, ROUND_HALF_UP)  # positional: 4x faster than rounding=


def parse_amount(text: str, what: str = Phrase("amount")) -> Decimal:
    """A positive yuan amount: digits (half- or full-width), optional thousands commas, at
    most two decimals, an optional leading yuan sign or trailing 元, surrounding spaces
    ignored."""
    cleaned = text.translate(WIDTH).strip().removesuffix("元").rstrip()
    if cleaned.startswith(_YUAN_SIGNS):
        cleaned = cleaned[1:].lstrip()
    if cleaned.startswith("-") and _AMOUNT.match(cleaned[1:]):
        raise BadInput(Phrase("{what} {text!r} is not an amount in yuan: it must be greater "
                              "than 0", what=what, text=text))  # fmt: skip
    if cleaned.startswith("?") and _AMOUNT.match(cleaned[1:].lstrip()):
        # LibreOffice's "as shown" CSV export in GBK writes ¥ as "?": the figure is there
        raise BadInput(Phrase(
            "{what} {text!r} is not an amount: the '?' stands where a currency sign (¥) was, "
            "lost when the file was saved as GBK text; delete the '?', or save the file as "
            "UTF-8", what=what, text=text))  # fmt: skip
    if not _AMOUNT.match(cleaned):
        raise BadInput(
            Phrase(
                "{what} {text!r} is not an amount in yuan (digits, optional "
                "thousands commas, at most 2 decimals, e.g. 6000.50 or 6,000.50)",
                what=what,
                text=text,
            )
        )
    value = Decimal(cleaned.replace(",", ""))
    if value <= 0:
        raise BadInput(Phrase("{what} must be greater than 0, got {text!r}", what=what, text=text))
    if value > MAX_AMOUNT:
        raise BadInput(
            Phrase(
                "{what} {text!r} is above {limit} yuan; check the figure",
                what=what,
                text=text,
                limit=f"{MAX_AMOUNT:,}",
            )
        )
    return value.quantize(FEN)  # exact (<= 2 decimals); str() then always shows the fen


def parse_percent(text: str, what: str = Phrase("rate")) -> Decimal:
    """A rate in percent, '0.9' or '0.9%', between 0 (exclusive) and 100."""
    match = _PERCENT.match(text.strip())
    if not match:
        raise BadInput(
            Phrase(
                "{what} {text!r} is not a percentage (e.g. 0.9 or 0.9%, at most 4 decimals)",
                what=what,
                text=text,
            )
        )
    value = Decimal(match.group(1))
    if not 0 < value < 100:
        raise BadInput(
            Phrase(
                "{what} must be above 0 and below 100 percent, got {text!r}", what=what, text=text
            )
        )
    return value


def yuan(amount: Decimal) -> str:
    """Amount as text with two decimals, '30.01', by the one rounding rule (a format spec
    such as :.2f would round half-even on its own)."""
    return str(round_fen(amount))


def percent(value: Decimal) -> str:
    """A rate as people write it: 0.45, 10, 36.7; never an exponent (1E+1) or trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_decimal(raw: Any, where: str) -> Decimal:
    """A YAML scalar as an exact Decimal (via its text, never via float)."""
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise InvalidData(f"{where}: {raw!r} is not a number") from None
    if not value.is_finite():
        raise InvalidData(f"{where}: {raw!r} is not a finite number")
    return value
