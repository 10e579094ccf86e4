"""The handoff summary says which language the subscriber talks in, where it is not the desk's.

An English-speaking subscriber (the language button, Telegram's or LINE's language) was
summed up in Japanese like any other: 「お客様: 5123456789（telegram）」, and the agent in Slack
or Chatwoot answered in Japanese. The who line now says so when the languages differ.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.desk.summary import HandoffSummary
from bot.ops.catalogs import Catalogs
from dialogs.vocabulary import Locale


def summary(locale: Locale) -> HandoffSummary:
    return HandoffSummary(
        key="telegram:5123456789",
        channel="telegram",
        conversation_id="5123456789",
        sender="5123456789",
        locale=locale,
        reason="asked",
        address="",
        program="",
        answers={},
        receiving="",
        sending="",
        stage="",
        last_check="",
        transcript_url="",
    )


@pytest.mark.parametrize(
    ("subscriber", "desk", "who"),
    [
        ("en", "ja", "お客様: 5123456789（Telegram）・英語で会話しています"),
        ("ja", "en", "Subscriber: 5123456789 (Telegram), talking in Japanese"),
    ],
)
def test_a_subscriber_in_another_language_than_the_desks_is_said_so(
    catalogs: Catalogs, subscriber: Locale, desk: Locale, who: str
) -> None:
    assert summary(subscriber).rows(catalogs, desk)[0] == who


def test_a_subscriber_in_the_desks_language_reads_as_before(catalogs: Catalogs) -> None:
    assert summary("ja").rows(catalogs, "ja")[0] == "お客様: 5123456789（Telegram）"


@pytest.mark.parametrize(
    ("channel", "ja", "en"),
    [
        ("webchat", "Webチャット", "web chat"),
        ("line", "LINE", "LINE"),
        ("telegram", "Telegram", "Telegram"),
        ("slack", "Slack", "Slack"),
        ("chatwoot", "Chatwoot", "Chatwoot"),
        ("console", "ターミナル", "terminal"),
    ],
)
def test_the_platform_is_named_as_its_users_know_it(
    catalogs: Catalogs, channel: str, ja: str, en: str
) -> None:
    # 「お客様: 不明（webchat）」 gave the agents the channel's id, in lower case.
    named = dataclasses.replace(summary("ja"), channel=channel)
    assert named.rows(catalogs, "ja")[0] == f"お客様: 5123456789（{ja}）"
    assert named.rows(catalogs, "en")[0] == f"Subscriber: 5123456789 ({en}), talking in Japanese"
