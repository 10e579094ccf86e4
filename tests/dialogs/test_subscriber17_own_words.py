"""Whole conversations typed in the subscriber's own words (subscriber17's round).

Read wrong before: 「いいえ、家だけです」 at the sending-server question, after a yes to the
network question, was 「わからない」 (the earlier answer changed, and nothing said so);
「外ではドコモです」 there was 「うまく読み取れませんでした」.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import LOCATION_CHOICE, Locale
from tests.dialogs.driver import Driver


def _at_the_server_question(profile: MigrationProfile, catalogs: Catalogs, locale: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    driver.press("yes")
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    return driver


@pytest.mark.parametrize(
    "typed", ["いいえ、家だけです", "家だけです", "いえ、自宅だけです", "やっぱり家だけです"]
)
def test_only_at_home_at_the_server_question_changes_the_network_answer(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_server_question(profile, catalogs, "ja")
    driver.type(typed)
    said = driver.said()
    assert driver.state.answers["q2_other_network"] == "no"
    assert "q3_uses_our_smtp" not in driver.state.answers
    assert "「いいえ」に変えて" in said
    assert "117net以外のプロバイダや" in said
    assert "うまく読み取れませんでした" not in said


def test_the_changed_network_answer_is_one_back_away(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at_the_server_question(profile, catalogs, "ja")
    driver.type("いいえ、家だけです")
    driver.type("戻る")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers


def test_only_at_home_in_english_changes_the_network_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at_the_server_question(profile, catalogs, "en")
    driver.type("no, only at home")
    assert driver.state.answers["q2_other_network"] == "no"
    assert "changed your answer" in driver.said()


@pytest.mark.parametrize("typed", ["家のパソコンだけです", "家だけじゃないです"])
def test_home_words_that_do_not_deny_the_other_line_change_nothing(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_server_question(profile, catalogs, "ja")
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "yes"


@pytest.mark.parametrize("typed", ["外ではドコモです", "外ではau", "外ではソフトバンクです"])
def test_the_line_away_from_home_at_the_server_question_is_said_back_and_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_server_question(profile, catalogs, "ja")
    driver.type(typed)
    said = driver.said()
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.answers["q2_other_network"] == "yes"
    assert "q3_uses_our_smtp" not in driver.state.answers
    assert "うまく読み取れませんでした" not in said
    assert "「はい」とお答えいただいています" in said
    assert "117netのメールサーバーを設定して、メールを送信していますか？" in said


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("はい使ってます", "yes"),
        ("メールソフトを使っています", "yes"),
        ("すみません、会社のパソコンでも家のパソコンでもメールを使っているのですが", "yes"),
        ("yes, I use a mail program", "yes"),
    ],
)
def test_a_first_message_that_answers_the_first_question_is_taken(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    # On LINE and Slack it got the greeting and the first question, as if nothing was said.
    driver = Driver(profile, catalogs)
    driver.first_message(typed)
    said = driver.said()
    assert driver.state.answers["q1_mail_program"] == answer
    assert driver.state.stage is not Stage.Q1_MAIL_PROGRAM
    assert "117net" in said.splitlines()[0]  # greeted first
    assert "戻る" in said or "back" in said  # said back: one 「戻る」 undoes it


@pytest.mark.parametrize("typed", ["はい", "こんにちは", "yes", "いいえ、使っていません"])
def test_a_first_message_that_answers_nothing_asked_yet_gets_the_question(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert "q1_mail_program" not in driver.state.answers


def _at_the_address_question(
    profile: MigrationProfile, catalogs: Catalogs, first: str = "はい"
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(first)
    driver.press("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    return driver


@pytest.mark.parametrize("typed", ["2016です", "2019です", "2016年版です", "outlook2016です"])
def test_a_year_after_outlook_was_named_is_the_classic_outlook(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「Outlookです」, then 「2016です」 at the address question, before which Outlook was
    # asked: 「うまく読み取れませんでした」, and the Outlook question came all the same.
    driver = _at_the_address_question(profile, catalogs, "Outlookです")
    driver.type(typed)
    said = driver.said()
    assert "うまく読み取れませんでした" not in said
    assert "従来のOutlook" in said
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.stage is not Stage.ASK_OUTLOOK_KIND


@pytest.mark.parametrize(
    "typed", ["はい、117netのを使っています", "はい、そうです", "はい使ってます"]
)
def test_a_yes_in_words_at_the_address_question_asks_for_the_address_helpfully(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # An answer to a question the bot skipped (the sending server's, after 「いいえ」 to the
    # network one) was 「うまく読み取れませんでした」 alone: now what to type, as for 「はい」.
    driver = _at_the_address_question(profile, catalogs)
    driver.type(typed)
    said = driver.said()
    assert "うまく読み取れませんでした" not in said
    assert "「@vp.117.ne.jp」で終わる" in said
    assert driver.state.stage is Stage.ASK_ADDRESS


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_location_is_thanked_for_not_taken_for_a_photo(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # A LINE location message got 「写真や音声などは、こちらでは見たり聞いたり…」.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press(LOCATION_CHOICE)
    said = driver.said()
    assert said.startswith(catalogs.raw(locale, "location.seen"))
    assert catalogs.raw(locale, "media.unreadable") not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(
    "typed",
    [
        "会社のパソコンでも家のパソコンでもメールを使っているのですが",
        "家のパソコンでも会社のパソコンでも使っています",
    ],
)
def test_both_places_computers_answer_the_network_question_ahead(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「会社でも家でも…」 was a yes ahead; with each place's computer named it was not, and
    # the network question was asked after what the subscriber had said.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(typed)
    assert driver.state.answers["q1_mail_program"] == "yes"
    assert driver.state.answers["q2_other_network"] == "yes"
    assert "戻る" in driver.said()


def test_an_earlier_answer_said_again_at_the_address_question_is_said_to_be_kept(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「117netのサーバーです」 after the verdict, at the address question, was 「うまく読み
    # 取れませんでした」 alone: it repeats the sending-server question's yes.
    driver = _at_the_server_question(profile, catalogs, "ja")
    driver.press("yes")
    driver.press("yes")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type("117netのサーバーです")
    said = driver.said()
    assert "うまく読み取れませんでした" not in said
    assert "「はい」とお答えいただいています" in said
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.answers["q3_uses_our_smtp"] == "yes"


@pytest.mark.parametrize(
    ("presses", "typed"),
    [
        (2, "家ではブロックされていません"),
        (3, "家ではブロックされていません"),
        (2, "いいえ、家では使いません"),
        (3, "家は117netのサーバーだけです"),
    ],
)
def test_words_about_the_question_on_screen_never_change_the_network_answer(
    profile: MigrationProfile, catalogs: Catalogs, presses: int, typed: str
) -> None:
    # 「家ではブロックされていません」 at the blocking question answers it, of home: taken for
    # the network's no it would lower the change needed.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for _ in range(presses):
        driver.press("yes")
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "yes"
    assert "変えて" not in driver.said()
