"""What switches Slack on: the subscribers' app and the agents' desk, from the environment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.ops.settings import ConfigError, service_url

DEFAULT_API_URL: Final = "https://slack.com/api/"
DESK_VARIABLES: Final = ("SLACK_AGENTS_CHANNEL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
# A channel id, not a name: clicks carry the id, and are matched against it.
_CHANNEL_ID: Final = re.compile(r"^[CG][A-Z0-9]{2,}$")


def _api_url(environ: Mapping[str, str]) -> str:
    url = environ.get("SLACK_API_URL", "") or DEFAULT_API_URL
    return service_url("SLACK_API_URL", url).rstrip("/") + "/"


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
        """The configuration, None when none is set; half of it is refused (ConfigError)."""
        bot_token = environ.get("SLACK_BOT_TOKEN", "")
        signing_secret = environ.get("SLACK_SIGNING_SECRET", "") or None
        app_token = environ.get("SLACK_APP_TOKEN", "") or None
        # Half a configuration was taken as "Slack off", and Slack's subscribers went
        # unanswered with nothing saying why; the agents' desk may use the shared token or
        # secret alone, so with its channel set they are its, not half of this.
        desk = bool(environ.get("SLACK_AGENTS_CHANNEL", ""))
        if app_token and not bot_token:
            raise ConfigError(
                "SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN: set the token too,"
                " or leave the app token out"
            )
        if not bot_token or not (signing_secret or app_token):
            if desk or not (bot_token or signing_secret):
                return None
            raise ConfigError(
                "SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for"
                " Socket Mode): set one of them, or leave the token out"
                if bot_token
                else "SLACK_SIGNING_SECRET is set without SLACK_BOT_TOKEN: set the token too,"
                " or leave the secret out"
            )
        return cls(bot_token, signing_secret, app_token, _api_url(environ))


@dataclass(frozen=True, slots=True)
class SlackDeskConfig:
    """What the agents' desk needs."""

    channel_id: str
    bot_token: str
    signing_secret: str
    api_url: str
    # Where the token came from, for the line that says Slack refused it.
    token_variable: str = "SLACK_BOT_TOKEN"  # noqa: S105 - a variable's name

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SlackDeskConfig | None:
        """The configuration, None without the channel; the channel without the rest is refused.

        `SLACK_AGENTS_BOT_TOKEN` and `SLACK_AGENTS_SIGNING_SECRET`, when set, are a desk app
        of its own: needed when subscribers use Slack too, since an app has one
        Interactivity Request URL and the subscribers' channel has it.
        """
        channel_id = environ.get("SLACK_AGENTS_CHANNEL", "")
        token = environ.get("SLACK_AGENTS_BOT_TOKEN", "") or environ.get("SLACK_BOT_TOKEN", "")
        secret = environ.get("SLACK_AGENTS_SIGNING_SECRET", "") or environ.get(
            "SLACK_SIGNING_SECRET", ""
        )
        if not channel_id:
            own = [
                name
                for name in ("SLACK_AGENTS_BOT_TOKEN", "SLACK_AGENTS_SIGNING_SECRET")
                if environ.get(name, "")
            ]
            if own:
                raise ConfigError(
                    f"{' and '.join(own)} {'is' if len(own) == 1 else 'are'} set without"
                    " SLACK_AGENTS_CHANNEL: set the channel's id too, or leave"
                    f" {'it' if len(own) == 1 else 'them'} out"
                )
            return None
        # The channel alone (or without one of the two) was taken as "desk off", and every
        # handoff waited for agents who were never told.
        for value, names in (
            (token, "SLACK_BOT_TOKEN (or SLACK_AGENTS_BOT_TOKEN)"),
            (secret, "SLACK_SIGNING_SECRET (or SLACK_AGENTS_SIGNING_SECRET)"),
        ):
            if not value:
                raise ConfigError(
                    f"SLACK_AGENTS_CHANNEL is set without {names}: set it,"
                    " or leave SLACK_AGENTS_CHANNEL out"
                )
        if not _CHANNEL_ID.match(channel_id):
            raise ConfigError(
                f"SLACK_AGENTS_CHANNEL={channel_id!r} must be a channel id such as C0123ABCD "
                "(the channel's details in Slack show it), not its name"
            )
        own_token = bool(environ.get("SLACK_AGENTS_BOT_TOKEN", ""))
        return cls(
            channel_id,
            token,
            secret,
            _api_url(environ),
            "SLACK_AGENTS_BOT_TOKEN" if own_token else "SLACK_BOT_TOKEN",
        )
