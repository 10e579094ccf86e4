"""CHATWOOT_WEBHOOK_TOKEN rotated without losing a delivery: the new token beside the old.

The token is a segment of the webhook's path, and Chatwoot does not send a delivery again
after a 404. With one token at a time, every message between the rollout and the change of
the URL in Chatwoot's agent bot and account webhook settings (or the other way round) was
lost: the subscriber wrote and the bot never answered. `CHATWOOT_WEBHOOK_TOKEN=<new>,<old>`
takes both, as CHATWOOT_WEBHOOK_SECRET takes two secrets; the first is the one to give
Chatwoot, and a delivery to an older one is said in the log (never the token) until
Chatwoot's settings name the new one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest

from adapters.chatwoot.channel import MAX_WEBHOOK_BYTES
from adapters.chatwoot.config import ChatwootConfig
from bot.channels.registry import available_factories
from bot.ops.settings import ConfigError, Settings
from bot.server import build_app
from tests.adapters.channel_contract import load_payload
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, FakeChatwoot, running_chatwoot

NEW: Final = "Xk3_9fQ-2LmPz8Rt~wY.5vB"
OLD: Final = "cw-webhook-0123456789abcdef"
ENVIRON: Final = {
    "CHATWOOT_URL": "https://chatwoot.example.jp",
    "CHATWOOT_API_TOKEN": API_TOKEN,
    "CHATWOOT_ACCOUNT_ID": ACCOUNT,
}


def test_the_new_token_and_the_old_are_both_taken() -> None:
    config = ChatwootConfig.from_environ({**ENVIRON, "CHATWOOT_WEBHOOK_TOKEN": f" {NEW} , {OLD} "})
    assert config is not None
    assert config.webhook_token == NEW
    assert config.previous_webhook_tokens == (OLD,)
    # Neither is shown where a configuration is printed.
    assert NEW not in repr(config)
    assert OLD not in repr(config)


@pytest.mark.parametrize(
    "previous",
    ["short", "aaaaaaaaaaaaaaaaaaaaaaaa", "cw/webhook-0123456789abcdef"],
)
def test_a_weak_previous_token_is_refused_as_the_first_is(previous: str) -> None:
    # A previous token opens the webhook as the first does: it must be as hard to guess.
    with pytest.raises(ConfigError, match="CHATWOOT_WEBHOOK_TOKEN") as refused:
        ChatwootConfig.from_environ({**ENVIRON, "CHATWOOT_WEBHOOK_TOKEN": f"{NEW},{previous}"})
    assert previous not in str(refused.value)
    assert NEW not in str(refused.value)


def message(text: str, n: int) -> dict[str, Any]:
    payload = load_payload("chatwoot", "message_created")
    payload["id"] = 7000 + n
    payload["content"] = text
    payload["conversation"]["id"] = 4000 + n
    return payload


@pytest.fixture
async def chatwoot() -> AsyncIterator[FakeChatwoot]:
    async with running_chatwoot() as fake:
        yield fake


async def test_a_delivery_to_the_old_path_is_answered_while_chatwoot_still_names_it(
    tmp_path: Path, chatwoot: FakeChatwoot, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        **ENVIRON,
        "CHATWOOT_URL": chatwoot.url,
        "CHATWOOT_WEBHOOK_TOKEN": f"{NEW},{OLD}",
    }
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=environ)
    others = tuple(n for n in available_factories() if n != "chatwoot")
    app = build_app(settings, exclude_channels=others)
    caplog.set_level(logging.INFO)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            for n, token in enumerate((OLD, NEW), start=1):
                response = await client.post(
                    f"/webhooks/chatwoot/{token}", json=message("こんにちは", n)
                )
                assert response.status_code == 200, (token == NEW, response.text)
                # The subscriber is answered in their own conversation.
                await chatwoot.wait_for(
                    lambda n=n: (
                        str(4000 + n)  # type: ignore[misc]
                        in {m["conversation"] for m in chatwoot.messages()}
                    )
                )
            # An agent's long reply weighs as much at the old path as at the new.
            big = message("あ" * 10, 9)
            big["padding"] = "x" * (200 * 1024)
            body = json.dumps(big).encode()
            assert len(body) < MAX_WEBHOOK_BYTES
            for token in (OLD, NEW):
                response = await client.post(
                    f"/webhooks/chatwoot/{token}",
                    content=body,
                    headers={"content-type": "application/json"},
                )
                assert response.status_code == 200, (token == NEW, response.status_code)
            # Any other token is an unknown path, as before.
            response = await client.post(
                f"/webhooks/chatwoot/{OLD[:-1]}x", json=message("こんにちは", 3)
            )
            assert response.status_code == 404
    said = [r.getMessage() for r in caplog.records if "previous" in r.getMessage()]
    # The operator learns that Chatwoot still sends to the old URL, and from which setting,
    # once (the new path's delivery says nothing), and never reads a token.
    assert len(said) == 1, said
    assert "CHATWOOT_WEBHOOK_TOKEN" in said[0]
    ours = [r.getMessage() for r in caplog.records if r.name != "httpx"]  # httpx: the test's
    assert all(NEW not in line and OLD not in line for line in ours)
