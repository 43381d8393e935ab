"""Shell completion offers values, through Typer's completion entry point as bash calls it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _complete(line: str, **env: str) -> subprocess.CompletedProcess[str]:
    words = line.split(" ")
    bash = {"_HZCITY_COMPLETE": "complete_bash", "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
    environ = os.environ | env | bash
    return subprocess.run([sys.executable, "-m", "hzcity", *words[1:]], env=environ,
                          capture_output=True, text=True, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("hzcity facts ci", ["civil-affairs"]),
        ("hzcity facts education he", ["health"]),
        ("hzcity page con", ["concert"]),
        ("hzcity show civil-affairs.sc", ["civil-affairs.scattered-increase-2022",
                                          "civil-affairs.scattered-standard-2022",
                                          "civil-affairs.school-grant"]),
        ("hzcity show date --topic pa", ["party-meeting"]),
        ("hzcity rates orphan-s", ["orphan-standard-institutional", "orphan-standard-scattered"]),
    ],
)  # fmt: skip
def test_completion_offers_topics_fact_ids_and_parameters(line, offered):
    result = _complete(line)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.split() == offered


def test_completion_with_a_broken_facts_path_offers_nothing_quietly(tmp_path):
    (tmp_path / "bad.yaml").write_text("topic: [", encoding="utf-8")
    result = _complete("hzcity show civil-affairs.sc", HZCITY_FACTS_PATH=str(tmp_path))
    assert (result.returncode, result.stdout.split(), result.stderr) == (0, [], "")
