"""The life cycle every platform webhook shares: store the turn, answer the platform, reply after.

A platform wants its answer within seconds (Slack retries after 3 s, Chatwoot opens the
conversation to agents after 5 s) and sends an event again after a 5xx. So a webhook
1. refuses while the server drains (503: the platform sends the event again, elsewhere);
2. verifies the platform's signature over the raw body before anything is parsed (401);
3. parses (400 for a body that is not an event);
4. stores each turn: the pressed button's choice, the sender's language, one dialog step.
   A `StoreUnavailableError` propagates: the server answers 503 and the platform redelivers,
   so nothing is acknowledged that was not stored;
5. answers 2xx; and
6. delivers the replies afterwards on the runtime's background tasks, one task per delivery
   so they keep their order. A repeated event is stored once and answered once.
A send is made again only when that cannot make a second copy (`send_once`).

`AnswerFirst` is what an adapter composes its webhook from: the adapter brings its check of
the signature, its parser, its turns and its SDK's sends; nothing here knows a platform.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import datetime as dt
import json
import logging
import math
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Final, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from bot.channels.choice_codes import is_hashed, resolve_choice
from bot.delivery import NotDeliveredError, Place
from bot.engine import TurnOutcome
from bot.ops import metrics
from bot.ops.repeated import Repeated
from bot.runtime import Runtime
from bot.store.conversation_store import ConversationRecord, StoreUnavailableError, record_key
from dialogs.state import Signal
from dialogs.vocabulary import Inbound, Locale

T = TypeVar("T")
TurnT = TypeVar("TurnT")

_LOGGER: Final = logging.getLogger(__name__)

STORE_UNAVAILABLE: Final = "the conversation store is unavailable; retry later"
STORE_RETRY_AFTER: Final = "2"
# The language is asked for before the turn is stored, while the platform waits for its
# answer: past this, the turn goes on in the profile's default language.
LOCALE_TIMEOUT: Final = 1.0
LOCALE_CACHE_SIZE: Final = 1024
RETRIES: Final = 3
RETRY_WAIT: Final = 1.0
MAX_RETRY_WAIT: Final = 30.0
# The longest pause a Retry-After is read as: any longer is as good as endless to a chat, and
# send_once's own limit (MAX_RETRY_WAIT, a platform's own) is far below it anyway.
LONGEST_RETRY_AFTER: Final = 86_400.0
# One sender's handoffs are counted over an hour, as the web chat counts a client's.
SENDER_HANDOFF_WINDOW: Final = 3600.0
# The limit's name among the counts (`sender:<scope>:<channel>:<id>`; HMAC'd on Redis).
SENDER_HANDOFFS_SCOPE: Final = "sender_handoffs"

REJECTIONS: Final[collections.Counter[tuple[str, str]]] = collections.Counter()
"""Requests refused before anything was parsed or stored, by channel and reason."""

Authentic = Callable[[Request, bytes], bool]
"""Whether a request (its headers, its path, its raw body) was sent by the platform."""


def _what_was_wrong(body: bytes, err: Exception) -> str:
    """A few words on why a body was malformed, for the log; never the body's own words.

    Only these fixed phrases: a refusal's line is said once a minute per phrase, and the
    parser's message could quote what the sender wrote.
    """
    try:
        body.decode("utf-8")  # orjson says only 'not JSON' of a body that is not UTF-8
    except UnicodeDecodeError:
        return " (not UTF-8)"
    if isinstance(err, json.JSONDecodeError):  # orjson's JSONDecodeError is one too
        return " (not JSON)"
    return ""


class AnswerFirst:
    """The webhook life cycle of one channel, composed into its adapter."""

    def __init__(
        self, runtime: Runtime, channel: str, *, locales: LocaleLookup | None = None
    ) -> None:
        self.channel = channel
        self._runtime = runtime
        self._locales = locales
        # Refusals said once a minute, by what was wrong: whoever sends forgeries at a
        # webhook must not write the log one line each (each is counted all the same).
        self._refusals: collections.defaultdict[str, Repeated] = collections.defaultdict(Repeated)
        # Shared by every replica on Redis: a sender whose events reach several replicas
        # gets the limit once, not once each.
        self._handoffs = runtime.limiter(
            runtime.settings.sender_handoff_limit, SENDER_HANDOFF_WINDOW
        )

    @property
    def accepting(self) -> bool:
        """False once the server drains: a new event gets 503, and comes again elsewhere."""
        return self._runtime.tasks.accepting

    def refuse(self, reason: str) -> None:
        """Count a request refused before anything was parsed or stored."""
        REJECTIONS[self.channel, reason] += 1
        metrics.rejected(self.channel, reason)

    def undelivered(self, err: NotDeliveredError) -> None:
        """Count a message answering a turn that the platform did not take (its adapter logs it).

        The turn's replies are in the transcript either way; `mailmove_undelivered_turn_
        replies_total` is what an alert sees of a platform refusing them all.
        """
        metrics.turn_reply_undelivered(self.channel, err)

    async def verified(
        self,
        request: Request,
        authentic: Authentic,
        *,
        reason: str = "signature",
        refusal: Callable[[], Response] | None = None,
        setting: str = "",
    ) -> bytes | Response:
        """The raw body of a request the platform sent, or the answer that refuses it.

        503 while the server drains. When `authentic` says the platform did not send it:
        counted under `reason`, and answered with `refusal()`, by default 401. `setting`
        names the setting it is checked with, for the log: a secret rotated at the platform
        and not here refuses every delivery, and the line read as forgeries only.
        """
        if not self.accepting:
            return JSONResponse({"error": "shutting down"}, status_code=503)
        body = await request.body()
        if not authentic(request, body):
            self.refuse(reason)
            hint = (
                f" (if the platform's deliveries are refused too, {setting} is not the platform's)"
            )
            self._say_refused(f"bad or missing {reason}" + (hint if setting else ""))
            if refusal is not None:
                return refusal()
            return JSONResponse({"error": f"invalid {reason}"}, status_code=401)
        return body

    def too_old(self, happened: dt.datetime | None, *, kept: dt.timedelta | None = None) -> bool:
        """Whether an event happened before a delivery of it could still be told from a new one.

        An event is answered once because its id is remembered (`Runtime.events_remembered`);
        one from before that is no delivery the platform makes (`kept`: how long the
        platform itself keeps an event, where it says), but a captured request sent again.
        Such an event is counted (`too_old`) and must get 2xx and nothing else: no turn, no
        reply. `happened` None (an event that carries no time of its own) is not refused.
        """
        if happened is None:
            return False
        window = self._runtime.events_remembered
        if kept is not None:
            window = min(window, kept)
        if happened >= self._runtime.engine.now() - window:
            return False
        self.refuse("too_old")
        hours = f"{window.total_seconds() / 3600:g}"
        self._say_refused(f"an event older than {hours} hours, which no delivery is (a replay)")
        return True

    def _say_refused(self, what: str) -> None:
        if count := self._refusals[what].happened():
            _LOGGER.warning("%s request refused: %s (%d request(s))", self.channel, what, count)

    def parsed(
        self,
        body: bytes,
        parse: Callable[[bytes], T],
        *,
        errors: tuple[type[Exception], ...] = (ValueError,),
    ) -> T | Response:
        """`parse(body)`, or 400 when it raises one of `errors` (counted as malformed).

        The log says whether the body was not UTF-8, not JSON, or of a shape the platform
        never sends: an operator reading it looks at the sender, not at the secret.
        """
        try:
            return parse(body)
        except errors as err:
            self.refuse("malformed")
            self._say_refused(f"malformed body{_what_was_wrong(body, err)}")
            return JSONResponse({"error": "malformed body"}, status_code=400)

    async def store(
        self,
        inbound: Inbound,
        *,
        user: str | None = None,
        label: str | None = None,
        question: str | None = None,
        quiet: bool = False,
        only_new: bool = False,
    ) -> TurnOutcome:
        """Run one turn and save it, before the platform is answered.

        A hashed button code becomes the choice it stands for (see `pressed`); `user` (the
        platform's id of the sender) has their language asked of the platform when the
        channel has a lookup, and their handoffs counted: past MAILMOVE_SENDER_HANDOFF_LIMIT
        an hour, asking for a person is answered in words and no desk is told (one sender
        paged the desk without end: asked, handed back, asked again). `question` is the
        `event_tag` of the turn that asked the pressed button's question: unless it is still
        the open one the outcome is `stale` and nothing changes (an old message's button
        would otherwise answer whatever is asked now). Raises StoreUnavailableError, for
        the platform to get 503 and send the event again. `quiet`: recorded, not answered
        yet (`Engine.handle`). `only_new`: the turn starts a conversation where none is kept,
        and does nothing where one is (Slack's opened DM greets only a first visit).
        """
        inbound = await self.pressed(inbound, label=label)
        if self._locales is not None and user is not None:
            inbound = dataclasses.replace(inbound, locale=await self._locales(user))
        # A closed conversation's old buttons answer nothing open: the engine reads the owner
        # in the turn's transaction. While an agent has it, the engine takes every press as
        # the subscriber's words, and one of the question still open as its answer too.
        sender = f"sender:{SENDER_HANDOFFS_SCOPE}:{self.channel}:{user}" if user else None
        outcome = await self._runtime.engine.handle(
            inbound,
            question=question,
            quiet=quiet,
            prepare=_left_alone if only_new else None,
            sender_handoffs_held=await self._past_handoff_limit(sender),
        )
        if outcome.handed_off and sender is not None:
            await self._counted(self._handoffs.try_acquire((sender,)))
        elif Signal.HANDOFF_HELD in outcome.signals:
            metrics.rejected(self.channel, "handoff_limited")
        return outcome

    async def _past_handoff_limit(self, sender: str | None) -> bool:
        """Whether `sender` has handed as many conversations to the desk as one may lately.

        Asked only where a desk takes the channel (else nothing is handed over to count).
        Read before the turn, counted after a handoff: events at the same moment may each
        pass, a few more, never hundreds.
        """
        handoff = self._runtime.engine.handoff
        if sender is None or handoff is None or not handoff.available_for(self.channel):
            return False
        wait = await self._counted(self._handoffs.retry_after((sender,)))
        return wait is not None and wait > 0

    async def _counted(self, counting: Awaitable[T]) -> T | None:
        """`counting`'s answer; None when the store of the counts is down (let through)."""
        try:
            return await counting
        except StoreUnavailableError as err:
            _LOGGER.warning("Handoffs of a %s sender not counted: %s", self.channel, err)
            metrics.client_limit_unchecked(SENDER_HANDOFFS_SCOPE)
            return None

    async def open_question(self, conversation_key: str) -> str:
        """The question a push's buttons belong to: the one the conversation holds open.

        Replies nobody asked for (a check's result, a hand-back) are pushed once the turn
        that made them is stored, which holds their question open; "" when none is.
        """
        try:
            record = await self._runtime.engine.store.load(
                record_key(self.channel, conversation_key)
            )
        except StoreUnavailableError:
            return ""  # the buttons then name no question, and count as they did before
        return (record.question or "") if record is not None else ""

    async def pressed(self, inbound: Inbound, *, label: str | None = None) -> Inbound:
        """`inbound` with its hashed button code made the choice id it stands for.

        Only a hashed code costs a read: it is matched against the choices the dialog
        offered last. One matching nothing offered any more reads as its button's `label`
        typed, when the platform tells us the label, and is left alone otherwise.
        """
        code = inbound.choice
        if code is None or not is_hashed(code):
            return inbound
        key = record_key(inbound.channel, inbound.conversation_key)
        record = await self._runtime.engine.store.load(key)
        choice = resolve_choice(code, record.dialog.offered if record else ())
        if choice is not None:
            return dataclasses.replace(inbound, choice=choice)
        if label:
            return dataclasses.replace(inbound, choice=None, text=label)
        return inbound

    async def take(
        self,
        turns: Iterable[TurnT],
        store: Callable[[TurnT], Awaitable[TurnOutcome]],
        deliver: Callable[[TurnT, TurnOutcome], Awaitable[None]],
        *,
        name: str,
        repeated: Callable[[TurnT], Awaitable[None]] | None = None,
    ) -> None:
        """Store `turns` now, in order; deliver them afterwards, in order, a task each conversation.

        A turn stored before (a redelivered event, a double click) is not delivered again:
        only `repeated` runs for it (Telegram stops the button's spinner). When one cannot
        be stored the error propagates (the platform gets 503), and the turns stored before
        it are delivered all the same: redelivered, they are dropped as repeats.
        """
        stored: list[tuple[TurnT, TurnOutcome, Place | None]] = []
        try:
            for turn in turns:
                outcome = await store(turn)
                stored.append((turn, outcome, self._place(outcome)))
        finally:
            if any(not outcome.duplicate or repeated for _, outcome, _ in stored):
                # One request can carry several subscribers' events (LINE sends those that
                # happen close together in one): a subscriber's replies wait for their own
                # earlier ones only, not for another's that the platform holds up.
                for each in _by_conversation(stored):
                    task = self._runtime.tasks.spawn(
                        _deliver_in_order(each, deliver, repeated), name=name
                    )
                    # However the task ends, the places it did not use must not hold up the
                    # conversation's next words: a send that failed leaves the places after
                    # it unused, and a task cancelled before its first step (shutdown) all.
                    task.add_done_callback(_releasing(each))

    def _place(self, outcome: TurnOutcome) -> Place | None:
        # The replies' place among what is sent to the conversation, taken as the turn is
        # stored: behind a push made before (a hand-back, a check's result, an agent's
        # message) that a 429 holds up, and ahead of anything made after.
        record = outcome.record
        if outcome.duplicate or record is None:
            return None
        return self._runtime.delivery.place(record.channel, record.conversation_id)

    def answered_before(self, outcome: TurnOutcome, *, typed: bool = False) -> str | None:
        """The words for a press on a question answered since (a `stale` outcome), else None.

        Such a press counted for nothing and the subscriber is told so, in the conversation's
        language; each platform shows the words its own way (a message, a button's notice).
        `typed`: words typed as a reply quoting that question, which answered nothing either.
        """
        if not outcome.stale or outcome.record is None:
            return None
        key = "quote.answered_before" if typed else "button.answered_before"
        return self._runtime.catalogs(outcome.record.dialog.locale, key)

    def later(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        """Run `work` after the platform is answered; a draining server waits for it."""
        self._runtime.tasks.spawn(work, name=name)

    def store_unavailable(self, err: StoreUnavailableError) -> None:
        """Count an event left unacknowledged because the store could not keep it.

        For an SDK that answers the platform itself (Bolt): the server's own 503 counts
        the others.
        """
        _LOGGER.warning(
            "%s event not acknowledged, the store is unavailable: %s", self.channel, err
        )
        metrics.rejected(self.channel, "store_unavailable")


async def _deliver_in_order(
    stored: list[tuple[TurnT, TurnOutcome, Place | None]],
    deliver: Callable[[TurnT, TurnOutcome], Awaitable[None]],
    repeated: Callable[[TurnT], Awaitable[None]] | None,
) -> None:
    for turn, outcome, place in stored:
        if place is not None:
            async with place:
                await deliver(turn, outcome)
        elif not outcome.duplicate:
            await deliver(turn, outcome)
        elif repeated is not None:
            await repeated(turn)


def _by_conversation(
    stored: list[tuple[TurnT, TurnOutcome, Place | None]],
) -> list[list[tuple[TurnT, TurnOutcome, Place | None]]]:
    """`stored` split by conversation, each in its order (repeats, which have no record, apart)."""
    groups: dict[tuple[str, str] | None, list[tuple[TurnT, TurnOutcome, Place | None]]] = {}
    for item in stored:
        record = item[1].record
        key = None if record is None else (record.channel, record.conversation_id)
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def _releasing(
    stored: list[tuple[TurnT, TurnOutcome, Place | None]],
) -> Callable[[asyncio.Task[Any]], None]:
    """A done callback that releases `stored`'s places."""
    return lambda _: _release(stored)


def _release(stored: list[tuple[TurnT, TurnOutcome, Place | None]]) -> None:
    for _, _, place in stored:
        if place is not None:
            place.release()


class LocaleLookup:
    """The language a platform says a user speaks: asked once per user, never for long.

    Asking costs an API call (Slack `users.info`, LINE's profile) that counts against the
    platform's rate limit, and the answer rarely changes, so the last `size` users' answers
    are kept. `fetch` returns None for a user the platform knows no language of (kept too),
    and raises one of `transient` when the platform did not answer: then, as after
    `timeout` seconds, the turn goes on in the default language and the next one asks again.
    """

    def __init__(
        self,
        fetch: Callable[[str], Awaitable[Locale | None]],
        *,
        transient: tuple[type[Exception], ...] = (),
        timeout: float = LOCALE_TIMEOUT,
        size: int = LOCALE_CACHE_SIZE,
    ) -> None:
        if size < 1:
            raise ValueError(f"size must be at least 1, not {size}")
        self._fetch = fetch
        self._unanswered: tuple[type[Exception], ...] = (TimeoutError, *transient)
        self._timeout = timeout
        self._size = size
        self._known: dict[str, Locale | None] = {}

    async def __call__(self, user: str) -> Locale | None:
        """`user`'s language, from the platform or from the last time it was asked."""
        if user in self._known:
            return self._known[user]
        try:
            async with asyncio.timeout(self._timeout):
                locale = await self._fetch(user)
        except self._unanswered as err:
            _LOGGER.warning("The language of %s did not arrive: %r", user, err)
            return None
        if len(self._known) >= self._size:
            del self._known[next(iter(self._known))]
        self._known[user] = locale
        return locale


def _no_hint(_: BaseException) -> float | None:
    return None


def retry_after_seconds(headers: Mapping[str, str] | None, now: dt.datetime) -> float | None:
    """The pause a response's Retry-After asks for, in seconds; None when it says none.

    RFC 9110 10.2.3 allows two forms: delay-seconds (ASCII digits only) and an HTTP-date
    (the three forms of 5.6.7, as `email.utils` reads them; a date without a zone is GMT).
    The date is measured from the response's own Date when it has one, the clock that wrote
    the Retry-After, so a skew between the platform's clock and ours misreads nothing; else
    from `now`. A date gone by is 0. Anything else (a sign, a fraction, 'nan', 'inf', a
    date no calendar holds) is None: send_once's doubling pause. Never more than
    LONGEST_RETRY_AFTER, so a number of any length is safe. `headers` is case-insensitive
    as the SDKs give them (httpx, aiohttp).
    """
    value = (headers or {}).get("Retry-After")
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        # Compared as text first: int() refuses over 4,300 digits, float() overflows past 1e308.
        if len(text) > len(str(int(LONGEST_RETRY_AFTER))):
            return LONGEST_RETRY_AFTER
        return min(float(int(text)), LONGEST_RETRY_AFTER)
    until = _http_date(text)
    if until is None:
        return None
    said_at = _http_date((headers or {}).get("Date", "").strip())
    wait = (until - (said_at or now)).total_seconds()
    return min(max(wait, 0.0), LONGEST_RETRY_AFTER)


def _http_date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def send_once(
    send: Callable[[], Awaitable[T]],
    *,
    resend: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None] = _no_hint,
    retries: int = RETRIES,
    wait: float = RETRY_WAIT,
    max_wait: float = MAX_RETRY_WAIT,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> T:
    """`send()`, made again after a pause while it fails in a way that cannot send two copies.

    `resend(error)` says which: a 429 refused the message, so sending it again cannot
    duplicate it; a 5xx or a broken connection may have delivered it, so only a send the
    platform deduplicates (LINE's retry key, its single-use reply token) may be made again
    then. The pause is `retry_after(error)` when the platform said (at most `max_wait`),
    else `wait` doubling. After `retries` resends, or an error not to resend, that error is
    raised. `sleep(seconds)` waits (the runtime's, `Runtime.pause`); by default asyncio's.
    """
    doubling = wait_exponential(multiplier=wait, max=max_wait)

    def pause(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        said = retry_after(error) if error is not None else None
        # NaN is no pause: asyncio.sleep(nan) never returns, and min/max keep it. The
        # adapters' readers (retry_after_seconds) give none, but a platform's SDK might.
        if said is None or math.isnan(said):
            return doubling(state)
        return min(max(said, 0.0), max_wait)

    retrying = AsyncRetrying(
        retry=retry_if_exception(resend),
        wait=pause,
        stop=stop_after_attempt(retries + 1),
        reraise=True,
        sleep=sleep or asyncio.sleep,
    )
    async for attempt in retrying:
        with attempt:
            return await send()
    # Not reached: with reraise=True the attempts end in a result or in the last error.
    raise AssertionError("tenacity stopped without an outcome")


def _left_alone(_: ConversationRecord) -> None:
    """`Engine.handle`'s `prepare` that writes nothing to a conversation already kept."""
    return None
