"""Slack as the agents' desk: one message per handoff in a channel of agents, with buttons.

The bot posts each handoff's summary to `SLACK_AGENTS_CHANNEL` with two buttons:
「対応する」 makes the pressing agent the owner (the bot stays silent), 「ボットに戻す」
hands the conversation back (the bot greets the subscriber and carries on). Clicks arrive
at `POST /slack/agents/actions`, signed like every Slack request; the desk answers at once
and acts afterwards, because Slack shows an error to the agent after 3 s without an answer.

Slack sends every click of an app to that app's one Interactivity Request URL, so the app
whose buttons these are must point it here: a desk app of its own when subscribers also
talk to the bot on Slack (see README.md, "Agents in Slack").
"""

from __future__ import annotations

import collections
import json
import logging
import re
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.rendering import truncate
from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import DeskUnavailableError
from bot.desk.ownership import take_over
from bot.desk.summary import HandoffSummary
from bot.ops import metrics
from bot.ops.catalogs import Catalogs
from bot.ops.settings import ConfigError
from bot.runtime import Runtime
from bot.store.conversation_store import Change, ConversationRecord, Owner
from dialogs.vocabulary import Locale, Reply

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

_LOGGER: Final = logging.getLogger(__name__)

CHANNEL: Final = "slack_desk"
ACTIONS_PATH: Final = "/slack/agents/actions"
DEFAULT_API_URL: Final = "https://slack.com/api/"
DESK_LOCALE: Final[Locale] = "ja"
API_TIMEOUT: Final = 10
RATE_LIMIT_RETRIES: Final = 3
TAKE: Final = "mailmove_desk_take"
GIVE_BACK: Final = "mailmove_desk_give_back"
STATUS_BLOCK: Final = "mailmove_desk_status"
ACTIONS_BLOCK: Final = "mailmove_desk_actions"
# Block Kit limits (https://docs.slack.dev/reference/block-kit).
MAX_HEADER: Final = 150
MAX_FIELD: Final = 2000
MAX_TEXT: Final = 3000
MAX_BUTTON_VALUE: Final = 2000
MAX_AGENT_NAME: Final = 80
# A channel id, not a name: clicks carry the id, and are matched against it.
_CHANNEL_ID: Final = re.compile(r"^[CG][A-Z0-9]{2,}$")
_VARIABLES: Final = ("SLACK_AGENTS_CHANNEL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")

REJECTIONS: Final[collections.Counter[str]] = collections.Counter()
"""Requests refused before anything was parsed or stored, by reason."""


def _refused(reason: str) -> None:
    REJECTIONS[reason] += 1
    metrics.rejected(CHANNEL, reason)


SlackMessage = dict[str, Any]
"""The `text` and `blocks` of one `chat.postMessage` or `chat.update` call."""


@dataclass(frozen=True, slots=True)
class SlackDeskConfig:
    """What the desk needs, from the environment."""

    channel_id: str
    bot_token: str
    signing_secret: str
    api_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SlackDeskConfig | None:
        """The configuration, or None when a variable that switches the desk on is missing.

        `SLACK_AGENTS_BOT_TOKEN` and `SLACK_AGENTS_SIGNING_SECRET`, when set, are a desk app
        of its own: needed when subscribers use Slack too, since an app has one
        Interactivity Request URL and the subscribers' channel has it.
        """
        channel_id = environ.get("SLACK_AGENTS_CHANNEL", "")
        token = environ.get("SLACK_AGENTS_BOT_TOKEN", "") or environ.get("SLACK_BOT_TOKEN", "")
        secret = environ.get("SLACK_AGENTS_SIGNING_SECRET", "") or environ.get(
            "SLACK_SIGNING_SECRET", ""
        )
        if not (channel_id and token and secret):
            return None
        if not _CHANNEL_ID.match(channel_id):
            raise ConfigError(
                f"SLACK_AGENTS_CHANNEL={channel_id!r} must be a channel id such as C0123ABCD "
                "(the channel's details in Slack show it), not its name"
            )
        api_url = environ.get("SLACK_API_URL", "") or DEFAULT_API_URL
        return cls(channel_id, token, secret, api_url.rstrip("/") + "/")


@dataclass(frozen=True, slots=True)
class DeskAction:
    """A pressed desk button: which, on which message, for which conversation, by whom."""

    action_id: str
    key: str
    channel: str
    message_ts: str
    user_id: str
    user_name: str
    text: str
    blocks: tuple[Mapping[str, Any], ...]

    @property
    def event_id(self) -> str:
        """One per button of one message: a double click or a Slack retry acts once."""
        return f"{CHANNEL}:{self.channel}:{self.message_ts}:{self.action_id}"

    @property
    def agent(self) -> str:
        """Who pressed it, as the transcript names them."""
        return f"{self.user_name} (Slack {self.user_id})"

    @property
    def mention(self) -> str:
        """Who pressed it, as Slack shows a person in a message."""
        return f"<@{self.user_id}>"


