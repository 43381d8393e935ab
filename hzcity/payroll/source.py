"""Payrolls as HR keeps them: CSV, TSV, JSON lines or a workbook (.xlsx, .xls, .ods), UTF-8
or GB18030, with title rows above the header and total and footer rows among the data, read
as rows of text (and, from a workbook, of the values as typed)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from itertools import chain
from types import TracebackType
from typing import IO, NamedTuple

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import N_, Phrase
from hzcity.payroll import delimited, jsonl, workbook
from hzcity.payroll.formats import InputFormat, Reader, Reading, Wanted
from hzcity.payroll.text import RawRow

# The contribution base first, then gross pay, then English names (hzcity's own output too).
SALARY_COLUMNS = ("缴费基数", "社保缴费基数", "月缴费基数", "缴费工资",
                  "应发工资", "工资", "基本工资", "月工资",
                  "contribution_base", "salary", "base", "wage")  # fmt: skip
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "total"})
# A row starting with one of these (and no salary) is a signature or note under the table.
FOOTER_WORDS = ("制表人", "制表日期", "制表", "审核", "复核", "负责人", "填表人", "经办人", "备注")
# The readers asked in turn which one reads a file (by its name and first bytes); the last
# takes any text. A new format is a module with FORMATS, OPTIONS, SEEKS, detect and read.
READERS: tuple[Reader, ...] = (workbook, jsonl, delimited)
HEADER_SEARCH = 20  # non-blank rows searched for the header before asking for --column
MAX_STDIN_WORKBOOK = 1 << 28  # bytes of a workbook piped in, held in memory to be unzipped
BLANK_NAME = "column_{}"  # the key of a column whose header cell is blank (1 for the first)
_SPACES = re.compile(r"\s+")
_UNIT = re.compile(r"\((元|yuan|rmb)\)\Z")  # 缴费基数(元): the unit is not part of the name


class Row(NamedTuple):
    """A data row: its location ('file:7' or 'file:Sheet!C7', the salary cell), its cells as
    text, the salary cell's text, why it is bad when the reader already knows, and from a
    workbook its cells as typed (numbers, dates, booleans, text), for a writer to keep;
    its row number, and the first day of its month when the payroll gives one
    (``hzcity.payroll.months``). (A NamedTuple, like ``RawRow``: one is made per employee.)"""

    where: str
    cells: list[str]
    salary: str
    error: str | None
    values: list[object] | None = None
    number: int = 0
    month: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A title or total row left out, with its location and text, for a note on stderr."""

    where: str
    text: str


