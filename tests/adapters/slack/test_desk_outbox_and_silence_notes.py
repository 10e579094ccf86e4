"""The Slack handoff's thread is shown what the bot said or found while a member had the chat.

Two notes of this session's: a member's reply that a process killed before the platform took
it (the next start marks it, and says so in the thread, quoting it: the member does not watch
the console), and the bot's apology to a subscriber kept waiting (the member reads what the
subscriber was told, and that they went back to the bot with its button).
"""

from __future__ import annotations

import datetime as dt

from adapters.slack.desk_actions import TAKE
from bot.desk.agent_messages import OUTBOX, AgentMessages
from bot.desk.agent_silence import AgentSilence
from bot.store.conversation_store import Owner
from bot.store.desk_notices import DeskNotice, desk_notices_for
from testbed.clock import IN_WINDOW
from tests.adapters.slack.test_desk import WAIT, Desk, desk, fake, handed_off

__all__ = ["desk", "fake"]  # the fixtures this module uses


async def _thread_words(desk: Desk) -> str:
    return "\n".join(str(call.params.get("text", "")) for call in desk.posts()[1:])


async def test_a_reply_a_killed_process_left_unsent_is_said_in_the_thread(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    runtime = desk.runtime
    messages = AgentMessages(runtime.engine, runtime.delivery, runtime.catalogs, runtime.tasks)
    posted = await messages.post(chat.key, "hanako (Slack U0AGENT1)", "確認します", event_id="r1")
    await desk.runtime.tasks.idle()
    # As a process killed between the stored line and the platform's answer leaves it.
    outbox = desk_notices_for(desk.runtime.engine.store, OUTBOX)
    pending = DeskNotice(chat.key, f"agent-line-{posted.line.seq}", IN_WINDOW, 0, IN_WINDOW)
    await outbox.keep(pending)
    before = len(desk.posts())
    assert await messages.recover(starting=True) == 1
    await desk.fake.wait_for(lambda: len(desk.posts()) > before, seconds=WAIT)
    said = await _thread_words(desk)
    assert "担当者の返信「確認します」がお客様に届いたか確認できませんでした" in said, said


async def test_the_bots_apology_for_the_wait_is_noted_in_the_thread(desk: Desk) -> None:
    chat = await handed_off(desk)
    runtime = desk.runtime
    assert runtime.handoffs is not None
    later = IN_WINDOW + dt.timedelta(minutes=61)
    silence = AgentSilence(
        runtime.engine,
        runtime.handoffs,
        runtime.delivery,
        after=dt.timedelta(minutes=60),
        now=lambda: later,
    )
    before = len(desk.posts())
    assert await silence.sweep() == 1
    await desk.fake.wait_for(lambda: len(desk.posts()) > before, seconds=WAIT)
    said = await _thread_words(desk)
    assert "（ボットからお客様へ）担当者からの返信が受付時間内で60分ないため" in said, said
    # The subscriber stops waiting with the notice's button: the thread says so, and the
    # handoff message shows the bot has the conversation (no 「対応する」 to press).
    before = len(desk.posts())
    await chat.send(choice="back_to_bot")
    await desk.runtime.tasks.idle()
    await desk.fake.wait_for(lambda: len(desk.posts()) > before, seconds=WAIT)
    said = await _thread_words(desk)
    assert "（お客様が担当者を待たずに自動案内に戻りました" in said, said
    assert await desk.owner(chat.key) is Owner.BOT
    await desk.wait_for_updates(1)
    await desk.settle()
    # Who gave it back and how, at a glance: it said 「この会話はすでにボットに戻っています。」
    # as for any hand-back.
    shown = desk.shown()
    assert "お客様が担当者を待たずに自動案内に戻りました。" in shown.words()
    assert shown.buttons() == {}


async def test_a_subscriber_who_starts_over_in_the_queue_is_said_to_have(desk: Desk) -> None:
    # 「最初から」 typed while waiting starts the questions again (183c508): the desks read that
    # the subscriber started over, their answers gone, not that they carried on.
    chat = await handed_off(desk)
    before = len(desk.posts())
    await chat.send(text="最初から")
    await desk.runtime.tasks.idle()
    await desk.fake.wait_for(lambda: len(desk.posts()) > before, seconds=WAIT)
    said = await _thread_words(desk)
    assert "（お客様が担当者を待たずに自動案内に戻り、最初からやり直しています" in said, said
    await desk.wait_for_updates(1)
    await desk.settle()
    shown = desk.shown()
    assert "自動案内で最初からやり直しています" in shown.words()
    assert shown.buttons() == {}
