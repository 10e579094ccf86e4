"""What switches Chatwoot on, from the environment: its URL, the bot's token, the webhook's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.ops.agent_tokens import guessable
from bot.ops.settings import ConfigError

MIN_WEBHOOK_TOKEN: Final = 16
# One path segment of the webhook's URL as written: what a URL carries unescaped (RFC 3986's
# unreserved characters). `/`, `?`, `#`, `%` or a space would make every delivery a 404.
_URL_SAFE: Final = re.compile(r"[A-Za-z0-9._~-]+")
VARIABLES: Final = (
    "CHATWOOT_URL",
    "CHATWOOT_API_TOKEN",
    "CHATWOOT_ACCOUNT_ID",
    "CHATWOOT_WEBHOOK_TOKEN",
)
# With it, Chatwoot is the desk for every channel: handoffs from the web chat, Telegram,
# LINE and Slack are mirrored into this API inbox.
DESK_INBOX: Final = "CHATWOOT_DESK_INBOX_ID"
# The inboxes whose conversations the bot answers (comma-separated ids); unset: every inbox
# the webhooks deliver, which with an account webhook is every inbox of the account.
INBOXES: Final = "CHATWOOT_INBOX_IDS"
# The secrets Chatwoot signs with (comma-separated: the account webhook's and the agent
# bot's differ); set, every delivery must carry a valid X-Chatwoot-Signature.
SECRETS: Final = "CHATWOOT_WEBHOOK_SECRET"


@dataclass(frozen=True, slots=True)
class ChatwootConfig:
    """What the Chatwoot channel needs, from the environment."""

    url: str
    api_token: str
    account_id: str
    webhook_token: str
    # An API channel inbox where other channels' handoffs are mirrored (optional).
    desk_inbox_id: str = ""
    inbox_ids: frozenset[str] = frozenset()
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)

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
        if len(webhook_token) < MIN_WEBHOOK_TOKEN or not _URL_SAFE.fullmatch(webhook_token):
            raise ConfigError(
                f"CHATWOOT_WEBHOOK_TOKEN must be at least {MIN_WEBHOOK_TOKEN} characters of "
                "A-Z, a-z, 0-9, '.', '_', '~' and '-' (it is a part of the webhook's URL)"
            )
        if guessable(webhook_token):
            raise ConfigError(
                "CHATWOOT_WEBHOOK_TOKEN repeats too few characters to be random "
                "(generate one: openssl rand -hex 24)"
            )
        desk_inbox = environ.get(DESK_INBOX, "").strip()
        if desk_inbox and not desk_inbox.isdigit():
            raise ConfigError(f"{DESK_INBOX}={desk_inbox!r} must be a number (an inbox id)")
        inboxes = frozenset(i.strip() for i in environ.get(INBOXES, "").split(",") if i.strip())
        if not all(inbox.isdigit() for inbox in inboxes):
            raise ConfigError(f"{INBOXES} must be inbox ids (numbers), separated by commas")
        secrets = tuple(x.strip() for x in environ.get(SECRETS, "").split(",") if x.strip())
        return cls(
            url.rstrip("/"), api_token, account_id, webhook_token, desk_inbox, inboxes, secrets
        )
