"""Run-time settings: from the environment, overridable on the command line."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.ops.agent_tokens import agent_tokens, guessable, header_safe
from bot.ops.embed_origins import embed_origins

ENV_PREFIX: Final = "MAILMOVE_"
# MAILMOVE_LOG_FORMAT's values (bot.ops.logging_setup reads them): here, so that reading the
# settings does not import the logging's libraries before a bad setting is said.
LOG_FORMATS: Final = ("auto", "console", "json")
DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8080
MAX_PORT: Final = 65535
PORT_RANGE: Final = f"must be a port number (1-{MAX_PORT})"
# Past about 700,000 days the expiry's cutoff is before year 1 and every run of it fails.
MAX_RETENTION_DAYS: Final = 36_500
# A network step of the live login check waited on longer than a mail program would (about a
# minute) leaves the subscriber before a spinner, and the ingress answers 504 meanwhile.
MAX_CHECK_TIMEOUT: Final = 60
# Below it a real server's answer to a wrong password is a timeout: Dovecot answers a failed
# login after 2 s (auth_failure_delay), Postfix's SASL and others likewise, and the subscriber
# was told the server could not be reached rather than that the password was wrong.
MIN_CHECK_TIMEOUT: Final = 3
CHECK_TIMEOUT_RANGE: Final = (
    f"must be whole seconds from {MIN_CHECK_TIMEOUT} to {MAX_CHECK_TIMEOUT} (below"
    f" {MIN_CHECK_TIMEOUT} a mail server's answer to a wrong password, which Dovecot delays"
    " 2 s, reads as a timeout)"
)
# How long a keep-alive connection may wait idle for its next request (uvicorn's
# timeout_keep_alive; bot.server sets it). Longer than the proxy in front keeps an idle
# upstream connection: ingress-nginx reuses one for 60 s (upstream-keepalive-timeout), AWS'
# load balancers 60 s by default, Google Cloud's load balancer 600 s, which cannot be
# changed. At uvicorn's 5 s (and the 10 s head deadline, which closed idle connections too)
# the server closed connections the proxy still held, and a request the proxy wrote into one
# as it closed got the proxy's 502 ("upstream prematurely closed connection"; a POST is not
# sent again). Below 5 (uvicorn's own) no proxy keeps its connections; past two hours an
# idle client holds a file descriptor longer than any load balancer keeps one (AWS' longest
# idle timeout is 4000 s).
DEFAULT_KEEP_ALIVE: Final = 75
MIN_KEEP_ALIVE: Final = 5
MAX_KEEP_ALIVE: Final = 7200
KEEP_ALIVE_RANGE: Final = (
    f"must be whole seconds from {MIN_KEEP_ALIVE} to {MAX_KEEP_ALIVE}, longer than the proxy"
    " in front keeps an idle connection (Google Cloud's load balancer: 600 s, so 620 there)"
)
# Redis keeps a limit's count for its window, in milliseconds that must fit in 64 bits: past
# that every check got 503 "rate limiter: Redis failed: value is not an integer or out of
# range", an outage that was a setting. A hundred years, as for the retention.
MAX_CHECK_WINDOW: Final = MAX_RETENTION_DAYS * 86_400
# Past what a timedelta holds, `serve` ended in an OverflowError's traceback.
MAX_AGENT_SILENCE_MINUTES: Final = MAX_RETENTION_DAYS * 1_440
# A preview's day at the real time of day, in the profile's zone, must be an instant datetime
# holds in UTC whatever the hour: 0001-01-01 before 09:00 in Tokyo is 0000-12-31 in UTC, and
# `serve` ended in an OverflowError's traceback at those hours only.
FIRST_PREVIEW_DAY: Final = dt.date.min + dt.timedelta(days=1)
LAST_PREVIEW_DAY: Final = dt.date.max - dt.timedelta(days=1)
_HOST: Final = re.compile(r"[A-Za-z0-9._:%-]+")
# What a browser opens, as the WHATWG URL standard reads it (pydantic's Rust `url` crate):
# urlsplit reads a port only when asked and a host not at all.
_BROWSER_URL: Final = TypeAdapter(HttpUrl)
# A header field name is an RFC 9110 token: no space, no colon.
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
DEFAULT_STORE: Final = "sqlite:///var/mailmove.sqlite3"
DEFAULT_RETENTION_DAYS: Final = 90
DEFAULT_CHECK_TIMEOUT: Final = 15
DEFAULT_CHECK_LIMIT: Final = 5
DEFAULT_CHECK_WINDOW: Final = 3600
# Login-check submits per client in the check window, whatever the link or the address: the
# page would otherwise try one password on account after account. A household or an office
# behind one address checks a few accounts a few times each.
DEFAULT_CHECK_CLIENT_LIMIT: Final = 20
MAX_BODY_BYTES: Final = 64 * 1024
# Per client and process; generous, since a company or a mobile carrier puts many
# subscribers behind one address.
DEFAULT_WEBCHAT_CONVERSATION_LIMIT: Final = 60  # new web chat conversations per 10 minutes
DEFAULT_WEBCHAT_MESSAGE_LIMIT: Final = 300  # web chat messages per minute
# Transcript reads per minute: a page polls every 2 s (0.5 s while an agent holds the chat,
# 10 s hidden), so 600 is 20 pages, or 5 with an agent, behind one address. Without a limit
# one client re-reading a long conversation held every other subscriber's reply.
DEFAULT_WEBCHAT_READ_LIMIT: Final = 600
# Handoffs to the desk per client an hour (`MAILMOVE_WEBCHAT_HANDOFF_LIMIT`): one subscriber
# asks for a person a few times at most, a household, office or mobile carrier's address a
# few more; forty conversations asking from one client in a second (each a notice to the
# desk) are not people. Past it the subscriber is told to ask again later or call.
DEFAULT_WEBCHAT_HANDOFF_LIMIT: Final = 20
# Handoffs to the desk per Telegram, LINE or Slack sender an hour
# (`MAILMOVE_SENDER_HANDOFF_LIMIT`): one person, no household behind them, asks for a person
# a few times at most (asked, handed back, asked again); without it one sender paged the
# desk without end.
DEFAULT_SENDER_HANDOFF_LIMIT: Final = 5
# Minutes a subscriber waits on an agent's words, within the desk's hours, before the bot
# says once that the reply is late (`MAILMOVE_AGENT_SILENCE_MINUTES`; 0: never).
DEFAULT_AGENT_SILENCE_MINUTES: Final = 60
MIN_SECRET_LENGTH: Final = 16


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable."""


