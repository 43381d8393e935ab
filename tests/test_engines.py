"""The vectorised payroll engine prints what the reference engine prints, byte for byte."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sizes import examples

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
# of the row rules, no character NFKC would change), spaces and dots among them; never
# blank (a row without a name may be a total by its sum: the reference's to say).
NAME = st.text(alphabet="李王张刘陈杨赵黄周吴BCDFGHJKMNPQRVWXZhjkwxz -.", min_size=1,
               max_size=6).filter(str.strip)  # fmt: skip
ODD = st.sampled_from(["abc", "-5", "6,001", " 6000", "6000.001", "0", '"6000"', "合计"])


def _rates(injury: str | None) -> pm.Rates:
    chosen = pm.InjuryRate(current=Decimal(injury), source="own") if injury else None
    return pm.rates_at(DAY, chosen)


def _clamped(totals: reference.PayrollTotals) -> dict:
    """Each bound's clamped rows: how many, and where the first few are."""
    return {key: (c.side, c.bound, c.rows, c.first) for key, c in totals.clamped.items()}


def _reference(path: Path, rates: pm.Rates, fmt: str, limits: tuple) -> tuple[str, dict, dict]:
    from hzcity.output.render import Format, stream

    totals = reference.PayrollTotals()
    out = io.StringIO()
    with open_payroll(str(path)) as source:
        rows = reference.payroll(
            source, rates, base_min=limits[0], base_max=limits[1], totals=totals
        )
        stream(rows, Format(fmt), out)
    return out.getvalue(), totals.sums, _clamped(totals)


def _fast(
    path: Path, rates: pm.Rates, fmt: str, limits: tuple, block_size: int = payroll_fast.BLOCK
) -> tuple[str, dict, dict] | None:
    totals = reference.PayrollTotals()
    out = io.BytesIO()
    with open_payroll(str(path)) as source:
        done = payroll_fast.run(
            path, rates, header=source.header, column=source.column, delimiter=",",
            out_delimiter="\t" if fmt == "tsv" else ",", base_min=limits[0], base_max=limits[1],
            totals=totals, out=out, block_size=block_size, where=lambda n: f"{path}:{n}",
        )  # fmt: skip
    return (out.getvalue().decode(), totals.sums, _clamped(totals)) if done else None


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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
    """Every example is compared, the rows a bound clamps too (counted and named by line);
    small blocks put most across several, on several threads."""
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
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
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
    quiet = hz(*args)
    monkeypatch.setenv("HZCITY_ENGINE", "fast")  # who asks for the fast engine is told
    fast = hz(*args)
    monkeypatch.setenv("HZCITY_ENGINE", "python")
    reference = hz(*args)
    assert fast.code == reference.code == 0
    assert fast.out == reference.out and _handed(fast.err) == reference.err == quiet.err
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


# ---- the two engines on whole payrolls, every output and every note (issue 22, item 8) ---

HEADERS = [
    ["序号", "姓名", "身份证号", "部门", "缴费基数"],
    ["name", "id", "salary"],
    ["id", "code", "base"],
]
LABELS = ["合计", "合计：", "小计：", "本页小计", "部门合计", "办公室小计", "Subtotal", "合计金额",
          "总计：", "共 计", "TOTAL"]  # fmt: skip
FOOTERS = ["制表人：王丽", "审核：", "制表日期：2024年6月28日", "备注:以核定基数为准"]
# cells a spreadsheet would change or run, in any column but the salary's
ODD_CELLS = ["1E5", "007", "=1+1", "@x", "-5", "2024-05", "330102198001011234", "0.5", "+86",
             "33010619900307002X", "a b", "李 四"]  # fmt: skip
# salary cells only the reference reads, or that stop the run
ODD_SALARIES = ["６０００", "6,001.50", "¥6000", "?6,001.00", "abc", "-5", "0", "6000.001",
                " 6000", "99999999"]  # fmt: skip
DEPARTMENTS = ["办公室", "财务部", "仓库"]


