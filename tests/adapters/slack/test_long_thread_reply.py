"""A long reply in the Slack handoff's thread: the agent API's limit, said in the thread.

Slack sends a message's words twice, as its text and as rich-text blocks, in UTF-8: about
10,900 Japanese characters passed the app's 64 KiB body limit, and the reply was refused
with 413, Slack's retries too, with nothing said to the agent or the subscriber. Slack's own
routes, signed and checked before anything is parsed, take what a 40,000-character message
can weigh; every other route keeps 64 KiB.

A reply longer than the agent API takes (4,000 characters, the console's limit too) was then
stored whole and sent as a run of messages (39,000 characters: 8 on LINE, 10 on Telegram).
It is refused as the API refuses it, and the thread says so once, naming the limit.
"""

from __future__ import annotations

import json

import pytest

from adapters.slack import desk as slack_desk
from bot.desk.agent_models import MAX_MESSAGE
from bot.ops.settings import MAX_BODY_BYTES
from tests.adapters.slack import test_undelivered_in_thread as telegram_desk
from tests.adapters.slack.test_desk import AGENTS, Desk, signed
from tests.adapters.slack.test_desk_relay import AGENT_USER, handoff_ts, shown_lines
from tests.adapters.slack.test_undelivered_in_thread import handed_off_on_telegram, thread_words
from tests.adapters.telegram.test_channel import CHAT

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


async def test_a_reply_of_the_api_limit_reaches_the_subscriber(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    reply = (SENTENCE * (MAX_MESSAGE // len(SENTENCE) + 1))[:MAX_MESSAGE]
    body = slack_event(reply, 1, handoff_ts(desk))
    answer = await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=signed(body))
    assert answer.status_code == 200, answer.text
    await desk.runtime.tasks.idle()
    # Cut into as many messages as Telegram takes; nothing lost.
    assert reply in telegram_words(desk).replace("\n", "")


@pytest.mark.parametrize("characters", [MAX_MESSAGE + 1, 39_000])
async def test_a_reply_over_the_api_limit_is_refused_in_the_thread_once(
    desk: Desk, characters: int
) -> None:
    await handed_off_on_telegram(desk)
    key = f"telegram:{CHAT}"
    sent = len(desk.fake.calls_to("telegram", "sendMessage"))
    before = len(thread_words(desk))
    reply = (SENTENCE * (characters // len(SENTENCE) + 1))[:characters]
    # 39,000 Japanese characters weigh more than the app's 64 KiB: still read, and answered.
    body = slack_event(reply, 1, handoff_ts(desk))
    assert characters < 10_000 or len(body) > MAX_BODY_BYTES
    for retry in range(2):  # Slack sends it again when its 200 is late: said once
        headers = signed(body) | ({"X-Slack-Retry-Num": "1"} if retry else {})
        answer = await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=headers)
        assert answer.status_code == 200, answer.text
        await desk.runtime.tasks.idle()
    assert len(desk.fake.calls_to("telegram", "sendMessage")) == sent
    assert SENTENCE not in "".join(await shown_lines(desk, key))
    told = thread_words(desk)[before:]
    assert told == [
        f"この返信は{characters:,}文字あり、1回に送れる4,000文字を超えているため、"
        "お客様には送られていません。分けて送ってください。"
    ]


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