class Settings(BaseSettings):
    """Everything configurable. Platform credentials stay in `environ` for their channels.

    `Settings(...)` takes only what it is given; `Settings.from_env()` reads the environment.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        # An empty variable is an unset one: compose's `${MAILMOVE_AGENT_TOKENS:-}` means "none".
        env_ignore_empty=True,
        frozen=True,
        # `store_url=` in code, MAILMOVE_STORE in the environment.
        validate_by_name=True,
        # A rejected secret must not reach a log or a traceback through the error's text.
        hide_input_in_errors=True,
    )

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    store_url: str = Field(default=DEFAULT_STORE, validation_alias=f"{ENV_PREFIX}STORE")
    profile_path: Path | None = Field(default=None, validation_alias=f"{ENV_PREFIX}PROFILE")
    public_url: str = ""
    retention_days: int = DEFAULT_RETENTION_DAYS
    check_timeout: int = DEFAULT_CHECK_TIMEOUT
    check_limit: int = DEFAULT_CHECK_LIMIT
    check_window: int = DEFAULT_CHECK_WINDOW
    check_client_limit: int = DEFAULT_CHECK_CLIENT_LIMIT
    # Comma-separated in the environment, not the JSON pydantic-settings expects of a tuple.
    agent_tokens: Annotated[tuple[str, ...], NoDecode] = Field(default=(), repr=False)
    desk_webhook_url: str = ""
    desk_webhook_secret: bytes = Field(default=b"", repr=False)
    # Behind a proxy that sets it (X-Forwarded-For...): the header naming the client.
    client_ip_header: str = ""
    webchat_conversation_limit: int = DEFAULT_WEBCHAT_CONVERSATION_LIMIT
    webchat_message_limit: int = DEFAULT_WEBCHAT_MESSAGE_LIMIT
    webchat_read_limit: int = DEFAULT_WEBCHAT_READ_LIMIT
    webchat_handoff_limit: int = DEFAULT_WEBCHAT_HANDOFF_LIMIT
    sender_handoff_limit: int = DEFAULT_SENDER_HANDOFF_LIMIT
    agent_silence_minutes: int = DEFAULT_AGENT_SILENCE_MINUTES
    keep_alive: int = DEFAULT_KEEP_ALIVE
    # A preview of another day (staging, demos): the bot's "today" in the profile's zone.
    as_of: dt.date | None = None
    # How the log reads: `console` for people, `json` for a collector, `auto` by the stream.
    log_format: Literal["auto", "console", "json"] = "auto"
    # Sites that may show the web chat in a frame (embed.js): comma-separated origins.
    embed_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # The whole environment, not one variable of it: channels read their own credentials here.
    environ: Mapping[str, str] = Field(default_factory=dict, repr=False)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the arguments: `Settings(...)` never reads `os.environ`, a `.env` or secrets.

        Tests and tools build settings in code and must get exactly what they wrote, whatever
        the shell that runs them exports; reading the environment is `from_env`'s job alone.
        """
        return (init_settings,)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read `MAILMOVE_*` variables; anything unset keeps the embedded default."""
        env = dict(os.environ if environ is None else environ)
        return cls._validated({**_Variables(cls, env)(), "environ": env})

    def unknown_variables(self) -> tuple[str, ...]:
        """A line for each set `MAILMOVE_*` variable mailmove does not read (misspelt?).

        Said, not refused: MAILMOVE_RETENTON_DAYS=30 served with the 90 days' default and
        nothing said so, but a name an older or newer release reads must not stop a
        replica from starting in a rolling upgrade, nor a harness that sets one too many.
        """
        return _unknown_names(self.environ, set(self.variables().values()))

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the non-None `changes` applied (command-line options), checked again."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update({name: value for name, value in changes.items() if value is not None})
        return self._validated(values)

    @property
    def base_url(self) -> str:
        """Where subscribers reach this server: the public URL, or the local address."""
        if self.public_url:
            return self.public_url
        # An IPv6 address in brackets (RFC 3986), its zone's % escaped (RFC 6874):
        # 'http://::1:8080/check/…' was a link no browser opens.
        host = f"[{self.host.replace('%', '%25')}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Each field read from the environment and its variable: `store_url` → MAILMOVE_STORE."""
        return {
            name: field.validation_alias
            if isinstance(field.validation_alias, str)
            else f"{ENV_PREFIX}{name.upper()}"
            for name, field in cls.model_fields.items()
            if name != "environ"  # the whole environment, not one variable of it
        }

    @classmethod
    def _validated(cls, values: dict[str, Any]) -> Settings:
        try:
            return cls(**values)
        except ValidationError as err:
            raise ConfigError("; ".join(_problems(cls, err))) from None

    @field_validator(
        "port",
        "retention_days",
        "check_timeout",
        "check_limit",
        "check_window",
        "check_client_limit",
        "webchat_conversation_limit",
        "webchat_message_limit",
        "webchat_read_limit",
        "webchat_handoff_limit",
        "sender_handoff_limit",
        "agent_silence_minutes",
        "keep_alive",
        mode="before",
    )
    @classmethod
    def _whole_number(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return value  # pydantic's own type error says what was expected
        name = cls.variables()[str(info.field_name)]
        try:
            number = int(value)
        except ValueError:
            if info.field_name == "check_timeout":
                # 0.001 was "not a whole number", then 1 was taken: every check a timeout.
                raise ConfigError(f"{name}={value!r} {CHECK_TIMEOUT_RANGE}") from None
            if info.field_name == "keep_alive":
                raise ConfigError(f"{name}={value!r} {KEEP_ALIVE_RANGE}") from None
            raise ConfigError(f"{name}={value!r} is not a whole number") from None
        if number == 0 and info.field_name == "agent_silence_minutes":
            return number  # never said
        # uvicorn does not check: 70000 listened on 4464 while the summary said 70000. Below
        # the range the message is the same, so the operator learns the whole range at once.
        if info.field_name == "port" and not 0 < number <= MAX_PORT:
            raise ConfigError(f"{name}={value!r} {PORT_RANGE}")
        if info.field_name == "check_timeout" and not (
            MIN_CHECK_TIMEOUT <= number <= MAX_CHECK_TIMEOUT
        ):
            raise ConfigError(f"{name}={value!r} {CHECK_TIMEOUT_RANGE}")
        if info.field_name == "keep_alive" and not MIN_KEEP_ALIVE <= number <= MAX_KEEP_ALIVE:
            raise ConfigError(f"{name}={value!r} {KEEP_ALIVE_RANGE}")
        if number <= 0:
            raise ConfigError(f"{name}={value!r} must be positive")
        if info.field_name == "retention_days" and number > MAX_RETENTION_DAYS:
            raise ConfigError(
                f"{name}={value!r} must be at most {MAX_RETENTION_DAYS} (a hundred years)"
            )
        if info.field_name == "check_window" and number > MAX_CHECK_WINDOW:
            raise ConfigError(
                f"{name}={value!r} must be at most {MAX_CHECK_WINDOW} seconds (a hundred years)"
            )
        if info.field_name == "agent_silence_minutes" and number > MAX_AGENT_SILENCE_MINUTES:
            raise ConfigError(
                f"{name}={value!r} must be at most {MAX_AGENT_SILENCE_MINUTES} minutes (a"
                " hundred years; 0 never says it)"
            )
        return number

    @field_validator("host")
    @classmethod
    def _listening_address(cls, value: str) -> str:
        # An IPv4 or IPv6 address or a host name: a space or a scheme made the summary name
        # a web chat address uvicorn then could not listen on.
        if not _HOST.fullmatch(value):
            raise ConfigError(f"{cls.variables()['host']}={value!r} is not an address or host name")
        return value

    @field_validator("client_ip_header")
    @classmethod
    def _header_name(cls, value: str) -> str:
        # 'X Forwarded' or 'X-Forwarded-For:' names no header a proxy can send: every
        # request would count as the socket's address (the proxy's), one allowance for all.
        name = value.strip()
        if name and not _HEADER_NAME.fullmatch(name):
            raise ConfigError(
                f"{cls.variables()['client_ip_header']}={value!r} is not a header name"
                " (e.g. X-Forwarded-For)"
            )
        return name

    @field_validator("as_of", mode="before")
    @classmethod
    def _calendar_day(cls, value: object) -> object:
        # pydantic reads a number as seconds since 1970 (1212278400 previewed 2008-06-01) and
        # says "Input should be a valid date or datetime" naming neither value nor form; read
        # it as `--as-of` does, so the variable and the option take and refuse the same.
        if not isinstance(value, str):
            return value  # a date from the command line, or pydantic's own type error
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            name = cls.variables()["as_of"]
            raise ConfigError(f"{name}={value!r} is not a date like 2008-06-01") from None

    @field_validator("as_of")
    @classmethod
    def _previewable_day(cls, value: dt.date | None) -> dt.date | None:
        # After parsing, so `--as-of` (a date already) is held to the same days.
        if value is not None and not FIRST_PREVIEW_DAY <= value <= LAST_PREVIEW_DAY:
            name = cls.variables()["as_of"]
            raise ConfigError(
                f"{name}={value.isoformat()!r} must be from {FIRST_PREVIEW_DAY.isoformat()}"
                f" to {LAST_PREVIEW_DAY.isoformat()} (the first and last days are not whole"
                " days in every time zone)"
            )
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _known_log_format(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in LOG_FORMATS:
            return value.strip().lower()
        name = cls.variables()["log_format"]
        raise ConfigError(f"{name}={value!r}: use one of {', '.join(LOG_FORMATS)}")

    @field_validator("embed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if not isinstance(value, str):
            value = ",".join(value) if isinstance(value, list | tuple) else value
        if not isinstance(value, str):
            return value  # pydantic's own type error says what was expected
        try:
            return embed_origins(value)
        except ValueError as err:
            raise ConfigError(f"{cls.variables()['embed_origins']}: {err}") from None

    @field_validator("store_url")
    @classmethod
    def _readable_redis_url(cls, value: str) -> str:
        # A Redis password with '/', '#' or '?' ends the URL's address early: redis-py then
        # reads the password's first characters as the port and says so, printing them
        # ("Port could not be cast to integer value as 'ab'"), a secret in the log. Refuse it
        # here, naming the variable and never quoting the value.
        if value.startswith("sqlite://") and value.removeprefix("sqlite://").strip("/") == "":
            # Else opened as the file '': "the conversation store is unavailable: : Is a
            # directory". A SQLite URL holds no secret, so it is quoted.
            raise ConfigError(
                f"{cls.variables()['store_url']}={value!r} names no file: use"
                " sqlite:///var/mailmove.sqlite3 (relative to the working folder) or"
                " sqlite:////srv/mailmove.sqlite3 (absolute)"
            )
        if "sentinel" in value.partition("://")[0].lower():
            raise ConfigError(f"{cls.variables()['store_url']}: {_sentinel_refused(value)}")
        if not value.startswith(("sqlite://", "redis://", "rediss://")):
            raise ConfigError(_not_a_store_url(cls.variables()["store_url"], value))
        if not value.startswith(("redis://", "rediss://")):
            return value
        parts = urlsplit(value)
        try:
            readable = bool(parts.hostname) and (parts.port is None or parts.port > 0)
        except ValueError:
            readable = False
        if not readable:
            raise ConfigError(
                f"{cls.variables()['store_url']}: the Redis URL's host and port cannot be read"
                " (a password with '/', '#', '?' or '%' must be percent-encoded;"
                " openssl rand -hex 32 makes one that needs none)"
            )
        # redis-py ignores a database that is not a number and uses 0, which may be another
        # application's: nothing would say so.
        database = parts.path.removeprefix("/")
        if database and not database.isdecimal():
            raise ConfigError(
                f"{cls.variables()['store_url']}: the Redis URL's database (the path after the"
                " port) must be a number, like redis://redis:6379/0"
            )
        return value

    @field_validator("public_url", "desk_webhook_url")
    @classmethod
    def _web_address(cls, value: str, info: ValidationInfo) -> str:
        # Every link the bot sends starts with the public URL: without a scheme and a host it
        # is a link no chat platform or mail program opens, and nothing else would say so.
        # The desk webhook's the same: the server started, and every handoff then failed.
        # A value read from a file ends in a line break, which the links kept (urlsplit
        # drops it): the address is what is between the blanks.
        value = value.strip()
        parts = urlsplit(value)
        name = cls.variables()[str(info.field_name)]
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            # The desk webhook's URL is not quoted: a chat service's incoming webhook
            # ('hooks.example.com/services/T0/B0/<token>') is its own secret.
            shown = f"{name}={value!r}" if info.field_name == "public_url" else name
            raise ConfigError(f"{shown} must start with https:// (or http://) and name a host")
        if info.field_name != "public_url":
            # A webhook's URL may carry a user or a query (it is the desk's), and a token in
            # its path: not quoted.
            if value and (problem := _unopenable(value)):
                raise ConfigError(f"{name} is not a valid URL: {problem}")
            return value
        # The links are written after it: '…/?x=1/check/…' or '…#chat/check/…' is no login
        # check, and a user or password would be sent in every link (not quoted here).
        if parts.username is not None or parts.password is not None:
            raise ConfigError(
                f"{cls.variables()['public_url']} names a user or password before the host:"
                " every link the bot sends subscribers would carry it; give the address alone"
            )
        if parts.query or parts.fragment or value.endswith(("?", "#")):
            raise ConfigError(
                f"{cls.variables()['public_url']}={value!r} must be the address alone, without"
                " a ?query or #fragment: the bot writes its links after it"
            )
        if parts.path.strip("/"):
            # Accepted: the links said …/mailmove/check/…, and the chat page, which asks for
            # /api/webchat/… and /webchat/static/… at the host's root, did not work there.
            raise ConfigError(
                f"{cls.variables()['public_url']}={value!r} must be the address alone, without"
                " a path: mailmove is served at the root of its host (the chat page asks for"
                " /api/webchat/…); give it a host of its own, like https://support.example.jp"
            )
        if value and (problem := _unopenable(value)):
            raise ConfigError(f"{name}={value!r} is not a valid URL: {problem}")
        return value.rstrip("/")

    @field_validator("agent_tokens", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(token.strip() for token in value.split(",") if token.strip())
        return value

    @field_validator("agent_tokens")
    @classmethod
    def _tokens_long_enough(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Entries are `name:token` or a bare token (bot.ops.agent_tokens reads them).
        name = cls.variables()["agent_tokens"]
        try:
            parsed = agent_tokens(value)
        except ValueError as err:
            raise ConfigError(f"{name}: {err}") from None
        if any(len(entry.token) < MIN_SECRET_LENGTH for entry in parsed):
            raise ConfigError(
                f"{name}: every token must be at least {MIN_SECRET_LENGTH} characters"
            )
        if not all(header_safe(entry.token) for entry in parsed):
            raise ConfigError(
                f"{name}: a token must be printable ASCII without spaces (an HTTP header "
                "carries nothing else as written; generate one: openssl rand -hex 24)"
            )
        if len({entry.token for entry in parsed}) < len(parsed):
            # The API could not tell the agents apart: one would be named for the other's
            # take-over, hand-back and close, in the transcript and to the subscriber.
            raise ConfigError(f"{name}: two entries have the same token; give each agent one")
        if any(guessable(entry.token) for entry in parsed):
            raise ConfigError(
                f"{name}: a token repeats too few characters to be random"
                " (generate one: openssl rand -hex 24)"
            )
        return value

    @model_validator(mode="after")
    def _webhook_is_signed(self) -> Settings:
        names = self.variables()
        if self.desk_webhook_secret and not self.desk_webhook_url:
            # Set alone, it was ignored: an operator who meant the desk to hear of handoffs
            # found out only when a subscriber said nobody called.
            raise ConfigError(
                f"{names['desk_webhook_secret']} is set without {names['desk_webhook_url']}:"
                " set the URL too, or leave both out"
            )
        if self.desk_webhook_url and len(self.desk_webhook_secret) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"{names['desk_webhook_url']} needs {names['desk_webhook_secret']}"
                f" ({MIN_SECRET_LENGTH}+ characters) to sign"
            )
        return self


# What Kubernetes gives a pod for a Service named `mailmove` in its namespace, where service
# links are on: MAILMOVE_SERVICE_HOST, MAILMOVE_SERVICE_PORT_HTTP, MAILMOVE_PORT_80_TCP_ADDR…
_SERVICE_LINK: Final = re.compile(
    rf"{ENV_PREFIX}(SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)"
)


# Variables older versions read: a deployment upgraded with them still set must start.
_RETIRED: Final = frozenset({"MAILMOVE_SECRET"})  # 0f2f819: check links need no secret


def _unknown_names(environ: Mapping[str, str], known: set[str]) -> tuple[str, ...]:
    """A line for each set `MAILMOVE_*` name of `environ` not in `known`, with the closest."""
    lines = []
    for name, value in sorted(environ.items()):
        if (
            not name.startswith(ENV_PREFIX)
            or name in known
            or name in _RETIRED
            or value == ""
            or _SERVICE_LINK.fullmatch(name)
        ):
            continue
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
        hint = f" ({close[0]}?)" if close else ""
        lines.append(
            f"{name} is not a variable mailmove reads{hint}: it is ignored; correct its name,"
            " or unset it"
        )
    return tuple(lines)


class _Variables(EnvSettingsSource):
    """The `MAILMOVE_*` variables of the mapping `from_env` was given, not of `os.environ`."""

    def __init__(self, settings_cls: type[Settings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._variables = settings_cls.variables()
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        # Names are case-sensitive, as POSIX has them: `mailmove_port` is not MAILMOVE_PORT.
        # (`case_sensitive=True` would not do: the prefix would meet lower-case field names.)
        return {
            name.lower(): value
            for name, value in self._environ.items()
            if name.isupper() and not (self.env_ignore_empty and value == "")
        }

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """A field's variable; none for `environ`, which is the mapping, not a variable in it."""
        if field_name not in self._variables:
            return None, field_name, False
        return super().get_field_value(field, field_name)


def service_url(variable: str, value: str) -> str:
    """`value` (a platform's or Chatwoot's base URL) stripped, or ConfigError naming `variable`.

    `CHATWOOT_URL=chatwoot.example.jp` started the server with a warning, and every handoff,
    mirror and reply through Chatwoot then failed ("UnsupportedProtocol"). Not quoted: a
    base URL may carry a user and password.
    """
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{variable} must start with https:// (or http://) and name a host")
    if problem := _unopenable(url):
        raise ConfigError(f"{variable} is not a valid URL: {problem}")
    return url


def _unopenable(url: str) -> str:
    """Why a browser would not open `url` (a port past 65535, a host with a space), or "".

    Accepted before: 'https://bot.example.jp:99999' started the server and went into every
    login-check link, which no browser opened; a trailing newline (a value read from a file)
    was dropped by urlsplit and kept in the links.
    """
    if any(char.isspace() or not char.isprintable() for char in url):
        return "it holds a space, a line break or a control character"
    try:
        parsed = _BROWSER_URL.validate_python(url)
    except ValidationError as err:
        reason = str(err.errors(include_url=False)[0]["msg"])
        reason = reason.removeprefix("Input should be a valid URL, ")
        return f"{reason} (a port is 1-{MAX_PORT})" if "port" in reason else reason
    if parsed.port == 0:
        return f"invalid port number (a port is 1-{MAX_PORT})"
    return ""


def _problems(settings_cls: type[Settings], error: ValidationError) -> list[str]:
    """One sentence per bad value, naming its variable and never quoting a secret."""
    problems = []
    for detail in error.errors(include_input=False, include_url=False):
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, ConfigError):
            problems.append(str(cause))
        elif detail["loc"]:
            # By field name from code, by variable name (MAILMOVE_STORE) from the environment.
            where = str(detail["loc"][0])
            problems.append(f"{settings_cls.variables().get(where, where)}: {detail['msg']}")
        else:
            problems.append(detail["msg"])
    return problems


def _not_a_store_url(name: str, value: str) -> str:
    """Why `value` names no store, and the URL to give (refused when the settings are read).

    Found only once the store was opened, after every module of the server had been imported;
    a path alone ('/srv/mailmove.sqlite3', as a SQLite file is often named) is given back as
    the URL it means.
    """
    if "://" not in value and "@" not in value and value.endswith((".sqlite3", ".sqlite", ".db")):
        path = value.strip()
        return f"{name}={value!r} is a file, not a URL: use sqlite:///{path}"
    # Only the scheme is named: a URL may carry a password.
    scheme = value.partition(":")[0] if ":" in value else value[:20]
    return (
        f"{name} starts with {scheme!r}: use sqlite:///path/to/file.sqlite3 (a file; four"
        " slashes before an absolute path) or redis://host:6379/0"
    )


def _sentinel_refused(url: str) -> str:
    """Why a Sentinel URL is refused and what to give instead, with the URL's own names.

    redis-py's Sentinel pool is not the blocking pool, the reconnect on a read-only answer
    and the TLS and ACL probes every turn relies on (bot/store/redis_store.py), so it is
    not read; the primary's own address is. The Sentinels' host and the service's name are
    said back (no secret); a password before them is not.
    """
    address = url.partition("://")[2]
    # The names follow the password's last '@': a password may hold '/' (its end was said back
    # as the service's name), and one holding '?' or '#' as well leaves nothing safe to read.
    head = address.split("?")[0].split("#")[0]
    if head.count("@") != address.count("@"):
        head = ""
    netloc, _, path = head.rpartition("@")[2].partition("/")
    first = urlsplit("redis://" + netloc.split(",")[0])
    try:
        host, port = first.hostname, first.port
    except ValueError:
        host, port = None, None
    service = path.split("/")[0].split("?")[0]
    return (
        "a Redis Sentinel URL is not read: name the primary itself,"
        " redis://[:password@]host:6379/0. Where a name follows the primary across a"
        " failover (a managed Redis' primary endpoint, a Service in front of the primary), the"
        " replicas follow it without a restart; else ask a Sentinel for the primary"
        f" (redis-cli -h {host or '<sentinel>'} -p {port or 26379} SENTINEL"
        f" get-master-addr-by-name {service or '<service>'}) and, after a failover, point"
        " MAILMOVE_STORE at the new primary and restart the replicas (docs/operations.md,"
        " Redis failover)"
    )
