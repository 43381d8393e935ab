"""Payroll text as lines: bytes decoded line by line (UTF-8, else GB18030, or the encoding
named), shared by the delimited and JSON-lines readers."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, NamedTuple

from hzcity.errors import BadInput, os_reason
from hzcity.i18n import Phrase

# A line longer than this is no payroll row (/dev/zero, a binary file): refused, not held
# in memory. A JSON line of a hundred fields is a few kilobytes.
MAX_LINE = 1 << 20
# Codecs that decode ASCII bytes as ASCII but are no file encodings: host names, escapes.
NOT_FILE_ENCODINGS = frozenset({"idna", "punycode", "undefined", "unicode-escape",
                                "raw-unicode-escape"})  # fmt: skip
_ASCII = bytes(range(128))
CHUNK = 1 << 16  # bytes read at a time


class RawRow(NamedTuple):
    """A row as a reader found it, before the header and the salary column are known.

    A NamedTuple, not a frozen dataclass: as immutable and built by keyword, but made at a
    third of the cost, which counts once per row of a million-row payroll."""

    number: int  # line of a text file, row of a sheet
    cells: list[str]
    error: str | None = None  # the whole row (bytes not in the encoding, bad JSON...)
    cell_problems: dict[int, str] | None = None  # column index -> why not an amount
    values: list[object] | None = None  # a workbook's cells as typed


class Decoder:
    """Bytes to text line by line: UTF-8 (BOM or not) unless the first non-ASCII line is not
    UTF-8, then GB18030; a line invalid in the encoding becomes a row error, not a crash.

    A guessed GB18030 file must stay GB18030: a later line that is UTF-8 (whose bytes
    GB18030 would also take, as other characters) is a row error, not mojibake."""

    def __init__(self, name: str, encoding: str | None) -> None:
        self.name = name
        self.encoding = _codec(encoding, name) if encoding else None
        self.guessed = False  # the encoding was told from the bytes, not named
        self.bad_lines: dict[int, str] = {}

    def lines(self, file: IO[bytes]) -> Iterator[str]:
        for number, line in enumerate(split_lines(file, self.name), 1):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
                self.encoding = self.encoding or "utf-8-sig"
            if self.encoding is None:
                if line.isascii():
                    yield line.decode("ascii")
                    continue
                self.encoding = "gb18030" if _invalid(line, "utf-8") else "utf-8"
                self.guessed = True
            elif self.guessed and self.encoding == "gb18030" and _utf8_beyond_ascii(line):
                self.bad_lines[number] = Phrase(
                    "UTF-8 text in a file read as {encoding} up to "
                    "here: mixed encodings; save the file in one "
                    "encoding, or name it with --encoding",
                    encoding=self.encoding,
                )
            try:
                yield line.decode(self.encoding)
            except UnicodeError as exc:  # (a codec's own errors are UnicodeErrors too)
                self.bad_lines[number] = _undecodable(exc, self.encoding)
                yield line.decode(self.encoding, "replace")

    def error(self, first: int, last: int) -> str | None:
        """The decoding error of a line in first..last (a row's lines), if there was one."""
        if not self.bad_lines:
            return None
        found = [self.bad_lines.pop(n) for n in range(first, last + 1) if n in self.bad_lines]
        return found[0] if found else None


def split_lines(file: IO[bytes], name: str) -> Iterator[bytes]:
    """The lines of ``file`` with their ends, which are LF, CRLF or a lone CR (as Python's
    universal newlines and the csv module take them); BadInput for a line over MAX_LINE
    bytes or a file that fails while read. Read in chunks: as fast as iterating the file."""
    read = getattr(file, "read1", file.read)  # what is there: a pipe is not waited on
    carry, number = b"", 0
    try:
        while chunk := read(CHUNK):
            lines = (carry + chunk).splitlines(keepends=True)  # bytes split on \n, \r only
            last = lines[-1]
            # an unended last line, or a CR that may be half of a CRLF, waits for more
            carry = last if not last.endswith(b"\n") else b""
            if carry:
                lines.pop()
            number += len(lines)
            yield from lines
            if len(carry) > MAX_LINE:
                raise BadInput(
                    Phrase(
                        "{where}: a line longer than {limit:,} bytes; not a "
                        "payroll (a binary file or a device?)",
                        where=f"{name}:{number + 1}",
                        limit=MAX_LINE,
                    )
                )
    except OSError as exc:  # a device or network file failing mid-way: a read error
        raise BadInput(
            Phrase("{source}: cannot read: {why}", source=name, why=os_reason(exc))
        ) from None
    if carry:
        yield carry


def _undecodable(exc: UnicodeError, encoding: str) -> str:
    if isinstance(exc, UnicodeDecodeError):
        bad = exc.object[exc.start : exc.end]
        return Phrase(
            "bytes {bytes!r} at byte {at} are not {encoding} text; name the file's "
            "encoding with --encoding",
            bytes=bad,
            at=exc.start + 1,
            encoding=encoding,
        )
    return Phrase("not {encoding} text ({why})", encoding=encoding, why=str(exc))


def _codec(encoding: str, name: str) -> str:
    """The codec's name, if it reads a payroll file line by line: an ASCII-compatible text
    encoding (delimiters and line ends are ASCII bytes); BadInput naming it otherwise."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BadInput(
            Phrase("{source}: unknown encoding {encoding!r}", source=name, encoding=encoding)
        ) from None
    if codec.startswith(("utf-16", "utf-32")):  # lines are split on the byte b"\n"
        raise BadInput(
            Phrase(
                "{source}: {codec} text is not read; save it as UTF-8 CSV or .xlsx",
                source=name,
                codec=codec,
            )
        )
    try:  # rot13, base64, zlib: codecs, not of text; utf-7, EBCDIC: not ASCII-compatible
        fits = codec not in NOT_FILE_ENCODINGS and _ASCII.decode(codec) == _ASCII.decode("ascii")
    except (LookupError, UnicodeError):
        fits = False
    if not fits:
        raise BadInput(
            Phrase(
                "{source}: {encoding!r} is not an encoding text files are saved "
                "in (e.g. utf-8, gb18030)",
                source=name,
                encoding=encoding,
            )
        )
    return codec


def _utf8_beyond_ascii(line: bytes) -> bool:
    return not line.isascii() and not _invalid(line, "utf-8")


def _invalid(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return True
    return False
