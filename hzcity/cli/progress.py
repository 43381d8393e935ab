"""A progress bar on stderr for a payroll that takes more than a second, on a terminal only.

Rich draws it (imported only once a bar is due): rows done, their rate, and where the
input's size is known a bar and the time left. In a pipe, or under TERM=dumb, nothing.
"""

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
DELAY = 1.0  # seconds of work before a bar is worth showing
EVERY = 4096  # rows between looks at the clock: the check must cost nothing per row


class Progress(AbstractContextManager["Progress"]):
    """Counts rows; after DELAY seconds on a terminal, shows them with Rich."""

    def __init__(
        self, where: Callable[[], tuple[int, int] | None] = lambda: None, lang: str = "en"
    ) -> None:
        self._lang = lang
        self._where = where  # (done, total) in bytes, when the input's size is known
        self._start = time.monotonic()
        self._shown = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        self._bar: Any = None
        self._task: Any = None
        self.rows = 0

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def rows_only(self) -> Callable[[int], None]:
        """``advance`` for work that reads the input itself (the fast engine): the bytes the
        reader has read then say nothing, so only rows and their rate are shown."""
        where = self._where

        def advance(rows: int) -> None:
            self._where = lambda: None
            self.advance(rows)
            self._where = where

        return advance

    def restart(self) -> None:
        """Count from nought again: work handed over starts over (the fast engine's
        fallback to the reference)."""
        self.rows = 0

    def track(self, rows: Iterator[T]) -> Iterator[T]:
        """The same rows, counted."""
        for row in rows:
            yield row
            self.rows += 1
            if not self.rows % EVERY:
                self.advance(0)

    def advance(self, rows: int) -> None:
        """Count ``rows`` more and redraw when due."""
        self.rows += rows
        if not self._shown:
            return
        if self._bar is None:
            if time.monotonic() - self._start < DELAY:
                return
            self._begin()
        done, total = self._where() or (None, None)
        rate = self.rows / max(time.monotonic() - self._start, 1e-9)
        self._bar.update(self._task, completed=done, total=total, rows=self.rows, rate=rate)

    def _begin(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        from hzcity.i18n import say

        fields = {"rows": "{task.fields[rows]:,}", "rate": "{task.fields[rate]:,.0f}"}
        self._bar = Progress(
            TextColumn(say("hzcity: {rows} rows, {rate}/s", self._lang, **fields)),
            BarColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task = self._bar.add_task("payroll", total=None, rows=0, rate=0.0)
        self._bar.start()
