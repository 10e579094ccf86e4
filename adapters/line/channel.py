"""LINE: one-to-one chats (and groups) with quick replies (line-bot-sdk v3, async API).

The webhook is checked against the channel secret over the raw bytes, and its turns are
stored before LINE gets its 200 (a store outage gets 503, and LINE redelivers when the
channel has webhook redelivery on); the replies go out afterwards, quickly, on the runtime's
background tasks. They go with the event's reply token (free, single use, short-lived);
whatever it cannot carry goes out by push with a retry key, which makes a resend after a
timeout or a 429 idempotent.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import dataclasses
import hashlib
import hmac
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.rendering import (
    LocaleCache,
    batched,
    choice_code,
    pressed_choice,
    split_text,
    truncate,
    utf16_length,
)
from bot.engine import TurnOutcome
from bot.ops import metrics
from bot.runtime import Runtime
from dialogs.vocabulary import (
    ChoicesReply,
    FileReply,
    Inbound,
    LinkReply,
    Locale,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
    parse_locale,
    reply_as_plain_text,
)

_LOGGER: Final = logging.getLogger(__name__)

CHANNEL: Final = "line"
WEBHOOK_PATH: Final = "/line/webhook"
SIGNATURE_HEADER: Final = "x-line-signature"
DEFAULT_API_URL: Final = "https://api.line.me"
# https://developers.line.biz/en/reference/messaging-api/ limits.
MAX_TEXT: Final = 5000
MAX_QUICK_REPLIES: Final = 13
MAX_LABEL: Final = 20
MAX_POSTBACK_DATA: Final = 300
MAX_DISPLAY_TEXT: Final = 300
MAX_ALT_TEXT: Final = 400
MAX_MESSAGES_PER_CALL: Final = 5
# A Flex bubble's JSON is limited in size: keep long question texts out of it.
MAX_FLEX_TEXT: Final = 2000
RETRIES: Final = 3
RETRY_WAIT: Final = 1.0
MAX_RETRY_WAIT: Final = 30.0
# The profile lookup runs before the turn is stored, while LINE waits for its 200: past
# this, the turn goes on in the profile's default language.
LOCALE_TIMEOUT: Final = 1.0
# Postback data is "<choice>~<question tag>": LINE does not say which message was tapped.
QUESTION_SEPARATOR: Final = "~"
_TAG_CHARS: Final = 16
# Fixed, so a retry key depends only on the event and the batch: a resend reuses it.
_RETRY_NAMESPACE: Final = uuid.UUID("6f1c54a4-8f0e-4c59-9d43-3f1e1c2b7a10")

REJECTIONS: Final[collections.Counter[str]] = collections.Counter()
"""Requests refused before anything was parsed or stored, by reason."""


def _refused(reason: str) -> None:
    REJECTIONS[reason] += 1
    metrics.rejected(CHANNEL, reason)


LineMessage = dict[str, Any]
"""One message object as LINE's JSON spells it (`{"type": "text", ...}`)."""


@dataclass(frozen=True, slots=True)
class LineConfig:
    """What the LINE channel needs, from the environment."""

    channel_secret: str
    access_token: str
    api_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> LineConfig | None:
        """The configuration, or None when the variables that switch LINE on are missing."""
        secret = environ.get("LINE_CHANNEL_SECRET", "")
        token = environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
        if not secret or not token:
            return None
        api_url = (environ.get("LINE_API_URL", "") or DEFAULT_API_URL).rstrip("/")
        return cls(secret, token, api_url)


@dataclass(frozen=True, slots=True)
class LineTurn:
    """One webhook event, parsed: the message, who to answer, and the reply token."""

    inbound: Inbound
    to: str
    reply_token: str | None
    user: str | None


# -- platform event → inbound ---------------------------------------------------------------


