"""The live login check as the runtime runs it: link, limits, check, result into the chat.

The password arrives on the bot's own page (never in a chat), lives in memory for the
length of the check, and is passed to nothing but `credential_check`, which connects only
to the profile's servers.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import ssl
import time
from dataclasses import dataclass
from typing import Final

from bot.delivery import Delivery
from bot.engine import Engine
from bot.mailcheck.check_links import LinkError, token_digest
from bot.mailcheck.credential_check import check_login, round_trip
from bot.mailcheck.target import CheckTarget
from bot.ops import metrics
from bot.store.conversation_store import Change, ConversationRecord, record_key
from bot.store.rate_limit import RateLimiter, check_keys
from dialogs.vocabulary import Inbound, Locale, SystemEvent, TextReply

_LOGGER: Final = logging.getLogger(__name__)


class PageStatus(enum.Enum):
    """What the password page shows."""

    FORM = "form"
    DONE = "done"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    NO_ADDRESS = "no_address"
    RATE_LIMITED = "rate_limited"


@dataclass(frozen=True, slots=True)
class PageView:
    """Everything the page needs to render; `lines` are the result as said in the chat."""

    status: PageStatus
    locale: Locale = "ja"
    address: str = ""
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Where and how the check connects; tests point it at loopback servers."""

    target: CheckTarget
    timeout: float = 15.0
    tls_context: ssl.SSLContext | None = None
    round_trip_wait: float = 60.0


@dataclass(frozen=True, slots=True)
class CheckLink:
    """An opened link: which conversation it checks, and its digest (its one-time key)."""

    channel: str
    conversation_id: str
    nonce: str


def _fingerprint(address: str) -> str:
    # Logs carry a stable pseudonym, never the address itself.
    return hashlib.sha256(address.lower().encode()).hexdigest()[:12]


class LoginChecks:
    """Serves the password page's two steps: show the form, run the check."""

    def __init__(
        self,
        engine: Engine,
        delivery: Delivery,
        limiter: RateLimiter,
        settings: CheckSettings,
    ) -> None:
        self._engine = engine
        self._delivery = delivery
        self._limiter = limiter
        self._settings = settings

    async def _open(self, token: str) -> tuple[CheckLink, ConversationRecord] | PageView:
        try:
            digest = token_digest(token)
        except LinkError:
            return PageView(PageStatus.INVALID)
        grant = await self._engine.store.find_grant(digest)
        if grant is None:
            return PageView(PageStatus.INVALID)
        if self._engine.now() >= grant.expires:
            return PageView(PageStatus.EXPIRED)
        record = await self._engine.store.load(grant.key)
        if record is None:
            return PageView(PageStatus.INVALID)
        link = CheckLink(record.channel, record.conversation_id, digest)
        if record.dialog.address is None:
            return PageView(PageStatus.NO_ADDRESS, record.dialog.locale)
        return link, record

    async def form(self, token: str) -> PageView:
        """The form, or why the link cannot be used."""
        opened = await self._open(token)
        if isinstance(opened, PageView):
            return opened
        _, record = opened
        return PageView(PageStatus.FORM, record.dialog.locale, record.dialog.address or "")

    async def run(self, token: str, password: str, *, with_round_trip: bool) -> PageView:
        """Check the login once; the result goes into the chat and onto the page."""
        opened = await self._open(token)
        if isinstance(opened, PageView):
            return opened
        link, record = opened
        address = record.dialog.address or ""
        locale = record.dialog.locale
        key = record_key(link.channel, link.conversation_id)
        if not await self._limiter.try_acquire(check_keys(key, address)):
            _LOGGER.info("Login check refused by the rate limit for %s", _fingerprint(address))
            metrics.check_finished("refused")
            await self._report(link, SystemEvent("check_result", (("refused", "rate_limited"),)))
            return PageView(PageStatus.RATE_LIMITED, locale, address)
        if not await self._claim(key, link):
            return PageView(PageStatus.USED, locale, address)
        data = await self._check(address, password, with_round_trip=with_round_trip)
        lines = await self._report(link, SystemEvent("check_result", data))
        return PageView(PageStatus.DONE, locale, address, lines)

    async def _claim(self, key: str, link: CheckLink) -> bool:
        def keep(record: ConversationRecord | None) -> Change[bool] | None:
            return None if record is None else Change(record, (), True)

        # The store's event dedupe makes the nonce single-use on every replica at once.
        claimed = await self._engine.store.transact(key, f"check-link:{link.nonce}", keep)
        return claimed is not None

    async def _check(
        self, address: str, password: str, *, with_round_trip: bool
    ) -> tuple[tuple[str, str], ...]:
        settings = self._settings
        started = time.perf_counter()
        result = await check_login(
            settings.target,
            address,
            password,
            timeout=settings.timeout,
            tls_context=settings.tls_context,
        )
        data = [
            ("smtp", result.smtp.outcome.value),
            ("pop", result.pop.outcome.value),
            ("pop_count", str(result.pop.message_count or 0)),
        ]
        if with_round_trip and result.ok:
            trip = await round_trip(
                settings.target,
                address,
                password,
                timeout=settings.timeout,
                wait=settings.round_trip_wait,
                tls_context=settings.tls_context,
            )
            data.append(("round_trip", "delivered" if trip.delivered else "not_delivered"))
        duration = time.perf_counter() - started
        data.append(("seconds", f"{duration:.2f}"))
        # One count per check: "ok", or the first failing protocol's outcome.
        failing = [r.outcome.value for r in (result.smtp, result.pop) if r.outcome.value != "ok"]
        metrics.check_finished("ok" if result.ok else (failing or ["not_checked"])[0])
        _LOGGER.info(
            "Login check for %s: smtp=%s pop=%s in %.2f s",
            _fingerprint(address),
            result.smtp.outcome.value,
            result.pop.outcome.value,
            duration,
        )
        return tuple(data)

    async def _report(self, link: CheckLink, event: SystemEvent) -> tuple[str, ...]:
        outcome = await self._engine.handle(
            Inbound(
                channel=link.channel,
                conversation_key=link.conversation_id,
                event_id=f"check-result:{link.nonce}:{event.get('refused', 'ran')}",
                event=event,
            ),
            create=False,
        )
        await self._delivery.push(link.channel, link.conversation_id, outcome.replies)
        # The page repeats the chat's words, without the buttons.
        return tuple(reply.text for reply in outcome.replies if isinstance(reply, TextReply))
