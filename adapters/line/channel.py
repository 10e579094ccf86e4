"""LINE: the webhook and an async Messaging API client.

The webhook is checked against the channel secret over the raw bytes, and its turns are
stored before LINE gets its 200 (a store outage gets 503, and LINE redelivers when the
channel has webhook redelivery on); the replies go out afterwards, quickly, on the runtime's
background tasks (`bot.channels.answer_first`). They go with the event's reply token (free,
single use, short-lived); whatever it cannot carry goes out by push with a retry key, which
makes a resend after a timeout or a 429 idempotent. Replies that answer no message (a
login check's result, an agent's hand-back) are pushed the same way.

Groups and rooms get no conversation: what is addressed to the bot there gets one line,
by reply token only, saying to write to it one to one (`events.group_request`).
"""

from __future__ import annotations

import asyncio
import collections
import hmac
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

import aiohttp
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.line.config import DEFAULT_API_URL, LineConfig
from adapters.line.events import (
    CHANNEL,
    GroupRequest,
    LineTurn,
    group_request,
    happened_at,
    left_from_event,
    readable,
    shaped,
    signature_of,
    turn_from_event,
    withdrawal_from_event,
)
from adapters.line.render import MAX_MESSAGES, LineMessage, push_tag, question_tag, render_turn
from adapters.redelivery import handled_before
from adapters.rendering import batched
from bot.channels.answer_first import AnswerFirst, LocaleLookup, retry_after_seconds, send_once
from bot.channels.choice_codes import asked_question
from bot.channels.registry import START_CHECK_SECONDS
from bot.delivery import QUOTA, NotDeliveredError
from bot.desk.closing import subscriber_left
from bot.engine import TurnOutcome
from bot.ops.repeated import Repeated
from bot.ops.settings import ConfigError
from bot.runtime import Runtime
from bot.store.conversation_store import (
    StoreUnavailableError,
    note_lines,
    record_key,
)
from dialogs.vocabulary import DEFAULT_LOCALE, Locale, Reply, TextReply, parse_locale

_LOGGER: Final = logging.getLogger(__name__)

WEBHOOK_PATH: Final = "/line/webhook"
# The largest body the webhook takes. LINE documents neither how many events one request
# carries nor how large it may be (line/line-platform-feedback#65 asked, never answered):
# it sends events that happen close together in one request. A subscriber's text message
# holds up to 10,000 characters (the LINE app's limit), about 60 KB as JSON escapes them
# (6 bytes a UTF-16 unit), so two long messages in one request passed the app's 64 KiB and
# got 413 at LINE's every redelivery: both lost, nobody told. 2 MiB holds thirty of the
# longest messages, or thousands of ordinary events. The signature is checked on the raw
# bytes before any parse (`AnswerFirst.verified`): a forged body costs its reading and one
# HMAC.
MAX_WEBHOOK_BYTES: Final = 2 * 1024 * 1024
SIGNATURE_HEADER: Final = "x-line-signature"
MAX_MESSAGES_PER_CALL: Final = MAX_MESSAGES
# The transcript's note of a sent message that asks a question: its LINE id, the question.
ASKED_NOTE: Final = "line asked: "
# Group events answered lately: nothing is stored for a group, so a redelivery is told
# apart here (LINE redelivers within minutes, so the last few hundred suffice).
ANSWERED_GROUP_EVENTS: Final = 1024
# What the SDK's parser raises for a signed body that is not a webhook payload.
_NOT_A_PAYLOAD: Final = (ValueError, KeyError, TypeError, AttributeError)
# No answer at all: the request may or may not have reached LINE.
_NO_ANSWER: Final = (aiohttp.ClientError, TimeoutError)
# The message of LINE's 429 when the month's allowance of push messages is used up.
MONTHLY_LIMIT: Final = "You have reached your monthly limit."
# Fixed, so a retry key depends only on the event and the batch: a resend reuses it.
_RETRY_NAMESPACE: Final = uuid.UUID("6f1c54a4-8f0e-4c59-9d43-3f1e1c2b7a10")


def retry_key(event_id: str, batch: int) -> str:
    """The push retry key of one batch of one event's replies: the same on every resend."""
    return str(uuid.uuid5(_RETRY_NAMESPACE, f"{event_id}:{batch}"))


