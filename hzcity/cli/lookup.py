"""Lookup commands: topics, facts, show, search, events, validate."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hzcity.cli import complete
from hzcity.cli.common import (
    FactsDirOpt,
    FormatOpt,
    LangOpt,
    catalog,
    columns,
    command,
    format_option,
    language,
    note,
    on_stderr,
    one_line,
    output_format,
    refuse_unused,
)
from hzcity.cli.wording import note_words, period_words, unit_words
from hzcity.errors import BadInput
from hzcity.i18n import Given, Phrase, said, say
from hzcity.labels import HEADERS
from hzcity.output.render import (
    PAGE,
    PEOPLE,
    RECORDS,
    Column,
    Format,
    grouped,
    render,
    render_one,
    terminal_width,
    use_color,
)
from hzcity.output.screen import screened

if TYPE_CHECKING:
    from hzcity.catalog.model import Fact, Topic


def _fact_row(fact: "Fact", lang: str) -> dict[str, object]:
    return {
        "id": fact.id,
        "label": fact.label(lang),
        "shown": fact.shown_value(),
        "shown_kind": fact.shown_kind(lang),
        "period": period_words(fact.period, lang),
    }


PROBLEM_FIELDS = {
    "file": Phrase("File"),
    "line": Phrase("Line"),
    "rule": Phrase("Check"),
    "message": Phrase("Problem"),
}
REPORTER = "记者 "  # a byline of the page: 记者 于勇渊
SHOWN_FIELDS = ("id", "topic", "shown", "base", "shown_kind", "period", "note", "stated_by",
                "source", "page", "quote")  # fmt: skip


def _fact_card(fact: "Fact", lang: str) -> tuple[dict[str, object], list[Column]]:
    """One fact for people: its label as the title, the other language's label left out."""
    row = fact.as_record() | _fact_row(fact, lang) | {"note": note_words(fact.note, lang)}
    figure = grouped(str(fact.base_value))
    if lang == "zh":  # 1,995,000,000元, as 19.95亿元 is written
        base = f"{figure}{unit_words(fact.base_unit, lang)}"
    else:
        base = f"{figure} {fact.base_unit}"
    row["base"] = base if str(fact.base_value) != fact.value else ""  # 50%: said once
    headers = {k: said(HEADERS[k], lang) for k in SHOWN_FIELDS}
    if fact.stated_by.startswith(REPORTER):  # the paper's reporter reported it, not issued it
        row["stated_by"] = fact.stated_by.removeprefix(REPORTER)
        headers["stated_by"] = say("Reported by", lang)
    return row, [Column(key=k, header=header) for k, header in headers.items()]


def _show_facts(
    facts: "list[Fact]", fmt: Format | None, lang: str, topic: "Topic | None" = None
) -> None:
    """People get a few columns (the id never wraps, so it can be copied into `hzcity show`;
    within one ``topic`` it goes without the topic, as the title says); scripts get every
    field."""
    chosen = output_format(fmt)
    if chosen in PEOPLE:
        keys = ("id", "label", "shown", "shown_kind", "period")
        shown = columns(lang, keys, keep=("id", "shown_kind", "period"))
        rows = [_fact_row(f, lang) for f in facts]
        title = ""
        if topic:
            for row in rows:
                row["id"] = str(row["id"]).removeprefix(f"{topic.name}.")
            named = Given(en=topic.name, zh=topic.title("zh"))  # the title says it in Chinese
            title = say("{title} (ids without “{topic}.”)", lang, title=named, topic=topic.name)
        render(rows, shown, chosen, title=title)
    else:
        render([f.as_record() for f in facts], [], chosen)


@command
def topics(fmt: FormatOpt = None, lang: LangOpt = None, facts_dir: FactsDirOpt = None) -> None:
    """List the topics: title, number of facts and source article."""
    code = language(lang)
    records = [
        {"topic": t.name, "title": t.title(code), "facts": len(t.facts), "source": t.headline}
        for t in catalog(facts_dir).topics()
    ]
    shown = columns(code, ("topic", "title", "facts", "source"), numeric=("facts",))
    render(records, shown, output_format(fmt))


