"""CHATWOOT_WEBHOOK_TOKEN is a path segment of the webhook's URL and its only protection.

A token holding `/`, `?`, `#`, `%` or a space cannot be the one segment the route reads
(`/webhooks/chatwoot/{token}`): every delivery got 404 and Chatwoot does not retry, so
the bot never answered, with nothing said at start-up. A token of few different characters
is guessed. Both are refused at start-up, naming the variable and not the token.
"""

from __future__ import annotations

import hmac
from pathlib import Path

import httpx
import pytest

from adapters.chatwoot.config import ChatwootConfig
from bot.channels.registry import available_factories
from bot.ops.settings import ConfigError, Settings
from bot.server import build_app
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, FakeChatwoot

ENVIRON = {
    "CHATWOOT_URL": "https://chatwoot.example.jp",
    "CHATWOOT_API_TOKEN": "cw-agent-bot-token-0123456789",
    "CHATWOOT_ACCOUNT_ID": "7",
}


@pytest.mark.parametrize(
    "token",
    [
        "cw/webhook-0123456789abcdef",
        "cw?webhook-0123456789abcdef",
        "cw#webhook-0123456789abcdef",
        "cw%2Fwebhook-0123456789abcd",
        "cw webhook 0123456789abcdef",
        "aaaaaaaaaaaaaaaaaaaaaaaa",
    ],
)
def test_a_token_the_url_cannot_carry_or_a_guesser_finds_is_refused(token: str) -> None:
    with pytest.raises(ConfigError, match="CHATWOOT_WEBHOOK_TOKEN") as refused:
        ChatwootConfig.from_environ({**ENVIRON, "CHATWOOT_WEBHOOK_TOKEN": token})
    assert token not in str(refused.value)


def test_a_generated_token_is_taken() -> None:
    token = "Xk3_9fQ-2LmPz8Rt~wY.5vB"
    config = ChatwootConfig.from_environ({**ENVIRON, "CHATWOOT_WEBHOOK_TOKEN": token})
    assert config is not None
    assert config.webhook_token == token


async def test_the_token_check_compares_equal_lengths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # compare_digest returns at once on two lengths: compared as sent, the time of a 401
    # told a guesser how long the token in the URL is (attacker9). Each comparison is of one
    # length, whatever the path holds.
    token = "Xk3_9fQ-2LmPz8Rt~wY.5vB"
    fake = FakeChatwoot()
    await fake.start()
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": token,
    }
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=environ)
    others = tuple(n for n in available_factories() if n != "chatwoot")
    app = build_app(settings, exclude_channels=others)
    lengths: list[tuple[int, int]] = []
    compare = hmac.compare_digest

    def recorded(a: bytes, b: bytes) -> bool:
        lengths.append((len(a), len(b)))
        return compare(a, b)

    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                monkeypatch.setattr(hmac, "compare_digest", recorded)
                for given in ("x", token[:-1], token + "0", "y" * 200):
                    response = await client.post(f"/webhooks/chatwoot/{given}", json={})
                    assert response.status_code == 404
    finally:
        await fake.stop()
    assert len(lengths) == 4
    assert all(a == b for a, b in lengths), lengths