class LineChannel:
    """The webhook and an async Messaging API client."""

    name = CHANNEL
    # A link tapped in LINE on a phone opens in the app's own browser, where an Apple
    # configuration profile may not install: the chat says to open that one in Safari.
    links_open_in_app = True

    def __init__(self, runtime: Runtime, config: LineConfig) -> None:
        from linebot.v3 import WebhookParser  # type: ignore[import-untyped]
        from linebot.v3.models.events import UnknownEvent  # type: ignore[import-untyped]

        self._config = config
        self._parser = WebhookParser(config.channel_secret)
        self._unknown_event: type = UnknownEvent
        transient = (aiohttp.ClientError, OSError)
        locales = LocaleLookup(self._fetch_locale, transient=transient)
        # Kept apart: LINE has no profile for a group member who is not a friend, and that
        # "none" must not stick to the one-to-one chat they open once told to add the bot.
        self._group_locales = LocaleLookup(self._fetch_locale, transient=transient)
        self._life = AnswerFirst(runtime, CHANNEL, locales=locales)
        self._engine = runtime.engine
        self._catalogs = runtime.catalogs
        self._pause = runtime.pause
        self._answered_groups: collections.deque[str] = collections.deque(
            maxlen=ANSWERED_GROUP_EVENTS
        )
        self._client: Any = None
        self.api: Any = None
        # LINE refusing the access token after start-up (reissued in the console, or a
        # short-lived one expired): every reply fails, said once a minute with what to do.
        self._token_refused = Repeated()

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook."""
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    @property
    def body_limits(self) -> Mapping[str, int]:
        """Several events in one request can weigh more than the app's limit."""
        return {WEBHOOK_PATH: MAX_WEBHOOK_BYTES}

    async def start(self) -> None:
        """Open the API client; it opens an aiohttp session, so inside the running loop."""
        from linebot.v3.messaging import (  # type: ignore[import-untyped]
            AsyncApiClient,
            AsyncMessagingApi,
            Configuration,
        )

        configuration = Configuration(
            access_token=self._config.access_token, host=self._config.api_url
        )
        self._client = AsyncApiClient(configuration)
        self.api = AsyncMessagingApi(self._client)
        await self._check_access_token()

    async def _check_access_token(self) -> None:
        """ConfigError for an access token LINE refuses; a LINE that does not answer is said.

        A refused token started the server, and each reply then failed ("LINE push … failed:
        LINE answered 401"), the variable to correct named nowhere.
        """
        from linebot.v3.messaging import ApiException

        try:
            async with asyncio.timeout(START_CHECK_SECONDS):
                await self.api.get_bot_info()
        except ApiException as err:
            if err.status == 401:
                await self.stop()
                raise ConfigError(
                    "LINE_CHANNEL_ACCESS_TOKEN was refused by LINE (401): issue a channel"
                    " access token for this channel (LINE Developers, the Messaging API tab)"
                ) from None
            _LOGGER.warning(
                "Could not check LINE_CHANNEL_ACCESS_TOKEN: LINE answered %s", err.status
            )
        except (*_NO_ANSWER, OSError) as err:
            _LOGGER.warning(
                "Could not check LINE_CHANNEL_ACCESS_TOKEN: LINE unreachable: %s",
                type(err).__name__,
            )
        except ValueError as err:
            # A 2xx the SDK cannot read as the bot's info (HTML, JSON without its fields):
            # no LINE answers so, but a wrong LINE_API_URL or a proxy in between does. It
            # ended start-up in the SDK's traceback, the variable to correct named nowhere.
            await self.stop()
            said = str(err).partition("\n")[0][:160]
            raise ConfigError(
                f"LINE_API_URL: {self._config.api_url} answered GET /v2/bot/info with no"
                f" bot info ({said}): it must be LINE's Messaging API"
                f" ({DEFAULT_API_URL}, the default)"
            ) from None

    async def stop(self) -> None:
        """Close the API client's session."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Push replies that answer no message to the user, group or room the key names.

        NotDeliveredError when a batch could not be pushed; the batches after it are not
        pushed either, so nothing arrives out of order.
        """
        # Named like an event, so its buttons' taps are told apart and its batches get keys.
        push_id = f"{CHANNEL}:push:{uuid.uuid4().hex}"
        question = await self._life.open_question(conversation_key)
        messages = render_turn(replies, tag=question or push_tag(push_id))
        sent: list[tuple[LineMessage, str]] = []
        try:
            for index, batch in enumerate(batched(messages, MAX_MESSAGES_PER_CALL)):
                await self._push(conversation_key, batch, retry_key(push_id, index), sent)
        finally:
            await self._note_asked(conversation_key, sent)

    async def webhook(self, request: Request) -> Response:
        """Check the signature, store the turns (a store outage: 503), answer 200; reply after."""
        body = await self._life.verified(request, self._signed, setting="LINE_CHANNEL_SECRET")
        if isinstance(body, Response):
            return body
        signature = request.headers.get(SIGNATURE_HEADER, "")
        events = self._life.parsed(
            body, lambda raw: self._events(raw, signature), errors=_NOT_A_PAYLOAD
        )
        if isinstance(events, Response):
            return events
        # Older than the ids remembered: a signed body captured and sent again (LINE's own
        # redelivery gives up long before), answered 200 and nothing else.
        events = [event for event in events if not self._life.too_old(happened_at(event))]
        for left in filter(None, map(left_from_event, events)):
            # Blocked or left: a conversation waiting for the desk or with an agent ends now
            # (stored before LINE is answered), as when a web chat subscriber leaves.
            await subscriber_left(self._engine, record_key(CHANNEL, left))
        for group in filter(None, map(group_request, events)):
            if group.event_id not in self._answered_groups:
                self._answered_groups.append(group.event_id)
                self._life.later(self._one_to_one_only(group), name=f"line {group.event_id}")
        turns = [turn for event in events if (turn := turn_from_event(event))]
        if turns:
            await self._life.take(turns, self._store, self.deliver, name=turns[0].inbound.event_id)
        for unsent in filter(None, map(withdrawal_from_event, events)):
            # After the turns: a message and its unsend may come in one body. Stored before
            # LINE is answered (a store outage: 503, and LINE sends it again).
            await self._engine.withdraw(CHANNEL, unsent.to, unsent.event_id, unsent.said)
        return Response(status_code=200)

    def _events(self, raw: bytes, signature: str) -> list[Any]:
        payload = self._parser.parse(shaped(raw), signature, as_payload=True)
        return readable(payload.events, raw, unknown=self._unknown_event)

    async def _one_to_one_only(self, group: GroupRequest) -> None:
        # A group gets no dialog (the card and the check link carry the subscriber's address),
        # but whoever asked there is told where the bot does answer, not left in silence.
        # The reply token only: a push would cost the monthly quota for a note nobody awaits.
        locale = await self._group_locales(group.user) if group.user else None
        words = self._catalogs(locale or DEFAULT_LOCALE, "line.private_only")
        messages = render_turn([TextReply(words)], tag="")
        # Another process that got the same event redelivered finds the token used: the
        # note is said once even where this process's memory of answered events is not shared.
        await self._reply(group.reply_token, messages, group.event_id)

    def _signed(self, request: Request, body: bytes) -> bool:
        signature = request.headers.get(SIGNATURE_HEADER, "")
        expected = signature_of(body, self._config.channel_secret)
        return bool(signature) and hmac.compare_digest(signature.encode(), expected.encode())

    async def _store(self, turn: LineTurn) -> TurnOutcome:
        key = record_key(CHANNEL, turn.to)
        if turn.former is not None and await handled_before(self._engine.store, key, turn.former):
            return TurnOutcome(duplicate=True)  # stored by the version before an upgrade
        question = turn.question
        if turn.quoted is not None:
            # Words quoting a question are its answer, as its buttons would be: none to a
            # question answered since (the engine keeps them and answers nothing).
            noted = await self._engine.store.latest_line(key, "system", asked_note(turn.quoted))
            question = noted.text.removeprefix(asked_note(turn.quoted)) if noted else None
        return await self._life.store(turn.inbound, user=turn.user, question=question)

    async def deliver(self, turn: LineTurn, outcome: TurnOutcome) -> None:
        """Send a stored turn's replies: with the reply token, and push what it cannot carry."""
        event_id = turn.inbound.event_id
        before = self._life.answered_before(outcome, typed=turn.inbound.text is not None)
        if before is not None and turn.reply_token:
            # A button of a question answered since counted for nothing, and says so, with
            # the tap's reply token only (no quota spent on it).
            await self._reply(turn.reply_token, render_turn([TextReply(before)]), event_id)
            return
        if not outcome.replies:
            return
        messages = render_turn(outcome.replies, tag=question_tag(event_id))
        batches = list(batched(messages, MAX_MESSAGES_PER_CALL))
        first = 0
        sent: list[tuple[LineMessage, str]] = []
        if turn.reply_token and await self._reply(turn.reply_token, batches[0], event_id, sent):
            first = 1
        for index in range(first, len(batches)):
            try:
                await self._push(turn.to, batches[index], retry_key(event_id, index), sent)
            except NotDeliveredError as err:
                _LOGGER.error("LINE push for %s failed: %s", event_id, err)
                self._life.undelivered(err)
        await self._note_asked(turn.to, sent)

    async def _note_asked(self, to: str, sent: Sequence[tuple[LineMessage, str]]) -> None:
        """Note the ids LINE gave the messages that ask a question, with the question.

        A quote names only the message's id (`quotedMessageId`): its question is found by
        the note (`_store`). One line per question message, kept with the conversation.
        """
        notes = [
            f"{asked_note(message_id)}{question}"
            for message, message_id in sent
            if (question := asked_question(postback_data(message)))
        ]
        if not notes:
            return
        try:
            await note_lines(self._engine.store, record_key(CHANNEL, to), notes, bookkeeping=True)
        except StoreUnavailableError as err:
            # Only a quote of these messages is then read as words for the open question.
            _LOGGER.warning("LINE question ids of %s not noted: %s", to, err)

    async def _fetch_locale(self, user: str) -> Locale | None:
        from linebot.v3.messaging import ApiException

        try:
            profile = await self.api.get_profile(user)
        except ApiException as err:
            # A user who blocked the bot, or a group member who is not a friend: no profile.
            _LOGGER.info("LINE profile of %s unavailable: %s", user, err.status)
            return None
        return parse_locale(getattr(profile, "language", None))

    async def _reply(
        self,
        token: str,
        messages: Sequence[LineMessage],
        what: str,
        sent: list[tuple[LineMessage, str]] | None = None,
    ) -> bool:
        """Send with the reply token; False when the token cannot be used (then push).

        A resend is safe (LINE takes a token once), but once an attempt may have used the
        token, pushing what it carried could say it twice: then the reply counts as sent.
        `sent` gets each message with the id LINE gave it, when LINE said.
        """
        from linebot.v3.messaging import ApiException, ReplyMessageRequest

        request = ReplyMessageRequest.from_dict({"replyToken": token, "messages": list(messages)})
        failures: list[BaseException] = []

        def resend(err: BaseException) -> bool:
            failures.append(err)
            return _resendable(err)

        try:
            response = await send_once(
                lambda: self.api.reply_message(request),
                resend=resend,
                retry_after=self._retry_after,
                sleep=self._pause,
            )
        except (ApiException, *_NO_ANSWER) as err:
            if any(_may_have_arrived(f) for f in failures):
                _LOGGER.warning(
                    "LINE reply for %s may not have arrived: %s; not pushed instead, which"
                    " could say it twice",
                    what,
                    _failure(err),
                )
                self._life.undelivered(NotDeliveredError(_failure(err), may_have_arrived=True))
                return True
            _LOGGER.info("LINE reply token for %s refused (%s)", what, _status(err))
            return False
        _sent_ids(messages, response, sent)
        return True

    def _retry_after(self, err: BaseException) -> float | None:
        headers: Mapping[str, str] | None = getattr(err, "headers", None)
        return retry_after_seconds(headers, self._engine.now())

    async def _push(
        self,
        to: str,
        messages: Sequence[LineMessage],
        key: str,
        sent: list[tuple[LineMessage, str]] | None = None,
    ) -> None:
        """Push one batch, resent under its retry key while that helps; or NotDeliveredError.

        `sent` gets each message with the id LINE gave it, when LINE said (not after a 409).
        """
        from linebot.v3.messaging import ApiException, PushMessageRequest

        request = PushMessageRequest.from_dict({"to": to, "messages": list(messages)})
        try:
            response = await send_once(
                lambda: self.api.push_message(request, x_line_retry_key=key),
                # The retry key makes LINE drop a second copy: resending is always safe.
                resend=_resendable,
                retry_after=self._retry_after,
                sleep=self._pause,
            )
        except ApiException as err:
            if err.status == 401 and (times := self._token_refused.happened()):
                # Each failed push said only "LINE answered 401": nothing named the setting.
                _LOGGER.error(
                    "LINE refuses LINE_CHANNEL_ACCESS_TOKEN (401, %d push(es)): no reply reaches"
                    " LINE subscribers until it is replaced; issue a channel access token for"
                    " this channel (LINE Developers, the Messaging API tab), set it and restart"
                    " mailmove",
                    times,
                )
            if err.status != 409:  # 409: this retry key was accepted before, so delivered
                quota = _out_of_quota(err)
                raise NotDeliveredError(
                    f"LINE answered {err.status}" + (f": {MONTHLY_LIMIT}" if quota else ""),
                    may_have_arrived=_may_have_arrived(err),
                    cause=QUOTA if quota else None,
                ) from err
            return
        except _NO_ANSWER as err:
            raise NotDeliveredError(
                f"no answer from LINE ({type(err).__name__})", may_have_arrived=True
            ) from err
        _sent_ids(messages, response, sent)


