"""The vectorised payroll engine (pyarrow, installed with the ``fast`` extra).

It computes exactly what the reference engine (``hzcity.payroll.reference``) computes,
byte for byte, in decimal128 arithmetic with the same half-up rounding, a block of
rows at a time. It takes only *clean* delimited files: UTF-8, header on the first
line, no quotes, every row as wide as the header, every salary a plain amount
(digits, at most two decimals, within the limits), no total row. Such a file's rows
can be echoed as read and the amounts appended, so the output is the reference's
without parsing a row in Python. Anything else -- a title row, GBK bytes, a quoted
cell, a bad or total row -- is the reference engine's: the caller runs it instead
(``run`` returns False having written nothing; the output goes to a temporary file
until the whole input has been seen). tests/test_engines.py proves the agreement on
generated payrolls.
"""

import mmap
import os
import re
import shutil
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

from hzcity.calculators.premium import AMOUNTS, Rates
from hzcity.errors import BadInput
from hzcity.money import MAX_AMOUNT
from hzcity.payroll.months import EXTRA, Months, Tally, month_of, month_text
from hzcity.payroll.reference import PayrollTotals, month_sums, output_columns, summed
from hzcity.payroll.source import TOTAL_WORDS

T = TypeVar("T")
BLOCK = 256 << 10  # bytes per block: small enough that 10^5 rows already span several
PLAIN_AMOUNT = r"^[0-9]+(\.[0-9]{1,2})?$"
LONE_CR = re.compile(rb"\r(?!\n)")
# A line the reader might take for a total row is the reference engine's: one naming a total
# anywhere, spaces between letters included (the reader drops spaces and case), or holding a
# character outside ASCII, CJK punctuation and CJK ideographs (NFKC, which the reader
# applies, could turn it into one: a full-width letter, an ideographic space).
_SPACE = r"[\t\n\v\f\r \x1c-\x1f]*"
SUSPECT = "|".join(
    [_SPACE.join(word) for word in sorted(TOTAL_WORDS)]
    + [r"[^\x00-\x7f\x{3001}-\x{303f}\x{4e00}-\x{9fff}]"]
)
MONEY = (20, 2)  # decimal128 precision and scale of every amount written
# How rows are priced by month: the months' rates, the month column, the year of a month
# typed without one.
Dating = tuple[Months, int, int | None]


class NotClean(Exception):
    """The file needs the reference engine."""


def run(
    path: Path,
    rates: Rates | None,
    *,
    header: list[str],
    column: int,
    delimiter: str,
    out_delimiter: str,
    base_min: Decimal | None,
    base_max: Decimal | None,
    totals: PayrollTotals,
    out: IO[bytes],
    progress: Callable[[int], None] = lambda rows: None,
    block_size: int = BLOCK,
    months: Months | None = None,
    month_column: int | None = None,
    year: int | None = None,
) -> bool:
    """Write the payroll of a clean file to ``out`` as UTF-8 and fill ``totals``; False, with
    nothing written and ``totals`` untouched, when the file needs the reference engine.

    With ``months`` (``rates`` None), each row is priced at the rates of the month in its column
    ``month_column`` (``year`` for a month typed without one), joined on a small table of
    months; a month without rates ends the run in ``Months.check``'s error, nothing written.

    Only a regular file is read (again, from its start, and mapped into memory): a pipe,
    a FIFO or a device has been read by the reader already, and ``path`` names it only.
    ``block_size`` is the bytes of a block, computed by one thread (a line must fit in it).
    """
    counted = PayrollTotals()
    try:
        spool = tempfile.TemporaryFile()  # noqa: SIM115  (closed below, after the hand-over test)
    except OSError:
        return False
    with spool:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return False
            dating = None if months is None or month_column is None else (
                months, month_column, year)  # fmt: skip
            _compute(path, rates, header, column, delimiter, out_delimiter, (base_min, base_max),
                     counted, spool, progress, block_size, dating)  # fmt: skip
        except (NotClean, OSError):  # a read failing here is the reference engine's to say
            return False
        if not counted.rows:  # no employee row: the reference engine says so
            return False
        if months is not None:
            months.check()
        spool.seek(0)
        shutil.copyfileobj(spool, out, BLOCK)  # only a write to ``out`` can fail past here
    totals.rows, totals.sums, totals.renamed = counted.rows, counted.sums, counted.renamed
    totals.by_month = counted.by_month
    return True


