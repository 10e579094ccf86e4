"""Pass phrases and passwords in other scripts are masked (attacker12).

Typed into the web chat of `mailmove serve`, 「パスワードは correct horse battery staple です」,
'my password is correct horse battery staple', 'password Пароль123', 「パスワードは пароль
です」 and 'password: Ünïcødé99' were stored as typed (the SQLite file, its WAL, the transcript
agents read) and the subscriber got no warning: 'correct' is a state said in Japanese and a
word of English, so the words were read as a sentence about the password, and every pattern
read a run of ASCII. Of 'my password is purple monkey dishwasher river tiger' only 'purple'
was masked. Sentences about a password, in English and in other languages, stay as typed.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

_ANALYSER = japanese_analyser()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("パスワードは correct horse battery staple です", f"パスワードは {MASK} です"),
        ("パスワード：correct horse battery staple", f"パスワード：{MASK}"),
        ("パスワードはcorrect horse battery stapleです", f"パスワードは{MASK}です"),
        ("パスワードは「correct horse battery staple」です", f"パスワードは「{MASK}」です"),
        ("password: correct horse battery staple", f"password: {MASK}"),
        ("password: Correct Horse Battery Staple", f"password: {MASK}"),
        ("my password is correct horse battery staple", f"my password is {MASK}"),
        ('the password is "correct horse battery staple"', f'the password is "{MASK}"'),
        ("my password is probably correct horse battery staple", f"my password is probably {MASK}"),
        (
            "my password is correct horse battery staple but it fails",
            f"my password is {MASK} but it fails",
        ),
        (
            "パスワードは correct horse battery staple ですが、ログインできません",
            f"パスワードは {MASK} ですが、ログインできません",
        ),
        ("my password is purple monkey dishwasher river tiger", f"my password is {MASK}"),
        ("correct horse battery staple is my password", f"{MASK} is my password"),
        ("「correct horse battery staple」がパスワードです", f"「{MASK}」がパスワードです"),
        (
            "i think purple monkey dishwasher is my password",
            f"i think {MASK} is my password",
        ),
        ("PW: correct-horse battery staple", f"PW: {MASK}"),
        ("パスワード→correct horse battery staple", f"パスワード→{MASK}"),
        ("パスワード（半角）: correct horse battery staple", f"パスワード（半角）: {MASK}"),
        (
            "パスワードを correct horse battery staple にしました",
            f"パスワードを {MASK} にしました",
        ),
        (
            "パスワードに correct horse battery staple と入れました",
            f"パスワードに {MASK} と入れました",
        ),
        ("password was set to correct horse battery staple", f"password was set to {MASK}"),
        ("my password is now purple monkey dishwasher", f"my password is now {MASK}"),
        (
            "my password is correct horse battery staple (all lowercase)",
            f"my password is {MASK} (all lowercase)",
        ),
        (
            "パスワードは\u3000correct\u3000horse\u3000battery\u3000staple\u3000です",
            f"パスワードは\u3000{MASK}\u3000です",
        ),
    ],
)
def test_a_pass_phrase_after_or_before_the_word_is_masked(typed: str, stored: str) -> None:
    assert redact(typed, analyser=_ANALYSER) == (stored, True)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("password Пароль123", f"password {MASK}"),
        ("パスワードは пароль です", f"パスワードは {MASK} です"),
        ("パスワードはпарольです", f"パスワードは{MASK}です"),
        ("パスワードは ПарольПароль です", f"パスワードは {MASK} です"),
        ("password: κωδικός", f"password: {MASK}"),
        ("password: Ünïcødé99", f"password: {MASK}"),
        ("password: tréssecret99", f"password: {MASK}"),
        ("пароль: Соколик77", f"пароль: {MASK}"),
        ("パスワードは סיסמה123 です", f"パスワードは {MASK} です"),
        ("password: كلمة123", f"password: {MASK}"),
        ("パスワードは ไทย1234 です", f"パスワードは {MASK} です"),
        ("パスワードは 사랑해123 です", f"パスワードは {MASK} です"),
        ("password: Σ3cr3t!", f"password: {MASK}"),
    ],
)
def test_a_password_in_another_script_is_masked(typed: str, stored: str) -> None:
    assert redact(typed, analyser=_ANALYSER) == (stored, True)


@pytest.mark.parametrize(
    "typed", ["correct horse battery staple", "correct horse battery staple です", "Пароль123"]
)
def test_the_message_after_the_word_alone_is_masked(typed: str) -> None:
    # 「パスワードは」 sent, then the password alone.
    masked, found = redact(typed, named_before=True, announced=True, analyser=_ANALYSER)
    assert found
    assert MASK in masked
    assert not any(word in masked for word in ("horse", "Пароль"))


@pytest.mark.parametrize(
    "sentence",
    [
        "my password is not working anymore",
        "my password is correct but it fails",
        "パスワードは same as before です",
        "パスワードは incorrect user name です",
        "パスワードは SMTP AUTH です",
        "password is rejected every time",
        "password is case sensitive",
        "my password was changed last week by my son",
        "password is saved in outlook",
        "password: see attached screenshot",
        "my password is the same as my gmail one",
        "the password is stored in my iphone keychain",
        "my password is shown as dots in thunderbird",
        "password prompt keeps popping up every time",
        "it is rejected every time is my password",
        "the mail settings page is the password page",
        "Το password μου δεν λειτουργεί",
        "password 잊어버렸어요",
        "password is set to expire next month",
        "password is rejected every time (since yesterday)",
        "password changed to the new one yesterday",
        "パスワードに all lowercase を使っています",
        "パスワードに記号は使えますか",
        "пароль: неверный",
        "contraseña: olvidé",
        "mot de passe: oublié",
    ],
)
def test_a_sentence_about_the_password_is_kept_as_typed(sentence: str) -> None:
    assert redact(sentence, analyser=_ANALYSER) == (sentence, False)


@pytest.mark.parametrize("typed", ["wakaranai desu yo", "iie chigaimasu yo"])
def test_romaji_said_after_the_word_alone_is_kept(typed: str) -> None:
    # A sentence in romaji, as `_words_continue` reads it: no pass phrase.
    assert redact(typed, named_before=True, announced=True, analyser=_ANALYSER) == (typed, False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Only 「crème」 was masked, the other words and their kanji kept (attacker12's finds).
        ("パスワードは crème brûlée です", f"パスワードは {MASK} です"),
        ("パスワードは 中文密码123 です", f"パスワードは {MASK} です"),
        ("パスワードは correct・horse・battery・staple です", f"パスワードは {MASK} です"),
        ("password: correct, horse, battery, staple", f"password: {MASK}"),
        ("パスワードは sakura mochi（小文字）です", f"パスワードは {MASK}（小文字）です"),
        ("password: tr0ub4dor & 3", f"password: {MASK}"),
        # The note's bracket was eaten with the password: 「********小文字）です」.
        ("パスワードは Kq7xyz99（小文字）です", f"パスワードは {MASK}（小文字）です"),
    ],
)
def test_a_password_with_its_words_marks_or_kanji_is_masked_whole(typed: str, stored: str) -> None:
    assert redact(typed, analyser=_ANALYSER) == (stored, True)


@pytest.mark.parametrize(
    "typed",
    [
        "パスワードは最大128です",
        "パスワードは半角16文字までです",
        "パスワードは 8文字です",
        "my password is wrong (again)",
        "password: too long (20 letters)",
        "the password is incorrect & I cannot log in",
        "パスワードは間違っています（3回目）",
        "パスワードは平成20年に決めました",
        "password: see below, thanks, bye",
    ],
)
def test_sentences_with_brackets_kanji_and_marks_stay_as_typed(typed: str) -> None:
    assert redact(typed, analyser=_ANALYSER) == (typed, False)
