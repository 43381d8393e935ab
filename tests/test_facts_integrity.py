"""Every fact is traceable: its value is in its quote and its quote is on the page."""

from __future__ import annotations

import re

import pytest

from hzcity.catalog.model import Catalog, figure_in
from hzcity.loader import shipped_page
from hzcity.page import articles as pageview

CATALOG = Catalog()
ALL = CATALOG.facts()
PAGE = shipped_page().read_text(encoding="utf-8")
VIEW = pageview.load(CATALOG)


def _page() -> str:
    return PAGE


def test_ids_are_unique_and_prefixed_by_topic():
    ids = [f.id for f in ALL]
    assert len(ids) == len(set(ids))
    assert all(f.id.startswith(f"{f.topic}.") for f in ALL)


@pytest.mark.parametrize("fact", ALL, ids=lambda f: f.id)
def test_fact_is_complete_and_value_is_in_its_quote(fact):
    assert fact.label_zh.strip() and fact.label_en.strip()
    assert fact.stated_by and fact.source and fact.period
    assert figure_in(fact.value, fact.quote)  # a whole figure: "2585.1" is not in "2585.10"


@pytest.mark.parametrize("fact", ALL, ids=lambda f: f.id)
def test_quote_is_verbatim_on_the_page(fact):
    # as printed: a sentence broken by a column break is one paragraph (see pageview)
    assert VIEW.place(fact.id) is not None


JOINING = set("暨及和与并或、,")  # words and marks that join a clause to the next


@pytest.mark.parametrize("fact", ALL, ids=lambda f: f.id)
def test_a_quote_starts_and_ends_at_a_clause_boundary(fact):
    """A quote cut after 暨 (and) leaves the reader waiting for what it joins."""
    assert fact.quote[0] not in JOINING and fact.quote[-1] not in JOINING


def test_a_value_keeps_every_part_its_label_names():
    focus = CATALOG.fact("safety-month.inspection-focus")
    assert focus.value.endswith("商场、宾馆、医院、养老院等人员密集场所")
    assert focus.value.startswith("交通运输、房屋及建筑施工、燃气等事故多发行业领域")


@pytest.mark.parametrize(
    ("fact_id", "shown"), [("safety-month.edition", "第22个"), ("plan.current-round", "第五轮")]
)
def test_an_ordinal_is_stored_and_shown_as_one(fact_id, shown):
    fact = CATALOG.fact(fact_id)
    assert fact.kind == "ordinal"
    assert fact.shown_value() == shown
    assert shown in fact.quote


def test_every_number_printed_on_the_page_is_curated():
    page = _page()
    curated = " ".join(f"{f.value} {f.period} {f.target_year or ''}" for f in ALL)
    figures = re.findall(r"\d+(?:\.\d+)*", page)  # 2023.6.9 is one figure, not 2023.6 and 9
    missing = {n for n in figures if not figure_in(n, curated)}
    assert not missing, f"figures on the page with no fact: {sorted(missing)}"


def test_every_topic_file_has_its_source_headline_on_the_page():
    page = _page()
    for topic in CATALOG.topics():
        assert topic.headline in page, topic.name


@pytest.mark.parametrize(
    ("fact_id", "base_value", "base_unit", "kind"),
    [
        ("education.funding-2022", 1995000000, "yuan", "achievement"),
        ("education.teaching-support-space", 235500, "m2", "achievement"),
        ("education.student-aid-students", 148000, "student", "achievement"),
        ("education.disabled-enrolment", 95, "percent", "bound"),
        ("education.new-places-2023", 8000, "item", "target"),
        ("civil-affairs.scattered-increase-2022", "36.7", "percent", "change"),
        ("civil-affairs.school-grant", 10000, "yuan/person/school-year", "standard"),
        ("health.childcare-places-2025", "4.5", "place/1000 people", "target"),
        ("concert.date", "2023-06-09", "date", "date"),
        ("safety-month.edition", 22, "item", "ordinal"),
        ("plan.current-round", 5, "round", "ordinal"),
    ],
)
def test_scaled_units_normalise_exactly(fact_id, base_value, base_unit, kind):
    from decimal import Decimal

    fact = CATALOG.fact(fact_id)
    expected = (
        base_value if isinstance(base_value, str) and "-" in base_value else Decimal(base_value)
    )
    assert fact.base_value == expected
    assert (fact.base_unit, fact.kind) == (base_unit, kind)


def test_every_parameter_value_is_the_value_of_the_fact_it_cites():
    from hzcity.policy.dated import all_parameters

    checked = 0
    for param in all_parameters().values():
        for value in param.values:
            if value.reference.fact:
                fact = CATALOG.fact(value.reference.fact)
                assert fact.base_value == value.value, (param.name, fact.id)
                assert fact.base_unit == param.unit, (param.name, fact.id)  # per person too
                # an end the page does not print is an invented date
                assert not value.end or fact.period.endswith(value.end.isoformat()), param.name
                checked += 1
            else:  # an outside source names its title and document number
                assert value.reference.title and value.reference.document
    assert checked >= 9


