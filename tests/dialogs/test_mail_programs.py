"""The per-program guides in the catalogs, and recognising mail programs typed as free text."""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Final, Literal

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from bot.ops.catalogs import Catalogs, placeholders
from dialogs.facts import profile_facts
from dialogs.guide_text import OLD_MAIL_VARIANT_KEYS, guide_steps
from dialogs.mail_programs import (
    OUTLOOK_AMBIGUOUS,
    OUTLOOK_AMBIGUOUS_QUESTION_KEY,
    MailProgram,
    ServerChanges,
    guide_keys,
    label_key,
    recognise_mail_program,
    smtp_field_key,
    where_outgoing_server_key,
)
from dialogs.profile import LoginMethod, MigrationProfile
from dialogs.settings_card import (
    SSL_BOX_KEYS,
    THUNDERBIRD_INSECURE_KEY,
    CardFacts,
    SmtpHost,
    fill_values,
)
from dialogs.understanding import normalise
from dialogs.vocabulary import LOCALES, Locale, Sending

ALLOWED: Final = frozenset(
    {
        "address",
        "username",
        "pop_server",
        "pop_port",
        "pop_old",
        "smtp_server",
        # the outgoing server with the one in use now (「vsmtp.117.ne.jp（今はvs.117.ne.jp）」)
        "smtp_server_now",
        "smtp_port",
        "smtp_old_port",
        "smtp_port_note",
        "security",
        # what the profile's server model adds (dialogs.settings_card.fill_values)
        "login",
        "smtp_username",
        "pop_protocol",
        "pop_old_protocol",
        "pop_old_port",
        "pop_security",
        "pop_old_security",
        "pop_port_note",
        "pop_security_note",
        "pop_method",
        "apple_pop_method",
        "smtp_security",
        "smtp_old_security",
        "smtp_security_note",
        "smtp_method",
        "apple_smtp_method",
        # the method as Thunderbird names it over the server's connection, quoted
        "thunderbird_pop_method",
        "thunderbird_smtp_method",
        # Apple's encryption boxes, ticked or not by the server's encryption
        "apple_pop_ssl_state",
        "apple_smtp_ssl_state",
        "apple_pop_ssl_set",
        "apple_smtp_ssl_set",
        "ios_pop_ssl",
        "ios_smtp_ssl",
        # the outgoing-server step: the field's name and the profile's hosts
        "smtp_field",
        "old_smtp",
        "new_smtp",
        # a new account is added for the address it has after the migration (a new domain)
        "new_address",
        # the two beside the word e-mail address in a new domain's lines (shorter unknown)
        "address_short",
        "new_address_short",
    }
)
LINE_LABEL_LIMIT: Final = 20
PROGRAMS: Final = tuple(MailProgram)
# Every shape of guide a profile can ask for: the seed's, and each change on its own.
CHANGES: Final = (
    ServerChanges(),
    ServerChanges(receiving_port_or_security=True),
    ServerChanges(sending_security=True),
    ServerChanges(receiving_port_or_security=True, sending_security=True),
    ServerChanges(table_only=True),
    ServerChanges(new_account=True, table_only=True),
    # A profile that keeps a port or the login name (test_more_providers walks one).
    ServerChanges(login_kept=True, sending_port_kept=True),
    ServerChanges(
        receiving_port_or_security=True,
        receiving_port_kept=True,
        sending_security=True,
        sending_port_kept=True,
    ),
    # A profile that keeps its host names (test_kept_host_names walks one): the port and
    # TLS change, or only the TLS on a kept port; the table as well.
    ServerChanges(
        receiving_port_or_security=True,
        sending_security=True,
        receiving_host_kept=True,
        sending_host_kept=True,
    ),
    ServerChanges(
        receiving_port_or_security=True,
        receiving_port_kept=True,
        sending_security=True,
        sending_port_kept=True,
        receiving_host_kept=True,
        sending_host_kept=True,
    ),
    ServerChanges(table_only=True, receiving_host_kept=True, sending_host_kept=True),
    # An old IMAP server whose mail is not copied (test_old_imap_mail walks two).
    ServerChanges(new_account=True, table_only=True, imap_mail_left=True),
)
# Filled into the guides by fill_values, not named by guide_keys.
APPLE_METHOD_KEYS: Final = frozenset(f"guide.apple.method.{m.value}" for m in LoginMethod)


def every_key(program: MailProgram, *, include_sending: bool) -> tuple[str, ...]:
    field = smtp_field_key(program)
    return (
        label_key(program),
        where_outgoing_server_key(program),
        *((field,) if field else ()),
        *(
            key
            for host in (SmtpHost.OLD, SmtpHost.OTHER, SmtpHost.UNSURE)
            for changes in CHANGES
            for key in guide_keys(
                program, include_sending=include_sending, smtp_host=host, changes=changes
            )
        ),
    )


