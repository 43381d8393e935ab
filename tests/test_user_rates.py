"""Rates after the page: users' cited parameter files, `hzcity rates`, and the
page's own figures modelled as the page states them (stated for a year, announced)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases" / "user-params"
RATES_2025 = CASES / "rates-2025"
USER_FILE = RATES_2025 / "parameters" / "rates.yaml"


def test_the_premium_table_marks_a_user_reference_with_its_file(hz):
    result = hz("premium", "--salary", "6000", "--injury-rate", "1", "--date", "2025-03-01",
                "--facts-dir", str(RATES_2025), "--format", "md")  # fmt: skip
    assert result.code == 0, result.err
    assert f"[user-supplied: {USER_FILE}]" in result.out


def test_the_payroll_rates_note_names_each_user_rate_and_its_file(hz, tmp_path):
    payroll = tmp_path / "payroll.csv"
    payroll.write_text("name,salary\nLi,6000\n", encoding="utf-8")
    result = hz("premium", "--salaries", str(payroll), "--industry-class", "4",
                "--date", "2025-03-01", "--facts-dir", str(RATES_2025))  # fmt: skip
    assert result.code == 0, result.err
    assert "Li,6000,6000.00,36.00,24.00," in result.out
    assert (
        "hzcity: note: work-injury-cut 2025-01-01/2025-12-31: EXAMPLE — replace "
        f"with the notice you rely on [user-supplied: {USER_FILE}]"
    ) in result.err.splitlines()


def test_user_files_are_read_from_hzcity_facts_path_too(hz, monkeypatch):
    monkeypatch.setenv("HZCITY_FACTS_PATH", str(RATES_2025))
    result = hz("premium", "--salary", "6000", "--injury-rate", "1", "--date", "2025-03-01",
                "--format", "json")  # fmt: skip
    assert json.loads(result.out)["unemployment_source"] == f"user:{USER_FILE}"


def test_without_a_date_a_user_window_open_today_gives_todays_rates(hz, tmp_path):
    (tmp_path / "parameters").mkdir()
    text = (RATES_2025 / "parameters" / "rates.yaml").read_text(encoding="utf-8")
    open_ended = "".join(line for line in text.splitlines(True) if "end:" not in line)
    (tmp_path / "parameters" / "rates.yaml").write_text(open_ended, encoding="utf-8")
    result = hz("premium", "--salary", "6000", "--injury-rate", "1",
                "--facts-dir", str(tmp_path), "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(result.out)["date"] == "2026-12-02"  # the suite's today (conftest)


def test_validate_reports_a_user_file_as_file_line_message(hz):
    result = hz("validate", str(CASES / "overlap"))
    shipped = Path(__file__).parents[1] / "facts" / "parameters" / "insurance.yaml"
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{CASES / 'overlap' / 'parameters' / 'rates.yaml'}:4: window 2024-07-01/.. of "
        f"'unemployment-employer-rate' overlaps 2023-05-01/2024-12-31 at {shipped}:9"
    ]
    assert hz("validate", str(RATES_2025)).code == 0


def test_a_missing_facts_directory_is_named(hz, tmp_path):
    result = hz("premium", "--salary", "1", "--injury-rate", "1", "--date", "2024-01-01",
                "--facts-dir", str(tmp_path / "nowhere"))  # fmt: skip
    assert (result.code, result.err) == (
        3, f"hzcity: error: {tmp_path / 'nowhere'}: facts directory does not exist\n"
    )  # fmt: skip


def test_a_table_per_class_must_stay_a_table_per_class(hz, tmp_path):
    (tmp_path / "parameters").mkdir()
    (tmp_path / "parameters" / "bench.yaml").write_text(textwrap.dedent("""\
        work-injury-benchmark-rate:
          values:
            - {start: "2026-01-01", value: "0.5", reference: {title: EXAMPLE notice}}
        """), encoding="utf-8")  # fmt: skip
    result = hz("validate", str(tmp_path))
    assert result.out == (
        f"{tmp_path / 'parameters' / 'bench.yaml'}:3: 'work-injury-benchmark-rate' takes "
        "by_class (one value per class)\n"
    )


# The page's own figures, as the page states them (issue 12, items 1 and 2)


def test_no_day_after_2022_is_covered_by_the_stated_orphan_standard(hz):
    result = hz("allowance", "--care", "institutional", "--year", "2023")
    assert result.code == 4
    assert "windows: 2022/.. (stated for 2022)" in result.err
    assert "adjusted yearly by the natural-growth mechanism" in result.err.lower()
    listed = hz("rates", "orphan-standard-institutional", "--format", "json")
    assert json.loads(listed.out)[0] | {"label_en": "", "label_zh": "", "reference": ""} == {
        "name": "orphan-standard-institutional", "label_en": "", "label_zh": "",
        "start": "2022", "end": None, "until": "2022-12-31", "then": None, "value": "2585",
        "by_class": None, "unit": "yuan/month",
        "reference": "", "reference_url": None, "source": "page", "status": "stated",
        "stated_for": 2022,
    }  # fmt: skip


def test_on_a_2023_day_rates_says_nothing_is_in_force_for_the_orphan_standard(hz):
    result = hz("rates", "orphan-standard-scattered", "--date", "2023-03-01", "--format", "md")
    assert result.code == 0
    assert "nothing in force on 2023-03-01" in result.out
    assert "2255" not in result.out


def test_the_childcare_subsidy_is_announced_not_in_force(hz):
    listed = hz("rates", "childcare-subsidy", "--date", "2023-06-01", "--format", "json")
    assert [r["status"] for r in json.loads(listed.out)] == ["announced"]
    shown = hz("rates", "childcare-subsidy", "--format", "md", "--lang", "zh")
    assert "宣布将建立，尚未执行" in shown.out
    result = hz("childcare", "--children", "2", "--format", "json")
    assert json.loads(result.out)["status"] == "announced"
    assert "an announced rate" in result.err


# hzcity rates


def test_rates_lists_every_window_with_its_source_and_one_row_per_window(hz):
    result = hz("rates", "--format", "json", "--facts-dir", str(RATES_2025))
    rows = [(r["name"], r["start"], r["source"]) for r in json.loads(result.out)]
    assert ("unemployment-employer-rate", "2023-05-01", "page") in rows
    assert ("unemployment-employer-rate", "2025-01-01", f"user:{USER_FILE}") in rows
    assert ("work-injury-benchmark-rate", "2015-10-01", "national") in rows
    bench = [r for r in json.loads(result.out) if r["name"] == "work-injury-benchmark-rate"]
    assert bench[0]["value"] is None
    assert bench[0]["by_class"] == {"1": "0.2", "2": "0.4", "3": "0.7", "4": "0.9", "5": "1.1",
                                    "6": "1.3", "7": "1.6", "8": "1.9"}  # fmt: skip


def test_a_user_references_address_is_shown_by_rates(hz, tmp_path):
    (tmp_path / "parameters").mkdir()
    (tmp_path / "parameters" / "rates.yaml").write_text(textwrap.dedent("""\
        work-injury-cut:
          values:
            - start: "2026-01-01"
              value: "20"
              reference:
                title: EXAMPLE — replace with the notice you rely on
                url: https://example.org/replace-me
        """), encoding="utf-8")  # fmt: skip
    args = ("rates", "work-injury-cut", "--date", "2026-06-01", "--facts-dir", str(tmp_path))
    assert json.loads(hz(*args, "-f", "json").out)[0]["reference_url"] == (
        "https://example.org/replace-me"
    )
    assert "https://example.org/replace-me" in hz(*args, "-f", "md").out


def test_a_template_fails_validation_until_filled_and_premium_then_uses_it(hz, tmp_path):
    """From nothing to today's answer: the template, its problems, filled in, premium."""
    wrote = hz("rates", "--template", str(tmp_path))
    path = tmp_path / "parameters" / "rates-2026-01-01.yaml"
    assert wrote.code == 0 and path.is_file(), wrote.err
    problems = hz("validate", str(tmp_path))
    assert problems.code == 1
    empty = [line for line in problems.out.splitlines() if line.startswith(f"{path}:")]
    assert len(empty) == 6  # a value and a title for each of the three rates
    assert all("must be a decimal number" in p or "title must not be empty" in p for p in empty)
    refused = hz("premium", "--salary", "6000", "--industry-class", "4", "--facts-dir",
                 str(tmp_path))  # fmt: skip
    assert refused.code == 3 and f"{path}:" in refused.err
    text = path.read_text(encoding="utf-8")
    for value in ("0.6", "0.4", "20"):  # placeholder figures, as a filled-in notice would give
        text = text.replace('value: ""', f'value: "{value}"', 1)
    text = text.replace('title: ""', "title: EXAMPLE — replace with the notice you rely on")
    path.write_text(text, encoding="utf-8")
    assert hz("validate", str(tmp_path)).code == 0
    result = hz("premium", "--salary", "6000", "--industry-class", "4", "--facts-dir",
                str(tmp_path), "-f", "json")  # fmt: skip
    assert result.code == 0 and result.err == "", result.err
    answer = json.loads(result.out)
    assert (answer["date"], answer["unemployment_employer"], answer["total"]) == (
        "2026-12-02",
        "36.00",
        "103.20",
    )
    assert answer["unemployment_source"] == f"user:{path}"


