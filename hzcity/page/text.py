"""The annotated page, and one fact's paragraph, as terminal lines.

Quotes are highlighted (bold and underlined on a terminal, «…» when plain) and
followed by their fact ids in dim text. Text goes through hzcity.output.screen's printable
(control, bidi and zero-width characters shown as U+FFFD, one for one) before it is
painted, so a user's fact file cannot reorder, hide or restyle what the screen shows.
"""

from collections.abc import Sequence

from hzcity.i18n import say
from hzcity.output.screen import printable
from hzcity.output.table import BOLD, DIM, RESET, wrap
from hzcity.page.articles import Article, Mark, Page, Paragraph

QUOTE = "\x1b[1;4m"

Span = tuple[int, int, str]


def page_lines(
    page: Page, *, topics: Sequence[str] | None = None, width: int, color: bool, lang: str
) -> list[str]:
    """The articles (all, or those of ``topics``) as printed, every quote highlighted,
    then the facts of those topics whose quote is not on the page."""
    lines: list[str] = []
    for article in page.articles_of(topics):
        if lines:
            lines.append("")
        lines.extend(_article(page, article, width, color, lang))
    missing = page.missing(topics)
    if missing:
        heading = say("Facts whose quote is not on the page", lang)
        lines += ["", *_styled(heading, [(0, len(heading), BOLD)], width, color)]
        for fact in missing:
            lines += wrap(printable(f"{fact.id}  {fact.label(lang)}"), width)
    return lines


def context_lines(page: Page, fact_id: str, *, width: int, color: bool, lang: str) -> list[str]:
    """The paragraph holding the fact's quote with that quote highlighted (no ids)."""
    place = page.place(fact_id)
    if place is None:
        note = say("(its quote is not on the page)", lang)
        return _styled(note, [(0, len(note), DIM)], width, color)
    paragraph = page.paragraphs[place.paragraph]
    mark = Mark(paragraph=place.paragraph, start=place.start, end=place.end, ids=())
    return _styled(*_compose(paragraph.text, [mark], color, ""), width, color)


def _article(page: Page, article: Article, width: int, color: bool, lang: str) -> list[str]:
    titles = {t.name: t.title(lang) for t in page.topics}
    lines: list[str] = []
    if article.topics:
        banner = printable("── " + " · ".join(titles[n] for n in article.topics) + " ──")
        lines += _styled(banner, [(0, len(banner), DIM)], width, color)
    for paragraph in article.paragraphs:
        if not paragraph.heading and lines:
            lines.append("")
        lines += _paragraph(page, paragraph, width, color)
    return lines


def _paragraph(page: Page, paragraph: Paragraph, width: int, color: bool) -> list[str]:
    base = BOLD if paragraph.heading else ""
    marks = page.marks_in(paragraph.number)
    return _styled(*_compose(paragraph.text, marks, color, base, ids=True), width, color)


def _compose(
    text: str, marks: Sequence[Mark], color: bool, base: str, ids: bool = False
) -> tuple[str, list[Span]]:
    """The visible text and its styled spans: quotes (in «» when plain), their ids in
    brackets, and ``base`` for the rest."""
    out, spans, at = "", [], 0

    def add(piece: str, style: str) -> None:
        nonlocal out
        if style and piece:
            spans.append((len(out), len(out) + len(piece), style))
        out += piece

    for mark in marks:
        add(printable(text[at : mark.start]), base)
        quote = printable(text[mark.start : mark.end])
        add(quote if color else f"«{quote}»", QUOTE)
        if ids:
            add(f"[{' '.join(mark.ids)}]", DIM)
        at = mark.end
    add(printable(text[at:]), base)
    return out, spans


def _styled(text: str, spans: Sequence[Span], width: int, color: bool) -> list[str]:
    """Wrap ``text`` and, in colour, paint each span on the lines it falls on."""
    lines = wrap(text, width)
    if not color:
        return lines
    painted, at = [], 0
    for line in lines:
        while text.startswith(" ", at):  # spaces wrap dropped at a line break
            at += 1
        painted.append(_paint(line, at, spans))
        at += len(line)
    return painted


def _paint(line: str, offset: int, spans: Sequence[Span]) -> str:
    out, at = "", 0
    for start, end, style in spans:
        begin, stop = max(start - offset, at), min(end - offset, len(line))
        if begin < stop:
            out += line[at:begin] + style + line[begin:stop] + RESET
            at = stop
    return out + line[at:]