def template_fields(catalogs: Catalogs, locale: Locale, keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(placeholders(catalogs.raw(locale, key)) for key in keys))


def guides_path(locale: Locale) -> Traversable:
    return resources.files("dialogs").joinpath("locales", locale, "LC_MESSAGES", "guides.po")


def read_guides(locale: Locale) -> Any:
    with guides_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


# Babel derives format flags from the msgid when it reads a catalog, and our msgids are
# keys without braces, so the flags a translator sees are only in the file itself.
_FLAGGED_RE: Final = re.compile(
    r'^#,[^\n]*\bpython-brace-format\b[^\n]*\n(?:#[^\n]*\n)*msgid "([^"]*)"', re.MULTILINE
)


# -- the catalogs --------------------------------------------------------------------------


@pytest.mark.parametrize("include_sending", [True, False])
@pytest.mark.parametrize("program", PROGRAMS)
def test_every_key_exists_in_both_locales_with_the_same_allowed_placeholders(
    catalogs: Catalogs, program: MailProgram, include_sending: bool
) -> None:
    for key in every_key(program, include_sending=include_sending):
        fields = {locale: placeholders(catalogs.raw(locale, key)) for locale in LOCALES}
        assert fields["ja"] == fields["en"], key
        assert fields["ja"] <= ALLOWED, (key, fields["ja"] - ALLOWED)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", PROGRAMS)
def test_a_guide_with_sending_names_the_new_port_and_the_full_address(
    catalogs: Catalogs, program: MailProgram, locale: Locale
) -> None:
    for changes in CHANGES:
        keys = guide_keys(program, include_sending=True, changes=changes)
        fields = template_fields(catalogs, locale, keys)
        assert {"smtp_port", "pop_server"} <= fields
        assert fields & {"username", "login"}, changes


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", PROGRAMS)
def test_a_guide_without_sending_leaves_the_outgoing_server_alone(
    catalogs: Catalogs, program: MailProgram, locale: Locale
) -> None:
    for changes in CHANGES:
        keys = guide_keys(program, include_sending=False, changes=changes)
        fields = template_fields(catalogs, locale, keys)
        assert not fields & {"smtp_port", "smtp_server", "smtp_old_port"}
        # Everyone moves to the new server, so the receiving half is never left out.
        assert "pop_server" in fields
        assert fields & {"username", "login"}, changes


@pytest.mark.parametrize("program", PROGRAMS)
def test_sending_steps_come_between_receiving_and_finishing(program: MailProgram) -> None:
    with_sending = guide_keys(program, include_sending=True)
    without = guide_keys(program, include_sending=False)
    sending = [key for key in with_sending if key not in without]
    assert sending, "a guide with sending adds steps"
    assert all(".send." in key or key.startswith("guide.smtp_server.") for key in sending)
    first, last = with_sending.index(sending[0]), with_sending.index(sending[-1])
    assert with_sending[first : last + 1] == tuple(sending)
    assert ".open." in with_sending[0]
    assert ".receive." in with_sending[first - 1]
    assert ".finish." in with_sending[last + 1]
    assert ".finish." in with_sending[-1]
    assert ".finish." in without[-1]
    assert len(set(with_sending)) == len(with_sending)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", PROGRAMS)
def test_labels_fit_a_line_button(catalogs: Catalogs, program: MailProgram, locale: Locale) -> None:
    label = catalogs(locale, label_key(program))
    assert 0 < len(label) <= LINE_LABEL_LIMIT, label


# Buttons the dialog offers besides the programs: LINE cut "Show the new settings" in the
# English menu to 「Show the new settin…」, and "Continue with the assistant" under the
# offer to leave a message to 「Continue with the as…」 (channels).
_BUTTON_KEYS: Final = (
    "menu.start",
    "menu.settings",
    "menu.human",
    "menu.other_language",
    "menu.resume",
    "choice.yes",
    "choice.no",
    "choice.unsure",
    "choice.back",
    "choice.menu",
    "choice.restart",
    "choice.desk_message",
    "choice.continue_with_bot",
    "choice.describe_in_words",
    "choice.go_on",
    "choice.ours_after_all",
    "choice.program_after_all",
)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("key", _BUTTON_KEYS)
def test_button_labels_fit_a_line_button(
    catalogs: Catalogs, profile: MigrationProfile, key: str, locale: Locale
) -> None:
    label = catalogs.fill(locale, key, {"provider": profile.provider_name_in(locale)})
    assert 0 < len(label) <= LINE_LABEL_LIMIT, label


