"""How far a workbook sheet reaches, read before python-calamine allocates it.

calamine holds a sheet as a dense grid from its first cell to its last, some 32 bytes a cell:
two ordinary cells, BL1 and A1048576, make a 67-million-cell grid, and a 905-byte .ods of
repeated cells unpacks to gigabytes. So each sheet's bounding box (rows x columns) is taken
from the very part calamine will read, as XML, and refused past the caps before calamine
opens it. A sheet part an office suite wrote (every cell spelled ``<c r="B7"``, no character
reference, no declaration) is bounded by a byte scan at C speed, after checking that the
scan sees every cell and every ``r`` the parser would; any other part is parsed with expat.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import IO
from xml.parsers import expat

from hzcity.errors import BadInput
from hzcity.i18n import Given, Phrase

EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
# calamine's grid takes 32 bytes a cell (some 64 for an .xls or .ods), empty or not. A box (rows
# x columns from A1) up to SPARSE_CELLS is read however few cells fill it (a sparse one that
# size peaked at 0.28 GB as .xlsx, 0.54 as .ods, 0.55 as .xls); a larger box only where one
# cell in DENSITY holds a value, so that the grid costs at most DENSITY times what the cells
# the file spells do; none past MAX_CELLS. Under a flat 2^25 cap, the only bound before, a
# 1.7 KB .xlsx (A1, XFD2048), a 5.6 KB .xls LibreOffice saved (A1, IV65536) and an 860-byte
# .ods (one cell repeated over 2048 x 16384) peaked at 1.05, 1.24 and 2.07 GB; each is refused
# now at 23-38 MB. Payrolls fill their box: 840,000 x 10 saved by LibreOffice 100% (read at
# 0.73 GB, as before), every sheet of tests/fixtures 58-100%.
SPARSE_CELLS = 1 << 23
DENSITY = 8
MAX_CELLS = 1 << 25
MAX_PART = 1 << 30  # bytes of a sheet part read at most (the declared sizes are capped too)
CHUNK = 1 << 20

FormulaErrors = dict[int, dict[int, str]]  # row number -> column index -> '#DIV/0!'

# a cell as every office suite writes it; a part whose cells are not all so spelled is parsed
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_NO_INDEX = re.compile(rb't="s"[^>]*>\s*<v>\s*[^\d\s<]')
_ERROR_MARK = b't="e"'
_ERROR = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"[^>]*?\bt="e"[^>]*>'
                    rb'(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>)?'
                    rb'<(?:\w+:)?v>([^<]{1,64})</(?:\w+:)?v>')  # fmt: skip
# what sends a part to the parser: a character reference or a declaration (either could
# spell a reference otherwise than its bytes), a cell with no attribute or a prefix, an r
# spaced before its =; each looked for with one memchr-speed search
_UNUSUAL = (b"<!", b":c", b"<c>", b"<c/", b" r ")
_SPACES = (b"\t", b"\n", b"\r")  # a sheet part is one line: any other layout is parsed
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_REF = re.compile(r"([A-Za-z]+)([0-9]+)\Z")
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
# an .ods binding these namespaces to these prefixes only, as LibreOffice writes them
STANDARD = {b"table": TABLE.strip().encode(), b"office": OFFICE.strip().encode()}


@dataclass(frozen=True, kw_only=True)
class Extent:
    """A sheet's bounding box from A1 (its last row and last column holding a cell, 1-based)
    and how many cells the file spells in it: a box few cells fill is a bomb's."""

    rows: int
    columns: int
    cells: int

    @property
    def limit(self) -> int:
        """The most cells this sheet's box may span: SPARSE_CELLS, or DENSITY times the cells
        it holds, never past MAX_CELLS."""
        return min(max(SPARSE_CELLS, DENSITY * self.cells), MAX_CELLS)


class Unreadable(Exception):
    """A sheet part no XML parser reads (or one declaring entities): the reason, in English."""


def member(archive: zipfile.ZipFile, name: str) -> str | None:
    """The archive's member called ``name`` in any letter case (calamine finds it so)."""
    names = archive.namelist()
    if name in names:
        return name
    wanted = name.lower()
    return next((n for n in names if n.lower() == wanted), None)


