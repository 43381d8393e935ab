"""A hostile-file corpus, generated here: fact directories, parameter files and cache
entries, each run through the real CLI in process with the exit code and message it must
give. What validate passes no other command may crash on; what the others refuse,
validate refuses at the same file:line."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from hzcity import loader

TOPIC = textwrap.dedent(
    """\
    topic: mine
    title_zh: 我的
    title_en: Mine
    headline: 一篇文章
    facts:
      - id: schools
        value: "12"
        unit: 所
        kind: count
        label_zh: 学校数
        label_en: Schools
        period: "2023"
        quote: 全区共有学校12所
      - id: day
        label_zh: 日期
        label_en: Day
        value: 6月9日
        unit: 日期
        base_value: "2023-06-09"
        kind: date
        period: "2023"
        quote: 6月9日举行
      - id: clock
        label_zh: 时间
        label_en: Time
        value: "19:00"
        unit: 时刻
        kind: time
        period: "2023"
        quote: 19:00开始
    events:
      - id: fair
        title_zh: 集市
        title_en: Fair
        date: day
        time: clock
    """
)
BIG = "9" * 29
# name -> (replacements in TOPIC, extra files, the line, the message validate and loading give)
TOPICS: dict[str, tuple[dict[str, str], dict[str, str], int, str]] = {
    "value-infinity": (
        {'value: "12"': 'value: "Infinity"', "学校12所": "学校Infinity所"},
        {},
        7,
        "'Infinity' is not a number; give base_value",
    ),
    "value-29-digits": (
        {'value: "12"': f'value: "{BIG}"', "学校12所": f"学校{BIG}所"},
        {},
        7,
        "is not a figure of at most 15 digits",
    ),
    "value-exponent-yi": (
        {'value: "12"': 'value: "1e999999"', "unit: 所": "unit: 亿元", "学校12所": "1e999999亿元"},
        {},
        7,
        "'1e999999' is not a number; give base_value",
    ),
    "base-value-4301-digits": (
        {"unit: 所": f"unit: 所\n    base_value: {'1' * 4301}"},
        {},
        9,
        "integer of more than 20 digits",
    ),
    "unit-scale-huge": (
        {"unit: 所": "unit: 大"},
        {"_units.yaml": f'大: {{scale: "1{"0" * 100_000}", base: school}}\n'},
        1,
        "is not a figure of at most 15 digits",
    ),
    "unit-scale-zero": (
        {"unit: 所": "unit: 零"},
        {"_units.yaml": '零: {scale: "0", base: school}\n'},
        1,
        "scale 0 must be more than 0",
    ),
    "event-day-9999-12-31": (
        {'base_value: "2023-06-09"': 'base_value: "9999-12-31"', "    time: clock\n": ""},
        {},
        35,
        "event date mine.day needs an ISO base_value",
    ),
    "event-day-feb-30": (
        {'base_value: "2023-06-09"': 'base_value: "2023-02-30"'},
        {},
        35,
        "event date mine.day needs an ISO base_value",
    ),
    "event-time-not-a-time": (
        {"time: clock": "time: schools"},
        {},
        36,
        "event time mine.schools must be a time fact, HH:MM",
    ),
    "event-time-25-00": (
        {'value: "19:00"': 'value: "25:00"', "19:00开始": "25:00开始"},
        {},
        36,
        "event time mine.clock must be a time fact, HH:MM",
    ),
    "shipped-topic-name": (
        {"topic: mine": "topic: education"},
        {"rename": "education.yaml"},
        1,
        "topic 'education' already exists in",
    ),
}
LOADERS = [
    ["topics"],
    ["facts"],
    ["search", "x"],
    ["page"],
    ["events"],
    ["events", "--ics"],
]


def _topic_dir(tmp_path: Path, changes: dict[str, str], extra: dict[str, str]) -> Path:
    folder = tmp_path / "facts"
    folder.mkdir()
    text = TOPIC
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    name = extra.pop("rename", "mine.yaml")
    (folder / name).write_text(text, encoding="utf-8")
    for file, content in extra.items():
        (folder / file).write_text(content, encoding="utf-8")
    return folder


def test_the_corpus_base_is_sound(hz, tmp_path):
    folder = _topic_dir(tmp_path, {}, {})
    assert hz("validate", str(folder)).code == 0
    ics = hz("events", "--ics", "--facts-dir", str(folder))
    assert ics.code == 0 and "DTSTART;TZID=Asia/Shanghai:20230609T190000" in ics.out


@pytest.mark.parametrize("case", sorted(TOPICS))
def test_a_hostile_topic_file_is_refused_alike_by_validate_and_every_command(hz, tmp_path, case):
    changes, extra, line, message = TOPICS[case]
    folder = _topic_dir(tmp_path, changes, dict(extra))
    name = extra.get("rename", "_units.yaml" if "_units.yaml" in extra else "mine.yaml")
    where = f"{folder / name}:{line}: "
    checked = hz("validate", str(folder))
    assert checked.code == 1 and where in checked.out and message in checked.out, checked.out
    for args in LOADERS:
        result = hz(*args, "--facts-dir", str(folder))
        assert result.code == 3, (args, result)
        assert result.err.startswith(f"hzcity: error: {where}") and message in result.err


def test_a_fifo_in_a_facts_directory_is_refused_not_waited_on(hz, tmp_path):
    folder = _topic_dir(tmp_path, {}, {})
    os.mkfifo(folder / "other.yaml")
    message = f"{folder / 'other.yaml'}: not a regular file"
    checked = hz("validate", str(folder))
    assert checked.code == 1 and message in checked.out
    for args in LOADERS:
        result = hz(*args, "--facts-dir", str(folder))
        assert result.code == 3 and message in result.err, (args, result)
    assert hz("show", "mine.schools", "--facts-dir", str(folder)).code == 0  # reads one file


# name -> (user parameter file, the line and message of its first problem)
PARAMETERS: dict[str, tuple[str, int, str]] = {
    "stated-for-0000": (
        "orphan-standard-institutional",
        '{start: "2023", value: "2700", status: stated, stated_for: "0000", reference: {title: X}}',
        "stated_for '0000' must be a year, YYYY",
    ),
    "unemployment-negative": (
        "unemployment-employer-rate",
        '{start: "2025-01-01", value: "-0.5", reference: {title: X}}',
        "value -0.5 is out of range: a percent value is 0 to 100",
    ),
    "cut-200": (
        "work-injury-cut",
        '{start: "2025-01-01", value: "200", reference: {title: X}}',
        "value 200 is out of range: a percent value is 0 to 100",
    ),
    "benchmark-negative": (
        "work-injury-benchmark-rate",
        '{start: "2025-01-01", by_class: {1: "-0.2", 2: "0.4"}, reference: {title: X}}',
        "by_class 1 -0.2 is out of range",
    ),
    "childcare-negative": (
        "childcare-subsidy",
        '{start: "2025-01-01", value: "-200", reference: {title: X}}',
        "value -200 is out of range: a yuan/person/month value is 0.01 to 10,000,000",
    ),
    "increase-minus-100": (
        "orphan-increase-institutional",
        '{start: "2023", value: "-100", status: stated, stated_for: "2023", reference: {title: X}}',
        "value -100 is out of range",
    ),
    "rate-10-to-the-40": (
        "unemployment-individual-rate",
        f'{{start: "2025-01-01", value: "1{"0" * 40}", reference: {{title: X}}}}',
        "must be a decimal number",
    ),
    "rate-29-digits": (
        "unemployment-individual-rate",
        f'{{start: "2025-01-01", value: "0.{"1" * 28}", reference: {{title: X}}}}',
        "must be a decimal number",
    ),
    "start-year-0000": (
        "unemployment-individual-rate",
        '{start: "0000", value: "0.5", reference: {title: X}}',
        "start '0000' is not a date (YYYY-MM-DD)",
    ),
}
CALCULATORS = [
    ["rates"],
    ["rates", "--date", "2025-06-01"],
    ["premium", "--salary", "5000", "--date", "2025-06-01", "--industry-class", "1"],
    ["allowance", "--care", "institutional", "--year", "2023"],
    ["childcare", "--children", "2"],
]


@pytest.mark.parametrize("case", sorted(PARAMETERS))
def test_a_hostile_user_parameter_is_refused_alike_by_validate_and_every_command(
    hz, tmp_path, case
):
    name, value, message = PARAMETERS[case]
    path = tmp_path / "facts" / "parameters" / "mine.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(f"{name}:\n  values:\n    - {value}\n", encoding="utf-8")
    where = f"{path}:3: "
    checked = hz("validate", str(tmp_path / "facts"))
    assert checked.code == 1 and f"{where}" in checked.out and message in checked.out, checked
    for args in CALCULATORS:
        result = hz(*args, "--facts-dir", str(tmp_path / "facts"))
        assert result.code == 3, (args, result)
        assert result.err.startswith(f"hzcity: error: {where}") and message in result.err


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "hzcity").iterdir() if p.name.endswith(".json"))


def _resigned(edit):
    """A damage that edits an entry's JSON and signs it again, as anyone can (a crc32)."""

    def damage(entry: Path, _other: Path) -> None:
        raw = edit(entry.read_bytes().partition(b"\n")[2].decode()).encode()
        entry.write_bytes(b"%08x\n" % loader._checksum(entry.name, raw) + raw)

    return damage


