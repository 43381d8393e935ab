"""The property and fuzz tests at campaign size, with a report of what they ran.

The suite runs them at CI size (seconds each); a campaign runs the same tests with more
examples, by $HZCITY_EXAMPLES_SCALE (tests/sizes.py): the argument fuzzer's examples per
command are ``--examples`` (200 in the suite), every other property test's scale alike.

    python benchmarks/fuzz.py --examples 5000                  # ~25x the suite's examples
    python benchmarks/fuzz.py --examples 1000 --report fuzz.md # the report kept in a file
    python benchmarks/fuzz.py --examples 5000 -k engines -x    # other arguments go to pytest

It prints a Markdown report: per test, its outcome, the examples Hypothesis ran (passing,
failing, invalid) and the time; a failing test's falsifying example. The exit status is
pytest's: 0 when every test held.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ_CI_EXAMPLES = 200  # tests/test_fuzz_cli.py's examples per command at scale 1
# a test's statistics in `--hypothesis-show-statistics`: its id, then its phases
_TEST = re.compile(r"^(tests/\S+::\S+):$")
_COUNTS = re.compile(r"- (\d+) passing, (\d+) failing, and (\d+) invalid")


def campaign_files() -> list[Path]:
    """Every test module holding a property test."""
    modules = (ROOT / "tests").glob("test_*.py")
    return sorted(p for p in modules if "@given(" in p.read_text(encoding="utf-8"))


def statistics(output: str) -> dict[str, tuple[int, int, int]]:
    """Examples per test id (passing, failing, invalid), summed over Hypothesis's phases."""
    found: dict[str, tuple[int, int, int]] = {}
    test = None
    for line in output.splitlines():
        if match := _TEST.match(line.strip()):
            test = match.group(1)
        elif test and (counts := _COUNTS.search(line)):
            passing, failing, invalid = map(int, counts.groups())
            was = found.get(test, (0, 0, 0))
            found[test] = (was[0] + passing, was[1] + failing, was[2] + invalid)
    return found


def results(junit: Path) -> list[tuple[str, str, float, str]]:
    """(test id, outcome, seconds, failure text) of each test pytest ran."""
    rows = []
    for case in ET.parse(junit).iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        test = f"{module}.py::{case.get('name')}"
        failed = next((e for e in case if e.tag in ("failure", "error")), None)
        skipped = case.find("skipped") is not None
        outcome = "failed" if failed is not None else "skipped" if skipped else "passed"
        text = "" if failed is None else f"{failed.get('message', '')}\n{failed.text or ''}"
        rows.append((test, outcome, float(case.get("time", 0)), text))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=5000, help="argument lists per command (the suite: 200)"
    )
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    args, pytest_args = parser.parse_known_args()  # the rest go to pytest (-k, -x...)
    scale = args.examples / FUZZ_CI_EXAMPLES
    files = campaign_files()
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        env = {**os.environ, "HZCITY_EXAMPLES_SCALE": f"{scale:g}"}
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", *map(str, files), "-p", "no:randomly",
             "-p", "no:cacheprovider", "-q", "--hypothesis-show-statistics",
             f"--junitxml={junit}", *pytest_args],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        took = time.monotonic() - started
        ran = results(junit) if junit.exists() else []
    counts = statistics(run.stdout)
    lines = [
        f"# Property and fuzz campaign, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Python {platform.python_version()} on {platform.machine()}; "
        f"`HZCITY_EXAMPLES_SCALE={scale:g}` ({args.examples} argument lists per command); "
        f"{len(files)} modules, {took:.0f} s; pytest exit status {run.returncode}.",
        "",
        "| test | outcome | examples: passing / failing / invalid | seconds |",
        "|---|---|---|---|",
    ]
    for test, outcome, seconds, _ in ran:
        if test in counts:
            passing, failing, invalid = counts[test]
            lines.append(f"| `{test}` | {outcome} | {passing} / {failing} / {invalid} | "
                         f"{seconds:.1f} |")  # fmt: skip
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    others = [r for r in ran if r[0] not in counts]
    lines += [
        "",
        f"{len(counts)} property tests drew {total[0]:,} passing, {total[1]:,} failing and "
        f"{total[2]:,} invalid examples; {sum(r[1] == 'passed' for r in others)} other tests "
        f"of these modules passed, {sum(r[1] == 'failed' for r in others)} failed.",
    ]
    for test, outcome, _, text in ran:
        if outcome == "failed":
            lines += ["", f"## {test}", "", "```", text.strip()[-4000:], "```"]
    if not ran:
        lines += ["", "pytest ran nothing:", "", "```", (run.stdout + run.stderr)[-4000:], "```"]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    if args.report:
        args.report.write_text(report, encoding="utf-8")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
