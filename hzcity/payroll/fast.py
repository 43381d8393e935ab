"""The vectorised payroll engine (pyarrow, installed with the ``fast`` extra).

It computes exactly what the reference engine (``hzcity.payroll.reference``) computes,
byte for byte, in decimal128 arithmetic with the same half-up rounding, a block of
rows at a time, from the same declarations (hzcity/payroll/rules.py: the premium items,
the amount syntax, the total and footer words, compiled for pyarrow.compute). It takes
only *clean* delimited files: UTF-8, header on the first line, no quotes, every row as
wide as the header and naming a person, every salary a plain amount within the limits,
no word of a total or footer row, no character only the reference folds. Such a file's
rows are all employees and can be echoed as read with the amounts appended, so the
output is the reference's without parsing a row in Python. Anything else -- a title row,
GBK bytes, a quoted cell, a bad, total, footer or anonymous row -- is the reference
engine's: the caller runs it instead (``run`` returns False having written nothing; the
output goes to a temporary file until the whole input has been seen).
tests/test_engines.py proves the agreement, notes included, on generated payrolls.
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
from functools import partial, reduce
from pathlib import Path
from typing import IO, Any, TypeVar

from hzcity.calculators.premium import AMOUNTS, ITEMS, Bound, Rates
from hzcity.errors import BadInput
from hzcity.money import MAX_AMOUNT
from hzcity.payroll import rules
from hzcity.payroll.months import EXTRA, Months, Tally, month_of, month_text
from hzcity.payroll.reference import (
    NAMED,
    PayrollTotals,
    bound_key,
    bound_of,
    month_sums,
    output_columns,
    renamings,
    summed,
)

T = TypeVar("T")
BLOCK = 256 << 10  # bytes per block: small enough that 10^5 rows already span several
LONE_CR = re.compile(rb"\r(?!\n)")
BLANK_LINE = re.compile(rb"\n\r?\n")  # Arrow skips it: rows are then no longer lines - 2
# A line that may hold a total or footer row's word, or a character the reference folds
# before it looks for one, is the reference engine's.
SUSPECT = rules.ARROW_SUSPECT
# How rows are priced by month: the months' rates, the month column, the year of a month
# typed without one.
Dating = tuple[Months, int, int | None]
# A block's rows a contribution-base bound clamped, bound by bound: the side (Rates.bounds'
# order), the bound, how many rows and the first NAMED of them (their index in the block).
Clamps = list[tuple[int, Bound | None, int, list[int]]]


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
    where: Callable[[int], str] | None = None,
) -> bool:
    """Write the payroll of a clean file to ``out`` as UTF-8 and fill ``totals``; False, with
    nothing written and ``totals`` untouched, when the file needs the reference engine.

    With ``months`` (``rates`` None), each row is priced at the rates of the month in its column
    ``month_column`` (``year`` for a month typed without one), joined on a small table of
    months; a month without rates ends the run in ``Months.check``'s error, nothing written.

    Only a regular file is read (again, from its start, and mapped into memory): a pipe,
    a FIFO or a device has been read by the reader already, and ``path`` names it only.
    ``block_size`` is the bytes of a block, computed by one thread (a line must fit in it).
    ``where`` names a row by its line number, as the reference does, for the rows a bound
    clamps (without it, a file where one does is the reference engine's).
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
                     counted, spool, progress, block_size, dating, where)  # fmt: skip
        except (NotClean, OSError):  # a read failing here is the reference engine's to say
            return False
        if not counted.rows:  # no employee row: the reference engine says so
            return False
        if months is not None:
            months.check()
        spool.seek(0)
        shutil.copyfileobj(spool, out, BLOCK)  # only a write to ``out`` can fail past here
    totals.rows, totals.sums, totals.renamed = counted.rows, counted.sums, counted.renamed
    totals.by_month, totals.clamped = counted.by_month, counted.clamped
    return True


