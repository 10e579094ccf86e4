"""examples/webmail-for-some-programs.toml, written from its own notice as another ISP's engineer.

Hibari Cable moves to new IMAP servers (993 and 465, implicit TLS, new names, mailboxes
copied) and does not support Becky! or programs not on the list there: their subscribers
read mail with webmail. That could not be said before: every program got a card and a guide
to servers it cannot use, and no profile named a webmail address. `[webmail]` names it, the
programs sent there (`only_for`) and why (`reason`). Walked by button and typed words and
through every topic, typed problem, program, card, guide and check result on three dates in
both languages.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.mail_programs import MailProgram
from dialogs.profile import ProfileError, ProgramName, parse_profile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, Receiving, Sending, SettingsReply
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.walker import found, verdict_after, where

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "webmail-for-some-programs.toml"
PROFILE: Final = load_profile(PATH)
ADDRESS: Final = "taro@hibari.example.jp"
WEBMAIL: Final = "https://webmail.hibari.example.jp/"
# Before the window, inside it, after the old servers.
DAYS: Final = ("2028-01-20", "2028-02-10", "2028-04-01")
NOT_SUPPORTED: Final = {"ja": "ご利用いただけません", "en": "cannot be used with the new"}
REASON: Final = {"ja": "TLS 1.2以降にだけ対応", "en": "accept only TLS 1.2 or later"}
# POP (a method's name aside) and its ports, and the seed: this profile speaks IMAP only.
ABSENT: Final = re.compile(r"POP(?! before)|\b110\b|\b995\b|" + walker.SEED)
PATHS: Final = {
    ("yes",): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    ("unsure",): (Receiving.REQUIRED, Sending.REQUIRED),
}
SENT_TO_WEBMAIL: Final = {MailProgram.BECKY, MailProgram.OTHER}
PROMISED: Final = {"ja": "設定方法のご案内に使います", "en": "I will use it for the instructions"}


def test_the_profile_says_what_its_notice_says() -> None:
    webmail = PROFILE.webmail
    assert webmail is not None
    assert webmail.url == WEBMAIL
    assert set(webmail.only_for) == {program.value for program in SENT_TO_WEBMAIL}
    assert PROFILE.old_mail_copied


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_ends_where_the_profile_says(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    for answers, sides in PATHS.items():
        for typed in (False, True):
            today = dt.date.fromisoformat(day)
            verdict = verdict_after(PROFILE, catalogs, locale, today, answers, typed=typed)
            assert (verdict.receiving, verdict.sending) == sides, answers
            assert not found(ABSENT, [verdict.text]), verdict.text
            if answers == ("no",):
                assert WEBMAIL in verdict.text


def sent_where_the_profile_says(locale: Locale) -> walker.OnCard:
    def check(driver: Driver, program: MailProgram) -> None:
        replies = driver.last.replies
        said = driver.said()
        cards = [r for r in replies if isinstance(r, SettingsReply)]
        if program in SENT_TO_WEBMAIL:
            # No card or guide for servers the program is not supported on.
            assert not cards, program
            assert NOT_SUPPORTED[locale] in said, program
            assert REASON[locale] in said, program
            assert WEBMAIL in said, program
        else:
            assert cards, program
            assert NOT_SUPPORTED[locale] not in said, program

    return check


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_unsupported_programs_get_webmail_and_the_others_their_guide(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    heard = walker.walk(
        PROFILE,
        catalogs,
        locale,
        dt.date.fromisoformat(day),
        ADDRESS,
        on_card=sent_where_the_profile_says(locale),
    )
    leaks = found(ABSENT, heard)
    assert not leaks, where(leaks[0], heard)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_webmail_answer_gives_its_address(catalogs: Catalogs, locale: Locale) -> None:
    driver = Driver(PROFILE, catalogs, today=dt.date(2028, 2, 10))
    driver.start(locale)
    driver.press("topic:webmail")
    assert WEBMAIL in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_another_programs_steps_after_webmail(catalogs: Catalogs, locale: Locale) -> None:
    # Sent to webmail for Becky!, they also use Thunderbird: its card and guide follow.
    driver = Driver(PROFILE, catalogs, today=dt.date(2028, 2, 10))
    driver.start(locale)
    driver.press("yes")
    driver.type(ADDRESS)
    driver.press("program:becky")
    assert WEBMAIL in driver.said()
    driver.press("other_program")
    driver.press("program:thunderbird")
    # Its outgoing server is asked now: Becky!'s was not, no settings followed there.
    assert driver.state.stage is Stage.ASK_SMTP_HOST
    driver.press("yes")
    assert [r for r in driver.last.replies if isinstance(r, SettingsReply)]
    assert "imap.mail.hibari.example.jp" in walker.said_all(driver)


def test_a_profile_names_the_programs_the_bot_guides() -> None:
    assert [name.value for name in ProgramName] == [program.value for program in MailProgram]


REFUSED: Final = [
    ('url = "http://webmail.hibari.example.jp/"', "webmail.url", "https://"),
    ('only_for = ["becky", "eudora"]', "webmail.only_for", "is not one of"),
    ("only_for = []", "webmail.only_for", "non-empty"),
    (
        'only_for = ["outlook_new", "outlook_classic", "thunderbird", "apple_mail", "ios_mail",'
        ' "gmail_android", "becky", "other"]',
        "webmail.only_for",
        "names every mail program",
    ),
]


@pytest.mark.parametrize(("line", "key", "problem"), REFUSED)
def test_the_webmail_table_is_checked_by_key(line: str, key: str, problem: str) -> None:
    text = PATH.read_text("utf-8")
    name = line.split(" = ", 1)[0]
    old = next(row for row in text.splitlines() if row.startswith(f"{name} = "))
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text.replace(old, line, 1)), "webmail.toml")
    message = str(refused.value)
    assert message.startswith(f"webmail.toml: [{key}] "), message
    assert problem in message, message


@pytest.mark.parametrize(
    ("drop", "key"),
    [("reason = ", "webmail.reason"), ("only_for = ", "webmail.reason")],
)
def test_a_reason_goes_with_the_programs(drop: str, key: str) -> None:
    # Programs without a reason would be turned away unexplained; a reason without programs
    # explains nothing.
    text = PATH.read_text("utf-8")
    old = next(row for row in text.splitlines() if row.startswith(drop))
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text.replace(old + "\n", "", 1)), "webmail.toml")
    assert str(refused.value).startswith(f"webmail.toml: [{key}]"), str(refused.value)


@pytest.mark.parametrize(
    ("locale", "pop_words", "imap_words"),
    [
        ("ja", "サーバーにも残す設定", "そのままご覧いただけます"),
        ("en", "leaves a copy of received mail", "you still see it there"),
    ],
)
def test_copied_imap_mail_is_not_said_to_arrive_twice(
    catalogs: Catalogs, locale: Locale, pop_words: str, imap_words: str
) -> None:
    # Copied IMAP mailboxes: 'If your mail program leaves a copy of received mail on the
    # server, the same messages may seem to arrive a second time' is about POP.
    driver = Driver(PROFILE, catalogs, today=dt.date(2028, 2, 10))
    driver.start(locale)
    driver.press("topic:old_mail")
    said = driver.said()
    assert pop_words not in said
    assert imap_words in said
    assert "imap.mail.hibari.example.jp" in said


@pytest.mark.parametrize(
    ("locale", "words"),
    [("ja", "Becky!でメールを送受信しています"), ("en", "I use Becky! for my mail")],
)
def test_a_program_named_early_is_sent_to_webmail_too(
    catalogs: Catalogs, locale: Locale, words: str
) -> None:
    # Named at the first question: the program is not asked again, and no settings follow.
    driver = Driver(PROFILE, catalogs, today=dt.date(2028, 2, 10))
    driver.start(locale)
    driver.type(words)
    # It said 「設定方法のご案内に使います」 / "I will use it for the instructions".
    assert PROMISED[locale] not in driver.said()
    driver.type(ADDRESS)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert not [r for r in driver.last.replies if isinstance(r, SettingsReply)]
    assert WEBMAIL in driver.said()
    assert REASON[locale] in driver.said()
