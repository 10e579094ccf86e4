"""A file or picture an agent puts in the Slack handoff's thread: the thread says it was not sent.

Only words reach the subscriber from the thread. A screenshot of the settings, a PDF or a
long paste Slack turned into a snippet was dropped without a word: the agent took it for
sent, and the subscriber waited for it (or read 「こちらの画面をご覧ください」 with no picture).
"""

from __future__ import annotations

import json

from adapters.slack import desk as slack_desk
from tests.adapters.slack.test_desk import AGENTS, Desk, signed
from tests.adapters.slack.test_desk_relay import AGENT_USER, handoff_ts, send_event
from tests.adapters.slack.test_long_thread_reply import telegram_words
from tests.adapters.slack.test_undelivered_in_thread import (
    desk,
    handed_off_on_telegram,
    thread_fake,
    thread_words,
)

__all__ = ["desk", "thread_fake"]

NOT_SENT = "ファイルや画像は、お客様には送られません"
SCREENSHOT = {"id": "F0SHOT", "name": "設定画面.png", "mimetype": "image/png", "mode": "hosted"}


def file_event(text: str, n: int, thread: str, *, agent_note: bool = False) -> bytes:
    """A file shared in a thread, as Slack sends it: subtype file_share, the caption as text."""
    return json.dumps(
        {
            "type": "event_callback",
            "event_id": f"Ev{n:08d}",
            "event": {
                "type": "message",
                "subtype": "file_share",
                "channel": AGENTS,
                "user": AGENT_USER,
                "text": f"<@U0BOSS> {text}" if agent_note else text,
                "files": [SCREENSHOT],
                "upload": False,
                "ts": f"1212345999.{n:06d}",
                "thread_ts": thread,
            },
        },
        ensure_ascii=False,
    ).encode()


async def test_a_picture_alone_is_said_not_sent(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    assert (await send_event(desk, file_event("", 1, handoff_ts(desk)))).status_code == 200
    await desk.runtime.tasks.idle()
    assert any(NOT_SENT in words for words in thread_words(desk)), thread_words(desk)
    assert "サポート担当" not in telegram_words(desk)  # nothing of the agent's was sent


async def test_the_words_beside_a_picture_are_sent_and_the_picture_said_not_sent(
    desk: Desk,
) -> None:
    await handed_off_on_telegram(desk)
    body = file_event("こちらの画面をご覧ください", 1, handoff_ts(desk))
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert "こちらの画面をご覧ください" in telegram_words(desk)
    assert any(NOT_SENT in words for words in thread_words(desk)), thread_words(desk)


async def test_a_picture_slack_delivers_again_is_said_not_sent_once(desk: Desk) -> None:
    # Slack retries an event whose 200 was late (X-Slack-Retry-Num, the same event_id): the
    # words went to the subscriber once, but the thread said twice that the picture was not
    # sent (desk26 made a refused reply's notice once; this one was left).
    await handed_off_on_telegram(desk)
    body = file_event("こちらの画面をご覧ください", 1, handoff_ts(desk))
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    retried = {**signed(body), "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    again = await desk.client.post(slack_desk.EVENTS_PATH, content=body, headers=retried)
    assert again.status_code == 200
    await desk.runtime.tasks.idle()
    assert len([words for words in thread_words(desk) if NOT_SENT in words]) == 1
    assert telegram_words(desk).count("こちらの画面をご覧ください") == 1


async def test_a_file_shared_among_agents_says_nothing(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    body = file_event("この画面で合っていますか", 1, handoff_ts(desk), agent_note=True)
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert not any(NOT_SENT in words for words in thread_words(desk))
    assert "この画面で合っていますか" not in telegram_words(desk)
