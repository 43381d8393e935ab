"""Calculator commands: premium (one salary, every class, a payroll), allowance, childcare."""

import os
import stat
import sys
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from hzcity.cli.common import (
    DateOpt,
    FactsDirOpt,
    FormatOpt,
    LangOpt,
    amount,
    cited,
    columns,
    command,
    date_option,
    language,
    note,
    parameters,
    refuse_unused,
)
from hzcity.cli.common import output_format as chosen_format
from hzcity.errors import BadInput
from hzcity.i18n import Phrase, said, say
from hzcity.labels import ADDED_COLUMNS, ANSWER_COLUMNS, HEADERS, class_name
from hzcity.money import parse_percent, yuan
from hzcity.output.render import PEOPLE, Format, render, render_one

if TYPE_CHECKING:
    from hzcity.calculators.allowance import Standard
    from hzcity.calculators.premium import Premium, Rates
    from hzcity.cli.months import Asked
    from hzcity.payroll.engine import PayrollOptions, Words
    from hzcity.payroll.months import Months
    from hzcity.payroll.reference import PayrollTotals
    from hzcity.payroll.source import PayrollSource
    from hzcity.policy.dated import DatedValue, Day, Parameters


# the contribution-base floor and ceiling: their name on a rates sheet and their option
BOUNDS = ((Phrase("Contribution-base floor"), "--base-min"),
          (Phrase("Contribution-base ceiling"), "--base-max"))  # fmt: skip


def _source(rates: "Rates", lang: str) -> str:
    """Where the current work-injury rate came from, in words."""
    return said(rates.injury.origin, lang) if rates.injury is not None else ""


def _say_if_waiting(path: str, lang: str) -> None:
    """On a terminal, say that a named pipe is waited on before it is opened: with no
    program writing into it, opening it waits (as ``cat`` does), and nothing else would
    say why the run stands still."""
    if path == "-" or not sys.stderr.isatty():
        return
    try:
        fifo = stat.S_ISFIFO(os.stat(path).st_mode)
    except (OSError, ValueError):  # a missing file: opening it says why
        return
    if fifo:
        note(say("{source} is a named pipe: waiting for a program to write into it "
                 "(Ctrl+C stops)", lang, source=path))  # fmt: skip


def _past_note(day: date, today: date, lang: str) -> None:
    """Today has no rates: say whose day's were used and how to bring a later notice."""
    note(
        say(
            "rates of {day}: today ({today}) is past the last day that has them; for a later "
            "notice, write a file to fill in: hzcity rates --template DIR (see 'User "
            "parameter files' in facts/README.md)",
            lang,
            day=day,
            today=today,
        )
    )


