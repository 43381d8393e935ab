"""The annotated page as HTML: escaping, links and filter markup, then in headless Chromium.

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``),
so one Chromium start serves every check: the DOM after load, the network requests the
page made, the filter with ``?q=``, a tooltip on keyboard focus and two screenshots.
Set HZCITY_SCREENSHOT_DIR to keep the screenshots (docs/page.png is made that way).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import textwrap
import zlib
from base64 import b64decode
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from hzcity.catalog.model import Catalog
from hzcity.page.articles import load
from hzcity.page.html import render_html

CHROMIUM = shutil.which("chromium")
HOSTILE = textwrap.dedent(
    """\
    topic: evil
    title_zh: "<script>document.title='PWNED'</script>"
    title_en: "<img src=x onerror=\\"document.title='PWNED'\\">"
    headline: "</p><script>document.body.dataset.pwned='1'</script>"
    facts:
      - id: hostile
        label_zh: "<script>document.body.dataset.pwned='1'</script>"
        label_en: "<img src=x onerror=\\"document.body.dataset.pwned='1'\\">"
        value: "<b>1</b>"
        kind: statement
        period: "\\" onmouseover=\\"document.title='PWNED'"
        quote: "' onfocus='document.title=1' <img src=x onerror=alert(1)> <b>1</b>"
    """
)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The shipped facts plus a user topic whose every text is markup meant to run."""
    folder = tmp_path_factory.mktemp("user-facts")
    (folder / "evil.yaml").write_text(HOSTILE, encoding="utf-8")
    return Catalog(user_roots=[folder])


