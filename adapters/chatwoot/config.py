"""What switches Chatwoot on, from the environment: its URL, the bot's token, the webhook's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.ops.agent_tokens import guessable
from bot.ops.settings import ConfigError, service_url

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
# That inbox's Inbox Identifier (an API channel's, Settings → Inboxes → Configuration): the
# mirror's contacts are created through the inbox's public Client API, as an agent bot's
# token may not call `POST /contacts` (AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS).
DESK_IDENTIFIER: Final = "CHATWOOT_DESK_INBOX_IDENTIFIER"
# Optional: a user's access token, used for one call alone, deleting a withdrawn message
# from the mirror (messages#destroy is no bot's either). Unset, a private note takes it back.
DESK_USER: Final = "CHATWOOT_DESK_USER_TOKEN"
# Chatwoot's inbox identifiers (`has_secure_token`): letters and digits, one path segment.
_IDENTIFIER: Final = re.compile(r"[A-Za-z0-9]+")
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
    # The API's access token (an agent bot's or an administrator's): not shown in a repr.
    api_token: str = field(repr=False)
    account_id: str
    # The token to give Chatwoot (the webhook URL's segment); not shown in a repr.
    webhook_token: str = field(repr=False)
    # An API channel inbox where other channels' handoffs are mirrored (optional).
    desk_inbox_id: str = ""
    desk_inbox_identifier: str = field(default="", repr=False)
    desk_user_token: str = field(default="", repr=False)
    inbox_ids: frozenset[str] = frozenset()
    webhook_secrets: tuple[str, ...] = field(default=(), repr=False)
    # Tokens Chatwoot's settings may still name while it is rotated (`<new>,<old>`): a
    # delivery to the old path got 404, which Chatwoot does not send again.
    previous_webhook_tokens: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ChatwootConfig | None:
        """The configuration, None when none is set; part of the four is refused (ConfigError)."""
        values = [environ.get(name, "").strip() for name in VARIABLES]
        if not any(values):
            return None
        # Part of them was taken as "Chatwoot off", with nothing saying which one was missing.
        missing = [name for name, value in zip(VARIABLES, values, strict=True) if not value]
        if missing:
            one = len(missing) == 1
            raise ConfigError(
                f"Chatwoot is half set: {', '.join(missing)} {'is' if one else 'are'} missing"
                f" (Chatwoot needs {', '.join(VARIABLES[:-1])} and {VARIABLES[-1]}):"
                f" set {'it' if one else 'them'}, or leave all four out"
            )
        url, api_token, account_id, webhook_token = values
        url = service_url(VARIABLES[0], url)
        if not account_id.isdigit():
            raise ConfigError(f"CHATWOOT_ACCOUNT_ID={account_id!r} must be a number")
        # Comma-separated while it is rotated: the new token first, then the old one(s).
        # A lone comma is no token: "" is refused as too short.
        tokens = [token.strip() for token in webhook_token.split(",") if token.strip()]
        webhook_token, *previous = tokens or [""]
        for token in (webhook_token, *previous):
            _check_webhook_token(token)
        desk_inbox = environ.get(DESK_INBOX, "").strip()
        if desk_inbox and not desk_inbox.isdigit():
            raise ConfigError(f"{DESK_INBOX}={desk_inbox!r} must be a number (an inbox id)")
        identifier = environ.get(DESK_IDENTIFIER, "").strip()
        user_token = environ.get(DESK_USER, "").strip()
        if desk_inbox:
            _check_desk(identifier)
        inboxes = frozenset(i.strip() for i in environ.get(INBOXES, "").split(",") if i.strip())
        if not all(inbox.isdigit() for inbox in inboxes):
            raise ConfigError(f"{INBOXES} must be inbox ids (numbers), separated by commas")
        secrets = tuple(x.strip() for x in environ.get(SECRETS, "").split(",") if x.strip())
        return cls(
            url.rstrip("/"),
            api_token,
            account_id,
            webhook_token,
            desk_inbox,
            identifier if desk_inbox else "",
            user_token if desk_inbox else "",
            inboxes,
            secrets,
            tuple(previous),
        )


def _check_webhook_token(token: str) -> None:
    """The token is the webhook's only protection: ConfigError unless it cannot be guessed."""
    if len(token) < MIN_WEBHOOK_TOKEN or not _URL_SAFE.fullmatch(token):
        raise ConfigError(
            f"CHATWOOT_WEBHOOK_TOKEN must be at least {MIN_WEBHOOK_TOKEN} characters of "
            "A-Z, a-z, 0-9, '.', '_', '~' and '-' (it is a part of the webhook's URL; "
            "while it is rotated, the new one and the old, separated by a comma)"
        )
    if guessable(token):
        raise ConfigError(
            "CHATWOOT_WEBHOOK_TOKEN repeats too few characters to be random "
            "(generate one: openssl rand -hex 24)"
        )


def _check_desk(identifier: str) -> None:
    """What the mirror desk needs beside its inbox id: ConfigError naming what is missing."""
    if not identifier:
        raise ConfigError(
            f"{DESK_INBOX} is set but {DESK_IDENTIFIER} is not: set the API inbox's Inbox "
            "Identifier (Settings → Inboxes → the inbox → Configuration); the agent bot's "
            "token may not create the mirror's contacts"
        )
    if not _IDENTIFIER.fullmatch(identifier):
        raise ConfigError(
            f"{DESK_IDENTIFIER} must be the inbox's identifier (letters and digits), "
            "not a URL or an inbox id"
        )
