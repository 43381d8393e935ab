"""Read one YAML file safely: size-capped, UTF-8, no tags, no aliases, no duplicate keys.

Every mapping comes back as a ``LineDict`` that remembers its line and the line of
each key, so problems can be reported as ``file:line: message``, and the source text
of each unquoted value YAML did not read as text (``2585.10`` stays "2585.10" there,
for the message that asks for quotes). Dates stay strings (as OpenFisca does) and
are parsed where their meaning is known. A file loaded with a schema name is checked
against ``hzcity/schemas/<name>.schema.json`` when it is parsed.

The parse cache. Parsed and schema-checked files are kept as JSON under the user's
cache directory, so a warm start imports neither PyYAML (~25 ms) nor jsonschema
(~60 ms). We keep a cache rather than building JSON into the wheel because user
files (``--facts-dir``) need one anyway and one mechanism serves both. Its rules:

- Key: the file's path, size and bytes (zlib's crc32: hashlib costs 4 ms to import),
  plus a tag of everything that changes what a parse returns: hzcity's version, the
  cache format, the installed PyYAML and the schemas (each known by its file's size and
  modification time, found without importing PyYAML). An upgrade or a schema edit is a
  cache miss, never a stale hit.
- Exact: mappings travel as lists of ``[key, key line, value, source text]``, so
  integer keys, lines and source texts come back as a fresh parse gives them (a
  property test checks this). Only schema-valid files are stored.
- Bounded: after a write, the oldest entries are removed once there are more than
  ``MAX_ENTRIES``; a warm start only reads.
- Checked: an entry starts with the crc32 of its name and body, every JSON object in it
  must have the shape ``_to_json`` writes, and its data the shape its schema asks
  (``schemas.shape.conforms``, without jsonschema): crc32 is no secret, so an entry re-signed
  by hand is held to what a fresh parse is. An entry that is damaged, truncated,
  copied from another entry, not a regular file (a FIFO, a link to /dev/zero) or larger
  than ``MAX_CACHE_BYTES`` is a miss: the file is parsed again and the entry rewritten.
- Optional: when the cache cannot be read or written, files are parsed again.

Only regular files are read (a FIFO named ``*.yaml`` would block a read forever): a
file is opened without blocking and refused unless ``fstat`` says it is a regular file.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hzcity import (
    __version__,
    schemas,  # jsonschema itself only on a cache miss
)
from hzcity.errors import InvalidData
from hzcity.lines import LineDict
from hzcity.schemas.shape import conforms

MAX_BYTES = 2_000_000  # the largest shipped file is ~30 KB; anything near this is not a fact file
MAX_CACHE_BYTES = 8 * MAX_BYTES  # JSON repeats each key's line: a cached file is larger
MAX_INT_DIGITS = 20  # a bare YAML integer longer than this is no year, class or count
CACHE_FORMAT = "3"  # bump when the layout of cached files changes
MAX_ENTRIES = 300  # a few hundred files: the shipped ones plus a user's, over a few versions
UNITS_FILE = "_units.yaml"
PARAMETERS_DIR = "parameters"
REFUSED_TAGS = ("binary", "set", "omap", "pairs")  # types JSON (and the schemas) do not have


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


def check_root(root: Path) -> None:
    """A user's facts directory must be one; InvalidData says what it is instead."""
    if not root.is_dir():
        what = "is a file, not a directory" if root.exists() else "does not exist"
        raise InvalidData(f"{root}: facts directory {what}")


def facts_roots(extra: list[Path] | None = None) -> list[Path]:
    """The users' facts directories: $HZCITY_FACTS_PATH's, then ``extra`` (--facts-dir)."""
    env = os.environ.get("HZCITY_FACTS_PATH", "")
    return [Path(p) for p in env.split(os.pathsep) if p] + list(extra or [])


class Unreadable(InvalidData):
    """A file that is not a regular UTF-8 YAML file hzcity can read (before any schema)."""


@dataclass(frozen=True, kw_only=True)
class FactFiles:
    """The files of one facts directory that hzcity reads."""

    root: Path
    topics: tuple[Path, ...]
    units: Path | None
    parameters: tuple[Path, ...]

    def all(self) -> list[Path]:
        return [*([self.units] if self.units else []), *self.topics, *self.parameters]


