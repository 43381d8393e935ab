"""Typer's help screens and usage errors in display cells and in the reader's language.

Click (vendored by Typer 0.26+) wraps help by code points, so a line of Chinese takes up
to twice the width it was given, and writes its own words ("Usage:", "Options:", "Missing
option") in English. Its vendored copy no longer goes through gettext (only a few Typer
words do, and a gettext catalog needs a compiled .mo file and the process's locale), so
hzcity reaches them through Click's public seams instead: ``Command.context_class``,
``Context.make_formatter`` and a ``HelpFormatter`` subclass that measures in cells and
says Click's words from the catalog; a usage error is said from the exception's public
fields (its parameter, option name, possibilities).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer

from hzcity.i18n import N_, Phrase, said, say, translate

if TYPE_CHECKING:
    # Typer exports the class only as typer.Context.formatter_class; mypy needs its name.
    from typer._click.formatting import HelpFormatter
else:
    HelpFormatter = typer.Context.formatter_class

# Typer adds these to an option's help as "  [env var: X; default: Y; required]".
# Patterns are strings, compiled (by re's cache) only when help or an error is drawn.
_EXTRAS = r"(?s)(?P<help>.*?)(?P<sep>\s*)\[(?P<extras>[^\[\]]*)\]"
_EXTRA_KEYS = {"env var: ": N_("env var: {value}"), "default: ": N_("default: {value}")}
# ... and an option's range as Click writes it ("1<=x<=8", "x>=1"): said in words, by the
# forms hzcity's options take (tests/test_help.py finds no other in any help)
_RANGES = {
    r"(?P<low>-?[0-9]+)<=x<=(?P<high>-?[0-9]+)": N_("{low} to {high}"),
    r"x>=(?P<low>-?[0-9]+)": N_("{low} or more"),
}
# Click's words as it writes them (headings, extras, the kinds of parameter and of value)
_WORDS = {
    "Options": Phrase("Options"),
    "Arguments": Phrase("Arguments"),
    "Commands": Phrase("Commands"),
    "required": Phrase("required"),
    "option": Phrase("option"),
    "argument": Phrase("argument"),
    "parameter": Phrase("parameter"),
    "int": Phrase("int"),
    "float": Phrase("float"),
}
HELP_OPTION = Phrase("Show this message and exit.")  # Click's help of --help
# A value's placeholder in the help, by the metavar an option gives or the one Typer makes
# of its type (<int>); an argument's by its name.
_METAVARS = {
    "YUAN": Phrase("YUAN", context="placeholder"),
    "PCT": Phrase("PCT", context="placeholder"),
    "FILE": Phrase("FILE", context="placeholder"),
    "DIR": Phrase("DIR", context="placeholder"),
    "NAME": Phrase("NAME", context="placeholder"),
    "NAME|N|all": Phrase("NAME|N|all", context="placeholder"),
    "N": Phrase("N", context="placeholder"),
    "CHAR": Phrase("CHAR", context="placeholder"),
    "YYYY": Phrase("YYYY", context="placeholder"),
    "[NAME]...": Phrase("[NAME]...", context="placeholder"),
    "int": Phrase("<int>", context="placeholder"),
    "str": Phrase("<str>", context="placeholder"),
    "path": Phrase("<path>", context="placeholder"),
}
# ... and by a parameter's name: an argument's, or an option's whose type says too little
_NAMES = {
    "fact_id": Phrase("fact_id", context="placeholder"),
    "topic": Phrase("topic...", context="placeholder"),
    "words": Phrase("words...", context="placeholder"),
    "paths": Phrase("paths...", context="placeholder"),
    "year": _METAVARS["YYYY"],
    "until": _METAVARS["YYYY"],
    "facts_dir": _METAVARS["DIR"],
    "in_topic": Phrase("TOPIC", context="placeholder"),
    "kind": Phrase("KIND", context="placeholder"),
}


class CellFormatter(HelpFormatter):
    """Click's help formatter, measuring in terminal cells and saying Click's words in
    ``lang``."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        from hzcity.output.table import cells, wrap  # here: a run that draws no help never needs it

        if prefix is None:
            prefix = say("Usage: ", self.lang)
        head = f"{'':>{self.current_indent}}{prefix}{prog} "
        room = self.width - self.current_indent
        if room - cells(head) >= 20:
            lines = wrap(args, room - cells(head))
            pad = " " * cells(head)
            self.write(head + f"\n{pad}".join(lines) + "\n")
        else:
            pad = " " * (max(self.current_indent, cells(prefix)) + 4)
            lines = wrap(args, room - len(pad))
            self.write(f"{head}\n" + "".join(f"{pad}{line}\n" for line in lines))

    def write_heading(self, heading: str) -> None:
        word = _click_word(heading, self.lang)
        self.write(f"{'':>{self.current_indent}}{say('{heading}:', self.lang, heading=word)}\n")

    def write_text(self, text: str) -> None:
        from hzcity.output.table import wrap

        indent, width = " " * self.current_indent, self.width - self.current_indent
        paragraphs = (" ".join(p.split("\n")) for p in text.strip().split("\n\n"))
        blocks = ["\n".join(indent + line for line in wrap(p, width)) for p in paragraphs]
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        from hzcity.output.table import cells, wrap

        rows = [(first, self._definition(second)) for first, second in rows]
        first_col = min(max(cells(first) for first, _ in rows), col_max) + col_spacing
        room = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, room)
            pad = " " * (first_col + self.current_indent)
            self.write(f"\n{pad}".join(lines) + "\n")

    def _definition(self, text: str) -> str:
        """An option's or command's help with Typer's bracketed extras, in ``lang``."""
        if text == HELP_OPTION:  # the help option's own help
            return said(HELP_OPTION, self.lang)
        match = re.fullmatch(_EXTRAS, text)
        if not match:
            return text
        extras = [_extra(extra, self.lang) for extra in match["extras"].split("; ")]
        joint = "; " if self.lang == "en" else ";"
        return f"{match['help']}{match['sep']}[{joint.join(extras)}]"


