"""Typer commands: parse arguments, call the core, render; errors become exit codes here."""

import copy
import os
import sys
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hzcity import __version__
from hzcity.errors import BadInput, HzError
from hzcity.money import ROUNDING_RULE, parse_amount, parse_percent, yuan
from hzcity.render import Column, Format, default_format, render, render_one, stream

if TYPE_CHECKING:
    from typer.models import CommandInfo

    from hzcity.catalog import Catalog, Fact
    from hzcity.premium import InjuryRate, Rates


class Lang(StrEnum):
    zh = "zh"
    en = "en"


app = typer.Typer(
    help="Sourced facts and exact calculators from a Harbin city newspaper page (31 May 2023).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format. Default: table on a terminal, tsv in a pipe.",
    ),
]
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        envvar="HZCITY_LANG",
        case_sensitive=False,
        help="Language of labels. Default: $HZCITY_LANG, then the locale, then en.",
    ),
]
FactsDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--facts-dir", help="Extra directory of topic files (also $HZCITY_FACTS_PATH)."),
]


def _catalog(facts_dir: list[Path] | None) -> "Catalog":
    """The fact catalog, imported on use so calculators start without it."""
    from hzcity.catalog import Catalog

    return Catalog.from_env(facts_dir)


def _lang(lang: Lang | None) -> str:
    if lang:
        return lang.value
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return "zh" if os.environ[var].lower().startswith("zh") else "en"
    return "en"


def _fmt(fmt: Format | None) -> Format:
    return fmt or default_format()


def _headers(
    lang: str, keep: tuple[str, ...] = (), numeric: tuple[str, ...] = (), **pairs: tuple[str, str]
) -> list[Column]:
    """Columns from key=(English, Chinese) header pairs; ``keep`` never wrap, ``numeric``
    are right-aligned (and never wrap either)."""
    return [
        Column(key, zh if lang == "zh" else en, numeric=key in numeric, wrap=key not in keep)
        for key, (en, zh) in pairs.items()
    ]


def _fact_row(fact: "Fact", lang: str) -> dict[str, object]:
    return {
        "id": fact.id,
        "label": fact.label(lang),
        "shown": fact.shown_value(),
        "shown_kind": fact.shown_kind(lang),
        "period": fact.period,
    }


def _fact_columns(lang: str) -> list[Column]:
    """The id never wraps, so it can be copied into `hzcity show`."""
    zh = lang == "zh"
    return [
        Column("id", "编号" if zh else "ID", wrap=False),
        Column("label", "指标" if zh else "Indicator"),
        Column("shown", "数值" if zh else "Value"),
        Column("shown_kind", "类型" if zh else "Kind", wrap=False),
        Column("period", "时期" if zh else "Period", wrap=False),
    ]


def _show_facts(facts: "list[Fact]", fmt: Format | None, lang: str) -> None:
    chosen = _fmt(fmt)
    if chosen in (Format.table, Format.md):
        render([_fact_row(f, lang) for f in facts], _fact_columns(lang), chosen)
    else:
        render([f.as_record() for f in facts], [], chosen)


@app.command()
def topics(fmt: FormatOpt = None, lang: LangOpt = None, facts_dir: FactsDirOpt = None) -> None:
    """List the topics: title, number of facts and source article."""
    code = _lang(lang)
    records = [
        {"topic": t.name, "title": t.title(code), "facts": len(t.facts), "source": t.headline}
        for t in _catalog(facts_dir).topics()
    ]
    columns = _headers(
        code,
        numeric=("facts",),
        topic=("Topic", "主题"),
        title=("Title", "标题"),
        facts=("Facts", "条数"),
        source=("Source article", "来源文章"),
    )
    render(records, columns, _fmt(fmt))


