"""The values every catalog text may use: the profile's facts, worded for one language.

Dates and host lists depend only on the profile and the language, so they are worded once
and shared; only the few values that depend on the subscriber are worked out per turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from dialogs.profile import MigrationProfile, ProgramName, Security
from dialogs.settings_card import CardFacts, fill_values
from dialogs.texts import N_, Texts
from dialogs.vocabulary import Locale, Sending

_CACHE_LIMIT: Final = 64
# Keyed by identity; the value keeps the profile and catalogs alive so an id is never reused.
_cache: dict[tuple[int, int, Locale], tuple[MigrationProfile, Texts, Mapping[str, object]]] = {}


def word_date(texts: Texts, locale: Locale, day: dt.date) -> str:
    """A calendar day as the locale writes it: 「2008年5月21日(水)」, "Wednesday 21 May 2008"."""
    return texts.fill(
        locale,
        N_("date.format"),
        {
            "year": day.year,
            "month": day.month,
            "day": day.day,
            "weekday": texts.fill(locale, f"weekday.{day.weekday()}", {}),
            "month_name": texts.fill(locale, f"month.{day.month}", {}),
        },
    )


def word_list(texts: Texts, locale: Locale, items: tuple[str, ...]) -> str:
    """Alternatives as the locale lists them: 「A」、「B」または「C」, "A", "B" or "C"."""
    if len(items) == 1:
        return items[0]
    head = items[0]
    for item in items[1:-1]:
        head = texts.fill(locale, N_("list.more"), {"first": head, "next": item})
    return texts.fill(locale, N_("list.or"), {"first": head, "last": items[-1]})


def _quoted_list(texts: Texts, locale: Locale, key: str, name: str, values: tuple[str, ...]) -> str:
    """`values`, each worded by catalog `key` (its placeholder `name`), as a `word_list`."""
    return word_list(texts, locale, tuple(texts.fill(locale, key, {name: v}) for v in values))


def _security_name(texts: Texts, locale: Locale, security: Security) -> str:
    return texts.fill(locale, f"settings.security.{security.value}", {})


def _old_way(
    texts: Texts, locale: Locale, port: int, security: Security, new_security: Security
) -> str:
    """Today's connection, as what stops: 「暗号化しない接続（ポート110番）」."""
    if security is Security.NONE and new_security is not Security.NONE:
        return texts.fill(locale, N_("settings.old_way.unencrypted"), {"port": port})
    if security is Security.NONE:
        return texts.fill(locale, N_("settings.old_way.port"), {"port": port})
    return texts.fill(
        locale,
        N_("settings.old_way.port_with_security"),
        {"port": port, "security": _security_name(texts, locale, security)},
    )


def _new_way(texts: Texts, locale: Locale, port: int, security: Security) -> str:
    """The connection from now on: 「SSL/TLSで暗号化した接続（ポート995番）」."""
    if security is Security.NONE:
        return texts.fill(locale, N_("settings.new_way.port"), {"port": port})
    return texts.fill(
        locale,
        N_("settings.new_way.encrypted"),
        {"port": port, "security": _security_name(texts, locale, security)},
    )