def test_a_template_is_never_written_over_a_file_and_prints_with_a_dash(hz, tmp_path):
    assert hz("rates", "--template", str(tmp_path)).code == 0
    again = hz("rates", "--template", str(tmp_path))
    assert again.code == 2 and "exists" in again.err
    printed = hz("--lang", "zh", "rates", "--template", "-", "--date", "2027-03-01")
    assert '- start: "2027-03-01"' in printed.out and 'end: "2027-12-31"' in printed.out
    assert "请填写每个数值" in printed.out and "# contribution-base-min:" in printed.out


def test_rates_on_a_day_shows_only_what_is_in_force(hz):
    result = hz("rates", "unemployment-employer-rate", "work-injury-cut", "--date", "2025-06-01",
                "--format", "tsv")  # fmt: skip
    lines = result.out.splitlines()
    assert len(lines) == 3 and all("\tnone\t" in line for line in lines[1:])
    with_user = hz("rates", "unemployment-employer-rate", "--date", "2025-06-01",
                   "--format", "csv", "--facts-dir", str(RATES_2025))  # fmt: skip
    assert with_user.out.count("unemployment-employer-rate") == 1 and ",0.6," in with_user.out


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["rates", "unemployment-rate"], 1, "unknown parameter 'unemployment-rate'; did you mean"),
        (["rates", "--date", "2025-13-01"], 2, "--date: '2025-13-01' is no day of the calendar"),
    ],
)
def test_rates_refuses_what_it_cannot_show(hz, args, code, says):
    result = hz(*args)
    assert result.code == code and says in result.err and result.out == ""


