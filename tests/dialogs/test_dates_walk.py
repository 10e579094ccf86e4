"""The advice walked across the notice's dates (dates5): what was worded false on some day.

The notice's dated facts: the settings-change window 2008-05-21 (Wed) to 2008-06-20 (Fri), and
the old POP and SMTP servers until 2008-06-20. Each test pins the day it is about.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.state import DialogState
from dialogs.vocabulary import ChoicesReply, Locale, Sending, SystemEvent, TextReply
from tests.dialogs.driver import Driver

ADDRESS: Final = "taro@vp.117.ne.jp"
IN_WINDOW: Final = dt.date(2008, 6, 1)
LONG_AFTER: Final = dt.date(2026, 11, 29)


def words_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def to_the_guide(driver: Driver, program: MailProgram) -> None:
    """The address, the program and, where asked, 'yes, vs.117.ne.jp' (the changed server)."""
    driver.type(ADDRESS)
    driver.press(f"program:{program.value}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")


@pytest.mark.parametrize("day", [IN_WINDOW, LONG_AFTER], ids=str)
def test_the_value_a_program_holds_today_is_current_not_now(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date
) -> None:
    # 'Port: 587 (now 25)' reads as if the port were 25 now, after the change; the server
    # rows beside it already said '(currently vs.117.ne.jp)' (006752b), as 「（今は25）」 does.
    driver = Driver(profile, catalogs, today=day)
    driver.start("en")
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    to_the_guide(driver, MailProgram.OTHER)
    words = words_of(driver)
    assert "Port: 587 (currently 25)" in words
    assert "(now " not in words


@pytest.mark.parametrize("typed", ["I can't send mail", "Error 0x8004210A while receiving"])
@pytest.mark.parametrize("day", [dt.date(2008, 6, 21), LONG_AFTER], ids=str)
def test_an_old_server_gone_worked_through_its_last_day(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, typed: str
) -> None:
    # The notice: the old servers answer 「2008年6月20日(金)まで」, through that day. 'The old
    # outgoing server closed on Friday 20 June 2008' told a subscriber who sent mail that Friday
    # that the server was already shut; 「…で利用できなくなりました」 and the schedule answer
    # ('could be used until …') say it right.
    driver = Driver(profile, catalogs, today=day)
    driver.start("en")
    driver.type(typed)
    words = words_of(driver)
    assert "could be used until Friday 20 June 2008 and no longer answers" in words
    assert "closed on" not in words


COME_BACK: Final = {
    "ja": ("前回（2008年6月19日(木)）のご案内のあと", "変更が必要です"),
    "en": ("since i last advised you (thursday 19 june 2008)", "you must change your settings"),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_advice_given_before_the_old_servers_stopped_is_put_right_after(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Told on 2008-06-19 that their current settings still send ('recommended', Q2 'no') and
    # that the old servers answer until 06-20, a subscriber came back a week later and was
    # answered as if nothing had happened: no word that the old servers had stopped, and the
    # desk's summary still said 'recommended'.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    assert driver.state.sending is Sending.RECOMMENDED
    later = Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)
    later.type(ADDRESS)
    said = words_of(later)
    lead, sending = COME_BACK[locale]
    assert lead in (said.lower() if locale == "en" else said)
    assert sending in said.lower()
    gone = "2008年6月20日(金)で利用できなくなりました" if locale == "ja" else "no longer answers"
    assert gone in said
    assert later.state.sending is Sending.REQUIRED
    # Then the turn goes on: the address was taken, the program is asked.
    assert later.state.address == ADDRESS
    # Told once: the next turn, the same day, says it no more.
    later.press("program:other")
    assert "前回（" not in words_of(later)
    assert "since i last advised" not in words_of(later).lower()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_settings_given_before_the_window_are_told_to_be_used_once_it_opens(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # On 2008-05-15 the card came with 'do not change anything until 21 May'; back on 05-22,
    # still at the card, the subscriber heard nothing of the window having opened.
    driver = Driver(profile, catalogs, today=dt.date(2008, 5, 15))
    driver.start(locale)
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    to_the_guide(driver, MailProgram.THUNDERBIRD)
    later = Driver(profile, catalogs, today=dt.date(2008, 5, 22), state=driver.state)
    later.type("まだ受信できません" if locale == "ja" else "I still can't receive mail")
    said = words_of(later)
    assert ("前回（2008年5月15日(木)）" if locale == "ja" else "(Thursday 15 May 2008)") in said
    assert ("ただいま変更期間中" if locale == "ja" else "under way now") in said


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (dt.date(2008, 6, 1), dt.date(2008, 6, 10)),  # both inside the window
        (dt.date(2008, 6, 21), LONG_AFTER),  # both after it
        (dt.date(2008, 6, 1), dt.date(2008, 6, 19)),  # the day before the last: still inside
    ],
    ids=str,
)
def test_nothing_is_said_to_have_changed_where_nothing_did(
    profile: MigrationProfile, catalogs: Catalogs, before: dt.date, after: dt.date
) -> None:
    driver = Driver(profile, catalogs, today=before)
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    later = Driver(profile, catalogs, today=after, state=driver.state)
    later.type(ADDRESS)
    assert "前回（" not in words_of(later)


def test_webmail_alone_hears_of_no_change(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # 「設定の変更は必要ありません」 rests on no date: nothing changed for them on 06-20.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start("ja")
    driver.press("no")
    later = Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)
    later.type("ありがとう")
    assert "前回（" not in words_of(later)


def test_the_day_of_the_advice_is_kept_between_turns(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    stored = DialogState.from_json(driver.state.to_json())
    assert stored.advised_on == dt.date(2008, 6, 19)
    unreadable = {**driver.state.to_json(), "advised_on": "soon"}
    assert DialogState.from_json(unreadable).advised_on is None


@pytest.mark.parametrize(
    ("locale", "asked"),
    [
        ("ja", "移行はもう終わりましたか"),
        ("ja", "移行って終わったの？"),
        ("ja", "サーバーの移行は完了しましたか"),
        ("en", "Is the migration over?"),
        ("en", "Has the migration already happened?"),
        ("en", "Is the move finished yet?"),
        ("en", "Is tomorrow still OK?"),
        ("en", "Can I still do it tomorrow?"),
    ],
)
@pytest.mark.parametrize(
    "day", [dt.date(2008, 5, 20), dt.date(2008, 6, 20), dt.date(2008, 6, 21), LONG_AFTER], ids=str
)
def test_whether_the_move_is_over_or_tomorrow_will_do_is_the_schedule(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, asked: str, day: dt.date
) -> None:
    # The notice's dates answer both (the window 05-21 to 06-20, the old servers until 06-20);
    # each was 'Sorry, I could not answer that question' on every day, 「もう遅いですか」 and
    # 「明日でも間に合いますか」 were not.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(asked)
    said = words_of(driver)
    assert ("2008年5月21日(水)" if locale == "ja" else "Wednesday 21 May 2008") in said
    over = day > profile.schedule.window_end
    assert any(w in said for w in ("終了しました", "is over", "ended yesterday")) is over


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_hand_back_after_the_old_servers_stopped_says_what_changed(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # The card came on 06-19 after 'your current settings still send'; an agent had the
    # conversation until 06-27 and handed it back: the card came again, with not a word that
    # the old servers had stopped meanwhile and sending now had to change.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    to_the_guide(driver, MailProgram.OTHER)
    back = Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)
    back._run(event=SystemEvent("handback"))
    texts = [r.text for r in back.last.replies if isinstance(r, TextReply)]
    assert texts[0] == catalogs.raw(locale, "handback.greeting")
    lead = "前回（2008年6月19日(木)）" if locale == "ja" else "(Thursday 19 June 2008)"
    assert lead in texts[1]
    assert back.state.sending is Sending.REQUIRED


SCHEDULE_ASKED: Final = (
    ("ja", "来週でも大丈夫ですか"),
    ("ja", "移行は始まっていますか"),
    ("ja", "旧サーバーはもう止まりましたか"),
    ("en", "Am I still in time?"),
    ("en", "Is next week OK?"),
    ("en", "Has the migration started?"),
    ("en", "Has the old server stopped already?"),
    ("en", "The migration was years ago, right?"),
)
CURRENT_SETTINGS_ASKED: Final = (
    ("ja", "昔の設定のままでも大丈夫ですか"),
    ("en", "Are my old settings still OK?"),
)


@pytest.mark.parametrize(("locale", "asked"), SCHEDULE_ASKED)
@pytest.mark.parametrize("day", [dt.date(2008, 5, 20), dt.date(2008, 6, 21), LONG_AFTER], ids=str)
def test_more_ways_of_asking_where_the_schedule_stands(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, asked: str, day: dt.date
) -> None:
    # Each went unanswered ('could not answer that question') on every day of the walk.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(asked)
    said = words_of(driver)
    assert ("2008年5月21日(水)" if locale == "ja" else "Wednesday 21 May 2008") in said
    over = day > profile.schedule.window_end
    assert any(w in said for w in ("終了しました", "is over", "ended yesterday")) is over


@pytest.mark.parametrize(("locale", "asked"), CURRENT_SETTINGS_ASKED)
@pytest.mark.parametrize("day", [dt.date(2008, 6, 1), dt.date(2008, 6, 21), LONG_AFTER], ids=str)
def test_whether_the_old_settings_will_do_is_what_the_questions_find_out(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, asked: str, day: dt.date
) -> None:
    # 「今の設定のままでいいですか」 and 'Can I keep my current settings?' are answered so; these
    # twins were not understood at all ('could not answer that question').
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(asked)
    assert catalogs.raw(locale, "whether_to_change.by_the_questions") in words_of(driver)


ONE_DAY: Final = Path(__file__).parent / "northlight.toml"


@pytest.mark.parametrize(
    ("locale", "today_words", "soon"),
    [("ja", "本日中に変更をお願いします", "お早めに"), ("en", "please do so today", "soon")],
)
def test_a_one_day_window_asks_for_the_change_today_on_its_day(
    catalogs: Catalogs, locale: Locale, today_words: str, soon: str
) -> None:
    # A single cut-over day is the window's first and last: 「本日…が設定の変更日です。お早めに
    # 変更をお願いします」 ('please change them soon') on it, where a longer window's last day
    # asks for the change today.
    one_day = load_profile(ONE_DAY)
    day = one_day.schedule.window_start
    assert day == one_day.schedule.window_end
    driver = Driver(one_day, catalogs, today=day)
    driver.start(locale)
    driver.press("topic:schedule")
    said = words_of(driver)
    assert today_words in said
    assert soon not in said


EXAMPLES: Final = Path(__file__).parents[2] / "examples"


@pytest.mark.parametrize(
    ("locale", "today_words"),
    [("ja", "本日中に受信してください"), ("en", "receive any mail left on the old server today")],
)
@pytest.mark.parametrize(
    ("example", "last_day"),
    [
        ("hosted-mail-by-post.toml", dt.date(2027, 12, 31)),  # sending stopped on 11-30
        ("pop-to-imap.toml", dt.date(2027, 7, 31)),  # sending goes on until 09-30
    ],
)
def test_the_old_receiving_servers_own_last_day_asks_to_collect_the_mail_today(
    catalogs: Catalogs, locale: Locale, today_words: str, example: str, last_day: dt.date
) -> None:
    # 3f7ef50 said it where both old servers stop on one day (the seed's 06-20); where the
    # receiving server stops on a day of its own, its last day still read 「受信（POP）が
    # 2027年12月31日(金)までご利用いただけます」 on 12-31, though what is left there is out of
    # reach the next morning (the mailboxes are not copied).
    profile = load_profile(EXAMPLES / example)
    assert profile.schedule.old_pop_until == last_day
    assert profile.schedule.old_smtp_until != last_day
    for day, asked_today in ((last_day - dt.timedelta(days=1), False), (last_day, True)):
        driver = Driver(profile, catalogs, today=day)
        driver.start(locale)
        driver.press("topic:schedule")
        assert (today_words in words_of(driver)) is asked_today, day


@pytest.mark.parametrize(
    ("locale", "typed", "gone"),
    [
        ("ja", "受信できません", "従来のサーバーは2008年6月20日(金)で利用できなくなりました。"),
        ("en", "I can't receive mail", "The old server could be used until Friday 20 June 2008"),
    ],
)
def test_what_changed_is_not_said_twice_in_one_turn(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, gone: str
) -> None:
    # Back on 06-27 with 「受信できません」: the notice of what changed said the old servers had
    # stopped, and the answer to the problem said the same sentence again just below it.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    later = Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)
    later.type(typed)
    said = words_of(later)
    assert said.count(gone) == 1, said
    # The answer to the problem itself is still there.
    fix = "vpop.117.ne.jpに、アカウントを" if locale == "ja" else "Change the incoming server"
    assert fix in said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("day", "asked"), [(dt.date(2008, 5, 20), False), (dt.date(2008, 5, 21), True)], ids=str
)
def test_nothing_is_asked_to_be_solved_before_the_window(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date, asked: bool
) -> None:
    # On 05-20 the card said 「今はまだ変更せず」 and then asked 「解決しましたか？」: a 'no'
    # handed the subscriber to the desk as 「設定変更後も「うまくいかない」とのこと」, of settings
    # they had been told not to change yet.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    to_the_guide(driver, MailProgram.THUNDERBIRD)
    buttons = [
        choice.id
        for reply in driver.last.replies
        if isinstance(reply, ChoicesReply)
        for choice in reply.choices
    ]
    assert ("feedback:solved" in buttons) is asked
