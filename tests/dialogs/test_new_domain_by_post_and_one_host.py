"""Two more providers' profiles, written from the README by operators of other ISPs.

`examples/imap-new-domain-by-post.toml` (Aozora Net): IMAP to IMAP on new host names, the
address domain changes (@aozora-net… → @sora-hikari…) with mail to the old address forwarded
until `old_address_until`, the new passwords sent by post, the old mailboxes not copied.
`examples/tls-required-one-host.toml` (Hinata Net): one host name for receiving and sending,
kept; POP3 110 → 995 and SMTP 25 without a login → 465 with SMTP AUTH, both old connections
refused from the same day, the provider's own port-25 block from that day.
Both are walked on several days in both languages: every topic, typed problem, program and
check result (tests/dialogs/walker.py); and one `mailmove chat --profile` conversation per
mail-program family is read.
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
from dialogs.profile import ProfileError, parse_profile
from dialogs.vocabulary import Locale, Receiving, Sending, SettingsItem, SettingsReply
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.terminal import terminal_chat

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
AOZORA_PATH: Final = EXAMPLES / "imap-new-domain-by-post.toml"
AOZORA: Final = load_profile(AOZORA_PATH)
# Webmail alone: no mail program to change, but the address does change, and mail to the
# old one stops arriving on its day.
WEBMAIL_ADDRESS: Final = {
    "ja": ("sora-hikari.example.jp", "2028年9月30日(土)までは"),
    "en": ("sora-hikari.example.jp", "Until Saturday 30 September 2028"),
}
AS_IT_IS: Final = {"ja": "そのままご利用いただけます", "en": "keep using it as it is"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "path", [AOZORA_PATH, EXAMPLES / "domain-change.toml", EXAMPLES / "new-domain-imap.toml"]
)
def test_webmail_alone_is_told_the_address_changes(
    catalogs: Catalogs, locale: Locale, path: Path
) -> None:
    # 「Webメールの場合」 said 「設定の変更は必要ありません。そのままご利用いただけます。」: true of
    # the mail program, not of the address, which moves to the new domain for webmail users too.
    profile = load_profile(path)
    driver = Driver(profile, walker.worded(catalogs, profile), today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("topic:webmail")
    said = driver.said()
    new_domain = profile.new_domains[0][1]
    assert f"@{new_domain}" in said
    assert AS_IT_IS[locale] not in said
    if path == AOZORA_PATH:
        assert all(words in said for words in WEBMAIL_ADDRESS[locale]), said


HINATA_PATH: Final = EXAMPLES / "tls-required-one-host.toml"
HINATA: Final = load_profile(HINATA_PATH)
# What neither provider's subscribers may hear: the seed's provider, servers and dates.
# Aozora: a page to set a password on, the password staying, POP (its servers are IMAP only;
# "POP before SMTP" is a method's name). Hinata: a move (new server, receive first, IMAP),
# a new password or address.
ABSENT: Final = {
    "aozora": re.compile(
        walker.SEED + r"|で設定した|you set on|https://|パスワードは変わりません"
        r"|password does not change|\bPOP(?! before)"
    ),
    "hinata": re.compile(
        walker.SEED + r"|新しいサーバー|先に受信してから|\bIMAP\b|the new server|receive once"
        r"|新しいパスワード|new password|sora-hikari|new address"
    ),
}
# Every path through the two questions, pressed or typed, and the verdict it ends in.
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("yes", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    ("unsure", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("unsure", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("unsure", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", [False, True], ids=["buttons", "typed"])
@pytest.mark.parametrize("name", ["aozora", "hinata"])
def test_every_path_of_the_questionnaire_ends_where_the_profile_says(
    catalogs: Catalogs, name: str, typed: bool, locale: Locale
) -> None:
    profile = AOZORA if name == "aozora" else HINATA
    today = profile.schedule.window_start
    for answers, (receiving, sending) in PATHS.items():
        verdict = walker.verdict_after(profile, catalogs, locale, today, answers, typed=typed)
        assert (verdict.receiving, verdict.sending) == (receiving, sending), answers
        if name == "aozora" and answers == ("no",):
            # Webmail changes no program, but the address changes for it too.
            assert "sora-hikari.example.jp" in verdict.text


def aozora_card(driver: Driver, program: MailProgram) -> None:
    """The new address, the new servers and the letter's password; SMTP AUTH is no news."""
    rows = card_rows(driver)
    for key in ("address", "username", "password", "pop_server", "smtp_server"):
        assert rows[key].changed, (program, key)
    assert "sora-hikari.example.jp" in rows["address"].value
    assert not rows["smtp_auth"].changed, program


