"""Words the subscriber withdrew leave the Slack handoff message that quotes them.

e07ea96 took withdrawn words back from their copies in the handoff's thread, but the handoff
message itself quotes the subscriber's latest lines (summary.said) and a message left for
the desk in full: a line said just before asking for a person, then unsent on LINE or
deleted in Slack, stayed there for every agent of the channel to read. The message is drawn
again from the stored transcript, where the line's words are gone.
"""

from __future__ import annotations

import json

import pytest

from adapters.slack.desk_actions import TAKE
from tests.adapters.slack.test_desk import ADDRESS, AGENT_TOKEN, Desk
from tests.adapters.slack.test_desk_relay import desk, handoff_ts, in_thread, thread_fake
from tests.fakes.platform_api import Call

__all__ = ["desk", "thread_fake"]  # the fixtures this module's tests use

WORDS = "自宅の電話は 03-1234-5678 です"


def redrawn(desk: Desk) -> list[Call]:
    return [c for c in desk.updates() if c.params.get("ts") == handoff_ts(desk)]


@pytest.mark.parametrize("taken", [False, True], ids=["queue", "agent"])
async def test_withdrawn_words_leave_the_handoff_message_that_quotes_them(
    desk: Desk, taken: bool
) -> None:
    chat = await desk.chat()
    await chat.send(text=ADDRESS)
    # Said just before asking for a person: the handoff message quotes it.
    await chat.send(text=WORDS, event_id="said-1")
    await chat.send(text="人と話したいです")
    await desk.runtime.tasks.idle()
    (post,) = desk.posts()
    assert WORDS in json.dumps(post.params["blocks"], ensure_ascii=False)
    if taken:
        assert (await desk.click(TAKE, 1)).status_code == 200
        await desk.wait_for_updates(1)
    before = len(redrawn(desk))
    conversation = chat.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = desk.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await desk.fake.wait_for(lambda: len(redrawn(desk)) > before, seconds=10)
    await desk.runtime.tasks.idle()
    update = redrawn(desk)[-1]
    assert update.accepted, update.result
    shown = json.dumps(update.params, ensure_ascii=False)
    assert "03-1234-5678" not in shown
    # Said to have been there, in the desk's words, as its copy in the thread says.
    assert "「（お客様が取り消したメッセージです）」「人と話したいです」" in shown
    # Still the same handoff in the same hands: only the words went.
    assert "【引き継ぎ】お客様が担当者を希望" in shown
    assert ADDRESS in shown
    buttons = [
        element["action_id"]
        for block in update.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert (TAKE in buttons) is not taken
    # Sent again, the withdrawal draws nothing more.
    assert not await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await desk.runtime.tasks.idle()
    assert len(redrawn(desk)) == before + 1


async def test_words_said_after_the_handoff_leave_its_message_as_it_was(desk: Desk) -> None:
    # Every withdrawal drew the handoff message again (one chat.update more), though one of
    # words relayed into the thread after it was posted changes nothing the message quotes.
    chat = await desk.chat()
    await chat.send(text=ADDRESS)
    await chat.send(text="人と話したいです")
    await desk.runtime.tasks.idle()
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    before = len(redrawn(desk))
    await chat.send(text=WORDS, event_id="said-2")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    (relayed,) = in_thread(desk)
    conversation = chat.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-2"
    assert await desk.runtime.engine.withdraw("webchat", conversation, "webchat:withdrawal:2", said)
    await desk.fake.wait_for(
        lambda: any(c.params.get("ts") == relayed.result["ts"] for c in desk.updates()),
        seconds=10,
    )
    await desk.runtime.tasks.idle()
    assert len(redrawn(desk)) == before


async def test_words_said_after_the_handoff_never_show_in_its_message(desk: Desk) -> None:
    # Drawn again when the console took the conversation, the handoff message quoted the
    # subscriber's latest lines, said after it was posted (and relayed into its thread); a
    # withdrawal of them, which leaves a message posted before them alone, left them there.
    chat = await desk.chat()
    await chat.send(text=ADDRESS)
    await chat.send(text="人と話したいです")
    await desk.runtime.tasks.idle()
    await chat.send(text=WORDS, event_id="said-3")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    taken = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/take",
        json={"agent": "佐藤"},
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert taken.status_code == 200, taken.text
    await desk.wait_for_updates(1)
    await desk.runtime.tasks.idle()
    conversation = chat.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-3"
    assert await desk.runtime.engine.withdraw("webchat", conversation, "webchat:withdrawal:3", said)
    await desk.runtime.tasks.idle()
    shown = json.dumps((redrawn(desk) or desk.posts())[-1].params, ensure_ascii=False)
    assert "03-1234-5678" not in shown
    assert "佐藤" in shown  # in the hands it is in
