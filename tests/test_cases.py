"""Run every calculator case in tests/cases/*.yaml through the CLI (JSON output).

A case may name ``facts``, a directory of user parameter files under
tests/cases/user-params/: it is passed as --facts-dir, and ``{facts}`` in ``args`` and
the expected texts stands for its path. ``args`` are the command's arguments before its
options (parameter names for ``rates``, paths for ``validate``). ``today`` pins the day of
the run in Harbin ($HZCITY_TODAY; else the suite's fixed day); ``note`` is a text (or a
list of texts) the run's stderr holds (no ``note``: a successful calculation prints none);
``code`` the exit code of a run that answers (0 unless given: ``validate`` lists its
problems and exits 1).

A payroll case brings its files: ``files`` maps a name to its text, ``workbooks`` a name
to its sheets (a sheet: a list of rows; a cell ``{date: YYYY-MM-DD}`` is a date cell; a
sheet ``{hidden: [rows]}`` is hidden), written to a temporary directory that ``{tmp}``
stands for in the inputs and expected texts. Its JSON lines are compared as ``rows``."""

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


def _args(case: dict, tmp: Path) -> list[str]:
    args = [case["command"], *(str(_filled(a, case, tmp)) for a in case.get("args", []))]
    args += ["--format", "json"]
    for key, value in case.get("input", {}).items():
        if value is True:
            args.append(f"--{key}")
        else:
            args += [f"--{key}", str(value).replace("{tmp}", str(tmp))]
    if "facts" in case:
        args += ["--facts-dir", str(USER_PARAMS / case["facts"])]
    return args


def _filled(expected: object, case: dict, tmp: Path) -> object:
    """``expected`` with {facts} standing for the case's facts directory, {tmp} for its
    files' directory (in the texts of a record too)."""
    if isinstance(expected, dict):
        return {k: _filled(v, case, tmp) for k, v in expected.items()}
    if isinstance(expected, str) and "facts" in case:
        expected = expected.replace("{facts}", str(USER_PARAMS / case["facts"]))
    if isinstance(expected, str):
        return expected.replace("{tmp}", str(tmp))
    return expected


def _files(case: dict, tmp: Path) -> None:
    """A payroll case's files and workbooks, written under ``tmp``."""
    import datetime

    import xlsxwriter

    for name, text in case.get("files", {}).items():
        (tmp / name).write_text(text, encoding="utf-8")
    for name, sheets in case.get("workbooks", {}).items():
        book = xlsxwriter.Workbook(tmp / name)
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for title, rows in sheets.items():
            sheet = book.add_worksheet(title)
            if isinstance(rows, dict):
                sheet.hide()
                rows = rows["hidden"]
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    if isinstance(cell, dict):
                        when = datetime.datetime.fromisoformat(cell["date"])
                        sheet.write_datetime(r, c, when, day)
                    elif cell is not None:
                        sheet.write(r, c, cell)
        book.close()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(hz, case, monkeypatch, tmp_path):
    if "today" in case:
        monkeypatch.setenv("HZCITY_TODAY", case["today"])
    _files(case, tmp_path)
    result = hz(*_args(case, tmp_path))
    if "error" in case:
        assert result.code == case["error"]["code"], result.err
        assert _filled(case["error"]["says"], case, tmp_path) in result.err
        assert result.out == "" and "Traceback" not in result.err
        return
    assert result.code == case.get("code", 0), result.err
    notes = case.get("note", [])
    for text in [notes] if isinstance(notes, str) else notes:
        assert _filled(text, case, tmp_path) in result.err
    payroll = "salaries" in case.get("input", {})
    if not notes and not payroll:
        assert "hzcity: note: rates of" not in result.err
    data = json.loads(result.out)  # a payroll too: one array, a row an object
    if "rows" in case:
        assert len(data) == len(case["rows"])
        for got, want in zip(data, case["rows"], strict=True):
            want = _filled(want, case, tmp_path)
            assert {k: got[k] for k in want} == want
    else:
        want = {k: _filled(v, case, tmp_path) for k, v in case["output"].items()}
        assert {k: data[k] for k in want} == want
