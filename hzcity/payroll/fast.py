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
    values, extra, by_month = _month_amounts(salaries, texts, dating, out_delimiter)
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

    # a quote, the output's delimiter (if another), a line that may be a total: one pass
    forbidden = ['"', SUSPECT]
    if delimiter != out_delimiter:
        forbidden.append({"\t": r"\t"}.get(out_delimiter, re.escape(out_delimiter)))
    if pc.any(pc.match_substring_regex(lines, "|".join(forbidden), ignore_case=True)).as_py():
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
    """Every amount of AMOUNTS in whole fen, int64 arrays (None where no rate applies)."""
    return _items(_base(salaries), _rate_table([rates], [limits]), None)


def _rate_table(
    rates: list[Rates], limits: list[tuple[Decimal | None, Decimal | None]]
) -> dict[str, list[Decimal | None]]:
    """The rates and base bounds ``_items`` takes, a row per Rates (a month's, a day's)."""
    return {"ue": [r.ue for r in rates], "ui": [r.ui for r in rates],
            "wi": [r.wi_reduced for r in rates], "wc": [r.wi_current for r in rates],
            "low": [low for low, _ in limits], "high": [high for _, high in limits]}  # fmt: skip


def _base(salaries: Any) -> Any:
    """The salaries as decimal128(12, 2); NotClean for one the reference must word."""
    import pyarrow as pa
    import pyarrow.compute as pc

    base = pc.cast(salaries, pa.decimal128(12, 2))
    low, high = pc.min_max(base).values()
    if low.as_py() <= 0 or high.as_py() > MAX_AMOUNT:  # the reference words the error
        raise NotClean
    return base


