"""docs/architecture.md and the README's layout table name only what exists, and all of it.

A map that names a module which moved, or leaves out a room, misleads the next newcomer
more than no map at all.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
ARCHITECTURE: Final = ROOT / "docs" / "architecture.md"
README: Final = ROOT / "README.md"
PACKAGES: Final = ("bot", "dialogs", "adapters")
# `bot/store/`, `dialogs/turn.py`, `adapters/slack/`, `testbed/clock.py` ...
_PATH: Final = re.compile(r"`((?:bot|dialogs|adapters|bench|testbed|tests|docs|deploy)/[\w/.-]*)`")
# Mermaid node labels and prose name modules by their dotted name: bot.engine, dialogs.turn.
_DOTTED: Final = re.compile(r"\b((?:bot|dialogs|adapters)(?:\.[a-z_][a-z0-9_]*)+)\b")


def exists(dotted: str) -> bool:
    """Whether a dotted name is a module or a package of the project (or a name inside one)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:end])
        if base.with_suffix(".py").is_file():
            # A trailing part that is no module may be a name defined in it (bot.engine.Engine).
            return end >= len(parts) - 1
        if (base / "__init__.py").is_file():
            return end == len(parts)
    return False


def named_paths(text: str) -> set[str]:
    return set(_PATH.findall(text))


def named_modules(text: str) -> set[str]:
    return set(_DOTTED.findall(text))


def rooms() -> set[str]:
    """Every package directly under bot/ and adapters/, and dialogs/ itself."""
    found = {"dialogs/"}
    for package in ("bot", "adapters"):
        for child in (ROOT / package).iterdir():
            if (child / "__init__.py").is_file():
                found.add(f"{package}/{child.name}/")
    return found


def test_architecture_names_only_paths_that_exist() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = sorted(p for p in named_paths(text) if not (ROOT / p).exists())
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"


def test_architecture_names_only_modules_that_exist() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = sorted(m for m in named_modules(text) if not exists(m))
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"


def test_architecture_has_a_mermaid_diagram_of_one_turn() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    diagrams = re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)
    assert diagrams, "docs/architecture.md has no Mermaid diagram"
    turn = next((d for d in diagrams if "bot.engine" in d), "")
    for step in ("adapters", "bot.engine", "dialogs.conversation", "bot.store"):
        assert step in turn, f"the turn's diagram does not show {step}"


def test_architecture_describes_every_room() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = sorted(room for room in rooms() if f"`{room}`" not in text)
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_the_readme_layout_table_matches_the_tree() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    missing = sorted(p for p in named_paths(table) if not (ROOT / p).exists())
    assert not missing, f"the README's layout table names paths that do not exist: {missing}"
    absent = sorted(room for room in rooms() if f"`{room}`" not in table)
    assert not absent, f"the README's layout table leaves out {absent}"


def test_the_checks_see_a_wrong_name() -> None:
    assert not exists("bot.server_that_moved")
    assert exists("bot.engine")
    assert exists("bot.engine.Engine")
    assert exists("bot.store")
    assert named_paths("see `bot/nowhere.py`") == {"bot/nowhere.py"}
