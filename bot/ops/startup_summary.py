"""What `mailmove serve` says once at start-up: where it listens, what is on, what day it is.

One short block for the operator at a terminal (one JSON line for a collector) instead of a
line per channel: where the web chat is, which channels and desks are on and, in one line,
the variables that switch on the others; the store (without its credentials); the profile;
and where today falls in the profile's schedule.

Channels say at start-up whether they are on (`bot.channels.registry`: "Channel x is on")
or what would switch them on (each adapter's factory: "<what> off: set <variables> to
switch it on"). `collecting_channel_lines` gathers those lines into a `ChannelReport` for
the summary instead of letting each reach the log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from bot.ops.settings import Settings
from dialogs.knowledge import Window, timing
from dialogs.profile import MigrationProfile, Protocol

REGISTRY_LOGGER: Final = "bot.channels.registry"
_ON_MESSAGE: Final = "Channel %s is on"
_OFF_LINE: Final = re.compile(r"^(?P<what>.+?) off: set (?P<how>.+) to switch it on$")
# Entry points that are desks for agents rather than ways subscribers write in.
DESK_CHANNELS: Final = {"slack_desk": "Slack agents' desk"}
AGENT_CONSOLE: Final = "agent_console"
BUILT_IN_PROFILE: Final = "built-in (the seed's 117net profile)"


@dataclass(frozen=True, slots=True)
class Switch:
    """Something that is off, and the variables that switch it on."""

    what: str
    how: str

    def __str__(self) -> str:
        return f"{self.what}: {self.how}"


class ChannelReport(logging.Filter):
    """Takes the channels' on/off lines out of the log and keeps them for the summary."""

    def __init__(self) -> None:
        super().__init__()
        self.on: list[str] = []
        self.off: list[Switch] = []
        # Every handler asks about the same record in turn (pytest adds its own): count once.
        self._last: logging.LogRecord | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        """False (kept here, not logged) for a channel's start-up line; True for the rest."""
        if record.levelno != logging.INFO:
            return True
        if record is self._last:
            return False
        if record.name == REGISTRY_LOGGER and record.msg == _ON_MESSAGE and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            self.on.append(str(args[0]))
            self._last = record
            return False
        if record.name.startswith("adapters."):
            found = _OFF_LINE.match(record.getMessage())
            if found:
                what = found["what"].removesuffix(" channel")
                self.off.append(Switch(what, found["how"]))
                self._last = record
                return False
        return True


@contextlib.contextmanager
def collecting_channel_lines() -> Iterator[ChannelReport]:
    """While building the app: the channels' on/off lines go to the report, not the log."""
    report = ChannelReport()
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(report)
    try:
        yield report
    finally:
        for handler in handlers:
            handler.removeFilter(report)


