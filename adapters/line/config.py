"""What switches LINE on, from the environment: the channel's secret and access token."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.ops.settings import ConfigError, service_url

DEFAULT_API_URL: Final = "https://api.line.me"


@dataclass(frozen=True, slots=True)
class LineConfig:
    """What the LINE channel needs."""

    channel_secret: str
    access_token: str
    api_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> LineConfig | None:
        """The configuration, or None when the variables that switch LINE on are missing."""
        secret = environ.get("LINE_CHANNEL_SECRET", "")
        token = environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
        if not secret and not token:
            return None
        # One alone was taken as "LINE off", and LINE's subscribers were never answered.
        if not (secret and token):
            given, missing = (
                ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN")
                if secret
                else ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET")
            )
            raise ConfigError(f"{given} is set without {missing}: set both, or leave both out")
        api_url = service_url(
            "LINE_API_URL", environ.get("LINE_API_URL", "") or DEFAULT_API_URL
        ).rstrip("/")
        return cls(secret, token, api_url)
