"""A subscriber's photo with a caption, while an agent has the conversation.

The bot reads a caption's words (the photo it cannot see), and the agent who has the
conversation was shown 「エラー画面です」 alone: the screenshot it spoke of was never
mentioned, and she answered as if it were text. The thread now says a photo came with them,
as it says so of a photo alone.
"""

from __future__ import annotations

from tests.adapters.slack import test_undelivered_in_thread as telegram_desk
from tests.adapters.slack.test_desk import Desk
from tests.adapters.slack.test_desk_relay import event, send_event
from tests.adapters.slack.test_undelivered_in_thread import handed_off_on_telegram, thread_words
from tests.adapters.telegram.test_channel import text_update, webhook_request

# The same app: a subscriber on Telegram, the desk in Slack's agents' channel.
thread_fake = telegram_desk.thread_fake
desk = telegram_desk.desk

PHOTO = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 51}]
MEDIA = (
    "お客様: （写真や音声などが送られました。ボットには見えないため、内容をお客様にお尋ねください）"
)


async def test_a_caption_is_shown_with_the_photo_it_came_with(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    assert (
        await send_event(desk, event(desk, "佐藤です。画面を送っていただけますか", 1))
    ).status_code == 200
    await desk.runtime.tasks.idle()
    update = text_update("", 3)
    del update["message"]["text"]
    update["message"].update(photo=PHOTO, caption="エラー画面です")
    request = webhook_request(update)
    answer = await desk.client.post(request.path, content=request.body, headers=request.headers)
    assert answer.status_code == 200
    await desk.runtime.tasks.idle()
    assert thread_words(desk)[-1] == f"お客様: エラー画面です\n{MEDIA}"
