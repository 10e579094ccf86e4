"""Handing a conversation to the support desk: the summary an agent acts on, and the desks.

A desk is anything that can be told about a handoff: a signed webhook (any help desk), a
Slack channel of agents, a Chatwoot inbox. If no desk hears about it, the subscriber must
not wait for nobody: the conversation goes back to the bot, which says how to reach people.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import httpx
import orjson

from bot.background import BackgroundTasks
from bot.conversation_store import (
    Change,
    ConversationRecord,
    ConversationStore,
    Owner,
    TranscriptEntry,
    record_key,
)
from bot.delivery import Delivery
from bot.engine import TurnOutcome
from bot.i18n import Catalogs
from bot.messages import Locale, TextReply, reply_to_dict
from dialogs.profile import MigrationProfile

_LOGGER: Final = logging.getLogger(__name__)
SIGNATURE_HEADER: Final = "X-Mailmove-Signature"


@dataclass(frozen=True, slots=True)
class HandoffSummary:
    """What an agent needs in ten seconds. Never a password (none is ever stored)."""

    key: str
    channel: str
    conversation_id: str
    sender: str
    locale: Locale
    reason: str
    address: str
    program: str
    answers: dict[str, str]
    receiving: str
    sending: str
    stage: str
    last_check: str
    transcript_url: str

    def as_json(self) -> dict[str, object]:
        """The webhook body."""
        return dataclasses.asdict(self)

    def as_text(self, catalogs: Catalogs, locale: Locale = "ja") -> str:
        """A few lines for a chat message or an internal note, in the desk's language."""

        def say(key: str, **params: object) -> str:
            return catalogs.fill(locale, key, params)

        unknown = say("summary.unknown")
        answers = ", ".join(f"{q.split('_', 1)[0].upper()}={a}" for q, a in self.answers.items())
        verdict = f"{self.receiving or unknown} / {self.sending or unknown}"
        rows = [
            say("summary.title", reason=self.reason),
            say("summary.who", sender=self.sender or unknown, channel=self.channel),
            say("summary.address", address=self.address or unknown),
            say("summary.program", program=self.program or unknown),
            say("summary.answers", answers=answers or unknown),
            say("summary.verdict", verdict=verdict),
            say("summary.check", check=self.last_check or unknown),
            say("summary.transcript", url=self.transcript_url),
        ]
        return "\n".join(rows)


class DeskUnavailableError(RuntimeError):
    """The desk could not be told; the caller gives the conversation back to the bot."""


class Desk(Protocol):
    """Somewhere agents hear about handoffs."""

    name: str

    def accepts(self, channel: str) -> bool:
        """Whether this desk takes conversations of `channel` (Chatwoot takes only its own)."""

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Tell the agents; raise DeskUnavailableError if they could not be told."""


class WebhookDesk:
    """POSTs the summary as JSON, signed: `X-Mailmove-Signature: sha256=<hex HMAC of body>`."""

    name = "webhook"

    def __init__(self, url: str, secret: bytes, client: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._secret = secret
        self._client = client or httpx.AsyncClient(timeout=10.0)

    def accepts(self, channel: str) -> bool:
        """Any help desk behind a webhook can take any channel's conversation."""
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Deliver the summary; any non-2xx answer counts as not delivered."""
        body = orjson.dumps(summary.as_json())
        signature = hmac.new(self._secret, body, hashlib.sha256).hexdigest()
        try:
            response = await self._client.post(
                self._url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    SIGNATURE_HEADER: f"sha256={signature}",
                },
            )
        except httpx.HTTPError as err:
            raise DeskUnavailableError(f"webhook unreachable: {type(err).__name__}") from err
        if not response.is_success:
            raise DeskUnavailableError(f"webhook answered {response.status_code}")


def last_check(transcript: Sequence[TranscriptEntry]) -> str:
    """The most recent login check's audit line, if any."""
    for entry in reversed(transcript):
        if entry.author == "system" and entry.text.startswith("check_result:"):
            return entry.text.removeprefix("check_result:").strip()
    return ""


class Handoffs:
    """The engine's handoff hook: builds the summary and tells every configured desk."""

    def __init__(
        self,
        store: ConversationStore,
        delivery: Delivery,
        catalogs: Catalogs,
        desks: Sequence[Desk],
        base_url: str,
        profile: MigrationProfile,
        tasks: BackgroundTasks,
    ) -> None:
        self._profile = profile
        self._tasks = tasks
        self._store = store
        self._delivery = delivery
        self._catalogs = catalogs
        self.desks = list(desks)
        self._base_url = base_url.rstrip("/")

    def available_for(self, channel: str) -> bool:
        """Whether some desk takes conversations of `channel`."""
        return any(desk.accepts(channel) for desk in self.desks)

    def add(self, desk: Desk) -> None:
        """A desk that became available (a channel registers its agents' side on start)."""
        self.desks.append(desk)

    async def summary(self, record: ConversationRecord, reason: str) -> HandoffSummary:
        """The summary of a stored conversation."""
        dialog = record.dialog
        transcript = await self._store.transcript(record.key)
        sender = next(
            (e.text for e in transcript if e.author == "system" and e.text.startswith("sender:")),
            "",
        )
        return HandoffSummary(
            key=record.key,
            channel=record.channel,
            conversation_id=record.conversation_id,
            sender=sender.removeprefix("sender:").strip(),
            locale=dialog.locale,
            reason=self._catalogs.fill("ja", f"handoff.reason.{reason or 'asked'}", {}),
            address=dialog.address or "",
            program=dialog.program or "",
            answers=dict(dialog.answers),
            receiving=dialog.receiving.value if dialog.receiving else "",
            sending=dialog.sending.value if dialog.sending else "",
            stage=dialog.stage.value,
            last_check=last_check(transcript),
            transcript_url=f"{self._base_url}/agent/#{record.key}",
        )

    async def after_handoff(self, outcome: TurnOutcome) -> None:
        """Tell the desks in the background: the platform is answered without waiting on them."""
        record = outcome.record
        if record is not None:
            self._tasks.spawn(
                self._notify(record, outcome.handoff_reason), name=f"handoff {record.key}"
            )

    async def _notify(self, record: ConversationRecord, reason: str) -> None:
        """Tell the desks; if none hears, hand the conversation back and say how to reach us."""
        summary = await self.summary(record, reason)
        delivered = 0
        for desk in self.desks:
            if not desk.accepts(record.channel):
                continue
            try:
                await desk.hand_off(summary)
                delivered += 1
            except DeskUnavailableError as err:
                _LOGGER.error("Desk %s did not take handoff of %s: %s", desk.name, record.key, err)
        if delivered:
            return
        await self._give_back(record)

    async def _give_back(self, record: ConversationRecord) -> None:
        locale = record.dialog.locale
        support = self._profile.support
        contact = support.contact_en if locale == "en" else support.contact_ja
        sorry = TextReply(self._catalogs.fill(locale, "handoff.failed", {"contact": contact}))

        def to_bot(stored: ConversationRecord | None) -> Change[None] | None:
            if stored is None or stored.owner is not Owner.AGENT:
                return None
            back = dataclasses.replace(stored, owner=Owner.BOT)
            line = TranscriptEntry(record.updated_at, "bot", sorry.text, reply_to_dict(sorry))
            return Change(back, [line], None)

        key = record_key(record.channel, record.conversation_id)
        await self._store.transact(key, None, to_bot)
        await self._delivery.push(record.channel, record.conversation_id, [sorry])
