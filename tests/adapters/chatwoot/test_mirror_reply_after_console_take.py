"""A Chatwoot agent's reply in the mirror to a conversation another desk's agent has is refused.

鈴木 took the web chat conversation in the console (or 山田 pressed 「対応する」 in Slack);
佐藤 then answered the subscriber from the Chatwoot mirror, and her words reached the
subscriber beside theirs, as a second agent's (desk26, the lead's policy). Slack's thread
replies are refused so since d3cf810: her reply is not sent, the holder is unchanged, and
the mirror gets a private note naming the holder. Her own conversation (she replied first)
stays hers to write on, and to hand back.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from adapters.slack import desk as slack_desk
from adapters.slack.desk_actions import TAKE
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import fixed_clock
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    INBOX,
    WEBHOOK_TOKEN,
    app,
    client,
    fake,
    from_agent,
    handed_off,
    mirror_status,
    webhook,
)
from tests.adapters.slack.test_desk import AGENTS, Shown, click_payload, form, signed
from tests.adapters.slack.test_desk import environ as slack_environ
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot

__all__ = ["app", "client", "fake"]

BEARER: Final = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}


def refused_naming(agent: str) -> str:
    return (
        f"{agent}さんが対応中のため、この返信はお客様には送られていません。代わりに対応するときは、"
        "mailmoveの会話の記録を開いて「引き継ぐ」を押してから、もう一度お書きください。"
    )


def agents_words(page: dict[str, object]) -> list[str]:
    messages = page["messages"]
    assert isinstance(messages, list)
    return [json.dumps(m, ensure_ascii=False) for m in messages if m["author"] == "agent"]


async def test_a_reply_to_a_console_agents_conversation_is_refused_naming_him(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=BEARER, json={})).status_code == 200
    notes = len(fake.messages(private=True))
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    page = await subscriber.page()
    assert not agents_words(page), page
    assert (page["owner"], page["agent"]) == ("agent", "鈴木")
    read = (await client.get(url, headers=BEARER)).json()
    assert (read["holder"], read["agent"]) == ("agent", "鈴木")
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert told == [refused_naming("鈴木")]
    # Delivered again (Chatwoot has sent one message_created twice): said once.
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert len(fake.messages(private=True)) == notes + 1
    # Nothing of hers in the transcript: the console shows 鈴木's conversation as it was.
    lines = await app.state.runtime.engine.store.transcript(subscriber.key)
    assert not [line for line in lines if line.author == "agent"]
    # 鈴木 writes on, his own conversation still.
    body = {"text": "鈴木です", "event_id": "2"}
    assert (await client.post(f"{url}/messages", headers=BEARER, json=body)).status_code == 201


async def test_her_reply_after_a_console_take_over_from_her_is_refused(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    url = f"/api/agent/conversations/{subscriber.key}"
    # 佐藤 answered first from the mirror: hers, and her words go on reaching the subscriber.
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert (
        await webhook(client, from_agent(subscriber.key, "少々お待ちください", 2))
    ).status_code == 200
    await app.state.runtime.tasks.idle()
    assert len(agents_words(await subscriber.page())) == 2
    # 鈴木 takes it over from her in the console: her next reply is refused, naming him.
    taken = await client.post(f"{url}/take", headers=BEARER, json={"take_over_from": "佐藤"})
    assert taken.status_code == 200, taken.text
    notes = len(fake.messages(private=True))
    assert (
        await webhook(client, from_agent(subscriber.key, "お待たせしました", 3))
    ).status_code == 200
    await app.state.runtime.tasks.idle()
    assert len(agents_words(await subscriber.page())) == 2
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert told == [refused_naming("鈴木")]
    # And the mirror's pending is his to refuse.
    body = {"text": "鈴木です", "event_id": "2"}
    assert (await client.post(f"{url}/messages", headers=BEARER, json=body)).status_code == 201
    await app.state.runtime.tasks.idle()
    assert (await webhook(client, mirror_status(subscriber.key, "pending"))).status_code == 200
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.AGENT


@pytest.fixture
async def both_desks(
    fake: FakeChatwoot, tmp_path: Path
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    """The web chat with two desks: the Chatwoot mirror and Slack's agents' channel."""
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
        **slack_environ(fake.url),
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=environ, agent_tokens=(AGENT,)
    )
    wanted = ("webchat", "chatwoot", "slack_desk")
    others = tuple(n for n in available_factories() if n not in wanted)
    both = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        both.router.lifespan_context(both),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=both), base_url="http://mailmove.test"
        ) as client,
    ):
        yield both, client


async def test_a_reply_in_a_console_agents_conversation_leaves_slack_naming_him(
    both_desks: tuple[Starlette, httpx.AsyncClient], fake: FakeChatwoot
) -> None:
    # Her words joined 鈴木's, and Slack's message then named her (7fe0ebc): refused now,
    # nothing changes hands, and Slack goes on naming 鈴木.
    both, client = both_desks
    runtime = both.state.runtime
    subscriber = await handed_off(both, client)
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=BEARER, json={})).status_code == 200

    def shown() -> str:
        updates = fake.calls_to("slack", "chat.update")
        blocks = updates[-1].params["blocks"] if updates else ""
        return blocks if isinstance(blocks, str) else json.dumps(blocks, ensure_ascii=False)

    await fake.wait_for(lambda: "鈴木さんが対応しています" in shown())
    updates = len(fake.calls_to("slack", "chat.update"))
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await runtime.tasks.idle()
    read = (await client.get(url, headers=BEARER)).json()
    assert (read["holder"], read["agent"]) == ("agent", "鈴木")
    assert len(fake.calls_to("slack", "chat.update")) == updates
    assert not agents_words(await subscriber.page())


async def test_a_reply_in_a_slack_members_conversation_is_refused_naming_her(
    both_desks: tuple[Starlette, httpx.AsyncClient], fake: FakeChatwoot
) -> None:
    both, client = both_desks
    runtime = both.state.runtime
    fake.slack_names["U0AGENT1"] = "山田"
    subscriber = await handed_off(both, client)
    (post,) = fake.calls_to("slack", "chat.postMessage")
    shown = Shown(str(post.result["ts"]), post.params["text"], post.params["blocks"])
    body = form(click_payload(shown, TAKE, 1))
    taken = await client.post(slack_desk.ACTIONS_PATH, content=body, headers=signed(body))
    assert taken.status_code == 200
    await runtime.tasks.idle()
    notes = len(fake.messages(private=True))
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await runtime.tasks.idle()
    assert not agents_words(await subscriber.page())
    told = [note["content"] for note in fake.messages(private=True)[notes:]]
    # By her name, as Slack shows her: her member id is no part of it.
    assert told == [refused_naming("山田")]
    url = f"/api/agent/conversations/{subscriber.key}"
    read = (await client.get(url, headers=BEARER)).json()
    assert read["holder"] == "agent"
    assert read["agent"].startswith("山田")


def thread_words(fake: FakeChatwoot) -> list[str]:
    """What the bot posted in the handoff's thread in Slack, in order."""
    posts = fake.calls_to("slack", "chat.postMessage")
    ts = str(posts[0].result["ts"])
    return [str(c.params["text"]) for c in posts if c.params.get("thread_ts") == ts]