def fact_files(root: Path) -> FactFiles:
    """What counts in ``root``, for loading and validate alike: every ``*.yaml`` or ``*.yml``
    (the two spellings, read alike) not starting with ``_`` is a topic, ``_units.yaml`` the
    unit table, ``parameters/*.yaml`` the parameters; other files and folders (page/,
    _notes.yaml) are not facts."""
    topics = tuple(p for p in _yaml_in(root) if not p.name.startswith("_"))
    units = [p for p in _yaml_in(root) if p.stem == UNITS_FILE.removesuffix(".yaml")]
    if len(units) > 1:
        raise InvalidData(f"{units[1]}: a second unit table beside {units[0]}; keep one")
    return FactFiles(root=root, topics=topics, units=units[0] if units else None,
                     parameters=_yaml_in(root / PARAMETERS_DIR))  # fmt: skip


YAML_SUFFIXES = (".yaml", ".yml")


def _yaml_in(folder: Path) -> tuple[Path, ...]:
    """The ``*.yaml`` and ``*.yml`` entries of ``folder`` (none if it is not one), sorted."""
    return tuple(sorted(p for s in YAML_SUFFIXES for p in folder.glob(f"*{s}")))


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/hzcity (or ~/.cache/hzcity); None when HZCITY_NO_CACHE is set. A
    relative $XDG_CACHE_HOME is ignored, as the XDG spec says (it would write the cache
    into whatever directory the command runs in)."""
    if os.environ.get("HZCITY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hzcity"


def load_yaml(path: Path, schema: str | None = None) -> Any:
    """Parse ``path`` or raise InvalidData naming the file (and line when known).

    With ``schema``, a parsed file breaking it raises SchemaViolations listing every problem.
    """
    raw = _read(path)
    folder = cache_dir()
    cached = folder / _cache_name(path, raw, schema) if folder else None
    if cached is not None:
        data = _read_cache(cached)
        # an entry anyone can re-sign (crc32 is no secret) must still have the schema's
        # shape, or the consumers meet a missing key: else it is parsed again
        if data is not None and (schema is None or conforms(data, schema)):
            return data
    data = _parse(raw, path)
    if schema is not None:
        schemas.check(data, schema, path)
    if cached is not None:
        _write_cache(cached, data)
    return data


def _cache_name(path: Path, raw: bytes, schema: str | None) -> str:
    where = zlib.crc32(str(path.resolve()).encode())
    return f"{where:08x}-{len(raw)}-{zlib.crc32(raw):08x}-{schema or 'any'}-{_tag(schema)}.json"


@cache
def _tag(schema: str | None) -> str:
    """A checksum of what else decides a parse: hzcity's version, the cache format, the
    installed PyYAML and the schemas (all of them: a schema may refer to another). Files
    are known by their size and modification time, as Python's own bytecode cache does:
    reading them on every start cost ~1.5 ms, a tenth of hzcity's budget above Typer's."""
    files = [*schemas.schema_files(), _yaml_file()] if schema else [_yaml_file()]
    parts = [__version__, CACHE_FORMAT, *map(_stamp, files)]
    return f"{zlib.crc32('|'.join(parts).encode()):08x}"


def _yaml_file() -> Path:
    """PyYAML's __init__.py, found without importing it (~25 ms) or importlib.util."""
    for entry in sys.path:
        candidate = Path(entry or ".", "yaml", "__init__.py")
        if candidate.is_file():
            return candidate
    return Path("yaml-absent")


def _stamp(path: Path) -> str:
    try:
        status = path.stat()
    except OSError:
        return f"{path.name}:missing"
    return f"{path.name}:{status.st_size}:{status.st_mtime_ns}"


def _read(path: Path) -> bytes:
    try:
        raw = read_regular(path, MAX_BYTES + 1)
    except IsADirectoryError:
        raise Unreadable(f"{path}: is a directory, not a YAML file") from None
    except OSError as exc:
        raise Unreadable(f"{path}: cannot read: {exc.strerror or exc}") from None
    if raw is None:
        raise Unreadable(f"{path}: not a regular file (a FIFO, device or socket); not a fact file")
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"{path}: larger than {MAX_BYTES:,} bytes; not a fact file")
    return raw


