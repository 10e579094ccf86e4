"""A migration that moves the addresses to a new domain (`examples/domain-change.toml`).

After a merger, taro@minato-net.example.jp becomes taro@kaigan-hikari.example.jp: the
subscriber may type either address; the card shows the address row changed (old → new) and
the login name as the new address; every program's guide changes the address field too (or
adds an account where the program cannot); the Thunderbird, Apple and Outlook files carry
the new address; mail sent to the old address is forwarded until `old_address_until`, and the
bot says so on each side of that day. A profile without `new_domain` is today's.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Final

import pytest

from bot.mailcheck.target import CheckTarget
from bot.ops.catalogs import Catalogs, placeholders
from bot.ops.profile_loader import load_profile
from dialogs.guide_text import ADDRESS_VARIANT_KEYS, guide_steps, server_changes
from dialogs.mail_config_files import (
    apple_mobileconfig,
    outlook_autodiscover,
    thunderbird_autoconfig,
)
from dialogs.mail_programs import MailProgram, ServerChanges, guide_keys
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.questionnaire import Stage
from dialogs.settings_card import CardFacts, SmtpHost, card_items
from dialogs.vocabulary import Locale, Sending, SettingsReply, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.test_examples import sayer

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "domain-change.toml"
MOVED: Final = load_profile(EXAMPLE)
OLD: Final = "taro@minato-net.example.jp"
NEW: Final = "taro@kaigan-hikari.example.jp"
LOCALES: Final[tuple[Locale, ...]] = ("ja", "en")
BEFORE: Final = dt.date(2027, 1, 20)
IN_WINDOW: Final = dt.date(2027, 2, 10)
# After the old servers stopped, with the old address still forwarded.
FORWARDED: Final = dt.date(2027, 6, 1)
LAST_FORWARDED: Final = dt.date(2027, 9, 30)
AFTER_FORWARDING: Final = dt.date(2027, 10, 5)
# The guide variants a new domain may meet: the example's, hosts kept, a table (IMAP), a
# new account (POP3 → IMAP).
CHANGES_WITH_ADDRESS: Final = (
    ServerChanges(address_changes=True, receiving_port_or_security=True, sending_security=True),
    ServerChanges(address_changes=True, receiving_host_kept=True, sending_host_kept=True),
    ServerChanges(address_changes=True, table_only=True),
    ServerChanges(address_changes=True, table_only=True, new_account=True),
)


def data() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text("utf-8"))


def with_changes(**tables: dict[str, Any]) -> dict[str, Any]:
    """The example's TOML with some keys of some tables replaced (None: left out)."""
    parsed = data()
    for name, changes in tables.items():
        table = dict(parsed[name])
        for key, value in changes.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
        parsed[name] = table
    return parsed


