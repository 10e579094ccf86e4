"""examples/imap-local-part-new-year.toml, a second ISP's migration unlike 117net's.

Hoshizora Net moves IMAP (143, no encryption) to new IMAP servers (993 TLS, 143 +
STARTTLS), sending from port 25 without a login on the receiving server's own name to 587 +
STARTTLS with SMTP AUTH; the login goes the other way from 117net's (the whole address
today, the part before @ from now on); the mailboxes are not copied; the window runs over
the new year; two address domains move. Walked by button and typed words, and through every
topic, typed problem, program, card, guide and check result, on four days in both languages:
nothing may say 117net's facts, POP, or that the login is (or becomes) the whole address.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import timing
from dialogs.mail_programs import MailProgram
from dialogs.profile import LoginName, Protocol, Security
from dialogs.vocabulary import Locale, Receiving, Sending, SettingsReply
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.walker import found, verdict_after, where

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "imap-local-part-new-year.toml"
PROFILE: Final = load_profile(PATH)
# The business domain: the second of affected_domains.
ADDRESS: Final = "taro@biz.hoshizora.example.jp"
# Before the window, in it (over the new year), after the old SMTP, after the old IMAP.
DAYS: Final = ("2027-12-01", "2028-01-04", "2028-01-25", "2028-02-05")
# 117net's facts; POP (this migration is IMAP on both sides; "POP before SMTP" is a method's
# name); the login said to be, or to become, the whole address (the notice's direction).
ABSENT: Final = re.compile(
    walker.SEED
    + r"|POP(?! before)|@より前だけ|メールアドレス全体|アドレス全体|whole address"
    + r"|full address|not just the part before|taro@biz\.hoshizora\.example\.jp（今は"
)
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("yes", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    ("unsure", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
}


def test_the_profile_differs_from_117net_where_its_notice_does() -> None:
    incoming, outgoing = PROFILE.incoming, PROFILE.outgoing
    assert (incoming.old_protocol, incoming.protocol) == (Protocol.IMAP, Protocol.IMAP)
    assert (incoming.old_port, incoming.port, incoming.security) == (143, 993, Security.TLS)
    assert (outgoing.old_port, outgoing.port, outgoing.security) == (25, 587, Security.STARTTLS)
    for server in (incoming, outgoing):
        assert (server.old_login_name, server.login_name) == (
            LoginName.ADDRESS,
            LoginName.LOCAL_PART,
        )
    assert not PROFILE.old_mail_copied
    when = timing(PROFILE, dt.date(2028, 1, 4))
    assert when.old_mail_on_imap
    assert not when.as_notice
    assert not when.login_becomes_address
    assert (PROFILE.schedule.window_start.year, PROFILE.schedule.window_end.year) == (2027, 2028)


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


def card_with_the_part_before_at(driver: Driver, program: MailProgram) -> None:
    cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
    rows = {item.key: item for item in cards[-1].items}
    # The login changes: the part before @, marked changed (it is the whole address today).
    assert (rows["username"].value, rows["username"].changed) == ("taro", True), program
    assert rows["pop_server"].value == "imap.hoshizora.example.ne.jp", program
    assert rows["smtp_server"].value == "smtp.hoshizora.example.ne.jp", program


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_117net_pop_or_the_whole_address_as_the_login(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    heard = walker.walk(
        PROFILE,
        catalogs,
        locale,
        dt.date.fromisoformat(day),
        ADDRESS,
        on_card=card_with_the_part_before_at,
    )
    leaks = found(ABSENT, heard)
    assert not leaks, where(leaks[0], heard)
    # Every program's guide adds a new IMAP account beside the current one (the old IMAP
    # server's mail is not copied) with the part before @ as its login.
    login = {"ja": "アカウント名（ユーザー名）：taro\n", "en": "Account name (user name): taro\n"}
    new_account = {"ja": "アカウントを新しく追加し", "en": "Add a new account for"}
    for program, text in zip(MailProgram, heard[1:], strict=True):
        assert login[locale] in text, program
        assert new_account[locale] in text, program
