"""Payroll answers written to a file, its format by extension: an .xlsx that keeps the clerk's
cells as they were typed, .csv for Excel on a Chinese Windows, plain .tsv, .json and .jsonl; all or
nothing, and nothing left behind by a failed or interrupted run.

A writer takes each answer row as the reader gave it (its cells as text, and from a workbook
as typed) and the exact amounts computed for it: ``write_row(cells, amounts, values)``.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, suppress
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO, cast

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import Phrase
from hzcity.notes import Note
from hzcity.output.files import Draft, check_target
from hzcity.output.render import (
    FILES,
    JSON,
    FileFormat,
    Format,
    array_end,
    array_item,
    file_format,
    json_text,
)
from hzcity.output.table import cells as display_cells
from hzcity.payroll.rules import (
    CHANGED_CELL,
    EXCEL_UNSAFE_BYTES,
    FORMULA_START,
    LONG_DIGITS_CELL,
    NUMBER_CELL,
)
from hzcity.payroll.workbook import column_letter

EXCEL_ROWS, EXCEL_COLUMNS, EXCEL_CELL = 1_048_576, 16_384, 32_767
# An input column whose header names money holds amounts: its numbers are shown #,##0.00.
MONEY_WORDS = ("工资", "基数", "金额", "应发", "实发", "扣款", "奖金", "补贴", "津贴", "薪",
               "元", "salary", "wage", "pay", "amount", "base")  # fmt: skip
_PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]+)?\Z")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                      **{chr(c): "\ufffd" for c in (*range(9), 11, 12, *range(14, 32))},
                      "\ufffe": "\ufffd", "\uffff": "\ufffd"})  # fmt: skip
_XML_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _XML))) + "]")
# The kinds of typed cell written without a general dispatch, by exact type (a bool is an
# int subclass, a datetime a date subclass: they go the general way, not these).
_KINDS: dict[type, str] = {str: "str", float: "float", int: "int", date: "date"}
EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)


def answer_format(path: str, inputs: Iterable[str] = ()) -> FileFormat:
    """The format of the answer file ``path`` (render.FILES, by its suffix), once it is known
    that it may be written: never over one of ``inputs``, a file open in an office program or
    one the user may not write (files.check_target)."""
    kind = file_format(path)
    if kind is None:
        raise BadInput(Phrase("{path}: the output file must end in {suffixes}", path=path,
                              suffixes=list(FILES)))  # fmt: skip
    check_target(Path(path), inputs)
    return kind


def open_output(
    path: str,
    header: Sequence[str],
    computed: Sequence[str],
    *,
    source: str | None = None,
    salary: int | None = None,
    hidden: Collection[int] = (),
    sheet_titles: tuple[str, ...] = ("premiums", "rates", "month totals"),
) -> PayrollOutput:
    """A writer for ``path``, its format by extension: the input ``header`` then the
    ``computed`` columns' headers (distinct from the input's: reference.output_columns).
    ``salary`` is the salary column and ``hidden`` the columns the input hides. The input
    ``source`` (``-``: standard input) is never overwritten."""
    kind = answer_format(path, [source] if source is not None else [])
    target = Path(path)
    shown = [*header, *computed]
    if kind.rows is None:
        if len(shown) > EXCEL_COLUMNS:
            raise BadInput(
                Phrase(
                    "{path}: {columns:,} columns do not fit in an .xlsx sheet "
                    "(at most {limit:,}); write .csv or .jsonl",
                    path=path,
                    columns=len(shown),
                    limit=EXCEL_COLUMNS,
                )
            )
        money = {i for i, name in enumerate(header) if _names_money(name)}
        money |= {salary} if salary is not None else set()
        return _WorkbookOutput(target, shown, len(header), money, set(hidden), sheet_titles)
    if kind.people:
        return _ExcelCsv(target, shown, len(header))
    return _TextOutput(target, shown, len(header), kind.rows)


def neutralised(cell: str) -> str:
    """A cell as text a spreadsheet will not run: a leading ' before a formula's first sign."""
    if cell.startswith(FORMULA_START) and not NUMBER_CELL.match(cell):
        return "'" + cell
    return cell


class PayrollOutput(AbstractContextManager["PayrollOutput"]):
    """Rows go to a draft beside the target (files.Draft); ``close`` moves it into place.
    Leaving the ``with`` block without ``close`` (an error), SIGTERM or SIGHUP removes it."""

    def __init__(self, target: Path, header: Sequence[str], first: int) -> None:
        self.target, self.header, self.first = target, list(header), first
        self.rows = 0
        self._months: Sequence[Mapping[str, object]] = ()  # the month totals, given to close
        self.notes: list[Note] = []  # what the format could not carry as it was
        self._draft = Draft(target)

    def write_row(
        self,
        cells: Sequence[str],
        amounts: Sequence[Decimal | None],
        values: Sequence[object] | None = None,
    ) -> None:
        """One answer row: the input ``cells`` as text (``values`` as typed, from a
        workbook) and the computed ``amounts`` (None where no rate applies)."""
        raise NotImplementedError

    def close(
        self,
        totals: Sequence[Decimal | None] | None = None,
        label: str = "",
        rates: Sequence[Mapping[str, str]] = (),
        months: Sequence[Mapping[str, object]] = (),
    ) -> None:
        """Finish the file (.xlsx: a totals row under ``label``, a sheet of ``months``, the
        month totals, when there are any, and a sheet of ``rates``; each row a mapping of
        column to text, or to an amount or count for ``months``) and move it into place."""
        self._months = months
        try:
            self._finish(totals, label, rates)
        except OSError as exc:
            self.discard()
            raise BadInput(
                Phrase("{path}: cannot write: {why}", path=str(self.target), why=os_reason(exc))
            ) from None
        except BaseException:
            self.discard()
            raise
        self._draft.commit()

    def discard(self) -> None:
        """Remove the unfinished file; the target is left as it was."""
        try:
            self._release()
        finally:
            self._draft.discard()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()

    def write_plain(self, data: bytes) -> None:
        """Rows the fast engine wrote, as the format takes them (text formats only)."""
        raise NotImplementedError

    def _finish(
        self, totals: Sequence[Decimal | None] | None, label: str,
        rates: Sequence[Mapping[str, str]],
    ) -> None:  # fmt: skip
        raise NotImplementedError

    def _release(self) -> None:
        """Close what the format holds open."""


def _text(amount: Decimal | None) -> str:
    return "" if amount is None else str(amount)


class _TextOutput(PayrollOutput):
    """.tsv, .json and .jsonl exactly as hzcity writes them on standard output."""

    def __init__(self, target: Path, header: Sequence[str], first: int, rows: Format) -> None:
        super().__init__(target, header, first)
        self._format = rows
        self._file: TextIO = open(  # noqa: SIM115  (closed by close or discard)
            self._draft.path, "w", encoding="utf-8", newline=""
        )
        if self._format is Format.tsv:
            self._plain([self.header])

    def write_row(
        self,
        cells: Sequence[str],
        amounts: Sequence[Decimal | None],
        values: Sequence[object] | None = None,
    ) -> None:
        if self._format in JSON:  # a missing amount is null, as on standard output
            row = [*cells, *(None if a is None else str(a) for a in amounts)]
            text = json_text(dict(zip(self.header, row, strict=True)), self._file)
            self._file.write(array_item(text, first=not self.rows) if self._format is
                             Format.json else text + "\n")  # fmt: skip
        else:
            self._plain([[*cells, *map(_text, amounts)]])
        self.rows += 1

    def write_plain(self, data: bytes) -> None:
        self._file.flush()
        self._file.buffer.write(data)

    def _plain(self, rows: Sequence[Sequence[str | None]]) -> None:
        from hzcity.output.render import stream

        # stream() writes its first row as the header line in tsv: one call per row gives
        # the bytes hzcity writes on standard output.
        stream(rows, self._format, self._file)

    def _finish(
        self, totals: Sequence[Decimal | None] | None, label: str,
        rates: Sequence[Mapping[str, str]],
    ) -> None:  # fmt: skip
        if self._format is Format.json:
            self._file.write(array_end(empty=not self.rows))
        self._file.close()

    def _release(self) -> None:
        self._file.close()


class _ExcelCsv(PayrollOutput):
    """.csv as Excel on a Chinese Windows reads it: UTF-8 with BOM, CRLF, input cells
    neutralised, long digit strings (IDs) as ="..." so that no digit is lost; what CSV cannot
    carry is counted for a note pointing to .xlsx."""

    def __init__(self, target: Path, header: Sequence[str], first: int) -> None:
        super().__init__(target, header, first)
        self._file: TextIO = open(  # noqa: SIM115  (closed by close or discard)
            self._draft.path, "w", encoding="utf-8-sig", newline=""
        )
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        self._csv.writerow(neutralised(c) for c in self.header)
        self._kept: list[tuple[str, str]] = []  # (where, value) written as ="..."
        self._changed: list[tuple[str, str]] = []  # (where, value) a spreadsheet may change

    def write_row(
        self,
        cells: Sequence[str],
        amounts: Sequence[Decimal | None],
        values: Sequence[object] | None = None,
    ) -> None:
        self.rows += 1
        self._csv.writerow([*(self._cell(i, c, values) for i, c in enumerate(cells)),
                            *map(_text, amounts)])  # fmt: skip

    def write_plain(self, data: bytes) -> None:
        """Rows the fast engine made, known to need nothing of ``_cell`` (LF line ends)."""
        self._file.flush()
        self._file.buffer.write(data.replace(b"\n", b"\r\n"))

    def _cell(self, index: int, cell: str, values: Sequence[object] | None) -> str:
        if LONG_DIGITS_CELL.match(cell):
            self._kept.append((f"{self.rows + 1}:{self.header[index]}", cell))
            return f'="{cell}"'
        if CHANGED_CELL.match(cell) and not (values and isinstance(values[index], date | time)):
            self._changed.append((f"{self.rows + 1}:{self.header[index]}", cell))
        return neutralised(cell)

    def _finish(
        self, totals: Sequence[Decimal | None] | None, label: str,
        rates: Sequence[Mapping[str, str]],
    ) -> None:  # fmt: skip
        self._file.close()
        path = str(self.target)
        if self._kept:
            (where, value), n = self._kept[0], len(self._kept)
            self.notes.append(Note(message=Phrase(
                '{path}: {n} cell such as {where} {value!r} written as ="..." so that Excel '
                "keeps every digit; .xlsx keeps it as text",
                plural='{path}: {n} cells such as {where} {value!r} written as ="..." so that '
                "Excel keeps every digit; .xlsx keeps them as text",
                path=path, n=n, where=where, value=value)))  # fmt: skip
        if self._changed:
            (where, value), n = self._changed[0], len(self._changed)
            self.notes.append(Note(message=Phrase(
                "{path}: {n} cell such as {where} {value!r} may change when a spreadsheet "
                "opens the CSV (read as a number or date); write .xlsx to keep it as it is",
                plural="{path}: {n} cells such as {where} {value!r} may change when a "
                "spreadsheet opens the CSV (read as a number or date); write .xlsx to keep "
                "them as they are",
                path=path, n=n, where=where, value=value)))  # fmt: skip

    def _release(self) -> None:
        self._file.close()


class _WorkbookOutput(PayrollOutput):
    """A lean .xlsx writer for what hzcity writes: one sheet streamed into the zip as rows
    come (constant memory, inline strings), a sheet of rates, a few styles. Input cells keep
    their type (numbers, dates, booleans, text: never a formula); amounts, input and
    computed, are numbers in one grouped format; hidden input columns stay hidden."""

    def __init__(
        self,
        target: Path,
        header: Sequence[str],
        first: int,
        money: set[int],
        hidden: set[int],
        sheet_titles: tuple[str, ...],
    ) -> None:
        for number, title in enumerate(sheet_titles, 1):  # refused before a draft is made
            _sheet_name(title, number)
        for i, name in enumerate(header):
            _fits(target, f"{column_letter(i)}1", name)
        super().__init__(target, header, first)
        self._money, self._titles, self._hidden = money, sheet_titles, hidden
        self._letters = [column_letter(i) for i in range(len(header))]
        self._opened = [f'<c r="{letter}' for letter in self._letters]  # + row number
        self._styles: dict[tuple[str, bool], int] = {}
        self.MONEY, self.BOLD = self._style("#,##0.00"), self._style("General", bold=True)
        self._money_tail = f'" s="{self.MONEY}"><v>'  # an amount cell after its reference
        # a number cell of each input column after its reference: money columns grouped
        self._numbers = [f'" s="{self.MONEY}"><v>' if i in money else '"><v>'
                         for i in range(len(header))]  # fmt: skip
        self.BOLD_MONEY = self._style("#,##0.00", bold=True)
        self.DATE, self.DATETIME = self._style("yyyy-mm-dd"), self._style("yyyy-mm-dd hh:mm:ss")
        self.TIME, self.DURATION = self._style("hh:mm:ss"), self._style("[h]:mm:ss")
        self._serial_cells = {self.DATE: _DATE_CELLS, self.DATETIME: 19, self.TIME: 8,
                              self.DURATION: 8}  # fmt: skip
        # What each column shows, for widths that fit it: the widest text (display cells),
        # the largest and smallest number, the longest computed amount (as str).
        self._wide = [0] * len(header)
        self._high, self._low = [0.0] * len(header), [0.0] * len(header)
        self._amount_chars = [0] * len(header)
        try:
            self._zip = zipfile.ZipFile(self._draft.path, "w", zipfile.ZIP_DEFLATED,
                                        compresslevel=1)  # fmt: skip
            # the rows wait in a file of their own: the widths that fit them come first
            self._rows_file = tempfile.TemporaryFile(dir=self._draft.path.parent)  # noqa: SIM115
        except OSError as exc:
            self._draft.discard()
            raise BadInput(Phrase("{path}: cannot write: {why}", path=str(target),
                                  why=os_reason(exc))) from None  # fmt: skip
        self._buffer: list[str] = []
        self._row = 0
        head = []
        for i, name in enumerate(header):
            self._widen(i, name)
            head.append(f'<c r="{self._letters[i]}1" s="{self.BOLD}" t="inlineStr"><is><t '
                        f'xml:space="preserve">{_xml(name)}</t></is></c>')  # fmt: skip
        self._put_row(head)

    def write_row(
        self,
        cells: Sequence[str],
        amounts: Sequence[Decimal | None],
        values: Sequence[object] | None = None,
    ) -> None:
        if self._row >= EXCEL_ROWS - 1:  # one row is kept for the totals
            raise BadInput(
                Phrase(
                    "{path}: {rows:,} rows do not fit in one .xlsx sheet "
                    "({limit:,} with the header and totals); write .csv or .jsonl",
                    path=str(self.target),
                    rows=EXCEL_ROWS - 1,
                    limit=EXCEL_ROWS,
                )
            )
        # The hot path of an .xlsx answer: each cell is one f-string from the column's
        # prefix ('<c r="B') and the row number; a cell's kind is told by its exact type
        # (a dict lookup), anything unusual by the general _cell.
        self._row = number = self._row + 1
        row, opened, numbers, cell = str(number), self._opened, self._numbers, self._cell
        tail, wide = self._money_tail, self._wide
        high: list[Any] = self._high  # compared with a value of a number's exact type
        low: list[Any] = self._low
        out = [f'<row r="{row}">']
        put = out.append
        if values is None:
            for index, text in enumerate(cells):
                if text:
                    put(self._string(f"{self._letters[index]}{row}", index, text, typed=False))
        else:
            for index, value in enumerate(values):
                kind = _KINDS.get(type(value))
                if kind == "str":
                    if value:
                        text = cast(str, value)
                        if len(text) > EXCEL_CELL:  # refused, with the cell's reference
                            _fits(self.target, f"{self._letters[index]}{row}", text)
                        if len(text) > wide[index] or (
                            2 * len(text) > wide[index] and not text.isascii()
                        ):
                            self._widen(index, text)
                        put(f'{opened[index]}{row}" t="inlineStr"><is><t xml:space="preserve">'
                            f"{_xml(text)}</t></is></c>")  # fmt: skip
                elif (
                    kind == "float" and value == value and abs(cast(float, value)) != _INF
                ) or kind == "int":
                    if value > high[index]:
                        high[index] = value
                    elif value < low[index]:
                        low[index] = value
                    put(f"{opened[index]}{row}{numbers[index]}{value!r}</v></c>")
                elif kind == "date":  # a day: its serial number in the date style
                    days = (cast(date, value) - EPOCH).days
                    if wide[index] < _DATE_CELLS:
                        wide[index] = _DATE_CELLS
                    put(f'{opened[index]}{row}" s="{self.DATE}"><v>{days!r}</v></c>')
                elif kind is None and value is not None:
                    put(cell(f"{self._letters[index]}{row}", index, value))
        chars = self._amount_chars
        for index, amount in enumerate(amounts, self.first):
            if amount is not None:
                shown = str(amount)  # (str: 3x format)
                if len(shown) > chars[index]:
                    chars[index] = len(shown)
                put(f"{opened[index]}{row}{tail}{shown}</v></c>")
        put("</row>")
        self._buffer.append("".join(out))
        if len(self._buffer) >= 2048:
            self._flush()
        self.rows += 1

    def _cell(self, ref: str, index: int, value: object) -> str:
        """A typed cell of another kind than text or number: a boolean, a date or time
        (Excel's serial number in its style); "" for what a cell cannot hold."""
        if isinstance(value, str):
            return self._string(ref, index, value, typed=True) if value else ""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            if value == value and abs(value) != _INF:  # NaN and infinities: no number
                self._number(index, value)
                style = f' s="{self.MONEY}"' if index in self._money else ""
                return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
            return ""
        serial, style_index = self._serial(value)
        if serial is None:
            return ""
        self._wide[index] = max(self._wide[index], self._serial_cells[style_index])
        return f'<c r="{ref}" s="{style_index}"><v>{serial!r}</v></c>'

    def _string(self, ref: str, index: int, text: str, *, typed: bool) -> str:
        """A text cell; from a text payroll, one a spreadsheet shows as a number is one."""
        if not typed and (shown := _shown_number(text)) is not None:
            value, layout = shown
            if index in self._money:  # shown #,##0.00
                self._number(index, value)
                style = self.MONEY
            else:  # shown as it was read, in ASCII
                if len(text) > self._wide[index]:
                    self._wide[index] = len(text)
                style = self._style(layout)
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
        _fits(self.target, ref, text)
        self._widen(index, text)
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml(text)}</t></is></c>'

    def _widen(self, index: int, text: str) -> None:
        """Column ``index`` shows ``text``: as wide as its display cells (Chinese: 2)."""
        self._wide[index] = max(self._wide[index], display_cells(text))

    def _number(self, index: int, value: float) -> None:
        """Column ``index`` shows the number ``value``."""
        self._high[index] = max(self._high[index], value)
        self._low[index] = min(self._low[index], value)

    def _widths(self) -> list[int]:
        """Each column's width in characters, fitting what it shows (with a margin), within
        the bounds that keep a sheet readable."""
        widths = []
        for index, cells in enumerate(self._wide):
            numbers = (self._high[index], self._low[index])
            if index in self._money:
                cells = max(cells, *(len(f"{n:,.2f}") for n in numbers))
            else:  # General: Excel shows at most 11 characters of a number
                cells = max(cells, *(min(len(_general(n)), 11) for n in numbers))
            if chars := self._amount_chars[index]:  # "1234.56" is shown "1,234.56"
                cells = max(cells, chars + (chars - 4) // 3)
            widths.append(min(max(cells + 2, _MIN_WIDTH), _MAX_WIDTH))
        return widths

    def _serial(self, value: object) -> tuple[float | int | None, int]:
        """A date, time or duration as Excel's serial number, and its style."""
        if isinstance(value, datetime):
            delta = value.replace(tzinfo=None) - datetime(1899, 12, 30)
            return delta.days + delta.seconds / 86400, self.DATETIME
        if isinstance(value, date):
            return (value - EPOCH).days, self.DATE
        if isinstance(value, time):
            return (value.hour * 3600 + value.minute * 60 + value.second) / 86400, self.TIME
        if isinstance(value, timedelta):
            return value.total_seconds() / 86400, self.DURATION
        return None, 0

    def _put_row(self, cells: list[str]) -> None:
        self._row += 1
        self._buffer.append(f'<row r="{self._row}">{"".join(cells)}</row>')
        if len(self._buffer) >= 2048:
            self._flush()

    def _flush(self) -> None:
        self._rows_file.write("".join(self._buffer).encode("utf-8", "replace"))
        self._buffer = []

    def _style(self, layout: str, bold: bool = False) -> int:
        """The index of the cell style of a number layout (and boldness), made once."""
        key = (layout, bold)
        if key not in self._styles:
            self._styles[key] = len(self._styles) + 1  # 0 is the default style
        return self._styles[key]

    def _finish(
        self, totals: Sequence[Decimal | None] | None, label: str,
        rates: Sequence[Mapping[str, str]],
    ) -> None:  # fmt: skip
        if totals is not None:
            number, out = self._row + 1, []
            if label:
                _fits(self.target, f"A{number}", label)
                self._widen(0, label)
                out.append(f'<c r="A{number}" s="{self.BOLD}" t="inlineStr"><is><t>'
                           f"{_xml(label)}</t></is></c>")  # fmt: skip
            for index, amount in enumerate(totals, self.first):
                if amount is not None:
                    self._amount_chars[index] = max(self._amount_chars[index], len(str(amount)))
                    out.append(f'<c r="{self._letters[index]}{number}" s="{self.BOLD_MONEY}">'
                               f"<v>{amount}</v></c>")  # fmt: skip
            self._put_row(out)
        self._flush()
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"'
            + (' hidden="1"/>' if i in self._hidden else "/>")
            for i, w in enumerate(self._widths())
        )
        with self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f"{_SHEET_HEAD}<cols>{cols}</cols><sheetData>".encode())
            self._rows_file.seek(0)
            shutil.copyfileobj(self._rows_file, part, 1 << 20)
            part.write(f"</sheetData>{_PANE_NOTE}</worksheet>".encode())
        self._rows_file.close()
        sheets = [self._titles[0]]
        tables: list[tuple[str, Sequence[Mapping[str, object]]]] = [(self._titles[1], rates)]
        if self._months:  # the month totals before the rates they were computed at
            tables.insert(0, (self._titles[2], self._months))
        for title, rows in tables:
            if rows:
                sheets.append(title)
                self._zip.writestr(f"xl/worksheets/sheet{len(sheets)}.xml",
                                   self._table(title, rows))  # fmt: skip
        self._zip.writestr("[Content_Types].xml", _content_types(len(sheets)))
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/workbook.xml", _workbook(sheets))
        self._zip.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        self._zip.writestr("xl/styles.xml", self._styles_part())
        self._zip.close()

    def _table(self, title: str, records: Sequence[Mapping[str, object]]) -> str:
        """A sheet of records under a bold header, each column as wide as what it shows (no
        cell beyond what an .xlsx cell holds): text as text,
        an amount (Decimal) as a number in the money format, a count as a number, a day as a
        date cell, None as an empty cell."""

        def cell(ref: str, value: object, style: str) -> str:
            if value is None or value == "":
                return ""
            if isinstance(value, Decimal):
                return f'<c r="{ref}" s="{self.MONEY}"><v>{value}</v></c>'
            if isinstance(value, int):
                return f'<c r="{ref}"><v>{value}</v></c>'
            if isinstance(value, date):
                serial, style_index = self._serial(value)
                return f'<c r="{ref}" s="{style_index}"><v>{serial!r}</v></c>'
            return (f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">'
                    f"{_xml(str(value))}</t></is></c>")  # fmt: skip

        def row(number: int, cells: Sequence[object], style: str = "") -> str:
            return f'<row r="{number}">' + "".join(
                cell(f"{column_letter(i)}{number}", value, style) for i, value in enumerate(cells)
            ) + "</row>"  # fmt: skip

        table: list[list[object]] = [list(records[0]), *(list(r.values()) for r in records)]
        for number, line in enumerate(table, 1):
            for i, value in enumerate(line):
                if isinstance(value, str):
                    _fits(self.target, f"{title}!{column_letter(i)}{number}", value)
        rows = [row(1, table[0], f' s="{self.BOLD}"')]
        rows += [row(n, line) for n, line in enumerate(table[1:], 2)]
        widths = [max(display_cells("" if v is None else str(v)) for v in column)
                  for column in zip(*table, strict=True)]  # fmt: skip
        cols = "".join(f'<col min="{i}" max="{i}" width="{min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH)}"'
                       ' customWidth="1"/>' for i, w in enumerate(widths, 1))  # fmt: skip
        return f"{_SHEET_HEAD}<cols>{cols}</cols><sheetData>{''.join(rows)}</sheetData></worksheet>"

    def _styles_part(self) -> str:
        builtin = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4}
        custom: dict[str, int] = {}
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        for layout, bold in self._styles:
            if layout in builtin:
                fmt_id = builtin[layout]
            else:
                fmt_id = custom.setdefault(layout, 164 + len(custom))
            font = ' applyFont="1"' if bold else ""
            xfs.append(f'<xf numFmtId="{fmt_id}" fontId="{int(bold)}" fillId="0" borderId="0" '
                       f'xfId="0" applyNumberFormat="1"{font}/>')  # fmt: skip
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{_xml(code)}"/>'
                          for code, i in custom.items())  # fmt: skip
        return (
            f'{_XML_DECL}<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="{len(custom)}">{formats}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )

    def _release(self) -> None:
        self._rows_file.close()
        with suppress(OSError, ValueError, zipfile.BadZipFile):  # the draft is removed next
            self._zip.close()


_INF = float("inf")
# column widths in characters (Excel's unit: a digit of the default font; Chinese takes 2)
_MIN_WIDTH, _MAX_WIDTH = 10, 60
_DATE_CELLS = 10  # yyyy-mm-dd


def _general(number: float) -> str:
    """A number as Excel's General format shows it when there is room: 6500, 6001.5."""
    return str(int(number)) if number == int(number) else repr(number)


def _fits(target: Path, ref: str, text: str) -> None:
    """Refuse text longer than an .xlsx cell holds, wherever it would go: a header, a cell,
    the totals row's label, the rates sheet."""
    if len(text) > EXCEL_CELL:
        raise BadInput(
            Phrase(
                "{path}: cell {where} holds {length:,} characters, beyond "
                "the {limit:,} an .xlsx cell holds; write .csv or .jsonl",
                path=str(target),
                where=ref,
                length=len(text),
                limit=EXCEL_CELL,
            )
        )


def _sheet_name(title: str, number: int) -> None:
    """Refuse a sheet name Excel cannot hold (31 characters, no []:*?/\\)."""
    if not 0 < len(title) <= 31 or any(c in title for c in "[]:*?/\\"):
        raise BadInput(
            Phrase(
                "sheet {number} cannot be named {title!r} in an .xlsx (at most 31 characters, "
                "none of []:*?/\\)",
                number=number,
                title=title,
            )
        )


_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_HEAD = (
    f'{_XML_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/>'
)
_PANE_NOTE = (
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)
_ROOT_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
    f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _content_types(sheets: int) -> str:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ct}.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>{parts}'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>'
    )