def asked_note(message_id: str) -> str:
    """How the transcript's note of the question a sent message asks begins."""
    return f"{ASKED_NOTE}{message_id} "


def postback_data(message: LineMessage) -> list[str]:
    """The postback data of a message's buttons: its quick reply's, or its flex bubble's."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, Mapping):
            action = node.get("action")
            if isinstance(action, Mapping) and isinstance(action.get("data"), str):
                found.append(action["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return found


def _sent_ids(
    messages: Sequence[LineMessage], response: object, sent: list[tuple[LineMessage, str]] | None
) -> None:
    """Pair each message with the id LINE's answer gave it (`sentMessages`, in order)."""
    ids = [getattr(m, "id", None) for m in getattr(response, "sent_messages", None) or ()]
    if sent is None or len(ids) != len(messages):
        return
    sent.extend((m, i) for m, i in zip(messages, ids, strict=True) if isinstance(i, str))


def _status(err: BaseException) -> int | None:
    from linebot.v3.messaging import ApiException

    return (err.status or 0) if isinstance(err, ApiException) else None


def _failure(err: BaseException) -> str:
    """What went wrong with a call to LINE, for the log (never the request's body)."""
    status = _status(err)
    if status:
        return f"LINE answered {status}"
    return f"no answer from LINE ({type(err).__name__})"


