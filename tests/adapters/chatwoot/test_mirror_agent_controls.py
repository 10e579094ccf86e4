"""A Chatwoot agent's reply reaches the subscriber without control characters.

The agent API refuses a message with a control character other than tab and line breaks,
and the web chat drops them from a subscriber's words, but a reply written in Chatwoot (or
in a Slack thread) went on as written: an escape sequence to a subscriber's terminal, a NUL
and a bell into the web chat's transcript. Found by attacker12.
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import app, client, fake, from_agent, handed_off
from tests.adapters.chatwoot.test_mirror_desk import webhook as post_webhook
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]  # the fixtures this module's tests use


async def test_control_characters_leave_an_agents_reply(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    written = "確認\x1b[2Jいたします\x07\n少々\tお待ちください\x7f\x9b"
    reply = from_agent(subscriber.key, written, 1)
    assert (await post_webhook(client, reply)).status_code == 200
    await app.state.runtime.tasks.idle()
    page = await subscriber.page()
    (line,) = [m for m in page["messages"] if m["author"] == "agent"]
    assert line["reply"]["text"] == "確認[2Jいたします\n少々\tお待ちください"
