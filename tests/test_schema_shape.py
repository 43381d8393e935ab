"""The parse cache's own schema check (hzcity/schemas/shape.py) judges as jsonschema does: on
every shipped file, and on each edited at a random place into a random value, a missing key
or a renamed one (the edits of a cache entry signed again, issue 26)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sizes import examples

from hzcity.lines import LineDict
from hzcity.loader import _parse, fact_files, shipped_root
from hzcity.schemas import _validator, schema_file
from hzcity.schemas.shape import conforms

SCHEMAS = ("topic", "units", "parameters", "user-parameters")


def _shipped() -> list[tuple[Any, str]]:
    files = fact_files(shipped_root())
    named = [(files.units, "units"), *((p, "topic") for p in files.topics),
             *((p, "parameters") for p in files.parameters)]  # fmt: skip
    assert all(path is not None for path, _ in named)
    return [(_parse(Path(path).read_bytes(), Path(path)), name) for path, name in named]


SHIPPED = _shipped()
# values an edit puts in: each type, a string of each pattern's shape and of none, edges of
# the bounds, equal-but-not-identical numbers (1 and 1.0, true and 1)
VALUES = ["", "x", "0.5", "5", "2024-01-01", "2024", "bound", "stated", "announced", "percent",
          "insurance.unemployment-employer-rate", "https://a.b", "1", "-1", 0, 1, 1.0, 1.5, -1,
          1000, 9999, 10000, 10**12, 10**12 + 1, True, False, None, [], ["x"], {}]  # fmt: skip


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value in ``data`` (keys and list indices)."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*path, index))
    return found


def _edited(data: Any, path: tuple[Any, ...], edit: str, value: Any) -> Any:
    """``data`` with the value at ``path`` replaced, or its key dropped or renamed."""
    data = copy.deepcopy(data)
    if not path:
        return value if edit == "replace" else data
    holder = data
    for step in path[:-1]:
        holder = holder[step]
    last = path[-1]
    if edit == "replace":
        holder[last] = value
    elif isinstance(holder, dict):
        moved = holder.pop(last)
        if edit == "rename":
            holder[value if isinstance(value, str) and value else "renamed"] = moved
    else:
        del holder[last]
    return data


def _valid(data: Any, name: str) -> bool:
    return not any(True for _ in _validator(name).iter_errors(data))


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_shipped_schema_is_covered(name):
    """A keyword the checker lacks would make every cache entry a miss (slow, not wrong)."""
    assert schema_file(name).is_file()
    assert conforms(LineDict(), name) == _valid(LineDict(), name)
    from hzcity.schemas.shape import _checker

    assert _checker(name) is not None


@pytest.mark.parametrize(("index"), range(len(SHIPPED)))
def test_every_shipped_file_conforms(index):
    data, name = SHIPPED[index]
    assert conforms(data, name) and _valid(data, name)


@settings(max_examples=examples(100), deadline=None)
@given(data=st.data())
def test_an_edited_file_is_judged_as_jsonschema_judges_it(data):
    parsed, name = data.draw(st.sampled_from(SHIPPED))
    name = data.draw(st.sampled_from([name, "user-parameters"] if name == "parameters" else [name]))
    edits = data.draw(st.integers(1, 3))
    for _ in range(edits):
        path = data.draw(st.sampled_from(_nodes(parsed)))
        edit = data.draw(st.sampled_from(["replace", "drop", "rename"]))
        parsed = _edited(parsed, path, edit, data.draw(st.sampled_from(VALUES)))
    event(f"valid: {_valid(parsed, name)}")
    assert conforms(parsed, name) == _valid(parsed, name), (name, parsed)
