"""One sheet of a workbook (.xlsx, .xlsm, .xls or .ods) as typed rows, read by python-calamine
through its public API, with Excel's numbers as Excel shows them and the cells that cannot be
amounts (dates, booleans, errors, too many decimals) named.

What calamine does not say is looked up only where it matters, never on the common path: the
hidden columns from the head of an .xlsx sheet part (before its cell data), whether an
empty salary cell is a formula saved without its result, from that one sheet part, and the
cells saved with an error value (calamine reads them as empty) from the pass that bounds the
sheet part (.xlsx), from content.xml where it holds the error mark (.ods), or from xlrd (.xls,
whose hidden columns it reads too).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from math import isfinite
from typing import IO, Any

from hzcity.errors import BadInput, suggest
from hzcity.i18n import N_, Phrase
from hzcity.notes import Note
from hzcity.payroll import extent
from hzcity.payroll.extent import EXCEL_COLUMNS, EXCEL_ROWS, FormulaErrors, unreadable
from hzcity.payroll.formats import ChooseSheet, InputFormat, Reading, Wanted
from hzcity.payroll.rules import column_sum
from hzcity.payroll.text import RawRow

FORMATS: tuple[InputFormat, ...] = (InputFormat.xlsx, InputFormat.xls, InputFormat.ods)
OPTIONS: frozenset[str] = frozenset({"sheet", "header_row"})  # cells: no encoding, delimiter
SEEKS = True  # a zip is read from its end
ZIP, OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

# The unpacked parts of a workbook are refused above these sizes before they are parsed: a
# few kilobytes of zip can declare gigabytes. 1 GiB holds some twenty million cells; the
# shared strings of a 10^6-row payroll take some tens of megabytes.
MAX_UNPACKED = 1 << 30
MAX_SHARED_STRINGS = 256 << 20
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
HEAD = 1 << 20  # bytes of a sheet part searched for its column layout
# A member unpacking to more than MAX_RATIO times its packed size (past RATIO_FLOOR) is no
# office suite's: 900 MB of whitespace packs into 1 MB; a sheet's XML packs some 5-20 times.
MAX_RATIO, RATIO_FLOOR = 100, 16 << 20
ODS_ERROR_MARK = b'calcext:value-type="error"'
HEAD_ODS = 16 << 20  # bytes of an .ods content.xml read to find a table's column layout
_PLAIN_SHEET_NAME = re.compile(r"\w+\Z")
_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')

CellProblems = dict[int, str]  # column index -> why that cell cannot be an amount
ColumnSums = dict[int, set[int]]  # row number -> column indexes holding a total's formula


class FormulaError(str):
    """A cell whose saved value is an error, as Excel shows it ('#DIV/0!'): text in any
    column, refused as a salary."""

    __slots__ = ()


Value = str | int | float | bool | date | datetime | time | timedelta


class Sheet:
    """An open sheet: its name, its rows, cell references and the look-ups calamine lacks."""

    def __init__(self, book: Any, index: int, source: str, archive: zipfile.ZipFile | None):
        self._book, self._index, self._source, self._archive = book, index, source, archive
        self.name: str = book.sheet_names[index]
        self._prefix = f"{source}:{quoted(self.name)}!"
        self._letters: dict[int, str] = {}  # column letters met, asked once per row
        self.hidden_columns: frozenset[int] = frozenset()
        # once the header is known, only the salary cell's problems are worth wording
        self.salary_column: int | None = None
        self.errors: FormulaErrors = {}
        # row number -> columns whose cell is a SUM or SUBTOTAL of the cells above it
        self.column_sums: ColumnSums = {}
        self.notes: list[Note] = []  # why this sheet, when none was named
        self._part = ""
        if archive is not None:
            self._part = part = extent.xlsx_part(archive, index)
            self.errors = _bounded(archive, part, source, self.name)
            self.column_sums = _column_sums(archive, part)
            self.hidden_columns = _hidden_columns(archive, part)

    def cell_ref(self, row: int, column: int) -> str:
        """'file:Sheet!C7' for a row number and a 0-based column index."""
        letter = self._letters.get(column)
        if letter is None:
            letter = self._letters[column] = column_letter(column)
        return f"{self._prefix}{letter}{row}"

    def rows(self) -> Iterator[tuple[int, list[str], list[object], CellProblems | None]]:
        """(row number, cells as text, cells as read, problems by column) for each row."""
        try:
            sheet = self._book.get_sheet_by_index(self._index)
            start = sheet.start
            if start is None:
                return
            first_row, first_column = start
            if sheet.total_height > EXCEL_ROWS or sheet.total_width > EXCEL_COLUMNS:
                raise BadInput(
                    Phrase(
                        "{source}: sheet {sheet!r} claims {rows} rows x "
                        "{columns} columns, beyond Excel's {max_rows} x "
                        "{max_columns}; not a workbook Excel wrote",
                        source=self._source,
                        sheet=self.name,
                        rows=sheet.total_height,
                        columns=sheet.total_width,
                        max_rows=EXCEL_ROWS,
                        max_columns=EXCEL_COLUMNS,
                    )
                )
            pad: list[Value] = [""] * first_column
            errors = self.errors
            for number, values in enumerate(sheet.iter_rows(), first_row + 1):
                if first_column:
                    values = pad + values
                if errors and number in errors:
                    _mark_errors(values, errors[number])
                while values and values[-1] == "":  # the sheet's width is not the row's
                    values.pop()
                try:
                    yield (number, *_texts(values, self.salary_column))
                except _NotFinite as bad:
                    raise BadInput(
                        Phrase(
                            "{where}: the number {text} is none a spreadsheet "
                            "holds; the workbook is damaged",
                            where=self.cell_ref(number, bad.column),
                            text=bad.text,
                        )
                    ) from None
        except BadInput:
            raise
        except Exception as exc:  # calamine meets a damaged part with whatever it hits first
            raise unreadable(self._source, exc) from None

    def formula_without_value(self, row: int, column: int) -> bool:
        """Whether the cell holds a formula saved without its result (an .xlsx only): calamine
        shows such a cell as empty. Read from the sheet part, on the error path only."""
        if self._archive is None:
            return False
        import xml.etree.ElementTree as ET

        ref = f"{column_letter(column)}{row}"
        try:
            with self._archive.open(self._part) as part:
                for _, element in ET.iterparse(part):
                    if element.tag.endswith("}c") and element.get("r") == ref:
                        held = {c.tag.rpartition("}")[2]: c.text for c in element}
                        return "f" in held and not held.get("v")
                    if element.tag.endswith("}row"):
                        element.clear()
        except Exception:  # a damaged part: the plain reason stands
            return False
        return False

    def visible_worksheets(self) -> list[str]:
        """The names of the workbook's visible worksheets (no chart, no hidden sheet), in order."""
        return [self._book.sheet_names[i] for i in _visible(self._book)]

    def other_sheets(self) -> list[str]:
        """The names of every sheet but this one, for a message that points elsewhere."""
        return [n for i, n in enumerate(self._book.sheet_names) if i != self._index]

    def rows_of(self, name: str, limit: int) -> list[list[str]]:
        """The first ``limit`` rows of another sheet, as text (to find its header)."""
        if self._archive is not None:  # calamine reads an .xlsx sheet whole: bound it first
            index = self._book.sheet_names.index(name)
            _bounded(self._archive, extent.xlsx_part(self._archive, index), self._source, name)
        try:
            values = self._book.get_sheet_by_name(name).to_python(nrows=limit)
        except Exception:
            return []
        return [[v if isinstance(v, str) else "" for v in row] for row in values]

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        self._book.close()


