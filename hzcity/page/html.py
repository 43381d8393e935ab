"""The annotated page as one self-contained HTML file.

Nothing leaves the file: the style and the script are inline and allowed by their
sha256 in a Content-Security-Policy that forbids everything else (so even a
fact file's markup that slipped past escaping could neither run nor load).
Every text from a fact file or the page goes through html.escape. Without
JavaScript everything is shown: the filter box and the language buttons appear
only when the script runs.
"""

from base64 import b64encode
from collections.abc import Iterator, Sequence
from hashlib import sha256
from html import escape

from hzcity.catalog.model import Fact, Topic
from hzcity.page.articles import Article, Page, Paragraph

CSS = """
:root { --ink: #1f2328; --soft: #59636e; --line: #d8dee4; --mark: #fff1a8; --paper: #fffdf8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 17px/1.8 "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif; }
html[data-lang="zh"] .en, html[data-lang="en"] .zh { display: none; }
.top { padding: .6rem 1rem; border-bottom: 1px solid var(--line); background: #f6f3ea; }
.top h1 { font-size: 1.1rem; margin: 0; }
.tools { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .4rem; }
.tools input { font: inherit; padding: .15rem .5rem; min-width: min(19rem, 100%); }
.layout { display: grid; grid-template-columns: 1fr; }
@media (min-width: 64rem) {
  .layout { grid-template-columns: minmax(18rem, 26rem) 1fr; }
  #index { position: sticky; top: 0; max-height: 100vh; overflow: auto; }
}
#index { padding: 0 1rem; font-size: .85rem; line-height: 1.5; }
#index { border-right: 1px solid var(--line); }
#index h2 { font-size: .95rem; margin: 1rem 0 .3rem; }
#index ol { margin: 0; padding-left: 1.2rem; }
#index li { margin: .2rem 0; }
#index .missing em { color: #a4262c; }
.fid { font-family: ui-monospace, monospace; font-size: .8em; }
main { max-width: 46rem; padding: 0 1.2rem 4rem; }
article { border-bottom: 1px solid var(--line); padding: 1rem 0; }
article h2 { font-size: 1.35rem; line-height: 1.4; margin: .2rem 0; }
.deck { font-weight: bold; color: var(--soft); margin: .2rem 0; }
main p, main h2 { position: relative; } /* tips open below the line, within the column */
mark { background: var(--mark); color: inherit; border-bottom: 2px solid #d4a72c; cursor: help; }
mark:focus { outline: 2px solid #0969da; }
mark:target, #index li:target { outline: 2px solid #0969da; }
mark.dim { background: none; border-bottom-color: var(--line); opacity: .45; }
.tip { display: none; position: absolute; left: 0; z-index: 2; width: max-content; max-width: 100%;
  padding: .4rem .6rem; font-size: .85rem; line-height: 1.5;
  background: #fff; border: 1px solid var(--soft); box-shadow: 0 2px 8px #0003; }
.tip > span { display: block; }
.tip > span + span { border-top: 1px solid var(--line); margin-top: .3rem; padding-top: .3rem; }
.fact:hover .tip, .fact:focus-within .tip { display: block; }
@media print {
  .tools, .tip { display: none !important; }
  .layout { display: block; }
  #index { border: 0; }
  #index li[hidden], #index section[hidden] { display: revert; }
  mark, mark.dim { background: none; opacity: 1; border-bottom: 1px solid #000; }
  mark::after { content: " [" attr(data-fact) "]"; font-size: .7em; }
  article { break-inside: avoid-page; }
}
"""

JS = """
const root = document.documentElement;
const params = new URLSearchParams(location.search);
const box = document.getElementById("q");
const items = [...document.querySelectorAll("#index li[data-id]")];
const marks = [...document.querySelectorAll("mark[data-fact]")];
const count = document.getElementById("count");
function setLang(lang) { root.dataset.lang = lang; }
function filter() {
  const words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
  const shown = new Set();
  for (const item of items) {
    const hit = words.every((w) => item.dataset.q.includes(w));
    item.hidden = !hit;
    if (hit) shown.add(item.dataset.id);
  }
  for (const section of document.querySelectorAll("#index section")) {
    section.hidden = !section.querySelector("li:not([hidden])");
  }
  for (const mark of marks) {
    mark.classList.toggle("dim", !mark.dataset.fact.split(" ").some((id) => shown.has(id)));
  }
  count.textContent = shown.size + " / " + items.length;
}
for (const button of document.querySelectorAll("[data-set-lang]")) {
  button.addEventListener("click", () => setLang(button.dataset.setLang));
}
document.querySelector(".tools").hidden = false;
setLang(params.get("lang") === "en" || params.get("lang") === "zh"
  ? params.get("lang") : root.dataset.defaultLang);
box.value = params.get("q") || "";
box.addEventListener("input", filter);
filter();
"""

NOT_FOUND = (
    '<em><span class="zh">引文不在页面上</span><span class="en">not found on the page</span></em>'
)


