"""A message left for the desk that the subscriber withdrew leaves the Slack post showing it.

The post of a message left quotes it in full, its call-back number too; the subscriber who
unsent it on LINE (or deleted it in Slack) took it out of the transcript, but the post kept
it for every agent of the channel, who would call the number back.
"""

from __future__ import annotations

import json

from bot.store.conversation_store import WITHDRAWN_TEXT
from tests.adapters.slack.test_desk import Desk
from tests.adapters.slack.test_desk_message_left import (
    MESSAGE,
    desk,
    left_a_message,
    thread_fake,
)

__all__ = ["desk", "thread_fake"]  # the fixtures this module's tests use


async def test_a_withdrawn_message_left_leaves_its_post(desk: Desk) -> None:
    chat = await left_a_message(desk)
    (post,) = desk.posts()
    assert MESSAGE in json.dumps(post.params["blocks"], ensure_ascii=False)
    conversation = chat.key.split(":", 1)[1]
    said = f"webchat:{conversation}:e-left"
    engine = desk.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await desk.wait_for_updates(1)
    await desk.runtime.tasks.idle()
    (update,) = desk.updates()
    assert update.params["ts"] == post.result["ts"]
    shown = json.dumps(update.params, ensure_ascii=False)
    assert "03-1234-5678" not in shown
    assert "送信できません" not in shown
    # Neither the store's own marker, in English, in the Japanese post.
    assert WITHDRAWN_TEXT not in shown
    assert "伝言（折り返し先: 不明）: （お客様が取り消したメッセージです）" in shown