def _bounded(archive: zipfile.ZipFile, part: str, source: str, sheet: str) -> FormulaErrors:
    """Refuse an .xlsx sheet whose grid would be huge, before calamine reads it; its cells
    saved with an error value. A part not found as calamine finds it: every member is
    bounded, so that a sheet reached otherwise cannot escape."""
    parts = [part] if part else [m for m in archive.namelist() if m.lower().endswith(".xml")]
    errors: FormulaErrors = {}
    for name in parts:
        try:
            box, errors = extent.xlsx_extent(archive, name)
        except (extent.Unreadable, zipfile.BadZipFile, OSError, EOFError, KeyError) as why:
            # a part not read to its end is not bounded (a bad CRC-32 stops zipfile there):
            # calamine, which stops at </sheetData>, would read and allocate it all the same
            raise unreadable(source, f"{name}: {why}") from None
        extent.check(box, source, sheet, excel=True)
    return errors


def detect(name: str, head: bytes) -> bool:
    """A zip or an OLE2 compound file, or a file named as a workbook (which ``read`` refuses
    if it is neither)."""
    return head.startswith((ZIP, OLE2)) or name.lower().endswith(SUFFIXES)


def read(file: IO[bytes], name: str, wanted: Wanted) -> Reading:
    """The sheet wanted (else the first visible worksheet) of a seekable workbook file."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith((ZIP, OLE2)):
        raise BadInput(
            Phrase("{source}: named as a workbook but is not one (no zip signature)", source=name)
        )
    found = kind(file)
    opened = open_sheet(file, name, wanted.sheet, wanted.max_unpacked or MAX_UNPACKED,
                        wanted.choose_sheet)  # fmt: skip
    raw = (RawRow(number=n, cells=cells, cell_problems=problems, values=values)
           for n, cells, values, problems in opened.rows())  # fmt: skip
    return Reading(format=found, raw=raw, where=opened.cell_ref, close=opened.close,
                   sheet=opened.name, book=opened, notes=tuple(opened.notes))  # fmt: skip


def open_sheet(
    file: IO[bytes],
    source: str,
    sheet: str | None,
    max_unpacked: int,
    choose: ChooseSheet | None = None,
) -> Sheet:
    """The sheet named or numbered (1-based) by ``sheet``, else the one ``choose`` picks
    among the visible worksheets (else the first), of an .xlsx, .xls or .ods workbook."""
    archive = _check_archive(file, source, max_unpacked)
    xls: list[XlsSheet] = []
    if archive is None:
        xls = _read_xls(file, source)  # bounded before calamine reads every sheet
    elif kind(file) is InputFormat.ods:
        _bound_tables(archive, source)  # calamine expands every table when it opens the file
    file.seek(0)
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(file)
    except python_calamine.PasswordError:
        raise BadInput(
            Phrase(
                "{source}: a password-protected workbook; remove the password and save it again",
                source=source,
            )
        ) from None
    except Exception as exc:  # a damaged file: whatever calamine hit first, said in one line
        if archive is None:  # an OLE2 file calamine cannot read: most often encrypted
            raise _encrypted_or_damaged(source) from None
        archive.close()
        raise unreadable(source, exc) from None
    try:
        index = _sheet_index(book, sheet, source)
        if book.sheets_metadata[index].typ != python_calamine.SheetTypeEnum.WorkSheet:
            raise BadInput(
                Phrase(
                    "{source}: sheet {sheet!r} is a chart, not a table",
                    source=source,
                    sheet=book.sheet_names[index],
                )
            )
        is_xlsx = archive is not None and extent.member(archive, "xl/workbook.xml") is not None
        zipped = archive if is_xlsx else None
        notes: list[Note] = []
        visible = _visible_worksheets(book) if sheet is None and choose else []
        if len(visible) > 1 and choose is not None:
            # each sheet is read as the one computed is: through its own checks
            sheets = [(book.sheet_names[i], partial(_texts_of, book, i, source, zipped))
                      for i in visible]  # fmt: skip
            named, notes = choose(sheets)
            index = book.sheet_names.index(named)
        opened = Sheet(book, index, source, zipped)
        opened.notes = notes
        if archive is not None and not is_xlsx:  # an .ods: its columns are in content.xml
            opened.hidden_columns = _ods_hidden_columns(archive, index)
            opened.errors = _ods_errors(archive, index)
            opened.column_sums = _ods_column_sums(archive, index)
            archive.close()
        elif index < len(xls):
            opened.hidden_columns, opened.errors = xls[index].hidden_columns, xls[index].errors
        return opened
    except BaseException:
        book.close()
        if archive is not None:
            archive.close()
        raise


def kind(file: IO[bytes]) -> InputFormat:
    """'xlsx', 'ods' or 'xls', told from the first bytes (a zip holding an OpenDocument
    mimetype is an .ods; any other zip an .xlsx; an OLE2 compound file an .xls)."""
    file.seek(0)
    head = file.read(30 + 8 + len(ODS_MIMETYPE))
    file.seek(0)
    if not head.startswith(b"PK\x03\x04"):
        return InputFormat.xls
    # the .ods mimetype is the archive's first member, stored uncompressed
    ods = head[30:38] == b"mimetype" and head.endswith(ODS_MIMETYPE)
    return InputFormat.ods if ods else InputFormat.xlsx


@dataclass(frozen=True, kw_only=True)
class XlsSheet:
    """What xlrd reads of an .xls sheet that calamine does not say."""

    hidden_columns: frozenset[int]
    errors: FormulaErrors


def _read_xls(file: IO[bytes], source: str) -> list[XlsSheet]:
    """Each sheet of an .xls, bounded and with its hidden columns and error cells, read by
    xlrd (calamine reads every sheet when it opens the file, and shows an error as empty).
    Its rows are kept ragged: xlrd pads each to the sheet's widest by default, and one cell at
    IV65536 made 16.7 M cells (0.2 GB) before the bound was checked."""
    import xlrd

    file.seek(0)
    try:
        book = xlrd.open_workbook(file_contents=file.read(), formatting_info=True,
                                  ragged_rows=True, logfile=io.StringIO())  # fmt: skip
    except Exception:  # xlrd refuses what calamine would: encrypted, damaged, past BIFF's grid
        raise _encrypted_or_damaged(source) from None
    sheets = []
    for sheet in book.sheets():
        extent.check(extent.Extent(rows=sheet.nrows, columns=sheet.ncols, cells=_held(sheet)),
                     source, sheet.name, excel=True)  # fmt: skip
        errors: FormulaErrors = {}
        for row in range(sheet.nrows):
            types = sheet.row_types(row)  # an array of the row's cell types
            if xlrd.XL_CELL_ERROR in types:
                values = sheet.row_values(row)
                errors[row + 1] = {
                    column: xlrd.error_text_from_code.get(values[column], "#N/A")
                    for column, kind in enumerate(types) if kind == xlrd.XL_CELL_ERROR
                }  # fmt: skip
        hidden = frozenset(c for c, info in sheet.colinfo_map.items() if info.hidden)
        sheets.append(XlsSheet(hidden_columns=hidden, errors=errors))
    book.release_resources()
    return sheets


def _held(sheet: Any) -> int:
    """The cells of an xlrd sheet holding a value: neither empty nor blank (a formatted
    empty cell, which calamine drops)."""
    import xlrd

    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
    return sum(len(types) - sum(map(types.count, empty))
               for types in map(sheet.row_types, range(sheet.nrows)))  # fmt: skip


def _encrypted_or_damaged(source: str) -> BadInput:
    """An .xls no reader opens: most often encrypted."""
    return BadInput(
        Phrase(
            "{source}: an encrypted (password-protected) workbook or a "
            "damaged .xls; open it in Excel, remove any password and "
            "save it as .xlsx",
            source=source,
        )
    )


def _bound_tables(archive: zipfile.ZipFile, source: str) -> None:
    """Refuse an .ods any of whose tables calamine would expand into a huge grid, or cut."""
    try:
        tables = extent.ods_extents(archive)
        for name, box in tables:
            extent.check(box, source, name, excel=False)
    except (extent.Unreadable, zipfile.BadZipFile, OSError, EOFError, KeyError) as why:
        archive.close()  # a content.xml not read to its end is not bounded: refused too
        raise unreadable(source, f"content.xml: {why}") from None
    except BaseException:
        archive.close()
        raise


def _check_archive(file: IO[bytes], source: str, max_unpacked: int) -> zipfile.ZipFile | None:
    """Refuse a zip that unpacks past the caps; the open archive of a zip workbook (kept for
    the look-ups calamine lacks), None for an old-style .xls."""
    file.seek(0)
    if file.read(4) != b"PK\x03\x04":
        file.seek(0)
        return None
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable(source, exc) from None
    # the declared sizes bound the work: zipfile and calamine's zip stop each member there
    unpacked = sum(m.file_size for m in members)
    strings = sum(m.file_size for m in members if m.filename.endswith("sharedStrings.xml"))
    if unpacked > max_unpacked or strings > min(max_unpacked, MAX_SHARED_STRINGS):
        biggest = max(members, key=lambda m: m.file_size)
        archive.close()
        limit = max_unpacked if unpacked > max_unpacked else MAX_SHARED_STRINGS
        raise BadInput(
            Phrase(
                "{source}: unpacks to {bytes:,} bytes ({member}: {size:,}), "
                "above the {limit:,}-byte limit for a workbook",
                source=source,
                bytes=unpacked,
                member=biggest.filename,
                size=biggest.file_size,
                limit=limit,
            )
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * member.compress_size:
            archive.close()
            raise BadInput(
                Phrase(
                    "{source}: {member} unpacks to {size:,} bytes from "
                    "{packed:,}, more than an office suite writes; not a workbook",
                    source=source,
                    member=member.filename,
                    size=member.file_size,
                    packed=member.compress_size,
                )
            )
    file.seek(0)
    return archive


def _visible_worksheets(book: Any) -> list[int]:
    """The indexes of the visible worksheets (no chart sheet), in the workbook's order."""
    import python_calamine

    visible = python_calamine.SheetVisibleEnum.Visible
    worksheet = python_calamine.SheetTypeEnum.WorkSheet
    return [i for i, m in enumerate(book.sheets_metadata)
            if m.visible == visible and m.typ == worksheet]  # fmt: skip


