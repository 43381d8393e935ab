"""Payrolls as HR keeps them: CSV, TSV, JSON lines or a workbook (.xlsx, .xls, .ods), UTF-8
or GB18030, with title rows above the header and total and footer rows among the data, read
as rows of text (and, from a workbook, of the values as typed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain
from types import TracebackType
from typing import IO, NamedTuple

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import N_, Phrase
from hzcity.notes import Note
from hzcity.payroll import delimited, jsonl, workbook
from hzcity.payroll.formats import InputFormat, Reader, Reading, Wanted
from hzcity.payroll.rules import (
    COLUMN_NAMES,
    Kind,
    Layout,
    Rank,
    RowRules,
    Verdict,
    Why,
    column_rank,
    label_of,
    name_key,
)
from hzcity.payroll.text import RawRow

# Some names a salary column goes by, the contribution base's first, as an error lists them.
SALARY_COLUMNS = tuple(
    [n for n, r in COLUMN_NAMES.items() if r is Rank.base][:5]
    + [n for n, r in COLUMN_NAMES.items() if r is Rank.gross][:5]
    + ["base", "salary", "wage"]
)
# The readers asked in turn which one reads a file (by its name and first bytes); the last
# takes any text. A new format is a module with FORMATS, OPTIONS, SEEKS, detect and read.
READERS: tuple[Reader, ...] = (workbook, jsonl, delimited)
HEADER_SEARCH = 20  # non-blank rows searched for the header before asking for --column
MAX_STDIN_WORKBOOK = 1 << 28  # bytes of a workbook piped in, held in memory to be unzipped
BLANK_NAME = "column_{}"  # the key of a column whose header cell is blank (1 for the first)


class Row(NamedTuple):
    """A data row: its location ('file:7' or 'file:Sheet!C7', the salary cell), its cells as
    text, the salary cell's text, why it is bad when the reader already knows, from a
    workbook its cells as typed (numbers, dates, booleans, text), for a writer to keep, the
    salary as an amount when it is one; its row number, and the first day of its month when
    the payroll gives one (``hzcity.payroll.months``). (A NamedTuple, like ``RawRow``: one
    is made per employee.)"""

    where: str
    cells: list[str]
    salary: str
    error: str | None
    values: list[object] | None = None
    number: int = 0
    month: date | None = None
    amount: Decimal | None = None  # the salary, when the row rules have read it as one


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A title row left out above the header, with its location and text, for a note."""

    where: str
    text: str


