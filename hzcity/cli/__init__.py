"""The command line: Typer commands that parse, call the core and render.

common.py holds the shared options, lookup.py, calculators.py and rates.py the commands;
``main`` builds an app of the command being run and is the one place errors become
messages and exit codes.
"""

import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import typer

from hzcity import __version__
from hzcity.cli.common import COMMANDS, OutputClosed, language, on_stderr, one_line
from hzcity.cli.helptext import localise, usage_error
from hzcity.errors import BadInput, HzError, os_reason
from hzcity.i18n import say

# The module of each command, in the order --help lists them: a run imports one module
# and builds one command (tests/test_help.py checks this table against the modules).
MODULES = {
    "topics": "lookup",
    "facts": "lookup",
    "show": "lookup",
    "search": "lookup",
    "page": "lookup",
    "events": "lookup",
    "validate": "lookup",
    "premium": "calculators",
    "allowance": "calculators",
    "childcare": "calculators",
    "rates": "rates",
}


def _version(value: bool) -> None:
    if value:
        print(f"hzcity {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Sourced facts and exact calculators from a Harbin city newspaper page (31 May 2023)."""


def build(names: Iterable[str]) -> typer.Typer:
    """A Typer app holding the named commands (all of them for --help and typos)."""
    app = typer.Typer(
        cls=_Group,
        help="Sourced facts and exact calculators from a Harbin city newspaper page (31 May 2023).",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_root)
    for name in names:
        importlib.import_module(f"hzcity.cli.{MODULES[name]}")
        app.command(cls=_Command)(COMMANDS[name])
    return app


def _hinted(parse: Callable[[Any, list[str]], list[str]], ctx: Any, args: list[str]) -> list[str]:
    """``parse(ctx, args)`` whose every usage error carries the usage hint (Click's parser
    raises some, an option missing its value, a flag given one, without the context that
    prints it) and shows the user's words neutralised, as every error line does. --help and
    --version print while parsing: a reader gone then ends the run as it does for a
    command's output (Typer would exit 1). ``ctx`` is Click's Context, which Typer exports
    only as its subclass typer.Context: hence Any."""
    try:
        return parse(ctx, args)
    except typer.TyperException as exc:  # Typer exports Click's errors by their base only
        if _is_help(exc):  # bare `hzcity`: the help itself, kept whole
            raise
        if getattr(exc, "ctx", ctx) is None:  # a usage error raised without its context
            exc.ctx = ctx  # type: ignore[attr-defined]
        exc.message = one_line(exc.message)
        raise
    except BrokenPipeError:
        raise OutputClosed from None


def _is_help(exc: Exception) -> bool:
    """Click's way of showing the help of a group called with nothing (its only public
    trace is the class name: Typer does not export it)."""
    return type(exc).__name__ == "NoArgsIsHelpError"


class _Command(typer.core.TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Click's Context: see _hinted
        return _hinted(super().parse_args, ctx, args)


class _Group(typer.core.TyperGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Click's Context: see _hinted
        return _hinted(super().parse_args, ctx, args)


def full_app() -> typer.Typer:
    return build(MODULES)


def _whole_writes() -> None:
    """Under PYTHONUNBUFFERED (or -u) stdout writes straight to the file descriptor, and a
    write the kernel cuts short because the reader left (``| head -c1`` on a 130 KB page)
    is lost unseen: Python ignores the short count. A buffered writer writes the rest, and
    so meets the broken pipe like any other write; flushed at each line, as unbuffered
    output is expected to come."""
    stdout = sys.stdout
    if isinstance(stdout, io.TextIOWrapper) and isinstance(stdout.buffer, io.FileIO):
        raw = io.FileIO(stdout.fileno(), "w", closefd=False)
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=stdout.encoding,
                                      errors=stdout.errors, line_buffering=True)  # fmt: skip


def _closed_streams() -> None:
    """Standard streams the shell closed (``<&-``, ``>&-``, ``2>&-``): their descriptors
    held by /dev/null, in order, so that no file opened later takes one. stdout and stderr
    then write into nothing (notes are best effort); stdin stays None, so that reading it
    (``--salaries -``) is refused by name."""
    if sys.stdin is None:
        os.open(os.devnull, os.O_RDONLY)  # descriptor 0, held for the process's life
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (the process's own stdout)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (the process's own stderr)


def _survive_narrow_encodings() -> None:
    """Under e.g. PYTHONIOENCODING=ascii, escape Chinese as \\uXXXX rather than crash."""
    try:
        "哈".encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _message(exc: HzError, lang: str) -> str:
    """The error line in ``lang``; a bad value the core names by its field is named by its
    flag here."""
    if isinstance(exc, BadInput) and exc.field:
        flag = f"--{exc.field.replace('_', '-')}"
        return say("{option}: {error}", lang, option=flag, error=exc.says(lang))
    return exc.says(lang)


def _asked_language(args: list[str]) -> str | None:
    """The value of --lang among the arguments (Typer's is out of reach once it failed)."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
    return None


# Options every command takes, accepted before the command too (hzcity --lang zh premium ...)
GLOBAL_OPTIONS = ("--lang", "--facts-dir", "--format", "-f")


def _global_first(args: list[str]) -> list[str]:
    """``args`` with the shared options given before the command moved to just after it
    (``--lang zh premium --salary 1`` -> ``premium --lang zh --salary 1``), or dropped
    when no command follows them (``--lang zh --help``, ``--lang zh premiun``): the root
    takes none of them, and the language has been read from the whole command line."""
    moved: list[str] = []
    rest = list(args)
    while rest:
        arg = rest[0]
        name = arg.split("=", 1)[0]
        if name not in GLOBAL_OPTIONS:
            break
        taken = 1 if "=" in arg else 2
        moved += rest[:taken]
        rest = rest[taken:]
    if not moved:
        return args
    if rest and rest[0] in MODULES:
        return [rest[0], *moved, *rest[1:]]
    return rest  # before --help, --version or a mistyped command they have been read: --lang


def main() -> None:
    """Console entry point: errors become one line on stderr and an exit code."""
    _closed_streams()
    _survive_narrow_encodings()
    _whole_writes()
    lang = language(_asked_language(sys.argv[1:]))
    args = _global_first(sys.argv[1:])
    command = typer.main.get_command(build([args[0]] if args and args[0] in MODULES else MODULES))
    localise(command, lang)
    try:
        # Not standalone: Click's usage errors come back here to be said in ``lang``.
        code = command.main(args=args, prog_name="hzcity", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Abort:
        _last_words(say("Aborted!", lang))
        sys.exit(1)
    except HzError as exc:
        _last_words(on_stderr("error", _message(exc, lang)))
        sys.exit(exc.exit_code)
    except OutputClosed:
        # The reader went away (`| head`): exit as a process killed by SIGPIPE would.
        _drop_stdout()
        sys.exit(141)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.TyperException as exc:  # Click's usage errors (ClickException)
        if _is_help(exc):  # bare `hzcity`: the help, on stderr
            _last_words(exc.format_message())
        else:
            _last_words(usage_error(exc, lang))
        sys.exit(exc.exit_code)
    except OSError as exc:  # stdout on a full disk (> /dev/full), a closed stream...
        _drop_stdout()
        _last_words(on_stderr("error", _cannot_write(exc, lang)))
        sys.exit(1)


def _cannot_write(exc: OSError, lang: str) -> str:
    """Why stdout took no more, in ``lang`` (the system's reason as validate says it)."""
    return say("cannot write: {why}", lang, why=os_reason(exc))


def _drop_stdout() -> None:
    """What is still buffered for a stdout that failed goes nowhere: the final flush must
    not fail (and report) again, as the Python docs advise."""
    with contextlib.suppress(OSError):  # a stream with no descriptor (a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _last_words(line: str) -> None:
    """A last line on stderr, if stderr can still take one."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)


def run() -> None:
    """The console script: ``main``, then exit without the interpreter's teardown.

    Freeing every module and object of a process about to end costs ~9 ms here, more
    than all of hzcity's own work on a lookup (BENCHMARKS.md). Everything hzcity writes
    is flushed first: files are closed by their ``with`` blocks, stdout and stderr here.
    """
    os._exit(status())


def status() -> int:
    """Run ``main`` and flush stdout and stderr: the exit status of the run (the tests call
    this, the console script's whole path but the exit)."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _status(exc.code)
    except OSError:  # stderr itself is gone: nothing more can be said
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left after the last write
        code = code or 141
    except OSError as exc:
        _last_words(on_stderr("error", _cannot_write(exc, language(_asked_language(sys.argv[1:])))))
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    return code


def _status(code: object) -> int:
    """An exit status as the interpreter turns a SystemExit argument into one."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
