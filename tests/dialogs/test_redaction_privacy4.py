"""The last passwords kept as typed (privacy4), and the sentences about passwords that stay.

Last session's note left kana after a full-width space stored as typed when its first kana
is a particle's (「パスワード　はなこ」: 「なこ」 read as a verb). Each row is read as the
runtime reads it, with the morphological analyser.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

# (what is typed, whether the message before named a password, the password's pieces).
PASSWORDS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    # The review's list.
    ("パスワード\u3000はなこ", False, ("はなこ",)),
    ("パスワード\u3000はなこです", False, ("はなこ",)),
    ("パスワード\u3000わかなです", False, ("わかな",)),
)

# Sentences about passwords, ordinary answers: each stays whole.
LOOK_ALIKES: tuple[tuple[str, bool], ...] = (
    ("password: see below", False),
    ("パスワードは半角です", False),
    ("パスワードは不明です", False),
    ("パスワードは英数字です", False),
    ("パスワードはわかりません", False),
    ("パスワード\u3000はわかりません", False),
    ("パスワードはこれで合っていますか？", False),
    ("パスワードはそのままでいいですか", False),
    ("パスワードは孫の名前です", False),
    ("パスワードは孫の名前で、わかりません", False),
    ("mostly webmail", True),
    ("wakaranai desu", True),
    ("not working", True),
    ("sounds good", True),
)


@pytest.mark.parametrize(("typed", "named_before", "pieces"), PASSWORDS)
def test_a_password_leaves_no_piece_of_itself(
    typed: str, named_before: bool, pieces: tuple[str, ...]
) -> None:
    masked, found = redact(typed, named_before=named_before, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    for piece in pieces:
        assert piece not in masked


@pytest.mark.parametrize(("typed", "named_before"), LOOK_ALIKES)
def test_a_look_alike_stays_as_typed(typed: str, named_before: bool) -> None:
    assert redact(typed, named_before=named_before, analyser=japanese_analyser()) == (
        typed,
        False,
    )