def _texts_of(
    book: Any, index: int, source: str, archive: zipfile.ZipFile | None
) -> Iterator[list[str]]:
    """The rows of a sheet as text, for the sheet choice: read as the sheet computed is."""
    sheet = Sheet(book, index, source, archive)
    return (texts for _, texts, _, _ in sheet.rows())


def _sheet_index(book: Any, wanted: str | None, source: str) -> int:
    names: list[str] = book.sheet_names
    if not names:
        raise unreadable(source, "no sheet")
    if wanted is None:
        return next(iter(_visible_worksheets(book)), 0)
    if wanted in names:
        return names.index(wanted)
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return int(wanted) - 1
    listed = [f"{i} {n!r}" for i, n in enumerate(names, 1)]
    raise BadInput(
        Phrase(
            "{source}: no sheet {sheet!r} (sheets: {sheets}){hint}",
            source=source,
            sheet=wanted,
            sheets=listed,
            hint=suggest(wanted, names),
        )
    )


def _visible(book: Any) -> list[int]:
    """The indexes of a workbook's visible worksheets."""
    import python_calamine

    visible = python_calamine.SheetVisibleEnum.Visible
    worksheet = python_calamine.SheetTypeEnum.WorkSheet
    return [i for i, meta in enumerate(book.sheets_metadata)
            if meta.visible == visible and meta.typ == worksheet]  # fmt: skip