# The SHA-256 of shared/source/000_103e8577f5cd3f17.txt, the page as the team received it.
SOURCE_SHA256 = "39a1005e2d06bff7939acfa1b0a5faa862eee252fda333de2b7c757819956998"


def test_the_shipped_page_is_the_source_page():
    """The shipped copy is what the tests above read; it must not drift from the page the
    team received (shared/source/, beside the team's checkouts, must hold the same bytes)."""
    import hashlib
    from pathlib import Path

    shipped = shipped_page().read_bytes()
    assert hashlib.sha256(shipped).hexdigest() == SOURCE_SHA256
    original = Path(__file__).resolve().parents[2] / "shared" / "source" / shipped_page().name
    if original.exists():
        assert original.read_bytes() == shipped


def test_every_quote_points_at_one_place_in_its_article():
    """A quote found twice in its own article (case 1 and case 2 end alike) would mark the
    wrong sentence; copies elsewhere on the page (the civil-affairs report reprinted in the
    education one) are told apart by the article."""
    page = VIEW
    for fact in ALL:
        home = [p for a in page.articles if fact.topic in a.topics for p in a.paragraphs]
        body = [p for p in home if not p.heading]  # a subhead may repeat a body sentence
        counts = (sum(p.text.count(fact.quote) for p in ps) for ps in (body, home, page.paragraphs))
        found = next((n for n in counts if n), 0)
        assert found == 1, f"{fact.id}: quote found {found} times"


def test_a_dated_fact_is_a_point_in_time_not_a_duration():
    # 自1995年起 names a calendar year; the unit 年 would make it 1995 years
    assert {f.base_unit for f in ALL if f.kind == "date"} == {"date"}


@pytest.mark.parametrize(
    ("fact_id", "period"),
    [
        ("civil-affairs.same-standard-for-others", "2023-05-31"),  # a standing rule, not 2022's
        ("civil-affairs.regional-standing", "2023-05-31"),  # 处于…前列: the page's present
        ("health.childcare-utility-prices", "2023-05-31"),  # only the subsidy is 将建立
    ],
)
def test_audited_periods(fact_id, period):
    assert CATALOG.fact(fact_id).period == period


# The fact audit of issue 19: each quote the shortest whole clause that holds its value.
AUDITED_QUOTES = {
    # the page's layout break falls inside 事实无人|抚养儿童: the quote holds the whole term
    "civil-affairs.subsidy-coverage": "将孤儿和事实无人抚养儿童纳入到价格临时补贴和医疗救助范围",
    "plan.domain-count":  # the clause of plan.domains: 法律保护7个… was a fragment
        "儿童发展规划设定了健康、安全、教育、福利、家庭、环境、法律保护7个发展领域的目标任务",
    "plan.friendly-city-goal": "明确提出“建设儿童友好城市和儿童友好社区”的工作目标",
    "civil-affairs.institutional-standard-2022": "机构养育孤儿基本生活保障标准提高到2585元/月",
    "civil-affairs.scattered-standard-2022": "散居孤儿基本生活保障标准提高到2255元/月",
    "insurance.no-application": "参保单位“免申即享”,业务系统将直接调整费率",
}  # fmt: skip


@pytest.mark.parametrize(("fact_id", "quote"), AUDITED_QUOTES.items())
def test_audited_quotes(fact_id, quote):
    assert CATALOG.fact(fact_id).quote == quote


def test_a_quote_a_subhead_repeats_is_marked_in_the_body():
    place = VIEW.place("insurance.no-application")
    assert place is not None and not VIEW.paragraphs[place.paragraph].heading


def test_the_press_conference_banner_heads_the_section_not_the_plan_article():
    banner = "推进哈尔滨市儿童友好城市建设新闻发布会"
    first = VIEW.articles[0]
    assert first.topics == () and first.paragraphs[0].text == banner
    assert first.paragraphs[0].heading
    plan = next(a for a in VIEW.articles if "plan" in a.topics)
    assert banner not in [p.text for p in plan.paragraphs]


@pytest.mark.parametrize(
    ("fact_id", "label_en"),
    [
        ("education.admission-policies", "Admission policies: exam-free admission to a nearby "
         "school by catchment area; 'two consistencies'; school-place lock-in; public and "
         "private schools enrol at the same time"),
        ("education.oversized-schools-removed",
         "Oversized schools brought back within the enrolment cap in 2022"),
    ],
)  # fmt: skip
def test_audited_english_labels(fact_id, label_en):
    assert CATALOG.fact(fact_id).label_en == label_en


def test_the_safety_month_is_called_work_safety_month():
    topic = next(t for t in CATALOG.topics() if t.name == "safety-month")
    assert topic.title_en == '2023 "Work Safety Month"'
    texts = [topic.title_en, *(f.label_en for f in topic.facts)]
    texts += [e.title_en for e in topic.events]
    assert not [t for t in texts if "safety production" in t.lower()]


def test_a_percentage_in_words_keeps_its_figure_apart():
    assert CATALOG.fact("education.migrant-and-left-behind-enrolment").shown_value() == (
        "双百 (100%)"
    )
