"""A sending-only migration whose subscribers receive over IMAP, walked end to end.

examples/op25b-sending-only.toml receives over POP3; the same migration at a provider whose
mailboxes are read over IMAP (993, implicit TLS) is the example with its receiving server
written as IMAP. Its whole questionnaire, every topic, typed problem, program, card, guide and
check result is walked on five dates in both languages: nothing says receiving changes, nor
names POP3 (a screen's field, a server) where the subscriber's account is IMAP, nor anything
of the seed's provider. The live check of it against the suite's Dovecot (IMAP) and Postfix
is in tests/bot/mailcheck/test_examples_on_real_servers.py.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile, Protocol, parse_profile
from dialogs.vocabulary import Locale, Receiving
from tests.dialogs import walker
from tests.dialogs.test_op25b_sending_only import (
    DAYS,
    PATHS,
    RECEIVING_CHANGES,
    SENDING_OUTCOMES,
    WEBMAIL,
    card_of_sending_alone,
)
from tests.dialogs.test_other_provider import TYPED
from tests.dialogs.walker import found, verdict_after, where

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "op25b-sending-only.toml"
ADDRESS: Final = "taro@hotaru.example.ne.jp"


def on_imap() -> MigrationProfile:
    """The example with its (unchanged) receiving server read over IMAP on 993."""
    text = PATH.read_text("utf-8")
    for old, new in (
        ('protocol = "pop3"', 'protocol = "imap"'),
        ("pop.hotaru.example.ne.jp", "imap.hotaru.example.ne.jp"),
        ("port = 995", "port = 993"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    return parse_profile(tomllib.loads(text), "imap.toml")


PROFILE: Final = on_imap()
# What would change receiving (as for the POP3 example, its server and port being IMAP's),
# and POP3 or a POP port named where the account is IMAP ("POP before SMTP" is a method).
ABSENT: Final = {
    locale: re.compile(
        pattern.pattern.replace(r"pop\.hotaru", r"imap\.hotaru")
        .replace("995", "993")
        .replace("POP3", "(?:POP3|IMAP)")
        + r"|POP(?! before)|\b110\b|\b995\b|ローカルフォルダー|local folder|"
        + walker.SEED
    )
    for locale, pattern in RECEIVING_CHANGES.items()
}


def test_the_profile_is_sending_only_on_imap() -> None:
    assert PROFILE.incoming.unchanged
    assert PROFILE.incoming.protocol is Protocol.IMAP
    assert PROFILE.text_variants == ("sending_only",)


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", [False, True], ids=["buttons", "typed"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_keeps_receiving(
    catalogs: Catalogs, day: str, typed: bool, locale: Locale
) -> None:
    today = dt.date.fromisoformat(day)
    for answers, sending in PATHS.items():
        verdict = verdict_after(PROFILE, catalogs, locale, today, answers, typed=typed)
        assert (verdict.receiving, verdict.sending) == (Receiving.NOT_NEEDED, sending), answers
        assert not found(ABSENT[locale], [verdict.text]), verdict.text


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_receiving_changes_nor_names_pop3(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    # Classic Outlook's 「詳細設定」 step said 「「受信サーバー (POP3)」の欄は変えません」 /
    # 'Leave "Incoming server (POP3)" as it is' of an IMAP account.
    heard = walker.walk(
        PROFILE,
        catalogs,
        locale,
        dt.date.fromisoformat(day),
        ADDRESS,
        menu_words=(*TYPED, *WEBMAIL),
        outcomes=SENDING_OUTCOMES,
        on_card=card_of_sending_alone(PROFILE, locale),
    )
    leaks = found(ABSENT[locale], heard)
    assert not leaks, where(leaks[0], heard)
    # The receiving server, where a text names it, is the IMAP one as it is.
    assert any("imap.hotaru.example.ne.jp" in text for text in heard)
