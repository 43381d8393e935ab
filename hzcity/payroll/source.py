"""Payrolls as HR keeps them: CSV, TSV, JSON lines or a workbook (.xlsx, .xls, .ods), UTF-8
or GB18030, with title rows above the header and total and footer rows among the data, read
as rows of text (and, from a workbook, of the values as typed)."""

from __future__ import annotations

import codecs
import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from itertools import chain
from types import TracebackType
from typing import IO, Any, NamedTuple

from hzcity.errors import BadInput, os_reason
from hzcity.labels import Phrase

# The contribution base first, then gross pay, then English names (hzcity's own output too).
SALARY_COLUMNS = ("缴费基数", "社保缴费基数", "月缴费基数", "缴费工资",
                  "应发工资", "工资", "基本工资", "月工资",
                  "contribution_base", "salary", "base", "wage")  # fmt: skip
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "total"})
# A row starting with one of these (and no salary) is a signature or note under the table.
FOOTER_WORDS = ("制表人", "制表日期", "制表", "审核", "复核", "负责人", "填表人", "经办人", "备注")
WORKBOOK_FORMATS = ("xlsx", "xls", "ods")
HEADER_SEARCH = 20  # non-blank rows searched for the header before asking for --column
DELIMITERS = "\t,;"  # in order of preference when a line holds as many of each
ZIP, OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_SPACES = re.compile(r"\s+")
_UNIT = re.compile(r"\((元|yuan|rmb)\)\Z")  # 缴费基数(元): the unit is not part of the name


class Row(NamedTuple):
    """A data row: its location ('file:7' or 'file:Sheet!C7', the salary cell), its cells as
    text, the salary cell's text, why it is bad when the reader already knows, and from a
    workbook its cells as typed (numbers, dates, booleans, text), for a writer to keep."""

    where: str
    cells: list[str]
    salary: str
    error: str | None
    values: list[object] | None = None


class Skipped(NamedTuple):
    """A title or total row left out, with its location and text, for a note on stderr."""

    where: str
    text: str


class _Raw(NamedTuple):
    number: int  # line of a text file, row of a sheet
    cells: list[str]
    error: str | None = None  # the whole row (bytes not in the encoding, bad JSON...)
    cell_problems: dict[int, str] | None = None  # column index -> why not an amount
    values: list[object] | None = None  # a workbook's cells as typed


