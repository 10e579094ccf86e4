"""One client cannot flood the human desk: handoffs are limited per client.

Forty web chat conversations asking for a person took 1.1 s from one client (about 360
handoffs an hour), each a notice to the desk (attacker10). Past
`MAILMOVE_WEBCHAT_HANDOFF_LIMIT` handoffs an hour, a client's conversation asking for a
person is not handed over: the subscriber is told, politely, that the requests from their
connection are with the desk, to ask again later or call; the desk hears nothing more, and
the refusal is counted (`mailmove_rejected_requests_total{reason="handoff_limited"}`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from bot.ops.settings import DEFAULT_WEBCHAT_HANDOFF_LIMIT, Settings
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import fixed_clock

CONVERSATIONS = "/api/webchat/conversations"
TOKEN = "agent-token-0123456789"
LIMIT = 2


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(
        Settings(
            store_url=f"sqlite:///{tmp_path}/s.sqlite3",
            agent_tokens=(TOKEN,),
            webchat_handoff_limit=LIMIT,
        ),
        clock=fixed_clock(),
    )
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, address: str = "192.0.2.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def ask_for_a_person(chat: httpx.AsyncClient, body: dict[str, str]) -> tuple[str, str]:
    """A new conversation asks for a person: its id and the bot's words."""
    created = await chat.post(CONVERSATIONS, json={})
    conversation = created.json()["conversation_id"]
    answer = await chat.post(f"{CONVERSATIONS}/{conversation}/messages", json=body)
    assert answer.status_code == 200
    words = "\n".join(str(reply.get("text", "")) for reply in answer.json()["replies"])
    return conversation, words


async def owners(app: Starlette) -> list[Owner]:
    return [record.owner for record in await app.state.runtime.engine.store.list_records()]


@pytest.mark.parametrize("body", [{"choice": "human"}, {"text": "担当者と話したい"}])
async def test_past_the_limit_a_client_is_told_and_the_desk_hears_nothing_more(
    app: Starlette, body: dict[str, str]
) -> None:
    texts = app.state.runtime.catalogs
    async with client(app) as one:
        said = [(await ask_for_a_person(one, body))[1] for _ in range(LIMIT + 2)]
    for words in said[:LIMIT]:
        assert texts.raw("ja", "handoff.started") in words
    for words in said[LIMIT:]:
        assert texts.raw("ja", "handoff.started") not in words
        assert "担当者へのご依頼をすでに何度かお受けしています" in words
        # Where to call instead, from the profile.
        assert app.state.runtime.engine.profile.support.contact_ja in words
    assert sorted(await owners(app)) == sorted([Owner.AGENT] * LIMIT + [Owner.BOT] * 2)
    async with client(app) as one:
        metrics = (await one.get("/metrics")).text
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
    }
    labels = (("channel", "webchat"), ("reason", "handoff_limited"))
    assert samples[("mailmove_rejected_requests_total", labels)] == 2


async def test_another_client_still_reaches_a_person_and_the_held_chat_goes_on(
    app: Starlette,
) -> None:
    texts = app.state.runtime.catalogs
    async with client(app) as one, client(app, "192.0.2.2") as other:
        for _ in range(LIMIT):
            await ask_for_a_person(one, {"choice": "human"})
        held, words = await ask_for_a_person(one, {"choice": "human"})
        assert texts.raw("ja", "handoff.started") not in words
        # The conversation stays with the bot: the questionnaire goes on.
        answer = await one.post(f"{CONVERSATIONS}/{held}/messages", json={"choice": "yes"})
        assert answer.status_code == 200
        assert answer.json()["replies"]
        _, words = await ask_for_a_person(other, {"choice": "human"})
        assert texts.raw("ja", "handoff.started") in words


async def test_in_english_the_subscriber_is_told_in_english(app: Starlette) -> None:
    async with client(app) as one:
        for _ in range(LIMIT):
            await ask_for_a_person(one, {"choice": "human"})
        created = await one.post(CONVERSATIONS, json={"locale": "en"})
        conversation = created.json()["conversation_id"]
        answer = await one.post(
            f"{CONVERSATIONS}/{conversation}/messages", json={"text": "I want to talk to a person"}
        )
    words = "\n".join(str(reply.get("text", "")) for reply in answer.json()["replies"])
    assert "We have already received several requests for a person" in words


def test_the_default_never_bothers_a_subscriber_asking_a_few_times() -> None:
    # One person asks a few times at most; a household or office behind one address a few
    # more. Forty an hour from one client is not a person.
    assert 10 <= DEFAULT_WEBCHAT_HANDOFF_LIMIT < 40
    assert Settings().webchat_handoff_limit == DEFAULT_WEBCHAT_HANDOFF_LIMIT