def _check_file(path: Path, header: list[str], delimiter: str, block_size: int) -> None:
    """The header the reader found must be the file's first line, as is, and no line may
    end in a lone CR: Arrow reads it as a line end, the csv module as a malformed field."""
    with path.open("rb") as stream:
        first = stream.readline(block_size)
        if not first:
            raise NotClean
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if LONE_CR.search(data):
                raise NotClean
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise NotClean from None
    if '"' in line or line != delimiter.join(header):
        raise NotClean


def _compute(
    path: Path,
    rates: Rates | None,
    header: list[str],
    index: int,
    delimiter: str,
    out_delimiter: str,
    limits: tuple[Decimal | None, Decimal | None],
    totals: PayrollTotals,
    spool: IO[bytes],
    progress: Callable[[int], None],
    block_size: int,
    dating: Dating | None,
) -> None:
    import pyarrow as pa
    from pyarrow import csv

    _check_file(path, header, delimiter, block_size)
    names = output_columns(header)
    extra = output_columns(header, EXTRA) if dating else []
    totals.renamed = [n for n in [*extra, *names] if n not in (*EXTRA, *AMOUNTS)]
    spool.write((out_delimiter.join(header + extra + names) + "\n").encode())
    sums = [Decimal(0)] * len(AMOUNTS)
    try:  # open_csv reads its first block at once: bad bytes may fail there already
        lines = csv.open_csv(
            path,
            read_options=csv.ReadOptions(skip_rows=1, column_names=["line"], block_size=block_size),
            # one column holding each whole line: no quoting, a delimiter nothing contains
            parse_options=csv.ParseOptions(
                delimiter="\x1f",
                quote_char=False,
                ignore_empty_lines=True,
                invalid_row_handler=_refuse,
            ),
            convert_options=csv.ConvertOptions(
                column_types={"line": pa.string()}, strings_can_be_null=False
            ),
        )
        work = partial(_rows, index=index, width=len(header), delimiter=delimiter,
                       out_delimiter=out_delimiter, rates=rates, limits=limits,
                       dating=dating)  # fmt: skip
        for text, block_sums, count, by_month in _in_order(work, lines):
            spool.write(text)
            sums = [s + v for s, v in zip(sums, block_sums, strict=True)]
            for month, (rows, month_sums_) in by_month.items():
                totals.by_month.setdefault(month, Tally()).add(rows, month_sums_)
            totals.rows += count
            progress(count)
    except pa.ArrowInvalid:  # bytes that are not UTF-8, a line with \x1f...
        raise NotClean from None
    if rates is not None:
        totals.sums = summed(sums, rates)
    elif dating is not None:
        totals.by_month = dict(sorted(totals.by_month.items()))
        totals.sums = month_sums(totals.by_month, dating[0])


def _in_order(work: Callable[[Any], T], batches: Iterable[Any]) -> Iterator[T]:
    """``work`` on each batch, on every core (Arrow's kernels release the GIL), results in
    order, at most one batch per core ahead of the writer: memory stays flat."""
    workers = os.cpu_count() or 1
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[T]] = deque()
        for batch in batches:
            pending.append(pool.submit(work, batch.column(0)))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _rows(
    lines: Any,
    *,
    index: int,
    width: int,
    delimiter: str,
    out_delimiter: str,
    rates: Rates | None,
    limits: tuple[Decimal | None, Decimal | None],
    dating: Dating | None = None,
) -> tuple[bytes, list[Decimal], int, dict[date, tuple[int, list[Decimal]]]]:
    """One block: its output text, the sums of its amounts, its row count and, priced by
    month (``dating``; else at ``rates``), each month's row count and sums."""
    wanted = dating[1] if dating else None
    echoed, salaries, texts = _block(lines, index, width, delimiter, out_delimiter, wanted)
    if dating is None:
        assert rates is not None
        values = _amounts(salaries, rates, limits)
        return _text(echoed, values, out_delimiter), _sums(values), len(echoed), {}
    values, extra, by_month = _month_amounts(salaries, texts, dating)
    return _text(echoed, values, out_delimiter, extra), _sums(values), len(echoed), by_month


def _refuse(row: Any) -> str:
    """Arrow's answer for a row of another width: an error, which ``_compute`` turns into
    NotClean (an exception raised here would be swallowed and printed by Arrow)."""
    return "error"


