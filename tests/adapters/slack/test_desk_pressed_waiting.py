"""A press answered while the chat waits for its agent shows in the thread, once a wait.

The subscriber who presses a button before any agent wrote is told it was passed on
(`desk.pressed_while_waiting`); the agents read the press in the handoff's thread, and now
what the subscriber was told after it. A take from the queue in between (the subscriber sees
none) does not make them read the notice twice; an agent's words end the wait.
"""

from __future__ import annotations

from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk, handed_off
from tests.adapters.slack.test_desk_relay import desk, in_thread, thread_fake

# The relay tests' desk: its fake Slack returns a thread's first message with its metadata.
__all__ = ["desk", "thread_fake"]


async def test_a_press_in_the_queue_is_told_once_and_the_thread_says_so(desk: Desk) -> None:
    catalogs = desk.runtime.catalogs
    waiting = catalogs("ja", "desk.pressed_while_waiting")
    note = catalogs("ja", "summary.pressed_waiting_told")
    chat = await handed_off(desk)
    assert await chat.send(choice="yes") == []
    await desk.fake.wait_for(lambda: len(in_thread(desk)) >= 2, seconds=10)
    await desk.runtime.tasks.idle()
    shown = [call.params["text"] for call in in_thread(desk)]
    assert shown[0].startswith("お客様: はい")
    # The bot's words for the agents, not the subscriber's: no 「お客様: 」 before them.
    assert shown[1:] == [note]
    # Taken from the queue in the console (nothing said to the subscriber), then pressed
    # again: told once.
    taken = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/take",
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
        json={"agent": "佐藤"},
    )
    assert taken.status_code == 200, taken.text
    await desk.runtime.tasks.idle()
    assert await chat.send(choice="no") == []
    await desk.fake.wait_for(lambda: len(in_thread(desk)) >= 3, seconds=10)
    await desk.runtime.tasks.idle()
    shown = [call.params["text"] for call in in_thread(desk)]
    assert shown[2].startswith("お客様: いいえ")
    assert shown[3:] == []
    assert (await chat.history()).count(waiting) == 1
