"""A WhatsApp contact's reaction (👍 on the question) is no answer.

Chatwoot keeps a WhatsApp reaction as an incoming message whose content is the emoji and
whose `content_attributes` say `is_reaction` (with the reacted message's WhatsApp id). Read
as typed words, 👍 on 「メールソフトをお使いですか？」 answered 「はい」 for the contact,
who had only reacted to a message. As on Slack and Telegram a reaction is not taken as an
answer: it is thanked for as an emoji alone is, and the question is asked again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.chatwoot import events as chatwoot
from dialogs.questionnaire import Stage
from dialogs.vocabulary import EMOJI_CHOICE
from tests.adapters.channel_contract import Harness
from tests.adapters.chatwoot import test_channel as chatwoot_tests
from tests.adapters.chatwoot.test_channel import message, webhook
from tests.fakes.chatwoot_api import ACCOUNT, FakeChatwoot, running_chatwoot

SUITE = chatwoot_tests.TestChatwootChannel()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with (
        running_chatwoot() as fake,
        SUITE.running(fake, tmp_path, SUITE.settings(fake.url)) as running,
    ):
        yield running


def _reaction(emoji: str, n: int) -> dict[str, Any]:
    payload = message(emoji, n)
    payload["conversation"]["channel"] = "Channel::Whatsapp"
    payload["content_attributes"] = {
        "is_reaction": True,
        "in_reply_to_external_id": "wamid.HBgLODE5MDEyMzQ1Njc4FQIAERgSMEE=",
    }
    return payload


def test_a_reaction_is_read_as_an_emoji_not_as_words() -> None:
    read = chatwoot.parse_event(_reaction("👍", 2), ACCOUNT)
    assert isinstance(read, chatwoot.ContactMessage)
    assert (read.inbound.choice, read.inbound.text) == (EMOJI_CHOICE, "👍")
    typed = chatwoot.parse_event(message("👍", 3), ACCOUNT)
    assert isinstance(typed, chatwoot.ContactMessage)
    assert (typed.inbound.choice, typed.inbound.text) == (None, "👍")


async def test_a_thumbs_up_reaction_on_the_question_answers_nothing(harness: Harness) -> None:
    fake = harness.fake
    assert isinstance(fake, FakeChatwoot)
    greeting = message("こんにちは", 1)
    greeting["conversation"]["channel"] = "Channel::Whatsapp"
    assert (await harness.post(webhook(greeting))).status_code == 200
    await harness.runtime.tasks.idle()
    before = len(fake.messages())
    assert (await harness.post(webhook(_reaction("👍", 2)))).status_code == 200
    await harness.runtime.tasks.idle()
    record = await SUITE.record(harness)
    assert record is not None
    assert record.dialog.stage == Stage.Q1_MAIL_PROGRAM
    assert record.dialog.answers == {}
    said = "\n".join(m["content"] for m in fake.messages()[before:])
    assert "メールの送受信に、メールソフト" in said