def without_credentials(url: str) -> str:
    """`url` with no user, password or query (`redis://:secret@redis:6379/0?password=x`)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc and not parts.query:
        return url  # nothing to hide (and `sqlite:////abs/path` keeps its slashes)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}"


@dataclass(frozen=True, slots=True)
class StartupSummary:
    """The facts of the summary; `lines()` for people, `fields()` for a JSON line."""

    web_chat: str
    channels: tuple[str, ...]
    desks: tuple[str, ...]
    switches: tuple[Switch, ...]
    store: str
    profile_file: str
    provider: str
    timezone: str
    today: dt.date
    preview: bool
    schedule: str
    # What the operator must act on before subscribers meet it, one sentence each.
    notes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        settings: Settings,
        profile: MigrationProfile,
        today: dt.date,
        report: ChannelReport,
    ) -> StartupSummary:
        """The summary of a start-up with `settings`, `profile`, `today` and its channels."""
        variables = settings.variables()
        on = [name for name in report.on if name != AGENT_CONSOLE]
        desks = [DESK_CHANNELS[name] for name in on if name in DESK_CHANNELS]
        channels = [name for name in on if name not in DESK_CHANNELS]
        if "chatwoot" in channels:
            desks.append("Chatwoot")  # its agents answer in Chatwoot itself
        switches = list(report.off)
        # The console's page is always served; without a token nobody can sign in to it.
        if settings.agent_tokens:
            count = len(settings.agent_tokens)
            desks.append(f"agent console and API ({count} token{'' if count == 1 else 's'})")
        else:
            switches.append(Switch("agent console and API", variables["agent_tokens"]))
        if settings.desk_webhook_url:
            desks.append("desk webhook")
        else:
            switches.append(
                Switch(
                    "desk webhook",
                    f"{variables['desk_webhook_url']} and {variables['desk_webhook_secret']}",
                )
            )
        path = settings.profile_path
        return cls(
            web_chat=f"{settings.base_url}/",
            channels=tuple(channels),
            desks=tuple(desks),
            switches=tuple(switches),
            store=without_credentials(settings.store_url),
            profile_file=str(Path(path).resolve()) if path else BUILT_IN_PROFILE,
            provider=profile.provider_name,
            timezone=profile.timezone,
            today=today,
            preview=settings.as_of is not None,
            schedule=where_today_falls(profile, today),
            notes=(*_notes(settings), *_next_phase_begun(profile, today)),
        )

    def lines(self) -> list[str]:
        """The block for a terminal: a title and one labelled line per fact."""
        rows = [
            ("web chat", self.web_chat),
            ("channels", ", ".join(self.channels) or "none"),
            ("desks", ", ".join(self.desks) or "none"),
        ]
        if self.switches:
            rows.append(("switch on", "; ".join(str(switch) for switch in self.switches)))
        today = f"{self.today.isoformat()} ({self.timezone})"
        if self.preview:
            today += ", a preview (--as-of)"
        rows += [
            ("store", self.store),
            ("profile", f"{self.profile_file}: {self.provider}"),
            ("today", f"{today}: {self.schedule}"),
            *(("note", note) for note in self.notes),
        ]
        width = max(len(label) for label, _ in rows)
        return ["mailmove is starting", *(f"  {label:<{width}}  {text}" for label, text in rows)]

    def fields(self) -> Mapping[str, object]:
        """The same facts as fields of one log line (`notes` only when there are some)."""
        notes: dict[str, object] = {"notes": list(self.notes)} if self.notes else {}
        return {
            "web_chat": self.web_chat,
            "channels": list(self.channels),
            "desks": list(self.desks),
            "switch_on": {switch.what: switch.how for switch in self.switches},
            "store": self.store,
            "profile": self.profile_file,
            "provider": self.provider,
            "today": self.today.isoformat(),
            "preview": self.preview,
            "schedule": self.schedule,
            **notes,
        }


# Listening on these, the server has no address of its own to put in the links it sends.
_EVERY_ADDRESS: Final = frozenset({"0.0.0.0", "::"})  # noqa: S104 - compared, not bound


def _notes(settings: Settings) -> tuple[str, ...]:
    return (
        *_unreachable_links(settings),
        *_example_links(settings),
        *settings.unknown_variables(),
    )


def _next_phase_begun(profile: MigrationProfile, today: dt.date) -> tuple[str, ...]:
    begun = profile.schedule.next_phase_from
    if begun is None or today < begun:
        return ()
    # A first phase's profile still served once its next phase began tells subscribers that
    # day is to come (「…から始まる次の段階で変わります」), and the summary said "(it changes
    # from …)" as of a day gone (dates4).
    return (
        f"the profile's next phase began on {begun} ([schedule] next_phase_from): it still"
        " tells subscribers that day is to come; serve the next phase's profile",
    )


# Names reserved for examples (RFC 2606, RFC 6761; JPRS keeps example.jp and its kind):
# configmap.yaml ships https://mailmove.example.jp, the address the Ingress then answers on.
_EXAMPLE_DOMAINS: Final = ("example.com", "example.net", "example.org", "example.jp")
_EXAMPLE_TLDS: Final = ("example", "invalid", "test")


def _example_links(settings: Settings) -> tuple[str, ...]:
    host = (urlsplit(settings.public_url).hostname or "").rstrip(".")
    parts = host.split(".")
    example = parts[-1] in _EXAMPLE_TLDS or any(
        host == domain or host.endswith(f".{domain}") for domain in _EXAMPLE_DOMAINS
    )
    if not settings.public_url or not example:
        return ()
    # The manifests' placeholder left as shipped: every link the bot sent, and the Ingress's
    # host, were mailmove.example.jp, and the replicas said ready.
    return (
        f"{settings.variables()['public_url']} names {host}, a name kept for examples: the"
        " links the bot sends lead nowhere; set it to the address subscribers reach",
    )


def _unreachable_links(settings: Settings) -> tuple[str, ...]:
    if settings.public_url or settings.host not in _EVERY_ADDRESS:
        return ()
    # The image listens on 0.0.0.0: `docker run` without MAILMOVE_PUBLIC_URL served a chat
    # whose login-check links read http://0.0.0.0:8080/check/…, and nothing said so.
    return (
        f"{settings.variables()['public_url']} is not set, so the links the bot sends (the"
        f" login check's) name {settings.base_url}/, which subscribers cannot open: set it to"
        " the address they reach (https://…)",
    )


def where_today_falls(profile: MigrationProfile, today: dt.date) -> str:
    """Before, during or after the window, with its dates, and whether the old servers answer."""
    schedule = profile.schedule
    when = timing(profile, today)
    start, end = schedule.window_start, schedule.window_end
    if when.window is Window.BEFORE:
        days = (start - today).days
        place = f"before the window ({start} to {end}; it opens in {_days(days)})"
    elif when.window is Window.DURING:
        day = (today - start).days + 1
        length = (end - start).days + 1
        place = f"during the window ({start} to {end}; day {day} of {length})"
    else:
        place = f"after the window ({start} to {end}; closed {_days((today - end).days)} ago)"
    # The first phase of two: the side that stays now changes in the next (next_phase_from).
    later = (
        f" in this phase (it changes from {schedule.next_phase_from})"
        if schedule.next_phase_from is not None
        else ""
    )
    receiving = (
        f"receiving unchanged{later}"
        if profile.incoming.unchanged
        else _old_server(old_receiving_name(profile), schedule.old_pop_until, when.old_pop_up)
    )
    return f"{place}; {receiving}, " + (
        f"sending unchanged{later}"
        if profile.outgoing.unchanged
        else _old_server("SMTP", schedule.old_smtp_until, when.old_smtp_up)
    )


def old_receiving_name(profile: MigrationProfile) -> str:
    """The old receiving server as operators call it: POP, or IMAP where that is today's."""
    return "IMAP" if profile.incoming.old_protocol is Protocol.IMAP else "POP"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _old_server(protocol: str, until: dt.date | None, up: bool) -> str:
    if until is None:
        return f"old {protocol} answers until a day not decided yet"
    if up:
        return f"old {protocol} answers until {until}"
    return f"old {protocol} gone since {until + dt.timedelta(days=1)}"
