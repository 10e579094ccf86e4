"""An agent's sentence that compares the new password with the old one is sent, not refused.

'Your new password is longer.' ends, after 'new password is', on a word of letters alone
that no list of English predicates held: it was refused as the password it might be, while
'Your new password is long.' was sent. A comparative or superlative of such an adjective
('longer', 'safest', 'easier', 'bigger', 'better') says how the password is, it gives none.
"""

from __future__ import annotations

from typing import Final

import pytest

from dialogs.redaction import gives_a_password

COMPARED: Final = (
    "longer", "longest", "shorter", "stronger", "strongest", "weaker", "safer", "safest",
    "simpler", "easier", "harder", "better", "best", "worse", "bigger", "larger", "tougher",
    "newer", "older", "more", "less", "securer",
)  # fmt: skip


@pytest.mark.parametrize("word", COMPARED)
def test_a_password_compared_with_another_is_sent(word: str) -> None:
    assert not gives_a_password(f"Your new password is {word}.")
    assert not gives_a_password(f"Your password is {word} now.")
    assert not gives_a_password(f"Your new password is {word} (12 characters).")


@pytest.mark.parametrize(
    "text",
    [
        "Your new password is tiger.",
        "Your temporary password is flower.",
        "New password: silverest",
        "Your new password is lingerer.",
    ],
)
def test_a_word_ending_like_a_comparative_is_still_refused(text: str) -> None:
    assert gives_a_password(text)
