"""How many examples each property and fuzz test draws: its CI size here, times
$HZCITY_EXAMPLES_SCALE for a campaign (benchmarks/fuzz.py sets it and reports)."""

from __future__ import annotations

import os

SCALE = float(os.environ.get("HZCITY_EXAMPLES_SCALE", "1"))


def examples(ci: int) -> int:
    """The number of examples of a test that draws ``ci`` of them in the suite."""
    return max(1, round(ci * SCALE))
