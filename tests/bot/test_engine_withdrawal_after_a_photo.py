"""「さっきのはパスワードです」 after a photo or a sticker withdraws the message typed before it.

A photo or sticker is stored as a mark (`[media]`, `[sticker]`): no words of the subscriber's,
so it cannot be the password they mean. It was taken for the message before: the mark was
withdrawn, the subscriber was told 「ひとつ前のメッセージは、記録から消しました」, and the
password typed before the photo stayed in the transcript and in the address held.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.conversation_store import WITHDRAWN_TEXT
from bot.store.sqlite_store import SQLiteStore
from dialogs.vocabulary import EMOJI_CHOICE, MEDIA_CHOICE, STICKER_CHOICE, Inbound
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed

# Passes for an address's local part (said back as 「abc12345@…」): only the subscriber knows.
TOKEN = "abc12345"


@pytest.mark.parametrize("wordless", [MEDIA_CHOICE, STICKER_CHOICE])
# The local part alone (said back in the question that asks for the whole address), or the
# whole address with the password as its local part (taken, and the next question asked).
@pytest.mark.parametrize("said", [TOKEN, f"{TOKEN}@vp.117.ne.jp"])
async def test_a_photo_or_sticker_is_not_the_message_withdrawn(
    engine: Engine, store: SQLiteStore, tmp_path: Path, wordless: str, said: str
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e2", choice="settings")
    )
    await engine.handle(typed("e3", said))
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e4", choice=wordless)
    )
    outcome = await engine.handle(typed("e5", "さっきのはパスワードです"))
    lines = await store.transcript(KEY)
    subscriber = [line.text for line in lines if line.author == "subscriber"]
    # The typed message is withdrawn; the mark stays (nothing of the password is in it).
    assert subscriber[2] == WITHDRAWN_TEXT
    assert subscriber[3] == f"[{wordless}]"
    record = await store.load(KEY)
    assert record is not None
    assert record.dialog.address is None
    assert not any(TOKEN in getattr(reply, "text", "") for reply in outcome.replies)
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()


async def test_a_platforms_emoji_are_not_the_message_withdrawn(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # A LINE emoji or a Slack workspace's own (EMOJI_CHOICE, its names kept as text) is a
    # picture as a sticker is (channels2): it was taken for the message withdrawn, and the
    # password typed before it stayed in the transcript.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", TOKEN))
    await engine.handle(
        Inbound(
            channel="test",
            conversation_key="c1",
            event_id="e3",
            choice=EMOJI_CHOICE,
            text="(moon grin)",
        )
    )
    await engine.handle(typed("e4", "さっきのはパスワードです"))
    lines = await store.transcript(KEY)
    subscriber = [line.text for line in lines if line.author == "subscriber"]
    assert subscriber[1:3] == [WITHDRAWN_TEXT, "(moon grin)"]
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()
