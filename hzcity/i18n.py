"""Words for people: English message ids in the code, their Chinese in a gettext catalog.

The catalog is ``hzcity/locale/zh_CN/LC_MESSAGES/hzcity.po``, compiled to the ``.mo``
beside it (tests/test_catalog.py holds the two equal and runs ``msgfmt --check``). It is
read once, on the first Chinese word a run says, through ``gettext.translation`` with
the language given directly, so no process locale is needed. English needs no catalog.

A message is written once, as its English text with ``{named}`` placeholders (Python's
``str.format``); a ``Phrase`` carries the id and its values, so an error or a note can
travel as data and be said later in the reader's language. Where one English word needs
two Chinese ones, a ``context`` (gettext's msgctxt) tells them apart; where a count
decides the form, ``plural`` is the English plural and ``n`` the count.

Transition: message keys of ``hzcity.labels.TEXT`` are still said from there until the
catalog holds them all.
"""

from __future__ import annotations

import gettext
from functools import cache

DOMAIN = "hzcity"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (read once); English, the message ids' language, needs none."""
    if lang != "zh":
        return gettext.NullTranslations()
    from importlib.resources import files

    localedir = str(files("hzcity") / "locale")
    return gettext.translation(DOMAIN, localedir=localedir, languages=["zh_CN"])


def translate(
    message: str, lang: str, *, context: str | None = None, plural: str | None = None,
    n: int | None = None,
) -> str:  # fmt: skip
    """``message`` (an English message id) in ``lang``, its template not yet filled in."""
    catalog = _catalog(lang)
    if plural is not None:
        count = 1 if n is None else n
        if context is not None:
            return catalog.npgettext(context, message, plural, count)
        return catalog.ngettext(message, plural, count)
    if context is not None:
        return catalog.pgettext(context, message)
    return catalog.gettext(message)


def say(
    message: str, lang: str, *, context: str | None = None, plural: str | None = None,
    **values: object,
) -> str:  # fmt: skip
    """``message`` in ``lang`` (zh or en), with ``values`` filled in (a Phrase among them
    said in ``lang`` too, a list joined as ``lang`` lists words)."""
    from hzcity.labels import TEXT  # transition: the keys not yet in the catalog

    if message in TEXT:
        en, zh = TEXT[message]
        template = zh if lang == "zh" else en
    else:
        n = values.get("n")
        template = translate(message, lang, context=context, plural=plural,
                             n=n if isinstance(n, int) else None)  # fmt: skip
    return template.format(**{k: _said(v, lang) for k, v in values.items()})


def _said(value: object, lang: str) -> object:
    """A value in ``lang``: a Phrase said, a list joined as ``lang`` lists words (a, b or
    a、b), any other value as it is."""
    if isinstance(value, list):
        return say(", ", lang).join(str(_said(v, lang)) for v in value)
    return said(value, lang) if isinstance(value, str) else value


def said(text: str, lang: str) -> str:
    """``text`` in ``lang`` if it is a Phrase; other text (a name, a cell) as it is."""
    if isinstance(text, Phrase):
        return say(text.key, lang, context=text.context, plural=text.plural, **text.values)
    return text


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
