"""A button pressed while agents have the chat is named in the thread without reading it all.

Each press read the whole transcript to find the question it answered; in a conversation
with a long history before that question, the question is among the latest lines.
"""

from __future__ import annotations

from adapters.slack.desk_actions import TAKE
from bot.store.conversation_store import Change, ConversationRecord, TranscriptEntry
from testbed.clock import IN_WINDOW
from tests.adapters.slack.test_desk import ADDRESS, Desk
from tests.adapters.slack.test_desk_long_conversations import LINES, desk, store
from tests.adapters.slack.test_desk_relay import in_thread
from tests.fakes.counting_store import CountingStore

__all__ = ["desk", "store"]


async def test_a_press_is_named_from_the_latest_lines(desk: Desk, store: CountingStore) -> None:
    chat = await desk.chat()
    await chat.send(text="こんにちは")
    said = TranscriptEntry(IN_WINDOW, "subscriber", "よくわかりません")
    words = TranscriptEntry(IN_WINDOW, "bot", "もう一度お書きください。")

    def before(stored: ConversationRecord | None) -> Change[None] | None:
        assert stored is not None
        return Change(stored, [said, words] * (LINES // 2), None)

    await store.transact(chat.key, None, before)
    for answer in ("yes", "yes", "yes", "no"):
        await chat.send(choice=answer)
    await chat.send(text=ADDRESS)
    await chat.send(choice="program:becky")
    await chat.send(text="人と話したいです")
    await desk.runtime.tasks.idle()
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    store.lines_read = 0
    assert await chat.send(choice="no") == []
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    # The press, then what the bot told the subscriber of it (no agent had written yet).
    relayed, told = in_thread(desk)
    assert relayed.params["blocks"][0]["text"]["text"].startswith("お客様: いいえ（質問：")
    assert told.params["text"] == desk.runtime.catalogs("ja", "summary.pressed_waiting_told")
    assert store.lines_read < LINES // 2
