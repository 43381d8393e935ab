"""Draw a plain-text table for a terminal: widths in display cells, wrapped words, one rule.

Drawn here rather than with Rich because importing and laying out a Rich table
costs ~50 ms, three times bare Python's start-up (BENCHMARKS.md). Chinese
characters take two cells; wrapping breaks between words or between Chinese
characters and folds only a word longer than its column.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache
from unicodedata import combining, east_asian_width

from hzcity.output.screen import printable

MARGIN = " "
GAP = "  "
# While other columns can give, a wrapping column keeps its longest word whole, within these.
FLOOR_MIN, FLOOR_MAX = 10, 16
OPENING, CLOSING = set("（《「『“‘【〈〔«([{"), set("，。、；：！？）》」』”’】〉〕»)]},.;:!?%")
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2;3m", "\x1b[0m"
_ASCII_TOKENS = re.compile(" |[^ ]+")


_FIGURE = re.compile(r"[.\d]")  # a dot or a digit: an id, a date or an amount
# a path in Chinese text: what a slash joins, up to a space or a mark (a dot is the path's)
_MARKS = re.escape("".join(sorted((OPENING | CLOSING) - {"."})))
_PATH = re.compile(rf"[^\s{_MARKS}]*/[^\s{_MARKS}]*")
_LATIN = re.compile("[A-Za-z]")


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: 2 for wide (CJK) characters, 0 for combining marks."""
    if text.isascii():
        return len(text)
    return sum(map(_char_cells, text))


@cache
def _char_cells(char: str) -> int:
    return 2 if east_asian_width(char) in "WF" else 0 if combining(char) else 1


def _runs(text: str) -> Iterator[str]:
    """Spaces, single wide characters, and runs of anything else. In English a run of words
    ends after an inner hyphen (as textwrap does); ids, dates, numbers and options stay
    whole. Chinese breaks between its characters, never inside a run of ASCII
    (“--skip-bad-rows”) nor inside a path (目录/parameters/rates-日期.yaml)."""
    if text.isascii():  # no wide character to look for: split at spaces in C
        for token in _ASCII_TOKENS.findall(text):
            yield from (token,) if token == " " else _hyphenated(token)
        return
    if not any(_char_cells(char) == 2 for char in text):
        yield from _split(text, _hyphenated)
        return
    place = 0
    for path in _PATH.finditer(text):
        if _LATIN.search(path[0]):  # 单位/个人 is two words; a path names ASCII directories
            yield from _split(text[place : path.start()], _whole)
            yield path[0]
            place = path.end()
    yield from _split(text[place:], _whole)


def _split(text: str, cut: Callable[[str], Iterator[str]]) -> Iterator[str]:
    """Spaces, single wide characters, and the runs between them as ``cut`` cuts them."""
    word = ""
    for char in text:
        if char == " " or _char_cells(char) == 2:
            yield from cut(word)
            word = ""
            yield char
        else:
            word += char
    yield from cut(word)


def _whole(word: str) -> Iterator[str]:
    """``word`` as one run, if any."""
    if word:
        yield word


def _hyphenated(word: str) -> Iterator[str]:
    """``word`` cut after its inner hyphens, unless it holds a dot or a digit or starts with
    one: a fact id (civil-affairs.school-grant), a date (2023-05-01) or its format
    (YYYY-MM-DD), an amount or an option (--injury-rate, '--skip-bad-rows') stays whole
    while it fits."""
    if not word:
        return
    core = word.lstrip("".join(OPENING) + "'\"")
    if "-" not in word[1:] or _FIGURE.search(word) or core.startswith("-") or _format(word):
        yield word
    else:
        yield from _at_hyphens(word)


def _format(word: str) -> bool:
    """Whether ``word`` is a format of capitals and hyphens (YYYY-MM-DD): one token."""
    return word.replace("-", "").isupper()


