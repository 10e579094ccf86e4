"""'sever' after the word that makes it a server is read as 'server' (dialogs.understanding)."""

from __future__ import annotations

import pytest

from dialogs.understanding import forget_normalised, normalise


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("whats the new pop sever", "what's the new pop server"),
        ("POP3 severs are down", "pop3 servers are down"),
        ("the smtp sever!", "the smtp server!"),
        ("they sever the line", "they sever the line"),
        ("はい", "はい"),
    ],
)
def test_sever_after_a_server_word_is_a_server(typed: str, read: str) -> None:
    forget_normalised()
    assert normalise(typed) == read
