"""Payroll JSON (stdout and .jsonl): each line holds the input columns and the amounts, a
missing amount (no work-injury rate) as null, as the single-salary JSON has it."""

from __future__ import annotations

import json

import pytest

COMPUTED = ["contribution_base", "unemployment_employer", "unemployment_individual",
            "work_injury_employer", "work_injury_saving", "employer_total",
            "individual_total", "total"]  # fmt: skip
NO_RATE = ["work_injury_employer", "work_injury_saving", "employer_total", "total"]


@pytest.fixture
def payroll(tmp_path):
    path = tmp_path / "工资表.tsv"
    path.write_text("姓名\t工资\n张三\t6000\n", encoding="utf-8")
    return path


WHERE = ["stdout", "stdout-jsonl", "json", "jsonl"]


def lines(hz, payroll, tmp_path, where: str, *extra: str) -> list[dict[str, object]]:
    """The rows of the JSON answer on stdout (--format json or jsonl) or in a file (.json,
    .jsonl); a .json or --format json answer is one array, and the same bytes either way."""
    args = ("premium", "--salaries", str(payroll), "--date", "2024-05-31", *extra)
    if where.startswith("stdout"):
        result = hz(*args, "--format", "jsonl" if where == "stdout-jsonl" else "json")
        assert result.code == 0, result.err
        text = result.out
    else:
        out = tmp_path / f"answer.{where}"
        result = hz(*args, "--output", str(out))
        assert result.code == 0, result.err
        text = out.read_text(encoding="utf-8")
    if where in ("stdout", "json"):  # one array
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("where", WHERE)
def test_a_payroll_json_line_holds_the_input_and_the_amounts_with_null(
    hz, payroll, tmp_path, where
):
    (line,) = lines(hz, payroll, tmp_path, where)
    assert list(line) == ["姓名", "工资", *COMPUTED]
    assert [k for k, v in line.items() if v is None] == NO_RATE
    assert line["unemployment_employer"] == "30.00"


@pytest.mark.parametrize("where", WHERE)
def test_with_a_rate_no_amount_is_null(hz, payroll, tmp_path, where):
    (line,) = lines(hz, payroll, tmp_path, where, "--industry-class", "4")
    assert None not in line.values()
    assert (line["work_injury_employer"], line["total"]) == ("27.00", "87.00")


def test_stdout_keeps_the_keys_with_zh_while_the_csv_for_excel_gets_headers_and_digits(
    hz, tmp_path
):
    """What the README's payroll output section says of headers and the .csv for Excel."""
    path = tmp_path / "工资表.tsv"
    path.write_text("姓名\t身份证号\t工资\n=张三\t230102198001011234\t6000\n", encoding="utf-8")
    args = ("premium", "--salaries", str(path), "--lang", "zh", "--industry-class", "4")
    result = hz(*args, "--format", "csv")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].split(",")[3:] == COMPUTED
    out = tmp_path / "答案.csv"
    result = hz(*args, "--output", str(out))
    assert result.code == 0, result.err
    header, row = out.read_text(encoding="utf-8-sig").splitlines()
    assert header.split(",")[3] == "计费基数" and header.split(",")[-1] == "合计"
    assert row.startswith('\'=张三,"=""230102198001011234""",6000,')


def test_json_is_one_array_on_stdout_and_in_a_file_and_jsonl_a_line_a_row(hz, tmp_path):
    """`| python -m json.tool` takes the answer whole; a script streaming rows asks jsonl."""
    payroll = tmp_path / "p.csv"
    payroll.write_text("姓名,工资\n甲,6000\n乙,6001\n", encoding="utf-8")
    args = ("premium", "--salaries", str(payroll), "--date", "2024-05-31", "--industry-class", "4")
    array, lines_ = hz(*args, "--format", "json"), hz(*args, "--format", "jsonl")
    assert array.out.startswith("[\n{") and array.out.endswith("}\n]\n")
    rows = json.loads(array.out)
    assert [r["total"] for r in rows] == ["87.00", "87.02"]
    assert [json.loads(line) for line in lines_.out.splitlines()] == rows
    for suffix, shown in ((".json", array.out), (".jsonl", lines_.out)):
        answer = tmp_path / f"answer{suffix}"
        assert hz(*args, "--output", str(answer)).code == 0
        assert answer.read_text(encoding="utf-8") == shown


def test_a_json_answer_cut_short_by_a_bad_row_is_no_whole_array(hz, tmp_path):
    payroll = tmp_path / "p.csv"
    payroll.write_text("姓名,工资\n甲,6000\n乙,x\n", encoding="utf-8")
    args = ("premium", "--salaries", str(payroll), "--date", "2024-05-31")
    result = hz(*args, "--format", "json")
    assert result.code == 2 and result.out.startswith("[\n{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.out)
    skipped = hz(*args, "--format", "json", "--skip-bad-rows")
    assert skipped.code == 0 and len(json.loads(skipped.out)) == 1
    payroll.write_text("姓名,工资\n乙,x\n", encoding="utf-8")
    none_left = hz(*args, "--format", "json", "--skip-bad-rows")
    assert none_left.code == 0 and none_left.out == "[]\n"
