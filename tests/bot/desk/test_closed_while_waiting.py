"""A subscriber still waiting in the desk's queue when its hours end is told so, once.

Handed to the desk a minute before it closed, a subscriber who wrote 「まだですか」 at 18:30
heard nothing at all (the bot is silent while the conversation waits for a person) until an
agent came in the next working day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from bot.engine import MAX_TRANSCRIPT_LINES
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, TranscriptEntry
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_desk_hours import weekday_profile
from tests.bot.desk.test_long_conversations_listed import AGENT, TOKEN
from tests.fakes.counting_store import CountingStore

# Monday 2 June 2008 in Tokyo; the desk answers on Mondays 9:00-18:00.
BEFORE_CLOSING = dt.datetime(2008, 6, 2, 8, 59, tzinfo=dt.UTC)  # 17:59
AFTER_CLOSING = dt.datetime(2008, 6, 2, 9, 30, tzinfo=dt.UTC)  # 18:30
CLOSED_NOW = "ただいま担当者の受付時間外"
# As long as a transcript may be, nearly (`MAX_TRANSCRIPT_LINES`): past it nothing is answered.
LONG = MAX_TRANSCRIPT_LINES - 100
STILL_AT_WORK = AFTER_CLOSING - dt.timedelta(minutes=5)  # 18:25


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


async def test_a_waiting_subscriber_who_writes_after_closing_is_told_once(tmp_path: Path) -> None:
    clock = Clock(BEFORE_CLOSING)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{TOKEN}",),
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = json.dumps(await chat.send(text="担当者と話したい"), ensure_ascii=False)
        assert "担当者におつなぎします" in said
        # Within the hours a waiting subscriber's words go to the desk, unanswered.
        assert await chat.send(text="よろしくお願いします") == []
        await app.state.runtime.tasks.idle()
        assert CLOSED_NOW not in json.dumps(await chat.history(), ensure_ascii=False)
        clock.now = AFTER_CLOSING
        assert await chat.send(text="まだですか") == []
        await chat.send(text="誰かいますか")
        await app.state.runtime.tasks.idle()
        history = json.dumps(await chat.history(), ensure_ascii=False)
        assert history.count(CLOSED_NOW) == 1
        # Still the desk's: an agent who comes in takes it from the queue as before.
        url = f"/api/agent/conversations/{chat.key}"
        read = (await client.get(url, headers=AGENT)).json()
        assert (read["owner"], read["holder"]) == ("agent", "queue")


async def test_the_question_asked_after_closing_is_answered_at_the_hand_back(
    tmp_path: Path,
) -> None:
    # The notice is the bot's words, but no answer: what the subscriber asked before it is
    # still answered when an agent hands the conversation back (it was dropped).
    clock = Clock(BEFORE_CLOSING)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{TOKEN}",),
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        clock.now = AFTER_CLOSING
        await chat.send(text="古いメールはどうなりますか")
        await app.state.runtime.tasks.idle()
        assert CLOSED_NOW in json.dumps(await chat.history(), ensure_ascii=False)
        clock.now = AFTER_CLOSING + dt.timedelta(days=1)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        back = await client.post(f"{url}/handback", headers=AGENT, json={})
        assert back.status_code == 200, back.text
        read = (await client.get(url, headers=AGENT)).json()
        handback = next(x["text"] for x in read["transcript"] if x["text"].startswith("handback:"))
        assert "unanswered=古いメールはどうなりますか" in handback


def far_back(lines: list[TranscriptEntry]) -> Callable[[ConversationRecord | None], Change[None]]:
    def add(stored: ConversationRecord | None) -> Change[None]:
        assert stored is not None
        return Change(stored, lines, None)

    return add


async def test_a_handoff_and_its_holder_far_back_are_found(tmp_path: Path) -> None:
    # Thousands of lines written while waiting put the handoff and the bot's words that
    # leave it in the queue far beyond the latest lines read first.
    clock = Clock(BEFORE_CLOSING)
    store = CountingStore(tmp_path / "s.sqlite3")
    settings = Settings(profile_path=weekday_profile(tmp_path), agent_tokens=(f"佐藤:{TOKEN}",))
    app = build_app(settings, clock=clock, store=store)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        waiting = [
            TranscriptEntry(BEFORE_CLOSING, "subscriber", f"まだですか {n}") for n in range(LONG)
        ]
        await store.transact(chat.key, None, far_back(waiting))
        clock.now = AFTER_CLOSING
        assert await chat.send(text="誰かいますか") == []
        await app.state.runtime.tasks.idle()
        assert json.dumps(await chat.history(), ensure_ascii=False).count(CLOSED_NOW) == 1


async def test_a_long_conversation_an_agent_has_is_not_read_whole_after_closing(
    tmp_path: Path,
) -> None:
    # Each message written to a held conversation outside the hours read every line to ask
    # whether it still waited in the queue; the agent's latest words answer that (written
    # after closing: she is still at work, so nothing is said).
    clock = Clock(BEFORE_CLOSING)
    store = CountingStore(tmp_path / "s.sqlite3")
    settings = Settings(profile_path=weekday_profile(tmp_path), agent_tokens=(f"佐藤:{TOKEN}",))
    app = build_app(settings, clock=clock, store=store)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        turns = [
            TranscriptEntry(STILL_AT_WORK, "subscriber", f"送れません {n}")
            if n % 2 == 0
            else TranscriptEntry(STILL_AT_WORK, "agent", f"確認します {n}", {"agent": "佐藤"})
            for n in range(LONG)
        ]
        await store.transact(chat.key, None, far_back(turns))
        clock.now = AFTER_CLOSING
        await app.state.runtime.tasks.idle()
        store.lines_read = 0
        assert await chat.send(text="まだ送れません") == []
        await app.state.runtime.tasks.idle()
        assert store.lines_read < LONG // 2
        assert CLOSED_NOW not in json.dumps(await chat.history(), ensure_ascii=False)


# Monday 2 June 2008 in Tokyo: taken at 17:00, the agent's last words at 17:30.
TAKEN = dt.datetime(2008, 6, 2, 8, 0, tzinfo=dt.UTC)  # 17:00
LAST_WORDS = dt.datetime(2008, 6, 2, 8, 30, tzinfo=dt.UTC)  # 17:30


async def test_an_agent_gone_home_without_handing_back_leaves_the_subscriber_told_once(
    tmp_path: Path,
) -> None:
    # The agent took the chat, wrote at 17:30 and left at 18:00 without handing it back:
    # the subscriber who wrote at 18:30 heard nothing until the next working day.
    clock = Clock(TAKEN)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{TOKEN}",),
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        clock.now = LAST_WORDS
        sent = {"text": "確認して折り返しご連絡します。", "event_id": "a1"}
        assert (await client.post(f"{url}/messages", headers=AGENT, json=sent)).status_code == 201
        clock.now = AFTER_CLOSING
        assert await chat.send(text="まだですか") == []
        await chat.send(text="誰かいますか")
        await app.state.runtime.tasks.idle()
        assert json.dumps(await chat.history(), ensure_ascii=False).count(CLOSED_NOW) == 1
        # Still 佐藤's: the notice is the bot's words, not the bot taking the chat back.
        read = (await client.get(url, headers=AGENT)).json()
        assert (read["owner"], read["holder"], read["agent"]) == ("agent", "agent", "佐藤")
        # Next morning (the desk answers on Mondays and Fridays): still the same closed
        # hours, nothing more said.
        clock.now = AFTER_CLOSING + dt.timedelta(hours=13)  # Tuesday 7:30
        await chat.send(text="おはようございます")
        await app.state.runtime.tasks.idle()
        assert json.dumps(await chat.history(), ensure_ascii=False).count(CLOSED_NOW) == 1
        # The next evening the desk answers, she has still written nothing: told again, once.
        clock.now = AFTER_CLOSING + dt.timedelta(days=4)  # Friday 18:30
        await chat.send(text="まだでしょうか")
        await chat.send(text="お願いします")
        await app.state.runtime.tasks.idle()
        assert json.dumps(await chat.history(), ensure_ascii=False).count(CLOSED_NOW) == 2


async def test_an_agent_writing_after_closing_is_not_interrupted(tmp_path: Path) -> None:
    clock = Clock(TAKEN)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{TOKEN}",),
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        # Still at her desk after 18:00, in the middle of helping.
        clock.now = AFTER_CLOSING - dt.timedelta(minutes=20)  # 18:10
        sent = {"text": "Outlookを開いてください。", "event_id": "a1"}
        assert (await client.post(f"{url}/messages", headers=AGENT, json=sent)).status_code == 201
        clock.now = AFTER_CLOSING
        await chat.send(text="開きました")
        await app.state.runtime.tasks.idle()
        assert CLOSED_NOW not in json.dumps(await chat.history(), ensure_ascii=False)
