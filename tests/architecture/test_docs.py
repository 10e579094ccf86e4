"""docs/architecture.md and the README's layout table name only what exists, and all of it.

A map that names a module which moved, or leaves out a room, misleads the next newcomer
more than no map at all; so does a link from the README to a document, or from one document
to another, whose file or heading has gone.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT: Final = Path(__file__).resolve().parents[2]
ARCHITECTURE: Final = ROOT / "docs" / "architecture.md"
README: Final = ROOT / "README.md"
DOCUMENTS: Final = (README, *sorted((ROOT / "docs").glob("*.md")))
# Only what finds headings and links: code blocks and spans (which hide a link), GFM's tables
# (a link in a settings row is a link too); the other rules would double the 0.07 s it takes.
_MARKDOWN: Final = MarkdownIt("zero").enable(
    ["heading", "fence", "code", "table", "paragraph", "text", "escape", "backticks", "link"]
)
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


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    # No parser gives GitHub's anchors (github-slugger's rule, a few lines); markdown-it-py's
    # own anchors plugin is not installed.
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(tokens: list[Token]) -> set[str]:
    """Every heading's anchor, a repeated heading's with GitHub's -1, -2 ... after it."""
    found: set[str] = set()
    seen: Counter[str] = Counter()
    for opening, inline in pairwise(tokens):
        if opening.type != "heading_open":
            continue
        words = "".join(child.content for child in inline.children or [])
        base = slug(words)
        found.add(f"{base}-{seen[base]}" if seen[base] else base)
        seen[base] += 1
    return found


def links(tokens: list[Token]) -> list[str]:
    """Every link's target (code spans and fenced blocks hold none: the parser skips them)."""
    return [
        str(child.attrs["href"])
        for token in tokens
        for child in token.children or []
        if child.type == "link_open"
    ]


@cache
def parsed(path: Path) -> list[Token]:
    """A Markdown file's tokens, parsed once for its own links and for the links into it."""
    return _MARKDOWN.parse(path.read_text(encoding="utf-8"))


def broken_links(path: Path) -> list[str]:
    """The relative links of a Markdown file whose file or heading does not exist."""
    broken = []
    for target in links(parsed(path)):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # a web address: not this test's to fetch
        linked = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not linked.is_file():
            broken.append(f"{target} (no such file)")
        elif parts.fragment and unquote(parts.fragment) not in anchors(parsed(linked)):
            broken.append(f"{target} (no heading #{parts.fragment})")
    return broken


def test_every_relative_link_reaches_a_file_and_heading() -> None:
    assert len(DOCUMENTS) > 3  # the README and the documents it links to
    broken = {
        str(path.relative_to(ROOT)): found for path in DOCUMENTS if (found := broken_links(path))
    }
    assert not broken, f"links to no file or heading: {broken}"


def test_the_readme_links_every_document() -> None:
    # Each document under docs/ is found from the front door.
    targets = {urlsplit(link).path for link in links(parsed(README))}
    named = set(named_paths(README.read_text(encoding="utf-8")))
    absent = sorted(
        path.name for path in DOCUMENTS[1:] if f"docs/{path.name}" not in targets | named
    )
    assert not absent, f"the README leads to none of {absent}"


def test_the_link_check_sees_a_broken_link(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text(
        "# The questionnaire: `[questionnaire]`\n\n## Twice\n\n## Twice\n"
    )
    page.write_text(
        "[a](other.md#the-questionnaire-questionnaire) [b](other.md#twice-1) "
        "[c](#here) [d](https://example.jp/x.md) `[e](nowhere.md)`\n\n"
        "# Here\n\n[f](gone.md) [g](other.md#twice-2) [h](#nowhere)\n",
        encoding="utf-8",
    )
    assert [b.split(" ")[0] for b in broken_links(page)] == [
        "gone.md",
        "other.md#twice-2",
        "#nowhere",
    ]