@command
def premium(
    salary: Annotated[
        str | None, typer.Option(metavar="YUAN", help="Monthly contribution base in yuan.")
    ] = None,
    salaries: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help="Payroll: .xlsx, .xls, .ods, CSV, TSV or JSON lines, UTF-8 or GB18030 (GBK) "
            "('-' for stdin): one output row per employee row, as CSV unless --format "
            "tsv/json/jsonl or --output.",
        ),
    ] = None,
    column: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Salary column (default: 缴费基数, ..., 应发工资, 工资, ..., salary, base, wage).",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            metavar="NAME|N|all",
            help="Workbook sheet (default: the one visible sheet with employee rows, else the one "
            "whose salary column alone is the contribution base); 'all': every visible sheet "
            "with a salary column, a sheet named as a month (2024年12月) giving its rows that "
            "month.",
        ),
    ] = None,
    month_column: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Column of each row's month, priced at the rates of its first day (default: "
            "所属期, 费款所属期, 所属月份, 缴费月份, 月份, 期间, month, period).",
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            metavar="YYYY",
            min=1000,
            max=9999,
            help="Year of a month written without one (a sheet named 12月).",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            metavar="month",
            help="Print the month totals alone (head count, base, each item, the saving; "
            "the rates too in json, jsonl, csv and tsv), not the rows.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            metavar="NAME", help="Text encoding (default: UTF-8, else GB18030, which reads GBK)."
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(metavar="CHAR", help="Field delimiter (default: told from the header)."),
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            metavar="N", min=1, help="Row of the header (default: the first naming a salary)."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the payroll answer to FILE: .xlsx, .csv (for Excel), .tsv, .json or "
            ".jsonl.",
        ),
    ] = None,
    skip_bad_rows: Annotated[
        bool,
        typer.Option(
            "--skip-bad-rows",
            help="Skip unreadable payroll rows, listing each on stderr, instead of stopping.",
        ),
    ] = False,
    industry_class: Annotated[
        int | None,
        typer.Option(
            metavar="1-8",
            help="Industry risk class 1-8: its national benchmark rate (about; the employer's "
            "own rate may differ, see --injury-rate) is taken as the current rate.",
        ),
    ] = None,
    injury_rate: Annotated[
        str | None,
        typer.Option(
            metavar="PCT",
            help="The employer's own current work-injury rate in percent (0.9 or 0.9%).",
        ),
    ] = None,
    on: DateOpt = None,
    base_min: Annotated[
        str | None, typer.Option(metavar="YUAN", help="Contribution base floor.")
    ] = None,
    base_max: Annotated[
        str | None, typer.Option(metavar="YUAN", help="Contribution base ceiling.")
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Unemployment and work-injury premiums under the rates in force on a day."""
    from hzcity.calculators import premium as pm

    if (salary is None) == (salaries is None):
        raise BadInput(Phrase("give either --salary AMOUNT or --salaries FILE (or - for stdin)"))
    if salary is not None:
        payroll_only = {"--column": column, "--sheet": sheet, "--encoding": encoding,
                        "--delimiter": delimiter, "--header-row": header_row, "--output": output,
                        "--skip-bad-rows": skip_bad_rows, "--month-column": month_column,
                        "--year": year, "--by": by}  # fmt: skip
        refuse_unused(payroll_only, Phrase("to one --salary, only to a payroll (--salaries FILE)"))
    elif by is not None:
        from hzcity.cli.months import check_by

        check_by(by, output)
    elif output is None:  # checked before any note
        from hzcity.payroll.engine import check_stdout_format

        check_stdout_format(fmt or Format.csv)
    one = amount(salary, "--salary")
    floor, ceiling = amount(base_min, "--base-min"), amount(base_max, "--base-max")
    own = parse_percent(injury_rate, "--injury-rate") if injury_rate is not None else None
    code, params = language(lang), parameters(facts_dir)
    if salaries is not None:
        from hzcity.cli.months import Asked
        from hzcity.payroll.engine import PayrollOptions

        if industry_class is not None and own is not None:  # before the file is opened
            raise BadInput(
                Phrase(
                    "give an industry class (--industry-class) or the employer's own rate, not both"
                ),
                field="injury_rate",
            )
        # the day asked is checked before the file is read (a month column then refuses it)
        day = None if on is None else pm.prepare(
            params, on=on, industry_class=industry_class, own_rate=own, payroll=True,
            base_min=floor, base_max=ceiling).rates  # fmt: skip
        options = PayrollOptions(column=column, sheet=sheet, encoding=encoding,
                                 delimiter=delimiter, header_row=header_row, output=output,
                                 skip_bad=skip_bad_rows, base_min=floor, base_max=ceiling,
                                 month_column=month_column, year=year)  # fmt: skip
        asked = Asked(params=params, on=on, industry_class=industry_class, own_rate=own,
                      day=day)  # fmt: skip
        _payroll(salaries, asked, options, fmt, code, by=by)
        return
    plan = pm.prepare(params, on=on, industry_class=industry_class, own_rate=own,
                      base_min=floor, base_max=ceiling)  # fmt: skip
    rates = plan.rates
    if rates.past and rates.today:
        _past_note(rates.day, rates.today, code)
    if one is not None and plan.every_class:
        note(
            say(
                "no --industry-class or --injury-rate: showing the benchmark rate of every class",
                code,
            )
        )
        _by_class(one, rates, params, chosen_format(fmt), code)
    elif one is not None:
        _one(pm.compute(one, rates), chosen_format(fmt), code)


def _one(result: "Premium", fmt: Format, lang: str) -> None:
    """One salary: line items for people, one object (or row) for scripts."""
    from hzcity.calculators.premium import line_items

    if fmt not in PEOPLE:
        render_one(_record(result, lang), fmt)
        return
    rates = result.rates
    # each rate's window and reference as a numbered note under the table, so that every
    # line item keeps to one line at 80 columns
    rows, notes = [], []
    rate_texts = {used.item: used.text for used in rates.used()}
    for item, value, dated in line_items(result):
        label = said(HEADERS[item], lang)
        bound = _bound_text(result, lang) if item == "contribution_base" else ""
        if bound:
            notes.append(bound)
            label += f"[{len(notes)}]"
        if dated is not None:
            text = _cited(dated, lang)
            if item == "work_injury_employer":
                text = say(
                    "{cited}; current rate: {source}", lang, cited=text, source=_source(rates, lang)
                )
            notes += [text] if text not in notes else []
            label += f"[{notes.index(text) + 1}]"
        shown = yuan(value) if value is not None else ""
        rows.append({"item": label, "rate": rate_texts.get(item, ""), "yuan": shown})
    shown_columns = columns(lang, ("item", "rate", "yuan"), numeric=("yuan",))
    lines = [f"[{n}] {text}" for n, text in enumerate(notes, 1)]
    caption = "\n".join(
        [
            *lines,
            say(
                "rates of {day}; each item is rounded half-up to the fen "
                "(0.01 yuan); totals are sums of rounded items",
                lang,
                day=rates.day,
            ),
        ]
    )
    render(rows, shown_columns, fmt, caption=caption)


def _record(result: "Premium", lang: str) -> dict[str, object]:
    """A premium's record with its rounding rule said in ``lang``: JSON and CSV carry
    the reader's words too."""
    from hzcity.calculators.premium import ROUNDING

    return result.as_record() | {"rounding": said(ROUNDING, lang)}


def _bound_text(result: "Premium", lang: str) -> str:
    """Why the contribution base is not the salary: the floor or ceiling it met, and whose."""
    bound, which = result.bound, result.bound_applied
    if bound is None or which is None:
        return ""
    dated = bound.dated
    source = cited(dated, lang) if dated is not None else "--base-min/--base-max"
    values = {"salary": yuan(result.salary), "base": yuan(bound.value), "source": source}
    if which == "floor":
        return say("the salary {salary} is below the contribution-base floor: {base} ({source})",
                   lang, **values)  # fmt: skip
    return say("the salary {salary} is above the contribution-base ceiling: {base} ({source})",
               lang, **values)  # fmt: skip


def _cited(dated: "DatedValue", lang: str) -> str:
    """A rate's window and what it rests on: the page's own words for a page fact, else the
    notice (national, or a user's, marked as such)."""
    reference = cited(dated, lang)
    if dated.source != "page":
        return say("in force {window}: {reference}", lang, window=dated.window, reference=reference)
    from hzcity.catalog.model import Catalog

    quote = Catalog().fact(dated.reference.fact).quote
    return say(
        "in force {window}: {reference} — {quote}",
        lang,
        window=dated.window,
        reference=reference,
        quote=quote,
    )


def _by_class(
    salary: Decimal, rates: "Rates", params: "Parameters", fmt: Format, lang: str
) -> None:
    """Every industry class side by side: the same record as one salary, one per class."""
    from hzcity.calculators import premium as pm

    day = rates.day
    results = pm.every_class(salary, rates, params)
    records = [_record(result, lang) for result in results]
    if fmt in PEOPLE:  # 一类…八类 as a clerk writes them; scripts keep the numbers
        classes = pm.industry_classes(day, params)
        records = [r | {"industry_class": said(class_name(n), lang)}
                   for r, n in zip(records, classes, strict=True)]  # fmt: skip
    # the unemployment items are the same in every class: said once, under the table, so
    # that the classes fit side by side on an 80-column terminal
    amounts = ("work_injury_employer", "work_injury_saving", "employer_total", "total")
    keys = ("industry_class", "work_injury_current_rate", "work_injury_reduced_rate", *amounts)
    shown = columns(lang, keys, numeric=amounts)
    first = records[0]
    same = say(
        "unemployment, in every class: {employer} employer, {individual} individual",
        lang,
        employer=first["unemployment_employer"],
        individual=first["unemployment_individual"],
    )
    bound = _bound_text(pm.compute(salary, rates), lang)  # the base is the same in every class
    injury = results[0].rates.injury
    about = say("current rate: about (左右) the benchmark rate of each class ({document}); the "
                "employer's actual rate may differ: give it with --injury-rate", lang,
                document=injury.document if injury else "")  # fmt: skip
    caption = "\n".join(
        line
        for line in (
            bound,
            about,
            same,
            say(
                "rates of {day}; each item is "
                "rounded half-up to the fen (0.01 "
                "yuan); totals are sums of rounded "
                "items",
                lang,
                day=day,
            ),
        )
        if line
    )
    render(records, shown, fmt, caption=caption)


def _payroll(
    path: str,
    asked: "Asked",
    options: "PayrollOptions",
    fmt: Format | None,
    lang: str,
    *,
    by: str | None = None,
) -> None:
    """Options -> the core's payroll run -> notes on stderr. The file is opened first:
    whether its rows carry months decides whose rates price them."""
    from hzcity.cli import months
    from hzcity.cli.progress import Progress
    from hzcity.payroll import engine
    from hzcity.payroll.months import Months
    from hzcity.payroll.source import PayrollSource, open_payroll

    chosen = fmt or Format.csv
    engine.check_output(options, path)  # before a long read
    open_elsewhere = engine.open_elsewhere(path)
    if open_elsewhere is not None:
        note(open_elsewhere.says(lang))
    opened: PayrollSource
    _say_if_waiting(path, lang)
    if options.sheet == months.ALL:
        from hzcity.payroll.sheets import open_all

        opened = open_all(path, column=options.column, header_row=options.header_row,
                          wanted_month=options.month_column, year=options.year)  # fmt: skip
    else:
        opened = open_payroll(path, column=options.column, sheet=options.sheet,
                              encoding=options.encoding, delimiter=options.delimiter,
                              header_row=options.header_row)  # fmt: skip
    with opened as source, Progress(source.progress, lang) as bar:
        engine.refuse_for_format(source.format, options)
        pricing, options = months.pricing(source, asked, options, by=by, lang=lang)
        if asked.industry_class is None and asked.own_rate is None:
            note(
                say(
                    "work-injury columns, employer_total and total left empty: give "
                    "--industry-class or --injury-rate",
                    lang,
                )
            )
        dated_by = None  # the column giving each row's month (--sheet all names its own)
        if isinstance(pricing, Months) and pricing.column is not None:
            dated_by = source.header[pricing.column]
        _reading_notes(source, lang, keyed=engine.keyed(options, chosen), month=dated_by)
        hooks = engine.Progress(track=bar.track, rows_only=bar.rows_only(), restart=bar.restart)
        if by is not None:
            assert isinstance(pricing, Months)
            outcome = engine.tally(source, pricing, options, progress=hooks)
        elif options.output is not None:
            words = _answer_words(pricing, lang)
            outcome = engine.to_file(source, pricing, options, words=words, progress=hooks)
        else:
            outcome = engine.to_stdout(source, pricing, options, chosen, stdout=sys.stdout,
                                       progress=hooks)  # fmt: skip
        # which engine computed is no clerk's concern: said to whoever asked for the fast one
        if outcome.engine_note is not None and os.environ.get("HZCITY_ENGINE") == "fast":
            note(outcome.engine_note.says(lang))
        for skipped in source.skipped:  # total, footer and repeated header rows
            note(skipped.says(lang))
        months.sheet_notes(source, lang)
    if isinstance(pricing, Months):
        months.notes(pricing, outcome.totals, lang, rates_line=_rates_line)
    else:
        _payroll_notes(pricing, outcome.totals, lang)
    for said_note in outcome.notes:
        note(said_note.says(lang))
    if options.output is not None:
        note(say("wrote {path}: {rows} rows", lang, path=options.output, rows=outcome.totals.rows))
    if by is not None:
        assert isinstance(pricing, Months)
        months.by_month(outcome.totals, pricing, chosen_format(fmt), lang)


def _answer_words(pricing: "Rates | Months", lang: str) -> "Words":
    """The words of an answer for people in ``lang``: the computed columns' headers (the
    premium table's words in English, the clerk's terms in Chinese), the totals row's label, the
    sheets' names, the rates sheet (each rate used and each contribution-base bound, with
    the day, its window and its reference: a user file's marked as such, the url if any;
    priced by month, each rate and window with the months it priced), the added columns'
    headers and the month totals."""
    from hzcity.calculators.premium import AMOUNTS, Rates
    from hzcity.cli.months import month_sheet, spans_text
    from hzcity.payroll.engine import Words

    keys = ("item", "rate", "date", "window", "reference")
    header = [said(HEADERS[k], lang) for k in keys]

    def sheet(rows: list[tuple[str, ...]], names: list[str] = header) -> list[dict[str, str]]:
        return [dict(zip(names, row, strict=True)) for row in rows]

    def by_month() -> list[dict[str, str]]:  # once the run has met its months
        assert not isinstance(pricing, Rates)
        priced: dict[tuple[str, ...], list[date]] = {}
        for month, rates in pricing.used().items():
            for item, rate, _, window, reference in _rate_rows(rates, lang):
                priced.setdefault((item, rate, window, reference), []).append(month)
        months = [*header[:2], say("Months priced", lang), *header[3:]]  # not one day
        return sheet([(item, rate, spans_text(days, lang), window, reference)
                      for (item, rate, window, reference), days in priced.items()],
                     months)  # fmt: skip

    return Words(
        columns=[said(ANSWER_COLUMNS[key], lang) for key in AMOUNTS],
        total=say("Total", lang),
        sheets=(
            say("premiums", lang),
            say("rates", lang),
            say("month totals", lang, context="sheet"),
        ),
        rates=sheet(_rate_rows(pricing, lang)) if isinstance(pricing, Rates) else [],
        month_rates=None if isinstance(pricing, Rates) else by_month,
        added={key: said(word, lang) for key, word in ADDED_COLUMNS.items()},
        month_sheet=_no_months
        if isinstance(pricing, Rates)
        else partial(month_sheet, months=pricing, lang=lang, rate_rows=_rate_rows),
    )


def _no_months(totals: "PayrollTotals") -> list[dict[str, object]]:
    """A payroll at one day's rates has no month-totals sheet."""
    return []


def _rate_rows(rates: "Rates", lang: str) -> list[tuple[str, ...]]:
    """The rates sheet's rows of one day's rates: item, rate, day, window, reference."""
    rows: list[tuple[str, ...]] = []
    for used in rates.used():
        reference = said(used.dated.cited(url=True), lang)
        if used.injury is not None:  # where the current rate of 0.45% = 0.9% × (1 − 50%) came from
            reference = say("{before}; {after}", lang, before=reference, after=used.injury.origin)
        rows.append((said(HEADERS[used.item], lang), used.text, used.day.isoformat(),
                     said(used.dated.window, lang), reference))  # fmt: skip
    for bound, (item, flag) in zip(rates.bounds, BOUNDS, strict=True):
        if bound is not None:
            dated = bound.dated
            rows.append((said(item, lang), say("{amount} yuan", lang, amount=yuan(bound.value)),
                         rates.day.isoformat(), said(dated.window, lang) if dated else "",
                         said(dated.cited(url=True), lang) if dated else flag))  # fmt: skip
    return rows


def _reading_notes(
    source: "PayrollSource", lang: str, *, keyed: bool, month: str | None = None
) -> None:
    """What the reader decided, so a clerk can see the right columns were read: the salary
    column charged and (``month``) the column dating each row."""
    kind = source.format + (f" {source.sheet}" if source.sheet else "")
    if source.encoding:  # csv, utf-8 / csv、utf-8
        kind = say(", ", lang).join([kind, source.encoding])
    read = {"name": source.name, "kind": kind, "column": source.column_name}
    if month is None:
        note(say("{name}: {kind}; salary column: {column}", lang, **read))
    else:
        note(say("{name}: {kind}; salary column: {column}; month column: {month}", lang,
                 month=month, **read))  # fmt: skip
    for chosen in source.notes:  # a sheet, gross pay for the base
        note(chosen.says(lang))
    for skipped in source.titles:
        note(say("title row {where} skipped: {text}", lang, where=skipped.where, text=skipped.text))
    if keyed and source.renamed:  # JSON keys only: the other formats keep the header as is
        renamed = [f"{old!r} -> {new}" for old, new in source.renamed]
        note(
            say(
                "{where}: header names made distinct so that no cell is lost: {renamed}",
                lang,
                where=source.header_where,
                renamed=renamed,
            )
        )


def _payroll_notes(rates: "Rates", totals: "PayrollTotals", lang: str) -> None:
    """The rates used, skipped rows and totals: on stderr, so stdout stays a clean table."""
    from hzcity.cli.months import skipped_notes, totals_note, user_value_notes

    skipped_notes(totals, lang)
    note(_rates_line(rates, lang, rates.day))
    used = [(name, dated.window, cited(dated, lang)) for name, dated in rates.user_values()]
    user_value_notes(used, lang)
    totals_note(totals, lang)


def _rates_line(rates: "Rates", lang: str, day: object) -> str:
    """The rates of a payroll in one line: unemployment, and work injury when computed."""
    used = {rate.item: rate for rate in rates.used()}
    employer, individual = used["unemployment_employer"], used["unemployment_individual"]
    rates_line = say("rates of {day}: unemployment {employer} employer + {individual} "
                     "individual ({window})", lang, day=day, employer=employer.text,
                     individual=individual.text, window=employer.dated.window)  # fmt: skip
    if "work_injury_employer" in used:
        injury = used["work_injury_employer"]
        said_injury = say("work injury {rate} ({window}); current rate: {source}", lang,
                          rate=injury.text, window=injury.dated.window,
                          source=_source(rates, lang))  # fmt: skip
        rates_line = say("{rates}; {injury}", lang, rates=rates_line, injury=said_injury)
    return rates_line


@command
def allowance(
    care: Annotated[str, typer.Option(metavar="institutional|scattered", help="Type of care.")],
    category: Annotated[
        str | None,
        typer.Option(
            metavar="orphan|unsupported|hiv",
            help="Orphan (default), de facto unsupported child or HIV-infected child.",
        ),
    ] = None,
    months: Annotated[int | None, typer.Option(help="Number of months to total (12).")] = None,
    student: Annotated[
        bool,
        typer.Option(
            "--student",
            help="The child is enrolled in school: add the school grant where the page grants it.",
        ),
    ] = False,
    school_years: Annotated[
        int | None, typer.Option(help="School years of grant (with --student; 1).")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            help="Year of the standard: 2022 as stated, 2021 derived from the stated increase."
        ),
    ] = None,
    growth: Annotated[
        str | None,
        typer.Option(
            metavar="PCT",
            help="Assumed yearly growth in percent, to project the standard (with --until).",
        ),
    ] = None,
    until: Annotated[int | None, typer.Option(help="Last year of the projection.")] = None,
    on: Annotated[
        str | None,
        date_option(
            help="Day of the school grant and, without --year, the year of the standard: "
            "YYYY-MM-DD; YYYY-MM, a month (its first day); or 'today' (strictly). Default: "
            "today, else the latest day before it with a grant, and the latest standard "
            "stated up to this year."
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Orphan basic living allowance (also for HIV-infected and de facto unsupported children)."""
    from hzcity.calculators import allowance as al
    from hzcity.cli import cards

    code, chosen, params = language(lang), chosen_format(fmt), parameters(facts_dir)
    if (growth is None) != (until is None):
        raise BadInput(Phrase("--growth and --until go together"))
    if growth is not None and until is not None:
        given = {"--category": category, "--months": months, "--school-years": school_years,
                 "--year": year, "--student": student, "--date": on}  # fmt: skip
        refuse_unused(
            given, Phrase("to a projection (--growth/--until), only to one child's allowance")
        )
        al.check_care(care)  # an unknown care type fails before the growth rate is read
        projected = al.project(care, parse_percent(growth, "--growth"), until, params)
        _projection(projected, chosen, code)
        return
    if not student:
        refuse_unused({"--school-years": school_years}, Phrase("without --student"))
    result = al.allowance(
        care=care,
        category=category or "orphan",
        months=12 if months is None else months,
        year=year,
        student=student,
        school_years=1 if school_years is None else school_years,
        params=params,
        on=on,
    )
    if result.past and result.today:
        _past_note_year(result.standard.year, result.today, f"orphan-standard-{care}", code)
    if result.day.past and result.grant_rule == "granted":
        _past_note_value(result.day, al.GRANT, code)
    if chosen not in PEOPLE:  # people read the rules under the card
        for warning in cards.allowance_warnings(result, code):
            note(warning)
    cards.allowance_card(result, chosen, code)


def _past_note_year(year: int, today: date, name: str, lang: str) -> None:
    """No standard is stated for this year: say whose year's was used, and how to add one."""
    from hzcity.policy.dated import template_command

    command = template_command([name], date(today.year, 1, 1))
    note(
        say(
            "the standard stated for {year}: none is stated for {this_year}; for a later "
            "notice, write a file to fill in: {command}",
            lang,
            year=year,
            this_year=today.year,
            command=command,
        )
    )


def _past_note_value(day: "Day", name: str, lang: str) -> None:
    """Today has no value of ``name``: say whose day's was used, and how to add a later
    one."""
    from hzcity.policy.dated import template_command

    command = template_command([name], date(day.today.year, 1, 1))
    note(say("{name} of {day}: today ({today}) is past the last day that has one; for a later "
             "notice, write a file to fill in: {command}", lang, name=name, day=day.day,
             today=day.today, command=command))  # fmt: skip


def _projection(rows: "list[Standard]", fmt: Format, lang: str) -> None:
    from hzcity.cli.cards import BASES

    def basis(code: str) -> str:
        return said(BASES[code], lang) if fmt in PEOPLE else code

    records = [
        {"year": s.year, "monthly_standard": yuan(s.monthly), "basis": basis(s.basis), "how": s.how}
        for s in rows
    ]
    shown = columns(lang, ("year", "monthly_standard", "basis"), numeric=("monthly_standard",))
    render(
        records,
        shown,
        fmt,
        bar="monthly_standard",
        caption=say("projection under an assumed growth rate, not a published standard", lang),
    )


@command
def childcare(
    children: Annotated[int, typer.Option(help="Children actually enrolled.")],
    months: Annotated[int, typer.Option(help="Number of months.")] = 12,
    on: Annotated[
        str | None,
        date_option(
            help="Day of the subsidy: YYYY-MM-DD; YYYY-MM, a month (its first day); or 'today' "
            "(strictly). Default: today, else the latest day before it that has one."
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Operating subsidy of an inclusive childcare institution per child and month."""
    from hzcity.calculators.allowance import SUBSIDY
    from hzcity.calculators.allowance import childcare as compute_childcare
    from hzcity.cli import cards

    result = compute_childcare(children=children, months=months, params=parameters(facts_dir),
                               on=on)  # fmt: skip
    chosen, code = chosen_format(fmt), language(lang)
    if result.day.past:
        _past_note_value(result.day, SUBSIDY, code)
    if chosen not in PEOPLE:  # people read it under the card
        for warning in cards.childcare_warnings(result, code):
            note(warning)
    cards.childcare_card(result, chosen, code)