def _hidden_columns(archive: zipfile.ZipFile, part: str) -> frozenset[int]:
    """0-based indexes of the columns the sheet hides: its <cols> come before its cells."""
    if not part:
        return frozenset()
    try:
        with archive.open(part) as stream:
            head = stream.read(HEAD)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return frozenset()
    head = head.partition(b"<sheetData")[0]
    hidden: set[int] = set()
    for element in _COL.findall(head):
        attrs = dict(_ATTR.findall(element))
        if attrs.get(b"hidden") not in (b"1", b"true"):
            continue
        try:
            low, high = int(attrs[b"min"]), int(attrs[b"max"])
        except (KeyError, ValueError):
            continue
        hidden.update(range(max(low, 1) - 1, min(high, EXCEL_COLUMNS)))
    return frozenset(hidden)


class _NotFinite(Exception):
    """A number no spreadsheet holds (inf from a 5,000-digit <v>, NaN), at ``column``."""

    def __init__(self, column: int, text: str) -> None:
        super().__init__(text)
        self.column, self.text = column, text


def _column_sums(archive: zipfile.ZipFile, part: str) -> ColumnSums:
    """The cells of an .xlsx sheet part holding a SUM or SUBTOTAL of the cells above them in
    their column (a total row's salary cell), read in one streaming pass."""
    sums = _XlsxColumnSums()
    if not part:
        return sums.found
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                sums.feed(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
        pass  # a damaged part: calamine says so when it reads it
    return sums.found


class _XlsxColumnSums:
    """The formula cells of an .xlsx sheet part, fed chunk by chunk, that sum the cells
    above them in their column (rules.column_sum): a total row's salary cell. Only rows
    holding such a function's name are parsed; a shared formula's cells follow its first."""

    MAX_CARRY = 16 << 20  # bytes of a row held across chunks (a row is a few hundred)

    def __init__(self) -> None:
        self.found: ColumnSums = {}
        self._carry = b""
        self._shared: dict[bytes, bool] = {}  # si -> whether the shared formula is a sum

    def feed(self, chunk: bytes) -> None:
        text = self._carry + chunk
        end = text.rfind(b"</row>")
        if end < 0 and len(text) < self.MAX_CARRY:
            self._carry = text
            return
        whole, self._carry = (text, b"") if end < 0 else (text[:end], text[end:])
        if b"SUM(" in whole or b"SUBTOTAL(" in whole or b'si="' in whole:
            for cell in _FORMULA.finditer(whole):
                letters, row, attributes, formula = cell.groups()
                column = extent.column_number(letters.decode()) - 1
                shared = _SHARED.search(attributes)
                if formula:
                    total = column_sum(formula.decode("utf-8", "replace"), column, int(row))
                    if shared:
                        self._shared[shared.group(1)] = total
                else:
                    total = shared is not None and self._shared.get(shared.group(1), False)
                if total:
                    self.found.setdefault(int(row), set()).add(column)


# a formula cell: its reference, the <f> element's attributes and text (a shared formula's
# other cells have none: <f t="shared" si="0"/>)
_FORMULA = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"[^>]*>\s*<(?:\w+:)?f\b([^>]*?)'
                      rb"(?:/>|>([^<]*)</(?:\w+:)?f>)")  # fmt: skip
