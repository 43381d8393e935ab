"""The JSON Schemas and the rules beyond them: one bad file per failure mode, each reported
as file:line: message by `validate` and when the file is loaded."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from hzcity.catalog import BOUNDS, KINDS, figure_in
from hzcity.errors import InvalidData
from hzcity.loader import fact_files, load_yaml, schema_file, shipped_root
from hzcity.policy import parse_parameters

TOPIC = textwrap.dedent(
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
FACT = TOPIC.split("facts:\n")[1]
EVENT = "events:\n  - id: fair\n    title_zh: 集市\n    title_en: Fair\n    date: schools\n"

# name -> (replacements in TOPIC, the problems as line: message)
TOPIC_CASES: dict[str, tuple[dict[str, str], list[str]]] = {
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
    "not-a-mapping": ({TOPIC: "- just\n- a list\n"}, ["1: a topic file must be a mapping"]),
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
        ["18: event date my-district.schools needs an ISO base_value"],
    ),
}


def _text(base: str, changes: dict[str, str]) -> str:
    for old, new in changes.items():
        assert old in base, old
        base = base.replace(old, new, 1)
    return base


def _expected(path: Path, lines: list[str]) -> list[str]:
    return [f"{path}:{line}" for line in lines]


@pytest.mark.parametrize("case", sorted(TOPIC_CASES))
def test_a_bad_topic_file_is_reported_by_validate_and_when_loaded(hz, tmp_path, case):
    changes, lines = TOPIC_CASES[case]
    path = tmp_path / "my-district.yaml"
    path.write_text(_text(TOPIC, changes), encoding="utf-8")
    expected = _expected(path, lines)

    checked = hz("validate", str(tmp_path))
    assert (checked.code, checked.out.splitlines()) == (1, expected)

    loaded = hz("facts", "my-district", "--facts-dir", str(tmp_path))
    assert (loaded.code, loaded.err) == (3, f"hzcity: error: {expected[0]}\n")


# name -> (the user's _units.yaml, replacements in TOPIC, the problems in _units.yaml)
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
    (tmp_path / "my-district.yaml").write_text(_text(TOPIC, changes), encoding="utf-8")
    expected = _expected(tmp_path / "_units.yaml", lines)

    checked = hz("validate", str(tmp_path))
    assert checked.code == 1 and checked.out.splitlines()[: len(expected)] == expected

    loaded = hz("facts", "my-district", "--facts-dir", str(tmp_path))
    assert (loaded.code, loaded.err) == (3, f"hzcity: error: {expected[0]}\n")


PARAMETERS = textwrap.dedent(
    """\
    rate:
      label_en: A rate
      label_zh: 费率
      unit: percent
      values:
        - start: "2024-01-01"
          end: "2024-12-31"
          value: "1"
          reference:
            title: A notice
            document: 某某发〔2024〕1号
    """
)
OUTSIDE = "reference:\n        title: A notice\n        document: 某某发〔2024〕1号"
LATER = '    - start: "2024-06-01"\n      value: "2"\n      reference: {title: A notice}\n'

# name -> (replacements in PARAMETERS, the problems as line: message)
PARAMETER_CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "unknown-unit": (
        {"unit: percent": "unit: percnt"},
        ["4: unknown unit 'percnt'; did you mean percent?"],
    ),
    "bad-name": (
        {"rate:": "Rate:"},
        ["1: name 'Rate' must be lower-case letters, digits and dashes"],
    ),
    "start-not-a-date": (
        {'start: "2024-01-01"': 'start: "2024-13"'},
        ["6: start '2024-13' must be a date, YYYY-MM-DD (or YYYY for a whole year)"],
    ),
    "start-no-such-day": (
        {'start: "2024-01-01"': "start: 2024-02-30"},
        ["6: start '2024-02-30' is not a date (YYYY-MM-DD)"],
    ),
    "end-before-start": (
        {'end: "2024-12-31"': 'end: "2023-12-31"'},
        ["7: end 2023-12-31 is before start 2024-01-01"],
    ),
    "windows-overlap": ({"": LATER}, ["12: windows of 'rate' overlap or are out of order"]),
    "value-unquoted": (
        {'value: "1"': "value: 0.50"},
        ['8: value 0.50 must be quoted text exactly as printed ("0.50")'],
    ),
    "value-and-by-class": (
        {'value: "1"': 'value: "1"\n      by_class: {1: "0.2"}'},
        ["6: a dated value has either value or by_class (one of them)"],
    ),
    "class-not-a-number": (
        {'value: "1"': 'by_class: {abc: "0.2"}'},
        ["8: by_class key 'abc' must be a whole class number (1, 2, ...)"],
    ),
    "class-quoted": (
        {'value: "1"': 'by_class: {"1": "0.2"}'},
        ["8: by_class key '1' must be a bare class number, not text (1: \"0.2\")"],
    ),
    "reference-without-title": (
        {"title: A notice": "url: https://example.org/notice"},
        ["9: reference needs key 'title'"],
    ),
    "reference-bad-url": (
        {"document: 某某发〔2024〕1号": "url: example.org"},
        ["11: url 'example.org' must be an http(s) address"],
    ),
    "reference-not-a-fact-id": (
        {OUTSIDE: "reference: insurance"},
        ["9: reference 'insurance' must be a fact id, topic.id"],
    ),
    "unknown-key": (
        {"value: ": "valeu: "},
        [
            "6: a dated value has either value or by_class (one of them)",
            "8: unknown key 'valeu'; did you mean value?",
        ],
    ),
    "no-values": (
        {PARAMETERS.split("values:\n")[1]: "", "values:": "values: []"},
        ["5: values must not be empty"],
    ),
}


@pytest.mark.parametrize("case", sorted(PARAMETER_CASES))
def test_a_bad_parameter_file_is_reported_by_validate_and_when_loaded(hz, tmp_path, case):
    changes, lines = PARAMETER_CASES[case]
    path = tmp_path / "parameters" / "rates.yaml"
    path.parent.mkdir()
    text = PARAMETERS + changes[""] if "" in changes else _text(PARAMETERS, changes)
    path.write_text(text, encoding="utf-8")
    expected = _expected(path, lines)

    checked = hz("validate", str(tmp_path))
    assert (checked.code, checked.out.splitlines()) == (1, expected)

    with pytest.raises(InvalidData) as raised:  # no command loads a user's parameters yet
        parse_parameters(path)
    assert str(raised.value) == expected[0]


def test_validate_reads_the_files_the_loader_reads_and_no_others(hz, tmp_path):
    (tmp_path / "my-district.yaml").write_text(TOPIC, encoding="utf-8")
    for name in ("_notes.yaml", "page/x.yaml", "drafts/other.yaml", "notes.yml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("[not, a, topic\n", encoding="utf-8")
    result = hz("validate", str(tmp_path))
    assert (result.code, result.out) == (0, "1 file(s) checked: no problems\n")
    assert fact_files(tmp_path).topics == (tmp_path / "my-district.yaml",)


def test_a_user_directory_brings_its_own_units(hz, tmp_path):
    (tmp_path / "_units.yaml").write_text(
        "万座: {scale: 10000, base: seat}\n'%': {scale: 1, base: percent}\n", encoding="utf-8"
    )
    topic = _text(TOPIC, {"unit: 所": "unit: 万座", "学校12所": "学校12万座"})
    (tmp_path / "my-district.yaml").write_text(topic, encoding="utf-8")
    result = hz("validate", str(tmp_path / "my-district.yaml"))
    assert (result.code, result.out) == (0, "1 file(s) checked: no problems\n")
    loaded = hz("facts", "my-district", "-f", "json", "--facts-dir", str(tmp_path))
    fact = json.loads(loaded.out)[0]
    assert (fact["base_value"], fact["base_unit"]) == (120000, "seat")


def test_a_badly_named_user_topic_file_is_an_error_when_loading(hz, tmp_path):
    (tmp_path / "My District.yaml").write_text(TOPIC, encoding="utf-8")
    result = hz("topics", "--facts-dir", str(tmp_path))
    assert result.code == 3
    assert result.err == (
        f"hzcity: error: {tmp_path / 'My District.yaml'}:1: "
        "a topic file name is lower-case letters, digits and dashes\n"
    )


def _schema(name: str) -> dict:
    return json.loads(schema_file(name).read_text(encoding="utf-8"))


def _shipped() -> list[tuple[Path, str]]:
    files = fact_files(shipped_root())
    return [
        (files.units, "units"),
        *((p, "topic") for p in files.topics),
        *((p, "parameters") for p in files.parameters),
    ]


@pytest.mark.parametrize(("path", "name"), _shipped(), ids=lambda v: getattr(v, "name", v))
def test_every_shipped_file_fits_its_schema_and_names_it_on_its_first_line(path, name):
    from jsonschema import Draft202012Validator

    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(load_yaml(path))]
    assert errors == []
    first = path.read_text(encoding="utf-8").splitlines()[0]
    target = first.removeprefix("# yaml-language-server: $schema=")
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / target).resolve() == schema_file(name).resolve()


def test_the_schema_lists_the_kinds_and_bounds_the_catalog_knows():
    fact = _schema("topic")["$defs"]["fact"]["properties"]
    assert fact["kind"]["enum"] == list(KINDS)
    assert fact["bound"]["enum"] == list(BOUNDS)


@pytest.mark.parametrize(
    ("value", "quote", "found"),
    [
        ("2585.10", "标准为2585.10元", True),
        ("2585.1", "标准为2585.10元", False),
        ("58", "标准为2585元", False),
        ("10", "标准为2585.10元", False),
        ("2585", "标准为2585.10元", False),
        ("12", "学校12所。", True),
        ("12", "第12.", True),  # a full stop ends the figure
        ("五", "十五所", True),  # Chinese numerals are not digits: substring as before
        ("2023.6.9", "6月9日(2023.6.9)晚", True),
    ],
)
def test_a_value_is_found_in_its_quote_only_as_a_whole_figure(value, quote, found):
    assert figure_in(value, quote) is found
