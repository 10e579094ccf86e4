"""words, second round: what a subscriber who is not technical types at each point.

Each was not understood, or read as something else: 「メールがきません」 (来ません in kana),
「それはないです」, 「んー、ないかな」, 「LTEでも使います」, 「会社のシステム担当に確認します」,
「ウィンドウズのメール」 and 「パソコンのメールソフトです、青い封筒のマーク」 (asked which phone),
'I think so yes', 「メールアドレスってどれ？」 (a question the bot could not answer), after the
card 「やってみたけどできない」「確認してほしい」「わかりにくい」「息子が来たら見せます」, and
after a failed login check 'what now?' and 「あきらめます」.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SystemEvent
from tests.dialogs.driver import Driver, at_stage

_TO_THE_CARD = ("yes", "no", "skip", "program:thunderbird", "yes")


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.start(locale)
    return driver


def _at(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, stage: Stage) -> Driver:
    return at_stage(profile, catalogs.with_variants(profile.text_variants), locale, stage)


def _at_the_card(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = _started(profile, catalogs, locale)
    for choice in _TO_THE_CARD:
        driver.press(choice)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


def _after_a_failed_check(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = _started(profile, catalogs, locale)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    if driver.state.stage is not Stage.SETTINGS_DELIVERED:
        driver.press("yes")
    driver._run(event=SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "ok"))))
    return driver


def test_mail_that_does_not_come_in_kana_is_the_receiving_problem(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    typed = _started(profile, catalogs, "ja")
    written = _started(profile, catalogs, "ja")
    typed.type("メールがきません、きのうから")
    written.type("メールが来ません、昨日から")
    # Before: 「うまく読み取れませんでした」 and the first question again.
    assert typed.said() == written.said()
    assert typed.state.stage is not Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("stage", "typed", "answer"),
    [
        (Stage.Q2_OTHER_NETWORK, "それはないです", "no"),
        (Stage.Q2_OTHER_NETWORK, "いいえそうではありません", "no"),
        (Stage.Q2_OTHER_NETWORK, "んー、ないかな", "unsure"),
        (Stage.Q2_OTHER_NETWORK, "外では4Gで送ることもあります", "yes"),
        (Stage.Q2_OTHER_NETWORK, "LTEでも使います", "yes"),
    ],
)
def test_answers_in_their_own_words_are_read_and_said_back(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage, typed: str, answer: str
) -> None:
    driver = _at(profile, catalogs, "ja", stage)
    pressed = _at(profile, catalogs, "ja", stage)
    driver.type(typed)
    pressed.press(answer)
    assert catalogs("ja", "not_understood") not in driver.said()
    assert driver.state.stage is pressed.state.stage
    assert driver.state.answers == pressed.state.answers


def test_i_think_so_yes_is_the_yes(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _at(profile, catalogs, "en", Stage.Q3_USES_OUR_SMTP)
    pressed = _at(profile, catalogs, "en", Stage.Q3_USES_OUR_SMTP)
    driver.type("I think so yes")
    pressed.press("yes")
    assert driver.state.stage is pressed.state.stage
    assert driver.state.answers == pressed.state.answers


def test_asking_someone_at_work_is_a_wait(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type("会社のシステム担当に確認します")
    assert driver.state.stage is Stage.Q4_OP25B
    assert catalogs("ja", "not_understood") not in driver.said()
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(
    ("typed", "choice"),
    # The new Outlook since words12: it replaced Windows' own Mail app.
    [
        ("ウィンドウズのメール", "program:outlook_new"),
        ("ウインドウズ10のメール", "program:outlook_new"),
    ],
)
def test_windows_mail_in_katakana_is_the_program(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, choice: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    pressed = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    for d in (driver, pressed):
        d.press("no")
        d.press("skip")
    driver.type(typed)
    pressed.press(choice)
    # Before: 「スマートフォンのメールアプリですね。iPhoneとAndroidのどちらを…」.
    assert driver.state.stage is pressed.state.stage is not Stage.ASK_PROGRAM


def test_a_computers_program_by_its_envelope_icon_is_no_phone(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    computer = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    for d in (driver, computer):
        d.press("no")
        d.press("skip")
    driver.type("パソコンのメールソフトです、青い封筒のマーク")
    computer.type("パソコンのメールソフトです")
    assert "スマートフォン" not in driver.said()
    assert driver.said() == computer.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "メールアドレスってどれ？"),
        ("ja", "どこに書いてありますか"),
        ("en", "which address?"),
    ],
)
def test_which_address_is_explained_where_it_is_asked_for(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    driver.press("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(typed)
    # Before: 「申し訳ありません、そのご質問にはうまくお答えできませんでした。」.
    assert driver.said().startswith(catalogs(locale, "address.which", domain="vp.117.ne.jp"))
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.offered() == ["skip"]


@pytest.mark.parametrize(
    "typed", ["やってみたけどできない", "設定したのにできません", "わかりにくい"]
)
def test_tried_and_still_failing_after_the_card_is_not_solved(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_card(profile, catalogs, "ja")
    pressed = _at_the_card(profile, catalogs, "ja")
    driver.type(typed)
    pressed.press("feedback:unsolved")
    assert driver.said() == pressed.said()


def test_check_it_for_me_after_the_card_is_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at_the_card(profile, catalogs, "ja")
    pressed = _at_the_card(profile, catalogs, "ja")
    driver.type("確認してほしい")
    pressed.press("check")
    assert driver.state.stage is pressed.state.stage
    assert catalogs("ja", "not_understood") not in driver.said()


def test_shown_to_a_son_later_is_a_wait(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _at_the_card(profile, catalogs, "ja")
    driver.type("息子が来たら見せます")
    said = driver.said()
    assert catalogs("ja", "not_understood") not in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize("typed", ["what now?", "now what?", "what should I do?"])
def test_what_now_after_a_failed_check_says_what_to_do_about_it(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _after_a_failed_check(profile, catalogs, "en")
    driver.type(typed)
    # Before: 'Sorry, I could not answer that question.'
    assert driver.said().startswith(catalogs("en", "check.what_now"))


@pytest.mark.parametrize(("locale", "typed"), [("ja", "あきらめます"), ("en", "I give up")])
def test_giving_up_after_a_failed_check_is_offered_a_person(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _after_a_failed_check(profile, catalogs, locale)
    person = _after_a_failed_check(profile, catalogs, locale)
    driver.type(typed)
    person.type("まだだめです" if locale == "ja" else "still not working")
    # Before: 「うまく読み取れませんでした」.
    assert driver.said() == person.said()
