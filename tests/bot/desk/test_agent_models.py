"""Agent names from elsewhere (Slack's display names) held to the agent API's rule."""

from __future__ import annotations

import pytest

from bot.desk.agent_models import visible_name


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        # A bidi control inside a name is dropped, as the engine drops it from words: made a
        # space, it parted one name in two (「山 田」).
        ("山\u202e田", "山田"),
        ("Ta\u2066ro\u2069 Yamada", "Taro Yamada"),
        # A line break or another control character still parts two words.
        ("山田\nsystem", "山田 system"),
        ("鈴木\t花子", "鈴木 花子"),
    ],
)
def test_a_name_keeps_its_words_as_they_show(given: str, shown: str) -> None:
    assert visible_name(given) == shown
