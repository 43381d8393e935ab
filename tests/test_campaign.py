"""The property and fuzz campaign script (benchmarks/fuzz.py): the suite's property tests at
another size, one knob for all of them, and a report of what each ran."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_campaign_scales_every_property_test_and_reports_each(tmp_path):
    report = tmp_path / "fuzz.md"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "--examples", "10",
         "--report", str(report), "-k", "round_fen_is_half_up or cached_parse_is_exactly"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    text = report.read_text(encoding="utf-8")
    assert text == run.stdout
    assert "`HZCITY_EXAMPLES_SCALE=0.05` (10 argument lists per command)" in text
    # Hypothesis's default 100 and a test's own count (300), scaled by 10 / 200, passing
    # (a draw Hypothesis rejects as invalid does not count), none failing
    cached = "test_loader.py::test_a_cached_parse_is_exactly_a_fresh_one"
    for test, drawn in (("test_properties.py::test_round_fen_is_half_up", 5), (cached, 15)):
        row = re.search(rf"{re.escape(test)}` \| passed \| (\d+) / 0 / \d+ \|", text)
        assert row is not None, text
        assert int(row[1]) == drawn
