"""The payroll run as a library: which options fit which input, which engine computes
(the fast one where it can, else the reference, saying why), and the answer written to
standard output or a file with its totals row and rates sheet. The command layer only
parses options, calls ``run`` and prints the notes it returns."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from hzcity.calculators.premium import AMOUNTS, Rates, RateUsed
from hzcity.errors import BadInput, unused_options
from hzcity.i18n import Phrase, said, say
from hzcity.labels import ADDED_COLUMNS, HEADERS, PAYROLL_COLUMNS
from hzcity.output.render import STREAMS, Format
from hzcity.payroll.formats import InputFormat
from hzcity.payroll.months import EXTRA, Months, month_totals, spans
from hzcity.payroll.reference import PayrollTotals, answers, dated, output_columns
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


@dataclass(kw_only=True)
class Outcome:
    """What a run reports once its answer is written, for notes on stderr."""

    totals: PayrollTotals
    engine_note: Phrase | None = None  # why the reference engine computed, when it was asked
    notes: list[Phrase] = field(default_factory=list)  # what the output format could not keep


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
    if fmt is Format.json:
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
    """Whether the answer names each cell by a key (JSON on stdout, a .jsonl file), so that a
    blank or repeated header name needs another; CSV, TSV and workbooks keep the header as
    the clerk wrote it."""
    if options.output is not None:
        return Path(options.output).suffix.lower() == ".jsonl"
    return fmt is Format.json


def totals_row(totals: PayrollTotals) -> list[Decimal | None]:
    """The answer's totals row under the computed columns (no sum of bases)."""
    return [totals.sums.get(key) for key in AMOUNTS]


def column_titles(lang: str) -> list[str]:
    """The computed columns' headers for people: the stable keys in English, the clerk's
    terms in Chinese."""
    return [said(PAYROLL_COLUMNS[key], lang) for key in AMOUNTS]


def rates_sheet(rates: Rates | Months, lang: str) -> list[dict[str, str]]:
    """The answer's rates sheet: one row per rate used (``Rates.used``), with the day, its
    window and its reference (a user file's marked as such, the url when there is one).
    Priced by month: one row per rate and window used, with the months it priced."""
    keys = ("item", "rate", "date", "window", "reference")
    if isinstance(rates, Rates):
        rows = [_rate_row(used, lang) for used in rates.used()]
    else:
        months: dict[tuple[str, ...], list[date]] = {}
        for month, priced in rates.used().items():
            for used in priced.used():
                item, rate, _, window, reference = _rate_row(used, lang)
                months.setdefault((item, rate, window, reference), []).append(month)
        rows = [(item, rate, say(", ", lang).join(spans(days)), window, reference)
                for (item, rate, window, reference), days in months.items()]  # fmt: skip
    return [{said(HEADERS[k], lang): v for k, v in zip(keys, row, strict=True)} for row in rows]


def month_sheet(totals: PayrollTotals, months: Months, lang: str) -> list[dict[str, object]]:
    """The answer's month totals: one row per month (head count, contribution base, each
    item, the saving and the rates used), per year when there are several, and the file's."""
    rows = []
    for line in month_totals(totals.by_month, months):
        record = line.as_record()
        label = record["month"]
        if line.kind != "month":
            label = say("{year} total", lang, year=label) if label else say("Total", lang)
        # the rates as the rates sheet writes them: 0.45% = 0.9% × (1 − 50%)
        rated = {used.item: _rate_row(used, lang)[1] for used in line.rates.used()} if (
            line.rates) else {}  # fmt: skip
        unemployment = " + ".join(rated[k] for k in AMOUNTS[1:3] if k in rated)
        injury = rated.get("work_injury_employer", "")
        rows.append({say("Month", lang): label,
                     said(ADDED_COLUMNS["date"], lang): record["date"],
                     say("Employees", lang): line.rows,
                     **{said(PAYROLL_COLUMNS[k], lang): v for k, v in line.amounts.items()},
                     say("Unemployment rates (employer + individual)", lang): unemployment,
                     say("Work-injury rate", lang): injury})  # fmt: skip
    return rows


def _rate_row(used: RateUsed, lang: str) -> tuple[str, ...]:
    reference = said(used.dated.cited(url=True), lang)
    if used.injury is not None:  # where the current rate of 0.45% = 0.9% × (1 − 50%) came from
        reference = say("{before}; {after}", lang, before=reference, after=used.injury.origin)
    return (said(HEADERS[used.item], lang), used.text, used.day.isoformat(),
            said(used.dated.window, lang), reference)  # fmt: skip