def _check_file(path: Path, header: list[str], delimiter: str, block_size: int) -> bool:
    """The header the reader found must be the file's first line, as is, and no line may
    end in a lone CR: Arrow reads it as a line end, the csv module as a malformed field.
    Whether each row is on line (its index + 2): no blank line in between."""
    with path.open("rb") as stream:
        first = stream.readline(block_size)
        if not first:
            raise NotClean
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if LONE_CR.search(data):
                raise NotClean
            lined = BLANK_LINE.search(data) is None
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise NotClean from None
    if '"' in line or line != delimiter.join(header):
        raise NotClean
    return lined


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
    where: Callable[[int], str] | None,
) -> None:
    import pyarrow as pa
    from pyarrow import csv

    lined = _check_file(path, header, delimiter, block_size)
    layout = rules.Layout.of(header, index)
    if not layout.identity:  # every row is anonymous: any may be a total by its sum
        raise NotClean
    names = output_columns(header)
    extra = output_columns(header, EXTRA) if dating else []
    totals.renamed = renamings([*(EXTRA if dating else ()), *AMOUNTS], [*extra, *names])
    spool.write((out_delimiter.join(header + extra + names) + "\n").encode())
    sums = [0] * len(AMOUNTS)  # whole fen, as each month's row count and sums in ``per_month``
    per_month: dict[date, list[int]] = {}
    columns = [f"c{i}" for i in range(len(header))]  # the header's own names may repeat
    try:  # open_csv reads its first block at once: bad bytes may fail there already
        batches = csv.open_csv(
            path,
            read_options=csv.ReadOptions(skip_rows=1, column_names=columns, block_size=block_size),
            # no quoting: a quote is a character of its cell, which hands the file over
            parse_options=csv.ParseOptions(
                delimiter=delimiter,
                quote_char=False,
                ignore_empty_lines=True,
                invalid_row_handler=_refuse,
            ),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False
            ),
        )
        work = partial(_rows, layout=layout, name=header[index], delimiter=delimiter,
                       out_delimiter=out_delimiter, rates=rates, limits=limits,
                       dating=dating)  # fmt: skip
        for text, block_sums, count, by_month, clamps in _in_order(work, batches):
            if clamps and (where is None or not lined):  # no line to name the rows by
                raise NotClean
            for side, bound, rows, first in clamps:
                assert where is not None
                named = [where(totals.rows + i + 2) for i in first]
                totals.clamp(side, bound, named, rows)
            spool.write(text)
            sums = [s + v for s, v in zip(sums, block_sums, strict=True)]
            for month, (rows, fen) in by_month.items():
                tally = per_month.setdefault(month, [0] * (1 + len(AMOUNTS)))
                per_month[month] = [t + v for t, v in zip(tally, (rows, *fen), strict=True)]
            totals.rows += count
            progress(count)
    except pa.ArrowInvalid:  # bytes that are not UTF-8, a row of another width...
        raise NotClean from None
    if rates is not None:
        totals.sums = summed([_yuan(s) for s in sums], rates)
    elif dating is not None:
        totals.by_month = {month: Tally(rows=rows, sums=[_yuan(s) for s in fen])
                           for month, (rows, *fen) in sorted(per_month.items())}  # fmt: skip
        totals.sums = month_sums(totals.by_month, dating[0])


