"""Kana sent after 「パスワードは」 behind a hedge is masked (review).

「パスワードは」 then 「はなこ77」 or 「さくら」 was masked, and a hedge sent alone (「たしか」)
left the password named for the next message; but the hedge and the kana in one message,
「たしか、はなこ77です」「ええと、さくらです」, were stored as typed (the ASCII readings took
a hedge before the token; the kana ones did not).
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

MASKED: tuple[tuple[str, str], ...] = (
    ("たしか、はなこ77です", "はなこ77"),
    ("えーと、はなこ77", "はなこ77"),
    ("多分　はなこ77です", "はなこ77"),
    ("ええと、さくらです", "さくら"),
    ("たしか、はなこです", "はなこ"),
    ("えっと、「もみじ」です", "もみじ"),
    ("たしか「はなこ77」", "はなこ77"),
    ("もみじ55、いや、もみじ56です", "もみじ5"),
    ("「もみじ55」、じゃなくて、もみじ56", "もみじ5"),
    ("たしか、はなこ77。メールが届きません", "はなこ77"),
    ("はなこ77なんですが", "はなこ77"),
    ("はなこ77なのですが、ログインできません", "はなこ77"),
    ("はなこ77にしました", "はなこ77"),
    ("はなこ77と入れました", "はなこ77"),
    ("はなこ77でログインできません", "はなこ77"),
)

STAYS: tuple[str, ...] = (
    "たしか、わかりません",
    "えーと、忘れました",
    "あの、すみません",
    "ええと、ちょっとまってください",
    "たしかそうです",
    "えーと、メールは2通です",
    "あと10分待ってください",
)


@pytest.mark.parametrize(("typed", "password"), MASKED)
def test_kana_behind_a_hedge_after_the_word_is_masked(typed: str, password: str) -> None:
    masked, found = redact(typed, named_before=True, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert password not in masked


@pytest.mark.parametrize("typed", STAYS)
def test_a_hedge_before_an_answer_stays(typed: str) -> None:
    assert redact(typed, named_before=True, analyser=japanese_analyser()) == (typed, False)
