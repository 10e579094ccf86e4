"""bot/ knows no desk's platform: how a desk marks its agents' names is the adapter's.

A Slack member is named 「山田花子 (Slack U0AGENT1)」 in the lines and an agent acting in
Chatwoot 「佐藤 花子 (Chatwoot)」; each desk's adapter registers how its marks are shown
(bot.desk.ownership.register_desk_names), and bot/ shows any name through that registry.
Comments and docstrings may give such a name as an example; no code of bot/ may spell one.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

BOT: Final = Path(__file__).resolve().parents[2] / "bot"
# What a desk's mark looks like in code: the Slack member's format or regex, Chatwoot's suffix.
MARKS: Final = ("(Slack ", "\\(Slack", " (Chatwoot)")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def marks_spelt(source: str) -> list[str]:
    """The string constants of `source`'s code (not its docstrings) that spell a desk's mark."""
    if not any(mark in source for mark in MARKS):
        return []  # most modules: not parsed (the whole of bot/ took 0.8 s)
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and any(mark in node.value for mark in MARKS)
    ]


def test_no_code_of_bot_spells_a_desks_mark() -> None:
    spelt = {
        str(path.relative_to(BOT.parent)): found
        for path in sorted(BOT.rglob("*.py"))
        if (found := marks_spelt(path.read_text(encoding="utf-8")))
    }
    assert spelt == {}


def test_the_check_finds_a_mark_in_code_and_not_in_a_docstring() -> None:
    source = '"""「佐藤 花子 (Chatwoot)」."""\nMARK = " (Chatwoot)"\nf"{name} (Slack {user})"\n'
    assert marks_spelt(source) == [" (Chatwoot)", " (Slack "]
