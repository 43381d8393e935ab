"""Priced month by month, the vectorised engine prints what the reference engine prints,
byte for byte, notes included (issue 24)."""

from __future__ import annotations

import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sizes import examples

from hzcity.payroll import fast as payroll_fast
from hzcity.payroll import reference
from hzcity.payroll.months import Months, dated_rows
from hzcity.payroll.source import open_payroll
from hzcity.policy.user import load_parameters

pytest.importorskip("pyarrow", reason="the fast engine is the hzcity[fast] extra")

CASES = Path(__file__).parent / "cases" / "user-params"
PARAMS = load_parameters([CASES / "months-2025"])  # the page's window, then two in 2025
FORMS = (
    "{y}-{m:02d}",
    "{y}-{m}",
    "{y}年{m}月",
    "{y}年{m:02d}月",
    "{y}{m:02d}",
    "{y}/{m}",
    "{y}.{m:02d}",
    "{y}-{m:02d}-28",
)
MONTHS = [(2024, m) for m in range(5, 13)] + [(2025, m) for m in range(1, 13)]
MONTH = st.tuples(st.sampled_from(MONTHS), st.sampled_from(FORMS)).map(
    lambda t: t[1].format(y=t[0][0], m=t[0][1])
)
AMOUNT = st.one_of(
    st.integers(1, 30_000).map(str),
    st.integers(1, 3_000_000).map(lambda c: str(Decimal(c).scaleb(-2))),
)
# A row naming nobody may be a total by its sum (the row rules), which only the reference
# engine words: every row here names someone.
NAME = st.builds(
    str.__add__,
    st.sampled_from("李王张刘陈BCDFGHJKhjkw"),
    st.text(alphabet="李王张刘陈BCDFGHJKhjkw -.", max_size=4),
)


def _months(injury: str | None, limits: tuple) -> Months:
    klass = int(injury) if injury and injury.isdigit() else None
    own = Decimal(injury) if injury and not injury.isdigit() else None
    return Months(
        PARAMS, industry_class=klass, own_rate=own, base_min=limits[0], base_max=limits[1], column=1
    )


def _reference(path: Path, months: Months, fmt: str) -> tuple[str, dict, dict, dict]:
    """The reference's answer: its text, sums, month totals and the rows each bound clamped."""
    from hzcity.output.render import Format, stream

    totals = reference.PayrollTotals()
    out = io.StringIO()
    with open_payroll(str(path)) as source:
        source.rows = dated_rows(source, 1, None)
        stream(reference.payroll(source, months, totals=totals), Format(fmt), out)
    return out.getvalue(), totals.sums, _tallies(totals), _clamped(totals)


def _fast(
    path: Path, months: Months, fmt: str, block_size: int
) -> tuple[str, dict, dict, dict] | None:
    totals = reference.PayrollTotals()
    out = io.BytesIO()
    with open_payroll(str(path)) as source:
        done = payroll_fast.run(
            path,
            None,
            header=source.header,
            column=source.column,
            delimiter=",",
            out_delimiter="\t" if fmt == "tsv" else ",",
            base_min=None,
            base_max=None,
            totals=totals,
            out=out,
            block_size=block_size,
            months=months,
            month_column=1,
            where=lambda number: f"{path}:{number}",
        )
    answer = (out.getvalue().decode(), totals.sums, _tallies(totals), _clamped(totals))
    return answer if done else None


def _tallies(totals: reference.PayrollTotals) -> dict:
    return {month: (t.rows, t.sums) for month, t in totals.by_month.items()}


def _clamped(totals: reference.PayrollTotals) -> dict:
    """Each bound's clamped rows: how many, and where the first few are."""
    return {key: (c.side, c.bound, c.rows, c.first) for key, c in totals.clamped.items()}


@settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(st.tuples(NAME, MONTH, AMOUNT), min_size=1, max_size=60),
    # an own rate of 10 decimals: its items are rounded in decimal128, not in whole fen
    injury=st.sampled_from([None, "4", "8", "0.9", "1.23", "0.1234567891"]),
    fmt=st.sampled_from(["csv", "tsv"]),
    limits=st.sampled_from(
        [(None, None), (Decimal("3000.00"), None), (Decimal("1.00"), Decimal("9999.99"))]
    ),
    block_size=st.sampled_from([64, 100, 256, payroll_fast.BLOCK]),
)
def test_payrolls_of_many_months_agree_byte_for_byte(
    tmp_path, rows, injury, fmt, limits, block_size
):
    """Months in every form, in any order, across the page's window and two of a user's
    (the second with a base floor and ceiling): the same text, sums and month totals, and
    the same rows counted and named where a bound clamps them."""
    path = tmp_path / "p.csv"
    path.write_text(
        "姓名,所属期,缴费基数\n" + "".join(f"{n},{m},{a}\n" for n, m, a in rows), "utf-8"
    )
    fast = _fast(path, _months(injury, limits), fmt, block_size)
    assert fast is not None and fast == _reference(path, _months(injury, limits), fmt)