class PayrollSource(AbstractContextManager["PayrollSource"]):
    """An open payroll: its header and salary column, then ``rows`` streamed once.

    ``titles`` holds the rows skipped above the header; ``totals`` fills with the total rows
    as ``rows`` is consumed. ``encoding`` is known once the first non-ASCII line is read.
    """

    def __init__(
        self,
        name: str,
        reading: Reading,
        *,
        column: str | None,
        header_row: int | None,
        close: Callable[[], None],
    ) -> None:
        self.name, self.format = name, reading.format
        self.delimiter, self.sheet = reading.delimiter, reading.sheet
        self._where, self._decoder, self._close = reading.where, reading.decoder, close
        book = self._book = reading.book  # a workbook's open sheet (payroll.workbook.Sheet)
        self._file: IO[bytes] | None = None  # set by open_payroll, for progress()
        self.titles: list[Skipped] = []
        self.totals: list[Skipped] = []
        self.footers: list[Skipped] = []  # signatures and notes under the table
        self.hidden_columns: frozenset[int] = book.hidden_columns if book else frozenset()
        raw = reading.raw
        header, rest = self._find_header(raw, column, header_row)
        named = [cell.strip() for cell in header.cells]
        index = _column_index(named, column)
        if index is None and column is None and len(named) == 1 and _a_name(named[0]):
            index = 0  # a single column is the salary
        if index is None:
            raise _no_column(named, column, self._where(header.number, 0))
        # the header as the clerk wrote it, for CSV, TSV and workbooks; ``keys`` gives every
        # cell a key of its own in JSON: a blank or repeated name gets another
        self.header = named
        self.keys = _distinct(named)
        self.header_where = self._where(header.number, 0)
        self.renamed = [(a, b) for a, b in zip(named, self.keys, strict=True) if a != b]
        self.column = index
        self.column_name = named[index]
        if book is not None:
            book.salary_column = index
        self.rows: Iterator[Row] = self._rows(rest)

    @property
    def encoding(self) -> str | None:
        """The text encoding read ('utf-8', 'utf-8-sig', 'gb18030' or the one forced)."""
        return self._decoder.encoding if self._decoder else None

    def close(self) -> None:
        self._close()

    def cell(self, number: int, column: int) -> str:
        """Where a cell is, as errors name it: 'file:7', or 'file:Sheet!C7'."""
        return self._where(number, column)

    def progress(self) -> tuple[int, int] | None:
        """Bytes read so far and the file's size, for a progress bar; None when unknown
        (standard input, or a workbook, which is read through its zip index)."""
        file = self._file
        if file is None or self.format.workbook or not file.seekable():
            return None
        import os

        return file.tell(), os.fstat(file.fileno()).st_size

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _find_header(
        self, raw: Iterator[RawRow], column: str | None, header_row: int | None
    ) -> tuple[RawRow, Iterator[RawRow]]:
        """The header row (the forced one, else the first naming a salary column) and the
        rows after it; the non-blank rows above it become ``titles``."""
        seen: list[RawRow] = []
        for row in raw:
            if header_row is not None and row.number > header_row:
                break
            if _blank(row.cells) and row.error is None:  # a bad line is never lost
                continue
            if row.number == header_row or (
                header_row is None and _column_index(row.cells, column) is not None
            ):
                self.titles = [self._skipped(r) for r in seen]
                return row, raw
            seen.append(row)
            if header_row is None and len(seen) == HEADER_SEARCH:
                break
        if header_row is not None:
            raise BadInput(
                Phrase(
                    "{source}: header row {row} is blank or past the end",
                    source=self.name,
                    row=header_row,
                )
            )
        if not seen:
            empty = (
                Phrase("sheet {sheet!r} is empty", sheet=self.sheet)
                if self.sheet
                else Phrase("empty input")
            )
            raise BadInput(
                Phrase("{source}: {empty}; expected a header row", source=self.name, empty=empty)
            )
        # a single column is the salary if it has a name and values below it: a lone line
        # (1,000 NUL bytes are one too) is no payroll
        lone = all(len(r.cells) == 1 for r in seen) and len(seen) > 1
        if column is None and lone and _a_name(seen[0].cells[0]):
            return seen[0], chain(seen[1:], raw)
        if self._book is not None and column is None:  # a notes sheet: name the payrolls
            raise self._no_employees(
                N_("{source}: sheet {sheet!r} has no salary column; sheets with one: {sheets}; "
                   "choose one with --sheet, or name the column with --column")
            )  # fmt: skip
        bad = next((r for r in seen if r.error), None)
        if bad is not None:  # the header may be there but undecodable: say why
            raise BadInput(Phrase("{where}: {why}", where=self._where(bad.number, 0),
                                  why=bad.error))  # fmt: skip
        widest = max(seen, key=lambda r: sum(1 for c in r.cells if c.strip()))
        raise _no_column(widest.cells, column, self._where(widest.number, 0))

    def _rows(self, raw: Iterator[RawRow]) -> Iterator[Row]:
        width, index, where = len(self.header), self.column, self._where
        lenient = self.format.workbook
        employees = 0
        for row in raw:
            number, cells, error, problems, values = row
            # the first cell with text, "" for a blank row; only it can say total or footer
            first = cells[0] if cells and cells[0].strip() else _first_text(cells)
            if not first:
                if error is None and not problems:
                    continue  # blank rows are layout, not employees
            elif not first.isdigit():  # a number (a row's 序号) names no total or footer
                first = _normal(first)
                if first in TOTAL_WORDS:
                    self.totals.append(self._skipped(row))
                    continue
            salary = cells[index] if index < len(cells) else ""
            if first and not salary.strip() and first.startswith(FOOTER_WORDS):
                self.footers.append(self._skipped(row))
                continue
            if len(cells) != width:
                cells, error = _fit(cells, width, lenient, error)
                if values is not None:
                    values = (values + [""] * (width - len(values)))[:width]
            if error is None and problems:
                error = problems.get(index)
            if error is None and not salary.strip():
                error = self._empty(number)
            employees += 1
            yield Row(where=where(number, index), cells=cells, salary=salary, error=error,
                      values=values, number=number)  # fmt: skip
        if not employees:
            raise self._no_employees()

    def _empty(self, number: int) -> str:
        """Why a salary cell is empty: a formula saved without its result, else plain words."""
        if self._book is not None and self._book.formula_without_value(number, self.column):
            return Phrase(
                "a formula saved without its result; open and save the file in Excel first"
            )
        return Phrase("empty salary cell")

    def _no_employees(
        self,
        key: str = N_(
            "{source}: sheet {sheet!r} has no employee row; sheets with a salary column: {sheets}"
        ),
    ) -> BadInput:
        """No employee row under the header (or no salary column, ``key``); a workbook's
        other sheets that have a salary column are named: the clerk most likely meant one."""
        if self._book is None:
            return BadInput(Phrase("{source}: no employee row under the header", source=self.name))
        others = [
            name
            for name in self._book.other_sheets()
            if any(_column_index(r, None) is not None for r in self._book.rows_of(name, 20))
        ]
        return BadInput(
            Phrase(key, source=self.name, sheet=self.sheet, sheets=others or [Phrase("none")])
        )

    def _skipped(self, row: RawRow) -> Skipped:
        text = " ".join(c.strip() for c in row.cells if c.strip())
        return Skipped(where=self._where(row.number, 0), text=text)