@command
def facts(
    topic: Annotated[
        list[str] | None,
        typer.Argument(help="Topics to list (default: all).", autocompletion=complete.topics),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only facts of this kind (repeatable): achievement, target, bound, change, "
            "rate, standard, count, ordinal, date, time, price, contact, statement.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Print the indicators of one or more topics, with unit, kind and period."""
    from hzcity.catalog.model import KINDS

    code = language(lang)
    wanted = {k.strip().lower() for k in kind or []}
    unknown = sorted(wanted - set(KINDS))
    if unknown:
        raise BadInput(
            Phrase("unknown kind {kind!r}; choose from {names}", kind=unknown[0], names=list(KINDS))
        )
    chosen = catalog(facts_dir).topics(topic)
    found = [f for t in chosen for f in t.facts if not wanted or f.kind in wanted]
    if not found:
        where = ", ".join(topic or [say("any topic", code)])
        note(
            say(
                "no fact of kind {kinds} in {topics}",
                code,
                kinds=", ".join(sorted(wanted)),
                topics=where,
            )
        )
    _show_facts(found, fmt, code, topic=chosen[0] if topic and len(chosen) == 1 else None)


@command
def show(
    fact_id: Annotated[
        str,
        typer.Argument(
            help="A fact id, e.g. education.funding-2022, or funding-2022 when only one topic "
            "has it or with --topic.",
            autocompletion=complete.fact_ids,
        ),
    ],
    in_topic: Annotated[
        str | None,
        typer.Option(
            "--topic", "-t", help="The topic of a short fact id.", autocompletion=complete.topics
        ),
    ] = None,
    context: Annotated[
        bool,
        typer.Option(
            "--context", help="Then the paragraph of the page that holds the quote, marked."
        ),
    ] = False,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Show one fact whole, with its source and citation."""
    found = catalog(facts_dir)
    fact = found.fact(fact_id, in_topic)
    code = language(lang)
    # the page's paragraph is for people: in a pipe too it comes as text, «…» marking the quote
    chosen = (fmt or Format.table) if context else output_format(fmt)
    if context and chosen not in PEOPLE:
        raise BadInput(Phrase("--context shows the page to people: use it with --format table"))
    if chosen in PEOPLE:
        record, fields = _fact_card(fact, code)
        render_one(record, chosen, title=fact.label(code), fields=fields)
    else:
        render_one(fact.as_record(), chosen)
    if context:
        from hzcity.page.articles import load
        from hzcity.page.text import context_lines

        lines = context_lines(load(found), fact.id, width=_paragraph_width(margin=2),
                              color=use_color(sys.stdout), lang=code)  # fmt: skip
        sys.stdout.write("\n" + "".join(f" {line}\n" for line in lines))


def _paragraph_width(margin: int = 0) -> int:
    """Where the page's paragraphs wrap: at the terminal's width; in a pipe nowhere, so that
    ``| grep 24.55万平方米`` finds a phrase a wrap would have split."""
    return terminal_width(sys.stdout) - margin if sys.stdout.isatty() else sys.maxsize


@command
def page(
    topic: Annotated[
        list[str] | None,
        typer.Argument(
            help="Topics whose articles to show (default: all).", autocompletion=complete.topics
        ),
    ] = None,
    fmt: Annotated[
        Format,
        format_option(
            PAGE, "text for the terminal, or html: one self-contained file for a browser."
        ),
    ] = Format.text,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """The source page as printed, every curated quote marked with its fact ids."""
    from hzcity.page.articles import load

    code = language(lang)
    found = load(catalog(facts_dir))
    if fmt is Format.html:
        from hzcity.page.html import render_html

        screened(sys.stdout).write(render_html(found, topics=topic, lang=code))
        return
    from hzcity.page.text import page_lines

    lines = page_lines(found, topics=topic, width=_paragraph_width(),
                       color=use_color(sys.stdout), lang=code)  # fmt: skip
    sys.stdout.write("".join(f"{line}\n" for line in lines))


@command
def search(
    words: Annotated[
        list[str], typer.Argument(help="Words to find in ids, labels, values and quotes.")
    ],
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Find facts whose id, labels, value or citation hold every one of WORDS."""
    terms = " ".join(words).split()
    if not terms:
        raise BadInput(Phrase("search needs a word, e.g. hzcity search 孤儿"))
    code = language(lang)
    hits = catalog(facts_dir).search(terms)
    if not hits:
        note(say("no fact holds every word of '{words}'", code, words=" ".join(terms)))
    _show_facts(hits, fmt, code)


@command
def events(
    ics: Annotated[
        bool, typer.Option("--ics", help="Print an iCalendar (.ics) file instead.")
    ] = False,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """List the dated items of the page (meetings, the concert, the rate window)."""
    code = language(lang)
    found = catalog(facts_dir).events()
    if ics:
        refuse_unused({"--format": fmt}, Phrase("with --ics, which writes iCalendar"))
        from hzcity.page.ics import to_ics

        screened(sys.stdout).write(to_ics(found, code))
        return
    shown = columns(code, ("date", "time", "end", "title", "place"))
    shown[2] = Column(key="end", header=say("Until", code, context="an event's last day"))
    shown[3] = Column(key="title", header=say("Event", code))
    chosen = output_format(fmt)
    records = [e.as_record(code) for e in found]
    if chosen in (Format.csv, Format.tsv):  # one cell: the details joined as ``code`` lists them
        between = say("; ", code, context="between details")
        records = [r | {"details": between.join(e.detail_texts(code))}
                   for r, e in zip(records, found, strict=True)]  # fmt: skip
    render(records, shown, chosen)


@command
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or directories to check (default: the shipped facts and user directories)."
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        format_option(
            RECORDS,
            "Problems as a table, json, jsonl, csv, tsv or md (file, line, rule, message). "
            "Default: one file:line: message line each.",
        ),
    ] = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """Check fact and parameter files; print each problem as file:line: message."""
    from hzcity.catalog.validate import validate as check

    found = catalog(facts_dir)
    targets = paths or [found.root, *found.user_roots]
    report = check(targets, found)
    problems = report.problems
    code = language(lang)
    if fmt is None:
        for problem in problems:
            print(one_line(str(problem)))  # file names are a user's: they must not drive a terminal
    else:
        keys = ("file", "line", "rule", "message")
        shown = [Column(key=k, header=said(PROBLEM_FIELDS[k], code), numeric=k == "line",
                        grouped=False) for k in keys]  # fmt: skip
        render([p.as_record() for p in problems], shown, fmt)
    kinds = [(report.topics, Phrase("{n} topic", plural="{n} topics", n=report.topics)),
             (report.units, Phrase("{n} unit table", plural="{n} unit tables", n=report.units)),
             (report.parameters, Phrase("{n} parameter file", plural="{n} parameter files",
                                        n=report.parameters))]  # fmt: skip
    for path in report.unread:
        note(say("{path}: not read: a parameter file is *.yaml or *.yml", code, path=str(path)))
    checked = Phrase("{files} ({kinds})", files=Phrase("{n} file", plural="{n} files",
                                                       n=report.files),
                     kinds=[phrase for count, phrase in kinds if count])  # fmt: skip
    if problems:
        found_problems = say("{n} problem in {files}", code, plural="{n} problems in {files}",
                             n=len(problems), files=checked)  # fmt: skip
        print(on_stderr("error", found_problems), file=sys.stderr)
        raise typer.Exit(1)
    if fmt is None:
        print(say("{files} checked: no problems", code, files=checked))
    else:  # stdout holds the (empty) listing alone
        note(say("{files} checked: no problems", code, files=checked))