def xlsx_part(archive: zipfile.ZipFile, index: int) -> str:
    """The member holding the ``index``-th sheet of an .xlsx, found as calamine finds it:
    workbook.xml's sheet, its relation's target (absolute, or under xl/), any letter case."""
    book, rels = member(archive, "xl/workbook.xml"), member(archive, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return ""
    try:
        sheets = _elements(archive, book, "sheet")
        relations = _elements(archive, rels, "Relationship")
    except (Unreadable, KeyError, zipfile.BadZipFile, OSError, EOFError):
        return ""
    if index >= len(sheets):
        return ""
    wanted = next((v for k, v in sheets[index].items() if k.rpartition(":")[2] == "id"), None)
    for relation in relations:
        if relation.get("Id") == wanted and (target := relation.get("Target")):
            path = target[1:] if target.startswith("/") else "xl/" + target
            return member(archive, path) or ""
    return ""


def _elements(archive: zipfile.ZipFile, name: str, local: str) -> list[dict[str, str]]:
    """The attributes of every ``local`` element of a small part (workbook.xml, its rels)."""
    found: list[dict[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rpartition(":")[2] == local:
            found.append(attrs)

    with archive.open(name) as stream:
        _parse(stream, start)
    return found


def _parse(stream: IO[bytes], start: Callable[[str, dict[str, str]], None],
           parser: expat.XMLParserType | None = None) -> None:  # fmt: skip
    """Feed a part to expat in chunks, at most MAX_PART bytes, refusing entity declarations."""
    parser = parser or expat.ParserCreate()
    parser.StartElementHandler = start

    def no_entities(*_: object) -> None:
        raise Unreadable("the part declares entities")

    parser.EntityDeclHandler = no_entities
    read = 0
    try:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > MAX_PART:
                raise Unreadable(f"a part over {MAX_PART:,} bytes")
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise Unreadable(str(exc)) from None


def xlsx_extent(archive: zipfile.ZipFile, part: str) -> tuple[Extent, FormulaErrors]:
    """The bounding box of an .xlsx sheet part and its cells saved with an error value (which
    calamine reads as empty). Raises Unreadable for a part no parser reads. The byte scan
    counts every cell, an empty one too; past a cap, the parse decides, which counts only
    the cells calamine keeps (a far cell formatted and left empty, Ctrl+End's corner, is
    no bomb)."""
    extent, errors = _scan_bytes(archive, part)
    if (
        extent is None
        or extent.rows > EXCEL_ROWS
        or extent.columns > EXCEL_COLUMNS
        or (extent.rows * extent.columns > extent.limit)
    ):
        return _scan_xml(archive, part)
    return extent, errors


def _scan_bytes(archive: zipfile.ZipFile, part: str) -> tuple[Extent | None, FormulaErrors]:
    """The box by a byte scan (C speed), or None where the part is spelled otherwise than an
    office suite writes it: then only a parser sees its cells as calamine does."""
    letters: set[bytes] = set()
    rows: set[bytes] = set()
    errors: FormulaErrors = {}
    count = 0
    tail = seen = b""  # the element cut by the chunk's end; the end of the text scanned
    start = -1  # where the first chunk's layout begins: past its XML declaration
    with archive.open(part) as stream:
        read = 0
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > MAX_PART:
                raise Unreadable(f"a part over {MAX_PART:,} bytes")
            text = tail + chunk
            # an element cut by the chunk's end is read whole with the next one
            cut = text.rfind(b"<")
            if cut < 0:
                cut = max(len(text) - 8, 0)
            if _ERROR_MARK in text:
                mark = text.rfind(b"<", 0, text.rfind(_ERROR_MARK))
                if mark >= 0 and _ERROR.search(text, mark) is None:
                    cut = min(cut, mark)
                for cell in _ERROR.finditer(text, 0, cut):
                    column = column_number(cell.group(1).decode()) - 1
                    errors.setdefault(int(cell.group(2)), {})[column] = cell.group(3).decode(
                        "utf-8", "replace"
                    )
            text, tail = text[:cut], text[cut:]
            if start < 0:
                start = text.find(b"<", text.find(b"?>")) if text.startswith(b"<?xml") else 0
            if len(tail) > CHUNK << 2:  # an element megabytes long: no office suite's
                return None, {}
            if (any(text.find(space, start) >= 0 for space in _SPACES) or b"&#" in text
                    or any(odd in text for odd in _UNUSUAL)):  # fmt: skip
                return None, {}
            start = 0
            cells = _CELL.findall(text)
            # each r attribute is a cell's or a row's, written as the pattern reads it
            written = text.count(b" r=")
            if (len(cells) != text.count(b"<c ") or written != text.count(b' r="')
                    or written != len(cells) + text.count(b'<row r="')):  # fmt: skip
                return None, {}
            if (bad := _NO_INDEX.search(seen + text)) is not None:
                raise Unreadable(bad.group(0)[-40:].decode("latin-1"))
            letters.update(map(_FIRST, cells))
            rows.update(map(_SECOND, cells))
            count += len(cells)
            seen = text[-64:]
    if tail.strip() and b"<c " in tail:
        return None, {}
    column = max((column_number(c.decode()) for c in letters), default=0)
    return Extent(rows=max(map(int, rows), default=0), columns=column, cells=count), errors


def _scan_xml(archive: zipfile.ZipFile, part: str) -> tuple[Extent, FormulaErrors]:
    """The box as calamine walks the part: a cell's place is its r (its own bytes, any letter
    case), else the place after the previous cell of its row, in the row its <row> element
    gives (its r, else the one after the last row): a cell's own r moves the column, never
    the row of the cells after it. A cell counts once a value element (v, is) shows that it
    holds one: calamine drops the empty ones."""
    parser = expat.ParserCreate()
    row = next_row = column = top = right = count = 0  # row, column as calamine counts (0-based)
    pending: tuple[int, int] | None = None  # the open cell, until it holds a value
    at = (0, 0)
    kind = ""
    errors: FormulaErrors = {}
    shown: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal row, next_row, column, top, right, count, pending, at, kind
        local = tag.rpartition(":")[2]
        if local == "c":
            ref = _REF.match(attrs.get("r", ""))
            if ref is None:
                at = (row + 1, column + 1)
            else:
                at = (_number(ref.group(2)), column_number(ref.group(1).upper()))
            column, pending, kind = at[1], at, attrs.get("t", "")
        elif local == "row":
            given = attrs.get("r", "").lstrip(_LETTERS)  # calamine reads the digits of "A5"
            row = _number(given) - 1 if given.isascii() and given.isdigit() else next_row
            next_row, column = row + 1, 0
        elif local in ("v", "is"):
            if pending is not None:
                top, right, pending = max(top, pending[0]), max(right, pending[1]), None
                count += 1
            if local == "v" and kind in ("s", "e"):
                shown.clear()
                parser.CharacterDataHandler = shown.append
                parser.EndElementHandler = end

    def end(_: str) -> None:
        parser.CharacterDataHandler = parser.EndElementHandler = None
        text = "".join(shown)
        if kind == "e":
            errors.setdefault(at[0], {})[at[1] - 1] = text[:64]
        elif not text.strip().isdigit():
            raise Unreadable(f"shared string index {text[:40]!r}")

    with archive.open(part) as stream:
        _parse(stream, start, parser)
    return Extent(rows=top, columns=right, cells=count), errors


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGITS = 12  # a row number of more digits is past every cap (and int() refuses 4,300)


def _number(digits: str) -> int:
    """A row number as written; 10**12, past every cap, beyond _DIGITS digits."""
    return int(digits) if len(digits) <= _DIGITS else 10**_DIGITS


def ods_extents(archive: zipfile.ZipFile) -> list[tuple[str, Extent]]:
    """The name and bounding box of every table of an .ods (calamine expands them all when it
    opens the file): repeated rows and cells holding a value or text count as many times as
    repeated; the empty runs LibreOffice writes to the sheet's edge do not. A row ends where
    the next one (or table) starts. The cells a table holds are counted as written, a
    repeated run as one: 860 bytes of repeats spell 2^25 cells, while a payroll's cells
    differ from their neighbours and are written one by one."""
    name = member(archive, "content.xml")
    if name is None:
        return []
    if _standard_prefixes(archive, name):  # names as written are names as meant: no lookup
        parser, table, office = expat.ParserCreate(), "table:", "office:"
    else:
        parser, table, office = expat.ParserCreate(namespace_separator=" "), TABLE, OFFICE
    row_tag, cells, whole = (
        table + "table-row",
        (table + "table-cell", table + "covered-table-cell"),
        table + "table",
    )
    repeat_rows, repeat_columns = table + "number-rows-repeated", table + "number-columns-repeated"
    value_type, table_name = office + "value-type", table + "name"
    tables: list[tuple[str, Extent]] = []
    row = top = right = count = 0
    times, column, reach = 0, 0, 0  # the open row's repeat count, next column, last content
    cell: tuple[int, int] | None = None  # the open cell's column and repeat, until it holds

    def close_row() -> None:
        nonlocal row, top, right, times
        row, times = row + times, 0
        if reach and tables:
            top, right = row, max(right, reach)
            tables[-1] = (tables[-1][0], Extent(rows=top, columns=right, cells=count))
            if top > EXCEL_ROWS or top * right > MAX_CELLS:
                raise _Done  # past a cap: the table is refused, no need to read on

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal row, top, right, count, times, column, reach, cell
        if tag in cells:
            run = repeat(attrs.get(repeat_columns))
            cell = (column, run)
            column += run
            if value_type in attrs:
                reach, cell, count = max(reach, column), None, count + 1
        elif tag == row_tag:
            close_row()
            times, column, reach, cell = repeat(attrs.get(repeat_rows)), 0, 0, None
        elif tag == whole:
            close_row()
            tables.append((attrs.get(table_name, ""), Extent(rows=0, columns=0, cells=0)))
            row = top = right = reach = count = 0
            cell = None
        elif cell is not None:  # a paragraph or anything else inside a cell: it holds text
            reach, cell, count = max(reach, cell[0] + cell[1]), None, count + 1

    def end(tag: str) -> None:
        nonlocal cell
        if tag in cells:
            cell = None

    parser.EndElementHandler = end
    try:
        with archive.open(name) as stream:
            _parse(stream, start, parser)
        close_row()
    except _Done:
        pass
    return tables


def _standard_prefixes(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether the table and office namespaces are named only as ``table:`` and ``office:``
    and those prefixes name nothing else (every mention of either namespace, and every
    declaration of either prefix, is the one standard declaration): then a parse without
    namespace lookup reads the same names, a third faster. One scan of the bytes."""
    patterns = [
        pattern
        for prefix, uri in STANDARD.items()
        for pattern in (uri, b'xmlns:%s="%s"' % (prefix, uri), b"xmlns:%s=" % prefix)
    ]
    seen = dict.fromkeys(patterns, 0)
    keep = max(map(len, patterns)) - 1  # a mention cut by a chunk's end is whole in the next
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK << 2):
            text = tail + chunk
            for pattern in patterns:  # those wholly in the kept tail are counted next time
                seen[pattern] += text.count(pattern) - text[-keep:].count(pattern)
            tail = text[-keep:]
    for pattern in patterns:
        seen[pattern] += tail.count(pattern)
    return all(len({seen[p] for p in patterns[i : i + 3]}) == 1 for i in (0, 3))


class _Done(Exception):
    """Raised from a parser's handler to stop reading: what was wanted is known."""


def check(extent: Extent, source: str, sheet: str, *, excel: bool) -> None:
    """Refuse a sheet calamine would read into a grid past the caps (or past what the cells
    it holds allow), or cut at Excel's last row (a longer .ods is read up to row 1,048,576
    and the rest dropped without a word)."""
    rows, columns = extent.rows, extent.columns
    if excel and (rows > EXCEL_ROWS or columns > EXCEL_COLUMNS):
        raise BadInput(
            Phrase(
                "{source}: sheet {sheet!r} claims {rows} rows x {columns} columns, beyond "
                "Excel's {max_rows} x {max_columns}; not a workbook Excel wrote",
                source=source, sheet=sheet, rows=rows, columns=columns,
                max_rows=EXCEL_ROWS, max_columns=EXCEL_COLUMNS,
            )
        )  # fmt: skip
    if rows > EXCEL_ROWS:
        raise BadInput(
            Phrase(
                "{source}: sheet {sheet!r} holds {rows:,} rows; a workbook sheet is read up "
                "to row {limit:,}: save the sheet as CSV, which is read to its end",
                source=source, sheet=sheet, rows=rows, limit=EXCEL_ROWS,
            )
        )  # fmt: skip
    if rows * columns > MAX_CELLS:
        raise BadInput(
            Phrase(
                "{source}: sheet {sheet!r} spans {rows:,} rows x {columns:,} columns, more "
                "than the {limit:,} cells a workbook sheet is read with; delete the cells far "
                "from the table (Ctrl+End goes to the last one) or save the sheet as CSV",
                source=source, sheet=sheet, rows=rows, columns=columns, limit=MAX_CELLS,
            )
        )  # fmt: skip
    if rows * columns > extent.limit:
        raise BadInput(
            Phrase(
                "{source}: sheet {sheet!r} spans {rows:,} rows x {columns:,} columns and "
                "holds {n:,} cell; a sheet spanning more than {limit:,} cells is read only if "
                "at least one cell in {density} holds a value: delete the cells far from the "
                "table (Ctrl+End goes to the last one) or save the sheet as CSV",
                plural="{source}: sheet {sheet!r} spans {rows:,} rows x {columns:,} columns "
                "and holds {n:,} cells; a sheet spanning more than {limit:,} cells is read "
                "only if at least one cell in {density} holds a value: delete the cells far "
                "from the table (Ctrl+End goes to the last one) or save the sheet as CSV",
                source=source, sheet=sheet, rows=rows, columns=columns, n=extent.cells,
                limit=SPARSE_CELLS, density=DENSITY,
            )
        )  # fmt: skip


def unreadable(source: str, why: object) -> BadInput:
    """A workbook the reader cannot take, with the reader's reason (said in English only)."""
    return BadInput(Phrase("{source}: not a readable workbook ({why})", source=source,
                           why=Given(en=str(why))))  # fmt: skip


def repeat(text: str | None) -> int:
    """A repeat count as written (number-rows-repeated), 1 when absent or unreadable."""
    try:
        return max(int(text or "1"), 1)
    except ValueError:
        return 1


def column_number(letters: str) -> int:
    """1 for 'A', 27 for 'AA'."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
