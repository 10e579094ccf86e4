"""An agent's password put before the word, or followed by a note in brackets, is refused too.

Agents hand a subscriber a password in their own phrasings. 'Kq7xyz99 is your new
password', 「Kq7xyz99 が仮パスワードです」 and 'Your password is sakura (all lower case)'
were sent as written: the first two were not even masked in the transcript (a token before
the word counted only before 'is my' / 'is the' password), and the third was masked but
not refused (the sentence had to end at the password).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import gives_a_password, redact

REFUSED = [
    "Kq7xyz99 is your password.",
    "Kq7xyz99 is your new password.",
    "Kq7xyz99 is your temporary password",
    "Kq7xyz99 will be your new password.",
    "Kq7xyz99 が仮パスワードです。",
    "Kq7xyz99 が初期パスワードです。",
    "Your password is sakura (all lower case).",
    "Your temporary password is sakuraabc (lower case).",
    "仮パスワードは sakuraabc（すべて小文字）です。",
]
SENT = [
    "Your password is unchanged (the same as before).",
    "Your password is required (the one you use today).",
    "The password is case-sensitive (upper and lower case differ).",
    "Windows10 is your computer's system, not your password.",
    "Outlook2016 is your mail program; the password is the one you use today.",
]


@pytest.mark.parametrize("text", REFUSED)
def test_a_password_given_in_these_phrasings_is_refused_and_masked(text: str) -> None:
    assert gives_a_password(text)
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked
    assert "sakura" not in masked


@pytest.mark.parametrize("text", SENT)
def test_sentences_about_passwords_are_still_sent(text: str) -> None:
    assert not gives_a_password(text)
