"""Two more examples, written from the README's profile section as another ISP's operator.

`examples/pop-to-imap.toml` (Tsubame Net): POP3 without encryption becomes IMAP on 993 and
SMTP on 465 (implicit TLS) on new host names; the login, the part before @ until now,
becomes the whole address; three questions of its own (a mail program? our outgoing
server? sending away from home?), whose "don't know" at the last has a leaf of its own.
`examples/new-domain-imap.toml` (Kumo Hikari): @old.example.jp becomes @new.example.jp on
new IMAP servers (993/587, mailboxes copied), the old address forwarded and allowed as the
sender for a while. Walked through every topic, typed problem, program and check result on
their key dates in both languages: nothing of the seed's provider, servers or dates, and
nothing their subscribers never had (Tsubame: STARTTLS, 587; Kumo: POP, port 25).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, Sending, VerdictReply
from tests.dialogs import walker
from tests.dialogs.walker import SEED

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
PROFILES: Final = {
    "pop-to-imap": load_profile(EXAMPLES / "pop-to-imap.toml"),
    "new-domain-imap": load_profile(EXAMPLES / "new-domain-imap.toml"),
}
ADDRESSES: Final = {
    "pop-to-imap": "taro@tsubame.example.jp",
    "new-domain-imap": "taro@old.example.jp",
}
# Before the window, inside it, after it, after the old receiving server, after the old
# sending server (and, for Kumo, after the old address stops receiving).
DAYS: Final = {
    "pop-to-imap": ("2027-05-09", "2027-05-10", "2027-07-01", "2027-08-01", "2027-10-01"),
    "new-domain-imap": ("2027-09-30", "2027-10-15", "2028-01-01", "2028-02-01", "2028-04-01"),
}
ABSENT: Final = {
    # Becky!'s own option list 「（SSL/TLS、STARTTLS）」 names it as what is on its screen.
    "pop-to-imap": re.compile(SEED + r"|\b587\b|\b995\b|\b143\b|(?<!、)(?<!, )STARTTLS"),
    # Its subscribers send on 587 today: port 25 is never why something fails.
    "new-domain-imap": re.compile(
        SEED + r"|POP(?! before)|\b110\b|\b995\b|ポート25番がふさがれ|port 25 (?:being|is) blocked"
    ),
}


def walk(name: str, catalogs: Catalogs, locale: Locale, today: dt.date) -> list[str]:
    """Every topic and typed problem, then every program to its card, guide and checks."""
    return walker.walk(PROFILES[name], catalogs, locale, today, ADDRESSES[name])


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("name", "day"), [(name, day) for name, days in DAYS.items() for day in days], ids=str
)
def test_nothing_of_the_seed_or_absent_from_the_profile_is_said(
    catalogs: Catalogs, name: str, day: str, locale: Locale
) -> None:
    heard = walk(name, catalogs, locale, dt.date.fromisoformat(day))
    leaks = sorted({m.group() for text in heard for m in ABSENT[name].finditer(text)})
    assert not leaks, [t[max(0, t.find(leaks[0]) - 160) :][:320] for t in heard if leaks[0] in t]


def verdict_after(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, *answers: str
) -> VerdictReply:
    return walker.verdict_after(profile, catalogs, locale, profile.schedule.window_start, answers)


@pytest.mark.parametrize(
    ("locale", "soft", "flat"),
    [
        ("ja", "変更しておけば、自宅からでも外出先からでも送信できます", "送信できません"),
        ("en", "you can send from home and from anywhere else", "cannot send"),
    ],
)
def test_not_knowing_where_one_sends_from_gets_its_own_words(
    catalogs: Catalogs, locale: Locale, soft: str, flat: str
) -> None:
    # 「わからない」 at the away-from-home question: a leaf of its own, still "change sending",
    # worded for not knowing (the seed's port-25 question has the same shape).
    profile = PROFILES["pop-to-imap"]
    verdict = verdict_after(profile, catalogs, locale, "yes", "yes", "unsure")
    assert verdict.sending is Sending.REQUIRED
    assert soft in verdict.text
    assert flat not in verdict.text
    # "Only at home" is a recommendation while the old server answers there.
    assert verdict_after(profile, catalogs, locale, "yes", "yes", "no").sending is (
        Sending.RECOMMENDED
    )