def to_file(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    *,
    lang: str,
    progress: Progress | None = None,
) -> Outcome:
    """The answer written to ``options.output``, all or nothing, with a totals row and the
    rates used (priced by ``Months``: each row's month and the day of its rates, and a sheet
    of month totals); the fast engine computes where it can."""
    from hzcity.payroll.writers import open_output

    assert options.output is not None
    progress = progress or Progress()
    totals = PayrollTotals()
    suffix = Path(options.output).suffix.lower()
    header = source.keys if keyed(options, None) else source.header
    names = output_columns(header)
    extra = output_columns(header, EXTRA) if isinstance(rates, Months) else []
    totals.renamed = [n for n in [*extra, *names] if n not in (*EXTRA, *AMOUNTS)]
    titles = [
        title if name in AMOUNTS else f"hzcity_{title}"
        for name, title in zip(names, column_titles(lang), strict=True)
    ]
    if suffix in (".xlsx", ".csv"):  # written for people: the columns hzcity adds in words
        if extra:
            extra = [said(ADDED_COLUMNS[key], lang) if name == key else f"hzcity_{key}"
                     for name, key in zip(extra, EXTRA, strict=True)]  # fmt: skip
        if isinstance(source, AllSheets) and header[0] == SHEET:
            header = [said(ADDED_COLUMNS[SHEET], lang), *header[1:]]
    outcome = Outcome(totals=totals)
    sheet_titles = (say("premiums", lang), say("rates", lang),
                    say("month totals", lang, context="sheet"))  # fmt: skip
    with open_output(options.output, [*header, *extra], names, titles=titles,
                     source=source.name, salary=source.column, hidden=source.hidden_columns,
                     sheet_titles=sheet_titles) as out:  # fmt: skip
        fmt = Format.json if suffix == ".jsonl" else Format.tsv if suffix == ".tsv" else Format.csv
        reason = why_reference(source, options, fmt, None)
        if reason is None and suffix == ".xlsx":
            reason = Phrase("an .xlsx answer is written cell by cell")
        fast_done = False
        if reason is None and fast_available():
            fast_done, reason = _fast_to_file(source, rates, options, out, suffix, totals,
                                              progress)  # fmt: skip
            if not fast_done:
                progress.restart()
        if reason is not None and fast_available():
            outcome.engine_note = reason
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
        sheet = month_sheet(totals, rates, lang) if isinstance(rates, Months) else []
        out.close(totals_row(totals), say("Total", lang), rates_sheet(rates, lang), sheet)
        outcome.notes = out.notes
    return outcome


def _fast_to_file(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    out: PayrollOutput,
    suffix: str,
    totals: PayrollTotals,
    progress: Progress,
) -> tuple[bool, Phrase | None]:
    """The fast engine's rows into ``out`` (.csv for Excel or .tsv); (False, why) when it
    hands the file to the reference engine, having written no row."""
    from hzcity.payroll.writers import excel_safe

    excel = suffix == ".csv"
    sink = _Sink(out, excel)
    # write and flush are all the engine uses of the sink
    delimiter = "," if excel else "\t"
    done = _fast(source, rates, options, cast(IO[bytes], sink), delimiter, totals, progress)
    if not done:
        return False, Phrase(
            "the file is not plain (quotes, a total row, an unusual amount or line)"
        )
    if not totals.rows:  # no employee row: the reference engine says so
        return False, None
    if excel and not sink.safe(excel_safe):
        sink.reset()
        totals.rows, totals.sums, totals.by_month = 0, {}, {}
        return False, Phrase("cells Excel would change (a formula sign, a long number)")
    sink.commit()
    out.rows = totals.rows
    return True, None


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
        tail = b""
        while block := self._spool.read(1 << 20):
            lines, _, rest = (tail + block).rpartition(b"\n")
            if not check(lines):
                return False
            tail = rest
        return check(tail)

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
    )  # fmt: skip


def to_stdout(
    source: PayrollSource,
    rates: Rates | Months,
    options: PayrollOptions,
    fmt: Format,
    *,
    stdout: TextIO,
    progress: Progress | None = None,
) -> Outcome:
    """The answer on ``stdout`` as csv, tsv or JSON lines, the fast engine's where it can.
    Priced by ``Months``, the answer is held until every month is known to have rates:
    a month without them writes nothing."""
    from hzcity.output.render import stream
    from hzcity.payroll import reference

    progress = progress or Progress()
    if fmt not in STREAMS:
        raise BadInput(Phrase("payroll mode writes csv, tsv or json (one object per line)"))
    totals = PayrollTotals()
    outcome = Outcome(totals=totals)
    reason = why_reference(source, options, fmt, stdout)
    if reason is None and fast_available():
        stdout.flush()
        if _fast(source, rates, options, stdout.buffer, "\t" if fmt is Format.tsv else ",",
                 totals, progress):  # fmt: skip
            return outcome
        progress.restart()
        reason = Phrase("the file is not plain (quotes, a total row, an unusual amount or line)")
    if reason is not None and fast_available():
        outcome.engine_note = reason
    rows = reference.payroll(source, rates, base_min=options.base_min,
                             base_max=options.base_max, skip_bad=options.skip_bad,
                             totals=totals, keyed=fmt is Format.json)  # fmt: skip
    if not isinstance(rates, Months):
        stream(progress.track(rows), fmt, stdout)
        stdout.flush()
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
        shutil.copyfileobj(held, screened(stdout, json=fmt is Format.json), 1 << 20)
    stdout.flush()
    return outcome


def tally(
    source: PayrollSource, months: Months, options: PayrollOptions, *, progress: Progress | None
) -> Outcome:
    """The month totals alone (``--by month``): every row priced, none written."""
    progress = progress or Progress()
    totals = PayrollTotals()
    outcome = Outcome(totals=totals)
    reason = why_reference(source, options, Format.csv, None)
    if reason is None and fast_available():
        if _fast(source, months, options, cast(IO[bytes], _Nowhere()), ",", totals, progress):
            return outcome
        progress.restart()
        reason = Phrase("the file is not plain (quotes, a total row, an unusual amount or line)")
    if reason is not None and fast_available():
        outcome.engine_note = reason
    for _ in progress.track(answers(source, months, None, None, options.skip_bad, totals)):
        pass
    return outcome


class _Nowhere:
    """Where the rows of a run asked for its month totals alone go."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        """Nothing is held."""
