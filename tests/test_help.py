"""Every command explains itself, and the code base stays lint-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hzcity.cli import app

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


def test_every_command_is_listed_in_the_main_help(hz):
    hz("premium", "--help")  # running one command builds only that one: the app is untouched
    result = hz("--help")
    assert result.code == 0
    assert all(name in result.out for name in COMMANDS)
    assert len(app.registered_commands) == len(COMMANDS) == 9


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help(hz, name):
    result = hz(name, "--help")
    assert result.code == 0
    assert f"Usage: hzcity {name}" in result.out
    summary = result.out.split("\n\n")[1].strip()
    assert len(summary) > 20, summary


def test_kind_help_names_every_kind(hz):
    from hzcity.catalog import KINDS

    help_text = " ".join(hz("facts", "--help").out.split())
    assert all(kind in help_text for kind in KINDS)


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not ruff:
        pytest.skip("ruff is not installed")
    result = subprocess.run([ruff, "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
