"""Every command explains itself, and the code base stays lint-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hzcity.cli import MODULES, full_app
from hzcity.cli.common import COMMANDS as DEFINED

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = sorted(c.name or c.callback.__name__ for c in full_app().registered_commands)
DOCUMENTED = ["allowance", "childcare", "events", "facts", "page", "premium", "rates", "search",
              "show", "topics", "validate"]  # fmt: skip


def test_each_command_is_built_from_the_module_the_table_names():
    """A run imports only the module MODULES names: a command it misses would be lost."""
    import importlib

    for name, module in MODULES.items():
        assert DEFINED[name].__module__ == f"hzcity.cli.{module}"
    for module in set(MODULES.values()):
        importlib.import_module(f"hzcity.cli.{module}")
    assert sorted(DEFINED) == sorted(MODULES)


def test_every_documented_command_is_listed_in_the_main_help_with_its_summary(hz):
    result = hz("--help")
    assert result.code == 0
    assert COMMANDS == DOCUMENTED
    listed = {line.split()[0]: line for line in result.out.splitlines() if line.strip()}
    for name in DOCUMENTED:
        assert len(listed.get(name, "").split()) > 3, f"{name} is missing or has no summary"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help(hz, name):
    result = hz(name, "--help")
    assert result.code == 0
    assert f"Usage: hzcity {name}" in result.out
    summary = result.out.split("\n\n")[1].strip()
    assert len(summary) > 20, summary


def test_an_options_range_is_said_in_words(hz):
    """Click's [x>=1] reads as code: the help says the range in words."""
    help_text = " ".join(hz("premium", "--help").out.split())
    assert "named 12月). [1000 to 9999]" in help_text
    assert "naming a salary). [1 or more]" in help_text


def test_kind_help_names_every_kind(hz):
    from hzcity.catalog.model import KINDS

    help_text = " ".join(hz("facts", "--help").out.split())
    assert all(kind in help_text for kind in KINDS)


@pytest.mark.slow
def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not ruff:
        pytest.skip("ruff is not installed")
    result = subprocess.run([ruff, "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_types_check_strictly():
    """mypy --strict over the package (settings in pyproject.toml): it found real bugs."""
    api = pytest.importorskip("mypy.api")
    out, err, code = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "hzcity")])
    assert code == 0, out + err


def test_bare_hzcity_prints_the_help_on_its_lines(hz):
    """Without a command the help goes to stderr as it is laid out, not as one line."""
    result = hz()
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0].startswith("Usage: hzcity")
    assert any(line.strip().startswith("premium ") for line in lines)
