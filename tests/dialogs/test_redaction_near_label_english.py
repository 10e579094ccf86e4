"""A password a few English words after the word is masked, as a Japanese one is.

'my password, which is Kq7xyz99, does not work', 'my password (it's Kq7xyz99) is
rejected', 'the password I use, Kq7xyz99, is rejected', 'my password? Kq7xyz99' were stored
and shown as typed: only a token right after the word (or its "is", "was", a colon) was read,
while Japanese has `_NEAR_LABEL` (a letters-and-digits token a few words on).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import redact

NEAR_THE_WORD = [
    "my password, which is Kq7xyz99, does not work",
    "my password (it's Kq7xyz99) is rejected",
    "the password I use, Kq7xyz99, is rejected",
    "my password is the same: Kq7xyz99",
    "my password? Kq7xyz99",
    "my password is my cat's name tama2010",
]


@pytest.mark.parametrize("text", NEAR_THE_WORD)
def test_the_password_a_few_words_on_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked, masked
    assert "tama2010" not in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        "my password is rejected with error 0x800CCC92",
        "password rejected by vpop.117.ne.jp on port 110",
        "the password for taro@vp.117.ne.jp does not work",
        "my password does not work in Outlook 2016",
        "password does not work. I use Windows 10 and Thunderbird",
        "which password do I use for the new server?",
    ],
)
def test_sentences_without_a_password_stay(text: str) -> None:
    assert redact(text) == (text, False)
