"""Tables for people: they fit the terminal, keep words and amounts whole, lose no character."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hzcity.output.render import grouped
from hzcity.output.table import cells, draw, fit, wrap

WORDS = st.lists(
    st.text(alphabet="abcdefghij-.0123456789" + "哈尔滨市教育局亿元", min_size=1, max_size=25),
    min_size=0,
    max_size=12,
)


def test_cells_counts_chinese_as_two_and_combining_marks_as_none():
    assert cells("19.95亿元") == 9
    assert cells("e\u0301") == 1
    assert cells("") == 0


@given(WORDS, st.integers(min_value=2, max_value=40))  # 2: a Chinese character's width
def test_wrap_fits_the_width_and_loses_nothing(words, width):
    text = " ".join(words)
    lines = wrap(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_breaks_between_words_and_at_hyphens_before_folding():
    assert wrap("is concentrating its work", 14) == ["is", "concentrating", "its work"]
    assert wrap("education.teaching-support-space", 20) == [
        "education.teaching-",
        "support-space",
    ]
    # an id or a date that fits the line moves to the next one whole
    assert wrap("按孤儿标准保障(civil-affairs.same-standard-for-others)", 44) == [
        "按孤儿标准保障",
        "(civil-affairs.same-standard-for-others)",
    ]
    assert wrap("in force 2023-05-01/2024-12-31", 25) == ["in force", "2023-05-01/2024-12-31"]
    assert wrap("2022年学校标准化", 6) == ["2022年", "学校标", "准化"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    # Chinese punctuation stays with its neighbour: no line starts with ” or ends with “
    assert wrap("安全生产月”活动", 10) == ["安全生产", "月”活动"]
    assert wrap("召开“凝心", 6) == ["召开", "“凝心"]
    # an option is one token: never "--" at a line end and "output" on the next
    assert wrap("可用 --format tsv/json 或 --output。", 30) == [
        "可用 --format tsv/json 或",
        "--output。",
    ]


def test_chinese_text_keeps_ascii_names_and_paths_whole():
    """Chinese breaks between its characters, not at the hyphens of an option, an id or a
    file name set in it (English text still may, inside plain words)."""
    assert wrap("请加上“--skip-bad-rows”跳过这些行", 20) == [
        "请加上",
        "“--skip-bad-rows”跳",
        "过这些行",
    ]
    assert wrap("见“work-injury-cut”", 18) == ["见", "“work-injury-cut”"]
    assert wrap("生成待填写的参数文件 目录/parameters/rates-日期.yaml（“-”为直接输出）", 40) == [
        "生成待填写的参数文件",
        "目录/parameters/rates-日期.yaml（“-”为直",
        "接输出）",
    ]
    assert wrap("单位/个人合计", 8) == ["单位/个", "人合计"]  # Chinese words, not a path
    assert wrap("please add (--skip-bad-rows) now", 20) == [
        "please add",
        "(--skip-bad-rows)",
        "now",
    ]
    assert wrap("a well-known name", 10) == ["a well-", "known name"]


def test_the_last_line_keeps_to_the_width_with_its_two_characters():
    # 亿 / 亿. would pair as 亿亿. on the last line: five cells in four
    assert wrap("0000000亿亿亿.", 4) == ["0000", "000", "亿亿", "亿."]


def test_wrap_leaves_no_chinese_character_alone_on_the_last_line():
    assert wrap("列出每一行业类别的基准费率", 24) == ["列出每一行业类别的基准", "费率"]
    assert wrap("人人讲安全、个个会应急", 20) == ["人人讲安全、个个会", "应急"]
    assert wrap("基准费率。", 8) == ["基准", "费率。"]  # its closing mark comes with it
    assert wrap("rate 率", 5) == ["rate", "率"]  # only a Chinese character comes down


def test_a_figure_of_four_digits_or_more_is_grouped_for_people():
    texts = ("1995000000", "10000", "27060.00", "2585", "6000.00", "999.99", "0.5",
             "2023-05-31", "1万")  # fmt: skip
    assert [grouped(t) for t in texts] == [
        "1,995,000,000", "10,000", "27,060.00", "2,585", "6,000.00", "999.99", "0.5",
        "2023-05-31", "1万"
    ]  # fmt: skip


def test_control_characters_never_reach_the_terminal():
    assert wrap("a\x1b[2Jb\tc\rd", 40) == ["a\ufffd[2Jb c\ufffdd"]


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff"])
def test_bidi_and_zero_width_characters_are_shown_not_obeyed(char):
    """A user's fact could reverse the rest of a line (U+202E) or hide text (U+200B)."""
    assert wrap(f"ab{char}cd", 40) == ["ab\ufffdcd"]
    assert cells(wrap(f"ab{char}cd", 40)[0]) == 5


def test_fit_squeezes_wrapping_columns_before_whole_ones():
    # an id of 30 cells that must not wrap, a label of 60 that may, 50 cells of room
    assert fit([30, 60], [[30, 12], [1, 1]], 50) == [30, 20]
    # no room even at the first floors: the widest column folds too
    assert fit([30, 60], [[30, 12], [1, 1]], 20) == [10, 10]
    # never below the last floor (a column of Chinese needs 2 cells), even if it overflows
    assert fit([30, 60], [[30, 12], [2, 2]], 3) == [2, 2]


def test_draw_aligns_amounts_right_and_bolds_the_header_only_in_colour():
    rows = [["Base", "6000.00"], ["Total", "87.00"]]
    lines = list(
        draw(["Item", "Yuan"], rows, right=[False, True], wrapping=[True, False], width=40,
             color=True)
    )  # fmt: skip
    assert lines[0].startswith("\x1b[1m") and lines[0].endswith("\x1b[0m")
    assert lines[2].endswith("6000.00") and lines[3].endswith("  87.00")
    assert len(lines[2]) == len(lines[3])
    plain = list(draw(["Item"], [["Base"]], right=[False], wrapping=[True], width=40, color=False))
    assert not any("\x1b" in line for line in plain)


PREMIUM = ("premium", "--salary", "6000", "--date", "2024-01-01")
COMMANDS = {
    "facts": ("facts", "education"),
    "show": ("show", "civil-affairs.institutional-standard-2022"),
    "premium": (*PREMIUM, "--industry-class", "4"),
    # nine columns: below ~100 cells each class becomes a block of field/value lines
    "premium-by-class-zh": (*PREMIUM, "--lang", "zh"),
    "allowance-bars": ("allowance", "--care", "scattered", "--growth", "3", "--until", "2030"),
}


@pytest.mark.parametrize(
    ("name", "columns"),
    [(n, c) for n in COMMANDS for c in (30, 50, 80, 120)],
)
def test_tables_fit_the_terminal_and_never_fold_a_figure(hz, monkeypatch, name, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = hz(*COMMANDS[name], "--format", "table")
    assert result.code == 0, result.err
    widest = max(cells(line) for line in result.out.splitlines())
    assert widest <= columns
    # md shows the same cells unwrapped: each number there stands whole in the table
    cells_md = [c.strip() for c in hz(*COMMANDS[name], "--format", "md").out.split("|")]
    figures = [c for c in cells_md if re.fullmatch(r"[\d.,%]*\d[\d.,%]*", c)]
    assert figures and all(f in result.out.split() for f in figures), [
        f for f in figures if f not in result.out.split()
    ]


def test_a_wide_terminal_keeps_ids_and_words_whole(hz, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = hz("facts", "education", "--format", "table").out
    assert " teaching-support-space " in out
    assert "concentrating" in out
