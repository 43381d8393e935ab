"""User fact files: validate, HZCITY_FACTS_PATH / --facts-dir, hostile YAML, and one bad
file per failure mode, each reported as file:line: message by validate and when loaded."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from hzcity.loader import fact_files

GOOD = textwrap.dedent(
    """\
    topic: my-district
    title_zh: 我的区
    title_en: My district
    headline: 一篇文章
    facts:
      - id: schools
        label_zh: 学校数
        label_en: Schools
        value: "12"
        unit: 所
        kind: count
        period: "2023"
        quote: 全区共有学校12所
    """
)


def _write(folder, name, text):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_files_validate_clean(hz):
    result = hz("validate")
    assert result.code == 0, result.out
    assert "no problems" in result.out


def test_user_topic_from_env_and_option(hz, tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    _write(folder, "my-district.yaml", GOOD)
    listed = json.loads(hz("facts", "my-district", "-f", "json", "--facts-dir", str(folder)).out)
    assert listed[0]["id"] == "my-district.schools" and listed[0]["base_unit"] == "school"
    monkeypatch.setenv("HZCITY_FACTS_PATH", str(folder))
    topics = [t["topic"] for t in json.loads(hz("topics", "-f", "json").out)]
    assert "my-district" in topics and "education" in topics
    assert hz("validate", str(folder)).code == 0


def test_an_escape_sequence_in_a_user_topic_is_refused_at_its_line(hz, tmp_path):
    folder = tmp_path / "mine"
    path = _write(
        folder, "my-district.yaml", GOOD.replace("label_en: Schools", 'label_en: "\\e[2JSchools"')
    )
    said = f"{path}:8: label_en holds U+001B, a control character a terminal would obey"
    checked = hz("validate", str(folder))
    assert checked.code == 1 and checked.out.startswith(said)
    table = hz("facts", "my-district", "-f", "table", "--facts-dir", str(folder))
    assert table.code == 3 and table.err.startswith(f"hzcity: error: {said}")
    assert "\x1b" not in table.out + table.err


def test_user_topic_may_not_shadow_a_shipped_one(hz, tmp_path):
    folder = tmp_path / "mine"
    _write(folder, "education.yaml", GOOD.replace("my-district", "education"))
    result = hz("facts", "education", "--facts-dir", str(folder))
    assert result.code == 3 and "topic 'education' already exists" in result.err


def test_validate_reports_every_schema_problem_at_the_line_of_its_key(hz, tmp_path):
    bad = GOOD.replace("kind: count", "kind: cuont") + textwrap.indent(
        textwrap.dedent(
            """\
            - id: other
              label_zh: 其他
              label_en: Other
              value: "12"
              kind: count
              period: "2023"
              quote: 全区共有学校12所
              colour: red
            """
        ),
        "  ",
    )
    path = _write(tmp_path / "mine", "my-district.yaml", bad)
    result = hz("validate", str(path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}:11: unknown kind 'cuont'; did you mean count, contact?",
        f"{path}:21: unknown key 'colour'",
    ]


def test_validate_reports_every_rule_problem_of_a_file_that_fits_its_schema(hz, tmp_path):
    second = GOOD.split("facts:\n")[1].replace("unit: 所", "unit: 座")
    third = GOOD.split("facts:\n")[1].replace("id: schools", "id: pupils")
    third = third.replace('value: "12"', 'value: "2"')
    again = GOOD.split("facts:\n")[1]
    path = _write(tmp_path / "mine", "my-district.yaml", GOOD + second + third + again)
    result = hz("validate", str(path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}:18: unknown unit '座'; add it to _units.yaml",
        f"{path}:25: value '2' does not occur in its quote",
        f"{path}:30: duplicate fact id 'my-district.schools'",
    ]
    # the summary is an error line a script can find by its documented prefix
    assert result.err == "hzcity: error: 3 problems in 1 file (1 topic)\n"


def test_validate_user_parameter_windows_across_files(hz, tmp_path):
    rates = textwrap.dedent(
        """\
        unemployment-employer-rate:
          values:
            - {start: "2024-06-01", value: "1", reference: {title: EXAMPLE notice}}
        unemployment-employer-rat:
          values:
            - {start: "2026-01-01", value: "1", reference: {title: EXAMPLE notice}}
        """
    )
    later = textwrap.dedent(
        """\
        unemployment-employer-rate:
          values:
            - {start: "2025-01-01", end: "2025-12-31", value: "0.5",
               reference: {title: EXAMPLE notice}}
        """
    )
    again = later.replace("2025-01-01", "2025-03-01")
    path = _write(tmp_path / "parameters", "a.yaml", rates)
    _write(tmp_path / "parameters", "b.yaml", later)
    other = _write(tmp_path / "parameters", "c.yaml", again)
    shipped = Path(__file__).parents[1] / "facts" / "parameters" / "insurance.yaml"
    result = hz("validate", str(tmp_path))
    assert result.code == 1
    assert result.out.splitlines() == [
        f"{path}:3: window 2024-06-01/.. of 'unemployment-employer-rate' overlaps "
        f"2023-05-01/2024-12-31 at {shipped}:9",
        f"{path}:4: unknown parameter 'unemployment-employer-rat'; did you mean "
        "unemployment-employer-rate, unemployment-individual-rate?",
        f"{other}:3: window 2025-03-01/2025-12-31 of 'unemployment-employer-rate' overlaps "
        f"2025-01-01/2025-12-31 at {tmp_path / 'parameters' / 'b.yaml'}:3",
    ]


HOSTILE = {
    "python-tag.yaml": ("a: !!python/object/apply:os.system ['echo owned']\n", "constructor"),
    "aliases.yaml": (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        "aliases (*name) are not allowed",
    ),
    "duplicate.yaml": ("topic: x\ntopic: y\n", "duplicate key 'topic'"),
    "syntax.yaml": ("topic: [unclosed\n", ".yaml:2:"),
    "not-a-mapping.yaml": ("- just\n- a list\n", "must be a mapping"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_is_refused_with_a_clear_error(hz, tmp_path, name):
    text, says = HOSTILE[name]
    folder = tmp_path / "mine"
    _write(folder, name, text)
    result = hz("facts", name.removesuffix(".yaml"), "--facts-dir", str(folder))
    assert result.code == 3 and says in result.err
    assert "Traceback" not in result.err and "owned" not in result.out


def test_huge_binary_and_directory_files_are_refused(hz, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    with (folder / "huge.yaml").open("wb") as stream:  # 50 MB, sparse: cheap to make
        stream.truncate(50 * 1024 * 1024)
    (folder / "latin1.yaml").write_bytes("topic: caf\xe9\n".encode("latin-1"))
    (folder / "folder.yaml").mkdir()
    (folder / "dangling.yaml").symlink_to(folder / "gone.yaml")
    for topic, says in [("huge", "larger than"), ("latin1", "not UTF-8"),
                        ("folder", "is a directory"), ("dangling", "cannot read")]:  # fmt: skip
        result = hz("facts", topic, "--facts-dir", str(folder))
        assert result.code == 3 and says in result.err, topic


def test_validate_flags_bad_unit_tables_and_file_names(hz, tmp_path):
    folder = tmp_path / "mine"
    units = _write(folder, "_units.yaml", "万座: {scale: 10000}\n")
    named = _write(folder, "My Topic.yaml", GOOD)
    result = hz("validate", str(folder))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{units}:1: unit '万座' needs key 'base'" in result.out
    assert f"{named}:1: a topic file name is lower-case" in result.out


FACT = GOOD.split("facts:\n")[1]
EVENT = "events:\n  - id: fair\n    title_zh: 集市\n    title_en: Fair\n    date: schools\n"

# name -> (replacements in GOOD, the problems as line: message)
GOOD_CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "target-year-text": (
        {"kind: count": "kind: target\n    target_year: soon"},
        ["12: target_year 'soon' is not an integer"],
    ),
    "target-year-empty": (
        {"kind: count": "kind: target\n    target_year:"},
        ["12: target_year is empty"],
    ),
    "bound-list": (
        {"kind: count": 'kind: bound\n    bound: [">="]'},
        ["12: bound ['>='] is not one of >=, >, <=, <"],
    ),
    "unit-list": ({"unit: 所": "unit: [percent]"}, ["10: unit ['percent'] is not text"]),
    "value-unquoted": (
        {'value: "12"': "value: 2585.10", "学校12所": "学校2585.10所"},
        ['9: value 2585.10 must be quoted text exactly as printed ("2585.10")'],
    ),
    "value-part-of-a-figure": (
        {'value: "12"': 'value: "2585.1"', "学校12所": "学校2585.10所"},
        ["9: value '2585.1' does not occur in its quote"],
    ),
    "value-inside-a-number": (
        {'value: "12"': 'value: "58"', "学校12所": "学校2585所"},
        ["9: value '58' does not occur in its quote"],
    ),
    "unknown-kind": (
        {"kind: count": "kind: cuont"},
        ["11: unknown kind 'cuont'; did you mean count, contact?"],
    ),
    "ordinal-without-di": (
        {"kind: count": "kind: ordinal"},
        ["11: an ordinal's quote prints 第 before its value"],
    ),
    "unknown-key": ({"period:": "colour: red\n    period:"}, ["12: unknown key 'colour'"]),
    "missing-key": ({"    quote: 全区共有学校12所\n": ""}, ["6: missing key 'quote'"]),
    "bad-id": (
        {"id: schools": "id: Schools_1"},
        ["6: id 'Schools_1' must be lower-case letters, digits and dashes"],
    ),
    "no-facts": ({FACT: "", "facts:": "facts: []"}, ["5: facts must not be empty"]),
    "fact-not-a-mapping": ({FACT: "  - 12所\n"}, ["5: facts[0] '12所' is not a mapping"]),
    "bound-on-a-count": (
        {"kind: count": 'kind: count\n    bound: ">="'},
        ["11: only kind 'bound' takes a bound"],
    ),
    "bound-missing": (
        {"kind: count": "kind: bound"},
        ["6: kind 'bound' needs a bound (>=, >, <= or <)"],
    ),
    "target-year-on-a-count": (
        {"kind: count": "kind: count\n    target_year: 2025"},
        ["11: only kind 'target' takes a target_year"],
    ),
    "several": (
        {"kind: count": "kind: target\n    target_year: soon", "unit: 所": "unit: [percent]"},
        ["10: unit ['percent'] is not text", "12: target_year 'soon' is not an integer"],
    ),
    "not-a-mapping": ({GOOD: "- just\n- a list\n"}, ["1: a topic file must be a mapping"]),
    "topic-name": (
        {"topic: my-district": "topic: other"},
        ["1: topic 'other' must match the file name"],
    ),
    "unknown-unit": ({"unit: 所": "unit: 座"}, ["10: unknown unit '座'; add it to _units.yaml"]),
    "base-value": (
        {"unit: 所": "unit: 所\n    base_value: 13"},
        ["11: base_value 13 is not 12 x 1"],
    ),
    "duplicate-id": ({FACT: FACT + FACT}, ["14: duplicate fact id 'my-district.schools'"]),
    "event-unknown-fact": (
        {FACT: FACT + "events:\n  - {id: fair, title_zh: 集市, title_en: Fair, date: when}\n"},
        ["15: event refers to unknown fact 'when'"],
    ),
    "event-date-not-iso": (
        {FACT: FACT + EVENT},
        [
            "18: event date my-district.schools needs an ISO base_value: a real day (YYYY-MM-DD) "
            "or month (YYYY-MM) from 1900 to 9998"
        ],
    ),
}


def _text(base: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert old in base, old
        base = base.replace(old, new, 1)
    return base


def _expected(path: Path, lines: list[str]) -> list[str]:
    return [f"{path}:{line}" for line in lines]


@pytest.mark.parametrize("case", sorted(GOOD_CASES))
def test_a_bad_topic_file_is_reported_by_validate_and_when_loaded(hz, tmp_path, case):
    changes, lines = GOOD_CASES[case]
    path = tmp_path / "my-district.yaml"
    path.write_text(_text(GOOD, changes), encoding="utf-8")
    expected = _expected(path, lines)

    checked = hz("validate", str(tmp_path))
    assert (checked.code, checked.out.splitlines()) == (1, expected)

    loaded = hz("facts", "my-district", "--facts-dir", str(tmp_path))
    assert (loaded.code, loaded.err) == (3, f"hzcity: error: {expected[0]}\n")


# name -> (the user's _units.yaml, replacements in GOOD, the problems in _units.yaml)
UNIT_CASES: dict[str, tuple[str, dict[str, str], list[str]]] = {
    "missing-base": ("座: {scale: 1}\n", {"所": "座"}, ["1: unit '座' needs key 'base'"]),
    "scale-not-a-number": (
        "座: {scale: 1.5.5, base: seat}\n",
        {"所": "座"},
        ["1: scale '1.5.5' must be a decimal number such as 10000 or \"0.5\""],
    ),
    "scale-zero": (
        "座: {scale: 0, base: seat}\n",
        {"所": "座"},
        ["1: scale 0 must be more than 0"],
    ),
    "numeric-text": (
        "座:\n  base: seat\n  numeric: no-thanks\n",
        {"所": "座"},
        ["3: numeric 'no-thanks' is not true or false"],
    ),
    "unknown-key": (
        "座: {base: seat, colour: red}\n",
        {"所": "座"},
        ["1: unknown key 'colour'; choose from base, numeric, scale"],
    ),
    "redefines-a-shipped-unit": (
        "# percent in basis points\n'%': {scale: 100, base: percent}\n",
        {},
        ["2: unit '%' differs from the shipped _units.yaml"],
    ),
}


@pytest.mark.parametrize("case", sorted(UNIT_CASES))
def test_a_bad_user_unit_table_is_reported_by_validate_and_when_loaded(hz, tmp_path, case):
    units, changes, lines = UNIT_CASES[case]
    (tmp_path / "_units.yaml").write_text(units, encoding="utf-8")
    (tmp_path / "my-district.yaml").write_text(_text(GOOD, changes), encoding="utf-8")
    expected = _expected(tmp_path / "_units.yaml", lines)

    checked = hz("validate", str(tmp_path))
    assert checked.code == 1 and checked.out.splitlines()[: len(expected)] == expected

    loaded = hz("facts", "my-district", "--facts-dir", str(tmp_path))
    assert (loaded.code, loaded.err) == (3, f"hzcity: error: {expected[0]}\n")


PARAMETERS = textwrap.dedent(
    """\
    contribution-base-min:
      values:
        - start: "2024-01-01"
          end: "2024-12-31"
          value: "1"
          reference:
            title: EXAMPLE — replace with the notice you rely on
            document: 某某发〔2024〕1号
    """
)
OUTSIDE = PARAMETERS[PARAMETERS.index("reference:") :].rstrip("\n")
LATER = '    - start: "2024-06-01"\n      value: "2"\n      reference: {title: A notice}\n'

# name -> (replacements in PARAMETERS, the problems as line: message)
PARAMETER_CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "unknown-parameter": (
        {"contribution-base-min:": "contribution-base-mim:"},
        [
            "1: unknown parameter 'contribution-base-mim'; did you mean contribution-base-min, "
            "contribution-base-max?"
        ],
    ),
    "shipped-keys": (
        {"  values:": "  unit: percent\n  values:"},
        ["2: unknown key 'unit'; choose from values"],
    ),
    "bad-name": (
        {"contribution-base-min:": "Base:"},
        ["1: name 'Base' must be lower-case letters, digits and dashes"],
    ),
    "start-not-a-date": (
        {'start: "2024-01-01"': 'start: "2024-13"'},
        ["3: start '2024-13' must be a date, YYYY-MM-DD (or YYYY for a whole year)"],
    ),
    "start-no-such-day": (
        {'start: "2024-01-01"': "start: 2024-02-30"},
        ["3: start '2024-02-30' is not a date (YYYY-MM-DD)"],
    ),
    "end-before-start": (
        {'end: "2024-12-31"': 'end: "2023-12-31"'},
        ["4: end 2023-12-31 is before start 2024-01-01"],
    ),
    "windows-overlap": (
        {"": LATER},
        [
            "9: window 2024-06-01/.. of 'contribution-base-min' overlaps 2024-01-01/2024-12-31 "
            "at {path}:3"
        ],
    ),
    "value-unquoted": (
        {'value: "1"': "value: 0.50"},
        ['5: value 0.50 must be quoted text exactly as printed ("0.50")'],
    ),
    "value-and-by-class": (
        {'value: "1"': 'value: "1"\n      by_class: {1: "0.2"}'},
        ["3: a dated value has either value or by_class (one of them)"],
    ),
    "class-not-a-number": (
        {'value: "1"': 'by_class: {abc: "0.2"}'},
        ["5: by_class key 'abc' must be a whole class number (1, 2, ...)"],
    ),
    "class-for-a-single-value": (
        {'value: "1"': 'by_class: {1: "0.2"}'},
        ["3: 'contribution-base-min' takes a single value"],
    ),
    "reference-without-title": (
        {"title: EXAMPLE — replace with the notice you rely on": "url: https://example.org/x"},
        ["6: reference needs key 'title'"],
    ),
    "reference-missing": (
        {OUTSIDE: "note: no source"},
        ["3: missing key 'reference'"],
    ),
    "reference-bad-url": (
        {"document: 某某发〔2024〕1号": "url: example.org"},
        ["8: url 'example.org' must be an http(s) address"],
    ),
    "reference-a-page-fact": (
        {OUTSIDE: "reference: insurance.work-injury-cut"},
        ["6: a user value cites the notice it relies on: title (required), document, url"],
    ),
    "unknown-key": (
        {"value: ": "valeu: "},
        [
            "3: a dated value has either value or by_class (one of them)",
            "5: unknown key 'valeu'; did you mean value?",
        ],
    ),
    "no-values": (
        {PARAMETERS.split("values:\n")[1]: "", "values:": "values: []"},
        ["2: values must not be empty"],
    ),
}


@pytest.mark.parametrize("case", sorted(PARAMETER_CASES))
def test_a_bad_parameter_file_is_reported_by_validate_and_when_loaded(hz, tmp_path, case):
    changes, lines = PARAMETER_CASES[case]
    path = tmp_path / "parameters" / "rates.yaml"
    path.parent.mkdir()
    text = PARAMETERS + changes[""] if "" in changes else _text(PARAMETERS, changes)
    path.write_text(text, encoding="utf-8")
    expected = [line.format(path=path) for line in _expected(path, lines)]

    checked = hz("validate", str(tmp_path))
    assert (checked.code, checked.out.splitlines()) == (1, expected)

    loaded = hz("premium", "--salary", "1", "--injury-rate", "1", "--date", "2024-01-01",
                "--facts-dir", str(tmp_path))  # fmt: skip
    assert (loaded.code, loaded.err) == (3, f"hzcity: error: {expected[0]}\n")


def test_validate_reads_the_files_the_loader_reads_and_no_others(hz, tmp_path):
    (tmp_path / "my-district.yaml").write_text(GOOD, encoding="utf-8")
    for name in ("_notes.yaml", "page/x.yaml", "drafts/other.yaml", "notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("[not, a, topic\n", encoding="utf-8")
    result = hz("validate", str(tmp_path))
    assert (result.code, result.out) == (0, "1 file (1 topic) checked: no problems\n")
    assert fact_files(tmp_path).topics == (tmp_path / "my-district.yaml",)


def test_a_user_directory_brings_its_own_units(hz, tmp_path):
    (tmp_path / "_units.yaml").write_text(
        "万座: {scale: 10000, base: seat}\n'%': {scale: 1, base: percent}\n", encoding="utf-8"
    )
    topic = _text(GOOD, {"unit: 所": "unit: 万座", "学校12所": "学校12万座"})
    (tmp_path / "my-district.yaml").write_text(topic, encoding="utf-8")
    result = hz("validate", str(tmp_path / "my-district.yaml"))
    assert (result.code, result.out) == (0, "1 file (1 topic) checked: no problems\n")
    loaded = hz("facts", "my-district", "-f", "json", "--facts-dir", str(tmp_path))
    fact = json.loads(loaded.out)[0]
    assert (fact["base_value"], fact["base_unit"]) == ("120000", "seat")


def test_a_badly_named_user_topic_file_is_an_error_when_loading(hz, tmp_path):
    (tmp_path / "My District.yaml").write_text(GOOD, encoding="utf-8")
    result = hz("topics", "--facts-dir", str(tmp_path))
    assert result.code == 3
    assert result.err == (
        f"hzcity: error: {tmp_path / 'My District.yaml'}:1: "
        "a topic file name is lower-case letters, digits and dashes\n"
    )


def test_validate_checks_a_curators_parameter_files_in_the_shipped_format(tmp_path):
    """The shipped facts' rules (labels, units, page references), on a copy of that layout."""
    from hzcity.catalog.model import Catalog
    from hzcity.catalog.validate import validate

    shipped = Path(__file__).parents[1] / "facts" / "_units.yaml"
    (tmp_path / "_units.yaml").write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    rates = textwrap.dedent(
        """\
        rate:
          label_en: A rate
          label_zh: 费率
          unit: percent
          values:
            - {start: "2024-01-01", end: "2024-12-31", value: "1", reference: insurance.x}
            - {start: "2024-06-01", value: "2", reference: insurance.x}
        other:
          label_en: Other
          label_zh: 其他
          unit: percent
          values:
            - {start: "2024-01-01", value: "2", reference: insurance.no-such-fact}
        """
    )
    path = _write(tmp_path / "parameters", "rates.yaml", rates)
    problems = validate([tmp_path], Catalog(root=tmp_path)).problems
    assert str(problems[0]) == f"{path}:7: windows of 'rate' overlap or are out of order"
    assert (problems[0].file, problems[0].line, problems[0].rule) == (str(path), 7, "rule")
    assert str(problems[1]).startswith(
        f"{path}:13: parameter 'other': reference: unknown fact id 'insurance.no-such"
    )


def test_validate_gives_its_problems_as_data_in_every_format(hz, tmp_path):
    folder = tmp_path / "mine"
    path = _write(folder, "my-district.yaml", GOOD.replace("kind: count", "kind: cuont"))
    message = "unknown kind 'cuont'; did you mean count, contact?"
    plain = hz("validate", str(folder))
    assert plain.out == f"{path}:11: {message}\n"
    listed = hz("validate", str(folder), "-f", "json")
    assert listed.code == 1
    assert json.loads(listed.out) == [
        {"file": str(path), "line": 11, "rule": "schema", "message": message}
    ]
    tsv = hz("validate", str(folder), "-f", "tsv").out.splitlines()
    assert tsv == ["file\tline\trule\tmessage", f"{path}\t11\tschema\t{message}"]
    clean = hz("validate", "-f", "json")
    assert (clean.code, json.loads(clean.out)) == (0, []) and "no problems" in clean.err


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_validate_refuses_the_page_formats(hz, fmt):
    """validate offers the record formats only: -f html printed an empty table and exit 0."""
    result = hz("validate", "-f", fmt)
    assert result.code == 2
    assert "'table', 'json', 'jsonl', 'csv', 'tsv', 'md'" in result.err
    assert result.out == ""
