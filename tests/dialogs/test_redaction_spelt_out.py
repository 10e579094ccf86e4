"""A password spelt out a character at a time after its word is masked whole.

Typed so to be read carefully, 「パスワードは　Ｑ ａ ７０１ ｚ ９ ９　です」 and
'password: Q x 717 z 9 9' were stored as typed (attacker9): the pieces, one character each,
are shorter than a secret (`_SECRET`, four characters) and than the pieces of a password split
in two (`_SPLIT_SECRET`, two). Sentences whose words are short stay whole.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

# (what is typed, what is kept of it)
SPELT: tuple[tuple[str, str], ...] = (
    ("パスワードは　Ｑ ａ ７０１ ｚ ９ ９　です", f"パスワードは　{MASK}　です"),
    ("パスワードは Q a 7 0 1 z 9 9 です", f"パスワードは {MASK} です"),
    ("password: Q x 717 z 9 9", f"password: {MASK}"),
    ("my password is k q 7 x y z 9 9", f"my password is {MASK}"),
    ("pw: 1 2 3 4 5 6", f"pw: {MASK}"),
    ("パスワード：「Ｋ ｑ ７ ｘ」です", f"パスワード：「{MASK}」です"),
    ('my password is "K q 7 x".', f'my password is "{MASK}".'),
)

KEPT: tuple[str, ...] = (
    "my password is in my Mac too",
    "password is a 4 or 5 digit number",
    "the password is 8 to 12 characters",
    "パスワードは 8 文字です",
    "password: I do not know",
)


@pytest.mark.parametrize(("text", "kept"), SPELT)
def test_a_password_spelt_out_is_masked_whole(text: str, kept: str) -> None:
    assert redact(text, analyser=japanese_analyser()) == (kept, True)


@pytest.mark.parametrize("text", KEPT)
def test_short_words_after_the_word_are_kept(text: str) -> None:
    assert redact(text, analyser=japanese_analyser()) == (text, False)


# (what is typed, what is kept of it) after a message that named the password's word
# (「パスワードは」, 'my password is'), or with the word after it.
SPELT_ALONE: tuple[tuple[str, str], ...] = (
    ("Q x 7 1 6 z 9 9", MASK),
    ("Ｑ ｘ ７ １ ６ ｚ ９ ９", MASK),
    ("k q 7 x y z 9 9 です", f"{MASK} です"),
)
SPELT_BEFORE: tuple[tuple[str, str], ...] = (
    ("Q x 7 1 6 z 9 9 is my password", f"{MASK} is my password"),
    ("Ｑ ｘ ７ １ ６ ｚ ９ ９ がパスワードです", f"{MASK} がパスワードです"),
)


@pytest.mark.parametrize(("text", "kept"), SPELT_ALONE)
def test_a_password_spelt_out_after_its_word_is_masked(text: str, kept: str) -> None:
    assert redact(text, announced=True, analyser=japanese_analyser()) == (kept, True)
    assert redact(text, named_before=True, analyser=japanese_analyser()) == (kept, True)


@pytest.mark.parametrize(("text", "kept"), SPELT_BEFORE)
def test_a_password_spelt_out_before_its_word_is_masked(text: str, kept: str) -> None:
    assert redact(text, analyser=japanese_analyser()) == (kept, True)


@pytest.mark.parametrize("text", ["a b c", "I do it", "1 2 3", "Q x 7 1 6 z 9 9"])
def test_letters_alone_with_no_word_are_kept(text: str) -> None:
    # Nothing named a password: 'a b c d' may be a list, an answer, a keyboard test.
    assert redact(text, analyser=japanese_analyser()) == (text, False)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("パスワード（半角）Kq7xyz99", f"パスワード（半角）{MASK}"),
        ("パスワード(英数字)Kq7xyz99です", f"パスワード(英数字){MASK}です"),
        ("パスワード（半角英数字）：Kq7xyz99", f"パスワード（半角英数字）：{MASK}"),
    ],
)
def test_a_password_right_after_a_note_on_its_word_is_masked(text: str, kept: str) -> None:
    # A provider's letter copied: the note in brackets closes the field's name.
    assert redact(text, analyser=japanese_analyser()) == (kept, True)


@pytest.mark.parametrize("text", ["パスワード（8文字以上）は変えていません", "パスワード(P)を入力"])
def test_words_after_a_note_on_the_word_are_kept(text: str) -> None:
    assert redact(text, analyser=japanese_analyser()) == (text, False)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("my password has a space: Kq7 xyz99", f"my password has a space: {MASK}"),
        ("my password contains a space: Kq7 xyz99", f"my password contains a space: {MASK}"),
        ("password (with a space): Kq7 xyz99", f"password (with a space): {MASK}"),
        (
            "パスワードにスペースが入っています：Kq7 xyz99",
            f"パスワードにスペースが入っています：{MASK}",
        ),
    ],
)
def test_a_password_in_pieces_after_words_said_of_it_is_masked(text: str, kept: str) -> None:
    # A password with a space, said to have one before a colon (attacker9: kept as typed).
    assert redact(text, analyser=japanese_analyser()) == (kept, True)


@pytest.mark.parametrize(
    "text",
    [
        "password reset steps: go to settings",
        "Password requirements: at least 8 characters",
        "my password was changed by: the help desk",
        # Names after a colon that no space was said of (reviewer26: masked, and the
        # subscriber warned of a password typed).
        "my password was changed by: Sato san",
        "password expired on: 12 March",
        "パスワードを聞かれる機種：AQUOS sense8",
        "パスワードが通らないスマホ：Galaxy S23",
        "パスワードを変えたのは：Yamada Taro",
    ],
)
def test_words_after_a_colon_said_of_the_password_are_kept(text: str) -> None:
    assert redact(text, analyser=japanese_analyser()) == (text, False)
