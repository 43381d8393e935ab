"""The rates command: every dated parameter's windows, values, references and sources."""

import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hzcity.cli import complete
from hzcity.cli.common import (
    FactsDirOpt,
    FormatOpt,
    LangOpt,
    columns,
    command,
    date_option,
    language,
    note,
    output_format,
    parameters,
    refuse_unused,
)
from hzcity.cli.wording import UNITS, class_rates
from hzcity.i18n import N_, Phrase, said, say
from hzcity.output.render import PEOPLE, Column, Format, grouped, render

if TYPE_CHECKING:
    from hzcity.policy.dated import Parameters


# a window's status and the source of its value, in words
STATUSES = {
    "dated": N_("in force over its window"),
    "stated": N_("stated for {year}; no end printed"),
    "announced": N_("announced on {date}, not in force"),
    "none": N_("nothing in force on {day}"),
}
SOURCES = {"page": Phrase("page"), "national": Phrase("national notice")}


@command
def rates(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME]...",
            help="Parameters to show (default: all).",
            autocompletion=complete.parameter_names,
        ),
    ] = None,
    on: Annotated[
        str | None,
        date_option(
            help="Show only what stands that day: YYYY-MM-DD; YYYY-MM, a month (its first day); or "
            "'today'. With --template: the first day of its window."
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            metavar="DIR",
            help="Write a parameter file to fill in, DIR/parameters/rates-DATE.yaml ('-': "
            "print it): the rates premium needs (or the NAMEs), from --date (default: "
            "1 January) to 31 December.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """The rates and standards the calculators use: one row per window, with its source."""
    from hzcity.policy.dated import windows
    from hzcity.policy.timeline import asked_day

    code, params = language(lang), parameters(facts_dir)
    day = asked_day(on) if on is not None else None
    if template is not None:
        refuse_unused({"--format": fmt}, Phrase("with --template, which writes YAML"))
        _template(params, names or (), day, template, code)
        return
    records = windows(params, names or (), day)
    chosen = output_format(fmt)
    if chosen in (Format.csv, Format.tsv):  # a table per class as one JSON cell
        import json

        records = [r | {"by_class": json.dumps(r["by_class"]) if r["by_class"] else None}
                   for r in records]  # fmt: skip
    if chosen not in PEOPLE:
        render(records, [], chosen)
        return
    rows = [_for_people(r, code, day) for r in records]
    keys = ("name", "label", "start", "end", "value", "reference")
    shown = columns(code, keys, keep=("name", "start", "end", "reference"))
    shown += [Column(key="source", header=say("Source", code)),
              Column(key="status", header=say("Status", code))]  # fmt: skip
    render(rows, shown, chosen)


def _template(
    params: "Parameters", names: Sequence[str], day: date | None, target: str, lang: str
) -> None:
    """A parameter file to fill in, written under ``target`` (or printed, for '-')."""
    from hzcity.policy.dated import parameter
    from hzcity.policy.template import template, write_template
    from hzcity.policy.timeline import today

    for name in names:
        parameter(name, params)  # an unknown name fails with the closest ones
    start = day or date(today().year, 1, 1)
    text = template(params, names, start, lang)
    if target == "-":
        sys.stdout.write(text)
        return
    path = write_template(Path(target), text, start)
    note(
        say(
            "wrote {path}: fill in each value and the notice, then: hzcity validate {root}",
            lang,
            path=path,
            root=target,
        )
    )


def _for_people(record: dict[str, object], lang: str, day: date | None) -> dict[str, object]:
    """A timeline record in words: its label in ``lang``, its value with its unit (every
    class of a table), its reference with its address, its source and status explained."""
    from hzcity.policy.dated import cited

    source = str(record["source"] or "")
    status = say(STATUSES[str(record["status"])], lang, year=record["stated_for"], day=day,
                 date=record["start"])  # fmt: skip
    start = "" if record["status"] == "announced" else record["start"]  # no start: a date said
    if source.startswith("user:"):
        source = say("user-supplied: {file}", lang, file=source.removeprefix("user:"))
    elif source:
        source = said(SOURCES[source], lang)
    unit = said(UNITS[str(record["unit"])], lang) if record["unit"] else ""
    by_class = record["by_class"]
    if isinstance(by_class, dict):
        value: object = class_rates({int(k): v for k, v in by_class.items()}, lang)
    else:
        value = _with_unit(record["value"], unit, lang)
    shown = record["reference"]  # a Phrase for a notice: its title in 书名号 in Chinese
    url = str(record["reference_url"] or "")
    reference = said(cited(shown, url=url), lang) if isinstance(shown, str) and shown else ""
    end = record["end"]
    if record["then"]:  # the window as the timeline has it: to the eve of the next start
        end = say("{until}, then {where}", lang, until=record["until"], where=record["then"])
    return record | {"label": record[f"label_{lang}"], "value": value, "source": source,
                     "status": status, "reference": reference, "start": start,
                     "end": end}  # fmt: skip


def _with_unit(value: object, unit: str, lang: str) -> str:
    """A figure as it is read with its unit: 0.5%, 10,000 yuan/person/school year,
    200元/人/月; nothing for no figure."""
    if value in (None, ""):
        return ""
    space = "" if unit == "%" or lang == "zh" else " "
    return f"{grouped(str(value))}{space}{unit}"
