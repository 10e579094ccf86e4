"""A password typed in kana with its digits is masked; kana words and counts are not.

「パスワードはさくら2008です」 (the letters of 'sakura2008' typed as they are said) was kept as
typed: the secret after the word was read as ASCII only, and stopped at the kana.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import MASK, redact


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("パスワードはさくら2008です", f"パスワードは{MASK}です"),
        ("パスワードは さくら2008", f"パスワードは {MASK}"),
        ("パスワード：サクラ2008", f"パスワード：{MASK}"),
        ("パスワードは「さくら2008」です", f"パスワードは「{MASK}」です"),
        ("ﾊﾟｽﾜｰﾄﾞはｻｸﾗ2008です", f"ﾊﾟｽﾜｰﾄﾞは{MASK}です"),
        ("パスワードはさくら２００８です", f"パスワードは{MASK}です"),
        ("パスワードはさくら2008だと思います", f"パスワードは{MASK}だと思います"),
        ("my password is さくら2008", f"my password is {MASK}"),
    ],
)
def test_a_password_in_kana_and_digits_is_masked(typed: str, masked: str) -> None:
    assert redact(typed) == (masked, True)


@pytest.mark.parametrize(
    "typed",
    [
        "パスワードは８文字です",
        "パスワードは2回間違えました",
        "パスワードはメール2通目に書いてあります",
        "パスワードはわかりません",
        "パスワードはひらがなでOKですか？",
        "パスワードはいつもの2つです",
    ],
)
def test_kana_words_and_counts_after_the_word_stay(typed: str) -> None:
    assert redact(typed) == (typed, False)
