"""Read one YAML file safely: size-capped, UTF-8, no tags, no aliases, no duplicate keys.

Every mapping comes back as a ``LineDict`` that remembers its line, so problems
can be reported as ``file:line: message``. Dates stay strings (as OpenFisca does)
and are parsed where their meaning is known.

Parsed files are cached as JSON under the user's cache directory, keyed by a hash
of the file's bytes, so a warm start never imports PyYAML (~25 ms). The cache is
an optimisation only: when it cannot be read or written, files are parsed again.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from hzcity.errors import InvalidData

MAX_BYTES = 2_000_000  # the largest shipped file is ~30 KB; anything near this is not a fact file
LINE_KEY = "__line__"  # how a LineDict's line travels through the JSON cache
CACHE_VERSION = "1"


def shipped_root() -> Path:
    """The packaged facts (wheel install), else the checkout's top-level facts/."""
    packaged = Path(__file__).with_name("facts")
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "facts"


def shipped_page() -> Path:
    """The source page's text, shipped with the facts (the page view and tests read it)."""
    pages = sorted((shipped_root() / "page").glob("*.txt"))
    if len(pages) != 1:
        raise InvalidData(f"{shipped_root() / 'page'}: expected exactly one page text")
    return pages[0]


class LineDict(dict[Any, Any]):
    """A mapping that knows the line it starts on."""

    line: int = 0


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/hzcity (or ~/.cache/hzcity); None when HZCITY_NO_CACHE is set."""
    if os.environ.get("HZCITY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hzcity"


def load_yaml(path: Path) -> Any:
    """Parse ``path`` or raise InvalidData naming the file (and line when known)."""
    raw = _read(path)
    folder = cache_dir()
    # keyed by path, size and content checksum (zlib: hashlib costs 4 ms to import)
    key = f"{zlib.crc32(str(path.resolve()).encode()):08x}-{len(raw)}-{zlib.crc32(raw):08x}"
    cached = folder / f"{key}-v{CACHE_VERSION}.json" if folder else None
    if cached is not None:
        try:
            return json.loads(cached.read_text(encoding="utf-8"), object_hook=_from_json)
        except (OSError, ValueError):
            pass
    data = _parse(raw, path)
    if cached is not None:
        _write_cache(cached, data)
    return data


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InvalidData(f"{path}: is a directory, not a YAML file") from None
    except OSError as exc:
        raise InvalidData(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InvalidData(f"{path}: larger than {MAX_BYTES:,} bytes; not a fact file")
    return raw


def _from_json(obj: dict[str, Any]) -> Any:
    if LINE_KEY not in obj:
        return obj
    mapping = LineDict(obj)
    mapping.line = mapping.pop(LINE_KEY)
    return mapping


def _to_json(obj: Any) -> Any:
    if isinstance(obj, dict):
        plain = {str(k): _to_json(v) for k, v in obj.items()}
        if isinstance(obj, LineDict):
            plain[LINE_KEY] = obj.line
        return plain
    if isinstance(obj, list):
        return [_to_json(v) for v in obj]
    return obj


def _write_cache(target: Path, data: Any) -> None:
    """Write atomically; a read-only or missing home just means no cache."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(_to_json(data), ensure_ascii=False), encoding="utf-8")
        temp.replace(target)
    except (OSError, TypeError, ValueError):
        pass


def _parse(raw: bytes, path: Path) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidData(f"{path}: not UTF-8 (byte {exc.start})") from None
    import yaml  # imported only on a cache miss

    try:
        return yaml.load(text, Loader=_safe_loader())  # the loader derives from yaml's safe one
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InvalidData(f"{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InvalidData(f"{path}: {exc}") from None
    except RecursionError:
        raise InvalidData(f"{path}: nested too deeply") from None


def _safe_loader() -> type:
    """PyYAML's safe loader (the C one when built), refusing aliases and duplicate keys."""
    import yaml
    from yaml.constructor import ConstructorError

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is ~7x faster

    class Loader(base):  # type: ignore[misc,valid-type]
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            # A node met twice is an alias: refuse it rather than risk a "billion laughs" blow-up.
            if node in self.constructed_objects or node in self.recursive_objects:
                raise ConstructorError(
                    None, None, "aliases (*name) are not allowed", node.start_mark
                )
            return super().construct_object(node, deep)

        def construct_line_map(self, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
            data = LineDict()
            data.line = node.start_mark.line + 1
            yield data
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str | int) or key == LINE_KEY:
                    raise ConstructorError(
                        None, None, f"key {key!r} is not allowed", key_node.start_mark
                    )
                if key in data:
                    raise ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                data[key] = self.construct_object(value_node, deep=True)

        def construct_plain_string(self, node: yaml.ScalarNode) -> str:
            return str(self.construct_scalar(node))

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_line_map)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_plain_string)
    return Loader