def render_html(page: Page, *, topics: Sequence[str] | None = None, lang: str = "zh") -> str:
    """The page (or the articles of ``topics``), its index of facts by topic and its
    filter, as one HTML document. With topics, the index holds their facts and those of
    other topics marked in their articles: every mark and every entry links to the other."""
    where = _mark_numbers(page)
    facts = {f.id: f for t in page.topics for f in t.facts}
    articles = page.articles_of(topics)
    index = _indexed(page, topics, articles)
    policy = (
        f"default-src 'none'; style-src '{_digest(CSS)}'; script-src '{_digest(JS)}'; "
        "base-uri 'none'; form-action 'none'"
    )
    return "\n".join(
        [
            "<!doctype html>",
            f'<html lang="zh-Hans" data-default-lang="{escape(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            f"<title>hzcity · {escape(page.name)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            *_header(page, sum(len(listed) for _, listed in index)),
            '<div class="layout">',
            '<nav id="index" aria-label="facts by topic">',
            *(line for topic, listed in index for line in _index(topic, listed, where)),
            "</nav>",
            "<main>",
            *(_article(page, a, page.articles.index(a), facts) for a in articles),
            "</main>",
            "</div>",
            f"<script>{JS}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _digest(text: str) -> str:
    return "sha256-" + b64encode(sha256(text.encode()).digest()).decode()


def _mark_numbers(page: Page) -> dict[str, int]:
    """Fact id -> the number of the mark holding its quote."""
    return {fact_id: n for n, mark in enumerate(page.marks) for fact_id in mark.ids}


def _both(zh: str, en: str) -> str:
    zh_part = f'<span class="zh" lang="zh">{escape(zh)}</span>'
    return f'{zh_part}<span class="en" lang="en">{escape(en)}</span>'


def _indexed(
    page: Page, topics: Sequence[str] | None, articles: Sequence[Article]
) -> list[tuple[Topic, list[Fact]]]:
    """The topics of the index and their facts listed: every fact of a chosen topic (one
    whose quote is not on the page among them), and each other fact marked in ``articles``."""
    chosen = {t.name for t in page.chosen(topics)}
    shown = {p.number for a in articles for p in a.paragraphs}
    marked = {i for m in page.marks if m.paragraph in shown for i in m.ids}
    listed = [(t, [f for f in t.facts if t.name in chosen or f.id in marked]) for t in page.topics]
    return [(topic, facts) for topic, facts in listed if facts]


def _header(page: Page, total: int) -> list[str]:
    return [
        '<header class="top">',
        f"<h1>hzcity · {_both('带注释的版面', 'annotated page')} "
        f'<span class="fid">{escape(page.name)}</span></h1>',
        '<div class="tools" hidden>',
        f'<label for="q">{_both("筛选", "Filter")}</label>',
        '<input id="q" type="search" placeholder="孤儿 · orphan · funding-2022">',
        f'<span id="count">{total} / {total}</span>',
        '<button type="button" data-set-lang="zh">中文</button>',
        '<button type="button" data-set-lang="en">English</button>',
        "</div>",
        "</header>",
    ]


def _index(topic: Topic, facts: Sequence[Fact], where: dict[str, int]) -> Iterator[str]:
    yield f'<section data-topic="{escape(topic.name)}">'
    yield f"<h2>{_both(topic.title_zh, topic.title_en)}</h2>"
    yield "<ol>"
    for fact in facts:
        yield _index_item(fact, where.get(fact.id))
    yield "</ol>"
    yield "</section>"


def _index_item(fact: Fact, mark: int | None) -> str:
    fid = escape(fact.id)
    attrs = f'id="f-{fid}" data-id="{fid}" data-q="{escape(fact.search_text())}"'
    label = f"{_both(fact.label_zh, fact.label_en)} <b>{escape(fact.shown_value())}</b>"
    if mark is None:
        return (
            f'<li {attrs} class="missing"><span class="fid">{fid}</span> {label} '
            f"{NOT_FOUND} <q>{escape(fact.quote)}</q></li>"
        )
    return f'<li {attrs}><a class="fid" href="#m-{mark}">{fid}</a> {label}</li>'


def _article(page: Page, article: Article, number: int, facts: dict[str, Fact]) -> str:
    parts = [f'<article id="a-{number}">']
    for paragraph in article.paragraphs:
        body = _marked(page, paragraph, facts)
        if paragraph.text == article.headline:
            parts.append(f"<h2>{body}</h2>")
        else:
            parts.append(f'<p class="deck">{body}</p>' if paragraph.heading else f"<p>{body}</p>")
    parts.append("</article>")
    return "\n".join(parts)


def _marked(page: Page, paragraph: Paragraph, facts: dict[str, Fact]) -> str:
    """The paragraph's text with each mark wrapped in its mark element and tooltip."""
    out, at = [], 0
    for mark in page.marks_in(paragraph.number):
        n = page.marks.index(mark)
        ids = escape(" ".join(mark.ids))
        tip = "".join(_tip_fact(facts[i]) for i in mark.ids)
        out += [
            escape(paragraph.text[at : mark.start]),
            f'<span class="fact"><mark id="m-{n}" tabindex="0" data-fact="{ids}" '
            f'aria-describedby="t-{n}">{escape(paragraph.text[mark.start : mark.end])}</mark>'
            f'<span class="tip" id="t-{n}" role="tooltip">{tip}</span></span>',
        ]
        at = mark.end
    out.append(escape(paragraph.text[at:]))
    return "".join(out)


def _tip_fact(fact: Fact) -> str:
    return (
        f'<span><a class="fid" href="#f-{escape(fact.id)}">{escape(fact.id)}</a><br>'
        f"{escape(fact.label_zh)}<br>{escape(fact.label_en)}<br>"
        f"<b>{escape(fact.shown_value())}</b> · {_both(fact.shown_kind('zh'), fact.kind)}"
        f" · {escape(fact.period)}</span>"
    )