@pytest.fixture(scope="module")
def html_file(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_text(render_html(load(catalog)), encoding="utf-8")
    return path


class Dom(HTMLParser):
    """Elements of a document as (tag, attributes) and the text outside tags."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, attr: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and attr in a]


def _mark_ids(dom: Dom) -> set[str]:
    return {i for mark in dom.all("mark", "data-fact") for i in mark["data-fact"].split()}


# -- the HTML itself, no browser ------------------------------------------------------------


def test_hostile_topic_is_escaped_text_never_markup(html_file: Path) -> None:
    html = html_file.read_text(encoding="utf-8")
    dom = Dom(html)
    assert [t for t, _ in dom.elements].count("script") == 1
    assert not dom.all("img", "src")
    assert not [a for _, a in dom.elements if any(k.startswith("on") for k in a)]
    text = "".join(dom.text)
    assert "<script>document.body.dataset.pwned='1'</script>" in text
    assert "<img src=x onerror=alert(1)>" in text


def test_a_fact_whose_quote_is_not_on_the_page_is_listed_as_not_found(html_file: Path) -> None:
    dom = Dom(html_file.read_text(encoding="utf-8"))
    (item,) = [a for a in dom.all("li", "data-id") if a["data-id"] == "evil.hostile"]
    assert item.get("class") == "missing"
    assert "evil.hostile" not in _mark_ids(dom)
    assert "not found on the page" in "".join(dom.text)


READER = textwrap.dedent(
    """\
    topic: reader
    title_zh: 读者摘录
    title_en: A reader's excerpts
    headline: 读者摘录
    facts:
      - id: funding
        label_zh: 学校建设投入
        label_en: School funding
        value: "19.95"
        unit: 亿元
        kind: achievement
        period: "2022"
        quote: 投入各类资金19.95亿元
    """
)


@pytest.fixture(scope="module")
def topic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of one topic, education, whose article also holds a quote of a user's
    topic (reader) and the hostile topic's missing one elsewhere."""
    folder = tmp_path_factory.mktemp("reader-facts")
    (folder / "evil.yaml").write_text(HOSTILE, encoding="utf-8")
    (folder / "reader.yaml").write_text(READER, encoding="utf-8")
    path = tmp_path_factory.mktemp("html") / "education.html"
    page = load(Catalog(user_roots=[folder]))
    path.write_text(render_html(page, topics=["education"]), encoding="utf-8")
    return path


def test_every_mark_links_to_its_facts_and_every_found_fact_links_to_its_mark(
    html_file: Path, topic_file: Path
) -> None:
    for path in (html_file, topic_file):
        _assert_linked(Dom(path.read_text(encoding="utf-8")))


def test_a_topics_page_holds_its_articles_and_the_facts_they_mark(
    topic_file: Path, catalog: Catalog
) -> None:
    dom = Dom(topic_file.read_text(encoding="utf-8"))
    page = load(catalog)
    shown = page.articles_of(["education"])
    assert [a["id"] for a in dom.all("article", "id")] == [
        f"a-{page.articles.index(a)}" for a in shown
    ]
    listed = {a["data-id"] for a in dom.all("li", "data-id")}
    education = {f.id for f in catalog.topic("education").facts}
    assert education <= listed  # every fact of the topic, whatever article holds it
    assert listed - education == {"reader.funding"}  # another topic's, marked in its article
    assert f"{len(listed)} / {len(listed)}" in "".join(dom.text)


def test_page_of_a_topic_as_html_is_one_document(hz) -> None:
    result = hz("page", "education", "--format", "html")
    assert result.code == 0, result.err
    assert result.out.startswith("<!doctype html>") and result.out.count("<article ") == 1
    assert 'data-topic="education"' in result.out


def _assert_linked(dom: Dom) -> None:
    """Each mark links to its facts in the index; each fact found links to its mark."""
    marks = {m["id"]: m["data-fact"].split() for m in dom.all("mark", "data-fact")}
    links = {a["href"] for a in dom.all("a", "href")}
    for mark, ids in marks.items():
        assert {f"#f-{i}" for i in ids} <= links
        assert mark.startswith("m-")
    for item in dom.all("li", "data-id"):
        if item.get("class") != "missing":
            target = next(a["href"][1:] for t, a in _after(dom, item) if t == "a")
            assert item["data-id"] in marks[target]


def _after(dom: Dom, element: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    at = next(n for n, (_, a) in enumerate(dom.elements) if a is element)
    return dom.elements[at + 1 :]


def test_content_security_policy_allows_only_the_page_own_style_and_script(
    html_file: Path,
) -> None:
    html = html_file.read_text(encoding="utf-8")
    (meta,) = [
        a
        for a in Dom(html).all("meta", "http-equiv")
        if a["http-equiv"] == "Content-Security-Policy"
    ]
    policy = meta["content"]
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in html.split("<body>")[0].replace("http-equiv", "")


# -- in Chromium -----------------------------------------------------------------------------


class Chromium:
    """One headless Chromium driven over the DevTools protocol on fds 3 and 4."""

    def __init__(self) -> None:
        assert CHROMIUM
        self.profile = tempfile.mkdtemp(prefix="hzcity-chromium-")
        to_child, self.commands = os.pipe()
        self.replies, from_child = os.pipe()

        def plumb() -> None:  # the protocol pipe must be fds 3 (in) and 4 (out)
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
        quiet = "--disable-background-networking --disable-component-update --disable-sync"
        # Everything Chromium writes stays in its profile: it puts crash reports under
        # $XDG_CONFIG_HOME (else ~/.config) whatever --user-data-dir says.
        home = Path(self.profile)
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_DATA_HOME": str(home / "data"),
            "TMPDIR": str(home),  # its org.chromium.Chromium.* folders go with the profile
        }
        self.process = subprocess.Popen(
            [CHROMIUM, *flags.split(), *quiet.split(), "--remote-debugging-pipe",
             f"--user-data-dir={home / 'user-data'}", f"--crash-dumps-dir={home / 'crashes'}",
             "--disable-breakpad", "about:blank"],
            preexec_fn=plumb, close_fds=False, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_child)
        os.close(from_child)
        self.buffer = b""
        self.events: list[dict[str, Any]] = []
        self.last = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self.last += 1
        message: dict[str, Any] = {"id": self.last, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.last:
                assert "error" not in reply, reply
                return dict(reply["result"])
            self.events.append(reply)

    def _read(self, timeout: float = 30) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.replies], [], [], timeout)
            assert ready, "Chromium did not answer"
            chunk = os.read(self.replies, 1 << 20)
            assert chunk, "Chromium closed the pipe"
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return dict(json.loads(raw))

    def visit(self, url: str) -> str:
        """Load ``url`` and return the DOM after its load event, as --dump-dom would."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read())
        return str(self.evaluate("document.documentElement.outerHTML"))

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression)
        return result["result"].get("value")

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def screenshot(self, width: int, height: int) -> bytes:
        self.call(
            "Emulation.setDeviceMetricsOverride", session=True,
            width=width, height=height, deviceScaleFactor=1, mobile=width < 500,
        )  # fmt: skip
        return b64decode(self.call("Page.captureScreenshot", session=True, format="png")["data"])

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.commands)
        os.close(self.replies)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Any:
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    chromium = Chromium()
    yield chromium
    chromium.close()


def test_in_chromium_every_fact_is_reachable_from_a_mark_and_nothing_hostile_ran(
    browser: Chromium, html_file: Path, catalog: Catalog
) -> None:
    dom = Dom(browser.visit(html_file.as_uri()))
    shipped = {f.id for t in catalog.topics() if t.name != "evil" for f in t.facts}
    assert shipped <= _mark_ids(dom)
    assert browser.evaluate("document.title") == f"hzcity · {load(catalog).name}"
    assert browser.evaluate("document.body.dataset.pwned") is None
    assert browser.evaluate("document.images.length") == 0
    assert not [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
    # the page's own script ran (its hash is allowed): the filter tools are shown
    assert browser.evaluate("document.querySelector('.tools').hidden") is False
    assert browser.requests() == [html_file.as_uri()]


def test_in_chromium_a_topics_page_runs_alone_and_reaches_each_of_its_facts(
    browser: Chromium, topic_file: Path, catalog: Catalog
) -> None:
    dom = Dom(browser.visit(topic_file.as_uri()))
    assert {f.id for f in catalog.topic("education").facts} <= _mark_ids(dom)
    assert browser.evaluate("document.querySelector('.tools').hidden") is False
    listed = len(dom.all("li", "data-id"))
    assert browser.evaluate("document.getElementById('count').textContent") == (
        f"{listed} / {listed}"
    )
    assert browser.requests() == [topic_file.as_uri()]


def test_in_chromium_q_in_the_url_keeps_the_orphan_facts_and_hides_the_others(
    browser: Chromium, html_file: Path, catalog: Catalog
) -> None:
    dom = Dom(browser.visit(html_file.as_uri() + "?q=孤儿"))
    shown = {a["data-id"] for a in dom.all("li", "data-id") if "hidden" not in a}
    expected = {f.id for f in catalog.facts() if "孤儿" in f.search_text()}
    assert shown == expected
    assert shown and {i.split(".")[0] for i in shown} == {"civil-affairs"}
    for mark in dom.all("mark", "data-fact"):
        lit = set(mark["data-fact"].split()) & shown
        assert ("dim" not in mark.get("class", "")) == bool(lit)


def test_in_chromium_a_mark_shows_its_fact_on_keyboard_focus_and_screenshots_are_not_blank(
    browser: Chromium, html_file: Path, catalog: Catalog
) -> None:
    browser.visit(html_file.as_uri())
    fact = catalog.fact("plan.plans-since")  # near the top, so the screenshot shows its tip
    mark = f"document.querySelector('mark[data-fact=\"{fact.id}\"]')"
    tip = f"document.getElementById({mark}.getAttribute('aria-describedby'))"
    assert browser.evaluate(f"getComputedStyle({tip}).display") == "none"
    browser.evaluate(f"{mark}.focus({{preventScroll: true}})")
    assert browser.evaluate(f"getComputedStyle({tip}).display") == "block"
    assert fact.shown_value() in browser.evaluate(f"{tip}.textContent")
    keep = os.environ.get("HZCITY_SCREENSHOT_DIR")
    for name, width, height in (("page.png", 1280, 800), ("page-phone.png", 390, 844)):
        png = browser.screenshot(width, height)
        size, pixels = _decode(png)
        assert size == (width, height)
        (_, background), *_ = Counter(pixels).most_common(1)
        assert len(pixels) - background > len(pixels) // 20, name  # >5% not background
        if keep:
            Path(keep, name).write_bytes(png)


def _decode(png: bytes) -> tuple[tuple[int, int], list[bytes]]:
    """Size and pixels of an 8-bit RGB(A) non-interlaced PNG, with the standard library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data, header = 8, b"", b""
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at : at + 4]), png[at + 4 : at + 8]
        body = png[at + 8 : at + 8 + length]
        header, data = (
            (body, data) if kind == b"IHDR" else (header, data + body * (kind == b"IDAT"))
        )
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(data), width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up, corner = previous[x], previous[x - step] if x >= step else 0
            line[x] = (line[x] + _predict(kind, left, up, corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    pixels = [row[x : x + 3] for row in rows for x in range(0, stride, step)]
    return (width, height), pixels


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    guess = left + up - corner
    near = min(
        (abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner)
    )
    return near[2]


def test_in_chromium_the_filter_box_shows_its_whole_example_on_a_desktop_and_a_phone(
    browser: Chromium, html_file: Path
) -> None:
    browser.visit(html_file.as_uri())
    fits = (
        "(() => { const q = document.getElementById('q'); q.value = q.placeholder;"
        " const whole = q.scrollWidth <= q.clientWidth; q.value = ''; return whole; })()"
    )
    for width, height in ((1280, 800), (390, 844)):
        browser.screenshot(width, height)  # sets the viewport
        assert browser.evaluate(fits) is True, width
