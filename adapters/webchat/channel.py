"""The web chat: a page for subscribers and the JSON API it uses (described in api_models).

The embedded default channel: always on, needs no credentials.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final

from pydantic import MISSING
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from adapters.webchat.api_models import (
    CLOSE,
    CONVERSATION_ID_PATTERN,
    CONVERSATIONS,
    DESCRIPTION,
    MESSAGES,
    TEXTS,
    Message,
    NewConversation,
    description_for,
)
from adapters.webchat.conversation_key import (
    conversation_key,
    key_of,
    move_old_conversations,
    moved_to_its_key,
)
from adapters.webchat.embedding import EMBED_SCRIPT, embed_script, frame_ancestors
from adapters.webchat.leaving import Leaving
from bot.desk.agent_messages import ACTING, agent_of, shown_name
from bot.desk.handoff import NOTICE
from bot.desk.ownership import decides_holder, holder_of
from bot.engine import Engine
from bot.ops import metrics
from bot.ops.catalogs import Catalogs
from bot.ops.settings import (
    DEFAULT_WEBCHAT_CONVERSATION_LIMIT,
    DEFAULT_WEBCHAT_HANDOFF_LIMIT,
    DEFAULT_WEBCHAT_MESSAGE_LIMIT,
    DEFAULT_WEBCHAT_READ_LIMIT,
)
from bot.runtime import Runtime
from bot.store.conversation_store import (
    WITHDRAWN_REPLY_TEXT,
    WITHDRAWN_TEXT,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    event_tag,
)
from bot.store.rate_limit import SlidingWindowLimiter
from bot.store.transcript_tail import lines_back_to
from bot.web.assets import Assets, compressed
from bot.web.client_limit import ClientThrottle, LimiterFactory
from bot.web.json_response import FastJSONResponse
from bot.web.openapi import error_response, read_body
from dialogs.facts import word_date
from dialogs.state import Signal
from dialogs.texts import N_
from dialogs.vocabulary import LOCALES, Inbound, Locale, Reply, reply_to_dict

CHANNEL: Final = "webchat"
# The most lines one read of the transcript answers with: the latest. A conversation is a
# few dozen lines; one kept going for hours (300 messages a minute pass the client limit)
# grew to thousands, and every read, which no limit counts, sent them all (4,500 lines: 10
# MB, 0.1 s of CPU); the store now reads only those. The page numbers lines by `seq`, so it
# redraws from the latest ones.
HISTORY_LINES: Final = 200
# Lines a message's answer reads to say who holds a person's conversation (`_held_by`): the
# Slack and Chatwoot relays of a long conversation read next to nothing, nor should this.
ANSWER_LINES: Final = 16
_LOGGER: Final = logging.getLogger(__name__)
_ID_RE: Final = re.compile(CONVERSATION_ID_PATTERN)
_STATIC: Final = resources.files("adapters.webchat").joinpath("static")
_UI_PREFIX: Final = "webchat."
# Seeded from the operating system once: replicas and restarts draw different ids.
_EVENT_IDS: Final = random.Random()  # noqa: S311 - unique ids, not secrets (see _fresh_event_id)
CONVERSATION_WINDOW: Final = 600.0
MESSAGE_WINDOW: Final = 60.0
HANDOFF_WINDOW: Final = 3600.0
# What each limit's counts are called where replicas share them (Redis).
CONVERSATIONS_SCOPE: Final = "webchat_conversations"
MESSAGES_SCOPE: Final = "webchat_messages"
READS_SCOPE: Final = "webchat_reads"
HANDOFFS_SCOPE: Final = "webchat_handoffs"
# Framed only by the provider's sites in MAILMOVE_EMBED_ORIGINS (embed.js), else by none.
_PAGE_CSP: Final = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors {ancestors}; base-uri 'none'"
)


def page_headers(embed_origins: Sequence[str] = ()) -> dict[str, str]:
    """The chat page's headers: a strict CSP whose frame ancestors are the embedding sites.

    With no site allowed to frame it, X-Frame-Options says so too, for browsers that do not
    read frame-ancestors; it cannot name sites, so with some it is left out.
    """
    headers = {
        "Content-Security-Policy": _PAGE_CSP.format(ancestors=frame_ancestors(embed_origins)),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if not embed_origins:
        headers["X-Frame-Options"] = "DENY"
    return headers


@dataclass(frozen=True, slots=True)
class ClientLimits:
    """How many conversations, messages and reads one client may start, send and make.

    429 past each. Reads are counted apart from messages: a page polls far more often than
    its subscriber writes. `handoffs`: how many of its conversations one client may hand to
    the desk an hour; past it a request for a person is answered in words, not with 429
    (the message itself is fine), and the desk is not told.
    """

    conversations: ClientThrottle
    messages: ClientThrottle
    reads: ClientThrottle
    handoffs: ClientThrottle

    @classmethod
    def per_client(
        cls,
        conversations: int = DEFAULT_WEBCHAT_CONVERSATION_LIMIT,
        messages: int = DEFAULT_WEBCHAT_MESSAGE_LIMIT,
        reads: int = DEFAULT_WEBCHAT_READ_LIMIT,
        handoffs: int = DEFAULT_WEBCHAT_HANDOFF_LIMIT,
        *,
        header: str = "",
        limiters: LimiterFactory = SlidingWindowLimiter,
    ) -> ClientLimits:
        """The four limits, each in its window and under its own name in a shared store."""

        def throttle(limit: int, window: float, scope: str) -> ClientThrottle:
            return ClientThrottle(
                CHANNEL, limit, window, scope=scope, header=header, limiters=limiters
            )

        return cls(
            throttle(conversations, CONVERSATION_WINDOW, CONVERSATIONS_SCOPE),
            throttle(messages, MESSAGE_WINDOW, MESSAGES_SCOPE),
            throttle(reads, MESSAGE_WINDOW, READS_SCOPE),
            throttle(handoffs, HANDOFF_WINDOW, HANDOFFS_SCOPE),
        )


class RequestError(ValueError):
    """A request the API refuses, with the status and a message for the caller."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class WebChatChannel:
    """Serves the chat page and its API."""

    name = CHANNEL

    def __init__(
        self,
        engine: Engine,
        catalogs: Catalogs,
        preview_day: dt.date | None = None,
        limits: ClientLimits | None = None,
        embed_origins: Sequence[str] = (),
    ) -> None:
        self._page_headers = page_headers(embed_origins)
        self._engine = engine
        self._catalogs = catalogs
        self._limits = limits or ClientLimits.per_client()
        self._leaving = Leaving(engine, CHANNEL, self._limits.messages)
        # `mailmove serve --as-of`: the page says it shows another day's answers.
        self._preview_day = preview_day

    def routes(self) -> Sequence[BaseRoute]:
        """The page, its assets, its texts and the JSON API."""
        # The API first: routes are tried in order, and a message is most of the traffic.
        return [
            Route(MESSAGES, self.message, methods=["POST"]),
            Route(CONVERSATIONS, self.create, methods=["POST"]),
            Route(MESSAGES, self.history, methods=["GET"]),
            Route(CLOSE, self._leaving.close, methods=["POST"]),
            Route("/", self.page, methods=["GET"]),
            Route(EMBED_SCRIPT, embed_script, methods=["GET"]),
            # Compressed: on a slow mobile connection the script and style (over 100 kB)
            # were most of the wait for the first question. They hold no secret and echo
            # nothing a request sent, so compression gives nothing away (BREACH).
            Mount(
                "/webchat/static",
                app=compressed(Assets(directory=str(_STATIC))),
                name="webchat",
            ),
            Route(DESCRIPTION, self.openapi, methods=["GET"]),
            Route(TEXTS, self.ui_texts, methods=["GET"]),
        ]

    async def start(self) -> None:
        """Move conversations an older version kept under the subscriber's id to their key."""
        try:
            moved = await move_old_conversations(self._engine.store)
        except StoreUnavailableError as err:
            # Each is moved when its subscriber next calls (`moved_to_its_key`) instead.
            _LOGGER.warning("Web chat conversations not moved to their keys: %s", err)
            return
        if moved:
            _LOGGER.info("Moved %d web chat conversations off their subscribers' ids", moved)

    async def stop(self) -> None:
        """Nothing to stop."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Nothing to send: the page polls the transcript, where the replies already are."""

    async def page(self, _: Request) -> Response:
        """The chat page; it needs nothing from any other origin, and says so."""
        return FileResponse(
            str(_STATIC.joinpath("index.html")), media_type="text/html", headers=self._page_headers
        )

    async def openapi(self, _: Request) -> Response:
        """The API's OpenAPI description, generated from its models."""
        # Its examples use the running profile's domain (built once per domain).
        return FastJSONResponse(description_for(self._engine.profile.affected_domains[0]))

    async def ui_texts(self, request: Request) -> Response:
        """The page's own words (buttons, placeholders) in one language, from the catalogs."""
        locale = request.path_params["locale"]
        if locale not in LOCALES:
            return error_response(404, "unknown locale")
        texts = {
            key.removeprefix(_UI_PREFIX): self._catalogs.raw(locale, key)
            for key in sorted(self._catalogs.keys(locale))
            if key.startswith(_UI_PREFIX)
        }
        if self._preview_day is not None:
            # The bot's day, not the one started with: a preview left running crosses midnight
            # (the night of the switch), and the page said the day before beside the answers
            # of the day after.
            day = word_date(self._catalogs, locale, self._engine.context().today)
            texts["preview"] = self._catalogs.fill(locale, N_("preview.notice"), {"date": day})
        return FastJSONResponse(texts, headers={"Cache-Control": "max-age=300"})

    async def create(self, request: Request) -> Response:
        """Start a conversation: 201 with its id and the greeting."""
        if refused := await self._limits.conversations.admit(request):
            return refused
        body = await read_body(request, NewConversation, allow_empty=True)
        if isinstance(body, Response):
            return body
        conversation_id = uuid.uuid4().hex
        # Everything but this answer knows the conversation by its key (conversation_key).
        key = conversation_key(conversation_id)
        event_id = f"{CHANNEL}:{key}:start"
        outcome = await self._engine.handle(
            Inbound(
                channel=CHANNEL,
                conversation_key=key,
                event_id=event_id,
                start=True,
                locale=body.locale,
            )
        )
        replies = [reply_to_dict(r) for r in outcome.replies]
        return FastJSONResponse(
            {
                "conversation_id": conversation_id,
                "locale": outcome.record.dialog.locale if outcome.record else "ja",
                "replies": replies,
                "at": self._engine.now().isoformat(),
                **_question(replies, event_id),
            },
            status_code=201,
        )

    async def message(self, request: Request) -> Response:
        """One subscriber message: 200 with the bot's replies."""
        conversation_id = request.path_params["conversation_id"]
        if not _ID_RE.match(conversation_id):
            return error_response(404, "no such conversation")
        if refused := await self._limits.messages.admit(request):
            return refused
        sent = await read_body(request, Message)
        if isinstance(sent, Response):
            return sent
        event_id = _fresh_event_id() if sent.event_id is MISSING else sent.event_id
        key = conversation_key(conversation_id)
        scoped = f"{CHANNEL}:{key}:{event_id}"
        inbound = Inbound(
            channel=CHANNEL,
            conversation_key=key,
            event_id=scoped,
            text=None if sent.text is MISSING else sent.text,
            choice=None if sent.choice is MISSING else sent.choice,
        )
        question = None if sent.question is MISSING else sent.question
        # Read before the turn, counted after it: a few requests at once may each pass the
        # check, as many as one client sends at a time, not hundreds an hour.
        held = await self._handoffs_held(request)
        # A page whose first answer was lost on the way back gets it again (replay).
        outcome = await self._engine.handle(
            inbound, create=False, replay=True, question=question, handoffs_held=held
        )
        if outcome.record is None and not outcome.duplicate:
            if not await moved_to_its_key(self._engine.store, conversation_id):
                return error_response(404, "no such conversation")
            outcome = await self._engine.handle(
                inbound, create=False, replay=True, question=question, handoffs_held=held
            )
        if outcome.handed_off:
            await self._limits.handoffs.count(request)
        elif Signal.HANDOFF_HELD in outcome.signals:
            metrics.rejected(CHANNEL, "handoff_limited")
        replies = (
            list(outcome.replayed)
            if outcome.duplicate
            else [reply_to_dict(r) for r in outcome.replies]
        )
        body: dict[str, object] = {"replies": replies, **_question(replies, scoped)}
        if outcome.record is not None:
            body["locale"] = outcome.record.dialog.locale
        if outcome.record is not None and not outcome.duplicate and not outcome.stale:
            # Issue 10: the answer to 「担当者と話したい」 says the queue has it now. A
            # repeated or stale answer keeps its shape (it changed nothing).
            body.update(await self._held_by(outcome.record, answer=True))
        if outcome.duplicate:
            body["duplicate"] = True
        if outcome.stale:
            body["stale"] = True
        if not outcome.duplicate and not outcome.stale:
            # A repeated answer keeps its first time, which is in the transcript.
            body["at"] = self._engine.now().isoformat()
        if outcome.said:
            # The page shows this instead of what was typed, as the transcript does.
            body["said"] = outcome.said
        return FastJSONResponse(body)

    async def _handoffs_held(self, request: Request) -> bool:
        """Whether this client has handed as many conversations to the desk as it may lately.

        Asked only where a desk takes web chats: otherwise nothing is handed over to count.
        """
        handoff = self._engine.handoff
        if handoff is None or not handoff.available_for(CHANNEL):
            return False
        return await self._limits.handoffs.past_limit(request)

    async def history(self, request: Request) -> Response:
        """The conversation's lines after `?after=N`.

        The page uses it to redraw itself after a reload, and to receive replies that did
        not answer its own request (a login check's result, an agent's hand-back).
        """
        conversation_id = request.path_params["conversation_id"]
        if not _ID_RE.match(conversation_id):
            return error_response(404, "no such conversation")
        if refused := await self._limits.reads.admit(request):
            return refused
        try:
            after = parse_after(request.query_params.get("after"))
        except RequestError as err:
            return error_response(err.status, str(err))
        key = key_of(conversation_id)
        record = await self._engine.store.load(key)
        if record is None and await moved_to_its_key(self._engine.store, conversation_id):
            record = await self._engine.store.load(key)
        if record is None:
            return error_response(404, "no such conversation")
        lines = await self._engine.store.transcript(key, after=after, last=HISTORY_LINES)
        return FastJSONResponse(
            {
                "locale": record.dialog.locale,
                "messages": [
                    self._withdrawn_shown(line_body(line), record.dialog.locale) for line in lines
                ],
                **await self._held_by(record),
                "at": self._engine.now().isoformat(),
            }
        )

    async def _held_by(
        self, record: ConversationRecord, *, answer: bool = False
    ) -> dict[str, str | None]:
        """`owner` (bot, queue, agent, closed) and `agent` (the name shown) of `record`.

        Who holds a person's conversation is read from its lines back to the latest
        take-over or words of an agent (or the bot): the latest 200 lines nearly always,
        not the whole of a conversation that ran to thousands while the page polled. The
        bot's and a closed conversation's need no line (no read on a bot's turn).

        `answer`: for a message's answer, which a subscriber writing on and on to an agent
        gets each time: only its latest ANSWER_LINES are read, and nothing is said (`{}`)
        when none of them names the holder; the transcript, read next, says it.
        """
        if record.owner is not Owner.AGENT:
            lines = []
        elif answer:
            lines = await self._engine.store.transcript(record.key, last=ANSWER_LINES)
            if len(lines) == ANSWER_LINES and not any(map(decides_holder, lines)):
                return {}
        else:
            lines = await lines_back_to(self._engine.store, record.key, decides_holder)
        holder, agent = holder_of(record, lines)
        return {"owner": holder.value, "agent": shown_name(agent) or None}

    def _withdrawn_shown(self, body: dict[str, object], locale: Locale) -> dict[str, object]:
        """`body`, a withdrawn line's store mark said in the chat's language.

        The marks are English for the desks; the subscriber who took a password back
        (「さっきのはパスワードです」) reads their history again in their own words.
        """
        key = _WITHDRAWN_SHOWN.get(str(body.get("text")))
        if key is not None:
            body["text"] = self._engine.texts.fill(locale, key, {})
        return body


