"""The parse cache: exactly a fresh parse, bounded, keyed on versions, and a warm start
that imports neither PyYAML nor jsonschema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sizes import examples

from hzcity import loader
from hzcity.errors import InvalidData
from hzcity.lines import LineDict
from hzcity.loader import load_yaml

# Plain scalars YAML reads as numbers, booleans, nulls, timestamps (kept as text) or text.
PLAIN = [
    "2585.10", "12", "-3", "0x1F", "1_000", "0o17", "+12", ".5", "1.0e+3", "yes", "No",
    "true", "null", "~", "", "2023-05-31", "2001-12-14t21:59:43.10-05:00", ".inf", "-.Inf",
    ".nan", "text", "双百", "2023.6.9", "0451-84692455", "1e3",
]  # fmt: skip
KEYS = st.one_of(
    st.from_regex(r"\A[a-z][a-z0-9_-]{0,6}\Z"),
    st.integers(-3, 10**6).map(str),
    st.sampled_from(['"1"', '"x y"', "true", "null", '"line"', '"items"', '"__line__"']),
)
SCALARS = st.one_of(
    st.sampled_from(PLAIN),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6).map(
        lambda text: json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar
    ),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: ("list", items)),
        st.lists(st.tuples(KEYS, inner), max_size=4).map(lambda pairs: ("map", pairs)),
    ),
    max_leaves=24,
)


def _emit(node: Any, indent: int = 0) -> list[str]:
    """Block-style YAML for a generated tree (a str is a scalar's source text)."""
    pad = " " * indent
    kind, items = node
    lines = []
    for item in items:
        lead, value = (f"{pad}{item[0]}:", item[1]) if kind == "map" else (f"{pad}-", item)
        if isinstance(value, str):
            lines.append(f"{lead} {value}")
        elif value[1]:
            lines += [lead, *_emit(value, indent + 2)]
        else:
            lines.append(f"{lead} {'{}' if value[0] == 'map' else '[]'}")
    return lines


def _shape(obj: Any) -> Any:
    """Everything a parse returns, types, lines and source texts included, comparable."""
    if isinstance(obj, LineDict):
        items = [
            (type(k).__name__, k, obj.key_lines[k], obj.texts.get(k), _shape(v))
            for k, v in obj.items()
        ]
        return ("LineDict", obj.line, items)
    if isinstance(obj, list):
        return ("list", [_shape(v) for v in obj])
    return (type(obj).__name__, repr(obj))


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(KEYS, TREES), min_size=1, max_size=5))
@pytest.mark.slow
def test_a_cached_parse_is_exactly_a_fresh_one(pairs):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.yaml"
        path.write_text("\n".join(_emit(("map", pairs))) + "\n", encoding="utf-8")
        with patch.object(loader, "cache_dir", return_value=Path(tmp) / "cache"):
            try:
                fresh = load_yaml(path)
            except InvalidData:  # e.g. two keys that read as the same one
                return
            with patch.object(loader, "_parse", side_effect=AssertionError("not from the cache")):
                cached = load_yaml(path)
    assert _shape(cached) == _shape(fresh)


def test_integer_keys_and_key_lines_survive_the_cache(tmp_path):
    path = tmp_path / "classes.yaml"
    path.write_text('by_class:\n  1: "0.2"\n  "2": "0.4"\nvalue: 2585.10\n', encoding="utf-8")
    with patch.object(loader, "cache_dir", return_value=tmp_path / "cache"):
        load_yaml(path)
        with patch.object(loader, "_parse", side_effect=AssertionError("not from the cache")):
            data = load_yaml(path)
    assert list(data["by_class"]) == [1, "2"]
    assert (data["by_class"].line_of(1), data["by_class"].line_of("2")) == (2, 3)
    assert (data["value"], data.texts["value"], data.line_of("value")) == (2585.1, "2585.10", 4)


@pytest.fixture
def cache(tmp_path):
    """A private cache directory, with the cache tag recomputed before and after."""
    loader._tag.cache_clear()
    with patch.object(loader, "cache_dir", return_value=tmp_path / "cache"):
        yield tmp_path / "cache"
    loader._tag.cache_clear()


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_cache_keeps_only_the_newest_entries(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(loader, "MAX_ENTRIES", 8)
    paths, seen = [], set()
    for n in range(20):
        paths.append(tmp_path / f"f{n}.yaml")
        paths[-1].write_text(f"n: {n}\n", encoding="utf-8")
        load_yaml(paths[-1])
        for name in set(_entries(cache)) - seen:  # its own time, older than the next write
            os.utime(cache / name, ns=(n * 10**9, n * 10**9))
            seen.add(name)
    assert len(_entries(cache)) <= 8
    with patch.object(loader, "_parse", side_effect=AssertionError("pruned")):
        assert load_yaml(paths[-1]) == {"n": 19}  # the newest entry is still there


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda mp: mp.setattr(loader, "__version__", "99.0"), id="hzcity"),
        pytest.param(lambda mp: mp.setattr(loader, "CACHE_FORMAT", "99"), id="format"),
        # another PyYAML installed: its __init__.py has another size or time
        pytest.param(
            lambda mp: mp.setattr(loader, "_yaml_file", lambda: Path(__file__)), id="pyyaml"
        ),
    ],
)
def test_a_new_version_is_a_cache_miss(tmp_path, cache, monkeypatch, change):
    path = tmp_path / "doc.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    load_yaml(path)
    change(monkeypatch)
    loader._tag.cache_clear()
    load_yaml(path)
    assert len(_entries(cache)) == 2


