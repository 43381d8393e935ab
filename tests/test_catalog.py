"""The gettext catalog: a translator can work from the .po alone, with standard tools.

``msgfmt --check`` (GNU gettext) judges the .po; the committed .mo is what msgfmt makes of
it; every message has a Chinese text with the same placeholders; every message the code
says is in the catalog, and every entry of the catalog is said by the code (or is a help
text Typer shows, or a curator's note of the shipped facts).
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hzcity.i18n import Given, Phrase, said, say

PACKAGE = Path(__file__).resolve().parents[1] / "hzcity"
CATALOG = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES"
PO, MO = CATALOG / "hzcity.po", CATALOG / "hzcity.mo"
NAMES = re.compile(r"\{(\w*)[^{}]*\}")
# the calls whose first argument is a message id (N_ marks one in a table)
MESSAGE_CALLS = {"say", "Phrase", "translate", "N_"}


def _entries() -> list[dict[str, str]]:
    """The .po's entries as {field: text}, strings joined (a reader just for the checks)."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    field = ""
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = {}, ""
        elif line.startswith("#"):
            entry["#"] = entry.get("#", "") + line + "\n"
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, rest = line.partition(" ")
            entry[field] = ast.literal_eval(rest)
    return [e for e in entries if e.get("msgid")]  # not the header


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _code_messages() -> set[tuple[str | None, str, str | None]]:
    """(context, msgid, plural) of every message the code says: the literal ids of
    say/Phrase/translate/N_ calls, the help= of options and the docstrings of commands."""
    found: set[tuple[str | None, str, str | None]] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                keywords = {k.arg: k.value for k in node.keywords}
                if name in MESSAGE_CALLS and node.args and (message := _text(node.args[0])):
                    found.add((_text(keywords.get("context")), message,
                               _text(keywords.get("plural"))))  # fmt: skip
                if help_text := _text(keywords.get("help")):
                    found.add((None, help_text, None))
            elif isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id == "command" for d in node.decorator_list
            ):
                found.add((None, ast.get_docstring(node) or "", None))
    return found


def _help_texts() -> list[str]:
    """Every help text of the app, Typer's own options' among them."""
    import typer

    from hzcity.cli import full_app

    command = typer.main.get_command(full_app())
    texts = [command.help, *(getattr(p, "help", None) for p in command.params)]
    for sub in command.commands.values():  # type: ignore[attr-defined]
        texts += [sub.help, *(getattr(p, "help", None) for p in sub.params)]
    return [t for t in texts if t]


def _curator_notes() -> set[str]:
    """The notes of the shipped facts and of the shipped parameters' values."""
    from hzcity.catalog.model import Catalog
    from hzcity.policy.dated import all_parameters

    notes = {f.note for t in Catalog.from_env(None).topics() for f in t.facts if f.note}
    return notes | {v.note for p in all_parameters().values() for v in p.values if v.note}


@pytest.fixture(scope="module")
def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail("msgfmt (Debian's gettext) is needed: .ci/run installs it")
    return path