def _at_hyphens(word: str) -> Iterator[str]:
    piece = ""
    for char in word:
        piece += char
        if char == "-" and len(piece) > 1:
            yield piece
            piece = ""
    if piece:
        yield piece


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[str, ...]:
    """The units of wrapping: runs, with Chinese punctuation kept off the wrong line end
    (a closing mark never starts a line, an opening mark never ends one). Cached: a table
    measures each cell before it wraps it."""
    pieces: list[str] = []
    for run in _runs(text):
        if (
            pieces
            and " " not in (run, pieces[-1])
            and (run[0] in CLOSING or pieces[-1][-1] in OPENING)
        ):
            pieces[-1] += run
        else:
            pieces.append(run)
    return tuple(pieces)


def _fold(word: str, width: int) -> Iterator[str]:
    """Cut a word longer than the column into pieces of at most ``width`` cells: after its
    hyphens where they do, else anywhere."""
    piece, used = "", 0
    for part in _at_hyphens(word):
        size = cells(part)
        if used + size > width and piece:
            yield piece
            piece, used = "", 0
        if size > width:
            *full, part = _cut(part, width)
            yield from full
            size = cells(part)
        piece, used = piece + part, used + size
    yield piece


def _cut(word: str, width: int) -> Iterator[str]:
    piece, used = "", 0
    for char in word:
        size = cells(char)
        if used + size > width and piece:
            yield piece
            piece, used = "", 0
        piece, used = piece + char, used + size
    yield piece


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells (never fewer than one line); newlines are kept."""
    lines = []
    for paragraph in printable(text).split("\n"):
        lines += ["".join(line).rstrip() for line in _no_orphan(_lines(paragraph, width), width)]
    return lines


def _lines(paragraph: str, width: int) -> list[list[str]]:
    """The pieces of each line of ``paragraph`` wrapped at ``width`` cells."""
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0
    for piece in _pieces(paragraph):
        size = cells(piece)
        if piece == " ":
            if used:
                line, used = [*line, " "], used + 1
            continue
        if used + size > width and used:
            lines.append(line)
            line, used = [], 0
        *full, piece = _fold(piece, width) if size > width else (piece,)
        lines.extend([part] for part in full)
        line, used = [*line, piece], used + cells(piece)
    return [*lines, line]


def _no_orphan(lines: list[list[str]], width: int) -> list[list[str]]:
    """The lines with no Chinese character left alone on the last one (基准费 / 率): the
    character before it comes down too, as Chinese typesetting keeps two together, where
    the two fit in ``width``."""
    if len(lines) < 2 or len(lines[-1]) != 1 or len(lines[-2]) < 2:
        return lines
    (last,), before = lines[-1], lines[-2][-1]
    if _lone(last) and _char_cells(before[0]) == 2 and cells(before + last) <= width:
        return [*lines[:-2], lines[-2][:-1], [before, last]]
    return lines


def _lone(piece: str) -> bool:
    """Whether ``piece`` is one Chinese character, with any closing marks after it."""
    return _char_cells(piece[0]) == 2 and all(c in CLOSING for c in piece[1:])


def fit(natural: Sequence[int], floors: Sequence[Sequence[int]], room: int) -> list[int]:
    """Column widths summing to at most ``room`` where they can: the widest column gives a
    cell at a time (as Rich collapses tables) down to its first floor, then its next."""
    widths = list(natural)
    for floor in floors:
        while sum(widths) > room:
            givers = [i for i, w in enumerate(widths) if w > floor[i]]
            if not givers:
                break
            widths[max(givers, key=widths.__getitem__)] -= 1
    return widths


def _floors(column: Sequence[str]) -> tuple[int, int]:
    """Room for the longest word and nine cells in ten on one line, then for the longest
    word alone; both within FLOOR_MIN..FLOOR_MAX."""
    longest = max((cells(p) for cell in column for p in _pieces(cell)), default=0)
    sizes = sorted(map(cells, column))
    typical = sizes[len(sizes) * 9 // 10]
    return (
        min(max(longest, typical, FLOOR_MIN), FLOOR_MAX),
        min(max(longest, FLOOR_MIN), FLOOR_MAX),
    )


def _natural(column: Sequence[str]) -> int:
    return max(cells(line) for cell in column for line in cell.split("\n"))


def _room(width: int, count: int) -> int:
    """Cells left for ``count`` columns on a line of ``width``, margins and gaps taken."""
    return width - len(MARGIN) * 2 - len(GAP) * (count - 1)


def spare(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> int:
    """Cells a further column could take with every column at its natural width."""
    columns = zip(headers, *rows, strict=True)
    return _room(width, len(headers) + 1) - sum(map(_natural, columns))


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - cells(text))
    return space + text if right else text + space


def _widths(
    columns: Sequence[Sequence[str]], wrapping: Sequence[bool], width: int
) -> tuple[list[int], list[int]]:
    """What each column (header first) needs whole, and its fitted width on a line of
    ``width``. A column that must not wrap needs its cells whole, not its header: a
    header wraps at its words like any text."""
    natural = [_natural(col) for col in columns]
    whole = [
        n if w else max(_natural(col[1:] or [""]), *map(cells, _pieces(col[0])), 1)
        for n, w, col in zip(natural, wrapping, columns, strict=True)
    ]
    # Wrapping columns give first, down to room for most cells, then for their longest
    # word, while the others give their headers' spare width; ids, amounts and dates fold
    # only after that, down to their widest character.
    soft, narrow = zip(
        *(
            [min(n, f) for f in _floors(col)] if w else [n, h]
            for n, h, w, col in zip(natural, whole, wrapping, columns, strict=True)
        ),
        strict=True,
    )
    # no column narrower than its widest character: 2 cells once it holds Chinese
    hard = [2 if any(cells(cell) > len(cell) for cell in col) else 1 for col in columns]
    return whole, fit(natural, [soft, narrow, hard], _room(width, len(columns)))


def whole_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], wrapping: Sequence[bool], width: int
) -> list[int] | None:
    """The column widths for ``draw`` when every column that must not wrap (ids, amounts,
    dates) fits on one line; None when one would fold."""
    columns = list(zip(headers, *rows, strict=True))
    needed, widths = _widths(columns, wrapping, width)
    whole = all(w >= n for w, n, wraps in zip(widths, needed, wrapping, strict=True) if not wraps)
    return widths if whole else None


def draw(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool],
    wrapping: Sequence[bool],
    width: int,
    color: bool,
    title: str = "",
    widths: list[int] | None = None,
) -> Iterator[str]:
    """Lines of the table (without newlines), at most ``width`` cells wide when it can be;
    ``widths`` when the caller has them from ``whole_widths``."""
    show_header = any(headers)
    if widths is None:
        columns = list(zip(headers if show_header else [""] * len(headers), *rows, strict=True))
        widths = _widths(columns, wrapping, width)[1]
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    bold, reset = (BOLD, RESET) if color else ("", "")

    def line(cells_: Sequence[str]) -> Iterator[str]:
        wrapped = [wrap(c, w) for c, w in zip(cells_, widths, strict=True)]
        for n in range(max(map(len, wrapped))):
            parts = (
                _pad(lines[n] if n < len(lines) else "", w, r)
                for lines, w, r in zip(wrapped, widths, right, strict=True)
            )
            yield (MARGIN + GAP.join(parts)).rstrip()

    for text in wrap(title, total) if title else ():
        yield f"{MARGIN}{bold}{_pad(text, (total + cells(text)) // 2, True)}{reset}"
    if show_header:
        yield from (f"{bold}{text}{reset}" for text in line(headers))
        yield MARGIN + "─" * total
    for row in rows:
        yield from line(row)


def caption_lines(caption: str, width: int, color: bool) -> Iterator[str]:
    """A dim note under a table, wrapped to the terminal's ``width``."""
    dim, reset = (DIM, RESET) if color else ("", "")
    for text in wrap(caption, width - len(MARGIN) * 2) if caption else ():
        yield f"{MARGIN}{dim}{text}{reset}"
