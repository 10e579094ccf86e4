"""Kana with digits after the word, followed by a particle, is masked (review).

「パスワードははなこ77です」 was masked, but the same password before 「で」「に」「なんです」
「って」 or after 「を」 was kept as typed: 「パスワードははなこ77でログインできません」,
「…はなこ77で合っていますか？」 (16f40ab masked the kana alone asked so, not with its digits),
「パスワードをはなこ77に変えました」, 「…はなこ77なんですが」, 「…はなこ77って入れてます」.
An agent's 「パスワードははなこ77で合っていますか？」 was sent as written.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, gives_a_password, redact

KEPT_BEFORE: tuple[str, ...] = (
    "パスワードははなこ77でログインできません",
    "パスワードははなこ77で合っていますか？",
    "パスワードははなこ77で合ってますよね？",
    "パスワードははなこ77でいいですか",
    "パスワードははなこ77にしました",
    "パスワードをはなこ77に変えました",
    "パスワードははなこ77なんですが",
    "パスワードははなこ77って入れてます",
    "パスワードはさくら2009でやってみましたがだめでした",
)

# Length and kinds said with digits: no password.
STAYS: tuple[str, ...] = (
    "パスワードはアルファベット12文字です",
    "パスワードを2回間違えました",
    "パスワードはひらがな8文字で合っていますか",
    "パスワードを変更しました",
)


@pytest.mark.parametrize("typed", KEPT_BEFORE)
def test_kana_and_digits_before_a_particle_are_masked(typed: str) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert not any(digit in masked for digit in "0123456789")


@pytest.mark.parametrize("typed", STAYS)
def test_what_says_a_length_or_a_mistake_stays(typed: str) -> None:
    assert redact(typed, analyser=japanese_analyser()) == (typed, False)


def test_an_agent_asking_with_the_password_is_refused() -> None:
    assert gives_a_password("パスワードははなこ77で合っていますか？", analyser=japanese_analyser())
