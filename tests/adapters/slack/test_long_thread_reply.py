"""A long reply in the Slack handoff's thread reaches the subscriber, not a 413.

Slack sends a message's words twice, as its text and as rich-text blocks, in UTF-8: about
10,900 Japanese characters passed the app's 64 KiB body limit, and the reply was refused
with 413, Slack's retries too, with nothing said to the agent or the subscriber. Slack's own
routes, signed and checked before anything is parsed, take what a 40,000-character message
can weigh; every other route keeps 64 KiB.
"""

from __future__ import annotations

import json

import pytest

from adapters.slack import desk as slack_desk
from bot.ops.settings import MAX_BODY_BYTES
from tests.adapters.slack import test_undelivered_in_thread as telegram_desk
from tests.adapters.slack.test_desk import AGENTS, Desk, signed
from tests.adapters.slack.test_desk_relay import AGENT_USER, handoff_ts
from tests.adapters.slack.test_undelivered_in_thread import handed_off_on_telegram

# The same app: a subscriber on Telegram, the desk in Slack's agents' channel.
thread_fake = telegram_desk.thread_fake
desk = telegram_desk.desk

SENTENCE = "設定画面の「送信サーバー」の欄を、新しいサーバー名に書き換えてください。"


def slack_event(text: str, n: int, thread: str) -> bytes:
    """A thread reply as Slack sends it: the words as text and again as rich text, in UTF-8."""
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": f"Ev{n:08d}",
            "event": {
                "type": "message",
                "channel": AGENTS,
                "user": AGENT_USER,
                "text": text,
                "blocks": [
                    {
                        "type": "rich_text",
                        "block_id": "b1",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [{"type": "text", "text": text}],
                            }
                        ],
                    }
                ],
                "ts": f"1212345999.{n:06d}",
                "thread_ts": thread,
            },
        },
        ensure_ascii=False,
    ).encode()


def telegram_words(desk: Desk) -> str:
    return "".join(
        str(call.params.get("text", "")) for call in desk.fake.calls_to("telegram", "sendMessage")
    )


@pytest.mark.parametrize("characters", [11_000, 40_000])
async def test_a_long_thread_reply_reaches_the_subscriber(desk: Desk, characters: int) -> None:
    await handed_off_on_telegram(desk)
    reply = (SENTENCE * (characters // len(SENTENCE) + 1))[:characters]
    body = slack_event(reply, 1, handoff_ts(desk))
    assert len(body) > MAX_BODY_BYTES
    answer = await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=signed(body))
    assert answer.status_code == 200, answer.text
    await desk.runtime.tasks.idle()
    # Cut into as many messages as Telegram takes; nothing lost.
    assert reply in telegram_words(desk).replace("\n", "")


async def test_a_body_over_slacks_own_limit_is_still_refused(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    body = slack_event("あ" * 200_000, 1, handoff_ts(desk))
    answer = await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=signed(body))
    assert answer.status_code == 413


async def test_other_routes_keep_the_64_kib_limit(desk: Desk) -> None:
    body = json.dumps({"text": "あ" * 30_000}, ensure_ascii=False).encode()
    answer = await desk.client.post(
        "/api/agent/conversations/telegram:1/messages",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
