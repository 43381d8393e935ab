"""Payroll text as lines: bytes decoded line by line (UTF-8, else GB18030, or the encoding
named), shared by the delimited and JSON-lines readers."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, NamedTuple

from hzcity.errors import BadInput
from hzcity.labels import Phrase


class RawRow(NamedTuple):
    """A row as a reader found it, before the header and the salary column are known."""

    number: int  # line of a text file, row of a sheet
    cells: list[str]
    error: str | None = None  # the whole row (bytes not in the encoding, bad JSON...)
    cell_problems: dict[int, str] | None = None  # column index -> why not an amount


class Decoder:
    """Bytes to text line by line: UTF-8 (BOM or not) unless the first non-ASCII line is not
    UTF-8, then GB18030; a line invalid in the encoding becomes a row error, not a crash."""

    def __init__(self, name: str, encoding: str | None) -> None:
        self.name = name
        self.encoding = _codec(encoding, name) if encoding else None
        self.bad_lines: dict[int, str] = {}

    def lines(self, file: IO[bytes]) -> Iterator[str]:
        for number, line in enumerate(file, 1):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
                self.encoding = self.encoding or "utf-8-sig"
            if self.encoding is None:
                if line.isascii():
                    yield line.decode("ascii")
                    continue
                self.encoding = "gb18030" if _invalid(line, "utf-8") else "utf-8"
            try:
                yield line.decode(self.encoding)
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start : exc.end]
                self.bad_lines[number] = Phrase(
                    "line.encoding", bytes=bad, at=exc.start + 1, encoding=self.encoding
                )
                yield line.decode(self.encoding, "replace")

    def error(self, first: int, last: int) -> str | None:
        """The decoding error of a line in first..last (a row's lines), if there was one."""
        if not self.bad_lines:
            return None
        found = [self.bad_lines.pop(n) for n in range(first, last + 1) if n in self.bad_lines]
        return found[0] if found else None


def _codec(encoding: str, name: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BadInput(Phrase("encoding.unknown", source=name, encoding=encoding)) from None
    if codec.startswith(("utf-16", "utf-32")):  # lines are split on the byte b"\n"
        raise BadInput(Phrase("encoding.wide", source=name, codec=codec))
    try:
        b"a".decode(codec, "ignore")  # (an empty string never reaches the codec)
    except LookupError:  # rot13, base64, zlib...: codecs, but not of text
        raise BadInput(Phrase("encoding.not_text", source=name, encoding=encoding)) from None
    return codec


def _invalid(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False
