"""Random argument lists for every command, through the console script's own path.

Whatever the arguments, a run ends with one of the README's exit codes (0-4, 141 for a
closed pipe) and never a traceback. Tokens are realistic but hostile: the command's own
option names and choices, numbers huge and negative, dates real and impossible, control
characters, unicode, paths that do not exist; nothing an argv cannot hold (NUL, a
surrogate other than U+DC80 to U+DCFF, which undecodable bytes become).
$HZCITY_EXAMPLES_SCALE (tests/sizes.py) raises the number of examples per command for a
campaign: benchmarks/fuzz.py runs one and reports.

User parameter directories are generated too, valid or off by one rule, to hold that
validate passes exactly when every command answers from them, with the value in force.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sizes import examples

from hzcity.cli import MODULES, build, status
from hzcity.money import yuan

pytestmark = pytest.mark.slow  # subprocesses of the console script, many examples a command

EXIT_CODES = {0, 1, 2, 3, 4, 141}  # README "Exit codes"
EXAMPLES = examples(200)

SPECIAL = ["0", "-1", "1", "2100", "9999", "10000", "1e999", "NaN", "-inf", "0.001", "-0",
           "６０００", "9" * 23, "-" + "9" * 30, "1,000", "¥6000", "5%", "", " ", "-", "--",
           "--help", "/no/such/file.csv", "/no/such/dir", "/dev/null", ".", "nope.xlsx",
           "out.csv", "out.xlsx", "out.jsonl", "out.tsv", "a\x1b]52;c;eA==\x07", "\u202eabc",
           "x\x01y", "educaton", "education", "education.funding-2022", "2023", "2024-01-01",
           "2023-02-30", "0000-01-01", "9999-12-31", "utf-8", "gbk", "idna", ",", "\t", "zh",
           "en", "json", "md", "2024-06", "9999-12", "20240601", "today", "scattered",
           "unsupported"]  # fmt: skip


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


# User parameter directories, generated from the schema: valid, or off by one rule (issue
# 23). validate passes exactly when every command answers from them, and every answer is the
# value the timeline puts in force that day: the last value starting on or before it, unless
# the day is past that value's own last day (the rule restated here, apart from the code).

PARAMETER_EXAMPLES = max(EXAMPLES // 4, 10)  # 50 directories at the CI size
# the first day a user window may start: after the shipped windows it must not overlap (an
# announced or open shipped value it supersedes)
FIRST = {
    "unemployment-employer-rate": date(2025, 1, 1),
    "unemployment-individual-rate": date(2025, 1, 1),
    "work-injury-cut": date(2025, 1, 1),
    "childcare-subsidy": date(2023, 6, 1),
    "school-grant": date(2023, 6, 1),
    "contribution-base-min": date(2020, 1, 1),
    "contribution-base-max": date(2020, 1, 1),
}
YUAN = {"childcare-subsidy", "school-grant", "contribution-base-min", "contribution-base-max"}
FLAWS = ("minus zero", "a decimal too many", "above 100", "same start", "end before start",
         "control character", "floor above ceiling")  # fmt: skip
PROBED = [["rates"], ["premium", "--salary", "6000", "--injury-rate", "1"],
          ["childcare", "--children", "2"], ["allowance", "--care", "scattered",
          "--category", "unsupported", "--student"]]  # fmt: skip


@dataclass(frozen=True)
class Window:
    start: date
    end: date | None
    value: str
    status: str = ""
    stated_for: int | None = None
    title: str = "EXAMPLE"

    @property
    def last(self) -> date | None:
        if self.stated_for is not None:
            return date(self.stated_for, 12, 31)
        return self.end

    def yaml(self) -> str:
        end = f'end: "{self.end}", ' if self.end else ""
        return (f'    - {{start: "{self.start}", {end}value: "{self.value}", '
                f"reference: {{title: {json.dumps(self.title)}}}}}\n")  # fmt: skip


def _figure(name: str) -> st.SearchStrategy[str]:
    """A value in the range of ``name``'s unit, as a file writes it."""
    places = st.integers(0, 2) if name in YUAN else st.integers(0, 4)
    low, high = {"contribution-base-min": (1, 5000), "contribution-base-max": (5000, 10**7)}.get(
        name, (1, 10**7) if name in YUAN else (0, 100)
    )
    return places.flatmap(
        lambda p: st.integers(low * 10**p, high * 10**p).map(
            lambda n: format(Decimal(n).scaleb(-p), "f")
        )
    )


@st.composite
def _timeline(draw: st.DrawFn, name: str) -> list[Window]:
    """One to three windows of ``name`` in order, none overlapping, each open or ending
    before the next starts."""
    gaps = draw(st.lists(st.integers(1, 700), min_size=1, max_size=3))
    starts = [FIRST[name].toordinal() - 1 + sum(gaps[: i + 1]) for i in range(len(gaps))]
    windows = []
    for i, start in enumerate(starts):
        limit = starts[i + 1] - 1 if i + 1 < len(starts) else start + 700
        end = draw(st.none() | st.integers(start, limit).map(date.fromordinal))
        windows.append(Window(date.fromordinal(start), end, draw(_figure(name))))
    return windows