def profile_facts(profile: MigrationProfile, texts: Texts, locale: Locale) -> Mapping[str, object]:
    """The subscriber-independent placeholders, worded once per profile and language."""
    key = (id(profile), id(texts), locale)
    cached = _cache.get(key)
    if cached is not None and cached[0] is profile and cached[1] is texts:
        return cached[2]
    schedule = profile.schedule
    facts: Mapping[str, object] = {
        "provider": profile.provider_name_in(locale),
        # Texts write it after an @ (「「@{domain}」で終わるメールアドレス」): with several
        # domains every one, 「@a.jpまたは@b.jp」, where the first alone told a subscriber of
        # the second (a phone number typed at the address question, 「わかりません」, …)
        # that their address was to end in another's domain. A text for one domain passes
        # its own (the address cut short, the domain chosen).
        "domain": word_list(
            texts,
            locale,
            (
                profile.affected_domains[0],
                *(f"@{domain}" for domain in profile.affected_domains[1:]),
            ),
        ),
        # Who the migration concerns: every affected domain, not only the first, as the end
        # of an address (「@vp.117.ne.jp」で終わる): the notice's 「********@…」 alone reads as
        # a hidden password to the subscribers least sure of their settings, so the greeting
        # quotes the notice's own notation (the profile's notice_addresses, where it has
        # them) only beside these words.
        "address_endings": _quoted_list(
            texts, locale, N_("list.address_ending"), "domain", profile.affected_domains
        ),
        "notice_notation": (
            texts.fill(
                locale,
                N_("greeting.notice_notation"),
                {
                    "addresses": _quoted_list(
                        texts,
                        locale,
                        N_("list.notice_address"),
                        "address",
                        profile.notice_addresses,
                    )
                },
            )
            if profile.notice_addresses
            else ""
        ),
        "at_domains": word_list(
            texts, locale, tuple(f"@{domain}" for domain in profile.affected_domains)
        ),
        "window_start": word_date(texts, locale, schedule.window_start),
        "window_end": word_date(texts, locale, schedule.window_end),
        # Several old host names read "a or b" (「a」または「b」 where quoted), not "a, b".
        "old_smtp": word_list(texts, locale, profile.outgoing.old_hosts),
        "old_smtp_quoted": word_list(
            texts,
            locale,
            tuple(
                texts.fill(locale, N_("list.quoted"), {"item": host})
                for host in profile.outgoing.old_hosts
            ),
        ),
        "new_smtp": profile.outgoing.new_host,
        # How to reach people, for a text whose only fix is theirs (a check's server that
        # refuses the check's network): texts that word it otherwise pass their own.
        "contact": profile.support.contact(locale),
        # Where the host names stay, what stops is the old connection (「暗号化しない接続
        # （ポート110番）」) and what replaces it the new one; said of each server.
        "pop_old_way": _old_way(
            texts,
            locale,
            profile.incoming.old_port,
            profile.incoming.old_security,
            profile.incoming.security,
        ),
        "smtp_old_way": _old_way(
            texts,
            locale,
            profile.outgoing.old_port,
            profile.outgoing.old_security,
            profile.outgoing.security,
        ),
        "pop_new_way": _new_way(texts, locale, profile.incoming.port, profile.incoming.security),
        "smtp_new_way": _new_way(texts, locale, profile.outgoing.port, profile.outgoing.security),
        # A last day not decided yet has no words: only texts for a decided one use it.
        **{
            key: word_date(texts, locale, day)
            for key, day in (
                ("old_pop_until", schedule.old_pop_until),
                ("old_smtp_until", schedule.old_smtp_until),
                ("old_address_until", schedule.old_address_until),
                ("old_sender_until", schedule.old_sender_until),
                ("op25b_from", schedule.op25b_from),
                ("next_phase_from", schedule.next_phase_from),
            )
            if day is not None
        },
        # The devices the Apple file is opened on: where one Apple program is sent to webmail
        # ([webmail] only_for), only the other's, so the file is not opened on the phone
        # the subscriber chats on to set up the program the provider does not support.
        "apple_devices": texts.fill(locale, _apple_devices(profile), {}),
        # The provider's webmail ([webmail]): its address, for the texts and leaves that name it.
        **({"webmail_url": webmail.url} if (webmail := profile.webmail) is not None else {}),
        # Where a new password is set first ([password]): only the `.new_password` texts.
        **(
            {
                "password_url": reset.url,
                "password_page": reset.page_ja if locale == "ja" else reset.page_en,
            }
            if (reset := profile.password_reset) is not None
            else {}
        ),
    }
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = (profile, texts, facts)
    return facts


def _apple_devices(profile: MigrationProfile) -> str:
    """The catalog key naming the Apple devices whose mail program is guided."""
    sent = profile.webmail.only_for if profile.webmail is not None else ()
    mac, ios = ProgramName.APPLE_MAIL in sent, ProgramName.IOS_MAIL in sent
    if ios and not mac:
        return N_("config.apple.devices.mac")
    if mac and not ios:
        return N_("config.apple.devices.ios")
    return N_("config.apple.devices")


def anyone_facts(profile: MigrationProfile, texts: Texts, locale: Locale) -> dict[str, object]:
    """The placeholders a profile's own words may use, for no subscriber in particular.

    The same names a conversation fills (`{old_smtp_until}`, `{new_smtp}`, …), its address
    shown as the notice shows one (「********@…」).
    """

    def say(key: str, /, **params: object) -> str:
        return texts.fill(locale, key, params)

    anyone = CardFacts(address=None, sending=Sending.REQUIRED, smtp_host=None)
    return {**profile_facts(profile, texts, locale), **fill_values(profile, anyone, say)}
