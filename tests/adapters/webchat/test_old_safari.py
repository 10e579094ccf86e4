"""The subscribers' pages parse in Safari before 16.4 (iOS 15 and 16.0-16.3, still on many
older iPhones): it has no regular-expression look-behind, and one in a script is a syntax
error that stops the whole script, so the chat would show nothing at all. Chromium, which
the browser tests run, has look-behind, so the scripts are read for it here."""

from __future__ import annotations

import re
from importlib import resources
from typing import Final

import pytest

SCRIPTS: Final = (
    ("adapters.webchat", "static/chat.js"),
    ("adapters.webchat", "static/embed.js"),
    ("bot.mailcheck", "static/check_page.js"),
)
LOOK_BEHIND: Final = re.compile(r"\(\?<[=!]")


@pytest.mark.parametrize(("package", "name"), SCRIPTS)
def test_no_script_of_a_subscribers_page_uses_look_behind(package: str, name: str) -> None:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if LOOK_BEHIND.search(line)
    ]
    assert found == []