def _in_order(work: Callable[[Any], T], batches: Iterable[Any]) -> Iterator[T]:
    """``work`` on each batch, on every core (Arrow's kernels release the GIL), results in
    order, at most one batch per core ahead of the writer: memory stays flat."""
    workers = os.cpu_count() or 1
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[T]] = deque()
        for batch in batches:
            pending.append(pool.submit(work, batch.columns))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _rows(
    cells: list[Any],
    *,
    layout: rules.Layout,
    name: str,
    delimiter: str,
    out_delimiter: str,
    rates: Rates | None,
    limits: tuple[Decimal | None, Decimal | None],
    dating: Dating | None = None,
) -> tuple[memoryview, list[int], int, dict[date, tuple[int, list[int]]], Clamps]:
    """One block: its output text, the sums of its amounts (whole fen), its row count,
    priced by month (``dating``; else at ``rates``) each month's row count and sums, and the
    rows a contribution-base bound clamped."""
    wanted = dating[1] if dating else None
    base, texts = _block(cells, layout, name, delimiter, out_delimiter, wanted)
    if dating is None:
        assert rates is not None
        low, high = rates.bounds
        bounds = (bound_of(limits[0], low), bound_of(limits[1], high))
        values = _items(base, _rate_table([rates], [limits]), None)
        text = _text(cells, values, out_delimiter)
        return text, _sums(values), len(base), {}, _clamps(base, [bounds], None)
    values, extra, by_month, clamps = _month_amounts(base, texts, dating, out_delimiter)
    return _text(cells, values, out_delimiter, extra), _sums(values), len(base), by_month, clamps


def _clamps(base: Any, bounds: list[tuple[Bound | None, Bound | None]], place: Any) -> Clamps:
    """The rows of a block a contribution-base bound clamps, bound by bound (months may
    share one), each bound's first NAMED in block order; ``bounds`` are each table row's
    floor and ceiling, ``place`` each salary's table row (None: the one row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    found: Clamps = []
    for side, beyond in ((0, pc.less), (1, pc.greater)):
        column = [pair[side] for pair in bounds]
        if column.count(None) == len(column):
            continue
        values = [None if b is None else b.value for b in column]
        if place is None:
            assert values[0] is not None  # the one row's, not None (above)
            limit = _decimal(values[0])
        else:  # a bound has two decimals at most (validated)
            limit = pc.take(pa.array(values, pa.decimal128(38, 2)), place)
        clamped = pc.fill_null(beyond(base, limit), False)
        if not pc.any(clamped).as_py():
            continue
        rows = pc.indices_nonzero(clamped)
        if place is None:
            found.append((side, column[0], len(rows), rows[:NAMED].to_pylist()))
            continue
        keys: dict[tuple[Decimal, str, date | None], int] = {}
        ids = [-1 if b is None else keys.setdefault(bound_key(b), len(keys)) for b in column]
        named = {key: column[ids.index(key)] for key in keys.values()}  # each key's Bound
        counts: dict[int, int] = {}
        firsts: dict[int, list[int]] = {}
        met = pc.take(pa.array(ids), pc.take(place, rows)).to_pylist()
        for row, key in zip(rows.to_pylist(), met, strict=True):  # the clamped rows only
            counts[key] = counts.get(key, 0) + 1
            first = firsts.setdefault(key, [])
            if len(first) < NAMED:
                first.append(row)
        found += [(side, named[key], counts[key], firsts[key]) for key in counts]
    return found


def _refuse(row: Any) -> str:
    """Arrow's answer for a row of another width: an error, which ``_compute`` turns into
    NotClean (an exception raised here would be swallowed and printed by Arrow)."""
    return "error"


def _block(
    cells: list[Any],
    layout: rules.Layout,
    name: str,
    delimiter: str,
    out_delimiter: str,
    month: int | None,
) -> tuple[Any, Any]:
    """A block's salaries as amounts and (``month``: its column) their month texts, from its
    columns; NotClean unless every row is an employee's by the row rules: plain, naming a
    person, no total or footer word."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # a quote, the output's delimiter (if another), a cell that may be a total's label or a
    # footer: one search a block (RE2 compiles the pattern at each call, 0.3 ms)
    forbidden = ['"', SUSPECT]
    if delimiter != out_delimiter:
        forbidden.append({"\t": r"\t"}.get(out_delimiter, re.escape(out_delimiter)))
    if _found(pa.concat_arrays(cells), "|".join(forbidden)):
        raise NotClean
    # a row with no name, ID or row number may be a total by its sum
    anonymous = None
    for column in layout.identity:
        blank = rules.arrow_blank(cells[column])
        anonymous = blank if anonymous is None else pc.and_(anonymous, blank)
    if pc.any(anonymous).as_py():
        raise NotClean
    texts = cells[layout.salary]
    if pc.any(pc.equal(texts, name)).as_py():  # the header repeated
        raise NotClean
    base = rules.arrow_salaries(texts)
    if base is None:
        raise NotClean
    return base, None if month is None else cells[month]


