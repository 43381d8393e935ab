"""The step-function model (hzcity.policy.timeline), table-driven: the day before, on and
after each change, a value superseded then left behind, an announced value, and the days
people ask for (issue 23)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from hzcity.errors import BadInput, NoRateInForce
from hzcity.policy import timeline


@dataclass(frozen=True)
class V:
    """A value as the timeline reads it: a start, its own last day, a status."""

    start: date
    last: date | None
    status: str = ""


D = date.fromisoformat
OPEN_2015 = V(D("2015-10-01"), None)  # the national table: no end
USER_2024 = V(D("2024-01-01"), D("2024-12-31"))  # a user's table, closed on 31 December
ANNOUNCED = V(D("2023-05-31"), None, "announced")
LATER = V(D("2026-01-01"), D("2026-12-31"))
BENCHMARK = [OPEN_2015, USER_2024, LATER]

IN_FORCE = [
    ("before every value", BENCHMARK, "2015-09-30", None),
    ("the first day of the open value", BENCHMARK, "2015-10-01", OPEN_2015),
    ("the eve of the next start", BENCHMARK, "2023-12-31", OPEN_2015),
    ("the next start supersedes it", BENCHMARK, "2024-01-01", USER_2024),
    ("the last day of the closed value", BENCHMARK, "2024-12-31", USER_2024),
    ("the superseded value never returns", BENCHMARK, "2025-06-01", None),
    ("a later value in its turn", BENCHMARK, "2026-06-01", LATER),
    ("after the last end", BENCHMARK, "2027-01-01", None),
    ("an open value alone lasts", [OPEN_2015], "2099-12-31", OPEN_2015),
    ("an announced value is not in force", [ANNOUNCED], "2024-01-01", None),
    ("nor after it is superseded", [ANNOUNCED, USER_2024], "2025-01-01", None),
    ("the value that supersedes it is", [ANNOUNCED, USER_2024], "2024-06-01", USER_2024),
]


@pytest.mark.parametrize(("values", "day", "expected"), [c[1:] for c in IN_FORCE],
                         ids=[c[0] for c in IN_FORCE])  # fmt: skip
def test_the_value_in_force_on_a_day(values, day, expected):
    assert timeline.in_force(values, D(day)) is expected


STANDING = [
    ("announced and standing", [ANNOUNCED, USER_2024], "2023-12-31", ANNOUNCED),
    ("superseded, it no longer stands", [ANNOUNCED, USER_2024], "2025-01-01", None),
    ("before its day", [ANNOUNCED], "2023-05-30", None),
]


@pytest.mark.parametrize(("values", "day", "expected"), [c[1:] for c in STANDING],
                         ids=[c[0] for c in STANDING])  # fmt: skip
def test_an_announced_value_counts_only_when_asked(values, day, expected):
    assert timeline.in_force(values, D(day), announced=True) is expected


def test_each_span_ends_at_its_own_end_or_the_eve_of_the_next_start():
    spans = timeline.spans(BENCHMARK)
    assert [(s.value, s.last, s.then) for s in spans] == [
        (OPEN_2015, D("2023-12-31"), USER_2024),
        (USER_2024, D("2024-12-31"), None),  # a gap follows: nothing starts on 2025-01-01
        (LATER, D("2026-12-31"), None),
    ]
    assert timeline.spans([]) == []


LATEST = [
    ("today itself when all are in force", [[OPEN_2015], [USER_2024]], "2024-06-01",
     "2024-06-01"),
    ("the last day all are, when one has ended", [[OPEN_2015], [USER_2024]], "2025-06-01",
     "2024-12-31"),
    ("a superseded value is not found again", [BENCHMARK], "2025-12-31", "2024-12-31"),
    ("none before every start", [BENCHMARK], "2015-09-30", None),
    ("nothing in common", [[V(D("2020-01-01"), D("2020-12-31"))], [USER_2024]], "2030-01-01",
     None),
]  # fmt: skip


@pytest.mark.parametrize(("timelines", "until", "expected"), [c[1:] for c in LATEST],
                         ids=[c[0] for c in LATEST])  # fmt: skip
def test_the_latest_day_every_value_is_in_force(timelines, until, expected):
    found = timeline.latest_day(timelines, D(until))
    assert found == (D(expected) if expected else None)


def test_a_yearly_value_is_the_one_in_force_late_in_the_year():
    assert timeline.in_year(BENCHMARK, 2023) is OPEN_2015
    assert timeline.in_year(BENCHMARK, 2024) is USER_2024
    assert timeline.in_year(BENCHMARK, 2025) is None


CLASH = [
    ("the same start", OPEN_2015, V(D("2015-10-01"), None), True),
    ("a start inside a closed window", USER_2024, V(D("2024-12-31"), None), True),
    ("a start the day after it ends", USER_2024, V(D("2025-01-01"), None), False),
    ("a later start supersedes an open value", OPEN_2015, USER_2024, False),
]


@pytest.mark.parametrize(("before", "after", "expected"), [c[1:] for c in CLASH],
                         ids=[c[0] for c in CLASH])  # fmt: skip
def test_what_counts_as_an_overlap(before, after, expected):
    assert timeline.clash(before, after) is expected


ASKED = [
    ("2024-06-01", "2024-06-01"),
    ("2024-06", "2024-06-01"),  # a month: its first day
    ("2024-02-29", "2024-02-29"),
    ("today", "2026-12-02"),
    (" Today ", "2026-12-02"),
]


@pytest.mark.parametrize(("text", "day"), ASKED)
def test_the_forms_of_a_date_asked(text, day):
    assert timeline.asked_day(text, D("2026-12-02")) == D(day)


REFUSED = [
    ("20240601", "is not a date: give YYYY-MM-DD, YYYY-MM (a month: its first day) or today"),
    ("2024-W22-6", "is not a date"),
    ("2024", "is not a date"),
    ("2024-6-1", "is not a date"),
    ("２０２４-06-01", "is not a date"),  # full-width digits: int() would read them
    ("2023-02-29", "is no day of the calendar: 2023-02 has 28 days"),
    ("2024-04-31", "is no day of the calendar: 2024-04 has 30 days"),
    ("2024-00-10", "is no day of the calendar"),
    ("0000-01-01", "is no day of the calendar"),
    ("2024-13", "is no month of the calendar"),
]


@pytest.mark.parametrize(("text", "says"), REFUSED)
def test_any_other_form_is_refused_saying_why(text, says):
    with pytest.raises(BadInput, match=says.replace("(", r"\(").replace(")", r"\)")) as caught:
        timeline.asked_day(text)
    assert caught.value.field == "date"


def test_a_month_is_its_first_day_for_a_caller_pricing_by_month():
    assert timeline.month_start("2025-01") == D("2025-01-01")
    with pytest.raises(BadInput, match="is not a month: give YYYY-MM"):
        timeline.month_start("2025-01-01")


def test_rates_and_facts_write_plain_decimals_never_an_exponent(hz, tmp_path):
    (tmp_path / "parameters").mkdir()
    (tmp_path / "parameters" / "zero.yaml").write_text(
        'work-injury-cut:\n  values:\n    - {start: "2025-01-01", value: "0.0000", '
        "reference: {title: EXAMPLE}}\n",
        encoding="utf-8",
    )
    (tmp_path / "tiny.yaml").write_text(
        "topic: tiny\ntitle_zh: 小\ntitle_en: Tiny\nheadline: 一篇文章\nfacts:\n"
        '  - {id: share, value: "0.00000001", unit: "%", kind: rate, label_zh: 比例, '
        'label_en: Share, period: "2023", quote: "占0.00000001%"}\n',
        encoding="utf-8",
    )
    listed = hz("rates", "work-injury-cut", "--date", "2025-01-01", "--facts-dir",
                str(tmp_path), "-f", "tsv")  # fmt: skip
    assert "\t0.0000\t" in listed.out and "E-" not in listed.out
    shown = hz("show", "tiny.share", "--facts-dir", str(tmp_path), "-f", "json")
    assert '"base_value": "0.00000001"' in shown.out  # Decimal says 1E-8


def test_the_rates_of_a_month_are_those_of_its_first_day():
    """The seam a payroll priced month by month uses: rates_at on a month's first day."""
    from pathlib import Path

    from hzcity.calculators import premium as pm
    from hzcity.policy.user import load_parameters

    cases = Path(__file__).parent / "cases" / "user-params"
    params = load_parameters([cases / "benchmark-2024"])
    month = timeline.month_start("2024-12")
    rates = pm.rates_at(month, pm.benchmark_rate(4, month, params), params)
    assert (rates.day, rates.ue, rates.wi_current) == (D("2024-12-01"), Decimal("0.005"),
                                                        Decimal("0.008"))  # fmt: skip
    january = timeline.month_start("2025-01")
    assert pm.rates_at(january, None, params).unemployment_employer.value == Decimal("0.6")
    with pytest.raises(NoRateInForce, match="work-injury-benchmark-rate"):
        pm.benchmark_rate(4, january, params)  # the 2015 table does not come back