def open_payroll(
    source: str,
    *,
    column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    stdin: IO[bytes] | None = None,
    max_unpacked: int | None = None,
) -> PayrollSource:
    """Open a payroll file ('-' for ``stdin``, default the process's standard input), its
    format told by its content: a zip is an .xlsx workbook, text starting with '{' is JSON
    lines, other text CSV or TSV. Raises BadInput for what cannot be read at all."""
    import sys

    name = "<stdin>" if source == "-" else source
    if header_row is not None and header_row < 1:
        raise BadInput(
            Phrase("rows are counted from 1, not {row}", row=header_row), field="header_row"
        )
    if source == "-":
        if stdin is None and sys.stdin is None:  # the shell closed it (<&-)
            import errno
            import os

            closed = OSError(errno.EBADF, os.strerror(errno.EBADF))
            raise BadInput(Phrase("{source}: cannot read: {why}", source=name,
                                  why=os_reason(closed)))  # fmt: skip
        file, close = stdin or sys.stdin.buffer, _nothing
    else:
        try:
            file = open(source, "rb")  # noqa: SIM115  (closed by the PayrollSource)
        except OSError as exc:
            raise BadInput(
                Phrase("{source}: cannot read: {why}", source=source, why=os_reason(exc))
            ) from None
        close = file.close
    try:
        opened = _open(
            file, name, column, sheet, encoding, delimiter, header_row, max_unpacked, close
        )
        opened._file = file
        return opened
    except BaseException:
        close()
        raise


def reader_of(kind: InputFormat) -> Reader:
    """The reader module of a format (for the options it takes)."""
    return next(reader for reader in READERS if kind in reader.FORMATS)


def _open(
    file: IO[bytes],
    name: str,
    column: str | None,
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    header_row: int | None,
    max_unpacked: int | None,
    close: Callable[[], None],
) -> PayrollSource:
    """The first reader that knows the file reads it; the header is found here for all."""
    try:
        head = _peek(file)
    except OSError as exc:  # EIO, or EBADF on a stdin opened for writing (0>file)
        raise BadInput(
            Phrase("{source}: cannot read: {why}", source=name, why=os_reason(exc))
        ) from None
    reader = next(reader for reader in READERS if reader.detect(name, head))
    if reader.SEEKS and not file.seekable():
        file = _held(file, name)

    def is_header(cells: list[str]) -> bool:
        return _column_index(cells, column) is not None

    wanted = Wanted(is_header=is_header, sheet=sheet, encoding=encoding, delimiter=delimiter,
                    max_unpacked=max_unpacked)  # fmt: skip
    reading = reader.read(file, name, wanted)

    def close_both() -> None:
        reading.close()
        close()

    try:
        return PayrollSource(name, reading, column=column,
                             header_row=header_row if reading.header_row else None,
                             close=close_both)  # fmt: skip
    except BaseException:
        reading.close()
        raise