def hinata_card(driver: Driver, program: MailProgram) -> None:
    """The one name and the login kept; the ports, encryption and SMTP AUTH change."""
    rows = card_rows(driver)
    for key in ("pop_server", "smtp_server", "username", "password"):
        assert not rows[key].changed, (program, key)
    for key in ("pop_port", "pop_security", "smtp_port", "smtp_security", "smtp_auth"):
        assert rows[key].changed, (program, key)
    assert "address" not in rows


def card_rows(driver: Driver) -> dict[str, SettingsItem]:
    cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
    return {item.key: item for item in cards[-1].items}


CARDS: Final = {"aozora": aozora_card, "hinata": hinata_card}
AOZORA_DAYS: Final = ("2028-02-20", "2028-03-10", "2028-06-15", "2028-10-05")
HINATA_DAYS: Final = ("2027-06-20", "2027-07-10", "2027-09-02")
WALKS: Final = [("aozora", "taro@aozora-net.example.jp", day) for day in AOZORA_DAYS] + [
    ("hinata", "taro@hinata.example.jp", day) for day in HINATA_DAYS
]


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(("name", "address", "day"), WALKS)
def test_everything_said_is_of_the_profile(
    catalogs: Catalogs, locale: Locale, name: str, address: str, day: str
) -> None:
    profile = AOZORA if name == "aozora" else HINATA
    heard = walker.walk(
        profile, catalogs, locale, dt.date.fromisoformat(day), address, on_card=CARDS[name]
    )
    wrong = walker.found(ABSENT[name], heard)
    assert not wrong, walker.where(wrong[0], heard)


# One conversation per mail-program family through `mailmove chat --profile`, as an operator
# previews the profile (in this process: tests/dialogs/terminal.py): the typed program name,
# the card and its guide.
FAMILIES: Final = {
    "新しいOutlook": "新しいOutlookでの設定手順",
    "従来のOutlook": "従来のOutlookでの設定手順",
    "Thunderbird": "Thunderbirdでの設定手順",
    "Macのメール": "Macのメールでの設定手順",
    "iPhoneのメール": "iPhone/iPadのメールでの設定手順",
    "AndroidのGmail": "AndroidのGmailでの設定手順",
    "Becky": "Becky!での設定手順",
    "その他": "その他のメールソフトでの設定手順",
}
# What each example's card and guide must say, and must not.
CONVERSATIONS: Final = {
    "aozora": (
        AOZORA_PATH,
        "2028-03-10",
        "taro@aozora-net.example.jp",
        (
            "imap.sora-hikari.example.jp",
            "smtp.sora-hikari.example.jp",
            "taro@sora-hikari.example.jp",
            "郵送でお届けした「メールアドレス変更のご案内」に記載の新しいパスワード",
            "2028年9月30日(土)までは、taro@aozora-net.example.jpあてに送られたメールも",
        ),
    ),
    "hinata": (
        HINATA_PATH,
        "2027-07-10",
        "taro@hinata.example.jp",
        ("mail.hinata.example.jp", "995", "465", "SSL/TLS"),
    ),
}


@pytest.mark.parametrize("program", list(FAMILIES))
@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_a_whole_conversation_in_the_terminal(
    name: str, program: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, day, address, facts = CONVERSATIONS[name]
    # A mail program, our outgoing server, the address, the program.
    status, out = terminal_chat(monkeypatch, path, day, ["はい", "はい", address, program])
    assert status == 0
    guide = out[out.index(FAMILIES[program]) :]
    assert all(fact in out for fact in facts), out
    assert "mail.hinata.example.jp" in guide or name == "aozora", guide
    wrong = walker.found(ABSENT[name], [out])
    assert not wrong, walker.where(wrong[0], [out])


def test_a_new_domain_on_the_same_servers_and_connections_is_refused_for_what_it_is() -> None:
    # Only the address moving (the same servers, ports and encryption) was refused as
    # 'nothing would change', which the profile writer knows to be false: the address does.
    text = HINATA_PATH.read_text("utf-8")
    for old, new in (
        (
            'affected_domains = ["hinata.example.jp"]',
            'affected_domains = ["hinata.example.jp"]\nnew_domain = "hinata-hikari.example.jp"',
        ),
        ('old_port = 110\nold_security = "none"\n', ""),
        ('old_port = 25\nold_security = "none"\nold_smtp_auth = false', "old_smtp_auth = true"),
        ('port = 465\nsecurity = "tls"', 'port = 587\nsecurity = "starttls"'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text), "rename.toml")
    assert refused.value.key == "provider.new_domain"
    assert "nothing would change" not in refused.value.problem
    assert "only the address moves" in refused.value.problem
    assert "mailmove cannot guide" in refused.value.problem
