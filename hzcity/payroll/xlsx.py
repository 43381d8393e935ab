"""One sheet of an .xlsx workbook as rows of text, streamed, with Excel's numbers as Excel shows
them and the cells that cannot be amounts (dates, formulas never calculated) named."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

from hzcity.errors import BadInput, suggest
from hzcity.labels import Phrase

# The unpacked XML of a workbook is refused above this size before it is parsed: a few
# kilobytes of zip can declare gigabytes. 1 GiB holds some twenty million cells.
MAX_UNPACKED = 1 << 30
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
NO_CACHED_VALUE = "n/a: formula"  # our marker for a formula cell saved without its result
_PLAIN_SHEET_NAME = re.compile(r"\w+\Z")

CellProblems = dict[int, str]  # column index -> why that cell cannot be an amount


class Sheet:
    """An open sheet: its name, its rows streamed in read-only mode, and cell references."""

    def __init__(self, workbook: Any, worksheet: Any, source: str) -> None:
        self._workbook = workbook
        self._worksheet = worksheet
        self.name: str = worksheet.title
        self._prefix = f"{source}:{self._quoted(self.name)}!"

    @staticmethod
    def _quoted(name: str) -> str:
        return name if _PLAIN_SHEET_NAME.match(name) else "'" + name.replace("'", "''") + "'"

    def cell_ref(self, row: int, column: int) -> str:
        """'file:Sheet!C7' for a row number and a 0-based column index."""
        from openpyxl.utils import get_column_letter

        return f"{self._prefix}{get_column_letter(column + 1)}{row}"

    def rows(self) -> Iterator[tuple[int, list[str], CellProblems | None]]:
        """(row number, cells as text, problems by column) for each row the sheet stores."""
        ws, wb = self._worksheet, self._workbook
        # openpyxl's public read-only cells cannot tell a formula without a cached value from
        # an empty cell; its sheet parser (private, hence the version pin) can, with one hook.
        with ws._get_source() as xml:
            parser = _parser_class()(
                xml,
                ws._shared_strings,
                data_only=True,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for number, cells in parser.parse():
                yield (number, *_texts(cells))

    def close(self) -> None:
        self._workbook.close()


def open_sheet(file: IO[bytes], source: str, sheet: str | None, max_unpacked: int) -> Sheet:
    """The sheet named or numbered (1-based) by ``sheet``, else the first, of an .xlsx file."""
    _check_archive(file, source, max_unpacked)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl meets a damaged part with whatever error it hits first
        raise BadInput(Phrase("workbook.unreadable", source=source, why=exc)) from None
    try:
        worksheet = workbook[_sheet_name(workbook.sheetnames, sheet, source)]
        if not hasattr(worksheet, "_get_source"):  # a chart sheet holds no cells
            raise BadInput(Phrase("sheet.chart", source=source, sheet=worksheet.title))
        rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
        if rows > EXCEL_ROWS or columns > EXCEL_COLUMNS:
            raise BadInput(Phrase("sheet.too_big", source=source, sheet=worksheet.title,
                                  rows=rows, columns=columns, max_rows=EXCEL_ROWS,
                                  max_columns=EXCEL_COLUMNS))  # fmt: skip
    except BaseException:
        workbook.close()
        raise
    return Sheet(workbook, worksheet, source)


def _check_archive(file: IO[bytes], source: str, max_unpacked: int) -> None:
    """Refuse what is not an .xlsx zip, an .ods, or a zip that unpacks past the cap."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "mimetype" in names and archive.read("mimetype").startswith(ODS_MIMETYPE):
                raise BadInput(Phrase("workbook.ods", source=source))
    except zipfile.BadZipFile as exc:
        raise BadInput(Phrase("workbook.unreadable", source=source, why=exc)) from None
    # zipfile stops each member at its declared size, so the declared sizes bound the work
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked:
        biggest = max(members, key=lambda m: m.file_size)
        raise BadInput(Phrase("workbook.too_big", source=source, bytes=unpacked,
                              member=biggest.filename, size=biggest.file_size,
                              limit=max_unpacked))  # fmt: skip
    file.seek(0)


def _sheet_name(names: list[str], wanted: str | None, source: str) -> str:
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    listed = [f"{i} {n!r}" for i, n in enumerate(names, 1)]
    raise BadInput(Phrase("sheet.unknown", source=source, sheet=wanted, sheets=listed,
                          hint=suggest(wanted, names)))  # fmt: skip


def _parser_class() -> Any:
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["data_type"] = NO_CACHED_VALUE
            return cell

    return Parser


def _texts(cells: list[dict[str, Any]]) -> tuple[list[str], CellProblems | None]:
    """A row's cells as text, with the reason a cell cannot be an amount where there is one."""
    texts = [""] * (cells[-1]["column"] if cells else 0)
    problems: CellProblems | None = None
    for cell in cells:
        index, value = cell["column"] - 1, cell["value"]
        problem: str | None = None
        if cell["data_type"] == NO_CACHED_VALUE:
            problem = Phrase("cell.formula")
        elif isinstance(value, date | time | timedelta):
            texts[index] = _shown_date(value)
            problem = Phrase("cell.date", text=texts[index])
        elif cell["data_type"] == "e":
            texts[index] = str(value)
            problem = Phrase("cell.error", value=value)
        elif value is not None:
            texts[index] = shown(value)
            problem = _too_precise(value, texts[index])
        if problem:
            problems = problems or {}
            problems[index] = problem
    return texts, problems


def _too_precise(value: object, text: str) -> str | None:
    """A number with more decimals than a yuan amount: a cell format may show it rounded
    (=D7/3 shown as 1666.67), but the cell holds what it holds."""
    if isinstance(value, float) and len(text.partition(".")[2]) > 2:
        return Phrase("cell.decimals", text=text)
    return None


def shown(value: object) -> str:
    """A cell value as Excel shows it in General format: at most 15 significant digits, so a
    float artefact such as 6600.000000000001 is 6600, while 13179.045 keeps its decimals."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        text = format(value, ".15g")
        return format(Decimal(text), "f") if "e" in text else text
    return str(value)


def _shown_date(value: date | time | timedelta) -> str:
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