def thread_reply(fake: FakeChatwoot, text: str, n: int) -> bytes:
    """A member's reply in the handoff's thread, as the Events API sends it."""
    ts = str(fake.calls_to("slack", "chat.postMessage")[0].result["ts"])
    event = {"type": "message", "channel": AGENTS, "user": "U0AGENT1", "text": text}
    event |= {"ts": f"1212345999.{n:06d}", "thread_ts": ts}
    return json.dumps({"type": "event_callback", "event_id": f"Ev{n:08d}", "event": event}).encode()


async def test_every_desk_reads_what_the_agents_said_elsewhere(
    both_desks: tuple[Starlette, httpx.AsyncClient], fake: FakeChatwoot
) -> None:
    # Slack's thread and Chatwoot's mirror showed the subscriber's words alone: a console
    # agent's answers (and each desk's agents' answers) were nowhere there, and a colleague
    # who looked saw half the conversation (desk26). Each desk now shows the others' words,
    # marked as an agent's; its own are not posted back to it (no echo, no loop).
    both, client = both_desks
    runtime = both.state.runtime
    fake.slack_names["U0AGENT1"] = "山田"
    subscriber = await handed_off(both, client)
    url = f"/api/agent/conversations/{subscriber.key}"
    notes = len(fake.messages(private=True))
    # 山田 answers first in Slack's thread: the mirror shows it, the thread no copy.
    reply = thread_reply(fake, "山田です", 1)
    sent = await client.post(slack_desk.EVENTS_PATH, content=reply, headers=signed(reply))
    assert sent.status_code == 200
    await runtime.tasks.idle()
    await fake.wait_for(lambda: len(fake.messages(private=True)) > notes)
    mirrored = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert mirrored == ["山田さんがお客様に送った返信:\n山田です"]
    assert thread_words(fake) == []
    # 鈴木 takes it over in the console and answers in two lines: both desks show them,
    # each line marked in the thread.
    taken = await client.post(f"{url}/take", headers=BEARER, json={"take_over_from": "山田"})
    assert taken.status_code == 200, taken.text
    body = {"text": "鈴木です。\nお客様: 確認します", "event_id": "2"}
    assert (await client.post(f"{url}/messages", headers=BEARER, json=body)).status_code == 201
    await runtime.tasks.idle()
    said = "担当者（鈴木）: 鈴木です。\n担当者（鈴木）: お客様: 確認します"
    await fake.wait_for(lambda: said in thread_words(fake))
    await fake.wait_for(lambda: len(fake.messages(private=True)) > notes + 1)
    mirrored = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert mirrored[1:] == ["鈴木さんがお客様に送った返信:\n鈴木です。\nお客様: 確認します"]
    # What the subscriber never read is shown nowhere: a password refused, a reply refused.
    body = {"text": "パスワードは Abc12345 です", "event_id": "3"}
    assert (await client.post(f"{url}/messages", headers=BEARER, json=body)).status_code == 422
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 4))).status_code == 200
    await runtime.tasks.idle()
    assert thread_words(fake) == [said]
    shown = [note["content"] for note in fake.messages(private=True)[notes:]]
    assert not [note for note in shown if "Abc12345" in note or "返信:\n佐藤です" in note]
    # The subscriber read each agent's words once.
    assert len(agents_words(await subscriber.page())) == 2


async def test_a_mirror_reply_is_shown_in_slack_and_not_echoed_to_the_mirror(
    both_desks: tuple[Starlette, httpx.AsyncClient], fake: FakeChatwoot
) -> None:
    both, client = both_desks
    runtime = both.state.runtime
    subscriber = await handed_off(both, client)
    notes = len(fake.messages(private=True))
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await runtime.tasks.idle()
    await fake.wait_for(lambda: bool(thread_words(fake)))
    assert thread_words(fake) == ["担当者（佐藤）: 佐藤です"]
    assert fake.messages(private=True)[notes:] == []
    # Posted as a note, it comes back through the webhook as none of her replies.
    assert len(agents_words(await subscriber.page())) == 1
