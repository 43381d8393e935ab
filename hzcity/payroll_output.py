"""Payroll answers written to a file, its format by extension: .csv for Excel on a Chinese
Windows, plain .tsv and .jsonl, or an .xlsx with numbers as numbers; all or nothing."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from hzcity.errors import BadInput

FORMATS = (".csv", ".tsv", ".jsonl", ".xlsx")
# OWASP, CSV injection: a cell starting with one of these is a formula to a spreadsheet...
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...unless it is a number, which a spreadsheet reads as one ("-500" is a deduction).
_NUMBER = re.compile(r"[-+]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?\Z")


def open_output(
    path: str,
    header: Sequence[str],
    amounts: Collection[int],
    *,
    source: str | None = None,
    sheet_titles: tuple[str, str] = ("premiums", "rates"),
) -> PayrollOutput:
    """A writer for ``path``, its format by extension. ``amounts`` are the indexes of the
    computed columns (two-decimal text, written as numbers in .xlsx); every other cell is
    data copied from the input ``source``, which is never overwritten."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise BadInput(f"{path}: the output file must end in {', '.join(FORMATS)}")
    if not target.parent.is_dir():
        raise BadInput(f"{path}: no such directory {str(target.parent)!r}")
    if source not in (None, "-") and _same_file(target, Path(source)):
        raise BadInput(f"{path}: is the input file; write the answer to another file")
    if suffix == ".xlsx":
        return _WorkbookOutput(target, header, amounts, sheet_titles)
    return _TextOutput(target, header, amounts, suffix)


def neutralised(cell: str) -> str:
    """A cell as text a spreadsheet will not run: a leading ' before a formula's first sign."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


class PayrollOutput:
    """Rows go to a temporary file beside the target; ``close`` renames it into place and
    leaving the ``with`` block without ``close`` (an error) removes it."""

    def __init__(self, target: Path, header: Sequence[str], amounts: Collection[int]) -> None:
        self.target, self.header, self.amounts = target, list(header), frozenset(amounts)
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        except OSError as exc:
            raise BadInput(f"{target}: cannot write: {exc.strerror or exc}") from None
        os.close(handle)
        self._draft, self._done = Path(temporary), False

    def write_row(self, cells: Sequence[str]) -> None:
        """One row, as wide as the header, every cell as text."""
        raise NotImplementedError

    def close(
        self, totals: Sequence[str] | None = None, rates: Sequence[Mapping[str, str]] = ()
    ) -> None:
        """Finish the file (.xlsx: a ``totals`` row and a sheet of ``rates`` used, each a
        mapping of column to text) and move it into place."""
        if self._done:
            return
        try:
            self._finish(totals, rates)
            self._draft.chmod(0o666 & ~_umask())  # mkstemp's 0600 is for the draft only
            self._draft.replace(self.target)
        except OSError as exc:
            self.discard()
            raise BadInput(f"{self.target}: cannot write: {exc.strerror or exc}") from None
        self._done = True

    def discard(self) -> None:
        """Remove the unfinished file; the target is left as it was."""
        if not self._done:
            self._release()
            self._draft.unlink(missing_ok=True)
            self._done = True

    def __enter__(self) -> PayrollOutput:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()

    def _finish(self, totals: Sequence[str] | None, rates: Sequence[Mapping[str, str]]) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        """Close what the format holds open."""


class _TextOutput(PayrollOutput):
    """.csv as Excel on a Chinese Windows reads it (UTF-8 with BOM, CRLF, input cells
    neutralised); .tsv and .jsonl exactly as hzcity writes them on standard output."""

    def __init__(
        self, target: Path, header: Sequence[str], amounts: Collection[int], suffix: str
    ) -> None:
        super().__init__(target, header, amounts)
        from hzcity.render import Format

        self._excel = suffix == ".csv"
        self._format = Format.tsv if suffix == ".tsv" else Format.json
        self._file: TextIO = open(  # noqa: SIM115  (closed by close or discard)
            self._draft, "w", encoding="utf-8-sig" if self._excel else "utf-8", newline=""
        )
        if self._excel:
            self._csv = csv.writer(self._file, lineterminator="\r\n")
            self._csv.writerow(neutralised(c) for c in self.header)
        elif self._format is Format.tsv:
            self._plain([self.header])

    def write_row(self, cells: Sequence[str]) -> None:
        if self._excel:
            amounts = self.amounts
            self._csv.writerow(c if i in amounts else neutralised(c) for i, c in enumerate(cells))
        elif self._format is self._format.json:
            self._plain([self.header, cells])
        else:
            self._plain([cells])

    def _plain(self, rows: list[Sequence[str]]) -> None:
        from hzcity.render import stream

        # stream() writes its first row as the header line in tsv and takes it for the keys
        # in json: one call per row gives the bytes hzcity writes on standard output.
        stream([list(r) for r in rows], self._format, self._file)

    def _finish(self, totals: Sequence[str] | None, rates: Sequence[Mapping[str, str]]) -> None:
        self._file.close()

    def _release(self) -> None:
        self._file.close()


class _WorkbookOutput(PayrollOutput):
    """An .xlsx written in openpyxl's write-only mode (constant memory): amounts as numbers
    shown with two decimals, input cells as text strings, never as formulas."""

    def __init__(
        self,
        target: Path,
        header: Sequence[str],
        amounts: Collection[int],
        sheet_titles: tuple[str, str],
    ) -> None:
        super().__init__(target, header, amounts)
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self._book: Any = Workbook(write_only=True)
        self._sheet_titles = sheet_titles
        self._bold = Font(bold=True)
        self._sheet = self._add_sheet(sheet_titles[0], self.header)

    def write_row(self, cells: Sequence[str]) -> None:
        self._sheet.append([self._cell(i, c) for i, c in enumerate(cells)])

    def _finish(self, totals: Sequence[str] | None, rates: Sequence[Mapping[str, str]]) -> None:
        if totals is not None:
            self._sheet.append([self._cell(i, c, bold=True) for i, c in enumerate(totals)])
        if rates:
            sheet = self._add_sheet(self._sheet_titles[1], list(rates[0]))
            for rate in rates:
                sheet.append([self._text(sheet, v) for v in rate.values()])
        self._book.save(self._draft)

    def _add_sheet(self, title: str, header: Sequence[str]) -> Any:
        sheet = self._book.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append([self._text(sheet, name, bold=True) for name in header])
        return sheet

    def _cell(self, index: int, text: str, bold: bool = False) -> Any:
        if index not in self.amounts or not text:
            return self._text(self._sheet, text, bold)
        from openpyxl.cell import WriteOnlyCell

        # openpyxl takes Decimal (its stubs say not) and writes it as "%.16g": exact for any
        # amount or total below 10^14 yuan
        cell = WriteOnlyCell(self._sheet, value=Decimal(text))  # type: ignore[arg-type]
        cell.number_format = "0.00"
        if bold:
            cell.font = self._bold
        return cell

    def _text(self, sheet: Any, text: str, bold: bool = False) -> Any:
        """A string cell. openpyxl stores a string starting with '=' as a formula and '#N/A'
        as an error, and refuses control characters: those get a cell typed as a string."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
        if not (bold or text.startswith("=") or text in ERROR_CODES):
            return text  # a plain value is much cheaper than a cell of its own
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        if bold:
            cell.font = self._bold
        return cell

    def _release(self) -> None:
        for sheet in self._book.worksheets:  # ends openpyxl's row writers before the discard
            if not sheet.closed:
                sheet.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
