"""words30: words two auditors found misread, checked through the dialog.

- "hmm not really" at the first question was kept as the start of a longer sentence (its
  "not") and answered "Yes, please go on." with no question; "nah not really" and
  「いや、あんまり」 were the no that ends the questions ("nothing to change"). A no that holds
  only mostly is not sure, as "no, rarely" is: the change that is safe.
- 「新しい設定でテストしたい」 after the card was the card again, with 「ありがとうございます」,
  for its leading 「新しい設定」: a check made with the new settings is the login check.
- 「まだ設定を変えなくていいの？」 was whether to change at all (「設定の変更が必要かどうかは…」),
  where 「まだ変更しなくていいの？」 had the dates: what is changed, named between, is no
  other question.
- 「今の送信サーバーはvs.117.ne.jpです」 at the first question was not understood: one server
  in use named alone gets the new servers (and which one moves), then the question again.
- 「hanako@117.ne.jp」 (near @vp.117.ne.jp) was read as an address cut short: its reading now
  carries the domain typed (`Intent.near_miss`), for the dialog to say it looks different.
- "sure do" was not read (the yes); 「おはようございます」「こんばんは」 name their time of day
  (`greeted_at`), for the greeting to be answered in kind.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from bot.ops.catalogs import Catalogs
from dialogs.pieces import is_fragment
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.small_talk import greeted_at
from dialogs.reading.stage_reading import read_text
from dialogs.state import Signal
from dialogs.understanding import Intent, Kind, normalise
from dialogs.vocabulary import Locale, SettingsReply
from tests.dialogs.driver import Driver


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.start(locale)
    return driver


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "hmm not really"),
        ("en", "not really"),
        ("en", "Not really."),
        ("en", "nah not really"),
        ("en", "no, not really"),
        ("en", "um, not much"),
        ("en", "hardly ever"),
        ("ja", "いや、あんまり"),
        ("ja", "うーん、あんまり"),
        ("ja", "あまり"),
        ("ja", "いいえ、それほどです"),
    ],
)
def test_a_no_that_holds_only_mostly_is_not_sure(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _started(profile, catalogs, locale)
    driver.type(typed)
    # Before: "Yes, please go on." (kept as a piece), or the no and "nothing to change".
    assert driver.said() != catalogs(locale, "pieces.go_on")
    assert driver.state.fragment == ""
    assert driver.state.answers == {"q1_mail_program": "unsure"}
    assert driver.state.stage is not Stage.WEBMAIL_ONLY


@pytest.mark.parametrize("typed", ["not really", "hmm not much", "not yet", "not at all"])
def test_english_words_that_close_a_sentence_are_no_piece_of_one(typed: str) -> None:
    assert not is_fragment(typed, None)


@pytest.mark.parametrize("typed", ["not working", "my email", "since yesterday"])
def test_english_pieces_that_open_a_sentence_are_still_kept(typed: str) -> None:
    assert is_fragment(typed, None)


def _at_the_card(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = _started(profile, catalogs, locale)
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    "typed",
    [
        "新しい設定でテストしたい",
        "新しい設定で試してみたい",
        "新しい設定をテストしたいです",
        "新しい設定でログインできるか確認したい",
        "新しい設定で送れるかチェックしたい",
    ],
)
def test_a_check_made_with_the_new_settings_is_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_card(profile, catalogs, "ja")
    driver.type(typed)
    # Before: the card again, opened with 「ありがとうございます」.
    assert Signal.CHECK_REQUESTED in driver.last.signals
    assert "ありがとうございます" not in driver.said()


@pytest.mark.parametrize("typed", ["新しい設定を見せてください", "新しい設定をもう一度"])
def test_the_new_settings_asked_for_are_still_the_card(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_card(profile, catalogs, "ja")
    driver.type(typed)
    assert Signal.CHECK_REQUESTED not in driver.last.signals
    assert any(isinstance(reply, SettingsReply) for reply in driver.last.replies)


@pytest.mark.parametrize(
    "typed",
    [
        "まだ設定を変えなくていいの？",
        "まだ設定は変えなくていいですか",
        "まだメールの設定を変更しなくて大丈夫ですか",
        "まだサーバーを変えなくていい？",
    ],
)
def test_not_yet_with_what_is_changed_named_asks_the_dates(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    variants = catalogs.with_variants(profile.text_variants)
    driver = _started(profile, catalogs, "ja")
    driver.type("まだ変更しなくていいの？")
    dates = driver.said()
    driver = _started(profile, catalogs, "ja")
    driver.type(typed)
    # Before: 「設定の変更が必要かどうかは、これからいくつかの質問に…」.
    assert driver.said() == dates
    assert variants("ja", "whether_to_change.by_the_questions") not in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "今の送信サーバーはvs.117.ne.jpです"),
        ("ja", "現在の受信サーバーはvp.117.ne.jpです"),
        ("ja", "今の送信サーバー名はvs.117.ne.jpになっています"),
        ("en", "My current outgoing server is vs.117.ne.jp"),
    ],
)
def test_a_server_in_use_named_alone_gets_the_new_servers(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _started(profile, catalogs, locale)
    driver.type(typed)
    # Before: 「申し訳ありません、うまく読み取れませんでした。」
    assert catalogs(locale, "not_understood") not in driver.said()
    assert profile.outgoing.new_host in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_the_sending_server_named_where_it_is_asked_is_still_the_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs, "ja")
    while driver.state.stage is not Stage.Q3_USES_OUR_SMTP:
        driver.press("yes")
    driver.type("今の送信サーバーはvs.117.ne.jpです")
    assert driver.state.answers.get("q3_uses_our_smtp") == "yes"


def _read(text: str, stage: Stage, profile: MigrationProfile) -> Intent:
    offered = ("yes", "no", "unsure", "back", "menu")
    return read_text(text, stage, offered, profile, japanese_analyser())


@pytest.mark.parametrize(
    ("typed", "near"),
    [("hanako@117.ne.jp", "117.ne.jp"), ("hanako@vp117.ne.jp", "vp117.ne.jp")],
)
def test_a_whole_domain_near_ours_is_told_apart_from_one_cut_short(
    profile: MigrationProfile, typed: str, near: str
) -> None:
    domain = profile.affected_domains[0]
    intent = _read(typed, Stage.ASK_ADDRESS, profile)
    assert intent == Intent(Kind.PARTIAL_ADDRESS, f"hanako@{domain}", near_miss=near)
    cut = _read("hanako@vp.117", Stage.ASK_ADDRESS, profile)
    assert cut == Intent(Kind.PARTIAL_ADDRESS, f"hanako@{domain}")


@pytest.mark.parametrize("typed", ["sure do", "Sure do!", "I sure do", "sure thing"])
def test_sure_do_is_the_yes(profile: MigrationProfile, typed: str) -> None:
    assert _read(typed, Stage.Q1_MAIL_PROGRAM, profile) == Intent(Kind.YES)


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("おはようございます", "morning"),
        ("おはよう", "morning"),
        ("こんばんは", "evening"),
        ("こんばんわ", "evening"),
        ("Good morning", "morning"),
        ("good evening!", "evening"),
        ("こんにちは", None),
        ("hello", None),
    ],
)
def test_a_greeting_names_its_time_of_day(typed: str, when: str | None) -> None:
    assert greeted_at(normalise(typed)) == when