def _found(column: Any, pattern: str) -> bool:
    """Whether ``pattern`` occurs in an array of strings, searched as one text: its cells end
    to end. RE2 searches a long text four times faster than as many short ones; a word that
    only spans two cells is found too, and the block goes to the reference engine, which
    looks cell by cell (slower, never wrong)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start, end = _span(column)
    whole = pa.Array.from_buffers(
        pa.string(),
        1,
        [
            None,
            pa.array([0, end - start], pa.int32()).buffers()[1],
            column.buffers()[2].slice(start, end - start),
        ],
    )
    return bool(pc.match_substring_regex(whole, pattern)[0].as_py())


def _span(strings: Any) -> tuple[int, int]:
    """Where a string array's cells lie, end to end, in its data buffer."""
    ends = memoryview(strings.buffers()[1]).cast("i")
    return ends[strings.offset], ends[strings.offset + len(strings)]


def _decimal(value: Decimal) -> Any:
    """An exact pyarrow scalar of ``value``."""
    import pyarrow as pa

    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # rates and limits are finite
    scale = max(0, -exponent)
    return pa.scalar(value, pa.decimal128(max(len(digits) + max(exponent, 0), scale + 1), scale))


def _rate_table(
    rates: list[Rates], limits: list[tuple[Decimal | None, Decimal | None]]
) -> dict[str, list[Decimal | None]]:
    """The rates the items (ITEMS) take and the base bounds, a row per Rates (a month's, a
    day's)."""
    table = {name: [getattr(r, name) for r in rates] for name in RATE_NAMES}
    return table | {"low": [low for low, _ in limits], "high": [high for _, high in limits]}


