"""A password corrected in the same message, in the words people use to correct (review).

cf703dc masked the corrected password after 「違った」「間違えた」「じゃなくて」…, but a
correction opened with 「いや、」 (「…でした。いや、間違えました、taro4321です」), said in the
present (「あ、ちがう、もみじ56です」), in the past negative (「…、じゃなかった、momiji2010」)
or with 「いや」 alone (「「はなこ77」、いや「はなこ78」かも」) kept the second password as typed.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

CORRECTED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("パスワードはもみじ55です、あ、ちがう、もみじ56です", ("もみじ55", "もみじ56")),
    ("パスワードはもみじ55です。違う、もみじ56です", ("もみじ55", "もみじ56")),
    ("パスワードはtaro1234でした。いや、間違えました、taro4321です", ("taro1234", "taro4321")),
    ("パスワードはmomiji2009、じゃなかった、momiji2010", ("momiji2009", "momiji2010")),
    ("パスワードはmomiji2009、ではなかったです、momiji2010です", ("momiji2009", "momiji2010")),
    ("パスワードは「はなこ77」、いや「はなこ78」かも", ("はなこ77", "はなこ78")),
    ("パスワードはhanako77です。いえ、hanako78でした", ("hanako77", "hanako78")),
)

# After a correction word, what is no password stays.
STAYS: tuple[tuple[str, str], ...] = (
    ("パスワードははなこ77です。いや、メールは届いています", "メールは届いています"),
    ("パスワードははなこ77です。ちがう、IDのほうです", "IDのほうです"),
)


@pytest.mark.parametrize(("typed", "pieces"), CORRECTED)
def test_a_corrected_password_is_masked_too(typed: str, pieces: tuple[str, ...]) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    for piece in pieces:
        assert piece not in masked


@pytest.mark.parametrize(("typed", "kept"), STAYS)
def test_what_follows_a_correction_word_and_is_no_password_stays(typed: str, kept: str) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert masked.endswith(kept)