def said_all(driver: Driver) -> str:
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def delivered(
    catalogs: Catalogs,
    locale: Locale,
    *,
    today: dt.date = IN_WINDOW,
    address: str = OLD,
    program: MailProgram = MailProgram.THUNDERBIRD,
    profile: MigrationProfile = MOVED,
) -> Driver:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.press("yes")
    driver.type(address)
    driver.press(f"program:{program.value}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        # The old provider's outgoing server: it moves too.
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED, said_all(driver)
    return driver


# --- the profile ------------------------------------------------------------------------


def test_the_example_moves_every_affected_domain() -> None:
    assert MOVED.new_domains == (("minato-net.example.jp", "kaigan-hikari.example.jp"),)
    assert MOVED.domain_changes
    assert MOVED.schedule.old_address_until == LAST_FORWARDED
    # Either address is served and names one mailbox.
    assert MOVED.is_affected(OLD)
    assert MOVED.is_affected(NEW)
    assert not MOVED.is_affected("taro@example.com")
    assert MOVED.new_address(OLD) == MOVED.new_address(NEW) == NEW
    assert MOVED.old_address(OLD) == MOVED.old_address(NEW) == OLD


def test_a_profile_without_new_domain_keeps_every_address(profile: MigrationProfile) -> None:
    assert profile.new_domains == ()
    assert not profile.domain_changes
    assert profile.schedule.old_address_until is None
    assert profile.new_address("taro@vp.117.ne.jp") == "taro@vp.117.ne.jp"
    assert not profile.is_affected("taro@kaigan-hikari.example.jp")


def test_a_table_gives_each_old_domain_its_own() -> None:
    parsed = with_changes(
        provider={
            "affected_domains": ["minato-net.example.jp", "minato-biz.example.jp"],
            "new_domain": {
                "minato-net.example.jp": "kaigan-hikari.example.jp",
                "minato-biz.example.jp": "biz.kaigan-hikari.example.jp",
            },
        }
    )
    moved = parse_profile(parsed, "moved.toml")

    assert moved.new_address("hanako@minato-biz.example.jp") == (
        "hanako@biz.kaigan-hikari.example.jp"
    )
    assert moved.old_address("hanako@biz.kaigan-hikari.example.jp") == (
        "hanako@minato-biz.example.jp"
    )


@pytest.mark.parametrize(
    ("provider", "schedule", "message"),
    [
        (
            {"new_domain": "kaigan hikari"},
            {},
            "[provider.new_domain] 'kaigan hikari' is not a host name like mail.example.jp",
        ),
        (
            {"new_domain": "minato-net.example.jp"},
            {},
            "[provider.new_domain] 'minato-net.example.jp' is one of affected_domains",
        ),
        ({"new_domain": 3}, {}, '[provider.new_domain] must be a domain like "new-isp.jp"'),
        (
            {"new_domain": {"minato.example.jp": "kaigan-hikari.example.jp"}},
            {},
            "[provider.new_domain.minato.example.jp] is not a known key",
        ),
        (
            {
                "affected_domains": ["minato-net.example.jp", "minato-biz.example.jp"],
                "new_domain": {"minato-net.example.jp": "kaigan-hikari.example.jp"},
            },
            {},
            "[provider.new_domain] names no new domain for minato-biz.example.jp",
        ),
        (
            {},
            {"old_address_until": dt.date(2027, 3, 30)},
            "[schedule.old_address_until] is before schedule.window_end",
        ),
        (
            {"new_domain": None},
            {},
            "[schedule.old_address_until] is given while [provider] new_domain is not",
        ),
        (
            {},
            {"old_address_until": "2027-09-30"},
            "[schedule.old_address_until] must be a date like 2008-05-21, written without quotes",
        ),
    ],
)
def test_a_mistake_names_the_file_and_the_key(
    provider: dict[str, Any], schedule: dict[str, Any], message: str
) -> None:
    with pytest.raises(ProfileError) as raised:
        parse_profile(with_changes(provider=provider, schedule=schedule), "moved.toml")

    assert str(raised.value).startswith(f"moved.toml: {message}"), str(raised.value)
    assert "\n" not in str(raised.value)


# --- the card, the guides, what is said -------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed", [OLD, NEW])
def test_the_card_shows_the_address_changed_and_the_new_login(
    catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = delivered(catalogs, locale, address=typed)

    cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
    rows = {item.key: item for item in cards[-1].items}
    assert next(iter(rows)) == "address"
    assert rows["address"].changed
    assert (
        rows["address"].value
        == {
            "ja": f"{NEW}（今は{OLD}）",
            "en": f"{NEW} (currently {OLD})",
        }[locale]
    )
    # The login was the whole old address: it is the whole new one, marked changed.
    assert rows["username"].value == NEW
    assert rows["username"].changed
    assert rows["pop_server"].value == "pop.kaigan-hikari.example.jp"
    # The title names both addresses, old first (the one they know), whichever was typed:
    # it said 「新しい設定（taro@minato-net…）」 alone, new settings under the old address.
    assert (
        cards[-1].title
        == {
            "ja": f"新しい設定（{OLD} → {NEW}）",
            "en": f"Your new settings ({OLD} → {NEW})",
        }[locale]
    )


def test_the_card_of_a_profile_without_new_domain_has_no_address_row(
    catalogs: Catalogs, profile: MigrationProfile
) -> None:
    facts = CardFacts("taro@vp.117.ne.jp", Sending.REQUIRED, SmtpHost.OLD)
    items = card_items(profile, facts, sayer(catalogs, "ja", profile, facts))

    assert "address" not in [item.key for item in items]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_conversation_says_the_new_address_and_the_forwarding(
    catalogs: Catalogs, locale: Locale
) -> None:
    text = said_all(delivered(catalogs, locale))

    expected = {
        "ja": (
            f"メールアドレスが{OLD}から{NEW}に変わります",
            f"2027年9月30日(木)までは、{OLD}あてに送られたメールも{NEW}に届きます",
            "新しいアドレスをお知らせください",
        ),
        "en": (
            f"your e-mail address changes from {OLD} to {NEW}",
            f"Until Thursday 30 September 2027, mail sent to {OLD} still reaches you at {NEW}",
            "please give your new address",
        ),
    }[locale]
    for words in expected:
        assert words in text, words


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("today", [BEFORE, IN_WINDOW, FORWARDED, LAST_FORWARDED], ids=str)
def test_the_old_address_is_forwarded_until_its_last_day(
    catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    text = said_all(delivered(catalogs, locale, today=today))

    forwarded = {"ja": "までは、", "en": "Until Thursday 30 September 2027"}[locale]
    stopped = {"ja": "届かなくなりました", "en": "stopped arriving"}[locale]
    assert forwarded in text
    assert stopped not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_after_its_last_day_mail_to_the_old_address_no_longer_arrives(
    catalogs: Catalogs, locale: Locale
) -> None:
    text = said_all(delivered(catalogs, locale, today=AFTER_FORWARDING))

    expected = {
        "ja": f"{OLD}あてのメールは、2027年9月30日(木)を最後に届かなくなりました",
        "en": f"Mail sent to {OLD} stopped arriving after Thursday 30 September 2027",
    }[locale]
    assert expected in text
    assert {"ja": "までは、", "en": "still reaches you"}[locale] not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_an_undecided_last_day_is_for_now(catalogs: Catalogs, locale: Locale) -> None:
    undecided = parse_profile(with_changes(schedule={"old_address_until": None}), "moved.toml")

    text = said_all(delivered(catalogs, locale, today=AFTER_FORWARDING, profile=undecided))

    expected = {
        "ja": f"{OLD}あてに送られたメールも、当面は{NEW}に届きます。届かなくなる日は、決まり次第",
        "en": f"Mail sent to {OLD} still reaches you at {NEW} for now. The day it stops",
    }[locale]
    assert expected in text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("today", [BEFORE, IN_WINDOW, AFTER_FORWARDING], ids=str)
def test_does_my_address_change_is_answered_yes(
    catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    driver = Driver(MOVED, catalogs, today=today)
    driver.start(locale)
    driver.press("topic:address")

    text = driver.said()
    # The notice's answer says the address stays: false here.
    assert {"ja": "メールアドレスは変わりません", "en": "address does not change"}[
        locale
    ] not in text
    assert "@kaigan-hikari.example.jp" in text
    login = {"ja": "アカウント名（ユーザー名）は、", "en": "account name (user name) is"}[locale]
    assert login in text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    ("program", "field"),
    [
        (MailProgram.OUTLOOK_CLASSIC, {"ja": "「電子メール アドレス」", "en": '"Email Address"'}),
        (MailProgram.THUNDERBIRD, {"ja": "「メールアドレス」", "en": '"Email Address"'}),
        (MailProgram.APPLE_MAIL, {"ja": "「メールアドレスを編集」", "en": "Edit Email Addresses"}),
        (MailProgram.IOS_MAIL, {"ja": "「POPアカウント情報」", "en": "POP Account Information"}),
        (MailProgram.BECKY, {"ja": "「メールアドレス」", "en": "メールアドレス"}),
        (MailProgram.OTHER, {"ja": "メールアドレスの欄", "en": "e-mail address field"}),
    ],
)
def test_each_guide_changes_the_address_field_after_opening_the_account(
    catalogs: Catalogs, locale: Locale, program: MailProgram, field: dict[str, str]
) -> None:
    facts = CardFacts(OLD, Sending.REQUIRED, SmtpHost.OLD)
    steps = guide_steps(program, facts, sayer(catalogs, locale, MOVED, facts), MOVED)

    address_steps = [step for step in steps if field[locale] in step and NEW in step]
    assert len(address_steps) == 1, steps
    # The account is found under the address it has today; the address step says what the
    # people written to see.
    assert OLD in steps[0] + steps[1]
    assert {"ja": "差出人のアドレス", "en": "sender's address"}[locale] in address_steps[0]
    assert NEW in "\n".join(steps[steps.index(address_steps[0]) + 1 :])  # the login


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", [MailProgram.OUTLOOK_NEW, MailProgram.GMAIL_ANDROID])
@pytest.mark.parametrize("today", [IN_WINDOW, FORWARDED], ids=str)
def test_a_program_that_cannot_change_the_address_adds_an_account(
    catalogs: Catalogs, locale: Locale, program: MailProgram, today: dt.date
) -> None:
    text = said_all(delivered(catalogs, locale, program=program, today=today))

    add = {
        "ja": f"{NEW}のアカウントを新しく追加し",
        "en": f"add a new account for {NEW}",
    }[locale]
    assert add in text
    # Its receiving table and login are the new account's.
    assert "pop.kaigan-hikari.example.jp" in text
    keep_until_received = {"ja": "受信し終えるまで", "en": "until you have received"}[locale]
    # Once the old server is gone, nothing is left to receive with the current account.
    assert (keep_until_received in text) is (today == IN_WINDOW)


def test_the_address_steps_exist_in_both_languages_with_the_same_placeholders(
    catalogs: Catalogs,
) -> None:
    keys = {
        key
        for program in MailProgram
        for changes in CHANGES_WITH_ADDRESS
        for sending in (True, False)
        for key in guide_keys(program, include_sending=sending, changes=changes)
    } | ADDRESS_VARIANT_KEYS
    for key in keys:
        ja, en = catalogs.raw("ja", key), catalogs.raw("en", key)
        assert ja != key, key
        assert en != key, key
        assert placeholders(ja) == placeholders(en), key


def test_without_new_domain_no_guide_has_an_address_step(profile: MigrationProfile) -> None:
    assert not server_changes(profile).address_changes
    for program in MailProgram:
        keys = guide_keys(program, include_sending=True, changes=server_changes(profile))
        assert not [key for key in keys if key.endswith(".address")], program


# --- the files and the live check -------------------------------------------------------


@pytest.mark.parametrize("typed", [OLD, NEW])
def test_the_files_carry_the_new_address(catalogs: Catalogs, typed: str) -> None:
    apple = plistlib.loads(
        apple_mobileconfig(
            MOVED,
            typed,
            sending=Sending.REQUIRED,
            smtp_host=SmtpHost.OLD,
            texts=catalogs,
            locale="ja",
        )
    )
    mail = apple["PayloadContent"][0]
    assert mail["EmailAddress"] == NEW
    assert mail["IncomingMailServerUsername"] == NEW
    assert mail["OutgoingMailServerUsername"] == NEW

    request = (
        '<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/'
        'autodiscover/outlook/requestschema/2006"><Request>'
        f"<EMailAddress>{typed}</EMailAddress></Request></Autodiscover>"
    ).encode()
    outlook = ET.fromstring(outlook_autodiscover(MOVED, request))  # noqa: S314 - our own output
    logins = [element.text for element in outlook.iter() if element.tag.endswith("LoginName")]
    assert logins == [NEW, NEW]


def thunderbird_file(profile: MigrationProfile, asked: str | None = None) -> ET.Element:
    return ET.fromstring(thunderbird_autoconfig(profile, asked))  # noqa: S314 - our own output


def test_the_thunderbird_file_serves_the_old_domain_and_the_new() -> None:
    # Subscribers set Thunderbird up with the address they know, old or new: the file
    # answers for both, and the login is the new address whichever was typed (the file
    # served only the new domain, so an old address typed got no file from it).
    root = thunderbird_file(MOVED)

    assert [d.text for d in root.findall("emailProvider/domain")] == [
        "kaigan-hikari.example.jp",
        "minato-net.example.jp",
    ]
    [username] = {e.text or "" for e in root.iter("username")}
    assert username == "%EMAILLOCALPART%@kaigan-hikari.example.jp"
    # What Thunderbird makes of it for either address typed (it replaces the placeholder).
    for typed in (OLD, NEW):
        assert username.replace("%EMAILLOCALPART%", typed.split("@")[0]) == NEW


# Two old domains moving to two new ones: the file cannot name one new domain for all.
TWO_WAYS: Final = parse_profile(
    with_changes(
        provider={
            "affected_domains": ["minato-net.example.jp", "minato-biz.example.jp"],
            "new_domain": {
                "minato-net.example.jp": "kaigan-hikari.example.jp",
                "minato-biz.example.jp": "biz.kaigan-hikari.example.jp",
            },
        }
    ),
    "two.toml",
)


@pytest.mark.parametrize(
    ("asked", "domains", "username"),
    [
        # The address Thunderbird asks for, old or new, or the host it asked.
        (
            "hanako@minato-biz.example.jp",
            ["biz.kaigan-hikari.example.jp", "minato-biz.example.jp"],
            "%EMAILLOCALPART%@biz.kaigan-hikari.example.jp",
        ),
        (
            "taro@kaigan-hikari.example.jp",
            ["kaigan-hikari.example.jp", "minato-net.example.jp"],
            "%EMAILLOCALPART%@kaigan-hikari.example.jp",
        ),
        (
            "autoconfig.minato-net.example.jp",
            ["kaigan-hikari.example.jp", "minato-net.example.jp"],
            "%EMAILLOCALPART%@kaigan-hikari.example.jp",
        ),
        # Nothing that tells which: the new domains, where the address typed is the login.
        (None, ["kaigan-hikari.example.jp", "biz.kaigan-hikari.example.jp"], "%EMAILADDRESS%"),
        (
            "mailmove.example.org",
            ["kaigan-hikari.example.jp", "biz.kaigan-hikari.example.jp"],
            "%EMAILADDRESS%",
        ),
    ],
)
def test_several_new_domains_take_the_one_asked_for(
    asked: str | None, domains: list[str], username: str
) -> None:
    root = thunderbird_file(TWO_WAYS, asked)
    assert [d.text for d in root.findall("emailProvider/domain")] == domains
    assert {e.text for e in root.iter("username")} == {username}


def test_the_live_check_logs_in_with_the_new_address_whichever_was_typed() -> None:
    target = CheckTarget.from_profile(MOVED)

    assert target.incoming.login_name(OLD) == NEW
    assert target.smtp.login_name(OLD) == NEW
    assert target.incoming.login_name(NEW) == NEW


def test_a_profile_without_new_domain_checks_the_address_as_typed(
    profile: MigrationProfile,
) -> None:
    target = CheckTarget.from_profile(profile)

    assert target.incoming.login_name("taro@vp.117.ne.jp") == "taro@vp.117.ne.jp"


# --- the dates, asked -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "typed", "expected"),
    [
        ("ja", "古いアドレスはいつまで使えますか", "2027年9月30日(木)までは、"),
        ("ja", "前のアドレスに届いたメールはどうなりますか", "2027年9月30日(木)までは、"),
        ("en", "topic:schedule", "Until Thursday 30 September 2027, mail sent to"),
        ("en", "topic:old_mail", "Until Thursday 30 September 2027, mail sent to"),
    ],
)
def test_the_old_addresses_day_answers_the_dates_and_old_mail_questions(
    catalogs: Catalogs, locale: Locale, typed: str, expected: str
) -> None:
    driver = Driver(MOVED, catalogs, today=IN_WINDOW)
    driver.start(locale)
    if typed.startswith("topic:"):
        driver.press(typed)
    else:
        driver.type(typed)

    assert expected in driver.said()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_verdict_leaves_the_old_addresses_day_to_the_card(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(MOVED, catalogs, today=IN_WINDOW)
    driver.start(locale)
    driver.press("yes")

    # Said before the subscriber heard their address changes, it would puzzle: it comes
    # with the new address, before the card.
    assert "2027" in driver.verdict().text
    assert "@" not in driver.verdict().text.split("\n\n", 1)[1]


# --- a refused login, told with the address tried ----------------------------------------


@pytest.mark.parametrize(
    ("locale", "typed", "expected"),
    [
        # The whole OLD address is no account any more: the new one is named.
        (
            "ja",
            f"ユーザー名を{OLD}にしたのにパスワードが違うと出ます",
            f"アカウント名（ユーザー名）はメールアドレス全体の{NEW}です",
        ),
        (
            "en",
            f"I set the user name to {OLD} but it says the password is wrong",
            f"it must be your full e-mail address, {NEW}",
        ),
        # The whole NEW address is right: the password is what to look at.
        ("ja", f"ユーザー名を{NEW}にしたのにパスワードが違うと出ます", "それで合っています"),
    ],
)
def test_a_refused_login_with_the_old_address_is_told_the_new_one(
    catalogs: Catalogs, locale: Locale, typed: str, expected: str
) -> None:
    driver = Driver(MOVED, catalogs, today=IN_WINDOW)
    driver.start(locale)
    driver.type(typed)

    said = driver.said()
    assert expected in said
    if typed.startswith(("ユーザー名を" + OLD, "I set")):
        assert {"ja": "それで合っています", "en": "that is right"}[locale] not in said
    # The address named is kept, old or new.
    assert driver.state.address == (NEW if NEW in typed else OLD)


# --- the login first, the sender's address later (old_sender_until) ----------------------

SENDER_UNTIL: Final = dt.date(2027, 6, 30)


def sender_lags() -> MigrationProfile:
    return parse_profile(with_changes(schedule={"old_sender_until": SENDER_UNTIL}), "moved.toml")


@pytest.mark.parametrize(
    ("locale", "today", "expected", "not_said"),
    [
        (
            "ja",
            IN_WINDOW,
            f"2027年6月30日(水)までは今の{OLD}のままでも送信できます",
            "送信できたのは",
        ),
        (
            "en",
            IN_WINDOW,
            f"Until Wednesday 30 June 2027, though, you can still send with {OLD}",
            "worked until",
        ),
        (
            "ja",
            dt.date(2027, 7, 1),
            f"差出人のアドレスを{OLD}のままで送信できたのは、2027年6月30日(水)までです",
            "のままでも送信できます",
        ),
        (
            "en",
            dt.date(2027, 7, 1),
            f"Sending with {OLD} as the sender worked until Wednesday 30 June 2027",
            "you can still send",
        ),
    ],
)
def test_the_old_address_may_stay_the_sender_until_its_day(
    catalogs: Catalogs, locale: Locale, today: dt.date, expected: str, not_said: str
) -> None:
    text = said_all(delivered(catalogs, locale, today=today, profile=sender_lags()))

    assert expected in text
    assert not_said not in text


def test_without_old_sender_until_nothing_is_said_of_the_sender(catalogs: Catalogs) -> None:
    text = said_all(delivered(catalogs, "ja"))

    assert "のままでも送信できます" not in text
    assert "送信できたのは" not in text


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (
            {"old_sender_until": dt.date(2027, 10, 1)},
            "[schedule.old_sender_until] is after schedule.old_address_until (2027-09-30)",
        ),
        (
            {"old_sender_until": dt.date(2027, 1, 31)},
            "[schedule.old_sender_until] is before schedule.window_start",
        ),
    ],
)
def test_a_sender_day_out_of_place_is_refused(schedule: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=re.escape(f"moved.toml: {message}")):
        parse_profile(with_changes(schedule=schedule), "moved.toml")


def test_a_sender_day_without_new_domain_is_refused() -> None:
    parsed = with_changes(
        provider={"new_domain": None},
        schedule={"old_address_until": None, "old_sender_until": SENDER_UNTIL},
    )
    with pytest.raises(ProfileError, match=re.escape("[schedule.old_sender_until] is given")):
        parse_profile(parsed, "moved.toml")