DAMAGE = {
    # a label renamed: a KeyError traceback before the shape check (issue 26)
    "resigned-label-renamed": _resigned(lambda text: text.replace('["label_en",', '["x_label",')),
    "list": lambda entry, other: entry.write_text("[]"),
    "number": lambda entry, other: entry.write_text("42"),
    "null": lambda entry, other: entry.write_text("null"),
    "empty-mapping": lambda entry, other: entry.write_text('{"line":1,"items":[]}'),
    "truncated": lambda entry, other: entry.write_bytes(entry.read_bytes()[:-20]),
    "other-entry": lambda entry, other: entry.write_bytes(other.read_bytes()),
    "deep-array": lambda entry, other: entry.write_text("[" * 200_000 + "]" * 200_000),
    "dev-zero": lambda entry, other: (entry.unlink(), entry.symlink_to("/dev/zero")),
    "fifo": lambda entry, other: (entry.unlink(), os.mkfifo(entry)),
}


# what reads every kind of entry: the rates (parameters), topics, and a premium priced by them
COMMANDS = ("rates", "topics", "premium --salary 6000 --industry-class 4 --date 2024-06-01")


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_entry_is_dropped_and_rebuilt(hz, tmp_path, monkeypatch, damage):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = {cmd: hz(*cmd.split(), "-f", "json").out for cmd in COMMANDS}
    entries = _entries(tmp_path)
    assert len(entries) >= 2 and all(json.loads(expected[c]) for c in expected)
    for entry in entries:
        DAMAGE[damage](entry, entries[0] if entry != entries[0] else entries[1])
    for _ in range(2):  # the first run rebuilds, the second reads the rebuilt entries
        for cmd, out in expected.items():
            result = hz(*cmd.split(), "-f", "json")
            assert (result.code, result.out, result.err) == (0, out, "")
    assert all(p.is_file() and not p.is_symlink() for p in _entries(tmp_path))


def test_a_resigned_entry_breaking_a_one_of_rule_is_parsed_again(tmp_path):
    """A dated value left with neither value nor by_class (the schema's oneOf), signed
    again: the shape check, which skipped oneOf, let it through, and premium answered 57.00
    for 87.00 with exit 0 (issue 26). Two processes: a run keeps what it parsed in memory."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = [sys.executable, "-m", "hzcity", "premium", "--salary", "6000", "--industry-class",
           "4", "--date", "2024-06-01", "--format", "json"]  # fmt: skip
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True)
    assert json.loads(first.stdout)["total"] == "87.00"
    dropped = 0
    for entry in _entries(tmp_path):
        text = entry.read_text(encoding="utf-8")
        if '["value", 11, "0.5", null], ' in text:  # the employer's unemployment rate
            dropped += 1
            _resigned(lambda body: body.replace('["value", 11, "0.5", null], ', "", 1))(
                entry, entry
            )
    assert dropped == 1
    again = subprocess.run(run, capture_output=True, text=True, env=env, check=True)
    assert json.loads(again.stdout)["total"] == "87.00"
