"""Chatwoot: the bot as an Agent Bot of a Chatwoot inbox, and the inbox as the agents' desk.

Chatwoot signs nothing, so the webhook URL itself carries a secret:
`/webhooks/chatwoot/{CHATWOOT_WEBHOOK_TOKEN}`; any other path answers 404, exactly as an
unknown route does. Chatwoot marks a conversation `pending` while a bot should answer and
`open` once agents have it: the bot speaks only in pending conversations, hands off by
writing the summary as a private note and opening the conversation, and takes it back when
an agent sets it to pending again. Agent bots are not told of status changes
(`conversation_status_changed` reaches account webhooks only), so an account webhook must
point at the same URL for the hand-back to work; see README.md.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import hmac
import logging
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import DeskUnavailableError
from bot.desk.ownership import change_owner
from bot.desk.summary import HandoffSummary
from bot.ops import metrics
from bot.ops.catalogs import Catalogs
from bot.ops.settings import ConfigError
from bot.runtime import Runtime
from bot.store.conversation_store import Owner, record_key
from dialogs.vocabulary import ChoicesReply, Inbound, Locale, Reply, reply_as_plain_text

_LOGGER: Final = logging.getLogger(__name__)

CHANNEL: Final = "chatwoot"
WEBHOOK_PATH: Final = "/webhooks/chatwoot/{token}"
MIN_WEBHOOK_TOKEN: Final = 16
DESK_LOCALE: Final[Locale] = "ja"
API_TIMEOUT: Final = 10.0
RATE_LIMIT_RETRIES: Final = 3
MAX_RETRY_AFTER: Final = 10.0
PENDING: Final = "pending"
OPEN: Final = "open"
RESOLVED: Final = "resolved"
_VARIABLES: Final = (
    "CHATWOOT_URL",
    "CHATWOOT_API_TOKEN",
    "CHATWOOT_ACCOUNT_ID",
    "CHATWOOT_WEBHOOK_TOKEN",
)

REJECTIONS: Final[collections.Counter[str]] = collections.Counter()
"""Requests refused before anything was parsed or stored, by reason."""


def _refused(reason: str) -> None:
    REJECTIONS[reason] += 1
    metrics.rejected(CHANNEL, reason)


ChatwootMessage = dict[str, Any]
"""The body of one `POST .../conversations/{id}/messages` call."""


@dataclass(frozen=True, slots=True)
class ChatwootConfig:
    """What the Chatwoot channel needs, from the environment."""

    url: str
    api_token: str
    account_id: str
    webhook_token: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ChatwootConfig | None:
        """The configuration, or None when a variable that switches Chatwoot on is missing."""
        values = [environ.get(name, "").strip() for name in _VARIABLES]
        if not all(values):
            return None
        url, api_token, account_id, webhook_token = values
        if not account_id.isdigit():
            raise ConfigError(f"CHATWOOT_ACCOUNT_ID={account_id!r} must be a number")
        # The token is the webhook's only protection: it must not be guessable.
        if len(webhook_token) < MIN_WEBHOOK_TOKEN or not webhook_token.isascii():
            raise ConfigError(
                f"CHATWOOT_WEBHOOK_TOKEN must be at least {MIN_WEBHOOK_TOKEN} ASCII characters"
            )
        return cls(url.rstrip("/"), api_token, account_id, webhook_token)


# -- platform event → inbound ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A conversation's new status (`pending`, `open`, `resolved`, ...), as Chatwoot reported it."""

    conversation_id: str
    status: str
    event_id: str
    agent: str


def _id(value: object) -> str | None:
    # Chatwoot sends ids as numbers; its documentation's samples show strings too.
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return text if text.isdigit() else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _same_account(body: Mapping[str, Any], account_id: str) -> bool:
    account = _id(_mapping(body.get("account")).get("id")) or _id(body.get("account_id"))
    # Conversation events of older versions name no account: the URL's token vouches for them.
    return account is None or account == account_id


def _sender_name(body: Mapping[str, Any]) -> str | None:
    name = _mapping(body.get("sender")).get("name")
    return name if isinstance(name, str) and name else None


