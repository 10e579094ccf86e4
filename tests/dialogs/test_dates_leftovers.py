"""Leftovers of the dates (webchat9): the live check before the window, a check result that
crosses midnight into a new phase of the schedule, and 「最初から」 after the dates moved.

The notice's dated facts: the settings-change window 2008-05-21 (Wed) to 2008-06-20 (Fri), and
the old POP and SMTP servers until 2008-06-20.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import ChoicesReply, LinkReply, Locale, Sending, SystemEvent, TextReply
from tests.dialogs.driver import Driver

ADDRESS: Final = "taro@vp.117.ne.jp"
BEFORE: Final = dt.date(2008, 5, 20)
FIRST_DAY: Final = dt.date(2008, 5, 21)
LAST_DAY: Final = dt.date(2008, 6, 20)
AFTER: Final = dt.date(2008, 6, 21)
MOVED: Final = {"ja": "前回（", "en": "since i last advised"}


def words_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def buttons(driver: Driver) -> list[str]:
    return [
        choice.id
        for reply in driver.last.replies
        if isinstance(reply, ChoicesReply)
        for choice in reply.choices
    ]


def to_the_card(driver: Driver, locale: Locale, *answers: str) -> None:
    driver.start(locale)
    for answer in answers or ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    driver.type(ADDRESS)
    driver.press(f"program:{MailProgram.THUNDERBIRD.value}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")


def moved(said: str, locale: Locale) -> bool:
    return MOVED[locale] in (said.lower() if locale == "en" else said)


# -- the live check before the window ---------------------------------------------------------


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(("day", "offered"), [(BEFORE, False), (FIRST_DAY, True)], ids=str)
def test_the_live_check_is_offered_from_the_windows_first_day(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date, offered: bool
) -> None:
    # On 05-20 the card said 「今はまだ変更しないでください」 and offered 「ログインを確認する」
    # beside it: a check of settings the subscriber had been told not to use yet.
    driver = Driver(profile, catalogs, today=day)
    to_the_card(driver, locale)
    assert ("check" in buttons(driver)) is offered


ASKED: Final = {"ja": "ログインできるか確認したい", "en": "Can you test my login?"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("how", ["button", "typed", "handback"])
def test_a_check_asked_for_before_the_window_gives_no_link_and_says_when(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, how: str
) -> None:
    # A button kept from another day, the check asked for in words, or an agent handing the
    # conversation back 「ログイン確認から」: no link, and the day it can be done.
    driver = Driver(profile, catalogs, today=BEFORE)
    to_the_card(driver, locale)
    if how == "button":
        driver.press("check")
    elif how == "typed":
        driver.type(ASKED[locale])
    else:
        driver._run(event=SystemEvent("handback", (("step", "check"),)))
    assert not [r for r in driver.last.replies if isinstance(r, LinkReply)]
    said = words_of(driver)
    day = "2008年5月21日(水)" if locale == "ja" else "Wednesday 21 May 2008"
    assert day in said, said
    assert "check" not in buttons(driver)
    assert driver.state.stage.value == "settings_delivered"


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_check_asked_for_without_an_address_before_the_window_asks_for_none(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, today=BEFORE)
    driver.start(locale)
    driver.press("settings")
    driver.press("skip")
    driver.press(f"program:{MailProgram.OTHER.value}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    driver.type(ASKED[locale])
    assert driver.state.stage.value == "settings_delivered"
    assert not [r for r in driver.last.replies if isinstance(r, LinkReply)]


# -- a check result across midnight -----------------------------------------------------------


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_check_result_after_the_old_servers_stopped_says_what_changed(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # The card came on 06-20 after 'your current settings still send' (Q2 'no'); the check's
    # result was recorded at 00:00:30 JST on 06-21. The advice's day moved to 06-21 with no
    # word that the old servers had stopped, and the next message heard none either.
    driver = Driver(profile, catalogs, today=LAST_DAY)
    to_the_card(driver, locale, "yes", "no")
    result = (("smtp", "ok"), ("pop", "ok"), ("pop_count", "0"))
    after = Driver(profile, catalogs, today=AFTER, state=driver.state)
    after._run(event=SystemEvent("check_result", result))
    said = words_of(after)
    assert moved(said, locale), said
    # The result is first: it is what the subscriber waits for.
    texts = [r.text for r in after.last.replies if isinstance(r, TextReply)]
    assert not moved(texts[0], locale)
    assert after.state.sending is Sending.REQUIRED
    after.type("ありがとう" if locale == "ja" else "thank you")
    assert not moved(words_of(after), locale)


# -- 「最初から」 after the dates moved ---------------------------------------------------------

START_OVER: Final = {"ja": "最初からやり直したい", "en": "start over"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("how", ["button", "typed"])
def test_starting_over_after_the_dates_moved_says_one_thing(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, how: str
) -> None:
    # Back on 06-27 to press 「最初から」: the notice of what changed since 06-19 came first,
    # then 「最初からやり直します。」 and the first question, which the notice was no use to.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    to_the_card(driver, locale, "yes", "no")
    later = Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)
    if how == "button":
        later.press("restart")
    else:
        later.type(START_OVER[locale])
    said = words_of(later)
    assert not moved(said, locale), said
    assert catalogs.raw(locale, "restart.done") in said
    assert later.state.advised_on is None


# -- the window's eve -------------------------------------------------------------------------

EVE: Final = {
    "ja": ("今日から変更できますか", "期間は明日から始まります"),
    "en": ("Can I change my settings today?", "It begins tomorrow"),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("day", "tomorrow"), [(BEFORE, True), (BEFORE - dt.timedelta(days=1), False)], ids=str
)
def test_the_day_before_the_window_says_it_opens_tomorrow(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date, tomorrow: bool
) -> None:
    # On 05-20 「今日から変更できますか」 got 「期間が始まりましたら、設定を変更してください」:
    # true, but it left the subscriber to count that the period starts the next morning.
    asked, eve = EVE[locale]
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(asked)
    assert (eve in words_of(driver)) is tomorrow, words_of(driver)
    # The card's lead on that day says so too: not today, from tomorrow.
    to_the_card(driver, locale)
    lead = {"ja": "今日はまだ変更せず、明日以降に", "en": "do not change anything today"}[locale]
    assert (lead in words_of(driver)) is tomorrow, words_of(driver)


EDGES: Final = {
    "ja": {FIRST_DAY: "本日が初日です", AFTER: "昨日で終了しました"},
    "en": {FIRST_DAY: "It began today", AFTER: "ended yesterday"},
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "day",
    [FIRST_DAY, FIRST_DAY + dt.timedelta(days=1), AFTER, AFTER + dt.timedelta(days=1)],
    ids=str,
)
def test_the_windows_first_day_and_the_day_after_it_say_today_and_yesterday(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date
) -> None:
    # 05-21 said 「ただいま変更期間中です」 and 06-21 「期間（…）は終了しました」: true, and the
    # subscriber asking 「今日から変更できますか」 was left to count that it began today, or
    # ended yesterday.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(EVE[locale][0])
    said = words_of(driver)
    for edge, words in EDGES[locale].items():
        assert (words in said) is (day == edge), said
