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
    assert SlackConfig.from_environ({}) is None
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
    assert SlackDeskConfig.from_environ({**DESK, "SLACK_AGENTS_CHANNEL": ""}) is None


def test_a_channel_name_instead_of_an_id_is_refused() -> None:
    with pytest.raises(ConfigError, match="channel id"):
        SlackDeskConfig.from_environ({**DESK, "SLACK_AGENTS_CHANNEL": "#desk"})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-1111-2222-maildesk"},
            "SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for"
            " Socket Mode): set one of them, or leave the token out",
        ),
        (
            {"SLACK_SIGNING_SECRET": DESK["SLACK_SIGNING_SECRET"]},
            "SLACK_SIGNING_SECRET is set without SLACK_BOT_TOKEN: set the token too,"
            " or leave the secret out",
        ),
        (
            {"SLACK_APP_TOKEN": "xapp-1-A0-secretpart"},
            "SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN: set the token too,"
            " or leave the app token out",
        ),
    ],
)
def test_half_a_slack_configuration_is_refused(environ: dict[str, str], message: str) -> None:
    # Taken as "Slack off": the start-up summary listed Slack among the channels to switch
    # on, nothing said which variable was missing, and Slack's subscribers went unanswered
    # (Telegram and LINE refuse theirs in one line).
    with pytest.raises(ConfigError) as raised:
        SlackConfig.from_environ(environ)
    assert str(raised.value) == message
    for value in environ.values():
        assert value not in str(raised.value)


def test_the_agents_desk_may_use_the_shared_token_or_secret_alone() -> None:
    # The desk's own app beside the subscribers' shared token: no subscriber channel, no error.
    desk_only = {
        "SLACK_AGENTS_CHANNEL": "C0AGENTS",
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-maildesk",
        "SLACK_AGENTS_SIGNING_SECRET": "ds",
    }
    assert SlackConfig.from_environ(desk_only) is None
    assert SlackDeskConfig.from_environ(desk_only) is not None


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {**DESK, "SLACK_BOT_TOKEN": ""},
            "SLACK_AGENTS_CHANNEL is set without SLACK_BOT_TOKEN (or SLACK_AGENTS_BOT_TOKEN):"
            " set it, or leave SLACK_AGENTS_CHANNEL out",
        ),
        (
            {**DESK, "SLACK_SIGNING_SECRET": ""},
            "SLACK_AGENTS_CHANNEL is set without SLACK_SIGNING_SECRET (or"
            " SLACK_AGENTS_SIGNING_SECRET): set it, or leave SLACK_AGENTS_CHANNEL out",
        ),
        (
            {"SLACK_AGENTS_BOT_TOKEN": "xoxb-desk", "SLACK_AGENTS_SIGNING_SECRET": "ds"},
            "SLACK_AGENTS_BOT_TOKEN and SLACK_AGENTS_SIGNING_SECRET are set without"
            " SLACK_AGENTS_CHANNEL: set the channel's id too, or leave them out",
        ),
    ],
)
def test_half_a_desk_configuration_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        SlackDeskConfig.from_environ(environ)
    assert str(raised.value) == message