_SHARED = re.compile(rb'\bsi="(\d+)"')


def _mark_errors(values: list[Any], errors: dict[int, str]) -> None:
    """Put each error cell's text in a row, where calamine read it as empty."""
    for column, text in errors.items():
        if column >= len(values):
            values.extend([""] * (column + 1 - len(values)))
        if values[column] == "":
            values[column] = FormulaError(text)


class _Done(Exception):
    """Raised from a parser's handler to stop reading: what was wanted is known."""


def _ods_hidden_columns(archive: zipfile.ZipFile, index: int) -> frozenset[int]:
    """0-based indexes of the columns the ``index``-th table of an .ods hides
    (``table:visibility="collapse"``), read from content.xml by a streaming parse that stops
    at the table's first row, builds no tree, takes no entity and reads at most HEAD_ODS."""
    from xml.parsers import expat

    table, column = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 ", 0
    seen, hidden = -1, set[int]()

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal seen, column
        if name == table + "table":
            seen += 1
        elif seen == index and name == table + "table-column":
            try:
                repeated = min(int(attrs.get(table + "number-columns-repeated", "1")),
                               EXCEL_COLUMNS)  # fmt: skip
            except ValueError:
                repeated = 1
            if attrs.get(table + "visibility", "visible") in ("collapse", "filter"):
                hidden.update(range(column, min(column + repeated, EXCEL_COLUMNS)))
            column += max(repeated, 1)
        if seen > index or (seen == index and name == table + "table-row"):
            raise _Done

    def no_entities(*_: object) -> None:
        raise _Done  # a document type declaring entities: no layout worth reading

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EntityDeclHandler = no_entities
    read = 0
    try:
        with archive.open("content.xml") as stream:
            while chunk := stream.read(1 << 16):
                read += len(chunk)
                parser.Parse(chunk, read >= HEAD_ODS)
                if read >= HEAD_ODS:
                    break
    except _Done:
        return frozenset(hidden)
    except Exception:  # a damaged content.xml: calamine words the reason when it reads cells
        return frozenset()
    return frozenset(hidden)


