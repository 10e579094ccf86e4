"""「さっきのはパスワードです」 withdraws the message before from the record, in the same turn.

A password typed at the address question (「abc12345」, a token a local part may be) was said
back as 「abc12345@vp.117.ne.jp」 and kept in the transcript, as typed, however the subscriber
said afterwards that it was their password. Now that message's line says WITHDRAWN_TEXT,
the bot's lines that said it back lose it too, nothing of it stays in the dialog state or on
disk, and the desks take their copy back, as for a message unsent on LINE.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.engine import WITHDRAWN_LINE, Engine
from bot.store.conversation_store import (
    WITHDRAWN_TEXT,
    Change,
    Owner,
    event_tag,
)
from bot.store.sqlite_store import SQLiteStore
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from testbed.disk import files_holding
from tests.bot.engine_turns import KEY, Desks, pressed, typed


@pytest.fixture
def desks() -> Desks:
    return Desks()


@pytest.fixture
def engine(engine: Engine, desks: Desks) -> Engine:
    engine.handoff = desks
    return engine


@pytest.mark.parametrize(
    ("token", "taken_back"),
    [
        ("abc12345", "ごめんなさい それはパスワードでした"),
        ("Kq7xyz99", "さっきのはパスワードです"),
        ("Kq7xyz99@vp.117.ne.jp", "sorry, that was my password"),
    ],
)
async def test_the_message_before_leaves_the_record(
    engine: Engine, store: SQLiteStore, desks: Desks, tmp_path: Path, token: str, taken_back: str
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", token))
    outcome = await engine.handle(typed("e4", taken_back))
    assert Signal.PREVIOUS_WITHDRAWN in outcome.signals
    lines = await store.transcript(KEY)
    secret = token.split("@")[0].casefold()
    assert not [line for line in lines if secret in repr(line).casefold()]
    withdrawn = [line for line in lines if line.event == event_tag("e3")]
    assert [line.text for line in withdrawn if line.author == "subscriber"] == [WITHDRAWN_TEXT]
    assert any(line.text == f"{WITHDRAWN_LINE}{event_tag('e3')}" for line in lines)
    # Only the message before: the older ones stay as they were.
    assert [line.text for line in lines if line.author == "subscriber"][:2] == [
        "こんにちは",
        "[settings]",
    ]
    record = await store.load(KEY)
    assert record is not None
    assert record.dialog.stage is Stage.ASK_ADDRESS
    assert secret not in repr(record.dialog.to_json()).casefold()
    assert desks.taken_back == [(KEY, event_tag("e3"))]
    # Redelivered, the event does nothing twice; said again, nothing older goes.
    again = await engine.handle(typed("e4", taken_back))
    assert again.duplicate
    await engine.handle(typed("e5", taken_back))
    assert desks.taken_back == [(KEY, event_tag("e3"))]
    assert [line.text for line in await store.transcript(KEY) if line.author == "subscriber"][
        :2
    ] == ["こんにちは", "[settings]"]
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    assert not files_holding(tmp_path, token.split("@")[0].encode())
    await store.open()


async def test_while_a_person_has_the_chat_the_desks_copy_is_taken_back(
    engine: Engine, store: SQLiteStore, desks: Desks, tmp_path: Path
) -> None:
    # An agent holds the conversation: the token typed went to their desk as typed. Told it
    # was the password, the bot still says nothing (the agent answers), but the line leaves
    # the record and the desk takes its copy back; said twice, nothing more goes.
    await engine.handle(typed("e1", "こんにちは"))
    record = await store.load(KEY)
    assert record is not None
    held = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(KEY, None, lambda _: Change(held, [], None))
    await engine.handle(typed("e2", "Kq7xyz99"))
    outcome = await engine.handle(typed("e3", "sorry, that was my password"))
    assert outcome.replies == ()
    assert outcome.withdrew == event_tag("e2")
    assert desks.taken_back == [(KEY, event_tag("e2"))]
    await engine.handle(typed("e4", "さっきのはパスワードです"))
    assert desks.taken_back == [(KEY, event_tag("e2"))]
    lines = await store.transcript(KEY)
    assert [line.text for line in lines if line.author == "subscriber"] == [
        "こんにちは",
        WITHDRAWN_TEXT,
        "sorry, that was my password",
        "さっきのはパスワードです",
    ]
    await store.close()
    assert not files_holding(tmp_path, b"Kq7xyz99")
    await store.open()
