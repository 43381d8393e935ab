"""User topic files: validate, HZCITY_FACTS_PATH / --facts-dir, and hostile YAML."""

from __future__ import annotations

import json
import textwrap

import pytest

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


def test_escape_sequences_in_a_user_topic_do_not_reach_the_terminal(hz, tmp_path):
    folder = tmp_path / "mine"
    _write(
        folder, "my-district.yaml", GOOD.replace("label_en: Schools", 'label_en: "\\e[2JSchools"')
    )
    table = hz("facts", "my-district", "-f", "table", "--facts-dir", str(folder)).out
    assert "\x1b" not in table and "\ufffd[2JSchools" in table


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
    assert "3 problem(s) in 1 file(s)" in result.err


def test_validate_parameter_windows(hz, tmp_path):
    rates = textwrap.dedent(
        """\
        rate:
          label_en: A rate
          label_zh: 费率
          unit: percent
          values:
            - {start: "2024-01-01", end: "2024-12-31", value: "1",
               reference: insurance.unemployment-total-rate}
            - {start: "2024-06-01", value: "2", reference: insurance.unemployment-total-rate}
        other:
          label_en: Other
          label_zh: 其他
          unit: percent
          values:
            - {start: "2024-01-01", value: "2", reference: insurance.no-such-fact}
        """
    )
    classes = textwrap.dedent(
        """\
        classes:
          label_en: Classes
          label_zh: 类别
          unit: percent
          values:
            - {start: "2024-01-01", by_class: {abc: "0.2"}, reference: insurance.work-injury-cut}
        """
    )
    path = _write(tmp_path / "parameters", "rates.yaml", rates)
    other = _write(tmp_path / "parameters", "classes.yaml", classes)
    result = hz("validate", str(path), str(other))
    assert result.code == 1
    assert f"{path}:8: windows of 'rate' overlap or are out of order" in result.out
    assert "unknown fact id 'insurance.no-such-fact'" in result.out
    assert f"{other}:6: by_class key 'abc' must be a whole class number" in result.out


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