def _items(base: Any, table: dict[str, list[Decimal | None]], place: Any) -> list[Any]:
    """Every amount of AMOUNTS in whole fen (int64 arrays; None where no rate applies) from
    the base (decimal128(12, 2)) and a table of rates (``_rate_table``): for each rate the
    items take and the base bounds ``low`` and ``high``, its value in each row of the table
    (one row: one day's rates), ``place`` giving each salary's row (None: the one row). The
    items are ITEMS compiled: each product rounded half-up to the fen, a saving less an
    earlier item, a total the sum of earlier ones.

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

    def product(rates: list[Decimal]) -> Any:
        values = rates
        exponent = min(int(v.as_tuple().exponent) for v in values)
        scale = 10 ** max(-exponent, 1)
        numerators = [int(v * scale) for v in values]
        if -exponent > MAX_DIGITS or max(numerators) * MAX_FEN >= 2**63 - scale:
            bounded = pc.cast(_money(fen), pa.decimal128(12, 2))
            exact = pc.multiply(bounded, _rates_decimal(values, place))
            rounded = pc.round(exact, ndigits=2, round_mode="half_up")
            return _fen(pc.cast(rounded, pa.decimal128(rounded.type.precision, 2)))
        return pc.divide(pc.add(pc.multiply(fen, per_row(numerators)), scale // 2), scale)

    values: dict[str, Any] = {}
    products: dict[tuple[Decimal, ...], Any] = {}  # a rate met twice (ue = ui): once
    for each in ITEMS:
        rates = table[each.rate] if each.rate else []
        operands = [values.get(name) for name in ((each.less,) if each.less else each.plus)]
        if None in rates or any(v is None for v in operands):  # no rate (in some month)
            values[each.name] = None
        elif each.plus:
            values[each.name] = reduce(pc.add, operands)
        elif each.rate:
            known = tuple(r for r in rates if r is not None)
            if known not in products:
                products[known] = product(list(known))
            values[each.name] = pc.subtract(products[known], operands[0]) if each.less else (
                products[known])  # fmt: skip
        else:
            values[each.name] = fen
    return list(values.values())


# The fractions of Rates the items take (ue, ui, wi_reduced, wi_current).
RATE_NAMES = tuple(dict.fromkeys(item.rate for item in ITEMS if item.rate))
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
    base: Any, texts: Any, dating: Dating, out_delimiter: str
) -> tuple[list[Any], list[Any], dict[date, tuple[int, list[int]]], Clamps]:
    """The amounts of a block whose rows are priced at the rates of their month, with each
    row's month and day of its rates (one text, ``out_delimiter`` between), each month's
    row count and sums (whole fen) and the rows a month's bound clamps.

    The join: the block's distinct month texts are read by ``month_of`` (a few dozen, the
    one rule the reference uses), giving each text its place in the table of months (month ->
    rates); each row's place is taken through its text's dictionary code, and each rate per
    row from that table."""
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
        return [pa.array([], pa.int64())] * len(AMOUNTS), [], {}, []
    priced = [r for r in rates if r is not None]
    columns = _rate_table(priced, [r.limits() for r in priced])
    days = [f"{month_text(m)}{out_delimiter}{m.isoformat()}" for m in table]
    bounds = [r.bounds for r in priced]
    if len(table) == 1:  # a block of one month (a payroll in month order): one day's rates
        values = _items(base, columns, None)
        sums = {table[0]: (len(base), _sums(values))}
        return values, [pa.scalar(days[0])], sums, _clamps(base, bounds, None)
    position = {month: i for i, month in enumerate(table)}
    place = pc.take(pa.array([position[m] for m in read], pa.int32()), codes.indices)
    values = _items(base, columns, place)
    sums = _month_sums(place, values, table)
    return values, [pc.take(pa.array(days), place)], sums, _clamps(base, bounds, place)


def _month_sums(
    place: Any, values: list[Any], table: list[date]
) -> dict[date, tuple[int, list[int]]]:
    """Each month's row count and the sums of its amounts in whole fen (0 where no rate
    applies)."""
    import pyarrow as pa

    known = {f"v{i}": v for i, v in enumerate(values) if v is not None}
    # one thread: this runs on one already, and Acero's own threads would cost twice the sums
    grouped = pa.table({"place": place, **known}).group_by("place", use_threads=False).aggregate(
        [("place", "count"), *((name, "sum") for name in known)])  # fmt: skip
    found: dict[date, tuple[int, list[int]]] = {}
    for record in grouped.to_pylist():
        sums = [record.get(f"v{i}_sum") or 0 for i in range(len(values))]
        found[table[record["place"]]] = (record["place_count"], sums)
    return found


def _sums(values: list[Any]) -> list[int]:
    """The sum of each amount in whole fen; 0 where no rate applies."""
    import pyarrow.compute as pc

    return [0 if v is None else pc.sum(v).as_py() or 0 for v in values]


def _yuan(fen: int) -> Decimal:
    """Whole fen as yuan with two decimals, as the reference's sums of rounded items are."""
    return Decimal(fen).scaleb(-2)


def _text(
    cells: list[Any], values: list[Any], out_delimiter: str, extra: Sequence[Any] = ()
) -> memoryview:
    """Each input row's cells with the ``extra`` texts (a row's month and day) and the amounts
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
            texts[id(fen)] = pc.binary_replace_slice(digits, -2, -2, ".")  # ASCII: bytes
        return texts[id(fen)]

    added = [*extra, *map(text, values)]
    # each line ends in its newline, joined onto its last (short) cell rather than the line
    last = added[-1]
    added[-1] = (pa.scalar(last.as_py() + "\n") if isinstance(last, pa.Scalar)
                 else pc.binary_join_element_wise(last, "", "\n"))  # fmt: skip
    joined = pc.binary_join_element_wise(*cells, *added, out_delimiter)
    first, after = _span(joined)  # the lines end to end
    # Arrow's own memory, written as it is: a copy of every output byte the less
    return memoryview(joined.buffers()[2].slice(first, after - first))
