"""The rates command: every dated parameter's windows, values, references and sources."""

from typing import Annotated

import typer

from hzcity.cli import complete
from hzcity.cli.common import (
    FactsDirOpt,
    FormatOpt,
    LangOpt,
    columns,
    command,
    language,
    output_format,
    parameters,
)
from hzcity.errors import BadInput
from hzcity.labels import class_rates, say
from hzcity.render import Column, Format, render


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
        typer.Option("--date", metavar="YYYY-MM-DD", help="Show only what is in force that day."),
    ] = None,
    fmt: FormatOpt = None,
    lang: LangOpt = None,
    facts_dir: FactsDirOpt = None,
) -> None:
    """The rates and standards the calculators use: one row per window, with its source."""
    from hzcity.policy import parse_day, timeline

    code, chosen = language(lang), output_format(fmt)
    try:
        day = parse_day(on) if on is not None else None
    except BadInput as exc:
        raise BadInput(exc.message, field="date") from None
    records = timeline(parameters(facts_dir), names or (), day)
    if chosen not in (Format.table, Format.md):
        render(records, [], chosen)
        return
    rows = [_for_people(r, code, on) for r in records]
    keys = ("name", "label", "start", "end", "value", "reference")
    shown = columns(code, keys, keep=("name", "start", "end", "reference"))
    shown += [Column("source", say("rate_source", code)), Column("status", say("status", code))]
    render(rows, shown, chosen)


def _for_people(record: dict[str, object], lang: str, day: str | None) -> dict[str, object]:
    """A timeline record in words: its label in ``lang``, its source and status explained."""
    source = str(record["source"] or "")
    status = say(f"status.{record['status']}", lang, year=record["stated_for"], day=day)
    if source.startswith("user:"):
        source = say("source.user", lang, file=source.removeprefix("user:"))
    elif source:
        source = say(f"source.{source}", lang)
    value = record["value"]
    if value not in (None, ""):  # a figure is read with its unit: 0.5%, 200 元/人/月
        unit = say(f"unit.{record['unit']}", lang)
        if ": " in str(value):  # a per-class table, "1: 0.2, 2: 0.4": 1: 0.2%, or 一类0.2%
            pairs = (pair.split(": ") for pair in str(value).split(", "))
            value = class_rates({int(n): rate for n, rate in pairs}, lang)
        else:
            value = f"{value}%" if unit == "%" else f"{value} {unit}"
    return record | {"label": record[f"label_{lang}"], "value": value, "source": source,
                     "status": status}  # fmt: skip