def test_msgfmt_accepts_the_catalog(msgfmt, tmp_path):
    done = subprocess.run([msgfmt, "--check", "--statistics", "-o", tmp_path / "c.mo", PO],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "fuzzy" not in done.stderr and "untranslated" not in done.stderr, done.stderr


def test_the_committed_mo_is_the_po_compiled(msgfmt, tmp_path):
    subprocess.run([msgfmt, "-o", tmp_path / "c.mo", PO], check=True)
    assert (tmp_path / "c.mo").read_bytes() == MO.read_bytes(), (
        "run: msgfmt -o hzcity/locale/zh_CN/LC_MESSAGES/hzcity.mo "
        "hzcity/locale/zh_CN/LC_MESSAGES/hzcity.po"
    )


def test_every_translation_has_the_placeholders_of_its_english():
    for entry in _entries():
        english = set(NAMES.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for key in ("msgstr", "msgstr[0]"):
            if key in entry:
                assert entry[key], f"untranslated: {entry['msgid']!r}"
                assert set(NAMES.findall(entry[key])) == english, entry


def test_msgfmt_checks_the_placeholders_of_every_template():
    """A message with placeholders is flagged, or msgfmt --check would not look at them."""
    flagged = "#, python-brace-format"
    unflagged = [e["msgid"] for e in _entries()
                 if NAMES.search(e["msgid"]) and flagged not in e.get("#", "")]  # fmt: skip
    assert unflagged == []


def test_every_message_of_the_code_is_in_the_catalog():
    catalog = {(e.get("msgctxt"), e["msgid"], e.get("msgid_plural")) for e in _entries()}
    missing = sorted(_code_messages() - catalog, key=str)
    assert missing == [], "add these to the .po (msgctxt, msgid, msgid_plural)"
    help_catalog = {msgid for context, msgid, _ in catalog if context is None}
    assert [text for text in _help_texts() if text not in help_catalog] == []


def test_every_entry_of_the_catalog_is_said():
    said_ids = {(context, msgid) for context, msgid, _ in _code_messages()}
    said_ids |= {(None, text) for text in _help_texts()}
    said_ids |= {("curator note", note) for note in _curator_notes()}
    dead = [(e.get("msgctxt"), e["msgid"]) for e in _entries()
            if (e.get("msgctxt"), e["msgid"]) not in said_ids]  # fmt: skip
    assert dead == [], "no code says these: remove them from the .po"


def test_the_extractor_finds_ids_in_calls_tables_and_help():
    messages = _code_messages()
    assert (None, "{n} file", "{n} files") in messages  # a plural
    assert ("lower bound", "bound", None) in messages  # a context
    assert (None, "stated for {year}; no end printed", None) in messages  # N_ in a table
    assert (None, "Monthly contribution base in yuan.", None) in messages  # an option's help
    assert (None, "List the topics: title, number of facts and source article.", None) in messages


def test_a_message_id_is_its_english_text():
    phrase = Phrase("{n} row skipped", plural="{n} rows skipped", n=3)
    assert phrase == "3 rows skipped"
    assert said(phrase, "en") == "3 rows skipped"
    assert say("Unheard-of words stay as written", "zh") == "Unheard-of words stay as written"


def test_a_count_chooses_the_english_form_and_chinese_has_one():
    files = [Phrase("{n} file", plural="{n} files", n=n) for n in (1, 2)]
    assert files == ["1 file", "2 files"]
    assert [said(f, "zh") for f in files] == ["1个文件", "2个文件"]


def test_words_given_in_both_languages_are_said_in_the_readers():
    label = Given(en="unemployment rate", zh="失业保险费率")
    phrase = Phrase("{name} ({label}; windows: {windows})", name="x", label=label, windows="none")
    assert phrase == "x (unemployment rate; windows: none)"
    assert said(phrase, "zh") == "失业保险费率（x；已载明的执行期间：none）"
    assert said(Phrase("{where}: malformed CSV: {why}", where="a.csv:3", why=Given(en="bad")),
                "zh") == "a.csv:3:CSV 格式有误"  # fmt: skip


CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef“”]")


def test_chinese_is_written_as_a_clerk_writes_it():
    """您 not 你, values in “…” not ASCII quotes or repr, and full-width punctuation beside
    Chinese (a file:line location keeps its colon, code keeps its own)."""
    ascii_beside_chinese = re.compile(r"(?<=[\u4e00-\u9fff])[,;()?!]|[,;()?!](?=[\u4e00-\u9fff])")
    wrong = []
    for entry in _entries():
        text = entry.get("msgstr") or entry.get("msgstr[0]", "")
        if not CJK.search(text):
            continue
        plain = re.sub(r"\{[^{}]*\}", "", text)
        if "你" in text or "!r}" in text or "'" in plain or ascii_beside_chinese.search(plain):
            wrong.append(text)
    assert wrong == []
