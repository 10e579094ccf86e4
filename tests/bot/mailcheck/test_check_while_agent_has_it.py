"""A login check finished while an agent has the conversation.

The bot is silent while a person has the chat, so the result went nowhere but the audit
line: the page said 「同じ結果をチャットにもお送りしました。」, which was untrue, and showed
the marks without the words that say what to do about a failure.
"""

from __future__ import annotations

import re

import httpx
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.desk.ownership import take_over
from tests.bot.mailcheck.check_flow import PASSWORD, chat_to_check_link

SENT_TO_CHAT = "同じ結果をチャットにもお送りしました"


def words(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


async def test_the_page_says_the_agent_has_the_result_and_words_it(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    conversation, path = await chat_to_check_link(client)
    engine = app.state.runtime.engine
    key = key_of(conversation)
    assert await take_over(engine, key, "佐藤")
    before = len(await engine.store.transcript(key))
    failed = words((await client.post(path, data={"password": "wrong-password"})).text)
    assert SENT_TO_CHAT not in failed
    assert "担当者" in failed
    # What to do about it, as the chat would have said it (the page showed marks alone).
    assert "パスワード" in failed.split("問題あり", 1)[-1]
    # The bot still says nothing in the chat: the agent has it, and sees the check's line
    # (a desks' note: in the transcript, not in what the subscriber's page reads).
    added = (await engine.store.transcript(key))[before:]
    assert [(line.author, line.text.split(":", 1)[0]) for line in added] == [
        ("system", "check_result")
    ]


async def test_a_check_the_bot_answers_still_says_it_is_in_the_chat(
    client: httpx.AsyncClient,
) -> None:
    _, path = await chat_to_check_link(client)
    passed = words((await client.post(path, data={"password": PASSWORD})).text)
    assert SENT_TO_CHAT in passed
