"""The vectorised payroll engine prints what the reference engine prints, byte for byte."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hzcity.calculators import premium as pm
from hzcity.payroll import fast as payroll_fast
from hzcity.payroll import reference
from hzcity.payroll.source import open_payroll

pytest.importorskip("pyarrow", reason="the fast engine is the hzcity[fast] extra")

DAY = date(2024, 1, 1)
# Amounts on the half fen after a 0.5% or 0.45% rate are common among whole yuan and fen.
AMOUNT = st.one_of(
    st.integers(1, 30_000).map(str),
    st.integers(1, 3_000_000).map(lambda c: str(Decimal(c).scaleb(-2))),
    st.integers(1, 300_000).map(lambda c: str(Decimal(c).scaleb(-1))),
)
# Names that cannot look like a total or footer row: CJK surnames and consonants (no word
# of TOTAL_WORDS, no character NFKC would change), spaces and dots among them.
NAME = st.text(alphabet="李王张刘陈杨赵黄周吴BCDFGHJKMNPQRVWXZhjkwxz -.", min_size=0, max_size=6)
ODD = st.sampled_from(["abc", "-5", "6,001", " 6000", "6000.001", "0", '"6000"', "合计"])


def _rates(injury: str | None) -> pm.Rates:
    chosen = pm.InjuryRate(current=Decimal(injury), source="own") if injury else None
    return pm.rates_at(DAY, chosen)


def _reference(path: Path, rates: pm.Rates, fmt: str, limits: tuple) -> tuple[str, dict]:
    from hzcity.output.render import Format, stream

    totals = reference.PayrollTotals()
    out = io.StringIO()
    with open_payroll(str(path)) as source:
        rows = reference.payroll(
            source, rates, base_min=limits[0], base_max=limits[1], totals=totals
        )
        stream(rows, Format(fmt), out)
    return out.getvalue(), totals.sums


def _fast(
    path: Path, rates: pm.Rates, fmt: str, limits: tuple, block_size: int = payroll_fast.BLOCK
) -> tuple[str, dict] | None:
    totals = reference.PayrollTotals()
    out = io.BytesIO()
    with open_payroll(str(path)) as source:
        done = payroll_fast.run(
            path, rates, header=source.header, column=source.column, delimiter=",",
            out_delimiter="\t" if fmt == "tsv" else ",", base_min=limits[0], base_max=limits[1],
            totals=totals, out=out, block_size=block_size,
        )  # fmt: skip
    return (out.getvalue().decode(), totals.sums) if done else None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(NAME, AMOUNT), min_size=0, max_size=60),
    injury=st.sampled_from([None, "0.9", "1.3", "0.2", "20", "0.123"]),
    fmt=st.sampled_from(["csv", "tsv"]),
    limits=st.sampled_from([(None, None), (Decimal("3000.00"), None),
                            (None, Decimal("25000.00")), (Decimal("1.00"), Decimal("9999.99"))]),
    crlf=st.booleans(),
    block_size=st.sampled_from([64, 100, 256, payroll_fast.BLOCK]),
)  # fmt: skip
def test_clean_payrolls_agree_byte_for_byte(tmp_path, rows, injury, fmt, limits, crlf,
                                            block_size):  # fmt: skip
    """Every example is compared; small blocks put most across several, on several threads."""
    path = tmp_path / "p.csv"
    end = "\r\n" if crlf else "\n"
    rows = [("first", "6000"), *rows]  # one employee at least: none is an error (issue 16)
    path.write_text(f"name,salary{end}" + "".join(f"{n},{a}{end}" for n, a in rows), "utf-8")
    rates = _rates(injury)
    fast = _fast(path, rates, fmt, limits, block_size)
    assert fast is not None and fast == _reference(path, rates, fmt, limits)


def test_sums_and_order_across_many_blocks(tmp_path):
    """Two thousand rows in blocks of 128 bytes: a hundred blocks, computed out of order on
    every core, written in order and summed across blocks as the reference does."""
    import random

    draw = random.Random(18)
    path = tmp_path / "p.csv"
    lines = [f"{draw.choice('李王张刘陈')}{n},{draw.randint(1, 3_000_000) / 100:.2f}\n"
             for n in range(2000)]  # fmt: skip
    path.write_text("name,salary\n" + "".join(lines), "utf-8")
    assert path.stat().st_size > 100 * 128
    rates = _rates("0.9")
    fast = _fast(path, rates, "csv", (None, None), block_size=128)
    assert fast is not None and fast == _reference(path, rates, "csv", (None, None))
    assert fast[0].count("\n") == 2001


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(NAME, AMOUNT), min_size=1, max_size=20),
    odd=ODD,
    where=st.integers(0, 19),
)
def test_a_file_the_fast_engine_cannot_take_is_left_whole_to_the_reference(tmp_path, rows, odd,
                                                                           where):  # fmt: skip
    """A bad, quoted or total row anywhere: the fast engine writes nothing and says so."""
    rows.insert(min(where, len(rows)), ("x", odd))
    path = tmp_path / "p.csv"
    path.write_text("name,salary\n" + "".join(f"{n},{a}\n" for n, a in rows), "utf-8")
    assert _fast(path, _rates("0.9"), "csv", (None, None)) is None


def test_the_cli_uses_the_fast_engine_and_both_print_the_same(hz, tmp_path, monkeypatch):
    path = tmp_path / "p.csv"
    path.write_text("name,salary\nLi,6001\nWang,12345.67\n", encoding="utf-8")
    args = ("premium", "--salaries", str(path), "--industry-class", "4", "--date", "2024-01-01")
    used = []
    real = payroll_fast.run
    monkeypatch.setattr(payroll_fast, "run", lambda *a, **k: used.append(1) or real(*a, **k))
    fast = hz(*args)
    monkeypatch.setenv("HZCITY_ENGINE", "python")
    reference = hz(*args)
    assert used == [1] and fast.code == reference.code == 0
    assert fast.out == reference.out and fast.err == reference.err


def test_a_late_odd_row_hands_the_whole_file_to_the_reference_engine(hz, tmp_path, monkeypatch):
    """Blocks already computed are thrown away: output and notes are the reference's alone."""
    path = tmp_path / "p.csv"
    rows, name = 1200, "Zhao" * 60  # more bytes than a block: a block is computed first
    path.write_text("name,salary\n" + f"{name},6001\n" * rows + "合计,7201200\n", encoding="utf-8")
    assert path.stat().st_size > payroll_fast.BLOCK
    args = ("premium", "--salaries", str(path), "--industry-class", "4", "--date", "2024-01-01")
    fast = hz(*args)
    monkeypatch.setenv("HZCITY_ENGINE", "python")
    reference = hz(*args)
    assert fast.code == reference.code == 0
    assert fast.out == reference.out and _handed(fast.err) == reference.err
    assert "reference engine: the file is not plain" in fast.err
    assert f"rows: {rows}," in fast.err and "total row" in fast.err


