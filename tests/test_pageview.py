"""The page model and its terminal rendering: quotes placed, marks sound, lines safe."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from hzcity.catalog.model import Catalog, Topic, parse_topic
from hzcity.errors import InvalidData, NotFound
from hzcity.output.table import cells
from hzcity.page.articles import build, load
from hzcity.page.text import context_lines, page_lines

CATALOG = Catalog()
PAGE = load(CATALOG)
FACTS = CATALOG.facts()


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f.id)
def test_every_quote_is_in_the_paragraph_that_context_shows(fact) -> None:
    place = PAGE.place(fact.id)
    assert place is not None
    paragraph = PAGE.paragraphs[place.paragraph]
    assert paragraph.text[place.start : place.end] == fact.quote
    (shown,) = context_lines(PAGE, fact.id, width=10_000, color=False, lang="en")
    text = paragraph.text
    assert shown == f"{text[: place.start]}«{fact.quote}»{text[place.end :]}"


def test_every_fact_is_in_exactly_one_mark_and_marks_never_overlap() -> None:
    holders = {f.id: [m for m in PAGE.marks if f.id in m.ids] for f in FACTS}
    assert all(len(marks) == 1 for marks in holders.values())
    for a, b in zip(PAGE.marks, PAGE.marks[1:], strict=False):
        assert (a.paragraph, a.end) <= (b.paragraph, b.start)


def test_marks_cut_the_utf8_text_only_between_characters() -> None:
    for mark in PAGE.marks:
        text = PAGE.paragraphs[mark.paragraph].text
        data = text.encode()
        start, end = len(text[: mark.start].encode()), len(text[: mark.end].encode())
        assert data[start:end].decode() == text[mark.start : mark.end]


def test_a_quote_shared_by_several_facts_is_one_mark_with_all_their_ids() -> None:
    (mark,) = [m for m in PAGE.marks if "concert.price-120" in m.ids]
    assert set(mark.ids) >= {"concert.price-120", "concert.price-180", "concert.price-280"}


def test_a_repeated_quote_is_placed_in_its_own_topic_article_and_the_choice_recorded() -> None:
    place = PAGE.place("civil-affairs.school-grant")
    assert place is not None and len(place.passed_over) == 2
    (article,) = [a for a in PAGE.articles if place.paragraph in {p.number for p in a.paragraphs}]
    assert article.topics == ("civil-affairs",)
    education = PAGE.articles_of(["education"])[0]
    assert set(place.passed_over) <= {p.number for p in education.paragraphs}


def test_a_quote_never_splits_a_combining_character(tmp_path: Path) -> None:
    topic = _topic(tmp_path, "quote: cafe")
    page = build("Title\n\ncafe\u0301 cafe au lait", [topic])
    place = page.place("t.word")
    assert place is not None
    assert page.paragraphs[place.paragraph].text[place.end :] == " au lait"


def test_a_column_break_mid_sentence_does_not_start_a_new_paragraph() -> None:
    (paragraph,) = [p for p in PAGE.paragraphs if "自1995年起" in p.text]
    assert paragraph.text.startswith("据市政府妇女儿童工作委员会")


def test_plain_page_marks_quotes_and_ids_and_keeps_to_the_width() -> None:
    for width in (24, 60, 100):
        lines = page_lines(PAGE, width=width, color=False, lang="en")
        assert all(cells(line) <= width for line in lines)
    text = "".join(page_lines(PAGE, topics=["education"], width=10_000, color=False, lang="en"))
    assert "«2022年投入各类资金19.95亿元»[education.funding-2022]" in text
    assert "\x1b" not in text


def test_a_topic_shows_only_its_article() -> None:
    lines = page_lines(PAGE, topics=["concert"], width=80, color=False, lang="zh")
    assert lines[0] == "── 哈尔滨音乐厅演出信息 ──"
    assert not any("教育" in line for line in lines)
    with pytest.raises(NotFound):
        page_lines(PAGE, topics=["concrt"], width=80, color=False, lang="zh")


def test_colour_page_highlights_quotes_and_dims_ids_without_changing_the_text() -> None:
    lines = page_lines(PAGE, topics=["education"], width=70, color=True, lang="en")
    assert (
        "\x1b[1;4m2022年投入各类资金19.95亿元\x1b[0m\x1b[2;3m[education.funding-2022]"
        in "".join(lines)
    )
    assert all(cells(re.sub(r"\x1b\[[0-9;]*m", "", line)) <= 70 for line in lines)


def test_a_hostile_user_topic_puts_no_control_or_bidi_character_on_the_screen(
    tmp_path: Path,
) -> None:
    evil = r"\e]0;pwned\a\u202etxt.exe\u2066\r"  # YAML escapes: ESC, BEL, RLO, LRI, CR
    with pytest.raises(InvalidData, match=r"t\.yaml:2: title_zh holds U\+001B"):
        _topic(tmp_path, "quote: not on the page", title=evil)  # no file may hold it
    # should such text come some other way, the page view still shows it neutralised
    read = "\x1b]0;pwned\a\u202etxt.exe\u2066\r"  # the same text, as YAML reads it
    topic = _topic(tmp_path, "quote: not on the page")
    topic = replace(topic, title_zh=read, title_en=read,
                    facts=tuple(replace(f, label_en=read) for f in topic.facts))  # fmt: skip
    page = build(PAGE.paragraphs[0].text, [topic])
    lines = page_lines(page, width=80, color=False, lang="en")
    assert "t.word" in "".join(lines)
    for char in "".join(lines):
        assert not (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0), repr(char)
        assert char not in "\u202e\u2066"
    assert context_lines(page, "t.word", width=80, color=False, lang="en") == [
        "(its quote is not on the page)"
    ]


def _topic(folder: Path, quote: str, title: str = "T") -> Topic:
    """A one-fact topic 't' whose fact 'word' has the given quote line."""
    path = folder / "t.yaml"
    body = f"""\
        topic: t
        title_zh: "{title}"
        title_en: "{title}"
        headline: Title
        facts:
          - id: word
            label_zh: 词
            label_en: "{title}"
            value: a
            kind: statement
            period: "2023"
            {quote}
        """
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return parse_topic(path, CATALOG.units)
