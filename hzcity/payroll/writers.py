"""Payroll answers written to a file, its format by extension: .csv for Excel on a Chinese
Windows, plain .tsv and .jsonl, or an .xlsx with numbers as numbers; all or nothing."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from hzcity.errors import BadInput, os_reason
from hzcity.labels import Phrase

FORMATS = (".csv", ".tsv", ".jsonl", ".xlsx")
# OWASP, CSV injection: a cell starting with one of these is a formula to a spreadsheet...
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...unless it is a number, which a spreadsheet reads as one ("-500" is a deduction).
_NUMBER = re.compile(r"[-+]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?\Z")
_PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]+)?\Z")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a workbook's XML


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
        raise BadInput(Phrase("output.suffix", path=path, suffixes=list(FORMATS)))
    if not target.parent.is_dir():
        raise BadInput(Phrase("output.no_directory", path=path, directory=str(target.parent)))
    if source not in (None, "-") and _same_file(target, Path(source)):
        raise BadInput(Phrase("output.is_input", path=path))
    if suffix == ".xlsx":
        return _WorkbookOutput(target, header, amounts, sheet_titles)
    return _TextOutput(target, header, amounts, suffix)


def neutralised(cell: str) -> str:
    """A cell as text a spreadsheet will not run: a leading ' before a formula's first sign."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


class PayrollOutput(AbstractContextManager["PayrollOutput"]):
    """Rows go to a temporary file beside the target; ``close`` renames it into place and
    leaving the ``with`` block without ``close`` (an error) removes it."""

    def __init__(self, target: Path, header: Sequence[str], amounts: Collection[int]) -> None:
        self.target, self.header, self.amounts = target, list(header), frozenset(amounts)
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        except OSError as exc:
            raise BadInput(Phrase("file.unwritable", path=target, why=os_reason(exc))) from None
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
            raise BadInput(
                Phrase("file.unwritable", path=self.target, why=os_reason(exc))
            ) from None
        self._done = True

    def discard(self) -> None:
        """Remove the unfinished file; the target is left as it was."""
        if not self._done:
            self._release()
            self._draft.unlink(missing_ok=True)
            self._done = True

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
        from hzcity.output.render import Format

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
        from hzcity.output.render import stream

        # stream() writes its first row as the header line in tsv and takes it for the keys
        # in json: one call per row gives the bytes hzcity writes on standard output.
        stream([list(r) for r in rows], self._format, self._file)

    def _finish(self, totals: Sequence[str] | None, rates: Sequence[Mapping[str, str]]) -> None:
        self._file.close()

    def _release(self) -> None:
        self._file.close()


class _WorkbookOutput(PayrollOutput):
    """An .xlsx written by XlsxWriter in constant-memory mode: amounts as numbers shown with
    two decimals, input cells always as strings (never formulas, URLs or numbers)."""

    def __init__(
        self,
        target: Path,
        header: Sequence[str],
        amounts: Collection[int],
        sheet_titles: tuple[str, str],
    ) -> None:
        super().__init__(target, header, amounts)
        import xlsxwriter

        # Turning a leading "=" into a formula is XlsxWriter's default for write(); every
        # cell here goes through write_string or write_number, and these options say so too.
        self._book = xlsxwriter.Workbook(
            str(self._draft),
            {"constant_memory": True, "strings_to_formulas": False,
             "strings_to_numbers": False, "strings_to_urls": False},
        )  # fmt: skip
        self._sheet_titles = sheet_titles
        self._money = self._book.add_format({"num_format": "0.00"})
        self._bold = self._book.add_format({"bold": True})
        self._bold_money = self._book.add_format({"num_format": "0.00", "bold": True})
        self._layouts: dict[tuple[str, bool], Any] = {}
        self._sheet = self._add_sheet(sheet_titles[0], self.header)
        self._row = 1

    def write_row(self, cells: Sequence[str]) -> None:
        self._put(cells, bold=False)

    def _put(self, cells: Sequence[str], bold: bool) -> None:
        for index, text in enumerate(cells):
            if index in self.amounts and text:
                # a double holds any two-decimal amount below 10^13 yuan exactly as shown
                style = self._bold_money if bold else self._money
                self._sheet.write_number(self._row, index, float(text), style)
            elif (shown := _shown_number(text)) is not None:  # 应发工资: a SUM must work
                value, layout = shown
                self._sheet.write_number(self._row, index, value, self._layout(layout, bold))
            elif text:
                self._sheet.write_string(self._row, index, _printable(text),
                                         self._bold if bold else None)  # fmt: skip
        self._row += 1

    def _layout(self, layout: str, bold: bool) -> Any:
        """One XlsxWriter format per number layout (and boldness), made once."""
        key = (layout, bold)
        if key not in self._layouts:
            self._layouts[key] = self._book.add_format({"num_format": layout, "bold": bold})
        return self._layouts[key]

    def _finish(self, totals: Sequence[str] | None, rates: Sequence[Mapping[str, str]]) -> None:
        if totals is not None:
            self._put(totals, bold=True)
        if rates:
            sheet = self._add_sheet(self._sheet_titles[1], list(rates[0]))
            for number, rate in enumerate(rates, 1):
                for index, value in enumerate(rate.values()):
                    sheet.write_string(number, index, _printable(value))
        self._book.close()

    def _add_sheet(self, title: str, header: Sequence[str]) -> Any:
        from hzcity.output.table import cells

        sheet = self._book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        for index, name in enumerate(header):
            sheet.write_string(0, index, _printable(name), self._bold)
            sheet.set_column(index, index, min(max(cells(name) + 2, 10), 40))  # header shown whole
        return sheet

    def _release(self) -> None:
        """Nothing to end: XlsxWriter writes the file only when closed."""


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


def _printable(text: str) -> str:
    """Control characters, which XML cannot carry, shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