def test_labels_are_distinct(catalogs: Catalogs) -> None:
    for locale in LOCALES:
        labels = [catalogs(locale, label_key(program)) for program in PROGRAMS]
        assert len(set(labels)) == len(labels), locale


def test_the_outlook_question_exists_in_both_locales(catalogs: Catalogs) -> None:
    assert OUTLOOK_AMBIGUOUS_QUESTION_KEY == "program.outlook_ambiguous.question"
    for locale in LOCALES:
        assert "Outlook" in catalogs(locale, OUTLOOK_AMBIGUOUS_QUESTION_KEY)


def test_both_guides_catalogs_hold_the_same_keys() -> None:
    ids = {locale: {m.id for m in read_guides(locale) if m.id} for locale in LOCALES}
    assert ids["ja"] == ids["en"]
    used = {
        key
        for program in PROGRAMS
        for sending in (True, False)
        for key in every_key(program, include_sending=sending)
    }
    expected = (
        used
        | APPLE_METHOD_KEYS
        | SSL_BOX_KEYS
        | {OUTLOOK_AMBIGUOUS_QUESTION_KEY, THUNDERBIRD_INSECURE_KEY}
        | OLD_MAIL_VARIANT_KEYS
    )
    assert ids["ja"] == expected, "no unused or missing entries"


@pytest.mark.parametrize("locale", LOCALES)
def test_guides_catalog_header_and_format_flags(locale: Locale) -> None:
    catalog = read_guides(locale)
    assert str(catalog.locale) == locale
    assert catalog.charset.lower() == "utf-8"
    with_fields = set()
    for message in catalog:
        if not message.id:
            continue
        assert message.string, message.id
        if placeholders(str(message.string)):
            with_fields.add(message.id)
    flagged = set(_FLAGGED_RE.findall(guides_path(locale).read_text(encoding="utf-8")))
    assert flagged == with_fields


def test_no_host_name_or_port_is_written_into_a_text(profile: MigrationProfile) -> None:
    hosts = {
        profile.incoming.old_host,
        profile.incoming.new_host,
        profile.outgoing.new_host,
        *profile.outgoing.old_hosts,
        *profile.affected_domains,
    }
    ports = {profile.incoming.port, profile.outgoing.port, profile.outgoing.old_port}
    port_re = re.compile(r"(?<!\d)(?:" + "|".join(str(p) for p in ports) + r")(?!\d)")
    for locale in LOCALES:
        for message in read_guides(locale):
            text = str(message.string)
            if not message.id:
                continue
            assert not any(host in text for host in hosts), message.id
            assert not port_re.search(text), message.id


@pytest.mark.parametrize("smtp_host", [SmtpHost.OLD, SmtpHost.OTHER, SmtpHost.UNSURE])
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("program", PROGRAMS)
def test_guides_fill_with_the_values_the_dialog_passes(
    catalogs: Catalogs,
    profile: MigrationProfile,
    program: MailProgram,
    locale: Locale,
    smtp_host: SmtpHost,
) -> None:
    def say(key: str, /, **params: object) -> str:
        return catalogs(locale, key, **params)

    facts = CardFacts(address="taro@vp.117.ne.jp", sending=Sending.REQUIRED, smtp_host=smtp_host)
    values = {**profile_facts(profile, catalogs, locale), **fill_values(profile, facts, say)}

    def say_with_facts(key: str, /, **params: object) -> str:
        return catalogs(locale, key, **{**values, **params})

    text = "\n".join(guide_steps(program, facts, say_with_facts))
    assert profile.incoming.new_host in text
    assert "taro@vp.117.ne.jp" in text
    assert str(profile.outgoing.port) in text
    if smtp_host is not SmtpHost.OTHER:
        assert profile.outgoing.new_host in text
    assert "{" not in text
    assert "}" not in text


# -- recognising what people type ------------------------------------------------------------