def read_regular(path: Path, limit: int, *, follow: bool = True) -> bytes | None:
    """At most ``limit`` bytes of ``path``, or None when it is not a regular file. Opened
    without blocking, so a FIFO is refused rather than waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            return None
        chunks = []
        while limit > 0 and (chunk := os.read(fd, min(limit, 1 << 20))):
            chunks.append(chunk)
            limit -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _read_cache(entry: Path) -> Any:
    """The data of a sound cache entry, else None (a miss: the caller parses again)."""
    try:
        raw = read_regular(entry, MAX_CACHE_BYTES + 1, follow=False)
    except OSError:
        return None
    if raw is None or len(raw) > MAX_CACHE_BYTES:
        return None
    stamp, _, body = raw.partition(b"\n")
    if stamp != b"%08x" % _checksum(entry.name, body):
        return None
    try:
        data = json.loads(body, object_hook=_from_json)
    except (ValueError, TypeError, RecursionError):  # a checksum collision, at worst
        return None
    return data if isinstance(data, LineDict) else None


def _checksum(name: str, body: bytes) -> int:
    """The entry's name is in its checksum: another entry's content copied in is a miss."""
    return zlib.crc32(body, zlib.crc32(name.encode()))


def _to_json(obj: Any) -> Any:
    """Mappings become {"line", "items": [[key, key line, value, text or null], ...]}:
    JSON object keys would turn integer keys into strings."""
    if isinstance(obj, LineDict):
        items = [[k, obj.key_lines[k], _to_json(v), obj.texts.get(k)] for k, v in obj.items()]
        return {"line": obj.line, "items": items}
    if isinstance(obj, list):
        return [_to_json(v) for v in obj]
    return obj


def _from_json(obj: dict[str, Any]) -> LineDict:
    """Every JSON object of a cached file is a mapping written by _to_json; anything else
    raises ValueError."""
    line, items = obj.get("line"), obj.get("items")
    if len(obj) != 2 or not isinstance(line, int) or not isinstance(items, list):
        raise ValueError("not a cached mapping")
    mapping = LineDict(line)
    for item in items:
        if not (isinstance(item, list) and len(item) == 4):
            raise ValueError("not a cached item")
        key, line, value, text = item
        if not isinstance(key, str | int) or not _is_int(line):  # YAML's true is a key too
            raise ValueError("not a cached key")
        if not (text is None or isinstance(text, str)) or key in mapping:
            raise ValueError("not a cached item")
        mapping[key] = value
        mapping.key_lines[key] = line
        if text is not None:
            mapping.texts[key] = text
    return mapping


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _write_cache(target: Path, data: Any) -> None:
    """Write atomically (a damaged entry is replaced, a FIFO or link too), then prune; a
    read-only or missing home just means no cache."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_suffix(f".{os.getpid()}.tmp")
        body = json.dumps(_to_json(data), ensure_ascii=False).encode("utf-8")
        temp.write_bytes(b"%08x\n" % _checksum(target.name, body) + body)
        temp.replace(target)
        _prune(target.parent)
    except (OSError, TypeError, ValueError):
        pass


def _prune(folder: Path) -> None:
    """Keep the newest three quarters of MAX_ENTRIES once there are more than that."""
    entries = list(os.scandir(folder))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_ENTRIES * 3 // 4]:
        Path(entry.path).unlink(missing_ok=True)


def _parse(raw: bytes, path: Path) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{path}: not UTF-8 (byte {exc.start})") from None
    import yaml  # imported only on a cache miss

    try:
        return yaml.load(text, Loader=_safe_loader())  # the loader derives from yaml's safe one
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise Unreadable(f"{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise Unreadable(f"{path}: {exc}") from None
    except RecursionError:
        raise Unreadable(f"{path}: nested too deeply") from None


@cache
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
            data = LineDict(node.start_mark.line + 1)
            yield data
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, str | int):
                    raise ConstructorError(
                        None, None, f"key {key!r} is not allowed", key_node.start_mark
                    )
                if key in data:
                    raise ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                value = self.construct_object(value_node, deep=True)
                data[key] = value
                data.key_lines[key] = key_node.start_mark.line + 1
                if isinstance(value_node, yaml.ScalarNode) and not isinstance(value, str):
                    data.texts[key] = value_node.value

        def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
            # Python refuses to read an integer of more than 4,300 digits (ValueError);
            # no year, class number or scale comes near MAX_INT_DIGITS.
            if sum(c.isdigit() for c in str(node.value)) > MAX_INT_DIGITS:
                raise ConstructorError(
                    None,
                    None,
                    f"integer of more than {MAX_INT_DIGITS} digits; write it as quoted text",
                    node.start_mark,
                )
            return int(super().construct_yaml_int(node))

        def construct_plain_string(self, node: yaml.ScalarNode) -> str:
            return str(self.construct_scalar(node))

        def refuse_tag(self, node: yaml.Node) -> None:
            raise ConstructorError(None, None, f"tag {node.tag} is not allowed", node.start_mark)

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_line_map)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_plain_string)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_bounded_int)
    for tag in REFUSED_TAGS:
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", Loader.refuse_tag)
    return Loader
