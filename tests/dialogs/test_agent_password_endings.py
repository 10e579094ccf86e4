"""An agent's letters-only password is refused whatever its ending, as '-ed' and '-ing' are.

Any word after 'Your new password is' ending in '-ful', '-ous', '-ive', '-less', '-able',
'-ent', '-ant' or '-ary' was taken for an English adjective and the message sent, so a
password of letters alone such as 'wonderful' or 'elegant' reached the subscriber as typed
(subscriber9's leftover). Like '-ed' (`_DONE_TO_IT`) and '-ing' (`_GOING_ON`), the states an
agent writes of a password are now a list; any other such word is masked, and the message
refused: when unsure, mask.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import gives_a_password, redact


@pytest.mark.parametrize(
    "word",
    [
        "wonderful", "beautiful", "famous", "marvelous", "massive", "festive", "endless",
        "fearless", "elegant", "brilliant", "dictionary", "sanctuary", "adorable", "horrible",
        "excellent",
    ],
)  # fmt: skip
def test_a_letters_only_password_with_an_adjectives_ending_is_refused(word: str) -> None:
    assert gives_a_password(f"Your temporary password is {word}.")
    assert gives_a_password(f"Your new password is {word}")


@pytest.mark.parametrize(
    "word",
    [
        # The states agents write of a password, with those endings: sent as before.
        "active", "inactive", "different", "invalid", "valid", "sensitive", "case-sensitive",
        "available", "unavailable", "visible", "invisible", "usable", "unusable", "reusable",
        "permanent", "important", "necessary", "temporary", "mandatory", "optional",
        "current", "incorrect", "correct", "useless", "effective", "ineffective", "present",
        "absent", "insecure", "confidential", "editable", "changeable", "recoverable",
        "expirable", "identical", "consistent", "inconsistent", "successful", "unsuccessful",
        "compatible", "incompatible", "acceptable", "unacceptable", "independent",
        "dependent", "irrelevant", "relevant", "obsolete",
    ],
)  # fmt: skip
def test_a_state_said_of_the_password_is_sent(word: str) -> None:
    assert not gives_a_password(f"Your new password is {word}.")


@pytest.mark.parametrize(
    "text",
    [
        "my password is eight characters",
        "The password is twelve letters long.",
        "my password was ten digits",
        "Your new password is sixteen characters long.",
    ],
)
def test_a_length_spelt_out_is_no_password(text: str) -> None:
    # 'eight' before 'characters' counts the password; it was masked (subscriber9's leftover).
    assert redact(text) == (text, False)
    assert not gives_a_password(text)


@pytest.mark.parametrize(
    "text",
    ["my password is eight", "The password is twelve.", "my password is eight!"],
)
def test_a_number_word_alone_is_still_masked(text: str) -> None:
    # When unsure, mask: a number word with nothing counted after it may be the password.
    assert redact(text)[1]