def test_an_edited_schema_is_a_cache_miss(tmp_path, cache, monkeypatch):
    schema = tmp_path / "topic.schema.json"
    schema.write_text("{}", encoding="utf-8")
    monkeypatch.setattr("hzcity.schemas.schema_files", lambda: [schema])
    path = tmp_path / "doc.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    with patch("hzcity.schemas.check"):
        load_yaml(path, "topic")
        schema.write_text('{"type": "object"}', encoding="utf-8")
        loader._tag.cache_clear()
        load_yaml(path, "topic")
    assert len(_entries(cache)) == 2


def test_the_installed_pyyaml_is_found_without_importing_it():
    import yaml

    assert loader._yaml_file().resolve() == Path(yaml.__file__).resolve()


@pytest.mark.parametrize("text", ["a: !!binary aGk=\n", "a: !!set {x}\n", "a: !!omap [b: 1]\n"])
def test_types_json_cannot_hold_are_refused(tmp_path, text):
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidData, match=r"doc.yaml:1: tag tag:yaml.org,2002:\w+ is not allowed"):
        load_yaml(path)


def test_a_warm_start_imports_neither_pyyaml_nor_jsonschema(tmp_path):
    code = (
        "import sys; from hzcity.catalog.model import Catalog; "
        "from hzcity.policy.dated import all_parameters; "
        "Catalog().facts(); all_parameters(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'jsonschema'}))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        for _ in ("cold", "warm")
    ]
    assert [r.stdout.strip() for r in runs] == ["['jsonschema', 'yaml']", "[]"], runs[0].stderr


def _resign(entry: Path, edit) -> None:
    """Edit a cache entry's JSON and sign it again as hzcity does (crc32 is no secret)."""
    body = json.loads(entry.read_bytes().partition(b"\n")[2])
    edit(body)
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    entry.write_bytes(b"%08x\n" % loader._checksum(entry.name, raw) + raw)


def test_a_re_signed_entry_without_a_required_key_is_parsed_again(cache):
    """A re-signed entry whose first parameter lost its unit was trusted (a KeyError in the
    calculators): it now has to keep the schema's shape, else the file is parsed again."""
    path = loader.shipped_root() / "parameters" / "insurance.yaml"
    fresh = load_yaml(path, "parameters")
    (entry,) = cache.iterdir()

    def drop_unit(body: dict[str, Any]) -> None:
        first = body["items"][0][2]
        first["items"] = [item for item in first["items"] if item[0] != "unit"]

    _resign(entry, drop_unit)
    assert loader._read_cache(entry) is not None  # the signature alone would trust it
    again = load_yaml(path, "parameters")
    assert again == fresh and again["unemployment-employer-rate"]["unit"] == "percent"
    with patch.object(loader, "_parse", side_effect=AssertionError("not from the cache")):
        assert load_yaml(path, "parameters") == fresh  # the entry was written again, whole


@pytest.mark.parametrize(
    ("value", "fits"),
    [("0.5", True), (0.5, False), ("half", False), ("", False), (None, False)],
)
def test_the_shape_check_holds_a_value_to_its_schema(value, fits):
    from hzcity.schemas.shape import conforms

    path = loader.shipped_root() / "parameters" / "insurance.yaml"
    data = loader._parse(path.read_bytes(), path)
    data["unemployment-employer-rate"]["values"][0]["value"] = value
    assert conforms(data, "parameters") is fits


@pytest.mark.parametrize(("xdg", "relative"), [("cache-here", True), ("./c", True),
                                                ("/abs/cache", False)])  # fmt: skip
def test_a_relative_xdg_cache_home_is_ignored(monkeypatch, xdg, relative):
    """The XDG spec: a relative path is invalid and ignored (it wrote the cache into the
    working directory)."""
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.delenv("HZCITY_NO_CACHE", raising=False)
    expected = Path(os.path.expanduser("~"), ".cache") if relative else Path(xdg)
    assert loader.cache_dir() == expected / "hzcity"
