"""The Typer app and what every command shares: options, language, notes, output closing."""

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer._types import TyperChoice  # what Typer makes of an Enum; not re-exported

from hzcity.errors import unused_options
from hzcity.i18n import Phrase, said
from hzcity.labels import HEADERS
from hzcity.output.render import RECORDS, Column, Format, default_format

if TYPE_CHECKING:
    from hzcity.catalog.model import Catalog
    from hzcity.policy.dated import DatedValue, Parameters

F = TypeVar("F", bound=Callable[..., Any])


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class OutputClosed(Exception):
    """The reader of stdout went away (``| head``): stop quietly."""


# Commands by name, filled by @command as their modules are imported; hzcity.cli builds an
# app of just the command being run (Typer turns every registered command into a click
# command on each run, ~1 ms apiece: a tenth of hzcity's start-up above Typer's own).
COMMANDS: dict[str, Callable[..., Any]] = {}


def command(func: F) -> F:
    """Record a command whose broken pipe ends the run quietly.

    Typer turns a broken pipe into exit 1; hzcity exits as a process killed by
    SIGPIPE would (141), so ``set -o pipefail`` scripts see what happened.
    """

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            raise OutputClosed from None

    COMMANDS[func.__name__] = run
    return func


def format_option(formats: Sequence[Format], help: str) -> Any:
    """An --format option offering ``formats`` of the one registry (render.Format)."""
    choices = TyperChoice([f.value for f in formats], case_sensitive=False)
    return typer.Option("--format", "-f", click_type=choices, help=help)


FormatOpt = Annotated[
    Format | None,
    format_option(
        RECORDS,
        help="Output format (json: one document; jsonl: one object a line). Default: table "
        "on a terminal, tsv in a pipe.",
    ),
]
LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="Language of labels. Default: $HZCITY_LANG, then the locale, then en.",
    ),
]


def date_option(help: str) -> Any:
    """A --date option: one metavar and one reading of it (policy.timeline.asked_day) for
    every command."""
    return typer.Option("--date", metavar="YYYY-MM-DD|YYYY-MM|today", help=help)


# the calculators' --date; ``rates`` says what its own does
DateOpt = Annotated[
    str | None,
    date_option(
        help="Day of the rates: YYYY-MM-DD; YYYY-MM, a month (its first day: the rates of that "
        "month's contributions); or 'today' (strictly). Default: today, else the latest day "
        "before it that has them."
    ),
]
FactsDirOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--facts-dir",
        help="Extra directory of topic and parameters/*.yaml (or .yml) files (also "
        "$HZCITY_FACTS_PATH).",
    ),
]


def catalog(facts_dir: list[Path] | None) -> "Catalog":
    """The fact catalog, imported on use so calculators start without it."""
    from hzcity.catalog.model import Catalog

    return Catalog.from_env(facts_dir)


def parameters(facts_dir: list[Path] | None) -> "Parameters":
    """The shipped parameters with the windows of the users' parameter files."""
    from hzcity.loader import facts_roots
    from hzcity.policy.user import load_parameters

    return load_parameters(facts_roots(facts_dir))


def cited(value: "DatedValue", lang: str) -> str:
    """A rate's reference as people read it, marked when a user file supplied it."""
    return said(value.cited(), lang)


def language(lang: str | None) -> str:
    """--lang, else $HZCITY_LANG, else the locale's language, else English. $HZCITY_LANG is
    read as a locale is (zh, zh_CN, zh_CN.UTF-8 are Chinese; en_US English); a value in
    neither language falls through to the locale, as an unknown LANG would."""
    if lang:
        return "zh" if lang.lower() == "zh" else "en"
    for var in ("HZCITY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").lower()
        if value.startswith("zh"):
            return "zh"
        if value.startswith("en") or (value and var != "HZCITY_LANG"):
            return "en"
    return "en"


def output_format(fmt: Format | None) -> Format:
    return fmt or default_format()


def columns(
    lang: str, keys: tuple[str, ...], keep: tuple[str, ...] = (), numeric: tuple[str, ...] = ()
) -> list[Column]:
    """Columns headed in ``lang``; ``keep`` never wrap, ``numeric`` are right-aligned."""
    return [
        Column(key=k, header=said(HEADERS[k], lang), numeric=k in numeric, wrap=k not in keep)
        for k in keys
    ]


def note(message: str) -> None:
    """A remark for the person at the terminal that must not pollute stdout; text from
    a user's file in it (a title row, a column name) cannot drive the terminal. Best
    effort: a note stderr cannot take (2>/dev/full) is dropped, and the run goes on."""
    try:
        print(on_stderr("note", message), file=sys.stderr, flush=True)
    except OSError:
        _forget(sys.stderr)


def _forget(stream: object) -> None:
    """Drop what a failed stream still buffers, so that no later write or flush fails on it
    again (its descriptor then points at /dev/null)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())  # type: ignore[attr-defined]
        finally:
            os.close(null)


def on_stderr(kind: str, message: str) -> str:
    """``hzcity: KIND: message`` as stderr shows it: one line in a pipe or a file, where
    scripts grep it; on a terminal, wrapped to its width in display cells at word and
    Chinese character boundaries, each further line indented under the message."""
    head = f"hzcity: {kind}: "
    if not sys.stderr.isatty():
        return head + one_line(message)
    from hzcity.output.render import terminal_width
    from hzcity.output.table import wrap

    room = max(terminal_width(sys.stderr) - len(head), 20)  # a sliver of a terminal: overflow
    return head + ("\n" + " " * len(head)).join(wrap(one_line(message), room))


def one_line(text: str) -> str:
    """``text`` as one printable line of stderr."""
    from hzcity.output.screen import printable

    return printable(text).replace("\n", " ")


def amount(text: str | None, flag: str) -> Decimal | None:
    """An optional amount option, parsed by the one amount rule."""
    from hzcity.money import parse_amount

    return parse_amount(text, flag) if text is not None else None


def refuse_unused(given: Mapping[str, object], mode: Phrase) -> None:
    """Options a mode would silently ignore are an error: a user who gave them expects them
    to count. ``given`` maps each such flag to its value (None or False: not given)."""
    unused = [flag for flag, value in given.items() if value not in (None, False)]
    if unused:
        raise unused_options(unused, mode)
