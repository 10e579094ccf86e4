"""Chatwoot's assignment of a mirror to a colleague hands the conversation to them.

佐藤 answered the web chat subscriber from the Chatwoot mirror (her reply took it), then
assigned the mirror to 鈴木 in Chatwoot, its own way of passing a conversation on. mailmove
kept 佐藤 as the holder: the console and Slack named her, and the subscriber read 鈴木's name
under the next message with no word of why. Now 鈴木 has it, as after the console's
「ほかの担当者に渡す」, and the subscriber is told who takes over. An assignment while a
console agent has it hands nothing on. One while it waits in the queue (Chatwoot's round
robin gives a new mirror to one of its online agents) is the assignee's take: Chatwoot
lists it as hers, and the console named nobody, offering it to its agents as waiting.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from adapters.chatwoot.channel import ASSIGNEE_NOTE
from bot.store.conversation_store import Owner
from testbed.clock import IN_WINDOW
from tests.adapters.channel_contract import load_payload
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    INBOX,
    MIRROR,
    app,
    client,
    fake,
    from_agent,
    handed_off,
    mirror_app,
    webhook,
)
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]  # the fixtures this module uses

TOLD = "サポート担当の鈴木が引き継いでご案内します"


def assigned(key: str, name: str, *, to: int = 12) -> dict[str, Any]:
    """Chatwoot's `conversation_updated` for the mirror assigned to agent `to` (`name`)."""
    body = load_payload("chatwoot", "conversation_updated")
    body.update(
        id=int(MIRROR),
        inbox_id=int(INBOX),
        status="open",
        custom_attributes={"mailmove_key": key},
        updated_at=1212345678 + to,
    )
    body["meta"]["assignee"] = {"id": to, "name": name, "type": "user"}
    body["changed_attributes"] = [{"assignee_id": {"previous_value": 3, "current_value": to}}]
    return body


def unassigned(key: str, *, was: int = 11, moment: int = 12) -> dict[str, Any]:
    """Chatwoot's `conversation_updated` for the mirror's assignee (agent `was`) removed."""
    body = assigned(key, "", to=moment)
    body["meta"]["assignee"] = None
    body["changed_attributes"] = [{"assignee_id": {"previous_value": was, "current_value": None}}]
    return body


async def _taken_lines(app: Starlette, key: str) -> list[str]:
    transcript = await app.state.runtime.engine.store.transcript(key)
    return [line.text for line in transcript if line.text.startswith("taken over by")]


