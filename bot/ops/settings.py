"""Run-time settings: from the environment, overridable on the command line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8080
DEFAULT_STORE: Final = "sqlite:///var/mailmove.sqlite3"
DEFAULT_RETENTION_DAYS: Final = 90
DEFAULT_CHECK_TIMEOUT: Final = 15
DEFAULT_CHECK_LIMIT: Final = 5
DEFAULT_CHECK_WINDOW: Final = 3600
MAX_BODY_BYTES: Final = 64 * 1024


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable. Platform credentials stay in `environ` for their channels."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    store_url: str = DEFAULT_STORE
    profile_path: Path | None = None
    public_url: str = ""
    retention_days: int = DEFAULT_RETENTION_DAYS
    secret: bytes = b""
    check_timeout: int = DEFAULT_CHECK_TIMEOUT
    check_limit: int = DEFAULT_CHECK_LIMIT
    check_window: int = DEFAULT_CHECK_WINDOW
    agent_tokens: tuple[str, ...] = ()
    desk_webhook_url: str = ""
    desk_webhook_secret: bytes = b""
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read `MAILMOVE_*` variables; anything unset keeps the embedded default."""
        env = dict(os.environ if environ is None else environ)
        profile = env.get("MAILMOVE_PROFILE")
        return cls(
            host=env.get("MAILMOVE_HOST", DEFAULT_HOST),
            port=_int(env, "MAILMOVE_PORT", DEFAULT_PORT),
            store_url=env.get("MAILMOVE_STORE", DEFAULT_STORE),
            profile_path=Path(profile) if profile else None,
            public_url=env.get("MAILMOVE_PUBLIC_URL", "").rstrip("/"),
            retention_days=_int(env, "MAILMOVE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS),
            secret=_secret(env),
            check_timeout=_int(env, "MAILMOVE_CHECK_TIMEOUT", DEFAULT_CHECK_TIMEOUT),
            check_limit=_int(env, "MAILMOVE_CHECK_LIMIT", DEFAULT_CHECK_LIMIT),
            check_window=_int(env, "MAILMOVE_CHECK_WINDOW", DEFAULT_CHECK_WINDOW),
            agent_tokens=_tokens(env),
            desk_webhook_url=env.get("MAILMOVE_DESK_WEBHOOK_URL", ""),
            desk_webhook_secret=_webhook_secret(env),
            environ=env,
        )

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the non-None `changes` applied (command-line options)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]

    @property
    def base_url(self) -> str:
        """Where subscribers reach this server: the public URL, or the local address."""
        return self.public_url or f"http://{self.host}:{self.port}"


def _tokens(env: Mapping[str, str]) -> tuple[str, ...]:
    tokens = tuple(t.strip() for t in env.get("MAILMOVE_AGENT_TOKENS", "").split(",") if t.strip())
    if any(len(t) < 16 for t in tokens):
        raise ConfigError("MAILMOVE_AGENT_TOKENS: every token must be at least 16 characters")
    return tokens


def _webhook_secret(env: Mapping[str, str]) -> bytes:
    url, secret = (
        env.get("MAILMOVE_DESK_WEBHOOK_URL", ""),
        env.get("MAILMOVE_DESK_WEBHOOK_SECRET", ""),
    )
    if url and len(secret) < 16:
        raise ConfigError(
            "MAILMOVE_DESK_WEBHOOK_URL needs MAILMOVE_DESK_WEBHOOK_SECRET (16+ characters) to sign"
        )
    return secret.encode()


def _secret(env: Mapping[str, str]) -> bytes:
    value = env.get("MAILMOVE_SECRET", "")
    if value and len(value) < 16:
        raise ConfigError("MAILMOVE_SECRET must be at least 16 characters")
    return value.encode()


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number") from None
    if number <= 0:
        raise ConfigError(f"{name}={value!r} must be positive")
    return number
