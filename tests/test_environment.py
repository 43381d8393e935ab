"""Hostile environments: narrow terminals, odd locales and encodings, no writable home."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hzcity", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, encoding="utf-8",
                          errors="replace")  # fmt: skip


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C"},
        {"COLUMNS": "30"},
        {"NO_COLOR": "1", "TERM": "xterm-256color"},
        {"HOME": "/nonexistent", "XDG_CACHE_HOME": ""},
        {"XDG_CACHE_HOME": "/dev/null/cache"},  # a cache that cannot be created
    ],
    ids=["ascii", "C-locale", "30-columns", "no-color", "no-home", "unwritable-cache"],
)
@pytest.mark.parametrize("fmt", ["table", "tsv"])
def test_lookup_survives(env, fmt):
    result = _run("facts", "concert", "--format", fmt, **env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b[" not in result.stdout  # never colour codes into a pipe
    # at 30 columns the table shows each fact as field/value lines; ids stay whole (a table
    # of one topic shows them without the topic)
    assert ("phone-tickets" if fmt == "table" else "concert.phone-tickets") in result.stdout


def test_premium_json_survives_ascii_and_no_home():
    result = _run("premium", "--salary", "6000", "--industry-class", "4", "--date",
                  "2024-01-01", "-f", "json", PYTHONIOENCODING="ascii", HOME="/nonexistent",
                  XDG_CACHE_HOME="")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "87.00"


def test_payroll_piped_into_head_ends_quietly(tmp_path):
    payroll = tmp_path / "p.csv"
    payroll.write_text("salary\n" + "6000\n" * 50_000, encoding="utf-8")
    shell = (f"{sys.executable} -m hzcity premium --salaries {payroll} --industry-class 4 "
             "--date 2024-01-01 | head -n 2")  # fmt: skip
    result = subprocess.run(shell, shell=True, capture_output=True, text=True)
    assert result.stdout.splitlines()[1].endswith(",87.00")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
