"""The gettext catalog: a translator can work from the .po alone, with standard tools.

``msgfmt --check`` (GNU gettext) judges the .po; the committed .mo is what msgfmt makes of
it; every message has a Chinese text with the same placeholders.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hzcity.i18n import Phrase, said, say

CATALOG = Path(__file__).resolve().parents[1] / "hzcity" / "locale" / "zh_CN" / "LC_MESSAGES"
PO, MO = CATALOG / "hzcity.po", CATALOG / "hzcity.mo"


def _entries() -> list[dict[str, str]]:
    """The .po's entries as {field: text}, strings joined (a reader just for the checks)."""
    entries, entry, field = [], {}, ""
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = {}, ""
        elif line.startswith("#"):
            entry.setdefault("#", "")
            entry["#"] += line + "\n"
        elif line.startswith('"'):
            entry[field] += _unquote(line)
        else:
            field, _, rest = line.partition(" ")
            entry[field] = _unquote(rest)
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


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


def test_every_translation_keeps_the_placeholders():
    names = re.compile(r"\{(\w*)[^{}]*\}")
    for entry in _entries():
        if not entry.get("msgid"):
            continue
        for key in ("msgstr", "msgstr[0]"):
            if key in entry:
                english = set(names.findall(entry["msgid"])) | set(
                    names.findall(entry.get("msgid_plural", ""))
                )
                assert set(names.findall(entry[key])) <= english, entry
                assert entry[key], f"untranslated: {entry['msgid']!r}"


def test_a_message_id_is_its_english_text():
    phrase = Phrase("{n} row skipped", plural="{n} rows skipped", n=3)
    assert phrase == "3 rows skipped"
    assert said(phrase, "en") == "3 rows skipped"
    assert say("Unheard-of words stay as written", "zh") == "Unheard-of words stay as written"
