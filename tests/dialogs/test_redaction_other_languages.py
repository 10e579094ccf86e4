"""A password after the password word of another language is masked (attacker11).

A subscriber of another language, or one copying a template from elsewhere, types the word in
their own language: 「密码是sakura2008」「비밀번호는 Kq7xyz99 입니다」 'mi contraseña es
tulip4242', 'Mein Passwort ist hanako77', 'mon mot de passe est rose9911'. Each was stored as
typed (SQLite file, WAL, transcript, the desk's summary), for the masking read Japanese and
English frames only. Ordinary sentences in those languages stay as typed: 'Mein Passwort ist
falsch', 'mi contraseña es incorrecta', 「비밀번호는 iPhone에 저장돼 있어요」.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import MASK, names_a_password, redact


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("密码是sakura2008", f"密码是{MASK}"),
        ("我的密码：Kq7xyz99", f"我的密码：{MASK}"),
        ("密码 hanako77", f"密码 {MASK}"),
        ("密碼是Kq7xyz99", f"密碼是{MASK}"),
        ("密码是sakura", f"密码是{MASK}"),
        ("비밀번호는 Kq7xyz99 입니다", f"비밀번호는 {MASK} 입니다"),
        ("비밀번호는 sakura2008입니다", f"비밀번호는 {MASK}입니다"),
        ("비밀번호: sakura", f"비밀번호: {MASK}"),
        ("비번 hanako77", f"비번 {MASK}"),
        ("mi contraseña es tulip4242", f"mi contraseña es {MASK}"),
        ("Contraseña: Kq7xyz99", f"Contraseña: {MASK}"),
        ("contraseña: sakura", f"contraseña: {MASK}"),
        ("Mein Passwort ist hanako77.", f"Mein Passwort ist {MASK}."),
        ("Das Passwort lautet Kq7-xyz!9", f"Das Passwort lautet {MASK}"),
        ("Kennwort: sakura2008", f"Kennwort: {MASK}"),
        ("mon mot de passe est rose9911", f"mon mot de passe est {MASK}"),
        ("mot de passe : Kq7xyz99", f"mot de passe : {MASK}"),
        ("c’est mon mot de passe: Rose9911", f"c’est mon mot de passe: {MASK}"),
        ("senha: sakura2008", f"senha: {MASK}"),
        ("пароль: hanako77", f"пароль: {MASK}"),
    ],
)
def test_a_password_after_another_languages_word_is_masked(typed: str, stored: str) -> None:
    assert redact(typed) == (stored, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Mein Passwort ist falsch",
        "das Passwort ist zu kurz",
        "Passwort vergessen",
        "mi contraseña es incorrecta",
        "mi contraseña es la misma",
        "olvidé mi contraseña",
        "contraseña de Gmail",
        "contraseña: olvidé",
        "contraseña es sunshine",
        "mon mot de passe est bloqué",
        "mon mot de passe est incorrect",
        "mot de passe: oublié",
        "J'ai oublié mon mot de passe",
        "비밀번호는 iPhone에 저장돼 있어요",
        "비밀번호 변경은 어떻게 하나요",
        "密码忘记了",
        "密码是什么？",
        "我的密码在Outlook里",
        "密码 Outlook 里面保存的",
        "密码错误 0x800CCC92",
        "passwort für Outlook",
        "Passwort ist Windows10",
        "contraseña del correo taro@vp.117.ne.jp",
        "mot de passe pour vpop.117.ne.jp",
    ],
)
def test_an_ordinary_sentence_in_another_language_stays_as_typed(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


@pytest.mark.parametrize(
    "first", ["密码是", "我的密码：", "비밀번호는", "비밀번호", "Mein Passwort ist", "contraseña:"]
)
def test_the_word_at_the_end_names_the_next_message(first: str) -> None:
    assert names_a_password(first)
    assert redact("sakura2008", named_before=True) == (MASK, True)


@pytest.mark.parametrize(
    "sentence", ["Mein Passwort ist falsch", "olvidé mi contraseña", "密码忘记了"]
)
def test_a_whole_sentence_in_another_language_names_nothing(sentence: str) -> None:
    assert not names_a_password(sentence)
