"""What a mail program shows about the password is told, not typed as one.

'I keep getting a wrong password message' masked 'message': the transcript lost the trouble
the subscriber told, and the dialog read it as a password typed. A password beside those
words is still masked.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

TOLD = (
    "I keep getting a wrong password message",
    "my password message keeps popping up",
    "wrong password message again",
    "the password messages keep coming",
    "the password warning shows up",
    "a password alert comes up",
    "password notification every minute",
)
TYPED = (
    ("my password is message123", "message123"),
    ("パスワードはmessageです", "message"),
    ("password: Message7", "Message7"),
    ("wrong password message again, my password is Kq7xyz99", "Kq7xyz99"),
)


@pytest.mark.parametrize("text", TOLD)
def test_a_programs_message_about_the_password_stays(text: str) -> None:
    assert redact(text, analyser=japanese_analyser())[0] == text


@pytest.mark.parametrize(("text", "password"), TYPED)
def test_a_password_beside_those_words_is_masked(text: str, password: str) -> None:
    masked = redact(text, analyser=japanese_analyser())[0]
    assert password not in masked
    assert MASK in masked
