"""What a terminal is shown: the one neutraliser every human-facing text goes through.

Text from a user's file (a topic's title, a payroll's names, a file name) may hold what
a terminal obeys rather than shows: ESC sequences that clear the screen, set the window
title or write the clipboard (OSC 52), C1 controls, bidi overrides that reorder what
follows, zero-width characters that hide text. Tables and Markdown are for people and
are always neutralised; csv, tsv, json, ics and html are data and are neutralised only
when written to a terminal (JSON losslessly, as \\uXXXX escapes).
"""

import re
from pathlib import Path
from typing import TextIO, cast

from hzcity.errors import InvalidData
from hzcity.lines import LineDict

# Control characters in a cell (a user fact's escape sequence, a stray CR) must not reach the
# terminal, nor bidi overrides and isolates (they reorder what follows) or zero-width
# characters (they hide text and break width sums): a tab is a space, the rest show as
# U+FFFD. Line feeds are line breaks.
_INVISIBLE = [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0x061C,
              0xFEFF]  # fmt: skip
_OBEYED = [c for c in [*range(0x20), *range(0x7F, 0xA0), *_INVISIBLE] if c != 0x0A]
_CONTROLS = {c: "\ufffd" for c in _OBEYED} | {0x09: " "}
# Data on a terminal keeps its tabs (tsv's separators) and line feeds.
_DATA = {c: "\ufffd" for c in _OBEYED if c != 0x09}
_DATA_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _DATA) + "]")  # what no file holds
# JSON already escapes C0 controls; the rest as \uXXXX: the same string to a JSON reader.
_JSON = {c: f"\\u{c:04x}" for c in _OBEYED if c >= 0x7F}


def check_text(data: object, path: Path, key: object = "", line: int = 0) -> None:
    """InvalidData at the line of the first text of a parsed file (a key or a value) that
    holds a character a terminal would obey: ESC, CR, a bidi override... Such text reaches
    terminals, CSV and .ics files, so no fact or parameter file may hold it: this is the
    one check of it, for topics, units and parameters, at load and in validate."""
    if isinstance(data, LineDict):
        for name, value in data.items():
            check_text(name, path, name, data.line_of(name))
            check_text(value, path, name, data.line_of(name))
    elif isinstance(data, list):
        for item in data:
            check_text(item, path, key, line)
    elif isinstance(data, str) and (found := _DATA_RE.search(data)):  # a tab, a line feed: shown
        raise InvalidData(
            f"{path}:{line}: {key} holds U+{ord(found[0]):04X}, a control character a "
            "terminal would obey rather than show; remove it"
        )


def printable(text: str) -> str:
    """``text`` safe for a terminal: control, bidi and zero-width characters shown as
    U+FFFD, a tab as a space, line feeds kept; one character for one, so offsets hold."""
    return text.translate(_CONTROLS)


def on_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


class _Shown:
    """A text stream that writes through a translation table: what a terminal would obey
    goes out as something it shows."""

    def __init__(self, out: TextIO, table: dict[int, str]) -> None:
        self._out, self._table = out, table

    def write(self, text: str) -> int:
        return self._out.write(text.translate(self._table))

    def __getattr__(self, name: str) -> object:  # encoding, flush, isatty... as the stream's
        return getattr(self._out, name)


def screened(out: TextIO, *, json: bool = False) -> TextIO:
    """``out`` itself in a pipe or file; on a terminal, a stream that neutralises what data
    written to it (csv, tsv, ics, html; ``json``: escaped) holds."""
    if not on_terminal(out):
        return out
    return cast(TextIO, _Shown(out, _JSON if json else _DATA))
