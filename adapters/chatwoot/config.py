"""What switches Chatwoot on, from the environment: its URL, the bot's token, the webhook's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.ops.settings import ConfigError

MIN_WEBHOOK_TOKEN: Final = 16
VARIABLES: Final = (
    "CHATWOOT_URL",
    "CHATWOOT_API_TOKEN",
    "CHATWOOT_ACCOUNT_ID",
    "CHATWOOT_WEBHOOK_TOKEN",
)
# With it, Chatwoot is the desk for every channel: handoffs from the web chat, Telegram,
# LINE and Slack are mirrored into this API inbox.
DESK_INBOX: Final = "CHATWOOT_DESK_INBOX_ID"


@dataclass(frozen=True, slots=True)
class ChatwootConfig:
    """What the Chatwoot channel needs, from the environment."""

    url: str
    api_token: str
    account_id: str
    webhook_token: str
    # An API channel inbox where other channels' handoffs are mirrored (optional).
    desk_inbox_id: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ChatwootConfig | None:
        """The configuration, or None when a variable that switches Chatwoot on is missing."""
        values = [environ.get(name, "").strip() for name in VARIABLES]
        if not all(values):
            return None
        url, api_token, account_id, webhook_token = values
        if not account_id.isdigit():
            raise ConfigError(f"CHATWOOT_ACCOUNT_ID={account_id!r} must be a number")
        # The token is the webhook's only protection: it must not be guessable.
        if len(webhook_token) < MIN_WEBHOOK_TOKEN or not webhook_token.isascii():
            raise ConfigError(
                f"CHATWOOT_WEBHOOK_TOKEN must be at least {MIN_WEBHOOK_TOKEN} ASCII characters"
            )
        desk_inbox = environ.get(DESK_INBOX, "").strip()
        if desk_inbox and not desk_inbox.isdigit():
            raise ConfigError(f"{DESK_INBOX}={desk_inbox!r} must be a number (an inbox id)")
        return cls(url.rstrip("/"), api_token, account_id, webhook_token, desk_inbox)
