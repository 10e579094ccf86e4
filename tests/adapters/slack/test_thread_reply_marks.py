"""An agent's bold, italics and struck-out words in the Slack thread reach the subscriber plain.

Slack marks a styled run in the event's text (「*重要*」, 「_必ず_」, 「~明日~」); the rich-text
blocks say which runs are styled. The subscriber on Telegram read the asterisks, as no
other desk sends them (the Chatwoot mirror's Markdown arrives as plain text).
"""

from __future__ import annotations

from tests.adapters.slack.test_desk import Desk
from tests.adapters.slack.test_desk_relay import handoff_ts, send_event
from tests.adapters.slack.test_long_thread_reply import telegram_words
from tests.adapters.slack.test_thread_reply_as_shown import reply_event
from tests.adapters.slack.test_undelivered_in_thread import (
    desk,
    handed_off_on_telegram,
    thread_fake,
)

__all__ = ["desk", "thread_fake"]


async def test_styled_words_reach_the_subscriber_without_slacks_marks(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    body = reply_event(
        "設定は*必ず*保存してください。_送信サーバー_は ~明日~ 今日から使えます。"
        "2*3 と a_b はそのまま &amp; です",
        [
            {"type": "text", "text": "設定は"},
            {"type": "text", "text": "必ず", "style": {"bold": True}},
            {"type": "text", "text": "保存してください。"},
            {"type": "text", "text": "送信サーバー", "style": {"italic": True}},
            {"type": "text", "text": "は "},
            {"type": "text", "text": "明日", "style": {"strike": True}},
            {"type": "text", "text": " 今日から使えます。2*3 と a_b はそのまま & です"},
        ],
        handoff_ts(desk),
    )
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    sent = telegram_words(desk)
    assert "設定は必ず保存してください。送信サーバーは  今日から使えます。" in sent, sent
    assert "2*3 と a_b はそのまま & です" in sent


async def test_bold_italics_together_and_an_ampersand_inside(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    body = reply_event(
        "_*Q&amp;A*_ をご覧ください",
        [
            {"type": "text", "text": "Q&A", "style": {"bold": True, "italic": True}},
            {"type": "text", "text": " をご覧ください"},
        ],
        handoff_ts(desk),
    )
    assert (await send_event(desk, body)).status_code == 200
    await desk.runtime.tasks.idle()
    assert "Q&A をご覧ください" in telegram_words(desk)
