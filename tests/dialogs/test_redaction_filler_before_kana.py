"""A filler between 「パスワードは」 and a password of kana and digits keeps it masked.

「パスワードはね、はなこ55」 and 「パスワードはえーと、さくら2008です」 were kept as typed: only a
hedge (たしか, たぶん …) was read between the word and the password.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

MASKED = (
    ("パスワードはね、はなこ55", f"パスワードはね、{MASK}"),
    ("パスワードはえーと、さくら2008です", f"パスワードはえーと、{MASK}です"),
    ("パスワードは、えっと、はる2008", f"パスワードは、えっと、{MASK}"),
    ("パスワードはうーん、すみれ77だったかな", f"パスワードはうーん、{MASK}だったかな"),
)
KEPT = (
    "パスワードはね、わからないんです",
    "パスワードはえーと、忘れました",
    "パスワードはね、2回まちがえました",
)


@pytest.mark.parametrize(("text", "stored"), MASKED)
def test_a_password_after_a_filler_is_masked(text: str, stored: str) -> None:
    assert redact(text, analyser=japanese_analyser())[0] == stored


@pytest.mark.parametrize("text", KEPT)
def test_words_after_a_filler_stay(text: str) -> None:
    assert redact(text, analyser=japanese_analyser())[0] == text
