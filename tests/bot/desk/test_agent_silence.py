"""A subscriber left waiting on an agent's words is told once a wait that the reply is late.

The real app with the console as its desk; the clock is moved by hand and the sweep run
directly (no sleeps): an hour of silence after a handoff, once per wait, a new wait after
the agent answered, none while the agent wrote last, and the wait counted in the desk's open
minutes (a closed evening, weekend or lunch break counts for nothing; a wait longer than the
desk's day is told on a later day).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.desk import agent_silence
from bot.desk.agent_silence import AgentSilence
from bot.desk.handback import hand_back
from bot.desk.ownership import back_to_queue, take_over
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import IN_WINDOW
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_desk_hours import PROFILE, weekday_profile

SATO = "sato-token-0123456789"
AS_SATO = {"Authorization": f"Bearer {SATO}"}
LATE = "担当者からのお返事が遅くなっており"
# Monday 2 June 2008, 17:50 in Tokyo: ten minutes before the weekday profile's desk closes.
MONDAY_EVENING = dt.datetime(2008, 6, 2, 8, 50, tzinfo=dt.UTC)
# Its next opening: Friday 6 June, 9:00 in Tokyo.
FRIDAY_OPENING = dt.datetime(2008, 6, 6, 0, 0, tzinfo=dt.UTC)
# Monday 2 June 2008, 11:50 in Tokyo: ten minutes before the lunch break of `lunch_profile`.
MONDAY_BEFORE_LUNCH = dt.datetime(2008, 6, 2, 2, 50, tzinfo=dt.UTC)


class _Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


def lunch_profile(tmp_path: Path) -> Path:
    """Open Monday and Friday, closed for lunch from 12:00 to 12:30 (Tokyo)."""
    text = PROFILE.read_text("utf-8").replace(
        '# mon = "09:00-18:00"', 'mon = "09:00-12:00,12:30-18:00"\nfri = "09:00-12:00,12:30-18:00"'
    )
    path = tmp_path / "profile.toml"
    path.write_text(text, "utf-8")
    return path


def _settings(tmp_path: Path, *, hours: bool = False, minutes: int = 60) -> Settings:
    return Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(f"佐藤:{SATO}",),
        profile_path=weekday_profile(tmp_path) if hours else None,
        agent_silence_minutes=minutes,
    )


def _silence(app: object, clock: _Clock, minutes: int = 60) -> AgentSilence:
    runtime = app.state.runtime  # type: ignore[attr-defined]
    return AgentSilence(
        runtime.engine,
        runtime.handoffs,
        runtime.delivery,
        after=dt.timedelta(minutes=minutes),
        now=clock,
    )


def _after(first: Callable[[], Awaitable[Any]], then: Any) -> Any:
    """`then`, called once `first` (another party's request) has been made."""

    async def both(*args: Any, **kwargs: Any) -> Any:
        await first()
        return await then(*args, **kwargs)

    return both


def _late_notices(history: list[dict[str, object]]) -> int:
    return sum(1 for line in history if LATE in str(line.get("reply")))


async def test_an_hour_without_an_agents_words_is_said_once_a_wait(tmp_path: Path) -> None:
    clock = _Clock(IN_WINDOW)
    app = build_app(_settings(tmp_path), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        clock.moment = IN_WINDOW + dt.timedelta(minutes=59)
        assert await silence.sweep() == 0
        clock.moment = IN_WINDOW + dt.timedelta(minutes=61)
        assert await silence.sweep() == 1
        assert await silence.sweep() == 0  # once a wait
        history = await chat.history()
        assert _late_notices(history) == 1
        assert "117net会員サポート窓口" in str(history[-1]["reply"])
        # Still the desk's: the notice does not take the chat back for the bot.
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "queue"
        url = f"/api/agent/conversations/{chat.key}"
        posted = await client.post(f"{url}/messages", headers=AS_SATO, json={"text": "確認します"})
        assert posted.status_code == 201
        clock.moment += dt.timedelta(hours=2)
        assert await silence.sweep() == 0  # the agent wrote last: nobody waits
        await chat.send(text="まだでしょうか")
        clock.moment += dt.timedelta(minutes=61)
        assert await silence.sweep() == 1  # a new wait, told again
        assert _late_notices(await chat.history()) == 2
        transcript = (await client.get(url, headers=AS_SATO)).json()
        assert transcript["holder"] == "agent"
        assert transcript["agent"] == "佐藤"


async def test_the_wait_is_counted_within_the_desks_hours(tmp_path: Path) -> None:
    clock = _Clock(MONDAY_EVENING)
    app = build_app(_settings(tmp_path, hours=True), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        clock.moment = MONDAY_EVENING + dt.timedelta(hours=2)  # closed: the desk-closed notice's
        assert await silence.sweep() == 0
        # Ten open minutes on Monday and 49 on Friday: 59.
        clock.moment = FRIDAY_OPENING + dt.timedelta(minutes=49)
        assert await silence.sweep() == 0
        # 61: told, though the desk has been open for less than an hour today.
        clock.moment = FRIDAY_OPENING + dt.timedelta(minutes=51)
        assert await silence.sweep() == 1
        assert _late_notices(await chat.history()) == 1


async def test_a_wait_longer_than_the_desks_day_is_told_and_lunch_is_not_counted(
    tmp_path: Path,
) -> None:
    clock = _Clock(MONDAY_BEFORE_LUNCH)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(f"佐藤:{SATO}",),
        profile_path=lunch_profile(tmp_path),
    )
    app = build_app(settings, clock=clock)
    # Ten hours: longer than the desk's open day (8 h 30 min). Before, never told.
    silence = _silence(app, clock, minutes=600)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        # Monday: 10 minutes before lunch and 330 after; Friday from 9:00 to 12:00: 180
        # minutes; then 12:30 to 13:49: 79. 599 open minutes (629 if lunch counted).
        clock.moment = FRIDAY_OPENING + dt.timedelta(hours=4, minutes=49)
        assert await silence.sweep() == 0
        clock.moment = FRIDAY_OPENING + dt.timedelta(hours=4, minutes=51)
        assert await silence.sweep() == 1
        assert _late_notices(await chat.history()) == 1


def test_the_wait_is_configurable_and_zero_says_nothing(tmp_path: Path) -> None:
    assert Settings.from_env({"MAILMOVE_AGENT_SILENCE_MINUTES": "0"}).agent_silence_minutes == 0
    assert Settings.from_env({}).agent_silence_minutes == 60
    assert Settings.from_env({"MAILMOVE_AGENT_SILENCE_MINUTES": "15"}).agent_silence_minutes == 15


async def test_a_conversation_taken_from_the_bot_counts_from_the_take(tmp_path: Path) -> None:
    clock = _Clock(IN_WINDOW)
    app = build_app(_settings(tmp_path), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="こんにちは")
        clock.moment = IN_WINDOW + dt.timedelta(minutes=30)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AS_SATO)).status_code == 200
        clock.moment = IN_WINDOW + dt.timedelta(minutes=89)
        assert await silence.sweep() == 0
        clock.moment = IN_WINDOW + dt.timedelta(minutes=91)
        assert await silence.sweep() == 1