def _block(
    lines: Any, index: int, width: int, delimiter: str, out_delimiter: str, month: int | None
) -> Any:
    """The lines to echo, their salary texts and (``month``: its column) their month texts;
    NotClean if a row is not plain."""
    import pyarrow.compute as pc

    forbidden = '"' if delimiter == out_delimiter else f'["{re.escape(out_delimiter)}]'
    if pc.any(pc.match_substring_regex(lines, forbidden)).as_py():
        raise NotClean
    if pc.any(pc.match_substring_regex(lines, SUSPECT, ignore_case=True)).as_py():
        raise NotClean
    fields = pc.split_pattern(lines, delimiter)
    if not pc.all(pc.equal(pc.list_value_length(fields), width)).as_py():
        raise NotClean
    salaries = pc.list_element(fields, index)
    if not pc.all(pc.match_substring_regex(salaries, PLAIN_AMOUNT)).as_py():
        raise NotClean
    if delimiter != out_delimiter:
        lines = pc.replace_substring(lines, delimiter, out_delimiter)
    return lines, salaries, None if month is None else pc.list_element(fields, month)


def _decimal(value: Decimal) -> Any:
    """An exact pyarrow scalar of ``value``."""
    import pyarrow as pa

    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # rates and limits are finite
    scale = max(0, -exponent)
    return pa.scalar(value, pa.decimal128(max(len(digits) + max(exponent, 0), scale + 1), scale))


def _amounts(
    salaries: Any, rates: Rates, limits: tuple[Decimal | None, Decimal | None]
) -> list[Any]:
    """Every amount of AMOUNTS, as decimal128 arrays (None where no rate applies)."""
    import pyarrow as pa

    base = _bounded(_base(salaries), *(pa.scalar(v, pa.decimal128(12, 2)) if v is not None
                                       else None for v in limits))  # fmt: skip
    rated = {"ue": rates.ue, "ui": rates.ui, "wi": rates.wi_reduced, "wc": rates.wi_current}
    return _items(base, {k: None if v is None else _decimal(v) for k, v in rated.items()},
                  same=rates.ui == rates.ue)  # fmt: skip


def _base(salaries: Any) -> Any:
    """The salaries as decimal128(12, 2); NotClean for one the reference must word."""
    import pyarrow as pa
    import pyarrow.compute as pc

    base = pc.cast(salaries, pa.decimal128(12, 2))
    low, high = pc.min_max(base).values()
    if low.as_py() <= 0 or high.as_py() > MAX_AMOUNT:  # the reference words the error
        raise NotClean
    return base


def _bounded(base: Any, low: Any, high: Any) -> Any:
    """The contribution base: the salary raised to the floor, lowered to the ceiling (a
    scalar or an array per row; a null bound is none)."""
    import pyarrow.compute as pc

    if low is not None:
        base = pc.max_element_wise(base, low)
    if high is not None:
        base = pc.min_element_wise(base, high)
    return base