def _items(base: Any, table: dict[str, list[Decimal | None]], place: Any) -> list[Any]:
    """Every amount of AMOUNTS in whole fen (int64 arrays; None where no rate applies) from
    the base (decimal128(12, 2)) and a table of rates: for
    each of ``ue``, ``ui``, ``wi`` (reduced), ``wc`` (current) and the base bounds ``low``
    and ``high``, its value in each row of the table (one row: one day's rates), ``place``
    giving each salary's row (None: the one row). Each item is rounded half-up to the fen.

    In whole fen (int64): an item is (base × n + d / 2) // d for the rate n / d, d = 10^k,
    exact and a tenth of the cost of decimal128 rounding; a rate of more than MAX_DIGITS
    decimals, whose product could pass int64, is rounded in decimal128 instead."""
    import pyarrow as pa
    import pyarrow.compute as pc

    fen = _fen(base)

    def per_row(values: Sequence[int | None]) -> Any:
        if place is None:
            return pa.scalar(values[0], pa.int64())
        return pc.take(pa.array(values, pa.int64()), place)

    for key, operation in (("low", pc.max_element_wise), ("high", pc.min_element_wise)):
        bounds = table[key]
        if bounds.count(None) < len(bounds):  # a bound of none of the months: none at all
            fen = operation(fen, per_row([None if b is None else int(b * 100) for b in bounds]))

    def item(key: str) -> Any:
        values = [v for v in table[key] if v is not None]
        exponent = min(int(v.as_tuple().exponent) for v in values)
        scale = 10 ** max(-exponent, 1)
        numerators = [int(v * scale) for v in values]
        if -exponent > MAX_DIGITS or max(numerators) * MAX_FEN >= 2**63 - scale:
            bounded = pc.cast(_money(fen), pa.decimal128(12, 2))
            exact = pc.multiply(bounded, _rates_decimal(values, place))
            rounded = pc.round(exact, ndigits=2, round_mode="half_up")
            return _fen(pc.cast(rounded, pa.decimal128(rounded.type.precision, 2)))
        return pc.divide(pc.add(pc.multiply(fen, per_row(numerators)), scale // 2), scale)

    ue = item("ue")
    ui = ue if table["ui"] == table["ue"] else item("ui")
    if None in table["wi"] or None in table["wc"]:  # no work-injury rate (in every month)
        return [fen, ue, ui, None, None, None, ui, None]
    wi = item("wi")
    saving = pc.subtract(item("wc"), wi)
    employer = pc.add(ue, wi)
    return [fen, ue, ui, wi, saving, employer, ui, pc.add(employer, ui)]


MAX_DIGITS = 9  # decimals of a rate computed in whole fen (10^9 fen, 10^7 yuan, times 10^9)
MAX_FEN = int(MAX_AMOUNT * 100)


def _fen(amounts: Any) -> Any:
    """Amounts of two decimals (decimal128(p, 2)) as whole fen, int64: the same 128-bit
    unscaled values, read with scale 0 (no arithmetic), cast down."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(_as_type(amounts, pa.decimal128(amounts.type.precision, 0)), pa.int64())


def _money(fen: Any) -> Any:
    """Whole fen (int64) as decimal128(19, 2) amounts: cast up (19 digits hold an int64),
    then the same unscaled values read with scale 2."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return _as_type(pc.cast(fen, pa.decimal128(19, 0)), pa.decimal128(19, 2))


def _as_type(array: Any, kind: Any) -> Any:
    """``array``'s buffers read as another type of the same width."""
    import pyarrow as pa

    return pa.Array.from_buffers(kind, len(array), array.buffers(), array.null_count,
                                 array.offset)  # fmt: skip


def _rates_decimal(values: list[Decimal], place: Any) -> Any:
    """Rates as exact decimal128: a scalar, or one per row taken from the table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    scalars = [_decimal(v) for v in values]
    if place is None:
        return scalars[0]
    scale = max(s.type.scale for s in scalars)
    whole = max(s.type.precision - s.type.scale for s in scalars)
    return pc.take(pa.array(values, pa.decimal128(whole + scale, scale)), place)


def _month_amounts(
    salaries: Any, texts: Any, dating: Dating, out_delimiter: str
) -> tuple[list[Any], list[Any], dict[date, tuple[int, list[Decimal]]]]:
    """The amounts of a block whose rows are priced at the rates of their month, with each
    row's month and day of its rates (one text, ``out_delimiter`` between) and each month's
    row count and sums.

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
        return [pa.array([], pa.int64())] * len(AMOUNTS), [], {}
    priced = [r for r in rates if r is not None]
    columns = _rate_table(priced, [r.limits() for r in priced])
    days = [f"{month_text(m)}{out_delimiter}{m.isoformat()}" for m in table]
    if len(table) == 1:  # a block of one month (a payroll in month order): one day's rates
        values = _items(_base(salaries), columns, None)
        return values, [pa.scalar(days[0])], {table[0]: (len(salaries), _sums(values))}
    keys = pa.array([m.year * 100 + m.month for m in table], pa.int32())
    row_keys = pc.take(pa.array([m.year * 100 + m.month for m in read], pa.int32()), codes.indices)
    place = pc.index_in(row_keys, value_set=keys)
    values = _items(_base(salaries), columns, place)
    return values, [pc.take(pa.array(days), place)], _month_sums(place, values, table)


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
        sums = [_yuan(record.get(f"v{i}_sum") or 0) for i in range(len(values))]
        found[table[record["place"]]] = (record["place_count"], sums)
    return found


def _sums(values: list[Any]) -> list[Decimal]:
    """The sum of each amount (whole fen) in yuan; 0 where no rate applies."""
    import pyarrow.compute as pc

    return [_yuan(0 if v is None else pc.sum(v).as_py() or 0) for v in values]


def _yuan(fen: int) -> Decimal:
    """Whole fen as yuan with two decimals, as the reference's sums of rounded items are."""
    return Decimal(fen).scaleb(-2)


def _text(lines: Any, values: list[Any], out_delimiter: str, extra: Sequence[Any] = ()) -> bytes:
    """Each input line with the ``extra`` texts (a row's month and day) and the amounts
    (whole fen, written in yuan) appended, one line a row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts: dict[int, Any] = {}  # an array met twice (individual_total is ui) is written once

    def text(fen: Any) -> Any:  # 3001 -> "30.01", 5 -> "0.05"
        if fen is None:
            return pa.scalar("")
        if id(fen) not in texts:
            digits = pc.cast(fen, pa.string())
            if len(fen) and pc.min(fen).as_py() < 100:  # under a yuan: 5 -> "005"
                digits = pc.utf8_lpad(digits, 3, "0")
            texts[id(fen)] = pc.utf8_replace_slice(digits, -2, -2, ".")
        return texts[id(fen)]

    cells = [*extra, *map(text, values)]
    # each line ends in its newline, joined onto its last (short) cell rather than the line
    last = cells[-1]
    cells[-1] = (pa.scalar(last.as_py() + "\n") if isinstance(last, pa.Scalar)
                 else pc.binary_join_element_wise(last, "", "\n"))  # fmt: skip
    joined = pc.binary_join_element_wise(lines, *cells, out_delimiter)
    # the lines end to end are the string array's data, between its first and last offset
    ends = memoryview(joined.buffers()[1]).cast("i")
    first, after = ends[joined.offset], ends[joined.offset + len(joined)]
    return joined.buffers()[2].slice(first, after - first).to_pybytes()  # type: ignore[no-any-return]