def signature_of(body: bytes, secret: str) -> str:
    """The `X-Line-Signature` LINE sends with `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def turn_from_event(event: Any) -> LineTurn | None:
    """A text message, a postback or a new friend; None for every other event."""
    kind = getattr(event, "type", None)
    mode = getattr(event, "mode", None)
    # In standby another module owns the chat (and there is no reply token).
    if getattr(mode, "value", mode) != "active":
        return None
    source = getattr(event, "source", None)
    to = (
        getattr(source, "group_id", None)
        or getattr(source, "room_id", None)
        or getattr(source, "user_id", None)
    )
    event_id = getattr(event, "webhook_event_id", None)
    if not isinstance(to, str) or not isinstance(event_id, str):
        return None
    fields: dict[str, Any]
    dedupe_id = f"{CHANNEL}:{event_id}"
    if kind == "message" and getattr(event.message, "type", None) == "text":
        fields = {"text": event.message.text}
    elif kind == "postback":
        choice, _, question = str(event.postback.data).rpartition(QUESTION_SEPARATOR)
        if choice and question:
            fields = {"choice": choice}
            # One answer per question message: a second tap on its buttons is dropped.
            dedupe_id = f"{CHANNEL}:pressed:{to}:{question}"
        else:
            fields = {"choice": question}
    elif kind in ("follow", "join"):
        fields = {"start": True}
    else:
        return None
    user = getattr(source, "user_id", None)
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=to,
        event_id=dedupe_id,
        sender=user,
        **fields,
    )
    return LineTurn(inbound, to, getattr(event, "reply_token", None), user)


# -- reply → platform payload ---------------------------------------------------------------


def _texts(text: str) -> list[LineMessage]:
    chunks = split_text(text, MAX_TEXT, measure=utf16_length) or [text]
    return [{"type": "text", "text": chunk} for chunk in chunks]


def question_tag(event_id: str) -> str:
    """Names the question messages a turn sent, after the event that caused them."""
    return hashlib.sha256(event_id.encode()).hexdigest()[:_TAG_CHARS]


def _postback(label: str, choice_id: str, tag: str) -> dict[str, Any]:
    suffix = f"{QUESTION_SEPARATOR}{tag}" if tag else ""
    return {
        "type": "postback",
        "label": truncate(label, MAX_LABEL, measure=utf16_length),
        "data": choice_code(choice_id, MAX_POSTBACK_DATA - len(suffix), reserved=QUESTION_SEPARATOR)
        + suffix,
        # Shown in the chat as the subscriber's own words, so the transcript reads naturally.
        "displayText": truncate(label, MAX_DISPLAY_TEXT, measure=utf16_length),
    }


def _choices(reply: ChoicesReply, *, quick: bool, tag: str) -> list[LineMessage]:
    if quick and len(reply.choices) <= MAX_QUICK_REPLIES:
        *leading, last = _texts(reply.text)
        items = [{"type": "action", "action": _postback(c.label, c.id, tag)} for c in reply.choices]
        return [*leading, {**last, "quickReply": {"items": items}}]
    # Over 13 choices (or a question that is not the turn's last message, where LINE would
    # not show quick replies): buttons in a Flex bubble, which take any number of them.
    chunks = split_text(reply.text, MAX_FLEX_TEXT, measure=utf16_length) or [reply.text]
    leading = [{"type": "text", "text": chunk} for chunk in chunks[:-1]]
    buttons = [
        {"type": "button", "style": "link", "height": "sm", "action": _postback(c.label, c.id, tag)}
        for c in reply.choices
    ]
    bubble = {
        "type": "bubble",
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [{"type": "text", "text": chunks[-1], "wrap": True}, *buttons],
        },
    }
    alt = truncate(reply_as_plain_text(reply), MAX_ALT_TEXT, measure=utf16_length)
    return [*leading, {"type": "flex", "altText": alt, "contents": bubble}]


def _settings(reply: SettingsReply) -> LineMessage:
    rows = [
        {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {"type": "text", "text": i.label, "size": "xs", "color": "#888888", "wrap": True},
                {"type": "text", "text": i.value, "weight": "bold", "wrap": True},
            ],
        }
        for i in reply.items
    ]
    bubble = {
        "type": "bubble",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [{"type": "text", "text": reply.title, "weight": "bold", "wrap": True}],
        },
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": rows},
    }
    alt = truncate(reply_as_plain_text(reply), MAX_ALT_TEXT, measure=utf16_length)
    return {"type": "flex", "altText": alt, "contents": bubble}


def render(reply: Reply, *, last: bool = True, tag: str = "") -> list[LineMessage]:
    """One reply as LINE message objects.

    `last` when it ends the turn (only then does LINE show quick replies); `tag` names the
    question in its buttons' postback data (see `question_tag`).
    """
    if isinstance(reply, ChoicesReply):
        return _choices(reply, quick=last, tag=tag)
    if isinstance(reply, SettingsReply):
        return [_settings(reply)]
    if isinstance(reply, LinkReply | FileReply):
        # LINE cannot send files: a file goes as its link.
        return _texts(f"{reply.text}\n{reply.url}")
    if isinstance(reply, TextReply | VerdictReply):
        return _texts(reply.text)
    raise TypeError(f"cannot render {reply!r}")


def render_turn(replies: Sequence[Reply], *, tag: str = "") -> list[LineMessage]:
    """A turn's replies as one list of message objects, in order."""
    return [
        message
        for n, reply in enumerate(replies)
        for message in render(reply, last=n == len(replies) - 1, tag=tag)
    ]


