"""「IMAPって何ですか」: what the receiving protocol is, and whether this migration changes it.

examples/pop-to-imap.toml moves receiving from POP3 to IMAP, and the first thing its
subscribers ask is what IMAP is: the bot said it could not answer. The answer follows the
profile: POP3 to IMAP (and why a new account is added), IMAP that stays IMAP, POP3 that
stays POP3 (the seed's). Questions that name a server are still about the servers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import Topic, recognise_topic
from dialogs.profile import MigrationProfile
from dialogs.understanding import normalise
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

ROOT: Final = Path(__file__).resolve().parents[2]
POP_TO_IMAP: Final = load_profile(ROOT / "examples/pop-to-imap.toml")
IMAP_STAYS: Final = load_profile(ROOT / "examples/new-domain-imap.toml")
ASKED: Final = {
    "ja": ("IMAPって何ですか", "POPとIMAPの違いは？", "imapにしないといけないの？", "IMAPとは"),
    "en": ("What is IMAP?", "What's the difference between POP and IMAP?", "POP3 or IMAP?"),
}


def answer(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, words: str) -> str:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.type(words)
    return driver.said()


@pytest.mark.parametrize(
    ("locale", "words"), [(locale, words) for locale, asked in ASKED.items() for words in asked]
)
def test_the_protocol_question_follows_the_profile(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, words: str
) -> None:
    moves = {"ja": "POP3からIMAPに変わります", "en": "changes from POP3 to IMAP"}[locale]
    stays_imap = {"ja": "これまでどおりIMAP", "en": "stays IMAP"}[locale]
    stays_pop = {"ja": "これまでどおりPOP3", "en": "stays POP3"}[locale]
    said = answer(POP_TO_IMAP, catalogs, locale, words)
    assert moves in said
    assert ("新しく追加" if locale == "ja" else "add a new") in said
    assert stays_imap in answer(IMAP_STAYS, catalogs, locale, words)
    assert stays_pop in answer(profile, catalogs, locale, words)


@pytest.mark.parametrize(
    "words",
    [
        "IMAPサーバー名は？",
        "imap.tsubame-mail.example.jpにつながりません",
        "POP before SMTPとは",
        "what is the new imap server?",
        "メールが受信できない",
    ],
)
def test_a_server_or_a_problem_is_not_the_protocol_question(words: str) -> None:
    assert recognise_topic(normalise(words)) is not Topic.PROTOCOL
