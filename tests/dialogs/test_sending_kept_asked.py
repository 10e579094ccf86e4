"""「送信の設定は変えなくていいの？」 after a verdict that said sending needs no change.

Who sends through another company's outgoing server (the seed's Q3 "no") is told
「送信の設定：変更の必要はありません」; asking back whether that is so was answered with the new
servers' table (vsmtp.117.ne.jp, port 587, SMTP authentication), the change they had just been
told not to make. Now: no change, why, and when it would be needed after all; who sends
through the provider's server still hears the new servers.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

ASKED = {
    "ja": [
        "送信の設定は変えなくていいの？",
        "送信の設定も変更が必要ですか",
        "送信サーバーは変えなくていいんですか",
        "送信はそのままで大丈夫ですか",
    ],
    "en": [
        "Don't I need to change the sending settings?",
        "Do I need to change my outgoing settings?",
        "So I keep my outgoing server as it is?",
    ],
}
KEPT = {
    "ja": "送信の設定は変えなくて大丈夫です",
    "en": "Your sending settings do not need to change",
}
WHY = {"ja": "ほかの会社の送信サーバー", "en": "another company's outgoing server"}


def answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, our_smtp: str
) -> Driver:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 1))
    driver.start(locale)
    driver.press("yes")  # a mail program
    driver.press("yes")  # another network
    driver.press(our_smtp)  # the provider's outgoing server?
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_sending_kept_is_confirmed_not_answered_with_the_new_server(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    for text in ASKED[locale]:
        driver = answered(profile, catalogs, locale, "no")
        driver.type(text)
        said = driver.said()
        assert KEPT[locale] in said, (text, said)
        assert WHY[locale] in said, (text, said)
        assert profile.outgoing.new_host not in said, (text, said)
        assert "587" not in said, (text, said)
        # Asked at the address question, which is asked again.
        assert driver.state.stage is Stage.ASK_ADDRESS


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_who_sends_through_the_provider_still_hears_the_new_servers(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = answered(profile, catalogs, locale, "yes")
    driver.type(ASKED[locale][0])
    assert KEPT[locale] not in driver.said()


HEDGED = {
    "ja": "117netの送信サーバーをお使いの場合は",
    "en": "If you send through 117net's outgoing server",
}
OTHER_KEEPS = {
    "ja": "ほかの会社の送信サーバーをお使いの場合は、今回の移行で送信の設定を変える必要は",
    "en": "another company's outgoing server, this migration does not ask you to change",
}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_sending_problem_at_the_outgoing_server_question_is_hedged_until_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # At 「117netのメールサーバーを設定して、メールを送信していますか？」, unanswered: the fix
    # is the provider's server's, and the other company's server changes nothing.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 1))
    driver.start(locale)
    driver.press("yes")  # a mail program
    driver.press("yes")  # another network
    driver.type({"ja": "メールが送れません", "en": "I can't send email"}[locale])
    said = driver.said()
    assert HEDGED[locale] in said
    assert OTHER_KEEPS[locale] in said
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_sending_problem_at_the_first_question_keeps_the_plain_fix(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Not at that question: the answer as it was (the questions on screen ask the rest).
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 1))
    driver.start(locale)
    driver.type({"ja": "メールが送れません", "en": "I can't send email"}[locale])
    assert HEDGED[locale] not in driver.said()