def _big_payroll(path: Path, rows: int, *, late: str = "") -> None:
    """A payroll of ``rows`` rows over 2024-05 to 2025-12 in shuffled order, some 40 bytes a
    row, some of them under the floor or over the ceiling of 2025-07 on; ``late`` is a month
    text put in the last row."""
    draw = random.Random(24)
    lines = ["序号,姓名,所属期,缴费基数"]
    for n in range(rows):
        year, month = draw.choice(MONTHS)
        form = draw.choice(FORMS).format(y=year, m=month)
        fen = draw.randint(100000, 5000000) / 100
        salary = draw.randint(1000, 50000) if n % 2 else f"{fen:.2f}"
        lines.append(f"{n + 1},员工{n % 977},{form},{salary}")
    if late:
        lines[-1] = f"{rows},员工,{late},6000"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _args(path: Path, *extra: str) -> tuple[str, ...]:
    """premium on ``path`` with the user file of two 2025 windows."""
    return ("premium", "--salaries", str(path), "--facts-dir", str(CASES / "months-2025"), *extra)


def _both(hz, monkeypatch, args: tuple[str, ...]) -> tuple:
    """The run with the fast engine where it can, then with the reference engine forced."""
    fast = hz(*args)
    with monkeypatch.context() as forced:
        forced.setenv("HZCITY_ENGINE", "python")
        return fast, hz(*args)


@pytest.mark.slow
def test_a_megabyte_payroll_in_many_blocks_agrees_through_the_cli(hz, tmp_path, monkeypatch):
    """The command as a clerk runs it: the fast engine (used, in several blocks on every
    core) and the reference engine print the same rows and the same notes."""
    path = tmp_path / "year.csv"
    _big_payroll(path, 40_000)
    assert path.stat().st_size > max(1 << 20, 4 * payroll_fast.BLOCK)
    args = _args(path, "--industry-class", "4")
    used = []
    real = payroll_fast.run
    monkeypatch.setattr(payroll_fast, "run", lambda *a, **k: used.append(real(*a, **k)) or used[-1])
    fast, slow = _both(hz, monkeypatch, args)
    assert used == [True] and fast.code == slow.code == 0
    assert fast.out == slow.out and fast.err == slow.err
    assert fast.out.count("\n") == 40_001 and "rows: 40000, bad rows skipped: 0;" in fast.err
    assert "note: rates of 2025-07…2025-12: unemployment 0.7% employer" in fast.err
    # the rows 2025-07 on charged at the floor, counted and named over every block, in order
    assert "rows charged at the contribution-base floor 3000.00" in fast.err
    fast, slow = _both(hz, monkeypatch, (*args, "--by", "month", "--format", "json"))
    assert fast.out == slow.out and fast.err == slow.err


@pytest.mark.slow
def test_months_without_rates_fail_alike_in_both_engines(hz, tmp_path, monkeypatch):
    path = tmp_path / "year.csv"
    _big_payroll(path, 30_000, late="2026-02")
    fast, slow = _both(hz, monkeypatch, _args(path))
    assert fast.code == slow.code == 4 and fast.out == slow.out == ""
    assert fast.err == slow.err
    assert "no rates in force for 1 month of the payroll: 2026-02:" in fast.err


@pytest.mark.slow
def test_a_late_bad_month_hands_the_whole_file_to_the_reference(hz, tmp_path, monkeypatch):
    """Blocks already computed are thrown away; the reference names the cell."""
    path = tmp_path / "year.csv"
    _big_payroll(path, 30_000, late="2025-13")
    monkeypatch.setenv("HZCITY_ENGINE", "fast")  # who asks for the fast engine is told
    fast, slow = _both(hz, monkeypatch, _args(path, "--industry-class", "4", "--skip-bad-rows"))
    assert fast.code == slow.code == 0 and fast.out == slow.out
    assert "reference engine: the file is not plain" in fast.err
    assert f"skipped {path}:30001: '2025-13' is no month" in slow.err
    assert [
        x for x in fast.err.splitlines() if "reference engine: " not in x
    ] == slow.err.splitlines()


@pytest.mark.parametrize(
    ("line", "csv_taken"),
    [('a,2024-06,"6000"', False), ("a\tb,2024-06,6000", True), ("合计,2024-06,6000", False)],
)
def test_a_line_the_fast_engine_cannot_write_as_is_is_handed_over(tmp_path, line, csv_taken):
    """A quote, a total, or the output's delimiter inside a cell (a tab, for TSV): the
    reference engine's file."""
    path = tmp_path / "p.csv"
    path.write_text(f"姓名,所属期,缴费基数\nb,2024-07,7000\n{line}\n", encoding="utf-8")
    assert _fast(path, _months(None, (None, None)), "tsv", payroll_fast.BLOCK) is None
    taken = _fast(path, _months(None, (None, None)), "csv", payroll_fast.BLOCK)
    assert (taken is not None) == csv_taken
