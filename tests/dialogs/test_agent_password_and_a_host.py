"""An agent naming another service's server after the word 「パスワード」 gives no password.

「パスワードは mail.google.com では使えません」 (the subscriber's 117net password does not work
at Gmail) was refused in the console, the agent API and Slack (422, 'must not hold a
password'), and a Chatwoot agent's reply saying so was kept masked in the transcript: a host
name after the word reads as a password written with dots (b76d867), and its dots as the
symbols of an issued one. A host the sentence goes on to place (で・では・から・の・用・と…)
is where the password is used, not the password; one handed over (です, に変更しました) and
every password written with dots stay refused, and masked.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, gives_a_password, mask_given, redact

DOMAINS = ("vp.117.ne.jp", "vpop.117.ne.jp")
NAMES = ("117net",)  # the profile's provider name, as the desks pass it

ADVICE = [
    "パスワードは mail.google.com では使えません",
    "パスワードはmail.google.comでは使えません。117netのパスワードをお使いください",
    "パスワードは「mail.google.com」では使えません",
    "パスワードは、gmail.com では使えません",
    "パスワードは Gmail.com 用とは別です",
    "パスワードは accounts.google.com から再設定してください",
    "パスワードは outlook.office365.com の画面で入力します",
    "パスワードは smtp.gmail.com のものと違います",
    "パスワードを mail.yahoo.co.jp に入力しないでください",
    "パスワード：mail.google.com では使えません",
    "パスワードは mail.google.com と 117net で別々です",
    "パスワードはgmail.comやyahoo.co.jpとは別です",
]
GIVEN = [
    # A password with dots, handed over or said to be the one.
    "パスワードは my.pass.99 です",
    "パスワードは my.pass.99 では使えません",
    "仮パスワードは abc.def.ghi です",
    "仮パスワードは sakura.mochi.jp です",
    "パスワードは sakura.mochi.jp になります",
    "パスワードは sakura.mochi.jp となります",
    "パスワードを sakura.mochi.jp に変更しました",
    "パスワードは sakura.mochi.jp でログインしてください",
    "パスワードは sakura.mochi.jp で お試しください",
    # Given with で, の, に, と as well (reviewer27: each was let through unmasked).
    "仮パスワードは sakura.mochi.jp で、ログインできます",
    "仮パスワードは sakura.mochi.jp のままです",
    "パスワードは sakura.mochi.jp に変わりました",
    "新しいパスワードは sakura.mochi.jp となっております",
    "パスワードは sakura.mochi.jp と入力してください",
    "パスワードは sakura.mochi.jp でお願いします",
    "パスワードは sakura.mochi.jp で入れます",
    "パスワードは sakura.mochi.jp の通りです",
    "Your new password is mail.google.com.",
    "pw: Pass.word.77",
    "仮パスワードは Kq7xyz99 です",
]


@pytest.mark.parametrize("text", ADVICE)
def test_a_host_the_sentence_places_is_no_password(text: str) -> None:
    analyser = japanese_analyser()
    assert not gives_a_password(text, names=NAMES, domains=DOMAINS, analyser=analyser)
    assert mask_given(text, names=NAMES, domains=DOMAINS, analyser=analyser) == text


@pytest.mark.parametrize("text", GIVEN)
def test_a_password_with_dots_is_still_refused_and_masked(text: str) -> None:
    analyser = japanese_analyser()
    assert gives_a_password(text, names=NAMES, domains=DOMAINS, analyser=analyser)
    assert MASK in mask_given(text, names=NAMES, domains=DOMAINS, analyser=analyser)
    assert redact(text, domains=DOMAINS, analyser=analyser)[1]