def test_the_example_user_file_in_facts_readme_is_valid_and_used(hz, tmp_path):
    text = (Path(__file__).parents[1] / "facts" / "README.md").read_text(encoding="utf-8")
    section = text.split("## User parameter files")[1]
    example = section.split("```yaml\n")[-1].split("```")[0]
    assert "EXAMPLE — replace with the notice you rely on" in example
    (tmp_path / "parameters").mkdir()
    (tmp_path / "parameters" / "after-2024.yaml").write_text(example, encoding="utf-8")
    assert hz("validate", str(tmp_path)).code == 0
    result = hz("premium", "--salary", "2000", "--industry-class", "4", "--date", "2025-03-01",
                "--facts-dir", str(tmp_path), "--format", "json")  # fmt: skip
    data = json.loads(result.out)
    assert (data["contribution_base"], data["total"]) == ("3000.00", "43.50")


def test_validate_finds_a_clash_between_two_users_directories(hz, tmp_path):
    other = tmp_path / "other" / "parameters"
    other.mkdir(parents=True)
    clash = USER_FILE.read_text(encoding="utf-8").replace('"2025-01-01"', '"2025-07-01"', 1)
    (other / "mine.yaml").write_text(clash, encoding="utf-8")
    result = hz("validate", str(RATES_2025), str(tmp_path / "other"))
    assert result.code == 1
    assert result.out.startswith(
        f"{other / 'mine.yaml'}:4: window 2025-07-01/2025-12-31 of 'unemployment-employer-rate' "
        f"overlaps 2025-01-01/2025-12-31 at {USER_FILE}:4"
    )
    loaded = hz("rates", "--facts-dir", str(RATES_2025), "--facts-dir", str(tmp_path / "other"))
    assert loaded.code == 3 and "overlaps 2025-01-01/2025-12-31" in loaded.err


@pytest.mark.parametrize(
    ("lang", "rate", "cut"),
    [("en", '"0.5" is 0.5%', '"50" is a cut by half'), ("zh", '"0.5" 即 0.5%', '"50" 即下调一半')],
)
def test_each_template_value_has_an_example_that_fits_it(hz, lang, rate, cut):
    """A cut by half is "50": the cut's comment must not say "0.5" is 0.5%."""
    text = hz("--lang", lang, "rates", "--template", "-").out
    blocks = {b.split(":")[0]: b.splitlines()[1] for b in text.split("\n\n")[1:4]}
    assert rate in blocks["unemployment-employer-rate"]
    assert rate in blocks["unemployment-individual-rate"]
    assert cut in blocks["work-injury-cut"] and rate not in blocks["work-injury-cut"]
    # the unit in brackets of the template's language: full-width around Chinese
    unit = {"zh": f"（百分比：{cut}）", "en": f" (percent: {cut})"}[lang]
    assert blocks["work-injury-cut"].endswith(unit)


def test_an_announced_rate_has_no_start_for_people_only_the_day_it_was_announced(hz):
    table = hz("rates", "childcare-subsidy", "--format", "md").out
    assert "announced on 2023-05-31, not in force" in table
    assert "|  |  | 200 yuan/person/month |" in table  # From and Until empty
    zh = hz("rates", "childcare-subsidy", "--format", "md", "--lang", "zh").out
    assert "2023-05-31宣布将建立，尚未执行" in zh
    record = json.loads(hz("rates", "childcare-subsidy", "--format", "json").out)
    assert record[0]["start"] == "2023-05-31" and record[0]["status"] == "announced"
