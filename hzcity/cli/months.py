"""Payroll mode month by month, for people: whose rates price the rows (each row's month or
one day), the notes per month and for the file, and the month totals alone (--by month)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from hzcity.cli.common import cited, note
from hzcity.errors import BadInput, unused_options
from hzcity.i18n import Phrase, said, say
from hzcity.labels import ADDED_COLUMNS, ANSWER_COLUMNS, HEADERS, PAYROLL_COLUMNS
from hzcity.money import yuan
from hzcity.output.render import Column, Format, render

if TYPE_CHECKING:
    from hzcity.calculators.premium import Rates
    from hzcity.payroll.engine import PayrollOptions
    from hzcity.payroll.months import Months
    from hzcity.payroll.reference import PayrollTotals
    from hzcity.payroll.source import PayrollSource
    from hzcity.policy.dated import Parameters

ALL = "all"  # --sheet all
BY = ("month",)  # what --by groups the totals by
# The month totals people read (json, csv and tsv carry every field, the rates too).
SHOWN = (
    "month",
    "rows",
    "contribution_base",
    "unemployment_employer",
    "unemployment_individual",
    "work_injury_employer",
    "work_injury_saving",
    "total",
)


@dataclass(frozen=True, kw_only=True)
class Asked:
    """What the command line asked of the rates: a day, and the work-injury rate."""

    params: Parameters
    on: str | None = None
    industry_class: int | None = None
    own_rate: Decimal | None = None
    day: Rates | None = None  # the rates of the day asked (--date), checked before reading


def check_by(by: str, output: str | None) -> None:
    """--by month prints the month totals, in any record format, and writes no file."""
    if by not in BY:
        raise BadInput(
            Phrase("--by {by}: the totals are grouped by month only (--by month)", by=by)
        )
    if output is not None:
        raise unused_options(
            ["--output"], Phrase("with --by month, which prints the month totals alone")
        )


def pricing(
    source: PayrollSource, asked: Asked, options: PayrollOptions, *, by: str | None, lang: str
) -> tuple[Rates | Months, PayrollOptions]:
    """Whose rates price the rows: when they carry months (a month column, or sheets named
    as months), each month's (``Months``), else those of one day (the day asked, else today
    or the latest day before it that has them, said in a note); and the options with the
    base bounds of that day."""
    from hzcity.calculators import premium as pm
    from hzcity.payroll.months import Months, dated_rows, month_column
    from hzcity.payroll.sheets import AllSheets

    index = None
    if isinstance(source, AllSheets):
        dated, what = source.dated, Phrase("the sheets named as months")
    else:
        index = month_column(
            source.header, options.month_column, source.column, source.header_where
        )
        dated = index is not None
        what = Phrase(
            "the month column {column}", column="" if index is None else source.header[index]
        )
    if dated:
        if asked.on is not None:
            raise BadInput(
                Phrase(
                    "--date and {what} both say whose rates to use: leave out "
                    "--date, and each row is priced at the rates of the first "
                    "day of its month",
                    what=what,
                )
            )
        if index is not None:
            source.rows = dated_rows(source, index, options.year)
        months = Months(
            asked.params,
            industry_class=asked.industry_class,
            own_rate=asked.own_rate,
            base_min=options.base_min,
            base_max=options.base_max,
            column=index,
            year=options.year,
        )
        return months, options
    if by is not None:
        raise BadInput(
            Phrase(
                "--by month needs the rows' months: a month column (所属期, "
                "月份…, or --month-column) or --sheet all with sheets named as "
                "months"
            )
        )
    if options.year is not None:
        raise unused_options(["--year"], Phrase("to a payroll without months"))
    rates = (
        asked.day
        or pm.prepare(
            asked.params,
            on=asked.on,
            industry_class=asked.industry_class,
            own_rate=asked.own_rate,
            payroll=True,
            base_min=options.base_min,
            base_max=options.base_max,
        ).rates
    )
    if rates.past and rates.today:
        note(
            say(
                "rates of {day}: today ({today}) is past the last day that has them; for a "
                "later notice, write a file to fill in: hzcity rates --template DIR (see "
                "'User parameter files' in facts/README.md)",
                lang,
                day=rates.day,
                today=rates.today,
            )
        )
    low, high = rates.limits()
    return rates, replace(options, base_min=low, base_max=high)


def sheet_notes(source: PayrollSource, lang: str) -> None:
    """With --sheet all: each sheet read and the month it gives, each sheet left out."""
    from hzcity.payroll.months import month_text
    from hzcity.payroll.sheets import AllSheets

    if not isinstance(source, AllSheets):
        return
    for part in source.sheets:
        if part.month is not None and part.month_column is None:
            note(
                say(
                    "sheet {sheet}: salary column {column}; its rows are of {month}",
                    lang,
                    sheet=part.name,
                    column=part.column,
                    month=month_text(part.month),
                )
            )
        elif part.month_column is not None:
            note(
                say(
                    "sheet {sheet}: salary column {column}; each row's month from column "
                    "{month_column}",
                    lang,
                    sheet=part.name,
                    column=part.column,
                    month_column=part.month_column,
                )
            )
        else:
            note(
                say(
                    "sheet {sheet}: salary column {column}",
                    lang,
                    sheet=part.name,
                    column=part.column,
                )
            )
    for left in source.left_out:
        note(say("sheet {sheet} left out: {why}", lang, sheet=left.name, why=left.why))


def skipped_notes(totals: PayrollTotals, lang: str) -> None:
    """Computed columns renamed and rows skipped."""
    if totals.renamed:
        note(
            say(
                "the input already has {names}: the computed columns are named {renamed}",
                lang,
                names=[wanted for wanted, _ in totals.renamed],
                renamed=[given for _, given in totals.renamed],
            )
        )
    for where, why in totals.skipped:
        note(say("skipped {where}: {why}", lang, where=where, why=why))


def sums_text(sums: dict[str, Decimal], lang: str) -> str:
    """The premiums' totals as a note says them: name=amount, ... (the sum of contribution
    bases is the answer's, on its totals row and month totals)."""
    return say(", ", lang, context="between totals").join(
        say("{name}={amount}", lang, name=said(PAYROLL_COLUMNS[k], lang), amount=yuan(v))
        for k, v in sums.items()
        if k != "contribution_base"
    )