# -- summary → platform payload -------------------------------------------------------------


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _word(catalogs: Catalogs, key: str, fallback: str) -> str:
    """A catalog word for a stored value, or the value itself for one the desk has no word for."""
    return catalogs.raw(DESK_LOCALE, key) if key in catalogs.keys(DESK_LOCALE) else fallback


def summary_rows(summary: HandoffSummary, catalogs: Catalogs) -> list[str]:
    """Who, address, mail program, answers, verdict and last check, one line each."""

    def say(key: str, **params: object) -> str:
        return catalogs.fill(DESK_LOCALE, key, params)

    unknown = say("summary.unknown")
    answers = ", ".join(
        f"{question.split('_', 1)[0].upper()}={_word(catalogs, f'slack_desk.answer.{a}', a)}"
        for question, a in summary.answers.items()
    )
    receiving = _word(catalogs, f"slack_desk.verdict.{summary.receiving}", summary.receiving)
    sending = _word(catalogs, f"slack_desk.verdict.{summary.sending}", summary.sending)
    program = _word(catalogs, f"program.{summary.program}", summary.program)
    return [
        say("summary.who", sender=summary.sender or unknown, channel=summary.channel),
        say("summary.address", address=summary.address or unknown),
        say("summary.program", program=program or unknown),
        say("summary.answers", answers=answers or unknown),
        say("summary.verdict", verdict=f"{receiving or unknown} / {sending or unknown}"),
        say("summary.check", check=summary.last_check or unknown),
    ]


def _status(text: str) -> dict[str, Any]:
    # mrkdwn, so that the agent's <@U…> mention shows as their name.
    return {
        "type": "context",
        "block_id": STATUS_BLOCK,
        "elements": [{"type": "mrkdwn", "text": text}],
    }


def _buttons(key: str, catalogs: Catalogs, action_ids: Sequence[str]) -> list[dict[str, Any]]:
    labels = {TAKE: "slack_desk.take", GIVE_BACK: "slack_desk.give_back"}
    if not action_ids:
        return []
    elements = [
        {
            "type": "button",
            "action_id": action_id,
            "text": _plain(catalogs.raw(DESK_LOCALE, labels[action_id])),
            # The conversation key: what the click acts on, without reading the message.
            "value": key,
            **({"style": "primary"} if action_id == TAKE else {}),
        }
        for action_id in action_ids
    ]
    return [{"type": "actions", "block_id": ACTIONS_BLOCK, "elements": elements}]


def render_summary(summary: HandoffSummary, catalogs: Catalogs) -> SlackMessage:
    """The handoff message: the facts as blocks, a link to the transcript, both buttons."""
    if len(summary.key) > MAX_BUTTON_VALUE:
        raise ValueError(f"a conversation key longer than {MAX_BUTTON_VALUE} cannot be a button")
    title = catalogs.fill(DESK_LOCALE, "summary.title", {"reason": summary.reason})
    rows = summary_rows(summary, catalogs)
    link_label = escape(catalogs.raw(DESK_LOCALE, "slack_desk.open_transcript"))
    link = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"<{escape(summary.transcript_url)}|{link_label}>"},
    }
    blocks = [
        {"type": "header", "text": _plain(truncate(title, MAX_HEADER))},
        # plain_text: a subscriber's words or address must not turn into markup or mentions.
        {"type": "section", "fields": [_plain(truncate(row, MAX_FIELD)) for row in rows]},
        link,
        _status(escape(catalogs.raw(DESK_LOCALE, "slack_desk.waiting"))),
        *_buttons(summary.key, catalogs, (TAKE, GIVE_BACK)),
    ]
    # The notification text, shown where blocks are not (push notifications, search).
    text = truncate(f"{title}\n{rows[0]}", MAX_TEXT)
    return {"text": text, "blocks": blocks}


def updated_message(
    action: DeskAction, status: str, catalogs: Catalogs, action_ids: Sequence[str]
) -> SlackMessage:
    """The pressed message with a new status line and the buttons that still make sense."""
    kept = [
        dict(b) for b in action.blocks if b.get("block_id") not in (STATUS_BLOCK, ACTIONS_BLOCK)
    ]
    if not kept and action.text:
        # A message Slack sent without its blocks: keep at least its words.
        kept = [{"type": "section", "text": _plain(truncate(action.text, MAX_TEXT))}]
    blocks = [*kept, _status(status), *_buttons(action.key, catalogs, action_ids)]
    return {"text": action.text or " ", "blocks": blocks}


