"""A new address domain where the subscriber adds an account (POP3 → IMAP, an old IMAP server).

The account added is the new address's: its first step must not say "add an account for
taro@old" when the very next step types taro@new into it.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.guide_text import guide_steps
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile, parse_profile
from dialogs.settings_card import CardFacts, SmtpHost
from dialogs.vocabulary import Locale, Sending
from tests.dialogs.test_domain_change import (
    FORWARDED,
    IN_WINDOW,
    LOCALES,
    NEW,
    OLD,
    delivered,
    said_all,
    with_changes,
)
from tests.dialogs.test_examples import sayer

# The example's move, with receiving going from POP3 to IMAP at the same time.
TO_IMAP: Final = parse_profile(
    with_changes(incoming={"protocol": "imap", "old_protocol": "pop3", "port": 993}),
    "to-imap.toml",
)
# An old IMAP server whose mail is not copied: a new account too.
FROM_IMAP: Final = parse_profile(
    with_changes(incoming={"protocol": "imap", "port": 993, "old_port": 143}),
    "from-imap.toml",
)
ADD: Final = {"ja": "のアカウントを新しく追加し", "en": "add a new account for "}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("profile", [TO_IMAP, FROM_IMAP], ids=["pop3-to-imap", "old-imap"])
@pytest.mark.parametrize("today", [IN_WINDOW, FORWARDED], ids=str)
@pytest.mark.parametrize("typed", [OLD, NEW])
def test_the_account_added_is_the_new_address(
    catalogs: Catalogs,
    locale: Locale,
    profile: MigrationProfile,
    today: dt.date,
    typed: str,
) -> None:
    facts = CardFacts(typed, Sending.REQUIRED, SmtpHost.OLD)
    steps = guide_steps(
        MailProgram.THUNDERBIRD,
        facts,
        sayer(catalogs, locale, profile, facts),
        profile,
        old_mail_to_collect=today == IN_WINDOW,
    )

    opening = steps[0]
    assert ADD[locale] in opening.lower(), steps
    assert NEW in opening, opening
    assert OLD not in opening, opening


@pytest.mark.parametrize("locale", LOCALES)
def test_the_conversation_adds_an_account_for_the_new_address(
    catalogs: Catalogs, locale: Locale
) -> None:
    text = said_all(delivered(catalogs, locale, profile=TO_IMAP))

    add = {"ja": f"{NEW}のアカウントを新しく追加し", "en": f"add a new account for {NEW}"}[locale]
    assert add in text
    assert f"{OLD}のアカウントを新しく追加し" not in text
    assert f"add a new account for {OLD}" not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_without_new_domain_the_account_added_is_the_address_typed(
    catalogs: Catalogs, locale: Locale
) -> None:
    data = with_changes(
        provider={"new_domain": None},
        schedule={"old_address_until": None},
        incoming={"protocol": "imap", "old_protocol": "pop3", "port": 993},
    )
    profile = parse_profile(data, "stays.toml")
    facts = CardFacts(OLD, Sending.REQUIRED, SmtpHost.OLD)

    steps = guide_steps(
        MailProgram.THUNDERBIRD, facts, sayer(catalogs, locale, profile, facts), profile
    )

    assert OLD in steps[0]
    assert ADD[locale] in steps[0].lower()


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("profile", [TO_IMAP, FROM_IMAP], ids=["pop3-to-imap", "old-imap"])
def test_the_new_accounts_address_field_is_not_said_to_hold_the_old_one(
    catalogs: Catalogs, locale: Locale, profile: MigrationProfile
) -> None:
    facts = CardFacts(OLD, Sending.REQUIRED, SmtpHost.OLD)
    steps = guide_steps(
        MailProgram.THUNDERBIRD, facts, sayer(catalogs, locale, profile, facts), profile
    )

    # The field of an account just added is empty: "today it is taro@old" would send the
    # subscriber looking for a value to replace.
    field = steps[1]
    assert NEW in field
    assert {"ja": f"今は{OLD}", "en": f"today it is {OLD}"}[locale] not in field
