"""A conversation handed to a colleague reaches the colleague, not a name nobody acts under.

Where every agent has a named token, the transfer's `to` was kept as typed: 「鈴木 」 (a
space), 「鈴木さん」 (as a Japanese colleague is spoken of) or 「すずき」 gave the conversation to
a name no agent signs in with. The subscriber was told 「サポート担当の鈴木さんが引き継いで」
(a company's own staff with さん, to a customer), and 鈴木's reply was refused, 409 「鈴木さん
has this conversation」, until she took it over from the name, which told the subscriber of a
second colleague. A named agent's name is now found as names are told apart (width, case,
spaces) and without さん/様, and a name no agent can act under is refused (422 `to_unknown`,
with the colleagues' names), nothing said to the subscriber. With a shared (bare) token any
name may be someone signing in with it, and is taken as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import check, client_for
from tests.bot.desk.test_transfer import TRANSFER, _held_by_sato, _said, as_agent

SATO = "sato-token-0123456789"
SUZUKI = "suzuki-token-9876543210"
HANDED_ON = "ここからは、サポート担当の鈴木が引き継いでご案内します。"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(f"佐藤:{SATO}", f"鈴木:{SUZUKI}", "Tanaka:tanaka-token-5647382910"),
    )
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        yield client


@pytest.mark.parametrize("to", ["鈴木 ", "\u3000鈴木", "鈴木さん", "鈴木様", "鈴木 さん"])
async def test_a_named_colleague_is_found_as_she_signs_in(
    client: httpx.AsyncClient, to: str
) -> None:
    chat = await _held_by_sato(client)
    url = f"/api/agent/conversations/{chat.key}"
    handed = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(SATO), json={"to": to}
    )
    assert handed.status_code == 200, handed.text
    assert (handed.json()["agent"], handed.json()["agent_name"]) == ("鈴木", "鈴木")
    assert _said(await chat.history(), HANDED_ON) == 1
    # 鈴木 writes without taking it first.
    body = {"text": "鈴木です。", "event_id": "s1"}
    wrote = await client.post(f"{url}/messages", headers=as_agent(SUZUKI), json=body)
    assert wrote.status_code == 201, wrote.text


async def test_a_latin_name_is_found_whatever_its_width_and_case(
    client: httpx.AsyncClient,
) -> None:
    chat = await _held_by_sato(client)
    handed = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(SATO), json={"to": "ｔａｎａｋａ"}
    )
    assert (handed.status_code, handed.json()["agent"]) == (200, "Tanaka")


@pytest.mark.parametrize("to", ["すずき", "Suzuki", "高橋"])
async def test_a_name_no_agent_acts_under_is_refused_and_nothing_said(
    client: httpx.AsyncClient, to: str
) -> None:
    chat = await _held_by_sato(client)
    url = f"/api/agent/conversations/{chat.key}"
    before = await chat.history()
    refused = await client.post(
        TRANSFER.format(key=chat.key), headers=as_agent(SATO), json={"to": to}
    )
    assert refused.status_code == 422, refused.text
    check(TRANSFER, "post", 422, refused.json())
    assert refused.json()["reason"] == "to_unknown"
    # The colleagues she can hand it to, as they sign in (not herself).
    assert refused.json()["names"] == ["鈴木", "Tanaka"]
    assert await chat.history() == before
    read = (await client.get(url, headers=as_agent(SATO))).json()
    assert (read["holder"], read["agent"]) == ("agent", "佐藤")