# -- platform request → desk action ---------------------------------------------------------


def parse_payload(body: bytes) -> Mapping[str, Any]:
    """The interaction payload of a form-encoded body; ValueError when there is none."""
    form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    if "payload" not in form:
        raise ValueError("no payload field")
    data = json.loads(form["payload"])  # json.JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("the payload is not a JSON object")
    return data


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def action_from_payload(payload: Mapping[str, Any], agents_channel: str) -> DeskAction | None:
    """The desk button pressed in `agents_channel`, or None for anything else.

    ValueError when a desk button's payload lacks what acting on it needs.
    """
    if payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions")
    pressed = next(
        (
            a
            for a in (actions if isinstance(actions, list) else ())
            if isinstance(a, Mapping) and a.get("action_id") in (TAKE, GIVE_BACK)
        ),
        None,
    )
    if pressed is None:
        return None
    container, message = _mapping(payload.get("container")), _mapping(payload.get("message"))
    user = _mapping(payload.get("user"))
    channel = container.get("channel_id") or _mapping(payload.get("channel")).get("id")
    message_ts = container.get("message_ts") or message.get("ts")
    key, user_id = pressed.get("value"), user.get("id")
    fields = (channel, message_ts, key, user_id)
    if not all(isinstance(v, str) and v for v in fields):
        raise ValueError("a desk button without its channel, message, value or user")
    if channel != agents_channel:
        # Our buttons live in the agents' channel only; anywhere else they are not ours.
        return None
    name = user.get("name") or user.get("username") or user_id
    blocks = message.get("blocks")
    return DeskAction(
        action_id=str(pressed["action_id"]),
        key=str(key),
        channel=str(channel),
        message_ts=str(message_ts),
        user_id=str(user_id),
        user_name=truncate(str(name), MAX_AGENT_NAME),
        text=str(message.get("text") or ""),
        blocks=tuple(
            b for b in (blocks if isinstance(blocks, list) else ()) if isinstance(b, Mapping)
        ),
    )


# -- the desk -------------------------------------------------------------------------------