def _extra(extra: str, lang: str) -> str:
    """One of Typer's bracketed extras in ``lang``: a range in words, the others as Click
    writes them in English and from the catalog in Chinese."""
    for pattern, words in _RANGES.items():
        if bound := re.fullmatch(pattern, extra):
            return say(words, lang, **bound.groupdict())
    if lang == "en":
        return extra
    prefix = next((p for p in _EXTRA_KEYS if extra.startswith(p)), None)
    if prefix:
        return say(_EXTRA_KEYS[prefix], "zh", value=extra.removeprefix(prefix))
    return _click_word(extra, "zh")


def _click_word(word: str, lang: str) -> str:
    """One of Click's words ("Options", "required") in ``lang``, if the catalog has it."""
    return said(_WORDS[word], lang) if word in _WORDS else word


def context_class(lang: str) -> type[typer.Context]:
    """A Context whose help is drawn by a CellFormatter in ``lang``."""

    class Context(typer.Context):
        def make_formatter(self) -> HelpFormatter:
            if lang == "zh":  # help is about to be drawn: only now is the catalog needed
                _in_chinese(self.find_root().command)
            return CellFormatter(lang, width=self.terminal_width, max_width=self.max_content_width)

    return Context


def localise(command: Any, lang: str) -> None:
    """``command`` and its subcommands draw help in cells and in ``lang``."""
    context = context_class(lang)
    for each in [command, *getattr(command, "commands", {}).values()]:
        each.context_class = context


def _in_chinese(command: Any) -> None:
    """The help texts of ``command`` and its subcommands in Chinese (a text already said
    in Chinese is in no msgid, so it stays as it is)."""
    for each in [command, *getattr(command, "commands", {}).values()]:
        each.help = translate(each.help, "zh") if each.help else each.help
        each.short_help = None
        if each.options_metavar:
            each.options_metavar = say("[OPTIONS]", "zh")
        if getattr(each, "subcommand_metavar", None):
            each.subcommand_metavar = say("COMMAND [ARGS]...", "zh")
        for param in each.params:
            if getattr(param, "help", None):
                param.help = translate(param.help, "zh")
            param.metavar = _metavar(param)


