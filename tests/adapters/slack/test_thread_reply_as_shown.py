"""An agent's reply in the Slack handoff's thread reaches the subscriber as Slack showed it.

Slack writes an emoji the agent picked as its name in the event's `text`
(「ありがとうございます :slightly_smiling_face:」) and says in the rich-text blocks which names
are emoji and what they show. The subscriber's own Slack words were read with the blocks
(`with_emoji`), the agent's were not: a subscriber on Telegram read
「ありがとうございます :slightly_smiling_face:」.
"""

from __future__ import annotations

import json

from tests.adapters.slack.test_desk import AGENTS, Desk
from tests.adapters.slack.test_desk_relay import AGENT_USER, handoff_ts, send_event
from tests.adapters.slack.test_long_thread_reply import telegram_words
from tests.adapters.slack.test_undelivered_in_thread import (
    desk,
    handed_off_on_telegram,
    thread_fake,
)

__all__ = ["desk", "thread_fake"]


def reply_event(text: str, elements: list[dict[str, object]], thread: str) -> bytes:
    """A thread reply as Slack sends it: `text` in its markup, the same words as rich text."""
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": "Ev00000001",
            "event": {
                "type": "message",
                "channel": AGENTS,
                "user": AGENT_USER,
                "text": text,
                "blocks": [
                    {
                        "type": "rich_text",
                        "block_id": "b1",
                        "elements": [{"type": "rich_text_section", "elements": elements}],
                    }
                ],
                "ts": "1212345999.000001",
                "thread_ts": thread,
            },
        },
        ensure_ascii=False,
    ).encode()


async def test_an_emoji_in_a_thread_reply_reaches_the_subscriber_as_the_emoji(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    body = reply_event(
        "ありがとうございます :slightly_smiling_face: 次は :+1::skin-tone-2: を押してください",
        [
            {"type": "text", "text": "ありがとうございます "},
            {"type": "emoji", "name": "slightly_smiling_face", "unicode": "1f642"},
            {"type": "text", "text": " 次は "},
            {"type": "emoji", "name": "+1", "unicode": "1f44d-1f3fb", "skin_tone": 2},
            {"type": "text", "text": " を押してください"},
        ],
        handoff_ts(desk),
    )
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert "ありがとうございます 🙂 次は 👍🏻 を押してください" in telegram_words(desk)


async def test_a_colon_word_that_is_no_emoji_stays_as_typed(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    text = "受信サーバー:vpop.117.ne.jp と送信サーバー :smtp: の欄です"
    body = reply_event(text, [{"type": "text", "text": text}], handoff_ts(desk))
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert text in telegram_words(desk)


async def test_a_reply_of_a_workspaces_own_emoji_alone_is_sent_as_named(desk: Desk) -> None:
    # It has no character to show on another platform; its name is better than nothing.
    await handed_off_on_telegram(desk)
    body = reply_event(":ok_117net:", [{"type": "emoji", "name": "ok_117net"}], handoff_ts(desk))
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert ":ok_117net:" in telegram_words(desk)