CASES = Path(__file__).parent / "cases" / "user-params"


@pytest.mark.parametrize(
    ("content", "extra"),
    [
        ("name,salary\na,2000\nb,6000.5\nc,30000\n", ["--facts-dir", str(CASES / "bounds")]),
        ("name,salary\na,6000\nb,7000\rc,8000\n", []),  # a lone CR: the csv module refuses
        ("name,salary\n张三,6000\n李四,7000\n", ["--encoding", "gb18030"]),
        ("x,6000\nx,6000\ny,7000\n", ["--header-row", "2", "--column", "6000"]),
        ("title\nname,salary\na,6000\n", []),
    ],
    ids=["user bounds", "lone CR", "forced encoding", "forced header row", "title row"],
)
def test_what_the_reader_decides_the_fast_engine_never_overrides(hz, tmp_path, monkeypatch,
                                                                 content, extra):  # fmt: skip
    path = tmp_path / "p.csv"
    path.write_bytes(content.encode())
    args = ("premium", "--salaries", str(path), "--industry-class", "4", "--date", "2024-06-01",
            *extra)  # fmt: skip
    fast = hz(*args)
    monkeypatch.setenv("HZCITY_ENGINE", "python")
    reference = hz(*args)
    assert (fast.code, fast.out, _handed(fast.err)) == (reference.code, reference.out,
                                                         reference.err)  # fmt: skip


def test_a_user_bound_follows_the_amount_rule(hz, tmp_path):
    folder = tmp_path / "parameters"
    folder.mkdir()
    (folder / "b.yaml").write_text(
        (CASES / "bounds" / "parameters" / "bounds.yaml")
        .read_text()
        .replace('"3000"', '"3000.555"'),
        encoding="utf-8",
    )
    result = hz("premium", "--salary", "100", "--industry-class", "4", "--date", "2024-06-01",
                "--facts-dir", str(tmp_path))  # fmt: skip
    assert result.code == 3 and "b.yaml:6:" in result.err and "more than 2 decimals" in result.err


def test_a_unit_separator_in_a_line_leaves_no_noise_on_stderr(hz, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"name,salary\nA\x1fB,5000\n")
    result = hz("premium", "--salaries", str(path), "--industry-class", "4", "--date",
                "2024-01-01")  # fmt: skip
    assert result.code == 0 and "Exception ignored" not in result.err


def _handed(err: str) -> str:
    """stderr less the one note saying why the fast engine handed the file over (issue 16)."""
    return "".join(line for line in err.splitlines(True) if "reference engine: " not in line)