def retry_key(event_id: str, batch: int) -> str:
    """The push retry key of one batch of one event's replies: the same on every resend."""
    return str(uuid.uuid5(_RETRY_NAMESPACE, f"{event_id}:{batch}"))


def retry_wait(headers: Mapping[str, str] | None, attempt: int) -> float:
    """Seconds to wait before resending: the Retry-After header, else doubling backoff."""
    value = (headers or {}).get("Retry-After")
    if value is not None:
        try:
            seconds = float(value)
        except ValueError:
            pass
        else:
            return min(max(seconds, 0.0), MAX_RETRY_WAIT)
    return min(RETRY_WAIT * (1 << attempt), MAX_RETRY_WAIT)


# -- the channel ----------------------------------------------------------------------------


class LineChannel:
    """The webhook and an async Messaging API client."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: LineConfig) -> None:
        from linebot.v3 import WebhookParser  # type: ignore[import-untyped]

        self._runtime = runtime
        self._config = config
        self._parser = WebhookParser(config.channel_secret)
        self._locales = LocaleCache()
        self._client: Any = None
        self.api: Any = None

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook."""
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

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

    async def stop(self) -> None:
        """Close the API client's session."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def webhook(self, request: Request) -> Response:
        """Check the signature, store the turns (a store outage: 503), answer 200; reply after."""
        if not self._runtime.tasks.accepting:
            return JSONResponse({"error": "shutting down"}, status_code=503)
        signature = request.headers.get(SIGNATURE_HEADER, "")
        body = await request.body()
        expected = signature_of(body, self._config.channel_secret)
        if not signature or not hmac.compare_digest(signature.encode(), expected.encode()):
            _refused("signature")
            _LOGGER.warning("LINE request refused: bad or missing signature")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        try:
            payload = self._parser.parse(body.decode("utf-8"), signature, as_payload=True)
        except (ValueError, KeyError, TypeError, AttributeError):
            _refused("malformed")
            _LOGGER.warning("LINE request refused: malformed body")
            return JSONResponse({"error": "malformed body"}, status_code=400)
        turns = [turn for event in payload.events if (turn := turn_from_event(event))]
        stored: list[tuple[LineTurn, TurnOutcome]] = []
        try:
            for turn in turns:
                stored.append((turn, await self.store_turn(turn)))
        finally:
            # Even when a later event could not be stored (and the delivery gets 503), the
            # ones stored before it are answered: redelivered, they are dropped as repeats.
            # One task per delivery keeps the replies of one delivery in their order.
            if stored:
                self._runtime.tasks.spawn(
                    self._deliver_all(stored), name=stored[0][0].inbound.event_id
                )
        return Response(status_code=200)

    async def _deliver_all(self, stored: list[tuple[LineTurn, TurnOutcome]]) -> None:
        for turn, outcome in stored:
            await self.deliver(turn, outcome)

    async def store_turn(self, turn: LineTurn) -> TurnOutcome:
        """Run the dialog step and save it (or raise StoreUnavailableError)."""
        inbound = turn.inbound
        if inbound.choice is not None:
            choice = await pressed_choice(self._runtime.engine.store, inbound)
            inbound = dataclasses.replace(inbound, choice=choice or inbound.choice)
        locale = await self._locale(turn.user)
        return await self._runtime.engine.handle(dataclasses.replace(inbound, locale=locale))

    async def deliver(self, turn: LineTurn, outcome: TurnOutcome) -> None:
        """Send a stored turn's replies: with the reply token, and push what it cannot carry."""
        if outcome.duplicate or not outcome.replies:
            return
        event_id = turn.inbound.event_id
        messages = render_turn(outcome.replies, tag=question_tag(event_id))
        batches = list(batched(messages, MAX_MESSAGES_PER_CALL))
        first = 0
        if turn.reply_token and await self._reply(turn, batches[0]):
            first = 1
        for index in range(first, len(batches)):
            await self._push(turn, batches[index], retry_key(event_id, index))

    async def _locale(self, user: str | None) -> Locale | None:
        import aiohttp
        from linebot.v3.messaging import ApiException

        if user is None:
            return None
        known, locale = self._locales.get(user)
        if known:
            return locale
        try:
            async with asyncio.timeout(LOCALE_TIMEOUT):
                profile = await self.api.get_profile(user)
        except ApiException as err:
            # A user who blocked the bot, or a group member who is not a friend: no profile.
            _LOGGER.info("LINE profile of %s unavailable: %s", user, err.status)
            locale = None
        except (aiohttp.ClientError, OSError, TimeoutError) as err:
            # Slow or unreachable: answer in the default language, and ask again next time.
            _LOGGER.warning("LINE profile of %s did not arrive: %r", user, err)
            return None
        else:
            locale = parse_locale(getattr(profile, "language", None))
        self._locales.put(user, locale)
        return locale

    async def _reply(self, turn: LineTurn, messages: Sequence[LineMessage]) -> bool:
        """Send with the reply token; False when the token cannot be used (then push)."""
        import aiohttp
        from linebot.v3.messaging import ApiException, ReplyMessageRequest

        request = ReplyMessageRequest.from_dict(
            {"replyToken": turn.reply_token, "messages": list(messages)}
        )
        uncertain = False
        for attempt in range(RETRIES + 1):
            try:
                await self.api.reply_message(request)
                return True
            except ApiException as err:
                status = err.status or 0
                if status == 429 or status >= 500 or status == 0:
                    uncertain = uncertain or status != 429
                    if attempt < RETRIES:
                        await asyncio.sleep(retry_wait(err.headers, attempt))
                        continue
                    break
                if uncertain:
                    # An earlier attempt may have used the token: pushing could say it twice.
                    _LOGGER.warning("LINE reply for %s may not have arrived", turn.inbound.event_id)
                    return True
                _LOGGER.info("LINE reply token of %s refused (%s): pushing", turn.to, status)
                return False
            except (aiohttp.ClientError, TimeoutError):
                uncertain = True
                if attempt < RETRIES:
                    await asyncio.sleep(retry_wait(None, attempt))
        if uncertain:
            _LOGGER.warning("LINE reply for %s may not have arrived", turn.inbound.event_id)
            return True
        return False

    async def _push(self, turn: LineTurn, messages: Sequence[LineMessage], key: str) -> None:
        import aiohttp
        from linebot.v3.messaging import ApiException, PushMessageRequest

        request = PushMessageRequest.from_dict({"to": turn.to, "messages": list(messages)})
        for attempt in range(RETRIES + 1):
            try:
                await self.api.push_message(request, x_line_retry_key=key)
                return
            except ApiException as err:
                status = err.status or 0
                if status == 409:
                    return  # this retry key was accepted before: already delivered
                if (status == 429 or status >= 500 or status == 0) and attempt < RETRIES:
                    await asyncio.sleep(retry_wait(err.headers, attempt))
                    continue
                _LOGGER.error("LINE push for %s failed: %s", turn.inbound.event_id, status)
                return
            except (aiohttp.ClientError, TimeoutError):
                if attempt < RETRIES:
                    await asyncio.sleep(retry_wait(None, attempt))
        _LOGGER.error("LINE push for %s failed: no answer", turn.inbound.event_id)


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
