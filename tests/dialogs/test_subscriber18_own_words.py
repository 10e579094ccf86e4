"""Whole conversations typed in the subscriber's own words (subscriber18's round).

Read wrong before:
- 「外ではドコモを使っています」 at the sending-server question (after a yes to the network
  question) was that question's yes (its 「使っています」), though it speaks only of the line
  away from home: the bot went on to the blocking question;
- 「家ではブロックされていません」 at the blocking question was its no: the question asks about
  the other line the subscriber named, home's 117net line says nothing of it, and the change
  asked for sending was lowered from required to recommended;
- 「2019」 typed alone was kept as half a sentence (「はい。続きをどうぞ。」, no question), after
  「Outlookを使っています」 too, where it is the classic Outlook's year.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver
from tests.dialogs.driver import at_stage as _at


@pytest.mark.parametrize(
    "typed", ["外ではドコモを使っています", "外ではauを使ってます", "会社から使っています"]
)
def test_the_line_away_at_the_server_question_is_no_answer_to_it(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    said = driver.said()
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert "q3_uses_our_smtp" not in driver.state.answers
    assert driver.state.answers["q2_other_network"] == "yes"
    assert "「はい」とお答えいただいています" in said
    assert "117netのメールサーバーを設定して、メールを送信していますか？" in said


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("はい、外ではドコモを使っています", "yes"),
        ("外ではドコモで、117netのサーバーで送っています", "yes"),
        ("会社のサーバーです", "no"),
    ],
)
def test_the_server_named_or_an_answer_word_first_still_answers(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == answer


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "家ではブロックされていません"),
        ("ja", "自宅ではしていません"),
        ("ja", "うちは117netだからしていない"),
        ("en", "not blocked at home"),
    ],
)
def test_a_no_said_of_home_at_the_blocking_question_is_explained_and_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = _at(profile, catalogs, locale, Stage.Q4_OP25B)
    driver.type(typed)
    said = driver.said()
    assert driver.state.stage is Stage.Q4_OP25B
    assert "q4_op25b" not in driver.state.answers
    assert catalogs(locale, "explain.op25b") in said  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["会社ではしていません", "いいえ、していません"])
def test_a_no_of_the_other_line_is_still_the_no(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type(typed)
    assert driver.state.answers["q4_op25b"] == "no"


@pytest.mark.parametrize("year", ["2019", "2016", "２０１９", "2019年版"])
def test_a_year_alone_after_outlook_is_the_classic_outlook(
    profile: MigrationProfile, catalogs: Catalogs, year: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("Outlookを使っています")
    driver.type(year)
    said = driver.said()
    assert driver.state.program == "outlook_classic"
    assert "続きをどうぞ" not in said
    assert "117net以外のプロバイダや" in said


def test_a_number_alone_is_never_kept_as_half_a_sentence(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # With no program named it answers nothing asked: asked again, never left without a
    # question (「はい。続きをどうぞ。」 waited for words that were not coming).
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("2019")
    said = driver.said()
    assert driver.state.fragment == ""
    assert "続きをどうぞ" not in said
    assert "117net以外のプロバイダや" in said


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "ときどき"),
        ("ja", "たまにあります"),
        ("en", "sometimes"),
        ("en", "work too"),
        ("en", "also from work"),
    ],
)
def test_now_and_then_or_work_too_at_the_network_question_is_its_yes(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # 「ときどき」 was kept as half a sentence (「はい。続きをどうぞ。」 and no question), 'work
    # too' not understood.
    driver = _at(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "yes"
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP


@pytest.mark.parametrize(("locale", "typed"), [("ja", "場合によります"), ("en", "it depends")])
def test_it_depends_at_the_network_question_is_its_yes(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # 「場合によります」 was not understood, 'it depends' kept as half a sentence.
    driver = _at(profile, catalogs, locale, Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "yes"


@pytest.mark.parametrize(
    "typed",
    [
        "設定を変えたら前のメールが見れなくなりました",
        "今までのメールが見られなくなった",
        "古いメールが読めません",
    ],
)
def test_old_mail_no_longer_seen_is_the_mailbox_left_behind(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Answered as mail that does not arrive (the new server's name and the account), though
    # the mail from before the switch stays on the old server, unmoved.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(typed)
    assert "メールボックスの中身は新しいサーバーへ移されません" in driver.said()


@pytest.mark.parametrize(
    "typed", ["should I change my settings now?", "do I need to do anything yet?"]
)
def test_whether_to_change_now_is_answered_with_the_dates(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 'Sorry, I could not answer that question', where 「今すぐ変更したほうがいいですか」 had
    # the dates.
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(typed)
    said = driver.said()
    assert "could not answer" not in said
    assert "21 May 2008" in said


def test_the_providers_one_at_the_server_question_is_its_yes(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「117のやつだと思います」 was not understood ('the 117 one' was its yes).
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type("117のやつだと思います")
    assert driver.state.answers["q3_uses_our_smtp"] == "yes"


def test_the_work_left_behind_is_no_yes_at_the_network_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「会社はもう退職しました」 was the network question's yes (its 「会社」): asked again.
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("会社はもう退職しました")
    assert "q2_other_network" not in driver.state.answers
    assert "117net以外のプロバイダや" in driver.said()


def test_the_laptop_carried_about_is_the_network_questions_yes(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「ノートパソコンを持ち歩いています」 was not understood ('I take my laptop to the library'
    # was the yes).
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("ノートパソコンを持ち歩いています")
    assert driver.state.answers["q2_other_network"] == "yes"


@pytest.mark.parametrize("typed", ["あっています", "合ってます"])
def test_that_is_right_is_a_yes(profile: MigrationProfile, catalogs: Catalogs, typed: str) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q3_USES_OUR_SMTP)
    driver.type(typed)
    assert driver.state.answers["q3_uses_our_smtp"] == "yes"


@pytest.mark.parametrize("typed", ["携帯の会社です", "ドコモです", "auです"])
def test_a_carrier_named_at_the_blocking_question_is_explained(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「携帯の会社です」 was taken for a phone's mail app (「iPhoneとAndroidのどちらを…」),
    # 「ドコモです」 not understood.
    driver = _at(profile, catalogs, "ja", Stage.Q4_OP25B)
    driver.type(typed)
    assert driver.state.stage is Stage.Q4_OP25B
    assert "q4_op25b" not in driver.state.answers
    assert catalogs("ja", "explain.op25b") in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed", "answered"),
    [
        ("ja", "まだ何もしていませんが大丈夫ですか", "設定を変更しないと"),
        ("en", "I haven't done anything yet, is that ok?", "do not change its settings"),
    ],
)
def test_nothing_done_yet_is_told_what_doing_nothing_comes_to(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str, answered: str
) -> None:
    # Both got 「そのご質問にはうまくお答えできませんでした」 / 'could not answer'.
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    driver.type(typed)
    said = driver.said()
    assert answered in said
    assert "うまくお答えできませんでした" not in said
    assert "could not answer" not in said


@pytest.mark.parametrize("typed", ["光です", "光回線です"])
def test_a_fibre_line_alone_is_told_how_to_find_whose_it_is(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 「光です」 was not understood, where 「フレッツ光です」 got how to tell the provider.
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert "q2_other_network" not in driver.state.answers
    assert "請求書や契約書" in driver.said()


def test_nothing_done_yet_at_the_first_question_is_no_webmail_no(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「まだ何もしていません」 was the first question's no: 「設定の変更は必要ありません」, while
    # a mail program needs the new settings (dangerous). What doing nothing comes to, and the
    # question again.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("まだ何もしていません")
    said = driver.said()
    assert "q1_mail_program" not in driver.state.answers
    assert "設定の変更は必要ありません" not in said
    assert "設定を変更しないと" in said
    assert "メールソフト（Outlook" in said


@pytest.mark.parametrize("typed", ["what is that?", "what's this", "what?"])
def test_what_is_that_at_a_question_explains_it(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 'Sorry, I could not answer that question' at the blocking question, where 「なにそれ？」
    # had the explanation.
    driver = _at(profile, catalogs, "en", Stage.Q4_OP25B)
    driver.type(typed)
    said = driver.said()
    assert catalogs("en", "explain.op25b") in said
    assert "could not answer" not in said
