"""CSV and TSV payrolls: the delimiter told from the header, rows as the csv module reads them."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import IO

from hzcity.errors import BadInput
from hzcity.i18n import Given, Phrase
from hzcity.payroll.formats import InputFormat, Reading, Wanted, line_ref
from hzcity.payroll.text import Decoder, RawRow

FORMATS: tuple[InputFormat, ...] = (InputFormat.csv, InputFormat.tsv)
OPTIONS: frozenset[str] = frozenset({"encoding", "delimiter", "header_row"})
SEEKS = False

HEADER_SEARCH = 20  # lines searched for the header before asking for --column
DELIMITERS = "\t,;"  # in order of preference when a line holds as many of each


def detect(name: str, head: bytes) -> bool:
    """Any text: the reader asked last."""
    return True


def read(file: IO[bytes], name: str, wanted: Wanted) -> Reading:
    """CSV or TSV (told by the delimiter that splits a line into a header), decoded."""
    decoder = Decoder(name, wanted.encoding)
    delimiter = wanted.delimiter
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise BadInput(
            Phrase(
                "{source}: the delimiter must be one character, not a quote or line end",
                source=name,
            )
        )
    lines = decoder.lines(file)
    if delimiter is None:
        buffered, lines = lookahead(lines, wanted.is_header)
        delimiter = sniff(buffered, wanted.is_header)
        lines = chain(buffered, lines)
    return Reading(format=InputFormat.tsv if delimiter == "\t" else InputFormat.csv,
                   raw=rows(lines, decoder, delimiter, name), where=line_ref(name),
                   decoder=decoder, delimiter=delimiter)  # fmt: skip


def lookahead(
    lines: Iterator[str], is_header: Callable[[list[str]], bool]
) -> tuple[list[str], Iterator[str]]:
    """Lines up to the first that ``is_header`` under some delimiter (at most HEADER_SEARCH),
    and the rest."""
    buffered = []
    for line in lines:
        buffered.append(line)
        if _header_delimiter(line, is_header) or len(buffered) == HEADER_SEARCH:
            break
    return buffered, lines


def sniff(lines: list[str], is_header: Callable[[list[str]], bool]) -> str:
    """The delimiter that splits a line into a header (``is_header``: it names the salary
    column), so that a ';' in a title row above it counts for nothing; else the one most
    frequent in the first line holding any (tab, comma, semicolon)."""
    for line in lines:
        found = _header_delimiter(line, is_header)
        if found:
            return found
    for line in lines:
        counts = [line.count(d) for d in DELIMITERS]
        if max(counts):
            return DELIMITERS[counts.index(max(counts))]
    return ","


def _header_delimiter(line: str, is_header: Callable[[list[str]], bool]) -> str | None:
    """The delimiter under which ``line`` is a header (',' for a single cell), if any."""
    for delimiter in [d for d in DELIMITERS if d in line] or [","]:
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:  # a quote left open: not this delimiter's header
            continue
        if is_header(cells):
            return delimiter
    return None


def rows(lines: Iterable[str], decoder: Decoder, delimiter: str, name: str) -> Iterator[RawRow]:
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    bad_lines = decoder.bad_lines  # (the decoder's own dict: no call per row while it is empty)
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            error = decoder.error(first, last) if bad_lines else None
            yield RawRow(number=first, cells=cells, error=error)
    except csv.Error as exc:  # an unclosed quote...: what follows cannot be trusted
        raise BadInput(
            Phrase(
                "{where}: malformed CSV: {why}", where=f"{name}:{last + 1}", why=Given(en=str(exc))
            )
        ) from None
