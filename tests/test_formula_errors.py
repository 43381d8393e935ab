"""Cells saved with a formula error (#DIV/0!, #N/A, #REF!...) by LibreOffice, as .xlsx, .ods
and .xls: named as such in the salary column, shown as the office suite shows them elsewhere.

python-calamine reads such a cell as an empty string (dimastbk/python-calamine#105), so an
error salary used to read "empty salary cell" and an error elsewhere came out empty."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import clerk_workbook as clerk
import openpyxl
import pytest

RUN = ("premium", "--industry-class", "4", "--date", "2024-05-31")
FORMATS = ("xlsx", "ods", "xls")


def build_source(path: Path) -> Path:
    """The openpyxl workbook LibreOffice computes and saves (tests/fixtures/formula_errors.*)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["name", "salary", "note"], ["a", 6000, "=1/0"], ["b", "=1/0", "=FOO()"],
                ["c", "=NA()", '="x"+1'], ["d", "=#REF!+1", "=SQRT(-1)"]):  # fmt: skip
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(
    params=["checked-in", pytest.param("made-now", marks=pytest.mark.office)], scope="module"
)
def books(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    if request.param == "checked-in":
        return {fmt: clerk.FIXTURES / f"formula_errors.{fmt}" for fmt in FORMATS}
    if clerk.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the checked-in fixtures stand in")
    work = tmp_path_factory.mktemp("formula_errors")
    source = build_source(work / "formula_errors.xlsx")
    made = {}
    for fmt in FORMATS:
        (work / fmt).mkdir()
        (made[fmt],) = clerk.convert([source], fmt, work / fmt, work)
    return made


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("lang", "words"), [("en", "formula error"), ("zh", "公式错误")])
def test_an_error_salary_is_named_with_its_cell_and_error(hz, books, fmt, lang, words):
    result = hz(*RUN, "--salaries", str(books[fmt]), "--lang", lang)
    assert result.code == 2
    assert f"!B3: {words} #DIV/0!" in result.err or f"!B3:{words} #DIV/0!" in result.err
    assert "empty" not in result.err and "为空" not in result.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_error_in_another_column_is_passed_through_as_shown(hz, books, fmt, tmp_path):
    result = hz(*RUN, "--salaries", str(books[fmt]), "--skip-bad-rows", "--format", "csv")
    assert result.code == 0, result.err
    (row,) = list(csv.DictReader(io.StringIO(result.out)))
    assert (row["name"], row["note"]) == ("a", "#DIV/0!")
    for skipped, error in (("B3", "#DIV/0!"), ("B4", "#N/A"), ("B5", "#REF!")):
        assert f"!{skipped}: formula error {error}" in result.err
    out = tmp_path / "out.xlsx"
    result = hz(*RUN, "--salaries", str(books[fmt]), "--skip-bad-rows", "--output", str(out))
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[2]][:3] == ["a", 6000, "#DIV/0!"]
