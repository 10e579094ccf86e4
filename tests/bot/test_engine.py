"""One turn at a time, once per event, resumable after a restart, silent while an agent owns it."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from pathlib import Path

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import Change, Owner, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import Inbound
from testbed.clock import fixed_clock
from testbed.disk import files_holding


def message(event: str, *, text: str | None = None, choice: str | None = None) -> Inbound:
    return Inbound(channel="test", conversation_key="c1", event_id=event, text=text, choice=choice)


async def test_a_first_message_greets_and_asks_the_first_question(engine: Engine) -> None:
    outcome = await engine.handle(message("e1", text="こんにちは"))
    assert outcome.record is not None
    assert outcome.record.dialog.stage is Stage.Q1_MAIL_PROGRAM
    assert len(outcome.replies) == 2


async def test_a_redelivered_event_is_answered_once(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(message("e1", text="hi"))
    first = await engine.handle(message("e2", choice="yes"))
    again = await engine.handle(message("e2", choice="yes"))
    assert first.replies
    assert not first.duplicate
    assert again.duplicate
    assert not again.replies
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    assert record.dialog.stage is Stage.Q2_OTHER_NETWORK
    lines = [e for e in await store.transcript(record.key) if e.author == "subscriber"]
    assert [e.text for e in lines] == ["hi", "[yes]"]


async def test_concurrent_deliveries_of_one_event_run_once(engine: Engine) -> None:
    await engine.handle(message("e1", text="hi"))
    outcomes = await asyncio.gather(*(engine.handle(message("e2", choice="yes")) for _ in range(5)))
    assert sum(1 for o in outcomes if not o.duplicate) == 1


async def test_concurrent_turns_of_one_conversation_are_serialised(
    engine: Engine, store: SQLiteStore
) -> None:
    await engine.handle(message("e0", text="hi"))
    # Four answers at once: run one at a time, they walk the whole questionnaire.
    await asyncio.gather(*(engine.handle(message(f"e{n}", choice="yes")) for n in range(1, 5)))
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    assert record.dialog.stage is Stage.ASK_ADDRESS


async def test_the_bot_is_silent_while_an_agent_owns_the_conversation(
    engine: Engine, store: SQLiteStore
) -> None:
    await engine.handle(message("e1", text="hi"))
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    agent_owned = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(record.key, None, lambda _: Change(agent_owned, [], None))
    outcome = await engine.handle(message("e2", text="まだ送れません"))
    assert outcome.replies == ()
    after = await store.load(record.key)
    assert after is not None
    # Only which message is the latest moves (what 「さっきのはパスワードです」 withdraws).
    assert after.dialog == dataclasses.replace(
        record.dialog, last_words=after.dialog.last_words, last_pressed=after.dialog.last_pressed
    )
    transcript = await store.transcript(record.key)
    assert transcript[-1].author == "subscriber"
    assert transcript[-1].text == "まだ送れません"


async def test_a_restart_resumes_every_conversation(
    tmp_path: Path, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    path = tmp_path / "restart.sqlite3"
    first = SQLiteStore(path)
    await first.open()
    engine = Engine(first, profile, catalogs, fixed_clock())
    await engine.handle(message("e1", text="hi"))
    await engine.handle(message("e2", choice="yes"))
    await first.close()

    second = SQLiteStore(path)
    await second.open()
    engine = Engine(second, profile, catalogs, fixed_clock())
    assert (await engine.handle(message("e2", choice="yes"))).duplicate
    outcome = await engine.handle(message("e3", choice="yes"))
    assert outcome.record is not None
    assert outcome.record.dialog.stage is Stage.Q3_USES_OUR_SMTP
    await second.close()


async def test_old_conversations_expire(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(message("e1", text="hi"))
    assert await store.expire(dt.datetime(2008, 1, 1, tzinfo=dt.UTC)) == 0
    assert await store.expire(dt.datetime(2009, 1, 1, tzinfo=dt.UTC)) == 1
    assert await store.load(record_key("test", "c1")) is None
    assert await store.transcript(record_key("test", "c1")) == []


def test_a_stored_state_round_trips_and_garbage_falls_back() -> None:
    state = DialogState(stage=Stage.ASK_PROGRAM, locale="en", address="a@vp.117.ne.jp")
    assert DialogState.from_json(state.to_json()) == state
    broken = DialogState.from_json({"stage": "no stage!", "locale": 3, "history": ["x y", 1]})
    # Without `last_words` the state predates it: unknown (None), found from the transcript;
    # `address_from` likewise (the latest message, if it gave the address, is its source).
    assert broken == DialogState(last_words=None, address_from=None)
    # An id the code does not name may be the profile's: the turn judges it.
    assert DialogState.from_json({"stage": "gone"}).stage == "gone"


async def test_milestones_are_audited_for_the_desk(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(message("e1", text="hi"))
    for n, answer in enumerate(("yes", "yes", "yes", "no"), start=2):
        await engine.handle(message(f"e{n}", choice=answer))
    counts = await store.audit_counts(
        dt.datetime(2008, 1, 1, tzinfo=dt.UTC), dt.datetime(2009, 1, 1, tzinfo=dt.UTC)
    )
    assert counts[("started", "")] == 1
    assert counts[("verdict_reached", "required/recommended")] == 1
    assert (
        await store.audit_counts(
            dt.datetime(2009, 1, 1, tzinfo=dt.UTC), dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
        )
        == {}
    )


async def test_a_password_typed_into_the_chat_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    await engine.handle(message("e1", text="hi"))
    await engine.handle(message("e2", text="パスワードは Kasumi-99x! です"))
    lines = await store.transcript(record_key("test", "c1"))
    assert not any("Kasumi-99x!" in line.text for line in lines)
    assert any("********" in line.text for line in lines)
    await store.close()
    assert not files_holding(tmp_path, b"Kasumi-99x!")
    await store.open()


async def test_a_forged_button_is_kept_as_no_button(engine: Engine, store: SQLiteStore) -> None:
    # A Telegram client can send any callback data (the Bot API says so), and the web chat
    # took any string as a choice: the transcript kept it as a pressed button, `[…]`, so a
    # password or a line of HTML sat in the record the agents read, unmasked.
    await engine.handle(message("e1", text="hi"))
    await engine.handle(message("e2", choice="パスワードはZq9xK!w7です"))
    await engine.handle(message("e3", choice="<b>yes</b>"))
    await engine.handle(message("e4", choice="program:thunderbird"))
    lines = [e.text for e in await store.transcript(record_key("test", "c1"))]
    assert "[?]" in lines
    assert not any("Zq9xK" in line or "<b>" in line for line in lines)
    assert "[program:thunderbird]" in lines


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


async def test_no_bidi_control_reaches_the_transcript_from_any_channel(
    engine: Engine, store: SQLiteStore
) -> None:
    # Telegram, LINE and Slack pass U+202E on as typed (the web chat's API drops it): an
    # unclosed override turned the rest of an agent's transcript or summary line round
    # (「送れません<RLO>exe.txt」 showed as 「送れませんtxt.exe」), and a sender's name too.
    inbound = dataclasses.replace(
        message("e1", text=f"送れません{BIDI_CONTROLS}exe.txt"),
        start=True,
        sender="\u202eTaro",
    )
    await engine.handle(inbound)
    await engine.handle(message("e2", text="パスワードは\u2067 Zq9xK2pw77 です\u202e"))
    lines = await store.transcript(record_key("test", "c1"))
    assert lines
    shown = "".join(line.text for line in lines)
    assert not set(BIDI_CONTROLS) & set(shown)
    assert "送れませんexe.txt" in shown
    assert "Taro" in shown


async def test_no_control_character_reaches_the_transcript_from_any_channel(
    engine: Engine, store: SQLiteStore
) -> None:
    # Telegram, LINE and Slack pass control characters on as sent (the web chat's API drops
    # them): an escape sequence reached the agents' desks and the terminal's screen, a NUL a
    # Chatwoot mirror (PostgreSQL refuses it). Tab and line breaks stay. Found by attacker12.
    inbound = dataclasses.replace(
        message("e1", text="送れません\x1b[2J\x00\x07\x7f\x85です\tよろしく\nお願いします"),
        start=True,
        sender="Ta\x1bro",
    )
    await engine.handle(inbound)
    lines = await store.transcript(record_key("test", "c1"))
    shown = "".join(line.text for line in lines)
    assert "送れません[2Jです\tよろしく\nお願いします" in shown
    assert "Taro" in shown
    assert not {"\x1b", "\x00", "\x07", "\x7f", "\x85"} & set(shown)
