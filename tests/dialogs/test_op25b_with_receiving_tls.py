"""Outbound Port 25 Blocking with TLS on receiving at the same time: a migration of its own.

A provider that moves sending to 587 (OP25B) often turns on TLS for receiving in the same
notice: POP3 on 110 without encryption becomes 995 on the same server name. That is not a
sending-only migration (receiving changes), it is the kept-host-names one (only ports and
TLS change, `old_port`/`old_security` on both sides). Copied from
examples/op25b-sending-only.toml with `old_port = 110` added, its leaves still said
receiving = "not_needed" where sending changes: the verdict then said only 「送信の設定：
変更が必要です」 while the card and guide changed the receiving port. Such a leaf is refused
by key, and the migration written out (leaves that say receiving changes) is walked.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.vocabulary import Locale, Receiving, Sending, SettingsReply
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.walker import OnCard, found, verdict_after, where

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "op25b-sending-only.toml"
ADDRESS: Final = "taro@hotaru.example.ne.jp"
# The receiving connection stops with port 25: both on 31 May 2027.
TLS_TOO: Final = (
    (
        'login_name = "address"\n\n[outgoing]',
        'login_name = "address"\nold_port = 110\nold_security = "none"\n\n[outgoing]',
    ),
    ("old_smtp_until = 2027-05-31\n", "old_smtp_until = 2027-05-31\nold_pop_until = 2027-05-31\n"),
)
# The leaves as the operator of such a migration writes them: whoever uses a mail program
# changes receiving, whatever server they send through.
LEAVES: Final = (
    (
        'receiving = "not_needed"\nsending = "required"',
        'receiving = "required"\nsending = "required"',
    ),
    (
        '[questionnaire.leaves.other_server]\nreceiving = "not_needed"',
        '[questionnaire.leaves.other_server]\nreceiving = "required"',
    ),
)
DAYS: Final = ("2027-05-01", "2027-05-20", "2027-06-01")
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
}
# Receiving said not to change, the sending-only words, or the seed's.
ABSENT: Final = {
    "ja": re.compile(r"受信の設定：変更の必要はありません|受信の設定は変わりません|" + walker.SEED),
    "en": re.compile(
        r"Receiving settings: no change|receiving settings (?:stay|do not change)|" + walker.SEED
    ),
}


def profile_of(*changes: tuple[str, str]) -> MigrationProfile:
    text = PATH.read_text("utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_profile(tomllib.loads(text), "op25b-tls.toml")


def test_a_leaf_that_keeps_receiving_while_the_receiving_port_changes_is_refused() -> None:
    with pytest.raises(ProfileError) as refused:
        profile_of(*TLS_TOO)
    message = str(refused.value)
    assert message.startswith(
        "op25b-tls.toml: [questionnaire.leaves.sending_required.receiving] "
    ), message
    assert "incoming.old_port 110" in message, message
    assert 'write receiving = "required"' in message, message


PROFILE: Final = profile_of(*TLS_TOO, *LEAVES)


def test_written_out_it_is_the_kept_names_migration() -> None:
    incoming = PROFILE.incoming
    assert not incoming.unchanged
    assert incoming.host_kept
    assert PROFILE.outgoing.host_kept
    assert (incoming.old_port, incoming.port) == (110, 995)
    assert PROFILE.text_variants == ()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_every_path_says_receiving_changes_where_a_program_is_used(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    today = dt.date.fromisoformat(day)
    for answers, sides in PATHS.items():
        for typed in (False, True):
            verdict = verdict_after(PROFILE, catalogs, locale, today, answers, typed=typed)
            assert (verdict.receiving, verdict.sending) == sides, answers
            assert not found(ABSENT[locale], [verdict.text]), verdict.text


def card_changes_receiving(driver: Driver, program: MailProgram) -> None:
    cards = [r for r in driver.all_replies() if isinstance(r, SettingsReply)]
    rows = {item.key: item for item in cards[-1].items}
    assert rows["pop_port"].changed, program
    assert rows["pop_security"].changed, program
    assert not rows["pop_server"].changed, program


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_receiving_stays(catalogs: Catalogs, day: str, locale: Locale) -> None:
    on_card: OnCard = card_changes_receiving
    heard = walker.walk(
        PROFILE, catalogs, locale, dt.date.fromisoformat(day), ADDRESS, on_card=on_card
    )
    leaks = found(ABSENT[locale], heard)
    assert not leaks, where(leaks[0], heard)
    # Every program's guide changes the receiving port.
    assert all("995" in text for text in heard[1:])


@pytest.mark.parametrize(
    ("locale", "reasons"),
    [
        (
            "ja",
            (
                "暗号化しない接続（ポート110番）",
                "本人確認（SMTP認証）",
                "送信のポートは25番から587番に変わります",
                "「Outbound Port25 Blocking」を2027年6月1日(火)から実施します",
            ),
        ),
        (
            "en",
            (
                "unencrypted connection (port 110)",
                "(SMTP authentication)",
                "The outgoing port changes from 25 to 587",
                'introduces "Outbound Port25 Blocking" from Tuesday 1 June 2027',
            ),
        ),
    ],
)
def test_why_gives_the_port_25_reasons_beside_the_encryption(
    catalogs: Catalogs, locale: Locale, reasons: tuple[str, ...]
) -> None:
    # It said only that the unencrypted connections stop: not that sending now logs in
    # (new to them), that port 25 is left, nor the provider's own block, which are why.
    driver = Driver(PROFILE, catalogs, today=dt.date(2027, 5, 20))
    driver.start(locale)
    driver.press("topic:why")
    said = driver.said()
    for reason in reasons:
        assert reason in said, (reason, said)
