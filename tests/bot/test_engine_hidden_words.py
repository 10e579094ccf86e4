"""Words the sender hid (a Telegram spoiler, `Inbound.hidden`) are stored masked (attacker11).

「これです ||Zk2mWq9p||」 was stored as typed in the SQLite file and its WAL, with no warning:
no password word stood beside it. Hidden in a support chat, it is a secret.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine import Engine
from bot.store.sqlite_store import SQLiteStore
from dialogs.redaction import MASK
from dialogs.vocabulary import Inbound
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, typed

_WARNED = "パスワードはこのチャットには書き込まないでください"


async def test_hidden_words_are_stored_masked_and_the_subscriber_warned(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    outcome = await engine.handle(
        Inbound(
            channel="test",
            conversation_key="c1",
            event_id="e1",
            text="これです Zk2mWq9p",
            hidden=("Zk2mWq9p",),
        )
    )
    said = " ".join(getattr(reply, "text", "") for reply in outcome.replies)
    assert _WARNED in said, said
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == f"これです {MASK}"
    await store.close()
    assert not files_holding(tmp_path, b"Zk2mWq9p")
    await store.open()


async def test_a_message_with_nothing_hidden_is_stored_as_typed(
    engine: Engine, store: SQLiteStore
) -> None:
    await engine.handle(typed("e0", "こんにちは"))
    await engine.handle(typed("e1", "これです Zk2mWq9p"))
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "これです Zk2mWq9p"
