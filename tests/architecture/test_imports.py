"""No module imports another that imports it back, directly or through others.

import-linter's contracts (pyproject.toml) keep the layers and rooms in order; a cycle
between two modules of one room would slip through them, so this walks the import graph
itself. Imports under `TYPE_CHECKING` count: a cycle a type checker needs is still one a
reader has to follow round.
"""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ("bot", "dialogs", "adapters")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False)


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
