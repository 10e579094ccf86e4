"""「さっきのはパスワードです」 after a photo or a sticker withdraws the message typed before it.

A photo or sticker is stored as a mark (`[media]`, `[sticker]`): no words of the subscriber's,
so it cannot be the password they mean. It was taken for the message before: the mark was
withdrawn, the subscriber was told 「ひとつ前のメッセージは、記録から消しました」, and the
password typed before the photo stayed in the transcript and in the address held.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import WITHDRAWN_TEXT, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import MEDIA_CHOICE, STICKER_CHOICE, Inbound
from testbed.clock import fixed_clock
from testbed.disk import files_holding

KEY = record_key("test", "c1")
# Passes for an address's local part (said back as 「abc12345@…」): only the subscriber knows.
TOKEN = "abc12345"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    yield store
    await store.close()


@pytest.fixture
def engine(store: SQLiteStore, profile: MigrationProfile, catalogs: Catalogs) -> Engine:
    return Engine(store, profile, catalogs, fixed_clock())


def typed(event: str, text: str) -> Inbound:
    return Inbound(channel="test", conversation_key="c1", event_id=event, text=text)


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
