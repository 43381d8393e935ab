"""JSON-lines payrolls: one object a line, the first one's keys as the header."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO

from hzcity.errors import BadInput
from hzcity.i18n import Given, Phrase
from hzcity.payroll.formats import InputFormat, Reading, Wanted, line_ref
from hzcity.payroll.text import Decoder, RawRow

FORMATS: tuple[InputFormat, ...] = (InputFormat.jsonl,)
OPTIONS: frozenset[str] = frozenset({"encoding"})  # the first object's keys are the header
SEEKS = False

# "\ud800" is valid JSON but no character: no UTF-8 writer could echo it
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Duplicate(Exception):
    """A key twice in one object: Python's json keeps the last value without a word."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def detect(name: str, head: bytes) -> bool:
    """Whether text starting with ``head`` is JSON lines: its first character is '{'."""
    return head.lstrip(codecs.BOM_UTF8).lstrip()[:1] == b"{"


def read(file: IO[bytes], name: str, wanted: Wanted) -> Reading:
    decoder = Decoder(name, wanted.encoding)
    raw = rows(decoder.lines(file), decoder, name)
    return Reading(format=InputFormat.jsonl, raw=raw, where=line_ref(name), decoder=decoder,
                   header_row=False)  # fmt: skip


def rows(lines: Iterable[str], decoder: Decoder, name: str) -> Iterator[RawRow]:
    """The first object's keys as the header row, then one row per line in that order. A
    line that cannot be read is a row error; the first line, which names the columns, a
    BadInput."""
    keys: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        record, error = _record(line)
        error = decoder.error(number, number) or error
        if keys is None:
            error = error or _characters(list(record))
            if error:
                raise BadInput(Phrase("{where}: {why}", where=f"{name}:{number}", why=error))
            keys = list(record)
            yield RawRow(number=number, cells=keys)
        elif not error and record.keys() != set(keys):
            error = Phrase("keys {keys} differ from the first line's", keys=list(record))
        cells = [_json_text(record.get(k)) for k in keys]
        yield RawRow(number=number, cells=cells, error=error or _characters(cells))


def _record(line: str) -> tuple[dict[str, object], str | None]:
    """The object on a line, or why there is none."""
    try:  # numbers keep their text
        record = json.loads(line, parse_float=str, parse_int=str, object_pairs_hook=_unique)
    except json.JSONDecodeError as exc:
        return {}, Phrase(
            "not JSON: {why} at column {column}", why=Given(en=exc.msg), column=exc.colno
        )
    except _Duplicate as exc:
        return {}, Phrase("the key {name!r} appears twice in one object", name=exc.key)
    except RecursionError:  # [[[[...]]]] a hundred thousand deep
        return {}, Phrase("JSON nested too deeply")
    if not isinstance(record, dict):
        return {}, Phrase("not a JSON object")
    return record, None


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return record


def _characters(cells: list[str]) -> str | None:
    """Why a row's text cannot be written: a lone surrogate escape, None when it can."""
    found = _SURROGATE.search("".join(cells))
    return (
        Phrase("a lone surrogate escape {escape} is no character", escape=f"\\u{ord(found[0]):04x}")
        if found
        else None
    )


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # true/false, lists and objects as JSON
