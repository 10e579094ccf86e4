"""The live login check as the runtime runs it: link, limits, check, result into the chat.

The password arrives on the bot's own page (never in a chat), lives in memory for the
length of the check, and is passed to nothing but `credential_check`, which connects only
to the profile's servers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import enum
import hashlib
import logging
import math
import ssl
import time
import zoneinfo
from dataclasses import dataclass
from typing import Final

from bot.delivery import Delivery
from bot.engine import Engine
from bot.mailcheck.check_links import LinkError, token_digest
from bot.mailcheck.credential_check import MessageWords, check_login, round_trip
from bot.mailcheck.outcomes import Outcome, RoundTripResult
from bot.mailcheck.server_trouble import ServerTrouble
from bot.mailcheck.target import STEP_BUDGET, CheckTarget
from bot.ops import metrics
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    LinkGrant,
    Owner,
    TranscriptEntry,
    event_tag,
    record_key,
)
from bot.store.rate_limit import RateLimiter, check_keys
from dialogs import check_words
from dialogs.profile import MigrationProfile
from dialogs.texts import N_
from dialogs.vocabulary import (
    Inbound,
    Locale,
    Reply,
    Sending,
    SystemEvent,
    TextReply,
    reply_to_dict,
)

_LOGGER: Final = logging.getLogger(__name__)
# What a check's request may spend beyond its logins: the rate limit, the link's claim and the
# result's report (each a store transaction that may wait for a locked SQLite file) and its
# delivery to the chat.
_BOOKKEEPING_S: Final = 30.0


class PageStatus(enum.Enum):
    """What the password page shows."""

    FORM = "form"
    DONE = "done"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    NO_ADDRESS = "no_address"
    RATE_LIMITED = "rate_limited"


class Mark(enum.Enum):
    """How one part of a check came out, as the page marks it (icon and word, not colour)."""

    PASSED = "pass"
    FAILED = "fail"
    NOT_CHECKED = "not_checked"


# The result's keys the page marks, and the part of the check each names. IMAP and the
# future names of the receiving check mark the same part as POP.
_PARTS: Final = {"pop": "receive", "imap": "receive", "receive": "receive", "smtp": "send"}
_ORDER: Final = ("receive", "send", "round_trip")
# Refused for safety (not_verified) or skipped proves nothing either way: not a failure.
_MARKS: Final = {
    "ok": Mark.PASSED,
    # The account and password were accepted (RFC 2449's [IN-USE]): a login that worked.
    "mailbox_in_use": Mark.PASSED,
    "not_checked": Mark.NOT_CHECKED,
    "not_verified": Mark.NOT_CHECKED,
    # The server was not reached (the chat's check_words.SERVER_NOT_REACHED): the login was
    # never tried, so 「未確認」 as the chat marks it, not 「問題あり」 beside the headline
    # that says nothing was found wrong with the subscriber's settings.
    **dict.fromkeys(check_words.SERVER_NOT_REACHED, Mark.NOT_CHECKED),
}
# A test message whose wait (or sending) the server's shutdown cut short neither arrived nor
# failed to, nor did one whose mailbox could not be read safely.
_ROUND_TRIP_MARKS: Final = {
    "delivered": Mark.PASSED,
    "not_finished": Mark.NOT_CHECKED,
    "sent_unread": Mark.NOT_CHECKED,
    "not_sent": Mark.NOT_CHECKED,
}


@dataclass(frozen=True, slots=True)
class PageView:
    """Everything the page needs to render; `lines` are the result as said in the chat.

    `channel` is where the conversation runs ("" when the link names none), so the page can
    lead the subscriber back to it; `marks` are (part, mark) pairs of a finished check.
    """

    status: PageStatus
    locale: Locale = "ja"
    address: str = ""
    lines: tuple[str, ...] = ()
    channel: str = ""
    marks: tuple[tuple[str, Mark], ...] = ()
    # A person had the conversation: the chat was told nothing, the agent sees the result.
    with_agent: bool = False
    # A used link's check has reported to the conversation (False: it is still running).
    result_sent: bool = False
    # Whether the check logs in to the outgoing server for this subscriber: not where the
    # chat told them their sending settings stay (`LoginChecks.target_for`).
    sending_checked: bool = True
    # Whether the page offers the test message (`LoginChecks.sends_test_message`).
    test_message: bool = True
    # A form's link stops working at `until` (the provider's time zone), `until_s` seconds
    # after this answer. Said on the form: a subscriber who went to find the password came
    # back after the ten minutes, typed it, and only then heard the link had expired.
    until: dt.datetime | None = None
    until_s: int = 0


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Where and how the check connects; tests point it at loopback servers."""

    target: CheckTarget
    timeout: float = 15.0
    tls_context: ssl.SSLContext | None = None
    round_trip_wait: float = 60.0
    # How long a login still running when the server is told to stop may go on before it is
    # cut and told as a temporary failure: within the server's 20 s shutdown grace (bot.server
    # SHUTDOWN_GRACE), with room to write the result to the chat and answer the page.
    stop_wait: float = 10.0

    def longest(self, *, with_round_trip: bool) -> float:
        """The most seconds a check's request may take before its page is answered.

        Each protocol's session is bounded by STEP_BUDGET steps (the login's two run at
        once); a round trip adds its send, its wait, and a last look begun as the wait ends.
        The page waits this long for its answer (check_page.js), so that it never gives up
        on a check that is still running, its link already spent.
        """
        session = self.timeout * STEP_BUDGET
        longest = session + (2 * session + self.round_trip_wait if with_round_trip else 0.0)
        return longest + _BOOKKEEPING_S


