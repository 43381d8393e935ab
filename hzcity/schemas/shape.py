"""Whether data meets a shipped schema, without jsonschema: the check of a parse-cache entry.

A file is checked by jsonschema when it is parsed (hzcity.schemas.check, with the words a
curator reads); its cached parse is read on every later start, where importing jsonschema
would cost more than all of hzcity's own work. An entry is signed only against damage (a
crc32 anyone can recompute), so an entry edited and signed again could hand the calculators
a mapping without a key they index: its shape is checked here, and an entry that fails is a
cache miss (the file is parsed and checked again). The checker covers the keywords the
shipped schemas use, with jsonschema's meaning (a test compares the two verdicts on
generated data); a schema using any other keyword is never vouched for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from hzcity.schemas import documents, schema_file

Check = Callable[[Any], bool]

# keywords that say nothing of validity
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "title", "description", "errorMessage", "patternErrorMessage"}
)
# keywords read with another: then and else with if; the two member keywords together
HANDLED_WITH_OTHERS = frozenset({"then", "else", "properties", "additionalProperties"})


class _NotCovered(Exception):
    """A schema keyword this checker does not implement."""


def conforms(data: Any, name: str) -> bool:
    """Whether ``data`` meets the schema ``name`` (topic, units, parameters...), as
    jsonschema would judge it; False too when the schema uses a keyword not covered here."""
    check = _checker(name)
    return check is not None and check(data)


@cache
def _checker(name: str) -> Check | None:
    found = documents()
    file = schema_file(name).name
    try:
        return _Compiler(found).compile(found[file], file)
    except _NotCovered:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _equal(one: Any, other: Any) -> bool:
    """jsonschema's equality for enum and const: true is not 1, 1 is 1.0."""
    if isinstance(one, bool) or isinstance(other, bool):
        return type(one) is type(other) and one == other
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(_equal, one, other))
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_equal(one[k], other[k]) for k in one)
    if isinstance(one, list | dict) or isinstance(other, list | dict):
        return False
    return bool(one == other)


class _Compiler:
    """Schemas turned into checks, each reference compiled once."""

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.followed: dict[tuple[str, str], Check] = {}

    def compile(self, schema: Any, file: str) -> Check:
        """The check of ``schema``, a part of the document ``file``."""
        if schema is True or schema == {}:
            return lambda _: True
        if schema is False:
            return lambda _: False
        if not isinstance(schema, dict):
            raise _NotCovered(repr(schema))
        checks = [
            self._keyword(keyword, value, schema, file)
            for keyword, value in schema.items()
            if keyword not in ANNOTATIONS and keyword not in HANDLED_WITH_OTHERS
        ]
        if "properties" in schema or "additionalProperties" in schema:  # one pass for both
            other = self.compile(schema.get("additionalProperties", True), file)
            checks.append(self._members(schema.get("properties", {}), other, file))
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    def _keyword(self, keyword: str, value: Any, schema: dict[str, Any], file: str) -> Check:
        """The check of one keyword of ``schema`` (``value`` its argument)."""
        sub = self.compile
        if keyword == "type":
            names = [value] if isinstance(value, str) else value
            if not set(names) <= TYPES.keys():
                raise _NotCovered(f"type {value}")
            if len(names) == 1:
                return TYPES[names[0]]
            kinds = [TYPES[t] for t in names]
            return lambda v: any(kind(v) for kind in kinds)
        if keyword == "$ref":
            return self._reference(value, file)
        if keyword == "propertyNames":
            names = sub(value, file)
            return lambda v: not isinstance(v, dict) or all(map(names, v))
        if keyword == "required":
            return lambda v: not isinstance(v, dict) or all(key in v for key in value)
        if keyword == "minProperties":
            return lambda v: not isinstance(v, dict) or len(v) >= value
        if keyword == "items" and isinstance(value, dict | bool):
            each = sub(value, file)
            return lambda v: not isinstance(v, list) or all(map(each, v))
        if keyword == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if keyword == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= value
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if keyword == "enum":
            return lambda v: any(_equal(v, choice) for choice in value)
        if keyword == "const":
            return lambda v: _equal(v, value)
        if keyword in BOUNDS:
            holds = BOUNDS[keyword]
            return lambda v: not _is_number(v) or holds(v, value)
        if keyword in ("allOf", "anyOf", "oneOf"):
            parts = [sub(s, file) for s in value]
            if keyword == "allOf":
                return lambda v: all(part(v) for part in parts)
            if keyword == "anyOf":
                return lambda v: any(part(v) for part in parts)
            return lambda v: sum(part(v) for part in parts) == 1
        if keyword == "not":
            negated = sub(value, file)
            return lambda v: not negated(v)
        if keyword == "if":
            condition = sub(value, file)
            then, otherwise = (sub(schema.get(k, True), file) for k in ("then", "else"))
            return lambda v: then(v) if condition(v) else otherwise(v)
        raise _NotCovered(keyword)

    def _members(self, named: dict[str, Any], other: Check, file: str) -> Check:
        """properties and additionalProperties: each member checked by its own schema, else
        by ``other``."""
        known = {key: self.compile(schema, file) for key, schema in named.items()}

        def members(value: Any) -> bool:
            if isinstance(value, dict):
                for key, item in value.items():
                    if not known.get(key, other)(item):
                        return False
            return True

        return members

    def _reference(self, target: str, file: str) -> Check:
        """A ``$ref`` to ``#/$defs/x`` of this file or ``other.schema.json#/$defs/x``,
        compiled once; the check looks it up when called, so a schema may refer to itself."""
        document, _, pointer = target.partition("#")
        key = (document or file, pointer)
        if key not in self.followed:
            schema = self.documents.get(key[0])
            for part in filter(None, pointer.split("/")):
                if not isinstance(schema, dict) or (part := _unescaped(part)) not in schema:
                    raise _NotCovered(target)
                schema = schema[part]
            self.followed[key] = lambda _: False  # until compiled: a cycle's inner use
            self.followed[key] = self.compile(schema, key[0])
        return lambda v: self.followed[key](v)


def _unescaped(part: str) -> str:
    """A JSON pointer's token as the key it names."""
    return part.replace("~1", "/").replace("~0", "~")


BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda v, limit: v >= limit,
    "maximum": lambda v, limit: v <= limit,
    "exclusiveMinimum": lambda v, limit: v > limit,
    "exclusiveMaximum": lambda v, limit: v < limit,
}
