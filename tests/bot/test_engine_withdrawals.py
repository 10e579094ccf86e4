"""What a withdrawal takes, and what 「さっきのはパスワードです」 names as the message before.

A message unsent on LINE or deleted on Slack took the subscriber's line out of the record, but
the bot's lines that said its words back (the address 「abc12345@vp.117.ne.jp」) stayed. A
button press holds no words: 「さっきのはパスワードです」 after one withdraws the message typed
before it (an old question's press too), and says there is nothing typed to withdraw only when
nothing is left. A conversation stored before `DialogState.last_words` existed withdrew
nothing.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from bot.engine import WITHDRAWN_LINE, Engine
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    WITHDRAWN_REPLY_TEXT,
    WITHDRAWN_TEXT,
    event_tag,
)
from bot.store.redis_store import RedisStore, _decode_record
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.state import DialogState, Signal
from dialogs.vocabulary import Inbound
from testbed.clock import fixed_clock
from testbed.disk import files_holding
from testbed.redis_server import RedisServer, running_redis
from tests.bot.engine_turns import KEY, Desks, pressed, typed

TOKEN = "abc12345"


@pytest.fixture
def desks() -> Desks:
    return Desks()


@pytest.fixture
def engine(engine: Engine, desks: Desks) -> Engine:
    engine.handoff = desks
    return engine


async def said_back(engine: Engine) -> None:
    """The token typed at the address question (e3), said back as the address."""
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    outcome = await engine.handle(typed("e3", TOKEN))
    assert any(TOKEN in getattr(r, "text", "") for r in outcome.replies) or any(
        TOKEN in str(r) for r in outcome.replies
    )


async def test_an_unsent_message_takes_the_bots_lines_that_said_it_back(
    engine: Engine, store: SQLiteStore, desks: Desks, tmp_path: Path
) -> None:
    await said_back(engine)
    assert await engine.withdraw("test", "c1", "unsend-1", "e3")
    lines = await store.transcript(KEY)
    assert not [line for line in lines if TOKEN in line.text or TOKEN in repr(line.reply)]
    of_e3 = [line for line in lines if line.event == event_tag("e3")]
    assert [line.text for line in of_e3 if line.author == "subscriber"] == [WITHDRAWN_TEXT]
    bots = [line for line in of_e3 if line.author == "bot"]
    assert bots
    assert {line.text for line in bots} == {WITHDRAWN_REPLY_TEXT}
    assert all(line.reply is None for line in bots)
    assert desks.taken_back == [(KEY, event_tag("e3"))]
    # The lines of the other turns stay as they were.
    assert any(line.author == "bot" and line.event == event_tag("e1") for line in lines)
    assert all(line.text != WITHDRAWN_REPLY_TEXT for line in lines if line.event != event_tag("e3"))


@pytest.mark.parametrize("stale", [True, False])
async def test_a_press_does_not_hide_the_message_typed_before_it(
    engine: Engine, store: SQLiteStore, desks: Desks, stale: bool
) -> None:
    # The token typed, then a button: an old question's (stale) or the question open now.
    # A press holds no words, so told it was the password, the message typed before it is
    # the one withdrawn (reviewer17: 「abc12345」, 入力せずに進む, 「さっきのはパスワードです」
    # kept 「abc12345」 and the bot's line that said it back). Said again, nothing typed is
    # left: the second saying is told so.
    await engine.handle(typed("e1", "こんにちは"))
    first = await engine.handle(pressed("e2", "settings"))
    asked_first = event_tag("e2") if first.record and first.record.question else None
    await engine.handle(typed("e3", "yamada"))
    record = await store.load(KEY)
    assert record is not None
    if stale:
        # A button of a question answered before: changes nothing, but it was pressed.
        outcome = await engine.handle(pressed("e4", "yes"), question=asked_first or "0" * 16)
        assert outcome.stale
    else:
        await engine.handle(pressed("e4", "yes"), question=record.question)
    taken_back = await engine.handle(typed("e5", "さっきのはパスワードです"))
    assert Signal.PREVIOUS_WITHDRAWN in taken_back.signals
    assert taken_back.withdrew == event_tag("e3")
    assert desks.taken_back == [(KEY, event_tag("e3"))]
    lines = await store.transcript(KEY)
    assert "yamada" not in [line.text for line in lines if line.author == "subscriber"]
    assert "記録から消しました" in " ".join(getattr(r, "text", "") for r in taken_back.replies)
    # Then a press and the words again: nothing typed is left to withdraw, and it says so.
    record = await store.load(KEY)
    assert record is not None
    await engine.handle(pressed("e6", "yes"), question=record.question)
    again = await engine.handle(typed("e7", "さっきのはパスワードです"))
    assert again.withdrew == ""
    assert "ボタン" in " ".join(getattr(r, "text", "") for r in again.replies)


async def test_a_stale_press_still_writes_no_line(engine: Engine, store: SQLiteStore) -> None:
    # Remembered in the record alone: the transcript and the open question stay as they were.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    before = await store.load(KEY)
    lines = await store.transcript(KEY)
    assert before is not None
    for event in ("e3", "e4"):
        outcome = await engine.handle(pressed(event, "yes"), question="0" * 16)
        assert outcome.stale
    after = await store.load(KEY)
    assert after is not None
    assert after.dialog.last_pressed
    assert (after.question, after.updated_at) == (before.question, before.updated_at)
    assert await store.transcript(KEY) == lines


async def test_the_english_words_after_a_press(
    engine: Engine, store: SQLiteStore, desks: Desks
) -> None:
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e1", text="hi", locale="en")
    )
    record = await store.load(KEY)
    assert record is not None
    await engine.handle(typed("e2", "sorry, that was my password"))
    record = await store.load(KEY)
    assert record is not None
    await engine.handle(pressed("e3", "settings"), question=record.question)
    outcome = await engine.handle(typed("e4", "sorry, that was my password"))
    assert outcome.withdrew == ""
    words = " ".join(getattr(r, "text", "") for r in outcome.replies)
    assert "button" in words


def _rewrite_dialog(path: Path, change: dict[str, object], drop: tuple[str, ...]) -> None:
    """The stored dialog as an older version wrote it (keys it did not know are absent)."""
    with sqlite3.connect(path) as db:
        (raw,) = db.execute("SELECT dialog FROM conversations WHERE key = ?", (KEY,)).fetchone()
        dialog = {k: v for k, v in orjson.loads(raw).items() if k not in drop} | change
        db.execute("UPDATE conversations SET dialog = ? WHERE key = ?", (orjson.dumps(dialog), KEY))


async def test_a_conversation_stored_before_last_words_finds_the_message_before(
    engine: Engine, store: SQLiteStore, desks: Desks, tmp_path: Path
) -> None:
    await said_back(engine)
    await store.close()
    _rewrite_dialog(
        tmp_path / "store.sqlite3", {}, ("last_words", "last_pressed", "taken_back_last")
    )
    await store.open()
    record = await store.load(KEY)
    assert record is not None
    outcome = await engine.handle(typed("e4", "さっきのはパスワードです"))
    assert outcome.withdrew == event_tag("e3")
    lines = await store.transcript(KEY)
    assert not [line for line in lines if TOKEN in line.text]
    assert f"{WITHDRAWN_LINE}{event_tag('e3')}" in [line.text for line in lines]
    assert desks.taken_back == [(KEY, event_tag("e3"))]
    await store.close()
    assert not files_holding(tmp_path, TOKEN.encode())
    await store.open()


async def test_a_conversation_stored_at_head_after_a_press_withdraws_nothing_typed(
    engine: Engine, store: SQLiteStore, desks: Desks, tmp_path: Path
) -> None:
    # The previous version named the press's own turn in last_words and knew no last_pressed.
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", "yamada"))
    record = await store.load(KEY)
    assert record is not None
    await engine.handle(pressed("e4", "yes"), question=record.question)
    await store.close()
    _rewrite_dialog(tmp_path / "store.sqlite3", {"last_words": event_tag("e4")}, ("last_pressed",))
    await store.open()
    loaded = await store.load(KEY)
    assert loaded is not None
    assert loaded.dialog.last_words == event_tag("e4")
    outcome = await engine.handle(typed("e5", "さっきのはパスワードです"))
    assert outcome.withdrew == ""
    assert WITHDRAWN_TEXT not in [line.text for line in await store.transcript(KEY)]


def test_a_state_stored_at_head_reads_back() -> None:
    # The JSON the previous version wrote: every key it knew, none of the new ones.
    head = DialogState(last_words="0123456789abcdef", taken_back_last=True).to_json()
    head.pop("last_pressed", None)
    state = DialogState.from_json(head)
    assert state.last_words == "0123456789abcdef"
    assert state.taken_back_last
    assert not state.last_pressed
    # And the other way round: a state written now, read by a version that knows it.
    assert DialogState.from_json(orjson.loads(orjson.dumps(state.to_json()))) == state


def test_a_redis_record_stored_at_head_loads() -> None:
    # The record as the previous version's Redis store wrote it (its dialog without
    # last_pressed, a press's turn in last_words), and one from before last_words.
    head = DialogState(last_words="0123456789abcdef").to_json()
    head.pop("last_pressed")
    older = {k: v for k, v in head.items() if k not in ("last_words", "taken_back_last")}
    for dialog, words in ((head, "0123456789abcdef"), (older, None)):
        raw = orjson.dumps(
            {
                "channel": "test",
                "owner": "bot",
                "dialog": dialog,
                "created_at": "2008-06-01T03:00:00+00:00",
                "updated_at": "2008-06-01T03:00:00+00:00",
                "question": "",
            }
        )
        record = _decode_record(KEY, raw)
        assert record.dialog.last_words == words
        assert not record.dialog.last_pressed


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


async def test_on_redis_the_unsent_message_and_the_stale_press_too(
    redis_server: RedisServer, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The Lua commit rewrites the bot lines of the turn unsent; a stale press, which writes
    # the record and no line, is remembered there too.
    store = RedisStore.from_url(f"{redis_server.url}?prefix=w{secrets.token_hex(4)}:")
    await store.open()
    try:
        engine = Engine(store, profile, catalogs, fixed_clock())
        engine.handoff = Desks()
        await said_back(engine)
        assert await engine.withdraw("test", "c1", "unsend-1", "e3")
        lines = await store.transcript(KEY)
        assert not [line for line in lines if TOKEN in line.text or TOKEN in repr(line.reply)]
        bots = [x for x in lines if x.event == event_tag("e3") and x.author == "bot"]
        assert bots
        assert {x.text for x in bots} == {WITHDRAWN_REPLY_TEXT}
        await engine.handle(typed("e4", "yamada"))
        outcome = await engine.handle(pressed("e5", "yes"), question=event_tag("e2"))
        assert outcome.stale
        record = await store.load(KEY)
        assert record is not None
        assert record.dialog.last_pressed
        taken_back = await engine.handle(typed("e6", "さっきのはパスワードです"))
        assert taken_back.withdrew == event_tag("e4")
        assert "yamada" not in [x.text for x in await store.transcript(KEY)]
    finally:
        await store.close()