def _metavar(param: Any) -> str | None:
    """A parameter's placeholder in Chinese (整数, 金额（元）), where it has words: a
    choice or a format (YYYY-MM-DD, 1-8) stays as it is typed."""
    if param.metavar is not None:
        word = _METAVARS.get(param.metavar)
    elif param.param_type_name == "argument" or not getattr(param, "is_flag", False):
        word = _NAMES.get(param.name) or _METAVARS.get(getattr(param.type, "name", ""))
    else:
        word = None
    return param.metavar if word is None else said(word, "zh")


# Usage errors Click raises as plain messages, and the message of each.
_PLAIN = {
    r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<close>.*)\?)?":
        N_("No such command '{name}'.{close}"),
    r"Option '(?P<name>.*)' requires an argument\.": N_("Option '{name}' requires an argument."),
    r"Got unexpected extra argument\(s\) \((?P<args>.*)\)":
        N_("Got unexpected extra argument(s) ({args})"),
}  # fmt: skip
_NOT_ONE_OF = r"'(?P<value>.*)' is not one of (?P<names>.*)\."
_NOT_VALID = r"'(?P<value>.*)' is not a valid (?P<type>[a-z]+)\.?"


def usage_error(exc: Any, lang: str) -> str:
    """The lines Click prints for a usage error, in ``lang``: the usage, the hint, and
    the error line hzcity prints for every error."""
    lines = []
    ctx = exc.ctx
    _envvar_only_if_used(exc)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(say("Try '{command} {option}' for help.", lang, command=ctx.command_path,
                             option=ctx.help_option_names[0]))  # fmt: skip
        lines.append("")
    from hzcity.cli.common import on_stderr

    return "\n".join([*lines, on_stderr("error", _message(exc, lang))])


def _envvar_only_if_used(exc: Any) -> None:
    """Click names an option that has a variable as "'--lang' (env var: 'HZCITY_LANG')"
    even when the bad value was typed: name the variable only when the value came from it."""
    param, ctx = getattr(exc, "param", None), exc.ctx
    if param is None or ctx is None or getattr(param, "envvar", None) is None:
        return
    if getattr(exc, "param_hint", None) is not None or not getattr(param, "opts", None):
        return
    source = ctx.get_parameter_source(param.name)
    if source is None or source.name != "ENVIRONMENT":
        exc.param_hint = " / ".join(f"'{opt}'" for opt in param.opts)


def _message(exc: Any, lang: str) -> str:
    """A usage error's message: Click's own in English, from its fields in Chinese."""
    english = str(exc.format_message())
    if lang != "zh":
        return english
    kind = type(exc).__name__
    hint = _curly(_hint(exc) or "") or None
    if kind == "NoSuchOption":
        possible = sorted(exc.possibilities or ())
        tail = say(" (Possible options: {names})", "zh", names=possible) if possible else ""
        return say("No such option: {name}", "zh", name=exc.option_name) + tail
    if kind == "MissingParameter":
        which = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        return say("Missing {what} {name}.", "zh", what=_click_word(which, "zh"), name=hint or "")
    for pattern, key in _PLAIN.items():
        if match := re.fullmatch(pattern, exc.message):
            values = match.groupdict()
            if "close" in values:
                close = _curly(values.pop("close") or "")
                values["close"] = say(" Did you mean {names}?", "zh", names=close) if close else ""
            return say(key, "zh", **values)
    if hint and (match := re.fullmatch(_NOT_ONE_OF, exc.message)):
        names = [n.strip("'") for n in match["names"].split(", ")]
        return say(
            "Invalid value for {name}: '{value}' is not one of {names}.",
            "zh",
            name=hint,
            value=match["value"],
            names=names,
        )
    if hint and (match := re.fullmatch(_NOT_VALID, exc.message)):
        return say(
            "Invalid value for {name}: '{value}' is not a valid {type}.",
            "zh",
            name=hint,
            value=match["value"],
            type=_click_word(match["type"], "zh"),
        )
    return english


def _curly(text: str) -> str:
    """Click's 'quoted' names as Chinese quotes them: “--months”, “topics”."""
    return re.sub(r"'([^']*)'", r"“\1”", text).replace("” / “", "”/“")


def _hint(exc: Any) -> str | None:
    """The option or argument a usage error is about, as Click names it ('--care')."""
    param = getattr(exc, "param", None)
    if param is None or exc.ctx is None:
        return None
    hint = getattr(exc, "param_hint", None) or param.get_error_hint(exc.ctx)
    return str(hint)