class SlackDesk:
    """Posts one message per handoff to the agents' channel."""

    name = CHANNEL

    def __init__(self, client: AsyncWebClient, channel_id: str, catalogs: Catalogs) -> None:
        self._client = client
        self._channel_id = channel_id
        self._catalogs = catalogs

    def accepts(self, channel: str) -> bool:
        """Every channel: agents in Slack read the summary, wherever the subscriber is."""
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Post the summary; any refusal or failure means the agents were not told."""
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        message = render_summary(summary, self._catalogs)
        try:
            await self._client.chat_postMessage(channel=self._channel_id, **message)
        except SlackApiError as err:
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            raise DeskUnavailableError(f"Slack chat.postMessage refused: {error}") from err
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            raise DeskUnavailableError(f"Slack unreachable: {type(err).__name__}") from err


# -- the channel ----------------------------------------------------------------------------


class SlackDeskChannel:
    """The desk (registered on start) and the endpoint its buttons post to."""

    name = CHANNEL

    def __init__(self, runtime: Runtime, config: SlackDeskConfig) -> None:
        from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
        from slack_sdk.signature import SignatureVerifier
        from slack_sdk.web.async_client import AsyncWebClient

        self._runtime = runtime
        self._config = config
        self._verifier = SignatureVerifier(config.signing_secret)
        self.client: AsyncWebClient = AsyncWebClient(
            token=config.bot_token,
            base_url=config.api_url,
            # The handoff waits on this post, inside the subscriber's turn: fail soon.
            timeout=API_TIMEOUT,
            # A 429 was not posted, so resending after Retry-After cannot duplicate the
            # message; a dropped connection is not retried, since the post may have landed.
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)],
        )
        self.desk = SlackDesk(self.client, config.channel_id, runtime.catalogs)

    def routes(self) -> Sequence[BaseRoute]:
        """The Interactivity Request URL of the desk's Slack app."""
        return [Route(ACTIONS_PATH, self.actions, methods=["POST"])]

    async def start(self) -> None:
        """Offer the agents' channel as a desk for handoffs."""
        if self._runtime.handoffs is not None:
            self._runtime.handoffs.add(self.desk)

    async def stop(self) -> None:
        """Nothing to close: the Slack client opens a session per call."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Nothing to send: no subscriber talks to the bot through the desk."""

    async def actions(self, request: Request) -> Response:
        """Verify, parse, act on the click in the store, answer; Slack is updated afterwards.

        The act is stored before Slack gets its 200: if the store is down, the server's
        503 makes the click fail visibly in Slack instead of being acknowledged and lost.
        """
        if not self._runtime.tasks.accepting:
            return JSONResponse({"error": "shutting down"}, status_code=503)
        body = await request.body()
        if not self._signed(body, request):
            _refused("signature")
            _LOGGER.warning("Slack desk request refused: bad, missing or stale signature")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        try:
            action = action_from_payload(parse_payload(body), self._config.channel_id)
        except ValueError:
            _refused("malformed")
            _LOGGER.warning("Slack desk request refused: malformed payload")
            return JSONResponse({"error": "malformed payload"}, status_code=400)
        if action is not None:
            followup = await self.act(action)
            if followup is not None:
                self._runtime.tasks.spawn(followup, name=action.event_id)
        # Anything else (another app's button, a modal) is acknowledged so Slack stops.
        return Response(status_code=200)

    def _signed(self, body: bytes, request: Request) -> bool:
        try:
            return self._verifier.is_valid_request(body, dict(request.headers))
        except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
            return False

    async def act(self, action: DeskAction) -> Coroutine[Any, Any, None] | None:
        """Take the conversation or give it back; return what to tell Slack afterwards.

        None when there is nothing to show (a repeated click was acted on already).
        """
        catalogs = self._runtime.catalogs
        engine = self._runtime.engine
        record = await engine.store.load(action.key)
        if record is None:
            # Expired or deleted since the handoff: the buttons can do nothing any more.
            return self._update(action, escape(catalogs.raw(DESK_LOCALE, "slack_desk.gone")), ())
        if action.action_id == TAKE:
            taken = await take_over(engine, action.key, action.agent, event_id=action.event_id)
            if taken is None:
                return None  # this click was acted on already (or the conversation vanished)
            status = self._say("slack_desk.taken", agent=action.mention)
            return self._update(action, status, (GIVE_BACK,))
        if record.owner is Owner.AGENT:
            outcome = await hand_back(
                engine,
                record.channel,
                record.conversation_id,
                HandbackFacts(agent=action.agent),
                event_id=action.event_id,
            )
            if outcome.duplicate or outcome.record is None:
                return None
            return self._announce_back(action, record, outcome.replies)
        return await self._already_back(action, record)

    async def _announce_back(
        self, action: DeskAction, record: ConversationRecord, replies: Sequence[Reply]
    ) -> None:
        # The greeting first: the message then says what the subscriber has already seen.
        await self._runtime.delivery.push(record.channel, record.conversation_id, replies)
        await self._update(action, self._say("slack_desk.given_back", agent=action.mention), ())

    async def _already_back(
        self, action: DeskAction, record: ConversationRecord
    ) -> Coroutine[Any, Any, None] | None:
        # Claim the click like an act, so the second of a double click (which finds the bot
        # already in charge, from the first) leaves the first's status line alone.
        def unchanged(stored: ConversationRecord | None) -> Change[None] | None:
            return None if stored is None else Change(stored, (), None)

        claimed = await self._runtime.engine.store.transact(action.key, action.event_id, unchanged)
        if claimed is None:
            return None
        key = "slack_desk.closed" if record.owner is Owner.CLOSED else "slack_desk.already_bot"
        return self._update(action, escape(self._runtime.catalogs.raw(DESK_LOCALE, key)), ())

    def _say(self, key: str, **params: object) -> str:
        return self._runtime.catalogs.fill(DESK_LOCALE, key, params)

    async def _update(self, action: DeskAction, status: str, buttons: Sequence[str]) -> None:
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        message = updated_message(action, status, self._runtime.catalogs, buttons)
        try:
            await self.client.chat_update(channel=action.channel, ts=action.message_ts, **message)
        except SlackApiError as err:
            # The act itself is stored; the message only lags behind, and the console is right.
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            _LOGGER.warning("Slack chat.update for %s refused: %s", action.event_id, error)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as err:
            _LOGGER.warning(
                "Slack chat.update for %s failed: %s", action.event_id, type(err).__name__
            )


def create_channel(runtime: Runtime) -> SlackDeskChannel | None:
    """Entry point of the `slack_desk` channel: on when its variables are set."""
    config = SlackDeskConfig.from_environ(runtime.environ)
    if config is None:
        _LOGGER.info("Slack agents' desk off: set %s to switch it on", ", ".join(_VARIABLES))
        return None
    return SlackDeskChannel(runtime, config)
