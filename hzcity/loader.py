"""Read one YAML file safely: size-capped, UTF-8, no tags, no aliases, no duplicate keys.

Every mapping comes back as a ``LineDict`` that remembers its line, so problems
can be reported as ``file:line: message``. Dates stay strings (as OpenFisca does)
and are parsed where their meaning is known.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hzcity.errors import InvalidData

MAX_BYTES = 2_000_000  # the largest shipped file is ~30 KB; anything near this is not a fact file

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~7x faster


class LineDict(dict):
    """A mapping that knows the line it starts on."""

    line: int = 0


class _Loader(_Base):  # type: ignore[misc,valid-type]
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met twice is an alias: refuse it rather than risk a "billion laughs" blow-up.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed", node.start_mark
            )
        return super().construct_object(node, deep)

    def construct_line_map(self, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
        data = LineDict()
        data.line = node.start_mark.line + 1
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain scalar", key_node.start_mark
                )
            if key in data:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            data[key] = self.construct_object(value_node, deep=True)

    def construct_plain_string(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_line_map)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_plain_string)


def load_yaml(path: Path) -> Any:
    """Parse ``path`` or raise InvalidData naming the file (and line when known)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InvalidData(f"{path}: is a directory, not a YAML file") from None
    except OSError as exc:
        raise InvalidData(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InvalidData(f"{path}: larger than {MAX_BYTES:,} bytes; not a fact file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidData(f"{path}: not UTF-8 (byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InvalidData(f"{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InvalidData(f"{path}: {exc}") from None
    except RecursionError:
        raise InvalidData(f"{path}: nested too deeply") from None
