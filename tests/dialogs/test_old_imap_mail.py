"""An IMAP → IMAP move whose mailboxes are not copied (`kita_imap.toml`, `hikari_cable.toml`).

With IMAP the messages live on the server: once the host changes in the account, the old
messages disappear from the program, and "receive once with the current settings first"
keeps nothing. The guide is the one a POP3 → IMAP move gets (add a new account, keep the
current one), worded for IMAP: move or copy what to keep into the new account or a local
folder while the old server answers. Once it is gone: keep the current account (deleting
it deletes what the program still shows). A provider that copies the mailboxes keeps the
guide that edits the account in place.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.guide_text import guide_steps
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.settings_card import CardFacts, SmtpHost
from dialogs.vocabulary import (
    FileReply,
    Locale,
    Sending,
    SystemEvent,
    VerdictReply,
    reply_as_plain_text,
)
from tests.dialogs.driver import Driver
from tests.dialogs.test_examples import (
    sayer,
    test_card_guides_and_files_agree,
    test_each_example_delivers_its_settings_in_a_conversation,
)
from tests.dialogs.test_other_provider import OUTCOMES, TOPICS, TYPED

HERE: Final = Path(__file__).parent
KITA: Final = load_profile(HERE / "kita_imap.toml")
HIKARI: Final = load_profile(HERE / "hikari_cable.toml")
ADDRESSES: Final = {"kita": "taro@kita.example.jp", "hikari": "taro@hikari-cable.example.jp"}
PROFILES: Final = {"kita": KITA, "hikari": HIKARI}
# Before the window, inside it, after it (old IMAP server still up), after the old one stopped.
DAYS: Final = {
    "kita": (dt.date(2027, 5, 20), dt.date(2027, 6, 10), dt.date(2027, 7, 5), dt.date(2027, 8, 2)),
    "hikari": (dt.date(2026, 10, 5), dt.date(2026, 11, 5), dt.date(2026, 12, 1)),
}
# What assumes the old mail can be received into the program (POP's words).
RECEIVE_FIRST: Final = {
    "ja": re.compile(r"(?<!もう)一度受信|受信し終え|残っているメールは、今のアカウントで受信"),
    "en": re.compile(
        r"[Rr]eceive once|until you have received|Receive the mail left on the old server"
    ),
}
NEW_ACCOUNT: Final = {"ja": "アカウントを新しく追加し", "en": "add a new account for"}
MOVE_OR_COPY: Final = {"ja": "移すかコピー", "en": "move or copy the mail you want to keep"}

__all__ = [
    "test_card_guides_and_files_agree",
    "test_each_example_delivers_its_settings_in_a_conversation",
]


@pytest.fixture
def example() -> MigrationProfile:
    return KITA


def said_all(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def delivered(
    name: str, catalogs: Catalogs, locale: Locale, today: dt.date, program: MailProgram
) -> Driver:
    driver = Driver(PROFILES[name], catalogs, today=today)
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    driver.type(ADDRESSES[name])
    driver.press(f"program:{program.value}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED, program
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("name", "today"), [(name, day) for name, days in DAYS.items() for day in days], ids=str
)
def test_nobody_is_told_to_receive_the_old_imap_mail_first(
    catalogs: Catalogs, name: str, today: dt.date, locale: Locale
) -> None:
    heard = []
    menu = Driver(PROFILES[name], catalogs, today=today)
    menu.start(locale)
    for topic in TOPICS:
        menu.press(f"topic:{topic}")
    for words in (*TYPED, "今までのメールは消えませんか", "will my old mail be lost?"):
        menu.type(words)
    heard.append(said_all(menu))
    for program in MailProgram:
        driver = delivered(name, catalogs, locale, today, program)
        for words in TYPED:
            driver.type(words)
        for outcome in OUTCOMES:
            driver._run(event=SystemEvent("check_result", tuple(outcome.items())))
        heard.append(said_all(driver))
    leaks = sorted({m.group() for text in heard for m in RECEIVE_FIRST[locale].finditer(text)})
    assert not leaks, [t[max(0, t.find(leaks[0]) - 160) :][:320] for t in heard if leaks[0] in t]


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("program", list(MailProgram), ids=str)
@pytest.mark.parametrize("name", ["kita", "hikari"])
def test_every_guide_adds_an_account_and_moves_what_to_keep(
    catalogs: Catalogs, name: str, locale: Locale, program: MailProgram
) -> None:
    profile = PROFILES[name]
    facts = CardFacts(address=ADDRESSES[name], sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD)
    say = sayer(catalogs, locale, profile, facts)
    steps = guide_steps(program, facts, say, profile)
    assert NEW_ACCOUNT[locale] in steps[0].replace("Add", "add")
    assert MOVE_OR_COPY[locale] in steps[-1]
    # Once the old server is gone there is nothing to move: the current account is kept.
    gone = guide_steps(program, facts, say, profile, old_mail_to_collect=False)
    assert NEW_ACCOUNT[locale] in gone[0].replace("Add", "add")
    assert ("今のアカウントは削除しないでください" if locale == "ja" else "Do not delete") in gone[
        0
    ]
    assert MOVE_OR_COPY[locale] not in "\n".join(gone)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_old_mail_answer_and_the_steps_say_to_move_or_copy(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(KITA, catalogs, today=DAYS["kita"][1])
    driver.start(locale)
    driver.press("topic:old_mail")
    driver.press("topic:steps")
    said = driver.said()
    assert ("移すかコピー" if locale == "ja" else "move or copy") in said
    assert (
        "1. メールソフトに新しいアカウントを追加します" if locale == "ja" else "1. Add a new"
    ) in (said)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_apple_device_is_told_to_move_its_mail_not_to_receive_it(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = delivered("kita", catalogs, locale, DAYS["kita"][1], MailProgram.IOS_MAIL)
    [offer] = [r for r in driver.all_replies() if isinstance(r, FileReply)]
    assert ("新しいアカウントへ移して" if locale == "ja" else "move the mail you want") in (
        offer.text
    )
    assert not RECEIVE_FIRST[locale].search(offer.text)


def test_copied_mailboxes_keep_the_guide_that_edits_the_account(
    catalogs: Catalogs, tmp_path: Path
) -> None:
    text = (HERE / "kita_imap.toml").read_text("utf-8")
    path = tmp_path / "copied.toml"
    path.write_text(text.replace("old_mail_copied = false", "old_mail_copied = true"), "utf-8")
    copied = load_profile(path)
    facts = CardFacts(address=ADDRESSES["kita"], sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD)
    steps = guide_steps(
        MailProgram.THUNDERBIRD, facts, sayer(catalogs, "ja", copied, facts), copied
    )
    assert "次の項目を書き換えます" in steps[0]
    assert "新しく追加" not in "\n".join(steps)


@pytest.mark.parametrize(
    ("first", "second", "sending"),
    [
        ("yes", "yes", Sending.REQUIRED),
        ("yes", "no", Sending.NOT_NEEDED),
        ("Thunderbirdです", "smtp.kita.example.jpです", Sending.REQUIRED),
        ("iPhoneのメールで見ています", "きたネットのサーバーです", Sending.REQUIRED),
        ("I use Outlook", "smtp.gmail.com", Sending.NOT_NEEDED),
        ("わからない", "わからない", Sending.REQUIRED),
    ],
)
def test_the_questionnaire_by_buttons_and_words(
    catalogs: Catalogs, first: str, second: str, sending: Sending
) -> None:
    driver = Driver(KITA, catalogs, today=DAYS["kita"][1])
    driver.start("en" if first.startswith("I ") else "ja")
    for answer in (first, second):
        if answer in ("yes", "no"):
            driver.press(answer)
        else:
            driver.type(answer)
    [verdict] = [r for r in driver.all_replies() if isinstance(r, VerdictReply)]
    assert verdict.sending is sending
