"""A password sent alone after 「パスワードは」 is stored masked, whoever owns the conversation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.store.conversation_store import Change, Owner, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.vocabulary import MEDIA_CHOICE, STICKER_CHOICE, Inbound, TextReply
from testbed.disk import files_holding
from tests.bot.engine_turns import typed


@pytest.mark.parametrize(
    ("first", "secret"),
    [("パスワードは", "sakura2008"), ("my password is", "Tt4sdfgh9"), ("パスワードは", "さくら")],
)
async def test_a_password_sent_after_the_word_is_stored_masked_and_warned_about(
    engine: Engine, store: SQLiteStore, tmp_path: Path, first: str, secret: str
) -> None:
    await engine.handle(typed("e1", "hi"))
    await engine.handle(typed("e2", first))
    outcome = await engine.handle(typed("e3", secret))
    lines = await store.transcript(record_key("test", "c1"))
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "********"
    # The subscriber is told not to type it, as when it comes in one message.
    warning = outcome.replies[0]
    assert isinstance(warning, TextReply)
    assert "パスワード" in warning.text or "password" in warning.text.lower()
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_the_message_after_the_next_is_kept_as_typed(
    engine: Engine, store: SQLiteStore
) -> None:
    await engine.handle(typed("e1", "hi"))
    await engine.handle(typed("e2", "パスワードは"))
    await engine.handle(typed("e3", "忘れました"))
    await engine.handle(typed("e4", "Becky2"))
    lines = await store.transcript(record_key("test", "c1"))
    assert [line.text for line in lines if line.author == "subscriber"][-2:] == [
        "忘れました",
        "Becky2",
    ]


async def test_while_an_agent_owns_it_the_password_is_masked_too(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    await engine.handle(typed("e1", "hi"))
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    agent_owned = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(record.key, None, lambda _: Change(agent_owned, [], None))
    await engine.handle(typed("e2", "パスワードは"))
    outcome = await engine.handle(typed("e3", "sakura2008"))
    assert outcome.for_agent == "********"
    lines = await store.transcript(record.key)
    assert lines[-1].text == "********"
    await store.close()
    assert not files_holding(tmp_path, b"sakura2008")
    await store.open()


@pytest.mark.parametrize("way", ["answered", "album", "agent", "sticker"])
async def test_a_photo_between_the_word_and_the_password_changes_nothing(
    engine: Engine, store: SQLiteStore, tmp_path: Path, way: str
) -> None:
    """「パスワードは」, a screenshot (no words), then the password: still masked.

    A photo says nothing, so it cannot have taken back what the message before it began;
    read as an empty text it did, and the password sent after it was stored as typed.
    """
    await engine.handle(typed("e1", "hi"))
    if way == "agent":
        record = await store.load(record_key("test", "c1"))
        assert record is not None
        agent_owned = dataclasses.replace(record, owner=Owner.AGENT)
        await store.transact(record.key, None, lambda _: Change(agent_owned, [], None))
    await engine.handle(typed("e2", "パスワードは"))
    # A sticker (not a sign) says no words either.
    wordless = STICKER_CHOICE if way == "sticker" else MEDIA_CHOICE
    photo = Inbound(channel="test", conversation_key="c1", event_id="e3", choice=wordless)
    if way == "album":
        # Telegram's album: its photos kept quietly, then asked about once (no caption).
        await engine.handle(photo, quiet=True)
        await engine.handle(photo, recorded=True)
    else:
        await engine.handle(photo)
    await engine.handle(typed("e4", "sakura2008"))
    lines = await store.transcript(record_key("test", "c1"))
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "********"
    await store.close()
    assert not files_holding(tmp_path, b"sakura2008")
    await store.open()


@pytest.mark.parametrize("sign", ["👍", "🙇\u200d♀️", "!!", "(^^)"])
async def test_a_sign_between_the_word_and_the_password_changes_nothing(
    engine: Engine, store: SQLiteStore, tmp_path: Path, sign: str
) -> None:
    """「パスワードは」, a thumbs-up (typed, or a sticker read as the sign it shows), the password.

    A sign alone says no words either: read as a message that did not name a password, it
    took back the mark, and the password sent after it was stored as typed.
    """
    await engine.handle(typed("e1", "hi"))
    await engine.handle(typed("e2", "パスワードは"))
    await engine.handle(typed("e3", sign))
    await engine.handle(typed("e4", "sakura2008"))
    lines = await store.transcript(record_key("test", "c1"))
    assert [line.text for line in lines if line.author == "subscriber"][-1] == "********"
    await store.close()
    assert not files_holding(tmp_path, b"sakura2008")
    await store.open()


@pytest.mark.parametrize(
    "said", ["パスワードはさくらです", "ぱすわーどは さくらもち", "パスワードは Kq7 xyz99 です"]
)
async def test_while_an_agent_owns_it_a_password_in_one_message_is_masked_too(
    engine: Engine, store: SQLiteStore, tmp_path: Path, said: str
) -> None:
    # The desk's path stores the line without the dialog's step: it read kana with no
    # analyser, and kept 「さくら」 as typed.
    await engine.handle(typed("e1", "hi"))
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    agent_owned = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(record.key, None, lambda _: Change(agent_owned, [], None))
    outcome = await engine.handle(typed("e2", said))
    assert outcome.for_agent is not None
    assert "********" in outcome.for_agent
    lines = await store.transcript(record.key)
    assert "********" in lines[-1].text
    await store.close()
    for piece in ("さくら", "xyz99"):
        assert not files_holding(tmp_path, piece.encode())
    await store.open()
