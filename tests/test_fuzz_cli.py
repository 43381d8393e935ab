"""Random argument lists for every command, through the console script's own path.

Whatever the arguments, a run ends with one of the README's exit codes (0-4, 141 for a
closed pipe) and never a traceback. Tokens are realistic but hostile: the command's own
option names and choices, numbers huge and negative, dates real and impossible, control
characters, unicode, paths that do not exist; nothing an argv cannot hold (NUL, a
surrogate other than U+DC80 to U+DCFF, which undecodable bytes become).
HZCITY_FUZZ_EXAMPLES raises the number of examples per command for a longer campaign.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hzcity.cli import MODULES, build, status

pytestmark = pytest.mark.slow  # subprocesses of the console script, many examples a command

EXIT_CODES = {0, 1, 2, 3, 4, 141}  # README "Exit codes"
EXAMPLES = int(os.environ.get("HZCITY_FUZZ_EXAMPLES", "200"))

SPECIAL = ["0", "-1", "1", "2100", "9999", "10000", "1e999", "NaN", "-inf", "0.001", "-0",
           "６０００", "9" * 23, "-" + "9" * 30, "1,000", "¥6000", "5%", "", " ", "-", "--",
           "--help", "/no/such/file.csv", "/no/such/dir", "/dev/null", ".", "nope.xlsx",
           "out.csv", "out.xlsx", "out.jsonl", "out.tsv", "a\x1b]52;c;eA==\x07", "\u202eabc",
           "x\x01y", "educaton", "education", "education.funding-2022", "2023", "2024-01-01",
           "2023-02-30", "0000-01-01", "9999-12-31", "utf-8", "gbk", "idna", ",", "\t", "zh",
           "en", "json", "md"]  # fmt: skip


def _words(name: str) -> tuple[list[str], list[str]]:
    """The option names of command ``name`` and the values its choices take."""
    group = typer.main.get_command(build([name]))
    command = group.commands[name]  # type: ignore[attr-defined]
    options, choices = ["--lang", "--format"], []
    for param in command.params:
        options += [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
        choices += [str(c) for c in getattr(param.type, "choices", ())]
    return [o for o in options if o.startswith("-")], choices


def _tokens(name: str) -> st.SearchStrategy[list[str]]:
    options, choices = _words(name)
    date = st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 10001), st.integers(0, 13), st.integers(0, 32),
    )  # fmt: skip
    value = st.one_of(
        st.sampled_from(SPECIAL + choices),
        st.integers(-(10**25), 10**25).map(str),
        date,
        st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=8)
        | st.sampled_from(["\udcff", "a\udc80b"]),  # bytes no encoding could decode
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )
    option = st.sampled_from(options)
    token = st.one_of(
        option,
        value,
        st.tuples(option, value).map("=".join),
    )
    pair = st.tuples(option, value).map(list)
    parts = st.lists(st.one_of(token.map(lambda t: [t]), pair), max_size=6)
    return parts.map(lambda chunks: [name, *(t for chunk in chunks for t in chunk)])


@contextlib.contextmanager
def _console(argv: list[str]) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """sys.argv, an empty stdin, captured stdout and stderr, and a scratch working
    directory (an --output the fuzzer names is written there)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv, sys.stdin, os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        sys.argv = ["hzcity", *argv]
        sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                yield out, err
        finally:
            sys.argv, sys.stdin = saved[0], saved[1]
            os.chdir(saved[2])


@pytest.mark.parametrize("name", list(MODULES))
def test_any_argument_list_ends_with_a_documented_exit_code_and_no_traceback(name: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(argv=_tokens(name))
    def check(argv: list[str]) -> None:
        with _console(argv) as (_out, err):
            code = status()  # an uncaught exception fails here, with its argument list
        assert code in EXIT_CODES, (argv, code, err.getvalue())
        assert "Traceback" not in err.getvalue(), argv

    check()