def _ods_errors(archive: zipfile.ZipFile, index: int) -> FormulaErrors:
    """The cells of the ``index``-th table of an .ods saved with an error value (LibreOffice
    marks them ``calcext:value-type="error"``, the text shown in the cell's paragraph):
    calamine reads them as empty. A sheet without the mark costs one scan of content.xml;
    one with it, a streaming parse."""
    errors: FormulaErrors = {}
    if not _ods_holds(archive, (ODS_ERROR_MARK,)):
        return errors
    value_type = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0 value-type"

    def error(row: int, column: int, attrs: dict[str, str]) -> bool:
        return attrs.get(value_type) == "error"

    def shown(row: int, column: int, repeated: int, text: str) -> None:
        for offset in range(min(repeated, EXCEL_COLUMNS)):
            errors.setdefault(row, {})[column + offset] = text[:64]

    return errors if _ods_walk(archive, index, error, shown) else {}


def _ods_column_sums(archive: zipfile.ZipFile, index: int) -> ColumnSums:
    """The cells of the ``index``-th table of an .ods whose formula sums the cells above
    them (rules.column_sum): one scan of content.xml for a SUM or SUBTOTAL, then, only if
    there is one, a streaming parse for where they stand."""
    found: ColumnSums = {}
    if not _ods_holds(archive, (b"SUM(", b"SUBTOTAL(")):
        return found
    formula_key = _ODS_TABLE + "formula"

    def total(row: int, column: int, attrs: dict[str, str]) -> bool:
        formula = attrs.get(formula_key)
        if formula and column_sum(formula, column, row):
            found.setdefault(row, set()).add(column)
        return False

    return found if _ods_walk(archive, index, total) else {}


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "


def _ods_holds(archive: zipfile.ZipFile, marks: tuple[bytes, ...]) -> bool:
    """Whether content.xml holds one of ``marks``: one scan, no parse."""
    keep = max(map(len, marks))
    try:
        with archive.open("content.xml") as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                if any(mark in tail + chunk for mark in marks):
                    return True
                tail = chunk[-keep:]
    except Exception:
        return False
    return False


def _ods_walk(
    archive: zipfile.ZipFile,
    index: int,
    cell: Callable[[int, int, dict[str, str]], bool],
    shown: Callable[[int, int, int, str], None] = lambda row, column, repeated, text: None,
) -> bool:
    """A streaming parse of the ``index``-th table of an .ods content.xml: ``cell`` is told
    each cell's row (1-based, as calamine counts them: repeated rows each count), column
    (0-based) and attributes, and where it answers True ``shown`` gets the text the cell
    shows once it ends. No tree, no entity. False for a damaged content.xml (calamine
    words the reason when it reads the cells)."""
    from xml.parsers import expat

    table = _ODS_TABLE
    seen, row, column, rows = -1, 0, 0, 1
    text: list[str] | None = None  # the text of the cell ``shown`` waits for
    at = (0, 0, 1)  # its row, column and repeat count

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal seen, row, column, rows, text, at
        if name == table + "table":
            seen += 1
            if seen > index:
                raise _Done
        elif seen != index:
            return
        elif name == table + "table-row":
            column, rows = 0, extent.repeat(attrs.get(table + "number-rows-repeated"))
        elif name in (table + "table-cell", table + "covered-table-cell"):
            repeated = extent.repeat(attrs.get(table + "number-columns-repeated"))
            if cell(row + 1, column, attrs):
                text, at = [], (row + 1, column, repeated)
            column += repeated

    def end(name: str) -> None:
        nonlocal row, text
        if seen != index:
            return
        if name == table + "table-row":
            row += rows  # blank rows in a row are one element, repeated
        elif text is not None and name == table + "table-cell":
            shown(*at, "".join(text))
            text = None

    def characters(data: str) -> None:
        if text is not None:
            text.append(data)

    def no_entities(*_: object) -> None:
        raise _Done  # a document type declaring entities: nothing worth reading

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.EntityDeclHandler = characters, no_entities
    try:
        with archive.open("content.xml") as stream:
            parser.ParseFile(stream)
    except _Done:
        pass
    except Exception:
        return False
    return True


