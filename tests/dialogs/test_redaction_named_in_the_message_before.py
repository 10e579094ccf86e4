"""A message that ends on the password's field, or on what the password is, names it (review).

「パスワードの欄に」 then 「はなこ77と入れました」, and 「パスワードは孫の名前で」 then
「はなこです」 were stored as typed: neither first message was read as naming a password for
the next one (「パスワードは」「パスワードを」 were).
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, names_a_password, redact

PAIRS: tuple[tuple[str, str, str], ...] = (
    ("パスワードの欄に", "はなこ77と入れました", "はなこ77"),
    ("パスワード欄に", "hanako77と入力しました", "hanako77"),
    ("パスワードは孫の名前で", "はなこです", "はなこ"),
    ("パスワードは、犬の名前の", "「ぽち」です", "ぽち"),
)

NOT_NAMING: tuple[str, ...] = (
    "パスワードは孫の名前です",
    "パスワード欄に何を入れればいいですか",
    "パスワードの欄がありません",
)


@pytest.mark.parametrize(("first", "second", "password"), PAIRS)
def test_the_next_message_is_read_as_the_password(first: str, second: str, password: str) -> None:
    assert names_a_password(first)
    masked, found = redact(second, named_before=True, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert password not in masked


@pytest.mark.parametrize("typed", NOT_NAMING)
def test_a_whole_sentence_names_nothing_after_it(typed: str) -> None:
    assert not names_a_password(typed)
