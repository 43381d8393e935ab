"""The input formats as one registry, and the seam every reader meets: a reader module has
``FORMATS`` (what it reads), ``OPTIONS`` (the reading options that fit it), ``detect(name,
head)`` and ``read(file, name, wanted)``; ``source.READERS`` asks them in turn."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any, Protocol

from hzcity.notes import Note
from hzcity.payroll.text import Decoder, RawRow

# Which sheet of a workbook to compute when none is named: given each visible sheet's name
# and its rows as text (read when asked), the name chosen and notes saying why.
ChooseSheet = Callable[[Sequence[tuple[str, Callable[[], Iterable[list[str]]]]]],
                       tuple[str, list[Note]]]  # fmt: skip


class InputFormat(StrEnum):
    csv = "csv"
    tsv = "tsv"
    jsonl = "jsonl"
    xlsx = "xlsx"
    xls = "xls"
    ods = "ods"

    @property
    def workbook(self) -> bool:
        """A workbook's rows come from cells: padded, typed, with sheets and no encoding."""
        return self in (InputFormat.xlsx, InputFormat.xls, InputFormat.ods)


@dataclass(frozen=True, kw_only=True)
class Wanted:
    """What the user asked of the reading (None: told from the file), and how to know the
    header when a reader must look for it."""

    is_header: Callable[[list[str]], bool]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    max_unpacked: int | None = None
    choose_sheet: ChooseSheet | None = None


@dataclass(frozen=True, kw_only=True)
class Reading:
    """A file as its reader opened it: rows not yet read, and where each cell is."""

    format: InputFormat
    raw: Iterator[RawRow]
    where: Callable[[int, int], str]  # 'file:7' or 'file:Sheet!C7' for a row and column
    close: Callable[[], None] = lambda: None  # what the reader opened of its own
    decoder: Decoder | None = None
    delimiter: str | None = None
    sheet: str | None = None
    book: Any = None  # a workbook's open sheet (hzcity.payroll.workbook.Sheet)
    header_row: bool = True  # whether --header-row can choose the header
    notes: tuple[Note, ...] = ()  # what the reader chose (a sheet) and why


def line_ref(name: str) -> Callable[[int, int], str]:
    """'file:7': a text file's rows are its lines."""
    return lambda number, _column: f"{name}:{number}"


class Reader(Protocol):
    """A reader module, as ``source.READERS`` holds it."""

    FORMATS: tuple[InputFormat, ...]  # the formats it reads
    OPTIONS: frozenset[str]  # PayrollOptions fields that fit: sheet, encoding, delimiter...
    SEEKS: bool  # reads from the end (a zip): a pipe is held in memory first

    def detect(self, name: str, head: bytes) -> bool: ...

    def read(self, file: IO[bytes], name: str, wanted: Wanted) -> Reading: ...