BACK = "かしこまりました。担当者へのおつなぎを取りやめ"


async def test_a_subscriber_told_the_reply_is_late_can_go_back_to_the_bot(tmp_path: Path) -> None:
    # Before, the notice offered no way back: the subscriber could only wait or call, and a
    # question the bot could answer waited on the desk.
    clock = _Clock(IN_WINDOW)
    app = build_app(_settings(tmp_path), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        await chat.send(text="パスワードは変わりますか")
        clock.moment = IN_WINDOW + dt.timedelta(minutes=61)
        assert await silence.sweep() == 1
        notice = (await chat.history())[-1]["reply"]
        assert notice["choices"] == [{"id": "back_to_bot", "label": "自動案内に戻る"}]  # type: ignore[index]
        await chat.send(choice="back_to_bot")
        await app.state.runtime.tasks.idle()
        words = " ".join(str(line.get("reply")) for line in await chat.history())
        assert BACK in words
        # The question left for the agent is answered by the bot (the password stays).
        assert words.index(BACK) < words.rindex("パスワード")
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "bot"
        url = f"/api/agent/conversations/{chat.key}"
        # The agent who starts typing too late is refused, with nothing sent.
        posted = await client.post(f"{url}/messages", headers=AS_SATO, json={"text": "確認します"})
        assert posted.status_code == 409
        transcript = (await client.get(url, headers=AS_SATO)).json()
        assert any(
            line["text"].startswith("handback: agent=subscriber by=subscriber")
            for line in transcript["transcript"]
        )
        # Pressed again: the bot has it, and no second hand-back.
        await chat.send(choice="back_to_bot")
        await app.state.runtime.tasks.idle()
        assert sum(BACK in str(x.get("reply")) for x in await chat.history()) == 1


async def test_a_take_undone_since_the_notice_leaves_the_button_going_back(tmp_path: Path) -> None:
    # Chatwoot's round robin gave the waiting conversation to an agent after the notice and
    # took it back before she wrote (desk25's back_to_queue): nobody had it, yet the press
    # was answered 「担当者がすでに対応を始めておりますので、このまま担当者とお話しください。」.
    clock = _Clock(IN_WINDOW)
    app = build_app(_settings(tmp_path), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        clock.moment = IN_WINDOW + dt.timedelta(minutes=61)
        assert await silence.sweep() == 1
        engine = app.state.runtime.engine
        taker = "佐藤 花子 (Chatwoot)"
        assert await take_over(engine, chat.key, taker, event_id="assigned") is not None
        assert await back_to_queue(engine, chat.key, taker, event_id="unassigned") is not None
        await chat.send(choice="back_to_bot")
        await app.state.runtime.tasks.idle()
        history = await chat.history()
        assert any(BACK in str(line.get("reply")) for line in history)
        assert not any("すでに対応を始めて" in str(line.get("reply")) for line in history)
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "bot"


async def test_once_an_agent_has_answered_the_button_leaves_the_chat_with_them(
    tmp_path: Path,
) -> None:
    clock = _Clock(IN_WINDOW)
    app = build_app(_settings(tmp_path), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        clock.moment = IN_WINDOW + dt.timedelta(minutes=61)
        assert await silence.sweep() == 1
        url = f"/api/agent/conversations/{chat.key}"
        posted = await client.post(f"{url}/messages", headers=AS_SATO, json={"text": "確認します"})
        assert posted.status_code == 201
        for _ in range(2):
            await chat.send(choice="back_to_bot")
            await app.state.runtime.tasks.idle()
        history = await chat.history()
        taken = "担当者がすでに対応を始めておりますので"
        assert sum(taken in str(line.get("reply")) for line in history) == 1
        assert not any(BACK in str(line.get("reply")) for line in history)
        transcript = (await client.get(url, headers=AS_SATO)).json()
        assert (transcript["holder"], transcript["agent"]) == ("agent", "佐藤")


async def test_an_agents_words_landing_as_the_button_is_pressed_keep_the_chat_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 佐藤 took the conversation and said nothing for an hour; her first words are stored
    # between the press's read of the transcript and its hand-back. Before, her words did
    # not change the record, so the hand-back (written onto the record as read) went ahead:
    # the subscriber read her answer and then the bot cancelling the transfer.
    clock = _Clock(IN_WINDOW)
    app = build_app(_settings(tmp_path), clock=clock)
    silence = _silence(app, clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AS_SATO)).status_code == 200
        clock.moment = IN_WINDOW + dt.timedelta(minutes=61)
        assert await silence.sweep() == 1
        body = {"text": "お待たせしました", "event_id": "late-1"}
        writes = functools.partial(client.post, f"{url}/messages", headers=AS_SATO, json=body)
        monkeypatch.setattr(agent_silence, "hand_back", _after(writes, hand_back))
        await chat.send(choice="back_to_bot")
        await app.state.runtime.tasks.idle()
        history = await chat.history()
        assert not any(BACK in str(line.get("reply")) for line in history)
        taken = "担当者がすでに対応を始めておりますので"
        assert sum(taken in str(line.get("reply")) for line in history) == 1
        transcript = (await client.get(url, headers=AS_SATO)).json()
        assert (transcript["owner"], transcript["agent"]) == ("agent", "佐藤")
