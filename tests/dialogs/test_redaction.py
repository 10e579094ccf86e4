"""A password typed into the chat is masked before it is stored, and the subscriber warned."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.redaction import MASK, redact
from dialogs.state import Signal
from dialogs.vocabulary import TextReply
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("パスワードは abc123! です", "abc123!"),
        ("password: hunter22", "hunter22"),
        ("my password is Sakura-4kz!", "Sakura-4kz!"),
        ("パスワード：ｘｙｚ１２３４", "xyz1234"),
        ("PW abcd1234", "abcd1234"),
    ],
)
def test_a_typed_password_is_masked(typed: str, secret: str) -> None:
    masked, found = redact(typed)
    assert found
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "question",
    ["パスワードは変わりますか？", "Will my password change?", "パスワード", "password is same"],
)
def test_questions_about_passwords_are_left_alone(question: str) -> None:
    assert redact(question) == (question, False)


def test_the_dialog_warns_and_carries_on(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("パスワードは abc123! です")
    assert Signal.SECRET_TYPED in driver.last.signals
    texts = " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert "abc123!" not in texts
    assert driver.offered()[:3] == ["yes", "no", "unsure"]
