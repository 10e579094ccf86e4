"""An agent's mirror reply refused for a password is deleted from the mirror (desk7).

Refused, it reached no subscriber, but it stayed in the mirror as the agent wrote it: every
agent of the desk inbox read the password there, and Chatwoot's database kept it. With a
user's token (CHATWOOT_DESK_USER_TOKEN) it is deleted, as the subscriber's withdrawn words
are, and the note says so; without one the note asks the agent to delete it
(`test_mirror_desk.test_a_reply_in_the_mirror_that_is_not_sent_is_said_there`).
"""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import (
    MIRROR,
    WAIT,
    app,
    client,
    fake,
    from_agent,
    handed_off,
    webhook,
)
from tests.fakes.chatwoot_api import USER_TOKEN, FakeChatwoot

__all__ = ["app", "client", "fake"]  # the fixtures this module's tests use

SECRET = "Abc12345"


@pytest.fixture
def desk_user() -> str:
    """A user's token (CHATWOOT_DESK_USER_TOKEN): no agent bot may delete a message."""
    return USER_TOKEN


async def test_a_reply_holding_a_password_is_deleted_from_the_mirror_once(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    notes = len(fake.messages(private=True))
    reply = fake.written(from_agent(subscriber.key, f"仮パスワードは {SECRET} です", 1))
    # Chatwoot has been seen sending one message_created twice: deleted and said once.
    for _ in range(2):
        assert (await webhook(client, reply)).status_code == 200
    await fake.wait_for(lambda: bool(fake.calls_to("chatwoot", "delete")), seconds=WAIT)
    await app.state.runtime.tasks.idle()
    (deleted,) = fake.calls_to("chatwoot", "delete")
    assert deleted.accepted
    assert (deleted.params["conversation"], deleted.params["message"]) == (MIRROR, str(reply["id"]))
    assert SECRET not in str(fake.by_agents)
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert told == [
        "パスワードが書かれているため、この返信はお客様には送られていません。"
        "ほかの担当者に読まれないよう、この返信はChatwootから削除しました。"
        "チャットではパスワードをお伝えしません（会話の記録に残るため）。"
        "お電話や郵送など、別の方法でお伝えください。"
    ]
    page = await subscriber.page()
    assert not [m for m in page["messages"] if m["author"] == "agent"]
    lines = await app.state.runtime.engine.store.transcript(subscriber.key)
    assert SECRET not in str([line.text for line in lines])