def _may_have_arrived(err: BaseException) -> bool:
    """A 5xx, an answer without a status, or none at all: LINE may have taken the message."""
    status = _status(err)
    if status is None:
        return isinstance(err, _NO_ANSWER)
    return status == 0 or status >= 500


def _resendable(err: BaseException) -> bool:
    """A 429 was refused, so not sent; anything that may have arrived LINE deduplicates.

    Not the 429 of a month's allowance used up: it stays until the plan is changed.
    """
    return (_status(err) == 429 and not _out_of_quota(err)) or _may_have_arrived(err)


def _out_of_quota(err: BaseException) -> bool:
    """LINE's 429 for the channel's monthly message allowance, not for its rate limit.

    Both are 429; only the body's message tells them apart (developers.line.biz, "Handle
    HTTP status code 429 errors in the Messaging API").
    """
    body = getattr(err, "body", None)
    if _status(err) != 429 or not isinstance(body, (str, bytes)):
        return False
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return MONTHLY_LIMIT.casefold().rstrip(".") in text.casefold()


def create_channel(runtime: Runtime) -> LineChannel | None:
    """Entry point of the `line` channel: on when its credentials are set."""
    config = LineConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info(
            "LINE channel off: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN "
            "to switch it on"
        )
        return None
    return LineChannel(runtime, config)
