"""The words a profile gives the chat follow the catalogs' rules for Japanese text."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from tests.dialogs.test_catalog_words import _SPACED, _bare

ROOT: Final = Path(__file__).parents[2]
# examples/117net.toml is a link to the default profile: each file once.
PROFILES: Final = sorted(
    {path.resolve() for path in (ROOT / "examples").glob("*.toml")}
    | {ROOT / "bot" / "ops" / "default_profile.toml"}
)


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, str):
        yield where, value


@pytest.mark.parametrize("path", PROFILES, ids=lambda path: path.name)
def test_no_space_between_full_and_half_width_characters(path: Path) -> None:
    # The desk's contact reached the subscriber as 「担当者へのお問い合わせは、117net 会員サポート
    # 窓口（…）までお願いします。」 inside a catalog sentence written without such spaces.
    with path.open("rb") as file:
        profile = tomllib.load(file)
    spaced = {
        where: found
        for where, text in _strings(profile, "")
        if (found := _SPACED.findall(_bare(text)))
    }
    assert not spaced, spaced
