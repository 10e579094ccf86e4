"""A profile with several affected domains names every one where it says who is concerned.

A provider often migrates more than one domain (`affected_domains`); the greeting, the
receiving verdict and the address questions used to name only the first, which told a
subscriber of the second domain that the migration was not about them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TLS = load_profile(EXAMPLES / "tls-migration.toml")
SEVERAL = dataclasses.replace(
    TLS, affected_domains=("examplenet.ne.jp", "mail.examplenet.ne.jp", "example-biz.jp")
)
EVERY: dict[Locale, tuple[str, ...]] = {
    "ja": ("「@examplenet.ne.jp」、「@mail.examplenet.ne.jp」または「@example-biz.jp」で終わる",),
    "en": ('ending in "@examplenet.ne.jp", "@mail.examplenet.ne.jp" or',),
}
AT_EVERY: dict[Locale, str] = {
    "ja": "@examplenet.ne.jp、@mail.examplenet.ne.jpまたは@example-biz.jp",
    "en": "@examplenet.ne.jp, @mail.examplenet.ne.jp or @example-biz.jp",
}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_greeting_verdict_and_address_question_name_every_domain(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(SEVERAL, catalogs, today=SEVERAL.schedule.window_start)
    driver.start(locale)
    for phrase in EVERY[locale]:
        assert phrase in driver.said()
    driver.press("yes")
    for phrase in EVERY[locale]:
        assert phrase in driver.verdict().text
    assert AT_EVERY[locale] in driver.said()  # the address question
    driver.type("taro@gmail.com")
    assert AT_EVERY[locale] in driver.said()  # not one of ours: which ones are
    driver.type("taro@example-biz.jp")
    assert "taro@example-biz.jp" in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_one_domain_reads_as_before(catalogs: Catalogs, locale: Locale) -> None:
    driver = Driver(TLS, catalogs, today=TLS.schedule.window_start)
    driver.start(locale)
    one = {
        # Its notice's notation is not known ([provider] notice_addresses left out): the
        # words alone, no 「********@…」 this provider may never have written.
        "ja": "「@examplenet.ne.jp」で終わるメールアドレスをお使いの方",
        "en": 'ending in "@examplenet.ne.jp".',
    }[locale]
    assert one in driver.said()
    assert "*" not in driver.said()
    driver.press("yes")
    asked = {"ja": "@examplenet.ne.jpのメールアドレスを", "en": "your @examplenet.ne.jp address"}
    assert asked[locale] in driver.said()


@pytest.mark.parametrize(
    ("locale", "asked"),
    [
        (
            "ja",
            "送信（SMTP）サーバー名は「smtp.examplenet.ne.jp」または「mail.examplenet.ne.jp」ですか",
        ),
        ("en", 'server "smtp.examplenet.ne.jp" or "mail.examplenet.ne.jp"?'),
    ],
)
def test_several_old_outgoing_servers_are_alternatives_not_one_name(
    catalogs: Catalogs, locale: Locale, asked: str
) -> None:
    # 「smtp.examplenet.ne.jp, mail.examplenet.ne.jp」 read as one strange server name.
    profile = dataclasses.replace(
        TLS,
        outgoing=dataclasses.replace(
            TLS.outgoing, old_hosts=("smtp.examplenet.ne.jp", "mail.examplenet.ne.jp")
        ),
    )
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("settings")
    driver.type("taro@examplenet.ne.jp")
    driver.type("Thunderbird")
    assert asked in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_partly_typed_address_is_shown_whole_at_the_domain_begun(
    catalogs: Catalogs, locale: Locale
) -> None:
    # 「taro@example-biz」 (no dot, not yet an address) was shown as 「taro@examplenet.ne.jp」,
    # the first domain's form, to a subscriber who had begun typing their own.
    driver = Driver(SEVERAL, catalogs, today=SEVERAL.schedule.window_start)
    driver.start(locale)
    driver.press("yes")
    driver.type("taro@example-biz")
    expected = catalogs(
        locale, "address.partial", domain="example-biz.jp", example="taro@example-biz.jp"
    )
    assert expected in driver.said()
    # Only the name: the first domain's form, as before.
    driver.type("taro")
    first = catalogs(
        locale, "address.partial", domain="examplenet.ne.jp", example="taro@examplenet.ne.jp"
    )
    assert first in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_several_notations_of_the_notice_are_quoted_each(
    catalogs: Catalogs, locale: Locale
) -> None:
    written = ("****@examplenet.ne.jp", "****@example-biz.jp")
    profile = dataclasses.replace(SEVERAL, notice_addresses=written)
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    quoted = {
        "ja": "（お知らせの表記では「****@examplenet.ne.jp」または「****@example-biz.jp」）",
        "en": ' (written "****@examplenet.ne.jp" or "****@example-biz.jp" in our notice).',
    }[locale]
    assert quoted in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_settings_without_an_address_name_every_domain(catalogs: Catalogs, locale: Locale) -> None:
    # Several domains that stay (no new_domain), the address skipped: the note, the card's
    # title and fields and the guide said 「@examplenet.ne.jpで終わるお使いのメールアドレス」,
    # the first domain alone, to a subscriber of @example-biz.jp.
    driver = Driver(SEVERAL, catalogs, today=SEVERAL.schedule.window_start)
    driver.start(locale)
    driver.press("yes")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")  # the old outgoing server is ours
    every = catalogs(locale, "settings.address_placeholder_any", domains=AT_EVERY[locale])
    first = catalogs(locale, "settings.address_placeholder", domain="examplenet.ne.jp")
    said = driver.said()
    assert catalogs(locale, "settings.placeholder_note", address=every) in said
    assert driver.settings()["username"] == every
    assert every in said
    assert first not in said.replace(every, "")


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_several_old_outgoing_servers_are_alternatives_on_the_card_and_in_the_guide(
    catalogs: Catalogs, locale: Locale
) -> None:
    # The card's "if it is … today" and the guide's "(currently …)" joined the old names
    # with ", ": 「今がsmtp.examplenet.ne.jp, mail.examplenet.ne.jpなら…」 in Japanese too.
    profile = dataclasses.replace(
        TLS,
        outgoing=dataclasses.replace(
            TLS.outgoing, old_hosts=("smtp.examplenet.ne.jp", "mail.examplenet.ne.jp")
        ),
    )
    either = catalogs(
        locale, "list.or", first="smtp.examplenet.ne.jp", last="mail.examplenet.ne.jp"
    )
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("settings")
    driver.type("taro@examplenet.ne.jp")
    driver.press("program:other")
    driver.press("unsure")
    new = profile.outgoing.new_host
    depends = catalogs(locale, "settings.smtp_server.depends", old=either, new=new)
    assert driver.settings()["smtp_server"] == depends
    driver.press("back")
    driver.press("yes")
    now = catalogs(locale, "settings.smtp_server.now", old=either, new=new)
    assert now in driver.said()
    assert "smtp.examplenet.ne.jp, mail" not in repr(driver.all_replies())


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_address_question_asked_again_names_every_domain(
    catalogs: Catalogs, locale: Locale
) -> None:
    # A phone number at the address question: 「メールアドレスは「@examplenet.ne.jp」で終わる
    # もので…」 named the first domain alone to a subscriber of @example-biz.jp (profiles).
    driver = Driver(SEVERAL, catalogs, today=SEVERAL.schedule.window_start)
    driver.start(locale)
    driver.press("yes")
    driver.type("090-1234-5678")
    assert AT_EVERY[locale] in driver.said(), driver.said()
