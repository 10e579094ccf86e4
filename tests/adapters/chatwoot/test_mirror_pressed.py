"""A button pressed while agents have the chat reaches the mirror named with its question.

Shown as its label alone (「はい」), it could be the answer to anything an agent had asked
meanwhile; the Slack thread names the question in the same words (bot.desk.handoff).
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import (
    MIRROR,
    WAIT,
    app,
    client,
    fake,
    handed_off,
)
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]


async def test_a_pressed_yes_names_the_question_it_answered(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    # The first question's 「はい」, still on the subscriber's screen.
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    assert (await client.post(url, json={"choice": "yes"})).json()["replies"] == []
    await fake.wait_for(lambda: bool(fake.messages()), seconds=WAIT)
    (relayed,) = fake.messages()
    assert (relayed["conversation"], relayed["message_type"]) == (MIRROR, "incoming")
    # Short: the question's examples in brackets are left out.
    assert relayed["content"] == "はい（質問：メールの送受信に、メールソフトをお使いですか？）"


async def test_an_older_questions_button_names_that_question(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Q1's 「いいえ」 is still on screen above Q2's: pressed once agents have the chat, it was
    # shown as the answer to Q2 (the latest question with a 「いいえ」).
    created = (await client.post("/api/webchat/conversations", json={})).json()
    url = f"/api/webchat/conversations/{created['conversation_id']}/messages"
    page = (await client.get(url)).json()
    q1 = next(m["question"] for m in page["messages"] if "question" in m)
    assert (await client.post(url, json={"choice": "yes", "question": q1})).status_code == 200
    await client.post(url, json={"text": "人と話したいです"})
    await app.state.runtime.tasks.idle()
    pressed = await client.post(url, json={"choice": "no", "question": q1})
    assert pressed.json()["replies"] == []
    await fake.wait_for(lambda: bool(fake.messages()), seconds=WAIT)
    (relayed,) = fake.messages()
    assert relayed["content"] == "いいえ（質問：メールの送受信に、メールソフトをお使いですか？）"
