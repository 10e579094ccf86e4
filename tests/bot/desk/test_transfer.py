"""An agent hands a held conversation to a named colleague (POST .../transfer).

Before, only the colleague could take it (「引き継ぐ」 naming the agent who had it), and the
subscriber read a new name under the next message with no word of why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import SPEC, Chat, check, client_for

SATO = "sato-token-0123456789"
BARE = "bare-token-0123456789"
TRANSFER = "/api/agent/conversations/{key}/transfer"
HANDED_ON = "ここからは、サポート担当の鈴木が引き継いでご案内します。"


def as_agent(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{SATO}", BARE)
    )
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        yield client


async def _held_by_sato(client: httpx.AsyncClient) -> Chat:
    chat = await Chat.start(client)
    await chat.send(text="こんにちは")
    url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{url}/take", headers=as_agent(SATO))).status_code == 200
    body = {"text": "佐藤です。確認します。", "event_id": "1"}
    assert (await client.post(f"{url}/messages", headers=as_agent(SATO), json=body)).is_success
    return chat


def _said(history: list[dict[str, object]], words: str) -> int:
    return sum(1 for line in history if words in str(line.get("reply")))


async def test_the_colleague_has_it_and_the_subscriber_is_told(client: httpx.AsyncClient) -> None:
    chat = await _held_by_sato(client)
    url = f"/api/agent/conversations/{chat.key}"
    handed = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(SATO), json={"to": "鈴木"}
    )
    assert handed.status_code == 200, handed.text
    check(TRANSFER.replace("{key}", "{key}"), "post", 200, handed.json())
    read = (await client.get(url, headers=as_agent(SATO))).json()
    check("/api/agent/conversations/{key}", "get", 200, read)
    assert (read["holder"], read["agent"]) == ("agent", "鈴木")
    line = read["transcript"][-1]
    assert line["text"] == "taken over by 鈴木 from 佐藤"
    assert line["note"] == {
        "type": "take_over",
        "agent": "鈴木",
        "taken_from": "佐藤",
        "by": "佐藤",
    }
    assert _said(await chat.history(), HANDED_ON) == 1
    page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
    assert (page.json()["owner"], page.json()["agent"]) == ("agent", "鈴木")
    # 佐藤's words now would be a take-over: refused, naming the colleague.
    again = await client.post(
        f"{url}/messages", headers=as_agent(SATO), json={"text": "まだいます", "event_id": "2"}
    )
    assert (again.status_code, again.json()["agent"]) == (409, "鈴木")
    # 鈴木 (a bare token with the name) writes without taking it first.
    body = {"text": "鈴木です。", "event_id": "3", "agent": "鈴木"}
    assert (await client.post(f"{url}/messages", headers=as_agent(BARE), json=body)).is_success
    # Sent again (a retry, a double click): nothing more is said.
    repeated = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(BARE), json={"to": "鈴木", "agent": "鈴木"}
    )
    assert repeated.status_code == 200
    assert _said(await chat.history(), HANDED_ON) == 1


async def test_only_the_holder_hands_it_on_and_only_to_a_named_colleague(
    client: httpx.AsyncClient,
) -> None:
    chat = await _held_by_sato(client)
    path = TRANSFER.format(key=chat.key)
    other = await client.post(path, headers=as_agent(BARE), json={"to": "田中", "agent": "鈴木"})
    assert (other.status_code, other.json()["agent"]) == (409, "佐藤")
    # An empty name too: it gave the conversation to nobody and told the subscriber
    # 「ここからは、サポート担当のが引き継いでご案内します」.
    # Each with the `reason` the console words in the agent's language (it read
    # 「入力内容をご確認ください（to: name the colleague who takes the conversation）」).
    for nobody, reason in (
        ({"to": "agent"}, "to"),
        ({"to": "an agent"}, "to"),
        ({"to": " "}, "to"),
        ({"to": "鈴木\u202e"}, "to"),
        ({"to": SATO}, "to_token"),
        ({"to": f"鈴木 {BARE}"}, "to_token"),
        ({}, "to"),
        ({"to": ""}, "to"),
        ({"to": None}, "to"),
    ):
        refused = await client.post(path, headers=as_agent(SATO), json=nobody)
        assert refused.status_code == 422, (nobody, refused.text)
        assert refused.json()["reason"] == reason, nobody
        check(TRANSFER, "post", 422, refused.json())
        assert SATO not in refused.text
        assert BARE not in refused.text
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=as_agent(SATO))
    assert (read.json()["holder"], read.json()["agent"]) == ("agent", "佐藤")
    assert _said(await chat.history(), "引き継いでご案内します") == 0
    to = SPEC["components"]["schemas"]["Transfer"]["properties"]["to"]
    assert not jsonschema.Draft202012Validator(to).is_valid("")
    bots = await Chat.start(client)
    await bots.send(text="こんにちは")
    by_bot = await client.post(
        TRANSFER.format(key=bots.key), headers=as_agent(SATO), json={"to": "鈴木"}
    )
    assert (by_bot.status_code, by_bot.json()["reason"]) == (409, "bot")
    check(TRANSFER, "post", 409, by_bot.json())
    closed = f"/api/agent/conversations/{bots.key}/close"
    assert (await client.post(closed, headers=as_agent(SATO))).status_code == 200
    after = await client.post(
        TRANSFER.format(key=bots.key), headers=as_agent(SATO), json={"to": "鈴木"}
    )
    assert (after.status_code, after.json()["reason"]) == (409, "closed")
    check(TRANSFER, "post", 409, after.json())


async def test_from_the_queue_the_colleague_takes_it_without_a_second_notice(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    await chat.send(text="担当者と話したい")
    handed = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(SATO), json={"to": "鈴木"}
    )
    assert handed.status_code == 200, handed.text
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=as_agent(SATO))).json()
    assert (read["holder"], read["agent"]) == ("agent", "鈴木")
    assert _said(await chat.history(), "引き継いでご案内します") == 0


async def test_a_take_over_from_a_colleague_tells_the_subscriber_once(
    client: httpx.AsyncClient,
) -> None:
    # 鈴木 takes over 佐藤's conversation in the console (「引き継ぐ」, take_over_from): the
    # subscriber, who had 佐藤's words, read 鈴木's name under the next message with no word
    # of why (desk5). Told as a transfer tells them; taking it again says nothing more.
    chat = await _held_by_sato(client)
    url = f"/api/agent/conversations/{chat.key}"
    body = {"agent": "鈴木", "take_over_from": "佐藤"}
    for _ in range(2):
        taken = await client.post(f"{url}/take", headers=as_agent(BARE), json=body)
        assert taken.status_code == 200, taken.text
    read = (await client.get(url, headers=as_agent(SATO))).json()
    assert (read["holder"], read["agent"]) == ("agent", "鈴木")
    assert _said(await chat.history(), HANDED_ON) == 1


async def test_a_take_and_a_transfer_answer_who_has_it_now(client: httpx.AsyncClient) -> None:
    # The answer was the conversation alone: with curl, a take or a transfer said nothing of
    # who had it, and only a read after it told (desk5).
    chat = await Chat.start(client)
    url = f"/api/agent/conversations/{chat.key}"
    for _ in range(2):  # taken, then taken by the same agent again
        taken = await client.post(f"{url}/take", headers=as_agent(SATO))
        assert taken.status_code == 200, taken.text
        check("/api/agent/conversations/{key}/take", "post", 200, taken.json())
        held = taken.json()
        assert (held["holder"], held["agent"], held["agent_name"]) == ("agent", "佐藤", "佐藤")
    handed = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(SATO), json={"to": "鈴木"}
    )
    check(TRANSFER, "post", 200, handed.json())
    assert (handed.json()["holder"], handed.json()["agent"]) == ("agent", "鈴木")


@pytest.mark.parametrize("how", ["transfer", "take_over"])
async def test_a_question_asked_before_a_colleague_took_it_is_answered_at_the_hand_back(
    client: httpx.AsyncClient, how: str
) -> None:
    # 「パスワードは変わりますか？」 to 佐藤; 鈴木 has it from her and hands it back without a word:
    # the notice that 鈴木 takes over was the bot's last words, and the hand-back read the
    # question as answered by them (desk5).
    chat = await _held_by_sato(client)
    await chat.send(text="パスワードは変わりますか？")
    url = f"/api/agent/conversations/{chat.key}"
    if how == "transfer":
        moved = await client.post(f"{url}/transfer", headers=as_agent(SATO), json={"to": "鈴木"})
    else:
        body = {"agent": "鈴木", "take_over_from": "佐藤"}
        moved = await client.post(f"{url}/take", headers=as_agent(BARE), json=body)
    assert moved.status_code == 200, moved.text
    back = await client.post(f"{url}/handback", headers=as_agent(BARE), json={"agent": "鈴木"})
    assert back.status_code == 200, back.text
    said = " ".join(str(reply.get("text")) for reply in back.json()["replies"])
    assert "「パスワードは変わりますか？」についてお答えします" in said
