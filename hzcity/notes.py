"""Notes and problems as data: what the core has to tell a person, and where.

The core returns these records; the command layer says them in the reader's language
(``Note.says``) with the documented ``hzcity: note:`` / ``hzcity: error:`` prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass

from hzcity.i18n import Phrase, said


@dataclass(frozen=True, kw_only=True)
class Note:
    """A message (id and values) and the place it concerns: ``file:line`` in a text file,
    ``sheet!cell`` in a workbook, or None for the whole run."""

    message: Phrase
    where: str | None = None

    def says(self, lang: str) -> str:
        """The note in ``lang``, its place first as a clerk finds it (``工资!G56: ...``)."""
        text = said(self.message, lang)
        return f"{self.where}: {text}" if self.where else text
