"""One error tree; the CLI maps each class to its exit code in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from hzcity.i18n import Given, Phrase, said

T = TypeVar("T")


class HzError(Exception):
    """Base of every error hzcity reports to a user as one line: its message is English
    text, or a Phrase that ``says`` in the user's language."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def says(self, lang: str) -> str:
        return said(self.message, lang)


class NotFound(HzError):
    """An unknown topic, fact id or parameter."""

    exit_code = 1


class BadInput(HzError):
    """A value the user typed that cannot be used (amount, date, class...).

    The core names the ``field`` (``months``); the CLI names the flag (``--months``).
    """

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidData(HzError):
    """A fact or parameter file that cannot be read or breaks the schema."""

    exit_code = 3


class SchemaViolations(InvalidData):
    """A file breaking its schema: the message is its first problem, ``problems`` all of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


class NoRateInForce(HzError):
    """A date outside every window a policy parameter documents."""

    exit_code = 4


def os_reason(exc: OSError) -> str:
    """Why the system refused a file: its own words, said in Chinese for the usual reasons
    (the one English message ``{strerror}``, a context for each reason)."""
    import errno

    reason = Given(en=exc.strerror or str(exc))
    usual = {
        errno.ENOENT: Phrase("{strerror}", context="ENOENT", strerror=reason),
        errno.EACCES: Phrase("{strerror}", context="EACCES", strerror=reason),
        errno.EPERM: Phrase("{strerror}", context="EPERM", strerror=reason),
        errno.EISDIR: Phrase("{strerror}", context="EISDIR", strerror=reason),
        errno.ENOSPC: Phrase("{strerror}", context="ENOSPC", strerror=reason),
    }
    return usual.get(exc.errno or 0, reason.en)


def suggest(word: str, choices: list[str]) -> str:
    """A '; did you mean ...?' tail naming the closest choices, a list of all, or nothing."""
    import difflib

    # a prefix is a strong hint (civil: civil-affairs) that difflib's ratio undervalues;
    # below difflib's own cutoff a match is noise (nosuch: insurance)
    close = [c for c in choices if word and c.startswith(word)][:3]
    close += [c for c in difflib.get_close_matches(word, choices, n=3) if c not in close]
    close = close[:3]
    if close:
        return Phrase("; did you mean {names}?", names=close)
    if len(choices) <= 12:
        return Phrase("; choose from {names}", names=choices)
    return ""


def unused_options(flags: list[str], mode: str) -> BadInput:
    """The error for options a mode would silently ignore (``mode`` says which mode)."""
    return BadInput(Phrase("{names} does not apply {mode}", plural="{names} do not apply {mode}",
                           n=len(flags), names=flags, mode=mode))  # fmt: skip


def collect(problems: list[str] | None, make: Callable[..., T]) -> T | None:
    """Run ``make``; with a problem list, record its InvalidData (every problem of a schema
    violation) and go on (for validate)."""
    try:
        return make()
    except InvalidData as exc:
        if problems is None:
            raise
        problems += exc.problems if isinstance(exc, SchemaViolations) else [str(exc)]
        return None
