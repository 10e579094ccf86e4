"""No module imports another that imports it back, directly or through others.

import-linter's contracts (pyproject.toml) keep the layers and rooms in order; a cycle
between two modules of one room would slip through them, so this walks the import graph
itself. Imports under `TYPE_CHECKING` count: a cycle a type checker needs is still one a
reader has to follow round.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Final

import grimp
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT: Final = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "dialogs", "adapters")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Libraries too (one node each), for the check of declared dependencies.
    return grimp.build_graph(
        *PACKAGES, include_external_packages=True, exclude_type_checking_imports=False
    )


def cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """For every import a -> b that b leads back from, the shortest way back."""
    found = []
    for importer in sorted(graph.modules):
        if not importer.startswith(PACKAGES):
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                found.append((importer, *back))
    return found


def test_no_module_is_part_of_an_import_cycle(graph: grimp.ImportGraph) -> None:
    assert cycles(graph) == []


def test_the_walk_finds_a_cycle_when_there_is_one(graph: grimp.ImportGraph) -> None:
    # The check above must be able to fail: add one import back and it does.
    graph.add_import(importer="dialogs.vocabulary", imported="bot.engine")
    try:
        assert any(cycle[0] == "bot.engine" or "bot.engine" in cycle for cycle in cycles(graph))
    finally:
        graph.remove_import(importer="dialogs.vocabulary", imported="bot.engine")


def _contract(name_starts: str) -> dict[str, object]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]
    return next(
        c for c in contracts["importlinter"]["contracts"] if c["name"].startswith(name_starts)
    )


def test_every_module_of_bot_s_top_and_every_platform_is_in_a_contract() -> None:
    # A module put at bot/'s top without a layer is bound by no room's rule (the Japanese
    # analyser was, until audit9); a platform package outside the independence contract
    # could import another.
    layers = _contract("The runtime's rooms")["layers"]
    assert isinstance(layers, list)
    in_layers = {name.strip() for layer in layers for name in layer.split("|")}
    at_top = {
        path.stem if path.suffix == ".py" else path.name
        for path in (ROOT / "bot").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert at_top - in_layers == set()
    platforms = _contract("Each platform is a package of its own")["modules"]
    assert isinstance(platforms, list)
    packages = {
        f"adapters.{path.name}"
        for path in (ROOT / "adapters").iterdir()
        if (path / "__init__.py").is_file()
    }
    assert packages - set(platforms) == set()


def top_level_imports(source: str, *, anywhere: bool = False) -> set[str]:
    """The top-level packages a module imports when it is loaded (not inside a function),
    or `anywhere` in it."""
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree) if anywhere else tree.body:
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_benchmarks_and_the_test_bed_load_neither_pytest_nor_the_tests() -> None:
    # bench/ shares fixtures with tests/ through testbed/; testbed.redis_server importing
    # pytest at its top made every Redis benchmark load pytest (and a missing redis-server
    # a pytest Skipped exception there).
    loaded = {
        str(path.relative_to(ROOT)): sorted(used)
        for package in ("bench", "testbed")
        for path in sorted((ROOT / package).rglob("*.py"))
        if "pytest" in (source := path.read_text("utf-8")) or "tests" in source
        if (used := top_level_imports(source) & {"pytest", "tests"})
    }
    assert loaded == {}


def test_the_vocabulary_is_a_leaf_on_the_standard_library(graph: grimp.ImportGraph) -> None:
    # Every layer imports dialogs.vocabulary; its contract forbids five modules by name, so
    # one of dialogs' own modules or a third-party library could have come in unseen.
    upstream = {
        module
        for module in graph.find_upstream_modules("dialogs.vocabulary")
        if module.startswith(PACKAGES)
    }
    assert upstream == {"dialogs.frozen"}
    for module in ("dialogs.vocabulary", *upstream):
        path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
        imported = top_level_imports(path.read_text("utf-8"), anywhere=True)
        assert imported - {"__future__", "dialogs"} <= sys.stdlib_module_names, module


def test_every_library_the_product_imports_is_a_declared_dependency(
    graph: grimp.ImportGraph,
) -> None:
    # httpx and pydantic_core were imported by the product but declared only as the dev
    # extra's and through python-telegram-bot and pydantic: an install without them, or
    # either library dropping its own, would break the product at import.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {canonicalize_name(Requirement(line).name) for line in project["dependencies"]}
    libraries = {m for m in graph.modules if graph.is_module_squashed(m)}
    distributions = packages_distributions()
    undeclared = {
        library: sorted(distributions.get(library, ["(not installed)"]))
        for library in sorted(libraries - sys.stdlib_module_names)
        if not {canonicalize_name(d) for d in distributions.get(library, ())} & declared
    }
    assert undeclared == {}


def test_each_room_names_every_room_of_bot_it_uses(graph: grimp.ImportGraph) -> None:
    # Issue 9: a room's __init__ says what it may use. The desk's and the login check's
    # left out `delivery` (and the desk the Japanese analyser) which they import.
    unnamed = {}
    for room in sorted((ROOT / "bot").iterdir()):
        if not (room / "__init__.py").is_file():
            continue
        package = f"bot.{room.name}"
        docstring = ast.get_docstring(ast.parse((room / "__init__.py").read_text("utf-8"))) or ""
        used = {
            imported.split(".")[1]
            for module in graph.find_descendants(package) | {package}
            for imported in graph.find_modules_directly_imported_by(module)
            if imported.startswith("bot.") and not imported.startswith(f"{package}.")
        } - {room.name}
        missing = sorted(name for name in used if f"`{name}`" not in docstring)
        if missing:
            unnamed[package] = missing
    assert unnamed == {}
