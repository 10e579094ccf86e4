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
