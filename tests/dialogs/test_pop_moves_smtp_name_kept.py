"""examples/pop-moves-smtp-name-kept.toml: one host name kept, one moved, the Japanese way.

Minori Net keeps its outgoing name (mail.minori…, port 25 without a login today, 587 +
STARTTLS with SMTP AUTH from now on) while receiving moves to a new name (POP3 on mail.minori…
port 110 to pop.minori… on 995 with TLS). The loader refused it; lifted, the bot said
「送信サーバー名がmail.xの場合は、mail.xに変更してください」, 「送信サーバー名が変わるのは、今
mail.xをお使いの方だけです」 and 「従来のサーバーは…送信（SMTP）が…まで」 /
「従来の送信サーバーは…で利用できなくなりました」, while the server stays and only its
port-25 connection stops. Walked
by button and typed words, through every topic, typed problem, program, card, guide and
check result, on five days in both languages: nothing may say the outgoing name changes or
that the old outgoing server stops.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import SMTP_KEPT_KEYS, timing
from dialogs.vocabulary import Locale, Receiving, Sending
from tests.dialogs import walker
from tests.dialogs.driver import Driver
from tests.dialogs.walker import found, verdict_after, where

PATH: Final = Path(__file__).resolve().parents[2] / "examples" / "pop-moves-smtp-name-kept.toml"
PROFILE: Final = load_profile(PATH)
ADDRESS: Final = "taro@minori.example.ne.jp"
# Before the window, in it, the old SMTP connection's last day, after it, after the old POP.
DAYS: Final = ("2027-02-20", "2027-03-10", "2027-03-31", "2027-04-10", "2027-05-10")
PATHS: Final = {
    ("yes", "yes"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("yes", "no"): (Receiving.REQUIRED, Sending.NOT_NEEDED),
    ("yes", "unsure"): (Receiving.REQUIRED, Sending.REQUIRED),
    ("no",): (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
}
# The outgoing name said to change, the old (outgoing) server said to stop, the notice's
# "new servers" naming the kept one, and the seed's facts.
WRONG: Final[dict[Locale, re.Pattern[str]]] = {
    "ja": re.compile(
        walker.SEED
        + r"|mail\.minori\.example\.ne\.jpに変更|送信サーバー名が変わる|従来の送信サーバー"
        + r"|従来のサーバーは|送信（SMTP）[がは][^。]*(?:まで|なりました)|新しいサーバーは"
    ),
    "en": re.compile(
        walker.SEED
        + r"|change it to mail\.minori|outgoing server name changes|old outgoing server"
        + r"|The old server|old servers? could|sending \(SMTP\) (?:until|through)"
        + r"|for sending \(SMTP\)|The new servers are"
    ),
}
KEPT: Final[dict[Locale, str]] = {
    "ja": "送信サーバー名（mail.minori.example.ne.jp）は変わりません。",
    "en": "The outgoing server name (mail.minori.example.ne.jp) stays the same.",
}
PORT_25_GONE: Final[dict[Locale, str]] = {
    "ja": "送信の暗号化しない接続（ポート25番）は2027年3月31日(水)で使えなくなりました。",
    "en": "Sending over the unencrypted connection (port 25) could be used until Wednesday"
    " 31 March 2027 and no longer works.",
}


def test_the_outgoing_name_stays_and_the_receiving_one_moves() -> None:
    incoming, outgoing = PROFILE.incoming, PROFILE.outgoing
    assert outgoing.host_kept
    assert (outgoing.old_port, outgoing.port) == (25, 587)
    assert (incoming.old_host, incoming.new_host) == (
        "mail.minori.example.ne.jp",
        "pop.minori.example.ne.jp",
    )
    when = timing(PROFILE, dt.date(2027, 3, 10))
    assert when.sending_host_kept
    assert not when.hosts_kept
    assert not when.receiving_unchanged


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS)
def test_nothing_says_the_outgoing_name_changes_or_its_server_stops(
    catalogs: Catalogs, day: str, locale: Locale
) -> None:
    today = dt.date.fromisoformat(day)
    heard = walker.walk(PROFILE, catalogs, locale, today, ADDRESS)
    for answers, sides in PATHS.items():
        verdict = verdict_after(PROFILE, catalogs, locale, today, answers)
        assert (verdict.receiving, verdict.sending) == sides, answers
        heard.append(verdict.text)
    wrong = found(WRONG[locale], heard)
    assert not wrong, [where(match, heard) for match in wrong]
    assert any(KEPT[locale] in text for text in heard)
    gone = any(PORT_25_GONE[locale] in text for text in heard)
    assert gone is (today > dt.date(2027, 3, 31)), day


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_every_kept_name_twin_keeps_the_name(catalogs: Catalogs, locale: Locale) -> None:
    # The twins the walk does not reach (a last day not decided yet, both servers' last
    # day) are read too, with each password variant's.
    keys = {key for key in catalogs.keys(locale) if any(key.startswith(k) for k in SMTP_KEPT_KEYS)}
    assert keys >= SMTP_KEPT_KEYS
    for key in sorted(keys):
        text = catalogs.raw(locale, key)
        assert "{old_smtp}" not in text, key
        assert not WRONG[locale].search(text), (key, text)


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "source",
    # Only the outgoing name kept; both kept (Umineko's TLS move).
    [PATH, Path(__file__).resolve().parent / "umineko_tls.toml"],
    ids=lambda path: path.stem,
)
def test_an_unreachable_outgoing_server_before_its_old_connections_day_is_decided(
    catalogs: Catalogs, tmp_path: Path, locale: Locale, source: Path
) -> None:
    # Without old_smtp_until the kept-name answer to "cannot reach the outgoing server"
    # named the day today's connection stops: it could not be filled and the turn failed
    # (on a kept outgoing name beside a moved receiving server, and where both names stay).
    text = re.sub(r"old_smtp_until = \S+\n", "", source.read_text("utf-8"), count=1)
    path = tmp_path / source.name
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.schedule.old_smtp_until is None
    driver = Driver(profile, walker.worded(catalogs, profile), today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("topic:why")
    driver.type("0x80042109")
    said = driver.said()
    assert ("今も使えますので" if locale == "ja" else "still works") in said, said
    assert ("変わりません" if locale == "ja" else "stays the same") in said, said