def event_from_message(body: Mapping[str, Any]) -> Inbound | None:
    """A subscriber's message in a pending conversation; None for anything the bot ignores.

    Ignored: the bot's own messages and agents' (outgoing), templates, private notes, and
    every conversation that is not pending (agents have it, or it is resolved).
    """
    conversation = _mapping(body.get("conversation"))
    conversation_id = _id(conversation.get("id"))
    message_id = _id(body.get("id"))
    # Versions before 2022 send no `private`; their notes are outgoing, ignored below anyway.
    if conversation_id is None or message_id is None or body.get("private"):
        return None
    if conversation.get("status") != PENDING:
        return None
    event = body.get("event")
    if event == "message_created":
        text = body.get("content")
        # webhook_data names the type; the shape inside a conversation numbers it (0).
        incoming = body.get("message_type") in ("incoming", 0)
        if not incoming or not isinstance(text, str) or not text.strip():
            return None
        return Inbound(
            channel=CHANNEL,
            conversation_key=conversation_id,
            event_id=f"{CHANNEL}:{message_id}",
            text=text.strip(),
            sender=_sender_name(body),
        )
    if event == "message_updated" and body.get("content_type") == "input_select":
        # The web widget answers a select by updating the bot's own message with the choice.
        submitted = _mapping(body.get("content_attributes")).get("submitted_values")
        first = _mapping(submitted[0]) if isinstance(submitted, list) and submitted else {}
        value, title = first.get("value"), first.get("title")
        choice = value if isinstance(value, str) and value else None
        text = title.strip() if isinstance(title, str) and choice is None else None
        if not (choice or text):
            return None
        # One answer per question: a second update of the same message is a repeat.
        return Inbound(
            channel=CHANNEL,
            conversation_key=conversation_id,
            event_id=f"{CHANNEL}:select:{message_id}",
            text=text or None,
            choice=choice,
        )
    return None


def _changed_status(body: Mapping[str, Any]) -> str | None:
    event = body.get("event")
    if event == "conversation_opened":
        return OPEN
    if event == "conversation_resolved":
        return RESOLVED
    if event == "conversation_status_changed":
        status = body.get("status")
        return status if isinstance(status, str) else None
    # conversation_updated fires for any attribute: only a change of status counts, or
    # a label added while the bot hands off would look like a hand-back.
    changes = body.get("changed_attributes")
    for change in changes if isinstance(changes, list) else ():
        status = _mapping(_mapping(change).get("status")).get("current_value")
        if isinstance(status, str):
            return status
    return None


def event_from_status(body: Mapping[str, Any]) -> StatusChange | None:
    """A conversation's status change; None when the event changed no status."""
    conversation_id = _id(body.get("id"))
    status = _changed_status(body)
    if conversation_id is None or status is None:
        return None
    # The same change can arrive as two events (status_changed and updated): one id for both.
    moment = body.get("updated_at") or body.get("timestamp") or ""
    assignee = _mapping(_mapping(body.get("meta")).get("assignee")).get("name")
    return StatusChange(
        conversation_id=conversation_id,
        status=status,
        event_id=f"{CHANNEL}:status:{conversation_id}:{status}:{moment}",
        agent=assignee if isinstance(assignee, str) else "",
    )


def parse_event(body: Mapping[str, Any], account_id: str) -> Inbound | StatusChange | None:
    """What a webhook body means to the bot, or None when it means nothing."""
    if not _same_account(body, account_id):
        return None
    event = body.get("event")
    if event in ("message_created", "message_updated"):
        return event_from_message(body)
    # Status changes come as conversation_status_changed or conversation_updated, and as
    # the deprecated conversation_opened and conversation_resolved.
    if isinstance(event, str) and event.startswith("conversation_"):
        return event_from_status(body)
    return None


def parse_body(raw: bytes) -> Mapping[str, Any]:
    """The webhook body as a JSON object; ValueError otherwise."""
    data = orjson.loads(raw)  # orjson.JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")
    return data


# -- reply → platform payload ---------------------------------------------------------------


def render(reply: Reply) -> ChatwootMessage:
    """One reply as one Chatwoot message: choices as `input_select`, anything else as text."""
    if isinstance(reply, ChoicesReply):
        return {
            "content": reply.text,
            "message_type": "outgoing",
            "private": False,
            "content_type": "input_select",
            "content_attributes": {
                "items": [{"title": c.label, "value": c.id} for c in reply.choices]
            },
        }
    # A settings card becomes "label: value" lines: readable in every inbox Chatwoot serves
    # (web widget, e-mail, SMS), where a card would not be.
    return {
        "content": reply_as_plain_text(reply),
        "message_type": "outgoing",
        "private": False,
        "content_type": "text",
    }


def private_note(text: str) -> ChatwootMessage:
    """An internal note: agents see it, the subscriber never does."""
    return {"content": text, "message_type": "outgoing", "private": True, "content_type": "text"}


# -- the REST API ---------------------------------------------------------------------------


class ChatwootApiError(RuntimeError):
    """Chatwoot refused a call or could not be reached."""


