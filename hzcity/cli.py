"""Typer commands: parse arguments, call the core, render; errors become exit codes here."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from hzcity import __version__
from hzcity.catalog import KINDS, Catalog, Fact
from hzcity.errors import BadInput, HzError
from hzcity.render import Column, Format, default_format, render, render_one


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


def _lang(lang: Lang | None) -> str:
    if lang:
        return lang.value
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return "zh" if os.environ[var].lower().startswith("zh") else "en"
    return "en"


def _fmt(fmt: Format | None) -> Format:
    return fmt or default_format()


def _headers(lang: str, **pairs: tuple[str, str]) -> list[Column]:
    """Columns from key=(English, Chinese) header pairs."""
    return [Column(key, zh if lang == "zh" else en) for key, (en, zh) in pairs.items()]


def _fact_row(fact: Fact, lang: str) -> dict[str, object]:
    return {
        "id": fact.id,
        "label": fact.label(lang),
        "shown": fact.shown_value(),
        "shown_kind": fact.shown_kind(lang),
        "period": fact.period,
    }


def _fact_columns(lang: str) -> list[Column]:
    return _headers(
        lang,
        id=("ID", "编号"),
        label=("Indicator", "指标"),
        shown=("Value", "数值"),
        shown_kind=("Kind", "类型"),
        period=("Period", "时期"),
    )


def _show_facts(facts: list[Fact], fmt: Format | None, lang: str, title: str = "") -> None:
    chosen = _fmt(fmt)
    if chosen in (Format.table, Format.md):
        render([_fact_row(f, lang) for f in facts], _fact_columns(lang), chosen, title=title)
    else:
        render([f.as_record() for f in facts], [], chosen)


@app.command()
def topics(fmt: FormatOpt = None, lang: LangOpt = None, facts_dir: FactsDirOpt = None) -> None:
    """List the topics: title, number of facts and source article."""
    code = _lang(lang)
    records = [
        {"topic": t.name, "title": t.title(code), "facts": len(t.facts), "source": t.headline}
        for t in Catalog.from_env(facts_dir).topics()
    ]
    columns = _headers(
        code,
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
            "--kind", "-k", help=f"Only facts of this kind (repeatable): {', '.join(KINDS)}."
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Print the indicators of one or more topics, with unit, kind and period."""
    wanted = {k.strip().lower() for k in kind or []}
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise BadInput(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}")
    found = Catalog.from_env(facts_dir).facts(topic)
    _show_facts([f for f in found if not wanted or f.kind in wanted], fmt, _lang(lang))


@app.command()
def show(
    fact_id: Annotated[str, typer.Argument(help="A fact id, e.g. education.funding-2022.")],
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Show one fact whole, with its source and citation."""
    fact = Catalog.from_env(facts_dir).fact(fact_id)
    render_one(fact.as_record(), {}, _fmt(fmt), title=fact.label(_lang(lang)))


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
        for f in Catalog.from_env(facts_dir).facts()
        if all(w in f"{f.id} {f.label_zh} {f.label_en} {f.value} {f.quote}".lower() for w in words)
    ]
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
    found = [e for t in Catalog.from_env(facts_dir).topics() for e in t.events]
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


def main() -> None:
    """Console entry point: the one place errors become messages and exit codes."""
    try:
        app()
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
