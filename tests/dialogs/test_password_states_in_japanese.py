"""A password's state said in English inside a Japanese sentence is no password.

2374f69 reads 「パスワードは<letters>です」 as the password handed over, whatever English word
the letters are (「パスワードはtestです」 was kept). The states a program shows or a person
says of a password in English were then masked too: 「パスワードはsameです」 (it stays the
same) got 'do not type your password here' where it got the answer that the password does
not change, and an agent's 「パスワードはunchangedです。」 was refused.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import gives_a_password, redact

STATES = [
    "パスワードはsameです",
    "パスワードはunchangedです",
    "パスワードはinvalidです",
    "パスワードはincorrectです",
    "パスワードはerrorになります",
    "パスワードはunknownです",
    "パスワードはnoneです",
    "パスワードはhiddenです",
    "パスワードは「invalid」でした",
]


@pytest.mark.parametrize("typed", STATES)
def test_a_state_in_english_is_kept_as_typed(typed: str) -> None:
    assert redact(typed) == (typed, False)


@pytest.mark.parametrize("said", ["パスワードはunchangedです。", "仮パスワードはsameです。"])
def test_an_agents_state_in_english_is_sent(said: str) -> None:
    assert not gives_a_password(said)


@pytest.mark.parametrize(
    "typed", ["パスワードはtestです", "パスワードは「mail」でした", "パスワードはsakuraです"]
)
def test_a_word_that_is_no_state_is_still_masked(typed: str) -> None:
    assert redact(typed)[1]


@pytest.mark.parametrize("said", ["仮パスワードはtestです", "仮パスワードは sakuraabc です"])
def test_an_agents_word_that_is_no_state_is_still_refused(said: str) -> None:
    assert gives_a_password(said)