class ChatwootApi:
    """The two calls the bot makes, with the agent bot's access token."""

    def __init__(self, config: ChatwootConfig, client: httpx.AsyncClient | None = None) -> None:
        self._base = f"/api/v1/accounts/{config.account_id}/conversations"
        self._client = client or httpx.AsyncClient(
            base_url=config.url,
            headers={"api_access_token": config.api_token},
            timeout=API_TIMEOUT,
        )

    async def post_message(self, conversation_id: str, message: ChatwootMessage) -> None:
        """Add a message (or a private note) to a conversation."""
        await self._post(f"{self._base}/{conversation_id}/messages", message)

    async def toggle_status(self, conversation_id: str, status: str) -> None:
        """Set a conversation's status: `open` hands it to agents, `pending` to the bot."""
        await self._post(f"{self._base}/{conversation_id}/toggle_status", {"status": status})

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _post(self, path: str, body: Mapping[str, Any]) -> None:
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            try:
                response = await self._client.post(path, json=body)
            except httpx.HTTPError as err:
                # Not retried: the message may have been stored before the connection broke.
                raise ChatwootApiError(f"Chatwoot unreachable: {type(err).__name__}") from err
            if response.status_code == 429 and attempt < RATE_LIMIT_RETRIES:
                # Refused, so not stored: resending after the pause cannot duplicate it.
                await asyncio.sleep(_retry_after(response))
                continue
            if not response.is_success:
                raise ChatwootApiError(f"Chatwoot answered {response.status_code} to {path}")
            return


def _retry_after(response: httpx.Response) -> float:
    raw = response.headers.get("retry-after", "1")
    return min(float(raw), MAX_RETRY_AFTER) if raw.isdigit() else 1.0


# -- the desk -------------------------------------------------------------------------------


class ChatwootDesk:
    """Hands a Chatwoot conversation to the inbox's agents: a private note, then `open`."""

    name = CHANNEL

    def __init__(self, api: ChatwootApi, catalogs: Catalogs) -> None:
        self._api = api
        self._catalogs = catalogs

    def accepts(self, channel: str) -> bool:
        """Only Chatwoot's own conversations: others' subscribers are not in its inbox."""
        return channel == CHANNEL

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Tell the agents in the conversation itself; other channels' go to other desks."""
        if summary.channel != CHANNEL:
            # Agents reach a subscriber only through the conversation they are in, so this
            # desk cannot take a web chat's: another desk (or the give-back) must.
            raise DeskUnavailableError("the Chatwoot desk takes only Chatwoot conversations")
        try:
            note = summary.as_text(self._catalogs, DESK_LOCALE)
            await self._api.post_message(summary.conversation_id, private_note(note))
            await self._api.toggle_status(summary.conversation_id, OPEN)
        except ChatwootApiError as err:
            raise DeskUnavailableError(str(err)) from err


# -- the channel ----------------------------------------------------------------------------


