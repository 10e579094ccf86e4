"""Card, guide and configuration file agree, for every program and every verdict variant.

Variants: sending required / recommended / not needed; the outgoing server is the old one
(its name changes), another one (only the port changes) or unknown; address given or not.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.web.config_file_routes import apple_profile_query
from dialogs.guide_text import guide_steps
from dialogs.mail_config_files import apple_mobileconfig
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.settings_card import CardFacts, SmtpHost
from dialogs.vocabulary import FileReply, Locale, Sending, SettingsReply, TextReply
from tests.dialogs.driver import Driver
from tests.dialogs.test_examples import sayer

IN_WINDOW: Final = dt.date(2008, 6, 1)
ADDRESS: Final = "taro@vp.117.ne.jp"
PLACEHOLDER: Final = "@vp.117.ne.jpで終わるお使いのメールアドレス"
ANSWERS: Final = {
    Sending.REQUIRED: ("yes", "yes", "yes", "yes"),
    Sending.RECOMMENDED: ("yes", "no"),
    Sending.NOT_NEEDED: ("yes", "yes", "no"),
}
SMTP_ANSWERS: Final = {SmtpHost.OLD: "yes", SmtpHost.OTHER: "no", SmtpHost.UNSURE: "unsure"}
# ASCII fences, not \b: Japanese follows a host name without a space (「vs.117.ne.jpなら」).
_HOST_RE: Final = re.compile(r"(?<![a-z0-9.-])[a-z0-9-]+(?:\.[a-z0-9-]+)+\.[a-z]{2,}(?![a-z0-9.-])")


@dataclass(frozen=True, slots=True)
class Delivered:
    card: dict[str, str]
    unchanged: frozenset[str]
    title: str
    steps: tuple[str, ...]
    files: tuple[FileReply, ...]
    driver: Driver


def deliver(
    profile: MigrationProfile,
    catalogs: Catalogs,
    *,
    program: MailProgram,
    sending: Sending,
    smtp_host: SmtpHost,
    address: str | None,
    locale: Locale = "ja",
) -> Delivered:
    driver = Driver(profile, catalogs, today=IN_WINDOW)
    driver.start(locale)
    for answer in ANSWERS[sending]:
        driver.press(answer)
    if address:
        driver.type(address)
    else:
        driver.press("skip")
    driver.press(f"program:{program.value}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press(SMTP_ANSWERS[smtp_host])
    replies = driver.last.replies
    [card] = [r for r in replies if isinstance(r, SettingsReply)]
    guide = [
        r.text for r in replies if isinstance(r, TextReply) and re.match(r"[^\n]+\n\n1\. ", r.text)
    ]
    assert len(guide) == 1, replies
    title, _, body = guide[0].partition("\n\n")
    steps = tuple(re.sub(r"^\d+\. ", "", line) for line in re.split(r"\n(?=\d+\. )", body))
    return Delivered(
        card={item.key: item.value for item in card.items},
        unchanged=frozenset(item.key for item in card.items if not item.changed),
        title=title,
        steps=steps,
        files=tuple(r for r in replies if isinstance(r, FileReply)),
        driver=driver,
    )


VARIANTS: Final = [
    (sending, smtp_host, address)
    for sending in Sending
    for smtp_host in SmtpHost
    for address in (ADDRESS, None)
    # Without a sending change the outgoing server is never asked about.
    if sending is not Sending.NOT_NEEDED or smtp_host is SmtpHost.UNSURE
]


@pytest.mark.parametrize(("sending", "smtp_host", "address"), VARIANTS)
@pytest.mark.parametrize("program", list(MailProgram))
def test_the_guide_asks_for_exactly_what_the_card_changes(
    profile: MigrationProfile,
    catalogs: Catalogs,
    program: MailProgram,
    sending: Sending,
    smtp_host: SmtpHost,
    address: str | None,
) -> None:
    got = deliver(
        profile, catalogs, program=program, sending=sending, smtp_host=smtp_host, address=address
    )
    card, text = got.card, "\n".join(got.steps)
    outgoing, incoming = profile.outgoing, profile.incoming
    sending_changes = sending is not Sending.NOT_NEEDED

    # Never the card's "no change" wording inside an instruction, never a raw placeholder.
    assert "次のようにします" not in text
    assert "{" not in text
    assert "お客様のメールアドレス" not in text
    assert card["username"] == (address or PLACEHOLDER)
    assert card["username"] in text
    assert incoming.new_host in text
    # What the card marks unchanged is never set, only checked.
    for key in ("pop_port", "pop_security"):
        assert key in got.unchanged
        value = re.escape(card[key])
        for sentence in re.split(r"[。\n]", text):
            assert not re.search(rf"を\s*「?{value}」?\s*に(?:し|変え|書き換え)", sentence), (
                sentence
            )
            assert not re.search(rf"を\s*「?{value}」?、", sentence), sentence
    # Sending: its steps exist exactly when the card changes sending.
    assert (str(outgoing.port) in text) is sending_changes
    assert (str(outgoing.old_port) in text) is sending_changes
    hosts = set(_HOST_RE.findall(text)) - {ADDRESS.split("@")[1], "vp.117.ne.jp"}
    allowed = {incoming.new_host, incoming.old_host}
    if sending_changes and smtp_host is not SmtpHost.OTHER:
        # From the old host to the new one: the card's value, and the one it replaces.
        allowed |= {outgoing.new_host, *outgoing.old_hosts}
    assert hosts <= allowed, hosts - allowed
    if card["smtp_server"] == outgoing.new_host:
        assert outgoing.new_host in text
    if "smtp_server" in got.unchanged:
        assert outgoing.new_host not in text


@pytest.mark.parametrize(("sending", "smtp_host", "address"), VARIANTS)
@pytest.mark.parametrize("program", [MailProgram.APPLE_MAIL, MailProgram.IOS_MAIL])
def test_an_offered_apple_file_holds_exactly_the_cards_values(
    profile: MigrationProfile,
    catalogs: Catalogs,
    program: MailProgram,
    sending: Sending,
    smtp_host: SmtpHost,
    address: str | None,
) -> None:
    got = deliver(
        profile, catalogs, program=program, sending=sending, smtp_host=smtp_host, address=address
    )
    card = got.card
    can_hold_it = bool(address) and card["smtp_server"] == profile.outgoing.new_host
    assert bool(got.files) is can_hold_it
    if not got.files:
        return
    [offer] = got.files
    # What to do with the old account, said with the file: turn it off, do not delete it.
    assert "削除" in offer.text
    assert "オフ" in offer.text
    # The link carries the conversation's facts; the route parses them back the same way.
    state = got.driver.state
    assert state.address is not None
    assert state.sending is not None
    query = parse_qs(apple_profile_query(state.address, state.sending, state.smtp_host, "ja"))
    document = apple_mobileconfig(
        profile,
        query["emailaddress"][0],
        sending=Sending(query["sending"][0]),
        smtp_host=SmtpHost(query["smtp"][0]),
        texts=catalogs,
        locale="ja",
    )
    assert query["lang"] == ["ja"]
    [mail] = plistlib.loads(document)["PayloadContent"]
    no_security = catalogs("ja", "settings.security.none")
    assert mail["IncomingMailServerHostName"] == card["pop_server"]
    assert str(mail["IncomingMailServerPortNumber"]) == card["pop_port"]
    assert mail["IncomingMailServerUsername"] == card["username"]
    assert mail["IncomingMailServerUseSSL"] is (card["pop_security"] != no_security)
    assert mail["OutgoingMailServerHostName"] == card["smtp_server"]
    assert str(mail["OutgoingMailServerPortNumber"]) == card["smtp_port"]
    assert mail["OutgoingMailServerUsername"] == card["username"]
    assert mail["OutgoingMailServerUseSSL"] is (card["smtp_security"] != no_security)
    # Authentication as the manual guide says: 「パスワード」.
    assert "「パスワード」" in "\n".join(got.steps)
    assert mail["IncomingMailServerAuthentication"] == "EmailAuthPassword"
    assert mail["OutgoingMailServerAuthentication"] == "EmailAuthPassword"


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("program", list(MailProgram))
def test_guide_titles_read_naturally(
    profile: MigrationProfile, catalogs: Catalogs, program: MailProgram, locale: Locale
) -> None:
    got = deliver(
        profile,
        catalogs,
        program=program,
        sending=Sending.REQUIRED,
        smtp_host=SmtpHost.OLD,
        address=ADDRESS,
        locale=locale,
    )
    label = catalogs(locale, f"program.{program.value}")
    assert " での" not in got.title
    if locale == "ja":
        assert got.title == f"{label}での設定手順"
    elif program is MailProgram.OTHER:
        # Its button reads "Other mail program": as a heading, "in Other mail program" is
        # not English.
        assert got.title == "Step by step in other mail programs"
    else:
        assert got.title == f"Step by step in {label}"


@pytest.mark.parametrize("sending", [Sending.REQUIRED, Sending.NOT_NEEDED])
def test_classic_outlook_opens_more_settings_once(
    profile: MigrationProfile, catalogs: Catalogs, sending: Sending
) -> None:
    got = deliver(
        profile,
        catalogs,
        program=MailProgram.OUTLOOK_CLASSIC,
        sending=sending,
        smtp_host=SmtpHost.UNSURE if sending is Sending.NOT_NEEDED else SmtpHost.OLD,
        address=ADDRESS,
    )
    text = "\n".join(got.steps)
    assert text.count("「詳細設定」を押し") == 1
    assert str(profile.incoming.port) in text  # the POP port is still checked there


NORTHLIGHT: Final = load_profile(Path(__file__).parent / "northlight.toml")
# What Apple's own boxes read for an unencrypted server (the seed) and an encrypted one
# (Northlight: 995 and 465 with SSL/TLS), in the words of each screen.
SSL_BOXES: Final[dict[tuple[MailProgram, Locale, bool], str]] = {
    (
        MailProgram.APPLE_MAIL,
        "ja",
        False,
    ): "「TLS/SSLを使用」のチェックが外れていること",
    (MailProgram.APPLE_MAIL, "en", False): '"Use TLS/SSL" is unticked (encryption: None)',
    (MailProgram.IOS_MAIL, "ja", False): "「SSLを使用」がオフ（暗号化：なし）になっていること",
    (MailProgram.IOS_MAIL, "en", False): '"Use SSL" is off (encryption: None)',
    (
        MailProgram.APPLE_MAIL,
        "ja",
        True,
    ): "「TLS/SSLを使用」にチェックを付けます（暗号化：SSL/TLS）",
    (MailProgram.APPLE_MAIL, "en", True): 'Tick "Use TLS/SSL" (encryption: SSL/TLS)',
    (MailProgram.IOS_MAIL, "ja", True): "「SSLを使用」をオン（暗号化：SSL/TLS）にして",
    (MailProgram.IOS_MAIL, "en", True): 'turn "Use SSL" on (encryption: SSL/TLS)',
}


@pytest.mark.parametrize("encrypted", [False, True])
@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("program", [MailProgram.APPLE_MAIL, MailProgram.IOS_MAIL])
def test_apples_ssl_boxes_are_told_ticked_or_not(
    profile: MigrationProfile,
    catalogs: Catalogs,
    program: MailProgram,
    locale: Locale,
    encrypted: bool,
) -> None:
    # The steps said 「「TLS/SSLを使用」が暗号化の設定（なし）のとおりか確かめます」 and
    # 'check that "Use TLS/SSL" matches the encryption setting (None)', leaving the
    # subscriber to work out what a box "matching None" looks like.
    chosen = NORTHLIGHT if encrypted else profile
    address = f"taro@{chosen.affected_domains[0]}"
    facts = CardFacts(address=address, sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD)
    text = "\n".join(guide_steps(program, facts, sayer(catalogs, locale, chosen, facts), chosen))
    assert "暗号化の設定（" not in text
    assert "encryption setting" not in text
    told = SSL_BOXES[(program, locale, encrypted)]
    assert text.count(told) == 2, text  # the incoming server's box and the outgoing one's
