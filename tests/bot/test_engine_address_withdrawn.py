"""An unsent or deleted message takes back the address it gave, and only that one.

The words of a message unsent on LINE or deleted on Slack left the transcript, but the address
read from them stayed in the dialog state: the agent API, the handoff summary and the check
page went on showing it.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import orjson

from bot.engine import Engine
from bot.store.conversation_store import Change, Owner, event_tag
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.resume import apply_facts
from dialogs.state import DialogState
from tests.bot.engine_turns import KEY, pressed, typed

ADDRESS = "taro@vp.117.ne.jp"


async def address_given(engine: Engine, store: SQLiteStore) -> DialogState:
    """The address typed at the address question (e3), then a program pressed (e4)."""
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", ADDRESS))
    record = await store.load(KEY)
    assert record is not None
    assert record.dialog.address == ADDRESS
    assert record.dialog.address_from == event_tag("e3")
    return record.dialog


async def dialog(store: SQLiteStore) -> DialogState:
    record = await store.load(KEY)
    assert record is not None
    return record.dialog


async def test_the_message_that_gave_the_address_takes_it_back_once(
    engine: Engine, store: SQLiteStore
) -> None:
    await address_given(engine, store)
    await engine.handle(typed("e4", "よろしくお願いします"))
    # A later message that says no address leaves the one that did named.
    assert (await dialog(store)).address_from == event_tag("e3")
    assert await engine.withdraw("test", "c1", "unsend-1", "e3")
    after = await dialog(store)
    assert after.address is None
    assert after.address_from == ""
    assert after.address_typed_at == ""
    # Typed again, the new message gives it, and withdrawing the old one again (another
    # event, or the same redelivered) takes nothing.
    await engine.handle(typed("e5", ADDRESS))
    assert not await engine.withdraw("test", "c1", "unsend-1", "e3")
    await engine.withdraw("test", "c1", "unsend-2", "e3")
    assert (await dialog(store)).address == ADDRESS


async def test_another_message_withdrawn_keeps_the_address(
    engine: Engine, store: SQLiteStore
) -> None:
    await address_given(engine, store)
    await engine.handle(typed("e4", "よろしくお願いします"))
    assert await engine.withdraw("test", "c1", "unsend-1", "e1")
    assert await engine.withdraw("test", "c1", "unsend-2", "e4")
    assert (await dialog(store)).address == ADDRESS


async def test_an_address_typed_while_a_person_has_the_chat_goes_with_its_message(
    engine: Engine, store: SQLiteStore
) -> None:
    # Typed under the address question still on the screen (`address_typed_while_held`).
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    record = await store.load(KEY)
    assert record is not None
    held = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(KEY, None, lambda _: Change(held, [], None))
    await engine.handle(typed("e3", ADDRESS))
    assert (await dialog(store)).address == ADDRESS
    assert await engine.withdraw("test", "c1", "unsend-1", "e3")
    assert (await dialog(store)).address is None


def test_an_address_the_agent_gives_is_no_message_of_the_subscriber(
    profile: MigrationProfile,
) -> None:
    state = DialogState(address=ADDRESS, address_from=event_tag("e3"))
    same = apply_facts(state, questionnaire=profile.questionnaire, address=ADDRESS)
    assert same.address_from == event_tag("e3")
    other = apply_facts(state, questionnaire=profile.questionnaire, address="hanako@vp.117.ne.jp")
    assert other.address_from == ""


def _rewrite_dialog(path: Path, drop: tuple[str, ...]) -> None:
    """The stored dialog as the previous version wrote it (keys it did not know are absent)."""
    with sqlite3.connect(path) as db:
        (raw,) = db.execute("SELECT dialog FROM conversations WHERE key = ?", (KEY,)).fetchone()
        stored = {k: v for k, v in orjson.loads(raw).items() if k not in drop}
        db.execute("UPDATE conversations SET dialog = ? WHERE key = ?", (orjson.dumps(stored), KEY))


async def test_a_state_stored_before_address_from_still_gives_the_latest_message_back(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    await address_given(engine, store)
    await store.close()
    _rewrite_dialog(tmp_path / "store.sqlite3", ("address_from",))
    await store.open()
    loaded = await dialog(store)
    assert loaded.address_from is None
    assert loaded.address == ADDRESS
    # Another message is not the one: the address stays.
    assert await engine.withdraw("test", "c1", "unsend-1", "e1")
    assert (await dialog(store)).address == ADDRESS
    # The latest message gave it (`address_typed_at`, `last_words`): it goes with it.
    assert await engine.withdraw("test", "c1", "unsend-2", "e3")
    assert (await dialog(store)).address is None


def test_a_state_written_now_reads_back() -> None:
    state = DialogState(address=ADDRESS, address_from=event_tag("e3"))
    assert DialogState.from_json(orjson.loads(orjson.dumps(state.to_json()))) == state
    old = state.to_json()
    del old["address_from"]
    assert DialogState.from_json(old).address_from is None


async def test_an_unsent_piece_of_a_sentence_is_not_read_with_the_next(
    engine: Engine, store: SQLiteStore
) -> None:
    # 「メールが」 is kept (`DialogState.fragment`) to be read with the next message: unsent,
    # its words stayed in the stored state and were read joined with what came next.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "メールが"))
    assert (await dialog(store)).fragment == "メールが"
    assert await engine.withdraw("test", "c1", "unsend-1", "e1")
    assert (await dialog(store)).fragment == "メールが"
    assert await engine.withdraw("test", "c1", "unsend-2", "e2")
    assert (await dialog(store)).fragment == ""


async def test_an_earlier_piece_unsent_takes_the_pieces_kept_with_it(
    engine: Engine, store: SQLiteStore
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "メールが"))
    await engine.handle(typed("e3", "昨日から"))
    kept = (await dialog(store)).fragment
    assert "メールが" in kept
    assert "昨日から" in kept
    assert await engine.withdraw("test", "c1", "unsend-1", "e2")
    assert (await dialog(store)).fragment == ""
