"""The corpus of payroll layouts (tests/payroll_corpus.py), as LibreOffice writes them: every
case gives its employee rows and the total computed here, independently, or the one refusal
that names what decides; every row left out is named (issue 22).

The cases run on the copies checked in under tests/fixtures/corpus/ and, where soffice is
installed, on workbooks LibreOffice makes for this run (marked ``office``)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import clerk_workbook as clerk
import payroll_corpus as corpus
import pytest

RUN = ("premium", "--industry-class", "4", "--date", "2024-05-31")
CASES = {case.name: case for case in corpus.cases()}
# the rates of that day at class 4: unemployment 0.5% + 0.5%, work injury 0.9% cut by 50%
RATES = (Decimal("0.005"), Decimal("0.005"), Decimal("0.0045"))
NAMED = {"title": "title row", "total": "total row skipped", "footer": "footer row skipped",
         "header": "the header repeated, skipped"}  # fmt: skip


def expected_total(bases: list[Decimal]) -> Decimal:
    """The premium of the rows, each item rounded half-up to the fen, summed."""
    fen = Decimal("0.01")
    return sum((b * r).quantize(fen, ROUND_HALF_UP) for b in bases for r in RATES) or Decimal(0)


def check(hz, case: corpus.Case, path: Path) -> None:
    for run in case.runs:
        result = hz(*RUN, "--salaries", str(path), *run.args, "--format", "json")
        assert "Traceback" not in result.err
        if run.refused is not None:
            errors = [line for line in result.err.splitlines() if "error:" in line]
            assert (result.code, result.out, len(errors)) == (2, "", 1), result.err
            assert run.refused in errors[0]
            continue
        assert result.code == 0, result.err
        sheet = case.sheet(run.sheet or "")
        rows = json.loads(result.out)
        assert [Decimal(r["contribution_base"]) for r in rows] == sheet.bases
        total = expected_total(sheet.bases)
        assert f"rows: {len(sheet.bases)}, bad rows skipped: 0; totals: " in result.err
        assert f", total={total}\n" in result.err
        for kind, words in NAMED.items():  # every row left out is named
            assert result.err.count(words) == sheet.skipped[kind], (kind, result.err)
        if run.says:
            assert run.says in result.err


@pytest.mark.parametrize(("name", "fmt"), sorted(corpus.checked_in()))
def test_a_checked_in_layout_gives_its_rows_and_total(hz, name, fmt):
    check(hz, CASES[name], corpus.checked_in()[name, fmt])


def test_the_corpus_holds_the_layouts_of_the_issue():
    assert len(CASES) >= 30
    assert {(n, "xlsx") for n, c in CASES.items() if not c.csv} <= set(corpus.checked_in())


@pytest.fixture(scope="session")
def made_now(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    if clerk.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: the checked-in copies stand in")
    return corpus.made_by_libreoffice(tmp_path_factory.mktemp("corpus"))


@pytest.mark.office
@pytest.mark.parametrize(
    ("name", "fmt"),
    [(n, f) for n, c in CASES.items() for f in (("csv",) if c.csv else c.formats)],
)
def test_a_layout_libreoffice_writes_gives_its_rows_and_total(hz, made_now, name, fmt):
    check(hz, CASES[name], made_now[name, fmt])


def test_the_issues_reproducer(hz, tmp_path):
    """printf '序号,姓名,缴费基数\\n1,张三,6000\\n2,李四,7000\\n合计：,,13000\\n' > c.csv"""
    path = tmp_path / "c.csv"
    path.write_text("序号,姓名,缴费基数\n1,张三,6000\n2,李四,7000\n合计：,,13000\n", "utf-8")
    result = hz("premium", "--salaries", str(path), "--industry-class", "4", "--date",
                "2024-06-01")  # fmt: skip
    assert result.code == 0 and len(result.out.splitlines()) == 3
    assert "rows: 2, bad rows skipped: 0;" in result.err and ", total=188.50\n" in result.err
    assert f"{path}:4: total row skipped: 合计：; it carried 13000" in result.err
