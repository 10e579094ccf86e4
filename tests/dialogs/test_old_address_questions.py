"""Questions about the old address, in the subscriber's words, where the domain changes.

"What happens to mail sent to my old address?", "Do I get a new email address?",
「古いアドレスあてのメールはどうなりますか」: the address question, answered on
`examples/domain-change.toml` with the new address and until when the old one is forwarded,
and on the seed's profile with "your address stays". 「前のアドレスに届いたメールは？」 (mail
already there) stays the old-mail question and "until when does my old address work?" the
dates, as their answers already say when the forwarding ends.
"""

from __future__ import annotations

from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.knowledge import Topic, recognise_topic
from dialogs.profile import MigrationProfile
from dialogs.understanding import normalise
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver
from tests.dialogs.test_domain_change import IN_WINDOW, MOVED, said_all

ABOUT_THE_ADDRESS: Final = (
    ("en", "what happens to mail sent to my old address?"),
    ("en", "Will mail to my old address still arrive?"),
    ("en", "Can people still email my old address?"),
    ("en", "how long will my old address keep working?"),
    ("en", "What about emails sent to my old address?"),
    ("en", "will I still receive mail at my old address?"),
    ("en", "is my old address still valid?"),
    ("en", "Do I get a new email address?"),
    ("en", "is my address going to be different?"),
    ("en", "is my email address changing?"),
    ("en", "do I need to tell people my new address?"),
    ("ja", "古いアドレスあてのメールはどうなりますか"),
    ("ja", "前のアドレスにメールが来たらどうなる？"),
    ("ja", "古いアドレスに送られたメールは届きますか"),
    ("ja", "アドレスは今のままですか"),
    ("ja", "新しいメールアドレスになるんですか"),
    ("ja", "新しいアドレスを友達に知らせないといけませんか"),
    ("ja", "今までのアドレスに送られたメールはどうなる？"),
    ("ja", "これまでのアドレスあてのメールは？"),
)


@pytest.mark.parametrize(("locale", "text"), ABOUT_THE_ADDRESS)
def test_the_question_is_the_address_question(locale: Locale, text: str) -> None:
    assert recognise_topic(normalise(text)) is Topic.ADDRESS


@pytest.mark.parametrize(
    "text",
    [
        "サーバーのアドレスはそのままですか？",
        "サーバーのアドレスは変わりますか？",
        "送信サーバーのアドレスも変わりますか",
    ],
)
def test_a_servers_address_is_the_servers_question(text: str) -> None:
    # Read as the e-mail address's question, it was told 「メールアドレスは変わりません」 while
    # the servers' names change.
    assert recognise_topic(normalise(text)) is Topic.SERVERS


def test_an_ip_address_is_not_the_mail_address() -> None:
    assert recognise_topic(normalise("IPアドレスは変わりますか")) is not Topic.ADDRESS


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("古いアドレスはいつまで使えますか", Topic.SCHEDULE),
        # Mail that came there, as 「届いた」: the old-mail answer, which names the forwarding
        # too (it went unanswered).
        ("古いアドレスに来たメールはどうなりますか", Topic.OLD_MAIL),
        ("until when does my old address work?", Topic.SCHEDULE),
        ("I put my old address as the user name", Topic.ACCOUNT),
    ],
)
def test_nearby_questions_keep_their_topic(text: str, topic: Topic) -> None:
    assert recognise_topic(normalise(text)) is topic


@pytest.mark.parametrize(("locale", "text"), ABOUT_THE_ADDRESS)
def test_a_new_domain_answers_with_the_new_address_and_the_forwarding(
    catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = Driver(MOVED, catalogs, today=IN_WINDOW)
    driver.start(locale)
    driver.type(text)

    said = said_all(driver)
    assert "@kaigan-hikari.example.jp" in said
    day = {"ja": "2027年9月30日(木)", "en": "Thursday 30 September 2027"}[locale]
    assert day in said


@pytest.mark.parametrize(("locale", "text"), ABOUT_THE_ADDRESS[:3])
def test_without_a_new_domain_the_address_stays(
    catalogs: Catalogs, profile: MigrationProfile, locale: Locale, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(text)

    stays = {"ja": "メールアドレスは変わりません", "en": "Your e-mail address does not"}[locale]
    assert stays in said_all(driver)
