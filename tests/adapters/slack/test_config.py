"""What switches Slack on: the subscribers' app, Socket Mode, and the agents' desk."""

from __future__ import annotations

import pytest

from adapters.slack.config import SlackConfig, SlackDeskConfig
from bot.ops.settings import ConfigError

DESK = {
    "SLACK_AGENTS_CHANNEL": "C0AGENTS",
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-maildesk",
    "SLACK_SIGNING_SECRET": "3c1f0a9d7e5b4c2a8f6e0d1b9c7a5e3f",
    "SLACK_API_URL": "http://127.0.0.1:9/slack/api",
}


def test_credentials_switch_socket_mode() -> None:
    assert SlackConfig.from_environ({"SLACK_BOT_TOKEN": "xoxb"}) is None
    http = SlackConfig.from_environ({"SLACK_BOT_TOKEN": "xoxb", "SLACK_SIGNING_SECRET": "s"})
    assert http is not None
    assert not http.socket_mode
    assert http.api_url == "https://slack.com/api/"
    socket = SlackConfig.from_environ({"SLACK_BOT_TOKEN": "xoxb", "SLACK_APP_TOKEN": "xapp"})
    assert socket is not None
    assert socket.socket_mode


def test_a_desk_app_of_its_own_overrides_the_shared_credentials() -> None:
    config = SlackDeskConfig.from_environ(DESK)
    assert config is not None
    assert (config.bot_token, config.signing_secret) == (
        DESK["SLACK_BOT_TOKEN"],
        DESK["SLACK_SIGNING_SECRET"],
    )
    own = {**DESK, "SLACK_AGENTS_BOT_TOKEN": "xoxb-desk", "SLACK_AGENTS_SIGNING_SECRET": "ds"}
    config = SlackDeskConfig.from_environ(own)
    assert config is not None
    assert (config.bot_token, config.signing_secret) == ("xoxb-desk", "ds")
    assert config.api_url == "http://127.0.0.1:9/slack/api/"
    for missing in ("SLACK_AGENTS_CHANNEL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert SlackDeskConfig.from_environ({**DESK, missing: ""}) is None


def test_a_channel_name_instead_of_an_id_is_refused() -> None:
    with pytest.raises(ConfigError, match="channel id"):
        SlackDeskConfig.from_environ({**DESK, "SLACK_AGENTS_CHANNEL": "#desk"})
