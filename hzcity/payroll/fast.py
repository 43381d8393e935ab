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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

from hzcity.calculators.premium import AMOUNTS, Rates
from hzcity.money import MAX_AMOUNT
from hzcity.payroll.reference import PayrollTotals, output_columns, renamings, summed
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


class NotClean(Exception):
    """The file needs the reference engine."""


def run(
    path: Path,
    rates: Rates,
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
) -> bool:
    """Write the payroll of a clean file to ``out`` as UTF-8 and fill ``totals``; False, with
    nothing written and ``totals`` untouched, when the file needs the reference engine.

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
            _compute(path, rates, header, column, delimiter, out_delimiter,
                     (base_min, base_max), counted, spool, progress, block_size)  # fmt: skip
        except (NotClean, OSError):  # a read failing here is the reference engine's to say
            return False
        if not counted.rows:  # no employee row: the reference engine says so
            return False
        spool.seek(0)
        shutil.copyfileobj(spool, out, BLOCK)  # only a write to ``out`` can fail past here
    totals.rows, totals.sums, totals.renamed = counted.rows, counted.sums, counted.renamed
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
    rates: Rates,
    header: list[str],
    index: int,
    delimiter: str,
    out_delimiter: str,
    limits: tuple[Decimal | None, Decimal | None],
    totals: PayrollTotals,
    spool: IO[bytes],
    progress: Callable[[int], None],
    block_size: int,
) -> None:
    import pyarrow as pa
    from pyarrow import csv

    _check_file(path, header, delimiter, block_size)
    names = output_columns(header)
    totals.renamed = renamings(AMOUNTS, names)
    spool.write((out_delimiter.join(header + names) + "\n").encode())
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
                       out_delimiter=out_delimiter, rates=rates, limits=limits)  # fmt: skip
        for text, block_sums, count in _in_order(work, lines):
            spool.write(text)
            sums = [s + v for s, v in zip(sums, block_sums, strict=True)]
            totals.rows += count
            progress(count)
    except pa.ArrowInvalid:  # bytes that are not UTF-8, a line with \x1f...
        raise NotClean from None
    totals.sums = summed(sums, rates)


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
    rates: Rates,
    limits: tuple[Decimal | None, Decimal | None],
) -> tuple[bytes, list[Decimal], int]:
    """One block: its output text, the sums of its amounts and its row count."""
    echoed, salaries = _block(lines, index, width, delimiter, out_delimiter)
    values = _amounts(salaries, rates, limits)
    return _text(echoed, values, out_delimiter), _sums(values), len(echoed)


def _refuse(row: Any) -> str:
    """Arrow's answer for a row of another width: an error, which ``_compute`` turns into
    NotClean (an exception raised here would be swallowed and printed by Arrow)."""
    return "error"


def _block(lines: Any, index: int, width: int, delimiter: str, out_delimiter: str) -> Any:
    """The lines to echo and their salary texts; NotClean if a row is not plain."""
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
    return lines, salaries


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
    """Every amount of AMOUNTS, as decimal128 arrays (None where no rate applies); NotClean
    for a salary beyond ``limits``, the contribution-base bounds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    base = pc.cast(salaries, pa.decimal128(12, 2))
    low, high = pc.min_max(base).values()
    if low.as_py() <= 0 or high.as_py() > MAX_AMOUNT:  # the reference words the error
        raise NotClean
    floor, ceiling = limits
    if (floor is not None and low.as_py() < floor) or (
        ceiling is not None and high.as_py() > ceiling
    ):
        raise NotClean  # a row a bound clamps: the reference names each

    def item(rate: Decimal) -> Any:
        exact = pc.multiply(base, _decimal(rate))
        return pc.cast(pc.round(exact, ndigits=2, round_mode="half_up"), pa.decimal128(*MONEY))

    base = pc.cast(base, pa.decimal128(*MONEY))
    ue = item(rates.ue)
    ui = ue if rates.ui == rates.ue else item(rates.ui)
    if rates.wi_reduced is None or rates.wi_current is None:
        return [base, ue, ui, None, None, None, ui, None]
    wi = item(rates.wi_reduced)
    saving = pc.subtract(item(rates.wi_current), wi)
    employer = pc.add(ue, wi)
    return [base, ue, ui, wi, saving, employer, ui, pc.add(employer, ui)]


def _sums(values: list[Any]) -> list[Decimal]:
    import pyarrow.compute as pc

    return [Decimal(0) if v is None else (pc.sum(v).as_py() or Decimal(0)) for v in values]


def _text(lines: Any, values: list[Any], out_delimiter: str) -> bytes:
    """Each input line with the amounts appended, one line a row."""
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

    joined = pc.binary_join_element_wise(lines, *map(text, values), out_delimiter)
    # one column of whole lines, never quoted: its delimiter occurs in no line
    options = csv.WriteOptions(include_header=False, quoting_style="none", delimiter="\x1f")
    sink = pa.BufferOutputStream()
    csv.write_csv(pa.table({"line": joined}), sink, options)
    return bytes(sink.getvalue())
