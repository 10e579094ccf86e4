"""The migration profile: every provider fact the bot states, validated once at start-up.

The profile arrives here already parsed (a mapping, as `tomllib` returns it): reading the
file is the runtime's job, so this module stays pure.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from dialogs.desk_hours import DeskHours, parse_desk_hours

_HOST_RE: Final = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file, the key and the problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: [{key}] {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class Security(enum.StrEnum):
    """How a mail program talks to a server. The notice names none, so the seed says `none`."""

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


@dataclass(frozen=True, slots=True)
class IncomingServer:
    """The POP server: everyone moves from `old_host` to `new_host`."""

    old_host: str
    new_host: str
    port: int
    security: Security


@dataclass(frozen=True, slots=True)
class OutgoingServer:
    """The SMTP server: only members on one of `old_hosts` get `new_host`."""

    old_hosts: tuple[str, ...]
    new_host: str
    old_port: int
    port: int
    security: Security


@dataclass(frozen=True, slots=True)
class Schedule:
    """The settings-change window and how long the old servers answer."""

    window_start: dt.date
    window_end: dt.date
    old_pop_until: dt.date
    old_smtp_until: dt.date


@dataclass(frozen=True, slots=True)
class Support:
    """How a subscriber reaches people, in each language; `hours` may be empty."""

    contact_ja: str
    contact_en: str
    hours_ja: str
    hours_en: str
    # When the desk answers, per weekday ([support.desk_hours]); empty: at any time.
    desk_hours: DeskHours = field(default_factory=DeskHours)


@dataclass(frozen=True, slots=True)
class MigrationProfile:
    """Everything provider-specific that the dialog needs."""

    provider_name: str
    timezone: str
    affected_domains: tuple[str, ...]
    incoming: IncomingServer
    outgoing: OutgoingServer
    schedule: Schedule
    support: Support
    pop_before_smtp_kept: bool
    op25b_planned: bool
    allow_plaintext_login: bool

    def is_affected(self, address: str) -> bool:
        """Whether an e-mail address belongs to a migrating domain."""
        domain = address.rsplit("@", 1)[-1].lower()
        return domain in self.affected_domains


class _Reader:
    """Typed access to one table of the parsed TOML, naming the full key on every error."""

    def __init__(self, source: str, data: Mapping[str, object], prefix: str = "") -> None:
        self._source = source
        self._data = data
        self._prefix = prefix

    def _key(self, name: str) -> str:
        return f"{self._prefix}{name}"

    def _get(self, name: str) -> object:
        if name not in self._data:
            raise ProfileError(self._source, self._key(name), "is missing")
        return self._data[name]

    def table(self, name: str) -> _Reader:
        value = self._get(name)
        if not isinstance(value, Mapping):
            raise ProfileError(self._source, self._key(name), "must be a table")
        return _Reader(self._source, value, f"{self._key(name)}.")

    def desk_hours(self, name: str) -> DeskHours:
        value = self._data.get(name, {})
        if not isinstance(value, Mapping):
            raise ProfileError(self._source, self._key(name), "must be a table of weekdays")
        try:
            return parse_desk_hours(value)
        except ValueError as err:
            raise ProfileError(self._source, self._key(name), str(err)) from None

    def text(self, name: str, *, allow_empty: bool = False) -> str:
        value = self._get(name)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise ProfileError(self._source, self._key(name), "must be a non-empty string")
        return value.strip()

    def host(self, name: str) -> str:
        return self._check_host(name, self._get(name))

    def hosts(self, name: str) -> tuple[str, ...]:
        value = self._get(name)
        if not isinstance(value, list) or not value:
            raise ProfileError(self._source, self._key(name), "must be a non-empty list")
        return tuple(self._check_host(name, item) for item in value)

    def _check_host(self, name: str, value: object) -> str:
        if not isinstance(value, str) or not _HOST_RE.match(value.lower()):
            raise ProfileError(
                self._source, self._key(name), f"{value!r} is not a host name like mail.example.jp"
            )
        return value.lower()

    def port(self, name: str) -> int:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise ProfileError(self._source, self._key(name), "must be a port number (1-65535)")
        return value

    def flag(self, name: str) -> bool:
        value = self._get(name)
        if not isinstance(value, bool):
            raise ProfileError(self._source, self._key(name), "must be true or false")
        return value

    def date(self, name: str) -> dt.date:
        value = self._get(name)
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ProfileError(self._source, self._key(name), "must be a date like 2008-05-21")
        return value

    def security(self, name: str) -> Security:
        value = self._get(name)
        try:
            return Security(str(value))
        except ValueError:
            allowed = ", ".join(s.value for s in Security)
            raise ProfileError(
                self._source, self._key(name), f"{value!r} is not one of {allowed}"
            ) from None


def parse_profile(data: Mapping[str, object], source: str) -> MigrationProfile:
    """Build a profile from parsed TOML, or raise ProfileError naming what is wrong."""
    root = _Reader(source, data)
    provider = root.table("provider")
    incoming = root.table("incoming")
    outgoing = root.table("outgoing")
    schedule = root.table("schedule")
    support = root.table("support")
    policy = root.table("policy")

    profile = MigrationProfile(
        provider_name=provider.text("name"),
        timezone=provider.text("timezone"),
        affected_domains=provider.hosts("affected_domains"),
        incoming=IncomingServer(
            old_host=incoming.host("old_host"),
            new_host=incoming.host("new_host"),
            port=incoming.port("port"),
            security=incoming.security("security"),
        ),
        outgoing=OutgoingServer(
            old_hosts=outgoing.hosts("old_hosts"),
            new_host=outgoing.host("new_host"),
            old_port=outgoing.port("old_port"),
            port=outgoing.port("port"),
            security=outgoing.security("security"),
        ),
        schedule=Schedule(
            window_start=schedule.date("window_start"),
            window_end=schedule.date("window_end"),
            old_pop_until=schedule.date("old_pop_until"),
            old_smtp_until=schedule.date("old_smtp_until"),
        ),
        support=Support(
            contact_ja=support.text("contact_ja"),
            contact_en=support.text("contact_en"),
            hours_ja=support.text("hours_ja", allow_empty=True),
            hours_en=support.text("hours_en", allow_empty=True),
            desk_hours=support.desk_hours("desk_hours"),
        ),
        pop_before_smtp_kept=policy.flag("pop_before_smtp_kept"),
        op25b_planned=policy.flag("op25b_planned"),
        allow_plaintext_login=policy.flag("allow_plaintext_login"),
    )
    if profile.schedule.window_end < profile.schedule.window_start:
        raise ProfileError(source, "schedule.window_end", "is before schedule.window_start")
    return profile
