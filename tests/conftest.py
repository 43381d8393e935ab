"""Shared helpers: run the CLI in-process through its real entry point."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hzcity.cli import main

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts"
PAGE_DIR = ROOT.parent / "shared" / "source"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _plain_env(monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    """Deterministic output: fixed width, English, no user facts, a private cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LANG", "C.UTF-8")
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
