"""The sending server that changes, named at the question whether it is used (dialog9).

At 「117netのメールサーバーを設定して、メールを送信していますか？」 the old server named after
a "no" (「いいえ、vsです」, 'no, the old one', 'no, the provider's server') was the no that keeps
the sending settings as they are: the server that stops was left in the program.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


def at_the_sending_server_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    return driver


@pytest.mark.parametrize(
    ("locale", "text", "answer"),
    [
        # A "no" with the server named: neither answer, asked again.
        ("ja", "いいえ、vsです", None),
        ("ja", "いいえ、vsのままです", None),
        ("ja", "いいえ、古いほうです", None),
        ("ja", "vsのままです", "yes"),
        ("en", "no, the old one", "yes"),
        ("en", "no, still the old one", "yes"),
        ("en", "no, the provider's server", "yes"),
        # Said not to be it: a no as before.
        ("en", "no, not the old one", "no"),
        ("en", "no, not the provider's server", "no"),
    ],
)
def test_the_old_server_named_after_a_no_is_not_the_no(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, answer: str | None
) -> None:
    driver = at_the_sending_server_question(profile, catalogs, locale)
    driver.type(text)
    assert driver.state.answers.get(Stage.Q3_USES_OUR_SMTP.value) == answer
    if answer is None:
        assert driver.state.stage is Stage.Q3_USES_OUR_SMTP


def to_the_card(driver: Driver) -> Driver:
    while driver.state.stage is not Stage.ASK_ADDRESS:
        driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    return driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "はい、vs.117.ne.jpです"),
        ("ja", "vs.117.ne.jpで送ってます"),
        ("en", "yes, vs.117.ne.jp"),
    ],
)
def test_the_old_server_named_in_the_yes_is_not_asked_for_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # The outgoing server's name was asked for after the program, though it had been given.
    driver = at_the_sending_server_question(profile, catalogs, locale)
    driver.type(text)
    assert driver.state.answers[Stage.Q3_USES_OUR_SMTP.value] == "yes"
    to_the_card(driver)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert "vs.117.ne.jp" in driver.said()
    assert "vsmtp.117.ne.jp" in driver.said()


def test_the_old_server_named_ahead_at_the_network_question_is_not_asked_for_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type("会社からも送るし、vs.117.ne.jpを使ってます")
    assert driver.state.answers[Stage.Q3_USES_OUR_SMTP.value] == "yes"
    to_the_card(driver)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_yes_without_the_name_still_asks_for_it(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = to_the_card(at_the_sending_server_question(profile, catalogs, locale))
    assert driver.state.stage is Stage.ASK_SMTP_HOST


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        ("ja", "・送信サーバー：vsmtp.117.ne.jp（今はvs.117.ne.jp）"),
        ("en", "• Outgoing server: vsmtp.117.ne.jp (currently vs.117.ne.jp)"),
    ],
)
def test_the_other_programs_guide_says_what_the_outgoing_server_is_now(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, line: str
) -> None:
    # As its incoming line does (「受信サーバー：vpop.117.ne.jp（今はvp.117.ne.jp）」).
    driver = at_the_sending_server_question(profile, catalogs, locale)
    while driver.state.stage is not Stage.ASK_ADDRESS:
        driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    driver.press(f"program:{MailProgram.OTHER.value}")
    driver.press("yes")
    assert line in driver.said().splitlines()


def test_the_other_programs_guide_keeps_the_choice_where_the_server_is_not_known(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_the_sending_server_question(profile, catalogs, "ja")
    while driver.state.stage is not Stage.ASK_ADDRESS:
        driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    driver.press(f"program:{MailProgram.OTHER.value}")
    driver.press("unsure")
    assert (
        "・送信サーバー：今がvs.117.ne.jpならvsmtp.117.ne.jp、それ以外は今のまま" in driver.said()
    )


@pytest.mark.parametrize(
    ("locale", "text", "answer"),
    [
        ("ja", "いや、前のやつです", None),
        ("ja", "いいえ、プロバイダーのです", None),
        ("en", "no, the one from 117net", "yes"),
        ("en", "no, your old server", "yes"),
        ("en", "no, my provider's", "yes"),
        ("en", "no, the old vs one", "yes"),
        # The company's, not the provider's old one.
        ("en", "no, the old one from work", "no"),
    ],
)
def test_the_old_server_named_in_more_words_after_a_no(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, answer: str | None
) -> None:
    driver = at_the_sending_server_question(profile, catalogs, locale)
    driver.type(text)
    assert driver.state.answers.get(Stage.Q3_USES_OUR_SMTP.value) == answer