@st.composite
def _directory(draw: st.DrawFn) -> tuple[dict[str, list[Window]], str | None]:
    """A user's parameters (name -> windows) and the flaw one of them was given, if any."""
    names = draw(st.lists(st.sampled_from(sorted(FIRST)), min_size=1, max_size=3, unique=True))
    params = {name: draw(_timeline(name)) for name in names}
    flaw = draw(st.none() | st.sampled_from(FLAWS))
    name = draw(st.sampled_from(names))
    first, *rest = params[name]
    if flaw == "minus zero":
        first = replace(first, value="-0" if name not in YUAN else "-0.00")
    elif flaw == "a decimal too many":
        first = replace(first, value="200.005" if name in YUAN else "0.12345")
    elif flaw == "above 100":
        first = replace(first, value="100.5" if name not in YUAN else "10000000.01")
    elif flaw == "same start":
        rest = [replace(first, value=first.value), *rest]
    elif flaw == "end before start":
        first = replace(first, end=first.start - timedelta(days=1))
    elif flaw == "control character":
        first = replace(first, title=draw(st.sampled_from(["A\rB", "A\x1b[2JB", "A\u202eB"])))
    elif flaw == "floor above ceiling":
        params["contribution-base-min"] = [Window(date(2020, 1, 1), None, "9000")]
        params["contribution-base-max"] = [Window(date(2021, 1, 1), None, "5000")]
    if flaw != "floor above ceiling":
        params[name] = [first, *rest]
    return params, flaw


def _shipped() -> dict[str, list[Window]]:
    """The shipped windows, read from the files apart from hzcity's timeline."""
    from hzcity.loader import fact_files, load_yaml, shipped_root

    found: dict[str, list[Window]] = {name: [] for name in FIRST}
    for path in fact_files(shipped_root()).parameters:
        for name, spec in load_yaml(path).items():
            for raw in spec["values"] if name in found else []:
                start = raw["start"] if "-" in raw["start"] else f"{raw['start']}-01-01"
                end = date.fromisoformat(raw["end"]) if "end" in raw else None
                stated = int(raw["stated_for"]) if "stated_for" in raw else None
                found[name].append(Window(date.fromisoformat(start), end, raw["value"],
                                          raw.get("status", ""), stated))  # fmt: skip
    return found


def _standing(windows: list[Window], day: date) -> Window | None:
    """The value on ``day``: the last one starting by it, unless the day is past its own
    last day (a later start ended it already, by being the last one starting by it)."""
    begun = [w for w in sorted(windows, key=lambda w: w.start) if w.start <= day]
    if not begun or (begun[-1].last is not None and day > begun[-1].last):
        return None
    return begun[-1]


def _run(argv: list[str]) -> tuple[int, str, str]:
    with _console(argv) as (out, err):
        code = status()
    return code, out.getvalue(), err.getvalue()


def test_validate_passes_exactly_when_every_command_answers_from_generated_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HZCITY_NO_CACHE", "1")  # thousands of files: no cache entry each
    shipped = _shipped()

    @settings(max_examples=PARAMETER_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(made=_directory(), probe=st.integers(0, 3))
    def check(made: tuple[dict[str, list[Window]], str | None], probe: int) -> None:
        params, flaw = made
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "parameters", "mine.yml")
            os.mkdir(os.path.dirname(path))
            with open(path, "w", encoding="utf-8") as out:
                out.write("".join(f"{name}:\n  values:\n" + "".join(w.yaml() for w in windows)
                                  for name, windows in params.items()))  # fmt: skip
            code, listed, _ = _run(["validate", folder])
            assert code == (0 if flaw is None else 1), (flaw, listed)
            first = listed.splitlines()[0] if flaw else ""
            for args in PROBED:
                code, _, err = _run([*args, "--facts-dir", folder, "--format", "json"])
                if flaw is None:
                    assert code in (0, 4), (args, err)
                else:
                    assert (code, err) == (3, f"hzcity: error: {first}\n"), (args, flaw)
            if flaw is None:
                _answers_as_the_timeline_says(params, shipped, folder, probe)

    check()


def _answers_as_the_timeline_says(
    params: dict[str, list[Window]], shipped: dict[str, list[Window]], folder: str, probe: int
) -> None:
    """rates, premium and childcare on the days around each user window: the value the rule
    puts in force, or none."""
    for windows in params.values():
        window = windows[min(probe, len(windows) - 1)]
        edges = [window.start - timedelta(days=1), window.start]
        edges += [window.end, window.end + timedelta(days=1)] if window.end else []
        for day in edges:
            merged = {name: shipped[name] + params.get(name, []) for name in FIRST}
            known = [name for name, values in merged.items() if values]
            code, out, err = _run(["rates", *known, "--date", str(day), "--facts-dir", folder,
                                   "--format", "json"])  # fmt: skip
            assert code == 0, err
            for record in json.loads(out):
                expected = _standing(merged[record["name"]], day)
                assert record["value"] == (expected.value if expected else None), (day, record)
            code, out, err = _run(["childcare", "--children", "2", "--date", str(day),
                                   "--facts-dir", folder, "--format", "json"])  # fmt: skip
            subsidy = _standing(merged["childcare-subsidy"], day)
            assert code == (0 if subsidy else 4), err
            if subsidy:
                assert json.loads(out)["per_child_per_month"] == yuan(Decimal(subsidy.value))
            code, out, err = _run(
                [
                    "premium",
                    "--salary",
                    "6000",
                    "--injury-rate",
                    "1",
                    "--date",
                    str(day),
                    "--facts-dir",
                    folder,
                    "-f",
                    "json",
                ]
            )
            needed = [_standing(merged[n], day) for n in list(FIRST)[:3]]  # premium's rates
            assert code == (0 if all(needed) else 4), err
            if needed[0] is not None and code == 0:
                rate = json.loads(out)["unemployment_employer_rate"]
                assert Decimal(rate) == Decimal(needed[0].value), (day, rate)
