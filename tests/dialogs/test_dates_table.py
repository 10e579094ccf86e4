"""The advice on the notice's date boundaries, path by path (dates6).

The notice: change the settings between 2008-05-21 (Wed) and 2008-06-20 (Fri); the old
servers answer until 2008-06-20. The day before the window, a subscriber whose current
settings cannot send (port 25 blocked, or not known) must not be told they keep working.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, TextReply
from tests.dialogs.driver import Driver

BEFORE_WINDOW: Final = dt.date(2008, 5, 20)
KEEP_WORKING: Final = {
    "ja": "それまでは今の設定のままお使いいただけます。",
    "en": "Until then your current settings keep working.",
}
# 05-20 is the window's eve: the change it waits for is tomorrow's.
CANNOT_SEND_YET: Final = {
    "ja": "今の設定で送信できない場合は、明日以降に設定を変更すると送信できるようになります。",
    "en": "Where your current settings cannot send, sending works once you have changed them, "
    "from tomorrow on.",
}


def card_lead(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> str:
    driver = Driver(profile, catalogs, today=BEFORE_WINDOW)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:other")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "answers",
    [["yes", "yes", "yes", "yes"], ["yes", "yes", "yes", "unsure"], ["unsure"] * 4],
    ids=["port25_blocked", "not_sure_of_the_block", "not_sure_of_anything"],
)
def test_settings_that_cannot_send_are_not_said_to_keep_working_before_the_window(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> None:
    # The verdict said 「従来の設定では送信できません」, and the card's lead on 05-20 went on
    # 「それまでは今の設定のままお使いいただけます」: from a network that blocks port 25 they
    # do not send at all, and sending works only after the change, once the window opens.
    said = card_lead(profile, catalogs, locale, answers)
    assert KEEP_WORKING[locale] not in said
    assert CANNOT_SEND_YET[locale] in said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "answers", [["yes", "no"], ["yes", "yes", "yes", "no"], ["yes", "yes", "no"]]
)
def test_settings_that_send_today_keep_working_until_the_window(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> None:
    said = card_lead(profile, catalogs, locale, answers)
    assert KEEP_WORKING[locale] in said
    assert CANNOT_SEND_YET[locale] not in said


ADDRESS: Final = "taro@vp.117.ne.jp"
DAY_BEFORE_LAST: Final = dt.date(2008, 6, 19)
LAST_DAY: Final = dt.date(2008, 6, 20)
LAST_DAY_WORDS: Final = {
    "ja": (
        "前回（2008年6月19日(木)）のご案内のあと",
        "本日が期間の最終日",
        "明日からは送信できなくなります",
    ),
    "en": (
        "Since I last advised you (Thursday 19 June 2008)",
        "Today is its last day",
        "From tomorrow they cannot send",
    ),
}


def words_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "answers", [["yes", "no"], ["yes", "yes", "yes", "no"]], ids=["own_line", "pop_before_smtp"]
)
def test_sends_for_the_time_being_is_put_right_on_the_old_servers_last_day(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> None:
    # Told on 06-19 「従来の設定（POP before SMTP）でも当面は送信できます」 and 「お早めに」, a
    # subscriber who came back on 06-20 heard nothing: the day's own verdict says the current
    # settings send until today only, and asks for the change today.
    driver = Driver(profile, catalogs, today=DAY_BEFORE_LAST)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    later = Driver(profile, catalogs, today=LAST_DAY, state=driver.state)
    later.type(ADDRESS)
    said = words_of(later)
    for words in LAST_DAY_WORDS[locale]:
        assert words in said
    assert later.state.address == ADDRESS
    # Told once: the next turn, the same day, says it no more.
    later.press("program:other")
    assert LAST_DAY_WORDS[locale][0] not in words_of(later)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_sending_elsewhere_hears_of_the_last_day_without_a_word_on_sending(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, today=DAY_BEFORE_LAST)
    driver.start(locale)
    for answer in ("yes", "yes", "no"):
        driver.press(answer)
    later = Driver(profile, catalogs, today=LAST_DAY, state=driver.state)
    later.type(ADDRESS)
    said = words_of(later)
    lead, last_day, sending = LAST_DAY_WORDS[locale]
    assert lead in said
    assert last_day in said
    assert sending not in said


KEEP_ASKED: Final = {"ja": "今の設定のままでいいですか", "en": "Are my old settings still OK?"}
# What the answer must say, per day and path: the sending verdict of that day.
VERDICT_OF_THE_DAY: Final = [
    (
        dt.date(2008, 6, 1),
        ["yes", "no"],
        {"ja": "現在の設定でも送信できますが", "en": "still send"},
    ),
    (
        dt.date(2008, 6, 20),
        ["yes", "no"],
        {"ja": "明日からは送信できなくなります", "en": "From tomorrow they cannot send"},
    ),
    (
        dt.date(2008, 6, 21),
        ["yes", "no"],
        {"ja": "今の設定のままでは送信できません", "en": "Your current settings cannot send"},
    ),
    (
        dt.date(2008, 6, 1),
        ["yes", "yes", "yes", "yes"],
        {"ja": "従来の設定では送信できません", "en": "The old settings cannot send"},
    ),
    (
        dt.date(2008, 6, 1),
        ["yes", "yes", "no"],
        {"ja": "送信の設定はそのままで大丈夫です", "en": "can stay as they are"},
    ),
]


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("card", [False, True], ids=["at_the_address", "after_the_card"])
@pytest.mark.parametrize(("day", "answers", "sending"), VERDICT_OF_THE_DAY)
def test_whether_the_settings_may_stay_after_the_verdict_is_the_verdict_of_the_day(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    card: bool,
    day: dt.date,
    answers: list[str],
    sending: dict[str, str],
) -> None:
    # Asked once the questions were answered, 「今の設定のままでいいですか」 got 「そのご質問には
    # うまくお答えできませんでした」 on every day of the table: the verdict is the answer, as it
    # stands today (the old outgoing server may have stopped since it was given).
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    if card:
        driver.type(ADDRESS)
        driver.press("program:other")
        if driver.state.stage.value == "ask_smtp_host":
            driver.press("yes")
    stage = driver.state.stage
    driver.type(KEEP_ASKED[locale])
    said = driver.said()
    receiving = "受信サーバー名とアカウント名の変更が必要です" if locale == "ja" else "must change"
    assert receiving in said
    assert sending[locale] in said
    assert driver.state.stage is stage


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_whether_webmail_may_stay_is_yes(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 21))
    driver.start(locale)
    driver.press("no")
    driver.type(KEEP_ASKED[locale])
    said = driver.said()
    assert (
        "これまでどおりご利用いただけます" if locale == "ja" else "keep using it as before"
    ) in said


NOT_THE_MIGRATION: Final = {"ja": "今回の移行とは別の原因", "en": "not this migration"}
SENDS_ONCE_CHANGED: Final = {
    "ja": "設定を変更すると送信できるようになります",
    "en": "changing them will make sending work",
}
CANT_SEND: Final = {"ja": "送信できません", "en": "I can't send mail"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("answers", "from_the_block"),
    [
        (["yes", "yes", "yes", "yes"], True),
        (["yes", "yes", "yes", "unsure"], True),
        (["yes", "no"], False),
        (["yes", "yes", "yes", "no"], False),
    ],
)
def test_sending_that_fails_before_the_window_where_port_25_is_blocked_is_the_block(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    answers: list[str],
    from_the_block: bool,
) -> None:
    # On 05-20, after the verdict 「従来の設定では送信できません」 (port 25 blocked where they
    # are), 「送信できません」 was answered 「今回の移行とは別の原因が考えられます」: the
    # questions had just found the cause, and the change (from the window's first day) is
    # the fix. Where the current settings send, another cause it is.
    driver = Driver(profile, catalogs, today=BEFORE_WINDOW)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    driver.type(CANT_SEND[locale])
    said = driver.said()
    assert (NOT_THE_MIGRATION[locale] in said) is not from_the_block
    assert (SENDS_ONCE_CHANGED[locale] in said) is from_the_block
    assert ("2008年5月21日(水)" if locale == "ja" else "Wednesday 21 May 2008") in said


POP_BEFORE_SMTP_ASKED: Final = {
    "ja": "POP before SMTPはいつまで使えますか",
    "en": "How long can I use POP before SMTP?",
}
OLD_SMTP_DAY: Final = {
    "ja": "2008年6月20日(金)までご利用いただけます",
    "en": "until Friday 20 June 2008",
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", [BEFORE_WINDOW, dt.date(2008, 6, 1)], ids=str)
def test_how_long_pop_before_smtp_lasts_is_answered_with_a_day(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date
) -> None:
    # 「移行期間を設けて当面は引き続きご利用いただけます」 answered 「いつまで」 with no day: it
    # lasts as long as the old outgoing server, 「2008年6月20日(金)まで」 (the last day and after
    # already said so).
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(POP_BEFORE_SMTP_ASKED[locale])
    assert OLD_SMTP_DAY[locale] in driver.said()


TODAY_ASKED: Final = (
    ("ja", "今日中にやらないとだめですか"),
    ("ja", "明日中に変更すれば間に合いますか"),
    ("en", "Do I have to do it today?"),
    ("en", "Must I change my settings tonight?"),
)


@pytest.mark.parametrize(("locale", "asked"), TODAY_ASKED)
@pytest.mark.parametrize("day", [BEFORE_WINDOW, LAST_DAY, dt.date(2008, 6, 21)], ids=str)
def test_whether_it_must_be_done_today_is_the_schedule_of_today(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, asked: str, day: dt.date
) -> None:
    # 「今日中にやらないとだめですか」 got 「うまくお答えできませんでした」 on every day.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(asked)
    said = driver.said()
    assert ("2008年5月21日(水)" if locale == "ja" else "Wednesday 21 May 2008") in said
    last_day = "本日が期間の最終日" if locale == "ja" else "Today is its last day"
    assert (last_day in said) is (day == LAST_DAY)
