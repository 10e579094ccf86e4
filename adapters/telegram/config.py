"""What switches Telegram on, from the environment: the bot's token, and a webhook or polling."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.ops.settings import ConfigError, service_url

DEFAULT_API_URL: Final = "https://api.telegram.org"
_SECRET_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# What TELEGRAM_POLLING=… switches polling on with, whatever its case: the words other
# settings take for "on" (pydantic's booleans take these too).
_YES: Final = ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """What the Telegram channel needs."""

    token: str
    webhook_secret: str | None
    polling: bool
    api_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> TelegramConfig | None:
        """The configuration, or None when the variables that switch Telegram on are missing."""
        token = environ.get("TELEGRAM_BOT_TOKEN", "")
        secret = environ.get("TELEGRAM_WEBHOOK_SECRET", "") or None
        polling_value = environ.get("TELEGRAM_POLLING", "")
        polling = polling_value.strip().lower() in _YES
        if not token and not secret:
            return None
        # Half of it was taken as "Telegram off", and its subscribers were never answered.
        if not token:
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET is set without TELEGRAM_BOT_TOKEN: set the token too,"
                " or leave both out"
            )
        if not (secret or polling):
            unread = (
                f"TELEGRAM_POLLING={polling_value!r} is not one of {', '.join(_YES)}; "
                if polling_value.strip()
                else ""
            )
            raise ConfigError(
                f"{unread}TELEGRAM_BOT_TOKEN is set without TELEGRAM_WEBHOOK_SECRET (or"
                " TELEGRAM_POLLING=1 for long polling): set one of them, or leave the token out"
            )
        if secret is not None and not _SECRET_RE.match(secret):
            raise ConfigError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        api_url = service_url(
            "TELEGRAM_API_URL", environ.get("TELEGRAM_API_URL", "") or DEFAULT_API_URL
        ).rstrip("/")
        return cls(token, secret, polling, api_url)

    @property
    def bot_id(self) -> str:
        """The bot's own id: the token's first part."""
        return self.token.split(":", 1)[0]
