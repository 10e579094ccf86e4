"""words, fourth round: a program's status pasted, praise after the card, politeness first.

Apple's status 「ネットワークオフライン」 beside the account was the account's question;
「ばっちりです」 'perfect, thanks!' under 「解決しましたか？」, 「設定は117netのままです」 at the
sending-server question, 「ご案内の件で確認したいことがあります」 as a first message and
「@も入れるんですか」 where the address is asked for were not understood.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver, at_stage

_TO_THE_CARD = ("yes", "no", "skip", "program:thunderbird", "yes")


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.start(locale)
    return driver


def test_a_network_offline_status_is_a_connection_problem(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs, "ja")
    unreached = _started(profile, catalogs, "ja")
    driver.type("メールのアカウントの横に「ネットワークオフライン」と出てます")
    unreached.type("サーバーに接続できません")
    # Before: the account name's answer (「アカウント名（ユーザー名）は…」).
    assert driver.said() == unreached.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("ja", "ばっちりです"), ("ja", "完璧です！ありがとうございます"), ("en", "perfect, thanks!")],
)
def test_praise_under_the_question_is_solved(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _started(profile, catalogs, locale)
    pressed = _started(profile, catalogs, locale)
    for d in (driver, pressed):
        for choice in _TO_THE_CARD:
            d.press(choice)
    driver.type(typed)
    pressed.press("feedback:solved")
    assert driver.said() == pressed.said()


def test_the_providers_settings_kept_is_its_server(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    texts = catalogs.with_variants(profile.text_variants)
    driver = at_stage(profile, texts, "ja", Stage.Q3_USES_OUR_SMTP)
    pressed = at_stage(profile, texts, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type("設定は117netのままです")
    pressed.press("yes")
    assert driver.state.stage is pressed.state.stage
    assert driver.state.answers == pressed.state.answers


def test_a_polite_opener_is_answered_not_misunderstood(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs, "ja")
    driver.type("ご案内の件で確認したいことがあります")
    assert catalogs("ja", "not_understood") not in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "typed"),
    [("ja", "@も入れるんですか"), ("en", "do I need the whole thing with the @?")],
)
def test_whether_to_type_the_whole_address_is_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _started(profile, catalogs, locale)
    driver.press("yes")
    driver.press("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(typed)
    assert driver.said().startswith(catalogs(locale, "address.which", domain="vp.117.ne.jp"))
