"""Calculator commands: premium (one salary, every class, a payroll), allowance, childcare."""

import sys
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from hzcity.cli.common import FormatOpt, LangOpt, amount, columns, command, language, note
from hzcity.cli.common import output_format as chosen_format
from hzcity.errors import BadInput
from hzcity.labels import say
from hzcity.money import parse_percent, percent, yuan
from hzcity.render import Format, render, render_one, stream

if TYPE_CHECKING:
    from hzcity.allowance import Standard
    from hzcity.premium import PayrollTotals, Premium, Rates

PEOPLE = (Format.table, Format.md)


def _day(text: str | None, lang: str) -> date:
    """--date, else today if in the documented window, else its nearest day (with a note)."""
    from hzcity.policy import parse_day
    from hzcity.premium import default_day, documented_window

    if text is not None:
        try:
            return parse_day(text)
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    today = date.today()
    day = default_day(today)
    if day != today:
        first, last = documented_window()
        note(say("note.today_outside", lang, today=today, first=first, last=last, day=day))
    return day


def _source(rates: "Rates", lang: str) -> str:
    """Where the current work-injury rate came from, in words."""
    injury = rates.injury
    if injury is None:
        return ""
    return say(f"source.{injury.source}", lang, **injury._asdict())


@command()
def premium(
    salary: Annotated[
        str | None, typer.Option(metavar="YUAN", help="Monthly contribution base in yuan.")
    ] = None,
    salaries: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help="Payroll CSV with a header ('-' for stdin): one output row per input row.",
        ),
    ] = None,
    column: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Salary column of the payroll (default: salary, 工资, ... or the only column).",
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
            help="Industry risk class 1-8: its national benchmark rate is the current rate.",
        ),
    ] = None,
    injury_rate: Annotated[
        str | None,
        typer.Option(
            metavar="PCT",
            help="The employer's own current work-injury rate in percent (0.9 or 0.9%).",
        ),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Day of the rates.")
    ] = None,
    base_min: Annotated[
        str | None, typer.Option(metavar="YUAN", help="Contribution base floor.")
    ] = None,
    base_max: Annotated[
        str | None, typer.Option(metavar="YUAN", help="Contribution base ceiling.")
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Unemployment and work-injury premiums under the reduced rates in force on a day."""
    from hzcity import premium as pm

    if (salary is None) == (salaries is None):
        raise BadInput("give either --salary AMOUNT or --salaries FILE (or - for stdin)")
    if industry_class is not None and injury_rate is not None:
        raise BadInput("give --industry-class or --injury-rate, not both")
    one = amount(salary, "--salary")
    floor, ceiling = amount(base_min, "--base-min"), amount(base_max, "--base-max")
    if floor and ceiling and floor > ceiling:
        raise BadInput(f"--base-min {floor} is above --base-max {ceiling}")
    code = language(lang)
    day = _day(on, code)
    pm.rates_at(day, None)  # a day outside every window fails before anything is printed
    own = parse_percent(injury_rate, "--injury-rate") if injury_rate is not None else None
    rates = pm.rates_at(day, pm.choose_injury(day, industry_class, own))
    if salaries is not None:
        _payroll(salaries, rates, column, (floor, ceiling), skip_bad_rows, fmt, code)
    elif one is not None and rates.injury is None:
        note(say("note.by_class", code))
        _by_class(one, day, (floor, ceiling), chosen_format(fmt), code)
    elif one is not None:
        _one(pm.compute(one, rates, base_min=floor, base_max=ceiling), chosen_format(fmt), code)


def _rate_text(item: str, rates: "Rates") -> str:
    """The rate of a line item as people write it: 0.5%, or 0.45% = 0.9% - 50%."""
    if item == "unemployment_employer":
        return f"{percent(rates.unemployment_employer.value)}%"
    if item == "unemployment_individual":
        return f"{percent(rates.unemployment_individual.value)}%"
    if item == "work_injury_employer" and rates.injury and rates.injury_cut:
        reduced = percent(rates.reduced_rate or Decimal(0))
        return f"{reduced}% = {percent(rates.injury.current)}% - {percent(rates.injury_cut.value)}%"
    return ""


def _one(result: "Premium", fmt: Format, lang: str) -> None:
    """One salary: line items for people, one object (or row) for scripts."""
    from hzcity.premium import line_items

    if fmt not in PEOPLE:
        render_one(result.as_record(), fmt)
        return
    rates = result.rates
    rows = []
    for item, value, window, reference in line_items(result):
        if item == "work_injury_employer":
            reference = f"{reference}; {_source(rates, lang)}"
        shown = yuan(value) if value is not None else ""
        rate = _rate_text(item, rates)
        row = {"item": say(item, lang), "rate": rate, "yuan": shown, "window": window}
        rows.append(row | {"reference": reference})
    shown_columns = columns(
        lang, ("item", "rate", "yuan", "window", "reference"), keep=("window",), numeric=("yuan",)
    )
    render(rows, shown_columns, fmt, caption=say("rounding", lang, day=rates.day))


def _by_class(
    salary: Decimal,
    day: date,
    limits: tuple[Decimal | None, Decimal | None],
    fmt: Format,
    lang: str,
) -> None:
    """Every industry class side by side: the same record as one salary, one per class."""
    from hzcity import premium as pm

    records = [
        pm.compute(
            salary,
            pm.rates_at(day, pm.benchmark_rate(klass, day)),
            base_min=limits[0],
            base_max=limits[1],
        ).as_record()
        for klass in pm.industry_classes(day)
    ]
    amounts = ("work_injury_employer", "work_injury_saving", "unemployment_employer",
               "unemployment_individual", "employer_total", "total")  # fmt: skip
    keys = ("industry_class", "work_injury_current_rate", "work_injury_reduced_rate", *amounts)
    shown = columns(lang, keys, numeric=amounts)
    render(records, shown, fmt, caption=say("rounding", lang, day=day))


def _payroll(
    path: str,
    rates: "Rates",
    column: str | None,
    limits: tuple[Decimal | None, Decimal | None],
    skip_bad: bool,
    fmt: Format | None,
    lang: str,
) -> None:
    from hzcity import premium as pm

    chosen = fmt or Format.csv
    if chosen not in (Format.csv, Format.tsv, Format.json):
        raise BadInput("payroll mode writes csv, tsv or json (one object per line)")
    if rates.injury is None:
        note(say("note.no_injury", lang))
    totals = pm.PayrollTotals()
    if _fast_payroll(path, rates, column, limits, chosen, totals):
        _payroll_notes(path, rates, totals, lang)
        return
    lines = pm.open_lines(path)
    try:
        rows = pm.payroll(
            lines,
            rates,
            column=column,
            base_min=limits[0],
            base_max=limits[1],
            skip_bad=skip_bad,
            totals=totals,
            source=path,
        )
        stream(rows, chosen)
        sys.stdout.flush()
    finally:
        if lines is not sys.stdin:
            lines.close()
    _payroll_notes(path, rates, totals, lang)


def _fast_payroll(
    path: str,
    rates: "Rates",
    column: str | None,
    limits: tuple[Decimal | None, Decimal | None],
    fmt: Format,
    totals: "PayrollTotals",
) -> bool:
    """The vectorised engine, when installed and the file is one it takes (see payroll_fast);
    HZCITY_ENGINE=python forces the reference engine."""
    import importlib.util
    import os
    from pathlib import Path

    if path == "-" or fmt is Format.json or os.environ.get("HZCITY_ENGINE") == "python":
        return False
    if importlib.util.find_spec("pyarrow") is None or not Path(path).is_file():
        return False
    from hzcity import payroll_fast

    return payroll_fast.run(
        Path(path), rates, delimiter=",", out_delimiter="\t" if fmt is Format.tsv else ",",
        column=column, base_min=limits[0], base_max=limits[1], totals=totals, out=sys.stdout,
    )  # fmt: skip


def _payroll_notes(path: str, rates: "Rates", totals: "PayrollTotals", lang: str) -> None:
    """The rates used, skipped rows and totals: on stderr, so stdout stays a clean table."""
    if totals.renamed:
        taken = [name.removeprefix("hzcity_") for name in totals.renamed]
        note(say("note.renamed", lang, names=", ".join(taken), renamed=", ".join(totals.renamed)))
    for line, why in totals.skipped:
        note(say("note.skipped", lang, where=f"{path}:{line}", why=why))
    unemp = rates.unemployment_employer
    rates_line = say(
        "note.rates",
        lang,
        day=rates.day,
        employer=percent(unemp.value),
        individual=percent(rates.unemployment_individual.value),
        window=unemp.window,
    )
    if rates.injury and rates.injury_cut:
        injury = say(
            "note.injury_rates",
            lang,
            reduced=percent(rates.reduced_rate or Decimal(0)),
            current=percent(rates.injury.current),
            source=_source(rates, lang),
            cut=percent(rates.injury_cut.value),
            window=rates.injury_cut.window,
        )
        rates_line = f"{rates_line}; {injury}"
    note(rates_line)
    sums = ", ".join(f"{k}={yuan(v)}" for k, v in totals.sums.items())
    note(say("note.payroll", lang, rows=totals.rows, skipped=len(totals.skipped), sums=sums))


@command()
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
    fmt: FormatOpt = None,
    lang: LangOpt = None,
) -> None:
    """Orphan basic living allowance (also for HIV-infected and de facto unsupported children)."""
    from hzcity import allowance as al

    code, chosen = language(lang), chosen_format(fmt)
    if (growth is None) != (until is None):
        raise BadInput("--growth and --until go together")
    if growth is not None and until is not None:
        given = {"--category": category, "--months": months, "--school-years": school_years,
                 "--year": year, "--student": student or None}  # fmt: skip
        unused = [flag for flag, value in given.items() if value is not None]
        if unused:
            raise BadInput(
                f"--growth/--until project the monthly standard only; {', '.join(unused)} "
                "apply to one child's allowance: drop them or drop --growth/--until"
            )
        al.check_care(care)  # an unknown care type fails before the growth rate is read
        _projection(al.project(care, parse_percent(growth, "--growth"), until), chosen, code)
        return
    result = al.allowance(
        care=care,
        category=category or "orphan",
        months=12 if months is None else months,
        year=year,
        student=student,
        school_years=1 if school_years is None else school_years,
    )
    if result.category != "orphan":
        note(say("same_standard", code, reference=al.SAME_STANDARD_FACT))
    if result.grant_rule == "not-stated-for-category":
        why = say(f"grant.{result.grant_rule}", code, reference=result.grant_reference,
                  category=result.category)  # fmt: skip
        note(why)
    render_one(result.as_record(), chosen, title="allowance")


def _projection(rows: "list[Standard]", fmt: Format, lang: str) -> None:
    def basis(code: str) -> str:
        return say(f"basis.{code}", lang) if fmt in PEOPLE else code

    records = [
        {"year": s.year, "monthly_standard": yuan(s.monthly), "basis": basis(s.basis), "how": s.how}
        for s in rows
    ]
    shown = columns(lang, ("year", "monthly_standard", "basis"), numeric=("monthly_standard",))
    render(records, shown, fmt, bar="monthly_standard", caption=say("projection", lang))


@command()
def childcare(
    children: Annotated[int, typer.Option(help="Children actually enrolled.")],
    months: Annotated[int, typer.Option(help="Number of months.")] = 12,
    fmt: FormatOpt = None,
) -> None:
    """Operating subsidy of an inclusive childcare institution per child and month."""
    from hzcity.allowance import childcare as compute_childcare

    result = compute_childcare(children=children, months=months)
    render_one(result.as_record(), chosen_format(fmt), title="childcare subsidy")
