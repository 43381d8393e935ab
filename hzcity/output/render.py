"""Turn rows of plain data into table | json | csv | tsv | md; knows nothing of any topic.

table and md show the columns a caller picks for people; json, csv and tsv carry
every field of every record, for scripts. Tables are drawn by hzcity.output.table; what
a terminal would obey rather than show is neutralised by hzcity.output.screen.
"""

import gc
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import chain, islice
from typing import Any, TextIO, cast

from hzcity.output.screen import on_terminal, printable, screened

CHUNK = 4096  # rows per write in streaming mode
_TSV_BLANKS = str.maketrans("\t\r\n", "   ")
_BIG = re.compile(r"([0-9]{4,})(\.[0-9]+)?\Z")  # a plain figure of four digits or more


class Format(StrEnum):
    """Every format hzcity writes to stdout: the one registry, with ``FILES`` the formats of
    answer files. Which ones a command offers is one of the groups below (an --format option
    is built from a group)."""

    table = "table"
    json = "json"  # one JSON document
    jsonl = "jsonl"  # JSON lines: one object a line
    csv = "csv"
    tsv = "tsv"
    md = "md"
    text = "text"
    html = "html"


# render(), render_one()
RECORDS = (Format.table, Format.json, Format.jsonl, Format.csv, Format.tsv, Format.md)
PAGE = (Format.text, Format.html)  # the page as printed, or one file for a browser
STREAMS = (Format.csv, Format.tsv, Format.json, Format.jsonl)  # stream(): rows as they come
JSON = (Format.json, Format.jsonl)  # records as objects: a blank or repeated header needs a key
PEOPLE = (Format.table, Format.md, Format.text)  # chosen columns and words, not every field


@dataclass(frozen=True, kw_only=True)
class FileFormat:
    """A format rows are written to a file in (``--output FILE``), told by its suffix."""

    suffix: str
    rows: Format | None  # the stdout format whose rows and keys it repeats; None: a workbook
    people: bool = False  # opened in a spreadsheet: headers in the reader's language, cells safe

    @property
    def keyed(self) -> bool:
        """Each cell is named by a key (JSON), so a blank or repeated header needs one."""
        return self.rows in JSON


FILES = {
    kind.suffix: kind
    for kind in (
        FileFormat(suffix=".csv", rows=Format.csv, people=True),  # for Excel on Chinese Windows
        FileFormat(suffix=".tsv", rows=Format.tsv),
        FileFormat(suffix=".json", rows=Format.json),
        FileFormat(suffix=".jsonl", rows=Format.jsonl),
        FileFormat(suffix=".xlsx", rows=None, people=True),
    )
}


def file_format(path: str) -> FileFormat | None:
    """The format a file is written in, by its suffix (any case); None for another suffix."""
    return FILES.get(os.path.splitext(path)[1].lower())


@dataclass(frozen=True, kw_only=True)
class Column:
    """A column shown to people: the record key and its header."""

    key: str
    header: str
    numeric: bool = False
    wrap: bool = True  # False keeps ids, amounts and dates on one line while the width allows
    grouped: bool = True  # a numeric cell's figure in thousands (False: a line number)


def grouped(text: str) -> str:
    """A figure as people read it, thousands separated from four digits on (2,585.00,
    27,060.00, 1,995,000,000), so that the figures of one column line up alike; any other
    text as it is. For people only: scripts get the figure as computed."""
    match = _BIG.match(text)
    return f"{int(match[1]):,}{match[2] or ''}" if match else text


def default_format(stream: TextIO | None = None) -> Format:
    """A table on a terminal, plain tab-separated text in a pipe (as gh does)."""
    stream = stream or sys.stdout
    return Format.table if stream.isatty() else Format.tsv


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        # <= 15 significant digits: the float's shortest repr is the same decimal text
        if len(value.as_tuple().digits) <= 15:
            return float(value)
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any, out: TextIO) -> None:
    """Pretty JSON; ASCII escapes when the stream cannot carry UTF-8."""
    ascii_only = "utf" not in (getattr(out, "encoding", None) or "utf-8").lower()
    json.dump(data, out, ensure_ascii=ascii_only, indent=2, default=_json_default)
    out.write("\n")


def _json_texts(records: Iterable[dict[str, Any]], out: TextIO) -> Iterator[str]:
    """Each record as one line of JSON (no line break); ASCII escapes when ``out`` cannot
    carry UTF-8."""
    ascii_only = "utf" not in (getattr(out, "encoding", None) or "utf-8").lower()
    for record in records:
        yield json.dumps(record, ensure_ascii=ascii_only, default=_json_default)


