"""Parsed YAML mappings that remember where they were written, for file:line messages."""

from typing import Any


class LineDict(dict[Any, Any]):
    """A mapping that knows its line, each key's line and the source text of each
    value written as a plain scalar that YAML read as something other than text."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.texts: dict[Any, str] = {}

    def line_of(self, key: Any) -> int:
        """The line of ``key``, else the mapping's own."""
        return self.key_lines.get(key, self.line)