@app.command()
def facts(
    topic: Annotated[
        list[str] | None, typer.Argument(help="Topics to list (default: all).")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only facts of this kind (repeatable): achievement, target, bound, change, "
            "rate, standard, count, date, time, price, contact, statement.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Print the indicators of one or more topics, with unit, kind and period."""
    from hzcity.catalog import KINDS

    wanted = {k.strip().lower() for k in kind or []}
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise BadInput(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    found = [f for f in _catalog(facts_dir).facts(topic) if not wanted or f.kind in wanted]
    if not found:
        _note(f"no fact of kind {', '.join(sorted(wanted))} in {', '.join(topic or ['any topic'])}")
    _show_facts(found, fmt, _lang(lang))


@app.command()
def show(
    fact_id: Annotated[str, typer.Argument(help="A fact id, e.g. education.funding-2022.")],
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Show one fact whole, with its source and citation."""
    fact = _catalog(facts_dir).fact(fact_id)
    render_one(fact.as_record(), _fmt(fmt), title=fact.label(_lang(lang)))


@app.command()
def search(
    term: Annotated[str, typer.Argument(help="Words to find in ids, labels, values and quotes.")],
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Find facts whose id, labels, value or citation hold every word of TERM."""
    words = term.lower().split()
    if not words:
        raise BadInput("search needs a word, e.g. hzcity search 孤儿")
    hits = [
        f
        for f in _catalog(facts_dir).facts()
        if all(w in f"{f.id} {f.label_zh} {f.label_en} {f.value} {f.quote}".lower() for w in words)
    ]
    if not hits:
        _note(f"no fact holds every word of {term!r}")
    _show_facts(hits, fmt, _lang(lang))


@app.command()
def events(
    ics: Annotated[
        bool, typer.Option("--ics", help="Print an iCalendar (.ics) file instead.")
    ] = False,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """List the dated items of the page (meetings, the concert, the rate window)."""
    code = _lang(lang)
    found = [e for t in _catalog(facts_dir).topics() for e in t.events]
    found.sort(key=lambda e: str(e.date.base_value))
    if ics:
        from hzcity.ics import to_ics

        sys.stdout.write(to_ics(found, code))
        return
    records = [
        {
            "id": e.id,
            "title": e.title(code),
            "date": str(e.date.base_value),
            "time": e.time.value if e.time else None,
            "end": str(e.end.base_value) if e.end else None,
            "place": e.place.value if e.place else None,
            "details": [f"{d.label(code)}: {d.shown_value()}" for d in e.details],
            "source": e.date.source,
        }
        for e in found
    ]
    columns = _headers(
        code,
        date=("Date", "日期"),
        time=("Time", "时间"),
        end=("Until", "截至"),
        title=("Event", "事项"),
        place=("Place", "地点"),
    )
    render(records, columns, _fmt(fmt))


def _note(message: str) -> None:
    """A remark for the person at the terminal that must not pollute stdout."""
    print(f"hzcity: note: {message}", file=sys.stderr)


def _optional_amount(text: str | None, what: str) -> Decimal | None:
    return parse_amount(text, what) if text is not None else None


def _premium_day(text: str | None) -> date:
    """--date, else today if in the documented window, else its nearest day (with a note)."""
    from hzcity.policy import parse_day
    from hzcity.premium import documented_window

    if text is not None:
        try:
            return parse_day(text)
        except ValueError as exc:
            raise BadInput(str(exc)) from None
    first, last = documented_window()
    today = date.today()
    if first <= today <= last:
        return today
    nearest = last if today > last else first
    _note(
        f"today ({today}) is outside the documented window {first}/{last}; showing the rates "
        f"of {nearest}. They may not apply today; pass --date to choose a day."
    )
    return nearest


@app.command()
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
    """Unemployment and work-injury premiums under the reduced rates (2023-05-01 to 2024-12-31)."""
    from hzcity import premium as pm

    if (salary is None) == (salaries is None):
        raise BadInput("give either --salary AMOUNT or --salaries FILE (or - for stdin)")
    if industry_class is not None and injury_rate is not None:
        raise BadInput("give --industry-class or --injury-rate, not both")
    amount = parse_amount(salary, "--salary") if salary is not None else None
    floor, ceiling = (
        _optional_amount(base_min, "--base-min"),
        _optional_amount(base_max, "--base-max"),
    )
    if floor and ceiling and floor > ceiling:
        raise BadInput(f"--base-min {floor} is above --base-max {ceiling}")
    day = _premium_day(on)
    pm.rates_at(day, None)  # a day outside every window fails before anything is printed
    injury = _injury(industry_class, injury_rate, day)
    if salaries is not None:
        if injury is None:
            _note("work-injury columns left empty: give --industry-class or --injury-rate")
        _payroll(salaries, pm.rates_at(day, injury), column, floor, ceiling, skip_bad_rows, fmt)
    elif amount is not None and injury is None:
        _note("no --industry-class or --injury-rate: showing the benchmark rate of every class")
        _premium_by_class(amount, day, floor, ceiling, _fmt(fmt), _lang(lang))
    elif amount is not None:
        _premium_one(amount, pm.rates_at(day, injury), floor, ceiling, _fmt(fmt), _lang(lang))


def _injury(industry_class: int | None, injury_rate: str | None, day: date) -> "InjuryRate | None":
    """The employer's current work-injury rate: a class's benchmark, its own, or not given."""
    from hzcity.premium import InjuryRate, benchmark_rate

    if industry_class is not None:
        return benchmark_rate(industry_class, day)
    if injury_rate is not None:
        rate = parse_percent(injury_rate, "--injury-rate")
        return InjuryRate(rate, "the employer's own current rate (--injury-rate)")
    return None


def _premium_one(
    amount: Decimal,
    rates: "Rates",
    floor: Decimal | None,
    ceiling: Decimal | None,
    fmt: Format,
    lang: str,
) -> None:
    """One salary: line items for people, one object (or row) for scripts."""
    from hzcity import premium as pm

    amounts = pm.compute(amount, rates, base_min=floor, base_max=ceiling)
    if fmt in (Format.table, Format.md):
        columns = _headers(
            lang,
            ("window",),
            ("amount",),
            item=("Item", "项目"),
            rate=("Rate", "费率"),
            amount=("Yuan", "金额(元)"),
            window=("In force", "执行期间"),
            reference=("Reference", "依据"),
        )
        caption = f"{rates.day}: {ROUNDING_RULE}"
        render(pm.line_items(amounts, rates, lang), columns, fmt, caption=caption)
        return
    limits = {"base_min": floor, "base_max": ceiling}
    record = pm.as_text(amounts) | {k: yuan(v) if v else None for k, v in limits.items()}
    render_one(record | rates.as_record() | {"rounding": ROUNDING_RULE}, fmt)


def _premium_by_class(
    amount: Decimal,
    day: date,
    floor: Decimal | None,
    ceiling: Decimal | None,
    fmt: Format,
    lang: str,
) -> None:
    from hzcity import premium as pm

    records = []
    for klass in pm.industry_classes(day):
        rates = pm.rates_at(day, pm.benchmark_rate(klass, day))
        amounts = pm.compute(amount, rates, base_min=floor, base_max=ceiling)
        records.append(pm.as_text(amounts) | rates.as_record())
    amounts = ("work_injury_employer", "work_injury_saving", "unemployment_employer",
               "unemployment_individual", "employer_total", "total")  # fmt: skip
    columns = _headers(
        lang,
        numeric=amounts,
        industry_class=("Class", "行业类别"),
        work_injury_current_rate=("Current %", "现行费率%"),
        work_injury_reduced_rate=("Reduced %", "下调后%"),
        work_injury_employer=("Work injury", "工伤保险"),
        work_injury_saving=("Saved", "节省"),
        unemployment_employer=("Unemp. employer", "失业(单位)"),
        unemployment_individual=("Unemp. individual", "失业(个人)"),
        employer_total=("Employer total", "单位合计"),
        total=("Total", "合计"),
    )
    render(records, columns, fmt, caption=f"{day}: {ROUNDING_RULE}")


def _payroll(
    path: str,
    rates: "Rates",
    column: str | None,
    floor: Decimal | None,
    ceiling: Decimal | None,
    skip_bad: bool,
    fmt: Format | None,
) -> None:
    from hzcity import premium as pm

    chosen = fmt or Format.csv
    if chosen not in (Format.csv, Format.tsv, Format.json):
        raise BadInput("payroll mode writes csv, tsv or json (one object per line)")
    totals = pm.PayrollTotals()
    lines = pm.open_lines(path)
    rows = pm.payroll(
        lines,
        rates,
        column=column,
        base_min=floor,
        base_max=ceiling,
        skip_bad=skip_bad,
        totals=totals,
        source=path,
    )
    stream(rows, chosen)
    sys.stdout.flush()
    for line, why in totals.skipped:
        _note(f"skipped {path}:{line}: {why}")
    sums = ", ".join(f"{k}={yuan(v)}" for k, v in totals.sums.items())
    _note(rates.summary())
    _note(f"rows: {totals.rows}, skipped: {len(totals.skipped)}; totals: {sums}")


@app.command()
def allowance(
    care: Annotated[str, typer.Option(metavar="institutional|scattered", help="Type of care.")],
    category: Annotated[
        str,
        typer.Option(
            metavar="orphan|unsupported|hiv",
            help="Orphan, de facto unsupported child or HIV-infected child.",
        ),
    ] = "orphan",
    months: Annotated[int, typer.Option(help="Number of months to total.")] = 12,
    student: Annotated[
        bool,
        typer.Option(
            "--student",
            help="The child is enrolled in school: add the school grant where the page grants it.",
        ),
    ] = False,
    school_years: Annotated[int, typer.Option(help="School years of grant (with --student).")] = 1,
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

    code, chosen = _lang(lang), _fmt(fmt)
    if (growth is None) != (until is None):
        raise BadInput("--growth and --until go together")
    if growth is not None and until is not None:
        al.stated_standard(care)  # an unknown care type fails before the growth rate is read
        rows = al.project(care, parse_percent(growth, "--growth"), until)
        records = [
            {"year": s.year, "monthly_standard": yuan(s.monthly), "basis": s.basis, "how": s.how}
            for s in rows
        ]
        columns = _headers(
            code,
            numeric=("monthly_standard",),
            year=("Year", "年份"),
            monthly_standard=("Yuan/month", "元/月"),
            basis=("Basis", "依据"),
        )
        render(
            records,
            columns,
            chosen,
            bar="monthly_standard",
            caption="projection under an assumed growth rate, not a published standard",
        )
        return
    record = al.allowance(
        care=care,
        category=category,
        months=months,
        year=year,
        student=student,
        school_years=school_years,
    )
    if category != "orphan":
        _note(al.SAME_STANDARD_RULE)
    if student and record["school_years"] == 0:
        _note(str(record["grant_rule"]))
    render_one(record, chosen, title="allowance")


@app.command()
def childcare(
    children: Annotated[int, typer.Option(help="Children actually enrolled.")],
    months: Annotated[int, typer.Option(help="Number of months.")] = 12,
    fmt: FormatOpt = None,
) -> None:
    """Operating subsidy of an inclusive childcare institution: 200 yuan a child a month."""
    from hzcity.allowance import childcare as compute_childcare

    render_one(
        compute_childcare(children=children, months=months),
        _fmt(fmt),
        title="childcare subsidy",
    )


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or directories to check (default: the shipped facts and user directories)."
        ),
    ] = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Check fact and parameter files; print each problem as file:line: message."""
    from hzcity.validate import validate as check
    from hzcity.validate import yaml_files

    catalog = _catalog(facts_dir)
    targets = paths or [catalog.root, *catalog.user_roots]
    problems = check(targets, catalog)
    for problem in problems:
        print(problem)
    checked = len(yaml_files(targets))
    if problems:
        print(f"hzcity: {len(problems)} problem(s) in {checked} file(s)", file=sys.stderr)
        raise typer.Exit(1)
    print(f"{checked} file(s) checked: no problems")


def version_callback(value: bool) -> None:
    if value:
        print(f"hzcity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Sourced facts and exact calculators from a Harbin city newspaper page (31 May 2023)."""


def _survive_narrow_encodings() -> None:
    """Under e.g. PYTHONIOENCODING=ascii, escape Chinese as \\uXXXX rather than crash."""
    try:
        "哈".encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _name(command: "CommandInfo") -> str:
    return command.name or command.callback.__name__.replace("_", "-")


def _app_for(args: list[str]) -> typer.Typer:
    """The app holding only the command about to run, when the first argument names one.

    Typer turns every registered command into a click command on each run (~1 ms
    apiece); `--help`, `--version` and unknown names still get the whole app.
    """
    chosen = [c for c in app.registered_commands if args and _name(c) == args[0]]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def main() -> None:
    """Console entry point: the one place errors become messages and exit codes."""
    _survive_narrow_encodings()
    try:
        _app_for(sys.argv[1:])(prog_name="hzcity")
    except HzError as exc:
        print(f"hzcity: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): silence the final flush, as the Python docs advise.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    except KeyboardInterrupt:
        sys.exit(130)