def quoted(name: str) -> str:
    """A sheet name as a cell reference writes it: quoted unless a plain word."""
    return name if _PLAIN_SHEET_NAME.match(name) else "'" + name.replace("'", "''") + "'"


def column_letter(index: int) -> str:
    """'A' for 0, 'AA' for 26."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _texts(
    values: list[Any], salary: int | None
) -> tuple[list[str], list[object], CellProblems | None]:
    """A row's cells as text, as read, and the reason a cell (the ``salary`` one, when
    known) cannot be an amount. Once the salary column is known only its cell is checked;
    the others are turned into text by one look-up of their type (the common path of a
    sheet of 10^5 rows)."""
    if salary is None:
        return _checked(values)
    texts = _cell_texts(values)
    if salary >= len(values) or values[salary].__class__ in (str, int):
        return texts, values, None
    problem = _problem(values[salary], texts[salary])
    return texts, values, {salary: Phrase(problem, text=texts[salary])} if problem else None


def _cell_texts(values: list[Any]) -> list[str]:
    """Each cell's text by one look-up of its type; a number no spreadsheet holds (inf from
    a 5,000-digit <v>, NaN) is refused in any column, with its place."""
    try:
        return [v if v.__class__ is str else _TEXT.get(v.__class__, _other)(v) for v in values]
    except _NotFinite as bad:
        column = next(i for i, v in enumerate(values) if isinstance(v, float) and not isfinite(v))
        raise _NotFinite(column, bad.text) from None


def _checked(values: list[Any]) -> tuple[list[str], list[object], CellProblems | None]:
    """Every cell's text and problem: the rows above the header, before the salary column
    is known."""
    texts = _cell_texts(values)
    problems: CellProblems = {}
    for index, (value, text) in enumerate(zip(values, texts, strict=True)):
        problem = "" if value.__class__ is str else _problem(value, text)
        if problem:
            problems[index] = Phrase(problem, text=text)
    return texts, values, problems or None


def _problem(value: object, text: str) -> str:
    """Why a cell read as ``value`` (shown as ``text``) cannot be an amount, '' when it can."""
    kind = type(value)
    if kind is float:  # a format may show =D7/3 rounded
        if len(text.partition(".")[2]) <= 2:
            return ""
        return N_("the cell holds {text}, more decimals than an amount in yuan (its format may "
                  "show fewer); round it in the sheet, e.g. =ROUND(...,2)")  # fmt: skip
    if kind is bool:
        return N_("a TRUE/FALSE value ({text}), not an amount")
    if kind is FormulaError:
        return N_("formula error {text}")
    if isinstance(value, date | time | timedelta):
        return N_("a date or time ({text}), not an amount")
    return ""


def _other(value: object) -> str:
    """The text of a cell of a type not in _TEXT (a subclass, an error value)."""
    if isinstance(value, bool | float):
        return shown(value)
    if isinstance(value, date | time | timedelta):
        return _shown_date(value)
    return str(value)


def shown(value: object) -> str:
    """A cell value as Excel shows it in General format: at most 15 significant digits, so a
    float artefact such as 6600.000000000001 is 6600, while 13179.045 keeps its decimals."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _float_text(value)
    return str(value)


def _float_text(value: float) -> str:
    """A float in General format (nan and inf as Python writes them, having no 'e')."""
    text = format(value, ".15g")
    if text[-1] in "fn":  # inf, nan: the caller names the cell
        raise _NotFinite(-1, text)
    return format(Decimal(text), "f") if "e" in text else text


def _shown_date(value: date | time | timedelta) -> str:
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


_TEXT: dict[type, Callable[[Any], str]] = {
    FormulaError: str,
    float: _float_text,
    int: str,
    bool: shown,
    date: _shown_date,
    datetime: _shown_date,
    time: _shown_date,
    timedelta: _shown_date,
}
