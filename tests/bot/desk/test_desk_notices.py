"""A desk the first server could not tell of a message left is told by the next one.

The help desk behind the webhook answers 503 to the message left out of hours, and the
server stops before its retry; a new server on the same store (a restart, another
replica) tells the desk. The body carries the message's `notice` id, the same at every
showing, so a help desk that did take the first can drop the second.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.desk_notices import desk_notices_for
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.loopback import serving
from tests.bot.desk.test_agent_api import Chat, Desk, client_for
from tests.bot.desk.test_desk_hours import settings

LATER = IN_WINDOW + dt.timedelta(minutes=5)


async def test_the_next_server_tells_the_webhook_desk_what_the_last_could_not(
    tmp_path: Path,
) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        configured: Settings = settings(tmp_path, f"{url}/hook")
        receiver.fail = True
        first = build_app(configured, clock=fixed_clock())  # Sunday noon: the desk is closed
        async for client in client_for(first):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            await chat.send(choice="desk_message")
            await chat.send(text="送信できません。03-1234-5678 にお電話ください")
            await first.state.runtime.tasks.drain(grace=5.0)  # stopping before the retry
        assert len(receiver.received) == 1
        receiver.fail = False
        second = build_app(configured, clock=fixed_clock(LATER))
        async for _ in client_for(second):
            runtime = second.state.runtime
            assert await runtime.handoffs.retry_overdue() == 1
            await runtime.tasks.idle()
            assert await desk_notices_for(runtime.engine.store).overdue(LATER) == []
    (failed, _), (told, _) = receiver.received
    before, after = json.loads(failed), json.loads(told)
    assert (after["kind"], after["key"]) == ("message_left", chat.key)
    assert after["notice"] == before["notice"] != ""
    assert (before["retried"], after["retried"]) == (False, True)
