"""What the import contracts cannot see: a clock, chance, I/O or an import by name in code.

`dialogs is pure` (pyproject.toml) forbids the modules that do I/O or read the clock (`time`,
`os`, `asyncio`, ...), but `datetime` must stay (dates are the domain) and builtins are
imported by nobody. So this reads the source: in `dialogs`, no `datetime.now()` or
`date.today()` (called, or handed on as a default argument or a default factory: the moment
is the turn's `Context`, given by `bot`), no `uuid1`/`uuid4`, no `open`/`print`/`input`, and
nowhere in the product an import by name (`importlib.import_module`, `__import__`), by which
`bot` could reach `adapters` past the layers contract. Channels are found through their entry
points (`bot.channels.registry`), which is the one way `bot` runs an adapter.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
# A clock read or chance: a pure function's result would depend on when or how often it ran.
CLOCK_OR_CHANCE: Final = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.datetime.fromtimestamp",
        "datetime.datetime.utcfromtimestamp",
        "datetime.date.today",
        "datetime.date.fromtimestamp",
        "uuid.uuid1",
        "uuid.uuid4",
    }
)
IO_BUILTINS: Final = frozenset(
    {"builtins.open", "builtins.print", "builtins.input", "builtins.breakpoint"}
)
IMPORT_BY_NAME: Final = frozenset(
    {
        "builtins.__import__",
        "importlib.import_module",
        "importlib.__import__",
        "importlib.util.spec_from_file_location",
        "importlib.util.module_from_spec",
        "runpy.run_module",
        "runpy.run_path",
        "pkgutil.iter_modules",
        "pkgutil.walk_packages",
    }
)
# What a module must spell to use one of them (the rest are not parsed).
SPELT_CLOCK_OR_IO: Final = re.compile(
    r"\.(now|utcnow|today|fromtimestamp|utcfromtimestamp)\b|\b(uuid[14]|breakpoint)\b"
    r"|\b(open|print|input)\s*\(|=\s*(open|print|input)\b"
)
SPELT_IMPORT_BY_NAME: Final = re.compile(
    r"\b(__import__|import_module|spec_from_file_location|module_from_spec|run_module|run_path"
    r"|iter_modules|walk_packages)\b"
)
BUILTIN_NAMES: Final = frozenset({"open", "print", "input", "breakpoint", "__import__"})
# Each exception, with why it may stay (a report names the move that would end it).
ALLOWED: Final = {
    # `python -m dialogs.diagram < profile.toml` (docs/profiles.md): its `__main__` block
    # reads standard input and prints; `mailmove profile diagram FILE` is the bot's way.
    ("dialogs/diagram.py", "builtins.print"),
}


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Each name a module's imports bind, mapped to what it names (`dt` -> `datetime`)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    if node.id in aliases:
        base = aliases[node.id]
    elif node.id in BUILTIN_NAMES:
        base = f"builtins.{node.id}"
    else:
        return None
    return ".".join([base, *reversed(parts)])


def names_used(source: str, forbidden: frozenset[str]) -> list[str]:
    """The forbidden names `source` calls or refers to (a reference counts: a default
    argument or `default_factory=dt.datetime.now` reads the clock all the same)."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
            dotted = _dotted(node, aliases)
            if dotted in forbidden:
                found.append(dotted)
    return found


def _offences(
    package: str, forbidden: frozenset[str], spelt: re.Pattern[str]
) -> dict[str, list[str]]:
    offences = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        source = path.read_text("utf-8")
        if not spelt.search(source):
            continue  # most modules: not parsed (all three packages took 4 s)
        name = str(path.relative_to(ROOT))
        used = [n for n in names_used(source, forbidden) if (name, n) not in ALLOWED]
        if used:
            offences[name] = sorted(set(used))
    return offences


def test_dialogs_reads_no_clock_draws_no_chance_and_does_no_io() -> None:
    assert _offences("dialogs", CLOCK_OR_CHANCE | IO_BUILTINS, SPELT_CLOCK_OR_IO) == {}


def test_no_package_of_the_product_imports_a_module_by_name() -> None:
    for package in ("dialogs", "bot", "adapters"):
        assert _offences(package, IMPORT_BY_NAME, SPELT_IMPORT_BY_NAME) == {}, package


def test_the_check_sees_a_clock_in_a_default_and_an_import_by_name() -> None:
    source = (
        "import datetime as dt\n"
        "from datetime import date\n"
        "import importlib\n"
        "from dataclasses import field\n"
        "def turn(now: dt.datetime = dt.datetime.now()) -> None: ...\n"
        "when = field(default_factory=date.today)\n"
        "importlib.import_module('adapters.slack')\n"
        "__import__('adapters')\n"
        "print(now)\n"
        "today = context.today  # a field called today is no clock\n"
    )
    assert SPELT_CLOCK_OR_IO.search(source)
    assert SPELT_IMPORT_BY_NAME.search(source)
    assert sorted(names_used(source, CLOCK_OR_CHANCE | IO_BUILTINS | IMPORT_BY_NAME)) == [
        "builtins.__import__",
        "builtins.print",
        "datetime.date.today",
        "datetime.datetime.now",
        "importlib.import_module",
    ]
