"""A take or close acts on the conversation as the agent read it (`expected_holder`), or not at all.

The console's 「対応を引き継ぐ」 acts on its last read, up to a poll (2 s) old. A subscriber who
went back to the bot in between (another agent's hand-back here, the late-reply notice's
button in the product), or a conversation closed meanwhile, was taken all the same and the
subscriber told a person has them, just after the bot's words said otherwise; a close asked
them 「解決しましたか？」 right after the bot said it carries on. Slack's 「対応する」
already refused such a press; the API refuses it when the request says what it read.
"""

from __future__ import annotations

import httpx
import pytest

from tests.bot.desk.test_agent_api import SATO, SUZUKI, Chat, check, two_agents  # noqa: F401

TAKE = "/api/agent/conversations/{key}/take"
CLOSE = "/api/agent/conversations/{key}/close"


@pytest.fixture
def client(two_agents: httpx.AsyncClient) -> httpx.AsyncClient:  # noqa: F811
    """The agent API with 佐藤 and 鈴木."""
    return two_agents


async def _waiting(client: httpx.AsyncClient) -> tuple[Chat, str]:
    chat = await Chat.start(client)
    await chat.send(text="担当者と話したい")
    path = f"/api/agent/conversations/{chat.key}"
    read = (await client.get(path, headers=SATO)).json()
    assert read["holder"] == "queue"
    return chat, path


def _bots_after_the_handoff(read: dict[str, object]) -> list[str]:
    lines = read["transcript"]
    assert isinstance(lines, list)
    at = max(n for n, x in enumerate(lines) if str(x["text"]).startswith("handoff: "))
    return [str(x["text"]) for x in lines[at:] if x["author"] == "bot"]


@pytest.mark.parametrize(("meanwhile", "now"), [("handback", "bot"), ("close", "closed")])
async def test_a_take_of_a_waiting_conversation_that_changed_since_it_was_read_is_refused(
    client: httpx.AsyncClient, meanwhile: str, now: str
) -> None:
    chat, path = await _waiting(client)
    # 佐藤 read it waiting; before her press, 鈴木 gave it to the bot (or closed it).
    assert (await client.post(f"{path}/{meanwhile}", headers=SUZUKI, json={})).status_code == 200
    before = (await client.get(path, headers=SATO)).json()
    refused = await client.post(
        f"{path}/take", headers=SATO, json={"agent": "佐藤", "expected_holder": "queue"}
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["holder"] == now
    assert "changed since it was read" in refused.json()["error"]
    check(TAKE, "post", 409, refused.json())
    after = (await client.get(path, headers=SATO)).json()
    # Nothing taken, and nothing said to the subscriber (「ここからはサポート担当の佐藤が…」
    # after the bot's greeting, or a follow-up of a closed case).
    assert (after["owner"], after["holder"]) == (before["owner"], now)
    assert after["transcript"] == before["transcript"]
    assert not [m for m in await chat.history() if "佐藤" in str(m)]


async def test_a_take_over_from_an_agent_who_handed_it_back_meanwhile_is_refused(
    client: httpx.AsyncClient,
) -> None:
    _, path = await _waiting(client)
    assert (await client.post(f"{path}/take", headers=SATO)).status_code == 200
    # 鈴木 read it as 佐藤's and pressed 「引き継ぐ」 as she gave it back to the bot.
    assert (await client.post(f"{path}/handback", headers=SATO, json={})).status_code == 200
    refused = await client.post(
        f"{path}/take",
        headers=SUZUKI,
        json={"take_over_from": "佐藤", "expected_holder": "agent"},
    )
    assert (refused.status_code, refused.json()["holder"]) == (409, "bot")
    check(TAKE, "post", 409, refused.json())
    read = (await client.get(path, headers=SUZUKI)).json()
    assert (read["owner"], read["agent"]) == ("bot", None)
    assert "ここからはサポート担当の鈴木" not in " ".join(_bots_after_the_handoff(read))


async def test_a_take_as_read_goes_through_and_without_it_as_before(
    client: httpx.AsyncClient,
) -> None:
    _, path = await _waiting(client)
    taken = await client.post(f"{path}/take", headers=SATO, json={"expected_holder": "queue"})
    assert taken.status_code == 200, taken.text
    check(TAKE, "post", 200, taken.json())
    # Taken by herself in another tab: hers, whatever the tab read.
    again = await client.post(f"{path}/take", headers=SATO, json={"expected_holder": "queue"})
    assert again.status_code == 200
    # A bot's conversation read as the bot's, and one closed, read so.
    chat = await Chat.start(client)
    bots = f"/api/agent/conversations/{chat.key}"
    taken = await client.post(f"{bots}/take", headers=SUZUKI, json={"expected_holder": "bot"})
    assert taken.status_code == 200
    assert (await client.post(f"{bots}/close", headers=SUZUKI)).status_code == 200
    followed = await client.post(f"{bots}/take", headers=SATO, json={"expected_holder": "closed"})
    assert followed.status_code == 200
    # Without it, a tool that never read the conversation takes it whoever has it (but
    # another agent), as it always could.
    chat = await Chat.start(client)
    path = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{path}/take", headers=SATO, json={})).status_code == 200


async def test_a_holder_that_is_not_one_is_refused_naming_the_field(
    client: httpx.AsyncClient,
) -> None:
    _, path = await _waiting(client)
    refused = await client.post(f"{path}/take", headers=SATO, json={"expected_holder": "me"})
    assert refused.status_code == 422
    assert "expected_holder" in refused.text


async def test_a_close_of_a_waiting_conversation_gone_back_to_the_bot_since_is_refused(
    client: httpx.AsyncClient,
) -> None:
    _, path = await _waiting(client)
    # 佐藤 read it waiting and opened 「終了」; 鈴木 gave it to the bot before she confirmed.
    assert (await client.post(f"{path}/handback", headers=SUZUKI, json={})).status_code == 200
    before = (await client.get(path, headers=SATO)).json()
    refused = await client.post(f"{path}/close", headers=SATO, json={"expected_holder": "queue"})
    assert (refused.status_code, refused.json()["holder"]) == (409, "bot")
    check(CLOSE, "post", 409, refused.json())
    after = (await client.get(path, headers=SATO)).json()
    assert after["owner"] == "bot"
    assert after["transcript"] == before["transcript"]
    # Read as the bot's (or as closed, again), it closes as before.
    closed = await client.post(f"{path}/close", headers=SATO, json={"expected_holder": "bot"})
    assert closed.status_code == 200
    again = await client.post(f"{path}/close", headers=SATO, json={"expected_holder": "closed"})
    assert again.status_code == 200
