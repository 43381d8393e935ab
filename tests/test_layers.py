"""The package map of ARCHITECTURE.md holds: imports run one way, with no cycle.

Every import counts, the ones inside functions and under TYPE_CHECKING too: a lazy
import hides a cycle from Python, not from a reader.
"""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hzcity"

# Highest first; a module may import from its own room and from any room below it.
LAYERS = [
    ("hzcity.__main__",),
    ("hzcity.cli",),
    ("hzcity.payroll",),
    ("hzcity.calculators", "hzcity.page"),
    ("hzcity.catalog",),
    ("hzcity.policy",),
    ("hzcity.loader", "hzcity.money", "hzcity.output"),
    ("hzcity.schemas",),
    ("hzcity.errors", "hzcity.labels", "hzcity.lines", "hzcity.notes"),
    ("hzcity.i18n",),
    ("hzcity",),
]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module: str) -> tuple[int, str]:
    """The layer index and room (a prefix of LAYERS) a module lives in."""
    best = max(
        (
            room
            for layer in LAYERS
            for room in layer
            if module == room or module.startswith(room + ".")
        ),
        key=len,
    )
    return next(i for i, layer in enumerate(LAYERS) if best in layer), best


def _imports() -> dict[str, set[str]]:
    """Each hzcity module and the hzcity modules it imports, anywhere in its body."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module(path)
        found = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("hzcity")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hzcity"):
                base = node.module or ""
                for alias in node.names:  # `from hzcity.page import text` names a module
                    sub = f"{base}.{alias.name}"
                    exists = (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").is_file()
                    found.add(sub if exists else base)
    return graph


GRAPH = _imports()


def test_the_map_places_every_module():
    assert all(_room(module) for module in GRAPH)
    assert len(GRAPH) > 30  # the walk really found the package


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_run_down_the_layers(module):
    layer, room = _room(module)
    upward = [
        target
        for target in GRAPH[module]
        if _room(target)[0] < layer or (_room(target)[0] == layer and _room(target)[1] != room)
    ]
    assert not upward, f"{module} imports from a room at or above its own: {upward}"


def test_no_module_cycle():
    try:
        TopologicalSorter({m: t - {m} for m, t in GRAPH.items()}).prepare()
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_the_core_never_imports_the_command_layer_or_typer():
    for path in PACKAGE.rglob("*.py"):
        if _room(_module(path))[0] <= 1:  # the entry point and the command layer
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {n.split(".")[0] for n in names} & {"typer", "click"}, path
