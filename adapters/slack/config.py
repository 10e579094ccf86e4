"""What switches Slack on: the subscribers' app and the agents' desk, from the environment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.ops.settings import ConfigError

DEFAULT_API_URL: Final = "https://slack.com/api/"
DESK_VARIABLES: Final = ("SLACK_AGENTS_CHANNEL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
# A channel id, not a name: clicks carry the id, and are matched against it.
_CHANNEL_ID: Final = re.compile(r"^[CG][A-Z0-9]{2,}$")


def _api_url(environ: Mapping[str, str]) -> str:
    return (environ.get("SLACK_API_URL", "") or DEFAULT_API_URL).rstrip("/") + "/"


@dataclass(frozen=True, slots=True)
class SlackConfig:
    """What the subscribers' Slack channel needs."""

    bot_token: str
    signing_secret: str | None
    app_token: str | None
    api_url: str

    @property
    def socket_mode(self) -> bool:
        """Socket Mode needs no public URL; an app-level token switches it on."""
        return self.app_token is not None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SlackConfig | None:
        """The configuration, or None when the variables that switch Slack on are missing."""
        bot_token = environ.get("SLACK_BOT_TOKEN", "")
        signing_secret = environ.get("SLACK_SIGNING_SECRET", "") or None
        app_token = environ.get("SLACK_APP_TOKEN", "") or None
        if not bot_token or not (signing_secret or app_token):
            return None
        return cls(bot_token, signing_secret, app_token, _api_url(environ))


@dataclass(frozen=True, slots=True)
class SlackDeskConfig:
    """What the agents' desk needs."""

    channel_id: str
    bot_token: str
    signing_secret: str
    api_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SlackDeskConfig | None:
        """The configuration, or None when a variable that switches the desk on is missing.

        `SLACK_AGENTS_BOT_TOKEN` and `SLACK_AGENTS_SIGNING_SECRET`, when set, are a desk app
        of its own: needed when subscribers use Slack too, since an app has one
        Interactivity Request URL and the subscribers' channel has it.
        """
        channel_id = environ.get("SLACK_AGENTS_CHANNEL", "")
        token = environ.get("SLACK_AGENTS_BOT_TOKEN", "") or environ.get("SLACK_BOT_TOKEN", "")
        secret = environ.get("SLACK_AGENTS_SIGNING_SECRET", "") or environ.get(
            "SLACK_SIGNING_SECRET", ""
        )
        if not (channel_id and token and secret):
            return None
        if not _CHANNEL_ID.match(channel_id):
            raise ConfigError(
                f"SLACK_AGENTS_CHANNEL={channel_id!r} must be a channel id such as C0123ABCD "
                "(the channel's details in Slack show it), not its name"
            )
        return cls(channel_id, token, secret, _api_url(environ))
