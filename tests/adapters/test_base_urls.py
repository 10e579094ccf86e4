"""A platform's or Chatwoot's base URL that no HTTP client can call stops start-up in one line.

`CHATWOOT_URL=chatwoot.example.jp` (no scheme) started the server with a warning, and every
handoff, mirror and reply through Chatwoot failed afterwards ("UnsupportedProtocol").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from adapters.chatwoot.config import ChatwootConfig
from adapters.line.config import LineConfig
from adapters.slack.config import SlackConfig
from adapters.telegram.config import TelegramConfig
from bot.ops.settings import ConfigError

SECRET = "Xk3j9Qp2Lm7Rt5VwZZ"
CHANNELS: dict[str, tuple[Callable[[Mapping[str, str]], object], dict[str, str]]] = {
    "CHATWOOT_URL": (
        ChatwootConfig.from_environ,
        {"CHATWOOT_API_TOKEN": "t", "CHATWOOT_ACCOUNT_ID": "1", "CHATWOOT_WEBHOOK_TOKEN": SECRET},
    ),
    "SLACK_API_URL": (
        SlackConfig.from_environ,
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": SECRET},
    ),
    "TELEGRAM_API_URL": (
        TelegramConfig.from_environ,
        {"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_SECRET": "s"},
    ),
    "LINE_API_URL": (
        LineConfig.from_environ,
        {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "t"},
    ),
}


@pytest.mark.parametrize("variable", sorted(CHANNELS))
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("chatwoot.example.jp", "must start with https:// (or http://) and name a host"),
        ("ftp://chatwoot.example.jp", "must start with https:// (or http://) and name a host"),
        ("https://", "must start with https:// (or http://) and name a host"),
        (
            "https://chatwoot.example.jp:99999",
            "is not a valid URL: invalid port number (a port is 1-65535)",
        ),
        (
            "https://chat woot.example.jp",
            "is not a valid URL: it holds a space, a line break or a control character",
        ),
    ],
)
def test_a_base_url_no_client_can_call_is_refused_naming_its_variable(
    variable: str, value: str, problem: str
) -> None:
    read, environ = CHANNELS[variable]
    with pytest.raises(ConfigError) as raised:
        read({**environ, variable: value})
    assert str(raised.value) == f"{variable} {problem}"


@pytest.mark.parametrize("variable", sorted(CHANNELS))
def test_a_base_url_read_from_a_file_loses_its_line_break(variable: str) -> None:
    read, environ = CHANNELS[variable]
    config = read({**environ, variable: "http://127.0.0.1:8000\n"})
    attribute = "url" if variable == "CHATWOOT_URL" else "api_url"
    assert getattr(config, attribute).rstrip("/") == "http://127.0.0.1:8000"
