"""`pattern_search` on a Python whose `re` keeps its parse tree elsewhere, or shaped otherwise.

`re._parser` is private: CPython renamed it once (`sre_parse` until 3.11) and may again, and
another Python need not have it. Without it, or with a tree the walk does not know, every
pattern is searched by `re` as it is: the reading imports and matches as before, only slower.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType, SimpleNamespace

import pytest

import dialogs.pattern_search

TEXT = "x" * 1500 + "メールが送れません。受信はできます 0x800ccc0f 535 5.7.8 authentication failed"
PATTERNS = [
    re.compile(r"受信(?:が|は)?(?:でき|出来)(?:ます|る)"),
    re.compile(r"(?:メール|めーる)が\s*送れ"),
    re.compile(r"0x800ccc0[ef]|535 5\.7\.[0-9]"),
    re.compile(r"(?<=が)送れ(ない|ません)"),
]


def _fresh_copy(monkeypatch: pytest.MonkeyPatch, name: str) -> ModuleType:
    """The module loaded again under `name`, with what sys.modules holds now."""
    spec = importlib.util.spec_from_file_location(name, dialogs.pattern_search.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def _same(module: ModuleType) -> None:
    for pattern in PATTERNS:
        ours, theirs = module.search(pattern, TEXT), pattern.search(TEXT)
        assert theirs is not None
        assert ours is not None
        assert (ours.span(), ours.groups()) == (theirs.span(), theirs.groups())


def test_without_res_parser_every_pattern_is_searched_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # None in sys.modules makes `import re._parser` raise ImportError, as on a Python without it.
    monkeypatch.setitem(sys.modules, "re._parser", None)
    monkeypatch.setitem(sys.modules, "re._constants", None)
    _same(_fresh_copy(monkeypatch, "pattern_search_without_parser"))


def test_a_parse_tree_of_another_shape_leaves_the_pattern_to_re(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _fresh_copy(monkeypatch, "pattern_search_other_tree")
    # A parser whose result has no `state` and whose items are not (op, value) pairs.
    monkeypatch.setattr(
        module, "sre_parse", SimpleNamespace(parse=lambda source, flags: SimpleNamespace(data=[1]))
    )
    _same(module)
