"""examples/hosted-mail-by-post.toml, written from the README as a third operator would.

Minami Cable closes its own mail servers: the mailboxes move to a hosting company's servers
(POP3 on 995 with TLS, SMTP on 587 + STARTTLS or 465), the login becomes the whole address,
its subscribers already log in on port 25 today (`old_smtp_auth = true`), and the new
passwords are sent by post (`[password] kind = "post"`): no page to set one on. Its whole
questionnaire is walked by button and by typed words on five dates in both languages; every
topic, typed problem, program and check result is heard, and nothing of the seed's provider,
servers or dates is said, nor a page to set a password on, nor that the password stays, nor
that SMTP authentication is new to them.
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
from dialogs.profile import PasswordKind, ProfileError, parse_profile
from dialogs.vocabulary import (
    Locale,
    Receiving,
    Sending,
    SettingsReply,
)
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.test_other_provider import TOPICS
from tests.dialogs.test_password_reset import stays
from tests.dialogs.walker import OnCard, verdict_after

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "hosted-mail-by-post.toml"
PROFILE: Final = load_profile(PATH)
ADDRESS: Final = "taro@minami-catv.example.jp"
# Before the window, its first and last days, after the old SMTP server, after the old POP.
DAYS: Final = ("2027-10-15", "2027-11-01", "2027-11-30", "2027-12-01", "2028-01-05")
LETTER: Final = {"ja": "「メールサービス移行のご案内」", "en": "“Your mail service is moving”"}
# The seed's provider, servers, dates and its port-25 plan (port 25 blocked elsewhere is a
# cause here: they send on 25 today); a page to set a password on (the other [password]
# kinds); IMAP, which this profile never speaks.
ABSENT: Final = re.compile(
    r"117|vpop|vsmtp|\bvs\.|\bvp\.|2008|OP25B|実施を予定|plans to introduce"
    r"|で設定した|you set on|で発行|issued on|https://|\bIMAP\b"
)
# Every path through its two questions, by button and by typed words, and where it ends.
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("yes", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    ("unsure", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("unsure", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("unsure", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
}


@pytest.fixture(scope="module")
def worded(catalogs: Catalogs) -> Catalogs:
    """The catalogs as `mailmove serve` words this profile (the posted-password twins)."""
    return catalogs.with_variants(PROFILE.text_variants)


def test_the_profile_says_what_its_comment_says() -> None:
    reset = PROFILE.password_reset
    assert reset is not None
    assert (reset.kind, reset.url) == (PasswordKind.POST, "")
    assert PROFILE.outgoing.old_port == 25
    assert PROFILE.outgoing.old_authenticated is True
    assert not PROFILE.domain_changes


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", [False, True], ids=["buttons", "typed"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_of_the_questionnaire_ends_where_the_profile_says(
    worded: Catalogs, day: str, typed: bool, locale: Locale
) -> None:
    for answers, (receiving, sending) in PATHS.items():
        today = dt.date.fromisoformat(day)
        verdict = verdict_after(PROFILE, worded, locale, today, answers, typed=typed)
        assert (verdict.receiving, verdict.sending) == (receiving, sending), answers
        if answers == ("no",):
            # Webmail changes no program, but signs in with the letter's password.
            assert LETTER[locale] in verdict.text


def card_with_the_letter(locale: Locale) -> OnCard:
    """The password is new and in the letter; SMTP AUTH is no news (port 25 with it)."""

    def check(driver: Driver, program: MailProgram) -> None:
        cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
        rows = {item.key: item for item in cards[-1].items}
        assert rows["password"].changed, program
        assert LETTER[locale] in rows["password"].value, program
        assert not rows["smtp_auth"].changed, program

    return check


def walk(catalogs: Catalogs, locale: Locale, today: dt.date) -> list[str]:
    """Every topic and typed problem, then every program to its card, guide and checks."""
    return walker.walk(
        PROFILE,
        catalogs,
        locale,
        today,
        ADDRESS,
        # Asked by name, the OP25B topic names it.
        topics=[topic for topic in TOPICS if topic != "op25b"],
        on_card=card_with_the_letter(locale),
    )


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_of_the_seed_nor_of_a_password_page_is_said(
    worded: Catalogs, day: str, locale: Locale
) -> None:
    heard = walk(worded, locale, dt.date.fromisoformat(day))
    leaks = sorted({m.group() for text in heard for m in ABSENT.finditer(text)})
    assert not leaks, [t[max(0, t.find(leaks[0]) - 160) :][:320] for t in heard if leaks[0] in t]
    assert not [text for text in heard if stays(locale, text)]
    # Every program's guide names the letter where it asks for the password.
    assert all(LETTER[locale] in text for text in heard[1:])


@pytest.mark.parametrize(
    ("locale", "spoofing", "port"),
    [("ja", "なりすまし", "25番から587番"), ("en", "pretend", "from 25 to 587")],
)
def test_why_is_the_move_and_the_port_not_authentication(
    worded: Catalogs, locale: Locale, spoofing: str, port: str
) -> None:
    driver = Driver(PROFILE, worded, today=dt.date(2027, 11, 1))
    driver.start(locale)
    driver.press("topic:why")
    said = driver.said()
    assert spoofing not in said
    assert port in said
    assert "pop.minami.hosted-mail.example.net" in said


@pytest.mark.parametrize(
    ("table", "key"),
    [
        # A letter has no page: its keys are refused, not ignored.
        (
            'kind = "post"\nletter = {ja = "a", en = "b"}\nreset_url = "https://x.example.jp/"',
            "reset_url",
        ),
        (
            'kind = "post"\nletter = {ja = "a", en = "b"}\nreset_page = {ja = "a", en = "b"}',
            "reset_page",
        ),
        ('kind = "post"', "letter"),
        ('kind = "post"\nletter = {ja = "a"}', "letter.en"),
        # A letter named for a page's password.
        (
            'reset_url = "https://x.example.jp/"\nreset_page = {ja = "a", en = "b"}\n'
            'letter = {ja = "a", en = "b"}',
            "letter",
        ),
        ('kind = "mail"\nletter = {ja = "a", en = "b"}', "kind"),
    ],
)
def test_a_posted_password_table_is_checked_by_key(table: str, key: str) -> None:
    text = PATH.read_text("utf-8")
    start = text.index("\n[password]\n")
    end = text.index("\n[support]\n")
    changed = text[:start] + "\n[password]\n" + table + "\n" + text[end:]
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(changed), "post.toml")
    assert f"[password.{key}]" in str(refused.value), str(refused.value)


@pytest.mark.parametrize(
    ("locale", "whole", "notice"),
    [
        ("ja", "受信の設定の変更が必要です", "受信サーバー名とアカウント名の変更"),
        ("en", "must change the receiving settings", "incoming server name and the account name"),
    ],
)
def test_the_receiving_verdict_does_not_leave_out_the_port_and_encryption(
    worded: Catalogs, locale: Locale, whole: str, notice: str
) -> None:
    # The notice's sentence names the server and the account, all that changed for 117net;
    # here the port (110 → 995) and the encryption change too, and it read as the whole.
    driver = Driver(PROFILE, worded, today=dt.date(2027, 11, 1))
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    text = driver.verdict().text
    assert whole in text
    assert notice not in text
