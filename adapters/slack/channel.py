"""Slack: direct messages, and mentions in channels answered in a thread (slack-bolt).

Events arrive over HTTP (Events API and interactivity, signed with the signing secret) or,
for a desk without a public URL, over Socket Mode. Either way the turn is stored before Bolt
acknowledges it (milliseconds, well within the 3 s after which Slack retries), so an event
the store cannot record gets 503 and comes again; the replies are posted afterwards, on the
runtime's background tasks.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.rendering import (
    LocaleCache,
    pressed_choice,
)
from adapters.slack.blocks import Clicked, SlackMessage, answered_blocks, render
from bot.engine import TurnOutcome
from bot.ops import metrics
from bot.runtime import Runtime
from bot.store.conversation_store import StoreUnavailableError
from dialogs.vocabulary import (
    Inbound,
    Locale,
    parse_locale,
)

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

_LOGGER: Final = logging.getLogger(__name__)

CHANNEL: Final = "slack"
WEBHOOK_PATH: Final = "/slack/events"
DEFAULT_API_URL: Final = "https://slack.com/api/"
# Block Kit limits (https://docs.slack.dev/reference/block-kit).
RATE_LIMIT_RETRIES: Final = 3
# users.info runs before the turn is stored, inside Slack's 3 s: past this, the turn goes on
# in the profile's default language rather than make Slack time out and retry.
LOCALE_TIMEOUT: Final = 1.0
STORE_UNAVAILABLE: Final = "the conversation store is unavailable; retry later"
_ACTION_ID: Final = re.compile(r"^choice-\d+$")
_MENTION: Final = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")

REJECTIONS: Final[collections.Counter[str]] = collections.Counter()
"""Requests refused before anything was parsed or stored, by reason."""


def _refused(reason: str) -> None:
    REJECTIONS[reason] += 1
    metrics.rejected(CHANNEL, reason)


@dataclass(frozen=True, slots=True)
class SlackConfig:
    """What the Slack channel needs, from the environment."""

    bot_token: str
    signing_secret: str | None
    app_token: str | None
    api_url: str

    @property
    def socket_mode(self) -> bool:
        """Socket Mode needs no public URL; an app-level token switches it on."""
        return self.app_token is not None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SlackConfig | None:
        """The configuration, or None when the variables that switch Slack on are missing."""
        bot_token = environ.get("SLACK_BOT_TOKEN", "")
        signing_secret = environ.get("SLACK_SIGNING_SECRET", "") or None
        app_token = environ.get("SLACK_APP_TOKEN", "") or None
        if not bot_token or not (signing_secret or app_token):
            return None
        api_url = environ.get("SLACK_API_URL", "") or DEFAULT_API_URL
        return cls(bot_token, signing_secret, app_token, api_url.rstrip("/") + "/")


@dataclass(frozen=True, slots=True)
class SlackTurn:
    """One inbound Slack event, parsed: the message, where to answer, and who sent it."""

    inbound: Inbound
    channel: str
    thread_ts: str | None
    user: str | None
    clicked: Clicked | None = None


# -- platform event → inbound ---------------------------------------------------------------


def is_direct(channel: str) -> bool:
    """Whether a Slack channel id is a direct-message channel (ids of DMs begin with D)."""
    return channel.startswith("D")


def turn_from_event(body: Mapping[str, Any]) -> SlackTurn | None:
    """A direct `message`, or an `app_mention` in a channel (answered in its thread).

    None for anything else: channel messages without a mention, edits, bots' posts.
    """
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("subtype") or event.get("bot_id"):
        return None
    channel = event.get("channel")
    if event.get("type") == "message" and event.get("channel_type") == "im":
        return _text_turn(body, event, thread_ts=None)
    if event.get("type") == "app_mention" and isinstance(channel, str) and not is_direct(channel):
        thread_ts = event.get("thread_ts") or event.get("ts")
        return _text_turn(body, event, thread_ts=str(thread_ts) if thread_ts else None)
    return None


def _text_turn(
    body: Mapping[str, Any], event: Mapping[str, Any], *, thread_ts: str | None
) -> SlackTurn | None:
    channel, user, event_id = event.get("channel"), event.get("user"), body.get("event_id")
    team = body.get("team_id") or event.get("team")
    text = _MENTION.sub("", str(event.get("text") or "")).strip()
    if not (isinstance(channel, str) and isinstance(event_id, str) and team and text):
        return None
    key = f"{team}:{channel}" if thread_ts is None else f"{team}:{channel}:{thread_ts}"
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=key,
        event_id=f"{CHANNEL}:{event_id}",
        text=text,
        sender=user if isinstance(user, str) else None,
    )
    return SlackTurn(inbound, channel, thread_ts, inbound.sender)


def turn_from_action(body: Mapping[str, Any], action: Mapping[str, Any]) -> SlackTurn | None:
    """A pressed choice button (`block_actions`)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    message_ts = container.get("message_ts") or message.get("ts")
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    user = (body.get("user") or {}).get("id")
    value = action.get("value")
    if not (isinstance(channel, str) and isinstance(message_ts, str) and team and value):
        return None
    if is_direct(channel):
        thread_ts = None
        key = f"{team}:{channel}"
    else:
        thread_ts = str(message.get("thread_ts") or container.get("thread_ts") or message_ts)
        key = f"{team}:{channel}:{thread_ts}"
    label = str((action.get("text") or {}).get("text") or "")
    blocks = tuple(b for b in message.get("blocks") or () if isinstance(b, Mapping))
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=key,
        # One answer per question message: a double click or a second button is dropped.
        event_id=f"{CHANNEL}:action:{channel}:{message_ts}",
        choice=str(value),
        sender=user if isinstance(user, str) else None,
    )
    clicked = Clicked(channel, message_ts, label, blocks)
    return SlackTurn(inbound, channel, thread_ts, inbound.sender, clicked)


