"""JSON Schemas (draft 2020-12) of the fact files, and their problems in a curator's words.

The schemas are data: editors validate the YAML files through them (see facts/README.md)
and the loader checks each file it parses with the jsonschema package. Two editor
keywords, ``errorMessage`` and ``patternErrorMessage`` (VS Code, yaml-language-server),
carry the wording of rules a bare keyword cannot explain. Rules a schema cannot state
(a unit known to the unit table, value x scale = base_value, ...) stay in catalog.py
and policy.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hzcity.errors import SchemaViolations, suggest
from hzcity.lines import LineDict

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError


def schema_file(name: str) -> Path:
    """The JSON Schema ``name`` (topic, units, parameters) shipped in hzcity/schemas/."""
    return Path(__file__).with_name(f"{name}.schema.json")


def schema_files() -> list[Path]:
    """Every shipped schema: one may refer to another."""
    return sorted(schema_file("*").parent.glob("*.schema.json"))


TYPE_WORDS = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "empty",
}


def check(data: Any, name: str, path: Path) -> None:
    """Raise SchemaViolations, as ``file:line: message`` in line order, if ``data`` breaks
    the schema ``name``."""
    found = sorted(set(_problems(data, name)))
    if found:
        raise SchemaViolations([f"{path}:{line}: {message}" for line, message in found])


@cache
def documents() -> dict[str, dict[str, Any]]:
    """Every shipped schema by file name, parsed once (a schema may refer to a sibling)."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in schema_files()}


@cache
def _validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    # A schema may refer to a sibling by file name (user parameters reuse the dated value).
    found = documents()
    registry = Registry().with_resources(
        (file, Resource.from_contents(schema)) for file, schema in found.items()
    )
    return Draft202012Validator(found[schema_file(name).name], registry=registry)


def _problems(data: Any, name: str) -> Iterator[tuple[int, str]]:
    errors = list(_validator(name).iter_errors(data))
    # A value of the wrong type fails its enum or pattern too: say only the first.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    for error in errors:
        where = tuple(error.absolute_path)
        if error.validator != "type" and where in mistyped:
            continue
        yield from _explain(error, data)


def _explain(error: ValidationError, data: Any) -> Iterator[tuple[int, str]]:
    """One error as (line, message); a mapping's missing or unknown keys one each."""
    path = list(error.absolute_path)
    instance: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    line = _line(data, path)
    if "propertyNames" in error.relative_schema_path:  # the instance is a key of the mapping
        label = f"{_name(path)} key" if path else "name"
        rule = schema.get("patternErrorMessage", "is not allowed")
        yield _walk(data, path).line_of(instance), f"{label} {_shown(instance)} {rule}"
    elif not path and error.validator == "type":
        yield 1, f"a {schema.get('title', 'fact file')} must be {TYPE_WORDS['object']}"
    elif "errorMessage" in schema:
        yield line, str(schema["errorMessage"])
    elif error.validator == "required":
        for missing in error.validator_value:  # type: ignore[union-attr]
            if missing not in instance:
                yield line, _missing(path, schema, missing)
    elif error.validator == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        for extra in instance:
            if extra not in known:
                yield instance.line_of(extra), f"unknown key {extra!r}{suggest(str(extra), known)}"
    else:
        holder = _walk(data, path[:-1]) if path else None
        source = holder.texts.get(path[-1]) if isinstance(holder, LineDict) else None
        yield line, _message(error, schema, _name(path), source)


def _missing(path: Sequence[Any], schema: dict[str, Any], key: str) -> str:
    """A missing key, naming the unit, parameter or reference that lacks it."""
    if not path or not isinstance(path[-1], str):
        return f"missing key {key!r}"
    owner = f"{schema['title']} {path[-1]!r}" if "title" in schema else path[-1]
    return f"{owner} needs key {key!r}"


def _message(error: ValidationError, schema: dict[str, Any], name: str, source: str | None) -> str:
    """A value breaking a keyword about values; ``source`` is its text as written."""
    value: Any = error.instance
    limit: Any = error.validator_value
    kind = error.validator
    if kind == "type" and value is None:
        return f"{name} is empty"
    if kind in ("type", "enum") and "enum" in schema:
        choices = [str(c) for c in schema["enum"]]
        if isinstance(value, str):
            return f"unknown {name} {value!r}{suggest(value, choices)}"
        return f"{name} {_shown(value, source)} is not one of {', '.join(choices)}"
    if kind == "type":
        wanted = [limit] if isinstance(limit, str) else list(limit)
        if "string" in wanted and isinstance(value, int | float | bool):
            text = source if source is not None else json.dumps(value)
            return f'{name} {text} must be quoted text exactly as printed ("{text}")'
        words = " or ".join(TYPE_WORDS[w] for w in wanted)
        return f"{name} {_shown(value, source)} is not {words}"
    if kind == "pattern":
        return f"{name} {value!r} {schema.get('patternErrorMessage', 'is not allowed')}"
    if kind in ("minLength", "minItems", "minProperties"):
        return f"{name} must not be empty"
    if kind == "minimum":
        return f"{name} {_shown(value, source)} is too small (at least {limit})"
    if kind == "exclusiveMinimum":
        return f"{name} {_shown(value, source)} must be more than {limit}"
    if kind == "maximum":
        return f"{name} {_shown(value, source)} is too large (at most {limit})"
    return f"{name}: {error.message}"


def _name(path: Sequence[Any]) -> str:
    """How a message names the value: its key, with list positions (``details[1]``)."""
    keys = [i for i, step in enumerate(path) if isinstance(step, str)]
    if not keys:
        return f"item {path[-1] + 1}" if path else "the file"
    start = keys[-1]
    return str(path[start]) + "".join(f"[{step}]" for step in path[start + 1 :])


def _walk(data: Any, path: Sequence[Any]) -> Any:
    for step in path:
        data = data[step]
    return data


def _line(data: Any, path: Sequence[Any]) -> int:
    """The line of the key (or list item) at ``path``; lists of scalars say their key's."""
    line = data.line if isinstance(data, LineDict) else 1
    for step in path:
        if isinstance(data, LineDict):
            line = data.line_of(step)
        data = data[step]
        if isinstance(data, LineDict) and not isinstance(step, str):
            line = data.line
    return line


def _shown(value: Any, source: str | None = None) -> str:
    """A value as a curator wrote it: source text for scalars, short repr otherwise."""
    if source is not None:
        return source
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
