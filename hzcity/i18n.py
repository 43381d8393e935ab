"""Words for people: English message ids in the code, their Chinese in a gettext catalog.

The catalog is ``hzcity/locale/zh_CN/LC_MESSAGES/hzcity.po``, compiled to the ``.mo``
beside it (tests/test_catalog.py holds the two equal, runs ``msgfmt --check`` and holds
every message of the code in the catalog and every entry of the catalog in the code). It
is read once, on the first Chinese word a run says, through ``gettext.translation`` with
the language given directly, so no process locale is needed. English needs no catalog,
and a run in English never imports gettext.

A message is written once, as its English text with ``{named}`` placeholders (Python's
``str.format``); a ``Phrase`` carries the id and its values, so an error or a note can
travel as data and be said later in the reader's language. Where one English word needs
two Chinese ones, a ``context`` (gettext's msgctxt) tells them apart; where a count
decides the form, ``plural`` is the English plural and ``n`` the count. A word chosen at
run time from a table (a column's header, a unit) is marked where the table is written:
``N_("...")`` for a template said later with its values, a ``Phrase`` for a word without
any. Words the catalog cannot hold (a label the data gives in both languages, the
system's reason for refusing a file) travel as ``Given``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

DOMAIN = "hzcity"


@cache
def _catalog() -> gettext.GNUTranslations:
    """The Chinese catalog, read once."""
    import gettext
    import os

    # beside this module (importlib.resources would cost its own imports, ~5 ms here)
    localedir = os.path.join(os.path.dirname(__file__), "locale")
    return gettext.translation(DOMAIN, localedir=localedir, languages=["zh_CN"])


def translate(
    message: str, lang: str, *, context: str | None = None, plural: str | None = None,
    n: int | None = None,
) -> str:  # fmt: skip
    """``message`` (an English message id) in ``lang``, its template not yet filled in."""
    count = 1 if n is None else n
    if lang != "zh":  # the ids are the English texts
        return message if plural is None or count == 1 else plural
    catalog = _catalog()
    if plural is not None:
        if context is not None:
            return catalog.npgettext(context, message, plural, count)
        return catalog.ngettext(message, plural, count)
    if context is not None:
        return catalog.pgettext(context, message)
    return catalog.gettext(message)


def N_(message: str) -> str:
    """``message``, marked for the catalog: an id in a table, said later with its values."""
    return message


def say(
    message: str, lang: str, *, context: str | None = None, plural: str | None = None,
    **values: object,
) -> str:  # fmt: skip
    """``message`` in ``lang`` (zh or en), with ``values`` filled in (a Phrase among them
    said in ``lang`` too, a list joined as ``lang`` lists words)."""
    n = values.get("n")
    template = translate(message, lang, context=context, plural=plural,
                         n=n if isinstance(n, int) else None)  # fmt: skip
    return template.format(**{k: _said(v, lang) for k, v in values.items()})


def _said(value: object, lang: str) -> object:
    """A value in ``lang``: a Phrase said, a list joined as ``lang`` lists words (a, b or
    a、b), words given in both languages in ``lang``'s, any other value as it is."""
    if isinstance(value, list):
        return say(", ", lang).join(str(_said(v, lang)) for v in value)
    if isinstance(value, Given):
        return value.zh if lang == "zh" else value.en
    return said(value, lang) if isinstance(value, str) else value


def said(text: str, lang: str) -> str:
    """``text`` in ``lang`` if it is a Phrase; other text (a name, a cell) as it is."""
    if isinstance(text, Phrase):
        return say(text.key, lang, context=text.context, plural=text.plural, **text.values)
    return text


@dataclass(frozen=True, kw_only=True)
class Given:
    """Words a message's value holds in each language that the catalog cannot give: a
    label the data gives in both, or the system's or Python's reason for a refusal, which
    only English says (``zh`` left empty: the Chinese message says what it means)."""

    en: str
    zh: str = ""


class Phrase(str):
    """A message as data: its English text (so that it can travel as a string, an error's
    message or a row's problem), its id, context, plural and values, said in the reader's
    language later."""

    key: str
    context: str | None
    plural: str | None
    values: dict[str, object]

    def __new__(
        cls, key: str, *, context: str | None = None, plural: str | None = None,
        **values: object,
    ) -> Phrase:  # fmt: skip
        phrase = super().__new__(cls, say(key, "en", context=context, plural=plural, **values))
        phrase.key, phrase.context, phrase.plural, phrase.values = key, context, plural, values
        return phrase
