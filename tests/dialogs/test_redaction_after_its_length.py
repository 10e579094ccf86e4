"""A password given after its length is masked: 'my password is eight characters: Kq7xyz99'.

The length said first was read as the password ('eight' masked, the password after it kept as
typed); since 'eight characters' is read as a length, nothing was masked at all, and the
subscriber was not warned either. The token after the length is now the password.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import redact

GIVEN_AFTER_ITS_LENGTH = [
    "my password is eight characters: Kq7xyz99",
    "my password is 8 characters: Kq7xyz99",
    "my password is eight characters long, Kq7xyz99",
    "My password is twelve letters, it's Kq7xyz99",
    "the password has eight characters: Kq7xyz99",
    "password is eight characters. It is Kq7xyz99",
    "my password is twelve characters and it is Kq7xyz99",
]


@pytest.mark.parametrize("text", GIVEN_AFTER_ITS_LENGTH)
def test_the_password_after_its_length_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        "my password is eight characters long",
        "my password is eight characters and it does not work",
        "the password has 8 characters, is that enough?",
        # Every number word a secret's length (four or more letters) could be.
        "my password is three characters too short",
        "my password is forty characters long",
        "my password is fifty characters long",
        "my password is sixty characters long",
    ],
)
def test_a_length_alone_masks_nothing(text: str) -> None:
    assert redact(text) == (text, False)
