"""words11: more of a subscriber's own words, read right.

- 「ドコモメール」「auメール」「ソフトバンクのメール」 at the program question were
  「はい。続きをどうぞ。」 (a sentence begun) or not read. A carrier's own mail (its address)
  is not part of the move: they are told so, asked for the app they read the provider's mail
  in, and offered the table for "other" or a person.
- 「メール（Windows11に最初から入ってるやつ）」「ウィンドウズに入ってたメール」 were not read;
  they are Windows' own mail, the generic table as 「Windowsのメール」 is.
- 「しようしてます」 (使用 in kana) and 「恐れ入りますが、はい」 were not read: the yes.
- 「プリンターで出したい」 under the card was not read: how to print it.
- 「今までのメールは消えちゃうの」 was mail gone missing (and the first question's yes nobody
  said): it asks what happens to old mail. 「今のメールは使えますか」 was not understood: the
  address question (the address stays).
- 「会社はブロックしてないはず」 at the blocking question was its no (sending only
  "recommended"): a negation expected, not known, is not sure (DESIGN: a doubt never lowers
  what must change), as 「されてないっぽい」 is. A yes expected (「止めてるはず」) stays the yes.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.knowledge import Topic, answer_keys, timing
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import IN_WINDOW_DAY, Driver, at_stage

_NOT_READ = ("うまく読み取れませんでした", "did not catch", "続きをどうぞ")


def _at_the_program_question(profile: MigrationProfile, catalogs: Catalogs, locale: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    for press in ("yes", "yes", "no", "settings", "skip"):
        driver.press(press)
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "ドコモメール"),
        ("ja", "auメール"),
        ("ja", "ソフトバンクのメール"),
        ("ja", "キャリアメールです"),
        ("en", "docomo mail"),
    ],
)
def test_a_carriers_own_mail_is_told_apart(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, locale)
    driver.type(typed)
    said = driver.said()
    assert catalogs(locale, "program.carrier_mail", at_domains="@vp.117.ne.jp") in said
    assert not any(words in said for words in _NOT_READ)
    assert driver.state.program is None
    assert driver.state.stage is Stage.ASK_PROGRAM


def test_a_carriers_phone_with_our_program_named_is_that_program(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.type("ドコモのスマホでGmailアプリ")
    assert driver.state.program == "gmail_android"


@pytest.mark.parametrize(
    "typed",
    [
        "メール（Windows11に最初から入ってるやつ）",
        "ウィンドウズに入ってたメール",
        "パソコンに最初から入ってるメール",
    ],
)
def test_windows_own_mail_by_where_it_came_from(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.type(typed)
    # Windows' own mail is the new Outlook since words12 (it replaced the Mail app); the PC's
    # own (a Mac's too) stays the generic table.
    expected = "other" if typed.startswith("パソコン") else "outlook_new"
    assert driver.state.program == expected
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("しようしてます", "yes"),
        ("恐れ入りますが、はい", "yes"),
        ("お忙しいところすみません、はい", "yes"),
        ("恐れ入ります。はい", "yes"),
        ("しようしていません", "no"),
    ],
)
def test_use_in_kana_and_a_polite_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert driver.state.answers.get("q1_mail_program") == answer


def test_a_program_on_the_pc_is_no_program_named(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Only a program said to have come with the PC is its own mail.
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("パソコンに入ってるメールソフトです")
    assert driver.state.answers.get("q1_mail_program") == "yes"
    assert driver.state.program is None


def test_the_printer_named_is_printing(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.press("program:ios_mail")
    driver.type("プリンターで出したい")
    assert catalogs("ja", "print.after_card") in driver.said()
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("今までのメールは消えちゃうの", Topic.OLD_MAIL),
        ("メール消えちゃう？", Topic.OLD_MAIL),
        ("今のメールは使えますか", Topic.ADDRESS),
        ("今のメール、使えなくなるの？", Topic.ADDRESS),
    ],
)
def test_the_mail_asked_after_is_answered_and_no_answer_taken(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, topic: Topic
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    said = driver.said()
    for key in answer_keys(topic, timing(profile, IN_WINDOW_DAY)):
        assert catalogs.raw("ja", key)[:12] in said
    assert driver.state.answers == {}
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def test_mail_gone_is_still_a_report(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # 「…消えちゃった」 happened: the report, as before.
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("メールが消えちゃった")
    assert driver.state.answers.get("q1_mail_program") == "yes"


@pytest.mark.parametrize(
    ("stage", "typed", "answer"),
    [
        (Stage.Q4_OP25B, "会社はブロックしてないはず", "unsure"),
        (Stage.Q4_OP25B, "制限はないはずです", "unsure"),
        (Stage.Q3_USES_OUR_SMTP, "117のサーバーは使ってないはず", "unsure"),
        (Stage.Q2_OTHER_NETWORK, "会社では使ってないはずですけど", "unsure"),
        (Stage.Q4_OP25B, "会社はポート25を止めてるはず", "yes"),
        (Stage.Q4_OP25B, "ブロックはしていません", "no"),
    ],
)
def test_a_no_expected_is_not_sure(
    profile: MigrationProfile, catalogs: Catalogs, stage: Stage, typed: str, answer: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", stage)
    driver.type(typed)
    assert driver.state.answers.get(stage.value) == answer
