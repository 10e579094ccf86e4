"""A login check run while agents have the chat is a private note in the mirror.

Posted as the contact's message, the check's result read like words the subscriber typed,
and words a subscriber types could read like it (「ログイン確認の結果: …成功」).
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from dialogs.vocabulary import Inbound, SystemEvent
from tests.adapters.chatwoot.test_mirror_desk import (
    MIRROR,
    WAIT,
    app,
    client,
    fake,
    handed_off,
)
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]

CHECKED = (("smtp", "auth_failed"), ("pop", "ok"), ("smtp_port", "587"), ("pop_port", "110"))


async def test_a_check_while_agents_have_the_chat_is_a_private_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    runtime = app.state.runtime
    await runtime.engine.handle(
        Inbound(
            channel="webchat",
            conversation_key=subscriber.key.removeprefix("webchat:"),
            event_id="check-result:n1:ran",
            event=SystemEvent("check_result", CHECKED),
        ),
        create=False,
    )
    await runtime.tasks.idle()
    await fake.wait_for(
        lambda: any("ログイン確認の結果" in m["content"] for m in fake.messages(private=True)),
        seconds=WAIT,
    )
    (note,) = [m for m in fake.messages(private=True) if "ログイン確認の結果" in m["content"]]
    assert note["conversation"] == MIRROR
    assert "587" in note["content"]
    assert not [m for m in fake.messages() if "ログイン確認の結果" in m["content"]]
