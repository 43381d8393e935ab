"""Every sheet of a workbook as one payroll (``--sheet all``): the visible worksheets that
have a salary column, their rows one after another under one header. A sheet named as a
month (2024年12月, 2024-12, 12月 with the year of its title rows or --year) gives its rows
that month when it has no month column; sheets without a month from either are summed at
one day's rates (departments on separate sheets)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import Phrase
from hzcity.payroll import workbook
from hzcity.payroll.months import dated_rows, month_column, sheet_month
from hzcity.payroll.reference import output_columns
from hzcity.payroll.source import PayrollSource, Row, open_payroll, standard_input

ALL = "all"  # --sheet all (a sheet named "all" is still chosen by its number)
SHEET = "sheet"  # the column naming each row's sheet
# Why a sheet has no payroll: no header naming a salary column (or --column), or nothing.
NOT_A_PAYROLL = frozenset(
    {
        "{source}: sheet {sheet!r} has no salary column; sheets with one: "
        "{sheets}; choose one with --sheet, or name the column with --column",
        "{where}: no column {column!r} in the header ({listed})",
        "{source}: {empty}; expected a header row",
    }
)


@dataclass(frozen=True, kw_only=True)
class SheetPart:
    """A sheet read as part of the payroll: its name, its salary column, and its month
    (from its name) or the month column its rows carry, if any."""

    name: str
    column: str
    month: date | None = None
    month_column: str | None = None


@dataclass(frozen=True, kw_only=True)
class LeftOut:
    """A visible sheet that is no payroll, and why (a message)."""

    name: str
    why: str


class AllSheets(PayrollSource):
    """The payroll of every visible sheet with a salary column, read as one source: one
    header, ``sheet`` (each row's sheet: a department, a month) then the sheets' columns
    (their own when they agree, else every column named in any sheet), each row under it
    from its own sheet (its location names the sheet)."""

    def __init__(
        self,
        name: str,
        opened: list[tuple[PayrollSource, SheetPart, int | None]],
        *,
        year: int | None,
        left_out: list[LeftOut],
    ) -> None:
        # (no PayrollSource.__init__: the sheets' sources have read their headers)
        first = opened[0][0]
        self.name, self.format, self.delimiter = name, first.format, None
        self._decoder, self._file, self._book = None, None, None
        self._parts = opened
        self._close = self._close_all
        self._where = first.cell
        self.sheets = [part for _, part, _ in opened]
        self.left_out = left_out
        self.sheet = ", ".join(part.name for part in self.sheets)
        self.titles = [t for source, _, _ in opened for t in source.titles]
        self.skipped = []
        self.notes = [note for source, _, _ in opened for note in source.notes]
        same = all(s.header == first.header for s, _, _ in opened)
        keys = first.keys if same else _union([s.keys for s, _, _ in opened])
        self._keys = keys  # the sheets' columns, after the sheet's
        named = output_columns(keys, (SHEET,))[0]  # hzcity_sheet if a sheet has one
        self.keys = [named, *keys]
        self.header = [named, *(first.header if same else keys)]
        self.renamed = first.renamed if same else []
        self.header_where = first.header_where
        self.column = self.keys.index(first.keys[first.column])
        self.column_name = first.column_name
        hidden = {
            i
            for i, key in enumerate(self.keys)
            if all(key not in s.keys or s.keys.index(key) in s.hidden_columns for s, _, _ in opened)
        }
        self.hidden_columns = frozenset(hidden)
        self._year = year
        self.rows: Iterator[Row] = self._all_rows()

    @property
    def dated(self) -> bool:
        """Whether every row carries a month (from its sheet's name or month column)."""
        return all(part.month is not None or part.month_column is not None for part in self.sheets)

    def _all_rows(self) -> Iterator[Row]:
        employees = 0
        width = len(self._keys)
        for source, part, index in self._parts:
            places = [self._keys.index(key) for key in source.keys]
            rows: Iterator[Row] = source.rows
            if index is not None:
                rows = dated_rows(source, index, self._year)
            elif part.month is not None:
                rows = (row._replace(month=part.month) for row in rows)
            try:
                for row in rows:
                    employees += 1
                    cells = [""] * width
                    for place, cell in zip(places, row.cells, strict=False):
                        cells[place] = cell
                    values: list[object] | None = None
                    if row.values is not None:
                        values = [""] * width
                        for place, value in zip(places, row.values, strict=False):
                            values[place] = value
                        values = [part.name, *values]
                    yield row._replace(cells=[part.name, *cells], values=values)
            except BadInput as exc:  # a sheet with a header and no employee: said, not fatal
                if getattr(exc.message, "key", "") != (
                    "{source}: sheet {sheet!r} has no "
                    "employee row; sheets with a salary "
                    "column: {sheets}"
                ):
                    raise
                self.left_out.append(LeftOut(name=part.name, why=Phrase("no employee row")))
            self.skipped += source.skipped
        if not employees:
            raise BadInput(Phrase("{source}: no employee row under the header", source=self.name))

    def _close_all(self) -> None:
        for source, _, _ in self._parts:
            source.close()


def _union(headers: list[list[str]]) -> list[str]:
    """Every column named in any sheet, in the order first met."""
    return list(dict.fromkeys(key for header in headers for key in header))


def open_all(
    source: str,
    *,
    column: str | None = None,
    header_row: int | None = None,
    wanted_month: str | None = None,
    year: int | None = None,
    stdin: IO[bytes] | None = None,
) -> AllSheets:
    """The payroll of every visible sheet of a workbook that has a salary column; the
    months of its rows (a month column, else the sheet's name) when every such sheet gives
    them. BadInput for a file that is no workbook, a workbook without such a sheet, and
    sheets mixing months with none."""
    name = "<stdin>" if source == "-" else source
    held = None
    if source == "-":  # read once: every sheet is opened from these bytes
        try:
            data = standard_input(stdin).read(workbook_limit() + 1)
        except OSError as exc:  # EIO, or EBADF on a stdin opened for writing (0>file)
            raise BadInput(
                Phrase("{source}: cannot read: {why}", source=name, why=os_reason(exc))
            ) from None
        if len(data) > workbook_limit():
            raise BadInput(
                Phrase(
                    "{source}: a workbook on standard input is held in memory, "
                    "and this one is over {limit:,} bytes; give its file name "
                    "instead",
                    source=name,
                    limit=workbook_limit(),
                )
            )
        held = data
    names = _sheet_names(name, source, held)
    opened: list[tuple[PayrollSource, SheetPart, int | None]] = []
    left_out: list[LeftOut] = []
    try:
        for sheet in names:
            try:
                part = open_payroll(
                    source,
                    column=column,
                    sheet=sheet,
                    header_row=header_row,
                    stdin=io.BytesIO(held) if held is not None else None,
                )
            except BadInput as exc:
                if getattr(exc.message, "key", "") not in NOT_A_PAYROLL:
                    raise
                left_out.append(LeftOut(name=sheet, why=Phrase("no salary column")))
                continue
            opened.append(_dated(part, sheet, wanted_month, year))
        if not opened:
            raise BadInput(
                Phrase(
                    "{source}: no visible sheet has a salary column ({sheets}); "
                    "name it with --column",
                    source=name,
                    sheets=names,
                )
            )
        undated = [p.name for _, p, _ in opened if p.month is None and p.month_column is None]
        if undated and len(undated) < len(opened):
            raise BadInput(
                Phrase(
                    "{source}: sheets {dated} give their rows' months, {undated} do not: name "
                    "each sheet as a month (2024年12月) or give each a month column (所属期)",
                    source=name,
                    undated=undated,
                    dated=[p.name for _, p, _ in opened if p.name not in undated],
                )
            )
        return AllSheets(name, opened, year=year, left_out=left_out)
    except BaseException:
        for part, _, _ in opened:
            part.close()
        raise


def workbook_limit() -> int:
    """The bytes of a workbook read from standard input, as one sheet's reading allows."""
    from hzcity.payroll.source import MAX_STDIN_WORKBOOK

    return MAX_STDIN_WORKBOOK


def _sheet_names(name: str, source: str, held: bytes | None) -> list[str]:
    """The visible worksheets of the workbook, or BadInput when the file is none."""
    try:
        file: IO[bytes] = io.BytesIO(held) if held is not None else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise BadInput(
            Phrase("{source}: cannot read: {why}", source=source, why=os_reason(exc))
        ) from None
    with file:
        try:
            head = file.read(8)
        except OSError as exc:  # EIO (/proc/self/mem), a device failing
            raise BadInput(
                Phrase("{source}: cannot read: {why}", source=source, why=os_reason(exc))
            ) from None
        if not workbook.detect(name, head) or not head.startswith((workbook.ZIP, workbook.OLE2)):
            raise BadInput(
                Phrase(
                    "--sheet all reads a workbook (.xlsx, .xls, .ods); {source} is none",
                    source=name,
                )
            )
        opened = workbook.open_sheet(file, name, None, workbook.MAX_UNPACKED)
        try:
            return opened.visible_worksheets()
        finally:
            opened.close()


def _dated(
    source: PayrollSource, sheet: str, wanted: str | None, year: int | None
) -> tuple[PayrollSource, SheetPart, int | None]:
    """A sheet's source, what it is (its month from its name, its month column), and the
    index of that column."""
    try:
        month = sheet_month(sheet, [t.text for t in source.titles], year)
        try:
            index = month_column(source.header, wanted, source.column, source.header_where)
        except BadInput:  # --month-column this sheet lacks: its name may give the month
            if month is None:
                raise
            index = None
    except BaseException:
        source.close()
        raise
    column = source.header[index] if index is not None else None
    part = SheetPart(name=sheet, column=source.column_name, month=month, month_column=column)
    return source, part, index