def check_body(body: bytes, content_type: str) -> None:
    """Raise ValueError unless `body` is what Bolt can parse (JSON, or a form)."""
    text = body.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if content_type.startswith("application/json") or text.startswith("{"):
        data = json.loads(text)
    else:
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in form:
            return
        data = json.loads(form["payload"])
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")


# -- the channel ----------------------------------------------------------------------------


class SlackChannel:
    """Bolt's app behind our webhook route (or on a Socket Mode connection)."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: SlackConfig) -> None:
        from slack_bolt.async_app import AsyncApp
        from slack_sdk.http_retry.builtin_async_handlers import (
            AsyncConnectionErrorRetryHandler,
            AsyncRateLimitErrorRetryHandler,
        )
        from slack_sdk.signature import SignatureVerifier
        from slack_sdk.web.async_client import AsyncWebClient

        self._runtime = runtime
        self._config = config
        self._locales = LocaleCache()
        self.client: AsyncWebClient = AsyncWebClient(
            token=config.bot_token,
            base_url=config.api_url,
            # Slack answers 429 with Retry-After; the handler waits that long and resends,
            # and a message refused with 429 was not posted, so the retry cannot duplicate it.
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(),
                AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ],
        )
        self._verifier = SignatureVerifier(config.signing_secret) if config.signing_secret else None
        self.app: AsyncApp = AsyncApp(
            # A name spares Bolt from walking the call stack to make one up.
            name="mailmove",
            client=self.client,
            signing_secret=config.signing_secret or "",
            # Socket Mode messages come over our own authenticated connection, unsigned.
            request_verification_enabled=not config.socket_mode,
            # Bolt answers Slack only once our listener returned: the listener stores the
            # turn first (a store outage then gets 503, and Slack retries) and leaves only
            # the posting to a background task.
            process_before_response=True,
        )
        self.app.event("message")(self._on_event)
        self.app.event("app_mention")(self._on_event)
        self.app.action(_ACTION_ID)(self._on_action)
        # Anything else is acknowledged and ignored, so Slack does not redeliver it.
        self.app.event(re.compile(".*"))(self._ignore)
        self.app.action(re.compile(".*"))(self._ignore)
        self._socket: AsyncSocketModeHandler | None = None

    def routes(self) -> Sequence[BaseRoute]:
        """The Events API and interactivity endpoint, unless Socket Mode is on."""
        if self._config.socket_mode:
            return []
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    async def start(self) -> None:
        """Open the Socket Mode connection when configured; HTTP needs nothing started."""
        if self._config.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, self._config.app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        """Close the Socket Mode connection."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None

    async def webhook(self, request: Request) -> Response:
        """Verify, then let Bolt dispatch; unknown events get 200 so Slack stops sending."""
        from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

        if not self._runtime.tasks.accepting:
            return JSONResponse({"error": "shutting down"}, status_code=503)
        body = await request.body()
        if not self._signed(body, request):
            _refused("signature")
            _LOGGER.warning("Slack request refused: bad or missing signature")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        try:
            check_body(body, request.headers.get("content-type", ""))
        except ValueError:
            _refused("malformed")
            _LOGGER.warning("Slack request refused: malformed body")
            return JSONResponse({"error": "malformed body"}, status_code=400)
        response = await AsyncSlackRequestHandler(self.app).handle(request)
        if response.status_code == 404:
            return Response(status_code=200)
        return response

    def _signed(self, body: bytes, request: Request) -> bool:
        # Checked here as well as in Bolt, so a refusal is counted and never reaches Bolt.
        if self._verifier is None:
            return False
        try:
            return self._verifier.is_valid_request(body, dict(request.headers))
        except ValueError:  # a timestamp that is not a number
            return False

    async def _on_event(self, ack: Any, body: dict[str, Any]) -> Any:
        return await self._accept(ack, turn_from_event(body))

    async def _on_action(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> Any:
        return await self._accept(ack, turn_from_action(body, action))

    async def _ignore(self, ack: Any) -> None:
        await ack()

    async def _accept(self, ack: Any, turn: SlackTurn | None) -> Any:
        from slack_bolt import BoltResponse

        if not self._runtime.tasks.accepting:
            # Over Socket Mode no acknowledgement means Slack delivers it again later.
            return BoltResponse(status=503, body="")
        if turn is not None:
            try:
                outcome = await self.store_turn(turn)
            except StoreUnavailableError as err:
                # Bolt would make the exception a 500. Over Socket Mode any status but 200
                # leaves the envelope unacknowledged, and Slack sends it again.
                _LOGGER.warning("Slack event not acknowledged, the store is unavailable: %s", err)
                metrics.rejected(CHANNEL, "store_unavailable")
                return BoltResponse(
                    status=503, body={"error": STORE_UNAVAILABLE}, headers={"Retry-After": "2"}
                )
            if not outcome.duplicate:
                self._runtime.tasks.spawn(self.deliver(turn, outcome), name=turn.inbound.event_id)
        # With process_before_response Bolt answers Slack (HTTP response or Socket Mode
        # acknowledgement) only once this listener returns: the event is stored by then.
        await ack()
        return None

    async def store_turn(self, turn: SlackTurn) -> TurnOutcome:
        """Run the dialog step and save it (or raise StoreUnavailableError)."""
        inbound = turn.inbound
        if inbound.choice is not None:
            choice = await pressed_choice(self._runtime.engine.store, inbound)
            inbound = dataclasses.replace(inbound, choice=choice or inbound.choice)
        locale = await self._locale(turn.user)
        return await self._runtime.engine.handle(dataclasses.replace(inbound, locale=locale))

    async def deliver(self, turn: SlackTurn, outcome: TurnOutcome) -> None:
        """Post a stored turn's replies where the subscriber wrote (Slack calls only)."""
        if turn.clicked is not None:
            await self._take_buttons_away(turn.clicked)
        for reply in outcome.replies:
            for message in render(reply):
                await self._post(turn, message)

    async def _locale(self, user: str | None) -> Locale | None:
        import aiohttp
        from slack_sdk.errors import SlackApiError

        if user is None:
            return None
        known, locale = self._locales.get(user)
        if known:
            return locale
        try:
            async with asyncio.timeout(LOCALE_TIMEOUT):
                response = await self.client.users_info(user=user, include_locale=True)
        except SlackApiError as err:
            # Without the users:read scope we still answer, in the profile's default language.
            _LOGGER.warning("Slack users.info failed for %s: %s", user, err.response.get("error"))
            locale = None
        except (aiohttp.ClientError, TimeoutError) as err:
            # Slow or unreachable: answer in the default language, and ask again next time.
            _LOGGER.warning("Slack users.info for %s did not answer: %r", user, err)
            return None
        else:
            locale = parse_locale(str((response.get("user") or {}).get("locale") or ""))
        self._locales.put(user, locale)
        return locale

    async def _take_buttons_away(self, clicked: Clicked) -> None:
        from slack_sdk.errors import SlackApiError

        # A button left on an old question would answer whatever is asked now.
        blocks = answered_blocks(clicked)
        try:
            await self.client.chat_update(
                channel=clicked.channel, ts=clicked.ts, blocks=blocks, text=clicked.label or " "
            )
        except SlackApiError as err:
            _LOGGER.warning("Slack chat.update failed: %s", err.response.get("error"))

    async def _post(self, turn: SlackTurn, message: SlackMessage) -> None:
        from slack_sdk.errors import SlackApiError

        try:
            await self.client.chat_postMessage(
                channel=turn.channel, thread_ts=turn.thread_ts, **message
            )
        except SlackApiError as err:
            error = err.response.get("error")
            _LOGGER.error("Slack chat.postMessage for %s failed: %s", turn.inbound.event_id, error)


def create_channel(runtime: Runtime) -> SlackChannel | None:
    """Entry point of the `slack` channel: on when its credentials are set."""
    config = SlackConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info(
            "Slack channel off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(or SLACK_APP_TOKEN for Socket Mode) to switch it on"
        )
        return None
    return SlackChannel(runtime, config)