class PayrollSource(AbstractContextManager["PayrollSource"]):
    """An open payroll: its header and salary column, then ``rows`` streamed once.

    ``titles`` holds the rows skipped above the header; ``totals`` fills with the total rows
    as ``rows`` is consumed. ``encoding`` is known once the first non-ASCII line is read.
    """

    def __init__(
        self,
        name: str,
        format: str,
        raw: Iterator[_Raw],
        where: Callable[[int, int], str],
        *,
        column: str | None,
        header_row: int | None,
        close: Callable[[], None],
        decoder: _Decoder | None = None,
        delimiter: str | None = None,
        sheet: str | None = None,
        book: Any = None,
    ) -> None:
        self.name, self.format, self.delimiter, self.sheet = name, format, delimiter, sheet
        self._where, self._decoder, self._close = where, decoder, close
        self._book = book  # a workbook's open sheet (hzcity.payroll.workbook.Sheet)
        self._file: IO[bytes] | None = None  # set by open_payroll, for progress()
        self.titles: list[Skipped] = []
        self.totals: list[Skipped] = []
        self.footers: list[Skipped] = []  # signatures and notes under the table
        self.hidden_columns: frozenset[int] = book.hidden_columns if book else frozenset()
        header, rest = self._find_header(raw, column, header_row)
        self.header = [cell.strip() for cell in header.cells]
        index = _column_index(self.header, column)
        if index is None and column is None and len(self.header) == 1:
            index = 0  # a single column is the salary
        if index is None:
            raise _no_column(self.header, column, self._where(header.number, 0))
        self.column = index
        self.column_name = self.header[self.column]
        if book is not None:
            book.salary_column = index
        self.rows: Iterator[Row] = self._rows(rest)

    @property
    def encoding(self) -> str | None:
        """The text encoding read ('utf-8', 'utf-8-sig', 'gb18030' or the one forced)."""
        return self._decoder.encoding if self._decoder else None

    def close(self) -> None:
        self._close()

    def progress(self) -> tuple[int, int] | None:
        """Bytes read so far and the file's size, for a progress bar; None when unknown
        (standard input, or a workbook, which is read through its zip index)."""
        file = self._file
        if file is None or self.format in WORKBOOK_FORMATS or not file.seekable():
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
        self, raw: Iterator[_Raw], column: str | None, header_row: int | None
    ) -> tuple[_Raw, Iterator[_Raw]]:
        """The header row (the forced one, else the first naming a salary column) and the
        rows after it; the non-blank rows above it become ``titles``."""
        seen: list[_Raw] = []
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
            raise BadInput(Phrase("header.missing", source=self.name, row=header_row))
        if not seen:
            empty = Phrase("sheet.empty", sheet=self.sheet) if self.sheet else Phrase("input.empty")
            raise BadInput(Phrase("header.none", source=self.name, empty=empty))
        if column is None and all(len(r.cells) == 1 for r in seen):
            return seen[0], chain(seen[1:], raw)
        widest = max(seen, key=lambda r: sum(1 for c in r.cells if c.strip()))
        raise _no_column(widest.cells, column, self._where(widest.number, 0))

    def _rows(self, raw: Iterator[_Raw]) -> Iterator[Row]:
        width, index = len(self.header), self.column
        lenient = self.format in WORKBOOK_FORMATS
        employees = 0
        for number, cells, error, problems, values in raw:
            if error is None and not problems and _blank(cells):
                continue  # blank rows are layout, not employees
            first = _normal(_first_text(cells))
            if first in TOTAL_WORDS:
                self.totals.append(self._skipped(_Raw(number, cells)))
                continue
            salary = cells[index] if index < len(cells) else ""
            if not salary.strip() and first.startswith(FOOTER_WORDS):
                self.footers.append(self._skipped(_Raw(number, cells)))
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
            yield Row(self._where(number, index), cells, salary, error, values)
        if not employees:
            raise self._no_employees()

    def _empty(self, number: int) -> str:
        """Why a salary cell is empty: a formula saved without its result, else plain words."""
        if self._book is not None and self._book.formula_without_value(number, self.column):
            return Phrase("cell.formula")
        return Phrase("cell.empty_salary")

    def _no_employees(self) -> BadInput:
        """No employee row under the header; a workbook's other sheets that have a salary
        column are named, since the clerk most likely meant one of them."""
        if self._book is None:
            return BadInput(Phrase("rows.none", source=self.name))
        others = [
            name
            for name in self._book.other_sheets()
            if any(_column_index(r, None) is not None for r in self._book.rows_of(name, 20))
        ]
        return BadInput(Phrase("rows.none_sheet", source=self.name, sheet=self.sheet,
                               sheets=others or [Phrase("sheets.none")]))  # fmt: skip

    def _skipped(self, row: _Raw) -> Skipped:
        return Skipped(
            self._where(row.number, 0), " ".join(c.strip() for c in row.cells if c.strip())
        )


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
    if source == "-":
        file, close = stdin or sys.stdin.buffer, _nothing
    else:
        try:
            file = open(source, "rb")  # noqa: SIM115  (closed by the PayrollSource)
        except OSError as exc:
            raise BadInput(Phrase("file.unreadable", source=source, why=os_reason(exc))) from None
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
    head = _peek(file)
    if head.startswith((ZIP, OLE2)):
        return _open_workbook(file, name, column, sheet, header_row, max_unpacked, close)
    if name.lower().endswith(WORKBOOK_SUFFIXES):
        raise BadInput(Phrase("workbook.not_zip", source=name))
    decoder = _Decoder(name, encoding)
    lines = decoder.lines(file)
    if head.lstrip(codecs.BOM_UTF8).lstrip()[:1] == b"{":
        raw, where = _json_rows(lines, decoder), _line_ref(name)
        return PayrollSource(
            name, "jsonl", raw, where, column=column, header_row=None, close=close, decoder=decoder
        )
    buffered, lines = _lookahead(lines)
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise BadInput(Phrase("delimiter.bad", source=name))
    delimiter = delimiter or _sniff(buffered)
    raw = _csv_rows(chain(buffered, lines), decoder, delimiter, name)
    fmt = "tsv" if delimiter == "\t" else "csv"
    return PayrollSource(
        name,
        fmt,
        raw,
        _line_ref(name),
        column=column,
        header_row=header_row,
        close=close,
        decoder=decoder,
        delimiter=delimiter,
    )


def _open_workbook(
    file: IO[bytes],
    name: str,
    column: str | None,
    sheet: str | None,
    header_row: int | None,
    max_unpacked: int | None,
    close: Callable[[], None],
) -> PayrollSource:
    import io

    from hzcity.payroll import workbook as payroll_workbook

    limit = max_unpacked or payroll_workbook.MAX_UNPACKED
    if not file.seekable():  # a zip is read from its end: a piped workbook is held in memory
        file = io.BytesIO(file.read(limit + 1))
        if len(file.getbuffer()) > limit:
            raise BadInput(Phrase("input.too_big", source=name, limit=limit))
    kind = payroll_workbook.kind(file)
    opened = payroll_workbook.open_sheet(file, name, sheet, limit)

    def close_both() -> None:
        opened.close()
        close()

    raw = (_Raw(n, cells, None, problems, values) for n, cells, values, problems in opened.rows())
    try:
        return PayrollSource(
            name,
            kind,
            raw,
            opened.cell_ref,
            column=column,
            header_row=header_row,
            close=close_both,
            sheet=opened.name,
            book=opened,
        )
    except BaseException:
        opened.close()
        raise


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