def _workbook(titles: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{_xml(title)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, 1)
    )
    return (
        f'{_XML_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
        f"</bookViews><sheets>{sheets}</sheets></workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'


def _xml(text: str) -> str:
    """Text as XML character data: markup escaped, characters XML cannot hold as U+FFFD."""
    # most cells hold none of them: a search is several times cheaper than a translate
    return text.translate(_XML) if _XML_SPECIAL.search(text) else text


def _names_money(name: str) -> bool:
    folded = name.casefold()
    return any(word in folded for word in MONEY_WORDS)


def _shown_number(text: str) -> tuple[float, str] | None:
    """A cell a spreadsheet would take for a number, as (value, number format) such that it
    shows exactly ``text`` ("6,500.00" is 6500 in #,##0.00); None for text: an id with a
    leading zero (007), a phone or id number (11 digits or more), -0, more than 15 digits."""
    if not _PLAIN_NUMBER.match(text):
        return None
    whole, _, decimals = text.lstrip("-").partition(".")
    digits = whole.replace(",", "")
    if len(digits) >= 11 or len(digits.lstrip("0") + decimals) > 15:
        return None
    value = float(text.replace(",", ""))
    if (digits.startswith("0") and digits != "0") or (value == 0 and text.startswith("-")):
        return None
    layout = ("#,##0" if "," in whole else "0") + ("." + "0" * len(decimals) if decimals else "")
    return value, layout


def excel_safe(data: bytes) -> bool:
    """Whether rows the fast engine wrote (comma-separated, unquoted) hold no cell that the
    .csv for Excel must change or note (rules.EXCEL_UNSAFE_BYTES, compiled from the rules
    ``_cell`` applies): a formula sign, digits a spreadsheet would lose, text it would read
    as another value. Checked on the bytes, so the common path stays vectorised."""
    # every cell then starts after a comma: the search tries at commas only (3x faster
    # than trying at line starts too, on a 10^5-row answer)
    return EXCEL_UNSAFE_BYTES.search(b"," + data.replace(b"\n", b"\n,")) is None