@dataclass(frozen=True, slots=True)
class CheckLink:
    """An opened link: which conversation it checks, and its digest (its one-time key)."""

    channel: str
    conversation_id: str
    nonce: str
    expires: dt.datetime


def used_digest(digest: str) -> str:
    """Where a used link's mark is stored: a grant of its own beside the link's.

    The store keeps grants, not flags, so a claim writes this second grant in the same
    transaction; opening the link finds it and says "already used" without claiming
    anything. No token hashes to it: tokens never contain a colon.
    """
    return hashlib.sha256(f"used:{digest}".encode()).hexdigest()


def marks(data: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Mark], ...]:
    """The page's marks for a check result's data: receiving, sending, the test message.

    The order of the result's paragraphs under them (and of the settings card), whatever
    order the check reported its parts in.
    """
    found: list[tuple[str, Mark]] = []
    for key, value in data:
        if key in _PARTS:
            mark = _MARKS.get(value, Mark.FAILED)
            found.append((_PARTS[key], mark))
        elif key == "round_trip":
            found.append(("round_trip", _ROUND_TRIP_MARKS.get(value, Mark.FAILED)))
    return tuple(sorted(found, key=lambda part_mark: _ORDER.index(part_mark[0])))


def round_trip_value(trip: RoundTripResult) -> str:
    """The check result's word for a test message: how the chat, page and desks say it."""
    if trip.delivered:
        return "delivered"
    if trip.send.outcome is Outcome.NOT_CHECKED:
        # The server's shutdown cut the sending short (or came before it): neither sent nor
        # refused, and not 'did not arrive in time' either.
        return "not_sent"
    if trip.send.outcome is Outcome.OK and trip.receive.outcome is Outcome.NOT_CHECKED:
        return "not_finished"  # sent, and the wait stopped early: the server shut down
    if trip.send.outcome is Outcome.OK and trip.receive.outcome is Outcome.MAILBOX_IN_USE:
        # Sent; the mailbox stayed held by another program to the end of the wait: the look
        # for it did not finish, nothing says the message is lost.
        return "not_finished"
    if trip.send.outcome is Outcome.OK and trip.receive.outcome is Outcome.NOT_VERIFIED:
        # Sent, and the mailbox not read: the check will not log in to it unsafely (a
        # sending-only migration's POP3 on 110 without TLS). Not 'did not arrive in time'.
        return "sent_unread"
    return "not_delivered"


