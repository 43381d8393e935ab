"""Shared helpers: run the CLI in-process through its real entry point."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# The suite's own temporary directory, for it and every program it starts (hzcity, LibreOffice,
# Chromium): what a test leaves in it is found at the end (left_in_temp) whatever other runs
# share the machine's, and all of it is removed. pytest's tmp_path stays in the machine's
# temporary directory, kept for a look after a failure as pytest keeps it.
os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
_TEMP = Path(tempfile.mkdtemp(prefix="hzcity-test-tmp-"))
_TEMP.chmod(0o1777)  # as /tmp: a test runs hzcity as nobody, which must reach its files
os.environ["TMPDIR"] = tempfile.tempdir = str(_TEMP)

# Set before any test module is collected: collection already loads facts, and the parse
# cache must never be written into the real home directory.
_CACHE_HOME = tempfile.mkdtemp(prefix="hzcity-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME

# The suite runs with an empty home of its own, every program it starts included, and
# fails if anything is left in it: a test writes under tmp_path, never under $HOME
# (Chromium's crash reports and rustup's settings, written by pip's `rustc --version`, were).
_REAL_PIP_CONFIG = Path.home() / ".config" / "pip" / "pip.conf"
if _REAL_PIP_CONFIG.is_file() and "PIP_CONFIG_FILE" not in os.environ:
    os.environ["PIP_CONFIG_FILE"] = str(_REAL_PIP_CONFIG)  # read, never written
_HOME = Path(tempfile.mkdtemp(prefix="hzcity-test-home-"))
os.environ["HOME"] = str(_HOME)
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
    os.environ.pop(_var, None)

from hypothesis import settings  # noqa: E402
from sizes import examples  # noqa: E402

from hzcity.cli import main  # noqa: E402  (after the cache directory is chosen)

# A property test without its own count draws Hypothesis's default 100 examples, scaled for
# a campaign like the others (tests/sizes.py, benchmarks/fuzz.py).
settings.register_profile("hzcity", max_examples=examples(100))
settings.load_profile("hzcity")

# What hzcity and Chromium would leave in a temporary directory (hzcity's drafts and
# spools, a test's own hzcity-* folders, Chromium's org.chromium.Chromium.* unless its
# TMPDIR is its profile): found at the end, so that a test that leaves one fails the run.
_LEFT_PATTERNS = ("hzcity*", ".hzcity*", "org.chromium.Chromium.*", ".org.chromium.Chromium.*")
_OURS = {Path(_CACHE_HOME).name, _HOME.name}


def left_in_temp() -> list[str]:
    """What the suite left in its temporary directory (the cache and home aside)."""
    left = {p.name for pattern in _LEFT_PATTERNS for p in _TEMP.glob(pattern)}
    return sorted(left - _OURS)


def written_under_home() -> list[str]:
    """What the suite left in its home directory (it must be nothing)."""
    return sorted(str(p.relative_to(_HOME)) for p in _HOME.rglob("*"))


# Fixtures that start another program, and the marker each brings (both count as slow).
_PROGRAMS = {"browser": "browser", "libreoffice": "office"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts Chromium or LibreOffice (through its fixture, or marked so) is
    marked browser or office, and every such test slow, so `-m "not slow"` leaves it out."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        for fixture, marker in _PROGRAMS.items():
            if fixture in names:
                item.add_marker(marker)
        if item.get_closest_marker("browser") or item.get_closest_marker("office"):
            item.add_marker("slow")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The run fails if the suite wrote under $HOME or left hzcity's or Chromium's files in
    its temporary directory."""
    for left, where in ((written_under_home(), "wrote under $HOME"),
                        (left_in_temp(), f"left in {_TEMP}")):  # fmt: skip
        if left:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(f"FAILED: the suite {where}: {left[:10]}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_TEMP, ignore_errors=True)  # the cache and home with it


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic output: fixed width, English, no user facts, a private cache, a fixed
    day (its rates those of 2024-12-31, the page's last: the README's examples show it)."""
    monkeypatch.setenv("XDG_CACHE_HOME", _CACHE_HOME)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("HZCITY_TODAY", "2026-12-02")
    for var in ("HZCITY_LANG", "HZCITY_FACTS_PATH", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def hz(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Call ``hz("facts", "education")`` -> Result, as the console script would run."""

    def run(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["hzcity", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
