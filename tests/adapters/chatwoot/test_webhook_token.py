"""CHATWOOT_WEBHOOK_TOKEN is a path segment of the webhook's URL and its only protection.

A token holding `/`, `?`, `#`, `%` or a space cannot be the one segment the route reads
(`/webhooks/chatwoot/{token}`): every delivery got 404 and Chatwoot does not retry, so
the bot never answered, with nothing said at start-up. A token of few different characters
is guessed. Both are refused at start-up, naming the variable and not the token.
"""

from __future__ import annotations

import pytest

from adapters.chatwoot.config import ChatwootConfig
from bot.ops.settings import ConfigError

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