def notes(
    months: Months,
    totals: PayrollTotals,
    lang: str,
    *,
    rates_line: Callable[[Rates, str, object], str],
) -> None:
    """The notes of a payroll priced by month: the rates of each run of months that share
    them, each user-supplied value, the totals of each month (and year, when several), and
    of the file."""
    from hzcity.payroll.months import month_text, month_totals, spans

    skipped_notes(totals, lang)
    used = months.used()
    runs: dict[str, list[date]] = {}
    for month, rates in used.items():
        runs.setdefault(rates_line(rates, lang, ""), []).append(month)
    for run in runs.values():
        shown = say(", ", lang).join(spans(run))
        note(rates_line(used[run[0]], lang, shown))
    users = {
        (name, dated.window, cited(dated, lang))
        for rates in used.values()
        for name, dated in rates.user_values()
    }
    user_value_notes(sorted(users), lang)
    for line in month_totals(totals.by_month, months)[:-1]:
        label = (
            month_text(line.month)
            if line.kind == "month" and line.month
            else (say("{year} total", lang, year=line.month.year if line.month else ""))
        )
        sums = {k: v for k, v in line.amounts.items() if k in totals.sums and v is not None}
        note(
            say(
                "{month}: rows: {rows}; totals: {sums}",
                lang,
                month=label,
                rows=line.rows,
                sums=sums_text(sums, lang),
            )
        )
    totals_note(totals, lang)


def user_value_notes(values: Iterable[tuple[str, object, str]], lang: str) -> None:
    """Each user-supplied value a payroll used: its name (the key of the user's file), window
    and citation (which says the file)."""
    for name, window, reference in values:
        note(say("{name} {window}: {reference}", lang, context="user value", name=name,
                 window=window, reference=reference))  # fmt: skip


def totals_note(totals: PayrollTotals, lang: str) -> None:
    """The last note of a payroll: rows, rows skipped and the file's totals."""
    note(say("rows: {rows}, bad rows skipped: {skipped}; totals: {sums}", lang, rows=totals.rows,
             skipped=len(totals.skipped), sums=sums_text(totals.sums, lang)))  # fmt: skip


def by_month(totals: PayrollTotals, months: Months, fmt: Format, lang: str) -> None:
    """--by month: the month totals alone, one record per month, per year when the months
    span several, and the file's; every field for scripts, the main ones for people."""
    from hzcity.payroll.months import month_totals

    lines = month_totals(totals.by_month, months)
    records = [line.as_record() for line in lines]
    if fmt not in (Format.table, Format.md):
        render(records, [], fmt)
        return
    for record, line in zip(records, lines, strict=True):
        if line.kind == "year":
            record["month"] = say("{year} total", lang, year=record["month"])
        elif line.kind == "total":
            record["month"] = say("Total", lang)
    headers = {"month": say("Month", lang), "rows": say("Employees", lang)}
    shown = [
        Column(
            key=key,
            header=headers.get(key) or said(HEADERS[key], lang),
            numeric=key != "month",
            wrap=False,
        )
        for key in SHOWN
        if key in headers or records[-1].get(key) is not None
    ]
    render(
        records,
        shown,
        fmt,
        caption=say(
            "each item is rounded half-up to the fen; the "
            "totals are sums of the rows' rounded items",
            lang,
        ),
    )


def spans_text(months: list[date], lang: str) -> str:
    """Months as runs, as the rates sheet lists the months a rate priced: 2024-11…2025-01."""
    from hzcity.payroll.months import spans

    return say(", ", lang).join(spans(months))


def month_sheet(
    totals: PayrollTotals,
    months: Months,
    lang: str,
    *,
    rate_rows: Callable[[Rates, str], list[tuple[str, ...]]],
) -> list[dict[str, object]]:
    """The answer's month totals: one row per month (head count, contribution base, each
    item, the saving and the rates used), per year when there are several, and the file's."""
    from hzcity.calculators.premium import AMOUNTS
    from hzcity.payroll.months import month_totals

    rows = []
    for line in month_totals(totals.by_month, months):
        record = line.as_record()
        label = record["month"]
        if line.kind != "month":
            label = say("{year} total", lang, year=label) if label else say("Total", lang)
        # the rates as the rates sheet writes them: 0.45% = 0.9% × (1 − 50%)
        rated = {}
        if line.rates:
            rated = {row[0]: row[1] for row in rate_rows(line.rates, lang)}
        names = {key: said(HEADERS[key], lang) for key in AMOUNTS}
        unemployment = " + ".join(rated[names[k]] for k in AMOUNTS[1:3] if names[k] in rated)
        injury = rated.get(names["work_injury_employer"], "")
        day = line.month if line.kind == "month" else None  # a date cell, as a workbook's
        rows.append({say("Month", lang): label,
                     said(ADDED_COLUMNS["date"], lang): day,
                     say("Employees", lang): line.rows,
                     **{said(ANSWER_COLUMNS[k], lang): v for k, v in line.amounts.items()},
                     say("Unemployment rates (employer + individual)", lang): unemployment,
                     say("Work-injury rate", lang): injury})  # fmt: skip
    return rows