def json_text(record: dict[str, Any], out: TextIO) -> str:
    """One record as one line of JSON, as ``out`` takes it (no line break)."""
    return next(_json_texts([record], out))


def _json_lines(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """JSON lines: one object a line."""
    for line in _json_texts(records, out):
        out.write(line + "\n")


def array_item(text: str, *, first: bool) -> str:
    """A row's JSON ``text`` as an item of the array of rows, an item a line: the array is
    opened by the first and closed by ``array_end``."""
    return ("[\n" if first else ",\n") + text


def array_end(*, empty: bool) -> str:
    return "[]\n" if empty else "\n]\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _shown(record: dict[str, Any], column: Column) -> str:
    """A record's cell as people read it: a numeric one's figure grouped."""
    cell = _cell(record.get(column.key))
    return grouped(cell) if column.numeric and column.grouped else cell


def _flat_keys(records: Sequence[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    return list(keys)


def render(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str = "",
    caption: str = "",
    bar: str = "",
    out: TextIO | None = None,
) -> None:
    """Write a list of records; ``bar`` names a numeric key drawn as bars in a table."""
    out = out or sys.stdout
    if fmt is Format.json:
        to_json(list(records), screened(out, json=True))
    elif fmt is Format.jsonl:
        _json_lines(records, screened(out, json=True))
    elif fmt in (Format.csv, Format.tsv):
        _delimited(records, fmt, screened(out))
    elif fmt is Format.md:
        _markdown(records, columns, out)
        if caption:
            out.write(f"\n{printable(caption)}\n")
    else:
        if bar:
            records, columns = _with_bars(records, columns, bar, terminal_width(out))
        _table(records, columns, title, caption, out)


def stream(rows: Iterable[Sequence[str | None]], fmt: Format, out: TextIO | None = None) -> None:
    """Write rows as they come (constant memory); the first row is the header.

    csv and tsv keep the header line; jsonl writes one object per line (JSON lines), json
    the same objects as one array, opened with the first row and closed after the last: a
    run that stops on a bad row leaves an array no JSON reader takes for whole.
    The cycle collector is paused meanwhile: rows are short-lived, hold no reference
    cycles and are freed as soon as written, yet their allocations kept triggering
    collections (~10% of a payroll's time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        _stream(iter(rows), fmt, screened(out or sys.stdout, json=fmt in JSON))
    finally:
        if enabled:
            gc.enable()


def _stream(rows: Iterator[Sequence[str | None]], fmt: Format, out: TextIO) -> None:
    header = next(rows, None)
    if header is None:
        return
    if fmt in JSON:
        keys = cast("Sequence[str]", header)  # None is a missing amount's, never a header's
        records = (dict(zip(keys, row, strict=True)) for row in rows)
        if fmt is Format.jsonl:
            _json_lines(records, out)
            return
        count = 0
        for count, line in enumerate(_json_texts(records, out), 1):
            out.write(array_item(line, first=count == 1))
        out.write(array_end(empty=not count))
        return
    chunks = iter(lambda: list(islice(rows, CHUNK)), [])
    if fmt is Format.tsv:
        for chunk in chain([[header]], chunks):
            out.write(_tsv_lines(cast("list[Sequence[str]]", chunk)))  # None: JSON's only
        return
    # Rows are written out every CHUNK rows: one write to the text stream per row costs
    # more than the arithmetic. The header goes with the first rows, so that a first row
    # that stops the run leaves nothing written.
    head = _csv_lines([header])
    for chunk in chunks:
        out.write(head + _csv_lines(chunk))
        head = ""
    out.write(head)


def _csv_lines(rows: Sequence[Sequence[object]]) -> str:
    """Rows as CSV lines ending in LF; a cell holding a line break of either kind is quoted,
    a lone CR too (which the csv module leaves bare unless it ends lines itself)."""
    import csv  # only csv output pays for the module

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if "\r" not in text:
        return text
    # rare: each row again with CRLF line ends, which quote every cell holding a CR, the
    # row's own CRLF then back to LF
    lines = []
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def _tsv_lines(rows: Iterable[Sequence[str]]) -> str:
    """Tab-separated lines. TSV has no quoting: a tab or line break in a cell becomes a space."""
    lines = []
    for cells in rows:
        line = "\t".join(cells)
        if line.count("\t") >= len(cells) or "\n" in line or "\r" in line:
            line = "\t".join(c.translate(_TSV_BLANKS) for c in cells)
        lines.append(line + "\n")
    return "".join(lines)


def _with_bars(
    records: Sequence[dict[str, Any]], columns: Sequence[Column], key: str, width: int
) -> tuple[list[dict[str, Any]], list[Column]]:
    """Add bars for ``key``, the longest as long as the terminal leaves room for (5 to 30),
    or none when there is less room."""
    from hzcity.output.table import spare

    shown = [[_shown(r, c) for c in columns] for r in records]
    room = spare([c.header for c in columns], shown, width)
    if room < 5:  # bars only in the room the figures leave: a figure never folds for a bar
        return list(records), list(columns)
    longest = min(30, room)
    values = [Decimal(str(r[key])) for r in records]
    top = max(values, default=Decimal(0)) or Decimal(1)
    with_bars = [
        r | {"_bar": "█" * max(1, int(v / top * longest))}
        for r, v in zip(records, values, strict=True)
    ]
    return with_bars, [*columns, Column(key="_bar", header="", wrap=False)]


def render_one(
    record: dict[str, Any],
    fmt: Format,
    *,
    title: str = "",
    fields: Sequence[Column] = (),
    caption: str = "",
    out: TextIO | None = None,
) -> None:
    """Write one record: an object in JSON, one row in csv/tsv, field/value rows for people.

    ``fields`` picks, orders and names the rows people see (default: every key as it is);
    with an amount among them, values are right-aligned, as on a receipt."""
    out = out or sys.stdout
    if fmt in (*JSON, Format.csv, Format.tsv):
        if fmt is Format.json:
            to_json(record, screened(out, json=True))
        elif fmt is Format.jsonl:
            _json_lines([record], screened(out, json=True))
        else:
            _delimited([record], fmt, screened(out))
        return
    fields = fields or [Column(key=k, header=k) for k in record]
    rows = [{"field": f.header, "value": _shown(record, f)} for f in fields]
    numeric = any(f.numeric for f in fields)
    cols = [
        Column(key="field", header=""),
        Column(key="value", header="", numeric=numeric, grouped=False),
    ]  # grouped above
    render([r for r in rows if r["value"]], cols, fmt, title=title, caption=caption, out=out)


def _delimited(records: Sequence[dict[str, Any]], fmt: Format, out: TextIO) -> None:
    keys = _flat_keys(records)
    if not keys:  # no records: no header to write, and a blank line would read as a row
        return
    if fmt is Format.csv:
        out.write(_csv_lines([keys, *([_cell(r.get(k)) for k in keys] for r in records)]))
        return
    out.write(_tsv_lines([keys, *([_cell(r.get(k)) for k in keys] for r in records)]))


def _markdown(records: Iterable[dict[str, Any]], columns: Sequence[Column], out: TextIO) -> None:
    def row(cells: Iterable[str]) -> str:
        shown = (printable(c).replace("|", "\\|").replace("\n", " ") for c in cells)
        return "| " + " | ".join(shown) + " |\n"

    out.write(row(c.header for c in columns))
    out.write("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|\n")
    for record in records:
        out.write(row(_shown(record, c) for c in columns))


def terminal_width(out: TextIO) -> int:
    """$COLUMNS, else the terminal's width, else 80 (as Rich and most tools do in a pipe)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdecimal() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80


def use_color(out: TextIO) -> bool:
    """Bold headers only on a terminal, and never under NO_COLOR or TERM=dumb."""
    return "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb" and on_terminal(out)


def _table(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str,
    caption: str,
    out: TextIO,
) -> None:
    """A table; when the terminal is too narrow to keep every number, id and date whole,
    each record becomes a block of field/value lines instead: a number never folds."""
    from hzcity.output.table import caption_lines, draw, whole_widths

    width = terminal_width(out)
    headers = [c.header for c in columns]
    rows = [[_shown(r, c) for c in columns] for r in records]
    wrapping = [c.wrap and not c.numeric for c in columns]
    color = use_color(out)
    widths = whole_widths(headers, rows, wrapping, width)
    if widths is None:
        lines = _blocks(headers, rows, title, width, color)
    else:
        right = [c.numeric for c in columns]
        lines = list(draw(headers, rows, right=right, wrapping=wrapping, width=width,
                          color=color, title=title, widths=widths))  # fmt: skip
    lines += caption_lines(caption, width, color)
    out.write("".join(f"{line}\n" for line in lines))


def _blocks(
    headers: list[str], rows: list[list[str]], title: str, width: int, color: bool
) -> list[str]:
    """Each record as a block of field/value lines, for a terminal too narrow for the table."""
    from hzcity.output.table import draw

    lines: list[str] = []
    for number, row in enumerate(rows):
        lines += [""] if number else []
        pairs = [[h, v] for h, v in zip(headers, row, strict=True) if v]
        lines += draw(["", ""], pairs, right=[False, False], wrapping=[True, True], width=width,
                      color=color, title="" if number else title)  # fmt: skip
    return lines
