"""Run every calculator case in tests/cases/*.yaml through the CLI (JSON output).

A case may name ``facts``, a directory of user parameter files under
tests/cases/user-params/: it is passed as --facts-dir, and ``{facts}`` in ``args`` and
the expected texts stands for its path. ``args`` are the command's arguments before its
options (parameter names for ``rates``, paths for ``validate``). ``today`` pins the day of
the run in Harbin ($HZCITY_TODAY; else the suite's fixed day); ``note`` is a text the
run's stderr holds (no ``note``: a successful run prints none); ``code`` the exit code of
a run that answers (0 unless given: ``validate`` lists its problems and exits 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hzcity.loader import load_yaml

USER_PARAMS = Path(__file__).parent / "cases" / "user-params"
CASES = [
    case
    for path in sorted((Path(__file__).parent / "cases").glob("*.yaml"))
    for case in load_yaml(path)
]


def _args(case: dict) -> list[str]:
    args = [case["command"], *(str(_filled(a, case)) for a in case.get("args", []))]
    args += ["--format", "json"]
    for key, value in case.get("input", {}).items():
        if value is True:
            args.append(f"--{key}")
        else:
            args += [f"--{key}", str(value)]
    if "facts" in case:
        args += ["--facts-dir", str(USER_PARAMS / case["facts"])]
    return args


def _filled(expected: object, case: dict) -> object:
    """``expected`` with {facts} standing for the case's facts directory (in the texts of a
    record too)."""
    if isinstance(expected, dict):
        return {k: _filled(v, case) for k, v in expected.items()}
    if isinstance(expected, str) and "facts" in case:
        return expected.replace("{facts}", str(USER_PARAMS / case["facts"]))
    return expected


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(hz, case, monkeypatch):
    if "today" in case:
        monkeypatch.setenv("HZCITY_TODAY", case["today"])
    result = hz(*_args(case))
    if "error" in case:
        assert result.code == case["error"]["code"], result.err
        assert _filled(case["error"]["says"], case) in result.err
        assert result.out == "" and "Traceback" not in result.err
        return
    assert result.code == case.get("code", 0), result.err
    if "note" in case:
        assert _filled(case["note"], case) in result.err
    else:
        assert "hzcity: note: rates of" not in result.err
    data = json.loads(result.out)
    if "rows" in case:
        assert len(data) == len(case["rows"])
        for got, want in zip(data, case["rows"], strict=True):
            want = _filled(want, case)
            assert {k: got[k] for k in want} == want
    else:
        want = {k: _filled(v, case) for k, v in case["output"].items()}
        assert {k: data[k] for k in want} == want
