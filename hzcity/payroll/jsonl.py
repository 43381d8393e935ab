"""JSON-lines payrolls: one object a line, the first one's keys as the header."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator

from hzcity.labels import Phrase
from hzcity.payroll.text import Decoder, RawRow


def detect(head: bytes) -> bool:
    """Whether text starting with ``head`` is JSON lines: its first character is '{'."""
    return head.lstrip(codecs.BOM_UTF8).lstrip()[:1] == b"{"


def rows(lines: Iterable[str], decoder: Decoder) -> Iterator[RawRow]:
    """The first object's keys as the header row, then one row per line in that order."""
    keys: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        error = decoder.error(number, number)
        try:
            record = json.loads(line, parse_float=str, parse_int=str)  # numbers keep their text
        except json.JSONDecodeError as exc:
            record, error = {}, error or Phrase("json.bad", why=exc.msg, column=exc.colno)
        if not isinstance(record, dict):
            record, error = {}, error or Phrase("json.not_object")
        if keys is None:
            keys = list(record)
            yield RawRow(number, keys, error)
        elif not error and record.keys() != set(keys):
            error = Phrase("json.keys", keys=list(record))
        yield RawRow(number, [_json_text(record.get(k)) for k in keys], error)


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)  # true/false, lists and objects as JSON