# What the page shows for a withdrawn line instead of the store's mark.
_WITHDRAWN_SHOWN: Final = {
    WITHDRAWN_TEXT: "password_taken_back.line",
    WITHDRAWN_REPLY_TEXT: "password_taken_back.reply_line",
}


def _fresh_event_id() -> str:
    """An id for a message its page sent without one: unique, not secret.

    It only tells this message from the conversation's others, whose ids are scoped with
    the conversation id, so 128 random bits from the process's generator are enough, and
    far cheaper than the operating system's randomness on every message.
    """
    return f"{_EVENT_IDS.getrandbits(128):032x}"


def _question(replies: Sequence[Mapping[str, object]], event_id: str) -> dict[str, str]:
    """The answer's `question`: the id its buttons send back, when it asks one."""
    if any(reply.get("type") == "choices" for reply in replies):
        return {"question": event_tag(event_id)}
    return {}


def line_body(line: TranscriptEntry) -> dict[str, object]:
    """One transcript line as the page reads it; an agent's line carries the agent's name."""
    body: dict[str, object] = {"seq": line.seq, "author": line.author, "at": line.at.isoformat()}
    if line.author == "system":
        # The desks' notes (who took it and where, a Slack member id, why it was handed
        # over) are not the subscriber's: their place is kept, for the numbers run on.
        body["text"] = ""
        return body
    if line.reply is None or line.author == "subscriber":
        # A subscriber's line keeps only which question a press answered: nothing to draw.
        body["text"] = line.text
        return body
    if line.event is not None and line.reply.get("type") == "choices":
        body["question"] = line.event
    name = agent_of(line)
    if name:
        # The name is drawn apart, and where the agent acted is the desks' business.
        body["reply"] = {k: v for k, v in line.reply.items() if k not in ("agent", ACTING)}
        if shown_name(name):
            body["agent"] = shown_name(name)
    else:
        # A notice's mark is the desks' (bot.desk.handoff): the page draws its words alone.
        body["reply"] = {k: v for k, v in line.reply.items() if k != NOTICE}
    return body


def parse_after(raw: str | None) -> int:
    """The `after` query parameter: a line number, 0 when absent."""
    if raw is None or raw == "":
        return 0
    if not raw.isdigit() or len(raw) > 12:
        raise RequestError(422, "after must be a whole number")
    return int(raw)


def create_channel(runtime: Runtime) -> WebChatChannel:
    """Entry point of the `webchat` channel: always on."""
    settings = runtime.settings
    # Counted where the runtime keeps its limits: shared by every replica on Redis.
    limits = ClientLimits.per_client(
        settings.webchat_conversation_limit,
        settings.webchat_message_limit,
        settings.webchat_read_limit,
        settings.webchat_handoff_limit,
        header=settings.client_ip_header,
        limiters=runtime.limiter,
    )
    return WebChatChannel(
        runtime.engine, runtime.catalogs, settings.as_of, limits, settings.embed_origins
    )
