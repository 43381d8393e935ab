""".xls as faithful as .xlsx and .ods (issue 22, item 7): a clerk's workbook with a hidden
bank-account column and a #DIV/0! salary, written by LibreOffice as .xls. python-calamine
shows an .xls error cell as "" (its issue #105) and says nothing of hidden columns; the
answer used to name "an empty salary cell" and show the bank accounts.

tests/fixtures/xls_hidden_error.xls is LibreOffice's .xls of ``build_source`` (remake it
with ``python tests/test_xls_fidelity.py``); where soffice is installed the test makes it
afresh too."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import clerk_workbook as clerk
import openpyxl
import pytest

RUN = ("premium", "--industry-class", "4", "--date", "2024-05-31")
FIXTURE = clerk.FIXTURES / "xls_hidden_error.xls"


def build_source(path: Path) -> Path:
    """The clerk's sheet: name, bank account (hidden), contribution base; 李四's base is a
    formula that divides by zero."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "工资表"
    for row in (["姓名", "银行账号", "缴费基数"], ["张三", "6222020200011112222", 6000],
                ["李四", "6222020200033334444", "=1/0"],
                ["王五", "6222020200055556666", 7000]):  # fmt: skip
        sheet.append(row)
    sheet.column_dimensions["B"].hidden = True
    book.save(path)
    return path


@pytest.fixture(
    params=["checked-in", pytest.param("made-now", marks=pytest.mark.office)], scope="module"
)
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "checked-in":
        return FIXTURE
    if clerk.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the checked-in fixture stands in")
    work = tmp_path_factory.mktemp("xls")
    (made,) = clerk.convert([build_source(work / "xls_hidden_error.xlsx")], "xls", work, work)
    return made


def test_the_fixture_is_an_xls_that_libreoffice_wrote(book):
    assert book.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2, BIFF inside


@pytest.mark.parametrize(("lang", "says"), [("en", "工资表!C3: formula error #DIV/0!"),
                                            ("zh", "工资表!C3:公式错误 #DIV/0!")])  # fmt: skip
def test_an_error_salary_is_named_as_the_error_it_is(hz, book, lang, says):
    result = hz(*RUN, "--salaries", str(book), "--lang", lang)
    assert (result.code, result.out) == (2, "")
    assert says in result.err
    assert "empty" not in result.err and "为空" not in result.err


def test_the_answer_keeps_the_hidden_column_hidden_and_skips_the_error_row(hz, book, tmp_path):
    out = tmp_path / "answer.xlsx"
    result = hz(*RUN, "--salaries", str(book), "--skip-bad-rows", "--output", str(out))
    assert result.code == 0, result.err
    assert "!C3: formula error #DIV/0!" in result.err
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [r[:3] for r in rows[1:3]] == [["张三", "6222020200011112222", 6000],
                                          ["王五", "6222020200055556666", 7000]]  # fmt: skip
    assert [r[-1] for r in rows[1:]] == [87, 101.5, 188.5]  # two employees and their total
    assert sheet.column_dimensions["B"].hidden
    assert not sheet.column_dimensions["A"].hidden and not sheet.column_dimensions["C"].hidden


if __name__ == "__main__":
    import tempfile

    if clerk.soffice() is None:
        sys.exit("soffice is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (made,) = clerk.convert([build_source(work / FIXTURE.with_suffix(".xlsx").name)], "xls",
                                work, work)  # fmt: skip
        shutil.copyfile(made, FIXTURE)
        print(FIXTURE, FIXTURE.stat().st_size)
