"""CSV and TSV payrolls: the delimiter told from the header, rows as the csv module reads them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from hzcity.errors import BadInput
from hzcity.labels import Phrase
from hzcity.payroll.text import Decoder, RawRow

HEADER_SEARCH = 20  # lines searched for the header before asking for --column
DELIMITERS = "\t,;"  # in order of preference when a line holds as many of each


def lookahead(lines: Iterator[str]) -> tuple[list[str], Iterator[str]]:
    """Lines up to the first holding a delimiter (a title row may hold none), and the rest."""
    buffered = []
    for line in lines:
        buffered.append(line)
        if any(d in line for d in DELIMITERS) or len(buffered) == HEADER_SEARCH:
            break
    return buffered, lines


def sniff(lines: list[str]) -> str:
    """The delimiter most frequent in the last buffered line (tab, comma, semicolon)."""
    counts = [lines[-1].count(d) if lines else 0 for d in DELIMITERS]
    best = max(counts)
    return DELIMITERS[counts.index(best)] if best else ","


def rows(lines: Iterable[str], decoder: Decoder, delimiter: str, name: str) -> Iterator[RawRow]:
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    last = 0
    try:
        for cells in reader:
            first, last = last + 1, reader.line_num
            yield RawRow(first, cells, decoder.error(first, last))
    except csv.Error as exc:  # an unclosed quote...: what follows cannot be trusted
        raise BadInput(Phrase("csv.malformed", where=f"{name}:{last + 1}", why=exc)) from None
