"""The source page as articles and paragraphs, and where each fact's quote sits on it.

An article starts at the line equal to a topic's headline, together with the
short heading lines around it (one kicker above, subheads below). A heading above
the kicker heads a section of several articles (the press-conference banner over its
four reports): it stands before them on its own, in no topic's article. Topics sharing a
headline share the article. A body line that breaks off mid-clause continues in
the next one: the blank line there is a column break of the print, not a new
paragraph.

A quote may occur more than once (the civil-affairs paragraphs reappear inside
the education report; a subhead repeats a sentence of its article). Its occurrence is
chosen in the article of its topic, in the body rather than a heading, avoiding text
already taken by a longer quote of another fact, else the first; the occurrences
passed over are recorded in the fact's Place.

Overlapping quotes of different facts become ONE mark carrying all their ids
rather than being split: each mark then stays a readable clause followed by its
ids, and every fact's whole quote lies inside exactly one mark.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from unicodedata import combining

from hzcity.catalog.model import Catalog, Fact, Topic
from hzcity.errors import NotFound, suggest
from hzcity.i18n import Phrase
from hzcity.loader import shipped_page

HEADING_MAX = 40  # characters; the longest headline of the page has 37
KICKERS = 1  # heading lines above a headline that are its own
_NOT_HEADING = set("。:")  # headings carry no full stop and no "时间:..." listing colon
_CLAUSE = set(",，")
_CLOSED = set("。!！?？;；:：”’)）》」』")


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """One paragraph as printed; ``number`` is its place on the page, from 0."""

    number: int
    text: str
    heading: bool


@dataclass(frozen=True, kw_only=True)
class Article:
    """Consecutive paragraphs from one headline to the next ("" before the first)."""

    headline: str
    topics: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, kw_only=True)
class Place:
    """Where a fact's quote was found: paragraph and character span, and the paragraphs
    of the other occurrences that were passed over."""

    fact: Fact
    paragraph: int
    start: int
    end: int
    passed_over: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class Mark:
    """A highlighted span of a paragraph and every fact whose quote lies in it."""

    paragraph: int
    start: int
    end: int
    ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Page:
    """The page text split into articles, and every fact placed on it."""

    name: str
    topics: tuple[Topic, ...]
    articles: tuple[Article, ...]
    places: dict[str, Place]
    marks: tuple[Mark, ...]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for a in self.articles for p in a.paragraphs]

    def missing(self, names: Sequence[str] | None = None) -> list[Fact]:
        """Facts (of the named topics) whose quote is not on the page."""
        return [f for t in self.chosen(names) for f in t.facts if f.id not in self.places]

    def chosen(self, names: Sequence[str] | None) -> list[Topic]:
        """The named topics in page order; NotFound for an unknown name."""
        known = {t.name: t for t in self.topics}
        wanted = {n.strip().lower() for n in names or known}
        for name in sorted(wanted - set(known)):
            raise NotFound(
                Phrase("unknown topic {name!r}{hint}", name=name, hint=suggest(name, list(known)))
            )
        return [t for t in self.topics if t.name in wanted]

    def articles_of(self, names: Sequence[str] | None = None) -> list[Article]:
        """All articles, or those of the named topics: under their headline or holding
        one of their quotes."""
        if not names:
            return list(self.articles)
        wanted = {t.name for t in self.chosen(names)}
        held = {p.paragraph for p in self.places.values() if p.fact.topic in wanted}
        return [
            a
            for a in self.articles
            if wanted & set(a.topics) or held & {p.number for p in a.paragraphs}
        ]

    def marks_in(self, paragraph: int) -> list[Mark]:
        return [m for m in self.marks if m.paragraph == paragraph]

    def place(self, fact_id: str) -> Place | None:
        """Where the fact's quote is on the page; None when it is not there."""
        return self.places.get(fact_id)


def load(catalog: Catalog) -> Page:
    """The shipped page with every topic of ``catalog`` (user topics included) placed."""
    path = shipped_page()
    return build(path.read_text(encoding="utf-8"), catalog.topics(), name=path.stem)


def build(text: str, topics: Sequence[Topic], name: str = "") -> Page:
    articles = tuple(_articles(text, topics))
    places = _place(articles, [f for t in topics for f in t.facts])
    order = {f.id: n for n, f in enumerate(f for t in topics for f in t.facts)}
    marks = tuple(_marks(places, order))
    return Page(name=name, topics=_in_page_order(topics, articles, places), articles=articles,
                places=places, marks=marks)  # fmt: skip


def _in_page_order(
    topics: Sequence[Topic], articles: Sequence[Article], places: dict[str, Place]
) -> tuple[Topic, ...]:
    """Topics by their article, else their first quote; those with neither last."""
    first = {t: a.paragraphs[0].number for a in reversed(articles) for t in a.topics}
    for place in sorted(places.values(), key=lambda p: -p.paragraph):
        first.setdefault(place.fact.topic, place.paragraph)
    return tuple(sorted(topics, key=lambda t: first.get(t.name, len(places) + 1 << 20)))


def _heading_like(line: str) -> bool:
    return len(line) <= HEADING_MAX and not _NOT_HEADING & set(line)


