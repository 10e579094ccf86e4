"""A reply in an earlier handoff's thread, after the conversation was handed over again.

The subscriber on Telegram asked for a person twice: each handoff has its own message in
the agents' channel, and the subscriber's words go to the latest one's thread. A member who
answered in the first thread (where she had talked with them before) reached the subscriber,
but the latest thread showed the handoff taken and none of her words, and she never saw the
subscriber's answers, which went to the other thread.
"""

from __future__ import annotations

from tests.adapters.slack import test_undelivered_in_thread as telegram_desk
from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk
from tests.adapters.slack.test_desk_relay import AGENT_USER, event, send_event
from tests.adapters.slack.test_undelivered_in_thread import handed_off_on_telegram
from tests.adapters.telegram.test_channel import CHAT, text_update, webhook_request

# The same app: a subscriber on Telegram, the desk in Slack's agents' channel.
thread_fake = telegram_desk.thread_fake
desk = telegram_desk.desk

KEY = f"/api/agent/conversations/telegram:{CHAT}"
BEARER = {"Authorization": f"Bearer {AGENT_TOKEN}"}


def handoff_messages(desk: Desk) -> list[str]:
    posts = desk.fake.calls_to("slack", "chat.postMessage")
    return [str(c.result["ts"]) for c in posts if "thread_ts" not in c.params]


def thread_words(desk: Desk, ts: str) -> list[str]:
    posts = desk.fake.calls_to("slack", "chat.postMessage")
    return [str(c.params["text"]) for c in posts if c.params.get("thread_ts") == ts]


async def test_a_reply_in_an_earlier_handoffs_thread_is_shown_in_the_latest_and_says_so(
    desk: Desk,
) -> None:
    await handed_off_on_telegram(desk)
    for act in ("take", "handback"):
        answer = await desk.client.post(f"{KEY}/{act}", headers=BEARER, json={})
        assert answer.status_code == 200, answer.text
        await desk.runtime.tasks.idle()
    request = webhook_request(text_update("もう一度、担当者と話したい", 3))
    answer = await desk.client.post(request.path, content=request.body, headers=request.headers)
    assert answer.status_code == 200
    await desk.runtime.tasks.idle()
    first, latest = handoff_messages(desk)
    replies = ("佐藤です。先ほどの続きです。", "設定画面を開いてください。")
    for n, words in enumerate(replies, start=1):
        sent = await send_event(desk, event(desk, words, n, thread=first, user=AGENT_USER))
        assert sent.status_code == 200
        await desk.runtime.tasks.idle()
    telegram = " ".join(
        str(c.params.get("text")) for c in desk.fake.calls_to("telegram", "sendMessage")
    )
    assert all(words in telegram for words in replies)
    # The thread the subscriber's words go to shows hers, in order.
    shown = [w for w in thread_words(desk, latest) if any(r in w for r in replies)]
    assert [next(r for r in replies if r in w) for w in shown] == list(replies)
    # The earlier thread says where it goes on, once.
    told = [words for words in thread_words(desk, first) if "あらためて引き継がれた" in words]
    assert len(told) == 1
    assert f"/agent/#telegram:{CHAT}" in told[0]
