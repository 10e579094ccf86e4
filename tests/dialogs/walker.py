"""One walk through a profile, for the tests that read everything a profile makes the bot say.

Each example profile's test (`test_hosted_mail_by_post.py`, `test_op25b_sending_only.py`,
`test_pop_to_imap_and_new_domain.py`, `test_new_profiles.py`…) walks it the same way: every
path of its questionnaire by button and by typed words; then, on one day, every topic and
typed problem from the menu, and every mail program to its card, guide, typed problems and
live-check results. What differs is what each then looks for in the words, and what it
asserts of each program's card (`on_card`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Final

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SystemEvent, VerdictReply, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.test_other_provider import OUTCOMES, TOPICS, TYPED

TYPED_ANSWERS: Final[Mapping[Locale, Mapping[str, str]]] = {
    "ja": {"yes": "はい", "no": "いいえ", "unsure": "わかりません"},
    "en": {"yes": "yes", "no": "no", "unsure": "I don't know"},
}
# The seed's provider, servers and dates: no other profile's walk may say any of them.
SEED: Final = r"117|vpop|vsmtp|\bvs\.|\bvp\.|2008"

OnCard = Callable[[Driver, MailProgram], None]


def worded(catalogs: Catalogs, profile: MigrationProfile) -> Catalogs:
    """The catalogs as `mailmove serve` words this profile (its text variants' twins)."""
    return catalogs.with_variants(profile.text_variants)


def said_all(driver: Driver) -> str:
    """Everything the conversation said, every reply as plain text."""
    return "\n".join(reply_as_plain_text(reply) for reply in driver.all_replies())


def verdict_after(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    today: dt.date,
    answers: Iterable[str],
    *,
    typed: bool = False,
) -> VerdictReply:
    """The verdict after `answers` ("yes", "no", "unsure"), pressed or typed."""
    driver = Driver(profile, worded(catalogs, profile), today=today)
    driver.start(locale)
    for answer in answers:
        if typed:
            driver.type(TYPED_ANSWERS[locale][answer])
        else:
            driver.press(answer)
    return driver.verdict()


def walk(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    today: dt.date,
    address: str,
    *,
    topics: Iterable[str] = TOPICS,
    menu_words: Iterable[str] = TYPED,
    card_words: Iterable[str] = TYPED,
    outcomes: Iterable[Mapping[str, str]] = OUTCOMES,
    on_card: OnCard | None = None,
) -> list[str]:
    """Every topic and typed problem, then every program to its card, guide and checks.

    The first text is the menu's (topics, then `menu_words`); one text per program follows,
    from the greeting through the card and guide to `card_words` typed after it and each of
    `outcomes` as the live check reports it. `on_card` is called once the card is given.
    """
    catalogs = worded(catalogs, profile)
    menu = Driver(profile, catalogs, today=today)
    menu.start(locale)
    for topic in topics:
        menu.press(f"topic:{topic}")
    for words in menu_words:
        menu.type(words)
    heard = [said_all(menu)]
    outcomes = tuple(outcomes)
    card_words = tuple(card_words)
    for program in MailProgram:
        driver = Driver(profile, catalogs, today=today)
        driver.start(locale)
        while driver.state.stage is not Stage.ASK_ADDRESS:
            driver.press("yes")
        driver.type(address)
        driver.press(f"program:{program.value}")
        if driver.state.stage is Stage.ASK_OUTLOOK_KIND:
            driver.press("yes")
        if driver.state.stage is Stage.ASK_SMTP_HOST:
            driver.press("yes")
        assert driver.state.stage is Stage.SETTINGS_DELIVERED, program
        if on_card is not None:
            on_card(driver, program)
        for words in card_words:
            driver.type(words)
        for outcome in outcomes:
            driver._run(event=SystemEvent("check_result", tuple(outcome.items())))
        heard.append(said_all(driver))
    return heard


def found(pattern: re.Pattern[str], heard: Iterable[str]) -> list[str]:
    """Each different match of `pattern` in what was heard, sorted."""
    return sorted({m.group() for text in heard for m in pattern.finditer(text)})


def where(match: str, heard: Iterable[str]) -> list[str]:
    """The words around `match` wherever it was heard, for an assertion's message."""
    return [text[max(0, text.find(match) - 160) :][:320] for text in heard if match in text]