Expected = MailProgram | Literal["outlook_ambiguous"] | None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Outlook, and which one
        ("outlook", OUTLOOK_AMBIGUOUS),
        ("Outlook", OUTLOOK_AMBIGUOUS),
        ("アウトルック", OUTLOOK_AMBIGUOUS),
        ("ｱｳﾄﾙｯｸ", OUTLOOK_AMBIGUOUS),
        ("あうとるっく", OUTLOOK_AMBIGUOUS),
        ("Microsoft Outlook を使っています", OUTLOOK_AMBIGUOUS),
        ("最新のOutlook", OUTLOOK_AMBIGUOUS),
        ("新しいOutlook", MailProgram.OUTLOOK_NEW),
        ("新しい Outlook です", MailProgram.OUTLOOK_NEW),
        ("new outlook", MailProgram.OUTLOOK_NEW),
        ("Outlook (new)", MailProgram.OUTLOOK_NEW),
        ("ニューアウトルック", MailProgram.OUTLOOK_NEW),
        ("outlook classic", MailProgram.OUTLOOK_CLASSIC),
        ("Outlook（クラシック）", MailProgram.OUTLOOK_CLASSIC),
        ("クラシック", MailProgram.OUTLOOK_CLASSIC),
        ("従来のOutlook", MailProgram.OUTLOOK_CLASSIC),
        ("Outlook 2016", MailProgram.OUTLOOK_CLASSIC),
        ("outlook2019", MailProgram.OUTLOOK_CLASSIC),
        ("Outlook 2021 を使ってます", MailProgram.OUTLOOK_CLASSIC),
        ("office", MailProgram.OUTLOOK_CLASSIC),
        ("Officeのoutlook", MailProgram.OUTLOOK_CLASSIC),
        ("Microsoft 365", MailProgram.OUTLOOK_CLASSIC),
        # Thunderbird
        ("thunderbird", MailProgram.THUNDERBIRD),
        ("Thunderbird", MailProgram.THUNDERBIRD),
        ("サンダーバード", MailProgram.THUNDERBIRD),
        ("さんだーばーど", MailProgram.THUNDERBIRD),
        ("サンダーバードを使っています", MailProgram.THUNDERBIRD),
        ("TB", MailProgram.THUNDERBIRD),
        ("Macでサンダーバード", MailProgram.THUNDERBIRD),
        # Apple
        ("mac", MailProgram.APPLE_MAIL),
        ("マック", MailProgram.APPLE_MAIL),
        ("Apple Mail", MailProgram.APPLE_MAIL),
        ("macのメール", MailProgram.APPLE_MAIL),
        ("MacBook Air の標準のメールアプリ", MailProgram.APPLE_MAIL),
        ("iPhone", MailProgram.IOS_MAIL),
        ("アイフォン", MailProgram.IOS_MAIL),
        ("iPad", MailProgram.IOS_MAIL),
        ("アイパッド", MailProgram.IOS_MAIL),
        ("iOS", MailProgram.IOS_MAIL),
        ("iPhoneのメールで見ています", MailProgram.IOS_MAIL),
        # Android
        ("android", MailProgram.GMAIL_ANDROID),
        ("アンドロイド", MailProgram.GMAIL_ANDROID),
        ("gmail", MailProgram.GMAIL_ANDROID),
        ("Gmail", MailProgram.GMAIL_ANDROID),
        ("ジーメール", MailProgram.GMAIL_ANDROID),
        ("AndroidのGmailアプリ", MailProgram.GMAIL_ANDROID),
        # Becky!
        ("becky", MailProgram.BECKY),
        ("Becky!", MailProgram.BECKY),
        ("ベッキー", MailProgram.BECKY),
        ("Becky! Internet Mail を使っています", MailProgram.BECKY),
        # Windows' own Mail app: replaced by the new Outlook (words12)
        ("Windows メール", MailProgram.OUTLOOK_NEW),
        ("ウィンドウズメール", MailProgram.OUTLOOK_NEW),
        ("ウィンドウズのメールアプリ", MailProgram.OUTLOOK_NEW),
        ("Windows11に最初から入っているメール", MailProgram.OUTLOOK_NEW),
        # everything else gets the generic table
        ("その他", MailProgram.OTHER),
        ("other", MailProgram.OTHER),
        ("Windows Live Mail", MailProgram.OTHER),
        ("outlook express", MailProgram.OTHER),
        ("Outlook 2007", MailProgram.OTHER),
        ("MacのOutlook", MailProgram.OTHER),
        ("iPhoneのOutlookアプリ", MailProgram.OTHER),
        ("Eudora", MailProgram.OTHER),
        # nothing, or too much, to go on
        ("スマホ", None),
        ("smartphone", None),
        ("パソコンで見ています", None),
        ("わかりません", None),
        ("another one", None),
        ("outlook.com のアドレスです", None),
        ("taro@gmail.com", None),
        ("1TBのハードディスク", None),
        ("OutlookとThunderbird", None),
        ("iPhoneとMac", None),
        ("iPhoneのGmail", None),
        ("", None),
    ],
)
def test_recognise_mail_program(typed: str, expected: Expected) -> None:
    # The dialog folds width and case before asking, exactly like this.
    assert recognise_mail_program(normalise(typed)) == expected


@given(st.text())
def test_recognise_never_raises(text: str) -> None:
    result = recognise_mail_program(text)
    assert result is None or result == OUTLOOK_AMBIGUOUS or isinstance(result, MailProgram)