@st.composite
def payrolls(draw: st.DrawFn, big: bool = False) -> str:
    """A payroll as clerks write them (and as nobody should), as CSV or TSV text: title,
    total, footer and nameless rows, repeated headers, odd cells, full-width digits."""
    header = draw(st.sampled_from(HEADERS))
    width, salary = len(header), len(header) - 1
    lines: list[list[str]] = []
    if draw(st.integers(0, 5)) == 0:
        lines.append(["2024年5月工资表"] + [""] * (width - 1))
    lines.append(header)
    since = Decimal(0)
    count = draw(st.integers(1, 12))
    for number in range(1, count + 1):
        kind = draw(st.sampled_from("eeeeeeeeetfsbho" if not big else "e"))
        row = [""] * width
        if kind == "e":
            row[0] = str(number)
            for column in range(1, salary):
                row[column] = draw(st.one_of(NAME, st.sampled_from(DEPARTMENTS),
                                             st.sampled_from(ODD_CELLS)))  # fmt: skip
            row[salary] = draw(AMOUNT)
            since += Decimal(row[salary])
        elif kind == "t":  # a labelled total, under the label column or the first
            row[draw(st.integers(0, salary - 1))] = draw(st.sampled_from(LABELS))
            row[salary] = draw(st.sampled_from([str(since), ""]))
            since = Decimal(0)
        elif kind == "f":
            where = draw(st.sampled_from([0, salary]))
            row[where] = draw(st.sampled_from(FOOTERS))
        elif kind == "s":  # no name or ID: a subtotal by its sum, or just nameless
            row[salary] = str(since) if since and draw(st.booleans()) else draw(AMOUNT)
        elif kind == "h":
            row = list(header)
        elif kind == "o":
            row[0], row[1] = str(number), "x"
            row[salary] = draw(st.sampled_from(ODD_SALARIES))
        lines.append(row)
    if big:  # past Arrow's block: the rows are repeated, the odd one (if any) goes last
        body = lines[1:]
        lines = [header] + body * (1_100_000 // max(1, sum(map(len, map(",".join, body)))) + 1)
        if draw(st.booleans()):
            odd = draw(st.sampled_from(["t", "f", "s", "1E5"]))
            lines.append({"t": ["合计"] + [""] * (width - 1), "f": ["制表人：王丽"] +
                          [""] * (width - 1), "s": [""] * salary + ["1"],
                          "1E5": ["1", "1E5"] + ["x"] * (width - 3) + ["6000"]}[odd])  # fmt: skip
    out = io.StringIO()
    csv.writer(out, delimiter=draw(st.sampled_from([",", "\t"])),
               lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(lines)  # fmt: skip
    return out.getvalue()


def _both_engines(hz, monkeypatch, args: list[str], outputs: list[Path]):
    """(code, stdout, stderr less the hand-over note, each output's bytes) from the engine
    hzcity chooses, then from the reference alone."""
    results = []
    for engine in ("", "python"):
        if engine:
            monkeypatch.setenv("HZCITY_ENGINE", engine)
        else:
            monkeypatch.delenv("HZCITY_ENGINE", raising=False)
        for out in outputs:
            out.unlink(missing_ok=True)
        got = hz(*args)
        files = [_contents(out) if out.exists() else None for out in outputs]
        results.append((got.code, got.out, _handed(got.err), files))
    monkeypatch.delenv("HZCITY_ENGINE", raising=False)
    return results


def _contents(path: Path) -> object:
    """A file's bytes; an .xlsx's members' bytes (the zip stamps each with the time)."""
    import zipfile

    if path.suffix != ".xlsx":
        return path.read_bytes()
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


STDOUT_FORMATS = [["--format", "csv"], ["--format", "tsv"], ["--format", "json"]]
FILE_SUFFIXES = [".csv", ".tsv", ".jsonl", ".xlsx"]


def _agree(hz, monkeypatch, folder: Path, text: str, options: list[str], suffixes: list[str],
           formats: list[list[str]]) -> None:  # fmt: skip
    path = folder / "p.csv"
    path.write_text(text, encoding="utf-8")
    run = ["premium", "--salaries", str(path), "--date", "2024-06-01", *options]
    for fmt in formats:
        fast, reference = _both_engines(hz, monkeypatch, [*run, *fmt], [])
        assert fast == reference, fmt
    for suffix in suffixes:
        out = folder / f"answer{suffix}"
        fast, reference = _both_engines(hz, monkeypatch, [*run, "--output", str(out)], [out])
        assert fast == reference, suffix


OPTIONS = st.sampled_from([["--industry-class", "4"], [], ["--injury-rate", "1.3"],
                           ["--industry-class", "2", "--base-min", "3000.00"]])  # fmt: skip


SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=examples(30), deadline=None, suppress_health_check=SLOW_OK)
@given(payroll=payrolls(), options=OPTIONS)
def test_both_engines_give_the_same_answer_in_every_format_and_the_same_notes(
    hz, monkeypatch, payroll, options
):
    with tempfile.TemporaryDirectory() as folder:
        _agree(hz, monkeypatch, Path(folder), payroll, options, FILE_SUFFIXES, STDOUT_FORMATS)


@settings(max_examples=examples(2), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])  # fmt: skip
@given(payroll=payrolls(big=True), options=OPTIONS)
@pytest.mark.slow
def test_both_engines_agree_on_a_payroll_of_many_arrow_blocks(hz, monkeypatch, payroll, options):
    """Over a megabyte: Arrow reads it in several blocks, on several threads; an odd last
    row hands the whole file over, blocks already computed thrown away."""
    assert len(payroll.encode()) > 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        _agree(hz, monkeypatch, Path(folder), payroll, options, [".csv"], STDOUT_FORMATS[:1])


@pytest.mark.parametrize(
    "text",
    [
        "name,code,salary\nLi,1E5,6000\nWang,x,7000\n",
        # the fast engine reads the input's own cells for the check: CRLF lines, a TSV, the
        # cell last on its line and last in the file
        "name,salary,code\r\nWang,7000,x\r\nLi,6000,1E5\r\n",
        "name\tsalary\tcode\nWang\t7000\tx\nLi\t6000\t1E5",
    ],
    ids=["csv", "crlf", "tsv-no-last-newline"],
)
def test_the_fast_engine_keeps_the_note_of_a_cell_a_spreadsheet_would_change(
    hz, tmp_path, monkeypatch, text
):
    """The drift of issue 22: '1E5' in a non-salary column was noted by the reference only."""
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "a.csv"
    args = ["premium", "--salaries", str(path), "--industry-class", "4", "--date",
            "2024-06-01", "--output", str(out)]  # fmt: skip
    fast, reference = _both_engines(hz, monkeypatch, args, [out])
    assert fast == reference
    assert "1 cell such as " in fast[2] and ":code '1E5' may change when a spreadsheet" in fast[2]
