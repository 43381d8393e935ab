"""The payroll run as a library: which options fit which input, which engine computes
(the fast one where it can, else the reference, saying why), and the answer written to
standard output or a file with its totals row and rates sheet. It says no word itself: the
command layer parses options, passes the words an answer for people holds (``Words``),
calls ``to_file`` or ``to_stdout`` and says the notes they return (``Note`` records)."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from hzcity.calculators.premium import AMOUNTS, Rates
from hzcity.errors import BadInput, unused_options
from hzcity.i18n import Phrase
from hzcity.money import yuan
from hzcity.notes import Note
from hzcity.output.files import STDIN, lock_of
from hzcity.output.render import JSON, STREAMS, FileFormat, Format, file_format
from hzcity.payroll.formats import InputFormat
from hzcity.payroll.months import EXTRA, Months
from hzcity.payroll.reference import PayrollTotals, answers, dated, output_columns, renamings
from hzcity.payroll.sheets import SHEET, AllSheets
from hzcity.payroll.source import PayrollSource, reader_of

if TYPE_CHECKING:
    from hzcity.payroll.writers import PayrollOutput


@dataclass(frozen=True, kw_only=True)
class PayrollOptions:
    """How to read a payroll and where to write its answer."""

    column: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    output: str | None = None
    skip_bad: bool = False
    base_min: Decimal | None = None
    base_max: Decimal | None = None
    month_column: str | None = None  # the column of each row's month (else one is looked for)
    year: int | None = None  # the year of a month written without one (12月)


@dataclass(kw_only=True)
class Progress:
    """What the run tells whoever shows progress (all optional)."""

    track: Callable[[Iterator[Any]], Iterator[Any]] = lambda rows: rows
    rows_only: Callable[[int], None] = lambda rows: None
    restart: Callable[[], None] = lambda: None


@dataclass(frozen=True, kw_only=True)
class Words:
    """The words of an answer for people (an .xlsx, a .csv for Excel), said by the command
    layer in the reader's language: the computed columns' headers (in AMOUNTS order), the
    totals row's label, the sheets' names, the rates sheet (each row a mapping of its
    column's header to its cell), the added columns' headers and the month totals. Files for
    scripts keep the stable keys."""

    columns: Sequence[str] = AMOUNTS
    total: str = "Total"
    sheets: tuple[str, str, str] = ("premiums", "rates", "month totals")
    rates: Sequence[Mapping[str, str]] = ()
    # the rates sheet of a payroll priced by month, once its months are known (else ``rates``)
    month_rates: Callable[[], Sequence[Mapping[str, str]]] | None = None
    # the headers of the columns hzcity adds (month, date, sheet) by their keys
    added: Mapping[str, str] = field(default_factory=dict)
    # the month-totals sheet of a payroll priced by month, from its totals (else none)
    month_sheet: Callable[[PayrollTotals], list[dict[str, object]]] = lambda totals: []


@dataclass(kw_only=True)
class Outcome:
    """What a run reports once its answer is written, for notes on stderr."""

    totals: PayrollTotals
    # why the reference engine computed where the fast one could have (said with
    # HZCITY_ENGINE=fast)
    engine_note: Note | None = None
    # rows a contribution-base bound clamped, what the output format could not keep
    notes: list[Note] = field(default_factory=list)


# The reading options that fit some formats only, as the command line names them.
READING_FLAGS = {"sheet": "--sheet", "delimiter": "--delimiter", "encoding": "--encoding",
                 "header_row": "--header-row"}  # fmt: skip


def refuse_for_format(kind: InputFormat, options: PayrollOptions) -> None:
    """A workbook has no encoding or delimiter, a text file no sheet, JSON lines no header
    row: an option that the format's reader does not take is an error, not silence."""
    fits = reader_of(kind).OPTIONS
    unused = [flag for option, flag in READING_FLAGS.items()
              if option not in fits and getattr(options, option) not in (None, False)]  # fmt: skip
    if unused:
        raise unused_options(unused, Phrase("to this file ({kind})", kind=kind))


def check_output(options: PayrollOptions, salaries: str) -> None:
    """Refuse an ``--output`` that must not be written before the payroll ``salaries`` is read
    (``-``: standard input): another suffix, the input itself (by device and inode), a file
    open in LibreOffice or Excel, one the user may not write."""
    from hzcity.payroll.writers import answer_format

    if options.output is not None:
        answer_format(options.output, [salaries])


def open_elsewhere(salaries: str) -> Note | None:
    """A note when the payroll file is open in LibreOffice or Excel (its lock file beside
    it): what the clerk has not saved yet is not in the file, so not in the answer."""
    if salaries == STDIN:
        return None
    lock = lock_of(Path(salaries))
    if lock is None:
        return None
    return Note(
        message=Phrase(
            "the file is open in another program ({lock} beside it): changes not saved yet "
            "are not in it, nor in the answer",
            lock=lock.name,
        ),
        where=salaries,
    )


def why_reference(
    source: PayrollSource, options: PayrollOptions, fmt: Format, stdout: TextIO | None
) -> Phrase | None:
    """Why the fast engine cannot take this payroll (a Phrase for a note), or None when it
    may be tried. Forcing the reference (HZCITY_ENGINE=python) or lacking pyarrow is no
    hand-over, and says nothing."""
    if source.format.workbook:
        return Phrase("a workbook is read cell by cell")
    if source.format is InputFormat.jsonl:
        return Phrase("JSON lines")
    if source.name == "<stdin>":
        return Phrase("standard input cannot be read twice")
    if fmt in JSON:
        return Phrase("JSON output")
    encoding = (options.encoding or source.encoding or "utf-8").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8", "utf-8-sig"):
        return Phrase("the encoding {encoding} is not UTF-8", encoding=encoding)
    if options.header_row not in (None, 1):
        return Phrase("a forced header row")
    if source.titles:
        return Phrase("title rows above the header")
    if stdout is not None and (stdout.encoding or "").lower().replace("-", "") != "utf8":
        return Phrase("standard output is not UTF-8")
    if stdout is not None and stdout.isatty():  # the fast engine writes bytes unscreened
        return Phrase("a terminal is shown the answer screened of control characters")
    return None


def fast_available() -> bool:
    """pyarrow is installed and the reference engine is not forced."""
    if os.environ.get("HZCITY_ENGINE") == "python":
        return False
    return importlib.util.find_spec("pyarrow") is not None


def keyed(options: PayrollOptions, fmt: Format | None) -> bool:
    """Whether the answer names each cell by a key (JSON on stdout, a .json or .jsonl file), so a
    blank or repeated header name needs another; CSV, TSV and workbooks keep the header as
    the clerk wrote it."""
    if options.output is not None:
        kind = file_format(options.output)
        return kind is not None and kind.keyed
    return fmt in JSON


def totals_row(totals: PayrollTotals) -> list[Decimal | None]:
    """The answer's totals row under the computed columns: the sum of the contribution
    bases and of each item (none of an item without a rate)."""
    return [totals.sums.get(key) for key in AMOUNTS]


def bound_notes(totals: PayrollTotals) -> list[Note]:
    """The rows a contribution-base floor or ceiling clamped, bound by bound: counted, the
    first few named, with where the bound came from (its option, or the user's file)."""
    notes = []
    for clamped in sorted(totals.clamped.values(), key=lambda c: (c.side, c.bound.value)):
        dated, side = clamped.bound.dated, clamped.side
        where = clamped.first + (["…"] if clamped.rows > len(clamped.first) else [])
        message = Phrase(
            "{n} row charged at the contribution-base {bound} {base} ({source}): {where}",
            plural="{n} rows charged at the contribution-base {bound} {base} ({source}): "
            "{where}",
            n=clamped.rows, bound=BOUND_NAMES[side], base=yuan(clamped.bound.value),
            source=dated.cited() if dated is not None else BOUND_FLAGS[side], where=where,
        )  # fmt: skip
        notes.append(Note(message=message))
    return notes


# the contribution-base floor and ceiling (Rates.bounds), and their options
BOUND_NAMES = (Phrase("floor", context="contribution base"),
               Phrase("ceiling", context="contribution base"))  # fmt: skip
BOUND_FLAGS = ("--base-min", "--base-max")


def to_file(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    *,
    words: Words | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """The answer written to ``options.output``, all or nothing, with a totals row and the
    rates used (``words``: their words for people; priced by ``Months``: each row's month
    and the day of its rates, and a sheet of month totals); the fast engine computes where
    it can."""
    from hzcity.payroll.writers import open_output

    assert options.output is not None
    kind = file_format(options.output)
    words = words or Words()
    progress = progress or Progress()
    totals = PayrollTotals()
    header = source.keys if keyed(options, None) else source.header
    people = kind is not None and kind.people
    wanted = list(words.columns) if people else list(AMOUNTS)
    names = output_columns(header, wanted)
    added = EXTRA if isinstance(rates, Months) else ()
    added_wanted = [words.added.get(key, key) if people else key for key in added]
    extra = output_columns([*header, *names], added_wanted)
    if people and isinstance(source, AllSheets) and header[0] == SHEET:
        header = [words.added.get(SHEET, SHEET), *header[1:]]
    outcome = Outcome(totals=totals)
    with open_output(options.output, [*header, *extra], names, source=_input_name(source),
                     salary=source.column, hidden=source.hidden_columns,
                     sheet_titles=words.sheets) as out:  # fmt: skip
        assert kind is not None  # open_output refuses another suffix
        reason = why_reference(source, options, kind.rows or Format.csv, None)
        if reason is None and kind.rows is None:
            reason = Phrase("an .xlsx answer is written cell by cell")
        fast_done = False
        if reason is None and fast_available():
            fast_done, reason = _fast_to_file(source, rates, options, out, kind, totals,
                                              progress)  # fmt: skip
            if not fast_done:
                progress.restart()
        if reason is not None and fast_available():
            outcome.engine_note = _engine_note(reason)
        if not fast_done:
            rows = answers(source, rates, options.base_min, options.base_max,
                           options.skip_bad, totals)  # fmt: skip
            if isinstance(rates, Months):
                for row, values in progress.track(rows):
                    cells = dated(row)
                    typed = None if row.values is None else [*row.values, cells[0], row.month]
                    out.write_row([*row.cells, *cells], values, typed)
            else:
                for row, values in progress.track(rows):
                    out.write_row(row.cells, values, row.values)
        rates_rows = words.rates if words.month_rates is None else words.month_rates()
        out.close(totals_row(totals), words.total, rates_rows, words.month_sheet(totals))
        totals.renamed = renamings([*added_wanted, *wanted], [*extra, *names])
        bounded = bound_notes(totals)
        outcome.notes = [*bounded, *out.notes]
    return outcome


def _input_name(source: PayrollSource) -> str:
    """The payroll's file name, or ``-`` for standard input."""
    return STDIN if source.name == "<stdin>" else source.name


def _engine_note(reason: Phrase) -> Note:
    return Note(message=Phrase("reference engine: {why}", why=reason))


# why the fast engine handed a file back, having seen it
NOT_PLAIN = Phrase("the file is not plain (quotes, a total row, an unusual amount or line)")


def _fast_to_file(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    out: PayrollOutput,
    kind: FileFormat,
    totals: PayrollTotals,
    progress: Progress,
) -> tuple[bool, Phrase | None]:
    """The fast engine's rows into ``out`` (.csv for Excel or .tsv); (False, why) when it
    hands the file to the reference engine, having written no row."""
    from hzcity.payroll.writers import excel_safe

    excel = kind.people
    sink = _Sink(out, excel)
    # write and flush are all the engine uses of the sink
    delimiter = "," if excel else "\t"
    done = _fast(source, rates, options, cast(IO[bytes], sink), delimiter, totals, progress)
    if not done:
        return False, NOT_PLAIN
    if not totals.rows:  # no employee row: the reference engine says so
        return False, None
    # the cells the .csv for Excel must change or note are the input's (the amounts are plain
    # by construction): read from the input, a sixth of the answer; priced by month, the
    # month and date cells hzcity adds are such cells too, so the answer is read
    if excel and not (sink.safe(excel_safe) if isinstance(rates, Months) else _input_safe(source)):
        sink.reset()
        totals.rows, totals.sums, totals.by_month, totals.clamped = 0, {}, {}, {}
        return False, Phrase("cells Excel would change (a formula sign, a long number)")
    sink.commit()
    out.rows = totals.rows
    return True, None


def _lines_safe(stream: IO[bytes], check: Callable[[bytes], bool], delimiter: bytes) -> bool:
    """``check`` over a stream of lines read a MiB at a time, cut at line ends, with its
    delimiter and line ends as the fast engine writes them (commas, \n)."""
    tail = b""
    while block := stream.read(1 << 20):
        lines, _, rest = (tail + block).rpartition(b"\n")
        lines = lines.replace(b"\r\n", b"\n").removesuffix(b"\r")
        if not check(lines if delimiter == b"," else lines.replace(delimiter, b",")):
            return False
        tail = rest
    tail = tail.removesuffix(b"\r")
    return check(tail if delimiter == b"," else tail.replace(delimiter, b","))


def _input_safe(source: PayrollSource) -> bool:
    """Whether the cells of the file the fast engine read (a regular file: it read it from
    its start) hold none the .csv for Excel must change or note (writers.excel_safe)."""
    from hzcity.payroll.writers import excel_safe

    with open(source.name, "rb") as stream:
        stream.readline()  # the header: the writer writes its own
        return _lines_safe(stream, excel_safe, (source.delimiter or ",").encode())


class _Sink:
    """The fast engine's output, held in an anonymous temporary file (nothing stays on disk
    if the run dies) until it is known that the target format can take it as it is."""

    def __init__(self, out: PayrollOutput, excel: bool) -> None:
        import tempfile

        self._out, self._excel = out, excel
        self._spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed by commit)
        self._first = True

    def write(self, data: bytes) -> int:
        if self._first:  # the engine's header line: the writer has written its own
            self._first = False
            data = data.partition(b"\n")[2]
        return self._spool.write(data)

    def flush(self) -> None:
        self._spool.flush()

    def safe(self, check: Callable[[bytes], bool]) -> bool:
        self._spool.seek(0)
        return _lines_safe(self._spool, check, b",")

    def reset(self) -> None:
        self._spool.close()

    def commit(self) -> None:
        self._spool.seek(0)
        while block := self._spool.read(1 << 20):
            self._out.write_plain(block)
        self._spool.close()


def _fast(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    out: IO[bytes],
    out_delimiter: str,
    totals: PayrollTotals,
    progress: Progress,
) -> bool:
    """The fast engine's run (``fast.run``); False when it hands the file over. Priced by
    month, only where a column gives each row's month (the engine reads the file itself)."""
    from hzcity.payroll import fast

    months = rates if isinstance(rates, Months) else None
    if months is not None and months.column is None:
        return False
    return fast.run(
        Path(source.name), rates if isinstance(rates, Rates) else None, header=source.header,
        column=source.column, delimiter=source.delimiter or ",", out_delimiter=out_delimiter,
        base_min=options.base_min, base_max=options.base_max, totals=totals, out=out,
        progress=progress.rows_only, months=months,
        month_column=months.column if months else None, year=months.year if months else None,
        where=lambda number: source.cell(number, source.column),
    )  # fmt: skip


def check_stdout_format(fmt: Format) -> None:
    """Refuse a format payroll rows are not streamed in (before anything is said)."""
    if fmt not in STREAMS:
        raise BadInput(
            Phrase("payroll mode writes csv, tsv, json (one array) or jsonl (one object a line)")
        )


def to_stdout(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    fmt: Format,
    *,
    stdout: TextIO,
    progress: Progress | None = None,
) -> Outcome:
    """The answer on ``stdout`` as csv, tsv, JSON or JSON lines, the fast engine's where it can.
    Priced by ``Months``, the answer is held until every month is known to have rates:
    a month without them writes nothing."""
    from hzcity.output.render import stream
    from hzcity.payroll import reference

    progress = progress or Progress()
    check_stdout_format(fmt)
    totals = PayrollTotals()
    outcome = Outcome(totals=totals)
    reason = why_reference(source, options, fmt, stdout)
    stdout.flush()  # the fast engine writes bytes under it
    delimiter = "\t" if fmt is Format.tsv else ","
    if _fast_first(source, rates, options, stdout.buffer, delimiter, outcome, progress, reason):
        return outcome
    rows = reference.payroll(source, rates, base_min=options.base_min,
                             base_max=options.base_max, skip_bad=options.skip_bad,
                             totals=totals, keyed=fmt in JSON)  # fmt: skip
    if not isinstance(rates, Months):
        stream(progress.track(rows), fmt, stdout)
        stdout.flush()
        outcome.notes = bound_notes(totals)
        return outcome
    import io
    import shutil
    import tempfile

    from hzcity.output.screen import screened

    # held as stdout would take it (its encoding decides JSON's escapes), shown as stdout shows
    with io.TextIOWrapper(tempfile.TemporaryFile(), encoding=stdout.encoding or "utf-8",
                          errors=stdout.errors or "strict", newline="") as held:  # fmt: skip
        stream(progress.track(rows), fmt, held)
        held.seek(0)
        shutil.copyfileobj(held, screened(stdout, json=fmt in JSON), 1 << 20)
    stdout.flush()
    outcome.notes = bound_notes(totals)
    return outcome


def _fast_first(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    out: IO[bytes],
    delimiter: str,
    outcome: Outcome,
    progress: Progress,
    reason: Phrase | None,
) -> bool:
    """The fast engine's answer into ``out`` unless ``reason`` rules it out: True when it
    answered (the outcome's notes said), else False with why in the outcome's engine note
    (the reference engine then answers)."""
    if reason is None and fast_available():
        if _fast(source, rates, options, out, delimiter, outcome.totals, progress):
            outcome.notes = bound_notes(outcome.totals)
            return True
        progress.restart()
        reason = NOT_PLAIN
    if reason is not None and fast_available():
        outcome.engine_note = _engine_note(reason)
    return False


def tally(
    source: PayrollSource, months: Months, options: PayrollOptions, *, progress: Progress | None
) -> Outcome:
    """The month totals alone (``--by month``): every row priced, none written."""
    progress = progress or Progress()
    totals = PayrollTotals()
    outcome = Outcome(totals=totals)
    reason = why_reference(source, options, Format.csv, None)
    nowhere = cast(IO[bytes], _Nowhere())
    if _fast_first(source, months, options, nowhere, ",", outcome, progress, reason):
        return outcome
    for _ in progress.track(answers(source, months, None, None, options.skip_bad, totals)):
        pass
    outcome.notes = bound_notes(totals)
    return outcome


class _Nowhere:
    """Where the rows of a run asked for its month totals alone go."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        """Nothing is held."""