def _held(file: IO[bytes], name: str) -> IO[bytes]:
    """A piped file held in memory, for a reader that seeks (a zip is read from its end)."""
    import io

    data = file.read(MAX_STDIN_WORKBOOK + 1)
    if len(data) > MAX_STDIN_WORKBOOK:
        raise BadInput(
            Phrase(
                "{source}: a workbook on standard input is held in memory, and "
                "this one is over {limit:,} bytes; give its file name instead",
                source=name,
                limit=MAX_STDIN_WORKBOOK,
            )
        )
    return io.BytesIO(data)


def _nothing() -> None:
    """Standard input is not ours to close."""


def _peek(file: IO[bytes]) -> bytes:
    """The first bytes, left in the stream."""
    peek = getattr(file, "peek", None)
    if peek is not None:
        return bytes(peek(8)[:8])
    head = file.read(8)
    file.seek(0)
    return head


def _fit(
    cells: list[str], width: int, lenient: bool, error: str | None
) -> tuple[list[str], str | None]:
    """A row of another width than the header: a sheet's row padded or trimmed of empty cells
    (Excel stores only cells in use); a text row is an error."""
    if not lenient:
        return cells, error or Phrase(
            "expected {width} fields, found {found}", width=width, found=len(cells)
        )
    if _blank(cells[width:]):
        return (cells + [""] * (width - len(cells)))[:width], error
    return cells, error or Phrase("a value right of the header's {width} columns", width=width)


def _normal(name: str) -> str:
    """A name as compared: NFKC (full-width letters, digits, brackets), no spaces, any case."""
    return _UNIT.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", name)).casefold())


def _blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _first_text(cells: list[str]) -> str:
    """The first cell that is not blank, "" when there is none (a blank row)."""
    for cell in cells:
        if cell.strip():
            return cell
    return ""


def _column_index(header: list[str], wanted: str | None) -> int | None:
    """Index of the column named ``wanted``, else of the first usual salary name in order of
    preference; None when there is none."""
    names = [_normal(h) for h in header]
    for name in (_normal(wanted),) if wanted is not None else SALARY_COLUMNS:
        if name in names:
            return names.index(name)
    return None


def _a_name(text: str) -> bool:
    """Whether a lone header cell can name a column: a letter or ideograph, nothing that is
    no text (1,000 NUL bytes are one cell too)."""
    return any(c.isalpha() for c in text) and all(c.isprintable() or c.isspace() for c in text)


def _distinct(names: list[str]) -> list[str]:
    """``names`` with a blank one called column_N (N counted from 1) and a repeated one
    name_2, name_3..., avoiding every name there is, so that a record keyed by them keeps
    every cell."""
    taken, used, result = set(names), set(), []
    for number, name in enumerate(names, 1):
        new = name
        if not name or name in used:
            stem = name or BLANK_NAME.format(number)
            count = 1 if not name else 2
            new = stem if count == 1 else f"{stem}_{count}"
            while new in taken:
                count += 1
                new = f"{stem}_{count}"
            taken.add(new)
        used.add(new)
        result.append(new)
    return result


def _shown(name: str) -> str:
    """A cell as an error message shows it: control characters escaped, at most 40 long."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return text if len(text) <= 40 else text[:39] + "…"


def _no_column(header: list[str], wanted: str | None, where: str) -> BadInput:
    listed = [_shown(h.strip()) for h in header if h.strip()]
    if wanted is not None:
        return BadInput(
            Phrase(
                "{where}: no column {column!r} in the header ({listed})",
                where=where,
                column=wanted,
                listed=listed,
            )
        )
    return BadInput(
        Phrase(
            "{where}: which column holds the salary? none is named {names}; use "
            "--column with one of: {listed}",
            where=where,
            names=list(SALARY_COLUMNS),
            listed=listed,
        )
    )