class ChatwootChannel:
    """The agent bot's webhook, its replies, and the conversation's status both ways."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: ChatwootConfig) -> None:
        self._runtime = runtime
        self._config = config
        self.api = ChatwootApi(config)
        self.desk = ChatwootDesk(self.api, runtime.catalogs)

    def routes(self) -> Sequence[BaseRoute]:
        """The webhook, for the agent bot and the account webhook alike."""
        return [Route(WEBHOOK_PATH, self.webhook, methods=["POST"])]

    async def start(self) -> None:
        """Offer the inbox's agents as a desk for handoffs."""
        if self._runtime.handoffs is not None:
            self._runtime.handoffs.add(self.desk)

    async def stop(self) -> None:
        """Close the API client."""
        await self.api.close()

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send replies that answer no message (a check result, an agent's hand-back)."""
        await self._send(conversation_key, replies)
        record = await self._runtime.engine.store.load(record_key(CHANNEL, conversation_key))
        if record is not None and record.owner is Owner.BOT:
            # Handed back from the agent console, Chatwoot still shows it open, and the bot
            # ignores open conversations: make it the bot's there too.
            await self._call(self.api.toggle_status(conversation_key, PENDING))

    async def webhook(self, request: Request) -> Response:
        """Check the URL's token, store the turn, answer; post the replies afterwards."""
        given = str(request.path_params["token"]).encode()
        if not hmac.compare_digest(given, self._config.webhook_token.encode()):
            _refused("token")
            _LOGGER.warning("Chatwoot webhook refused: wrong token in the URL")
            # The same answer as for any unknown path: a guess learns nothing.
            return PlainTextResponse("Not Found", status_code=404)
        if not self._runtime.tasks.accepting:
            return JSONResponse({"error": "shutting down"}, status_code=503)
        try:
            body = parse_body(await request.body())
        except ValueError:
            _refused("malformed")
            _LOGGER.warning("Chatwoot webhook refused: malformed body")
            return JSONResponse({"error": "malformed body"}, status_code=400)
        event = parse_event(body, self._config.account_id)
        # Chatwoot waits at most 5 s for an agent bot and then opens the conversation to
        # agents: store the turn (milliseconds; a store outage gets the server's 503) before
        # answering, post the replies afterwards.
        if isinstance(event, Inbound):
            replies = await self.store_turn(event)
            self._send_later(event.conversation_key, replies, name=event.event_id)
        elif isinstance(event, StatusChange):
            replies = await self.store_status(event)
            self._send_later(event.conversation_id, replies, name=event.event_id)
        return JSONResponse({"ok": True})

    def _send_later(self, conversation_id: str, replies: Sequence[Reply], *, name: str) -> None:
        if replies:
            self._runtime.tasks.spawn(self._send(conversation_id, replies), name=name)

    async def store_turn(self, inbound: Inbound) -> Sequence[Reply]:
        """Run the dialog for one subscriber message and save it; the replies to post."""
        inbound = await self._resolved(inbound)
        outcome = await self._runtime.engine.handle(inbound)
        return () if outcome.duplicate else outcome.replies

    async def store_status(self, change: StatusChange) -> Sequence[Reply]:
        """Follow Chatwoot's status (pending: the bot's, open: agents', resolved: closed)."""
        store = self._runtime.engine.store
        record = await store.load(record_key(CHANNEL, change.conversation_id))
        if record is None:
            return ()  # a conversation the bot never saw (another inbox of the account)
        if change.status == PENDING and record.owner is Owner.AGENT:
            return await self._hand_back(change)
        if change.status == OPEN and record.owner is Owner.BOT:
            await self._set_owner(
                record.key, Owner.AGENT, f"taken over in Chatwoot by {change.agent}"
            )
        elif change.status == RESOLVED and record.owner is not Owner.CLOSED:
            await self._set_owner(record.key, Owner.CLOSED, "closed")
        return ()

    async def _hand_back(self, change: StatusChange) -> Sequence[Reply]:
        # No new facts from Chatwoot: the bot resumes where the answers leave off.
        outcome = await hand_back(
            self._runtime.engine,
            CHANNEL,
            change.conversation_id,
            HandbackFacts(agent=change.agent or "Chatwoot"),
            event_id=change.event_id,
        )
        return () if outcome.duplicate or outcome.record is None else outcome.replies

    async def _set_owner(self, key: str, owner: Owner, line: str) -> None:
        await change_owner(self._runtime.engine, key, owner, line, only_if_different=True)

    async def _resolved(self, inbound: Inbound) -> Inbound:
        """A select's answer (its title or value) as the choice id the dialog offered."""
        key = record_key(CHANNEL, inbound.conversation_key)
        record = await self._runtime.engine.store.load(key)
        offered = record.dialog.offered if record is not None else ()
        answer = inbound.choice or inbound.text or ""
        if answer in offered:
            return dataclasses.replace(inbound, text=None, choice=answer)
        if not offered:
            return inbound
        # Titles are the dialog's labels, which the last question in the transcript keeps.
        for line in reversed(await self._runtime.engine.store.transcript(key)):
            reply = line.reply or {}
            if line.author != "bot" or reply.get("type") != "choices":
                continue
            choices = reply.get("choices")
            for choice in choices if isinstance(choices, list) else ():
                if choice.get("label") == answer and choice.get("id") in offered:
                    return dataclasses.replace(inbound, text=None, choice=str(choice["id"]))
            break
        return inbound

    async def _send(self, conversation_id: str, replies: Sequence[Reply]) -> None:
        for reply in replies:
            await self._call(self.api.post_message(conversation_id, render(reply)))

    async def _call(self, call: Awaitable[None]) -> None:
        try:
            await call
        except ChatwootApiError as err:
            # The reply is in the transcript either way; an agent can read it there.
            _LOGGER.error("Chatwoot call failed: %s", err)


def create_channel(runtime: Runtime) -> ChatwootChannel | None:
    """Entry point of the `chatwoot` channel: on when its four variables are set."""
    config = ChatwootConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info("Chatwoot channel off: set %s to switch it on", ", ".join(_VARIABLES))
        return None
    return ChatwootChannel(runtime, config)