def _items(base: Any, rates: dict[str, Any], same: bool) -> list[Any]:
    """Every amount of AMOUNTS from the base and the rates (``ue``, ``ui``, ``wi`` reduced,
    ``wc`` current; scalars, or arrays with a rate per row), each rounded half-up to the
    fen; None where no rate applies. ``same``: the individual rate is the employer's."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def item(rate: Any) -> Any:
        exact = pc.multiply(base, rate)
        return pc.cast(pc.round(exact, ndigits=2, round_mode="half_up"), pa.decimal128(*MONEY))

    ue = item(rates["ue"])
    ui = ue if same else item(rates["ui"])
    base = pc.cast(base, pa.decimal128(*MONEY))
    if rates["wi"] is None or rates["wc"] is None:
        return [base, ue, ui, None, None, None, ui, None]
    wi = item(rates["wi"])
    saving = pc.subtract(item(rates["wc"]), wi)
    employer = pc.add(ue, wi)
    return [base, ue, ui, wi, saving, employer, ui, pc.add(employer, ui)]


def _month_amounts(
    salaries: Any, texts: Any, dating: Dating
) -> tuple[list[Any], list[Any], dict[date, tuple[int, list[Decimal]]]]:
    """The amounts of a block whose rows are priced at the rates of their month, with each
    row's month and day of its rates (text) and each month's row count and sums.

    The join: the block's distinct month texts are read by ``month_of`` (a few dozen, the
    one rule the reference uses), giving a month key per text; each row's key is taken
    through the text's dictionary code, and its place in the table of months (month ->
    rates) found by ``index_in``; each rate is then taken per row from that table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    months, _, year = dating
    codes = pc.dictionary_encode(texts)
    read: list[date] = []
    for text in codes.dictionary.to_pylist():
        try:
            read.append(month_of(text, None, year))
        except BadInput:  # the reference names the cell
            raise NotClean from None
    table = sorted(set(read))
    rates = [months.rates(month) for month in table]
    if None in rates:  # the run ends in Months.check's error: nothing to compute
        return [pa.array([], pa.decimal128(*MONEY))] * len(AMOUNTS), [], {}
    priced = [r for r in rates if r is not None]
    keys = pa.array([m.year * 100 + m.month for m in table], pa.int32())
    row_keys = pc.take(pa.array([m.year * 100 + m.month for m in read], pa.int32()), codes.indices)
    place = pc.index_in(row_keys, value_set=keys)

    def per_row(values: list[Decimal | None]) -> Any:
        return pc.take(_decimals(values), place)

    def bound(values: list[Decimal | None]) -> Any:  # an amount (12, 2) like the base; null: none
        return None if values.count(None) == len(values) else pc.take(
            pa.array(values, pa.decimal128(12, 2)), place)  # fmt: skip

    low, high = (bound([r.limits()[i] for r in priced]) for i in (0, 1))
    base = _bounded(_base(salaries), low, high)
    rated: dict[str, list[Decimal | None]] = {
        "ue": [r.ue for r in priced],
        "ui": [r.ui for r in priced],
        "wi": [r.wi_reduced for r in priced],
        "wc": [r.wi_current for r in priced],
    }
    values = _items(base, {k: None if None in v else per_row(v) for k, v in rated.items()},
                    same=all(r.ui == r.ue for r in priced))  # fmt: skip
    extra = [pc.take(pa.array([month_text(m) for m in table]), place),
             pc.take(pa.array([m.isoformat() for m in table]), place)]  # fmt: skip
    return values, extra, _month_sums(place, values, table)


def _decimals(values: list[Decimal | None]) -> Any:
    """An exact decimal128 array of ``values`` (one type for all; None is null)."""
    import pyarrow as pa

    scalars = [_decimal(v) for v in values if v is not None]
    scale = max((s.type.scale for s in scalars), default=0)
    whole = max((s.type.precision - s.type.scale for s in scalars), default=1)
    return pa.array(values, pa.decimal128(whole + scale, scale))


def _month_sums(
    place: Any, values: list[Any], table: list[date]
) -> dict[date, tuple[int, list[Decimal]]]:
    """Each month's row count and the sums of its amounts (0 where no rate applies)."""
    import pyarrow as pa

    known = {f"v{i}": v for i, v in enumerate(values) if v is not None}
    grouped = pa.table({"place": place, **known}).group_by("place").aggregate(
        [("place", "count"), *((name, "sum") for name in known)])  # fmt: skip
    found: dict[date, tuple[int, list[Decimal]]] = {}
    for record in grouped.to_pylist():
        sums = [record.get(f"v{i}_sum") or Decimal(0) for i in range(len(values))]
        found[table[record["place"]]] = (record["place_count"], sums)
    return found


def _sums(values: list[Any]) -> list[Decimal]:
    import pyarrow.compute as pc

    return [Decimal(0) if v is None else (pc.sum(v).as_py() or Decimal(0)) for v in values]


def _text(lines: Any, values: list[Any], out_delimiter: str, extra: Sequence[Any] = ()) -> bytes:
    """Each input line with the ``extra`` texts (a row's month and day) and the amounts
    appended, one line a row."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    texts: dict[int, Any] = {}  # an array met twice (individual_total is ui) is cast once

    def text(value: Any) -> Any:
        if value is None:
            return pa.scalar("")
        if id(value) not in texts:
            texts[id(value)] = pc.cast(pc.cast(value, pa.decimal128(*MONEY)), pa.string())
        return texts[id(value)]

    joined = pc.binary_join_element_wise(lines, *extra, *map(text, values), out_delimiter)
    # one column of whole lines, never quoted: its delimiter occurs in no line
    options = csv.WriteOptions(include_header=False, quoting_style="none", delimiter="\x1f")
    sink = pa.BufferOutputStream()
    csv.write_csv(pa.table({"line": joined}), sink, options)
    return bytes(sink.getvalue())
