"""Records are frozen dataclasses with keyword fields: a NamedTuple compares equal to a
plain tuple, and a positional record reads its fields by place."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import pytest

PACKAGES = ("catalog", "policy", "calculators", "page", "output")


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(f"hzcity.{package}")
        names += [f"hzcity.{package}.{m.name}" for m in pkgutil.iter_modules(module.__path__)]
    return names


def _records(module_name: str) -> list[type]:
    module = importlib.import_module(module_name)
    return [
        value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and value.__module__ == module_name
        and not name.startswith("_")  # a module's private accumulator may be mutable
        and (
            dataclasses.is_dataclass(value)
            or (issubclass(value, tuple) and hasattr(value, "_fields"))
        )
    ]


@pytest.mark.parametrize("module_name", _modules())
def test_records_are_frozen_keyword_dataclasses(module_name):
    for record in _records(module_name):
        assert dataclasses.is_dataclass(record), f"{record.__qualname__} is a NamedTuple"
        assert record.__dataclass_params__.frozen, f"{record.__qualname__} is not frozen"  # type: ignore[attr-defined]
        positional = [f.name for f in dataclasses.fields(record) if f.init and not f.kw_only]
        assert positional == [], f"{record.__qualname__} takes {positional} by position"


def test_the_check_sees_the_page_and_output_records():
    seen = {r.__qualname__ for m in _modules() for r in _records(m)}
    assert {"Column", "Mark", "Place", "Article", "Paragraph", "Premium"} <= seen
