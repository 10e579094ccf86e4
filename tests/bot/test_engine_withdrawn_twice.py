"""A message already withdrawn is not withdrawn again.

Withdrawn once (LINE's unsend, Slack's deletion), the same message named again by another event
(Slack's message_deleted after its message_changed tombstone, an unsend and then
「さっきのはパスワードです」) wrote a second `withdrawn:` note (the console showed the
withdrawal twice) and told the desks again (without CHATWOOT_DESK_USER_TOKEN, a second private
note 「…メッセージを取り消しました」 for the agent). Told it was their password after unsending
it, the subscriber heard 「ひとつ前のメッセージは、記録から消しました」 as if something more was
removed: they now hear that it already was.
"""

from __future__ import annotations

import pytest

from bot.engine import WITHDRAWN_LINE, Engine
from bot.store.conversation_store import event_tag
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import Signal
from dialogs.vocabulary import Inbound, Locale
from tests.bot.engine_turns import KEY, Desks, pressed, typed


@pytest.fixture
def desks() -> Desks:
    return Desks()


@pytest.fixture
def engine(engine: Engine, desks: Desks) -> Engine:
    engine.handoff = desks
    return engine


async def notes(store: SQLiteStore) -> list[str]:
    return [x.text for x in await store.transcript(KEY) if x.text.startswith(WITHDRAWN_LINE)]


async def test_a_message_withdrawn_by_a_second_event_writes_nothing(
    engine: Engine, store: SQLiteStore, desks: Desks
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", "自宅の電話は 03-1234-5678 です"))
    assert await engine.withdraw("test", "c1", "unsend-1", "e2")
    lines = await store.transcript(KEY)
    assert not await engine.withdraw("test", "c1", "unsend-2", "e2")
    assert await store.transcript(KEY) == lines
    assert await notes(store) == [f"{WITHDRAWN_LINE}{event_tag('e2')}"]
    assert desks.taken_back == [(KEY, event_tag("e2"))]


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_the_password_words_after_an_unsend_say_it_is_already_gone(
    engine: Engine, store: SQLiteStore, desks: Desks, locale: Locale
) -> None:
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e1", text="hi", locale=locale)
    )
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", "abc12345"))
    assert await engine.withdraw("test", "c1", "unsend-1", "e3")
    words = "さっきのはパスワードです" if locale == "ja" else "sorry, that was my password"
    outcome = await engine.handle(typed("e4", words))
    assert outcome.withdrew == ""
    assert Signal.PREVIOUS_WITHDRAWN not in outcome.signals
    said = " ".join(getattr(r, "text", "") for r in outcome.replies)
    assert ("すでに記録から消して" if locale == "ja" else "already been removed") in said
    assert await notes(store) == [f"{WITHDRAWN_LINE}{event_tag('e3')}"]
    assert desks.taken_back == [(KEY, event_tag("e3"))]
    # A message typed after it is the one the words mean again.
    await engine.handle(typed("e5", "Kq7xyz99"))
    again = await engine.handle(typed("e6", words))
    assert again.withdrew == event_tag("e5")


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_the_words_said_twice_after_presses_say_it_is_already_gone(
    engine: Engine, store: SQLiteStore, locale: Locale
) -> None:
    # The presses before the message were still 'the latest thing done' after the first
    # saying: said again, the subscriber was told the last thing they sent was a button.
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e1", text="hi", locale=locale)
    )
    await engine.handle(pressed("e2", "settings"))
    await engine.handle(typed("e3", "abc12345"))
    record = await store.load(KEY)
    assert record is not None
    await engine.handle(pressed("e4", "skip"), question=record.question)
    words = "さっきのはパスワードです" if locale == "ja" else "sorry, that was my password"
    first = await engine.handle(typed("e5", words))
    assert first.withdrew == event_tag("e3")
    again = await engine.handle(typed("e6", words))
    assert again.withdrew == ""
    said = " ".join(getattr(r, "text", "") for r in again.replies)
    assert ("すでに記録から消して" if locale == "ja" else "already been removed") in said
    assert ("ボタン" if locale == "ja" else "button press") not in said