def _result_event(nonce: str, how: str) -> str:
    """The event id of a link's result in its conversation: "ran", or why it was refused."""
    return f"check-result:{nonce}:{how}"


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
        stopping: asyncio.Event | None = None,
    ) -> None:
        self._engine = engine
        self._delivery = delivery
        self._limiter = limiter
        self._settings = settings
        # Set when the replica drains: a round trip's wait then ends within the grace.
        self._stopping = stopping
        self._zone = zoneinfo.ZoneInfo(engine.profile.timezone)
        self._trouble = ServerTrouble()

    @property
    def profile(self) -> MigrationProfile:
        """The migration profile whose servers the check logs in to."""
        return self._engine.profile

    @property
    def settings(self) -> CheckSettings:
        """Where and how the check connects, and so how long it may take."""
        return self._settings

    def target_for(self, record: ConversationRecord) -> CheckTarget:
        """The servers the check logs in to for `record`'s subscriber.

        One whose sending settings the chat said stay as they are (another company's
        outgoing server: the card marks every sending row unchanged) is checked on the
        receiving server alone. Logging in to the new outgoing server said 「受信サーバーにも
        送信サーバーにもログインできます」, or on a refusal 「送信の認証にも、メールアドレス全体…を
        使います」, of settings the card told them to leave alone.
        """
        target = self._settings.target
        if record.dialog.sending is Sending.NOT_NEEDED and target.check_incoming:
            return dataclasses.replace(target, check_outgoing=False)
        return target

    def sends_test_message(self, record: ConversationRecord) -> bool:
        """Whether the check may send `record`'s subscriber a test message.

        Not where the chat said their sending stays on a server that is not the profile's
        (another company's): the message would go through the new outgoing server, logged
        in to with their password, which `target_for` keeps the check away from; its result
        was followed by 「送信ポート587番…」, of settings the card marks 「変更なし」, and a
        refused send read as 「時間内に受信を確認できませんでした」. A migration that keeps
        its outgoing server as it is still sends through it: the subscriber's own.
        """
        return self.target_for(record).check_outgoing or not self._settings.target.check_outgoing

    async def _open(self, token: str) -> tuple[CheckLink, ConversationRecord] | PageView:
        """The link's conversation, or the page saying why it cannot be used.

        Only reads: a link that is invalid, expired or used is turned away here, before
        anything counts against the rate limit or claims the link.
        """
        try:
            digest = token_digest(token)
        except LinkError:
            return PageView(PageStatus.INVALID)
        grant = await self._engine.store.find_grant(digest)
        if grant is None:
            return PageView(PageStatus.INVALID)
        record = await self._engine.store.load(grant.key)
        if record is None:
            return PageView(PageStatus.INVALID)
        locale, channel = record.dialog.locale, record.channel
        if await self._engine.store.find_grant(used_digest(digest)) is not None:
            # Opened again (the browser's back button after the result, a second tap): the
            # page says whether the result is in the chat or still to come, and who has it.
            return PageView(
                PageStatus.USED,
                locale,
                channel=channel,
                with_agent=record.owner is Owner.AGENT,
                result_sent=await self._reported(grant.key, digest),
            )
        if self._engine.now() >= grant.expires:
            return PageView(PageStatus.EXPIRED, locale, channel=channel)
        if record.dialog.address is None:
            return PageView(PageStatus.NO_ADDRESS, locale, channel=channel)
        link = CheckLink(record.channel, record.conversation_id, digest, grant.expires)
        return link, record

    async def _reported(self, key: str, nonce: str) -> bool:
        """Whether the check of link `nonce` has written its result into the conversation."""
        tag = event_tag(_result_event(nonce, "ran"))
        return any(line.event == tag for line in await self._engine.store.transcript(key))

    async def form(self, token: str) -> PageView:
        """The form, or why the link cannot be used."""
        opened = await self._open(token)
        if isinstance(opened, PageView):
            return opened
        link, record = opened
        dialog = record.dialog
        left = (link.expires - self._engine.now()).total_seconds()
        return PageView(
            PageStatus.FORM,
            dialog.locale,
            dialog.address or "",
            channel=record.channel,
            sending_checked=self.target_for(record).check_outgoing,
            test_message=self.sends_test_message(record),
            until=link.expires.astimezone(self._zone),
            # Counted by the page from its answer, not by the phone's own clock (often wrong).
            until_s=max(1, math.ceil(left)),
        )

    async def run(
        self, token: str, password: str, *, with_round_trip: bool, address: str | None = None
    ) -> PageView:
        """Check the login once; the result goes into the chat and onto the page.

        `address` is the one the subscriber confirmed or corrected on the page (already
        checked against the profile's domains); None checks the chat's address.
        """
        opened = await self._open(token)
        if isinstance(opened, PageView):
            return opened
        link, record = opened
        chat_address = record.dialog.address or ""
        if address is None or address.lower() == chat_address.lower():
            address = chat_address
        locale, channel = record.dialog.locale, link.channel
        key = record_key(link.channel, link.conversation_id)
        # Past `_open` the link was unused a moment ago; two submits racing on one link may
        # both count here, and only one of them gets past the claim.
        # Counted against the mailbox the server logs in to: where the domain changes, the
        # old address and the new one are one mailbox, and must not make two allowances.
        mailbox = self.profile.new_address(address)
        wait = await self._limiter.acquire(check_keys(key, mailbox))
        # The conversation as every turn's line names it (hashed by the log set-up), so each
        # attempt's line is its audit: when, which conversation and address, what, how long.
        audited = {"conversation": key}
        if wait:
            _LOGGER.info(
                "Login check refused by the rate limit for %s",
                _fingerprint(address),
                extra=audited,
            )
            metrics.check_finished("refused")
            again = retry_time(self._engine.now(), wait, self._zone)
            refused = SystemEvent(
                "check_result",
                (
                    ("refused", "rate_limited"),
                    ("retry_at", again.isoformat()),
                    ("retry_zone", again.tzname() or ""),
                ),
            )
            lines, _ = await self._report(link, refused)
            # The page says what the chat says: the time a check may run again.
            return PageView(PageStatus.RATE_LIMITED, locale, address, lines, channel=channel)
        corrected = self._corrected_line(locale, address) if address != chat_address else None
        if not await self._claim(key, link, address, corrected):
            return PageView(PageStatus.USED, locale, address, channel=channel)
        data = await self._check(
            self.target_for(record),
            address,
            password,
            # A form opened before the chat's verdict changed may still carry the box.
            with_round_trip=with_round_trip and self.sends_test_message(record),
            locale=locale,
            audited=audited,
        )
        lines, with_agent = await self._report(link, SystemEvent("check_result", data), corrected)
        return PageView(
            PageStatus.DONE, locale, address, lines, channel, marks(data), with_agent=with_agent
        )

    def _test_message_words(self, locale: Locale) -> MessageWords:
        """The test message's subject and body in the conversation's language."""
        texts = self._engine.texts
        return MessageWords(
            subject=texts.fill(locale, N_("check_mail.subject"), {}),
            body=texts.fill(locale, N_("check_mail.body"), {}),
        )

    def _corrected_line(self, locale: Locale, address: str) -> TextReply:
        return TextReply(
            self._engine.texts.fill(locale, "check_page.address_corrected", {"address": address})
        )

    async def _claim(
        self, key: str, link: CheckLink, address: str, corrected: TextReply | None
    ) -> bool:
        now = self._engine.now()

        def keep(record: ConversationRecord | None) -> Change[bool] | None:
            if record is None:
                return None
            used = LinkGrant(used_digest(link.nonce), key, link.expires)
            if corrected is None:
                return Change(record, (), True, grants=(used,))
            # The address typed on the page is the one checked, and the chat carries on
            # with it (settings, files, the next check), saying so in the conversation.
            # Typed on the page, not in a message: no unsend in the chat takes it back.
            dialog = dataclasses.replace(record.dialog, address=address, address_from="")
            line = TranscriptEntry(now, "bot", corrected.text, reply_to_dict(corrected))
            return Change(dataclasses.replace(record, dialog=dialog), (line,), True, grants=(used,))

        # The store's event dedupe makes the nonce single-use on every replica at once.
        claimed = await self._engine.store.transact(key, f"check-link:{link.nonce}", keep)
        return claimed is not None

    async def _check(
        self,
        target: CheckTarget,
        address: str,
        password: str,
        *,
        with_round_trip: bool,
        locale: Locale,
        audited: dict[str, str],
    ) -> tuple[tuple[str, str], ...]:
        settings = self._settings
        started = time.perf_counter()
        result = await check_login(
            target,
            address,
            password,
            timeout=settings.timeout,
            tls_context=settings.tls_context,
            check_pop=target.check_incoming,
            check_smtp=target.check_outgoing,
            stop=self._stopping,
            stop_wait=settings.stop_wait,
        )
        self._trouble.note(target.smtp, result.smtp)
        self._trouble.note(target.incoming, result.pop)
        data = [
            ("smtp", result.smtp.outcome.value),
            ("pop", result.pop.outcome.value),
            ("pop_count", str(result.pop.message_count or 0)),
            # Where the check connected: not the profile's first port when only another one
            # was safe to log in on (`check_port`), and the words name the one it tried.
            ("smtp_port", str(target.smtp_port)),
            ("pop_port", str(target.pop_port)),
        ]
        if not target.check_incoming:
            # Receiving was not tried (a sending-only migration): no part of the page, the
            # chat's words or the desk's line may stand for it.
            data = [(key, value) for key, value in data if not key.startswith("pop")]
        if not target.check_outgoing:
            # Sending was not tried (a receiving-only migration, or a subscriber whose sending
            # stays): the same, for SMTP.
            data = [(key, value) for key, value in data if not key.startswith("smtp")]
        # The test message follows a login that worked, a mailbox in use included: the round
        # trip's polls wait for the mailbox to be free.
        if with_round_trip and result.logged_in:
            trip = await round_trip(
                target,
                address,
                password,
                words=self._test_message_words(locale),
                timeout=settings.timeout,
                wait=settings.round_trip_wait,
                tls_context=settings.tls_context,
                stop=self._stopping,
                stop_wait=settings.stop_wait,
            )
            data.append(("round_trip", round_trip_value(trip)))
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
            extra=audited,
        )
        return tuple(data)

    async def _report(
        self, link: CheckLink, event: SystemEvent, corrected: TextReply | None = None
    ) -> tuple[tuple[str, ...], bool]:
        """Tell the chat; the words the page repeats, and whether a person has the chat."""
        outcome = await self._engine.handle(
            Inbound(
                channel=link.channel,
                conversation_key=link.conversation_id,
                event_id=_result_event(link.nonce, event.get("refused", "ran")),
                event=event,
            ),
            create=False,
        )
        # The web chat already has the corrected-address line in its transcript; the other
        # channels hear it now, before the result it explains.
        pushed: list[Reply] = [corrected] if corrected is not None else []
        # The page is answered without waiting for what a platform's 429 still holds up.
        self._delivery.push_soon(
            link.channel,
            link.conversation_id,
            [*pushed, *outcome.replies],
            name=f"check result on {link.channel}",
        )
        # The page repeats the chat's words, without the buttons; while a person has the
        # chat, the words the bot would have said (the chat hears nothing).
        said = outcome.replies or outcome.unsaid
        with_agent = outcome.record is not None and outcome.record.owner is Owner.AGENT
        return tuple(reply.text for reply in said if isinstance(reply, TextReply)), with_agent


def retry_time(now: dt.datetime, wait: float, zone: dt.tzinfo) -> dt.datetime:
    """When a check refused for `wait` seconds may run, in `zone`, rounded up to the minute.

    Said to the subscriber as a time of day: rounded down, 「13:00以降」 could be refused again.
    """
    moment = (now + dt.timedelta(seconds=wait)).astimezone(zone)
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + dt.timedelta(minutes=1)