class PayrollSource(AbstractContextManager["PayrollSource"]):
    """An open payroll: its header and salary column, then ``rows`` streamed once.

    ``titles`` holds the rows skipped above the header and ``notes`` what the reader chose
    (a sheet, gross pay for the base); ``skipped`` fills with a note per total, footer and
    repeated header row as ``rows`` is consumed. ``encoding`` is known once the first
    non-ASCII line is read.
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
        self.notes: list[Note] = list(reading.notes)
        self.skipped: list[Note] = []  # total, footer and repeated header rows, in order
        self.hidden_columns: frozenset[int] = book.hidden_columns if book else frozenset()
        raw = reading.raw
        header, rest = self._find_header(raw, column, header_row)
        named = [cell.strip() for cell in header.cells]
        where = self._where(header.number, 0)
        index, rank = salary_column(named, column, where)
        if index is None and column is None and len(named) == 1 and _a_name(named[0]):
            index = 0  # a single column is the salary
        if index is None:
            raise _no_column(named, column, where)
        if rank is Rank.gross:
            self.notes.append(Note(where=self._where(header.number, index), message=Phrase(
                "salary column {column!r} is gross pay: the contribution base the premium is "
                "levied on is normally a separate figure; if the sheet has it, name its "
                "column with --column", column=named[index])))  # fmt: skip
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
        self.layout = Layout.of(named, index)
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
            if row.number == header_row or (header_row is None and is_header(row.cells, column)):
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
        rules = RowRules(self.layout)
        sums: dict[int, set[int]] = self._book.column_sums if self._book is not None else {}
        employees = 0
        for row in raw:
            number, cells, error, problems, values = row
            verdict = rules.sort(cells, bool(sums) and index in sums.get(number, ()))
            kind = verdict.kind
            if kind is Kind.blank and error is None and not problems:
                continue  # blank rows are layout, not employees
            if kind is not Kind.employee and kind is not Kind.blank:
                self.skipped.append(self._skip(row, verdict))
                continue
            salary = cells[index] if index < len(cells) else ""
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
                      values=values, number=number, amount=verdict.amount)  # fmt: skip
        if not employees:
            raise self._no_employees()

    def _skip(self, row: RawRow, verdict: Verdict) -> Note:
        """The note naming a row left out: a total by its salary cell and the figure it
        carried, a footer or repeated header by its first cell with text."""
        cells, index = row.cells, self.column
        text = " ".join(c.strip() for c in cells if c.strip())
        first = next((i for i, c in enumerate(cells) if c.strip()), 0)
        if verdict.kind is Kind.footer:
            message = Phrase("footer row skipped: {text}", text=text)
            return Note(where=self._where(row.number, first), message=message)
        if verdict.kind is Kind.header:
            message = Phrase("the header repeated, skipped: {text}", text=text)
            return Note(where=self._where(row.number, first), message=message)
        figure = cells[index].strip() if index < len(cells) else ""
        where = self._where(row.number, index)
        if verdict.why is Why.sum:
            message = Phrase(
                "total row skipped: no name or ID, and its {figure} is the sum of the "
                "employee row above it",
                plural="total row skipped: no name or ID, and its {figure} is the sum of the "
                "{n} employee rows above it",
                figure=figure,
                n=verdict.rows,
            )
        elif verdict.why is Why.formula:
            message = Phrase("total row skipped: its salary cell sums the cells above it; it "
                             "carried {figure}", figure=figure)  # fmt: skip
        else:
            at = label_of(cells)
            label = cells[at].strip() if at is not None else ""
            if figure:
                message = Phrase("total row skipped: {label}; it carried {figure}", label=label,
                                 figure=figure)  # fmt: skip
            else:
                message = Phrase("total row skipped: {label}", label=label)
        return Note(where=where, message=message)

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
            if any(is_header(r, None) for r in self._book.rows_of(name, 20))
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

    name = "<stdin>" if source == "-" else source
    if header_row is not None and header_row < 1:
        raise BadInput(
            Phrase("rows are counted from 1, not {row}", row=header_row), field="header_row"
        )
    if source == "-":
        file, close = standard_input(stdin), _nothing
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


def standard_input(stdin: IO[bytes] | None = None) -> IO[bytes]:
    """``stdin`` if given, else the process's standard input; BadInput when the shell closed
    it (<&-: sys.stdin is None)."""
    import sys

    if stdin is not None:
        return stdin
    if sys.stdin is None:
        import errno
        import os

        closed = OSError(errno.EBADF, os.strerror(errno.EBADF))
        raise BadInput(Phrase("{source}: cannot read: {why}", source="<stdin>",
                              why=os_reason(closed)))  # fmt: skip
    return sys.stdin.buffer


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

    def header(cells: list[str]) -> bool:
        return is_header(cells, column)

    def choose(
        sheets: Sequence[tuple[str, Callable[[], Iterable[list[str]]]]],
    ) -> tuple[str, list[Note]]:
        return choose_sheet(name, sheets, column)

    wanted = Wanted(is_header=header, sheet=sheet, encoding=encoding, delimiter=delimiter,
                    max_unpacked=max_unpacked, choose_sheet=choose)  # fmt: skip
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


def _blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def is_header(cells: Sequence[str], wanted: str | None) -> bool:
    """Whether a row is the header: it names the column ``wanted``, else any column the
    premium could be levied on or that holds pay (which then needs --column)."""
    if wanted is not None:
        key = name_key(wanted)
        return any(name_key(c) == key for c in cells)
    return any(column_rank(c) is not None for c in cells)


def salary_column(
    header: Sequence[str], wanted: str | None, where: str
) -> tuple[int | None, Rank | None]:
    """The salary column of a header and what its name says it holds: the one named
    ``wanted``, else the contribution base, else gross pay (None, None: no such name).
    Two candidates of the best rank, or only net pay and pay parts: BadInput naming them
    and --column, never a guess."""
    if wanted is not None:
        key = name_key(wanted)
        keys = [name_key(h) for h in header]
        return (keys.index(key), None) if key in keys else (None, None)
    ranks = [column_rank(h) for h in header]
    for rank in (Rank.base, Rank.gross):
        found = [i for i, r in enumerate(ranks) if r is rank]
        if len(found) == 1:
            return found[0], rank
        if found:
            names = [header[i] for i in found]
            if rank is Rank.base:
                raise BadInput(Phrase("{where}: {n} columns could be the contribution base: "
                                      "{names}; name the one to use with --column",
                                      where=where, n=len(found), names=names))  # fmt: skip
            raise BadInput(Phrase("{where}: {n} columns could be gross pay: {names}; name the "
                                  "one the premium is levied on with --column", where=where,
                                  n=len(found), names=names))  # fmt: skip
    parts = [h for h, r in zip(header, ranks, strict=True) if r is not None]
    if parts:
        raise BadInput(Phrase("{where}: no column holds the contribution base or gross pay; "
                              "{names}: net pay or parts of pay, never the base by themselves; "
                              "name the column to use with --column", where=where,
                              names=parts))  # fmt: skip
    return None, None


@dataclass(frozen=True, kw_only=True)
class _Survey:
    """A sheet as the sheet choice sees it: what its salary column's name says, and its
    rows after the header (not yet read)."""

    name: str
    rank: Rank | None
    rules: RowRules
    rest: Iterator[list[str]]

    def employees(self, least: int | None = None) -> int:
        """Its employee rows, counted until ``least`` is met (None: all)."""
        count = 0
        for cells in self.rest:
            if self.rules.sort(cells).kind is Kind.employee:
                count += 1
                if count == least:
                    break
        return count


def _survey(name: str, rows: Iterable[list[str]], wanted: str | None) -> _Survey | None:
    """A sheet's header, salary column and rows by the rules of the payroll itself; None for
    a sheet without a header naming a salary column in its first non-blank rows."""
    rest, seen = iter(rows), 0
    for cells in rest:
        if not "".join(cells).strip():
            continue
        seen += 1
        if is_header(cells, wanted):
            named = [c.strip() for c in cells]
            try:
                index, rank = salary_column(named, wanted, name)
            except BadInput:  # candidates of one rank, or parts only: rows, but no choice
                index = next(i for i, c in enumerate(named) if column_rank(c) is not None)
                rank = None
            if index is None:
                return None
            rank = Rank.base if wanted is not None else rank
            return _Survey(name=name, rank=rank, rules=RowRules(Layout.of(named, index)),
                           rest=rest)  # fmt: skip
        if seen == HEADER_SEARCH:
            break
    return None


def choose_sheet(
    source: str,
    sheets: Sequence[tuple[str, Callable[[], Iterable[list[str]]]]],
    wanted: str | None,
) -> tuple[str, list[Note]]:
    """The sheet of a workbook to compute when none is named: the one visible sheet with
    employee rows, else the one whose salary column is the contribution base (else gross
    pay) where no other has such a column, with a note naming the sheets left out. Several
    alike: BadInput listing each sheet with its row count and --sheet NAME."""
    found = []
    for name, rows in sheets:
        survey = _survey(name, rows(), wanted)
        if survey is not None and survey.employees(least=1):
            found.append(survey)
    if len(found) <= 1:
        return (found[0].name if found else sheets[0][0]), []
    for rank in (Rank.base, Rank.gross):
        best = [s for s in found if s.rank is rank]
        if best:
            break
    if len(best) == 1:
        others = [s.name for s in found if s is not best[0]]
        return best[0].name, [Note(message=Phrase(
            "sheet {sheet!r} computed: its salary column is the {kind}, which no other sheet "
            "has; not computed: {others} (choose one with --sheet NAME)", sheet=best[0].name,
            kind=Phrase("contribution base") if rank is Rank.base else Phrase("gross pay"),
            others=others))]  # fmt: skip
    listed = [  # (one row is counted already)
        Phrase("{name!r} ({n} row)", plural="{name!r} ({n} rows)", name=s.name, n=1 + s.employees())
        for s in found
    ]
    raise BadInput(Phrase("{source}: {n} sheets hold employee rows: {sheets}; choose one with "
                          "--sheet NAME, or read them all with --sheet all (a sheet named as a "
                          "month gives its rows that month)", source=source, n=len(found),
                          sheets=listed))  # fmt: skip


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