def _articles(text: str, topics: Sequence[Topic]) -> Iterator[Article]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    by_line: dict[int, list[str]] = {}
    for topic in topics:
        if topic.headline in lines:
            by_line.setdefault(lines.index(topic.headline), []).append(topic.name)
    headlines = sorted(by_line)
    starts = []
    for n, at in enumerate(headlines):
        floor = headlines[n - 1] + 1 if n else 0
        start = at
        while start > floor and at - start < KICKERS and _heading_like(lines[start - 1]):
            start -= 1
        starts.append(start)
    bounds = [0, *starts, len(lines)]
    heads = [-1, *headlines]
    tags: list[tuple[str, ...]] = [(), *(tuple(by_line[h]) for h in headlines)]
    number = 0
    for n, (begin, end) in enumerate(pairwise(bounds)):
        if begin == end:
            continue
        head = heads[n] - begin
        if head < 0 and _heading_like(lines[begin]):  # a section's banner: its own headings
            head = 0
        paragraphs = _paragraphs(lines[begin:end], head, number)
        number += len(paragraphs)
        headline = lines[heads[n]] if heads[n] >= 0 else ""
        yield Article(headline=headline, topics=tags[n], paragraphs=tuple(paragraphs))


def _paragraphs(lines: list[str], headline: int, first: int) -> list[Paragraph]:
    """Headings up to the headline and the short lines just after it, then the body
    with lines broken off mid-clause joined to the next."""
    cut = headline + 1
    while headline >= 0 and cut < len(lines) and _heading_like(lines[cut]):
        cut += 1
    texts = [(line, True) for line in lines[:cut]]
    for line in lines[cut:]:
        if len(texts) > cut and _continues(texts[-1][0]):
            texts[-1] = (texts[-1][0] + line, False)
        else:
            texts.append((line, False))
    return [
        Paragraph(number=first + n, text=text, heading=heading)
        for n, (text, heading) in enumerate(texts)
    ]


def _continues(line: str) -> bool:
    return bool(_CLAUSE & set(line)) and line[-1] not in _CLOSED


def _splits_character(text: str, start: int, end: int) -> bool:
    """True when a span would cut a combining mark, joiner or variation selector from
    its base character."""

    def clings(at: int) -> bool:
        char = text[at] if 0 <= at < len(text) else ""
        return bool(char) and (
            bool(combining(char)) or char == "\u200d" or "\ufe00" <= char <= "\ufe0f"
        )

    return clings(start) or clings(end) or (end > start and text[end - 1] == "\u200d")


def _occurrences(paragraph: Paragraph, quote: str) -> Iterator[tuple[int, int, int]]:
    at = paragraph.text.find(quote)
    while at >= 0 and quote:
        if not _splits_character(paragraph.text, at, at + len(quote)):
            yield paragraph.number, at, at + len(quote)
        at = paragraph.text.find(quote, at + 1)


def _place(articles: Sequence[Article], facts: Sequence[Fact]) -> dict[str, Place]:
    """Longest quotes first, so a shorter one can keep off text a longer one holds."""
    home = {t: {p.number for p in a.paragraphs} for a in articles for t in a.topics}
    paragraphs = [p for a in articles for p in a.paragraphs]
    headings = {p.number for p in paragraphs if p.heading}
    taken: list[tuple[int, int, int, str]] = []
    chosen: dict[tuple[str, str], tuple[int, int, int]] = {}
    places: dict[str, Place] = {}
    for fact in sorted(facts, key=lambda f: -len(f.quote)):
        found = [o for p in paragraphs for o in _occurrences(p, fact.quote)]
        if not found:
            continue
        key = (fact.quote, fact.topic)
        if key not in chosen:
            mine = [o for o in found if o[0] in home.get(fact.topic, ())] or found
            mine = [o for o in mine if o[0] not in headings] or mine
            free = [o for o in mine if not _overlaps(o, taken, fact.quote)]
            chosen[key] = (free or mine)[0]
            taken.append((*chosen[key], fact.quote))
        where = chosen[key]
        others = tuple(o[0] for o in found if o != where)
        paragraph, start, end = where
        places[fact.id] = Place(fact=fact, paragraph=paragraph, start=start, end=end,
                                passed_over=others)  # fmt: skip
    return places


def _overlaps(
    span: tuple[int, int, int], taken: list[tuple[int, int, int, str]], quote: str
) -> bool:
    para, start, end = span
    return any(p == para and s < end and start < e and q != quote for p, s, e, q in taken)


def _marks(places: dict[str, Place], order: dict[str, int]) -> Iterator[Mark]:
    """Merge the spans of each paragraph that share any character into one mark."""
    spans = sorted(places.values(), key=lambda p: (p.paragraph, p.start, p.end))
    current: Mark | None = None
    for place in spans:
        if current and place.paragraph == current.paragraph and place.start < current.end:
            ids = sorted({*current.ids, place.fact.id}, key=order.__getitem__)
            current = replace(current, end=max(current.end, place.end), ids=tuple(ids))
            continue
        if current:
            yield current
        current = Mark(paragraph=place.paragraph, start=place.start, end=place.end,
                       ids=(place.fact.id,))  # fmt: skip
    if current:
        yield current