def _line_ref(name: str) -> Callable[[int, int], str]:
    return lambda number, _column: f"{name}:{number}"


class _Decoder:
    """Bytes to text line by line: UTF-8 (BOM or not) unless the first non-ASCII line is not
    UTF-8, then GB18030; a line invalid in the encoding becomes a row error, not a crash."""

    def __init__(self, name: str, encoding: str | None) -> None:
        self.name = name
        self.encoding = _codec(encoding, name) if encoding else None
        self.bad_lines: dict[int, str] = {}

    def lines(self, file: IO[bytes]) -> Iterator[str]:
        for number, line in enumerate(file, 1):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
                self.encoding = self.encoding or "utf-8-sig"
            if self.encoding is None:
                if line.isascii():
                    yield line.decode("ascii")
                    continue
                self.encoding = "gb18030" if _invalid(line, "utf-8") else "utf-8"
            try:
                yield line.decode(self.encoding)
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start : exc.end]
                self.bad_lines[number] = Phrase(
                    "line.encoding", bytes=bad, at=exc.start + 1, encoding=self.encoding
                )
                yield line.decode(self.encoding, "replace")

    def error(self, first: int, last: int) -> str | None:
        """The decoding error of a line in first..last (a row's lines), if there was one."""
        if not self.bad_lines:
            return None
        found = [self.bad_lines.pop(n) for n in range(first, last + 1) if n in self.bad_lines]
        return found[0] if found else None


def _codec(encoding: str, name: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BadInput(Phrase("encoding.unknown", source=name, encoding=encoding)) from None
    if codec.startswith(("utf-16", "utf-32")):  # lines are split on the byte b"\n"
        raise BadInput(Phrase("encoding.wide", source=name, codec=codec))
    try:
        b"a".decode(codec, "ignore")  # (an empty string never reaches the codec)
    except LookupError:  # rot13, base64, zlib...: codecs, but not of text
        raise BadInput(Phrase("encoding.not_text", source=name, encoding=encoding)) from None
    return codec


def _invalid(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False


def _lookahead(lines: Iterator[str]) -> tuple[list[str], Iterator[str]]:
    """Lines up to the first holding a delimiter (a title row may hold none), and the rest."""
    buffered = []
    for line in lines:
        buffered.append(line)
        if any(d in line for d in DELIMITERS) or len(buffered) == HEADER_SEARCH:
            break
    return buffered, lines


def _sniff(lines: list[str]) -> str:
    """The delimiter most frequent in the last buffered line (tab, comma, semicolon)."""
    counts = [lines[-1].count(d) if lines else 0 for d in DELIMITERS]
    best = max(counts)
    return DELIMITERS[counts.index(best)] if best else ","


def _csv_rows(lines: Iterable[str], decoder: _Decoder, delimiter: str, name: str) -> Iterator[_Raw]:
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            yield _Raw(first, cells, decoder.error(first, last))
    except csv.Error as exc:  # an unclosed quote...: what follows cannot be trusted
        raise BadInput(Phrase("csv.malformed", where=f"{name}:{last + 1}", why=exc)) from None


def _json_rows(lines: Iterable[str], decoder: _Decoder) -> Iterator[_Raw]:
    """The first object's keys as the header row, then one row per line in that order."""
    keys: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        error = decoder.error(number, number)
        try:
            record = json.loads(line, parse_float=str, parse_int=str)  # numbers keep their text
        except json.JSONDecodeError as exc:
            record, error = {}, error or Phrase("json.bad", why=exc.msg, column=exc.colno)
        if not isinstance(record, dict):
            record, error = {}, error or Phrase("json.not_object")
        if keys is None:
            keys = list(record)
            yield _Raw(number, keys, error)
        elif not error and record.keys() != set(keys):
            error = Phrase("json.keys", keys=list(record))
        yield _Raw(number, [_json_text(record.get(k)) for k in keys], error)


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # true/false, lists and objects as JSON


def _fit(
    cells: list[str], width: int, lenient: bool, error: str | None
) -> tuple[list[str], str | None]:
    """A row of another width than the header: a sheet's row padded or trimmed of empty cells
    (Excel stores only cells in use); a text row is an error."""
    if not lenient:
        return cells, error or Phrase("row.width", width=width, found=len(cells))
    if _blank(cells[width:]):
        return (cells + [""] * (width - len(cells)))[:width], error
    return cells, error or Phrase("row.beyond", width=width)


def _normal(name: str) -> str:
    """A name as compared: NFKC (full-width letters, digits, brackets), no spaces, any case."""
    return _UNIT.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", name)).casefold())


def _blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def _first_text(cells: list[str]) -> str:
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


def _no_column(header: list[str], wanted: str | None, where: str) -> BadInput:
    listed = [h.strip() for h in header if h.strip()]
    if wanted is not None:
        return BadInput(Phrase("column.unknown", where=where, column=wanted, listed=listed))
    return BadInput(Phrase("column.none", where=where, names=list(SALARY_COLUMNS),
                           listed=listed))  # fmt: skip
