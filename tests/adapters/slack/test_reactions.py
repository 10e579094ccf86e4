"""A reaction on the question the bot holds open is no answer, and the member is told so.

A 👍 on 「メールソフトをお使いですか？」 reads as a yes to the person who gave it. Slack sent
`reaction_added` to an app subscribed to it and the bot said nothing: the subscriber waited
for the next question, which never came. It is not taken as an answer (a reaction is given
to any message, and says too little), but the member who gave it is told, alone and once,
to press a button or type the answer. A reaction anywhere else (a card, an answered
question, another member's thread) gets nothing.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.server import build_app
from bot.store.conversation_store import record_key
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import Harness, all_but, load_payload
from tests.adapters.slack import test_channel as slack_tests
from tests.fakes.platform_api import SLACK_BOT_USER, SLACK_TEAM, Call, running_fake

CHANNEL = "C0HELPDESK"
SUBSCRIBER = "U0SUBSCRIBER"
COLLEAGUE = "U0COLLEAGUE"
FIRST_QUESTION = "メールの送受信に、メールソフト"


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        store = SQLiteStore(tmp_path / "conversations.sqlite3")
        settings = slack_tests.TestSlackChannel().settings(fake.url)
        app = build_app(
            settings, clock=fixed_clock(), store=store, exclude_channels=all_but("slack")
        )
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client,
        ):
            yield Harness(app, fake, store, client)


def _reaction(channel: str, ts: str, user: str, n: int, emoji: str = "+1") -> dict[str, Any]:
    payload = copy.deepcopy(load_payload("slack", "message_im"))
    payload["event_id"] = f"EvREACTION{n:04d}"
    payload["event"] = {
        "type": "reaction_added",
        "user": user,
        "reaction": emoji,
        "item_user": SLACK_BOT_USER,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": f"1212349999.{n:06d}",
    }
    return payload


def _question(harness: Harness, channel: str) -> Call:
    return next(
        c
        for c in harness.fake.calls_to("slack", "chat.postMessage")
        if c.params["channel"] == channel and FIRST_QUESTION in str(c.params.get("text"))
    )


async def _react(harness: Harness, payload: dict[str, Any], **headers: str) -> list[Call]:
    answer = await harness.post(slack_tests.event_request(payload, **headers))
    assert answer.status_code == 200, answer.text
    await harness.runtime.tasks.idle()
    return harness.fake.calls_to("slack", "chat.postEphemeral")


async def _greeted_in_dm(harness: Harness) -> Call:
    greeting = slack_tests.message_event("message_im", "こんにちは", 1)
    assert (await harness.post(slack_tests.event_request(greeting))).status_code == 200
    await harness.runtime.tasks.idle()
    return _question(harness, slack_tests.DM)


async def test_a_thumbs_up_on_the_open_question_is_answered_with_how_to_answer(
    harness: Harness,
) -> None:
    question = await _greeted_in_dm(harness)
    key = record_key("slack", f"{SLACK_TEAM}:{slack_tests.DM}")
    before = await harness.store.load(key)
    posted = len(harness.fake.calls_to("slack", "chat.postMessage"))
    shown = await _react(harness, _reaction(slack_tests.DM, question.result["ts"], SUBSCRIBER, 1))
    [note] = shown
    assert note.params["text"] == harness.runtime.catalogs("ja", "slack.reaction_not_an_answer")
    assert (note.params["channel"], note.params["user"]) == (slack_tests.DM, SUBSCRIBER)
    # No answer taken: the question stays open, nothing else is said.
    after = await harness.store.load(key)
    assert before is not None
    assert after is not None
    assert (after.question, after.dialog) == (before.question, before.dialog)
    assert len(harness.fake.calls_to("slack", "chat.postMessage")) == posted


async def test_it_is_said_once_per_question_through_retries_and_more_reactions(
    harness: Harness,
) -> None:
    question = await _greeted_in_dm(harness)
    ts = question.result["ts"]
    await _react(harness, _reaction(slack_tests.DM, ts, SUBSCRIBER, 1))
    await _react(
        harness, _reaction(slack_tests.DM, ts, SUBSCRIBER, 1), **{"X-Slack-Retry-Num": "1"}
    )
    shown = await _react(harness, _reaction(slack_tests.DM, ts, SUBSCRIBER, 2, "ok_hand"))
    assert len(shown) == 1


async def test_a_reaction_on_a_message_without_the_open_question_gets_nothing(
    harness: Harness,
) -> None:
    question = await _greeted_in_dm(harness)
    greeting = next(
        c
        for c in harness.fake.calls_to("slack", "chat.postMessage")
        if c.params["channel"] == slack_tests.DM and c is not question
    )
    assert (
        await _react(harness, _reaction(slack_tests.DM, greeting.result["ts"], SUBSCRIBER, 1)) == []
    )
    # Answered, the question's buttons are gone: a 👍 on it is thanks, not a question.
    answer = slack_tests.message_event("message_im", "はい", 2)
    assert (await harness.post(slack_tests.event_request(answer))).status_code == 200
    await harness.runtime.tasks.idle()
    assert (
        await _react(harness, _reaction(slack_tests.DM, question.result["ts"], SUBSCRIBER, 2)) == []
    )


async def test_in_a_channel_thread_only_its_subscribers_reaction_is_answered(
    harness: Harness,
) -> None:
    mention = load_payload("slack", "app_mention")
    thread = str(mention["event"]["ts"])
    assert (await harness.post(slack_tests.event_request(mention))).status_code == 200
    await harness.runtime.tasks.idle()
    question = _question(harness, CHANNEL)
    ts = question.result["ts"]
    assert await _react(harness, _reaction(CHANNEL, ts, COLLEAGUE, 1)) == []
    [note] = await _react(harness, _reaction(CHANNEL, ts, SUBSCRIBER, 2))
    assert (note.params["user"], note.params["thread_ts"]) == (SUBSCRIBER, thread)


async def test_a_slack_that_does_not_answer_the_read_back_leaves_it_unsaid(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A connection lost on the read-back ended the background task in an error.
    question = await _greeted_in_dm(harness)

    async def lost(*_: object, **__: object) -> None:
        raise aiohttp.ServerDisconnectedError()

    monkeypatch.setattr(AsyncWebClient, "conversations_replies", lost)
    with caplog.at_level("WARNING"):
        shown = await _react(
            harness, _reaction(slack_tests.DM, question.result["ts"], SUBSCRIBER, 1)
        )
    assert shown == []
    said = [r.getMessage() for r in caplog.records]
    assert any("A reaction was not answered" in m for m in said), said
    assert not any(r.exc_info for r in caplog.records)
