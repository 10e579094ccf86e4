"""A question's choices reach a Chatwoot contact on WhatsApp, Facebook or SMS as answerable.

The bot posts choices as an `input_select`, which the web widget shows as buttons. On other
inboxes Chatwoot makes of it what the channel takes: WhatsApp reply buttons (3 at most,
titles of 20 characters) or a list (10 rows, titles of 24), past which Meta refuses the
whole message and the contact gets nothing; Facebook's button template (3 buttons); SMS,
e-mail and the rest the words alone, the choices dropped. The contact was asked a question
with nothing to answer it by, or nothing at all. Where the choices would not show as
buttons they are numbered lines under the question; a number typed answers (the dialog
reads 「1」 as the first choice offered, on every channel).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from dialogs.vocabulary import Choice, ChoicesReply
from tests.adapters.channel_contract import Harness
from tests.adapters.chatwoot import test_channel as chatwoot_tests
from tests.adapters.chatwoot.test_channel import CONVERSATION, message, webhook
from tests.fakes.chatwoot_api import FakeChatwoot, running_chatwoot

SUITE = chatwoot_tests.TestChatwootChannel()
FIRST_QUESTION = "メールの送受信に、メールソフト"
SECOND_QUESTION = "117net以外のプロバイダ"


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with (
        running_chatwoot() as fake,
        SUITE.running(fake, tmp_path, SUITE.settings(fake.url)) as running,
    ):
        yield running


def _on(inbox: str, text: str, n: int) -> dict[str, Any]:
    payload = message(text, n)
    payload["conversation"]["channel"] = inbox
    return payload


async def _say(harness: Harness, inbox: str, text: str, n: int) -> list[dict[str, Any]]:
    """The contact writes `text` on an inbox of kind `inbox`; the messages posted in answer."""
    fake = harness.fake
    assert isinstance(fake, FakeChatwoot)
    before = len(fake.messages())
    assert (await harness.post(webhook(_on(inbox, text, n)))).status_code == 200
    await harness.runtime.tasks.idle()
    return fake.messages()[before:]


@pytest.mark.parametrize(
    "inbox", ["Channel::TwilioSms", "Channel::Sms", "Channel::FacebookPage", "Channel::Email"]
)
async def test_without_buttons_the_choices_are_numbered_and_a_number_answers(
    harness: Harness, inbox: str
) -> None:
    *_, asked = await _say(harness, inbox, "こんにちは", 1)
    assert FIRST_QUESTION in asked["content"]
    assert asked["content_type"] == "text"
    assert "content_attributes" not in asked
    assert "\n1. はい\n2. いいえ\n3. わからない\n" in asked["content"]
    hint = harness.runtime.catalogs("ja", "chatwoot.choices_by_number")
    assert asked["content"].endswith(hint)
    # 「１」 (a phone's full-width digit) is the first choice: 「はい」.
    *_, next_one = await _say(harness, inbox, "１", 2)
    assert SECOND_QUESTION in next_one["content"]
    record = await SUITE.record(harness)
    assert record is not None
    assert record.dialog.answers


async def test_on_whatsapp_a_select_within_metas_limits_stays_a_select(harness: Harness) -> None:
    *_, asked = await _say(harness, "Channel::Whatsapp", "こんにちは", 1)
    assert asked["content_type"] == "input_select"
    items = asked["content_attributes"]["items"]
    assert 3 < len(items) <= 10
    assert all(len(item["title"]) <= 24 for item in items)
    # The menu's 14 topics are more than a list's 10 rows: Meta would refuse it whole.
    *_, menu = await _say(harness, "Channel::Whatsapp", "メニュー", 2)
    assert menu["content_type"] == "text", menu
    assert "\n14. " in menu["content"]


async def test_a_pushed_question_is_numbered_on_the_inbox_the_contact_wrote_from(
    harness: Harness,
) -> None:
    # A hand-back's question answers no message of the contact's: the inbox is remembered.
    await _say(harness, "Channel::Line", "こんにちは", 1)
    fake = harness.fake
    assert isinstance(fake, FakeChatwoot)
    before = len(fake.messages())
    asked = ChoicesReply("解決しましたか？", (Choice("yes", "はい"), Choice("no", "いいえ")))
    await harness.runtime.delivery.push("chatwoot", CONVERSATION, [asked])
    [pushed] = fake.messages()[before:]
    assert pushed["content_type"] == "text"
    assert pushed["content"].startswith("解決しましたか？\n\n1. はい\n2. いいえ\n\n")


@pytest.mark.parametrize("inbox", ["Channel::TwilioSms", "Channel::Whatsapp", "Channel::Email"])
async def test_a_turns_replies_go_as_one_message_where_order_is_not_kept(
    harness: Harness, inbox: str
) -> None:
    # Chatwoot sends each message from a job of its own, side by side: the greeting and the
    # question could reach the phone in either order (and SMS keeps none). Joined, in order.
    [greeted] = await _say(harness, inbox, "こんにちは", 1)
    greeting = greeted["content"].index("こんにちは。117net")
    assert greeting == 0
    assert greeted["content"].index(FIRST_QUESTION) > greeting


async def test_in_the_web_widget_each_reply_stays_a_message(harness: Harness) -> None:
    greeting, question = await _say(harness, "Channel::WebWidget", "こんにちは", 1)
    assert greeting["content"].startswith("こんにちは。117net")
    assert question["content"].startswith(FIRST_QUESTION)


async def test_joined_messages_stay_within_twilios_1600_characters(harness: Harness) -> None:
    said: list[dict[str, Any]] = []
    answers = [
        "こんにちは",
        "はい",
        "はい",
        "はい",
        "はい",
        "taro@vp.117.ne.jp",
        "Thunderbird",
        "はい",
    ]
    for n, text in enumerate(answers, start=1):
        said += await _say(harness, "Channel::TwilioSms", text, n)
    words = "\n".join(m["content"] for m in said)
    assert "vpop.117.ne.jp" in words
    assert "Thunderbirdでの設定手順" in words
    assert all(len(m["content"]) <= 1600 for m in said), [len(m["content"]) for m in said]
