"""The lookup commands end to end: topics, facts, show, search, events."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hzcity.catalog.model import Catalog

TOPICS = Catalog().names()


def test_topics_lists_every_topic_with_counts(hz):
    result = hz("topics", "--format", "json")
    assert result.code == 0
    listed = json.loads(result.out)
    assert [t["topic"] for t in listed] == TOPICS
    assert all(t["facts"] > 0 and t["source"] for t in listed)


def test_facts_json_contract_and_exact_numbers(hz):
    result = hz("facts", "--format", "json")
    assert result.code == 0
    facts = json.loads(result.out)
    required = {
        "id",
        "topic",
        "label_zh",
        "label_en",
        "value",
        "unit",
        "base_value",
        "base_unit",
        "kind",
        "period",
        "source",
        "quote",
    }
    assert all(required <= set(f) for f in facts)
    funding = next(f for f in facts if f["id"] == "education.funding-2022")
    assert (funding["value"], funding["unit"]) == ("19.95", "亿元")
    assert funding["base_value"] == "1995000000"  # exact decimal text, as every base_value
    # the raw text: no float artefacts, no exponent, anywhere
    assert '"97.23",' in result.out and '"1995000000",' in result.out and "E+" not in result.out
    assert "9999" not in result.out


def test_facts_table_shows_value_kind_and_period(hz):
    result = hz("facts", "education", "--format", "table")
    assert result.code == 0
    assert "19.95亿元" in result.out and "≥95%" in result.out
    assert "target 2023" in result.out


def test_a_span_of_years_reads_as_words_for_people_and_stays_iso_for_scripts(hz):
    table = hz("facts", "education", "--kind", "achievement", "--format", "md").out
    assert "3 years to 2023-05-31" in table and "P3Y" not in table
    assert "P3Y/2023-05-31" in hz("facts", "education", "--format", "tsv").out


def test_piped_default_is_tsv_with_every_field(hz):
    result = hz("facts", "concert")
    rows = list(csv.DictReader(io.StringIO(result.out), delimiter="\t"))
    assert rows[0]["id"] == "concert.title"
    assert {r["value"] for r in rows} >= {"80", "0451-84699400", "19:00"}
    assert "│" not in result.out and "\x1b[" not in result.out


def test_csv_and_md_formats(hz):
    rows = list(csv.DictReader(io.StringIO(hz("facts", "insurance", "-f", "csv").out)))
    assert {"insurance.unemployment-employer-rate", "insurance.work-injury-cut"} <= {
        r["id"] for r in rows
    }
    md = hz("facts", "insurance", "-f", "md").out.splitlines()
    assert md[0].startswith("| ID |") and md[1].startswith("|---")


def test_kind_filter(hz):
    facts = json.loads(hz("facts", "--kind", "target", "-f", "json").out)
    assert facts and {f["kind"] for f in facts} == {"target"}
    assert {f["target_year"] for f in facts} >= {2023, 2025}


def test_chinese_labels_from_flag_and_environment(hz, monkeypatch):
    assert (
        "2022年学校标准化建设投入各类资金"
        in hz("facts", "education", "-f", "md", "--lang", "zh").out
    )
    monkeypatch.setenv("HZCITY_LANG", "zh")
    assert "| 编号 |" in hz("facts", "education", "-f", "md").out
    monkeypatch.delenv("HZCITY_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "| 编号 |" in hz("facts", "education", "-f", "md").out


def test_show_one_fact_with_citation(hz):
    result = hz("show", "civil-affairs.institutional-standard-2022", "-f", "json")
    fact = json.loads(result.out)
    assert fact["value"] == "2585" and fact["unit"] == "元/月"
    assert fact["quote"] in "机构养育孤儿基本生活保障标准提高到2585元/月,增幅达10%"
    table = hz("show", "civil-affairs.institutional-standard-2022", "-f", "table").out
    assert "提高孤儿生活费标准" in table


def test_search_words_typed_apart_or_quoted_must_all_match(hz):
    def ids(*words):
        return [f["id"] for f in json.loads(hz("search", *words, "-f", "json").out)]

    apart = ids("orphan", "standard")
    assert apart == ids("orphan standard") == ids("standard", "ORPHAN")
    assert "civil-affairs.scattered-standard-2022" in apart
    assert len(apart) < len(ids("orphan")) and len(apart) < len(ids("standard"))


def test_search_chinese_and_english(hz):
    orphan_zh = json.loads(hz("search", "孤儿", "-f", "json").out)
    orphan_en = json.loads(hz("search", "orphan", "-f", "json").out)
    assert "civil-affairs.scattered-standard-2022" in {f["id"] for f in orphan_zh}
    assert "civil-affairs.scattered-standard-2022" in {f["id"] for f in orphan_en}
    places = {f["id"] for f in json.loads(hz("search", "学位", "-f", "json").out)}
    assert "education.new-places-2023" in places
    assert hz("search", "no-such-thing-anywhere", "-f", "json").out.strip() == "[]"


def test_unknown_topic_suggests_and_exits_1(hz):
    result = hz("facts", "educaton")
    assert result.code == 1 and result.out == ""
    assert result.err.strip() == "hzcity: error: unknown topic 'educaton'; did you mean education?"


def test_unknown_fact_id_suggests(hz):
    result = hz("show", "education.funding-2023")
    assert result.code == 1 and "education.funding-2022" in result.err


def test_usage_error_exits_2(hz):
    result = hz("facts", "--format", "yaml")
    assert result.code == 2 and "Traceback" not in result.err


def test_events_table_and_ics(hz):
    listed = json.loads(hz("events", "-f", "json").out)
    concert = next(e for e in listed if e["id"] == "concert.rachmaninoff-150")
    assert (concert["date"], concert["time"]) == ("2023-06-09", "19:00")
    assert concert["place"] == "哈尔滨音乐厅(群力大道1号)"
    assert [e["date"] for e in listed] == sorted(e["date"] for e in listed)
    ics = hz("events", "--ics").out
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert ics.count("BEGIN:VEVENT") == len(listed)


def test_ics_events_read_by_a_calendar_in_another_zone(hz):
    """A real parser sees each event where Harbin sees it: the concert at 19:00 Beijing time
    (11:00 UTC), not at 19:00 wherever the reader is; days and the month stay all-day."""
    from datetime import UTC, date, datetime

    import icalendar

    calendar = icalendar.Calendar.from_ical(hz("events", "--ics", "--lang", "zh").out)
    found = {
        str(e["UID"]): (
            e.decoded("DTSTART"),
            e.decoded("DTEND") if "DTEND" in e else None,
            str(e["SUMMARY"]),
        )
        for e in calendar.walk("VEVENT")
    }
    start, end, summary = found["concert.rachmaninoff-150@hzcity"]
    assert start.astimezone(UTC) == datetime(2023, 6, 9, 11, 0, tzinfo=UTC)
    assert start.utcoffset().total_seconds() == 8 * 3600 and end is None
    assert "拉赫玛尼诺夫" in summary
    assert found["safety-month.month@hzcity"][:2] == (date(2023, 6, 1), date(2023, 7, 1))
    assert found["insurance.reduced-rates@hzcity"][:2] == (date(2023, 5, 1), date(2025, 1, 1))
    assert all(not isinstance(s, datetime) or s.tzinfo for s, _, _ in found.values())
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"


def test_ics_writes_four_digits_of_year_and_no_raw_carriage_return():
    """What a reader parses even for an event no file may hold (validate refuses years
    before 1900 and control characters): a DATE of eight digits, a CR as an escaped break."""
    from dataclasses import replace
    from datetime import UTC, datetime

    import icalendar

    from hzcity.catalog.model import Catalog
    from hzcity.page.ics import to_ics

    event = next(e for e in Catalog().events() if e.id == "safety-month.launch")
    old = replace(event, date=replace(event.date, base_value="0999-06-09"), title_en="A\rB")
    text = to_ics([old], "en", now=datetime(2026, 12, 2, tzinfo=UTC))
    assert "DTSTART;VALUE=DATE:09990609\r\n" in text and "SUMMARY:A\\nB\r\n" in text
    assert "\r" not in text.replace("\r\n", "")
    (parsed,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == "A\nB"


def test_a_topic_named_twice_is_listed_once(hz):
    once = json.loads(hz("facts", "health", "-f", "json").out)
    twice = json.loads(hz("facts", "health", "plan", "HEALTH", "-f", "json").out)
    assert [f["id"] for f in twice if f["topic"] == "health"] == [f["id"] for f in once]
    assert [f["topic"] for f in twice][-1] == "plan"  # the order given is kept


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json"])
def test_an_empty_search_succeeds_with_no_rows_and_says_so(hz, fmt):
    result = hz("search", "no-such-word", "-f", fmt)
    assert result.code == 0
    assert result.out == ("[]\n" if fmt == "json" else "")
    assert "no fact holds every word of 'no-such-word'" in result.err


def test_a_kind_with_no_fact_in_a_topic_says_so(hz):
    result = hz("facts", "concert", "--kind", "target", "-f", "tsv")
    assert result.code == 0 and result.out == ""
    assert "no fact of kind target in concert" in result.err


def test_show_context_prints_the_quote_marked_in_its_paragraph(hz, monkeypatch):
    import sys

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # wrapped: on a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    result = hz("show", "education.funding-2022", "--context", "-f", "table")
    assert result.code == 0, result.err
    fact_part, _, paragraph = result.out.partition("\n\n")
    assert "education.funding-2022" in fact_part
    flat = "".join(line.strip() for line in paragraph.splitlines())
    assert "推进学校建设标准化,«2022年投入各类资金19.95亿元»,增加教辅用房" in flat
    assert max(len(line) for line in paragraph.splitlines()) <= 80


@pytest.mark.parametrize("args", [["show", "education.sports-venue-space", "--context"],
                                  ["page", "education"]])  # fmt: skip
def test_in_a_pipe_a_paragraph_is_one_line_for_grep(hz, monkeypatch, args):
    """Wrapped at 80, 体育场馆24.55万平|方米 was split and `| grep` missed it."""
    monkeypatch.setenv("COLUMNS", "80")
    lines = hz(*args).out.splitlines()
    assert [line for line in lines if "体育场馆24.55万平方米" in line]
    assert max(len(line) for line in lines) > 80


def test_page_shows_the_articles_of_a_topic_with_marks_and_ids(hz):
    result = hz("page", "concert")
    assert result.code == 0, result.err
    assert "«时间:2023.6.9 19:00»[concert.date concert.time]" in result.out
    assert "education." not in result.out


def test_page_html_is_one_document_and_an_unknown_topic_is_suggested(hz):
    html = hz("page", "--format", "html").out
    assert html.startswith("<!doctype html>") and 'data-fact="education.funding-2022"' in html
    wrong = hz("page", "civil")
    assert wrong.code == 1 and "did you mean civil-affairs" in wrong.err
    # a word like none of them gets the list, not a far guess (nosuch is no 'insurance')
    far = hz("facts", "nosuch")
    assert far.code == 1 and "did you mean" not in far.err and "choose from cases," in far.err


def test_a_one_topic_listing_gives_short_ids_that_show_takes(hz, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = hz("facts", "civil-affairs", "-f", "table").out
    assert "civil-affairs.school-grant" not in out and " school-grant " in out
    assert "civil-affairs" in out.splitlines()[0]  # the title names the topic left out
    assert "civil-affairs.school-grant" in hz("facts", "civil-affairs", "plan", "-f", "table").out
    shown = json.loads(hz("show", "school-grant", "-f", "json").out)
    assert shown["id"] == "civil-affairs.school-grant"
    assert json.loads(hz("show", "date", "--topic", "concert", "-f", "json").out)["id"] == (
        "concert.date"
    )
    ambiguous = hz("show", "date")
    assert ambiguous.code != 0 and "concert" in ambiguous.err and "Traceback" not in ambiguous.err