async def test_an_assignment_in_chatwoot_hands_her_conversation_to_the_colleague(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    subscriber = await handed_off(app, client)
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert (await webhook(client, assigned(subscriber.key, "鈴木"))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert (await _taken_lines(app, subscriber.key))[-1] == (
        "taken over by 鈴木 (Chatwoot) from 佐藤 (Chatwoot)"
    )
    page = await subscriber.page()
    assert json.dumps(page, ensure_ascii=False).count(TOLD) == 1
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    read = await client.get(f"/api/agent/conversations/{subscriber.key}", headers=bearer)
    assert read.json()["agent"] == "鈴木 (Chatwoot)"
    # Delivered again (Chatwoot's retry): handed on once.
    assert (await webhook(client, assigned(subscriber.key, "鈴木"))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert json.dumps(await subscriber.page(), ensure_ascii=False).count(TOLD) == 1


async def test_an_assignment_in_the_queue_is_the_assignees_take(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    subscriber = await handed_off(app, client)
    # Chatwoot's round robin assigns the new mirror to 鈴木, online in Chatwoot.
    assert (await webhook(client, assigned(subscriber.key, "鈴木", to=11))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert await _taken_lines(app, subscriber.key) == ["taken over by 鈴木 (Chatwoot)"]
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    read = (await client.get(url, headers=bearer)).json()
    assert (read["holder"], read["agent"]) == ("agent", "鈴木 (Chatwoot)")
    # The console's agent takes it only by asking for a take-over, as from any colleague.
    refused = await client.post(f"{url}/take", headers=bearer, json={})
    assert (refused.status_code, refused.json()["agent"]) == (409, "鈴木 (Chatwoot)")
    # The subscriber was told at the handoff that a person comes: nothing more now.
    page = json.dumps(await subscriber.page(), ensure_ascii=False)
    assert "サポート担当の鈴木" not in page
    # Delivered again (Chatwoot's retry): taken once.
    assert (await webhook(client, assigned(subscriber.key, "鈴木", to=11))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert await _taken_lines(app, subscriber.key) == ["taken over by 鈴木 (Chatwoot)"]


async def test_a_mirror_round_robin_assigned_goes_back_to_the_bot_when_the_subscriber_asks(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # Round robin gives the new mirror to 鈴木 before she writes a word: the web chat
    # subscriber's 「自動案内に戻る」 was answered 「担当者がすでに対応を始めております」.
    subscriber = await handed_off(app, client)
    assert (await webhook(client, assigned(subscriber.key, "鈴木", to=11))).status_code == 200
    await app.state.runtime.tasks.idle()
    await subscriber.say("自動案内に戻る")
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.BOT
    page = json.dumps(await subscriber.page(), ensure_ascii=False)
    assert "担当者へのおつなぎを取りやめ" in page
    assert "すでに対応を始めて" not in page


async def test_an_assignment_hands_nothing_on_from_a_console_agent(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    subscriber = await handed_off(app, client)
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=bearer, json={})).status_code == 200
    assert (await webhook(client, assigned(subscriber.key, "鈴木"))).status_code == 200
    await app.state.runtime.tasks.idle()
    read = await client.get(url, headers=bearer)
    assert read.json()["agent"] == AGENT.partition(":")[0]
    assert TOLD not in json.dumps(await subscriber.page(), ensure_ascii=False)


GREETING = "担当者から引き継ぎました"


async def test_a_mirror_unassigned_before_anyone_replied_waits_in_the_queue_again(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Chatwoot's round robin gave the new mirror to 鈴木 (her take), and she (or a lead, or
    # Chatwoot as she left the inbox) removed the assignee before anyone wrote. Chatwoot shows
    # it open and unassigned, waiting; the console and Slack still named 鈴木 and refused a
    # take but as a take-over from her, and nobody answered the subscriber (desk25).
    subscriber = await handed_off(app, client)
    assert (await webhook(client, assigned(subscriber.key, "鈴木", to=11))).status_code == 200
    await app.state.runtime.tasks.idle()
    toggles = fake.toggles()
    for _ in range(2):  # delivered again: once
        assert (await webhook(client, unassigned(subscriber.key))).status_code == 200
    await app.state.runtime.tasks.idle()
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    read = (await client.get(url, headers=bearer)).json()
    assert (read["owner"], read["holder"]) == ("agent", "queue")
    lines = [x["text"] for x in read["transcript"] if x["author"] == "system"]
    assert lines.count("back in the queue from 鈴木 (Chatwoot)") == 1
    # The subscriber, told at the handoff that a person comes, is told nothing; Chatwoot is
    # left as it shows it (open, unassigned).
    page = json.dumps(await subscriber.page(), ensure_ascii=False)
    assert GREETING not in page
    assert fake.toggles() == toggles
    # Waiting again: the next assignment is that assignee's take, and a console agent takes
    # it as from the queue (no take-over).
    assert (await webhook(client, assigned(subscriber.key, "田中", to=14))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert (await _taken_lines(app, subscriber.key))[-1] == "taken over by 田中 (Chatwoot)"
    assert (await webhook(client, unassigned(subscriber.key, was=14, moment=60))).status_code == 200
    await app.state.runtime.tasks.idle()
    taken = await client.post(f"{url}/take", headers=bearer, json={"expected_holder": "queue"})
    assert taken.status_code == 200, taken.text
    read = (await client.get(url, headers=bearer)).json()
    assert (read["holder"], read["agent"]) == ("agent", AGENT.partition(":")[0])


async def test_a_mirror_unassigned_after_its_agent_replied_goes_back_to_the_bot(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # 佐藤 answered from the mirror (her reply took it, and Chatwoot assigned it to her),
    # then removed herself: nobody in Chatwoot has it, as after the contact's own
    # conversation unassigned. The bot has it back, greets once, and the mirror is resolved.
    subscriber = await handed_off(app, client)
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    for _ in range(2):
        assert (await webhook(client, unassigned(subscriber.key, was=3))).status_code == 200
    await fake.wait_for(lambda: (MIRROR, "resolved") in fake.toggles())
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.BOT
    assert json.dumps(await subscriber.page(), ensure_ascii=False).count(GREETING) == 1
    assert fake.toggles().count((MIRROR, "resolved")) == 1


async def test_a_mirror_unassigned_leaves_a_console_agents_conversation_with_them(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=bearer, json={})).status_code == 200
    assert (await webhook(client, unassigned(subscriber.key))).status_code == 200
    await app.state.runtime.tasks.idle()
    read = (await client.get(url, headers=bearer)).json()
    assert (read["holder"], read["agent"]) == ("agent", AGENT.partition(":")[0])
    assert GREETING not in json.dumps(await subscriber.page(), ensure_ascii=False)


async def test_a_mirror_assignment_delivered_after_its_undoing_is_left_alone(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # The round robin's assignment (at +11) delivered after the unassignment (at +12) that
    # undid it: 鈴木 was left holding a mirror Chatwoot showed unassigned (desk25).
    subscriber = await handed_off(app, client)
    assert (await webhook(client, unassigned(subscriber.key))).status_code == 200
    assert (await webhook(client, assigned(subscriber.key, "鈴木", to=11))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert await _taken_lines(app, subscriber.key) == []
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    read = await client.get(f"/api/agent/conversations/{subscriber.key}", headers=bearer)
    assert read.json()["holder"] == "queue"


async def test_an_assignment_note_does_not_extend_the_retention(
    fake: FakeChatwoot, tmp_path: Path, desk_user: str
) -> None:
    # The console's agent took it; twenty days later Chatwoot's assignee changed, which
    # hands her nothing. The note of that change moved the record's `updated_at` to its
    # day, so the conversation (its transcript) was kept twenty days past its retention.
    # Retention runs from the last thing someone wrote or did, not from bookkeeping.
    moment = [IN_WINDOW]
    app = mirror_app(fake, tmp_path, desk_user, lambda: moment[0])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as c:
            subscriber = await handed_off(app, c)
            bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
            url = f"/api/agent/conversations/{subscriber.key}"
            assert (await c.post(f"{url}/take", headers=bearer, json={})).status_code == 200
            moment[0] = IN_WINDOW + dt.timedelta(days=20)
            assert (await webhook(c, assigned(subscriber.key, "鈴木"))).status_code == 200
            await app.state.runtime.tasks.idle()
            store = app.state.runtime.engine.store
            assert any(
                line.text.startswith(ASSIGNEE_NOTE)
                for line in await store.transcript(subscriber.key)
            )
            assert await store.expire(IN_WINDOW + dt.timedelta(days=1)) == 1
            assert await store.load(subscriber.key) is None
