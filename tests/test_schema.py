"""The shipped files fit the JSON Schemas and name them; the schemas agree with the
catalog; a value is found in its quote only as a whole figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hzcity.catalog.model import BOUNDS, KINDS, figure_in
from hzcity.loader import fact_files, load_yaml, shipped_root
from hzcity.schemas import schema_file


def _schema(name: str) -> dict:
    return json.loads(schema_file(name).read_text(encoding="utf-8"))


def _shipped() -> list[tuple[Path, str]]:
    files = fact_files(shipped_root())
    return [
        (files.units, "units"),
        *((p, "topic") for p in files.topics),
        *((p, "parameters") for p in files.parameters),
    ]


@pytest.mark.parametrize(("path", "name"), _shipped(), ids=lambda v: getattr(v, "name", v))
def test_every_shipped_file_fits_its_schema_and_names_it_on_its_first_line(path, name):
    from jsonschema import Draft202012Validator

    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(load_yaml(path))]
    assert errors == []
    first = path.read_text(encoding="utf-8").splitlines()[0]
    target = first.removeprefix("# yaml-language-server: $schema=")
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / target).resolve() == schema_file(name).resolve()


def test_the_schema_lists_the_kinds_and_bounds_the_catalog_knows():
    fact = _schema("topic")["$defs"]["fact"]["properties"]
    assert fact["kind"]["enum"] == list(KINDS)
    assert fact["bound"]["enum"] == list(BOUNDS)


def test_every_kind_has_its_name_for_people_in_both_languages():
    from hzcity.catalog.model import KIND_NAMES
    from hzcity.i18n import said

    names = {kind: (said(KIND_NAMES[kind], "en"), said(KIND_NAMES[kind], "zh")) for kind in KINDS}
    assert all(en == kind and zh and zh != en for kind, (en, zh) in names.items())


def test_every_parameter_unit_has_a_range():
    from hzcity.policy.dated import RANGES

    units = _schema("parameters")["$defs"]["parameter"]["properties"]["unit"]["enum"]
    assert sorted(RANGES) == sorted(units)
    assert all(low <= high for low, high in RANGES.values())


@pytest.mark.parametrize(
    ("value", "quote", "found"),
    [
        ("2585.10", "标准为2585.10元", True),
        ("2585.1", "标准为2585.10元", False),
        ("58", "标准为2585元", False),
        ("10", "标准为2585.10元", False),
        ("2585", "标准为2585.10元", False),
        ("12", "学校12所。", True),
        ("12", "第12.", True),  # a full stop ends the figure
        ("五", "十五所", True),  # Chinese numerals are not digits: substring as before
        ("2023.6.9", "6月9日(2023.6.9)晚", True),
    ],
)
def test_a_value_is_found_in_its_quote_only_as_a_whole_figure(value, quote, found):
    assert figure_in(value, quote) is found
