"""A reaction on the question the bot holds open is no answer, and the subscriber is told so.

A 👍 on 「メールソフトをお使いですか？」 reads as a yes to the person who gave it. Telegram sends
`message_reaction` only to a bot that names it in `allowed_updates`, and the bot named it
not: the subscriber waited for a next question that never came. It is not taken as an answer
(a reaction says too little, and is given to any message), but the subscriber is told, once
per question message, to press a button or type the answer, in a reply quoting the question.
A reaction on anything else (the greeting, an answered question) gets nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import Harness, all_but, load_payload
from tests.adapters.telegram import test_channel
from tests.adapters.telegram.test_channel import CHAT, TOKEN, text_update, webhook_request
from tests.fakes.platform_api import Call, running_fake

SUITE = test_channel.TestTelegramChannel()
FIRST_QUESTION = "メールの送受信に、メールソフト"


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_fake() as fake, SUITE.running(fake, tmp_path, SUITE.settings(fake.url)) as h:
        yield h


def _reaction(
    message_id: int, n: int, new: tuple[str, ...] = ("👍",), old: tuple[str, ...] = ()
) -> dict[str, Any]:
    subscriber = load_payload("telegram", "message_private")["message"]
    return {
        "update_id": 734820000 + n,
        "message_reaction": {
            "chat": subscriber["chat"],
            "message_id": message_id,
            "user": subscriber["from"],
            "date": subscriber["date"] + n,
            "old_reaction": [{"type": "emoji", "emoji": e} for e in old],
            "new_reaction": [{"type": "emoji", "emoji": e} for e in new],
        },
    }


def _sent(harness: Harness) -> list[Call]:
    return harness.fake.calls_to("telegram", "sendMessage")


def _id(call: Call) -> int:
    return int(call.result["result"]["message_id"])


async def _greeted(harness: Harness) -> tuple[Call, Call]:
    """The greeting and the first question, as sent."""
    assert (await harness.post(SUITE.text_request("こんにちは", 1))).status_code == 200
    await harness.runtime.tasks.idle()
    greeting, question = _sent(harness)
    assert FIRST_QUESTION in question.params["text"]
    return greeting, question


async def _react(harness: Harness, update: dict[str, Any]) -> list[Call]:
    """Send a reaction; what the bot sent in answer."""
    before = len(_sent(harness))
    assert (await harness.post(webhook_request(update))).status_code == 200
    await harness.runtime.tasks.idle()
    return _sent(harness)[before:]


async def test_a_thumbs_up_on_the_open_question_is_told_how_to_answer(harness: Harness) -> None:
    _, question = await _greeted(harness)
    before = await SUITE.record(harness)
    [note] = await _react(harness, _reaction(_id(question), 1))
    assert note.params["text"] == harness.runtime.catalogs("ja", "telegram.reaction_not_an_answer")
    assert str(_id(question)) in str(note.params["reply_parameters"])
    # No answer taken: the question stays open.
    after = await SUITE.record(harness)
    assert before is not None
    assert after is not None
    assert (after.question, after.dialog) == (before.question, before.dialog)


async def test_it_is_said_once_per_question_through_redelivery_and_more_reactions(
    harness: Harness,
) -> None:
    _, question = await _greeted(harness)
    assert len(await _react(harness, _reaction(_id(question), 1))) == 1
    assert await _react(harness, _reaction(_id(question), 1)) == []  # Telegram's redelivery
    assert await _react(harness, _reaction(_id(question), 2, ("❤",), ("👍",))) == []


async def test_a_reaction_elsewhere_or_taken_back_gets_nothing(harness: Harness) -> None:
    greeting, question = await _greeted(harness)
    assert await _react(harness, _reaction(_id(greeting), 1)) == []
    assert await _react(harness, _reaction(_id(question), 2, (), ("👍",))) == []
    # Answered, the question is closed: a 👍 on it is thanks.
    assert (await harness.post(SUITE.text_request("はい", 2))).status_code == 200
    await harness.runtime.tasks.idle()
    assert await _react(harness, _reaction(_id(question), 3)) == []


async def test_long_polling_asks_telegram_for_reactions(tmp_path: Path) -> None:
    # Telegram sends message_reaction only when allowed_updates names it (the fake as well).
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_POLLING": "1",
    }
    async with running_fake() as fake:
        environ["TELEGRAM_API_URL"] = f"{fake.url}/telegram"
        app = build_app(
            Settings(environ=environ, agent_tokens=("agent-token-0123456789",)),
            clock=fixed_clock(),
            store=SQLiteStore(tmp_path / "s.sqlite3"),
            exclude_channels=all_but("telegram"),
        )
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://mailmove.test"),
        ):
            fake.add_telegram_update(text_update("こんにちは", 1))
            await fake.wait_for(lambda: len(fake.calls_to("telegram", "sendMessage")) == 2)
            question = fake.calls_to("telegram", "sendMessage")[1]
            fake.add_telegram_update(_reaction(_id(question), 1))
            await fake.wait_for(lambda: len(fake.calls_to("telegram", "sendMessage")) == 3)
            note = fake.calls_to("telegram", "sendMessage")[2]
            assert int(note.params["chat_id"]) == CHAT
